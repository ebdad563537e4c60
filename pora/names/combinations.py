"""The likeliest combinations of per-part alternatives, without listing them all.

A name's readings combine one alternative per syllable or word (Ching → jing or qing, Kuo →
guo or kuo); each part's alternatives come likeliest first. Listing the whole product
and sorting it grows as the product of the choices, which a long or odd name (a company
written in Wade-Giles syllables, a row of kana words) would make huge; a best-first walk
yields the first few in order at the cost of those few.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence


def ranked_combinations(options: Sequence[Sequence[str]]) -> Iterator[tuple[str, ...]]:
    """One alternative per part, in order of the sum of the chosen positions.

    ``[("jiang", "qiang"), ("jing", "qing")]`` gives ``("jiang", "jing")`` first, then the
    two with one second choice, then ``("qiang", "qing")``. Ties go in index order, so the
    result is deterministic. Nothing when a part has no alternative.
    """
    if not options or any(not o for o in options):
        return
    start = (0,) * len(options)
    heap = [(0, start)]
    seen = {start}
    while heap:
        total, combo = heapq.heappop(heap)
        yield tuple(o[i] for o, i in zip(options, combo, strict=True))
        for part, index in enumerate(combo):
            if index + 1 < len(options[part]):
                following = (*combo[:part], index + 1, *combo[part + 1:])
                if following not in seen:
                    seen.add(following)
                    heapq.heappush(heap, (total + 1, following))
