"""Synthetic watchlists and screened persons for ``pora bench screening`` (no Django).

Names come from pools drawn once from Faker in eight locales, four of them in their own
script (Cyrillic, Arabic, Chinese, Hangul). Every word of a pool keeps its native form and
its Latin spellings: two transliteration schemes for Russian, vowelled romanisations for
Arabic, joined and split pinyin for Chinese, passport and Revised Romanisation for Korean,
diacritics dropped for Vietnamese and French. Entries and persons are then put together
from the pools with a seeded generator, so a million of them costs seconds, not a
million Faker calls:

* an entry has its name in the native script and order, about three aliases (Latin
  spellings, surname first, a typo, a dropped middle name, a title), a full, partial,
  age-derived or missing birth date, zero to two nationalities and sometimes a passport;
* a *planted* person is an entry as a passport would carry it: a Latin spelling, perhaps
  reordered, misspelt or without the middle name, the birth date completed (sometimes with
  day and month swapped), the entry's nationality, now and then its passport;
* any other person is drawn from the same pools, with a full birth date and a passport.

``python -m pora.bench.screening_data memory|bulk …`` runs the memory and bulk measures
in a process of their own (see :func:`main`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import resource
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pora.screening.engine.records import PartialDate, Record

# Faker locale, share of entries, nationalities (repeated ones are more likely).
LOCALES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("ru_RU", 0.14, ("RUS", "RUS", "RUS", "UKR", "KAZ", "BLR", "UZB")),
    ("ar_AA", 0.14, ("SAU", "EGY", "JOR", "SYR", "IRQ", "YEM", "MAR", "ARE", "LBN")),
    ("zh_CN", 0.16, ("CHN", "CHN", "CHN", "CHN", "TWN", "SGP", "MYS")),
    ("ko_KR", 0.08, ("KOR",)),
    ("en_US", 0.16, ("USA", "USA", "GBR", "AUS", "CAN", "NZL", "IRL")),
    ("fr_FR", 0.08, ("FRA", "FRA", "BEL", "CHE", "CAN")),
    ("id_ID", 0.12, ("MYS", "MYS", "IDN", "BRN", "SGP")),
    ("vi_VN", 0.12, ("VNM",)),
)
# Distinct words drawn per pool; real lists repeat names (namesakes) just as life does.
POOL_SIZE = 1500
# Faker knows a few dozen Chinese, Korean and Vietnamese given names; people bear
# thousands. Chinese and Korean ones are built from the syllables of Faker's, Vietnamese
# ones drawn from this longer list, so namesakes stay about as common as in life.
VIETNAMESE_GIVEN_M = (
    "An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Định", "Đông", "Giang", "Hải",
    "Hào", "Hiếu", "Hiển", "Hòa", "Hoàng", "Hùng", "Huy", "Khang", "Khánh", "Khoa", "Kiên",
    "Lâm", "Long", "Lợi", "Lực", "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phong", "Phúc",
    "Quân", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thiện", "Thịnh", "Toàn", "Trí",
    "Trọng", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ")
VIETNAMESE_GIVEN_F = (
    "An", "Anh", "Châu", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Hồng", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân",
    "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thu", "Thủy",
    "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến")
VIETNAMESE_SURNAMES = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 5),
    ("Phan", 4), ("Vũ", 4), ("Võ", 4), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2),
    ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Đào", 1), ("Đoàn", 1), ("Vương", 1), ("Trịnh", 1),
    ("Đinh", 1), ("Lâm", 1), ("Phùng", 1), ("Mai", 1), ("Tô", 1), ("Trương", 1), ("Hà", 1))
PASSPORT_LETTERS = "ABCEGKLMNPRSTUX"
# In a bulk run, one person in this many is a variant of a listed one.
PLANTED_EVERY = 100
TODAY = dt.date(2025, 6, 1)

# --------------------------------------------------------------------- transliteration

_RU_ICAO = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n",
                     "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie",
                     "y", "", "e", "iu", "ia"], strict=True))
# The spelling most English-language lists and older passports use (BGN/PCGN-like).
_RU_POPULAR = {**_RU_ICAO, "й": "y", "ю": "yu", "я": "ya", "ё": "yo", "ъ": "", "ь": "",
               "х": "kh", "е": "e"}
_AR_LETTERS = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ء": "", "ؤ": "u", "ئ": "i", "ب": "b", "ت": "t",
    "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z",
    "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh",
    "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a",
    "و": "w", "ي": "y", "ى": "a", "پ": "p", "چ": "ch", "گ": "g", "ک": "k", "ی": "y",
}
# The commonest Arabic names as passports spell them, several ways each.
_AR_KNOWN = {
    "محمد": ["Mohammed", "Muhammad", "Mohamed", "Mohamad"], "أحمد": ["Ahmed", "Ahmad"],
    "علي": ["Ali"], "حسن": ["Hassan", "Hasan"], "حسين": ["Hussein", "Hussain", "Hossein"],
    "خالد": ["Khaled", "Khalid"], "عمر": ["Omar", "Umar"], "يوسف": ["Youssef", "Yusuf", "Yousef"],
    "إبراهيم": ["Ibrahim", "Ebrahim"], "عبدالله": ["Abdullah", "Abdallah", "Abdulla"],
    "محمود": ["Mahmoud", "Mahmud"], "مصطفى": ["Mustafa", "Moustafa"],
    "سعيد": ["Saeed", "Said", "Saied"], "فاطمة": ["Fatima", "Fatma", "Fatimah"],
    "عائشة": ["Aisha", "Aicha", "Aysha"], "مريم": ["Maryam", "Mariam"],
    "جمال": ["Jamal", "Gamal"], "حمزة": ["Hamza", "Hamzah"], "طارق": ["Tariq", "Tarek"],
    "سالم": ["Salem", "Salim"], "ناصر": ["Nasser", "Nasir"], "كريم": ["Karim", "Kareem"],
}
_HARAKAT = {chr(c) for c in range(0x064B, 0x0653)} | {"\u0670"}
_SHADDA = "\u0651"


def _arabic_word(word: str, style: int) -> str:
    """A readable Latin spelling of an unvowelled Arabic word.

    Short vowels are not written in Arabic script; a romaniser guesses them, and two
    romanisers guess differently ("a" or "e", doubled consonants or not).
    """
    if word in _AR_KNOWN:
        forms = _AR_KNOWN[word]
        return forms[style % len(forms)]
    article = word.startswith("ال") and len(word) > 3
    if article:
        word = word[2:]
    out: list[str] = []
    vowel = "ae"[style % 2]
    last_consonant = False
    for i, ch in enumerate(word):
        if ch == _SHADDA:
            if style == 0 and out:
                out.append(out[-1])
            continue
        if ch in _HARAKAT:
            continue
        if ch in "اأإآى":
            out.append("a" if ch != "إ" else "i")
            last_consonant = False
            continue
        if ch in "وي" and i > 0:
            out.append(("u" if ch == "و" else "i") if style == 0
                       else ("ou" if ch == "و" else "ee"))
            last_consonant = False
            continue
        latin = _AR_LETTERS.get(ch)
        if latin is None:
            continue
        if not latin:  # ʿayn and hamza: heard as a vowel in most Latin spellings
            out.append(vowel)
            last_consonant = False
            continue
        if last_consonant and latin:
            out.append(vowel)
        out.append(latin)
        last_consonant = bool(latin)
    text = "".join(out).capitalize() or word
    if article:
        return ("Al-" if style == 0 else "El ") + text
    return text


def _fold(text: str) -> str:
    """Latin letters without diacritics (đ → d, ø → o …)."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("ø", "o").replace("Ø", "O")
    text = text.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe")
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))


def _syllable_names(rng: random.Random, fake, male: bool, locale: str):
    """A maker of given names from the syllables of Faker's (one or two for Chinese, two
    for Korean)."""
    from faker.providers.person import ko_KR, zh_CN

    provider = zh_CN.Provider if locale == "zh_CN" else ko_KR.Provider
    names = provider.first_names_male if male else provider.first_names_female
    syllables = sorted({ch for name in names for ch in name})

    def make() -> str:
        first = rng.choice(syllables)
        if locale == "zh_CN" and rng.random() < 0.3:
            return first
        return first + rng.choice(syllables)

    return make


def _syllables(text: str) -> list[str]:
    from anyascii import anyascii

    return [anyascii(ch).capitalize() for ch in text if not ch.isspace()]


_KOREAN_PASSPORT = {"김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung",
                    "강": "Kang", "조": "Cho", "윤": "Yoon", "장": "Jang", "임": "Lim",
                    "한": "Han", "오": "Oh", "서": "Seo", "신": "Shin", "권": "Kwon",
                    "송": "Song", "류": "Ryu", "노": "Noh", "하": "Ha", "전": "Jeon"}


def _forms(locale: str, word: str, role: str) -> list[str]:
    """[native, Latin spelling, other Latin spellings…] of one pool word."""
    word = word.strip()
    if locale == "ru_RU":
        def scheme(table):
            return "".join(table.get(ch, ch) for ch in word.lower()).capitalize()
        return [word, *dict.fromkeys([scheme(_RU_ICAO), scheme(_RU_POPULAR)])]
    if locale == "ar_AA":
        parts = word.split()
        return [word, *dict.fromkeys(" ".join(_arabic_word(p, style) for p in parts)
                                     for style in (0, 1, 2))]
    if locale == "zh_CN":
        syllables = _syllables(word)
        if role == "surname":
            return [word, "".join(syllables)]
        joined = syllables[0] + "".join(s.lower() for s in syllables[1:])
        return [word, *dict.fromkeys([joined, " ".join(syllables), "-".join(syllables)])]
    if locale == "ko_KR":
        syllables = _syllables(word)
        if role == "surname":
            return [word, *dict.fromkeys([_KOREAN_PASSPORT.get(word, syllables[0]),
                                          "".join(syllables)])]
        tail = [s.lower() for s in syllables[1:]]
        return [word, *dict.fromkeys(["-".join([syllables[0], *tail]),
                                      syllables[0] + "".join(tail), " ".join(syllables)])]
    folded = _fold(word)
    return [word, folded] if folded != word else [word, word]


@dataclass
class Pools:
    """Per locale: lists of word forms ([native, Latin…]) by role, JSON-serialisable."""

    words: dict[str, dict[str, list[list[str]]]]

    @classmethod
    def build(cls, *, size: int = POOL_SIZE, seed: int = 11) -> Pools:
        from faker import Faker

        words: dict[str, dict[str, list[list[str]]]] = {}
        for locale, _share, _nationalities in LOCALES:
            fake = Faker(locale)
            fake.seed_instance(seed)

            def draw(make, role: str, n: int = size, locale: str = locale) -> list[list[str]]:
                seen = dict.fromkeys(make() for _ in range(n))
                return [_forms(locale, w, role) for w in seen if w and w.strip()]

            given_m, given_f = fake.first_name_male, fake.first_name_female
            rng = random.Random(seed)
            if locale in {"zh_CN", "ko_KR"}:
                given_m, given_f = (_syllable_names(rng, fake, male, locale)
                                    for male in (True, False))
            elif locale == "vi_VN":
                given_m, given_f = (lambda rng=rng: rng.choice(VIETNAMESE_GIVEN_M),
                                    lambda rng=rng: rng.choice(VIETNAMESE_GIVEN_F))
            pools = {
                "given_m": draw(given_m, "given"),
                "given_f": draw(given_f, "given"),
                "surname_m": draw(fake.last_name_male if hasattr(fake, "last_name_male")
                                  else fake.last_name, "surname"),
            }
            if locale == "ru_RU":
                pools["surname_f"] = draw(fake.last_name_female, "surname")
                pools["middle_m"] = draw(fake.middle_name_male, "middle")
                pools["middle_f"] = draw(fake.middle_name_female, "middle")
            elif locale == "vi_VN":
                # Each surname as often as it is borne (Nguyễn by nearly four in ten).
                pools["surname_m"] = [_forms(locale, w, "surname")
                                      for w, share in VIETNAMESE_SURNAMES for _ in range(share)]
                pools["middle_m"] = [_forms(locale, w, "middle") for w in ("Văn", "Đức", "Hữu",
                                     "Minh", "Quốc", "Thanh", "Xuân", "Công")]
                pools["middle_f"] = [_forms(locale, w, "middle") for w in ("Thị", "Ngọc", "Thu",
                                     "Thanh", "Kim", "Mai")]
            elif locale == "ar_AA":
                # Family names of one or two words only (Faker also has long tribe names).
                pools["surname_m"] = [f for f in pools["surname_m"] if len(f[0].split()) <= 2]
                pools["given_m"] += [[w, *forms] for w, forms in _AR_KNOWN.items()
                                     if w not in {"فاطمة", "عائشة", "مريم"}]
            words[locale] = pools
        return cls(words)

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps(self.words, ensure_ascii=False))

    @classmethod
    def load(cls, path: Path) -> Pools:
        return cls(json.loads(path.read_text()))


# ----------------------------------------------------------------------------- persons


def _typo(rng: random.Random, word: str) -> str:
    """One keying error: a letter changed, dropped, doubled or two swapped."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + rng.choice("aeiounrstlkm") + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]


def _misspelt(rng: random.Random, name: str) -> str:
    """The name with one keying error in its longest word."""
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    words[i] = _typo(rng, words[i])
    return " ".join(words)


TITLES = {"ar_AA": ("Sheikh", "Haji", "Dr."), "id_ID": ("Haji", "H.", "Dr."),
          "ru_RU": ("Dr.", "Mr"), "fr_FR": ("M.", "Dr"), "vi_VN": ("Mr", "Dr.")}


@dataclass
class Shape:
    """One person's name as words with roles, before any spelling is chosen."""

    locale: str
    sex: str
    given: list[str]
    middle: list[str] | None
    surname: list[str]

    def native(self) -> str:
        g, s = self.given[0], self.surname[0]
        m = self.middle[0] if self.middle else ""
        if self.locale in {"zh_CN", "ko_KR"}:
            return s + g
        if self.locale == "vi_VN":
            return " ".join(p for p in (s, m, g) if p)
        if self.locale == "ru_RU":
            return " ".join(p for p in (s, g, m) if p)  # official order: surname first
        if self.locale == "id_ID" and m:
            return f"{g} {'bin' if self.sex == 'M' else 'binti'} {m} {s}"
        return " ".join(p for p in (g, m, s) if p)

    def latin(self, scheme: int = 1, *, surname_first: bool = False,
              middle: bool = True) -> str:
        def form(word: list[str]) -> str:
            latins = word[1:]
            return latins[(scheme - 1) % len(latins)]

        g, s = form(self.given), form(self.surname)
        m = form(self.middle) if self.middle and middle else ""
        if self.locale in {"zh_CN", "ko_KR", "vi_VN"}:
            surname_first = not surname_first  # native order is surname first
        if self.locale == "id_ID" and m:
            m = f"{'bin' if self.sex == 'M' else 'binti'} {m}"
        if surname_first:
            return " ".join(p for p in (s.upper(), g, m) if p)
        return " ".join(p for p in (g, m, s) if p)


class Maker:
    """Entries and persons from :class:`Pools`, seeded."""

    def __init__(self, pools: Pools, seed: int = 1):
        self.pools = pools.words
        self.seed = seed
        self.locales = [code for code, _s, _n in LOCALES]
        self.shares = [share for _c, share, _n in LOCALES]
        self.nationalities = {code: n for code, _s, n in LOCALES}

    # -- names

    def shape(self, rng: random.Random, locale: str | None = None) -> Shape:
        locale = locale or rng.choices(self.locales, self.shares)[0]
        pools = self.pools[locale]
        sex = "M" if rng.random() < 0.8 else "F"
        given = rng.choice(pools["given_m" if sex == "M" else "given_f"])
        surname = rng.choice(pools["surname_f" if sex == "F" and "surname_f" in pools
                                   else "surname_m"])
        middle = None
        if "middle_m" in pools and rng.random() < (0.6 if locale == "ru_RU" else 0.9):
            middle = rng.choice(pools["middle_m" if sex == "M" else "middle_f"])
        elif locale in {"ar_AA", "id_ID"} and rng.random() < 0.6:
            middle = rng.choice(pools["given_m"])  # the father's name
        elif locale in {"en_US", "fr_FR"} and rng.random() < 0.3:
            middle = rng.choice(pools["given_m" if sex == "M" else "given_f"])
        return Shape(locale, sex, given, middle, surname)

    def _aliases(self, rng: random.Random, shape: Shape) -> list[str]:
        count = rng.choice((1, 2, 3, 3, 3, 4, 5))
        options = [
            lambda: shape.latin(1),
            lambda: shape.latin(2),
            lambda: shape.latin(1, surname_first=True),
            lambda: _misspelt(rng, shape.latin(rng.randrange(1, 3))),
            lambda: shape.latin(rng.randrange(1, 3), middle=False),
            lambda: rng.choice(TITLES.get(shape.locale, ("Dr.", "Mr"))) + " "
            + shape.latin(rng.randrange(1, 4)),
        ]
        out: list[str] = []
        primary = shape.native()
        for make in rng.sample(options, len(options)):
            name = make()
            if name not in out and name != primary:
                out.append(name)
            if len(out) == count:
                break
        return out

    # -- facts

    @staticmethod
    def _date(rng: random.Random) -> PartialDate:
        return PartialDate(rng.randint(1945, 2005), rng.randint(1, 12), rng.randint(1, 28))

    def _entry_dates(self, rng: random.Random) -> tuple[PartialDate, ...]:
        draw = rng.random()
        date = self._date(rng)
        if draw < 0.55:
            return (date,)
        if draw < 0.70:
            return (PartialDate(date.year, date.month),)
        if draw < 0.85:
            return (PartialDate(date.year),)
        if draw < 0.90:
            return (date, self._date(rng))
        if draw < 0.95:
            return (PartialDate(date.year, approximate=True),)
        return ()

    def _passport(self, rng: random.Random) -> str:
        return rng.choice(PASSPORT_LETTERS) + str(rng.randrange(1_000_000, 99_999_999))

    def entry(self, number: int) -> Record:
        """Entry ``number`` of the synthetic watchlist, the same for the same seed."""
        rng = random.Random(self.seed * 1_000_003 + number)
        shape = self.shape(rng)
        nationality_pool = self.nationalities[shape.locale]
        draw = rng.random()
        nationalities: tuple[str, ...] = ()
        if draw < 0.85:
            nationalities = (rng.choice(nationality_pool),)
        elif draw < 0.93:
            nationalities = tuple(dict.fromkeys((rng.choice(nationality_pool),
                                                 rng.choice(nationality_pool))))
        draw = rng.random()
        documents = ((self._passport(rng),) if draw < 0.45
                     else (self._passport(rng), self._passport(rng)) if draw < 0.5 else ())
        return Record(id=f"E{number}", names=(shape.native(), *self._aliases(rng, shape)),
                      birth_dates=self._entry_dates(rng), nationalities=nationalities,
                      documents=documents, sex=shape.sex if rng.random() < 0.9 else "",
                      extra={"shape": shape})

    def entries(self, count: int, start: int = 0) -> Iterator[Record]:
        """Entries ``start`` … ``start + count - 1`` without the generator's notes."""
        for number in range(start, start + count):
            record = self.entry(number)
            record.extra.clear()
            yield record

    def planted(self, entry: Record, number: int) -> Record:
        """The listed person as a passport carries them."""
        rng = random.Random(self.seed * 7_000_003 + number)
        shape: Shape = entry.extra["shape"]
        scheme = rng.randrange(1, 4)
        name = shape.latin(scheme, surname_first=rng.random() < 0.3,
                           middle=rng.random() < 0.6)
        if rng.random() < 0.3:
            name = _misspelt(rng, name)
        births = [d for d in entry.birth_dates]
        if births:
            base = births[0]
            month = base.month or rng.randint(1, 12)
            day = base.day or rng.randint(1, 28)
            year = base.year + (rng.choice((-1, 0, 1)) if base.approximate else 0)
            if base.day and base.day <= 12 and rng.random() < 0.05:
                month, day = base.day, base.month
            birth = PartialDate(year, month, day)
        else:
            birth = self._date(rng)
        nationality = (entry.nationalities[0] if entry.nationalities
                       else rng.choice(self.nationalities[shape.locale]))
        document = (entry.documents[0] if entry.documents and rng.random() < 0.3
                    else self._passport(rng))
        return Record(id=f"P{number}", names=(name,), birth_dates=(birth,),
                      nationalities=(nationality,), documents=(document,), sex=shape.sex,
                      extra={"planted": entry.id})

    def person(self, number: int) -> Record:
        """Someone not on any list (though a namesake may be)."""
        rng = random.Random(self.seed * 5_000_011 + number)
        shape = self.shape(rng)
        return Record(id=f"P{number}",
                      names=(shape.latin(rng.randrange(1, 3), middle=rng.random() < 0.7),),
                      birth_dates=(self._date(rng),),
                      nationalities=(rng.choice(self.nationalities[shape.locale]),),
                      documents=(self._passport(rng),), sex=shape.sex)

    def queries(self, count: int, *, entries: int, planted_share: float,
                start: int = 0) -> list[Record]:
        """``count`` persons, ``planted_share`` of them variants of listed ones."""
        rng = random.Random(self.seed * 3 + start)
        out = []
        for number in range(start, start + count):
            if rng.random() < planted_share:
                out.append(self.planted(self.entry(rng.randrange(entries)), number))
            else:
                out.append(self.person(number))
        return out


class PersonStream:
    """Many persons fast: numpy draws whole columns, Python only joins the strings.

    Person ``number`` is planted (a variant of an entry) when ``number % planted_every``
    is 0; the others are drawn in chunks, each chunk from its own seed, so any worker can
    produce any range and two runs produce the same persons.
    """

    CHUNK = 50_000

    def __init__(self, maker: Maker, *, entries: int, planted_every: int = PLANTED_EVERY,
                 chunk: int = CHUNK):
        self.maker = maker
        self.chunk_size = chunk
        self.entries = entries
        self.planted_every = planted_every
        self.columns = []
        for code, share, nationalities in LOCALES:
            pools = maker.pools[code]
            self.columns.append((
                share, np.array(nationalities, dtype=object),
                [np.array([w[1] for w in pools["given_m"]], dtype=object),
                 np.array([w[1] for w in pools["given_f"]], dtype=object)],
                [np.array([w[1] for w in pools["surname_m"]], dtype=object),
                 np.array([w[1] for w in pools.get("surname_f", pools["surname_m"])],
                          dtype=object)],
                code in {"zh_CN", "ko_KR", "vi_VN"}))
        shares = np.array([c[0] for c in self.columns])
        self.shares = shares / shares.sum()
        self._dates: dict[tuple[int, int, int], PartialDate] = {}

    def planted_entry(self, number: int) -> int:
        return (number * 7919) % self.entries

    def chunk(self, index: int, size: int) -> Iterator[Record]:
        start = index * self.chunk_size
        rng = np.random.default_rng([self.maker.seed, index])
        n = size
        locale = rng.choice(len(self.columns), size=n, p=self.shares)
        female = rng.random(n) < 0.2
        years = rng.integers(1945, 2006, n)
        months = rng.integers(1, 13, n)
        days = rng.integers(1, 29, n)
        passports = rng.integers(1_000_000, 99_999_999, n)
        letters = rng.integers(0, len(PASSPORT_LETTERS), n)
        picks = rng.integers(0, 1 << 30, (n, 3))
        dates = self._dates
        for i in range(n):
            number = start + i
            if number % self.planted_every == 0:
                yield self.maker.planted(self.maker.entry(self.planted_entry(number)), number)
                continue
            _share, nationalities, given, surnames, surname_first = self.columns[locale[i]]
            sex = int(female[i])
            g = given[sex][picks[i, 0] % len(given[sex])]
            s = surnames[sex][picks[i, 1] % len(surnames[sex])]
            key = (int(years[i]), int(months[i]), int(days[i]))
            date = dates.get(key)
            if date is None:
                date = dates[key] = PartialDate(*key)
            yield Record(
                id=f"P{number}", names=(f"{s} {g}" if surname_first else f"{g} {s}",),
                birth_dates=(date,),
                nationalities=(nationalities[picks[i, 2] % len(nationalities)],),
                documents=(f"{PASSPORT_LETTERS[letters[i]]}{passports[i]}",),
                sex="F" if sex else "M")

    def persons(self, start: int, stop: int) -> Iterator[Record]:
        """Persons ``start`` … ``stop - 1``; ``start`` is a multiple of the chunk size."""
        size = self.chunk_size
        for index in range(start // size, -(-stop // size)):
            yield from self.chunk(index, min(size, stop - index * size))


# ------------------------------------------------------------------- measured elsewhere


def peak_rss_bytes() -> int:
    """This process's peak resident memory.

    ``getrusage`` keeps, across ``exec``, the peak of the process that forked this one:
    started from a large bench process it would report that. The kernel's high-water mark
    of this process's own memory map (VmHWM) starts afresh at ``exec``; ``getrusage`` is
    the fallback where /proc is missing.
    """
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def current_rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def build_index(maker: Maker, count: int):
    from pora.screening.engine.index import Index

    index = Index()
    for record in maker.entries(count):
        index.add(record)
    index.settle()
    return index


def memory(pools: Path, entries: int, seed: int) -> dict:
    """Build an index of ``entries`` in this process; its peak memory is the figure."""
    maker = Maker(Pools.load(pools), seed)
    before = peak_rss_bytes()
    started = time.perf_counter()
    index = build_index(maker, entries)
    seconds = time.perf_counter() - started
    aliases = sum(len(r.names) - 1 for r in index) / max(len(index), 1)
    return {"entries": len(index), "aliases": aliases, "seconds": seconds,
            "peak_rss": peak_rss_bytes(), "rss_before": before,
            "postings_bytes": index.nbytes()}


def yardstick(query: Record, entries: list, threshold: int) -> list[tuple[str, int]]:
    """(id, score) of every entry scoring at least ``threshold`` for ``query``: what
    :meth:`Screener.exhaustive` finds, faster.

    An entry whose birth date, nationality, document and sex already hold its score below
    the threshold with a perfect name (the name gives at most 100) cannot reach it; only
    the others go through the full comparison. ``entries`` are prepared records.
    """
    from pora.screening.engine.score import (
        birth_feature,
        compare,
        document_feature,
        nationality_feature,
        prepare,
        sex_feature,
    )

    prepared = prepare(query)
    best_birth = 8.0  # the most a birth date adds (an exact one)
    found = []
    for entry in entries:
        points = 100.0 + nationality_feature(prepared.record, entry.record).points
        for extra in (document_feature(prepared, entry),
                      sex_feature(prepared.record, entry.record)):
            if extra is not None:
                points += extra.points
        if points + best_birth < threshold:
            continue
        if points + birth_feature(prepared.record, entry.record).points < threshold:
            continue
        score = compare(prepared, entry).score
        if score >= threshold:
            found.append((entry.record.id, score))
    return found


# Set before the yardstick's workers fork: they share the index copy-on-write.
_SCREENER = None


def _exhaustive_worker(records: list[Record]) -> list[tuple[str, list[tuple[str, int]]]]:
    from pora.screening.engine.score import prepare

    entries = [prepare(record) for record in _SCREENER.index]
    return [(r.id, yardstick(r, entries, _SCREENER.threshold)) for r in records]


class _Hits:
    """The hits file's writer, counting on the way (``pora screen`` writes its rows here)."""

    def __init__(self, writer, planted: dict[str, str], sample: set[str]):
        self.writer = writer
        self.planted = planted
        self.sample = sample
        self.rows = 0
        self.persons: set[str] = set()
        self.planted_found = 0
        self.sampled: dict[str, list[str]] = {}

    def writerows(self, rows: list[list[str]]) -> None:
        self.writer.writerows(rows)
        for person_id, entry_id, _score, _reasons in rows:
            self.rows += 1
            self.persons.add(person_id)
            self.planted_found += self.planted.get(person_id) == entry_id
            if person_id in self.sample:
                self.sampled.setdefault(person_id, []).append(entry_id)


def bulk(pools: Path, entries: int, persons: int, workers: int, seed: int,
         sample_size: int, limit: float) -> dict:
    """Screen ``persons`` against ``entries`` as ``pora screen --workers N`` does
    (:func:`pora.screening.engine.batch.screen_all`: chunks of persons to forked
    processes, the hits written to a CSV file), no longer than ``limit`` seconds; then,
    for a sample of those screened, compare what was found with every entry compared."""
    global _SCREENER
    import csv
    import tempfile

    from pora.screening.engine.batch import Rejections, screen_all
    from pora.screening.engine.index import Screener

    maker = Maker(Pools.load(pools), seed)
    started = time.perf_counter()
    screener = _SCREENER = Screener(build_index(maker, entries))
    build_seconds = time.perf_counter() - started
    stream = PersonStream(maker, entries=entries)
    # The sample comes from the first persons, which a run stopped at its time limit has
    # screened too: half of it planted persons, half anyone else.
    rng = random.Random(seed)
    early = range(min(persons, PersonStream.CHUNK))
    planted_early = [n for n in early if n % stream.planted_every == 0]
    others = [n for n in early if n % stream.planted_every]
    sample = set(rng.sample(planted_early, min(sample_size // 2, len(planted_early))))
    sample.update(rng.sample(others, min(sample_size - len(sample), len(others))))
    sample_ids = {f"P{n}" for n in sample}
    planted: dict[str, str] = {}
    kept: dict[str, Record] = {}
    deadline = time.perf_counter() + limit

    def fed() -> Iterator[Record]:
        for number, record in enumerate(stream.persons(0, persons)):
            if number % 1000 == 0 and time.perf_counter() > deadline:
                return
            if "planted" in record.extra:
                planted[record.id] = record.extra["planted"]
            if record.id in sample_ids:
                kept[record.id] = record
            yield record

    with tempfile.TemporaryDirectory(prefix="pora-bench-bulk-") as workdir:
        with open(Path(workdir) / "hits.csv", "w", newline="", encoding="utf-8") as handle:
            hits = _Hits(csv.writer(handle), planted, sample_ids)
            cpu = time.process_time()
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            screened, _rows = screen_all(screener, fed(), on=TODAY, workers=workers,
                                         rejected=Rejections("persons", sys.stderr),
                                         writer=hits)
            seconds = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (time.process_time() - cpu + after.ru_utime - children.ru_utime
                   + after.ru_stime - children.ru_stime)
        hits_file = (Path(workdir) / "hits.csv").stat().st_size
    # The yardstick: every entry compared, for the sample only (it is slow).
    records = [kept[i] for i in sorted(kept)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        exhaustive = dict(pair for part in pool.map(_exhaustive_worker,
                                                    [records[w::workers]
                                                     for w in range(workers)])
                          for pair in part)
    exhaustive_seconds = time.perf_counter() - started
    wanted = found = with_truth = best_found = 0
    missed = []
    for person_id, record in kept.items():
        scores = dict(exhaustive[person_id])
        truth = set(scores)
        got = truth & set(hits.sampled.get(person_id, ()))
        wanted += len(truth)
        found += len(got)
        if truth:
            with_truth += 1
            best = max(scores.values())
            best_found += any(scores[i] == best for i in got)
        if truth - got:
            missed.append({"person": person_id, "names": list(record.names), "found": len(got),
                           "missed": [f"{i} ({scores[i]})" for i in sorted(truth - got)]})
    return {"entries": entries, "persons": screened, "assigned": persons, "workers": workers,
            "build_seconds": build_seconds, "seconds": seconds, "cpu": cpu,
            "with_hits": len(hits.persons), "matches": hits.rows, "hits_file": hits_file,
            "planted": len(planted), "planted_found": hits.planted_found,
            "sample": len(kept),
            "sample_planted": sum(1 for i in kept if i in planted),
            "exhaustive_matches": wanted, "found": found, "missed": missed[:10],
            "with_exhaustive": with_truth, "best_found": best_found,
            "exhaustive_seconds": exhaustive_seconds, "peak_rss": peak_rss_bytes()}


def main(argv: list[str] | None = None) -> None:
    """``memory`` or ``bulk`` in this process; prints one JSON line with the figures."""
    parser = argparse.ArgumentParser(prog="python -m pora.bench.screening_data")
    parser.add_argument("measure", choices=["memory", "bulk"])
    parser.add_argument("--pools", type=Path, required=True)
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--persons", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--limit", type=float, default=1200.0,
                        help="bulk: stop screening after this many seconds")
    args = parser.parse_args(argv)
    if args.measure == "memory":
        figures = memory(args.pools, args.entries, args.seed)
    else:
        figures = bulk(args.pools, args.entries, args.persons, args.workers, args.seed,
                       args.sample, args.limit)
    sys.stdout.write(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
