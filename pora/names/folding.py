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
    if text.isascii():
        # Passport names are almost always plain ASCII: skip the Unicode work.
        return " ".join(_NON_ALNUM.sub(" ", text.lower()).split())
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
    """What the fuzzy search compares against: alternative spellings separated by "|".

    The first is "given surname" as in the passport; "XIAO MING" is also kept joined as
    "XIAOMING" so either spelling of a query meets it; other recorded spellings follow.
    """
    given, surname_folded = fold(given_names), fold(surname)
    alternatives = [f"{given} {surname_folded}".strip()]
    if " " in given:
        alternatives.append(f"{given.replace(' ', '')} {surname_folded}".strip())
    alternatives += [fold(name) for name in other_names or []]
    # ICAO 9303 writes Ä, Ö, Ü as AE, OE, UE in the machine readable zone: the passport
    # that shows MÜLLER reads MUELLER there. Keep that spelling too, so a name typed from
    # the MRZ meets the stored one (PostgreSQL's trigram prefilter misses it otherwise).
    if not (given_names.isascii() and surname.isascii()):
        icao = f"{_icao(given_names)} {_icao(surname)}".strip()
        if icao not in alternatives:
            alternatives.append(icao)
    return "|".join(a for a in alternatives if a)[:600]


def _icao(name: str) -> str:
    return fold(name.casefold().translate(_ICAO_LATIN))


@lru_cache(maxsize=8192)
def sponsor_key(name: str) -> str:
    """Company names compare without legal-form noise: "PT. Maju Jaya" = "PT MAJU JAYA"."""
    return fold(name)[:200]
