"""Russian and Ukrainian names: Cyrillic, written in Latin letters by seven schemes.

Passports: Russian ones issued since 2013 follow ICAO Doc 9303 (Part 3, the Cyrillic
table: Ю IU, Я IA, Й I, Ц TS, Ъ IE); those of 2010-2013 the Interior Ministry's order 995
(Ц TC, Ю IU, Я IA); older ones the 1997 rules (Й Y, Ю YU, Я YA). Ukrainian passports
follow the Cabinet of Ministers' resolution 55 of 2010 (Г H, И Y, І I, Ї YI/I, Є YE/IE).
Lists use BGN/PCGN (Yevgeniy, Natal'ya without the apostrophe), the English newspaper
habit (Alexander, Sergei, Dmitry), German (Duden: Sergej, Jewgeni, Iwanow, Schukow) or
French (Sergueï, Mikhaïl, Poutine). The rules below are written from those published
tables; they are not the engine's.

Frequencies: surnames after A. F. Zhuravlev's frequency list of Russian surnames (2005;
Smirnov, Ivanov, Kuznetsov … at the top) and the Ukrainian surname counts of the 2000s
(Melnyk, Shevchenko, Boiko, Kovalenko, Bondarenko …); given names after the
registry-office lists of the commonest names by birth decade (Aleksandr, Sergei,
Dmitri; Yelena, Olga, Tatyana). Weights are rounded estimates.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from functools import lru_cache

from pora.screening.eval.common import Person, Table, Word, pick
from pora.screening.eval.culture import Culture

_VOWELS = set("аеёиоуыэюяіїє")


def _rule_table(base: dict[str, str], **changes: str) -> dict[str, str]:
    table = dict(base)
    table.update(changes)
    return table


_ICAO = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "і": "i", "ї": "i", "є": "ie", "ґ": "g",
}
_TABLES = {
    "icao": _ICAO,
    "mvd2010": _rule_table(_ICAO, ц="tc", ъ=""),
    "mvd1997": _rule_table(_ICAO, й="y", ю="yu", я="ya", ъ=""),
    "bgn": _rule_table(_ICAO, й="y", ю="yu", я="ya", ъ="", ё="e"),
    "english": _rule_table(_ICAO, й="y", ю="yu", я="ya", ъ="", ё="yo"),
    "german": _rule_table(_ICAO, в="w", ж="sch", з="s", й="j", х="ch", ц="z", ч="tsch",
                          ш="sch", щ="schtsch", ъ="", ю="ju", я="ja", ё="jo", є="je",
                          ї="ji", ґ="g"),
    "french": _rule_table(_ICAO, ж="j", й="ï", у="ou", х="kh", ц="ts", ч="tch", ш="ch",
                          щ="chtch", ъ="", ю="iou", я="ia", ё="io"),
    # Ukrainian passports (2010): Г is H, И is Y.
    "kmu": _rule_table(_ICAO, г="h", и="y", й="i", є="ie", ї="i", ю="iu", я="ia", ъ=""),
    # BGN/PCGN for Ukrainian, as English-language lists write Ukrainians.
    "bgn_ua": _rule_table(_ICAO, г="h", и="y", й="y", є="ye", ї="yi", ю="yu", я="ya", ъ=""),
    "german_ua": _rule_table(_ICAO, в="w", г="h", и="y", ж="sch", з="s", й="j", х="ch",
                             ц="z", ч="tsch", ш="sch", щ="schtsch", ъ="", ю="ju",
                             я="ja", є="je", ї="ji", ґ="g"),
}


def _initial_y(scheme: str, ch: str) -> str | None:
    """Letters written with a leading y (or j) at the start of a word or after a vowel
    or a sign, by scheme."""
    if scheme == "kmu":
        return {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}.get(ch)
    if scheme in {"bgn", "english"}:
        return {"е": "ye", "ё": "yo"}.get(ch) if scheme == "bgn" else {"ё": "yo"}.get(ch)
    if scheme in {"german", "german_ua"}:
        return {"е": "je", "ё": "jo"}.get(ch)
    return None


@lru_cache(maxsize=8192)
def transliterate(text: str, scheme: str) -> str:
    """``text`` (Cyrillic, one or more words) in Latin letters by ``scheme``."""
    table = _TABLES[scheme]
    out: list[str] = []
    lower = text.lower()
    for i, ch in enumerate(lower):
        if ch not in table:
            out.append(ch)
            continue
        prev = lower[i - 1] if i > 0 else " "
        nxt = lower[i + 1] if i + 1 < len(lower) else " "
        # KMU writes Ye, Yi, Y, Yu, Ya only at the start of a word; the others also
        # after a vowel or a sign.
        start = not prev.isalpha() or (scheme != "kmu" and (prev in _VOWELS or prev in "ьъ"))
        latin = table[ch]
        special = _initial_y(scheme, ch) if start else None
        if special is not None:
            latin = special
        elif scheme in {"english", "bgn"} and ch == "е" and prev in "ьъ":
            latin = "ye"
        # -ий, -ый at the end of a word: Dmitriy (BGN), Dmitry (English), Dmitri
        # (German, French), Dmitrii (ICAO).
        if ch == "й" and not nxt.isalpha() and prev in "иы":
            latin = {"bgn": "y", "mvd1997": "y", "english": "", "german": "",
                     "french": "", "bgn_ua": "y", "german_ua": "j", "kmu": "i"}.get(
                         scheme, latin)
            if scheme == "english" and prev == "и":
                out[-1] = "y"
        elif ch == "й" and scheme in {"german", "french"} and prev in "аоу":
            latin = "i"
        if scheme in {"english", "german", "french"} and ch == "ё" and prev in "жчшщ":
            latin = "e" if scheme == "english" else "o"
        elif scheme == "english" and ch == "ё" and nxt == "в" and i + 2 == len(lower):
            latin = "e"
        if scheme in {"german", "french", "german_ua"} and ch == "с" and prev in _VOWELS \
                and nxt in _VOWELS:
            latin = "ss"
        if scheme == "english" and ch == "к" and nxt == "с" and prev.isalpha():
            latin = "x"
        if scheme == "english" and ch == "с" and prev == "к" and i > 1:
            latin = ""
        if scheme == "french" and ch == "г" and nxt in "еи":
            latin = "gu"
        if scheme in {"german", "german_ua"} and ch == "ь" and nxt in "еёюяи":
            latin = "j" if nxt == "и" else ""
        if scheme == "english" and ch == "ь" and nxt == "я":
            latin = "i"
            out.append(latin)
            continue
        if scheme == "english" and ch == "я" and prev == "ь":
            latin = "a"
        if scheme == "french" and ch == "е" and prev in "ьъ":
            latin = "ie"
        out.append(latin)
    text = "".join(out)
    if scheme == "english" and text.endswith("andr"):
        text = text[:-1] + "er"  # Alexander, as English has it
    return text


def _title(text: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in text.split("-"))


def cyrillic_word(key: str, cyrillic: str, schemes: tuple[str, ...]) -> Word:
    return Word(key, cyrillic, tuple((s, _title(transliterate(cyrillic, s))) for s in schemes))


RU_SCHEMES = ("icao", "mvd2010", "mvd1997", "bgn", "english", "german", "french")
UA_SCHEMES = ("kmu", "bgn_ua", "german_ua", "icao")

# Male given names: (Cyrillic, weight, female counterpart or "").
RU_MALE = (
    ("Александр", 7, "Александра"), ("Сергей", 6, ""), ("Дмитрий", 5, ""),
    ("Андрей", 5, ""), ("Алексей", 5, ""), ("Владимир", 4, ""), ("Иван", 3, ""),
    ("Михаил", 3.5, ""), ("Николай", 3, ""), ("Евгений", 3, "Евгения"), ("Максим", 3, ""),
    ("Артём", 2, ""), ("Игорь", 2.5, ""), ("Олег", 2, ""), ("Виктор", 2.5, "Виктория"),
    ("Павел", 2, ""), ("Роман", 2, ""), ("Денис", 2, ""), ("Антон", 1.5, ""),
    ("Юрий", 2.5, ""), ("Владислав", 1, "Владислава"), ("Кирилл", 1.5, ""),
    ("Константин", 1.5, ""), ("Виталий", 1.5, ""), ("Анатолий", 1.5, ""),
    ("Василий", 1.5, "Василиса"), ("Валерий", 1.5, "Валерия"), ("Геннадий", 1, ""),
    ("Борис", 1, ""), ("Леонид", 1, ""), ("Станислав", 1, "Станислава"),
    ("Руслан", 1, ""), ("Егор", 1, ""), ("Илья", 1.5, ""), ("Никита", 1, ""),
    ("Тимур", 0.7, ""), ("Вячеслав", 1, ""), ("Валентин", 0.5, "Валентина"),
    ("Ярослав", 0.5, "Ярослава"), ("Григорий", 0.7, ""), ("Пётр", 0.7, ""),
    ("Фёдор", 0.5, ""), ("Семён", 0.4, ""),
)
RU_FEMALE = (
    ("Елена", 6), ("Ольга", 5), ("Татьяна", 5), ("Наталья", 5), ("Ирина", 5),
    ("Светлана", 4), ("Анна", 4), ("Марина", 3), ("Юлия", 3), ("Екатерина", 3.5),
    ("Людмила", 3), ("Галина", 2.5), ("Анастасия", 3), ("Мария", 3), ("Оксана", 1.5),
    ("Валентина", 2), ("Надежда", 2), ("Лариса", 1.5), ("Любовь", 1.5), ("Виктория", 2),
    ("Дарья", 2), ("Александра", 1.5), ("Евгения", 1.5), ("Кристина", 1.5),
    ("Алина", 1.5), ("Полина", 1), ("Ксения", 1.5), ("Вера", 1), ("Нина", 1),
    ("Валерия", 1), ("Софья", 1), ("Яна", 1), ("Станислава", 0.2), ("Владислава", 0.3),
    ("Ярослава", 0.3), ("Василиса", 0.2),
)
# Zhuravlev's ranks; weight falls with rank as surname frequencies do.
RU_SURNAMES = (
    "Смирнов", "Иванов", "Кузнецов", "Соколов", "Попов", "Лебедев", "Козлов", "Новиков",
    "Морозов", "Петров", "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов", "Семёнов",
    "Голубев", "Виноградов", "Богданов", "Воробьёв", "Фёдоров", "Михайлов", "Беляев",
    "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв", "Макаров", "Андреев", "Ковалёв",
    "Ильин", "Гусев", "Титов", "Кузьмин", "Кудрявцев", "Баранов", "Куликов", "Алексеев",
    "Степанов", "Яковлев", "Сорокин", "Сергеев", "Романов", "Захаров", "Борисов",
    "Королёв", "Герасимов", "Пономарёв", "Григорьев", "Жуков", "Щербаков", "Хрущёв",
    "Покровский", "Вишневский", "Толстой", "Никитин", "Чернов", "Цветков", "Юдин",
)
# A surname and a longer one beginning with it, both real (Sokolov, Sokolovsky).
RU_LONGER = {
    "Соколов": "Соколовский", "Петров": "Петровский", "Орлов": "Орловский",
    "Ковалёв": "Ковалевский", "Жуков": "Жуковский", "Павлов": "Павловский",
    "Иванов": "Ивановский", "Попов": "Поповский", "Козлов": "Козловский",
}
RU_NICKNAMES = {
    "Михаил": ("Миша",), "Николай": ("Коля",), "Александр": ("Саша", "Шура"),
    "Александра": ("Саша",), "Дмитрий": ("Дима",), "Сергей": ("Серёжа",),
    "Владимир": ("Володя", "Вова"), "Алексей": ("Лёша", "Алёша"), "Евгений": ("Женя",),
    "Евгения": ("Женя",), "Константин": ("Костя",), "Павел": ("Паша",), "Иван": ("Ваня",),
    "Анатолий": ("Толя",), "Юрий": ("Юра",), "Вячеслав": ("Слава",),
    "Станислав": ("Стас",), "Виктор": ("Витя",), "Наталья": ("Наташа",),
    "Татьяна": ("Таня",), "Елена": ("Лена",), "Ольга": ("Оля",), "Екатерина": ("Катя",),
    "Мария": ("Маша",), "Анастасия": ("Настя",), "Светлана": ("Света",),
    "Ирина": ("Ира",), "Галина": ("Галя",), "Людмила": ("Люда",), "Юлия": ("Юля",),
    "Дарья": ("Даша",), "Ксения": ("Ксюша",), "Надежда": ("Надя",), "Любовь": ("Люба",),
    "Пётр": ("Петя",), "Григорий": ("Гриша",), "Борис": ("Боря",), "Валерий": ("Валера",),
}

UA_MALE = (
    ("Олександр", 7), ("Сергій", 5), ("Дмитро", 4), ("Андрій", 5), ("Олексій", 3),
    ("Володимир", 4), ("Іван", 3), ("Михайло", 3), ("Микола", 3), ("Євген", 2),
    ("Юрій", 3), ("Василь", 2.5), ("Віктор", 2.5), ("Олег", 2), ("Ігор", 2.5),
    ("Богдан", 1.5), ("Тарас", 1), ("Петро", 1.5), ("Роман", 2), ("Максим", 2),
)
UA_FEMALE = (
    ("Олена", 6), ("Ольга", 5), ("Тетяна", 5), ("Наталія", 5), ("Ірина", 4),
    ("Світлана", 4), ("Юлія", 3), ("Катерина", 3), ("Людмила", 3), ("Галина", 3),
    ("Оксана", 3), ("Анна", 3), ("Марія", 3), ("Вікторія", 2), ("Надія", 2),
    ("Валентина", 2),
)
UA_SURNAMES = (
    ("Мельник", 10), ("Шевченко", 9.5), ("Бойко", 8.5), ("Коваленко", 8), ("Бондаренко", 8),
    ("Ткаченко", 7), ("Ковальчук", 6.5), ("Кравченко", 6.5), ("Олійник", 6),
    ("Шевчук", 6), ("Коваль", 6), ("Поліщук", 5.5), ("Бондар", 5.5), ("Ткачук", 5),
    ("Мороз", 5), ("Марченко", 5), ("Лисенко", 5), ("Руденко", 5), ("Савченко", 5),
    ("Петренко", 5), ("Ткач", 3), ("Клименко", 4), ("Павленко", 4), ("Кравчук", 4),
    ("Іваненко", 3), ("Гончаренко", 3), ("Левченко", 3), ("Харченко", 3),
)
UA_LONGER = {"Коваль": "Коваленко", "Бондар": "Бондаренко", "Ткач": "Ткаченко",
             "Мороз": "Морозенко"}


def russian_female_surname(male: str) -> str:
    """Иванов → Иванова, Покровский → Покровская, Толстой → Толстая; -енко and -ук
    stay as they are."""
    if male.endswith(("ский", "цкий")):
        return male[:-2] + "ая"
    if male.endswith(("ський", "цький")):
        return male[:-2] + "а"
    if male.endswith("ой"):
        return male[:-2] + "ая"
    if male.endswith(("ов", "ев", "ёв", "ин", "ын", "ін")):
        return male + "а"
    return male


def russian_patronymic(father: str, sex: str) -> str:
    """Сергей → Сергеевич / Сергеевна, Юрий → Юрьевич, Илья → Ильич, Пётр → Петрович."""
    special = {"Илья": ("Ильич", "Ильинична"), "Никита": ("Никитич", "Никитична"),
               "Михаил": ("Михайлович", "Михайловна"),
               "Пётр": ("Петрович", "Петровна"), "Павел": ("Павлович", "Павловна"),
               "Дмитрий": ("Дмитриевич", "Дмитриевна"), "Лев": ("Львович", "Львовна")}
    if father in special:
        return special[father][sex == "F"]
    if father.endswith("ий"):
        stem = father[:-2] + "ь"
        return stem + ("евич" if sex == "M" else "евна")
    if father.endswith(("ей", "ай")):
        stem = father[:-1]
        return stem + ("евич" if sex == "M" else "евна")
    if father.endswith("ь"):
        return father[:-1] + ("евич" if sex == "M" else "евна")
    return father.replace("ё", "е") + ("ович" if sex == "M" else "овна")


def ukrainian_patronymic(father: str, sex: str) -> str:
    """Олександр → Олександрович / Олександрівна, Сергій → Сергійович / Сергіївна,
    Микола → Миколайович, Петро → Петрович, Василь → Васильович."""
    if father.endswith("ій"):
        return father + "ович" if sex == "M" else father[:-1] + "ївна"
    if father.endswith("о"):
        return father[:-1] + ("ович" if sex == "M" else "івна")
    if father.endswith("а"):
        return father[:-1] + ("айович" if sex == "M" else "аївна")
    if father.endswith("ь"):
        return father + "ович" if sex == "M" else father[:-1] + "івна"
    return father + ("ович" if sex == "M" else "івна")


class Cyrillic(Culture):
    key = "russian"
    label = "Russian/Ukrainian"
    share = 0.10
    script = True
    given_first = 0.4
    # Russia 146M, Ukraine 38M (before 2022), Kazakhstan's and Belarus's Russian-named
    # citizens: the shares of each passport among the Russian-named.
    regions = Table([(("ru", "RUS"), 70), (("ua", "UKR"), 20), (("ru", "KAZ"), 5),
                     (("ru", "BLR"), 5)])

    def __init__(self) -> None:
        self.ru_male = Table((row, row[1]) for row in RU_MALE)
        self.ru_female = Table(((name, ""), w) for name, w in RU_FEMALE)
        self.ru_surnames = Table((s, 1 / (rank + 8)) for rank, s in enumerate(RU_SURNAMES))
        self.ua_male = Table(((name, ""), w) for name, w in UA_MALE)
        self.ua_female = Table(((name, ""), w) for name, w in UA_FEMALE)
        self.ua_surnames = Table(UA_SURNAMES)

    # ---------------------------------------------------------------- persons

    def _word(self, region: str, cyrillic: str, key: str | None = None) -> Word:
        schemes = UA_SCHEMES if region == "ua" else RU_SCHEMES
        return cyrillic_word(key or f"{region}:{cyrillic}", cyrillic, schemes)

    def _surname(self, region: str, male: str, sex: str) -> Word:
        if sex == "F":
            female = russian_female_surname(male)
            return self._word(region, female, f"{region}:{male}+f" if female != male else None)
        return self._word(region, male)

    def _given_table(self, region: str, sex: str) -> Table:
        if region == "ua":
            return self.ua_male if sex == "M" else self.ua_female
        return self.ru_male if sex == "M" else self.ru_female

    def _patronymic(self, region: str, sex: str, rng: random.Random) -> Word:
        father = self._given_table(region, "M").pick(rng)[0]
        text = (ukrainian_patronymic if region == "ua" else russian_patronymic)(father, sex)
        return self._word(region, text)

    def draw(self, rng: random.Random, *, sex: str, born: dt.date,
             region: str | None = None, surname: str | None = None) -> Person:
        if region is None:
            region, nationality = self.region(rng)
        else:
            nationality = "UKR" if region == "ua" else "RUS"
        if surname is None:
            surname = (self.ua_surnames if region == "ua" else self.ru_surnames).pick(rng)
        given = self._given_table(region, sex).pick(rng)[0]
        if region == "ua":
            passport = "kmu"
        else:
            passport = pick(rng, (("icao", 70), ("mvd2010", 10), ("mvd1997", 20)))
        return Person(
            culture=self.key, region=region, sex=sex, born=born, nationality=nationality,
            surname=(self._surname(region, surname, sex),),
            given=(self._word(region, given),),
            patronymic=self._patronymic(region, sex, rng),
            style=(("passport", passport),))

    def second_nationality(self, person: Person, rng: random.Random) -> str | None:
        return rng.choice(("RUS", "UKR", "ISR", "DEU")) if person.nationality != "RUS" \
            else rng.choice(("UKR", "ISR", "KAZ", "CYP"))

    def other_sex(self, person: Person, rng: random.Random) -> Person | None:
        """Aleksandr Ivanov → Aleksandra Ivanova; Igor Volkov → Irina Volkova."""
        sex = "F" if person.sex == "M" else "M"
        male_surname = person.surname[0].key.split(":", 1)[1].removesuffix("+f")
        given = person.given[0].native
        counterpart = ""
        if person.region != "ua":
            for name, _w, female in RU_MALE:
                if sex == "F" and name == given:
                    counterpart = female
                elif sex == "M" and female == given:
                    counterpart = name
        if not counterpart:
            counterpart = self._given_table(person.region, sex).pick(rng)[0]
        region = person.region
        patronymic = person.patronymic
        if patronymic is not None:
            text = patronymic.native
            if sex == "F":
                text = text.replace("ович", "овна" if region != "ua" else "івна") \
                    .replace("евич", "евна").replace("йович", "ївна")
            else:
                text = text.replace("овна", "ович").replace("евна", "евич") \
                    .replace("івна", "ович")
            patronymic = self._word(region, text)
        return replace(person, sex=sex, surname=(self._surname(region, male_surname, sex),),
                       given=(self._word(region, counterpart),), patronymic=patronymic)

    def longer_pair(self, rng: random.Random, *, sex: str, born: dt.date
                    ) -> tuple[Person, Person] | None:
        region, _nationality = self.region(rng)
        longer = UA_LONGER if region == "ua" else RU_LONGER
        base = rng.choice(sorted(longer))
        person = self.draw(rng, sex=sex, born=born, region=region, surname=base)
        return person, replace(person, surname=(self._surname(region, longer[base], sex),))

    def nickname(self, person: Person, rng: random.Random) -> tuple[Person, str] | None:
        if person.region == "ua":
            return None
        forms = RU_NICKNAMES.get(person.given[0].native)
        if not forms:
            return None
        short = rng.choice(forms)
        word = self._word(person.region, short, key=person.given[0].key)
        # Nobody is called by a pet name and a patronymic together.
        return replace(person, given=(word,), patronymic=None), "entry"

    # --------------------------------------------------------------- spelling

    def passport_scheme(self, person: Person) -> str:
        return person.choice("passport")

    def list_schemes(self, person: Person) -> Table[str]:
        if person.region == "ua":
            return Table([("kmu", 3), ("bgn_ua", 4), ("german_ua", 1)])
        return Table([("bgn", 4), ("english", 4), ("icao", 2), ("mvd1997", 1),
                      ("german", 1.5), ("french", 0.7)])

    def native(self, person: Person, rng: random.Random) -> list[str]:
        """Cyrillic, in the order Russian documents use (surname, given, patronymic) or
        given name first, with or without the patronymic."""
        surname, given = person.surname[0].native, person.given[0].native
        patronymic = person.patronymic.native if person.patronymic else ""
        forms = [f"{surname} {given} {patronymic}".strip(), f"{given} {surname}",
                 f"{given} {patronymic} {surname}".replace("  ", " ")]
        first = pick(rng, ((0, 4), (1, 4), (2, 2)))
        return [forms[first]] + [f for i, f in enumerate(forms) if i != first]
