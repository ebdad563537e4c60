"""Access log benchmark: the head's log page and export at a year of use.

A year of an office is about ten million access rows (one per person shown, UU PDP
Pasal 31). The rows are made by the database itself (``generate_series``, with the
indexes built afterwards, as a restore would), spread over 365 days, 25 officers, a few
API tokens and 200,000 person numbers, 40 of them real foreigners of the registry for
the name filter. Then the page is asked for through the whole Django stack (middleware,
view, template) with each filter, a page deep in the log, and the exports; the code
path the page had before (``Paginator``: a COUNT and an OFFSET, the readers of the last
30 days by scanning them, the Excel export through model objects) is timed beside it on
the same rows as the baseline.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import time

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pora.bench.harness import Result
from pora.core import logs
from pora.core.models import AccessLog, Office, Role, User

USERS = 25
TOKENS = 5
PERSON_NUMBERS = 200_000
REAL_PERSONS = 40
VIEWS = ["person_list", "person_list", "person_list", "person_detail", "person_detail",
         "lodging_guests", "screening_hits", "sponsor_detail", "api_persons", "person_export"]
PAGE_LIMIT_MS = 300.0
REPEAT = 7


def machine() -> str:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle
                        if line.startswith("model name")), "")
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as handle:
            kib = int(handle.readline().split()[1])
            memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql"
                       else "SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return (f"{platform.node()}: {os.cpu_count()} cores {cpu}{memory}; "
            f"{connection.vendor} {version}; Python {platform.python_version()}")


def _setup(office: Office) -> tuple[User, list[User], list[int]]:
    from pora.registry.services import person_create

    with transaction.atomic():
        head = User(username="bench_kepala", role=Role.HEAD, office=office)
        head.set_unusable_password()
        head.save()
        officers = []
        for i in range(USERS):
            user = User(username=f"bench_petugas_{i:02d}", role=Role.OFFICER, office=office)
            user.set_unusable_password()
            user.save()
            officers.append(user)
        kelurahan = office.kelurahan_queryset().first()
        persons = [person_create(actor=officers[0], office=office,
                                 surname=f"BENCH{chr(65 + i % 26)}", given_names=f"PERSON {i}",
                                 nationality="CHN", sex="M", birth_year=1980, birth_month=1,
                                 birth_day=1 + i % 28, kelurahan=kelurahan, street="Jl. Uji 1",
                                 document_number=f"E{i:08d}", document_state="CHN")
                   for i in range(REAL_PERSONS)]
    return head, officers, [p.pk for p in persons]


def _fill(rows: int, office: Office, officers: list[User], real: list[int], out) -> None:
    """``rows`` access rows over the last 365 days, made by PostgreSQL; the table's
    indexes are dropped first and built again afterwards."""
    table = AccessLog._meta.db_table
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                       "AND indexname NOT LIKE %s", [table, "%_pkey"])
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        user_ids = [u.pk for u in officers]
        users = "ARRAY[" + ",".join(map(str, user_ids)) + "]::bigint[]"
        names = "ARRAY[" + ",".join(f"'{u.username}'" for u in officers) + "]::text[]"
        views = "ARRAY[" + ",".join(f"'{v}'" for v in VIEWS) + "]::text[]"
        reals = "ARRAY[" + ",".join(map(str, real)) + "]::bigint[]"
        now = timezone.now()
        chunk = 1_000_000
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            # Row g: at spread evenly back over a year; one row in 20 read by an API
            # token; one in 500 about a real person of the registry. Sealed links are
            # written as such, so the sealer's queue (a partial index) stays small.
            cursor.execute(f"""
                INSERT INTO {table} (at, user_id, reader, office_id, person_id,
                                     person_label, view, path, ip_address,
                                     chain_seq, chain_hash)
                SELECT %s::timestamptz - make_interval(secs => g * 31536000.0 / %s),
                       CASE WHEN g %% 20 = 0 THEN NULL
                            ELSE ({users})[1 + (g * 7919) %% {len(user_ids)}] END,
                       CASE WHEN g %% 20 = 0 THEN 'API token pora_bench' || (g / 20) %% {TOKENS}
                            ELSE ({names})[1 + (g * 7919) %% {len(user_ids)}] END,
                       %s,
                       CASE WHEN g %% 500 = 0 THEN ({reals})[1 + (g / 500) %% {len(real)}]
                            ELSE 1000000 + (g * 2654435761) %% {PERSON_NUMBERS} END,
                       'PERSON ' || g %% {PERSON_NUMBERS},
                       ({views})[1 + (g * 31) %% {len(VIEWS)}],
                       '/orang-asing/?q=x', '10.0.0.1', g, 'bench'
                FROM generate_series(%s::bigint, %s::bigint) AS g""",
                [now, rows, office.pk, start + 1, start + n])
            out.write(f"  {start + n:,} rows ({time.perf_counter() - started:.0f} s)")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for name, definition in indexes:
            cursor.execute(definition)
            out.write(f"  index {name} built ({time.perf_counter() - started:.0f} s)")
        cursor.execute(f"VACUUM ANALYZE {table}")
    out.write(f"Filled {rows:,} access rows in {time.perf_counter() - started:.0f} s")


def _timed(call, repeat: int = REPEAT) -> tuple[float, float]:
    """(median, worst) milliseconds of ``call`` after one warm-up."""
    call()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        call()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def _old_page(office_id: int, page: int, person: int | None = None) -> None:
    """The page as it was: Paginator's COUNT and OFFSET, and the readers of 30 days."""
    rows = AccessLog.objects.filter(office_id=office_id).select_related("user")
    if person:
        rows = rows.filter(person_id=person)
    shown = Paginator(rows, 50).get_page(page)
    list(shown.object_list)
    list(AccessLog.objects.filter(office_id=office_id,
                                  at__gte=timezone.now() - dt.timedelta(days=30))
         .exclude(user__office_id=office_id).exclude(reader="").order_by()
         .values_list("reader", flat=True).distinct())


def _new_page(head: User, params: dict) -> None:
    filters = logs.parse_filters(params)
    page = logs.page_of(logs.access_rows(head, filters).select_related("user"),
                        params.get("cursor", ""))
    list(page.object_list)
    users = set(User.objects.filter(office_id=head.office_id).values_list("username", flat=True))
    logs.outside_readers(head.office_id, users)


def run(*, rows: int, out) -> list[Result]:
    if connection.vendor != "postgresql":
        raise SystemExit("pora bench accesslog needs PostgreSQL (DATABASE_URL=postgres://…)")
    out.write("Machine: " + machine())
    office = Office.objects.get(code="jakarta-utara")
    head, officers, real = _setup(office)
    _fill(rows, office, officers, real, out)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(head)
    url = reverse("core:access_log")
    results: list[Result] = []

    def page(params: dict) -> None:
        response = client.get(url, params)
        assert response.status_code == 200, response.status_code

    month_end = timezone.localdate() - dt.timedelta(days=100)
    month = {"from": (month_end - dt.timedelta(days=30)).isoformat(),
             "to": month_end.isoformat()}
    # 21 pages down: where "older entries" clicked 20 times leads.
    cursor = ""
    for _ in range(20):
        cursor = logs.page_of(AccessLog.objects.filter(office_id=office.pk), cursor).next_cursor
    cases = [
        ("first page", {}),
        ("page 21 (keyset)", {"cursor": cursor}),
        ("person by name", {"person": "BENCHC PERSON 2"}),
        ("person by number", {"person": str(real[3])}),
        ("user", {"user": officers[4].username}),
        ("API token", {"user": "API token pora_bench3"}),
        ("one month", month),
        ("event (person_export)", {"action": "person_export"}),
        ("month + user + event", {**month, "user": officers[2].username,
                                  "action": "person_detail"}),
    ]
    for name, params in cases:
        median, worst = _timed(lambda params=params: page(params))
        results.append(Result(f"access log page: {name} (median)", median, PAGE_LIMIT_MS,
                              "ms", note=f"worst {worst:.0f} ms"))

    # -- the database work alone, new and old, same rows, same run (the page above adds
    # the request, the template and the filters' lists)
    for name, params in [("first page", {}), ("page 21", {"cursor": cursor}),
                         ("person by number", {"person": str(real[3])})]:
        median, _worst = _timed(lambda params=params: _new_page(head, params), repeat=3)
        results.append(Result(f"queries only (new): page {name}", median, PAGE_LIMIT_MS, "ms"))
    deep = 21
    for name, call in [
        ("first page", lambda: _old_page(office.pk, 1)),
        (f"page {deep}", lambda: _old_page(office.pk, deep)),
        ("page 2000 (OFFSET 99,950)", lambda: _old_page(office.pk, 2000)),
        ("person by number", lambda: _old_page(office.pk, 1, real[3])),
    ]:
        median, _worst = _timed(call, repeat=3)
        results.append(Result(f"queries only (old code): page {name}", median, float("inf"),
                              "ms", note="no target: for comparison"))

    # -- exports
    def stream(params: dict) -> tuple[float, float, int]:
        t = time.perf_counter()
        response = client.get(url, {"export": "csv", **params})
        first_byte = None
        lines = 0
        for piece in response.streaming_content:
            if first_byte is None:
                first_byte = time.perf_counter() - t
            lines += 1
        return first_byte or 0.0, time.perf_counter() - t, lines - 1

    first_byte, total, count = stream(month)
    results.append(Result("CSV export, one month: first byte", first_byte * 1000,
                          PAGE_LIMIT_MS, "ms"))
    results.append(Result(f"CSV export, one month: {count:,} rows", count / total, 20_000,
                          "rows/s", lower_is_better=False, note=f"{total:.1f} s"))
    xlsx_rows = min(settings.PORA_EXPORT_MAX_ROWS, 200_000)
    t = time.perf_counter()
    response = client.get(url, {"export": "xlsx"})
    new_xlsx = time.perf_counter() - t
    assert response.status_code == 200
    results.append(Result(f"Excel export, {xlsx_rows:,} rows (new)", new_xlsx, 60, "s"))
    from pora.core.exports import xlsx_response

    t = time.perf_counter()
    old = AccessLog.objects.filter(office_id=office.pk).select_related("user")
    xlsx_response("old", ["at", "reader", "person", "label", "view", "path", "ip"],
                  ([e.at, e.reader_label, e.person_id, e.person_label, str(e.view_label),
                    e.path, e.ip_address] for e in old[:xlsx_rows].iterator()))
    old_xlsx = time.perf_counter() - t
    results.append(Result(f"baseline (old code): Excel export, {xlsx_rows:,} rows", old_xlsx,
                          float("inf"), "s", note="no target: for comparison"))
    return results
