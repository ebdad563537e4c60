"""Labelled pairs: a screened person beside a list entry, and whether a careful
immigration officer would want the pair put before them for review.

The labels say what the officer wants, not what any scorer gives: a pair is a match when
the person may well be the one the list means (every fact the list knows agrees, allowing
for transliteration, typing, name order, particles and the usual date mistakes), and a
no-match when a fact contradicts it (another birth date, nationality or sex for a common
name) or the names are different names. Every person here is invented.

The queries look like what the registry holds (Latin names from a passport, a full birth
date, one nationality, a passport number); entries like what lists hold (aliases in the
original script, partial dates, ages, several nationalities, no date at all).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from pora.screening.engine.records import (
    PartialDate,
    Record,
    clean_document,
    date_from_age,
    parse_date,
)


@dataclass(frozen=True)
class Pair:
    query: Record
    entry: Record
    match: bool
    note: str


def person(*names: str, born: str | tuple[str, ...] = (), nat: str | tuple[str, ...] = (),
           docs: str | tuple[str, ...] = (), sex: str = "",
           age: tuple[int, str] | None = None) -> Record:
    """A record from plain values: ``born="1980-05"``, ``nat=("RUS", "UKR")``,
    ``age=(45, "2024-06-01")`` for "aged 45 when listed"."""
    born = (born,) if isinstance(born, str) else born
    dates: list[PartialDate] = [parse_date(value) for value in born]
    if age is not None:
        dates.append(date_from_age(age[0], dt.date.fromisoformat(age[1])))
    return Record(
        id="", names=tuple(names), birth_dates=tuple(dates),
        nationalities=(nat,) if isinstance(nat, str) else tuple(nat),
        documents=tuple(clean_document(d) for d in ((docs,) if isinstance(docs, str) else docs)),
        sex=sex)


PAIRS: list[Pair] = []


def match(note: str, query: Record, entry: Record) -> None:
    _add(True, note, query, entry)


def no_match(note: str, query: Record, entry: Record) -> None:
    _add(False, note, query, entry)


def _add(label: bool, note: str, query: Record, entry: Record) -> None:
    n = len(PAIRS) + 1
    PAIRS.append(Pair(replace(query, id=f"q{n:03d}"), replace(entry, id=f"e{n:03d}"), label,
                      note))


# ----------------------------------------------------------------------------- Cyrillic

ivanov = person("Александр Иванов", born="1978-04-12", nat="RUS", sex="M")
match("Cyrillic entry, passport transliteration",
      person("Aleksandr Ivanov", born="1978-04-12", nat="RUS", sex="M", docs="751234567"),
      ivanov)
match("Cyrillic entry, English spelling Alexander",
      person("Alexander Ivanov", born="1978-04-12", nat="RUS", sex="M"), ivanov)
match("surname first, as on a passport's name line",
      person("IVANOV ALEKSANDR", born="1978-04-12", nat="RUS", sex="M"), ivanov)
match("list gives the patronymic and only the year",
      person("Alexander Ivanov", born="1978-04-12", nat="RUS", sex="M"),
      person("Александр Сергеевич Иванов", born="1978", nat="RUS", sex="M"))
no_match("namesake born 31 years later",
         person("Aleksandr Ivanov", born="1992-03-03", nat="RUS", sex="M"),
         person("Александр Иванов", born="1961-10-25", nat="RUS", sex="M"))
no_match("Ivanenko is another surname, and another nationality",
         person("Aleksandr Ivanenko", born="1978-04-12", nat="UKR", sex="M"), ivanov)
no_match("Aleksei is not Aleksandr and the dates differ",
         person("Aleksei Ivanov", born="1978-09-01", nat="RUS", sex="M"), ivanov)

kovalenko = person("Юлия Коваленко", born="1990-09-03", nat="UKR", sex="F")
match("ICAO 2013 transliteration Iuliia",
      person("Iuliia Kovalenko", born="1990-09-03", nat="UKR", sex="F"), kovalenko)
match("older transliteration Yulia",
      person("Yulia Kovalenko", born="1990-09-03", nat="UKR", sex="F"), kovalenko)
match("Latin alias on the list, Dmitry/Dmitriy",
      person("Dmitriy Sokolov", born="1985-01-20", nat="RUS", sex="M"),
      person("Дмитрий Соколов", "Dmitry Sokolov", born="1985-01-20", nat="RUS", sex="M"))
morozov = person("Морозов Сергей Васильевич", born="1969-11-30", nat="RUS", sex="M")
match("list in Russian order: surname, given name, patronymic",
      person("Sergey Morozov", born="1969-11-30", nat="RUS", sex="M"), morozov)
no_match("namesake, 18 years younger",
         person("Sergey Morozov", born="1987-05-05", nat="RUS", sex="M"), morozov)
petrova = person("Наталья Петрова", born="1982-02-14", nat="RUS", sex="F")
match("Natalya written Natalia",
      person("Natalia Petrova", born="1982-02-14", nat="RUS", sex="F"), petrova)
no_match("namesake born 2001",
         person("Natalia Petrova", born="2001-06-06", nat="RUS", sex="F"), petrova)
no_match("Marina is not Natalya; another date",
         person("Marina Petrova", born="1979-12-01", nat="RUS", sex="F"), petrova)
kuznetsov = person("Евгений Кузнецов", born="1975-07-07", nat="RUS", sex="M")
match("Yevgeniy written Evgeny",
      person("Evgeny Kuznetsov", born="1975-07-07", nat="RUS", sex="M"), kuznetsov)
no_match("Evgenia Kuznetsova is a woman: feminine forms of both names, another sex",
         person("Evgenia Kuznetsova", born="1975-07-07", nat="RUS", sex="F"), kuznetsov)
match("Ukrainian Oleksandr, Russian Aleksandr: the same name in two languages",
      person("Oleksandr Shevchuk", born="1983-03-19", nat="UKR", sex="M"),
      person("Александр Шевчук", born="1983-03-19", nat="UKR", sex="M"))
match("Maxim/Maksim",
      person("Maxim Volkov", born="1986-08-21", nat="RUS", sex="M"),
      person("Максим Волков", born="1986-08-21", nat="RUS", sex="M"))
no_match("namesake, 30 years apart",
         person("Maksim Volkov", born="1956-01-13", nat="RUS", sex="M"),
         person("Максим Волков", born="1986-08-21", nat="RUS", sex="M"))
match("Iurii/Yuriy, year only on the list",
      person("Iurii Pavlenko", born="1970-02-08", nat="UKR", sex="M"),
      person("Юрий Павленко", born="1970", nat="UKR", sex="M"))
match("Kazakh name in Cyrillic, nationality unknown to the list",
      person("Nurlan Abenov", born="1981-06-30", nat="KAZ", sex="M"),
      person("Нурлан Абенов", born="1981-06-30", sex="M"))
match("the registry kept the Cyrillic spelling, the list the Latin one",
      person("Игорь Лебедев", born="1977-10-05", nat="RUS", sex="M"),
      person("Igor Lebedev", born="1977-10-05", nat="RUS", sex="M"))
match("ё written yo, list without a date: rare full name",
      person("Ksenia Zolotaryova", born="1988-12-12", nat="RUS", sex="F"),
      person("Ксения Золотарёва", nat="RUS", sex="F"))
match("strong full name, list without a date, patronymic on the list",
      person("Dmitriy Kholodkov", born="1979-04-04", nat="RUS", sex="M"),
      person("Дмитрий Валентинович Холодков", nat="RUS"))
match("list gives an age when listed (~1962)",
      person("Svetlana Orlova", born="1962-09-17", nat="RUS", sex="F"),
      person("Светлана Орлова", age=(60, "2022-03-01"), nat="RUS", sex="F"))
match("two nationalities on the list, the person holds one of them",
      person("Rashid Kamalov", born="1974-05-28", nat="UKR", sex="M"),
      person("Рашид Камалов", "Rashid Kamalov", born="1974-05-28", nat=("RUS", "UKR")))
match("Uzbek name: Latin joined, list in Cyrillic with Latin split alias",
      person("Abdulaziz Karimov", born="1990-01-31", nat="UZB", sex="M"),
      person("Абдулазиз Каримов", "Abdul Aziz Karimov", born="1990-01-31", nat="UZB"))
no_match("different persons: Olga Smirnova beside Aleksandr Ivanov",
         person("Olga Smirnova", born="1978-04-12", nat="RUS", sex="F"), ivanov)

# ------------------------------------------------------------------------------- Arabic

otaibi = person("محمد سالم العتيبي", born="1983-08-15", nat="SAU", sex="M")
match("Arabic script entry, Mohammed Salem Al Otaibi",
      person("Mohammed Salem Al Otaibi", born="1983-08-15", nat="SAU", sex="M"), otaibi)
match("Muhammad Salim, al- dropped",
      person("Muhammad Salim Otaibi", born="1983-08-15", nat="SAU", sex="M"), otaibi)
match("Mohamad, al joined to the family name",
      person("Mohamad Salem Alotaibi", born="1983-08-15", nat="SAU", sex="M"), otaibi)
no_match("namesake born 1961",
         person("Mohammed Salem Al Otaibi", born="1961-01-01", nat="SAU", sex="M"), otaibi)
haddad = person("أحمد يوسف حداد", born="1979-02-02", nat="JOR", sex="M")
match("Arabic script, Ahmed Yousef",
      person("Ahmed Yousef Haddad", born="1979-02-02", nat="JOR", sex="M"), haddad)
match("Ahmad Yusuf, al- added",
      person("Ahmad Yusuf Al-Haddad", born="1979-02-02", nat="JOR", sex="M"), haddad)
no_match("a brother: Mahmoud, same father and family, another date",
         person("Mahmoud Yousef Haddad", born="1981-06-01", nat="JOR", sex="M"), haddad)
nasser = person("خالد محمود ناصر", "Khaled Mahmoud Nasser", born="1990-10", nat="EGY",
                sex="M")
match("year and month on the list",
      person("Khaled Mahmoud Nasser", born="1990-10-10", nat="EGY", sex="M"), nasser)
match("Khalid Mahmud Nasir: another romanisation",
      person("Khalid Mahmud Nasir", born="1990-10-10", nat="EGY", sex="M"), nasser)
no_match("same year, other month, and only two of three names",
         person("Khaled Nasser", born="1990-03-02", nat="EGY", sex="M"), nasser)
no_match("Hassan is not Hussein, 16 years apart",
         person("Omar Hassan", born="1988-11-11", nat="EGY", sex="M"),
         person("عمر حسين", born="1972-04-19", nat="EGY", sex="M"))
match("Fatima-Zahra Benali and Fatima Zahra Ben Ali",
      person("Fatima-Zahra Benali", born="1994-04-04", nat="MAR", sex="F"),
      person("Fatima Zahra Ben Ali", born="1994-04-04", nat="MAR", sex="F"))
match("Youssef/يوسف, year only",
      person("Youssef Bakri", born="1986-07-22", nat="MAR", sex="M"),
      person("يوسف بكري", born="1986", nat="MAR"))
match("Abdulrahman and Abd al-Rahman, Saleh and Salih",
      person("Abdulrahman Saleh", born="1977-03-14", nat="YEM", sex="M"),
      person("Abd al-Rahman Salih", born="1977-03-14", nat="YEM", sex="M"))
match("Persian script entry",
      person("Hossein Rezaei", born="1971-12-09", nat="IRN", sex="M"),
      person("حسین رضایی", born="1971-12-09", nat="IRN", sex="M"))
no_match("namesake born 1999",
         person("Hossein Rezaei", born="1999-02-27", nat="IRN", sex="M"),
         person("حسین رضایی", born="1971-12-09", nat="IRN", sex="M"))
match("the registry knows only the year; Persian script on the list",
      person("Hamid Karimi", born="1975", nat="AFG", sex="M"),
      person("حمید کریمی", born="1975-03-21", nat="AFG", sex="M"))
match("Abdelkader Benahmed: Ben Ahmed joined",
      person("Abdelkader Benahmed", born="1968-05-30", nat="DZA", sex="M"),
      person("Abdelkader Ben Ahmed", born="1968-05-30", nat="DZA", sex="M"))
match("rare name with one letter missing, no date on the list",
      person("Abdelilah Boutaghrirt", born="1984-10-03", nat="MAR", sex="M"),
      person("Abdelilah Boutaghrit", nat="MAR", sex="M"))

# ------------------------------------------------------------------------------ Chinese

wang = person("王小明", born="1980-05-12", nat="CHN", sex="M")
match("Chinese characters, pinyin on the passport",
      person("Wang Xiaoming", born="1980-05-12", nat="CHN", sex="M"), wang)
match("given name first", person("Xiaoming Wang", born="1980-05-12", nat="CHN", sex="M"),
      wang)
match("given name split in syllables",
      person("WANG XIAO MING", born="1980-05-12", nat="CHN", sex="M"), wang)
match("Wade-Giles spelling on a Taiwanese passport, list without nationality",
      person("Wang Hsiao-Ming", born="1980-05-12", nat="TWN", sex="M"),
      person("王小明", born="1980-05-12", sex="M"))
no_match("namesake born 1996",
         person("Wang Xiaoming", born="1996-12-01", nat="CHN", sex="M"), wang)
no_match("Xiaohong is another given name, a woman's",
         person("Wang Xiaohong", born="1980-05-12", nat="CHN", sex="F"), wang)
match("short name, full date agrees",
      person("Li Na", born="1986-09-21", nat="CHN", sex="F"),
      person("李娜", born="1986-09-21", nat="CHN", sex="F"))
no_match("Li Na born 1992: one of many",
         person("Li Na", born="1992-01-17", nat="CHN", sex="F"),
         person("李娜", born="1986-09-21", nat="CHN", sex="F"))
zhang = person("张伟", born="1975-03-08", nat="CHN", sex="M")
match("Zhang Wei, full date agrees", person("Zhang Wei", born="1975-03-08", nat="CHN",
                                              sex="M"), zhang)
no_match("Zhang Wei, same year, another day and month: the commonest name in China",
         person("Zhang Wei", born="1975-11-19", nat="CHN", sex="M"), zhang)
no_match("Wei Zhang born 1990", person("Wei Zhang", born="1990-02-02", nat="CHN", sex="M"),
         zhang)
match("year only on the list, everything else agrees",
      person("Chen Jianguo", born="1966-06-06", nat="CHN", sex="M"),
      person("陈建国", born="1966", nat="CHN", sex="M"))
match("traditional characters, Wade-Giles passport",
      person("Chen Chien-kuo", born="1966-06-06", nat="TWN", sex="M"),
      person("陳建國", born="1966-06-06", nat="TWN", sex="M"))
match("list has the characters and a pinyin alias, passport joins the given name",
      person("Liu Yangfan", born="1991-11-30", nat="CHN", sex="M"),
      person("刘扬帆", "Liu Yang Fan", born="1991-11-30", nat="CHN"))
no_match("Liu Yang is a shorter, other name, born elsewhere in time",
         person("Liu Yang", born="1984-04-02", nat="CHN", sex="M"),
         person("刘扬帆", "Liu Yang Fan", born="1991-11-30", nat="CHN"))

# ------------------------------------------------------------------------------- Korean

kim = person("김민준", born="1988-02-29", nat="KOR", sex="M")
match("Hangul entry, passport Kim Min-jun",
      person("Kim Min-jun", born="1988-02-29", nat="KOR", sex="M"), kim)
match("given name first and joined", person("Minjun Kim", born="1988-02-29", nat="KOR",
                                            sex="M"), kim)
match("Revised Romanization Gim, year only on the list",
      person("Gim Min Jun", born="1988-02-29", nat="KOR", sex="M"),
      person("김민준", born="1988", nat="KOR", sex="M"))
no_match("namesake born 2001", person("Kim Min-jun", born="2001-03-03", nat="KOR", sex="M"),
         kim)
no_match("Min-ji is a woman's name, another sex",
         person("Kim Min-ji", born="1988-02-29", nat="KOR", sex="F"), kim)
match("Park/Bak", person("Park Ji-hoon", born="1991-07-15", nat="KOR", sex="M"),
      person("박지훈", born="1991-07-15", nat="KOR", sex="M"))
match("Lee/I", person("Lee Seo-yeon", born="1995-12-03", nat="KOR", sex="F"),
      person("이서연", born="1995-12-03", nat="KOR", sex="F"))
match("Choi/Choe, Young-ho/Yeongho",
      person("Choi Young-ho", born="1972-09-09", nat="KOR", sex="M"),
      person("최영호", born="1972-09-09", nat="KOR", sex="M"))
no_match("Kim Young-soo: a common name, a US passport, year only on the list",
         person("Kim Young-soo", born="1970-05-05", nat="USA", sex="M"),
         person("김영수", born="1970", nat="KOR", sex="M"))
no_match("same name, the list says a woman",
         person("Kim Ji-woo", born="1998-06-14", nat="KOR", sex="M"),
         person("김지우", born="1998", nat="KOR", sex="F"))

# -------------------------------------------------------------------------------- Greek

papadopoulos = person("Γεώργιος Παπαδόπουλος", born="1970-01-25", nat="GRC", sex="M")
match("Greek script entry",
      person("Georgios Papadopoulos", born="1970-01-25", nat="GRC", sex="M"), papadopoulos)
match("English form George of Georgios",
      person("George Papadopoulos", born="1970-01-25", nat="GRC", sex="M"), papadopoulos)
no_match("namesake born 1999",
         person("Georgios Papadopoulos", born="1999-09-09", nat="GRC", sex="M"),
         papadopoulos)
match("Greek script, Konstantinou",
      person("Dimitrios Konstantinou", born="1983-05-17", nat="GRC", sex="M"),
      person("Δημήτριος Κωνσταντίνου", born="1983-05-17", nat="GRC", sex="M"))
match("diaeresis in the Greek spelling",
      person("Eleni Nikolaidou", born="1977-08-08", nat="GRC", sex="F"),
      person("Ελένη Νικολαΐδου", born="1977-08-08", nat="GRC", sex="F"))

# --------------------------------------------------------------------------------- Thai

somchai = person("สมชาย ใจดี", born="1976-10-10", nat="THA", sex="M")
match("Thai script entry", person("Somchai Jaidee", born="1976-10-10", nat="THA", sex="M"),
      somchai)
match("j/ch: Chaidee beside the list's Latin alias",
      person("Somchai Chaidee", born="1976-10-10", nat="THA", sex="M"),
      person("สมชาย ใจดี", "Somchai Jaidee", born="1976-10-10", nat="THA", sex="M"))
no_match("namesake born 1990", person("Somchai Jaidee", born="1990-02-02", nat="THA",
                                      sex="M"), somchai)
match("double t dropped", person("Pornthip Rattanakul", born="1984-04-14", nat="THA",
                                 sex="F"),
      person("Pornthip Ratanakul", born="1984-04-14", nat="THA", sex="F"))

# --------------------------------------------------------------------------- Vietnamese

hung = person("Nguyễn Văn Hùng", born="1982-12-24", nat="VNM", sex="M")
match("diacritics on the list only",
      person("Nguyen Van Hung", born="1982-12-24", nat="VNM", sex="M"), hung)
match("middle name Van dropped", person("Nguyen Hung", born="1982-12-24", nat="VNM",
                                         sex="M"), hung)
no_match("namesake born 1960: very common name",
         person("Nguyen Van Hung", born="1960-05-05", nat="VNM", sex="M"), hung)
ha = person("Trần Thị Thu Hà", born="1993-03-30", nat="VNM", sex="F")
match("diacritics", person("Tran Thi Thu Ha", born="1993-03-30", nat="VNM", sex="F"), ha)
match("given name first and Thi dropped",
      person("Thu Ha Tran", born="1993-03-30", nat="VNM", sex="F"), ha)
no_match("namesake born 1999, year only on the list",
         person("Pham Minh Tuan", born="1999-07-07", nat="VNM", sex="M"),
         person("Phạm Minh Tuấn", born="1985", nat="VNM", sex="M"))
match("common name, full date agrees", person("Le Thi Mai", born="1990-01-01", nat="VNM",
                                               sex="F"),
      person("Lê Thị Mai", born="1990-01-01", nat="VNM", sex="F"))
no_match("Thi Hoa and Van Hoa: a woman and a man, dates apart",
         person("Nguyen Thi Hoa", born="1979-02-17", nat="VNM", sex="F"),
         person("Nguyễn Văn Hòa", born="1966-10-10", nat="VNM", sex="M"))

# ------------------------------------------------------------- other scripts, diacritics

match("Japanese katakana entry", person("Tanaka Hiroshi", born="1965-11-03", nat="JPN",
                                        sex="M"),
      person("タナカ ヒロシ", born="1965-11-03", nat="JPN", sex="M"))
match("Georgian script", person("Giorgi Beridze", born="1987-03-26", nat="GEO", sex="M"),
      person("გიორგი ბერიძე", born="1987-03-26", nat="GEO"))
match("Devanagari entry", person("Rajesh Kumar", born="1979-08-19", nat="IND", sex="M"),
      person("राजेश कुमार", born="1979-08-19", nat="IND", sex="M"))
match("Icelandic thorn and eth",
      person("Thorsteinn Gudmundsson", born="1972-01-09", nat="ISL", sex="M"),
      person("Þorsteinn Guðmundsson", born="1972-01-09", nat="ISL", sex="M"))
match("Turkish dotless i, year only",
      person("Mehmet Yilmaz", born="1984-05-05", nat="TUR", sex="M"),
      person("Mehmet Yılmaz", born="1984", nat="TUR", sex="M"))
no_match("Ahmet is another given name than Mehmet; another year",
         person("Ahmet Yilmaz", born="1982-03-01", nat="TUR", sex="M"),
         person("Mehmet Yılmaz", born="1984", nat="TUR", sex="M"))
match("Turkish diacritics", person("Sukru Ozturk", born="1961-06-15", nat="TUR", sex="M"),
      person("Şükrü Öztürk", born="1961-06-15", nat="TUR", sex="M"))
match("umlaut written ue, sharp s written ss",
      person("Juergen Gross", born="1959-02-13", nat="DEU", sex="M"),
      person("Jürgen Groß", born="1959-02-13", nat="DEU", sex="M"))
match("Danish ø and å", person("Soren Odegard", born="1980-07-04", nat="DNK", sex="M"),
      person("Søren Ødegård", born="1980-07-04", nat="DNK", sex="M"))
match("acute accent only", person("Stephane Moreau", born="1974-12-02", nat="FRA", sex="M"),
      person("Stéphane Moreau", born="1974-12-02", nat="FRA", sex="M"))
match("Polish Krzysztof written Kristof, same date",
      person("Kristof Nowak", born="1983-10-02", nat="POL", sex="M"),
      person("Krzysztof Nowak", born="1983-10-02", nat="POL", sex="M"))
match("Spanish accents, both surnames",
      person("Maria Garcia Lopez", born="1987-07-19", nat="ESP", sex="F"),
      person("María García López", born="1987-07-19", nat="ESP", sex="F"))
match("second surname dropped", person("Maria Garcia", born="1987-07-19", nat="ESP",
                                        sex="F"),
      person("María García López", born="1987-07-19", nat="ESP", sex="F"))

# ------------------------------------------------------------------------- name order

match("surname first", person("SCHNEIDER Thomas", born="1968-03-03", nat="DEU", sex="M"),
      person("Thomas Schneider", born="1968-03-03", nat="DEU", sex="M"))
no_match("namesake born 1991", person("Thomas Schneider", born="1991-08-08", nat="DEU",
                                      sex="M"),
         person("Thomas Schneider", born="1968-03-03", nat="DEU", sex="M"))
match("Hungarian order, family name first",
      person("Nagy Istvan", born="1976-04-20", nat="HUN", sex="M"),
      person("István Nagy", born="1976-04-20", nat="HUN", sex="M"))
match("Myanmar name without a surname, words in another order on the list",
      person("Aung Kyaw Moe", born="1980-01-17", nat="MMR", sex="M"),
      person("Kyaw Moe Aung", born="1980-01-17", nat="MMR", sex="M"))

# --------------------------------------------------------------------------- typos

match("one letter changed", person("Jonathan Whitacker", born="1979-02-11", nat="USA",
                                   sex="M"),
      person("Jonathan Whittaker", born="1979-02-11", nat="USA", sex="M"))
match("two letters swapped", person("Michael Brwon", born="1990-06-30", nat="USA", sex="M"),
      person("Michael Brown", born="1990-06-30", nat="USA", sex="M"))
no_match("namesake born 1958", person("Michael Brown", born="1958-01-01", nat="USA",
                                      sex="M"),
         person("Michael Brown", born="1990-06-30", nat="USA", sex="M"))
match("k for c", person("Andrei Popesku", born="1971-09-23", nat="ROU", sex="M"),
      person("Andrei Popescu", born="1971-09-23", nat="ROU", sex="M"))
match("two letters: Hendrik Jansen and Hendrick Janssen",
      person("Hendrik Jansen", born="1966-06-16", nat="NLD", sex="M"),
      person("Hendrick Janssen", born="1966-06-16", nat="NLD", sex="M"))
no_match("Jensen from Denmark, 23 years younger",
         person("Henrik Jensen", born="1989-10-29", nat="DNK", sex="M"),
         person("Hendrick Janssen", born="1966-06-16", nat="NLD", sex="M"))
no_match("Jonathon Smith born 1995 beside Jonathan Smith born 1980",
         person("Jonathon Smith", born="1995-04-09", nat="USA", sex="M"),
         person("Jonathan Smith", born="1980-07-21", nat="USA", sex="M"))
match("a letter missing in a long given name; two possible years on the list",
      person("Oluwaseun Adeyemi", born="1992-11-05", nat="NGA", sex="M"),
      person("Oluwasen Adeyemi", born=("1991", "1992"), nat="NGA", sex="M"))
match("one letter doubled, surname and given name swapped",
      person("Kowalczyk Pawel", born="1978-12-30", nat="POL", sex="M"),
      person("Paweł Kowalczykk", born="1978-12-30", nat="POL"))
match("typo in a Latin alias, Cyrillic primary",
      person("Vladimir Grigoriev", born="1964-09-01", nat="RUS", sex="M"),
      person("Владимир Григорьев", "Vladimir Grigorjev", born="1964-09-01", nat="RUS"))
no_match("Grigoriev and Georgiev: other surnames, other country, other date",
         person("Vladimir Georgiev", born="1960-02-02", nat="BGR", sex="M"),
         person("Владимир Григорьев", "Vladimir Grigorjev", born="1964-09-01", nat="RUS"))
no_match("Marina is not Maria, dates apart",
         person("Marina Ivanova", born="1993-05-05", nat="RUS", sex="F"),
         person("Мария Иванова", born="1985-10-10", nat="RUS", sex="F"))

# -------------------------------------------------------------------- middle names

match("middle name dropped", person("John Smith", born="1981-04-22", nat="GBR", sex="M"),
      person("John Edward Smith", born="1981-04-22", nat="GBR", sex="M"))
no_match("namesake, 31 years older",
         person("John Smith", born="1950-03-03", nat="GBR", sex="M"),
         person("John Edward Smith", born="1981-04-22", nat="GBR", sex="M"))
match("the passport has a middle name the list lacks",
      person("Carlos Alberto Mendes", born="1977-05-09", nat="BRA", sex="M"),
      person("Carlos Mendes", born="1977-05-09", nat="BRA", sex="M"))
match("patronymic with bin dropped on the passport",
      person("Ahmad Fauzi", born="1984-08-08", nat="MYS", sex="M"),
      person("Ahmad Fauzi bin Abdullah", born="1984-08-08", nat="MYS", sex="M"))
no_match("Fauzan is another name, another year",
         person("Ahmad Fauzan", born="1991-01-20", nat="MYS", sex="M"),
         person("Ahmad Fauzi bin Abdullah", born="1984-08-08", nat="MYS", sex="M"))

# ---------------------------------------------------------------- joined and split names

match("Abdulrahman joined, al-Sayed",
      person("Abdulrahman Al-Sayed", born="1980-02-15", nat="EGY", sex="M"),
      person("Abdul Rahman Al Sayed", born="1980-02-15", nat="EGY", sex="M"))
dubois = person("Jean Pierre Dubois", born="1969-10-31", nat="FRA", sex="M")
match("hyphenated given name", person("Jean-Pierre Dubois", born="1969-10-31", nat="FRA",
                                      sex="M"), dubois)
match("given names run together", person("Jeanpierre Dubois", born="1969-10-31", nat="FRA",
                                          sex="M"), dubois)
no_match("Durand is another surname, and another date",
         person("Jean-Pierre Durand", born="1972-04-04", nat="FRA", sex="M"), dubois)
match("Marie-Anne with and without the hyphen",
      person("Marie Anne Leclerc", born="1985-03-18", nat="FRA", sex="F"),
      person("Marie-Anne Leclerc", born="1985-03-18", nat="FRA", sex="F"))
match("Okonkwo-Briggs hyphenated, rare name, no date on the list",
      person("Thaddeus Okonkwo-Briggs", born="1976-07-07", nat="NGA", sex="M"),
      person("Thaddeus Okonkwo Briggs", nat="NGA"))
match("Indian mononym on the passport, split on the list",
      person("Senthilkumar", born="1983-02-05", nat="IND", sex="M"),
      person("Senthil Kumar", born="1983-02-05", nat="IND", sex="M"))

# ---------------------------------------------------------------------------- particles

match("bin on the passport, not on the list",
      person("Ahmad Zulkifli bin Hassan", born="1979-09-09", nat="MYS", sex="M"),
      person("Ahmad Zulkifli Hassan", born="1979-09-09", nat="MYS", sex="M"))
match("binti on the passport, not on the list",
      person("Siti Aminah binti Yusof", born="1991-05-25", nat="MYS", sex="F"),
      person("Siti Aminah Yusof", born="1991-05-25", nat="MYS", sex="F"))
match("abbreviated bt. on the list",
      person("Siti Aminah Yusof", born="1991-05-25", nat="MYS", sex="F"),
      person("Siti Aminah bt. Yusof", born="1991-05-25", nat="MYS", sex="F"))
no_match("sharing the first name Siti only",
         person("Siti Rahmawati", born="1991-05-25", nat="MYS", sex="F"),
         person("Siti Aminah Yusof", born="1991-05-25", nat="MYS", sex="F"))
match("el and al", person("Hamad El Mansouri", born="1982-11-11", nat="MAR", sex="M"),
      person("Hamad Al-Mansouri", born="1982-11-11", sex="M"))
match("van den joined into the surname",
      person("Pieter Vandenberg", born="1962-02-02", nat="NLD", sex="M"),
      person("Pieter van den Berg", born="1962-02-02", nat="NLD", sex="M"))
match("van den dropped", person("Pieter Berg", born="1962-02-02", nat="NLD", sex="M"),
      person("Pieter van den Berg", born="1962-02-02", nat="NLD", sex="M"))
no_match("namesake born 1995", person("Pieter van den Berg", born="1995-06-06", nat="NLD",
                                      sex="M"),
         person("Pieter van den Berg", born="1962-02-02", nat="NLD", sex="M"))
match("da dropped", person("Ana Paula Silva", born="1985-05-05", nat="BRA", sex="F"),
      person("Ana Paula da Silva", born="1985-05-05", nat="BRA", sex="F"))
match("von dropped", person("Wolfgang Stein", born="1958-12-12", nat="DEU", sex="M"),
      person("Wolfgang von Stein", born="1958-12-12", nat="DEU", sex="M"))
match("de la Cruz written Dela Cruz",
      person("Juan Dela Cruz", born="1990-06-12", nat="PHL", sex="M"),
      person("Juan de la Cruz", born="1990-06-12", nat="PHL", sex="M"))
match("de Souza joined", person("Marcos Desouza", born="1973-08-31", nat="BRA", sex="M"),
      person("Marcos de Souza", born="1973-08-31", nat="BRA"))

# -------------------------------------------------------------------------- honorifics

match("Dr. and ü on the list", person("Hans Mueller", born="1960-08-08", nat="DEU", sex="M"),
      person("Dr. Hans Müller", born="1960-08-08", nat="DEU", sex="M"))
match("Sheikh on the list", person("Abdullah Al-Harbi", born="1966-03-12", nat="SAU",
                                   sex="M"),
      person("Sheikh Abdullah Al Harbi", born="1966", nat="SAU", sex="M"))
match("Haji and Mohd on the passport, Mohammad on the list",
      person("Haji Mohd Rizal bin Osman", born="1975-04-01", nat="MYS", sex="M"),
      person("Mohammad Rizal Osman", born="1975-04-01", nat="MYS", sex="M"))
match("Chief on the list", person("Peter Okafor", born="1969-03-15", nat="NGA", sex="M"),
      person("Chief Peter Okafor", born="1969-03-15", nat="NGA", sex="M"))
match("Hajj on the list", person("Ali Reza Tehrani", born="1958-09-30", nat="IRN", sex="M"),
      person("Hajj Ali Reza Tehrani", born="1958-09-30", nat="IRN"))
match("Mr and Mrs are not names",
      person("Grace Adjei", born="1989-12-19", nat="GHA", sex="F"),
      person("Mrs Grace Adjei", born="1989-12-19", nat="GHA", sex="F"))

# ---------------------------------------------------------------------- birth dates

lindqvist = person("Viktor Lindqvist", born="1983", nat="SWE", sex="M")
match("year only on the list", person("Viktor Lindqvist", born="1983-06-17", nat="SWE",
                                      sex="M"), lindqvist)
match("year and month on the list",
      person("Viktor Lindqvist", born="1983-06-17", nat="SWE", sex="M"),
      person("Viktor Lindqvist", born="1983-06", nat="SWE", sex="M"))
no_match("year and month on the list, eight years apart",
         person("Viktor Lindqvist", born="1991-09-02", nat="SWE", sex="M"),
         person("Viktor Lindqvist", born="1983-06", nat="SWE", sex="M"))
no_match("year only on the list, eight years apart",
         person("Viktor Lindqvist", born="1975-06-17", nat="SWE", sex="M"), lindqvist)
match("one of several possible dates on the list",
      person("Oluwaseun Adeyemi", born="1992-11-05", nat="NGA", sex="M"),
      person("Oluwaseun Adeyemi", born=("1990-01-01", "1992-11-05"), nat="NGA", sex="M"))
match("day and month swapped",
      person("Rahul Venkataraman", born="1985-03-07", nat="IND", sex="M"),
      person("Rahul Venkataraman", born="1985-07-03", nat="IND", sex="M"))
match("day and month swapped",
      person("Emeka Obi", born="1979-11-02", nat="NGA", sex="M"),
      person("Emeka Obi", born="1979-02-11", nat="NGA", sex="M"))
no_match("same year, another day and month: a common name",
         person("Emeka Obi", born="1979-11-23", nat="NGA", sex="M"),
         person("Emeka Obi", born="1979-02-11", nat="NGA", sex="M"))
match("one digit off in the day",
      person("Francesca Bianchi", born="1990-04-17", nat="ITA", sex="F"),
      person("Francesca Bianchi", born="1990-04-11", nat="ITA", sex="F"))
diallo = person("Ibrahim Diallo", age=(45, "2024-06-01"), nat="GIN", sex="M")
match("born the year the age gives", person("Ibrahim Diallo", born="1979-05-05", nat="GIN",
                                            sex="M"), diallo)
match("age is approximate: a year off",
      person("Ibrahim Diallo", born="1980-02-01", nat="GIN", sex="M"), diallo)
no_match("the age says 1979, the passport 1998",
         person("Ibrahim Diallo", born="1998-05-05", nat="GIN", sex="M"), diallo)
match("a distinctive name with no date on the list",
      person("Bartholomew Featherstonehaugh", born="1955-10-14", nat="GBR", sex="M"),
      person("Bartholomew Featherstonehaugh", nat="GBR"))
match("no date and no nationality on the list, rare full name",
      person("Evangelos Tsakalotopoulos", born="1967-01-01", nat="GRC", sex="M"),
      person("Evangelos Tsakalotopoulos"))
no_match("namesake 40 years apart",
         person("David Cohen", born="1988-08-18", nat="ISR", sex="M"),
         person("David Cohen", born="1948-02-20", nat="ISR", sex="M"))
no_match("namesake born 1955",
         person("Maria Garcia", born="1990-01-15", nat="ESP", sex="F"),
         person("Maria Garcia", born="1955-07-30", nat="ESP", sex="F"))

# ------------------------------------------------------------ homonyms, other nationality

no_match("common name, Mexican passport, Spanish entry without a date",
         person("Maria Garcia", born="1990-04-04", nat="MEX", sex="F"),
         person("María García", nat="ESP", sex="F"))
no_match("common name, Australian, the list's one is British",
         person("John Williams", born="1980-10-10", nat="AUS", sex="M"),
         person("John Williams", born="1980", nat="GBR", sex="M"))
no_match("common name, Brazilian, the list's one is Portuguese",
         person("Jose Santos", born="1975-03-03", nat="BRA", sex="M"),
         person("José Santos", born="1975", nat="PRT", sex="M"))
no_match("common name, Sudanese, the list's one is Egyptian",
         person("Mohamed Ahmed", born="1988-01-01", nat="SDN", sex="M"),
         person("محمد أحمد", born="1988", nat="EGY", sex="M"))
no_match("common name, Somali, the list's one is Iraqi",
         person("Ali Hassan", born="1983-07-14", nat="SOM", sex="M"),
         person("Ali Hassan", born="1983", nat="IRQ", sex="M"))
no_match("common name, Indian, the list's one is Pakistani",
         person("Imran Khan", born="1992-09-09", nat="IND", sex="M"),
         person("Imran Khan", born="1992", nat="PAK", sex="M"))

# ----------------------------------------------------------------- other sex

no_match("Andrea is a man in Italy; this Andrea is a woman",
         person("Andrea Rossi", born="1985-04-04", nat="ITA", sex="F"),
         person("Andrea Rossi", born="1985", nat="ITA", sex="M"))
no_match("Jean: a British woman, the list's a French man",
         person("Jean Martin", born="1970-09-12", nat="GBR", sex="F"),
         person("Jean Martin", born="1970", nat="FRA", sex="M"))
no_match("Alex: another sex, no date on the list",
         person("Alex Novak", born="1992-02-02", nat="CZE", sex="F"),
         person("Alex Novak", nat="CZE", sex="M"))
no_match("Kim: a woman, the list's is a man, years apart",
         person("Kim Nielsen", born="1994-08-08", nat="DNK", sex="F"),
         person("Kim Nielsen", born="1971-02-12", nat="DNK", sex="M"))

# ------------------------------------------------------------------------- documents

match("same passport, Md for Mohammad",
      person("Md Jamal Uddin", born="1984-01-01", nat="BGD", sex="M", docs="BO0123456"),
      person("Mohammad Jamal Uddin", born="1984-01-01", nat="BGD", docs="BO0123456"))
match("passport number with letter O for zero, middle name dropped",
      person("Kofi Boateng", born="1982-10-22", nat="GHA", sex="M", docs="GO123418"),
      person("Kofi Mensah Boateng", born="1982-10-22", nat="GHA", docs="G0123418"))
match("passport number with I for 1",
      person("Rustam Nazarov", born="1986-12-01", nat="TJK", sex="M", docs="4I0765432"),
      person("Рустам Назаров", born="1986-12-01", nat="TJK", docs="410765432"))
match("same passport number, no date on the list",
      person("Rustam Nazarov", born="1986-12-01", nat="TJK", sex="M", docs="400765432"),
      person("Рустам Назаров", nat="TJK", docs="400765432"))
match("passport number written with spaces and a dash",
      person("Lukas Horvath", born="1990-03-03", nat="AUT", sex="M", docs="P 1234 567"),
      person("Lukas Horvath", born="1990-03-03", nat="AUT", docs="P-1234567"))
match("same passport and date, surname changed by marriage",
      person("Anna Nowak", born="1988-06-21", nat="POL", sex="F", docs="EA1234567"),
      person("Anna Kowalska", born="1988-06-21", nat="POL", sex="F", docs="EA1234567"))
match("the listed person's passport used under another name: stolen or altered",
      person("Marek Zielinski", born="1983-03-03", nat="POL", sex="M", docs="EB7654321"),
      person("Tomasz Wisniewski", born="1975-05-05", nat="POL", sex="M",
             docs="EB7654321"))
no_match("the same number from two countries' series: nothing else agrees",
         person("Kwame Asante", born="1991-07-07", nat="GHA", sex="M", docs="40123456"),
         person("Marek Dvořák", born="1966-02-02", nat="CZE", sex="M", docs="40123456"))
no_match("common name, same year, another full date and another passport",
         person("Ahmed Ali", born="1985-05-05", nat="PAK", sex="M", docs="AB1234567"),
         person("Ahmed Ali", born="1985-11-30", nat="PAK", sex="M", docs="XY7654321"))
match("different passport number but name and full date agree: a new passport",
      person("Tobias Kranzler", born="1981-01-29", nat="DEU", sex="M", docs="C4J7K2L9M"),
      person("Tobias Kranzler", born="1981-01-29", nat="DEU", docs="C01X3RT7Z"))

# ------------------------------------------------------------------- common names

match("list knows only Muhammad Ali; full date and nationality agree",
      person("Muhammad Ali Hassan", born="1985-06-01", nat="PAK", sex="M"),
      person("Muhammad Ali", born="1985-06-01", nat="PAK", sex="M"))
no_match("Muhammad Ali Hassan born 1962 beside Muhammad Ali born 1985",
         person("Muhammad Ali Hassan", born="1962-02-01", nat="PAK", sex="M"),
         person("Muhammad Ali", born="1985", nat="PAK", sex="M"))
no_match("list knows only the name Muhammad Ali: too common to single anyone out",
         person("Muhammad Ali Khan", born="1990-07-07", nat="PAK", sex="M"),
         person("Muhammad Ali", nat="PAK", sex="M"))
no_match("namesake born 1999", person("Muhammad Ali", born="1999-08-14", nat="PAK", sex="M"),
         person("Muhammad Ali", born="1972-03-23", nat="PAK", sex="M"))
match("Mohammed/Muhammad, full date agrees",
      person("Mohammed Ali Hassan", born="1970-12-20", nat="EGY", sex="M"),
      person("Muhammad Ali Hassan", born="1970-12-20", nat="EGY", sex="M"))
no_match("Mohammed and Mahmoud are different names; dates apart",
         person("Mohammed Hassan", born="1982-09-19", nat="SDN", sex="M"),
         person("Mahmoud Hassan", born="1982-04-04", nat="SDN", sex="M"))
match("Mohammad and Mohd, same surname and full date",
      person("Mohd Faizal Ismail", born="1987-02-14", nat="MYS", sex="M"),
      person("Mohammad Faizal Ismail", born="1987-02-14", nat="MYS", sex="M"))

# ----------------------------------------------------------- unrelated, plainly different

no_match("plainly different persons",
         person("Hiroshi Yamamoto", born="1970-01-01", nat="JPN", sex="M"),
         person("Carlos Mendes", born="1977-05-09", nat="BRA", sex="M"))
no_match("plainly different persons, same date",
         person("Ingrid Svensson", born="1983-06-17", nat="SWE", sex="F"), lindqvist)
no_match("same surname, other given name, other date",
         person("Kateryna Kovalenko", born="1969-03-11", nat="UKR", sex="F"), kovalenko)
no_match("same given name, other surname",
         person("Dmitriy Solovyov", born="1985-01-20", nat="RUS", sex="M"),
         person("Дмитрий Соколов", "Dmitry Sokolov", born="1985-01-20", nat="RUS", sex="M"))
no_match("shares one syllable of the given name only",
         person("Wang Xiaolong", born="1971-09-09", nat="CHN", sex="M"), wang)
no_match("Park Ji-hoon beside Park Ji-hye, a woman, another date",
         person("Park Ji-hye", born="1993-02-20", nat="KOR", sex="F"),
         person("박지훈", born="1991-07-15", nat="KOR", sex="M"))
no_match("Haddad shared, given and father's name differ",
         person("Rami Khalil Haddad", born="1979-02-02", nat="LBN", sex="M"), haddad)

# --------------------------- namesakes: the usual outcome of screening a common name

no_match("namesake born 1965", person("Dmitry Sokolov", born="1965-05-05", nat="RUS", sex="M"),
         person("Дмитрий Соколов", "Dmitry Sokolov", born="1985-01-20", nat="RUS", sex="M"))
no_match("namesake born 1951", person("Igor Lebedev", born="1951-04-30", nat="RUS", sex="M"),
         person("Igor Lebedev", born="1977-10-05", nat="RUS", sex="M"))
no_match("namesake born 2002",
         person("Abdulaziz Karimov", born="2002-08-08", nat="UZB", sex="M"),
         person("Абдулазиз Каримов", "Abdul Aziz Karimov", born="1990-01-31", nat="UZB"))
no_match("namesake born 1960", person("Nurlan Abenov", born="1960-03-03", nat="KAZ", sex="M"),
         person("Нурлан Абенов", born="1981-06-30", sex="M"))
no_match("same year, another full date: a common name",
         person("Aleksandr Ivanov", born="1978-11-30", nat="RUS", sex="M"), ivanov)
no_match("namesake born 1955", person("Ahmad Yusuf Haddad", born="1955-10-01", nat="JOR",
                                      sex="M"), haddad)
no_match("namesake born 1966, year only on the list",
         person("Youssef Bakri", born="1966-01-09", nat="MAR", sex="M"),
         person("يوسف بكري", born="1986", nat="MAR"))
no_match("namesake born 1997",
         person("Abdulrahman Saleh", born="1997-05-05", nat="YEM", sex="M"),
         person("Abd al-Rahman Salih", born="1977-03-14", nat="YEM", sex="M"))
no_match("namesake born 1952, year only on the list",
         person("Chen Jianguo", born="1952-12-12", nat="CHN", sex="M"),
         person("陈建国", born="1966", nat="CHN", sex="M"))
no_match("namesake born 2003", person("Liu Yangfan", born="2003-02-02", nat="CHN", sex="M"),
         person("刘扬帆", "Liu Yang Fan", born="1991-11-30", nat="CHN"))
no_match("same year, another full date", person("Kim Min-jun", born="1988-07-07", nat="KOR",
                                                sex="M"), kim)
no_match("namesake born 1949", person("Choi Young-ho", born="1949-06-25", nat="KOR", sex="M"),
         person("최영호", born="1972-09-09", nat="KOR", sex="M"))
no_match("namesake born 2004", person("Lee Seo-yeon", born="2004-10-10", nat="KOR", sex="F"),
         person("이서연", born="1995-12-03", nat="KOR", sex="F"))
no_match("same year, another full date",
         person("Georgios Papadopoulos", born="1970-06-30", nat="GRC", sex="M"), papadopoulos)
no_match("namesake born 1958",
         person("Dimitrios Konstantinou", born="1958-01-21", nat="GRC", sex="M"),
         person("Δημήτριος Κωνσταντίνου", born="1983-05-17", nat="GRC", sex="M"))
no_match("same year, another full date",
         person("Somchai Jaidee", born="1976-05-05", nat="THA", sex="M"), somchai)
no_match("namesake born 1971", person("Tran Thi Thu Ha", born="1971-08-15", nat="VNM",
                                      sex="F"), ha)
no_match("namesake holding a French passport, another date",
         person("Le Thi Mai", born="1990-06-06", nat="FRA", sex="F"),
         person("Lê Thị Mai", born="1990-01-01", nat="VNM", sex="F"))
no_match("namesake born 1990", person("Tanaka Hiroshi", born="1990-12-24", nat="JPN",
                                      sex="M"),
         person("タナカ ヒロシ", born="1965-11-03", nat="JPN", sex="M"))
no_match("same year, another full date: a common name",
         person("Rajesh Kumar", born="1979-03-03", nat="IND", sex="M"),
         person("राजेश कुमार", born="1979-08-19", nat="IND", sex="M"))
no_match("namesake born 1962, year only on the list",
         person("Mehmet Yilmaz", born="1962-07-07", nat="TUR", sex="M"),
         person("Mehmet Yılmaz", born="1984", nat="TUR", sex="M"))
no_match("namesake born 1960",
         person("Maria Garcia Lopez", born="1960-02-28", nat="ESP", sex="F"),
         person("María García López", born="1987-07-19", nat="ESP", sex="F"))
no_match("namesake born 1990", person("Jean-Pierre Dubois", born="1990-05-01", nat="FRA",
                                      sex="M"), dubois)
no_match("namesake born 1999",
         person("Ana Paula da Silva", born="1999-09-09", nat="BRA", sex="F"),
         person("Ana Paula da Silva", born="1985-05-05", nat="BRA", sex="F"))
no_match("namesake born 1965", person("Juan Dela Cruz", born="1965-12-25", nat="PHL",
                                      sex="M"),
         person("Juan de la Cruz", born="1990-06-12", nat="PHL", sex="M"))
no_match("namesake born 1990", person("Peter Okafor", born="1990-04-04", nat="NGA", sex="M"),
         person("Chief Peter Okafor", born="1969-03-15", nat="NGA", sex="M"))
no_match("namesake born 1999",
         person("Mohammad Rizal Osman", born="1999-11-11", nat="MYS", sex="M"),
         person("Mohammad Rizal Osman", born="1975-04-01", nat="MYS", sex="M"))
no_match("common name, British passport, the list's one is Pakistani",
         person("Muhammad Ali", born="1985-03-03", nat="GBR", sex="M"),
         person("Muhammad Ali", born="1985", nat="PAK", sex="M"))
no_match("same common surname, Huy is not Hải, no date on the list",
         person("Le Huy", born="1972-02-25", nat="VNM", sex="M"),
         person("Lê Xuân Hải", "LE Hai", nat="VNM", sex="M"))
no_match("same common surname, another given name, no date on the list",
         person("Nguyen Giang", born="1977-09-13", nat="VNM", sex="F"),
         person("Nguyễn Kim Xuân", nat="VNM", sex="F"))
match("common name, full date agrees",
      person("Nguyen Ngoc Loan", born="1987-01-11", nat="VNM", sex="F"),
      person("Nguyễn Ngọc Loan", born="1987-01-11", nat="VNM", sex="F"))
no_match("Jang Hyeok-seok and Heo Jong-sik: other surname, other given name",
         person("Jang Hyeok-seok", born="1966-08-20", nat="KOR", sex="M"),
         person("허종식", nat="KOR", sex="M"))
no_match("Oh Ye-ju and Ju Hu-hyeok share no name",
         person("Oh Ye-ju", born="1982-12-18", nat="KOR", sex="F"),
         person("주후혁", nat="KOR"))
match("Korean name, year only on the list, passport spelling Hyeok",
      person("Jang Hyeok-seok", born="1966-08-20", nat="KOR", sex="M"),
      person("장혁석", born="1966", nat="KOR", sex="M"))
no_match("the same given name only: Galvan is not Larsen",
         person("Christopher Galvan", born="1982-06-27", nat="USA", sex="M"),
         person("Christopher Larsen", nat="USA", sex="M"))
no_match("Ashley: a man, the list's a woman",
         person("Ashley Taylor", born="1988-01-14", nat="USA", sex="M"),
         person("Ashley Taylor", born="1988", nat="USA", sex="F"))
no_match("namesake born 1949", person("Hans Mueller", born="1949-07-07", nat="DEU", sex="M"),
         person("Dr. Hans Müller", born="1960-08-08", nat="DEU", sex="M"))


@dataclass(frozen=True)
class Quality:
    """Precision and recall of a scorer on :data:`PAIRS` at one threshold."""

    threshold: int
    true_positives: int
    false_positives: list[tuple[Pair, int]]  # (pair, score): flagged, should not be
    false_negatives: list[tuple[Pair, int]]  # (pair, score): missed, should be flagged

    @property
    def precision(self) -> float:
        flagged = self.true_positives + len(self.false_positives)
        return self.true_positives / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + len(self.false_negatives)
        return self.true_positives / wanted if wanted else 0.0

    def misclassified(self) -> list[str]:
        lines = []
        for title, rows in (("missed", self.false_negatives),
                            ("flagged wrongly", self.false_positives)):
            for pair, score in rows:
                lines.append(f"{title} ({score}): {' / '.join(pair.query.names)} "
                             f"{_facts(pair.query)} ~ {' / '.join(pair.entry.names)} "
                             f"{_facts(pair.entry)} — {pair.note}")
        return lines


def _facts(record: Record) -> str:
    parts = [str(d) for d in record.birth_dates] + list(record.nationalities)
    parts += [record.sex] if record.sex else []
    parts += list(record.documents)
    return f"[{', '.join(parts)}]"


def evaluate(threshold: int, pairs: list[Pair] | None = None) -> Quality:
    """Score every pair with :func:`pora.screening.engine.score.compare`."""
    from pora.screening.engine.score import compare

    true_positives, false_positives, false_negatives = 0, [], []
    for pair in PAIRS if pairs is None else pairs:
        score = compare(pair.query, pair.entry).score
        flagged = score >= threshold
        if flagged and pair.match:
            true_positives += 1
        elif flagged:
            false_positives.append((pair, score))
        elif pair.match:
            false_negatives.append((pair, score))
    return Quality(threshold, true_positives, false_positives, false_negatives)
