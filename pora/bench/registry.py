"""Registry benchmark: CSV import, fuzzy name search and the as-of headline at scale."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction

from pora.core.models import Office, Role, User
from pora.demo.registry import PUBLISHED_1_FEB_2024, REFERENCE_DATE, generate
from pora.registry.importing import COLUMNS
from pora.registry.models import Person
from pora.registry.selectors import SearchFilters, headline_as_of, person_search
from pora.registry.services.imports import permit_import_run, permit_import_start


@dataclass
class Result:
    name: str
    value: float
    limit: float
    unit: str
    lower_is_better: bool = True
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.value <= self.limit if self.lower_is_better else self.value >= self.limit

    @property
    def measured(self) -> str:
        return f"{self.value:,.1f} {self.unit}"

    @property
    def target(self) -> str:
        return f"{'<' if self.lower_is_better else '≥'} {self.limit:,.0f} {self.unit}"


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _queries(rng: random.Random, n: int) -> list[tuple[int, str]]:
    """Names of real persons, misspelt or reordered the way officers type them."""
    ids = list(Person.objects.order_by("?").values_list("id", "surname", "given_names")[:n])
    out = []
    for pk, surname, given in ids:
        variant = rng.randrange(4)
        if variant == 0:
            q = f"{surname} {given}"
        elif variant == 1:
            q = f"{given} {surname}"
        elif variant == 2:
            q = f"{surname} {_typo(rng, given.split()[0])} {' '.join(given.split()[1:])}"
        else:
            q = f"{_typo(rng, surname)} {given}".lower()
        out.append((pk, q.strip()))
    return out


def _import_csv(rows: int, rng: random.Random) -> bytes:
    """A day's worth of new permits as a file: names drawn like the demo's, unique passports."""
    from pora.demo.registry import NATIONALITY_MIX, name_pools

    pools = name_pools(seed=rng.randrange(1000))
    codes = [code for code, _w in NATIONALITY_MIX]
    weights = [w for _c, w in NATIONALITY_MIX]
    headers = [c.header for c in COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    kelurahan = ["Pluit", "Ancol", "Sunter Jaya", "Kelapa Gading Barat", "Koja", "Marunda"]
    for i in range(rows):
        nationality = rng.choices(codes, weights)[0]
        start = REFERENCE_DATE - dt.timedelta(days=rng.randint(0, 300))
        values = {
            "number": f"BENCH{i:09d}", "kind": "ITAS", "visa_index": "C312", "purpose": "kerja",
            "issue_date": start.isoformat(), "valid_from": start.isoformat(),
            "valid_until": (start + dt.timedelta(days=364)).isoformat(), "status": "aktif",
            "surname": rng.choice(pools[nationality][0]),
            "given_names": rng.choice(pools[nationality][1]), "sex": rng.choice("LP"),
            "birth_date": f"{rng.randint(1960, 2000)}-{rng.randint(1, 12):02d}-"
                          f"{rng.randint(1, 28):02d}",
            "nationality": nationality,
            "passport_number": f"BP{i:08d}", "kelurahan": rng.choice(kelurahan),
            "street": f"Jl. Bench No. {i % 300}",
            "sponsor_name": f"PT BENCH SPONSOR {i % 2000}", "employer": "PT BENCH",
        }
        writer.writerow([values.get(c.key, "") for c in COLUMNS])
    return buffer.getvalue().encode()


def run(*, persons: int, import_rows: int, queries: int, out) -> list[Result]:
    rng = random.Random(11)
    office = Office.objects.get(code="jakarta-utara")
    with transaction.atomic():
        officer = User(username="bench", role=Role.OFFICER, office=office)
        officer.set_password("bench-password")
        officer.save()
    results: list[Result] = []

    # -- data: the demo's proportions scaled to the requested population
    scale = persons / 12_252
    holders = {k: int(v * scale) for k, v in PUBLISHED_1_FEB_2024.items()}
    started = time.perf_counter()

    def progress(done: int) -> None:
        out.write(f"  generated {done:,} persons ({time.perf_counter() - started:.0f} s)")

    with transaction.atomic():
        stats = generate(office=office, holders=holders, id_prefix="BX", batch=50_000,
                         progress=progress)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    out.write(f"Generated {stats.persons:,} persons and {stats.permits:,} permits in "
              f"{time.perf_counter() - started:.0f} s")

    # -- as-of headline
    timings = []
    for offset in (0, 0, 10, 40, 90, -30, 0, 200, 0, 5):
        on = REFERENCE_DATE + dt.timedelta(days=offset)
        t = time.perf_counter()
        headline_as_of(office, on)
        timings.append((time.perf_counter() - t) * 1000)
    results.append(Result(f"as-of headline, {stats.persons:,} persons (p95)",
                          _percentile(timings[1:], 95), 200, "ms"))

    # -- name search
    cases = _queries(rng, queries)
    timings, on_page, among_best = [], 0, 0
    for pk, q in cases:
        t = time.perf_counter()
        ids, scores = person_search(officer, SearchFilters(q=q))
        timings.append((time.perf_counter() - t) * 1000)
        on_page += pk in ids[:25]
        # Synthetic names repeat (pools of a few hundred names per nationality), so the
        # person may share the best score with namesakes listed before them.
        best = max(scores.values(), default=None)
        among_best += pk in scores and scores[pk] == best
    results.append(Result(f"name search p95, {stats.persons:,} persons ({connection.vendor})",
                          _percentile(timings, 95), 50, "ms"))
    results.append(Result("name search: person among the best-scored", among_best * 100 /
                          len(cases), 95, "%", lower_is_better=False))
    out.write(f"Name search: sought person on the first page (25) in "
              f"{on_page * 100 / len(cases):.1f}% of {len(cases)} queries")

    # -- import
    data = _import_csv(import_rows, rng)
    for label in ("first", "repeat"):
        t = time.perf_counter()
        with transaction.atomic():
            job = permit_import_start(actor=officer, filename="bench.csv", data=data)
        job = permit_import_run(job_id=job.pk)
        seconds = time.perf_counter() - t
        out.write(f"Import ({label}): {job.status} {job.created_count:,} created, "
                  f"{job.unchanged_count:,} unchanged, {job.rejected_count:,} rejected, "
                  f"{seconds:.1f} s")
        limit = 20
        results.append(Result(f"import {import_rows:,} CSV rows ({label} run)", seconds, limit,
                               "s"))
        if job.status != "done" or job.rejected_count:
            results.append(Result("import rows rejected or failed", job.rejected_count or 1, 0,
                                  "rows"))
    return results
