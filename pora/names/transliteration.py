"""Names as the engine compares them: Latin letters, lower case, no particles.

A watchlist writes ``Мухаммад бин Салман``, a passport ``MUHAMMAD BIN SALMAN``, an officer
types ``Mohammed Salman``. :func:`normalise` brings every script to plain Latin tokens
(``anyascii``; Chinese characters become one pinyin syllable each, Korean one syllable per
block), drops particles and honorifics (bin, binti, al, van, de, Haji, Dr …) and keeps the
order: comparisons are order-insensitive themselves. :func:`phonetic` and :func:`skeleton`
give the two "sounds alike" keys: Metaphone for Latin spellings, and the consonant
skeleton for names written in Arabic or Hebrew script, which carry no short vowels.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

import jellyfish
from anyascii import anyascii

from pora.names.chinese import surname_pinyin

# Words that are not part of what identifies a person. Titles and the Arabic article go
# wherever they stand; connecting particles only between two words, where they join a
# name ("Maria de Souza", "Ahmad bin Ali") — first or last they may be the surname itself
# (Vietnamese Le, Italian Di Maria, "John Le"). A name made only of such words keeps them.
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "haji", "hj", "hajjah", "hjh", "h",
    "sheikh", "shaikh", "syekh", "syeikh", "tuan", "puan", "dato", "datuk", "ir", "drs",
    "al", "el", "ul", "ud",
})
CONNECTORS = frozenset({
    "bin", "binti", "bint", "bte", "bt", "ibn", "ibnu", "b", "van", "von", "der", "den", "de",
    "del", "della", "di", "da", "dos", "das", "du", "la", "le", "ten", "ter", "zu", "y",
    "bn", "bnt",  # bin and bint transliterated from Arabic script, which omits the vowel
})
# Korean surnames as families write them in passports, not as the Revised Romanisation
# spells them ("김" is Kim far more often than Gim).
KOREAN_SURNAMES = {"김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung",
                   "강": "Kang", "조": "Cho", "윤": "Yoon", "장": "Jang", "임": "Lim",
                   "한": "Han", "오": "Oh", "서": "Seo", "신": "Shin", "권": "Kwon"}
# The commonest Vietnamese family names (about nine in ten Vietnamese bear one of them).
VIETNAMESE_SURNAMES = frozenset({
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui",
    "do", "ho", "ngo", "duong", "ly", "dinh", "truong", "trinh", "dao", "mai", "cao", "lam",
})
_APOSTROPHES = str.maketrans("", "", "'`´ʹʼʻ’‘\"")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_ARABIC_ARTICLE = re.compile(r"(?<![\u0600-\u06FF])\u0627\u0644(?=[\u0600-\u06FF]{2})")
_VOWELS = frozenset("aeiou")


def _script(ch: str) -> str:
    """A coarse script class of one character: "han", "hangul", "abjad" or ""."""
    code = ord(ch)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF:
        return "han"
    if 0xAC00 <= code <= 0xD7A3:
        return "hangul"
    if 0x0590 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "abjad"
    return ""


def _to_latin(text: str) -> str:
    """Any script to Latin letters; syllabic scripts one syllable per token."""
    if _ARABIC_ARTICLE.search(text):
        # "الحسن" is al-Hassan, "Hassan" in most Latin spellings: drop the article.
        text = _ARABIC_ARTICLE.sub("", text)
    out: list[str] = []
    words = text.split()
    for position, word in enumerate(words):
        if word.isascii():
            out.append(word)
            continue
        pieces = []
        for ch in word:
            script = _script(ch)
            if script == "han":
                # A name's first character is its family name, read as one: 曾 Zeng.
                surname = surname_pinyin(ch) if position == 0 and word[0] == ch else None
                pieces.append(f" {surname or anyascii(ch)} ")
            elif script == "hangul":
                surname = KOREAN_SURNAMES.get(ch) if position == 0 and word[0] == ch else None
                pieces.append(f" {surname or anyascii(ch)} ")
            else:
                pieces.append(anyascii(ch))
        out.append("".join(pieces))
    return " ".join(out)


# Sizes of the remembered results: names repeat within a screening batch, not across an
# index of a million entries, where a larger memory only holds words met once.
NAMES_KEPT = 65_536


@lru_cache(maxsize=NAMES_KEPT)
def normalise(name: str) -> str:
    """``"Dr. Мухаммад бин Салман"`` → ``"mukhammad salman"``; ``"王小明"`` → ``"wang xiao ming"``."""
    text = unicodedata.normalize("NFKC", name or "")
    # Chinese and Korean syllables are never particles (德 is "de", 大 "da").
    syllabic = False
    if not text.isascii():
        syllabic = any(_script(ch) in ("han", "hangul") for ch in text)
        text = _to_latin(text)
    text = _NON_ALNUM.sub(" ", text.translate(_APOSTROPHES).lower())
    words = text.split()
    last = len(words) - 1
    # Vietnamese Văn is a middle name, Lê a family name: no particles in a Vietnamese name.
    syllabic = syllabic or not VIETNAMESE_SURNAMES.isdisjoint(words)
    kept = [w for i, w in enumerate(words)
            if w not in TITLES and (i in (0, last) or syllabic or w not in CONNECTORS)]
    kept = _without_patronymic(kept)
    # "Al" or "De" as the whole name is the name.
    return " ".join(kept or words)


# A Russian, Ukrainian or Belarusian patronymic (Dmitrovich, Ivanovna, Yuriyovych): lists
# write it, passports for travel abroad do not. Dropped from a name of three words or more
# when it is the only such word (Roman Arkadyevich Abramovich keeps both: one is the
# surname).
_PATRONYMIC = re.compile(r"^[a-z]{3,}(?:ovich|evich|ovych|evych|yovych|ovna|evna|ivna|yivna)$")


def _without_patronymic(words: list[str]) -> list[str]:
    if len(words) < 3:
        return words
    found = [i for i, w in enumerate(words) if _PATRONYMIC.match(w)]
    if len(found) != 1:
        return words
    return words[:found[0]] + words[found[0] + 1:]


def tokens(name: str) -> tuple[str, ...]:
    return tuple(normalise(name).split())


def has_vowel(token: str) -> bool:
    # Not remembered: the set test costs what a cache lookup would.
    return not _VOWELS.isdisjoint(token)


@lru_cache(maxsize=262_144)
def phonetic(token: str) -> str:
    """Metaphone: ``mohammed``, ``muhammad`` → ``MHMT``; ``aleksandr``, ``alexander`` → ``ALKSNTR``."""
    if token.isdigit():
        return token
    return jellyfish.metaphone(token) or token


@lru_cache(maxsize=NAMES_KEPT)
def skeleton(token: str) -> str:
    """The consonants as Arabic and Hebrew script write them.

    ``muhammad`` and the transliterated ``mhmd`` both give ``mhmd``; ``fatimah`` and
    ``ftmh`` give ``ftm``; ``yusuf`` and ``ywsf`` give ``ysf``. Only compared when one
    side has no vowels at all, i.e. came from a script that does not write them.
    """
    out: list[str] = []
    for i, ch in enumerate(token):
        if ch in _VOWELS:
            continue
        if i > 0 and ch in "wyv":  # long vowels written as consonant letters
            continue
        # c/q/k one sound; Arabic dhal and dad are z in Persian, Urdu and Indonesian.
        ch = "k" if ch in "cq" else "d" if ch == "z" else ch
        if out and out[-1] == ch:
            continue
        out.append(ch)
    if len(out) > 2 and out[-1] == "h":  # taa marbuta / final -ah
        out.pop()
    return "".join(out)


def index_keys(name: str) -> set[str]:
    """What candidate retrieval files a name under.

    Its tokens, adjacent tokens joined (``xiao ming`` → ``xiaoming``), each token's
    Metaphone code prefixed ``~`` and consonant skeleton prefixed ``#``. A query and an
    entry that the scorer could call alike share at least one key.
    """
    return token_keys(tokens(name))


def token_keys(words: tuple[str, ...]) -> set[str]:
    """:func:`index_keys` of a name already split into its words (a reading of it)."""
    keys = set(words)
    keys.update(a + b for a, b in itertools.pairwise(words))
    for word in words:
        if len(word) >= 2:
            keys.add("~" + phonetic(word))
            keys.add("#" + skeleton(word))
    return keys
