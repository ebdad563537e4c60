"""Given names that show their bearer's sex, and tell one common name from another.

``data/given_names.txt`` lists common given names, each line one name in its usual
spellings with the sex of those who bear it. A screening uses it twice: where a record
leaves the sex out, a listed given name shows it (Stephanie Walker is a woman); and two
words on two different lines are two names however alike their letters, since a typing
error does not turn Rakesh into Rajesh, nor Michael into Michelle.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def _table() -> dict[str, tuple[int, str]]:
    """Spelling → (the line's number, "M" or "F")."""
    found: dict[str, tuple[int, str]] = {}
    text = resources.files("pora.names").joinpath("data/given_names.txt").read_text("utf-8")
    for number, line in enumerate(text.splitlines()):
        line = line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        sex, spellings = line.split(":", 1)
        for spelling in spellings.split():
            if spelling in found:
                raise ValueError(f"given_names.txt: {spelling!r} is on two lines")
            found[spelling] = (number, sex.strip())
    return found


def given_name_sex(word: str) -> str:
    """"M" or "F" for a listed given name, else ""."""
    listed = _table().get(word)
    return listed[1] if listed else ""


def other_given_names(a: str, b: str) -> bool:
    """Whether two words are two different listed given names (Rajesh and Rakesh,
    Michael and Michelle); not two spellings of one (Pradeep and Pradip), nor a word the
    table does not know (a misspelt Rajesj)."""
    table = _table()
    first, second = table.get(a), table.get(b)
    return first is not None and second is not None and first[0] != second[0]


def sex_of_given_names(tokens: tuple[str, ...]) -> str:
    """The sex the given names of a name show: "F" when one of its words is a woman's
    name (a woman's name carries her father's: Amina Said Haddad); "M" only when every
    word is a man's name (Mohammed Hassan Ali), since a woman's own name may be one the
    table lacks beside her father's (Nour Hassan Salem) or a family name that is a man's
    given name (Sandrine Robert); else ""."""
    sexes = [given_name_sex(word) for word in tokens]
    if "F" in sexes:
        return "F"
    if len(sexes) >= 2 and all(sex == "M" for sex in sexes):
        return "M"
    return ""
