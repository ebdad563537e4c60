"""Japanese names in kanji and kana, read as a Japanese passport spells them.

A watchlist may write ``田中 宏`` where the passport says ``TANAKA HIROSHI``; ``anyascii``
(which :func:`pora.names.transliteration.normalise` uses) reads kanji as Chinese
(``tian zhong hong``) and can never meet the passport. :func:`japanese_readings` gives the
Hepburn readings instead, spelt by the rules of the Ministry of Foreign Affairs for
passports (外務省 "ヘボン式ローマ字綴方表"): long vowels are not written (佐藤 SATO,
大野 ONO, 優子 YUKO, 太郎 TARO), ん before b, m, p is M (難波 NAMBA, 本間 HOMMA), っ before
ch is T (発地 HOTCHI), and a final おお is written OO (ヒロオ HIROO).

Decision: the "OH" spelling of a long o (SATOH, OHNO), which a passport shows only on the
holder's request, is not returned as a reading: it is one letter away from the plain form
and the screening scorer's string similarity already meets it, while each reading here is
one more comparison for every Japanese entry.

Kanji readings come from pykakasi's dictionary (GPL-3.0-or-later, compatible with PORA's
AGPL), which gives one reading per word, the commonest in running text. Name readings
differ ("健" is Ken as often as Takeshi, "菅" the prime minister is Suga), so a small table
of name words (``data/japanese_readings.txt``) replaces pykakasi's reading for those words.

Decision: pykakasi itself is not loaded. Its dictionary unpickles into ~114 MiB of Python
objects in every process that reads one Japanese name; the words a name can be made of and
their readings are written by :mod:`pora.names.data.build_tables` into
``data/kanji_words.tsv.gz``, searched in place (~4 MiB), and a name is split into words
the way pykakasi's converter splits it (:func:`_split_words`).
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from importlib import resources

from pora.names.combinations import ranked_combinations
from pora.names.tables import SortedLines, read_table

MAX_READINGS = 4

# Variant kanji that pykakasi does not know, as families write them in registers (髙橋 for
# 高橋, 山﨑 for 山崎); the reading is the same.
_ITAIJI = str.maketrans({"髙": "高", "﨑": "崎", "濵": "濱", "邉": "邊", "德": "徳", "瀨": "瀬"})
# Marks that separate the words of a name written in kana (ジョン・スミス) or in a register.
_SEPARATORS = str.maketrans({"・": " ", "･": " ", "＝": " ", "=": " ", "　": " "})
# Variation selectors (葛 with U+E0100 asks for one glyph of 葛) choose a glyph, not a
# reading; pykakasi deletes them before looking a word up, and so do we, before splitting.
_SELECTORS = dict.fromkeys([*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])
# Marks only Japanese writes: the repetition mark (佐々木), shime (〆), the small ke of
# names (霞ヶ関) and the kanji zero. They are also all a dictionary word may hold besides
# kanji (build_tables keeps the words made of kanji and these).
_JAPANESE_ONLY_MARKS = frozenset("々〆ヶヵ〇")

# Hepburn as the passport table writes it, by hiragana (katakana is folded to hiragana
# first). Two-kana entries (yōon and the katakana extensions for foreign sounds) are looked
# up before one-kana entries.
_KANA = {
    **dict(zip("あいうえお", ["a", "i", "u", "e", "o"], strict=True)),
    **dict(zip("ぁぃぅぇぉ", ["a", "i", "u", "e", "o"], strict=True)),
    **dict(zip("かきくけこ", ["ka", "ki", "ku", "ke", "ko"], strict=True)),
    **dict(zip("がぎぐげご", ["ga", "gi", "gu", "ge", "go"], strict=True)),
    **dict(zip("さしすせそ", ["sa", "shi", "su", "se", "so"], strict=True)),
    **dict(zip("ざじずぜぞ", ["za", "ji", "zu", "ze", "zo"], strict=True)),
    **dict(zip("たちつてと", ["ta", "chi", "tsu", "te", "to"], strict=True)),
    **dict(zip("だぢづでど", ["da", "ji", "zu", "de", "do"], strict=True)),
    **dict(zip("なにぬねの", ["na", "ni", "nu", "ne", "no"], strict=True)),
    **dict(zip("はひふへほ", ["ha", "hi", "fu", "he", "ho"], strict=True)),
    **dict(zip("ばびぶべぼ", ["ba", "bi", "bu", "be", "bo"], strict=True)),
    **dict(zip("ぱぴぷぺぽ", ["pa", "pi", "pu", "pe", "po"], strict=True)),
    **dict(zip("まみむめも", ["ma", "mi", "mu", "me", "mo"], strict=True)),
    **dict(zip("やゆよ", ["ya", "yu", "yo"], strict=True)),
    **dict(zip("ゃゅょ", ["ya", "yu", "yo"], strict=True)),
    **dict(zip("らりるれろ", ["ra", "ri", "ru", "re", "ro"], strict=True)),
    "わ": "wa", "ゐ": "i", "ゑ": "e", "を": "o", "ゎ": "wa", "ゔ": "bu",
}
for _kana, _onset in [("き", "ky"), ("ぎ", "gy"), ("し", "sh"), ("じ", "j"), ("ち", "ch"),
                      ("ぢ", "j"), ("に", "ny"), ("ひ", "hy"), ("び", "by"), ("ぴ", "py"),
                      ("み", "my"), ("り", "ry")]:
    for _small, _vowel in zip("ゃゅょ", "auo", strict=True):
        _KANA[_kana + _small] = _onset + _vowel
_KANA.update({
    "しぇ": "she", "じぇ": "je", "ちぇ": "che", "てぃ": "ti", "でぃ": "di", "とぅ": "tu",
    "ふぁ": "fa", "ふぃ": "fi", "ふぇ": "fe", "ふぉ": "fo", "うぃ": "wi", "うぇ": "we",
    "うぉ": "wo", "ゔぁ": "ba", "ゔぃ": "bi", "ゔぇ": "be", "ゔぉ": "bo",
})
_MORPHEME_VOWELS = frozenset("えおあ")  # う before these starts a new word: 井上 いのうえ


def _is_kana(ch: str) -> bool:
    code = ord(ch)
    return (0x3041 <= code <= 0x309F or 0x30A0 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF
            or 0xFF66 <= code <= 0xFF9F)


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x2A6DF)


def _encodes(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=8192)
def _japanese_form(ch: str) -> bool:
    """A kanji in the Japanese standard set (JIS X 0208) but in neither Chinese one.

    Shinjitai simplifications (沢 for 澤, 辺 for 邊, 斎, 広, 桜, 県) and kokuji (畑, 辻, 込)
    are written only in Japan: the mainland's GB 2312 and Taiwan's and Hong Kong's Big5
    lack them. The codecs ship with Python, so the test needs no table.
    """
    return (_is_han(ch) and _encodes(ch, "shift_jis") and not _encodes(ch, "gb2312")
            and not _encodes(ch, "big5"))


def looks_japanese(name: str) -> bool:
    """Whether a name is written in a way only Japanese writes: kana, 々, or a Japanese-only kanji.

    A name of kanji that Chinese also writes (田中, 山本) is not recognised here; the
    caller that knows the nationality (JPN) asks :func:`japanese_readings` regardless.
    """
    if not name or name.isascii():
        return False  # the common case, answered without looking at characters
    text = unicodedata.normalize("NFKC", name)
    return any(_is_kana(ch) or ch in _JAPANESE_ONLY_MARKS or _japanese_form(ch) for ch in text)


@cache
def _kanji_words() -> SortedLines:
    """pykakasi's kanji words and readings (data file), decompressed on first use (~0.03 s)."""
    return read_table("kanji_words.tsv.gz")


@cache
def _kanji_variants() -> dict[int, str]:
    """Variant kanji → the standard form the dictionary knows (pykakasi's itaiji table)."""
    return {ord(variant): standard for variant, standard in read_table("kanji_variants.txt")}


@cache
def _name_table() -> dict[str, tuple[str, ...]]:
    """The readings of name words whose dictionary reading is not the name's (data file)."""
    table: dict[str, tuple[str, ...]] = {}
    text = resources.files("pora.names").joinpath("data/japanese_readings.txt").read_text("utf-8")
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2:
            table[fields[0]] = tuple(fields[1:MAX_READINGS + 1])
    return table


def _to_hiragana(text: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if 0x30A1 <= ord(ch) <= 0x30F6 else ch for ch in text)


def _morae(kana: str) -> list[str]:
    """Split hiragana into morae, two-kana yōon kept together (きょ, しゃ)."""
    out: list[str] = []
    i = 0
    while i < len(kana):
        if kana[i:i + 2] in _KANA:
            out.append(kana[i:i + 2])
            i += 2
        else:
            out.append(kana[i])
            i += 1
    return out


def _vowel(romaji: str) -> str:
    return romaji[-1] if romaji else ""


def romanise_kana(kana: str) -> str | None:
    """Hiragana or katakana to passport Hepburn: ``"さとう"`` → ``"sato"``, ``"イチロー"`` → ``"ichiro"``.

    Long vowels: おう, おお and うう are written o and u, as is the katakana bar; a
    lengthening is not lengthened again (おおうち OUCHI, 大内), and う before え, お or あ
    starts a new word rather than lengthening (いのうえ INOUE, 井上). A final おお stays OO.
    None when a character is neither kana nor a mark the table knows.
    """
    morae = _morae(_to_hiragana(unicodedata.normalize("NFKC", kana)))
    out: list[str] = []
    lengthened = False  # the previous vowel already absorbed a lengthening mark
    geminate = False
    for i, mora in enumerate(morae):
        following = morae[i + 1] if i + 1 < len(morae) else ""
        previous = _vowel(out[-1]) if out else ""
        if mora == "ー":
            lengthened = True
            continue
        if mora == "っ":
            geminate = True
            continue
        if mora == "ん":
            onset = _KANA.get(following, "")[:1]
            out.append("m" if onset and onset in "bmp" else "n")
            lengthened = False
            continue
        if (mora == "う" and previous in ("o", "u") and not lengthened
                and following[:1] not in _MORPHEME_VOWELS):
            lengthened = True
            continue
        if mora == "お" and previous == "o" and not lengthened and following:
            lengthened = True
            continue
        romaji = _KANA.get(mora)
        if romaji is None:
            return None
        if geminate:
            romaji = ("t" if romaji.startswith("ch") else romaji[0]) + romaji
            geminate = False
        out.append(romaji)
        lengthened = False
    return "".join(out)


# pykakasi's converter reads a text run by run: a kanji starts a dictionary word, kana of
# one script and ASCII letters run on until the script changes, and a lengthening mark joins
# whatever came before. Character ranges as pykakasi 2.3 classifies them (scripts.py, H2, K2
# and A2 regions; kanji.py for kanji), the version the tables come from.
_KANJI, _HIRAGANA, _KATAKANA, _ASCII, _CLOSING = range(5)
_LENGTHENING = frozenset("ー―−ｰ")
_CLOSING_MARKS = frozenset(")]!,.")  # each starts a word of its own


def _in_kanji_range(ch: str) -> bool:
    """Where pykakasi looks a character up as kanji: from CJK Extension A (U+3400) up to
    the private use area, its variant table included; Extension B and beyond are not read."""
    return 0x3400 <= ord(ch) < 0xE000


def _script(ch: str) -> int | None:
    """pykakasi's class of a character in a name word; None for what yields no reading."""
    code = ord(ch)
    if 0x30A1 <= code <= 0x30FC or 0x1B164 <= code <= 0x1B167:
        return _KATAKANA
    if 0x3041 <= code <= 0x3096 or 0x1B150 <= code <= 0x1B152:
        return _HIRAGANA
    if ch in _CLOSING_MARKS:
        return _CLOSING
    if 0x20 <= code <= 0x7E:
        return _ASCII
    if _in_kanji_range(ch) or code in _kanji_variants():  # compatibility kanji (﨑) too
        return _KANJI
    # Symbols (々 outside a word, ・, Greek, Cyrillic, accented Latin...) become words
    # whose reading is the symbol itself, which no kana table spells.
    return None


def _longest_word(standard: str, at: int) -> tuple[int, str]:
    """The longest dictionary word ``standard`` has at ``at``, as (length, hiragana)."""
    table = _kanji_words()
    length, reading = 0, ""
    end = at + 1
    while end <= len(standard):
        found, longer = table.seek(standard[at:end])
        if found is not None:
            length, reading = end - at, found
        if not longer:
            break
        end += 1
    return length, reading


def _split_words(word: str) -> list[tuple[str, str]] | None:
    """A written word as pykakasi splits it, each part with its hiragana (kana as written).

    None when a character yields no reading: a kanji the dictionary lacks (simplified
    Chinese 张), a symbol, or a letter outside ASCII.
    """
    standard = word.translate(_kanji_variants())
    parts: list[tuple[str, str]] = []
    written, kana = "", ""
    previous = _KANJI  # pykakasi starts as after a kanji word
    at = 0
    while at < len(word):
        ch = word[at]
        if ch in _LENGTHENING:
            written, kana = written + ch, kana + ch
            at += 1
            continue
        script = _script(ch)
        if script is None:
            return None
        if written and (script in (_KANJI, _CLOSING) or script != previous):
            parts.append((written, kana))
            written, kana = "", ""
        if script == _KANJI:
            length, reading = _longest_word(standard, at)
            if not length:
                return None
            written, kana = word[at:at + length], reading
            at += length
        else:
            written, kana = written + ch, kana + ch
            at += 1
        previous = script
    if written:
        parts.append((written, kana))
    return parts


def _word_readings(segments: list[tuple[str, str]]) -> tuple[str, ...] | None:
    """Readings of one name word made of pykakasi's segments, the name table first."""
    written = "".join(orig for orig, _ in segments)
    listed = _name_table().get(written)
    if listed:
        return listed
    parts = []
    for orig, hira in segments:
        if orig.isascii():
            parts.append((orig.strip().lower(),))
            continue
        listed = _name_table().get(orig)
        if listed:
            parts.append(listed)
            continue
        romaji = romanise_kana(hira)
        if romaji is None:
            return None
        parts.append((romaji,))
    return _ranked_products(parts, joiner="")


def _ranked_products(options: list[tuple[str, ...]], joiner: str) -> tuple[str, ...]:
    """Combinations of one option per part, commonest first, at most MAX_READINGS."""
    out: list[str] = []
    for combo in ranked_combinations(options):
        reading = joiner.join(combo)
        if reading and reading not in out:
            out.append(reading)
        if len(out) == MAX_READINGS:
            break
    return tuple(out)


def _name_words(text: str) -> list[list[tuple[str, str]]] | None:
    """The name's words, each as pykakasi's segments.

    A name written without a space (田中宏, 中島みゆき) is split after pykakasi's first word
    when that word is kanji: that is where the family name ends for the common names of
    two kanji and a given name in kanji or kana.
    """
    words = text.split()
    segmented = [_split_words(word) for word in words]
    if not segmented or any(s is None for s in segmented):
        return None
    if (len(words) == 1 and len(segmented[0]) > 1
            and all(_is_han(ch) or ch in _JAPANESE_ONLY_MARKS for ch in segmented[0][0][0])):
        first, *rest = segmented[0]
        return [[first], rest]
    return segmented  # type: ignore[return-value]


@lru_cache(maxsize=8_192)
def japanese_readings(name: str) -> tuple[str, ...]:
    """Passport readings of a name in kanji and/or kana, commonest first (at most four).

    ``"田中 宏"`` → ``("tanaka hiroshi", "tanaka hiro", "tanaka ko")``; ``"スズキ イチロー"`` →
    ``("suzuki ichiro",)``. Words keep the order and spacing written (family name first
    as Japanese writes it); a name written solid is split after the family name. Latin
    words are kept as they are. Empty when a character cannot be read as Japanese
    (simplified Chinese 张伟) or the name has no kanji or kana at all.
    """
    text = unicodedata.normalize("NFKC", name or "").translate(_SELECTORS).translate(_ITAIJI)
    text = text.translate(_SEPARATORS)
    if not any(_is_kana(ch) or _is_han(ch) for ch in text):
        return ()
    words = _name_words(text)
    if words is None:
        return ()
    options: list[tuple[str, ...]] = []
    for segments in words:
        readings = _word_readings(segments)
        if not readings:
            return ()
        options.append(tuple(r.lower() for r in readings))
    return _ranked_products(options, joiner=" ")
