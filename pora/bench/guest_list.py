"""Guest-list upload benchmark: a 100,000-row list against a populated registry.

Run it on a scratch database (it writes persons, stays and alerts)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pora_bench_gl PORA_TESTING=true \\
        uv run python manage.py migrate
    DATABASE_URL=… PORA_TESTING=true uv run python manage.py shell -c \\
        "from pora.bench.guest_list import bench_guest_list as b; print(b())"

The uploaded files land under ``MEDIA_ROOT``: point ``PORA_VAR_DIR`` at a scratch
directory too. The list mixes guests the registry knows by passport, guests it knows by
name and birth date only (another passport), and new guests, as a busy lodging's
front-office export would; names are drawn from syllables (no Faker), so a list builds in
a few seconds. The registry is populated with the registry demo's generator when short.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import time

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from pora.alerts.models import Alert
from pora.core.models import Office, Role, User
from pora.lodging.guest_list_rows import COLUMNS
from pora.lodging.models import GuestListImport, Lodging, LodgingStaff, Stay
from pora.lodging.services import guest_lists as service
from pora.lodging.services.guest_lists import guest_list_start
from pora.registry.models import Person, TravelDocument

SYLLABLES = ["AN", "BAO", "CHEN", "DA", "EN", "FEI", "GUO", "HAN", "JIN", "KAI", "LAN", "MEI",
             "NAN", "OU", "PING", "QI", "RONG", "SHU", "TAO", "WEN", "XI", "YU", "ZHE", "MIN",
             "JUN", "SEO", "HYUN", "WOO", "RA", "KEN", "TARO", "HIRO", "YUKI", "RAJ", "ANIL",
             "DEV", "JOHN", "PAUL", "ANNA", "MARI", "LUCA", "IVAN", "OLGA", "NUR", "SITI"]
NATIONALITIES = ["CHN", "CHN", "CHN", "KOR", "KOR", "JPN", "IND", "MYS", "SGP", "USA", "AUS",
                 "GBR", "DEU", "FRA", "NLD", "RUS", "VNM", "THA", "PHL", "TWN"]
PURPOSES = ["bisnis", "wisata", "kerja", "keluarga", ""]
SEX_CELL = {"M": "L", "F": "P"}


def _name(rng: random.Random, parts: int) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(2)) for _ in range(parts))


def _birth(year, month, day) -> str:
    if year is None:
        return ""
    if month is None:
        return f"{year}"
    if day is None:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{day:02d}"


def _population(persons: int) -> None:
    """Registry persons with passports and permits, as the registry's demo makes them."""
    from pora.demo.registry import PUBLISHED_1_FEB_2024, generate

    office = Office.objects.get(code="jakarta-utara")
    scale = persons / (sum(PUBLISHED_1_FEB_2024.values()) * (1 + 0.012 + 0.08))
    holders = {k: max(1, int(v * scale)) for k, v in PUBLISHED_1_FEB_2024.items()}
    with transaction.atomic():
        generate(office=office, reference=timezone.localdate(), holders=holders,
                 id_prefix=f"GL{random.randrange(10**6)}", batch=50_000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _lodging(tag: str) -> tuple[Lodging, User]:
    office = Office.objects.get(code="jakarta-utara")
    kelurahan = office.kelurahan_queryset().order_by("code").first()
    with transaction.atomic():
        lodging = Lodging.objects.create(
            name=f"Bench Hotel {tag}", kelurahan=kelurahan, street="Jl. Bench 1",
            person_in_charge="Bench", email="bench@example.test", office=office,
            status="verified", verified_at=timezone.now())
        user = User(username=f"bench-fo-{tag}", role=Role.LODGING)
        user.set_unusable_password()
        user.save()
        LodgingStaff.objects.create(user=user, lodging=lodging, is_manager=True)
    return lodging, user


def guest_list_rows(rows: int, *, now: dt.datetime, seed: int = 5,
                    by_document: float = 0.4, by_name: float = 0.2,
                    bad: float = 0.005) -> tuple[list[dict], dict[str, int]]:
    """The list's rows (column key → cell) and how many of each kind it holds."""
    rng = random.Random(seed)
    n_doc, n_name = int(rows * by_document), int(rows * by_name)
    documents = list(TravelDocument.objects.order_by("id").values_list(
        "number", "issuing_state", "person__surname", "person__given_names", "person__sex",
        "person__birth_year", "person__birth_month", "person__birth_day",
        "person__nationality"))
    if len(documents) < n_doc + n_name:
        raise RuntimeError(f"the registry holds {len(documents):,} passports; the list needs "
                           f"{n_doc + n_name:,}: populate it first")
    known = rng.sample(documents, n_doc + n_name)
    kinds = ["document"] * n_doc + ["name"] * n_name + ["new"] * (rows - n_doc - n_name)
    rng.shuffle(kinds)
    out, counts = [], {"document": 0, "name": 0, "new": 0, "bad": 0}
    serial = 0
    for i, kind in enumerate(kinds):
        checked_in = timezone.localtime(now - dt.timedelta(minutes=rng.randint(30, 14 * 1440)))
        nights = rng.choice([1, 1, 2, 3, 4, 7])
        leaves = checked_in + dt.timedelta(days=nights, hours=-2)
        values = {
            "room": f"{rng.randint(1, 30)}{rng.randint(1, 40):02d}",
            "checked_in_at": checked_in.strftime("%Y-%m-%d %H:%M"),
            "expected_checkout": (checked_in.date() + dt.timedelta(days=nights)).isoformat(),
            "checked_out_at": leaves.strftime("%Y-%m-%d %H:%M") if leaves < now else "",
            "purpose": rng.choice(PURPOSES),
            "arrival_date": (checked_in.date() - dt.timedelta(days=rng.randint(0, 5)))
            .isoformat() if rng.random() < 0.5 else "",
        }
        if kind == "new":
            serial += 1
            year = rng.randint(1950, 2005)
            values.update({
                "document_number": f"BG{i:08d}", "nationality": rng.choice(NATIONALITIES),
                "surname": _name(rng, 1), "given_names": _name(rng, rng.choice([1, 2])),
                "sex": rng.choice("LP"),
                "birth_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "document_expiry": f"{rng.randint(2027, 2034)}-{rng.randint(1, 12):02d}-01",
            })
        else:
            number, state, surname, given, sex, year, month, day, nationality = known.pop()
            values.update({
                "document_number": number if kind == "document" else f"BN{i:08d}",
                "issuing_state": state if kind == "document" else nationality,
                "nationality": nationality, "surname": surname,
                # Front desks join or split given names at will; linking reads both.
                "given_names": given.replace(" ", "") if kind == "name" and rng.random() < 0.5
                else given,
                "sex": SEX_CELL.get(sex, "X"), "birth_date": _birth(year, month, day),
            })
        if rng.random() < bad:
            values["checked_in_at"] = "kemarin"
            kind = "bad"
        counts[kind] += 1
        out.append(values)
    return out, counts


def to_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS])
    for values in rows:
        writer.writerow([values.get(c.key, "") for c in COLUMNS])
    return buffer.getvalue().encode()


def _server_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend, when it runs on this machine.

    With the client's own CPU time it tells what the upload costs on an idle machine,
    however busy this one is."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Meter:
    """Wall time, this process's CPU time and the database backend's CPU time."""

    used = False

    def __enter__(self):
        self.used = True
        self.server = _server_cpu()
        self.client = time.process_time()
        self.wall = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.client = time.process_time() - self.client
        server = _server_cpu()
        self.server = server - self.server if server is not None and self.server is not None \
            else None

    def figures(self) -> dict | None:
        if not self.used:
            return None
        return {"wall_seconds": round(self.wall, 2), "client_cpu_seconds": round(self.client, 2),
                "server_cpu_seconds": round(self.server, 2) if self.server is not None
                else None}


def _upload(lodging: Lodging, user: User, data: bytes, label: str) -> dict:
    """One upload as the CLI runs it; the detection rules that follow measured apart."""
    alerts_before = Alert.objects.count()
    real_evaluate = service.evaluate_stays
    detection = _Meter()

    def measured(*args, **kwargs):
        with detection:
            return real_evaluate(*args, **kwargs)

    service.evaluate_stays = measured
    try:
        with _Meter() as whole:
            job = guest_list_start(actor=user, lodging=lodging, filename=f"bench-{label}.csv",
                                   data=data, run_now=True)
    finally:
        service.evaluate_stays = real_evaluate
    total = whole.wall
    job = GuestListImport.objects.get(pk=job.pk)
    return {
        "whole": whole.figures(),
        "detection": detection.figures(),
        "load_average": round(os.getloadavg()[0], 1),
        "status": job.status, "error": job.error,
        # Upload stored → every row applied and the upload shown as done.
        "import_seconds": round((job.finished_at - job.created_at).total_seconds(), 2),
        # … plus the detection rules on the new stays (same task, after "done").
        "total_seconds": round(total, 2),
        "created": job.created_count, "updated": job.updated_count,
        "unchanged": job.unchanged_count, "rejected": job.rejected_count,
        "alerts_raised": Alert.objects.count() - alerts_before,
    }


def bench_guest_list(rows: int = 100_000, *, population: int = 100_000, seed: int = 5,
                     per_stay_sample: int = 500) -> dict:
    """Upload a synthetic list three times: new, the same again, with departures.

    Populates the registry first when it holds fewer passports than the list needs.
    Returns the timings and counts; ``per_stay_sample`` stays are also evaluated one by one
    with ``evaluate_stay`` to compare with the batched detection (0 to skip).
    """
    needed = int(rows * 0.6)
    result: dict = {"vendor": connection.vendor, "rows": rows}
    if TravelDocument.objects.count() < needed:
        started = time.perf_counter()
        _population(max(population, needed + needed // 10))
        result["population_seconds"] = round(time.perf_counter() - started, 1)
    result["registry_persons"] = Person.objects.count()
    lodging, user = _lodging(f"{int(time.time())}")
    now = timezone.now()
    started = time.perf_counter()
    list_rows, kinds = guest_list_rows(rows, now=now, seed=seed)
    data = to_csv(list_rows)
    result["list"] = {**kinds, "megabytes": round(len(data) / 1e6, 1),
                      "build_seconds": round(time.perf_counter() - started, 2)}
    first_id = Stay.objects.order_by("-id").values_list("id", flat=True).first() or 0

    result["first"] = _upload(lodging, user, data, "first")
    result["link_methods"] = dict(
        Stay.objects.filter(id__gt=first_id, lodging=lodging).values_list("link_method")
        .annotate(n=Count("id")).values_list("link_method", "n"))
    result["again"] = _upload(lodging, user, data, "again")

    # The next day's list: a fifth of the guests have left (or left at another time).
    rng = random.Random(seed + 1)
    later = timezone.localtime(timezone.now() - dt.timedelta(minutes=5))
    for values in list_rows:
        if rng.random() < 0.2 and values["checked_out_at"] == "":
            values["checked_out_at"] = later.strftime("%Y-%m-%d %H:%M")
    result["departures"] = _upload(lodging, user, to_csv(list_rows), "departures")

    if per_stay_sample:
        from pora.lodging.services.alerts import evaluate_stay

        sample = list(Stay.objects.filter(lodging=lodging).select_related("lodging")
                      .order_by("id")[:per_stay_sample])
        started = time.perf_counter()
        for stay in sample:
            evaluate_stay(stay)
        seconds = time.perf_counter() - started
        result["evaluate_stay_one_by_one"] = {
            "stays": len(sample), "seconds": round(seconds, 2),
            "per_100k_rows_seconds": round(seconds / max(len(sample), 1) * 100_000, 1)}
    return result
