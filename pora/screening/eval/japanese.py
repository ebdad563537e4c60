"""Japanese names: kanji with their kana reading, and four ways of writing the reading.

Each word is stored as its kana syllables in Kunrei-shiki (si, ti, tu, hu, zi, sya;
a syllable that lengthens the vowel before it in capitals: sa-to-U, o-O-no), from which: passport Hepburn (the Ministry of Foreign
Affairs' rules: SATO, SHINJI, NAMBA — long vowels dropped, or OH for a long o when the
holder asks: SATOH), modern Hepburn with macrons (Satō, Nanba), the word-processor
spelling (Satou) and Kunrei-shiki itself (Sato, Sinzi, Tutiya). Kanji readings are
fixed per name here; in life one kanji has several.

Surname frequencies after the Meiji Yasuda / myoji-yurai rankings (Sato about 1.5%,
Suzuki 1.4%, Takahashi and Tanaka 1.1% …); given names by birth decade after the
Meiji Yasuda name rankings (Hiroshi, Yoko, Keiko for the 1940s-60s; Takuya, Yuki for the
1970s-80s; Shota, Haruto, Misaki, Yui for the 1990s-2000s); weights are estimates.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from pora.screening.eval.common import Person, Table, Word, pick
from pora.screening.eval.culture import Culture

_KANA = {
    "a": "あ", "i": "い", "u": "う", "e": "え", "o": "お",
    "ka": "か", "ki": "き", "ku": "く", "ke": "け", "ko": "こ",
    "ga": "が", "gi": "ぎ", "gu": "ぐ", "ge": "げ", "go": "ご",
    "sa": "さ", "si": "し", "su": "す", "se": "せ", "so": "そ",
    "za": "ざ", "zi": "じ", "zu": "ず", "ze": "ぜ", "zo": "ぞ",
    "ta": "た", "ti": "ち", "tu": "つ", "te": "て", "to": "と",
    "da": "だ", "de": "で", "do": "ど",
    "na": "な", "ni": "に", "nu": "ぬ", "ne": "ね", "no": "の",
    "ha": "は", "hi": "ひ", "hu": "ふ", "he": "へ", "ho": "ほ",
    "ba": "ば", "bi": "び", "bu": "ぶ", "be": "べ", "bo": "ぼ",
    "ma": "ま", "mi": "み", "mu": "む", "me": "め", "mo": "も",
    "ya": "や", "yu": "ゆ", "yo": "よ",
    "ra": "ら", "ri": "り", "ru": "る", "re": "れ", "ro": "ろ",
    "wa": "わ", "n": "ん", "U": "う", "O": "お",
    "sya": "しゃ", "syu": "しゅ", "syo": "しょ", "zya": "じゃ", "zyu": "じゅ", "zyo": "じょ",
    "tya": "ちゃ", "tyu": "ちゅ", "tyo": "ちょ", "rya": "りゃ", "ryu": "りゅ", "ryo": "りょ",
    "kyo": "きょ", "gyo": "ぎょ",
}
_HEPBURN = {"si": "shi", "ti": "chi", "tu": "tsu", "hu": "fu", "zi": "ji", "sya": "sha",
            "syu": "shu", "syo": "sho", "zya": "ja", "zyu": "ju", "zyo": "jo", "tya": "cha",
            "tyu": "chu", "tyo": "cho"}
_MACRON = {"a": "ā", "i": "ī", "u": "ū", "e": "ē", "o": "ō"}


def _long_vowel(syllables: list[str], i: int) -> bool:
    """Whether syllable ``i`` lengthens the vowel before it: readings write it in
    capitals (sa-to-U, o-O-no), as opposed to a vowel of its own (i-no-u-e, Inoue)."""
    return i > 0 and syllables[i] in {"U", "O"}


def romanise(reading: str, scheme: str) -> str:
    """A reading in Kunrei syllables ("sa-to-U") in ``scheme``."""
    syllables = reading.split("-")
    out: list[str] = []
    for i, syl in enumerate(syllables):
        nxt = syllables[i + 1] if i + 1 < len(syllables) else ""
        if scheme == "kunrei" or scheme == "wapuro" and syl in {"U", "O"}:
            latin = syl.lower()
        else:
            latin = _HEPBURN.get(syl, syl)
        if _long_vowel(syllables, i) and scheme != "wapuro" and scheme != "kunrei":
            if scheme == "macron":
                out[-1] = out[-1][:-1] + _MACRON[out[-1][-1]]
            elif scheme == "oh" and out[-1].endswith("o"):
                out[-1] += "h"
            continue
        if syl == "n" and nxt[:1] in {"a", "i", "u", "e", "o", "y"} and scheme == "macron":
            latin = "n'"
        if syl == "n" and nxt[:1] in {"b", "m", "p"} and scheme in {"passport", "oh"}:
            latin = "m"  # passport Hepburn: NAMBA, SAMPEI
        out.append(latin)
    if scheme == "kunrei":
        # Kunrei marks long vowels with a circumflex; lists drop it with the vowel.
        return "".join(s for i, s in enumerate(out) if not _long_vowel(syllables, i))
    return "".join(out)


def kana(reading: str, *, katakana: bool = False) -> str:
    text = "".join(_KANA[syl] for syl in reading.split("-"))
    if katakana:
        text = "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)
    return text


SCHEMES = ("passport", "oh", "macron", "wapuro", "kunrei")

# (kanji, reading, percent)
SURNAMES = (
    ("佐藤", "sa-to-U", 1.5), ("鈴木", "su-zu-ki", 1.4), ("高橋", "ta-ka-ha-si", 1.1),
    ("田中", "ta-na-ka", 1.1), ("伊藤", "i-to-U", 0.9), ("渡辺", "wa-ta-na-be", 0.9),
    ("山本", "ya-ma-mo-to", 0.9), ("中村", "na-ka-mu-ra", 0.9), ("小林", "ko-ba-ya-si", 0.8),
    ("加藤", "ka-to-U", 0.7), ("吉田", "yo-si-da", 0.7), ("山田", "ya-ma-da", 0.7),
    ("佐々木", "sa-sa-ki", 0.6), ("山口", "ya-ma-gu-ti", 0.5), ("松本", "ma-tu-mo-to", 0.5),
    ("井上", "i-no-u-e", 0.5), ("木村", "ki-mu-ra", 0.5), ("林", "ha-ya-si", 0.4),
    ("斎藤", "sa-i-to-U", 0.4), ("清水", "si-mi-zu", 0.4), ("山崎", "ya-ma-za-ki", 0.4),
    ("森", "mo-ri", 0.4), ("池田", "i-ke-da", 0.4), ("橋本", "ha-si-mo-to", 0.4),
    ("阿部", "a-be", 0.4), ("石川", "i-si-ka-wa", 0.3), ("山下", "ya-ma-si-ta", 0.3),
    ("中島", "na-ka-zi-ma", 0.3), ("石井", "i-si-i", 0.3), ("小川", "o-ga-wa", 0.3),
    ("前田", "ma-e-da", 0.3), ("岡田", "o-ka-da", 0.3), ("長谷川", "ha-se-ga-wa", 0.3),
    ("藤田", "hu-zi-ta", 0.3), ("後藤", "go-to-U", 0.3), ("近藤", "ko-n-do-U", 0.3),
    ("村上", "mu-ra-ka-mi", 0.3), ("遠藤", "e-n-do-U", 0.3), ("青木", "a-o-ki", 0.3),
    ("坂本", "sa-ka-mo-to", 0.3), ("大野", "o-O-no", 0.2), ("土屋", "tu-ti-ya", 0.1),
    ("千葉", "ti-ba", 0.1), ("難波", "na-n-ba", 0.05), ("本田", "ho-n-da", 0.2),
    ("工藤", "ku-do-U", 0.2), ("新井", "a-ra-i", 0.2), ("大島", "o-O-si-ma", 0.1),
)
# (kanji, reading, sex, weight, first and last birth year of its fashion)
GIVEN = (
    ("宏", "hi-ro-si", "M", 4, 1940, 1970), ("隆", "ta-ka-si", "M", 3, 1940, 1975),
    ("誠", "ma-ko-to", "M", 3, 1960, 1990), ("健二", "ke-n-zi", "M", 2, 1945, 1975),
    ("聡", "sa-to-si", "M", 2, 1960, 1990), ("大輔", "da-i-su-ke", "M", 3, 1970, 1990),
    ("和也", "ka-zu-ya", "M", 2, 1965, 1990), ("拓也", "ta-ku-ya", "M", 3, 1970, 1995),
    ("翔太", "syo-U-ta", "M", 3, 1988, 2005), ("悠斗", "yu-U-to", "M", 2, 1995, 2005),
    ("大翔", "ha-ru-to", "M", 2, 1998, 2005), ("健太", "ke-n-ta", "M", 2, 1975, 1995),
    ("亮", "ryo-U", "M", 2, 1970, 1995), ("哲也", "te-tu-ya", "M", 2, 1960, 1985),
    ("明", "a-ki-ra", "M", 2, 1940, 1970), ("実", "mi-no-ru", "M", 2, 1940, 1965),
    ("茂", "si-ge-ru", "M", 2, 1940, 1960), ("修", "o-sa-mu", "M", 2, 1940, 1965),
    ("勇", "i-sa-mu", "M", 1.5, 1940, 1960), ("清", "ki-yo-si", "M", 2, 1940, 1960),
    ("勉", "tu-to-mu", "M", 1.5, 1940, 1965), ("浩二", "ko-U-zi", "M", 1.5, 1950, 1975),
    ("純一", "zyu-n-i-ti", "M", 1.5, 1955, 1980), ("俊介", "syu-n-su-ke", "M", 1.5, 1975, 2000),
    ("雄一", "yu-U-i-ti", "M", 1.5, 1950, 1975), ("正", "ta-da-si", "M", 2, 1940, 1965),
    ("武", "ta-ke-si", "M", 2, 1940, 1975), ("慎二", "si-n-zi", "M", 1, 1960, 1985),
    ("進", "su-su-mu", "M", 1.5, 1940, 1965), ("翔", "syo-U", "M", 1.5, 1985, 2005),
    ("蓮", "re-n", "M", 1.5, 1995, 2005), ("蒼", "so-U", "M", 1, 2000, 2005),
    ("洋子", "yo-U-ko", "F", 4, 1940, 1965), ("恵子", "ke-i-ko", "F", 4, 1940, 1965),
    ("和子", "ka-zu-ko", "F", 4, 1940, 1960), ("幸子", "sa-ti-ko", "F", 4, 1940, 1960),
    ("明子", "a-ki-ko", "F", 2, 1940, 1965), ("智子", "to-mo-ko", "F", 3, 1955, 1980),
    ("裕子", "yu-U-ko", "F", 3, 1955, 1980), ("直子", "na-o-ko", "F", 2, 1955, 1980),
    ("順子", "zyu-n-ko", "F", 2, 1945, 1970), ("真由美", "ma-yu-mi", "F", 2, 1960, 1985),
    ("由美子", "yu-mi-ko", "F", 2, 1955, 1975), ("恵美", "e-mi", "F", 2, 1965, 1990),
    ("愛", "a-i", "F", 2, 1975, 2000), ("結衣", "yu-i", "F", 2, 1995, 2005),
    ("美咲", "mi-sa-ki", "F", 3, 1985, 2005), ("さくら", "sa-ku-ra", "F", 2, 1990, 2005),
    ("陽菜", "hi-na", "F", 2, 1995, 2005), ("優奈", "yu-U-na", "F", 1.5, 1995, 2005),
    ("葵", "a-o-i", "F", 1.5, 1995, 2005), ("芽衣", "me-i", "F", 1, 1995, 2005),
    ("遥", "ha-ru-ka", "F", 2, 1985, 2005), ("恵", "me-gu-mi", "F", 2, 1965, 1990),
    ("香織", "ka-o-ri", "F", 2, 1965, 1990), ("由香里", "yu-ka-ri", "F", 1.5, 1965, 1990),
    ("千尋", "ti-hi-ro", "F", 1, 1970, 1995), ("久美子", "ku-mi-ko", "F", 2, 1945, 1970),
    ("優子", "yu-U-ko", "F", 2, 1965, 1985), ("純子", "zyu-n-ko", "F", 1.5, 1950, 1975),
    ("京子", "kyo-U-ko", "F", 2, 1940, 1965), ("洋平", "yo-U-he-i", "M", 1.5, 1965, 1990),
    ("修一", "syu-U-i-ti", "M", 1.5, 1945, 1970), ("大樹", "da-i-ki", "M", 2, 1980, 2005),
)


def _word(kanji: str, reading: str) -> Word:
    return Word(f"ja:{kanji}", kanji, tuple((s, romanise(reading, s)) for s in SCHEMES)
                + (("kana", reading),))


class Japanese(Culture):
    key = "japanese"
    label = "Japanese"
    share = 0.05
    script = True
    given_first = 0.5
    regions = Table([(("jp", "JPN"), 1)])

    def __init__(self) -> None:
        self.surnames = Table(((k, r), w) for k, r, w in SURNAMES)

    def draw(self, rng: random.Random, *, sex: str, born: dt.date,
             region: str | None = None) -> Person:
        rows = [((k, r), w) for k, r, s, w, start, end in GIVEN
                if s == sex and start <= born.year <= end]
        given = Table(rows).pick(rng)
        surname = self.surnames.pick(rng)
        # Passports may write a long o as OH when the holder asks (SATOH, OHNO).
        passport = "oh" if rng.random() < 0.12 else "passport"
        return Person(culture=self.key, region="jp", sex=sex, born=born, nationality="JPN",
                      surname=(_word(*surname),), given=(_word(*given),),
                      style=(("passport", passport),))

    def list_schemes(self, person: Person) -> Table[str]:
        return Table([("passport", 5), ("macron", 2), ("wapuro", 1.5), ("kunrei", 1)])

    def native(self, person: Person, rng: random.Random) -> list[str]:
        """Kanji, surname first, with or without a space; the reading in hiragana or
        katakana."""
        surname, given = person.surname[0], person.given[0]
        kanji = f"{surname.native}{pick(rng, ((' ', 6), ('', 4), ('　', 1)))}{given.native}"
        katakana = rng.random() < 0.5
        reading = (f"{kana(surname.latin('kana'), katakana=katakana)} "
                   f"{kana(given.latin('kana'), katakana=katakana)}")
        return [kanji, reading]

    def other_given(self, person: Person, rng: random.Random) -> Person:
        for _attempt in range(30):
            other = self.draw(rng, sex=person.sex, born=person.born)
            if other.given[0].key != person.given[0].key:
                return replace(person, given=other.given)
        raise RuntimeError("no other given name")


def _check_readings() -> None:
    """Every reading is made of known kana (run by the tests)."""
    for _kanji, reading, *_rest in (*SURNAMES, *GIVEN):
        kana(reading)

