"""Arabic names: Arabic script, and the Latin spellings of five habits.

Every word is stored in Arabic script and in a phonemic notation of its own (short
vowels a i u, long A I U, emphatic H S D T Z, ` for ʿayn, ' for hamza, @ for tāʾ
marbūṭa, ``al-`` the article, ``abd+`` and ``bin+`` the compounds). From the notation,
the habits of each region's passports and of lists:

* academic (lists, the press): Muhammad, Husayn, Abd al-Rahman, Fatima, al-Qahtani;
* Gulf passports: Mohammed, Hussain, Abdulrahman, Fatimah, Kareem, Al-Qahtani;
* Egyptian passports: Mohamed, Hussein, Abdel Rahman, Ahmed, Hesham, Mostafa, Gamal;
* Levantine passports: Mohammad, Hussein, Abdul Rahman, Khaled, Ahmad;
* Maghrebi passports (French): Mohamed, Youssef, Abderrahmane, Rachid, Aicha, El Amrani.

Frequencies: Muhammad in its spellings is the commonest man's name in every Arab state
(Forebears' forename counts put it near one man in ten in Egypt and the Gulf, more with
the father's name, which repeats it); the other weights follow the same counts roughly.
Regions by population (UN World Population Prospects 2022). A person's name is the
chain a passport carries: given name, father's name and a family name (Gulf, Levant),
given, father and grandfather (Egypt, Sudan), or given and family name (Maghreb).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from pora.screening.eval.common import Person, Table, Word, capitalised
from pora.screening.eval.culture import Culture

STYLES = ("academic", "gulf", "egypt", "levant", "maghreb")
_DIGRAPHS = ("th", "kh", "dh", "sh", "gh")
_VOWELS = set("aiuAIU")

# Spellings no rule gives, by style.
OVERRIDES: dict[str, dict[str, str]] = {
    "muHammad": {"academic": "Muhammad", "gulf": "Mohammed", "egypt": "Mohamed",
                 "levant": "Mohammad", "maghreb": "Mohamed"},
    "`abd+allAh": {"academic": "Abdullah", "gulf": "Abdullah", "egypt": "Abdallah",
                   "levant": "Abdallah", "maghreb": "Abdellah"},
    "'usAm@": {"academic": "Usama", "gulf": "Osama", "egypt": "Osama", "levant": "Osama",
               "maghreb": "Oussama"},
    "yUsuf": {"academic": "Yusuf", "gulf": "Yousef", "egypt": "Youssef", "levant": "Yousef",
              "maghreb": "Youssef"},
    "Husayn": {"academic": "Husayn", "gulf": "Hussain", "egypt": "Hussein",
               "levant": "Hussein", "maghreb": "Houcine"},
    "HusaynI": {"academic": "Husayni", "gulf": "Hussaini", "egypt": "Husseini",
                "levant": "Husseini", "maghreb": "Houcini"},
    "Hasan": {"academic": "Hasan", "gulf": "Hassan", "egypt": "Hassan", "levant": "Hassan",
              "maghreb": "Hassan"},
    "HasanI": {"academic": "Hasani", "gulf": "Hassani", "egypt": "Hassani",
               "levant": "Hassani", "maghreb": "Hassani"},
    "sa`d": {"academic": "Saad", "gulf": "Saad", "egypt": "Saad", "levant": "Saad",
             "maghreb": "Saad"},
    "nAdiy@": {"academic": "Nadia", "gulf": "Nadiyah", "egypt": "Nadia", "levant": "Nadia",
               "maghreb": "Nadia"},
    "al-sayyid": {"academic": "al-Sayyid", "gulf": "Al-Sayed", "egypt": "El-Sayed",
                  "levant": "Al-Sayed", "maghreb": "El Sayed"},
    "al-`alawI": {"maghreb": "Alaoui"}, "al-'idrIsI": {"maghreb": "Idrissi"},
    "al-tAzI": {"maghreb": "Tazi"}, "al-TarAbulsI": {"maghreb": "Trabelsi"},
    "al-HammAmI": {"maghreb": "Hammami"}, "bannAnI": {"maghreb": "Bennani"},
    "`A'ish@": {"academic": "Aisha", "gulf": "Aisha", "egypt": "Aisha", "levant": "Aisha",
                "maghreb": "Aicha"},
}
# Spellings a passport may carry besides its style's (Mohamad, Muhammed).
OTHER_SPELLINGS = {"muHammad": ("Mohamad", "Muhammed", "Mohammed", "Muhamad")}

# (notation, Arabic, weight)
MALE = (
    ("muHammad", "محمد", 10), ("'aHmad", "أحمد", 4), ("`alI", "علي", 3.5),
    ("maHmUd", "محمود", 2.5), ("muSTafA", "مصطفى", 2), ("Hasan", "حسن", 2),
    ("Husayn", "حسين", 2), ("khAlid", "خالد", 2), ("`umar", "عمر", 2), ("yUsuf", "يوسف", 2),
    ("'ibrAhIm", "إبراهيم", 2), ("`abd+allAh", "عبد الله", 3),
    ("`abd+al-raHmAn", "عبد الرحمن", 1.5), ("`abd+al-`azIz", "عبد العزيز", 1),
    ("`abd+al-qAdir", "عبد القادر", 0.8), ("`abd+al-karIm", "عبد الكريم", 0.6),
    ("`abd+al-laTIf", "عبد اللطيف", 0.5), ("sa`Id", "سعيد", 1.5), ("jamAl", "جمال", 1),
    ("Hamz@", "حمزة", 1), ("TAriq", "طارق", 1), ("sAlim", "سالم", 1), ("nASir", "ناصر", 1),
    ("karIm", "كريم", 1), ("`uthmAn", "عثمان", 1), ("walId", "وليد", 1),
    ("bilAl", "بلال", 0.7), ("'ayman", "أيمن", 1), ("hishAm", "هشام", 1),
    ("sAmI", "سامي", 1), ("`imAd", "عماد", 0.8), ("ziyAd", "زياد", 0.8),
    ("faySal", "فيصل", 1), ("mAjid", "ماجد", 0.8), ("manSUr", "منصور", 0.8),
    ("nabIl", "نبيل", 0.8), ("`Adil", "عادل", 1), ("'usAm@", "أسامة", 1),
    ("'anwar", "أنور", 0.7), ("qAsim", "قاسم", 0.8), ("rAshid", "راشد", 0.8),
    ("yAsIn", "ياسين", 0.8), ("sulaymAn", "سليمان", 1), ("'ismA`Il", "إسماعيل", 1),
    ("SAliH", "صالح", 1), ("fahd", "فهد", 0.8), ("sa`d", "سعد", 1), ("jamIl", "جميل", 0.5),
    ("`azIz", "عزيز", 0.5), ("'amIn", "أمين", 0.7), ("samIr", "سمير", 0.8),
    ("HAmid", "حامد", 0.6), ("HabIb", "حبيب", 0.5), ("laTIf", "لطيف", 0.3),
    ("'idrIs", "إدريس", 0.5), ("`abbAs", "عباس", 0.7), ("Haydar", "حيدر", 0.5),
    ("mahdI", "مهدي", 0.5), ("ramaDAn", "رمضان", 0.5),
)
FEMALE = (
    ("fATim@", "فاطمة", 4), ("`A'ish@", "عائشة", 2), ("maryam", "مريم", 2),
    ("khadIj@", "خديجة", 2), ("zaynab", "زينب", 2), ("'amIn@", "أمينة", 1.5),
    ("laylA", "ليلى", 1.5), ("nUr", "نور", 1.5), ("hudA", "هدى", 1), ("samIr@", "سميرة", 1),
    ("sAr@", "سارة", 1.5), ("rAnyA", "رانيا", 1), ("nAdiy@", "نادية", 1), ("salmA", "سلمى", 1),
    ("yAsmIn", "ياسمين", 1), ("hind", "هند", 1), ("'ImAn", "إيمان", 1),
    ("'asmA'", "أسماء", 1), ("jamIl@", "جميلة", 0.5), ("karIm@", "كريمة", 0.5),
    ("sa`Id@", "سعيدة", 0.4), ("`azIz@", "عزيزة", 0.4), ("nabIl@", "نبيلة", 0.5),
    ("HabIb@", "حبيبة", 0.4), ("rAshid@", "راشدة", 0.3), ("`Adil@", "عادلة", 0.2),
    ("HAmid@", "حامدة", 0.2), ("laTIf@", "لطيفة", 0.4), ("sAlim@", "سالمة", 0.2),
)
# (notation, Arabic, regions, weight)
FAMILY = (
    ("al-qaHTAnI", "القحطاني", "gulf", 3), ("al-ghAmidI", "الغامدي", "gulf", 2),
    ("al-shammarI", "الشمري", "gulf", 2), ("al-`utaybI", "العتيبي", "gulf", 2),
    ("al-dawsarI", "الدوسري", "gulf", 1.5), ("al-HarbI", "الحربي", "gulf", 1.5),
    ("al-zahrAnI", "الزهراني", "gulf", 1.5), ("al-tamImI", "التميمي", "gulf", 1.5),
    ("al-jubUrI", "الجبوري", "gulf", 1.5), ("al-dulaymI", "الدليمي", "gulf", 1),
    ("al-hAshimI", "الهاشمي", "gulf levant egypt maghreb", 1),
    ("al-maSrI", "المصري", "levant egypt", 1), ("HaddAd", "حداد", "levant", 1.5),
    ("khUrI", "خوري", "levant", 1.5), ("al-khaTIb", "الخطيب", "levant", 1.5),
    ("al-najjAr", "النجار", "levant egypt", 1), ("manSUr", "منصور", "levant egypt", 1),
    ("SAliH", "صالح", "gulf levant egypt", 1), ("al-sayyid", "السيد", "egypt", 2),
    ("al-sharIf", "الشريف", "maghreb egypt", 1), ("al-`amrAnI", "العمراني", "maghreb", 1.5),
    ("al-`alawI", "العلوي", "maghreb", 1.5), ("al-'idrIsI", "الإدريسي", "maghreb", 1.5),
    ("bannAnI", "بناني", "maghreb", 1), ("al-tAzI", "التازي", "maghreb", 1),
    ("al-TarAbulsI", "الطرابلسي", "maghreb", 1), ("al-HammAmI", "الحمامي", "maghreb", 1),
    ("bin+`alI", "بن علي", "maghreb", 1), ("bin+SAliH", "بن صالح", "maghreb", 1),
    ("al-rashId", "الرشيد", "gulf", 1), ("al-'aHmad", "الأحمد", "levant", 1),
    ("al-`alI", "العلي", "levant gulf", 1), ("al-'anSArI", "الأنصاري", "gulf levant egypt", 0.7),
    ("al-kurdI", "الكردي", "levant", 0.5), ("al-shAmI", "الشامي", "levant", 0.5),
)
# A name and its nisba, a family name that begins with it (Hassan, Hassani).
NISBA = {"Hasan": ("HasanI", "حسني"), "'aHmad": ("'aHmadI", "أحمدي"),
         "muHammad": ("muHammadI", "محمدي"), "karIm": ("karImI", "كريمي"),
         "rAshid": ("rAshidI", "راشدي"), "Husayn": ("HusaynI", "حسيني"),
         "sa`Id": ("sa`IdI", "سعيدي"), "'idrIs": ("'idrIsI", "إدريسي"),
         "`umar": ("`umarI", "عمري"), "yUsuf": ("yUsufI", "يوسفي")}
# Regions: (style, nationality) by population in millions (nationals only in the Gulf).
REGIONS = Table([
    (("egypt", "EGY"), 110), (("egypt", "SDN"), 47), (("gulf", "SAU"), 20),
    (("gulf", "IRQ"), 44), (("gulf", "YEM"), 33), (("gulf", "ARE"), 1), (("gulf", "KWT"), 1.5),
    (("gulf", "OMN"), 3), (("gulf", "QAT"), 0.3), (("levant", "SYR"), 22),
    (("levant", "JOR"), 11), (("levant", "LBN"), 5), (("levant", "PSE"), 5),
    (("maghreb", "MAR"), 37), (("maghreb", "DZA"), 45), (("maghreb", "TUN"), 12),
    (("maghreb", "LBY"), 7),
])


def _segments(notation: str) -> list[str]:
    out, i = [], 0
    while i < len(notation):
        if notation[i:i + 2] in _DIGRAPHS:
            out.append(notation[i:i + 2])
            i += 2
        else:
            out.append(notation[i])
            i += 1
    return out


_CONSONANTS = {
    "academic": {}, "gulf": {},
    "egypt": {"j": "g", "q": "k", "th": "s", "dh": "z"},
    "levant": {"dh": "z"},
    "maghreb": {"sh": "ch", "q": "k", "dh": "d", "th": "th"},
}
_PLAIN = {"H": "h", "S": "s", "D": "d", "T": "t", "Z": "z", "`": "", "'": ""}


def _stem(notation: str, style: str) -> str:
    """One word without article or compound, by ``style``'s rules."""
    segs = _segments(notation)
    out: list[str] = []
    initial = True
    for i, seg in enumerate(segs):
        nxt = segs[i + 1] if i + 1 < len(segs) else ""
        after = segs[i + 2] if i + 2 < len(segs) else ""
        last_syllable = not any(s in _VOWELS or s == "@" for s in segs[i + 1:])
        final = i == len(segs) - 1
        if seg == "@":
            out.append("ah" if style == "gulf" else "a")
        elif seg in _VOWELS:
            out.append(_vowel(seg, style, initial=initial, last=last_syllable, final=final,
                              next_seg=nxt, after=after))
            if seg == "a" and nxt == "y" and after and after not in _VOWELS and not initial:
                segs[i + 1] = ""  # the y is written by the diphthong
            initial = False
        elif seg == "":
            continue
        else:
            latin = _CONSONANTS[style].get(seg, _PLAIN.get(seg, seg))
            if style == "maghreb" and seg == "s" and out and out[-1][-1:] in "aeiou" \
                    and nxt in _VOWELS:
                latin = "ss"
            out.append(latin)
            if seg not in "`'":
                initial = False
    text = "".join(out)
    if style in {"egypt", "maghreb"} and notation.endswith("ad") and len(text) > 3:
        text = text[:-2] + "ed"
    if style == "maghreb" and text.endswith("an") and notation.endswith("An"):
        text += "e"
    return text


def _vowel(seg: str, style: str, *, initial: bool, last: bool, final: bool, next_seg: str,
           after: str) -> str:
    if seg == "a":
        if next_seg == "y" and after and after not in _VOWELS and not initial:
            return {"academic": "ay", "gulf": "ai", "egypt": "ei", "levant": "ei",
                    "maghreb": "ai"}[style]
        return "a"
    if seg == "i":
        if style == "egypt" or style in {"levant", "maghreb"} and last:
            return "e"
        return "i"
    if seg == "u":
        if style == "academic":
            return "u"
        if initial:
            return "o"
        if style in {"egypt", "levant", "maghreb"}:
            return "e" if last else "o"
        return "u"
    if seg == "A":
        return "a"
    if seg == "I":
        return "ee" if style == "gulf" and not final else "i"
    if seg == "U":
        return {"academic": "u", "gulf": "oo"}.get(style, "ou")
    raise ValueError(seg)


_ARTICLE = {"academic": "al-", "gulf": "Al-", "egypt": "El-", "levant": "Al-", "maghreb": "El "}
_SUN = set("tdrzsnl") | {"th", "dh", "sh"}


def spell(notation: str, style: str) -> str:
    """A name word in Latin letters by ``style`` (one of :data:`STYLES`)."""
    override = OVERRIDES.get(notation, {}).get(style)
    if override:
        return override
    if notation.startswith("`abd+"):
        return _abd(notation[len("`abd+"):], style)
    if notation.startswith("bin+"):
        rest = notation[len("bin+"):]
        return ("Ben " if style == "maghreb" else "Bin ") + capitalised(_stem(rest, style))
    if notation.startswith("al-"):
        rest = capitalised(_stem(notation[3:], style))
        return _ARTICLE[style] + rest
    return capitalised(_stem(notation, style))


def _abd(rest: str, style: str) -> str:
    """Abd al-Rahman, Abdulrahman, Abdel Rahman, Abdul Rahman, Abderrahmane."""
    bare = rest.removeprefix("al-")
    stem = _stem(bare, style)
    if style == "academic":
        return f"Abd al-{capitalised(stem)}"
    if style == "gulf":
        return f"Abdul{stem}"
    if style == "egypt":
        return f"Abdel {capitalised(stem)}"
    if style == "levant":
        return f"Abdul {capitalised(stem)}"
    first = _segments(bare)[0]
    if first in _SUN:
        return f"Abde{stem[:1]}{stem}"
    return f"Abdel{stem}"


def arabic_word(notation: str, arabic: str, extra: tuple[tuple[str, str], ...] = ()) -> Word:
    return Word(f"ar:{notation}", arabic,
                tuple((style, spell(notation, style)) for style in STYLES) + extra)


class Arabic(Culture):
    key = "arabic"
    label = "Arabic"
    share = 0.13
    script = True
    given_first = 0.6
    regions = REGIONS

    def __init__(self) -> None:
        self.male = Table(((n, a), w) for n, a, w in MALE)
        self.female = Table(((n, a), w) for n, a, w in FEMALE)
        self.families = {style: Table(((n, a), w) for n, a, regions, w in FAMILY
                                    if style in regions.split())
                       for style in ("gulf", "egypt", "levant", "maghreb")}

    def draw(self, rng: random.Random, *, sex: str, born: dt.date,
             region: str | None = None, given: tuple[str, str] | None = None) -> Person:
        if region is None:
            region, nationality = self.region(rng)
        else:
            nationality = {"gulf": "SAU", "egypt": "EGY", "levant": "JOR",
                           "maghreb": "MAR"}[region]
        given = given or (self.male if sex == "M" else self.female).pick(rng)
        father = self.male.pick(rng)
        middle: tuple[Word, ...] = ()
        if region == "egypt":
            # given, father, grandfather; a family name in some families
            middle = (arabic_word(*father),)
            last = self.families["egypt"].pick(rng) if rng.random() < 0.35 \
                else self.male.pick(rng)
        elif region == "gulf":
            middle = (arabic_word(*father),)
            last = self.families["gulf"].pick(rng) if rng.random() < 0.8 \
                else self.male.pick(rng)
        elif region == "levant":
            middle = (arabic_word(*father),) if rng.random() < 0.5 else ()
            last = self.families["levant"].pick(rng)
        else:
            last = self.families["maghreb"].pick(rng)
        passport_spelling = region
        other = OTHER_SPELLINGS.get(given[0])
        extra: tuple[tuple[str, str], ...] = ()
        if other and rng.random() < 0.3:
            passport_spelling = "own"
            extra = (("own", rng.choice(other)),)
        return Person(culture=self.key, region=region, sex=sex, born=born,
                      nationality=nationality, surname=(arabic_word(*last),),
                      given=(arabic_word(*given, extra),), middle=middle,
                      style=(("passport", passport_spelling),))

    def other_sex(self, person: Person, rng: random.Random) -> Person | None:
        """Jamil / Jamila, Karim / Karima: the same name in the other sex's form."""
        notation = person.given[0].key.split(":", 1)[1]
        if person.sex == "M":
            match = next(((n, a) for n, a, _w in FEMALE if n == notation + "@"), None)
        else:
            match = next(((n, a) for n, a, _w in MALE if n + "@" == notation), None)
        if match is None:
            return None
        return replace(person, sex="F" if person.sex == "M" else "M",
                       given=(arabic_word(*match),), style=(("passport", person.region),))

    def longer_pair(self, rng: random.Random, *, sex: str, born: dt.date
                    ) -> tuple[Person, Person] | None:
        base = rng.choice(sorted(NISBA))
        arabic = next(a for n, a, _w in MALE if n == base)
        region = rng.choice(("egypt", "gulf", "levant"))
        person = self.draw(rng, sex=sex, born=born, region=region)
        person = replace(person, surname=(arabic_word(base, arabic),))
        longer = arabic_word(*NISBA[base])
        return person, replace(person, surname=(longer,))

    def nickname(self, person: Person, rng: random.Random) -> tuple[Person, str] | None:
        """Muhammad abbreviated on the passport (MOHD, MD), as Malaysia, Singapore and
        South Asia write it, or Ibrahim as the Maghreb says it (BRAHIM)."""
        key = person.given[0].key
        if key == "ar:muHammad":
            short = rng.choice(("Mohd", "Md", "Muhd"))
        elif key == "ar:'ibrAhIm" and person.region == "maghreb":
            short = "Brahim"
        else:
            return None
        word = Word(key, person.given[0].native, tuple((s, short) for s in
                                                      (*STYLES, "own")))
        return replace(person, given=(word,)), "query"

    def second_nationality(self, person: Person, rng: random.Random) -> str | None:
        return rng.choice(("FRA", "GBR", "USA", "CAN", "TUR", "DEU", "SWE"))

    # --------------------------------------------------------------- spelling

    def passport_scheme(self, person: Person) -> str:
        return person.choice("passport")

    def list_schemes(self, person: Person) -> Table[str]:
        rows = [("academic", 4), (person.region, 3)]
        rows += [(style, 0.7) for style in STYLES[1:] if style != person.region]
        return Table(rows)

    def native(self, person: Person, rng: random.Random) -> list[str]:
        words = [w.native for w in (*person.given, *person.middle, *person.surname)]
        full = " ".join(words)
        short = f"{person.given[0].native} {person.surname[0].native}"
        forms = [full] if full == short else [full, short]
        if rng.random() < 0.3 and len(forms) == 2:
            forms.reverse()
        return forms
