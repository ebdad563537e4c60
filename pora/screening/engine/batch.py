"""``pora screen``: a watchlist file against a file of persons, without a database.

    pora screen --watchlist LIST --input PERSONS --output HITS.csv
                [--threshold 80] [--workers N] [--date YYYY-MM-DD]

The watchlist is a FollowTheMoney JSON lines file or the CSV/XLSX template; the persons a
CSV/XLSX (``id,name,birth_date,nationality,passport_number,sex``) or FollowTheMoney lines.
HITS.csv gets one row per person and entry at or above the threshold: ``input_id,
entity_id, score, reasons``. Rows either file rejects are listed on stderr; the exit
status is 1 when there were any, 2 when a file cannot be read at all, 0 otherwise.

With several workers the index is built once and shared by forked processes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from pora.screening.engine.index import Index, Screener
from pora.screening.engine.readers import (
    FileError,
    ParsedEntry,
    RowError,
    read_persons,
    read_watchlist,
)
from pora.screening.engine.records import Record
from pora.screening.engine.score import DEFAULT_THRESHOLD, Match

HEADER = ["input_id", "entity_id", "score", "reasons"]
# Persons handed to a worker at a time, and chunks in flight per worker: enough to keep
# every worker busy, few enough that a file of a million persons is never all in memory.
CHUNK = 500
IN_FLIGHT = 4
# Rejected rows listed on stderr per file; the count covers them all.
SHOWN_REJECTED = 1000


class Rejections:
    """Counts a file's rejected rows and lists the first ones on stderr."""

    def __init__(self, label: str, err: TextIO):
        self.label = label
        self.err = err
        self.count = 0

    def add(self, error: RowError) -> None:
        self.count += 1
        if self.count <= SHOWN_REJECTED:
            self.err.write(f"{self.label}: {error}\n")

    def summary(self) -> None:
        if self.count > SHOWN_REJECTED:
            self.err.write(f"{self.label}: {self.count - SHOWN_REJECTED:,} more rejected rows "
                           f"not listed\n")


def build_index(items: Iterable[ParsedEntry | RowError], rejected: Rejections) -> Index:
    index = Index()
    for item in items:
        if isinstance(item, RowError):
            rejected.add(item)
            continue
        record = item.record
        record.extra.update(valid_from=item.valid_from, valid_until=item.valid_until)
        index.add(record)
    index.settle()
    return index


def hit_rows(query: Record, matches: list[Match]) -> list[list[str]]:
    return [[query.id, match.entry_id, str(match.score),
             "; ".join(reason.text for reason in match.reasons)] for match in matches]


# Set in the parent before the workers fork: they share the index copy-on-write.
_SCREENER: Screener | None = None
_ON: dt.date | None = None


def _screen_chunk(chunk: list[Record]) -> list[list[str]]:
    rows = []
    for query, matches in _SCREENER.screen_many(chunk, on=_ON):
        rows.extend(hit_rows(query, matches))
    return rows


class _Feed:
    """The persons file in chunks of :data:`CHUNK` records; rejected rows are reported and
    left out, the records counted."""

    def __init__(self, persons: Iterable[Record | RowError], rejected: Rejections) -> None:
        self.persons = persons
        self.rejected = rejected
        self.count = 0

    def __iter__(self) -> Iterator[list[Record]]:
        chunk: list[Record] = []
        for item in self.persons:
            if isinstance(item, RowError):
                self.rejected.add(item)
                continue
            self.count += 1
            chunk.append(item)
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def screen_all(screener: Screener, persons: Iterable[Record | RowError], *, on: dt.date,
               workers: int, rejected: Rejections, writer) -> tuple[int, int]:
    """Screens every person, writing hit rows as they come; (persons, hits)."""
    feed = _Feed(persons, rejected)
    hits = 0
    for rows in _screened(screener, feed, on=on, workers=workers):
        writer.writerows(rows)
        hits += len(rows)
    return feed.count, hits


def _screened(screener: Screener, chunks: Iterable[list[Record]], *, on: dt.date,
              workers: int) -> Iterator[list[list[str]]]:
    """The hit rows of each chunk, in order: in this process, or by forked workers with
    a few chunks in flight each."""
    global _SCREENER, _ON
    _SCREENER, _ON = screener, on
    try:
        if workers <= 1:
            for chunk in chunks:
                yield _screen_chunk(chunk)
            return
        # The index is read, never freed, by the workers: out of the collector's sight
        # they neither walk it nor copy its pages by touching their headers.
        gc.freeze()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending: deque = deque()
            for chunk in chunks:
                pending.append(pool.apply_async(_screen_chunk, (chunk,)))
                if len(pending) >= workers * IN_FLIGHT:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        _SCREENER = _ON = None
        gc.unfreeze()


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from None


def _whole(low: int, high: int | None, what: str):
    """An argparse type: a whole number from ``low`` to ``high`` (None: no upper bound)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = low - 1
        if number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"'{value}' is not {what}")
        return number

    return parse


_threshold = _whole(0, 100, "a score from 0 to 100")
_workers = _whole(1, None, "a number of processes (1 or more)")


def main(argv: list[str] | None = None, *, out: TextIO | None = None) -> int:
    err = out or sys.stderr
    parser = argparse.ArgumentParser(
        prog="pora screen",
        description="Screen a file of persons against a watchlist file, without a database.")
    parser.add_argument("--watchlist", type=Path, required=True,
                        help="FollowTheMoney JSON lines, or the CSV/XLSX watchlist template")
    parser.add_argument("--input", type=Path, required=True,
                        help="persons: CSV/XLSX (id,name,birth_date,nationality,"
                             "passport_number,sex) or FollowTheMoney JSON lines")
    parser.add_argument("--output", type=Path, required=True, help="HITS.csv to write")
    parser.add_argument("--threshold", type=_threshold, default=DEFAULT_THRESHOLD,
                        help=f"lowest score reported (default {DEFAULT_THRESHOLD})")
    parser.add_argument("--workers", type=_workers, default=os.cpu_count() or 1,
                        help="processes screening in parallel (default: one per CPU)")
    parser.add_argument("--date", type=_date, default=None,
                        help="entries not valid on this day are skipped (default: today)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    on = args.date or dt.date.today()
    try:
        watchlist_data = args.watchlist.read_bytes()
        persons_data = args.input.read_bytes()
    except OSError as exc:
        err.write(f"pora screen: {exc.filename}: {exc.strerror}\n")
        return 2
    list_rejected = Rejections(args.watchlist.name, err)
    person_rejected = Rejections(args.input.name, err)
    try:
        # An age ("45") is dated from today, whatever day the validity is checked for.
        entries = read_watchlist(watchlist_data, args.watchlist.name)
    except FileError as exc:
        err.write(f"pora screen: {args.watchlist}: {exc.message}\n")
        return 2
    index = build_index(entries, list_rejected)
    del watchlist_data
    try:
        persons = read_persons(persons_data, args.input.name)
    except FileError as exc:
        err.write(f"pora screen: {args.input}: {exc.message}\n")
        return 2
    screener = Screener(index, args.threshold)
    try:
        with args.output.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            screened, hits = screen_all(screener, persons, on=on, workers=args.workers,
                                        rejected=person_rejected, writer=writer)
    except OSError as exc:
        err.write(f"pora screen: {exc.filename or args.output}: {exc.strerror}\n")
        return 2
    except FileError as exc:
        err.write(f"pora screen: {args.input}: {exc.message}\n")
        return 2
    list_rejected.summary()
    person_rejected.summary()
    rejected = list_rejected.count + person_rejected.count
    err.write(f"{len(index):,} entries, {screened:,} persons, {hits:,} hits, "
              f"{rejected:,} rejected rows ({list_rejected.count:,} in the watchlist, "
              f"{person_rejected.count:,} in the persons), "
              f"{time.perf_counter() - started:.1f} s\n")
    if rejected:
        err.write(f"pora screen: {rejected:,} rows were rejected\n")
        return 1
    return 0
