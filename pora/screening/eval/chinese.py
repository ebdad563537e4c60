"""Chinese names: Hanzi (simplified on the mainland, traditional in Taiwan and Hong
Kong) and three romanisations — Hanyu Pinyin (mainland passports, given name joined:
XIAOMING), Wade-Giles as Taiwanese passports write it (hyphenated, no apostrophes:
CHIANG CHING-KUO) and the Hong Kong government's Cantonese spelling (CHAN TAI MAN).

Surname frequencies: mainland after the Ministry of Public Security's household
registration counts (Li 7.9%, Wang 7.4%, Zhang 7.1%, Liu 5.4%, Chen 4.5% … as summarised
in Wikipedia's "List of common Chinese surnames"); Taiwan after the Ministry of the
Interior's 2018 surname statistics (Chen 11.1%, Lin 8.3%, Huang 6.0%, Zhang 5.3%, Li
5.1% …); Hong Kong by the same families' rank there (Chan, Lee, Cheung, Wong, Leung …).
Given-name characters are weighted by how often they appear in the popular-name lists
(张伟 Zhang Wei is the commonest full name on the mainland); the weights are estimates.
About a quarter of persons born 1940-2005 have a one-character given name.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from pora.screening.eval.common import Person, Table, Word, capitalised, pick
from pora.screening.eval.culture import Culture

# Traditional: (simplified, pinyin, Wade-Giles as passports write it, Hong Kong Cantonese).
SYLLABLES: dict[str, tuple[str, str, str, str]] = {
    # surnames
    "王": ("王", "wang", "wang", "wong"), "李": ("李", "li", "li", "lee"),
    "張": ("张", "zhang", "chang", "cheung"), "劉": ("刘", "liu", "liu", "lau"),
    "陳": ("陈", "chen", "chen", "chan"), "楊": ("杨", "yang", "yang", "yeung"),
    "趙": ("赵", "zhao", "chao", "chiu"), "黃": ("黄", "huang", "huang", "wong"),
    "周": ("周", "zhou", "chou", "chow"), "吳": ("吴", "wu", "wu", "ng"),
    "徐": ("徐", "xu", "hsu", "tsui"), "孫": ("孙", "sun", "sun", "suen"),
    "胡": ("胡", "hu", "hu", "wu"), "朱": ("朱", "zhu", "chu", "chu"),
    "高": ("高", "gao", "kao", "ko"), "林": ("林", "lin", "lin", "lam"),
    "何": ("何", "he", "ho", "ho"), "郭": ("郭", "guo", "kuo", "kwok"),
    "馬": ("马", "ma", "ma", "ma"), "羅": ("罗", "luo", "lo", "law"),
    "梁": ("梁", "liang", "liang", "leung"), "宋": ("宋", "song", "sung", "sung"),
    "鄭": ("郑", "zheng", "cheng", "cheng"), "謝": ("谢", "xie", "hsieh", "tse"),
    "韓": ("韩", "han", "han", "hon"), "唐": ("唐", "tang", "tang", "tong"),
    "馮": ("冯", "feng", "feng", "fung"), "董": ("董", "dong", "tung", "tung"),
    "蕭": ("萧", "xiao", "hsiao", "siu"), "程": ("程", "cheng", "cheng", "ching"),
    "曹": ("曹", "cao", "tsao", "tso"), "袁": ("袁", "yuan", "yuan", "yuen"),
    "鄧": ("邓", "deng", "teng", "tang"), "許": ("许", "xu", "hsu", "hui"),
    "沈": ("沈", "shen", "shen", "shum"), "曾": ("曾", "zeng", "tseng", "tsang"),
    "彭": ("彭", "peng", "peng", "pang"), "蘇": ("苏", "su", "su", "so"),
    "盧": ("卢", "lu", "lu", "lo"), "蔣": ("蒋", "jiang", "chiang", "cheung"),
    "蔡": ("蔡", "cai", "tsai", "choi"), "葉": ("叶", "ye", "yeh", "yip"),
    "潘": ("潘", "pan", "pan", "poon"), "杜": ("杜", "du", "tu", "to"),
    "魏": ("魏", "wei", "wei", "ngai"), "麥": ("麦", "mai", "mai", "mak"),
    "呂": ("吕", "lyu", "lu", "lui"), "于": ("于", "yu", "yu", "yu"),
    # given names
    "偉": ("伟", "wei", "wei", "wai"), "明": ("明", "ming", "ming", "ming"),
    "華": ("华", "hua", "hua", "wah"), "文": ("文", "wen", "wen", "man"),
    "國": ("国", "guo", "kuo", "kwok"), "志": ("志", "zhi", "chih", "chi"),
    "建": ("建", "jian", "chien", "kin"), "軍": ("军", "jun", "chun", "kwan"),
    "強": ("强", "qiang", "chiang", "keung"), "勇": ("勇", "yong", "yung", "yung"),
    "傑": ("杰", "jie", "chieh", "kit"), "濤": ("涛", "tao", "tao", "to"),
    "斌": ("斌", "bin", "pin", "pan"), "超": ("超", "chao", "chao", "chiu"),
    "鵬": ("鹏", "peng", "peng", "pang"), "飛": ("飞", "fei", "fei", "fei"),
    "剛": ("刚", "gang", "kang", "kong"), "輝": ("辉", "hui", "hui", "fai"),
    "平": ("平", "ping", "ping", "ping"), "東": ("东", "dong", "tung", "tung"),
    "海": ("海", "hai", "hai", "hoi"), "德": ("德", "de", "te", "tak"),
    "成": ("成", "cheng", "cheng", "shing"), "天": ("天", "tian", "tien", "tin"),
    "龍": ("龙", "long", "lung", "lung"), "俊": ("俊", "jun", "chun", "chun"),
    "浩": ("浩", "hao", "hao", "ho"), "宇": ("宇", "yu", "yu", "yu"),
    "子": ("子", "zi", "tzu", "tsz"), "家": ("家", "jia", "chia", "ka"),
    "嘉": ("嘉", "jia", "chia", "ka"), "小": ("小", "xiao", "hsiao", "siu"),
    "大": ("大", "da", "ta", "tai"), "經": ("经", "jing", "ching", "king"),
    "立": ("立", "li", "li", "lap"), "永": ("永", "yong", "yung", "wing"),
    "光": ("光", "guang", "kuang", "kwong"), "榮": ("荣", "rong", "jung", "wing"),
    "安": ("安", "an", "an", "on"), "澤": ("泽", "ze", "tse", "chak"),
    "軒": ("轩", "xuan", "hsuan", "hin"), "晨": ("晨", "chen", "chen", "san"),
    "麗": ("丽", "li", "li", "lai"), "美": ("美", "mei", "mei", "mei"),
    "玲": ("玲", "ling", "ling", "ling"), "芳": ("芳", "fang", "fang", "fong"),
    "英": ("英", "ying", "ying", "ying"), "秀": ("秀", "xiu", "hsiu", "sau"),
    "慧": ("慧", "hui", "hui", "wai"), "敏": ("敏", "min", "min", "man"),
    "婷": ("婷", "ting", "ting", "ting"), "雅": ("雅", "ya", "ya", "nga"),
    "靜": ("静", "jing", "ching", "ching"), "紅": ("红", "hong", "hung", "hung"),
    "燕": ("燕", "yan", "yen", "yin"), "霞": ("霞", "xia", "hsia", "ha"),
    "娟": ("娟", "juan", "chuan", "kuen"), "蘭": ("兰", "lan", "lan", "lan"),
    "鳳": ("凤", "feng", "feng", "fung"), "萍": ("萍", "ping", "ping", "ping"),
    "欣": ("欣", "xin", "hsin", "yan"), "怡": ("怡", "yi", "yi", "yi"),
    "琳": ("琳", "lin", "lin", "lam"), "穎": ("颖", "ying", "ying", "wing"),
    "佳": ("佳", "jia", "chia", "kai"), "琪": ("琪", "qi", "chi", "kei"),
    "詩": ("诗", "shi", "shih", "sze"), "雪": ("雪", "xue", "hsueh", "suet"),
    "梅": ("梅", "mei", "mei", "mui"), "娜": ("娜", "na", "na", "na"),
    "晴": ("晴", "qing", "ching", "ching"), "月": ("月", "yue", "yueh", "yuet"),
    "春": ("春", "chun", "chun", "chun"), "秋": ("秋", "qiu", "chiu", "chau"),
    "雲": ("云", "yun", "yun", "wan"), "潔": ("洁", "jie", "chieh", "kit"),
    "思": ("思", "si", "ssu", "sze"), "賢": ("贤", "xian", "hsien", "yin"),
    "亮": ("亮", "liang", "liang", "leung"), "遠": ("远", "yuan", "yuan", "yuen"),
    "媛": ("媛", "yuan", "yuan", "wun"), "倩": ("倩", "qian", "chien", "sin"),
    "吉": ("吉", "ji", "chi", "kat"), "喜": ("喜", "xi", "hsi", "hei"),
    "昂": ("昂", "ang", "ang", "ong"), "旭": ("旭", "xu", "hsu", "yuk"),
    "雨": ("雨", "yu", "yu", "yu"), "玉": ("玉", "yu", "yu", "yuk"),
    "新": ("新", "xin", "hsin", "san"), "中": ("中", "zhong", "chung", "chung"),
    "生": ("生", "sheng", "sheng", "sang"), "金": ("金", "jin", "chin", "kam"),
}
# Surname: weight on the mainland, in Taiwan, in Hong Kong (percent, rounded).
SURNAMES = (
    ("李", 7.9, 5.1, 5.0), ("王", 7.4, 4.1, 3.0), ("張", 7.1, 5.3, 4.5), ("劉", 5.4, 3.2, 3.0),
    ("陳", 4.5, 11.1, 9.0), ("楊", 3.1, 2.7, 2.0), ("趙", 2.3, 0.5, 1.0), ("黃", 2.2, 6.0, 6.0),
    ("周", 2.1, 1.4, 2.0), ("吳", 2.1, 4.0, 3.0), ("徐", 1.7, 1.1, 1.0), ("孫", 1.5, 0.5, 0.6),
    ("胡", 1.3, 0.6, 1.0), ("朱", 1.3, 0.7, 1.0), ("高", 1.2, 0.9, 0.8), ("林", 1.2, 8.3, 3.0),
    ("何", 1.2, 0.8, 3.0), ("郭", 1.2, 1.8, 1.5), ("馬", 1.1, 0.5, 1.0), ("羅", 0.9, 0.9, 1.5),
    ("梁", 0.8, 0.6, 4.0), ("宋", 0.7, 0.4, 0.5), ("鄭", 0.7, 1.9, 2.0), ("謝", 0.6, 1.9, 1.5),
    ("韓", 0.5, 0.2, 0.3), ("唐", 0.5, 0.3, 0.6), ("馮", 0.5, 0.2, 1.5), ("董", 0.5, 0.2, 0.5),
    ("蕭", 0.4, 0.7, 1.0), ("程", 0.4, 0.2, 0.4), ("曹", 0.4, 0.3, 0.4), ("袁", 0.4, 0.1, 0.8),
    ("鄧", 0.4, 0.4, 1.5), ("許", 0.4, 2.3, 1.5), ("沈", 0.4, 0.3, 0.5), ("曾", 0.3, 1.1, 2.0),
    ("彭", 0.3, 0.4, 1.0), ("蘇", 0.3, 0.6, 1.0), ("盧", 0.3, 0.6, 1.5), ("蔣", 0.3, 0.4, 0.5),
    ("蔡", 0.3, 2.9, 1.5), ("葉", 0.3, 0.9, 2.0), ("潘", 0.3, 0.3, 1.0), ("杜", 0.2, 0.2, 0.4),
    ("魏", 0.2, 0.2, 0.4), ("麥", 0.05, 0.02, 1.0), ("呂", 0.3, 0.5, 0.6), ("于", 0.5, 0.1, 0.2),
)
# Given-name characters: (character, "M", "F" or "U" for either, weight).
GIVEN = (
    ("偉", "M", 3), ("明", "U", 3), ("華", "U", 2), ("文", "U", 2), ("國", "M", 2),
    ("志", "M", 2), ("建", "M", 2), ("軍", "M", 1.5), ("強", "M", 1.5), ("勇", "M", 1.5),
    ("傑", "M", 1.5), ("濤", "M", 1), ("斌", "M", 1), ("超", "M", 1), ("鵬", "M", 1),
    ("飛", "M", 1), ("剛", "M", 1), ("輝", "M", 1), ("平", "U", 1), ("東", "M", 1),
    ("海", "M", 1), ("德", "M", 1), ("成", "M", 1), ("天", "M", 1), ("龍", "M", 1),
    ("俊", "M", 1.5), ("浩", "M", 1.5), ("宇", "M", 1.5), ("子", "U", 1.5), ("家", "U", 1.5),
    ("嘉", "U", 1), ("小", "U", 1.5), ("大", "M", 0.7), ("經", "M", 0.3), ("立", "M", 0.7),
    ("永", "M", 0.8), ("光", "M", 0.8), ("榮", "M", 0.6), ("安", "U", 0.8), ("澤", "M", 0.6),
    ("軒", "M", 0.6), ("晨", "U", 0.6), ("麗", "F", 2), ("美", "F", 2), ("玲", "F", 1.5),
    ("芳", "F", 1.5), ("英", "F", 1.5), ("秀", "F", 1.5), ("慧", "F", 1.5), ("敏", "F", 1.5),
    ("婷", "F", 1.5), ("雅", "F", 1), ("靜", "F", 1.5), ("紅", "F", 1.5), ("燕", "F", 1.5),
    ("霞", "F", 1), ("娟", "F", 1), ("蘭", "F", 1), ("鳳", "F", 0.8), ("萍", "F", 0.8),
    ("欣", "F", 1), ("怡", "F", 1), ("琳", "F", 1), ("穎", "F", 0.8), ("佳", "F", 1),
    ("琪", "F", 0.8), ("詩", "F", 0.8), ("雪", "F", 0.8), ("梅", "F", 0.8), ("娜", "F", 1),
    ("晴", "F", 0.6), ("月", "F", 0.6), ("春", "U", 0.8), ("秋", "F", 0.5), ("雲", "U", 0.8),
    ("潔", "F", 0.8), ("思", "U", 0.8), ("賢", "M", 0.5), ("亮", "M", 0.8), ("遠", "M", 0.5),
    ("媛", "F", 0.5), ("倩", "F", 0.7), ("玉", "F", 1), ("新", "U", 0.5), ("中", "M", 0.7),
    ("生", "M", 0.5), ("金", "U", 0.5),
)
# One-syllable given names and two syllables that glue into the same letters in pinyin
# (建 Jian / 吉安 Ji An; 亮 Liang / 立昂 Li Ang).
JOINED = (("建", "吉安", "M"), ("賢", "喜安", "M"), ("亮", "立昂", "M"), ("遠", "雨安", "M"),
          ("軒", "旭安", "M"), ("倩", "琪安", "F"), ("媛", "雨安", "F"))
SINGLE_CHARACTER = 0.25


def syllable(trad: str) -> Word:
    _simp, pinyin, wade, canton = SYLLABLES[trad]
    return Word(f"zh:{trad}", trad, (("pinyin", pinyin), ("wg", wade), ("hk", canton)))


class Chinese(Culture):
    key = "chinese"
    label = "Chinese"
    share = 0.20
    script = True
    given_first = 0.35
    # Mainland, Taiwan and Hong Kong passports among Chinese-named persons abroad;
    # Hong Kong SAR passports give the nationality as CHN.
    regions = Table([(("cn", "CHN"), 80), (("tw", "TWN"), 11), (("hk", "CHN"), 9)])

    def __init__(self) -> None:
        self.surnames = {region: Table((row[0], row[i + 1]) for row in SURNAMES)
                         for i, region in enumerate(("cn", "tw", "hk"))}
        self.given = {sex: Table((ch, w) for ch, s, w in GIVEN if s in (sex, "U"))
                      for sex in ("M", "F")}

    def _style(self, region: str, rng: random.Random) -> tuple[tuple[str, str], ...]:
        passport = {"cn": "pinyin", "tw": "wg", "hk": "hk"}[region]
        # Mainland passports join the given name's syllables, Taiwanese ones hyphenate
        # them, Hong Kong ones write them apart.
        joiner = {"cn": "", "tw": "-", "hk": " "}[region]
        return (("passport", passport), ("joiner", joiner))

    def draw(self, rng: random.Random, *, sex: str, born: dt.date,
             region: str | None = None, given: str | None = None) -> Person:
        if region is None:
            region, nationality = self.region(rng)
        else:
            nationality = "TWN" if region == "tw" else "CHN"
        surname = self.surnames[region].pick(rng)
        if given is None:
            first = self.given[sex].pick(rng)
            given = first
            if rng.random() >= SINGLE_CHARACTER:
                for _attempt in range(5):
                    second = self.given[sex].pick(rng)
                    if second != first:
                        given = first + second
                        break
        return Person(culture=self.key, region=region, sex=sex, born=born,
                      nationality=nationality, surname=(syllable(surname),),
                      given=tuple(syllable(ch) for ch in given),
                      style=self._style(region, rng))

    def other_given(self, person: Person, rng: random.Random) -> Person:
        """A sibling, often sharing a generation character (Xiaoming, Xiaohong)."""
        if len(person.given) == 2 and rng.random() < 0.5:
            for _attempt in range(20):
                other = self.given[person.sex].pick(rng)
                if other not in (person.given[0].native, person.given[1].native):
                    return replace(person, given=(person.given[0], syllable(other)))
        return super().other_given(person, rng)

    def joined_pair(self, rng: random.Random, *, sex: str, born: dt.date
                    ) -> tuple[Person, Person] | None:
        """The list has the two-syllable name written apart (Chen Qi An, 陳琪安), the
        passport the one-syllable name (CHEN QIAN, 倩): in pinyin the letters are the
        same, the syllables are not. (A passport joins its syllables, so the other way
        round the two would be written alike and nobody could tell them apart.)"""
        rows = [row for row in JOINED if row[2] == sex]
        if not rows:
            return None
        one, two, _sex = rng.choice(rows)
        region = pick(rng, (("cn", 85), ("tw", 15)))
        single = self.draw(rng, sex=sex, born=born, region=region, given=one)
        joiner = rng.choice((" ", "-")) if region == "cn" else "-"
        listed = replace(single, given=tuple(syllable(ch) for ch in two),
                         style=(("passport", dict(single.style)["passport"]),
                                ("joiner", joiner)))
        return listed, single

    # --------------------------------------------------------------- spelling

    def list_schemes(self, person: Person) -> Table[str]:
        if person.region == "tw":
            return Table([("wg", 5), ("pinyin", 4), ("pinyin split", 1)])
        if person.region == "hk":
            return Table([("hk", 5), ("hk hyphen", 2), ("pinyin", 3)])
        return Table([("pinyin", 6), ("pinyin split", 2), ("pinyin hyphen", 1.5), ("wg", 0.5)])

    def family(self, scheme: str) -> str:
        return scheme.split()[0]

    def spelled(self, person: Person, scheme: str) -> tuple[str, ...]:
        return tuple(w.latin(self.family(scheme)) for w in person.words())

    def given_text(self, person: Person, scheme: str) -> str:
        family, _space, how = scheme.partition(" ")
        if how:
            joiner = {"split": " ", "hyphen": "-", "joined": ""}[how]
        elif family == person.choice("passport"):
            joiner = person.choice("joiner")
        else:
            joiner = {"pinyin": "", "wg": "-", "hk": " "}[family]
        syllables = [w.latin(family) for w in person.given]
        if joiner == " ":
            return " ".join(capitalised(s) for s in syllables)
        return capitalised(joiner.join(syllables))

    def surname_text(self, person: Person, scheme: str) -> str:
        return capitalised(person.surname[0].latin(self.family(scheme)))

    def native(self, person: Person, rng: random.Random) -> list[str]:
        chars = [w.native for w in person.words()]
        if person.region == "cn":
            chars = [SYLLABLES[ch][0] for ch in chars]
        return ["".join(chars)]
