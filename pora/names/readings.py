"""Other readings of a name: what the same person's name may be written as elsewhere.

A list writes 田中 宏, a passport TANAKA HIROSHI; Taiwan writes Chiang Ching-kuo for Jiang
Jingguo, Hong Kong Chan Tai Man for 陳大文; Seoul's lists Gim Yeong-hui for a passport's
Kim Young-hee; an old Indonesian register Soeharto for Suharto; a hotel writes Misha for
Mikhail, Segun for Olusegun. No spelling similarity meets these: each name is given its readings, and the comparison takes the best
of the name as written and its readings, each reading kind costing a few points (a reading
is an inference: other kanji read the same, a nickname stands for more than one name).

:func:`name_readings` is used by the scorer (to compare) and by the index (to file and look
up), so that both read a name the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pora.names.chinese import cantonese_readings, chinese_readings
from pora.names.japanese import japanese_readings, looks_japanese
from pora.names.nicknames import curated_group, name_groups
from pora.names.transliteration import normalise

JAPANESE = "japanese"
WADE_GILES = "wade_giles"
CANTONESE = "cantonese"
NICKNAME = "nickname"
OLD_SPELLING = "old_spelling"
KOREAN = "korean"
ROMANISATION = "romanisation"
KINDS = (JAPANESE, WADE_GILES, CANTONESE, NICKNAME, OLD_SPELLING, KOREAN, ROMANISATION)

# Readings of one kind at most, and in all: a name's aliases multiply the index's size
# (each reading is filed with its joined neighbours too). The likeliest come first; a
# second Cantonese spelling is mostly a spelling variant the comparison meets anyway.
PER_KIND = {JAPANESE: 2, WADE_GILES: 6, CANTONESE: 1, NICKNAME: 2, OLD_SPELLING: 1,
            KOREAN: 1, ROMANISATION: 1}
IN_ALL = 8
# Nicknames in one name replaced at most (Bob John Smith: both, not more).
NICKNAMES_REPLACED = 2
_JAPANESE_NATIONALITIES = frozenset({"JPN"})
# Codes that say nothing of the nationality (stateless, unknown).
_UNKNOWN = frozenset({"XXA", "XXB", "XXC", "XXX", "UNK"})


# Searched by a regular expression, in C: a name of Latin letters is read for readings
# once per index entry and per person screened.
_HANGUL = re.compile("[\uac00-\ud7a3]")
_HAN_OR_KANA = re.compile("[\u3040-\u30ff\u3400-\u9fff]")


def _hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None


def _han_or_kana(text: str) -> bool:
    return _HAN_OR_KANA.search(text) is not None


# The Indonesian spelling before 1972 (Ejaan Republik, 1947): Soeharto, Tjahja, Djoko,
# Joeni are Suharto, Cahya, Joko, Yuni in today's spelling (EYD). Names keep the old
# spelling for life; lists and registers mix both.
_OLD_SPELLING = (("oe", "u"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "kh"))
_INDONESIAN = frozenset({"IDN"})
# What only the old spelling writes (a j alone is also today's j in Joko).
_OLD_MARKERS = ("oe", "tj", "dj", "sj", "nj")
_KOREAN = frozenset({"KOR", "PRK"})

# Korean names are romanised three ways at once: the Revised Romanisation (2000) of lists
# and of Hangul read by machine (Yeong-hui, Gyeong, Jeong), McCune-Reischauer without its
# marks (Yŏng-hŭi → Yong-hui, Kyong), and what families put in passports (Young-hee,
# Kyung, Jung). Written one key: ㅓ (eo, o, u) as u, ㅡ (eu) as u, ee/ui as i, oo as u,
# initials without voicing (g/k, d/t, b/p, j/ch), r as l, a final g as k (not in ng).
_KOREAN_VOWELS = (("eo", "u"), ("ou", "u"), ("oo", "u"), ("eu", "u"), ("ee", "i"),
                  ("ui", "i"), ("oi", "oe"), ("wo", "wu"), ("sh", "s"))
_KOREAN_SURNAME_KEYS = {
    "lee": "yi", "yi": "yi", "rhee": "yi", "ri": "yi", "rhie": "yi", "i": "yi",
    "park": "pak", "pak": "pak", "bak": "pak", "bahk": "pak", "kim": "kim", "gim": "kim",
    "choi": "choe", "choe": "choe", "chwe": "choe", "oh": "o", "o": "o", "noh": "no",
    "roh": "no", "no": "no", "ryu": "yu", "yoo": "yu", "yu": "yu", "lyu": "yu",
    "rim": "im", "lim": "im", "im": "im", "shin": "sin", "sin": "sin", "kang": "kang",
    "gang": "kang", "cho": "cho", "jo": "cho", "jang": "chang", "chang": "chang",
    "han": "han", "seo": "su", "suh": "su", "kwon": "kwun", "gwon": "kwun",
    "jeon": "chun", "jun": "chun", "chun": "chun", "jung": "chung", "jeong": "chung",
    "chung": "chung", "cheong": "chung", "song": "song", "hong": "hong", "yoon": "yun",
    "yun": "yun", "moon": "mun", "mun": "mun", "bae": "pae", "pae": "pae",
}
KOREAN_SURNAMES = frozenset(_KOREAN_SURNAME_KEYS) - {"i", "yi", "o", "no", "yu", "im", "han", "cho",
                                                   "jun", "song", "hong", "mun", "yun"}


_KOREAN_SURNAME_SET = frozenset(_KOREAN_SURNAME_KEYS) | frozenset(_KOREAN_SURNAME_KEYS.values())


def korean_surname(word: str) -> bool:
    """A spelling of a Korean family name (or its key)."""
    return word in _KOREAN_SURNAME_SET


_KOREAN_SURNAME_NUMBERS = {word: number for number, key in enumerate(
    sorted(set(_KOREAN_SURNAME_KEYS.values())))
    for word in _KOREAN_SURNAME_SET if _KOREAN_SURNAME_KEYS.get(word, word) == key}


def korean_surname_number(word: str) -> int:
    """The Korean family name a word spells, as a number (its spellings share it: Lee,
    Yi and Rhee); -1 for a word that spells none."""
    return _KOREAN_SURNAME_NUMBERS.get(word, -1)


def korean_key(word: str) -> str:
    """One romanised Korean word (a syllable or a given name written as one) as the key
    its three romanisations share: Yeong-hui, Yong-hui and Young-hee all give yung hi."""
    if word in _KOREAN_SURNAME_KEYS:
        return _KOREAN_SURNAME_KEYS[word]
    for old, new in _KOREAN_VOWELS:
        word = word.replace(old, new)
    out = []
    for i, ch in enumerate(word):
        after_n = i > 0 and word[i - 1] == "n"
        if ch == "g" and not after_n:
            ch = "k"
        elif ch in "dbrj":
            ch = {"d": "t", "b": "p", "r": "l", "j": "ch"}[ch]
        elif ch == "o":
            # McCune-Reischauer without its breve writes ㅓ as o (Yŏng-hŭi: Yong-hui), which
            # the others write eo or u: o and u are one in the key.
            ch = "u"
        out.append(ch)
    return "".join(out)


def korean_name(tokens: tuple[str, ...], korean: int, hangul: bool) -> bool:
    """A Korean name: written in Hangul, of a Korean national, or beside a Korean family
    name when the nationality is unknown."""
    if hangul or korean == 2:
        return True
    return korean == 1 and bool(tokens) and (
        tokens[0] in KOREAN_SURNAMES or tokens[-1] in KOREAN_SURNAMES)


# Japanese romanised the school way (Kunrei-shiki, ISO 3602) or the Nihon-shiki way, as
# older lists and Japanese sources write it, against Hepburn, which passports use: Zyunko
# is Junko, Huzita Fujita, Tanaka Tosio Tanaka Toshio. Hepburn writes none of the left
# sides (shi, chi, tsu, fu, ji), so converting a Hepburn name changes nothing.
_KUNREI = ((re.compile(r"zy|jy|dy"), "j"), (re.compile(r"sy"), "sh"), (re.compile(r"ty"), "ch"),
           (re.compile(r"si"), "shi"), (re.compile(r"ti"), "chi"), (re.compile(r"tu"), "tsu"),
           (re.compile(r"(?<![sc])hu"), "fu"), (re.compile(r"zi|di"), "ji"),
           (re.compile(r"du"), "zu"))
# Russian, Ukrainian and Belarusian names as German writes them (Tkatschenko, Mychajlo,
# Wolkow, Schewtschenko) against the English-style spelling of passports (Tkachenko,
# Mykhailo, Volkov, Shevchenko): only for a name with a mark of German spelling.
_GERMAN_MARKS = ("sch", "w", "j")
_GERMAN = (("tsch", "\x00"), ("sch", "sh"), ("ch", "kh"), ("\x00", "ch"), ("w", "v"), ("j", "y"))
# German jo after a consonant is ё, which passports write e (Semjonow: Semenov, Pjotr: Petr).
_GERMAN_YO = re.compile(r"(?<=[bcdfghklmnprstvwz])jo")
# Egypt and Sudan say and write the Arabic jim as g: Gamal is Jamal, Maged Majed.
_EGYPTIAN_G = re.compile(r"(?<![n])g(?!h)")
_EGYPTIAN_NATIONALITIES = frozenset({"EGY", "SDN"})
_CYRILLIC_NATIONALITIES = frozenset({"RUS", "UKR", "BLR", "KAZ", "KGZ", "MDA", "BGR", "SRB",
                                     "MKD", "TJK", "UZB"})


def kunrei_as_hepburn(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A Japanese name in Kunrei-shiki or Nihon-shiki as Hepburn writes it: ``("abe",
    "zyunko")`` → ``("abe", "junko")``."""
    out = []
    for word in tokens:
        for pattern, new in _KUNREI:
            word = pattern.sub(new, word)
        out.append(word)
    return tuple(out)


def german_as_english(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A Slavic name in German transliteration as English-style passports write it:
    ``("tkatschenko", "mychajlo")`` → ``("tkachenko", "mykhaylo")``, ``("semjonow",)`` →
    ``("semenov",)``; the name itself when
    no word has a mark of German spelling (sch, w, j)."""
    if not any(mark in word for word in tokens for mark in _GERMAN_MARKS):
        return tokens
    out = []
    for word in tokens:
        word = _GERMAN_YO.sub("e", word)
        for old, new in _GERMAN:
            word = word.replace(old, new)
        out.append(word)
    return tuple(out)


# Arabic names "servant of" one of God's names (عبد الرحمن): written as one word or two,
# with the article assimilated or not (Abdulrahman, Abd al-Rahman, Abdel Rahman,
# Abdurrahman; in Arabic script, normalised, "bd rhmn"). Separate words that begin one, and
# the beginnings of one written as a word, longest first.
_ABD_WORDS = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdur", "abdus", "bd"})
_ABD_PREFIXES = ("abdul", "abdel", "abdal", "abdol", "abdur", "abdus", "abd")
_ABD_STARTS = ("abd", "bd")


def abd_compounds(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A name with each Abd- compound as one word, "abd" (Arabic script: "bd") and the
    name it is the servant of: ``("abdul", "rahman")``, ``("abdurrahman",)`` and ``("abd",
    "rahman")`` all give ``("abdrahman",)``, ``("bd", "rhmn")`` gives ``("bdrhmn",)``; the
    name itself when it has none."""
    if not any(word.startswith(_ABD_STARTS) for word in tokens):
        return tokens
    out: list[str] = []
    at = 0
    while at < len(tokens):
        word = tokens[at]
        if word in _ABD_WORDS and at + 1 < len(tokens):
            out.append(("bd" if word == "bd" else "abd") + tokens[at + 1])
            at += 2
            continue
        prefix = next((p for p in _ABD_PREFIXES if word.startswith(p) and len(word) - len(p) >= 3),
                      None)
        out.append("abd" + word[len(prefix):] if prefix else word)
        at += 1
    return tuple(out)


def egyptian_as_arabic(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """An Egyptian or Sudanese name with its g as the jim the rest of the Arab world writes
    j: ``("gamal", "maged")`` → ``("jamal", "majed")``; not the g of gh or ng."""
    return tuple(_EGYPTIAN_G.sub("j", word) for word in tokens)


def modern_spelling(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A name in the old Indonesian spelling as EYD writes it (the name itself if none):
    oe → u, tj → c, dj → j, the old j → y, sj → sy, nj → ny, ch → kh."""
    out = []
    for word in tokens:
        word = word.replace("dj", "\x00")  # dj is today's j; any other j is today's y
        for old, new in _OLD_SPELLING:
            word = word.replace(old, new)
        out.append(word.replace("j", "y").replace("\x00", "j"))
    return tuple(out)


# Small: an index of a million entries reads each of its names once, and a cache as large
# as the names would hold them all.
@lru_cache(maxsize=16_384)
def _readings(raw: str, japanese: int, indonesian: int = 0,
              korean: int = 1, slavic: bool = False, egyptian: bool = False
              ) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The readings of :func:`name_readings`. ``japanese``: 2 for a Japanese national, 1
    when the nationality is unknown (kanji may then be Japanese or Chinese: both readings,
    the Japanese ones fewer), 0 else; ``indonesian``: 2 for an Indonesian national, 1 when
    the nationality is unknown (only an unmistakable old spelling), 0 else;
    ``korean``: 2 for a Korean national, 1 when the nationality is unknown, 0 else (Kim
    Brown of the United States is no Korean name); ``slavic``: a national of a country
    writing Cyrillic; ``egyptian``: an Egyptian or Sudanese national."""
    tokens = tuple(normalise(raw).split())
    found: list[tuple[tuple[str, ...], str]] = []

    def add(reading: tuple[str, ...], kind: str) -> None:
        if reading and reading != tokens and all(r != reading for r, _ in found):
            found.append((reading, kind))

    if korean_name(tokens, korean, _hangul(raw)):
        add(tuple(korean_key(word) for word in tokens), KOREAN)
    if _han_or_kana(raw):
        if japanese or looks_japanese(raw):
            for text in japanese_readings(raw)[:PER_KIND[JAPANESE] if japanese != 1 else 1]:
                add(tuple(normalise(text).split()), JAPANESE)
        if japanese != 2:  # a Japanese national's kanji are not read in Cantonese
            for text in cantonese_readings(raw)[:PER_KIND[CANTONESE]]:
                add(tuple(text.split()), CANTONESE)
    elif tokens:
        if japanese == 2:
            add(kunrei_as_hepburn(tokens), ROMANISATION)
        if slavic:
            add(german_as_english(tokens), ROMANISATION)
        if egyptian:
            add(egyptian_as_arabic(tokens), ROMANISATION)
        add(abd_compounds(tokens), ROMANISATION)
        if indonesian == 2 or indonesian and any(
                old in word for word in tokens for old in _OLD_MARKERS):
            add(modern_spelling(tokens), OLD_SPELLING)
        for reading in chinese_readings(tokens)[:PER_KIND[WADE_GILES]]:
            add(reading, WADE_GILES)
        for reading in _nickname_readings(tokens)[:PER_KIND[NICKNAME]]:
            add(reading, NICKNAME)
    return tuple(found[:IN_ALL])


# Words the English nickname data lists as short forms that are, in the names a list
# holds, mostly names or particles of their own: Korean Kim, Dutch and Vietnamese Van, and
# full given names (Eric is not Derrick, Ian not John).
NOT_NICKNAMES = frozenset({"kim", "van", "nan", "gil", "sig", "eric", "roy", "ian", "jean",
                           "leon", "dan", "mark", "marc", "scott", "austin", "roland",
                           "jack", "jay", "terry"})


# Yoruba names are called by what follows their first element: praise of God (Olúwa,
# Olú: Oluwaseun is Seun), wealth (Ọlá: Olatunji is Tunji), the crown (Adé: Adebayo is
# Bayo, Adebukola Bukola).
YORUBA_PREFIXES = ("oluwa", "olu", "ola", "ade")


def _nickname_readings(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The name with a nickname word put as the full name(s) it stands for (a Yoruba name
    also without its first element: Olusegun is Segun, Olawale Wale): from PORA's
    own table any (Seryozha → Sergei) and first, from the English data none shorter than
    the word (Misha → Mikhail, Bob → Robert; not William → Wilma), those beginning
    as the word does first (Ron → Ronald before Veronica)."""
    # (rank, readings) per word: PORA's own table first (King Sue: Susan before Kingsley),
    # then a Yoruba name without its first element, then the English data.
    per_word: list[tuple[int, list[tuple[str, ...]]]] = []
    replaced = 0
    for at, word in enumerate(tokens):
        for prefix in YORUBA_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                per_word.append((1, [tokens[:at] + (word[len(prefix):],) + tokens[at + 1:]]))
                break
        if word in NOT_NICKNAMES:
            continue
        # Longest first: the full name before the package's other short forms (Bob stands
        # for Robert before Bobby or Bert).
        groups = sorted((group for group in name_groups(word) if group != word
                         and (len(group) >= len(word) or curated_group(group))),
                        key=lambda group: (not curated_group(group),
                                           not group.startswith(word[:2]), -len(group), group))
        if not groups:
            continue
        replaced += 1
        if replaced > NICKNAMES_REPLACED:
            break
        per_word.append((0 if curated_group(groups[0]) else 2, [
            tokens[:at] + (group,) + tokens[at + 1:] for group in groups[:PER_KIND[NICKNAME]]]))
    return [reading for _, readings in sorted(per_word, key=lambda found: found[0])
            for reading in readings]


def name_readings(raw: str, nationalities: tuple[str, ...] = ()
                  ) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The other readings of one written name, each as (words, kind), not the name's own
    words: Japanese readings of kana and of kanji Japan writes, and of any Han name of a
    Japanese national or of someone whose nationality is unknown,
    Hong Kong Cantonese readings of Chinese characters, pinyin readings of a Wade-Giles
    name, and the full names a nickname stands for."""
    known = [code for code in nationalities if code not in _UNKNOWN]
    japanese = 2 if not _JAPANESE_NATIONALITIES.isdisjoint(known) else 0 if known else 1
    # 2: an Indonesian national; 1: nationality unknown (only unmistakable old spelling).
    indonesian = 2 if not _INDONESIAN.isdisjoint(known) else 0 if known else 1
    korean = 2 if not _KOREAN.isdisjoint(known) else 0 if known else 1
    return _readings(raw, japanese, indonesian, korean,
                     not _CYRILLIC_NATIONALITIES.isdisjoint(known),
                     not _EGYPTIAN_NATIONALITIES.isdisjoint(known))
