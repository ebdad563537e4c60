"""Hypocorisms: short and familiar forms meet the names they stand for, and nothing else."""

from __future__ import annotations

import pytest

from pora.names.nicknames import are_hypocorisms, name_groups

GROUPS = [
    # (token, groups it must be in, groups it must not be in)
    ("mikhail", {"mikhail"}, set()),
    ("michail", {"mikhail"}, set()),
    ("misha", {"mikhail"}, {"mariia"}),
    ("masha", {"mariia"}, {"mikhail"}),
    ("sasha", {"aleksandr", "aleksandra"}, set()),
    ("bob", {"robert"}, set()),
    ("robert", {"robert"}, set()),
    ("mohd", {"muhammad"}, set()),
    ("muhd", {"muhammad"}, set()),
    ("md", {"muhammad"}, set()),
    ("mhd", {"muhammad"}, set()),
    ("abd", {"abdul"}, set()),
    ("hans", {"johannes"}, set()),
    ("pepe", {"jose"}, set()),
    ("josé", {"jose"}, set()),
    ("paco", {"francisco"}, set()),
    ("beppe", {"giuseppe"}, set()),
    ("alex", {"aleksandr"}, set()),  # the package's alexander joins PORA's group
    ("john", {"john"}, {"ivan", "johannes"}),  # cognates are not hypocorisms
]


@pytest.mark.parametrize(("token", "inside", "outside"), GROUPS, ids=[g[0] for g in GROUPS])
def test_name_groups(token, inside, outside):
    groups = name_groups(token)
    assert inside <= groups
    assert not outside & groups


@pytest.mark.parametrize("token", ["xyzzy", "lee", "chan", "wen", "ze", ""])
def test_tokens_in_no_group(token):
    # lee, chan, wen: English nicknames too rare to outweigh the Chinese name syllables.
    assert name_groups(token) == frozenset()


HYPOCORISMS = [
    # English
    ("bob", "robert", True), ("bill", "william", True), ("dick", "richard", True),
    ("peggy", "margaret", True), ("jim", "james", True), ("liz", "elizabeth", True),
    ("jack", "john", True), ("tony", "anthony", True),
    # Russian and Ukrainian, with their transliterations
    ("misha", "mikhail", True), ("misha", "mykhailo", True), ("sasha", "aleksandr", True),
    ("sasha", "alexander", True), ("sasha", "oleksandra", True), ("kolya", "nikolai", True),
    ("kolya", "mykola", True), ("dima", "dmitrii", True), ("dima", "dmitry", True),
    ("volodya", "vladimir", True), ("vova", "volodymyr", True), ("seryozha", "sergei", True),
    ("lyosha", "aleksei", True), ("zhenya", "evgenii", True), ("zhenya", "yevgeniya", True),
    ("natasha", "natalya", True), ("masha", "maria", True), ("tanya", "tatiana", True),
    ("katya", "ekaterina", True), ("olya", "olga", True), ("sveta", "svetlana", True),
    ("yura", "yuriy", True), ("yura", "iurii", True), ("tolya", "anatoly", True),
    ("vanya", "ivan", True), ("petya", "pyotr", True), ("kostya", "konstantin", True),
    ("alex", "oleksandr", True),
    # Arabic, Malay, Indonesian
    ("mohd", "muhammad", True), ("md", "mohammed", True), ("muhd", "mohamad", True),
    ("mhd", "mohammad", True), ("moch", "mochammad", True), ("abd", "abdul", True),
    # German, Dutch, Spanish, Italian, Portuguese
    ("hans", "johannes", True), ("fritz", "friedrich", True), ("kees", "cornelis", True),
    ("pepe", "jose", True), ("paco", "francisco", True), ("beppe", "giuseppe", True),
    ("gianni", "giovanni", True), ("nacho", "ignacio", True),
    # Not hypocorisms
    ("misha", "masha", False), ("sasha", "natasha", False), ("bob", "william", False),
    ("mohd", "ahmad", False), ("robert", "robert", False), ("john", "ivan", False),
    ("hans", "john", False), ("lee", "shirley", False), ("xyzzy", "robert", False),
]


@pytest.mark.parametrize(("a", "b", "expected"), HYPOCORISMS, ids=[f"{a}-{b}" for a, b, _ in HYPOCORISMS])
def test_are_hypocorisms_both_ways(a, b, expected):
    assert are_hypocorisms(a, b) is expected
    assert are_hypocorisms(b, a) is expected
