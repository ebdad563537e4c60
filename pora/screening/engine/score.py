"""How alike a person and a watchlist entry are: 0 to 100, with the reasons.

Each fact is one small function returning a :class:`Reason`: its code, the points it adds
or takes away, the values it rests on and an English sentence (the web application renders
the same code in the reader's language). The name gives the base score, 0 to 100; birth
date, nationality, document and sex then add or subtract their weights (:data:`WEIGHTS`).
A homonym with a clearly different birth date or nationality therefore lands well below the
threshold, while a missing or partial birth date neither helps nor hides a strong name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from pora.names.chinese import (
    hk_spells_pinyin,
    hong_kong_name,
    is_hk_syllable,
    is_pinyin,
    wade_giles_to_pinyin,
)
from pora.names.gender import name_sex, vietnamese_name
from pora.names.given import other_given_names
from pora.names.nicknames import name_groups
from pora.names.readings import (
    korean_key,
    korean_surname,
    korean_surname_number,
    name_readings,
)
from pora.names.transliteration import VIETNAMESE_SURNAMES, has_vowel, normalise, phonetic, skeleton
from pora.screening.engine.records import PartialDate, Record

DEFAULT_THRESHOLD = 80

# Points each fact adds to (or takes from) the name's score.
WEIGHTS = {
    "birth_exact": 8,
    "birth_month": 5,  # year and month agree, the day is unknown on one side
    "birth_year": 3,  # the year agrees, one side knows only the year
    "birth_about": 2,  # an age-derived year within one year
    "birth_swapped": 4,  # day and month swapped (12/05 against 05/12)
    "birth_close": 0,  # one digit or field off: a typing error as likely as not
    "birth_same_year": -30,
    # No date on one side: a name alone must be all but certain (Ravi Kumar against Pandey
    # Ravi Kumar, Muhammad Ali against Muhammad Ali Khan).
    "birth_unknown": -6,
    "birth_different": -30,
    "nationality_same": 4,
    "nationality_different": -30,
    "document_same": 40,
    "document_ocr": 35,
    "sex_same": 1,
    "sex_different": -30,
    # The sex one side's name shows by its form (names.gender) against the other's.
    "sex_different_name": -30,
}

DOCUMENT_FLOOR = 90
DOCUMENT_OCR_FLOOR = 85

# The English sentence of every reason; ``%(name)s`` come from the reason's params.
TEXTS = {
    "name_same": "Same name: %(query)s = %(entry)s",
    "name_reordered": "Same names in another order: %(query)s = %(entry)s",
    "name_similar": "Names %(percent)s%% alike: %(query)s ~ %(entry)s (%(detail)s)",
    "name_script": "Name written in another script, read as Latin: %(original)s → %(latin)s",
    "name_reading": "Name read another way (%(how)s): %(original)s → %(reading)s",
    "birth_exact": "Same birth date: %(query)s",
    "birth_month": "Same year and month of birth: %(query)s / %(entry)s",
    "birth_year": "Same year of birth: %(query)s / %(entry)s",
    "birth_about": "Birth year agrees with the recorded age: %(query)s / %(entry)s",
    "birth_swapped": "Birth date with day and month swapped: %(query)s / %(entry)s",
    "birth_close": "Birth dates differ by one field, possibly a typing error: %(query)s / %(entry)s",
    "birth_same_year": "Same year of birth but a different day and month: %(query)s / %(entry)s",
    "birth_different": "Clearly different birth dates: %(query)s / %(entry)s",
    "birth_unknown": "No birth date to compare: the name alone must be all but certain",
    "nationality_same": "Same nationality: %(codes)s",
    "nationality_different": "Different nationality: %(query)s / %(entry)s",
    "nationality_unknown": "No nationality to compare",
    "document_same": "Same document number: %(number)s",
    "document_ocr": "Document numbers equal but for O/0 or I/1 confusion: %(query)s / %(entry)s",
    "document_different": "Different document numbers",
    "sex_same": "Same sex",
    "sex_different": "Different sex",
    "sex_different_name": "The name's form shows another sex: %(query)s / %(entry)s",
}
# How two name words were found alike, for the name reason's detail.
HOW = {"same": "", "spelling": "spelling", "sound": "sounds alike",
       "consonants": "same consonants", "initial": "initial", "particle": "particle joined",
       "longer": "a longer name", "form": "the other sex's form",
       "syllable": "another syllable", "typing": "typing error",
       "cantonese": "Hong Kong spelling of the pinyin", "given": "another given name"}


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    points: float
    params: dict
    text: str

    def as_dict(self) -> dict:
        return {"code": self.code, "points": self.points, "params": self.params,
                "text": self.text}


def reason(code: str, points: float, **params) -> Reason:
    return Reason(code, points, params, TEXTS[code] % params if params else TEXTS[code])


@dataclass(frozen=True, slots=True)
class Match:
    query_id: str
    entry_id: str
    score: int
    reasons: tuple[Reason, ...]
    entry: Record


@dataclass(frozen=True, slots=True)
class PreparedName:
    raw: str
    tokens: tuple[str, ...]
    latin: bool  # written in Latin letters already
    reading: str = ""  # how ``tokens`` were read from ``raw`` (names.readings), "" as written


@dataclass(frozen=True, slots=True)
class Prepared:
    """A record with its names normalised once, for comparing against many others."""

    record: Record
    names: tuple[PreparedName, ...]
    documents: frozenset[str]
    documents_ocr: frozenset[str]
    # "M" or "F" when the names' form shows it and every spelling agrees (names.gender).
    sex_by_name: str = ""


_OCR = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8",
                      "Z": "2"})


def ocr_fold(number: str) -> str:
    """Letters an OCR or a clerk confuses with digits, as those digits."""
    return number.translate(_OCR)


def prepare(record: Record | Prepared) -> Prepared:
    if isinstance(record, Prepared):
        return record
    names = []
    seen = set()
    for raw in record.names:
        words = tuple(normalise(raw).split())
        if words and words not in seen:
            seen.add(words)
            names.append(PreparedName(raw, words, raw.isascii()))
    written = len(names)
    # Every written name's readings, also of one whose words another already has (胡宇
    # beside Hu Yu still reads Wu Yu in Cantonese).
    for raw in record.names:
        for words, kind in name_readings(raw, record.nationalities):
            if words not in seen:
                seen.add(words)
                names.append(PreparedName(raw, words, raw.isascii(), kind))
    shown = {name_sex(name.tokens) for name in names[:written]} - {""}
    return Prepared(record, tuple(names), frozenset(record.documents),
                    frozenset(ocr_fold(d) for d in record.documents),
                    shown.pop() if len(shown) == 1 else "")


# --- names -------------------------------------------------------------------------------

# Particles some spellings write joined to the name: "Alotaibi", "Vandenberg".
JOINED_PREFIXES = ("al", "el", "van", "vanden", "vander", "von", "de", "del", "della", "di",
                   "da", "le", "la")


@lru_cache(maxsize=65_536)
def particle_rests(word: str) -> tuple[tuple[str, str], ...]:
    """(particle, rest) for each particle the word may begin with, written joined:
    ``alotaibi`` → ``(("al", "otaibi"),)``; the rest keeps three letters or more."""
    return tuple((prefix, word[len(prefix):]) for prefix in JOINED_PREFIXES
                 if word.startswith(prefix) and len(word) - len(prefix) >= 3)


def word_similarity(a: str, b: str, hong_kong: int = 0, family: str = "",
                    form_rule: bool = True) -> tuple[float, str]:
    """0–100 and how: the same word, a spelling variant, a typing error, sounding alike,
    the same consonants (one side written without vowels, as Arabic script does), a
    particle written joined, or an initial; and low where the words' shapes say they are
    two names however alike their letters: two pinyin syllables or Korean family names,
    the other sex's form of a given name, a word with a derivational tail or a nisba.

    ``family``: what both names are (:func:`name_family`). In two Chinese names, two
    pinyin words are other characters even when written as one (Pingxiu and Pingyi), unless
    one letter apart, as a typing error leaves them (Liaang and Liang); in two Korean or
    two Vietnamese names, two syllables are two names (Hyun and Hun, Dung and Tung).
    ``hong_kong`` and ``form_rule``: see :func:`_word_similarity`. The family's rule is
    applied here, outside the remembered part, which the families would split: it comes
    first among the rules that cap a pair, so it only needs to know whether one could."""
    best, how, open_to_caps = _word_similarity(a, b, hong_kong, form_rule)
    if family and open_to_caps and other_family_syllables(family, a, b):
        return OTHER_SYLLABLE, "syllable"
    return best, how


@lru_cache(maxsize=1_000_000)
def _word_similarity(a: str, b: str, hong_kong: int = 0, form_rule: bool = True
                     ) -> tuple[float, str, bool]:
    """:func:`word_similarity` but for the family's rule, and whether that rule may cap the
    pair (a spelling, sound or typing likeness above OTHER_SYLLABLE that the syllable rule
    left alone). ``form_rule`` False leaves the other sex's form out, for persons whose
    known sexes rule it out (:func:`with_sexes`: a woman's "Svitlan" is Svitlana cut
    short). ``hong_kong`` is 1 when ``a`` is of a name spelt the Hong Kong way and ``b`` of
    one that is not (2 the other way round): the Hong Kong syllables may then spell the
    pinyin ones (Kwok and Guo, Man Siu and Wenxiao: names.chinese.hk_spells_pinyin)."""
    if a == b:
        return 100.0, "same", False
    best, how = fuzz.ratio(a, b), "spelling"
    if best < 92:
        # Romanisation variants: Iurii/Yuriy, Mikhail/Mihail, Josef/Yosef.
        sa, sb = simplified(a), simplified(b)
        if sa == sb:
            best = 92.0
        else:
            best = max(best, fuzz.ratio(sa, sb) - 3)
        if may_be_typed(best, len(a), len(b)):
            typed = typing_similarity(a, b)
            if typed > best:
                best, how = min(typed, best + TYPING_GAIN), "typing"
    # Sounding alike counts for words of some length that are also spelt half alike:
    # short syllables ("hai", "huy"; Korean "seok", "sig") collide in Metaphone.
    shortest = min(len(a), len(b))
    if best < 92 and shortest >= 4 and best >= 50 and phonetic(a) == phonetic(b):
        best, how = (92.0 if shortest >= 5 else 85.0), "sound"
    if best < 90 and (not has_vowel(a) or not has_vowel(b)) and _same_consonants(a, b):
        best, how = 90.0, "consonants"
    if best < 90:
        for x, y in ((a, b), (b, a)):
            for prefix, rest in particle_rests(x):
                if not y.startswith(prefix) and (rest == y or fuzz.ratio(rest, y) >= 90 or (
                        not has_vowel(y) and _same_consonants(rest, y))):
                    best, how = 90.0, "particle"
    if best < 70 and (len(a) == 1 or len(b) == 1) and a[0] == b[0]:
        best, how = 70.0, "initial"
    if hong_kong and best < 100:
        spelt, other = (a, b) if hong_kong == 1 else (b, a)
        if hk_spells_pinyin(spelt, other):
            best, how = max(best, HONG_KONG_PINYIN), "cantonese"
        elif best > OTHER_SYLLABLE and (pinyin_word(other) or wade_giles_to_pinyin(other)):
            # Syllables the table does not pair are other characters, however alike they
            # sound (Keung is 強 Qiang, not Guang; Wing is not Wang).
            return OTHER_SYLLABLE, "syllable", False
    if best > OTHER_SEX_NAME and (not has_vowel(a) or not has_vowel(b)) and not (
            _arabic_endings_agree(a, b)):
        # Written in Arabic script with another ending: Karim and Karima (كريمة), Idris
        # and Idrisi (إدريسي), Mohammadi and Mohammad (محمد).
        if a[-1] in "iy" or b[-1] in "iy":  # a final i or ya: a nisba on one side
            return min(best, LONGER_NAME), "longer", False
        return min(best, OTHER_SEX_NAME), "form", False
    if how not in ("spelling", "sound", "typing"):
        return best, how, False
    if best > OTHER_SYLLABLE and other_syllables(*syllable_codes(a), *syllable_codes(b)):
        return OTHER_SYLLABLE, "syllable", False
    # The family's rule (word_similarity) caps the pair here, before the rules below.
    open_to_caps = best > OTHER_SYLLABLE
    if form_rule and (other_sex_form(a, b) or _other_sex_form_simplified(a, b)):
        form = OTHER_SEX_FORM if slavic_form(a, b) else OTHER_SEX_NAME
        best, how = min(best, form), "form"
    elif best > LONGER_NAME and _longer_name(a, b):
        best, how = LONGER_NAME, "longer"
    elif best > OTHER_GIVEN_NAME and other_given_names(a, b) and not (
            name_groups(a) & name_groups(b)):
        best, how = OTHER_GIVEN_NAME, "given"
    return best, how, open_to_caps


# A Hong Kong spelling that may stand for the pinyin (Kwok for Guo): a syllable spells
# several characters' sounds, so this is short of the same word.
HONG_KONG_PINYIN = 86.0

# Two pinyin syllables are two Chinese characters, however alike their letters (liang and
# ling, chen and cheng, jian and jiang): other spellings of one syllable come as readings.
OTHER_SYLLABLE = 50.0


def syllable_codes(word: str) -> tuple[int, int]:
    """What the syllable rule looks at: 1 for a pinyin syllable (else 0), and the number
    of the Korean family name the word spells (-1 for none). The index keeps both for
    every word it knows and applies :func:`other_syllables` to its estimate."""
    return int(is_pinyin(word)), korean_surname_number(word)


def other_syllables(pinyin_a, korean_a, pinyin_b, korean_b):
    """Two different words that are both pinyin syllables, or spell two Korean family
    names: two names, capped at OTHER_SYLLABLE. Written with arithmetic only, it takes
    the codes of :func:`syllable_codes` as numbers or as numpy arrays."""
    return (pinyin_a * pinyin_b > 0) | (
        (korean_a >= 0) & (korean_b >= 0) & (korean_a != korean_b))


# A Slavic surname in the other sex's form (Volkov / Volkova) is the same family, perhaps
# the same person recorded in the wrong form: alike, short of a spelling variant. A given
# name in the other sex's form (Robert / Roberta, Jamil / Jamila, Kumar / Kumari) is
# another person.
OTHER_SEX_FORM = 85.0
OTHER_SEX_NAME = 50.0
# Endings of the shorter word of a Slavic pair: -ov/-ev/-in (Volkov), -sky/-ski (Sokolovsky),
# a patronymic (Ivanovich).
_SLAVIC_ENDINGS = ("ov", "ev", "in", "yn", "sky", "skiy", "skii", "ski", "ich")
_SEX_PAIRS = (("sky", "skaya"), ("skiy", "skaya"), ("skii", "skaia"), ("ski", "ska"),
              ("ovich", "ovna"), ("evich", "evna"), ("ich", "na"), ("iy", "aya"), ("yi", "aya"))
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")


def with_sexes(found: tuple[float, str], a: str, b: str, sexes: tuple[str, str],
               hong_kong: int = 0, family: str = "") -> tuple[float, str]:
    """:func:`word_similarity`'s ``found`` for ``a`` and ``b``, unless it read them as a
    man's and a woman's form and the persons' known ``sexes`` rule that out (the masculine
    form held by a woman: her "Svitlan" is Svitlana cut short). Apart from the cached
    word_similarity, which the sexes of every pair of persons would split."""
    if found[1] == "form" and _form_contradicted(a, b, *sexes):
        return word_similarity(a, b, hong_kong, family, False)
    return found


def _form_contradicted(a: str, b: str, sex_a: str, sex_b: str) -> bool:
    """Whether the persons' known sexes rule out reading the pair as a man's and a woman's
    form: the masculine form held by a woman, or the feminine by a man."""
    if not sex_a and not sex_b:
        return False
    feminine_a = a.endswith(_FEMININE_ENDS) and not b.endswith(_FEMININE_ENDS) or (
        len(a) > len(b) and a.endswith(_FEMININE_ENDS) == b.endswith(_FEMININE_ENDS))
    masculine_sex, feminine_sex = (sex_b, sex_a) if feminine_a else (sex_a, sex_b)
    return masculine_sex == "F" or feminine_sex == "M"


_FEMININE_ENDS = ("a", "ah", "eh")


def _other_sex_form_simplified(a: str, b: str) -> bool:
    """:func:`other_sex_form` of the simplified spellings (Jamil / Jameelah), where
    simplifying changes one of them."""
    sa, sb = simplified(a), simplified(b)
    return (sa != a or sb != b) and other_sex_form(sa, sb)


def slavic_form(a: str, b: str) -> bool:
    """The pair's shorter word ends as a Slavic surname or patronymic does."""
    short = a if len(a) <= len(b) else b
    return short.endswith(_SLAVIC_ENDINGS)


def other_sex_form(a: str, b: str) -> bool:
    """One word the other's masculine or feminine form: a consonant ending with -a
    added, or a Slavic ending exchanged (-sky/-skaya, -ovich/-ovna, -iy/-aya)."""
    if a[:3] != b[:3] or abs(len(a) - len(b)) > 3:
        return False  # the forms share their stem and differ by an ending
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long in (short + "a", short + "i") and short[-1] in _CONSONANTS:
        return long[-1] == "a" or short.endswith("kumar")
    if len(short) >= 5 and short[-1] in _CONSONANTS and long == short[:-1] + "ia":
        return True  # Patrick / Patricia
    if (len(short) >= 4 and len(short) == len(long) and short[:-1] == long[:-1]
            and (short[-2] in _CONSONANTS or short[-2] == "i")
            and {short[-1], long[-1]} in ({"a", "o"}, {"a", "u"})):
        return True  # Mario / Maria, Aminu / Amina
    if len(short) >= 4 and long in (short + "ah", short + "eh") and short[-1] in _CONSONANTS:
        return True  # Jamil / Jamilah
    for masculine, feminine in _SEX_PAIRS:
        for x, y in ((a, b), (b, a)):
            if (x.endswith(masculine) and y.endswith(feminine) and len(x) > len(masculine) + 2
                    and x[: -len(masculine)] == y[: -len(feminine)]):
                return True
    return False


# Two common given names are two names, however alike their letters (Rajesh and Rakesh,
# Michael and Michelle: names.given), unless one is the other's short form.
OTHER_GIVEN_NAME = 50.0

# A word that is another word and two letters or more is another name, however much of
# it they share: Sokolov and Sokolovsky, Ivan and Ivanov, Abdul and Abdullah, Richards and
# Richardson, Liang and Yongliang; so is a name and its nisba (Idris and Idrisi, Ahmad and
# Ahmadi).
LONGER_NAME = 40.0


def _longer_name(a: str, b: str) -> bool:
    if a[-1] != "i" and b[-1] != "i" and a[0] != b[0] and a[-1] != b[-1]:
        return False  # neither a nisba nor a word that begins or ends the other
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long == short + "i" and short[-1] in _CONSONANTS:
        return True  # Saidi and Said
    for x, y in ((a, b), (b, a)):  # a nisba however spelt: Rashidi and Rashed (not a
        # typing error in the final i alone: Idrissj and Idrissi)
        if (len(x) >= 6 and x[-1] == "i" and x[-2] in _CONSONANTS and y[-1] in _CONSONANTS
                and x[:-1] != y[:-1]
                and fuzz.ratio(simplified(x[:-1]), simplified(y)) >= 80):
            return True
    if len(short) >= 3 and len(long) - len(short) >= 2 and (
            long.startswith(short) or long.endswith(short)) and (
            long.rstrip(short[-1]) != short.rstrip(short[-1])):  # not a key held: Itooo
        return True
    # Both in the feminine form: Popova and Popovskaya are Popov and Popovsky.
    if a[-1] != "a" or b[-1] != "a":
        return False
    masculine_a, masculine_b = _masculine(a), _masculine(b)
    return masculine_a != a and masculine_b != b and _longer_name(masculine_a, masculine_b)


_FEMININE_SURNAME = (("skaya", "sky"), ("skaia", "skii"), ("ova", "ov"), ("eva", "ev"),
                     ("ina", "in"))


def _masculine(word: str) -> str:
    """A Slavic surname in the feminine form as the masculine one; others as they are."""
    for feminine, masculine in _FEMININE_SURNAME:
        if word.endswith(feminine) and len(word) > len(feminine) + 2:
            return word[: -len(feminine)] + masculine
    return word


def consonant_key(word: str) -> str | None:
    """What words written without vowels are compared by: the consonant skeleton, when it
    says enough (two consonants, or one of a word of two letters or more: Arabic script
    writes Ali as "ly"). The index files words by the same key."""
    found = skeleton(word)
    return found if len(found) >= 2 or (found and len(word) >= 2) else None


# Typing errors: a key beside the right one (QWERTY) or two letters swapped cost half a
# letter, so "Ivsnof" (a→s, v→f) is nearer Ivanov than "Ivanko" is. Only for words of
# four letters or more, of one length or one apart (typing errors keep the length), already
# half alike, and never more than TYPING_GAIN above their spelling similarity (the index's
# name estimate allows as much to such pairs).
TYPING_FROM = 55.0
TYPING_GAIN = 10.0
TYPING_LENGTH = 3
_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_AT = {ch: (r, c) for r, row in enumerate(_ROWS) for c, ch in enumerate(row)}


def _beside(x: str, y: str) -> bool:
    """Keys next to each other on a QWERTY keyboard (same row, or the rows above/below)."""
    if x not in _KEY_AT or y not in _KEY_AT:
        return False
    (rx, cx), (ry, cy) = _KEY_AT[x], _KEY_AT[y]
    if rx == ry:
        return abs(cx - cy) == 1
    if abs(rx - ry) != 1:
        return False
    # Each row sits half a key to the right of the one above: a key touches the key above
    # it and the one above and to the right (a touches q and w).
    upper, lower = (cx, cy) if rx < ry else (cy, cx)
    return 0 <= upper - lower <= 1


def may_be_typed(similarity, length_a, length_b):
    """Whether typing errors may raise a pair of words: of four letters or more, lengths
    one apart at most, half alike and not yet counted in full. Written with arithmetic
    only, it takes numbers or numpy arrays (the index asks it of every pair it
    estimates, then works out those it allows as the scorer does)."""
    return ((similarity >= TYPING_FROM) & (similarity < COUNTED_FROM)
            & (length_a >= TYPING_LENGTH) & (length_b >= TYPING_LENGTH)
            & (abs(length_a - length_b) <= 1))


@lru_cache(maxsize=262_144)
def typing_similarity(a: str, b: str) -> float:
    """100 less the typing errors between two words per letter of the longer: a letter
    added, dropped or changed costs 1, a key beside the right one or two neighbours
    swapped 0.5 (a weighted Damerau-Levenshtein distance)."""
    return float(typing_similarities([a], [b])[0])


# _beside for every pair of ASCII letters and digits, as a table the compiled distance
# looks up; a code beyond it (a letter not on the keyboard) is never beside another.
_BESIDE = np.array([[_beside(chr(x), chr(y)) for y in range(128)] for x in range(128)])


def _code_points(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The words' letters as code points, one after another, and where each word starts
    (one start more than words)."""
    lengths = np.fromiter(map(len, words), np.int64, len(words))
    starts = np.zeros(len(words) + 1, np.int64)
    np.cumsum(lengths, out=starts[1:])
    return np.frombuffer("".join(words).encode("utf-32-le"), np.uint32), starts


def typing_similarities(a: list[str], b: list[str]) -> np.ndarray:
    """:func:`typing_similarity` of ``a[k]`` and ``b[k]`` for every ``k`` at once (the index
    works it out for thousands of word pairs a batch): one compiled loop over the pairs."""
    if not a:
        return np.zeros(0)
    x, x_starts = _code_points(a)
    y, y_starts = _code_points(b)
    from pora.screening.engine import compiled

    return compiled.typing_similarities(x, x_starts, y, y_starts, _BESIDE)


def _same_consonants(a: str, b: str) -> bool:
    sa = consonant_key(a)
    return sa is not None and sa == consonant_key(b)


def _script_ending(word: str) -> str:
    """How a word written without vowels (Arabic script) ends: "a" for the taa marbuta
    of a feminine name (Karima كريمة, written ``krymh``), "i" for a final ya (a nisba,
    Idrisi إدريسي, ``drysy``; Ali), "" for another consonant."""
    if word[-1] == "h" and len(word) >= 3:
        return "a"
    return "i" if word[-1] == "y" else ""


def _latin_endings(word: str, script_length: int) -> frozenset[str]:
    """The script endings (:func:`_script_ending`) a Latin spelling may stand for. Arabic
    script writes no short vowels and this normalisation drops the alif, so a final -a is
    the taa marbuta or nothing only in a short word (Asma أسماء is ``sm``), -ya and -ia
    may be a ya with the alif dropped (Zakariya زكريا, ``zkry``)."""
    if word[-1] in "iy":
        return frozenset("i")
    if word.endswith(("ya", "ia")):
        return frozenset(("i", "a", ""))
    if word.endswith(("ah", "eh")):  # Saeedah, Fatimah: written with the taa marbuta
        return frozenset("a")
    if word[-1] in "ae":
        return frozenset(("a", "")) if script_length <= 3 else frozenset("a")
    if word[-1] == "h":  # a final h Arabic writes too (Abdullah), or no Arabic (Thanh)
        return frozenset(("a", ""))
    return frozenset(("",))


def _arabic_endings_agree(a: str, b: str) -> bool:
    """Whether two words, one or both written without vowels, end alike: Karim is not
    Karima (كريمة), nor Idris Idrisi (إدريسي), nor Latifa لطيف, however alike their
    consonants."""
    if len(a) < 2 or len(b) < 2:
        return True
    if not has_vowel(a) and not has_vowel(b):
        return _script_ending(a) == _script_ending(b)
    script, latin = (a, b) if not has_vowel(a) else (b, a)
    return _script_ending(script) in _latin_endings(latin, len(script))


_SIMPLE = (("ph", "f"), ("kh", "h"), ("ck", "k"), ("q", "k"), ("w", "v"), ("y", "i"),
           ("x", "ks"), ("ou", "u"), ("oo", "u"), ("ee", "i"))


@lru_cache(maxsize=262_144)
def simplified(word: str) -> str:
    """Spelling without the letters romanisations disagree on: ``yuriy`` and ``iurii`` →
    ``iuri``, ``mikhail`` → ``mihail``; doubled letters and a final h go."""
    for old, new in _SIMPLE:
        word = word.replace(old, new)
    out = [ch for i, ch in enumerate(word) if i == 0 or ch != word[i - 1]]
    if len(out) > 3 and out[-1] == "h":
        out.pop()
    return "".join(out)


# An extra name on one side costs this much when the shorter name has two words or more
# (a dropped middle name), and much more against a one-word name ("Ali" is not "Ali Khan")
# or between Chinese names, which have no middle names: Liu Liang is not Liu Yong Liang.
EXTRA_WORD = 6.0
EXTRA_WORD_MONONYM = 25.0


# Below this, a pair of words is not the same word spelt otherwise, and counts for less
# the further below it is: nothing at two thirds of it.
COUNTED_FROM = 85.0


def counted_words(similarity):
    """Words that are not alike count for little: a different surname beside the same
    given name is not "half the same name". Written with arithmetic only, it takes a number
    or a numpy array (the index's name estimate counts words by it too)."""
    below = 3 * similarity - 2 * COUNTED_FROM
    below = below * (below > 0)
    return similarity * (similarity >= COUNTED_FROM) + below * (similarity < COUNTED_FROM)


def _similarities(a: tuple[str, ...], b: tuple[str, ...], sexes: tuple[str, str],
                  hong_kong: int, family: str) -> list[tuple[float, str]]:
    """:func:`word_similarity` of each word of ``a`` with each of ``b`` (row by row), with
    the persons' known ``sexes`` (:func:`with_sexes`): the remembered part for every pair
    at once, then the family's rule and the sexes for the few pairs they may change."""
    found = [_word_similarity(x, y, hong_kong) for x in a for y in b]
    width = len(b)
    if family:
        for k in [k for k, f in enumerate(found) if f[2]]:
            if other_family_syllables(family, a[k // width], b[k % width]):
                found[k] = (OTHER_SYLLABLE, "syllable", False)
    if sexes[0] or sexes[1]:
        for k in [k for k, f in enumerate(found) if f[1] == "form"]:
            found[k] = with_sexes(found[k], a[k // width], b[k % width], sexes, hong_kong,
                                  family)
    return found


def _aligned(a: tuple[str, ...], b: tuple[str, ...], sexes: tuple[str, str] = ("", ""),
             hong_kong: int = 0, family: str | None = None
             ) -> tuple[float, tuple[tuple[str, str, str], ...], tuple[str, ...]]:
    """Order-insensitive: pair each word with its most alike counterpart, once each (the
    most alike pair first; of equals, the first in ``a`` then ``b`` order). ``sexes``: the
    persons' known sexes (:func:`with_sexes`), ``hong_kong`` and ``family`` as
    :func:`word_similarity` takes them."""
    if family is None:
        family = name_family(a, b)
    shorter = min(len(a), len(b))
    extra = max(len(a), len(b)) - shorter
    penalty = _extra_cost(a, b, family) if extra else 0.0
    found = _similarities(a, b, sexes, hong_kong, family)
    if shorter == 1 and len(a) == 1:  # one word against some: its best counterpart
        j = max(range(len(b)), key=lambda k: found[k][0])  # the first of equals
        similarity, how = found[j][0], found[j][1]
        score = counted_words(similarity) - penalty
        return (max(score, 0.0), ((a[0], b[j], how),), b[:j] + b[j + 1:])
    if len(a) == 2 == len(b):  # the commonest case: two pairings to choose from
        top = max(found[0][0], found[1][0], found[2][0], found[3][0])
        first = next(k for k in range(4) if found[k][0] == top)  # the first of equals
        second = 3 - first  # (0,0) goes with (1,1), (0,1) with (1,0)
        total = counted_words(found[first][0]) + counted_words(found[second][0])
        matched = tuple((a[k // 2], b[k % 2], found[k][1]) for k in (first, second))
        return max(total / 2, 0.0), matched, ()
    # A stable sort on the similarity alone, highest first, keeps equals in a/b order.
    width = len(b)
    pairs = [(f, k // width, k % width) for k, f in enumerate(found)]
    pairs.sort(key=_first_similarity, reverse=True)
    used_a, used_b, matched = set(), set(), []
    total = 0.0
    for (similarity, how, *_), i, j in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        total += counted_words(similarity)
        matched.append((a[i], b[j], how))
        if len(used_a) == shorter:
            break
    score = total / shorter - penalty
    unmatched = tuple(w for i, w in enumerate(a) if i not in used_a) + tuple(
        w for j, w in enumerate(b) if j not in used_b)
    return max(score, 0.0), tuple(matched), unmatched


def name_family(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    """"chinese", "korean" or "vietnamese" when both names are of that kind (each word
    pinyin, Wade-Giles or Hong Kong; a Korean family name on each side; a Vietnamese
    family name on each side and one name Vietnamese in form), else "". Such names have no
    optional middle names, and each of their words is a syllable."""
    kind_a, kind_b = _name_kind(a), _name_kind(b)
    if kind_a[0] and kind_b[0]:
        return "chinese"
    if kind_a[1] and kind_b[1]:
        return "korean"
    if (kind_a[2] or kind_b[2]) and kind_a[3] and kind_b[3]:
        return "vietnamese"
    return ""


@lru_cache(maxsize=262_144)
def _name_kind(words: tuple[str, ...]) -> tuple[bool, bool, bool, bool]:
    """What :func:`name_family` asks of one name: Chinese, with a Korean family name,
    Vietnamese in form, with a Vietnamese family name. Remembered by name, which recurs
    over a list's candidates, where pairs of names do not."""
    return (chinese_name(words), any(map(korean_surname, words)), vietnamese_name(words),
            not VIETNAMESE_SURNAMES.isdisjoint(words))


# One syllable of a Korean name in any of its romanisations (Revised, McCune-Reischauer
# without marks, passport spellings), and of a Vietnamese name without its diacritics.
_KOREAN_SYLLABLE = re.compile(
    r"(kk|tt|pp|ss|jj|ch|[gkndtrlmbpsjh])?"
    r"(yeo|yae|wae|you|ae|ya|eo|ye|wa|oe|yo|wo|we|wi|yu|eu|ui|oo|ee|ou|[aeiou])"
    r"(ng|[kntlmpg])?")
# Vietnamese: iê, yê, uyê and uô take a final consonant (without one they are written ia,
# ya, uya, ua), and the finals nh and ch follow a, ê, i or y only (anh, inh; no onh).
_VIETNAMESE_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:(?:uye|ie|ye|uo)(?:ng|[cmnpt])|(?:oa|uy|[aeiy])(?:ch|nh|ng|[cmnpt])?"
    r"|(?:uya|uyu|oai|oay|oeo|uoi|ieu|yeu|uou|ai|ao|au|ay|eo|eu|ia|iu|oe|oi|oo|ua|ue|ui"
    r"|uu|[ou])(?:ng|[cmnpt])?)")


def _loose_korean(word: str) -> str:
    """A Korean syllable's key with o as u: McCune-Reischauer without its breve writes ㅓ
    as o (Hyŏn → Hyon, Chŏng → Chong), which the other systems write eo or u."""
    return korean_key(word).replace("o", "u")


@lru_cache(maxsize=262_144)
def other_family_syllables(family: str, a: str, b: str) -> bool:
    """Whether two words of two names of one ``family`` (:func:`name_family`) are other
    characters or syllables, not one spelt otherwise: two pinyin words more than a letter
    apart (one letter, or two neighbours swapped, is a typing error: Liaang and Liang, Juna
    and Juan), two Korean syllables with
    other keys (Hyun and Hun; not Hyeon, Hyon and Hyun), two Vietnamese syllables (Tung
    and Dung, Uyen and Huyen; a typing error mostly makes no syllable: Nguuyen, Onh)."""
    if family == "chinese":
        return pinyin_word(a) and pinyin_word(b) and OSA.distance(a, b) > 1
    if family == "korean":
        return (_KOREAN_SYLLABLE.fullmatch(a) is not None
                and _KOREAN_SYLLABLE.fullmatch(b) is not None
                and _loose_korean(a) != _loose_korean(b))
    if family == "vietnamese":
        return (_VIETNAMESE_SYLLABLE.fullmatch(a) is not None
                and _VIETNAMESE_SYLLABLE.fullmatch(b) is not None)
    return False


@lru_cache(maxsize=262_144)
def _extra_cost(a: tuple[str, ...], b: tuple[str, ...], family: str) -> float:
    """What the words one name has beyond the other cost (see EXTRA_WORD), between two
    names of ``family`` (:func:`name_family`)."""
    shorter = min(len(a), len(b))
    extra = max(len(a), len(b)) - shorter
    if shorter < 2 or family in ("chinese", "korean"):
        return extra * EXTRA_WORD_MONONYM
    if family == "vietnamese":
        # Van and Thi say only the sex; another middle name is another person.
        longer = a if len(a) > len(b) else b
        plain = sum(1 for w in set(longer) - set(a if longer is b else b)
                    if w not in ("van", "thi"))
        return min(extra, plain) * EXTRA_WORD_MONONYM + (extra - min(extra, plain)) * EXTRA_WORD
    return extra * EXTRA_WORD


def _best_possible(length_a: int, length_b: int) -> float:
    """The most :func:`_aligned` can give names of these lengths: every word paired
    perfectly, less what the extra words cost."""
    shorter = min(length_a, length_b)
    extra = max(length_a, length_b) - shorter
    return max(100.0 - extra * (EXTRA_WORD if shorter >= 2 else EXTRA_WORD_MONONYM), 0.0)


def _first_similarity(pair) -> float:
    return pair[0][0]


@lru_cache(maxsize=65_536)
def joined_readings(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Each way of writing two neighbouring words as one ("xiao ming" → "xiaoming"), in
    order of the first word joined; none for one word or more than six."""
    if not 2 <= len(words) <= 6:
        return ()
    return tuple(words[:i] + (words[i] + words[i + 1],) + words[i + 2:]
                 for i in range(len(words) - 1))


@lru_cache(maxsize=262_144)
def name_tokens_similarity(a: tuple[str, ...], b: tuple[str, ...],
                           sexes: tuple[str, str] = ("", ""), hong_kong: int = 0):
    """The best alignment of two names' words, also with two neighbouring words written
    as one on either side. Remembered: a bulk run compares the same common names (and a
    listed person's aliases) over and over."""
    family = name_family(a, b)
    best = _aligned(a, b, sexes, hong_kong, family)
    if best[0] < 97:
        for joined_side, at, (x, y) in (
                [(0, i, (j, b)) for i, j in enumerate(joined_readings(a))]
                + [(1, i, (a, j)) for i, j in enumerate(joined_readings(b))]):
            if _best_possible(len(x), len(y)) <= best[0]:
                continue  # its extra words alone keep it from doing better
            if not hong_kong and not _may_meet((x, y)[joined_side][at], (b, a)[joined_side]):
                continue
            if _joins_family_name((a, b)[joined_side], at):
                continue
            candidate = _aligned(x, y, sexes, hong_kong, family)
            if candidate[0] > best[0] and _joined_word_fits(candidate[1], joined_side,
                                                            a if joined_side == 0 else b):
                best = candidate
    return best


@lru_cache(maxsize=65_536)
def _joins_family_name(words: tuple[str, ...], at: int) -> bool:
    """Whether writing ``words[at]`` and the next word as one swallows the name's only
    Korean family name: Kyung Hi Yi is not Kyung Hiyi, a given name "Hiyi" that meets a
    Hee of another family. Not for a name whose every word is also Chinese (Liu Liyun,
    Xiao Taojun: a family name of both, and Chinese given names are written joined)."""
    family = [korean_surname(word) for word in words]
    return bool(family[at] or family[at + 1]) and not any(
        found for k, found in enumerate(family) if k not in (at, at + 1)
    ) and not chinese_name(words)


@lru_cache(maxsize=262_144)
def pinyin_word(word: str) -> bool:
    """One pinyin syllable, or two or three written as one word (xiaoming)."""
    if is_pinyin(word):
        return True
    return any(is_pinyin(word[:i]) and (is_pinyin(word[i:]) or any(
        is_pinyin(word[i:j]) and is_pinyin(word[j:]) for j in range(i + 1, len(word))))
        for i in range(1, len(word)))


@lru_cache(maxsize=262_144)
def chinese_name(words: tuple[str, ...]) -> bool:
    """Every word pinyin, Wade-Giles or Hong Kong Cantonese: a Chinese name, whose given
    name has no optional parts (Wong San Fong is not Wang Fang)."""
    return all(pinyin_word(word) or wade_giles_to_pinyin(word) or is_hk_syllable(word)
               for word in words)


def _may_meet(joined: str, other: tuple[str, ...]) -> bool:
    """Whether a word made of two could meet a word of the other name: it must begin as
    one of them does, or the other name be written without vowels (Arabic script). Most
    names' joined readings meet nothing, and are not worth aligning."""
    return any(word[0] == joined[0] or not has_vowel(word) for word in other)


def _joined_word_fits(matched: tuple[tuple[str, str, str], ...], side: int,
                      unjoined: tuple[str, ...]) -> bool:
    """Two words written as one meet the same word ("xiao ming" = "xiaoming"), or a long
    word spelt a little differently ("abd rahman" ~ "abdulrahman"); two short Korean or
    Vietnamese syllables glued together that merely resemble the other side's word
    ("min jun" against "minjung") are two different given names, and two pinyin syllables
    that make one (Yu An, Yuan) are a name of their own."""
    words = set(unjoined)
    for pair in matched:
        joined, other = pair[side], pair[1 - side]
        if joined in words or pair[2] == "cantonese":
            continue
        halves = next(((joined[:i], joined[i:]) for i in range(1, len(joined))
                       if joined[:i] in words and joined[i:] in words), None)
        if halves and halves[0][-1] == halves[1][0] in "aeiou" and joined != other:
            return False  # a vowel doubled at the seam that simplifying would hide (Hoa
            # An written as one is not Hoan; al latif is allatif)
        if (halves and is_pinyin(halves[0]) and is_pinyin(halves[1])
                and (is_pinyin(joined) or is_pinyin(other))):
            return False
        same = simplified(joined) == simplified(other)
        if not joined_word_may_fit(same, min(len(joined), len(other)),
                                   100.0 if same else fuzz.ratio(joined, other)):
            return False
    return True


# From this length, a word made of two and spelt a little differently is still one name.
JOINED_LONG = 9
JOINED_RATIO = 85.0


def joined_word_may_fit(same_simplified, shortest, ratio):
    """Whether a word made of two may stand for the other side's word: the same word
    (simplified spellings equal), or both long and spelt almost alike. Written with
    arithmetic only, it takes numbers or numpy arrays (the index's name estimate gives a
    joined word nothing against a word it cannot fit)."""
    return same_simplified | ((shortest >= JOINED_LONG) & (ratio >= JOINED_RATIO))


# What reading a name another way costs (names.readings): a reading is an inference (other
# kanji are read the same; a nickname stands for more than one name), worth less than the
# name as written.
READING_COST = {"japanese": 2.0, "wade_giles": 2.0, "cantonese": 2.0, "nickname": 8.0,
                "old_spelling": 0.0, "korean": 1.0, "romanisation": 0.0}
READING_HOW = {"japanese": "Japanese reading", "wade_giles": "Wade-Giles as pinyin",
               "cantonese": "Cantonese (Hong Kong) reading", "nickname": "nickname",
               "old_spelling": "old Indonesian spelling",
               "korean": "Korean romanisations as one",
               "romanisation": "another romanisation system"}


# Reading kinds numbered for the index ("" as written), and what each pair of kinds costs,
# -1 where the pair is not compared: the index's name estimate applies the rule by them.
READING_KINDS = ("", *READING_COST)


def reading_cost(query_kind: str, entry_kind: str) -> float | None:
    """What comparing a reading of one name with one of the other costs (the sum of their
    kinds' costs); None for two readings of different kinds, which are not compared (a
    nickname against a Korean reading: each stands in for a written name)."""
    if query_kind and entry_kind and query_kind != entry_kind:
        return None
    return READING_COST.get(query_kind, 0.0) + READING_COST.get(entry_kind, 0.0)


READING_PAIR_COST = np.array([[-1.0 if (cost := reading_cost(q, e)) is None else cost
                               for e in READING_KINDS] for q in READING_KINDS], np.float32)


def _hong_kong_side(a: PreparedName, b: PreparedName) -> int:
    """1 when only ``a`` is written the Hong Kong way, 2 when only ``b`` is, else 0. A
    Cantonese reading of characters is not: the characters' pinyin is there to compare."""
    hk_a = not a.reading and a.latin and hong_kong_name(a.tokens)
    hk_b = not b.reading and b.latin and hong_kong_name(b.tokens)
    return 1 if hk_a and not hk_b else 2 if hk_b and not hk_a else 0


def known_sex(side: Prepared) -> str:
    """The sex recorded, else the one the name's form shows; "" when neither says."""
    return side.record.sex if side.record.sex in {"M", "F"} else side.sex_by_name


def name_feature(query: Prepared, entry: Prepared) -> list[Reason]:
    best = None
    sexes = (known_sex(query), known_sex(entry))
    for q, e in product(query.names, entry.names):
        cost = reading_cost(q.reading, e.reading)
        if cost is None:
            continue
        if best is not None and 100 - cost <= best[0]:
            continue  # even the same words could not beat the best pair so far
        found = name_tokens_similarity(q.tokens, e.tokens, sexes, _hong_kong_side(q, e))
        net = found[0] - cost
        if best is None or net > best[0]:
            best = (net, found, q, e)
            if net >= 100:
                break
    if best is None:
        return [reason("name_similar", 0.0, percent=0, query="", entry="", detail="")]
    _net, (score, matched, unmatched), q, e = best
    shown = {"query": q.raw, "entry": e.raw}
    if q.tokens == e.tokens and not q.reading and not e.reading:
        out = [reason("name_same", 100.0, **shown)]
    elif score >= 100 and sorted(q.tokens) == sorted(e.tokens) and not q.reading and not e.reading:
        out = [reason("name_reordered", 100.0, **shown)]
    else:
        parts = [f"{x}~{y}" + (f" ({HOW[how]})" if HOW[how] else "")
                 for x, y, how in matched if x != y]
        parts += [f"+{word}" for word in unmatched]
        detail = ", ".join(parts) or ("same words" if score >= 100 else "words joined or split")
        out = [reason("name_similar", round(score, 1), percent=round(score), detail=detail,
                      **shown)]
    for side in (q, e):
        if side.reading:
            out.append(reason("name_reading", -READING_COST[side.reading], original=side.raw,
                              reading=" ".join(side.tokens), how=READING_HOW[side.reading]))
        elif not side.latin:
            out.append(reason("name_script", 0.0, original=side.raw,
                              latin=" ".join(side.tokens)))
    return out


# --- the other facts -----------------------------------------------------------------------

# Birth dates are compared in two steps, both used by the scorer and by the index's
# vectorised pre-filter, so that the rule exists once: :func:`date_key` reduces a pair of
# dates to a small number made of the facts the rule looks at (written with arithmetic
# only, it takes plain integers or numpy arrays alike), and :func:`birth_rule` names the
# reason for each such number; :data:`BIRTH_CODES` holds the rule for every number.
DATE_GAP_CLASSES = 5  # years apart: 0, 1, 2, 3, and 4 or more


def _near_keys(x, y):
    """Digits one keystroke apart: neighbours on the number row (0 beside 9) or, up and
    down, on the numeric keypad (1-4-7, 2-5-8, 3-6-9, 0 below 1 and 2)."""
    gap = abs(x - y)
    return ((gap == 1) | (gap == 9) | ((gap == 3) & (x > 0) & (y > 0))
            | ((x + y == 2) & (x * y == 0)))


def year_typo(a, b):
    """1980/1981, 1980/1990, 1980/1950 (keypad) or 1980/1908: one digit mistyped for a key
    beside it, or two neighbouring digits swapped. Not 1950/1990: a namesake forty years
    apart. ``a`` and ``b`` are years as integers or as numpy arrays of them."""
    x = [(a // 10 ** k) % 10 for k in (3, 2, 1, 0)]
    y = [(b // 10 ** k) % 10 for k in (3, 2, 1, 0)]
    # As 0/1 integers: numpy adds boolean arrays as a logical or.
    differ = [(x[i] != y[i]) * 1 for i in range(4)]
    count = differ[0] + differ[1] + differ[2] + differ[3]
    near = False
    swapped = False
    for i in range(4):
        near = near | (differ[i] & _near_keys(x[i], y[i]))
    for i in range(3):
        swapped = swapped | (differ[i] & differ[i + 1] & (x[i] == y[i + 1]) & (x[i + 1] == y[i]))
    return ((count == 1) & near) | ((count == 2) & swapped)


def year_key(q_year, e_year):
    """The part of :func:`date_key` the two years make: whether one is a typing error of
    the other, and how far apart they are (0, 1, 2, 3, 4 or more). Integers or numpy
    arrays alike; the index looks it up in a table made by it."""
    gap = abs(q_year - e_year)
    gap = gap - (gap >= DATE_GAP_CLASSES) * (gap - (DATE_GAP_CLASSES - 1))
    return year_typo(q_year, e_year) * 64 + gap * 128


def day_key(q_month, q_day, q_approximate, e_month, e_day, e_approximate):
    """The rest of :func:`date_key`: what the months, days and approximate years say."""
    approximate = (q_approximate + e_approximate) > 0
    q_full = (q_month > 0) & (q_day > 0) & (q_approximate == 0)
    e_full = (e_month > 0) & (e_day > 0) & (e_approximate == 0)
    swapped = (q_month == e_day) & (q_day == e_month) & (q_month != q_day)
    return (approximate * 1 + (q_full & e_full) * 2 + ((q_month > 0) & (e_month > 0)) * 4
            + (q_month == e_month) * 8 + (q_day == e_day) * 16 + swapped * 32)


def date_key(q_year, q_month, q_day, q_approximate, e_year, e_month, e_day, e_approximate):
    """The facts of a pair of birth dates that :func:`birth_rule` decides on, packed into
    one number below ``len(BIRTH_CODES)``. Months and days are 0 when unknown; every
    argument may be an integer (or bool) or a numpy array of them."""
    return (day_key(q_month, q_day, q_approximate, e_month, e_day, e_approximate)
            + year_key(q_year, e_year))


def birth_rule(*, approximate: bool, both_full: bool, both_months: bool, same_month: bool,
               same_day: bool, swapped: bool, year_typo: bool, gap: int) -> str:
    """The reason code for a pair of birth dates, from the facts :func:`date_key` packs.

    A full date's year may be mistyped by one keystroke (1980/1981, 1980/1908): with the
    same day and month that is "close", neither for nor against. Years further apart with
    the same day and month are two people: a namesake born ten years later is not a typo.
    """
    if approximate:  # a year derived from an age agrees with the years around it
        return "birth_about" if gap <= 1 else "birth_close" if gap <= 3 else "birth_different"
    if both_full:
        if gap == 0:
            if same_month and same_day:
                return "birth_exact"
            if swapped:
                return "birth_swapped"
            return "birth_close" if same_month or same_day else "birth_same_year"
        if same_month and same_day and (year_typo or gap == 1):
            # A key beside the right one, or a year off by one (the year of an age, a
            # calendar converted): neither for nor against.
            return "birth_close"
        return "birth_different"
    # One side knows only the year, or the year and month: only the parts both know. A
    # year alone has too little to tell a typing error from another year (one year in six
    # is one keystroke from any other): only the years either side count as close.
    if gap:
        return "birth_close" if gap == 1 else "birth_different"
    if both_months:
        return "birth_month" if same_month else "birth_same_year"
    return "birth_year"


def _birth_codes() -> tuple[str, ...]:
    codes = []
    for key in range(128 * DATE_GAP_CLASSES):
        codes.append(birth_rule(
            approximate=bool(key & 1), both_full=bool(key & 2), both_months=bool(key & 4),
            same_month=bool(key & 8), same_day=bool(key & 16), swapped=bool(key & 32),
            year_typo=bool(key & 64), gap=key >> 7))
    return tuple(codes)


BIRTH_CODES = _birth_codes()


def _compare_dates(q: PartialDate, e: PartialDate) -> str:
    return BIRTH_CODES[date_key(q.year, q.month or 0, q.day or 0, q.approximate,
                                e.year, e.month or 0, e.day or 0, e.approximate)]


# An equal birth date is strong evidence only beside names that already agree: shared by
# a few thousand people of any list's size, it must not lift "Kim Min-jun" to "Kim Min-seo"
# nor "Tran Thi Mai" to "Tran Thi Hoa". What the date adds for it grows from nothing at a
# name score of NAME_SUPPORT_FROM to all of it at NAME_SUPPORT_FULL. Evidence against
# (another date) always counts in full.
NAME_SUPPORT_FROM = 70.0
NAME_SUPPORT_FULL = 85.0


def name_support(name_points):
    """0 to 1: how far the name carries the facts that agree with it. Written with
    arithmetic only, it takes a number or a numpy array (the index's estimate scales the
    facts by it too)."""
    share = (name_points - NAME_SUPPORT_FROM) / (NAME_SUPPORT_FULL - NAME_SUPPORT_FROM)
    share = share * (share > 0)
    return share - (share - 1) * (share > 1)


def birth_feature(query: Record, entry: Record, name_points: float = 100.0) -> Reason:
    if not query.birth_dates or not entry.birth_dates:
        return reason("birth_unknown", float(WEIGHTS["birth_unknown"]))
    best = None
    for q, e in product(query.birth_dates, entry.birth_dates):
        code = _compare_dates(q, e)
        if best is None or WEIGHTS[code] > WEIGHTS[best[0]]:
            best = (code, q, e)
    code, q, e = best
    points = float(WEIGHTS[code])
    if points > 0:
        points = round(points * name_support(name_points), 1)
    return reason(code, points, query=str(q), entry=str(e))


_UNKNOWN_NATIONALITY = {"XXA", "XXB", "XXC", "XXX", "UNK"}


def nationality_feature(query: Record, entry: Record) -> Reason:
    q = set(query.nationalities) - _UNKNOWN_NATIONALITY
    e = set(entry.nationalities) - _UNKNOWN_NATIONALITY
    if not q or not e:
        return reason("nationality_unknown", 0.0)
    common = q & e
    if common:
        return reason("nationality_same", float(WEIGHTS["nationality_same"]),
                      codes=", ".join(sorted(common)))
    return reason("nationality_different", float(WEIGHTS["nationality_different"]),
                  query=", ".join(sorted(q)), entry=", ".join(sorted(e)))


def document_feature(query: Prepared, entry: Prepared) -> Reason | None:
    if not query.documents or not entry.documents:
        return None
    common = query.documents & entry.documents
    if common:
        return reason("document_same", float(WEIGHTS["document_same"]), number=min(common))
    if query.documents_ocr & entry.documents_ocr:
        q = next(d for d in query.record.documents if ocr_fold(d) in entry.documents_ocr)
        e = next(d for d in entry.record.documents if ocr_fold(d) == ocr_fold(q))
        return reason("document_ocr", float(WEIGHTS["document_ocr"]), query=q, entry=e)
    return reason("document_different", 0.0)


def sex_feature(query: Record, entry: Record) -> Reason | None:
    if query.sex not in {"M", "F"} or entry.sex not in {"M", "F"}:
        return None
    if query.sex == entry.sex:
        return reason("sex_same", float(WEIGHTS["sex_same"]))
    return reason("sex_different", float(WEIGHTS["sex_different"]))


def sex_by_name_feature(query: Prepared, entry: Prepared) -> Reason | None:
    """Where one side's sex is unknown, the form of its name may show it ("Aleksandr
    Volkov" against a woman, "Aleksandra Volkova"): weaker evidence than a recorded sex,
    and only against, never for."""
    q, e = known_sex(query), known_sex(entry)
    if not q or not e or q == e:
        return None
    return reason("sex_different_name", float(WEIGHTS["sex_different_name"]),
                  query=query.names[0].raw if query.names else "",
                  entry=entry.names[0].raw if entry.names else "")


def _name(q: Prepared, e: Prepared, so_far: list[Reason]) -> list[Reason]:
    return name_feature(q, e)


def _birth(q: Prepared, e: Prepared, so_far: list[Reason]) -> list[Reason]:
    name = sum(r.points for r in so_far if r.code.startswith("name_"))
    return [birth_feature(q.record, e.record, name)]


def _supported(found: Reason, so_far: list[Reason]) -> Reason:
    """A fact that agrees adds its points as far as the name carries it (name_support)."""
    if found.points <= 0:
        return found
    name = sum(r.points for r in so_far if r.code.startswith("name_"))
    return Reason(found.code, round(found.points * name_support(name), 1), found.params,
                  found.text)


def _nationality(q: Prepared, e: Prepared, so_far: list[Reason]) -> list[Reason]:
    return [_supported(nationality_feature(q.record, e.record), so_far)]


def _document(q: Prepared, e: Prepared, so_far: list[Reason]) -> list[Reason]:
    found = document_feature(q, e)
    return [found] if found is not None else []


def _sex(q: Prepared, e: Prepared, so_far: list[Reason]) -> list[Reason]:
    found = sex_feature(q.record, e.record) or sex_by_name_feature(q, e)
    return [_supported(found, so_far)] if found is not None else []


# The scorer: its features in the order they run (each sees the reasons before it; the
# name's first), and its version. Every hit stores the version that judged it; a change
# of any feature or weight moves the version, and the workers then rescreen everyone so
# that hits and their reasons come from one scorer (screening.services.rescore_start).
SCORER_VERSION = 3
FEATURES = (_name, _birth, _nationality, _document, _sex)


def compare(query: Record | Prepared, entry: Record | Prepared) -> Match:
    """The score of ``entry`` for ``query`` and every reason, the name's first."""
    q, e = prepare(query), prepare(entry)
    reasons: list[Reason] = []
    for feature in FEATURES:
        reasons += feature(q, e, reasons)
    total = sum(r.points for r in reasons)
    # A document number belongs to one holder per issuing state: the same number with no
    # contradicting nationality is worth a review whatever the name (a stolen or altered
    # passport, a new name after naturalisation).
    codes = {r.code for r in reasons}
    if "nationality_different" not in codes:
        if "document_same" in codes:
            total = max(total, DOCUMENT_FLOOR)
        elif "document_ocr" in codes:
            total = max(total, DOCUMENT_OCR_FLOOR)
    score = int(min(100, max(0, round(total))))
    return Match(q.record.id, e.record.id, score, tuple(reasons), e.record)
