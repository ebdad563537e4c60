"""``pora bench screening --quality``: the screening engine on the evaluation set
(:mod:`pora.screening.eval`), beside a reference scorer and a plain baseline.

Our engine runs end to end: an :class:`~pora.screening.engine.index.Index` of the list
entries, ``Screener.screen(person, threshold=60, limit=None)`` for every registry
person; every hit at or above a threshold counts. The reference scorers compare pairs,
so they get the same candidate pairs, a generous blocking (see :func:`blocking`):

* nomenklatura's logic-v2 (OpenSanctions' matcher), when the optional ``reference``
  extra is installed; its scores (0-1) are scaled ×100;
* rapidfuzz's ``token_sort_ratio`` of the names (anyascii-folded), the best alias: the
  baseline any list-screening product starts from. It reads names only.

At a threshold ``t``: a listed person is *found* when one of its true entries scores
``t`` or more (recall = found / listed persons); precision = true (person, entry) hits /
all hits at ``t`` or more, over every person of the split. Each split (dev, held_out)
is reported alone; the targets are the held-out split's, at each scorer's default
threshold.
"""

from __future__ import annotations

import logging
import os
import platform
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from anyascii import anyascii
from rapidfuzz import fuzz, process

from pora.bench.harness import Result
from pora.screening.engine.index import Index, Screener
from pora.screening.engine.records import Record, country_alpha3
from pora.screening.engine.score import DEFAULT_THRESHOLD
from pora.screening.eval import (
    CATEGORIES,
    ENTRIES,
    POSITIVE,
    QUERIES,
    SEED,
    SPLITS,
    EvalSet,
    Query,
    build,
)
from pora.screening.eval import summary as set_summary
from pora.screening.eval.cultures import CULTURES

RECALL_MIN = 0.98
PRECISION_MIN = 0.96
THRESHOLDS = tuple(range(60, 100, 5))
FLOOR = 60
# Blocking for the pair scorers: the best this many entries by name, and every entry of
# the same nationality born within a year.
BLOCK = 30
BLOCK_YEARS = 1
# yente, the API OpenSanctions serves logic-v2 behind, flags at 0.70 (SCORE_THRESHOLD in
# yente/settings.py); nomenklatura itself defines no threshold.
LOGIC_V2_THRESHOLD = 0.70
EXAMPLES = 8


@dataclass
class Scored:
    """One scorer's scores: query id → entry id → score (0-100)."""

    label: str
    threshold: float
    scores: dict[str, dict[str, float]]
    seconds: float
    how: str


@dataclass
class Figures:
    threshold: float
    listed: int
    found: int
    hits: int
    true_hits: int

    @property
    def recall(self) -> float:
        return self.found / self.listed if self.listed else 1.0

    @property
    def precision(self) -> float:
        return self.true_hits / self.hits if self.hits else 1.0


def figures(queries: Iterable[Query], scores: dict[str, dict[str, float]],
            threshold: float) -> Figures:
    listed = found = hits = true_hits = 0
    for query in queries:
        mine = scores.get(query.record.id, {})
        flagged = [entry for entry, score in mine.items() if score >= threshold]
        hits += len(flagged)
        true_hits += sum(entry in query.truth for entry in flagged)
        if query.positive:
            listed += 1
            found += any(entry in query.truth for entry in flagged)
    return Figures(threshold, listed, found, hits, true_hits)


def category_rates(queries: Iterable[Query], scores: dict[str, dict[str, float]],
                   threshold: float) -> dict[str, tuple[int, float]]:
    """Per category: (queries, rate) — for listed persons the share found, for
    namesakes the share with any hit (a false hit)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for query in queries:
        mine = scores.get(query.record.id, {})
        if query.positive:
            good = any(mine.get(entry, 0) >= threshold for entry in query.truth)
        else:
            good = any(score >= threshold for score in mine.values())
        counts[query.category][0] += 1
        counts[query.category][1] += good
    return {c: (n, k / n) for c, (n, k) in counts.items()}


# ------------------------------------------------------------------------------ scorers


def ours(data: EvalSet) -> Scored:
    started = time.perf_counter()
    index = Index()
    for entry in data.entries:
        index.add(entry)
    index.settle()
    screener = Screener(index, FLOOR)
    scores = {q.record.id: {m.entry_id: float(m.score)
                            for m in screener.screen(q.record, threshold=FLOOR, limit=None)}
              for q in data.queries}
    return Scored("pora engine", DEFAULT_THRESHOLD, scores, time.perf_counter() - started,
                  f"an Index of the entries, Screener.screen(threshold={FLOOR}, "
                  "limit=None) for each person: retrieval and scoring end to end")


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(name: str) -> str:
    """Any script in Latin letters (anyascii), lower case, words apart."""
    return _NOT_ALNUM.sub(" ", anyascii(name).lower()).strip()


@dataclass
class Blocks:
    pairs: dict[str, list[str]]  # query id → candidate entry ids
    names: dict[str, dict[str, float]]  # query id → entry id → token_sort_ratio
    seconds: float


def blocking(data: EvalSet) -> Blocks:
    """For each person, the :data:`BLOCK` entries whose best alias has the highest
    rapidfuzz token_sort_ratio with the person's name (both anyascii-folded), and every
    entry of the person's nationality born within :data:`BLOCK_YEARS` year of them."""
    started = time.perf_counter()
    aliases, owners = [], []
    for n, entry in enumerate(data.entries):
        for name in entry.names:
            aliases.append(fold(name))
            owners.append(n)
    starts = np.searchsorted(np.asarray(owners), np.arange(len(data.entries)))
    by_birth: dict[tuple[str, int], set[int]] = defaultdict(set)
    for n, entry in enumerate(data.entries):
        for nationality in entry.nationalities:
            for year in {d.year for d in entry.birth_dates}:
                by_birth[nationality, year].add(n)
    pairs: dict[str, list[str]] = {}
    names: dict[str, dict[str, float]] = {}
    queries = list(data.queries)
    block = min(BLOCK, len(data.entries) - 1)
    for first in range(0, len(queries), 256):
        chunk = queries[first:first + 256]
        matrix = process.cdist([fold(q.record.names[0]) for q in chunk], aliases,
                               scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=1)
        best = np.maximum.reduceat(matrix, starts, axis=1)
        top = np.argpartition(-best.astype(np.int16), block, axis=1)[:, :block]
        for row, query in enumerate(chunk):
            chosen = set(top[row].tolist())
            born = query.record.birth_dates[0].year
            for year in range(born - BLOCK_YEARS, born + BLOCK_YEARS + 1):
                chosen |= by_birth.get((query.record.nationalities[0], year), set())
            ordered = sorted(chosen)
            pairs[query.record.id] = [data.entries[n].id for n in ordered]
            names[query.record.id] = {data.entries[n].id: float(best[row, n])
                                      for n in ordered}
    return Blocks(pairs, names, time.perf_counter() - started)


def rapidfuzz_baseline(blocks: Blocks) -> Scored:
    return Scored("rapidfuzz token_sort_ratio", DEFAULT_THRESHOLD, blocks.names,
                  blocks.seconds,
                  "token_sort_ratio of the anyascii-folded names, best alias; names only; "
                  f"threshold {DEFAULT_THRESHOLD} (ours, for want of its own)")


def reference_available() -> bool:
    try:
        import nomenklatura.matching  # noqa: F401
    except ImportError:
        return False
    return True


def _entity(record: Record, prefix: str, model):
    """A Record as a FollowTheMoney Person: names, birth dates, nationalities (ISO
    alpha-2, as FollowTheMoney has them), gender, passport numbers."""
    import pycountry

    entity = model.make_entity("Person")
    entity.id = f"{prefix}-{record.id}"
    entity.add("name", list(record.names))
    entity.add("birthDate", [str(d).lstrip("~") for d in record.birth_dates])
    for code in record.nationalities:
        country = pycountry.countries.get(alpha_3=country_alpha3(code) or code)
        if country is not None:
            entity.add("nationality", country.alpha_2.lower())
    if record.sex:
        entity.add("gender", "male" if record.sex == "M" else "female")
    if record.documents:
        entity.add("passportNumber", list(record.documents))
    return entity


def logic_v2(data: EvalSet, blocks: Blocks) -> Scored:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    logging.getLogger("followthemoney").setLevel(logging.ERROR)
    logging.getLogger("nomenklatura").setLevel(logging.ERROR)
    algorithm = get_algorithm("logic-v2")
    config = algorithm.default_config()
    threshold = getattr(algorithm, "THRESHOLD", None) or LOGIC_V2_THRESHOLD
    started = time.perf_counter()
    entries = {e.id: _entity(e, "entry", model) for e in data.entries}
    scores: dict[str, dict[str, float]] = {}
    for query in data.queries:
        person = _entity(query.record, "query", model)
        scores[query.record.id] = {
            entry_id: algorithm.compare(person, entries[entry_id], config).score * 100
            for entry_id in blocks.pairs[query.record.id]}
    return Scored("logic-v2", threshold * 100, scores, time.perf_counter() - started,
                  "FollowTheMoney Person entities (names, birth dates, nationalities, "
                  "gender, passport numbers), each blocked pair compared, score ×100; "
                  f"threshold {threshold:.2f} (yente's SCORE_THRESHOLD: nomenklatura "
                  "defines none)")


# ------------------------------------------------------------------------------ report


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def _versions(reference: bool) -> str:
    from importlib.metadata import version

    names = ["rapidfuzz", "anyascii"] + (["nomenklatura", "followthemoney"] if reference else [])
    return ", ".join(f"{name} {version(name)}" for name in names)


def describe(data: EvalSet, seconds: float, out) -> None:
    facts = set_summary(data)
    entries = facts["entries"]

    def share(n: int) -> str:
        return f"{n / entries * 100:.0f}%"

    cultures = ", ".join(f"{CULTURES[c].label} {share(n)}"
                         for c, n in facts["cultures"].most_common())
    dates = ", ".join(f"{kind.replace('_', '-')} {share(facts['dates'][kind])}"
                      for kind in ("full", "year_month", "year", "several", "missing"))
    out.write(f"Evaluation set (pora.screening.eval, seed {data.seed}, generated in "
              f"{seconds:.1f} s): {entries:,} list entries, {facts['queries']:,} registry "
              f"persons ({facts['positives']:,} listed, "
              f"{facts['queries'] - facts['positives']:,} namesakes), split "
              + " / ".join(f"{s} {facts['splits'][s]:,}" for s in SPLITS))
    out.write(f"  entries: {facts['aliases']:.1f} aliases each, {share(facts['script'])} "
              f"with a name in its original script; birth date {dates}; nationality known "
              f"{share(facts['nationality_known'])}, sex {share(facts['sex_known'])}, a "
              f"document {share(facts['documents'])}")
    out.write(f"  cultures: {cultures}")
    out.write("  persons by category (dev / held_out): " + ", ".join(
        f"{c} {_count(data, c, 'dev')}/{_count(data, c, 'held_out')}" for c in CATEGORIES))


def _count(data: EvalSet, category: str, split: str) -> int:
    return sum(q.category == category and q.split == split for q in data.queries)


def _split_report(split: str, queries: list[Query], scorers: list[Scored], out) -> None:
    listed = sum(q.positive for q in queries)
    out.write("")
    out.write(f"{split}: {len(queries):,} persons ({listed:,} listed, "
              f"{len(queries) - listed:,} namesakes)")
    out.write("")
    out.write("| scorer | threshold | recall | precision | hits | false hits |")
    out.write("|---|---:|---:|---:|---:|---:|")
    for s in scorers:
        f = figures(queries, s.scores, s.threshold)
        out.write(f"| {s.label} | {s.threshold:g} | {_pct(f.recall)} | {_pct(f.precision)} "
                  f"| {f.hits:,} | {f.hits - f.true_hits:,} |")
    out.write("")
    out.write("Recall / precision by threshold:")
    out.write("")
    out.write("| threshold | " + " | ".join(s.label for s in scorers) + " |")
    out.write("|---:|" + "---:|" * len(scorers))
    for t in THRESHOLDS:
        cells = []
        for s in scorers:
            f = figures(queries, s.scores, t)
            cells.append(f"{_pct(f.recall)} / {_pct(f.precision)}")
        out.write(f"| {t} | " + " | ".join(cells) + " |")
    out.write("")
    out.write("By category, each scorer at its default threshold (listed persons: share "
              "found; namesakes: share with a false hit):")
    out.write("")
    out.write("| category | persons | " + " | ".join(s.label for s in scorers) + " |")
    out.write("|---|---:|" + "---:|" * len(scorers))
    rates = [category_rates(queries, s.scores, s.threshold) for s in scorers]
    for category in CATEGORIES:
        if category not in rates[0]:
            continue
        kind = "found" if category in POSITIVE else "false hit"
        n = rates[0][category][0]
        out.write(f"| {category} ({kind}) | {n} | "
                  + " | ".join(_pct(r[category][1]) for r in rates) + " |")


def _examples(data: EvalSet, queries: list[Query], scored: Scored, out) -> None:
    """A few of our misses and false hits, from dev only: nobody tunes to held_out."""
    from pora.screening.engine.score import compare

    t = scored.threshold
    missed = [q for q in queries if q.positive
              and not any(scored.scores[q.record.id].get(e, 0) >= t for e in q.truth)]
    wrong = [(q, e) for q in queries for e, s in scored.scores[q.record.id].items()
             if s >= t and e not in q.truth]
    out.write("")
    out.write(f"Examples from dev (held_out is not shown, so that nobody tunes to it): "
              f"{len(missed)} listed persons missed, {len(wrong)} false hits at {t:g}")
    for q in missed[:EXAMPLES]:
        entry = data.entry(q.truth[0])
        score = scored.scores[q.record.id].get(q.truth[0])
        out.write(f"  missed ({q.category}): {_show(q.record)} ~ {_show(entry)}: "
                  + (f"{score:g}" if score is not None
                     else f"not retrieved ({compare(q.record, entry).score} by compare)"))
    for q, entry_id in wrong[:EXAMPLES]:
        out.write(f"  false hit ({q.category}): {_show(q.record)} ~ "
                  f"{_show(data.entry(entry_id))}: {scored.scores[q.record.id][entry_id]:g}")


def _show(record: Record) -> str:
    dates = ", ".join(str(d) for d in record.birth_dates) or "no date"
    facts = " ".join(p for p in (dates, "/".join(record.nationalities), record.sex) if p)
    return f"{' | '.join(record.names)} ({facts})"


def run(out, *, entries: int = ENTRIES, queries: int = QUERIES, seed: int = SEED,
        reference: str = "auto") -> list[Result]:
    """The evaluation, printed; the held-out split's figures as results. ``reference``
    is "auto" (logic-v2 when nomenklatura is installed), "logic-v2" or "rapidfuzz"."""
    started = time.perf_counter()
    data = build(seed=seed, entries=entries, queries=queries)
    describe(data, time.perf_counter() - started, out)
    if reference not in {"auto", "logic-v2", "rapidfuzz"}:
        raise ValueError(f"unknown reference scorer {reference!r}")
    if reference == "logic-v2" and not reference_available():
        raise RuntimeError("logic-v2 is not installed: uv sync --extra reference")
    use_logic = reference == "logic-v2" or (reference == "auto" and reference_available())
    out.write(f"Machine: {_machine()}; {_versions(use_logic)}")
    scorers = [ours(data)]
    blocks = blocking(data)
    if use_logic:
        scorers.append(logic_v2(data, blocks))
    scorers.append(rapidfuzz_baseline(blocks))
    listed = [q for q in data.queries if q.positive]
    out.write(f"Blocking for the pair scorers: per person the {BLOCK} entries whose best "
              "alias has the highest rapidfuzz token_sort_ratio with the person's name "
              "(anyascii-folded), and every entry of the person's nationality born within "
              f"{BLOCK_YEARS} year; {sum(map(len, blocks.pairs.values())) / len(data.queries):.0f}"
              " entries a person on average; it holds a true entry for "
              + ", ".join(f"{_pct(_blocked(blocks, [q for q in listed if q.split == s]))} "
                          f"of the listed persons ({s})" for s in SPLITS))
    if not use_logic:
        out.write("Reference: logic-v2 is not installed (uv sync --extra reference): the "
                  "rapidfuzz baseline stands in for it.")
    for s in scorers:
        out.write(f"  {s.label}: {s.how}; {s.seconds:.1f} s")
    for split in SPLITS:
        _split_report(split, list(data.split(split)), scorers, out)
    _examples(data, list(data.split("dev")), scorers[0], out)
    reference_scorer = scorers[1]
    held_out = list(data.split("held_out"))
    mine = figures(held_out, scorers[0].scores, scorers[0].threshold)
    theirs = figures(held_out, reference_scorer.scores, reference_scorer.threshold)
    out.write("")
    out.write(f"Targets (held_out, each scorer at its default threshold): recall ≥ "
              f"{RECALL_MIN:.0%}, precision ≥ {PRECISION_MIN:.0%}, and neither below "
              f"{reference_scorer.label}'s. Took {time.perf_counter() - started:.0f} s.")
    label = reference_scorer.label
    return [
        Result(f"evalset held_out: recall at {DEFAULT_THRESHOLD}", mine.recall * 100,
               RECALL_MIN * 100, "%", lower_is_better=False),
        Result(f"evalset held_out: precision at {DEFAULT_THRESHOLD}", mine.precision * 100,
               PRECISION_MIN * 100, "%", lower_is_better=False),
        Result(f"evalset held_out: recall ≥ {label}'s", mine.recall * 100,
               theirs.recall * 100, "%", lower_is_better=False,
               note=f"{label} {_pct(theirs.recall)} at {reference_scorer.threshold:g}"),
        Result(f"evalset held_out: precision ≥ {label}'s", mine.precision * 100,
               theirs.precision * 100, "%", lower_is_better=False,
               note=f"{label} {_pct(theirs.precision)} at {reference_scorer.threshold:g}"),
    ]


def _blocked(blocks: Blocks, listed: list[Query]) -> float:
    if not listed:
        return 1.0
    return sum(any(e in set(blocks.pairs[q.record.id]) for e in q.truth)
               for q in listed) / len(listed)

