"""Name normalisation shared by storage, search and import."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII letters and digits separated by single spaces.

    ``"Müller-Lüdenscheidt, José"`` → ``"muller ludenscheidt jose"``. Letters outside the
    Latin script pass through unchanged so they still compare with themselves.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("ß", "ss").replace("ø", "o").replace("đ", "d").replace("ł", "l")
    ascii_part = _NON_ALNUM.sub(" ", stripped) if stripped.isascii() else re.sub(
        r"[\s\-_,.'`’/()]+", " ", stripped
    )
    return " ".join(ascii_part.split())


def search_key(surname: str, given_names: str, other_names: list[str] | None = None) -> str:
    """What the fuzzy search compares against: given names, surname, then other spellings."""
    given = fold(given_names)
    parts = [given, fold(surname)]
    # "XIAO MING" is also written "XIAOMING": keep the joined form so either spelling
    # of the query meets it as a whole token.
    if " " in given:
        parts.append(given.replace(" ", ""))
    parts += [fold(name) for name in other_names or []]
    return " ".join(p for p in parts if p)[:600]


@lru_cache(maxsize=8192)
def sponsor_key(name: str) -> str:
    """Company names compare without legal-form noise: "PT. Maju Jaya" = "PT MAJU JAYA"."""
    return fold(name)[:200]
