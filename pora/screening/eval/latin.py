"""Names written in Latin letters: Vietnamese, Indian, Nigerian, Indonesian and Malay,
and Western (English, German, French, Dutch).

Their variants are spellings, not scripts: Vietnamese diacritics that passports drop
(Nguyễn, NGUYEN); Indian spellings of one name (Chaudhary, Choudhary, Chowdhury;
Lakshmi, Laxmi); Hausa spellings of Arabic names (Muhammad, Mohammed, Muhammadu);
Indonesian names in the spelling before 1972 (Soeharto, Djoko, Tjahjono, Joesoef) that
many born before it kept; German umlauts as the machine-readable zone writes them
(MUELLER) or dropped (Muller).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from pora.screening.eval.common import (
    GIVEN_FIRST,
    Person,
    Table,
    Word,
    capitalised,
    pick,
    strip_marks,
)
from pora.screening.eval.culture import Culture


def _mrz(text: str) -> str:
    """Umlauts as ICAO Doc 9303 lets German passports transcribe them (Ä AE, Ö OE, Ü UE,
    ß SS); other marks dropped."""
    for umlaut, pair in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"),
                         ("Ü", "Ue"), ("ß", "ss")):
        text = text.replace(umlaut, pair)
    return strip_marks(text)


def spelled_word(key: str, spellings: tuple[str, ...], rng: random.Random | None = None,
                 *, passport: str | None = None) -> Word:
    """A Latin name word with its spellings, the commonest first. The passport's is drawn
    (the commonest three times in four) unless given."""
    if passport is None:
        passport = spellings[0]
        if rng is not None and len(spellings) > 1 and rng.random() < 0.25:
            passport = rng.choice(spellings[1:])
    alt = next((s for s in spellings if s != passport), spellings[0])
    common = spellings[0]
    return Word(key, common, (
        ("passport", strip_marks(passport)), ("common", strip_marks(common)),
        ("alt", strip_marks(alt)), ("native", common), ("plain", strip_marks(common)),
        ("mrz", _mrz(common))))


def _variants(rows) -> dict[str, tuple[str, ...]]:
    return {row[0]: row for row in rows}


# ------------------------------------------------------------------------ Vietnamese

# Surnames: share of the population (Lê Trung Hoa's 2005 count, as Wikipedia's
# "Vietnamese name" cites it: Nguyễn 38.4%, Trần 12.1%, Lê 9.5%, Phạm 7% …).
VN_SURNAMES = (
    ("Nguyễn", 38.4), ("Trần", 12.1), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.0),
    ("Huỳnh", 2.1), ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đào", 0.4),
    ("Đoàn", 0.4), ("Trịnh", 0.4), ("Đinh", 0.4), ("Lâm", 0.3), ("Mai", 0.3), ("Trương", 0.5),
)
VN_MIDDLE = {"M": (("Văn", 50), ("Đức", 10), ("Minh", 10), ("Hữu", 8), ("Quang", 8),
                   ("Công", 5), ("Thanh", 5), ("Xuân", 4)),
             "F": (("Thị", 60), ("Ngọc", 10), ("Thu", 8), ("Thanh", 7), ("Minh", 5),
                   ("Kim", 5), ("Mai", 5))}
VN_GIVEN = {
    "M": ("An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Định", "Đông", "Giang",
          "Hải", "Hào", "Hiếu", "Hòa", "Hoàng", "Hùng", "Huy", "Khang", "Khánh", "Khoa",
          "Kiên", "Lâm", "Long", "Lợi", "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phong",
          "Phúc", "Quân", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thiện", "Thịnh",
          "Toàn", "Trí", "Trọng", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hoàn"),
    "F": ("An", "Anh", "Châu", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền",
          "Hoa", "Hồng", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga",
          "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thu",
          "Thủy", "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến"),
}
VN_UNISEX = ("An", "Anh", "Bình", "Giang", "Minh", "Tâm", "Xuân", "Hòa", "Khánh")
# One given name and two that glue into its letters (Tuấn / Tú An).
VN_JOINED = (("Tuấn", ("Tú", "An")), ("Hoàn", ("Hòa", "An")), ("Thuận", ("Thu", "An")))


def _vn(text: str) -> Word:
    return Word(f"vi:{text}", text, (("plain", strip_marks(text)), ("native", text)))


class Vietnamese(Culture):
    key = "vietnamese"
    label = "Vietnamese"
    share = 0.06
    given_first = 0.25
    regions = Table([(("vn", "VNM"), 1)])

    def __init__(self) -> None:
        self.surnames = Table(VN_SURNAMES)

    def draw(self, rng: random.Random, *, sex: str, born: dt.date,
             region: str | None = None, given: tuple[str, ...] | None = None,
             middle: str | None = None) -> Person:
        given = given or (rng.choice(VN_GIVEN[sex]),)
        middle = middle or pick(rng, VN_MIDDLE[sex])
        return Person(culture=self.key, region="vn", sex=sex, born=born, nationality="VNM",
                      surname=(_vn(self.surnames.pick(rng)),), middle=(_vn(middle),),
                      given=tuple(_vn(g) for g in given), style=(("passport", "plain"),))

    def render(self, person: Person, scheme: str, order: str, *, short: bool = False) -> str:
        """Surname, middle, given (Nguyễn Văn An); given first, the middle name stays
        with the given name (Van An Nguyen)."""
        words = [capitalised(w.latin(scheme)) for w in person.middle] if not short else []
        words += [capitalised(w.latin(scheme)) for w in person.given]
        surname = person.surname[0].latin(scheme)
        return " ".join([*words, surname] if order == GIVEN_FIRST else [surname, *words])

    def other_given(self, person: Person, rng: random.Random) -> Person:
        mine = tuple(w.native for w in person.given)
        choices = [g for g in VN_GIVEN[person.sex] if (g,) != mine]
        return replace(person, given=(_vn(rng.choice(choices)),))

    def other_sex(self, person: Person, rng: random.Random) -> Person | None:
        """Nguyễn Văn An / Nguyễn Thị An: the middle name says the sex."""
        middle = person.middle[0].native
        if middle not in {"Văn", "Thị"} or len(person.given) != 1 \
                or person.given[0].native not in VN_UNISEX:
            return None
        other = "Thị" if middle == "Văn" else "Văn"
        return replace(person, sex="F" if person.sex == "M" else "M", middle=(_vn(other),))

    def other_sex_pair(self, rng: random.Random, *, sex: str, born: dt.date
                       ) -> tuple[Person, Person] | None:
        person = self.draw(rng, sex=sex, born=born, given=(rng.choice(VN_UNISEX),),
                           middle="Văn" if sex == "M" else "Thị")
        return person, self.other_sex(person, rng)

    def joined_pair(self, rng: random.Random, *, sex: str, born: dt.date
                    ) -> tuple[Person, Person] | None:
        if sex != "M":
            return None
        one, two = rng.choice(VN_JOINED)
        person = self.draw(rng, sex=sex, born=born, given=(one,))
        return person, replace(person, given=tuple(_vn(g) for g in two))

    def list_schemes(self, person: Person) -> Table[str]:
        return Table([("native", 5), ("plain", 4)])


# ---------------------------------------------------------------------------- Indian

# Spellings of one name, the commonest first. Surname weights after Forebears' counts
# for India (Devi, Singh, Kumar, Das, Kaur, Yadav, Kumari … at the top), rounded.
IN_SURNAMES = {
    "north": (("Singh", 30), ("Kumar", 25), ("Sharma", 12), ("Yadav", 10), ("Verma", 5),
              ("Gupta", 5), ("Mishra", 4), ("Pandey", 4), ("Tiwari", 3), ("Jain", 2),
              (("Srivastava", "Shrivastava"), 3), (("Chaudhary", "Choudhary", "Chaudhry"), 4),
              (("Agarwal", "Agrawal", "Aggarwal"), 3), ("Chauhan", 2), ("Thakur", 2),
              ("Devi", 20), ("Kumari", 8)),
    "west": (("Patel", 20), ("Shah", 8), ("Desai", 4), ("Mehta", 4), ("Joshi", 4),
             ("Patil", 8), ("Deshmukh", 3), ("Jadhav", 4), ("Kulkarni", 3), ("Pawar", 3),
             ("Shinde", 3)),
    "south": ((("Reddy", "Reddi"), 8), ("Naidu", 3), ("Rao", 6), ("Nair", 5), ("Menon", 3),
              (("Pillai", "Pillay"), 3), ("Iyer", 2), (("Krishnan", "Krishnan"), 3),
              (("Subramanian", "Subramaniam"), 3), ("Ramasamy", 2), ("Natarajan", 2),
              (("Srinivasan", "Shrinivasan"), 2), ("Murugan", 2), ("Varghese", 1)),
    "bengal": (("Das", 10), ("Roy", 6), (("Banerjee", "Banerji"), 4),
               (("Chatterjee", "Chatterji"), 4), (("Mukherjee", "Mukherji"), 4),
               ("Ghosh", 5), (("Bose", "Basu"), 3), ("Sen", 3), (("Dutta", "Datta"), 3),
               ("Saha", 3), (("Chakraborty", "Chakravarty"), 3),
               (("Bhattacharya", "Bhattacharjee"), 3)),
    "muslim": (("Khan", 12), ("Ansari", 5), (("Shaikh", "Sheikh"), 6), ("Qureshi", 3),
               ("Siddiqui", 3), (("Ahmed", "Ahmad"), 5), ("Ali", 5),
               (("Hussain", "Husain"), 4), ("Pathan", 2), ("Mirza", 1)),
}
IN_GIVEN = {
    ("hindu", "M"): ("Rajesh", "Suresh", "Ramesh", "Mahesh", "Dinesh", ("Sanjay", "Sanjai"),
                     ("Vijay", "Vijai"), "Ajay", "Anil", "Sunil", "Rakesh", "Mukesh", "Manoj",
                     "Ashok", "Amit", "Rahul", "Rohit", ("Deepak", "Dipak"),
                     ("Sandeep", "Sandip"), ("Pradeep", "Pradip"), "Arun", "Vikram", "Ravi",
                     "Krishna", "Srinivas", "Venkatesh", "Karthik", "Ganesh",
                     ("Satish", "Sathish"), ("Dilip", "Dileep"), "Kiran", "Suman"),
    ("hindu", "F"): ("Sunita", "Anita", ("Geeta", "Gita"), "Sita", ("Lakshmi", "Laxmi"),
                     "Priya", ("Pooja", "Puja"), "Neha", ("Kavita", "Kavitha"), "Rekha", "Usha",
                     ("Meena", "Mina"), ("Seema", "Sima"), ("Jyoti", "Jyothi"),
                     ("Sangeeta", "Sangita"), "Anjali", "Deepika", "Divya", "Shreya",
                     ("Lalita", "Lalitha"), "Savitri", "Kamala", "Kiran", "Suman"),
    ("sikh", "U"): ("Harpreet", "Gurpreet", "Manpreet", "Jaswinder", "Amandeep", "Kuldeep",
                    "Navdeep", "Rajinder", "Sukhwinder", "Paramjit"),
    ("muslim", "M"): (("Mohammed", "Mohammad", "Mohd"), "Abdul", "Imran", "Salman",
                      ("Aamir", "Amir"), "Irfan", "Shahid", ("Javed", "Javaid"), "Asif",
                      ("Faisal", "Faizal"), ("Rashid", "Rasheed")),
    ("muslim", "F"): (("Fatima", "Fathima"), ("Ayesha", "Aisha"), "Farah", "Nazia", "Shabana",
                      "Rukhsar", ("Zainab", "Zeenat"), "Sana", ("Rizwana", "Rizvana")),
}
IN_UNISEX = ("Kiran", "Suman")
IN_LONGER = {"Sen": "Sengupta", "Das": "Dasgupta", "Roy": "Roychowdhury", "Shah": "Shahani"}
IN_REGIONS = Table([("north", 45), ("sikh", 4), ("west", 15), ("south", 20), ("bengal", 8),
                    ("muslim", 12)])


def _spellings(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


class Indian(Culture):
    key = "indian"
    label = "Indian"
    share = 0.12
    given_first = 0.7
    regions = Table([(("in", "IND"), 1)])

    def __init__(self) -> None:
        self.surnames = {r: Table(rows) for r, rows in IN_SURNAMES.items()}

    def _word(self, value, rng: random.Random) -> Word:
        spellings = _spellings(value)
        return spelled_word(f"in:{spellings[0]}", spellings, rng)

    def draw(self, rng: random.Random, *, sex: str, born: dt.date,
             region: str | None = None, surname=None, given=None) -> Person:
        community = region or IN_REGIONS.pick(rng)
        religion = "muslim" if community == "muslim" else "sikh" if community == "sikh" \
            else "hindu"
        if given is None:
            given = rng.choice(IN_GIVEN[(religion, "U" if religion == "sikh" else sex)])
        if surname is None:
            if community == "sikh":
                surname = "Singh" if sex == "M" else "Kaur"
            else:
                rows = IN_SURNAMES[community]
                for _attempt in range(20):
                    surname = Table(rows).pick(rng)
                    name = _spellings(surname)[0]
                    if sex == "M" and name in {"Devi", "Kumari"}:
                        continue
                    if sex == "F" and name == "Kumar":
                        continue
                    break
        middle = ()
        if sex == "M" and community == "north" and _spellings(surname)[0] != "Kumar" \
                and rng.random() < 0.3:
            middle = (self._word("Kumar", rng),)
        return Person(culture=self.key, region=community, sex=sex, born=born,
                      nationality="IND", surname=(self._word(surname, rng),),
                      given=(self._word(given, rng),), middle=middle,
                      style=(("passport", "passport"),))

    def other_sex_pair(self, rng: random.Random, *, sex: str, born: dt.date
                       ) -> tuple[Person, Person] | None:
        """Harpreet Singh / Harpreet Kaur; Kiran Kumar / Kiran Kumari."""
        if rng.random() < 0.6:
            person = self.draw(rng, sex=sex, born=born, region="sikh")
            other_surname = "Kaur" if sex == "M" else "Singh"
        else:
            surname = "Kumar" if sex == "M" else "Kumari"
            person = self.draw(rng, sex=sex, born=born, region="north", surname=surname,
                               given=rng.choice(IN_UNISEX))
            other_surname = "Kumari" if sex == "M" else "Kumar"
        other = replace(person, sex="F" if sex == "M" else "M", middle=(),
                        surname=(self._word(other_surname, rng),))
        return person, other

    def longer_pair(self, rng: random.Random, *, sex: str, born: dt.date
                    ) -> tuple[Person, Person] | None:
        base = rng.choice(sorted(IN_LONGER))
        region = "west" if base == "Shah" else "bengal"
        person = self.draw(rng, sex=sex, born=born, region=region, surname=base)
        return person, replace(person, surname=(self._word(IN_LONGER[base], rng),))

    def list_schemes(self, person: Person) -> Table[str]:
        return Table([("common", 5), ("passport", 3), ("alt", 2)])


# --------------------------------------------------------------------------- Nigerian

NG_SURNAMES = {
    # Forebears' counts for Nigeria put Ibrahim, Musa, Abubakar, Abdullahi, Mohammed,
    # Bello at the top, then Okafor, Okeke, Adeyemi, Eze …
    "hausa": ((("Ibrahim",), 8), (("Musa",), 8), (("Abubakar", "Abubakr"), 7),
              (("Abdullahi", "Abdulahi"), 6), (("Mohammed", "Muhammad", "Muhammed"), 6),
              (("Bello",), 5), (("Aliyu", "Aliu"), 4), (("Usman", "Uthman", "Usmanu"), 4),
              (("Yusuf", "Yusuff"), 4), (("Adamu",), 4), (("Sani",), 3), (("Umar", "Umaru"), 3),
              (("Suleiman", "Sulaiman", "Suleman"), 3), (("Haruna",), 3), (("Garba",), 3),
              (("Lawal", "Lawan"), 3), (("Danjuma",), 1)),
    "yoruba": ((("Adeyemi",), 5), (("Adebayo",), 4), (("Ogunleye",), 2), (("Oladipo",), 2),
               (("Olawale",), 2), (("Afolabi",), 3), (("Balogun",), 2), (("Bakare",), 2),
               (("Ojo",), 4), (("Ogunbiyi",), 1), (("Adeleke",), 2), (("Olatunji",), 2),
               (("Olaniyan",), 1), (("Ayodele",), 2), (("Akande",), 2), (("Adekunle",), 2),
               (("Ogundipe",), 1), (("Oyelaran",), 1)),
    "igbo": ((("Okafor",), 5), (("Okeke",), 5), (("Eze",), 5), (("Okonkwo",), 3),
             (("Nwosu",), 3), (("Obi",), 3), (("Okoro",), 3), (("Chukwu",), 3),
             (("Nwankwo",), 3), (("Okoye",), 3), (("Anyanwu",), 2), (("Onuoha",), 2),
             (("Nwachukwu",), 2), (("Ogbonna",), 2), (("Nnadi",), 1), (("Ibe",), 2)),
}
NG_GIVEN = {
    ("hausa", "M"): (("Muhammadu", "Mohammed", "Muhammad"), ("Abubakar",), ("Ibrahim",),
                     ("Usman", "Uthman"), ("Aminu",), ("Sani",), ("Bello",), ("Musa",),
                     ("Yusuf",), ("Abdullahi",), ("Garba",), ("Haruna",), ("Umar",),
                     ("Aliyu",), ("Suleiman", "Sulaiman"), ("Nasiru", "Nasir"), ("Bashir",)),
    ("hausa", "F"): (("Aisha", "Aishatu", "Aishat"), ("Fatima", "Fatimah"), ("Hauwa", "Hawa"),
                     ("Zainab", "Zainabu"), ("Hadiza",), ("Amina", "Aminat"),
                     ("Maryam", "Maryamu"), ("Halima", "Halimat"), ("Binta",), ("Rakiya",)),
    ("yoruba", "M"): (("Babatunde",), ("Oluwafemi",), ("Olusegun",), ("Oluwaseun",),
                      ("Oluwatobi",), ("Adewale",), ("Olatunji",), ("Ayodeji",), ("Olumide",),
                      ("Abiodun",), ("Kehinde",), ("Taiwo",), ("Temitope",), ("Akinola",)),
    ("yoruba", "F"): (("Oluwakemi",), ("Oluwatoyin",), ("Olufunmilayo",), ("Folasade",),
                      ("Adebukola",), ("Olubunmi",), ("Abiodun",), ("Kehinde",), ("Taiwo",),
                      ("Temitope",), ("Yetunde",), ("Folake",), ("Omolara",)),
    ("igbo", "M"): (("Chukwuemeka",), ("Chukwuebuka",), ("Chinedu",), ("Chidiebere",),
                    ("Ikenna",), ("Nnamdi",), ("Obinna",), ("Uchenna",), ("Chukwudi",),
                    ("Emmanuel",), ("Chibuike",)),
    ("igbo", "F"): (("Chiamaka",), ("Nkechinyere",), ("Ngozi",), ("Adaeze",), ("Chioma",),
                    ("Nneka",), ("Ifeoma",), ("Uchenna",), ("Obiageli",), ("Chinwe",)),
}
NG_SHORT = {
    "Babatunde": "Tunde", "Oluwafemi": "Femi", "Olusegun": "Segun", "Oluwaseun": "Seun",
    "Oluwatobi": "Tobi", "Adewale": "Wale", "Olatunji": "Tunji", "Oluwakemi": "Kemi",
    "Oluwatoyin": "Toyin", "Olufunmilayo": "Funmi", "Folasade": "Sade", "Adebukola": "Bukola",
    "Olubunmi": "Bunmi", "Abiodun": "Biodun", "Chukwuemeka": "Emeka", "Chukwuebuka": "Ebuka",
    "Chinedu": "Nedu", "Chiamaka": "Amaka", "Nkechinyere": "Nkechi", "Chidiebere": "Chidi",
    "Muhammadu": "Mamman",
}
NG_GROUPS = Table([("hausa", 40), ("yoruba", 30), ("igbo", 30)])


class Nigerian(Culture):
    key = "nigerian"
    label = "Nigerian"
    share = 0.07
    given_first = 0.5
    regions = Table([(("ng", "NGA"), 1)])

    def _word(self, spellings: tuple[str, ...], rng: random.Random) -> Word:
        return spelled_word(f"ng:{spellings[0]}", spellings, rng)

    def draw(self, rng: random.Random, *, sex: str, born: dt.date,
             region: str | None = None) -> Person:
        group = region or NG_GROUPS.pick(rng)
        given = rng.choice(NG_GIVEN[(group, sex)])
        surname = Table(NG_SURNAMES[group]).pick(rng)
        middle: tuple[Word, ...] = ()
        if group != "hausa" and rng.random() < 0.5:
            second = rng.choice(NG_GIVEN[(group, sex)])
            if second != given:
                middle = (self._word(second, rng),)
        return Person(culture=self.key, region=group, sex=sex, born=born, nationality="NGA",
                      surname=(self._word(surname, rng),), given=(self._word(given, rng),),
                      middle=middle, style=(("passport", "passport"),))

    def nickname(self, person: Person, rng: random.Random) -> tuple[Person, str] | None:
        """Babatunde known as Tunde, Chukwuemeka as Emeka."""
        short = NG_SHORT.get(person.given[0].native)
        if short is None:
            return None
        word = spelled_word(person.given[0].key, (short,), passport=short)
        return replace(person, given=(word,)), rng.choice(("entry", "entry", "query"))

    def list_schemes(self, person: Person) -> Table[str]:
        return Table([("common", 5), ("passport", 3), ("alt", 2)])


# ------------------------------------------------------------- Indonesian and Malay

ID_MONONYMS = {
    "M": ("Sukarno", "Suharto", "Sutrisno", "Mulyono", "Suparman", "Supriyadi", "Sugiarto",
          "Slamet", "Wagiman", "Tukiman", "Darmawan", "Sumarno", "Suyanto", "Sudirman",
          "Susilo", "Suryadi", "Rustam", "Haryanto", "Joko", "Cahyono"),
    "F": ("Sumarni", "Suyatmi", "Ngatini", "Sulastri", "Sumiati", "Tuminah", "Wartini",
          "Paijem", "Suryani", "Yuniarti"),
}
ID_GIVEN = {
    "M": ("Budi", "Agus", "Eko", "Dwi", "Tri", "Bambang", "Joko", "Hendra", "Rudi", "Andi",
          "Dedi", "Ahmad", "Muhammad", "Rizki", "Fajar", "Dian", "Yusuf", "Cahya", "Wahyu",
          "Yudi", "Surya"),
    "F": ("Dewi", "Siti", "Sri", "Nur", "Ayu", "Putri", "Rina", "Indah", "Ratna", "Yuni",
          "Wulan", "Fitri", "Dian", "Cahya", "Yanti", "Wahyuni"),
}
ID_SECOND = {
    "M": ("Santoso", "Setiawan", "Prasetyo", "Wibowo", "Susanto", "Saputra", "Hidayat",
          "Kurniawan", "Nugroho", "Gunawan", "Hartono", "Wijaya", "Fauzi", "Hakim",
          "Firmansyah", "Pratama", "Ramadhan", "Maulana", "Kusuma", "Syahputra", "Cahyadi",
          "Siregar", "Nasution", "Simanjuntak", "Harahap", "Lubis", "Sinaga", "Panjaitan"),
    "F": ("Lestari", "Wahyuni", "Rahayu", "Handayani", "Purnamasari", "Kusuma", "Sari",
          "Utami", "Aminah", "Susanti", "Wijaya", "Yuliana", "Syahputri", "Siregar",
          "Nasution", "Lubis", "Harahap"),
}
MY_FIRST = {"M": (("Muhammad", 40), ("Mohamad", 15), ("Ahmad", 20), ("Abdul", 10),
                  ("Mohd", 15)),
            "F": (("Nur", 40), ("Siti", 30), ("Nurul", 30))}
MY_SECOND = {"M": ("Faizal", "Hafiz", "Azlan", "Rizal", "Firdaus", "Syafiq", "Hakim", "Amir",
                   "Aiman", "Haziq", "Ismail", "Zulkifli", "Razak", "Kamal", "Nazri"),
             "F": ("Aisyah", "Aina", "Fatimah", "Zahra", "Hidayah", "Syafiqah", "Nabila",
                   "Amirah", "Farah", "Izzati", "Hanis", "Liyana", "Azura", "Zuraini")}
MY_FATHER = ("Ahmad", "Abdullah", "Ismail", "Othman", "Yusof", "Hassan", "Ibrahim", "Mohamad",
             "Razak", "Salleh", "Hamid", "Kassim", "Osman", "Ali", "Yaakob")
ID_REGIONS = Table([(("id", "IDN"), 70), (("my", "MYS"), 25), (("my", "BRN"), 5)])


def old_spelling(modern: str) -> str:
    """The Republican (Soewandi) and Van Ophuijsen spelling of a name in today's
    spelling, as names registered before 1972 keep it: J DJ, C TJ, Y J, NY NJ, SY SJ,
    KH CH, U OE (Suharto → Soeharto, Cahyono → Tjahjono, Yusuf → Joesoef)."""
    text = modern.lower().replace("j", "dj").replace("c", "tj").replace("ny", "nj") \
        .replace("sy", "sj").replace("kh", "ch").replace("y", "j")
    out, i = [], 0
    while i < len(text):
        if text[i] == "u" and not (i > 0 and text[i - 1] in "ao"):
            out.append("oe")
        else:
            out.append(text[i])
        i += 1
    return capitalised("".join(out))


def _id_word(modern: str, *, old: bool) -> Word:
    old_form = old_spelling(modern)
    return Word(f"id:{modern}", modern, (
        ("passport", old_form if old else modern), ("modern", modern), ("old", old_form)))


class Indonesian(Culture):
    key = "indonesian"
    label = "Indonesian/Malay"
    share = 0.09
    given_first = 0.8
    regions = ID_REGIONS

    def draw(self, rng: random.Random, *, sex: str, born: dt.date,
             region: str | None = None) -> Person:
        if region is None:
            region, nationality = self.region(rng)
        else:
            nationality = "MYS" if region == "my" else "IDN"
        if region == "my":
            first = pick(rng, MY_FIRST[sex])
            given = (first, rng.choice(MY_SECOND[sex]))
            father = rng.choice(MY_FATHER)
            words = tuple(_id_word(g, old=False) for g in given)
            if first == "Mohd":
                words = (Word("id:Muhammad", "Mohd", (("passport", "Mohd"),
                                                      ("modern", "Mohd"), ("old", "Mohd"))),
                         words[1])
            return Person(culture=self.key, region="my", sex=sex, born=born,
                          nationality=nationality,
                          surname=(_id_word(father, old=False),), given=words,
                          style=(("passport", "passport"),
                                 ("connector", "bin" if sex == "M" else "binti")))
        # Before 1972 names were registered in the older spelling; about a third of
        # those persons' passports keep it.
        old = born.year < 1972 and rng.random() < 0.35
        mononym = rng.random() < (0.45 if born.year < 1965 else 0.15)
        if mononym:
            name = rng.choice(ID_MONONYMS[sex])
            return Person(culture=self.key, region="id", sex=sex, born=born,
                          nationality=nationality, surname=(),
                          given=(_id_word(name, old=old),), style=(("passport", "passport"),))
        given = rng.choice(ID_GIVEN[sex])
        second = rng.choice([s for s in ID_SECOND[sex] if s != given])
        return Person(culture=self.key, region="id", sex=sex, born=born,
                      nationality=nationality, surname=(_id_word(second, old=old),),
                      given=(_id_word(given, old=old),), style=(("passport", "passport"),))

    def has_order(self, person: Person) -> bool:
        return person.region != "my" and bool(person.surname)

    def render(self, person: Person, scheme: str, order: str, *, short: bool = False) -> str:
        if person.region == "my":
            given = " ".join(capitalised(w.latin(scheme)) for w in person.given)
            connector = person.choice("connector")
            father = person.surname[0].latin(scheme)
            return given if short else f"{given} {connector} {father}"
        return super().render(person, scheme, order, short=short)

    def other_given(self, person: Person, rng: random.Random) -> Person:
        if not person.surname:
            raise RuntimeError("a mononym has no family name to share")
        return super().other_given(person, rng)

    def nickname(self, person: Person, rng: random.Random) -> tuple[Person, str] | None:
        """Muhammad written MOHD or MUHD, as Malaysian identity cards and passports do."""
        if person.given[0].key != "id:Muhammad" or person.given[0].native == "Mohd":
            return None
        short = rng.choice(("Mohd", "Muhd", "Mohd", "Md"))
        word = Word("id:Muhammad", short, (("passport", short), ("modern", short),
                                           ("old", short)))
        return replace(person, given=(word, *person.given[1:])), "query"

    def list_schemes(self, person: Person) -> Table[str]:
        if person.region == "my":
            return Table([("modern", 1)])  # Malaysia never wrote the Dutch oe, dj, tj
        return Table([("modern", 6), ("old", 2), ("passport", 2)])


# ---------------------------------------------------------------------------- Western

# Given names: weight by their share of births 1940-2005 in the US Social Security
# Administration's name counts (rounded); female counterparts for the other-sex pairs.
EN_MALE = (("James", 4, ""), ("John", 4, ""), ("Robert", 4, "Roberta"), ("Michael", 4.5, "Michelle"),
           ("William", 3, ""), ("David", 3.5, ""), ("Richard", 2.5, ""), ("Joseph", 2, "Josephine"),
           ("Thomas", 2, ""), ("Charles", 1.5, "Charlotte"), ("Christopher", 2.5, "Christina"),
           ("Daniel", 2, "Danielle"), ("Matthew", 2, ""), ("Anthony", 1.5, ""), ("Mark", 1.5, ""),
           ("Donald", 1, ""), ("Steven", 1.5, "Stephanie"), ("Paul", 1.5, "Paula"),
           ("Andrew", 1.5, "Andrea"), ("Joshua", 1.5, ""), ("Kenneth", 1, ""), ("Kevin", 1.2, ""),
           ("Brian", 1.2, ""), ("George", 1, "Georgia"), ("Edward", 1, ""), ("Ronald", 1, ""),
           ("Timothy", 1, ""), ("Jason", 1.2, ""), ("Jeffrey", 1.2, ""), ("Eric", 1, "Erica"),
           ("Patrick", 0.8, "Patricia"), ("Victor", 0.5, "Victoria"), ("Carl", 0.5, "Carla"))
EN_FEMALE = (("Mary", 3), ("Patricia", 2), ("Jennifer", 2.5), ("Linda", 2), ("Elizabeth", 2),
             ("Barbara", 1.5), ("Susan", 1.5), ("Jessica", 2), ("Sarah", 1.5), ("Karen", 1.5),
             ("Lisa", 1.5), ("Nancy", 1.2), ("Betty", 1), ("Sandra", 1.2), ("Margaret", 1.2),
             ("Ashley", 1.5), ("Kimberly", 1.5), ("Emily", 1.2), ("Donna", 1), ("Michelle", 1.2),
             ("Carol", 1), ("Amanda", 1.2), ("Melissa", 1.2), ("Deborah", 1), ("Stephanie", 1),
             ("Rebecca", 1), ("Laura", 1), ("Helen", 0.8), ("Cynthia", 0.8), ("Roberta", 0.2),
             ("Josephine", 0.2), ("Charlotte", 0.3), ("Christina", 0.5), ("Danielle", 0.4),
             ("Paula", 0.3), ("Andrea", 0.4), ("Georgia", 0.1), ("Erica", 0.3),
             ("Victoria", 0.3), ("Carla", 0.2))
# US Census 2010 counts per 100,000 (Smith 828, Johnson 655, Williams 550 …), with the
# surnames that begin longer ones kept for those pairs.
EN_SURNAMES = (
    ("Smith", 828), ("Johnson", 655), ("Williams", 550), ("Brown", 487), ("Jones", 483),
    ("Garcia", 394), ("Miller", 384), ("Davis", 372), ("Rodriguez", 368), ("Martinez", 358),
    ("Hernandez", 348), ("Lopez", 294), ("Gonzalez", 279), ("Wilson", 271), ("Anderson", 267),
    ("Thomas", 265), ("Taylor", 260), ("Moore", 241), ("Jackson", 237), ("Martin", 236),
    ("Lee", 229), ("Perez", 220), ("Thompson", 218), ("White", 216), ("Harris", 212),
    ("Sanchez", 208), ("Clark", 189), ("Lewis", 180), ("Robinson", 179), ("Walker", 176),
    ("Young", 160), ("Allen", 159), ("King", 157), ("Wright", 155), ("Scott", 146),
    ("Hill", 141), ("Green", 138), ("Adams", 138), ("Nelson", 133), ("Baker", 132),
    ("Hall", 131), ("Roberts", 118), ("Richards", 40), ("Stephens", 40), ("Richardson", 60),
    ("Robertson", 40), ("Williamson", 35), ("Stephenson", 20), ("Harrison", 45),
    ("Davison", 10),
)
EN_LONGER = {"Martin": "Martinez", "Roberts": "Robertson", "Richards": "Richardson",
             "Williams": "Williamson", "Stephens": "Stephenson", "Harris": "Harrison",
             "Davis": "Davison"}
EN_SHORT = {
    "Robert": ("Bob", "Rob", "Bobby"), "William": ("Bill", "Will", "Billy"),
    "James": ("Jim", "Jimmy"), "Michael": ("Mike",), "David": ("Dave",),
    "Richard": ("Rick", "Dick"), "Joseph": ("Joe",), "Thomas": ("Tom",),
    "Charles": ("Charlie", "Chuck"), "Christopher": ("Chris",), "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",), "Anthony": ("Tony",), "Donald": ("Don",), "Steven": ("Steve",),
    "Andrew": ("Andy",), "Joshua": ("Josh",), "Kenneth": ("Ken",), "Edward": ("Ed", "Ted"),
    "Ronald": ("Ron",), "Timothy": ("Tim",), "Jeffrey": ("Jeff",), "Margaret": ("Maggie", "Peggy"),
    "Elizabeth": ("Liz", "Beth", "Betty"), "Patricia": ("Patty", "Pat"),
    "Jennifer": ("Jenny", "Jen"), "Susan": ("Sue",), "Jessica": ("Jess",), "Barbara": ("Barb",),
    "Sandra": ("Sandy",), "Kimberly": ("Kim",), "Deborah": ("Debbie",), "Rebecca": ("Becky",),
    "Cynthia": ("Cindy",), "Johannes": ("Hans",), "Cornelis": ("Kees",), "Hendrik": ("Henk",),
    "Pieter": ("Piet",), "Willem": ("Wim",),
}
DE_MALE = ("Thomas", "Michael", "Andreas", "Peter", "Stefan", "Klaus", "Jürgen", "Wolfgang",
           "Frank", "Markus", "Uwe", "Hans", "Jörg", "Matthias", "Günter", "Dieter")
DE_FEMALE = ("Sabine", "Petra", "Monika", "Andrea", "Ursula", "Susanne", "Claudia", "Birgit",
             "Karin", "Gabriele", "Jutta", "Brigitte", "Renate", "Bärbel")
DE_SURNAMES = (("Müller", 10), ("Schmidt", 8), ("Schneider", 5), ("Fischer", 4.5),
               ("Weber", 4), ("Meyer", 4), ("Wagner", 3.5), ("Becker", 3.5), ("Schulz", 3.5),
               ("Hoffmann", 3.5), ("Schäfer", 3), ("Koch", 3), ("Bauer", 3), ("Richter", 3),
               ("Klein", 3), ("Wolf", 2.5), ("Schröder", 2.5), ("Neumann", 2.5),
               ("Schwarz", 2.5), ("Zimmermann", 2.5), ("Krüger", 2), ("Köhler", 2),
               ("Schmidtke", 0.5), ("Jäger", 1.5), ("Weiß", 2))
FR_MALE = ("Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Patrick", "Christophe",
           "Éric", "François", "Laurent", "Frédéric", "Jean-Pierre", "Jean-Luc")
FR_FEMALE = ("Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Valérie",
             "Christine", "Sandrine", "Céline", "Stéphanie", "Hélène", "Marie-Claire")
FR_SURNAMES = (("Martin", 10), ("Bernard", 5), ("Dubois", 4.5), ("Thomas", 4.5), ("Robert", 4),
               ("Richard", 4), ("Petit", 4), ("Durand", 4), ("Leroy", 3.5), ("Moreau", 3.5),
               ("Simon", 3.5), ("Laurent", 3.5), ("Lefèvre", 3), ("Michel", 3), ("Garcia", 3),
               ("Fournier", 2.5), ("Girard", 2.5), ("Bonnet", 2.5), ("Rousseau", 2))
NL_MALE = ("Johannes", "Cornelis", "Hendrik", "Pieter", "Willem", "Jan", "Gerrit", "Dirk")
NL_FEMALE = ("Maria", "Johanna", "Anna", "Cornelia", "Elisabeth", "Wilhelmina")
NL_SURNAMES = (("de Jong", 8), ("Jansen", 7), ("de Vries", 6), ("van den Berg", 5),
               ("van Dijk", 5), ("Bakker", 5), ("Janssen", 4.5), ("Visser", 4.5), ("Smit", 4),
               ("Meijer", 4), ("de Boer", 3.5), ("Mulder", 3.5), ("de Groot", 3.5), ("Bos", 3.5))
WEST_REGIONS = Table([(("us", "USA"), 40), (("gb", "GBR"), 15), (("us", "AUS"), 6),
                      (("us", "CAN"), 6), (("de", "DEU"), 15), (("fr", "FRA"), 12),
                      (("nl", "NLD"), 6)])


class Western(Culture):
    key = "western"
    label = "Western"
    share = 0.12
    given_first = 0.5
    regions = WEST_REGIONS

    def __init__(self) -> None:
        self.en_male = Table(((n, f), w) for n, w, f in EN_MALE)
        self.en_female = Table(((n, ""), w) for n, w in EN_FEMALE)
        self.en_surnames = Table(EN_SURNAMES)

    def _word(self, text: str) -> Word:
        return spelled_word(f"west:{text}", (text,))

    def _pick(self, region: str, sex: str, rng: random.Random) -> tuple[str, str]:
        if region == "de":
            return rng.choice(DE_MALE if sex == "M" else DE_FEMALE), pick(rng, DE_SURNAMES)
        if region == "fr":
            return rng.choice(FR_MALE if sex == "M" else FR_FEMALE), pick(rng, FR_SURNAMES)
        if region == "nl":
            return rng.choice(NL_MALE if sex == "M" else NL_FEMALE), pick(rng, NL_SURNAMES)
        given = (self.en_male if sex == "M" else self.en_female).pick(rng)[0]
        return given, self.en_surnames.pick(rng)

    def draw(self, rng: random.Random, *, sex: str, born: dt.date,
             region: str | None = None, surname: str | None = None,
             given: str | None = None) -> Person:
        if region is None:
            region, nationality = self.region(rng)
        else:
            nationality = {"us": "USA", "gb": "GBR", "de": "DEU", "fr": "FRA",
                           "nl": "NLD"}[region]
        first, family = self._pick(region, sex, rng)
        middle: tuple[Word, ...] = ()
        if region in {"us", "gb"} and rng.random() < 0.3:
            other, _family = self._pick(region, sex, rng)
            if other != (given or first):
                middle = (self._word(other),)
        # German passports' machine-readable zone writes Ü as UE, and a registry read
        # from it does too.
        passport = "mrz" if region == "de" and rng.random() < 0.6 else "plain"
        return Person(culture=self.key, region=region, sex=sex, born=born,
                      nationality=nationality, surname=(self._word(surname or family),),
                      given=(self._word(given or first),), middle=middle,
                      style=(("passport", passport),))

    def other_sex(self, person: Person, rng: random.Random) -> Person | None:
        """Daniel / Danielle, Paul / Paula."""
        name = person.given[0].native
        pairs = {m: f for m, _w, f in EN_MALE if f}
        pairs.update({"Jean": "Jeanne", "Michel": "Michèle", "Andreas": "Andrea"})
        if person.sex == "M" and name in pairs:
            other = pairs[name]
        elif person.sex == "F" and name in pairs.values():
            other = next(m for m, f in pairs.items() if f == name)
        else:
            return None
        return replace(person, sex="F" if person.sex == "M" else "M",
                       given=(self._word(other),), middle=())

    def longer_pair(self, rng: random.Random, *, sex: str, born: dt.date
                    ) -> tuple[Person, Person] | None:
        base = rng.choice(sorted(EN_LONGER))
        person = self.draw(rng, sex=sex, born=born, region="us", surname=base)
        return person, replace(person, surname=(self._word(EN_LONGER[base]),))

    def nickname(self, person: Person, rng: random.Random) -> tuple[Person, str] | None:
        forms = EN_SHORT.get(person.given[0].native)
        if not forms:
            return None
        short = rng.choice(forms)
        word = spelled_word(person.given[0].key, (short,))
        return replace(person, given=(word,)), "entry"

    def passport_scheme(self, person: Person) -> str:
        return person.choice("passport")

    def list_schemes(self, person: Person) -> Table[str]:
        return Table([("native", 6), ("plain", 3), ("mrz", 1)])

