"""Precision and recall of the scorer on the hand-labelled pairs, at the default threshold."""

from __future__ import annotations

from pora.screening.engine.score import DEFAULT_THRESHOLD
from pora.screening.tests.pairs import PAIRS, evaluate

RECALL_MIN = 0.98
PRECISION_MIN = 0.95


def test_labelled_set_is_large_and_balanced():
    matches = sum(pair.match for pair in PAIRS)
    assert len(PAIRS) >= 150
    assert 0.5 <= matches / len(PAIRS) <= 0.6


def test_default_threshold_is_80():
    assert DEFAULT_THRESHOLD == 80


def test_scorer_finds_the_labelled_matches_and_little_else():
    quality = evaluate(DEFAULT_THRESHOLD)
    report = "\n".join(quality.misclassified())
    assert quality.recall >= RECALL_MIN, (
        f"recall {quality.recall:.3f} < {RECALL_MIN}, precision {quality.precision:.3f}\n{report}")
    assert quality.precision >= PRECISION_MIN, (
        f"precision {quality.precision:.3f} < {PRECISION_MIN}, recall {quality.recall:.3f}\n"
        f"{report}")
