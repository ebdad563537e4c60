"""Screening benchmark: ``pora bench screening``.

Parts (``--only`` picks some; sizes are options, the defaults are the targets' sizes):

* **quality**: precision and recall of the scorer on the hand-labelled pairs
  (:mod:`pora.screening.tests.pairs`) at the default threshold.
* **evalset**: the engine end to end on the generated evaluation set
  (:mod:`pora.screening.eval`: ``--eval-entries`` list entries, ``--eval-queries``
  registry persons, dev and held_out splits) beside nomenklatura's logic-v2 (when the
  ``reference`` extra is installed) and a rapidfuzz baseline: recall and precision at the
  default threshold, the curve over thresholds, and per category
  (:mod:`pora.bench.screening_eval`). ``--quality`` runs this part and the one above.
* **single**: a synthetic watchlist (``--entries``, 100,000, about three aliases each,
  see :mod:`pora.bench.screening_data`) indexed in this process; ``--queries`` persons
  screened one after the other on one core, a third of them variants of listed persons:
  latency percentiles, index build time and the memory it takes.
* **api**: the same entries bulk-inserted into the bench database (PostgreSQL when
  DATABASE_URL names one, else SQLite), the real server in ``--servers`` waitress
  processes on loopback, ``--clients`` keep-alive clients POSTing ``/api/v1/screen`` each
  with its officer's personal token, as fast as answered (:mod:`pora.bench.harness`). Each
  answer is checked against this process's own screening of the same person.
* **bulk**: ``--bulk-persons`` (1,000,000) persons screened against the entries by
  ``--workers`` forked processes the way ``pora screen`` does it
  (:func:`pora.screening.engine.batch.screen_all`, hits written to a CSV file), in a
  process of its own; then, for a sample of ``--sample`` persons (half of them planted),
  what retrieval found against every entry compared.
* **memory**: an index of ``--memory-entries`` (1,000,000) built in a fresh process; its
  peak resident memory.

Every figure is printed beside its target; a missed target makes the command fail. No part
runs unbounded: the server's phases and the bulk run stop at their time limits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from pora.bench import screening_eval
from pora.bench.harness import Outcome, Result, http_request, percentile, run_phase, start_server
from pora.bench.screening_data import PLANTED_EVERY, Maker, Pools, current_rss_bytes
from pora.screening.engine.index import Index, Screener
from pora.screening.engine.records import Record
from pora.screening.engine.score import DEFAULT_THRESHOLD
from pora.screening.eval import ENTRIES as EVAL_ENTRIES
from pora.screening.eval import QUERIES as EVAL_QUERIES
from pora.screening.eval import SEED as EVAL_SEED

PARTS = ("quality", "evalset", "single", "api", "bulk", "memory")
QUALITY_PARTS = ("quality", "evalset")
# Targets.
RECALL_MIN = 0.98
PRECISION_MIN = 0.95
SINGLE_P95_MS = 20
API_PER_SECOND = 200
BULK_SECONDS = 600
BULK_RECALL_MIN = 0.99
MEMORY_BYTES = 2 * 1024**3
# A subprocess measure that runs past this many times its target is stopped; the memory
# measure, which has no time target, after MEMORY_SECONDS.
OVERRUN = 2
MEMORY_SECONDS = 1800
PLANTED_SHARE = 1 / 3
SEED = 1
GIB = 1024**3


def _mib(value: float) -> str:
    return f"{value / 1024**2:,.0f} MiB"


# ----------------------------------------------------------------------------- quality


def quality(out) -> list[Result]:
    from pora.screening.tests.pairs import PAIRS, evaluate

    found = evaluate(DEFAULT_THRESHOLD)
    out.write(f"Quality: {len(PAIRS)} labelled pairs "
              f"({sum(p.match for p in PAIRS)} to flag), threshold {found.threshold}: "
              f"{found.true_positives} flagged rightly, {len(found.false_positives)} wrongly, "
              f"{len(found.false_negatives)} missed")
    for line in found.misclassified():
        out.write(f"  {line}")
    return [Result("quality: recall on labelled pairs", found.recall * 100, RECALL_MIN * 100,
                   "%", lower_is_better=False),
            Result("quality: precision on labelled pairs", found.precision * 100,
                   PRECISION_MIN * 100, "%", lower_is_better=False)]


# ------------------------------------------------------------------------------ single


def _index(maker: Maker, entries: int, out) -> tuple[Screener, list[Record]]:
    """The watchlist indexed in this process, with its build time and memory printed."""
    started = time.perf_counter()
    records = list(maker.entries(entries))
    generated = time.perf_counter() - started
    rss = current_rss_bytes()
    started = time.perf_counter()
    index = Index()
    for record in records:
        index.add(record)
    index.settle()
    seconds = time.perf_counter() - started
    held = current_rss_bytes() - rss
    aliases = sum(len(r.names) - 1 for r in records) / max(len(records), 1)
    out.write(f"Watchlist: {len(records):,} entries, {aliases:.1f} aliases each on average "
              f"(generated in {generated:.1f} s); index built in {seconds:.1f} s, "
              f"{_mib(held)} more resident memory (postings {_mib(index.nbytes())}), "
              f"process {_mib(current_rss_bytes())}")
    return Screener(index), records


def single(screener: Screener, maker: Maker, *, entries: int, queries: int,
           out) -> list[Result]:
    persons = maker.queries(queries, entries=entries, planted_share=PLANTED_SHARE)
    latencies, planted, found, hits = [], 0, 0, 0
    cpu = time.process_time()
    for person in persons:
        started = time.perf_counter()
        matches = screener.screen(person)
        latencies.append(time.perf_counter() - started)
        hits += bool(matches)
        if "planted" in person.extra:
            planted += 1
            found += any(m.entry_id == person.extra["planted"] for m in matches)
    cpu = time.process_time() - cpu
    p50, p95, p99 = (percentile(latencies, p) * 1000 for p in (50, 95, 99))
    out.write(f"Single screening, one thread: {len(persons):,} persons ({planted} planted "
              f"variants of listed ones, {found} of them found; {hits:,} persons with a hit): "
              f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, max "
              f"{max(latencies) * 1000:.1f} ms; CPU {cpu * 1000 / len(persons):.1f} ms a person")
    return [Result(f"single screen p95, {entries:,} entries", p95, SINGLE_P95_MS, "ms")]


# --------------------------------------------------------------------------------- api


def _load_entries(records: list[Record], out):
    """The synthetic watchlist in the database, inserted in bulk; returns the list."""
    from pora.core.models import Office
    from pora.screening.index_cache import bump_version, entry_fingerprint
    from pora.screening.models import Action, ListKind, Watchlist, WatchlistEntry

    office = Office.objects.get(code="jakarta-utara")
    started = time.perf_counter()
    with transaction.atomic():
        watchlist = Watchlist.objects.create(
            office=office, name="Bench: wanted persons", kind=ListKind.WANTED, shared=True,
            source="pora bench screening", default_action=Action.REPORT)
        batch = []
        for record in records:
            facts = {"names": list(record.names),
                     "birth_dates": [str(d) for d in record.birth_dates], "age": None,
                     "nationalities": list(record.nationalities),
                     "documents": list(record.documents), "sex": record.sex}
            batch.append(WatchlistEntry(watchlist=watchlist, source_id=record.id,
                                        action=Action.REPORT,
                                        fingerprint=entry_fingerprint(**facts), **facts))
            if len(batch) == 5000:
                WatchlistEntry.objects.bulk_create(batch)
                batch = []
        WatchlistEntry.objects.bulk_create(batch)
        bump_version()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM refuses to run in a transaction (a test's); ANALYZE alone does not.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    out.write(f"Database ({connection.vendor}): {len(records):,} entries inserted in "
              f"{time.perf_counter() - started:.1f} s")
    return watchlist


def _officers(count: int) -> list[str]:
    """``count`` officers of Jakarta Utara, each with a personal API token."""
    from pora.core.models import Office, Role, User
    from pora.core.services import user_token_create

    office = Office.objects.get(code="jakarta-utara")
    tokens = []
    for i in range(count):
        user = User(username=f"bench-officer-{i:02d}", role=Role.OFFICER, office=office)
        user.set_unusable_password()
        user.save()
        _token, raw = user_token_create(actor=None, user=user, name="pora bench screening")
        tokens.append(raw)
    return tokens


def _body(person: Record) -> dict:
    return {"id": person.id, "name": person.names[0],
            "birth_date": str(person.birth_dates[0]) if person.birth_dates else "",
            "nationality": person.nationalities[0] if person.nationalities else "",
            "passport_number": person.documents[0] if person.documents else "",
            "sex": person.sex, "limit": 10}


def _check_answers(outcome: Outcome, batch: list[list[Record]], screener: Screener,
                   source_ids: dict[int, str]) -> tuple[list[str], int]:
    """The API's answers checked against this process's engine: (wrong answers, answers
    whose candidates are exactly the engine's).

    An answer is wrong when a candidate's score is not what the engine gives that entry
    for the person, or when it lacks the planted person's entry that the engine finds.
    Among many namesakes of equal rank (fifty "Nguyen Minh"), which ones are compared
    first depends on the order the entries were read in, so an answer may differ from
    the engine's without being wrong: those are counted, not failed.
    """
    from pora.screening.engine.score import compare

    wrong, same = [], 0
    for (client, number), body in outcome.bodies.items():
        person = batch[client][number]
        candidates = json.loads(body)["candidates"]
        got = {source_ids.get(c["entry_id"]): c["score"] for c in candidates}
        matches = screener.screen(person, limit=10)
        same += got == {m.entry_id: m.score for m in matches}
        for entry_id, score in got.items():
            entry = screener.index.get(entry_id) if entry_id else None
            expected = compare(person, entry).score if entry is not None else None
            if score != expected:
                wrong.append(f"{person.names[0]}: {entry_id} scored {score} by the API, "
                             f"{expected} by the engine")
        planted = person.extra.get("planted")
        if planted and planted not in got and any(m.entry_id == planted for m in matches):
            wrong.append(f"{person.names[0]}: the API misses {planted}, which the engine "
                         "finds")
    return wrong, same


def api(records: list[Record], screener: Screener, maker: Maker, *, requests: int,
        warmup: int, clients: int, servers: int, threads: int, out) -> list[Result]:
    from pora.screening.models import WatchlistEntry

    watchlist = _load_entries(records, out)
    source_ids = dict(WatchlistEntry.objects.filter(watchlist=watchlist)
                      .values_list("id", "source_id"))
    tokens = _officers(clients)
    per_client = max(requests // clients, 1)
    warm = max(warmup // clients, 1)
    persons = maker.queries((per_client + warm) * clients, entries=len(records),
                            planted_share=PLANTED_SHARE, start=10_000_000)

    workdir = Path(tempfile.mkdtemp(prefix="pora-bench-screening-"))
    server = start_server(workdir=workdir, servers=servers, threads=threads, out=out)
    try:
        def batch(offset: int, count: int) -> tuple[list[list[Record]], list[list[bytes]]]:
            people = [persons[offset + c * count: offset + (c + 1) * count]
                      for c in range(clients)]
            wire = [[http_request(port=server.port, path="/api/v1/screen", token=tokens[c],
                                  body=_body(p), client=c) for p in people[c]]
                    for c in range(clients)]
            return people, wire

        _warm_people, warm_batch = batch(0, warm)
        measured_people, measured_batch = batch(warm * clients, per_client)
        out.write(f"API: {clients} clients (keep-alive, one officer's token each), "
                  f"{warm * clients:,} warm-up requests (each server process builds its index "
                  f"from the database on its first), then {per_client * clients:,} as fast as "
                  "answered")
        # The first request of each process waits for its index: allow for it.
        warm_outcome, _cost = run_phase("Warm-up", server, warm_batch, rate=None, out=out,
                                        what="screening", timeout=300, limit=600)
        if warm_outcome.latencies:
            capacity, cost = run_phase("Capacity (closed loop)", server, measured_batch,
                                       rate=None, out=out, what="screening",
                                       keep_bodies=True)
            out.write(f"  On {os.cpu_count()} idle cores this CPU per screening "
                      f"({cost * 1000:.1f} ms, load generator included) would allow at most "
                      f"{os.cpu_count() / cost:,.0f} screenings/s")
        else:  # nothing answered: no point in hammering a broken server
            capacity = Outcome(errors=["not sent: warm-up failed"])
    finally:
        server.stop()
        log = server.log.read_text(errors="replace").strip()
        shutil.rmtree(workdir, ignore_errors=True)
    log = [line for line in log.splitlines() if "Task queue depth" not in line]
    if log:
        out.write("Server log (last lines):\n  " + "\n  ".join(log[-8:]))
    wrong, same = _check_answers(capacity, measured_people, screener, source_ids)
    out.write(f"  {same:,} of {len(capacity.bodies):,} answers name exactly the candidates "
              f"this process's engine finds, {len(wrong)} are wrong")
    for line in wrong[:5]:
        out.write(f"    {line}")
    label = f"{clients} clients, {servers} processes, {connection.vendor}"
    return [
        Result(f"API screenings/s ({label})", capacity.throughput, API_PER_SECOND, "/s",
               lower_is_better=False,
               note=f"p50 {capacity.ms(50):.0f} ms, p95 {capacity.ms(95):.0f} ms"),
        Result("API errors (non-2xx, dropped, timed out)",
               len(warm_outcome.errors) + len(capacity.errors), 1, "requests"),
        Result("API answers wrong by the engine", len(wrong), 1, "answers"),
    ]


# ----------------------------------------------------------------- bulk and memory


def _subprocess(args: list[str], *, limit: float, out) -> dict | None:
    """A measure in a fresh process (``python -m pora.bench.screening_data …``)."""
    command = [sys.executable, "-m", "pora.bench.screening_data", *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit,
                              cwd=settings.BASE_DIR, check=False)
    except subprocess.TimeoutExpired:
        out.write(f"  stopped after {limit:,.0f} s")
        return None
    if done.returncode != 0:
        out.write(f"  failed:\n{done.stderr[-3000:]}")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def bulk(pools: Path, *, entries: int, persons: int, workers: int, sample: int,
         out) -> list[Result]:
    out.write(f"Bulk: {persons:,} persons against {entries:,} entries, {workers} worker "
              f"processes (1 in {PLANTED_EVERY} persons a variant of a listed one) …")
    # Past the target the run is a miss anyway: the workers stop there and the time for
    # all is projected from the part screened.
    figures = _subprocess(
        ["bulk", "--pools", str(pools), "--entries", str(entries), "--persons", str(persons),
         "--workers", str(workers), "--sample", str(sample), "--seed", str(SEED),
         "--limit", str(BULK_SECONDS)],
        limit=BULK_SECONDS * OVERRUN + 600, out=out)
    name = f"bulk: {persons:,} persons × {entries:,} entries, {workers} processes"
    if figures is None:
        return [Result(name, None, BULK_SECONDS, "s"),
                Result("bulk: found / exhaustive on a sample", None, BULK_RECALL_MIN * 100,
                       "%", lower_is_better=False)]
    done, assigned = figures["persons"], figures["assigned"]
    seconds = figures["seconds"]
    rate = done / max(seconds, 1e-9)
    finished = done >= assigned
    out.write(f"  index built in {figures['build_seconds']:.1f} s; {done:,} of {assigned:,} "
              f"persons screened in {seconds:.1f} s ({rate:,.0f}/s); "
              f"{figures['with_hits']:,} persons with a hit, {figures['matches']:,} hits "
              f"({_mib(figures['hits_file'])} of CSV); planted persons found "
              f"{figures['planted_found']:,} of {figures['planted']:,}; peak memory of the "
              f"parent {_mib(figures['peak_rss'])}")
    cpu = figures["cpu"] / max(done, 1)
    cores = os.cpu_count() or 1
    out.write(f"  CPU {cpu * 1000:.1f} ms a person (workers and the process feeding them): "
              f"on {cores} idle cores all {assigned:,} would take about "
              f"{cpu * assigned / min(cores, workers + 1):,.0f} s")
    if not finished:
        out.write(f"  stopped at the time limit: all {assigned:,} would take about "
                  f"{assigned / rate:,.0f} s at the rate reached")
    wanted, found = figures["exhaustive_matches"], figures["found"]
    share = found / wanted * 100 if wanted else 100.0
    out.write(f"  sample of {figures['sample']} persons ({figures['sample_planted']} planted): "
              f"{found} of the {wanted} hits found by comparing every entry were found "
              f"({figures['exhaustive_seconds']:.0f} s to compare every entry); the best-scoring "
              f"one was found for {figures['best_found']} of the {figures['with_exhaustive']} "
              "persons with any")
    for miss in figures["missed"]:
        out.write(f"    for {' / '.join(miss['names'])}: {miss['found']} found, missed "
                  + ", ".join(miss["missed"][:12])
                  + (f" and {len(miss['missed']) - 12} more" if len(miss["missed"]) > 12
                     else ""))
    return [Result(name, seconds if finished else assigned / rate, BULK_SECONDS, "s",
                   note="" if finished else "projected from the part screened in time"),
            Result("bulk: found / exhaustive on a sample", share, BULK_RECALL_MIN * 100, "%",
                   lower_is_better=False)]


def memory(pools: Path, *, entries: int, out) -> list[Result]:
    out.write(f"Memory: an index of {entries:,} entries built in a fresh process …")
    figures = _subprocess(["memory", "--pools", str(pools), "--entries", str(entries),
                           "--seed", str(SEED)], limit=MEMORY_SECONDS, out=out)
    name = f"memory: peak RSS, index of {entries:,} entries"
    if figures is None:
        return [Result(name, None, MEMORY_BYTES / GIB, "GiB")]
    out.write(f"  {figures['entries']:,} entries, {figures['aliases']:.1f} aliases each, "
              f"built in {figures['seconds']:.0f} s; postings {_mib(figures['postings_bytes'])};"
              f" peak resident {_mib(figures['peak_rss'])} (interpreter and pools "
              f"{_mib(figures['rss_before'])})")
    return [Result(name, figures["peak_rss"] / GIB, MEMORY_BYTES / GIB, "GiB")]


# --------------------------------------------------------------------------------- run


def run(*, parts: tuple[str, ...] = PARTS, entries: int = 100_000, queries: int = 2000,
        requests: int = 3000, warmup: int = 200, clients: int = 20, servers: int = 2,
        threads: int = 2, bulk_persons: int = 1_000_000, workers: int = 2,
        sample: int = 200, memory_entries: int = 1_000_000, eval_entries: int = EVAL_ENTRIES,
        eval_queries: int = EVAL_QUERIES, eval_seed: int = EVAL_SEED, reference: str = "auto",
        out) -> list[Result]:
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown part(s): {', '.join(sorted(unknown))}")
    results: list[Result] = []
    if "quality" in parts:
        results += quality(out)
    if "evalset" in parts:
        out.write("")
        results += screening_eval.run(out, entries=eval_entries, queries=eval_queries,
                                      seed=eval_seed, reference=reference)
    if not set(parts) - set(QUALITY_PARTS):
        return results
    started = time.perf_counter()
    pools = Pools.build()
    out.write(f"Name pools from Faker ({len(pools.words)} locales) in "
              f"{time.perf_counter() - started:.1f} s")
    maker = Maker(pools, SEED)
    workdir = Path(tempfile.mkdtemp(prefix="pora-bench-screening-data-"))
    try:
        pools_file = workdir / "pools.json"
        pools.dump(pools_file)
        if {"single", "api"} & set(parts):
            screener, records = _index(maker, entries, out)
            if "single" in parts:
                results += single(screener, maker, entries=entries, queries=queries, out=out)
            if "api" in parts:
                results += api(records, screener, maker, requests=requests, warmup=warmup,
                               clients=clients, servers=servers, threads=threads, out=out)
            del screener, records
        if "bulk" in parts:
            results += bulk(pools_file, entries=entries, persons=bulk_persons, workers=workers,
                            sample=sample, out=out)
        if "memory" in parts:
            results += memory(pools_file, entries=memory_entries, out=out)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results
