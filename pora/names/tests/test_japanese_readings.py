"""Japanese names read as a Japanese passport spells them: one case per rule or trap."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pora.names.japanese import MAX_READINGS, japanese_readings, looks_japanese, romanise_kana


@dataclass(frozen=True)
class Reading:
    written: str
    expected: str  # a reading the result must contain
    first: bool = False  # ... and it must be the first (the commonest)
    why: str = ""


READINGS = [
    Reading("田中 宏", "tanaka hiroshi", first=True, why="kanji, family name first"),
    Reading("田中 宏", "tanaka hiro", why="宏 is also read Hiro as a name"),
    Reading("田中宏", "tanaka hiroshi", first=True, why="written solid: split after the family name"),
    Reading("佐藤 健", "sato ken", first=True, why="健 as a given name is Ken first"),
    Reading("佐藤 健", "sato takeshi", why="... and Takeshi, pykakasi's reading"),
    Reading("佐藤健", "sato takeshi", why="solid, long o of とう not written"),
    Reading("山田 太郎", "yamada taro", first=True, why="ろう is RO"),
    Reading("大野 裕子", "ono yuko", first=True, why="おお and ゆう not written long"),
    Reading("鈴木 一郎", "suzuki ichiro", first=True),
    Reading("安倍 晋三", "abe shinzo", first=True),
    Reading("小泉 純一郎", "koizumi junichiro", first=True, why="no apostrophe after n"),
    Reading("菅 義偉", "suga yoshihide", first=True, why="family name read as a name, not kan"),
    Reading("河野 太郎", "kono taro", first=True, why="こう is KO"),
    Reading("伊藤 洋一", "ito yoichi", first=True, why="よう before い is still long"),
    Reading("井上 陽水", "inoue yosui", first=True, why="う before え starts 上 (ue)"),
    Reading("大内", "ouchi", first=True, why="おお folded once, then the う of 内 stays"),
    Reading("大岡", "ooka", first=True, why="the third お belongs to 岡"),
    Reading("難波", "namba", first=True, why="ん before b is M"),
    Reading("本間", "homma", first=True, why="ん before m is M"),
    Reading("服部 半蔵", "hattori hanzo", first=True, why="small っ doubles the consonant"),
    Reading("髙橋 一郎", "takahashi ichiro", first=True, why="variant 髙 read as 高"),
    Reading("スズキ イチロー", "suzuki ichiro", first=True, why="katakana, long-vowel bar dropped"),
    Reading("たなか ひろし", "tanaka hiroshi", first=True, why="hiragana"),
    Reading("ﾀﾅｶ ﾋﾛｼ", "tanaka hiroshi", first=True, why="half-width katakana"),
    Reading("ジョン・スミス", "jon sumisu", first=True, why="middle dot separates words"),
    Reading("中島 みゆき", "nakajima miyuki", first=True, why="kanji and kana mixed"),
    Reading("中島みゆき", "nakajima miyuki", first=True, why="solid: split after the kanji family name"),
    Reading("佐々木健", "sasaki ken", first=True, why="々 belongs to the family name"),
    Reading("宮崎駿", "miyazakihayao", first=True,
            why="a name pykakasi knows whole stays one word; the index joins adjacent words"),
    Reading("Tanaka 宏", "tanaka hiroshi", first=True, why="a Latin word stays"),
]


@pytest.mark.parametrize("case", READINGS, ids=lambda c: f"{c.written}->{c.expected}")
def test_japanese_readings(case):
    readings = japanese_readings(case.written)
    assert case.expected in readings, (case.why, readings)
    if case.first:
        assert readings[0] == case.expected, (case.why, readings)
    assert len(readings) <= MAX_READINGS


@pytest.mark.parametrize("written", ["张伟", "John Smith", "", "Мухаммад"])
def test_names_that_cannot_be_read_as_japanese_have_no_reading(written):
    assert japanese_readings(written) == ()


KANA = [
    ("さとう", "sato"), ("ゆうこ", "yuko"), ("おおの", "ono"), ("たろう", "taro"),
    ("いのうえ", "inoue"), ("おおうち", "ouchi"), ("ひろお", "hiroo"), ("しょうへい", "shohei"),
    ("はっとり", "hattori"), ("はっちょう", "hatcho"), ("じゅんいちろう", "junichiro"),
    ("けいこ", "keiko"), ("いいだ", "iida"), ("イチロー", "ichiro"), ("なんば", "namba"),
    ("しんぺい", "shimpei"), ("りゅういち", "ryuichi"), ("ふみお", "fumio"),
]


@pytest.mark.parametrize(("kana", "expected"), KANA)
def test_kana_are_spelt_by_the_passport_table(kana, expected):
    assert romanise_kana(kana) == expected


LOOKS = [
    ("スズキ イチロー", True, "katakana"),
    ("たなか", True, "hiragana"),
    ("佐々木", True, "the repetition mark 々"),
    ("渡辺 健", True, "辺 is a Japanese simplification (Chinese 邊, 边)"),
    ("畑中", True, "畑 is a Japanese-made character"),
    ("田中 宏", False, "every character is Chinese too: the caller passes nationality"),
    ("張偉", False, "traditional Chinese"),
    ("王小明", False, "simplified Chinese"),
    ("澤田", False, "the traditional form, also Chinese"),
    ("John Smith", False, "Latin"),
]


@pytest.mark.parametrize(("written", "expected", "why"), LOOKS, ids=[c[0] for c in LOOKS])
def test_looks_japanese(written, expected, why):
    assert looks_japanese(written) is expected, why
