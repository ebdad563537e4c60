"""Chinese names in the spellings older than pinyin: Wade-Giles and Hong Kong Cantonese.

Taiwanese passports and older Western lists write Wade-Giles (Chiang Ching-kuo, Teng
Hsiao-ping); Hong Kong writes the Cantonese sound (陳大文 Chan Tai Man); the mainland and
:func:`pora.names.transliteration.normalise` write pinyin (Jiang Jingguo, Deng Xiaoping,
Chen Dawen). None of these meets the others by string similarity, so this module gives
the pinyin readings a screening can compare instead.

Wade-Giles is converted syllable by syllable with a table built from the standard rules
(initials b→p, p→p', d→t, t→t', g→k, k→k', j/zh→ch, q/ch→ch', x→hs, z→ts, c→ts', r→j;
finals -ong→-ung, -ian→-ien, -ie→-ieh, -e→-o after g/k/h, -uo→-o except after g/k/h/sh,
-ui→-uei after g/k, ü after j/q/x/l/n; whole syllables zhi→chih, zi→tzu, si→ssu, er→erh,
yi→i, you→yu). Names lose the apostrophes of aspiration and the umlaut, so a written
``ching`` is ``jing`` or ``qing``: both are returned, and the order is decided by which
mark a writer would have had to drop (see :func:`wade_giles_to_pinyin`).
"""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache, lru_cache
from importlib import resources

from anyascii import anyascii

from pora.names.combinations import ranked_combinations
from pora.names.tables import SortedLines, read_table

MAX_COMBINATIONS = 8
MAX_CANTONESE_READINGS = 4

# Every pinyin syllable without tone; ü is written v here (lv, nve), as pinyin keyboards do.
_PINYIN_TEXT = """
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu
ca cai can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu
chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo
da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo
e ei en eng er fa fan fang fei fen feng fo fou fu
ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun
ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo
la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan
lun luo lv lve
ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu
na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nuo
nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo
sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu
shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo
ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue
xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun
za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong
zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
"""
_PINYIN = tuple(_PINYIN_TEXT.split())
_PINYIN_SET = frozenset(_PINYIN)
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j",
             "q", "x", "r", "z", "c", "s", "y", "w")
_WG_INITIAL = {"b": "p", "p": "p'", "d": "t", "t": "t'", "g": "k", "k": "k'", "j": "ch",
               "q": "ch'", "x": "hs", "zh": "ch", "ch": "ch'", "r": "j", "z": "ts", "c": "ts'"}
_WHOLE = {"zhi": "chih", "chi": "ch'ih", "shi": "shih", "ri": "jih", "zi": "tzu", "ci": "tz'u",
          "si": "ssu", "er": "erh", "e": "o", "yi": "i", "you": "yu", "yu": "yü", "yue": "yüeh",
          "yuan": "yüan", "yun": "yün", "yong": "yung", "yan": "yen", "ye": "yeh"}
# Spellings of WG syllables that writers use beside the standard ones.
_WG_VARIANTS = {"szu": "si", "yi": "yi"}
_ASPIRATED = frozenset({"p", "t", "k", "q", "ch", "c"})


def _split_pinyin(syllable: str) -> tuple[str, str]:
    for initial in _INITIALS:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial):]
    return "", syllable


def _wg_final(initial: str, final: str) -> str:
    """The Wade-Giles final of a pinyin final after a given initial."""
    if initial in ("j", "q", "x") and final.startswith("u"):
        final = "v" + final[1:]  # ju, que, xuan are jü, qüe, xüan
    if final == "e":
        return "o" if initial in ("g", "k", "h") else "e"
    if final == "uo":
        return "uo" if initial in ("g", "k", "h", "sh") else "o"
    if final == "ui" and initial in ("g", "k"):
        return "uei"
    for pinyin, wade in (("iong", "iung"), ("ong", "ung"), ("ian", "ien"), ("ie", "ieh"),
                         ("ve", "üeh")):
        if final == pinyin:
            return wade
    return final.replace("v", "ü")


def _to_wade_giles(syllable: str) -> str:
    """One pinyin syllable (ü as v) to Wade-Giles with its marks: ``"qing"`` → ``"ch'ing"``."""
    if syllable in _WHOLE:
        return _WHOLE[syllable]
    initial, final = _split_pinyin(syllable)
    if initial in ("y", "w"):
        return syllable  # ya, yin, wang...: the same in both (special cases are in _WHOLE)
    return _WG_INITIAL.get(initial, initial) + _wg_final(initial, final)


def _plain(text: str) -> str:
    """As normalise leaves a written syllable: no apostrophes, no umlaut or circumflex."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if "a" <= ch <= "z")


def _written_pinyin(syllable: str) -> str:
    """Pinyin as a name is written: ü as u (lü is written lu, as normalise writes 吕)."""
    return syllable.replace("v", "u")


@cache
def _tables() -> tuple[dict[str, tuple[str, ...]], dict[str, str], frozenset[str]]:
    """WG (plain) → pinyin readings ranked; pinyin → WG with marks; the written pinyin set."""
    readings: dict[str, list[tuple[tuple[int, int], str]]] = {}
    to_wade: dict[str, str] = {}
    for syllable in _PINYIN:
        wade = _to_wade_giles(syllable)
        written = _written_pinyin(syllable)
        to_wade.setdefault(written, wade)
        initial, _ = _split_pinyin(syllable)
        # A writer who drops marks drops them all, but a reading that needs no lost mark
        # is the literal one: unaspirated before aspirated, no umlaut before umlaut; and a
        # WG spelling is more likely some other syllable than the pinyin spelt the same
        # (WG lo is luo, o is e).
        rank = (int(initial in _ASPIRATED), int("ü" in wade), int(written == _plain(wade)))
        readings.setdefault(_plain(wade), []).append((rank, written))
    for variant, pinyin in _WG_VARIANTS.items():
        readings.setdefault(_plain(variant), []).append(((0, 0, 0), pinyin))
    ranked = {}
    for wade, options in readings.items():
        seen: list[str] = []
        for _, written in sorted(options, key=lambda o: o[0]):
            if written not in seen:
                seen.append(written)
        ranked[wade] = tuple(seen)
    return ranked, to_wade, frozenset(_written_pinyin(s) for s in _PINYIN)


def is_pinyin(token: str) -> bool:
    """Whether a lower-case token is one pinyin syllable (tone marks and ü already folded)."""
    return token in _tables()[2]


def wade_giles_to_pinyin(token: str) -> tuple[str, ...]:
    """The pinyin syllables a written Wade-Giles syllable can be, likeliest first.

    ``"ching"`` → ``("jing", "qing")``, ``"hsu"`` → ``("xu",)``, ``"chu"`` → ``("zhu", "ju",
    "chu", "qu")``; empty if the token is no WG syllable (``"jing"``, ``"xu"``). Marks may
    be written (``"ch'ing"``, ``"hsü"``) or not. Order: a reading needing no dropped
    apostrophe first, then one needing no dropped umlaut, since passports and lists write
    neither mark and the literal reading is the likelier.
    """
    return _tables()[0].get(_plain(token), ())


def pinyin_to_wade_giles(token: str, *, marks: bool = False) -> str | None:
    """A pinyin syllable in Wade-Giles: ``"qing"`` → ``"ching"`` (``"ch'ing"`` with marks).

    Without marks the result is what :func:`normalise` makes of the WG spelling, ready to
    compare with normalised tokens. None for a token that is no pinyin syllable. A written
    ``lu`` is taken as lu, not lü (pinyin written without the umlaut says nothing).
    """
    token = _plain(token).replace("lyu", "lv").replace("nyu", "nv")
    wade = _tables()[1].get(token) or (_to_wade_giles(token) if token in _PINYIN_SET else None)
    if wade is None:
        return None
    return wade if marks else _plain(wade)


@lru_cache(maxsize=8_192)
def chinese_readings(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Pinyin readings of a Latin name written in Wade-Giles, likeliest first (at most 8).

    ``("chiang", "ching", "kuo")`` → ``(("jiang", "jing", "guo"), ...)``. Every token must
    be a WG or a pinyin syllable (hyphenated given names arrive split, as normalise splits
    them); otherwise, or if no token is WG, the result is empty. A token that is WG gives
    its pinyin readings; one that is only pinyin stays. Combinations are ordered by the sum
    of the readings' ranks (the literal reading of each syllable first), and the reading
    equal to the input is left out.
    """
    if not tokens:
        return ()
    options: list[tuple[str, ...]] = []
    for token in tokens:
        readings = wade_giles_to_pinyin(token)
        if not readings:
            if not is_pinyin(token):
                return ()
            readings = (token,)
        options.append(readings)
    if all(o == (t,) for o, t in zip(options, tokens, strict=True)):
        return ()
    out: list[tuple[str, ...]] = []
    for reading in ranked_combinations(options):
        if reading != tokens and reading not in out:
            out.append(reading)
        if len(out) == MAX_COMBINATIONS:
            break
    return tuple(out)


# --- Hong Kong Cantonese -------------------------------------------------------------

_JYUTPING_INITIALS = ("gw", "kw", "ng", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
                      "w", "z", "c", "s", "j")
# Jyutping initial → HK spelling: no voicing contrast is written (b and p are both P).
_HK_INITIAL = {"b": "p", "d": "t", "g": "k", "gw": "kw", "z": "ch", "c": "ch", "j": "y"}
# Jyutping final → HK spellings, commonest first (the long/short a contrast is not written).
_HK_FINAL = {
    "aa": ("a", "ah"), "aai": ("ai",), "aau": ("au",), "aam": ("am",), "aan": ("an",),
    "aang": ("ang",), "aap": ("ap",), "aat": ("at",), "aak": ("ak",),
    "ai": ("ai",), "au": ("au",), "am": ("am",), "an": ("an",), "ang": ("ang",),
    "ap": ("ap",), "at": ("at",), "ak": ("ak",),
    "e": ("e",), "ei": ("ei", "ee"), "eu": ("eu",), "em": ("em",), "eng": ("eng",),
    "ep": ("ep",), "ek": ("ek",),
    "i": ("i",), "iu": ("iu",), "im": ("im",), "in": ("in",), "ing": ("ing",), "ip": ("ip",),
    "it": ("it",), "ik": ("ik",),
    "o": ("o", "or"), "oi": ("oi",), "ou": ("o",), "on": ("on",), "ong": ("ong",),
    "ot": ("ot",), "ok": ("ok",),
    "u": ("u",), "ui": ("ui",), "un": ("un", "oon"), "ung": ("ung",), "ut": ("ut",),
    "uk": ("uk",),
    "oe": ("oe",), "oeng": ("eung",), "oek": ("euk",), "eoi": ("ui",), "eon": ("un",),
    "eot": ("ut",), "yu": ("u",), "yun": ("uen",), "yut": ("uet",),
}
# Whole syllables whose HK spelling the initial and final tables do not give.
_HK_SYLLABLE = {
    "zi": ("chi", "tsz"), "ci": ("chi", "tsz"), "si": ("sze", "shi", "see"),
    "ji": ("yi", "yee"), "lei": ("lee", "lei"), "nei": ("nei", "ni"),
    "ze": ("tse", "che"), "ce": ("che", "tse"), "se": ("se", "she"),
    "zang": ("tsang", "chang"), "cang": ("tsang", "chang"),
    "zau": ("chau", "chow"), "cau": ("chau", "chow"),
    "zeoi": ("chui", "tsui"), "ceoi": ("tsui", "chui"),
    "zo": ("cho",), "co": ("cho", "chor"), "zou": ("cho", "tso"), "cou": ("cho", "tso"),
    "zoi": ("choi", "tsoi"), "coi": ("choi", "tsoi"),
    "zan": ("chun", "chan"), "can": ("chan", "chun"),
    "sam": ("sum", "sam", "shum"), "san": ("san", "sun"), "sing": ("sing", "shing"),
    "sek": ("shek", "sek"), "soeng": ("sheung", "seung"), "seon": ("shun", "sun"),
    "syu": ("shu", "sue"), "suk": ("shuk", "suk"), "seoi": ("sui", "shui"),
    "jyu": ("yu", "yue"), "m": ("m", "ng"), "ng": ("ng",), "hm": ("hm",), "hng": ("hng",),
}


def jyutping_to_hk(syllable: str) -> tuple[str, ...]:
    """One Jyutping syllable in Hong Kong Government spelling, commonest first.

    ``"can4"`` → ``("chan", "chun")``, ``"zoeng1"`` → ``("cheung",)``, ``"wong4"`` →
    ``("wong",)``, ``"ng4"`` → ``("ng",)``. Empty for a syllable the tables do not parse.
    """
    plain = syllable.rstrip("0123456789").lower()
    if plain in _HK_SYLLABLE:
        return _HK_SYLLABLE[plain]
    for initial in (*_JYUTPING_INITIALS, ""):
        if plain.startswith(initial) and plain[len(initial):] in _HK_FINAL:
            final = plain[len(initial):]
            head = _HK_INITIAL.get(initial, initial)
            if not initial and final.startswith("yu"):
                head = "y"  # the yu finals are spelt without their y: jyun is y + uen
            return tuple(head + spelt for spelt in _HK_FINAL[final])
    return ()


@cache
def _surname_table() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]],
                              dict[str, tuple[str, ...]], dict[str, str]]:
    """Family names: character → HK spellings; HK spelling → pinyin; pinyin → HK spellings;
    character → its pinyin as a family name."""
    by_char: dict[str, tuple[str, ...]] = {}
    char_pinyin: dict[str, str] = {}
    hk_to_pinyin: dict[str, list[str]] = {}
    pinyin_to_hk: dict[str, list[str]] = {}
    path = resources.files("pora.names").joinpath("data/cantonese_surnames.txt")
    for line in path.read_text("utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 3:
            continue
        chars, pinyins, spellings = fields[0], fields[1].split(","), tuple(fields[2:])
        for ch in chars:
            by_char[ch] = spellings
            char_pinyin.setdefault(ch, pinyins[0])
        for spelt in spellings:
            for pinyin in pinyins:
                _append(hk_to_pinyin.setdefault(spelt, []), pinyin)
                _append(pinyin_to_hk.setdefault(pinyin, []), spelt)
    return (by_char, {k: tuple(v) for k, v in hk_to_pinyin.items()},
            {k: tuple(v) for k, v in pinyin_to_hk.items()}, char_pinyin)


def _append(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def surname_pinyin(ch: str) -> str | None:
    """The pinyin of a character read as a family name, where the table knows it: ``"曾"``
    → ``"zeng"`` (elsewhere ceng), ``"单"`` → ``"shan"`` (elsewhere dan)."""
    return _surname_table()[3].get(ch)


def cantonese_surname_pinyin(token: str) -> tuple[str, ...]:
    """The pinyin of a family name written the Hong Kong way: ``"chan"`` → ``("chen",)``.

    ``"wong"`` → ``("huang", "wang")``, ``"ng"`` → ``("wu",)``, ``"lo"`` → ``("lu", "luo",
    "lao")``. Family names only: given-name syllables are too many and too ambiguous to
    map from Latin spelling back to characters. Empty for a token not in the table.
    """
    return _surname_table()[1].get(token.lower(), ())


def pinyin_surname_cantonese(token: str) -> tuple[str, ...]:
    """The Hong Kong spellings of a family name written in pinyin: ``"chen"`` → ``("chan",)``."""
    return _surname_table()[2].get(token.lower(), ())


@cache
def _jyutping_table() -> SortedLines:
    """ToJyutping's characters and context words (data file), read on first use.

    Decision: ToJyutping itself is not loaded: its trie is ~71 MiB of Python objects in
    every process that reads one Chinese name. :mod:`pora.names.data.build_tables` writes
    each character's first Jyutping and the words whose context changes a character's
    Hong Kong spelling (~0.5 MiB, searched in place).
    """
    return read_table("cantonese_jyutping.txt")


def _likeliest_jyutping(chars: str) -> list[str | None]:
    """Each character's likeliest Jyutping in context, as ToJyutping ranks its candidates.

    The reading comes from the longest dictionary word that covers the character (of
    equally long ones, the one that starts first), else from the character alone; None
    for a character the dictionary lacks.
    """
    table = _jyutping_table()
    best: list[tuple[int, str] | None] = [None] * len(chars)
    for start in range(len(chars)):
        end = start + 1
        while end <= len(chars):
            found, longer = table.seek(chars[start:end])
            if found is not None:
                length = end - start
                for offset, syllable in enumerate(found.split()):
                    held = best[start + offset]
                    if held is None or held[0] < length:
                        best[start + offset] = (length, syllable)
            if not longer:
                break
            end += 1
    return [held[1] if held else None for held in best]


# --- Hong Kong spellings against pinyin ----------------------------------------------
#
# A Hong Kong passport writes 何文曉 Ho Man Siu, a mainland list He Wenxiao; with no
# characters on either side, only the syllables can meet. Each Hong Kong syllable spells
# the Cantonese sound of many characters, whose Mandarin (pinyin) readings differ: Man is
# 文 wen, 敏 min, 萬 wan. A pinyin syllable "may be" a Hong Kong one when some common
# character is read both ways.

# Characters counted as common: GB2312's first level, the 3,755 most used in Chinese text
# (and in names). Rarer characters would let almost any syllable meet any other.
_COMMON_LEAD_BYTES = range(0xB0, 0xD8)
# The pinyin of two neighbouring words written as one that candidate retrieval looks up
# for a Hong Kong name, at most (hk_pinyin_words).
MAX_HK_PINYIN_PAIRS = 24
# Pinyin syllables a name may also write lü and nü as.
_PINYIN_EXTRA = frozenset({"lyu", "nyu"})


def _common(ch: str) -> bool:
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and encoded[0] in _COMMON_LEAD_BYTES


@cache
def _hk_pinyin_table() -> dict[str, tuple[str, ...]]:
    """Hong Kong syllable → the pinyin syllables of the common characters it spells, those
    of the most characters first (then the family-name table's, then alphabetical)."""
    counts: dict[str, dict[str, int]] = {}
    for chars, jyutping in _jyutping_table():
        if len(chars) != 1 or not _common(chars):
            continue
        pinyin = anyascii(chars).lower()
        for spelt in jyutping_to_hk(jyutping.split()[0]):
            mine = counts.setdefault(spelt, {})
            mine[pinyin] = mine.get(pinyin, 0) + 1
    for spelt, pinyins in _surname_table()[1].items():
        mine = counts.setdefault(spelt, {})
        for pinyin in pinyins:
            mine.setdefault(pinyin, 0)
    return {spelt: tuple(sorted(found, key=lambda p: (-found[p], p)))
            for spelt, found in counts.items()}


def _splits(word: str, syllables, most: int = 3) -> list[tuple[str, ...]]:
    """Every way of reading ``word`` as at most ``most`` syllables of ``syllables``."""
    out = []
    if word in syllables:
        out.append((word,))
    if most > 1:
        for at in range(1, len(word)):
            if word[:at] in syllables:
                out += [(word[:at], *rest) for rest in _splits(word[at:], syllables, most - 1)]
    return out


def is_hk_syllable(token: str) -> bool:
    """Whether a lower-case token is one syllable as Hong Kong spells Cantonese: ``"kwok"``,
    ``"tsz"``, ``"wai"``; not ``"peter"``, not ``"xiao"``."""
    return token in _hk_pinyin_table()


@lru_cache(maxsize=65_536)
def hk_syllables(word: str) -> tuple[tuple[str, ...], ...]:
    """The ways of reading a word as one to three Hong Kong syllables (Mansiu: Man Siu)."""
    return tuple(_splits(word, _hk_pinyin_table()))


@lru_cache(maxsize=16_384)
def hong_kong_name(tokens: tuple[str, ...]) -> bool:
    """A name spelt the Hong Kong way: two words or more, each one Hong Kong syllable, and
    some word not pinyin (Ho Man Siu, Kwok Wai; not Wang Wei, which pinyin spells too,
    nor Aliu Aminat, whose words are more than a syllable)."""
    return len(tokens) >= 2 and all(map(is_hk_syllable, tokens)) and any(
        not is_pinyin(word) for word in tokens)


@cache
def _pinyin_or_extra() -> frozenset[str]:
    return _tables()[2] | _PINYIN_EXTRA


@lru_cache(maxsize=262_144)
def hk_spells_pinyin(hk_word: str, pinyin_word: str) -> bool:
    """Whether a word spelt the Hong Kong way may be the same characters as a pinyin word,
    syllable for syllable: ``("kwok", "guo")``, ``("mansiu", "wenxiao")``; not ``("kwok",
    "wei")``."""
    table = _hk_pinyin_table()
    pinyin = _pinyin_or_extra()
    for hk in hk_syllables(hk_word):
        for spelt in _splits(pinyin_word, pinyin, len(hk)):
            if len(spelt) == len(hk) and all(
                    p in table.get(h, ()) for h, p in zip(hk, spelt, strict=True)):
                return True
    return False


def hk_pinyin_words(tokens: tuple[str, ...]) -> frozenset[str]:
    """What candidate retrieval looks up for a Hong Kong name besides its own words: each
    word's pinyin syllables, and the likeliest pinyin of each two neighbouring words
    written as one (Man Siu: wenxiao, as a list writes He Wenxiao). Empty for a name not
    spelt the Hong Kong way."""
    if not hong_kong_name(tokens):
        return frozenset()
    table = _hk_pinyin_table()
    options = []
    for word in tokens:
        surname = cantonese_surname_pinyin(word)  # a family name's readings first
        options.append((*surname, *(p for p in table[word] if p not in surname)))
    found = {pinyin for option in options for pinyin in option}
    for first, second in itertools.pairwise(options):
        found.update("".join(pair) for pair in itertools.islice(
            ranked_combinations([first, second]), MAX_HK_PINYIN_PAIRS))
    return frozenset(found)


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x2A6DF)


@lru_cache(maxsize=8_192)
def cantonese_readings(name: str) -> tuple[str, ...]:
    """A name in Chinese characters as Hong Kong spells it, commonest first (at most four).

    ``"陳大文"`` → ``("chan tai man", ...)``, one syllable per character. The family name
    (the first character) takes its spellings from the family-name table, which knows the
    readings peculiar to names (區 Au, 曾 Tsang, 單 Sin); the other characters the
    likeliest Jyutping reading that ToJyutping (CanCLID, BSD-2-Clause) gives in context
    (its tables in ``data/cantonese_jyutping.txt``), spelt by :func:`jyutping_to_hk`.
    Empty when the name has a character that is not Han.
    """
    chars = [ch for ch in unicodedata.normalize("NFKC", name or "") if not ch.isspace()]
    if not chars or not all(_is_han(ch) for ch in chars):
        return ()
    surnames = _surname_table()[0]
    options: list[tuple[str, ...]] = []
    likeliest = _likeliest_jyutping("".join(chars))
    for position, (ch, jyutping) in enumerate(zip(chars, likeliest, strict=True)):
        spellings = surnames.get(ch, ()) if position == 0 else ()
        if not spellings and jyutping:
            spellings = jyutping_to_hk(jyutping)
        if not spellings:
            return ()
        options.append(spellings)
    readings = itertools.islice(ranked_combinations(options), MAX_CANTONESE_READINGS)
    return tuple(" ".join(reading) for reading in readings)
