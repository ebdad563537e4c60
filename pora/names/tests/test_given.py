"""names.given: the sex listed given names show, and two common names told apart."""

from __future__ import annotations

import pytest

from pora.names.gender import name_sex
from pora.names.given import _table, other_given_names, sex_of_given_names


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("rajesh", "rakesh", True),
    ("michael", "michelle", True),
    ("harpreet", "gurpreet", True),
    ("pradeep", "pradip", False),  # two spellings of one name
    ("rajesh", "rajesj", False),  # a misspelling the table does not know
    ("mikhail", "michael", True),  # cognates are other names, as in names.hypocorisms
])
def test_two_listed_given_names_are_two_names(a, b, expected):
    assert other_given_names(a, b) is expected


@pytest.mark.parametrize(("tokens", "expected"), [
    (("stephanie", "karen", "walker"), "F"),
    (("amina", "said", "haddad"), "F"),  # a woman's name beside her father's
    (("mohammed", "hassan", "ali"), "M"),
    (("nour", "hassan", "salem"), ""),  # her own name unlisted: no man is inferred
    (("sandrine", "robert"), ""),  # a family name that is a man's given name
    (("wang", "juan"), ""),  # Juan is a man in Spanish, 娟 a woman in Chinese: unlisted
])
def test_the_sex_listed_given_names_show(tokens, expected):
    assert sex_of_given_names(tokens) == expected


def test_a_slavic_ending_still_decides_before_given_names():
    assert name_sex(("aleksandr", "volkov")) == "M"
    assert name_sex(("michelle", "miller")) == "F"


def test_each_spelling_is_on_one_line_and_each_line_has_a_sex():
    table = _table()
    assert len(table) > 300
    assert {sex for _line, sex in table.values()} == {"M", "F"}
