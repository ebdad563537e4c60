"""Watchlist files (the CSV/XLSX template and FollowTheMoney lines) in, entries out.

A re-import updates entries by the source's id, a complete list withdraws the ones it no
longer holds, and a row that cannot be used is kept with its reasons (and never withdraws
the entry it names).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pora.conftest import login, make_person
from pora.core.models import AuditEvent, AuditLog
from pora.jobs.models import JobStatus
from pora.registry.services.imports import UploadError
from pora.screening.engine.readers import watchlist_template_headers
from pora.screening.models import (
    EntryStatus,
    ListsChange,
    ListsVersion,
    RescreenJob,
    Trigger,
    WatchlistEntry,
    WatchlistImport,
)
from pora.screening.services import (
    imports,
    screen_person,
    watchlist_import_start,
    watchlist_template,
)
from pora.screening.tests.screening_fixtures import TODAY

HEADERS = watchlist_template_headers()
WANG = {"source_id": "DPO-1", "names": "WANG XIAOMING|王小明", "sex": "L",
        "birth_date": "1985-03-21", "nationalities": "CN", "documents": "EA 1234567",
        "reason": "Penipuan investasi", "action": "tangkap", "valid_until": "31-12-2099"}
IVAN = {"source_id": "DPO-2", "names": "Ivan PETROV; Иван Петров", "sex": "M",
        "birth_date": "1979", "nationalities": "RUS", "action": "lapor"}
BROKEN = {"source_id": "DPO-3", "names": "Li Wei", "birth_date": "1980-13-45",
          "nationalities": "XQ"}
FIXED = {**BROKEN, "birth_date": "1980", "nationalities": "CHN"}


def csv_bytes(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for values in rows:
        writer.writerow([values.get(h, "") for h in HEADERS])
    return buffer.getvalue().encode()


@pytest.fixture
def upload(officer, wanted_list, django_capture_on_commit_callbacks):
    """Upload a file as the officer and run it as the worker would."""

    def run(filename: str, data: bytes, *, full: bool = True) -> WatchlistImport:
        with django_capture_on_commit_callbacks(execute=True):
            job = watchlist_import_start(actor=officer, watchlist=wanted_list,
                                         filename=filename, data=data, full=full,
                                         run_now=True)
        job.refresh_from_db()
        return job

    return run


def entries() -> dict[str, WatchlistEntry]:
    return {e.source_id: e for e in WatchlistEntry.objects.all()}


def test_csv_import_creates_entries_and_keeps_bad_rows_with_their_reasons(upload):
    job = upload("dpo.csv", csv_bytes([WANG, IVAN, BROKEN]))

    assert job.status == JobStatus.DONE and job.format == "table"
    assert (job.total_rows, job.processed_rows, job.created_count, job.rejected_count) == (
        3, 3, 2, 1)
    wang = entries()["DPO-1"]
    assert wang.names == ["WANG XIAOMING", "王小明"]
    assert (wang.sex, wang.birth_dates, wang.nationalities, wang.documents, wang.action) == (
        "M", ["1985-03-21"], ["CHN"], ["EA1234567"], "arrest")
    assert wang.validity_history.count() == 1
    assert entries()["DPO-2"].action == "report"

    row = job.rejected_rows.get()
    assert row.row_number == 4
    assert row.values["source_id"] == "DPO-3"
    assert {error["field"] for error in row.errors} == {"birth_date", "nationalities"}
    assert any("1980-13-45" in error["message"] for error in row.errors)


def test_imported_entries_screen_foreigners(officer, upload):
    upload("dpo.csv", csv_bytes([WANG, IVAN]))
    person = make_person(actor=officer)
    hits = screen_person(person, trigger=Trigger.PERSON)
    assert [hit.entry.source_id for hit in hits] == ["DPO-1"]
    assert "document_same" in [r["code"] for r in hits[0].reasons]


def test_reimport_updates_by_source_id_and_withdraws_what_the_list_no_longer_holds(upload):
    upload("dpo.csv", csv_bytes([WANG, IVAN]))
    first = entries()

    job = upload("dpo-2.csv", csv_bytes([{**WANG, "documents": "EA1234567|G7654321"},
                                         FIXED]))

    assert (job.created_count, job.updated_count, job.unchanged_count, job.withdrawn_count,
            job.rejected_count) == (1, 1, 0, 1, 0)
    now = entries()
    assert now["DPO-1"].pk == first["DPO-1"].pk
    assert now["DPO-1"].documents == ["EA1234567", "G7654321"]
    assert now["DPO-1"].fingerprint != first["DPO-1"].fingerprint
    assert now["DPO-2"].status == EntryStatus.WITHDRAWN and now["DPO-2"].withdrawn_at
    assert now["DPO-3"].birth_dates == ["1980"]
    withdrawn = AuditLog.objects.get(object_type="screening.WatchlistEntry",
                                     object_id=str(now["DPO-2"].pk), event=AuditEvent.UPDATE)
    assert withdrawn.changes == {"status": ["active", "withdrawn"]}

    again = upload("dpo-3.csv", csv_bytes([{**WANG, "documents": "EA1234567|G7654321"},
                                           FIXED, IVAN]))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 2)
    assert entries()["DPO-2"].status == EntryStatus.ACTIVE  # listed again


def test_a_rejected_row_does_not_withdraw_the_entry_it_names(upload):
    upload("dpo.csv", csv_bytes([WANG, IVAN]))
    job = upload("dpo-2.csv", csv_bytes([WANG, {**IVAN, "birth_date": "1979-02-30"}]))
    assert (job.rejected_count, job.withdrawn_count, job.unchanged_count) == (1, 0, 1)
    assert entries()["DPO-2"].status == EntryStatus.ACTIVE


def test_a_partial_file_withdraws_nothing(upload):
    upload("dpo.csv", csv_bytes([WANG, IVAN]))
    job = upload("tambahan.csv", csv_bytes([FIXED]), full=False)
    assert (job.created_count, job.withdrawn_count) == (1, 0)
    assert all(e.status == EntryStatus.ACTIVE for e in entries().values())


def test_a_complete_list_of_which_nothing_could_be_read_withdraws_nothing(upload):
    upload("dpo.csv", csv_bytes([WANG, IVAN]))
    job = upload("rusak.csv", csv_bytes([BROKEN]))
    assert (job.status, job.rejected_count, job.withdrawn_count) == (JobStatus.DONE, 1, 0)
    assert job.error
    assert all(e.status == EntryStatus.ACTIVE for e in entries().values())


def test_followthemoney_lines_import_persons_and_reject_the_rest(upload):
    lines = [
        {"id": "NK-ivan", "schema": "Person", "datasets": ["ru_fsin_wanted"],
         "properties": {"name": ["Ivan Petrov"], "alias": ["Иван Петров"],
                        "birthDate": ["1979-02-02"], "nationality": ["ru"],
                        "passportNumber": ["75 0000002"], "gender": ["male"],
                        "topics": ["wanted"], "notes": ["Wanted for fraud"]}},
        {"id": "NK-acme", "schema": "Company", "properties": {"name": ["ACME Ltd"]}},
    ]
    data = ("\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
            + "\n{not json\n").encode()

    job = upload("targets.json", data)

    assert job.format == "ftm"
    assert (job.created_count, job.rejected_count) == (1, 2)
    ivan = entries()["NK-ivan"]
    assert (ivan.names, ivan.nationalities, ivan.documents, ivan.sex, ivan.topics) == (
        ["Ivan Petrov", "Иван Петров"], ["RUS"], ["750000002"], "M", ["wanted"])
    assert ivan.action == "arrest"  # the list's default: FollowTheMoney has no action
    assert {r.row_number: r.errors[0]["field"] for r in job.rejected_rows.all()} == {
        2: "schema", 3: "json"}


def test_the_xlsx_template_imports_as_it_is(upload):
    data = watchlist_template("xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[1]] == HEADERS

    job = upload("templat.xlsx", data)

    assert (job.created_count, job.rejected_count) == (2, 0)
    by_age = entries()["DPO-2025-0002"]
    # The age stays an age: the year it gives is worked out when screening.
    assert (by_age.age, by_age.birth_dates, by_age.age_recorded_on) == (45, [], TODAY)
    assert by_age.action == "discreet"


def test_the_csv_template_has_the_headers_and_examples():
    text = watchlist_template("csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADERS
    assert len(rows) == 3


def test_an_import_moves_the_version_once_and_queues_one_rescreen(officer, upload):
    make_person(actor=officer)  # the shared list screens the offices with foreigners
    before = ListsVersion.objects.first()
    job = upload("dpo.csv", csv_bytes([WANG, IVAN]))
    assert ListsVersion.objects.get().version == (before.version if before else 0) + 1
    assert RescreenJob.objects.filter(office=officer.office).count() == 1
    log = AuditLog.objects.get(object_type="screening.WatchlistImport", event=AuditEvent.IMPORT)
    assert log.changes["created"] == [None, 2]
    assert AuditLog.objects.filter(object_type="screening.WatchlistEntry",
                                   event=AuditEvent.IMPORT, note__startswith="dpo.csv").count() == 2
    assert job.created_by == officer


def test_an_import_names_the_entries_it_changed_for_the_indexes(upload, monkeypatch):
    """Created, updated and withdrawn entries are applied to each process's indexes one by
    one; past CHANGED_MAX of them, the indexes are built anew."""
    upload("dpo.csv", csv_bytes([WANG, IVAN]))
    first = ListsChange.objects.get(version=ListsVersion.objects.get().version)
    assert not first.everything
    assert first.entries == sorted(e.pk for e in entries().values())

    upload("dpo-2.csv", csv_bytes([{**WANG, "documents": "EA1234567|G7654321"}, FIXED]))
    second = ListsChange.objects.get(version=ListsVersion.objects.get().version)
    now = entries()
    assert second.entries == sorted(now[i].pk for i in ("DPO-1", "DPO-2", "DPO-3"))

    monkeypatch.setattr(imports, "CHANGED_MAX", 1)
    upload("dpo-3.csv", csv_bytes([WANG, IVAN]))
    third = ListsChange.objects.get(version=ListsVersion.objects.get().version)
    assert third.everything and third.entries == []


def test_an_import_whose_worker_ended_fails_and_rebuilds_the_indexes(officer, upload):
    """Chunks committed before the worker ended changed entries no version move named:
    the failure moves it for everything."""
    job = upload("dpo.csv", csv_bytes([WANG, IVAN]))
    before = ListsVersion.objects.get().version
    long_ago = timezone.now() - WatchlistImport.STALLED_AFTER - dt.timedelta(minutes=1)
    WatchlistImport.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING,
                                                     progress_at=long_ago, finished_at=None)
    login(officer).get(reverse("screening:import_detail", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert ListsVersion.objects.get().version == before + 1
    assert ListsChange.objects.get(version=before + 1).everything


def test_an_unchanged_reimport_changes_nothing(upload):
    upload("dpo.csv", csv_bytes([WANG, IVAN]))
    version = ListsVersion.objects.get().version
    job = upload("dpo.csv", csv_bytes([WANG, IVAN]))
    assert (job.unchanged_count, job.updated_count, job.created_count) == (2, 0, 0)
    assert ListsVersion.objects.get().version == version


@pytest.mark.parametrize("filename, data", [
    ("dpo.pdf", b"%PDF-1.4"),
    ("dpo.csv", b""),
    ("dpo.csv", b"nama,kewarganegaraan\nWANG,CHN\n"),
    ("dpo.xlsx", b"PK\x03\x04 not a workbook"),
])
def test_a_file_that_cannot_be_read_is_refused_before_a_job_exists(officer, wanted_list,
                                                                    filename, data):
    with pytest.raises(UploadError) as refused:
        watchlist_import_start(actor=officer, watchlist=wanted_list, filename=filename,
                               data=data)
    assert str(refused.value)
    assert not WatchlistImport.objects.exists()


def test_only_the_lists_office_may_upload(other_officer, wanted_list):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        watchlist_import_start(actor=other_officer, watchlist=wanted_list, filename="x.csv",
                               data=csv_bytes([WANG]))


# -------------------------------------------------------------------- hostile files


def test_a_gzip_bomb_fails_the_import_at_bounded_memory_and_saves_nothing(
        upload, monkeypatch):
    import tracemalloc

    from pora.core import uploads
    from pora.core.tests.hostile import gzip_bomb

    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 8 * 1024 * 1024)
    line = json.dumps({"id": "x", "schema": "Company", "properties": {}}).encode() + b"\n"
    data = gzip_bomb(64 * 1024 * 1024, line=line)
    assert len(data) < 200_000

    tracemalloc.start()
    try:
        job = upload("daftar.json.gz", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert job.status == JobStatus.FAILED
    assert "8 MB" in job.error
    # The unpacked file was 64 MB; read as a stream it is never held.
    assert peak < 32 * 1024 * 1024
    assert WatchlistEntry.objects.count() == 0
    assert job.rejected_rows.count() == 0


def test_a_watchlist_past_the_row_limit_is_refused_and_saves_nothing(upload, monkeypatch):
    from pora.screening.engine import readers

    monkeypatch.setattr(readers, "MAX_ROWS", 2)
    for name, data in (("daftar.csv", csv_bytes([WANG, IVAN, FIXED])),
                       ("daftar.json", b'{"id": "a", "schema": "Person"}\n' * 3)):
        job = upload(name, data)
        assert job.status == JobStatus.FAILED
        assert "2" in job.error
    assert WatchlistEntry.objects.count() == 0


def test_a_birth_date_in_the_future_is_refused(upload):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    next_month = tomorrow + dt.timedelta(days=31)
    rows = [{**WANG, "birth_date": tomorrow.isoformat()},
            {**IVAN, "birth_date": f"{next_month:%Y-%m}"},
            {**FIXED, "birth_date": f"{timezone.localdate():%Y}"}]
    job = upload("daftar.csv", csv_bytes(rows))
    assert (job.created_count, job.rejected_count) == (1, 2)
    assert {r.row_number: r.errors[0]["field"] for r in job.rejected_rows.all()} == {
        2: "birth_date", 3: "birth_date"}

    line = {"id": "NK-1", "schema": "Person",
            "properties": {"name": ["Ivan Petrov"], "birthDate": [tomorrow.isoformat()]}}
    job = upload("daftar.json", json.dumps(line).encode(), full=False)
    assert (job.created_count, job.rejected_count) == (0, 1)


def test_the_future_is_judged_by_what_a_partial_date_may_mean():
    from pora.screening.engine.readers import _in_future
    from pora.screening.engine.records import PartialDate

    today = dt.date(2024, 6, 15)
    assert not _in_future(PartialDate(2024), today)
    assert not _in_future(PartialDate(2024, 6), today)
    assert not _in_future(PartialDate(2024, 6, 15), today)
    assert _in_future(PartialDate(2024, 6, 16), today)
    assert _in_future(PartialDate(2024, 7), today)
    assert _in_future(PartialDate(2025), today)
