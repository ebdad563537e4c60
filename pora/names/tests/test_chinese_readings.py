"""Wade-Giles and Hong Kong Cantonese spellings of Chinese names, read as pinyin."""

from __future__ import annotations

import pytest

from pora.names.chinese import (
    _PINYIN,
    MAX_CANTONESE_READINGS,
    MAX_COMBINATIONS,
    cantonese_readings,
    cantonese_surname_pinyin,
    chinese_readings,
    hk_pinyin_words,
    hk_spells_pinyin,
    hong_kong_name,
    jyutping_to_hk,
    pinyin_surname_cantonese,
    pinyin_to_wade_giles,
    wade_giles_to_pinyin,
)
from pora.names.transliteration import normalise, tokens

WADE_GILES = [
    ("ching", ("jing", "qing")),  # ch'ing lost its apostrophe: jing is the literal reading
    ("ch'ing", ("jing", "qing")),
    ("chu", ("zhu", "ju", "chu", "qu")),  # chu, chü, ch'u, ch'ü
    ("hsu", ("xu",)),
    ("hsü", ("xu",)),
    ("tse", ("ze", "ce")),
    ("tung", ("dong", "tong")),
    ("kuo", ("guo", "kuo")),
    ("ko", ("ge", "ke")),
    ("to", ("duo", "tuo")),
    ("lo", ("luo", "lo")),
    ("jen", ("ren",)),
    ("chih", ("zhi", "chi")),
    ("tzu", ("zi", "ci")),
    ("ssu", ("si",)),
    ("szu", ("si",)),
    ("shih", ("shi",)),
    ("erh", ("er",)),
    ("i", ("yi",)),
    ("yu", ("you", "yu")),
    ("yen", ("yan",)),
    ("yung", ("yong",)),
    ("hsiung", ("xiong",)),
    ("hsueh", ("xue",)),
    ("kuei", ("gui", "kui")),
    ("o", ("e", "o")),
    ("jing", ()),  # pinyin, not WG
    ("xu", ()),
    ("smith", ()),
]


@pytest.mark.parametrize(("token", "expected"), WADE_GILES)
def test_wade_giles_to_pinyin(token, expected):
    assert wade_giles_to_pinyin(token) == expected


PINYIN = [
    ("qing", False, "ching"), ("qing", True, "ch'ing"), ("zhong", False, "chung"),
    ("chong", True, "ch'ung"), ("xiao", False, "hsiao"), ("ri", False, "jih"), ("zi", False, "tzu"),
    ("si", False, "ssu"), ("guo", False, "kuo"), ("luo", False, "lo"), ("gui", False, "kuei"),
    ("yong", False, "yung"), ("you", False, "yu"), ("yi", False, "i"), ("ju", True, "chü"),
    ("lyu", True, "lü"), ("lv", True, "lü"), ("lu", True, "lu"), ("xue", True, "hsüeh"),
    ("er", False, "erh"), ("smith", False, None),
]


@pytest.mark.parametrize(("token", "marks", "expected"), PINYIN)
def test_pinyin_to_wade_giles(token, marks, expected):
    assert pinyin_to_wade_giles(token, marks=marks) == expected


@pytest.mark.parametrize("syllable", sorted({s.replace("v", "u") for s in _PINYIN}))
def test_every_pinyin_syllable_comes_back_from_its_wade_giles(syllable):
    assert syllable in wade_giles_to_pinyin(pinyin_to_wade_giles(syllable))


NAMES = [
    # (written as a list writes it, a pinyin reading expected, must it be the first)
    ("Chiang Ching-kuo", "jiang jing guo", True),
    ("Liu Te-hua", "liu de hua", True),
    ("Mao Tse-tung", "mao ze dong", True),
    ("Teng Hsiao-ping", "deng xiao ping", False),  # p'ing lost its apostrophe: bing first
    ("Teng Hsiao-p'ing", "deng xiao ping", False),
    ("Hsu", "xu", True),
    ("Chou En-lai", "zhou en lai", True),
    ("Chiang Kai-shek", None, False),  # shek is Cantonese, not WG: not a WG name
    ("Li Na", None, False),  # pinyin already: nothing else to read
    ("John Smith", None, False),
]


@pytest.mark.parametrize(("written", "expected", "first"), NAMES, ids=[n[0] for n in NAMES])
def test_chinese_readings_of_wade_giles_names(written, expected, first):
    readings = [" ".join(r) for r in chinese_readings(tokens(written))]
    if expected is None:
        assert readings == []
        return
    assert expected in readings
    if first:
        assert readings[0] == expected
    assert " ".join(tokens(written)) not in readings  # the input itself is no new reading
    assert len(readings) <= MAX_COMBINATIONS


def test_ambiguous_names_are_capped_at_the_likeliest_combinations():
    readings = chinese_readings(("chiang", "ching", "kuo"))
    assert len(readings) == MAX_COMBINATIONS
    assert readings[0] == ("jiang", "jing", "guo")
    assert ("qiang", "qing", "kuo") in readings


CANTONESE = [
    ("陳大文", "chan tai man", True),
    ("張", "cheung", True),
    ("黃", "wong", True),
    ("陈小明", "chan siu ming", True),  # simplified characters
    ("劉德華", "lau tak wah", False),
    ("李嘉誠", "lee ka shing", False),
    ("周潤發", "chow yun fat", True),
    ("曾志偉", "tsang chi wai", True),  # 曾 as a family name is Tsang, not Chang
    ("梁朝偉", "leung chiu wai", True),
    ("區", "au", True),  # the family name 區 is Au, not Kui
    ("吳", "ng", True),
    ("張學友", "cheung hok yau", True),
]


@pytest.mark.parametrize(("written", "expected", "first"), CANTONESE, ids=[c[0] for c in CANTONESE])
def test_cantonese_readings(written, expected, first):
    readings = cantonese_readings(written)
    assert expected in readings
    if first:
        assert readings[0] == expected
    assert len(readings) <= MAX_CANTONESE_READINGS


@pytest.mark.parametrize("written", ["Tanaka", "田中 Tanaka", ""])
def test_cantonese_readings_need_chinese_characters_only(written):
    assert cantonese_readings(written) == ()


JYUTPING = [
    ("can4", "chan"), ("wong4", "wong"), ("zoeng1", "cheung"), ("lau4", "lau"), ("ng4", "ng"),
    ("loeng4", "leung"), ("jyun4", "yuen"), ("syun1", "suen"), ("gwok3", "kwok"),
    ("daai6", "tai"), ("hok6", "hok"), ("jau5", "yau"), ("zi2", "chi"), ("si1", "sze"),
    ("jip6", "yip"), ("ceoi4", "tsui"), ("heoi2", "hui"), ("zyu1", "chu"), ("jyut6", "yuet"),
]


@pytest.mark.parametrize(("syllable", "expected"), JYUTPING)
def test_jyutping_to_hong_kong_spelling(syllable, expected):
    assert jyutping_to_hk(syllable)[0] == expected


SURNAMES = [
    ("chan", "chen"), ("wong", "huang"), ("wong", "wang"), ("cheung", "zhang"), ("lau", "liu"),
    ("leung", "liang"), ("ho", "he"), ("lee", "li"), ("ng", "wu"), ("tse", "xie"), ("yip", "ye"),
    ("tang", "deng"), ("chow", "zhou"), ("lam", "lin"), ("kwok", "guo"), ("choi", "cai"),
    ("tsang", "zeng"), ("fung", "feng"), ("yeung", "yang"), ("mak", "mai"), ("lo", "lu"),
    ("lo", "luo"), ("tsui", "xu"), ("hui", "xu"), ("CHAN", "chen"),
]


@pytest.mark.parametrize(("hong_kong", "pinyin"), SURNAMES)
def test_cantonese_family_names_meet_their_pinyin(hong_kong, pinyin):
    assert pinyin in cantonese_surname_pinyin(hong_kong)
    assert hong_kong.lower() in pinyin_surname_cantonese(pinyin)


@pytest.mark.parametrize("token", ["smith", "ming", ""])
def test_tokens_that_are_no_cantonese_family_name_have_no_pinyin(token):
    assert cantonese_surname_pinyin(token) == ()


# --- Hong Kong spellings against pinyin ------------------------------------------------

@pytest.mark.parametrize(("tokens", "expected"), [
    (("ho", "man", "siu"), True),
    (("kwok", "wai"), True),
    (("tsang", "wun", "lan"), True),
    (("wang", "wei"), False),  # pinyin spells it too: nothing says Hong Kong
    (("aliu", "aminat"), False),  # words of more than one syllable
    (("peter", "chan"), False),
    (("kwok",), False),  # one word says too little
])
def test_a_hong_kong_name_is_told_by_its_syllables(tokens, expected):
    assert hong_kong_name(tokens) is expected


@pytest.mark.parametrize(("hk", "pinyin", "expected"), [
    ("kwok", "guo", True),  # 郭
    ("wai", "wei", True),  # 偉
    ("siu", "xiao", True),  # 小
    ("tsz", "zi", True),  # 子
    ("lui", "lyu", True),  # 呂, from the family-name table
    ("mansiu", "wenxiao", True),  # two syllables written as one on both sides
    ("chunping", "junping", True),
    ("kwok", "wei", False),
    ("keung", "guang", False),  # 強 is qiang: alike in sound, other characters
    ("mansiu", "wen", False),  # two syllables are not one
])
def test_hong_kong_syllables_spell_the_pinyin_of_common_characters(hk, pinyin, expected):
    assert hk_spells_pinyin(hk, pinyin) is expected


def test_retrieval_looks_up_each_syllables_pinyin_and_neighbours_written_as_one():
    words = hk_pinyin_words(("ho", "man", "siu"))
    assert {"he", "wen", "xiao", "wenxiao"} <= words
    assert "hewen" in words  # the neighbours' pairs, not only the given name's
    assert len(words) < 60
    assert hk_pinyin_words(("wang", "wei")) == frozenset()


@pytest.mark.parametrize(("written", "expected"), [
    ("曾军俊", "zeng jun jun"),  # 曾 is ceng in other words, zeng as a family name
    ("单田芳", "shan tian fang"),
    ("乐嘉", "yue jia"),
    ("陈曾", "chen ceng"),  # not the first character: read as elsewhere
])
def test_a_chinese_names_first_character_is_read_as_a_family_name(written, expected):
    assert normalise(written) == expected
