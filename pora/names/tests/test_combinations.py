"""Best-first combinations of per-part alternatives: order, ties, and long names."""

from __future__ import annotations

import itertools

import pytest

from pora.names.combinations import ranked_combinations

CASES = [
    ([("a",)], [("a",)]),
    ([("a", "b"), ("x", "y")], [("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")]),
    ([("a", "b", "c"), ("x",)], [("a", "x"), ("b", "x"), ("c", "x")]),
    ([("a",), ()], []),  # a part with nothing to offer: no combination
    ([], []),
]


@pytest.mark.parametrize(("options", "expected"), CASES)
def test_combinations_come_likeliest_first(options, expected):
    assert list(ranked_combinations(options)) == expected


def test_a_long_name_yields_its_first_combinations_without_listing_all():
    options = [("jing", "qing", "x", "y")] * 40  # 4**40 combinations in all
    first = list(itertools.islice(ranked_combinations(options), 8))
    assert first[0] == ("jing",) * 40
    assert len(set(first)) == 8
