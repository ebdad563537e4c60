"""The sex a name's form shows, where the language marks it: Slavic surnames and
patronymics change with the bearer's sex (Volkov / Volkova, Sokolovsky / Sokolovskaya,
Ivanovich / Ivanovna), and so do many given names beside them (Aleksandr / Aleksandra).

A watchlist often leaves the sex out; the form of the name then still tells "Aleksandra
Volkova" from "Aleksandr Volkov", two people of one family. The rule is deliberately
narrow: a feminine form needs two witnesses (a feminine surname ending and a given name
ending in -a), so that Italian "Casanova" or Spanish "Molina" say nothing alone, and any
disagreement between the words ("Irina Volkov", a woman's name written in the masculine
form by a foreign clerk) leaves the sex unknown.
"""

from __future__ import annotations

from functools import lru_cache

from pora.names.given import sex_of_given_names
from pora.names.transliteration import VIETNAMESE_SURNAMES

# Endings of surnames and patronymics, longest first within each (Russian, Ukrainian,
# Belarusian, Bulgarian, Polish, Czech; transliterated as passports write them).
MASCULINE_ENDINGS = ("ovich", "evich", "ovych", "evych", "skiy", "skii", "skyi", "sky",
                     "ski", "yov", "ov", "ev")
FEMININE_ENDINGS = ("ovna", "evna", "ivna", "skaya", "skaia", "ska", "yova", "ova", "eva")
# Given names ending in -a that are men's names.
MASCULINE_IN_A = frozenset({
    "nikita", "mykyta", "ilya", "ilia", "illya", "foma", "kuzma", "savva", "luka", "danila",
    "gavrila", "mykola", "sava", "jovica", "andrija", "nikola", "mirza",
})
# Women's names that end like a masculine surname.
FEMININE_LOOKING_MASCULINE = frozenset({"lyubov", "liubov", "lubov", "ljubov"})


def _signal(word: str) -> str:
    """"M", "F" or "" for one word, from its ending alone."""
    if len(word) < 5 or word in FEMININE_LOOKING_MASCULINE:
        return ""
    for ending in FEMININE_ENDINGS:
        if word.endswith(ending):
            return "F"
    for ending in MASCULINE_ENDINGS:
        if word.endswith(ending):
            return "M"
    return ""


# Vietnamese middle names that say the sex: Văn for men, Thị for women (beside one of the
# commonest family names, so that Dutch "van" says nothing).
VIETNAMESE_MARKERS = {"van": "M", "thi": "F"}


def vietnamese_name(tokens: tuple[str, ...]) -> bool:
    """Beside one of the commonest Vietnamese family names, with Văn or Thị or three words
    or more (a lone Ho or Mai may be Chinese or English)."""
    return not VIETNAMESE_SURNAMES.isdisjoint(tokens) and (
        len(tokens) >= 3 or not {"van", "thi"}.isdisjoint(tokens))


@lru_cache(maxsize=65_536)
def name_sex(tokens: tuple[str, ...]) -> str:
    """"M" or "F" when the name's form says so without contradiction, else "".

    ``tokens`` are a name's normalised words (lower-case Latin). Masculine: a masculine
    surname or patronymic ending and no feminine word. Feminine: a feminine ending and a
    given name ending in -a that is not a man's name. A name without such endings: the
    sex its listed given names show (names.given).
    """
    if not VIETNAMESE_SURNAMES.isdisjoint(tokens):
        marked = {VIETNAMESE_MARKERS[w] for w in tokens if w in VIETNAMESE_MARKERS}
        if len(marked) == 1:
            return marked.pop()
    signals = {_signal(word) for word in tokens} - {""}
    if not signals:
        return sex_of_given_names(tokens)
    if len(signals) != 1:
        return ""
    sex = signals.pop()
    given_a = [w for w in tokens if _signal(w) == "" and len(w) >= 3 and w.endswith("a")
               and w not in MASCULINE_IN_A]
    if sex == "F":
        return "F" if given_a else ""
    return "" if given_a else "M"
