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


_ICAO_LATIN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "å": "aa", "æ": "ae",
                             "ø": "oe", "ß": "ss"})


def search_key(surname: str, given_names: str, other_names: list[str] | None = None) -> str:
    """What the fuzzy search compares against: given names, surname, then other spellings."""
    given = fold(given_names)
    parts = [given, fold(surname)]
    # "XIAO MING" is also written "XIAOMING": keep the joined form so either spelling
    # of the query meets it as a whole token.
    if " " in given:
        parts.append(given.replace(" ", ""))
    parts += [fold(name) for name in other_names or []]
    # ICAO 9303 writes Ä, Ö, Ü as AE, OE, UE in the machine readable zone: the passport
    # that shows MÜLLER reads MUELLER there. Keep that spelling too, so a name typed from
    # the MRZ meets the stored one (PostgreSQL's trigram prefilter misses it otherwise).
    for name in (given_names, surname, *(other_names or [])):
        icao = fold(name.casefold().translate(_ICAO_LATIN))
        if icao != fold(name):
            parts.append(icao)
    return " ".join(p for p in parts if p)[:600]


@lru_cache(maxsize=8192)
def sponsor_key(name: str) -> str:
    """Company names compare without legal-form noise: "PT. Maju Jaya" = "PT MAJU JAYA"."""
    return fold(name)[:200]
