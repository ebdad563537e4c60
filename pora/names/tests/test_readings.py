"""names.readings: the other readings of a name that the scorer and the index share."""

from __future__ import annotations

import pytest

from pora.names.readings import name_readings


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@pytest.mark.parametrize(("name", "nationalities", "reading", "kind"), [
    ("田中 宏", ("JPN",), "tanaka hiroshi", "japanese"),
    ("田中 宏", (), "tanaka hiroshi", "japanese"),  # unknown nationality: Japanese too
    ("中島みゆき", ("CHN",), "nakajima miyuki", "japanese"),  # with kana: Japanese
    ("陳大文", (), "chan tai man", "cantonese"),
    ("陳大文", ("CHN",), "chan tai man", "cantonese"),
    ("Chiang Ching-kuo", (), "jiang jing guo", "wade_giles"),
    ("Liu Te-hua", ("TWN",), "liu de hua", "wade_giles"),
    ("Misha Ivanov", (), "mikhail ivanov", "nickname"),
    ("Bob Smith", (), "robert smith", "nickname"),
    ("Mohd Rizal", ("MYS",), "muhammad rizal", "nickname"),
    ("Piet Visser", ("NLD",), "pieter visser", "nickname"),
    ("Chidi Okafor", ("NGA",), "chidiebere okafor", "nickname"),
    ("Kim Ji Eun", (), "kim chi un", "korean"),  # a Korean family name, nationality unknown
    ("Abe Zyunko", ("JPN",), "abe junko", "romanisation"),
    ("Huzita Ai", ("JPN",), "fujita ai", "romanisation"),
    ("Tkatschenko Mychajlo", ("UKR",), "tkachenko mykhaylo", "romanisation"),
    ("Semjonow Pjotr", ("RUS",), "semenov petr", "romanisation"),
    ("Gamal Maged", ("EGY",), "jamal majed", "romanisation"),
    ("Abd al-Rahman Khalil", (), "abdrahman khalil", "romanisation"),
    ("Aishatu Bello", ("NGA",), "aisha bello", "nickname"),  # the Hausa form
    ("Dick Sanchez", ("USA",), "richard sanchez", "nickname"),  # before Dickson
    ("King Sue", ("USA",), "king susan", "nickname"),  # Sue before King's readings
    ("Olawale Okafor", ("NGA",), "wale okafor", "nickname"),  # Yoruba Ola-
    ("Abdurrahman Khalil", (), "abdrahman khalil", "romanisation"),
    ("عبد الرحمن خليل", (), "bdrhmn khlyl", "romanisation"),
])
def test_a_name_has_its_reading(name, nationalities, reading, kind):
    assert (words(reading), kind) in name_readings(name, nationalities)


@pytest.mark.parametrize(("name", "nationalities", "absent"), [
    ("田中 宏", ("CHN",), "japanese"),  # a Chinese national's characters: no Japanese
    ("田中 宏", ("JPN",), "cantonese"),  # a Japanese national's: no Cantonese
    ("Wang Xiao Ming", (), "wade_giles"),  # pinyin already: no other reading
    ("Robert Smith", (), "nickname"),  # a full name stands for itself
    ("Kim Brown", ("USA",), "korean"),  # Kim of the United States is no Korean name
    ("Shuichi Chiba", ("JPN",), "romanisation"),  # Hepburn already
    ("Chernenko Mikhail", ("RUS",), "romanisation"),  # no mark of German spelling
    ("Abe Zyunko", ("CHN",), "romanisation"),  # Kunrei-shiki only for Japanese nationals
    ("Gamal Maged", ("SAU",), "romanisation"),  # a Saudi's g is a g
    ("Abdi Hassan", ("SOM",), "romanisation"),  # Abdi is no Abd- compound
])
def test_a_name_lacks_readings_of_another_kind(name, nationalities, absent):
    assert absent not in {kind for _words, kind in name_readings(name, nationalities)}


def test_readings_are_bounded_and_never_the_name_itself():
    for name in ("Bob John Bill Jim Smith", "Chang Chi Chu Chung", "田中宏"):
        found = name_readings(name)
        assert len(found) <= 8
        assert len({w for w, _kind in found}) == len(found)
        assert all(w != words(name.lower()) for w, _kind in found)
