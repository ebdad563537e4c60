"""The reading tables in pora/names/data read names as pykakasi and ToJyutping did.

PORA no longer loads the libraries (their dictionaries cost ~185 MiB resident); the tables
written from them by ``pora.names.data.build_tables`` must give the same readings. The
expected readings below are the libraries' own, printed by ``python -m
pora.names.data.agreement --sample`` (every 997th name of its generated corpora); the full
comparison, ~93,000 names, runs with that command when the ``tables`` extra is installed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pora.names.chinese import cantonese_readings
from pora.names.japanese import japanese_readings
from pora.names.tables import SortedLines

JAPANESE = [
    ('佐藤 翔', ('sato sho', 'sato kakeru')),
    ('伊藤健', ('ito ken', 'ito takeshi', 'ito tsuyoshi', 'ito takeru')),
    ('小林 明', ('kobayashi akira', 'kobayashi mei')),
    ('佐々木一郎', ('sasaki ichiro',)),
    ('木村 健一', ('kimura kenichi',)),
    ('山崎蒼', ('yamazaki ao', 'yamasaki ao')),
    ('阿部 花子', ('abe hanako',)),
    ('石井智子', ('ishii tomoko',)),
    ('長谷川 恵美', ('hasegawa emi',)),
    ('村上和夫', ('murakami kazuo',)),
    ('斉藤 陽水', ('saito yosui',)),
    ('藤井ゆい', ('fujii yui',)),
    ('三浦 悠真', ('miura yuma',)),
    ('竹内誠', ('takeuchi makoto', 'takeuchi sei')),
    ('和田 豊', ('wada yutaka',)),
    ('原大輔', ('hara daisuke',)),
    ('横山 英樹', ('yokoyama hideki',)),
    ('高木陽菜', ('takagi haruna',)),
    ('大野 幸子', ('ono yukiko',)),
    ('河野舞', ('kono mai', 'kawano mai')),
    ('上野 純一郎', ('ueno junichiro',)),
    ('大塚一', ('otsuka ichi',)),
    ('松井 ゆうこ', ('matsui yuko',)),
    ('木下ナオミ', ('kinoshita naomi',)),
    ('新井 陽太', ('arai yota',)),
    ('辻進', ('tsuji susumu',)),
    ('永井 聡', ('nagai satoshi', 'nagai so')),
    ('安倍達也', ('abe tatsuya',)),
    ('麻生 拓海', ('aso takumi',)),
    ('齋藤咲良', ('saito sakura',)),
    ('大岡 真由美', ('ooka mayumi',)),
    ('堀奈々', ('hori nana',)),
    ('小島 由紀夫', ('kojima yukio',)),
]
CANTONESE = [
    ('万偉', ('man wai',)),
    ('何晶', ('ho ching',)),
    ('冯晓', ('fung hiu',)),
    ('劳朝', ('lo chiu',)),
    ('卓世', ('cheuk sai',)),
    ('向鸿', ('heung hung',)),
    ('唐福', ('tong fuk',)),
    ('孔禮', ('hung lai',)),
    ('容大', ('yung tai',)),
    ('巫珍', ('mo chun', 'mo chan')),
    ('張婷', ('cheung ting',)),
    ('招静', ('chiu ching',)),
    ('曾轩', ('tsang hin',)),
    ('查飞', ('cha fei', 'cha fee')),
    ('歐辉', ('au fai',)),
    ('沈華', ('shum wa', 'shum wah', 'sum wa', 'sum wah')),
    ('湯中', ('tong chung',)),
    ('田咏', ('tin wing',)),
    ('秦友', ('chun yau',)),
    ('紀榮', ('kei wing',)),
    ('翁兴', ('yung hing',)),
    ('苗寶', ('miu po',)),
    ('萬信', ('man shun', 'man sun')),
    ('蔡山', ('choi san', 'tsoi san')),
    ('袁霞', ('yuen ha', 'yuen hah')),
    ('譚颖', ('tam wing',)),
    ('賀美', ('ho mei', 'ho mee')),
    ('赖龙', ('lai lung',)),
    ('邱刚', ('yau kong',)),
    ('鄒国', ('chow kwok', 'chau kwok')),
    ('钟強', ('chung keung',)),
    ('陳二', ('chan yi', 'chan yee')),
    ('韦琪', ('wai kei', 'wai kee')),
    ('饶儀', ('yiu yi', 'yiu yee')),
    ('高发', ('ko fat',)),
    ('黃達', ('wong tat',)),
    ('谢達民', ('tse tat man',)),
    ('盧倩发', ('lo sin fat', 'lou sin fat')),
    ('夏诗潤', ('ha sze yun', 'ha shi yun', 'ha see yun')),
    ('钟秀瑞', ('chung sau sui', 'chung sau shui')),
    ('何鹏飞', ('ho pang fei', 'ho pang fee')),
    ('唐傑荣', ('tong kit wing',)),
    ('许珊明', ('hui san ming',)),
    ('柯錦平', ('o kam peng', 'or kam peng')),
    ('鲍詩義', ('pau sze yi', 'pau sze yee', 'pau shi yi', 'pau shi yee')),
    ('蘇颖耀', ('so wing yiu',)),
    ('溫发麗', ('wan fat lai',)),
    ('練锦偉', ('lin kam wai',)),
    ('熊芳盛', ('hung fong sing', 'hung fong shing')),
    ('關中傑', ('kwan chung kit',)),
    ('駱倩義', ('lok sin yi', 'lok sin yee')),
    ('孟蘭贤', ('mang lan yin',)),
    ('鐘艷田', ('chung yim tin',)),
    ('胡成德', ('wu sing tak', 'wu shing tak')),
    ('鄒興大', ('chow hing tai', 'chau hing tai')),
    ('蒙莹伟', ('mung ying wai',)),
]
# Random strings of kanji, kana, marks and Latin letters: the word splitting beyond names.
MIXED = [
    ('シ晴キー', ('shiseiki',)),
    ('偉衣勇博千偉', ('i koromoisamuhiroshiseni', 'i koromoisamuhiroseni', 'i koromoyuhiroshiseni', 'i koromoyuhiroseni')),
    ('か浦も', ('kauramo',)),
    ('樹太偉穂や', ('ki taihoya',)),
    ('す青陸さ', ('suaorikusa',)),
    ('健', ('ken', 'takeshi', 'tsuyoshi', 'takeru')),
    ('工徹前水今ー', ('ko torumaemizuima',)),
    ('﨑穂', ('saki ho',)),
    ('難安浅の細', ('nan ansennosai',)),
    ('瀬咲晴橋', ('se sakiseihashi',)),
    ('徹', ('toru',)),
    ('杉邉塚岡智', ('sugi hentsukaokasatoshi', 'sugi hentsukaokatomo')),
    ('木', ('ki',)),
    ('徹遠', ('toru en',)),
    ('た由直林髙', ('tayoshinaohayashitaka',)),
    ('菜二', ('na ni',)),
    ('片川', ('katagawa',)),
    ('シ蓮誠', ('shirenmakoto', 'shirensei')),
    ('野菊工石西', ('nogiku koishinishi',)),
    ('サ波ミ颯平邉', ('sanamimisatsutairahen',)),
    ('健横ー蓮後', ('ken yokorennochi', 'takeshi yokorennochi', 'tsuyoshi yokorennochi', 'takeru yokorennochi')),
    ('メ秀', ('meshu',)),
    ('颯', ('satsu',)),
    ('偉青', ('i ao',)),
    ('上', ('ue',)),
    ('也樹遠ラ', ('ya kienra',)),
    ('邉キ裕浅夫', ('hen kiyutakaasao', 'hen kihiroshiasao', 'hen kiyuasao')),
    ('内', ('nai',)),
    ('千金辺か良', ('senkin henkaryo',)),
    ('金に喜', ('kin niki',)),
    ('陸谷', ('riku tani',)),
    ('信', ('shin',)),
    ('柴', ('shiba',)),
    ('一武辻芽', ('kazutake tsujime',)),
    ('人郎邉雄', ('nin rohenosu',)),
    ('武', ('takeshi', 'takeru')),
    ('小吉水井聡', ('shokichi mizuisatoshi', 'shokichi mizuiso')),
    ('波誠豊コ', ('nami makotoyutakako', 'nami seiyutakako')),
    ('北高子', ('kita takako',)),
]


@pytest.mark.parametrize(("name", "expected"), JAPANESE + MIXED,
                         ids=[c[0] for c in JAPANESE + MIXED])
def test_japanese_readings_from_the_tables_are_pykakasis(name, expected):
    assert japanese_readings(name) == expected


@pytest.mark.parametrize(("name", "expected"), CANTONESE, ids=[c[0] for c in CANTONESE])
def test_cantonese_readings_from_the_tables_are_tojyutpings(name, expected):
    assert cantonese_readings(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("刘天平", "lau tin ping"),  # 天平 is a word: 平 read ping4 in it
    ("鮑平平", "pau ping ping"),  # 平平 too
    ("陶平", "to peng"),  # 平 alone: ToJyutping's first reading is the colloquial peng4
])
def test_a_cantonese_reading_follows_the_word_a_character_is_in(name, expected):
    assert cantonese_readings(name)[0] == expected


def test_words_with_okurigana_are_left_out_of_the_kanji_table():
    # pykakasi reads 直り as one word, naori (a verb's kanji and its kana ending); a name has
    # no okurigana, so the table holds words of kanji only and reads kanji and kana apart.
    # In ~2 % of random kanji/kana strings, never in the names of the corpora, this differs.
    assert japanese_readings("直り") == ("choku ri",)


def test_a_variation_selector_does_not_change_the_reading():
    assert japanese_readings("葛\U000E0100西 太郎") == japanese_readings("葛西 太郎")


# Lines sorted by code point: 中 is U+4E2D, 田 U+7530.
TABLE = SortedLines("# header\n\n中\tなか\n田\tた\n田中\tたなか\n田中角栄\tたなかかくえい\n", start=10)


@pytest.mark.parametrize(("key", "value", "longer"), [
    ("田", "た", True),
    ("田中", "たなか", True),
    ("田中角", None, True),  # no such word, but a longer one starts so
    ("田中角栄", "たなかかくえい", False),
    ("中", "なか", False),
    ("一", None, False),  # before the first line
    ("龍", None, False),  # after the last
])
def test_a_sorted_table_answers_a_key_and_whether_longer_keys_follow(key, value, longer):
    assert TABLE.seek(key) == (value, longer)


def test_reading_names_loads_neither_library_and_little_memory():
    """A fresh interpreter reads one Chinese and one Japanese name: no pykakasi, no
    ToJyutping, and the tables add well under 15 MiB (the libraries added ~185 MiB)."""
    if not Path("/proc/self/status").exists():
        pytest.skip("resident memory is read from /proc/self/status, which only Linux has "
                    "(CI and the target servers run Linux)")
    code = """
import sys
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
import pora.names.chinese, pora.names.japanese
before = rss()
assert pora.names.chinese.cantonese_readings("陳大文")[0] == "chan tai man"
assert pora.names.japanese.japanese_readings("田中 宏")[0] == "tanaka hiroshi"
print(rss() - before, "pykakasi" in sys.modules, "ToJyutping" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout.split()
    assert out[1:] == ["False", "False"]
    assert int(out[0]) < 15 * 1024, f"{int(out[0]) / 1024:.1f} MiB"
