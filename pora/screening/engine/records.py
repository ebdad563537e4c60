"""What the engine compares: a watchlist entry or a screened person, reduced to facts.

Both sides are :class:`Record`. Readers and the database layer build them; the engine
never sees a model instance, so the batch command runs without a database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

SEXES = {"M", "F"}
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")
_DOCUMENT_JUNK = re.compile(r"[^0-9A-Z]+")


class InvalidValue(ValueError):
    """A value a reader cannot use; ``field`` names the column, the text says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A birth date as far as it is known: year, year-month or year-month-day.

    ``approximate`` marks a year derived from an age ("about 45 in 2024"): it agrees with
    the year before and after as well.
    """

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    def __str__(self) -> str:
        if self.month is None:
            return f"{'~' if self.approximate else ''}{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def is_full(self) -> bool:
        return self.day is not None


def parse_date(value: str, *, field: str = "birth_date") -> PartialDate | None:
    """``"1980"``, ``"1980-05"``, ``"1980-05-12"`` (also with a time after it) or ''.

    Raises :class:`InvalidValue` for anything else, including impossible dates such as
    ``1980-13-45``.
    """
    value = (value or "").strip()
    if not value:
        return None
    if "T" in value:
        value = value.split("T", 1)[0]
    match = _DATE.match(value)
    if not match:
        raise InvalidValue(field, f"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(part) if part else None for part in match.groups())
    if not 1850 <= year <= 2100:
        raise InvalidValue(field, f"year {year} is out of range")
    if month is not None and not 1 <= month <= 12:
        raise InvalidValue(field, f"'{value}' has no month {month}")
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise InvalidValue(field, f"'{value}' is not a calendar date") from None
    return PartialDate(year, month, day)


def date_from_age(age: int, on: dt.date) -> PartialDate:
    """An age on a given day as an approximate year of birth."""
    if not 0 <= age <= 130:
        raise InvalidValue("age", f"age {age} is out of range")
    return PartialDate(on.year - age, approximate=True)


@lru_cache(maxsize=1024)
def country_alpha3(value: str) -> str | None:
    """ISO 3166 alpha-2 or alpha-3 (any case) → alpha-3; unknown → None.

    FollowTheMoney writes nationalities as alpha-2 (``"ru"``), passports as alpha-3.
    """
    code = (value or "").strip().upper()
    if code == "D":  # Germany in the machine readable zone
        return "DEU"
    if len(code) == 2:
        country = pycountry.countries.get(alpha_2=code)
        return country.alpha_3 if country else None
    if len(code) == 3:
        country = pycountry.countries.get(alpha_3=code)
        if country:
            return country.alpha_3
        return code if code in {"RKS", "XXA", "XXB", "XXC", "XXX", "UNO"} else None
    return None


def clean_document(value: str) -> str:
    """Upper case without spaces, dashes or '<' fillers: ``"ab 12-34"`` → ``"AB1234"``."""
    return _DOCUMENT_JUNK.sub("", (value or "").upper())


def clean_sex(value: str) -> str:
    """``M``/``F`` from the many ways lists write it; anything else is unknown ('')."""
    text = (value or "").strip().lower()
    if text in {"m", "male", "l", "laki-laki", "laki", "pria", "man"}:
        return "M"
    if text in {"f", "female", "p", "perempuan", "wanita", "woman", "w"}:
        return "F"
    return ""


@dataclass(frozen=True, slots=True)
class Record:
    """One side of a comparison.

    ``names`` holds every spelling, any script, the primary name first. ``nationalities``
    are alpha-3 codes, ``documents`` cleaned with :func:`clean_document`, ``sex`` "M", "F"
    or "" when unknown.
    """

    id: str
    names: tuple[str, ...]
    birth_dates: tuple[PartialDate, ...] = ()
    nationalities: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    sex: str = ""
    # Anything the caller wants back with a hit (list kind, action, caption…); not compared.
    extra: dict = field(default_factory=dict, compare=False, hash=False)
