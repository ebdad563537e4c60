"""An evaluation set for watchlist screening that looks like the world, made from a seed.

:func:`build` makes list entries (names by their real frequencies in ten cultures, with
aliases in the original script, partial or several birth dates, nationality and sex
sometimes known) and registry persons as passports write them, two thirds of them
listed persons with one difficulty each (another romanisation, name order, typing errors,
a short name, partial or mistyped dates, a list that has only the original script) and
a third realistic namesakes of listed persons; each person labelled with the entries that
are the same person, and put in the ``dev`` or the ``held_out`` split.

No Django and no use of the engine's own transliteration: the set measures the engine,
it is not made by it. ``python -m pora.screening.eval`` writes it as JSON.
"""

from pora.screening.eval.dataset import (
    CATEGORIES,
    ENTRIES,
    NEGATIVE,
    POSITIVE,
    QUERIES,
    SEED,
    SPLITS,
    EvalSet,
    Facts,
    Query,
    build,
    summary,
)

__all__ = ["CATEGORIES", "ENTRIES", "NEGATIVE", "POSITIVE", "QUERIES", "SEED", "SPLITS",
           "EvalSet", "Facts", "Query", "build", "summary"]
