"""What every culture of the evaluation set shares: words with their spellings, persons,
weighted tables, birth dates, passport numbers and keystroke errors.

A :class:`Word` is one name word as a person bears it: its identity (``key``), its form in
the original script and its Latin spellings, one per romanisation scheme. A
:class:`Person` is made of words by role (surname, given, middle). Cultures
(:mod:`.cultures`) draw persons and write their names; :mod:`.build` turns them into list
entries and registry persons.

Nothing here uses the engine's own transliteration (:mod:`pora.names`): the spellings come
from tables and rules written for this set, or a test of the engine would test the engine
against itself.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

GIVEN_FIRST = "given_first"
SURNAME_FIRST = "surname_first"
FIRST_YEAR, LAST_YEAR = 1940, 2005


class Table(Generic[T]):
    """Rows drawn in proportion to their weights (one ``random()`` a draw)."""

    def __init__(self, rows: Iterable[tuple[T, float]]):
        pairs = [(row, weight) for row, weight in rows if weight > 0]
        if not pairs:
            raise ValueError("a table needs a row with a positive weight")
        self.rows = [row for row, _weight in pairs]
        self.cumulative = list(itertools.accumulate(weight for _row, weight in pairs))

    def pick(self, rng: random.Random) -> T:
        at = rng.random() * self.cumulative[-1]
        return self.rows[min(bisect.bisect_right(self.cumulative, at), len(self.rows) - 1)]

    def __len__(self) -> int:
        return len(self.rows)

    def weight(self, row: T) -> float:
        i = self.rows.index(row)
        return self.cumulative[i] - (self.cumulative[i - 1] if i else 0.0)

    def only(self, rows: Iterable[T]) -> Table[T]:
        """The same weights, for ``rows`` only."""
        return Table((row, self.weight(row)) for row in rows)


def pick(rng: random.Random, rows: Sequence[tuple[T, float]]) -> T:
    """One of ``rows`` (value, weight) drawn by weight; for small, one-off tables."""
    return Table(rows).pick(rng)


@dataclass(frozen=True)
class Word:
    """One name word: ``key`` says which name it is (two spellings of one name share it),
    ``native`` is its form in the original script (or the Latin form with diacritics),
    ``forms`` its Latin spelling by scheme."""

    key: str
    native: str
    forms: tuple[tuple[str, str], ...]

    def latin(self, scheme: str) -> str:
        for name, form in self.forms:
            if name == scheme:
                return form
        return self.forms[0][1]


@dataclass(frozen=True)
class Person:
    """A person as the set knows them: the truth both a list entry and a passport are
    written from.

    ``given`` holds one word per given name, or one per syllable where a given name is
    made of syllables written apart or together (Chinese, Korean); ``middle`` the words
    between (a Vietnamese middle name, an Arab's father and grandfather, an Indian
    middle name); ``patronymic`` the Russian or Ukrainian patronymic, which lists give
    and passports do not. ``style`` holds per-person choices of how the passport writes
    the name (the syllable joiner, the scheme).
    """

    culture: str
    region: str
    sex: str
    born: dt.date
    nationality: str
    surname: tuple[Word, ...]
    given: tuple[Word, ...]
    middle: tuple[Word, ...] = ()
    patronymic: Word | None = None
    style: tuple[tuple[str, str], ...] = ()
    number: int = 0  # the person's identity; 0 until numbered

    def choice(self, name: str, default: str = "") -> str:
        return dict(self.style).get(name, default)

    def key(self) -> tuple[str, ...]:
        """Which name this is, spelling aside: the words a passport carries."""
        return tuple(w.key for w in (*self.surname, *self.middle, *self.given))

    def words(self) -> tuple[Word, ...]:
        return (*self.surname, *self.middle, *self.given)


# ---------------------------------------------------------------------------- spelling


def strip_marks(text: str) -> str:
    """Latin letters without diacritics (Đ, ł and ø have no decomposition: mapped)."""
    text = text.translate(_UNDECOMPOSED)
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))


_UNDECOMPOSED = str.maketrans({"Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o",
                               "ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe"})


def folded(text: str) -> str:
    """Lower-case Latin letters only: what two spellings must share to be "the same"."""
    return "".join(ch for ch in strip_marks(text).lower() if "a" <= ch <= "z")


def capitalised(text: str) -> str:
    """``ching-kuo`` → ``Ching-kuo``, ``al-qahtani`` → ``Al-qahtani`` (first letter only)."""
    return text[:1].upper() + text[1:] if text else text


def is_latin(text: str) -> bool:
    """Written in Latin letters (diacritics allowed), as opposed to another script."""
    for ch in text:
        if ch.isalpha() and not ("LATIN" in unicodedata.name(ch, "")):
            return False
    return True


# ------------------------------------------------------------------------------ dates


def _year_weight(year: int) -> float:
    """Listed persons are mostly middle-aged: a slope up from 1940 to a plateau over
    1965-1990 and down to 2005 (the ages of persons on wanted and entry-ban lists)."""
    if year < 1965:
        return 0.3 + 0.7 * (year - FIRST_YEAR) / (1965 - FIRST_YEAR)
    if year <= 1990:
        return 1.0
    return 1.0 - 0.8 * (year - 1990) / (LAST_YEAR - 1990)


YEARS = Table((year, _year_weight(year)) for year in range(FIRST_YEAR, LAST_YEAR + 1))


def birth_date(rng: random.Random) -> dt.date:
    """A birth date, any day of a year drawn from :data:`YEARS`."""
    year = YEARS.pick(rng)
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def other_day_same_year(rng: random.Random, born: dt.date) -> dt.date:
    """Another day of the same year, with another month and day (not a typing error)."""
    while True:
        day = dt.date(born.year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        if day.month != born.month and day.day != born.day:
            return day


def years_apart(rng: random.Random, born: dt.date, *, at_least: int) -> int:
    """Another birth year at least ``at_least`` years from ``born``'s, within the set's
    years."""
    choices = [y for y in range(FIRST_YEAR, LAST_YEAR + 1) if abs(y - born.year) >= at_least]
    return rng.choice(choices)


def moved_year(born: dt.date, year: int) -> dt.date:
    """``born`` in another year (29 February becomes the 28th where needed)."""
    try:
        return born.replace(year=year)
    except ValueError:
        return born.replace(year=year, day=28)


# ------------------------------------------------------------------------- documents

# Letters and digits of each state's current passport numbers ("L" a letter, "D" a
# digit), from the states' published specimens; "LDDDDDDDD" for the rest.
PASSPORT_FORMATS = {
    "RUS": "DDDDDDDDD", "UKR": "LLDDDDDD", "BLR": "LLDDDDDDD", "KAZ": "LDDDDDDDD",
    "CHN": "LDDDDDDDD", "TWN": "DDDDDDDDD", "KOR": "LDDDDDDDD", "PRK": "DDDDDDDDD",
    "JPN": "LLDDDDDDD", "VNM": "LDDDDDDD", "IND": "LDDDDDDD", "NGA": "LDDDDDDDD",
    "IDN": "LDDDDDDD", "MYS": "LDDDDDDDD", "USA": "DDDDDDDDD", "GBR": "DDDDDDDDD",
    "AUS": "LDDDDDDD", "CAN": "LLDDDDDD", "DEU": "LLLLDDDDD", "FRA": "DDLLDDDDD",
    "NLD": "LLLLLLDDD", "EGY": "LDDDDDDDD", "SAU": "LDDDDDDD", "MAR": "LLDDDDDDD",
}
_PASSPORT_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def passport_number(rng: random.Random, nationality: str) -> str:
    pattern = PASSPORT_FORMATS.get(nationality, "LDDDDDDDD")
    return "".join(rng.choice(_PASSPORT_LETTERS) if c == "L" else str(rng.randrange(10))
                   for c in pattern)


# ------------------------------------------------------------------------- keystrokes

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEAR: dict[str, str] = {}
for _r, _row in enumerate(_ROWS):
    for _c, _ch in enumerate(_row):
        _near = [_row[i] for i in (_c - 1, _c + 1) if 0 <= i < len(_row)]
        for _other in (_r - 1, _r + 1):
            if 0 <= _other < len(_ROWS):
                _near += [_ROWS[_other][i] for i in (_c - 1, _c, _c + 1)
                          if 0 <= i < len(_ROWS[_other])]
        _NEAR[_ch] = "".join(_near)


def keystroke_errors(rng: random.Random, text: str, count: int) -> str:
    """``text`` with ``count`` typing errors, each a neighbouring key struck instead, a
    letter left out, a letter struck twice or two letters swapped. The first letter of
    each word is kept (clerks rarely miss it) and a word keeps at least three letters."""
    chars = list(text)
    done = 0
    for _attempt in range(50):
        if done >= count and "".join(chars).casefold() != text.casefold():
            break
        positions = [i for i, ch in enumerate(chars)
                     if ch.isalpha() and i > 0 and chars[i - 1].isalpha()]
        if not positions:
            break
        i = rng.choice(positions)
        kind = rng.choice(("near", "near", "drop", "double", "swap"))
        upper = chars[i].isupper()
        low = chars[i].lower()
        if kind == "near" and low in _NEAR:
            new = rng.choice(_NEAR[low])
            chars[i] = new.upper() if upper else new
        elif kind == "drop" and _word_length(chars, i) > 3:
            del chars[i]
        elif kind == "double":
            chars.insert(i, chars[i])
        elif kind == "swap" and i + 1 < len(chars) and chars[i + 1].isalpha() \
                and chars[i + 1].lower() != low:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            continue
        done += 1
    return "".join(chars)


def _word_length(chars: list[str], i: int) -> int:
    start = i
    while start > 0 and chars[start - 1].isalpha():
        start -= 1
    end = i
    while end < len(chars) and chars[end].isalpha():
        end += 1
    return end - start


def digit_typo(rng: random.Random, born: dt.date) -> dt.date:
    """The birth date as a clerk mistypes it: the year's last digit one key off
    (1980→1981 or 1979), two neighbouring digits of the year swapped (1975→1957) or the
    two digits of the day swapped (13→31); always a valid, different date."""
    for _attempt in range(20):
        kind = rng.choice(("last", "last", "last", "swap_year", "swap_day"))
        year, day = born.year, born.day
        if kind == "last":
            year += rng.choice((-1, 1))
        elif kind == "swap_year":
            digits = list(f"{year:04d}")
            if digits[2] == digits[3]:
                continue
            digits[2], digits[3] = digits[3], digits[2]
            year = int("".join(digits))
        else:
            if day < 10 or day % 10 == day // 10:
                continue
            day = int(f"{day:02d}"[::-1])
        if not FIRST_YEAR - 20 <= year <= LAST_YEAR + 20:
            continue
        try:
            changed = dt.date(year, born.month, day)
        except ValueError:
            continue
        if changed != born:
            return changed
    return born.replace(year=born.year + 1)


def swapped_day_month(born: dt.date) -> dt.date | None:
    """The date with day and month exchanged, when that is another valid date."""
    if born.day > 12 or born.day == born.month:
        return None
    return dt.date(born.year, born.day, born.month)

