"""The visa index reference table: the committed data file, its loading, and the codes a
permit file may carry (current codes, older codes on permits issued while they were in use)."""

from __future__ import annotations

import datetime as dt

import pytest

from pora.jobs.models import JobStatus
from pora.registry.models import StayPermit, VisaIndex
from pora.registry.tests import test_import_permits as permit_files
from pora.registry.tests.test_import_permits import WANG, csv_bytes, rejected_fields, row
from pora.registry.visa_codes import (
    CodeVersion,
    DataFileError,
    choose,
    load_rows,
    read_rows,
)

FILE_ROWS = read_rows()
# The permit import tests' fixtures: uploads under a temporary MEDIA_ROOT, run as the worker.
media = permit_files.media
run_import = permit_files.run_import


def test_the_data_file_reads_cleanly_with_current_and_older_schemes():
    schemes = {r.scheme for r in FILE_ROWS}
    assert {"2025", "2023", "pra-2023"} <= schemes
    codes = {r.code for r in FILE_ROWS}
    # Codes that real permit files carry.
    assert {"E28A", "E31A", "C312", "B211A", "D12", "A1", "B1", "E23", "E28F"} <= codes
    assert all(r.permit_kind in {"ITK", "ITAS", "ITAP", ""} for r in FILE_ROWS)
    assert all(r.description and r.source for r in FILE_ROWS)


HEAD = "code,scheme,permit_kind,purpose_id,purpose_en,valid_from,valid_until,replaces,source\n"


@pytest.mark.parametrize(("text", "fragment"), [
    ("code,scheme\nA1,2025\n", "line 1"),
    (HEAD + "A1,2025,KITAS,x,x,2025-06-13,,,s\n", "line 2"),
    (HEAD + "A1,2025,ITK,x,x,2025-06-13,,,s\nA1,2025,ITK,y,y,2025-06-13,,,s\n", "twice"),
    (HEAD + "A1,2025,ITK,x,x,13-06-2025,,,s\n", "YYYY-MM-DD"),
    (HEAD + "A1,2025,ITK,x,x,2025-06-13,2025-01-01,,s\n", "before"),
])
def test_a_bad_line_in_the_data_file_is_named(text, fragment):
    with pytest.raises(DataFileError, match=fragment):
        read_rows(text)


@pytest.mark.django_db
def test_the_migration_loaded_every_row_of_the_data_file():
    stored = {(v.code, v.scheme): v for v in VisaIndex.objects.all()}
    for r in FILE_ROWS:
        obj = stored[(r.code, r.scheme)]
        assert {k: getattr(obj, k) for k in r.values()} == r.values()
        assert obj.is_active
    # The seed's "pre-2025" scheme was renamed, not duplicated.
    assert not VisaIndex.objects.filter(scheme="pre-2025").exists()
    assert VisaIndex.objects.filter(code="C312").count() == 1


@pytest.mark.django_db
def test_loading_again_is_idempotent_updates_changed_rows_and_keeps_other_codes():
    e23 = VisaIndex.objects.get(code="E23", scheme="2025")
    VisaIndex.objects.filter(pk=e23.pk).update(description="diubah", valid_until=dt.date(2030, 1, 1))
    extra = VisaIndex.objects.create(code="X9", scheme="lokal", description="kode tambahan",
                                     permit_kind="ITK", valid_from=dt.date(2020, 1, 1))
    count = VisaIndex.objects.count()

    created, updated = load_rows(VisaIndex, FILE_ROWS)

    assert created == []
    assert [(obj.pk, sorted(changes)) for obj, changes in updated] == [
        (e23.pk, ["description", "valid_until"])]
    e23.refresh_from_db()
    assert e23.valid_until is None and e23.description != "diubah"
    assert VisaIndex.objects.filter(pk=extra.pk).exists()
    assert VisaIndex.objects.count() == count
    assert load_rows(VisaIndex, FILE_ROWS) == ([], [])


# ------------------------------------------------------------------- codes on permits

V = CodeVersion
A1_2023 = V(1, "A1", "2023", dt.date(2023, 9, 1), dt.date(2025, 6, 12), True)
A1_2025 = V(2, "A1", "2025", dt.date(2025, 6, 13), None, True)
A2_2023 = V(3, "A2", "2023", dt.date(2023, 9, 1), dt.date(2025, 6, 12), True)
OFF = V(4, "Q1", "2025", dt.date(2025, 6, 13), None, False)

CHOICES = [
    # (versions, issued on, chosen pk or problem)
    ([A1_2023, A1_2025], dt.date(2024, 3, 1), 1),
    ([A1_2023, A1_2025], dt.date(2025, 6, 12), 1),
    ([A1_2023, A1_2025], dt.date(2025, 6, 13), 2),
    ([A1_2023, A1_2025], dt.date(2026, 1, 5), 2),
    ([A1_2023, A1_2025], None, 2),
    # Before the first start date (approximate for older schemes): not refused.
    ([A1_2023, A1_2025], dt.date(2022, 1, 1), 1),
    ([A2_2023], dt.date(2025, 6, 12), 3),
    ([A2_2023], dt.date(2025, 6, 13), "retired"),
    ([OFF], dt.date(2026, 1, 1), "inactive"),
    ([], dt.date(2026, 1, 1), "unknown"),
]


@pytest.mark.parametrize(("versions", "on", "expected"), CHOICES)
def test_a_code_is_chosen_by_the_permits_issue_date(versions, on, expected):
    choice = choose(versions, on)
    if isinstance(expected, int):
        assert choice.version.pk == expected
    else:
        assert choice.version is None and choice.problem == expected


def permit_row(code: str, issued: str, number: str) -> dict:
    return row(WANG, indeks_visa=code, tanggal_terbit=issued, berlaku_mulai=issued,
               berlaku_sampai="2027-12-31", nomor_izin=number)


@pytest.mark.parametrize(("code", "issued", "scheme"), [
    ("E28A", "2024-02-01", "2023"),
    ("E31A", "2026-03-01", "2023"),
    ("C312", "2021-07-01", "pra-2023"),
    ("B211A", "2022-11-15", "pra-2023"),
    ("D12", "2024-05-20", "2023"),
    ("D12", "2025-09-01", "2025"),
    ("e28f", "2025-10-01", "2025"),
])
def test_real_permit_codes_import(run_import, code, issued, scheme):
    job = run_import("izin.csv", csv_bytes([permit_row(code, issued, "2C11AB0099001")]))

    assert (job.status, job.created_count, job.rejected_count) == (JobStatus.DONE, 1, 0)
    permit = StayPermit.objects.select_related("visa_index").get(number="2C11AB0099001")
    assert (permit.visa_index.code, permit.visa_index.scheme) == (code.upper(), scheme)


def test_a_code_dropped_in_2025_is_accepted_before_and_refused_after(run_import):
    job = run_import("izin.csv", csv_bytes([
        permit_row("A2", "2024-08-01", "1A11AB0000001"),
        permit_row("A2", "2025-08-01", "1A11AB0000002"),
    ]))

    assert (job.created_count, job.rejected_count) == (1, 1)
    assert StayPermit.objects.get().number == "1A11AB0000001"
    error = job.rejected_rows.get().errors[0]
    assert error["field"] == "indeks_visa"
    assert "A2" in error["message"] and "12-06-2025" in error["message"]


def test_when_the_issue_date_is_missing_the_first_day_decides(run_import):
    late = row(permit_row("B2", "2025-07-01", "1A11AB0000003"), tanggal_terbit="")
    job = run_import("izin.csv", csv_bytes([late]))
    assert rejected_fields(job) == {2: ["indeks_visa"]}


def test_an_unknown_code_is_refused_naming_the_code(run_import):
    job = run_import("izin.csv", csv_bytes([permit_row("ZZ42", "2025-08-01", "1A11AB0000004")]))
    error = job.rejected_rows.get().errors[0]
    assert error["field"] == "indeks_visa" and "ZZ42" in error["message"]


def test_a_deactivated_code_is_refused(run_import):
    VisaIndex.objects.filter(code="E28G").update(is_active=False)
    job = run_import("izin.csv", csv_bytes([permit_row("E28G", "2025-08-01", "1A11AB0000005")]))
    error = job.rejected_rows.get().errors[0]
    assert error["field"] == "indeks_visa" and "E28G" in error["message"]


@pytest.mark.django_db
def test_the_loading_command_adds_and_updates_with_audit_rows(tmp_path):
    from django.core.management import call_command

    from pora.core.models import AuditEvent, AuditLog
    from pora.registry.visa_codes import DATA_FILE

    text = DATA_FILE.read_text(encoding="utf-8").replace(
        "Visa tinggal terbatas investor asing yang menanamkan modal di Ibu Kota Nusantara",
        "Investor di IKN") + "E99X,2025,ITAS,Kode baru,New code,2025-06-13,,,uji\n"
    path = tmp_path / "kode.csv"
    path.write_text(text, encoding="utf-8")

    call_command("visa_index_load", str(path))

    assert VisaIndex.objects.get(code="E28F").description == "Investor di IKN"
    assert VisaIndex.objects.filter(code="E99X", scheme="2025").exists()
    events = sorted(AuditLog.objects.filter(object_type="registry.VisaIndex")
                    .values_list("event", flat=True))
    assert events == [AuditEvent.CREATE, AuditEvent.UPDATE]
    call_command("visa_index_load", str(path))
    assert AuditLog.objects.filter(object_type="registry.VisaIndex").count() == 2
