"""Korean names: Hangul and the ways they are written in Latin letters.

Passports let the holder keep the family's customary spelling (Kim, Lee, Park, Choi —
not the Revised Romanisation's Gim, I, Bak, Choe) and write the given name's two
syllables joined, hyphenated or apart (MINJUN, MIN-JUN, MIN JUN); lists write the Revised
Romanisation of 2000 (Min-jun), the holder's spelling, or McCune-Reischauer without its
diacritics (Min-chun, Pak, Yi), which North Korean names keep (Ri, Pak).

Surname frequencies: Statistics Korea, 2015 census (Kim 21.5%, Lee 14.7%, Park 8.4%,
Choi 4.7%, Jung 4.3% …). Given names: the commonest names by birth decade in the Supreme
Court's family-register statistics (Young-soo, Young-ja for the 1940s-50s; Ji-hoon,
Ji-hyun for the 1970s-80s; Min-jun, Seo-yeon for the 2000s); weights are estimates.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from pora.screening.eval.common import Person, Table, Word, capitalised, pick
from pora.screening.eval.culture import Culture

# Hangul syllable: (Revised Romanisation, McCune-Reischauer without diacritics,
# the spellings holders choose, commonest first).
SYLLABLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "민": ("min", "min", ("min",)), "준": ("jun", "chun", ("jun", "joon")),
    "서": ("seo", "so", ("seo", "suh")), "연": ("yeon", "yon", ("yeon", "yun")),
    "윤": ("yun", "yun", ("yun", "yoon")), "지": ("ji", "chi", ("ji",)),
    "우": ("u", "u", ("woo", "u", "wu")), "현": ("hyeon", "hyon", ("hyun", "hyeon")),
    "호": ("ho", "ho", ("ho",)), "수": ("su", "su", ("soo", "su")),
    "영": ("yeong", "yong", ("young", "yeong", "yong")), "희": ("hui", "hui", ("hee", "hui")),
    "정": ("jeong", "chong", ("jung", "jeong", "chung")),
    "성": ("seong", "song", ("sung", "seong")), "동": ("dong", "tong", ("dong",)),
    "재": ("jae", "chae", ("jae",)), "상": ("sang", "sang", ("sang",)),
    "철": ("cheol", "chol", ("chul", "cheol")), "미": ("mi", "mi", ("mi",)),
    "경": ("gyeong", "kyong", ("kyung", "kyeong", "gyeong")),
    "숙": ("suk", "suk", ("sook", "suk")), "자": ("ja", "cha", ("ja",)),
    "순": ("sun", "sun", ("soon", "sun")), "주": ("ju", "chu", ("joo", "ju")),
    "하": ("ha", "ha", ("ha",)), "도": ("do", "to", ("do",)), "예": ("ye", "ye", ("ye",)),
    "시": ("si", "si", ("si", "shi")), "원": ("won", "won", ("won",)),
    "후": ("hu", "hu", ("hoo", "hu")), "훈": ("hun", "hun", ("hoon", "hun")),
    "빈": ("bin", "pin", ("bin",)), "혜": ("hye", "hye", ("hye", "hae")),
    "진": ("jin", "chin", ("jin",)), "태": ("tae", "tae", ("tae",)),
    "광": ("gwang", "kwang", ("kwang", "gwang")), "석": ("seok", "sok", ("suk", "seok")),
    "용": ("yong", "yong", ("yong",)), "기": ("gi", "ki", ("ki", "gi")),
    "명": ("myeong", "myong", ("myung", "myeong")), "은": ("eun", "un", ("eun",)),
    "나": ("na", "na", ("na",)), "아": ("a", "a", ("a", "ah")),
    "유": ("yu", "yu", ("yoo", "yu")), "한": ("han", "han", ("han",)),
    "혁": ("hyeok", "hyok", ("hyuk", "hyeok")), "병": ("byeong", "pyong", ("byung",)),
    "종": ("jong", "chong", ("jong",)), "규": ("gyu", "kyu", ("kyu", "gyu")),
    "옥": ("ok", "ok", ("ok",)), "선": ("seon", "son", ("sun", "seon")),
    "승": ("seung", "sung", ("seung",)), "건": ("geon", "kon", ("gun", "geon", "kun")),
    "일": ("il", "il", ("il",)), "남": ("nam", "nam", ("nam",)),
}
# Surname: (Hangul, percent of the population, spellings holders use (commonest first),
# Revised Romanisation, McCune-Reischauer).
SURNAMES = (
    ("김", 21.5, ("Kim",), "Gim", "Kim"), ("이", 14.7, ("Lee", "Yi", "Rhee"), "I", "Yi"),
    ("박", 8.4, ("Park", "Pak"), "Bak", "Pak"), ("최", 4.7, ("Choi",), "Choe", "Choe"),
    ("정", 4.3, ("Jung", "Jeong", "Chung"), "Jeong", "Chong"),
    ("강", 2.4, ("Kang",), "Gang", "Kang"), ("조", 2.1, ("Cho", "Jo"), "Jo", "Cho"),
    ("윤", 2.1, ("Yoon", "Yun"), "Yun", "Yun"), ("장", 2.0, ("Jang", "Chang"), "Jang", "Chang"),
    ("임", 1.7, ("Lim", "Im", "Yim"), "Im", "Im"), ("한", 1.5, ("Han",), "Han", "Han"),
    ("오", 1.5, ("Oh",), "O", "O"), ("서", 1.5, ("Seo", "Suh"), "Seo", "So"),
    ("신", 1.5, ("Shin",), "Sin", "Sin"), ("권", 1.4, ("Kwon",), "Gwon", "Kwon"),
    ("황", 1.4, ("Hwang",), "Hwang", "Hwang"), ("안", 1.3, ("Ahn", "An"), "An", "An"),
    ("송", 1.3, ("Song",), "Song", "Song"), ("전", 1.1, ("Jeon", "Jun", "Chun"), "Jeon", "Chon"),
    ("홍", 1.1, ("Hong",), "Hong", "Hong"), ("유", 1.1, ("Yoo", "Yu"), "Yu", "Yu"),
    ("류", 0.6, ("Ryu", "Yoo"), "Ryu", "Ryu"), ("고", 0.9, ("Ko", "Koh"), "Go", "Ko"),
    ("문", 0.9, ("Moon",), "Mun", "Mun"), ("양", 0.9, ("Yang",), "Yang", "Yang"),
    ("손", 0.9, ("Son", "Sohn"), "Son", "Son"), ("배", 0.8, ("Bae",), "Bae", "Pae"),
    ("백", 0.8, ("Baek", "Paik"), "Baek", "Paek"), ("허", 0.6, ("Heo", "Huh"), "Heo", "Ho"),
    ("남", 0.5, ("Nam",), "Nam", "Nam"), ("노", 0.4, ("Noh", "Roh"), "No", "No"),
)
# North Korea keeps the initial r/l of these surnames (리 for 이, 림 for 임, 로 for 노).
NORTH = {"이": ("리", "Ri"), "임": ("림", "Rim"), "노": ("로", "Ro")}
# Given names: (Hangul, sex, weight, first and last birth year of its fashion).
GIVEN = (
    ("민준", "M", 4, 1995, 2005), ("서준", "M", 3, 1998, 2005), ("도윤", "M", 2, 2000, 2005),
    ("예준", "M", 2, 1998, 2005), ("시우", "M", 2, 1998, 2005), ("하준", "M", 2, 2000, 2005),
    ("주원", "M", 2, 1995, 2005), ("지호", "M", 2, 1988, 2005), ("지후", "M", 1.5, 1995, 2005),
    ("준서", "M", 2, 1995, 2005), ("현우", "M", 3, 1980, 2005), ("지훈", "M", 4, 1970, 2000),
    ("성민", "M", 3, 1970, 1995), ("영수", "M", 5, 1940, 1970), ("영호", "M", 3, 1940, 1970),
    ("정호", "M", 2, 1950, 1980), ("상철", "M", 2, 1950, 1975), ("동현", "M", 3, 1975, 2000),
    ("재현", "M", 2.5, 1978, 2000), ("민수", "M", 3, 1965, 1990), ("성호", "M", 2.5, 1960, 1985),
    ("성훈", "M", 2.5, 1965, 1990), ("준호", "M", 2.5, 1975, 1995), ("승현", "M", 2, 1980, 2000),
    ("진호", "M", 2, 1965, 1990), ("태현", "M", 1.5, 1985, 2005), ("광수", "M", 2, 1940, 1965),
    ("병철", "M", 2, 1940, 1965), ("종현", "M", 1.5, 1975, 1995), ("상훈", "M", 2, 1970, 1990),
    ("동훈", "M", 2, 1970, 1990), ("재훈", "M", 1.5, 1975, 1995), ("건우", "M", 2, 1995, 2005),
    ("승민", "M", 2, 1985, 2005), ("현준", "M", 2.5, 1985, 2005), ("민재", "M", 2, 1990, 2005),
    ("정훈", "M", 2, 1970, 1990), ("영철", "M", 2, 1945, 1970), ("명수", "M", 1, 1940, 1965),
    ("서연", "F", 4, 1995, 2005), ("서윤", "F", 2.5, 1998, 2005), ("지우", "F", 2, 1998, 2005),
    ("서현", "F", 3, 1990, 2005), ("민서", "F", 3, 1995, 2005), ("하은", "F", 2.5, 1998, 2005),
    ("하윤", "F", 2, 2000, 2005), ("윤서", "F", 2, 1995, 2005), ("지민", "F", 2.5, 1985, 2005),
    ("지유", "F", 1.5, 1998, 2005), ("수빈", "F", 2, 1990, 2005), ("지현", "F", 4, 1975, 1995),
    ("은지", "F", 3, 1978, 1995), ("영희", "F", 4, 1940, 1965), ("미경", "F", 3, 1955, 1975),
    ("정희", "F", 3, 1945, 1970), ("숙자", "F", 3, 1940, 1960), ("영자", "F", 4, 1940, 1960),
    ("순자", "F", 4, 1940, 1960), ("미영", "F", 3, 1960, 1980), ("현주", "F", 2.5, 1970, 1990),
    ("은영", "F", 2.5, 1968, 1985), ("혜진", "F", 3, 1975, 1995), ("지영", "F", 3.5, 1970, 1990),
    ("수진", "F", 3, 1975, 1995), ("미숙", "F", 3, 1950, 1970), ("경희", "F", 3, 1945, 1970),
    ("옥순", "F", 2, 1940, 1960), ("은정", "F", 3, 1968, 1988), ("선영", "F", 2.5, 1965, 1985),
    ("미나", "F", 1.5, 1975, 2000), ("지나", "F", 1, 1980, 2000), ("유나", "F", 1.5, 1990, 2005),
    ("하나", "F", 1, 1985, 2005), ("민아", "F", 1, 1985, 2005), ("진아", "F", 1, 1978, 1998),
    ("윤아", "F", 1, 1985, 2005),
)
# Two given names that glue into the same letters (Mi-na / Min-a).
JOINED = (("미나", "민아"), ("지나", "진아"), ("유나", "윤아"), ("하나", "한아"))


def _syllable(hangul: str, choice: str) -> Word:
    rr, mr, held = SYLLABLES[hangul]
    return Word(f"ko:{hangul}", hangul, (("passport", choice), ("rr", rr), ("mr", mr),
                                          ("popular", held[0])))


class Korean(Culture):
    key = "korean"
    label = "Korean"
    share = 0.06
    script = True
    given_first = 0.5
    regions = Table([(("kr", "KOR"), 97), (("kp", "PRK"), 3)])

    def __init__(self) -> None:
        self.surnames = Table((row, row[1]) for row in SURNAMES)

    def _given(self, rng: random.Random, sex: str, born: dt.date) -> str:
        rows = [(name, w) for name, s, w, start, end in GIVEN
                if s == sex and start <= born.year <= end]
        if not rows:
            rows = [(name, w) for name, s, w, _start, _end in GIVEN if s == sex]
        return Table(rows).pick(rng)

    def _surname(self, row: tuple, region: str, rng: random.Random) -> Word:
        hangul, _share, held, rr, mr = row
        if region == "kp" and hangul in NORTH:
            north, latin = NORTH[hangul]
            return Word(f"ko:{hangul}", north, (("passport", latin), ("rr", latin),
                                                 ("mr", latin), ("popular", latin)))
        choice = held[0] if rng.random() < 0.8 else rng.choice(held)
        return Word(f"ko:{hangul}", hangul, (("passport", choice), ("rr", rr), ("mr", mr),
                                              ("popular", held[0])))

    def _given_words(self, hangul: str, rng: random.Random, region: str) -> tuple[Word, ...]:
        words = []
        for syllable in hangul:
            held = SYLLABLES[syllable][2]
            if region == "kp":
                choice = SYLLABLES[syllable][1]
            else:
                choice = held[0] if rng.random() < 0.75 else rng.choice(held)
            words.append(_syllable(syllable, choice))
        return tuple(words)

    def draw(self, rng: random.Random, *, sex: str, born: dt.date,
             region: str | None = None, given: str | None = None) -> Person:
        if region is None:
            region, nationality = self.region(rng)
        else:
            nationality = "PRK" if region == "kp" else "KOR"
        surname = self._surname(self.surnames.pick(rng), region, rng)
        given = given or self._given(rng, sex, born)
        # North Korean documents write the syllables apart; South Korean passports
        # mostly join them, some hyphenate.
        joiner = " " if region == "kp" else pick(rng, (("", 55), ("-", 25), (" ", 20)))
        return Person(culture=self.key, region=region, sex=sex, born=born,
                      nationality=nationality, surname=(surname,),
                      given=self._given_words(given, rng, region),
                      style=(("passport", "passport"), ("joiner", joiner)))

    def other_given(self, person: Person, rng: random.Random) -> Person:
        """A sibling; Korean siblings often share a generation syllable (Min-jun,
        Min-seo): preferred when the table has one."""
        mine = "".join(w.native for w in person.given)
        sharing = [name for name, s, _w, _a, _b in GIVEN
                   if s == person.sex and name != mine and (name[0] == mine[0]
                                                             or name[1] == mine[1])]
        if sharing and rng.random() < 0.6:
            return replace(person, given=self._given_words(rng.choice(sharing), rng,
                                                           person.region))
        return super().other_given(person, rng)

    def joined_pair(self, rng: random.Random, *, sex: str, born: dt.date
                    ) -> tuple[Person, Person] | None:
        if sex != "F":
            return None
        one, two = rng.choice(JOINED)
        if rng.random() < 0.5:
            one, two = two, one
        person = self.draw(rng, sex=sex, born=born, region="kr", given=one)
        other = replace(person, given=self._given_words(two, rng, "kr"),
                        style=(("passport", "passport"), ("joiner", rng.choice(("-", " ")))))
        return replace(person, style=(("passport", "passport"), ("joiner", "-"))), other

    # --------------------------------------------------------------- spelling

    def list_schemes(self, person: Person) -> Table[str]:
        if person.region == "kp":
            return Table([("mr", 6), ("rr", 2)])
        return Table([("passport", 4), ("popular", 2), ("rr", 3), ("mr", 1)])

    def given_text(self, person: Person, scheme: str) -> str:
        syllables = [w.latin(scheme) for w in person.given]
        joiner = person.choice("joiner") if scheme == "passport" else \
            ("-" if scheme in {"rr", "mr", "popular"} else "")
        if person.region == "kp":
            joiner = " "
        if joiner == " ":
            return " ".join(capitalised(s) for s in syllables)
        return capitalised(joiner.join(syllables))

    def native(self, person: Person, rng: random.Random) -> list[str]:
        return ["".join(w.native for w in person.words())]
