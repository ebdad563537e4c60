"""How often the tables' readings equal the libraries' own (needs the ``tables`` extra).

    uv sync --extra tables
    python -m pora.names.data.agreement            # agreement, memory and time
    python -m pora.names.data.agreement --sample   # cases for test_reading_tables.py

The names are generated from lists written here: common Japanese family and given names
(in kanji, some given names in kana), each written with a space and solid; Chinese family
names from ``cantonese_surnames.txt`` with one or two common given-name characters; and
strings mixing kanji, kana, marks and Latin letters, to try the word splitting on what no
list holds. The library side is this package's code as it was before the tables: pykakasi's
``convert`` for the word splitting, ToJyutping's ``get_jyutping_candidates`` for the
Jyutping; everything after that is the same code.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from unittest import mock

from pora.names import chinese, japanese

# Common family names (the commonest ~120 in Japan, and some politicians').
JAPANESE_FAMILY = """
佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤
清水 山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤
青木 坂本 斉藤 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田 竹内 小野 田村 中山
和田 石田 森田 上田 原 柴田 酒井 工藤 横山 宮崎 宮本 内田 高木 安藤 島田 谷口 大野 高田 丸山
今井 河野 藤本 村田 武田 上野 杉山 増田 小山 大塚 平野 菅原 久保 松井 千葉 岩崎 桜井 木下 野口
松尾 菊地 野村 新井 渡部 髙橋 吉川 辻 大西 浅野 服部 永井 秋山 北村 菅 安倍 岸田 小泉 鳩山 麻生
細川 山﨑 渡邉 齋藤 澤田 廣瀬 大内 大岡 難波 本間 井口 堀 星野 荒木 水野 小島 桑原 望月 片山
"""
# Given names: common ones of several generations, in kanji, and some written in kana.
JAPANESE_GIVEN = """
翔 蓮 大翔 陽翔 悠真 湊 樹 大和 陽太 悠人 健 宏 浩 博 誠 隆 茂 勇 進 正 清 明 実 修 学 豊 剛 徹 亮
聡 太郎 一郎 次郎 健太 翔太 大輔 拓也 直樹 和也 達也 哲也 雄一 健一 浩二 正樹 秀樹 英樹 裕之 智也
翔平 拓海 陸 蒼 颯 晴 結衣 陽菜 結菜 葵 凛 咲良 芽依 美咲 花子 恵子 裕子 洋子 幸子 和子 久美子
由美子 真由美 明美 智子 直美 美穂 愛 舞 彩 優子 香織 奈々 千尋 美紀 恵美 由紀 麻衣 彩香 純一郎
晋三 義偉 文雄 由紀夫 邦夫 和夫 秀夫 正男 信夫 一 三郎 健二 誠一 康弘 龍太郎 喜一 陽水 半蔵
さくら ひろし ゆうこ みゆき あおい ひなた まこと かおり ゆい めぐみ ケン ユウキ ナオミ エミ ジュン
"""
# Characters common in Chinese given names, traditional and simplified.
CHINESE_GIVEN = """
偉伟明華华文強强軍军傑杰俊輝辉建國国志勇斌峰鵬鹏飛飞平剛刚濤涛超浩亮宇軒轩豪龍龙家嘉思詩诗雅靜静
麗丽美芳玲玉秀英慧敏婷欣穎颖琳雪梅蘭兰鳳凤珍珠燕霞紅红艷娟霖子小大天海山永德賢贤仁義义禮礼智信忠
孝安寧宁康泰福祥瑞寶宝金銀银錦锦鴻鸿振興兴昌盛達达成立新世光耀榮荣發发財财潤润朝學学友潔洁儀仪君
怡曉晓茵詠咏婉娜麗琪瑜倩佩珊晶瑩莹潤中正一二三民生田
"""
_KANA_SYLLABLES = "かきくけこさしすせそたちつてとなにぬねのまみむめもやゆよらりるれろわんっー"
_KATAKANA_SYLLABLES = "カキクケコサシスセソタチツテトナニヌネノマミムメモヤユヨラリルレロワンッー"


def japanese_names() -> list[str]:
    """Every family name with every given name, written with a space and solid."""
    family, given = JAPANESE_FAMILY.split(), JAPANESE_GIVEN.split()
    return [f"{f}{sep}{g}" for f in family for g in given for sep in (" ", "")]


def chinese_names(count: int = 20_000, seed: int = 7) -> list[str]:
    """Family names from the Hong Kong table with one given character each, and ``count``
    drawn with two (deterministic)."""
    family = sorted(chinese._surname_table()[0])
    given = [ch for ch in CHINESE_GIVEN if not ch.isspace()]
    names = [f + g for f in family for g in given]
    draw = random.Random(seed)
    names += [draw.choice(family) + draw.choice(given) + draw.choice(given) for _ in range(count)]
    return list(dict.fromkeys(names))


def mixed_strings(count: int = 5_000, seed: int = 11) -> list[str]:
    """Strings of kanji from the lists, kana, 々, the long mark and Latin letters."""
    kanji = sorted({ch for ch in JAPANESE_FAMILY + JAPANESE_GIVEN if japanese._is_han(ch)})
    pieces = [*kanji, *kanji, *_KANA_SYLLABLES, *_KATAKANA_SYLLABLES, "々", "ー", "a", "Ko",
              ".", "ヶ"]
    draw = random.Random(seed)
    return ["".join(draw.choice(pieces) for _ in range(draw.randint(1, 6)))
            for _ in range(count)]


def _library_split(word: str) -> list[tuple[str, str]] | None:
    """The word splitting as japanese.py did it with pykakasi's converter."""
    segments = []
    for item in _kakasi().convert(word):
        orig, hira = item["orig"], item["hira"]
        if orig.isascii():
            segments.append((orig, orig))
            continue
        if not hira or any(japanese._is_han(ch) for ch in hira):
            return None
        segments.append((orig, hira))
    if sum(len(orig) for orig, _ in segments) != len(word):
        return None  # pykakasi dropped characters it could not read
    return segments


@cache
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


def _library_jyutping(chars: str) -> list[str | None]:
    """Each character's first candidate, as chinese.py took it from ToJyutping."""
    import ToJyutping

    return [found[0] if found else None
            for _, found in ToJyutping.get_jyutping_candidates(chars)]


@contextmanager
def libraries() -> Iterator[None]:
    """The readings functions as they were with the libraries (caches emptied both ways)."""
    japanese.japanese_readings.cache_clear()
    chinese.cantonese_readings.cache_clear()
    with (mock.patch.object(japanese, "_split_words", _library_split),
          mock.patch.object(chinese, "_likeliest_jyutping", _library_jyutping)):
        yield
    japanese.japanese_readings.cache_clear()
    chinese.cantonese_readings.cache_clear()


def compare(read: Callable[[str], tuple[str, ...]], names: list[str]
            ) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The readings of every name from the tables, then from the libraries."""
    read.cache_clear()
    ours = {name: read(name) for name in names}
    with libraries():
        theirs = {name: read(name) for name in names}
    return ours, theirs


def report(label: str, ours: dict, theirs: dict) -> list[str]:
    """Print the share of equal readings (all of them, and the first); return the others."""
    names = list(ours)
    same = sum(ours[n] == theirs[n] for n in names)
    first = sum(ours[n][:1] == theirs[n][:1] for n in names)
    differ = [n for n in names if ours[n] != theirs[n]]
    print(f"{label}: {len(names)} names, same readings {same} ({100 * same / len(names):.2f} %), "
          f"same first reading {first} ({100 * first / len(names):.2f} %)")
    for name in differ[:15]:
        print(f"    {name}: tables {ours[name]}  libraries {theirs[name]}")
    return differ


def agreement() -> dict[str, list[str]]:
    """Compare on the three corpora; the names whose readings differ, by corpus."""
    differ = {}
    for label, read, names in [
        ("Japanese names", japanese.japanese_readings, japanese_names()),
        ("Chinese names (Cantonese)", chinese.cantonese_readings, chinese_names()),
        ("Mixed kanji/kana strings", japanese.japanese_readings, mixed_strings()),
    ]:
        differ[label] = report(label, *compare(read, names))
    return differ


_MEASURE = """
import time
def rss():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmRSS")) / 1024
import pora.names.chinese as chinese, pora.names.japanese as japanese
before = rss()
start = time.perf_counter()
chinese.cantonese_readings("陳大文")
japanese.japanese_readings("田中 宏")
first = time.perf_counter() - start
after = rss()
print(f"{before:.1f} {after:.1f} {first:.3f}")
"""


def _mean_time(read: Callable[[str], object], names: list[str]) -> float:
    start = time.perf_counter()
    for name in names:
        read(name)
    return (time.perf_counter() - start) / len(names)


def measure() -> None:
    """Resident memory and first-call time in a fresh interpreter, then time per call."""
    before, after, first = subprocess.run(
        [sys.executable, "-c", _MEASURE], check=True, capture_output=True, text=True
    ).stdout.split()
    print(f"Fresh process: VmRSS {before} MiB before, {after} MiB after both first calls "
          f"(+{float(after) - float(before):.1f} MiB), first calls {float(first):.3f} s")
    for label, read, names in [("japanese_readings", japanese.japanese_readings,
                                japanese_names()[:5000]),
                               ("cantonese_readings", chinese.cantonese_readings,
                                chinese_names()[:5000])]:
        ours = _mean_time(read.__wrapped__, names)
        with libraries():
            _mean_time(read.__wrapped__, names[:10])  # the libraries' own loading aside
            theirs = _mean_time(read.__wrapped__, names)
        print(f"{label}: {1e6 * ours:.1f} µs per uncached call with the tables, "
              f"{1e6 * theirs:.1f} µs with the libraries ({len(names)} names)")
    print(f"This process's peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"
          " MiB (libraries loaded for the comparison)")


def sample(step: int = 997) -> None:
    """Every ``step``-th name of each corpus with the libraries' readings, as Python; a name
    the tables read otherwise is printed as a comment with the tables' readings."""
    for label, read, names in [("JAPANESE", japanese.japanese_readings, japanese_names()),
                               ("CANTONESE", chinese.cantonese_readings, chinese_names()),
                               ("MIXED", japanese.japanese_readings, mixed_strings(step * 40))]:
        ours, theirs = compare(read, names[::step])
        print(f"{label} = [")
        for name in ours:
            prefix = "" if ours[name] == theirs[name] else f"# tables {ours[name]!r}: "
            print(f"    {prefix}({name!r}, {theirs[name]!r}),")
        print("]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", action="store_true", help="print test cases instead")
    if parser.parse_args().sample:
        sample()
        return
    measure()
    agreement()


if __name__ == "__main__":
    main()
