"""Name similarity for registry search: typo- and order-tolerant, explainable.

Passport names reach officers in any order ("WANG XIAO MING", "Xiaoming Wang") and with
given names split or joined. A name is compared as tokens: every query token looks for
its best counterpart among the candidate's tokens and the other way round, so a missing
or extra name costs as much as a misspelt one.
"""

from __future__ import annotations

from itertools import combinations

from rapidfuzz import fuzz

ALTERNATIVE_SEPARATOR = "|"


def join_variants(tokens: list[str]) -> list[list[str]]:
    """``["xiao", "ming", "wang"]`` also as ``["xiaoming", "wang"]``, ``["xiao", "mingwang"]`` …"""
    variants = [tokens]
    # Short names try every way of joining; long ones (Malay "X BIN Y Z") only one join
    # at a time, or the variants would grow as 2^n.
    max_joins = len(tokens) - 1 if len(tokens) <= 4 else 1
    if 1 < len(tokens) <= 8:
        for n_joins in range(1, max_joins + 1):
            for joins in combinations(range(len(tokens) - 1), n_joins):
                out, current = [], tokens[0]
                for i, token in enumerate(tokens[1:]):
                    if i in joins:
                        current += token
                    else:
                        out.append(current)
                        current = token
                out.append(current)
                variants.append(out)
    return variants


def _directed(a: list[str], b: list[str]) -> float:
    return sum(max(fuzz.ratio(x, y) for y in b) for x in a) / len(a)


def token_similarity(a: list[str], b: list[str]) -> float:
    """0–100; the weaker direction decides, so extra or missing names lower the score."""
    if not a or not b:
        return 0.0
    return min(_directed(a, b), _directed(b, a))


def name_similarity(query: str, key: str) -> float:
    """Best similarity of a folded query to any alternative in a person's search key."""
    query_variants = join_variants(query.split())
    best = 0.0
    for alternative in key.split(ALTERNATIVE_SEPARATOR):
        candidate = alternative.split()
        for variant in query_variants:
            score = token_similarity(variant, candidate)
            if score > best:
                best = score
                if best == 100.0:
                    return best
    return best
