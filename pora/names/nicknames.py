"""Hypocorisms: the short and familiar forms that stand for a given name.

A watchlist entry says Mikhail, the person's hotel registration says Misha; Robert is
Bob, Muhammad is abbreviated Mohd in Malaysia and Md in Bangladesh. No string similarity
meets these, so a name belongs to groups: :func:`name_groups` gives the full names a token
may stand for, and :func:`are_hypocorisms` says whether two tokens share one.

English comes from the ``nicknames`` package (Apache-2.0; a hand-curated table of about
2,700 name–nickname pairs from genealogical usage). The other languages are PORA's own table,
``data/hypocorisms.txt``, whose groups list a name's usual transliterations too (Mikhail,
Michail, Mykhailo), so that a short form meets the name however the full form is spelt.
Where the package's canonical name is a spelling in PORA's table (``alexander``), its
nicknames join PORA's group (``alex`` meets ``aleksandr``).

Decision: a few English nicknames are left out because they are also common Chinese or
Korean name syllables and rare as English short forms (``lee`` for Shirley, ``chan`` for
Chauncey, ``wen`` for Wendy): matching them would link Asian names to unrelated English
ones. For the same reason Portuguese ``ze`` (José) is not in PORA's table.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from importlib import resources

# Package nicknames that are Chinese/Korean name syllables first (see the docstring).
_EXCLUDED = frozenset({"bo", "chan", "di", "dian", "kam", "lan", "lee", "lu", "ren", "sha",
                       "si", "wen"})
# Pairs the package gives as nicknames that are the same name in another language.
_COGNATES = frozenset({("ivan", "john"), ("johann", "john"), ("johannes", "john"),
                       ("johannes", "johnny"), ("johannes", "jonathan"), ("elena", "helen"),
                       ("lena", "ellen"), ("jacobus", "jacob"), ("manuel", "emanuel")})


def _fold(token: str) -> str:
    """Lower case without accents, as normalise leaves a Latin token (josé → jose)."""
    decomposed = unicodedata.normalize("NFKD", token.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _groups() -> dict[str, frozenset[str]]:
    """Token → the groups (canonical full names) it belongs to, from both sources."""
    groups: dict[str, set[str]] = {}
    spelling_group: dict[str, str] = {}
    text = resources.files("pora.names").joinpath("data/hypocorisms.txt").read_text("utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        group, rest = line.split(":", 1)
        full, _, short = rest.partition("|")
        for spelling in full.split():
            spelling_group.setdefault(spelling, group)
            groups.setdefault(spelling, set()).add(group)
        for nickname in short.split():
            groups.setdefault(nickname, set()).add(group)
    for canonical, nickname in _package_pairs():
        group = spelling_group.get(canonical, canonical)
        groups.setdefault(canonical, set()).add(group)
        groups.setdefault(nickname, set()).add(group)
    return {token: frozenset(names) for token, names in groups.items()}


@cache
def _own_groups() -> frozenset[str]:
    text = resources.files("pora.names").joinpath("data/hypocorisms.txt").read_text("utf-8")
    return frozenset(line.split("#", 1)[0].split(":", 1)[0].strip()
                     for line in text.splitlines() if ":" in line.split("#", 1)[0])


def curated_group(group: str) -> bool:
    """Whether a group comes from PORA's own table (its short forms were chosen for the
    languages it covers, where a diminutive may be longer than the name: Seryozha)."""
    return group in _own_groups()


def _package_pairs() -> list[tuple[str, str]]:
    """The ``nicknames`` package's (name, nickname) pairs, read as groups need them.

    The package lists some pairs both ways (bob has nickname robert, robert has nickname
    bob); a group is named by the full name, so the longer word of such a pair is the name
    (a tie, allan/allen, is two spellings of one name and stays both ways). Cognates across
    languages that it lists as nicknames (Ivan–John) are left out, as in PORA's table.
    """
    from nicknames import NickNamer

    rows = {(name, nick) for name, nicks in NickNamer().nickname_lookup.items()
            for nick in nicks
            if name not in _EXCLUDED and nick not in _EXCLUDED and (name, nick) not in _COGNATES}
    return sorted((name, nick) for name, nick in rows
                  if (nick, name) not in rows or len(name) >= len(nick))


@lru_cache(maxsize=8_192)
@lru_cache(maxsize=65_536)
def name_groups(token: str) -> frozenset[str]:
    """The full names a given-name token stands for; empty when it is in no group.

    ``"misha"`` → ``{"mikhail"}``, ``"michail"`` → ``{"mikhail"}`` (a spelling of the
    name), ``"bob"`` → ``{"robert", ...}``, ``"mohd"`` → ``{"muhammad"}``, ``"sasha"`` →
    ``{"aleksandr", "aleksandra"}``. A full name is in its own group (``"robert"`` →
    ``{"robert"}``). Expects a normalised token (lower-case Latin); accents are folded.
    """
    return _groups().get(_fold(token), frozenset())


def are_hypocorisms(a: str, b: str) -> bool:
    """Whether two different given-name tokens can stand for the same name.

    ``("misha", "mikhail")``, ``("bob", "robert")``, ``("md", "mohammed")`` are;
    ``("misha", "masha")`` are not (Mikhail and Mariya), nor is a word with itself.
    Spelling variants of one name in PORA's table are too (``mikhail``, ``michail``).
    """
    a, b = _fold(a), _fold(b)
    return a != b and not name_groups(a).isdisjoint(name_groups(b))
