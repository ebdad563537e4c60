"""Permit files (CSV and XLSX) in, persons, passports, sponsors, permits and audit rows out."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from pora.conftest import kelurahan, login
from pora.core.models import AuditEvent, AuditLog
from pora.jobs.models import JobStatus
from pora.registry.importing import COLUMNS, read_table
from pora.registry.models import (
    PermitImport,
    Person,
    RejectedRow,
    Sponsor,
    StayPermit,
    TravelDocument,
)
from pora.registry.services.imports import UploadError, permit_import_run, permit_import_start

HEADERS = [c.header for c in COLUMNS]

WANG = {
    "nomor_izin": "2C11AB0012345", "jenis_izin": "ITAS", "indeks_visa": "E23", "tujuan": "kerja",
    "tanggal_terbit": "2024-01-10", "berlaku_mulai": "2024-01-15",
    "berlaku_sampai": "2025-01-14", "status": "aktif", "tanggal_batal": "",
    "tanggal_keluar": "", "nama_keluarga": "WANG", "nama_depan": "XIAOMING",
    "jenis_kelamin": "L", "tanggal_lahir": "1985-03-21", "kewarganegaraan": "CHN",
    "nomor_paspor": "EA1234567", "negara_paspor": "CHN", "paspor_berlaku_sampai": "2031-05-01",
    "kelurahan": "Pluit", "alamat": "Jl. Pluit Karang Ayu No. 5",
    "penjamin": "PT Samudra Logistik Nusantara", "jenis_penjamin": "perusahaan",
    "kontak_penjamin": "Budi Santoso", "telepon_penjamin": "021-6601234",
    "pemberi_kerja": "PT Samudra Logistik Nusantara",
}
KIM = {
    **{h: "" for h in HEADERS},
    "nomor_izin": "1D21KR0000777", "jenis_izin": "ITK", "indeks_visa": "B211A",
    "tujuan": "wisata", "berlaku_mulai": "05-01-2024", "berlaku_sampai": "04-03-2024",
    "nama_keluarga": "KIM", "nama_depan": "MIN JUN", "jenis_kelamin": "P",
    "tanggal_lahir": "1990-07", "kewarganegaraan": "KR", "nomor_paspor": "M12345678",
    "kelurahan": "31.72.06.1001", "alamat": "Jl. Boulevard Raya 3",
}
SMITH = {
    **{h: "" for h in HEADERS},
    "nomor_izin": "2D31GB0000042", "jenis_izin": "ITAP", "tujuan": "keluarga",
    "berlaku_mulai": "2023-09-01", "berlaku_sampai": "2028-08-31",
    "nama_keluarga": "SMITH", "nama_depan": "JOHN", "jenis_kelamin": "M",
    "tanggal_lahir": "1960", "kewarganegaraan": "United Kingdom", "nomor_paspor": "123456789",
    "kelurahan": "pluit", "penjamin": "PT. SAMUDRA LOGISTIK NUSANTARA",
}
GOOD_ROWS = [WANG, KIM, SMITH]


def row(base: dict, **changes) -> dict:
    return {**base, **changes}


def csv_bytes(rows: list[dict], *, headers=None, delimiter=",", encoding="utf-8") -> bytes:
    headers = headers or HEADERS
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for values in rows:
        writer.writerow([values.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], *, headers=None) -> bytes:
    headers = headers or HEADERS
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run_import(officer, django_capture_on_commit_callbacks):
    """Upload a file as the Jakarta Utara officer and run it as the worker would."""

    def run(filename: str, data: bytes, *, actor=None) -> PermitImport:
        with django_capture_on_commit_callbacks(execute=True):
            job = permit_import_start(actor=actor or officer, filename=filename, data=data,
                                      run_now=True)
        job.refresh_from_db()
        return job

    return run


def rejected_fields(job: PermitImport) -> dict[int, list[str]]:
    return {r.row_number: [e["field"] for e in r.errors] for r in job.rejected_rows.all()}


def permit_audits():
    return AuditLog.objects.filter(object_type="registry.StayPermit")


# ------------------------------------------------------------------------ good rows


def test_good_rows_create_persons_documents_sponsors_and_permits(run_import, jakut):
    job = run_import("izin.csv", csv_bytes(GOOD_ROWS))

    assert job.status == JobStatus.DONE, job.error
    assert (job.total_rows, job.processed_rows) == (3, 3)
    assert (job.created_count, job.updated_count, job.unchanged_count,
            job.rejected_count) == (3, 0, 0, 0)
    assert job.percent == 100
    assert Person.objects.count() == 3
    assert StayPermit.objects.count() == 3
    # Both spellings of the company name are one sponsor.
    assert Sponsor.objects.count() == 1

    wang = StayPermit.objects.select_related("person", "visa_index", "sponsor",
                                             "kelurahan").get(number="2C11AB0012345")
    assert wang.kind == "ITAS"
    assert wang.visa_index.code == "E23"
    assert wang.purpose == "work"
    assert (wang.issue_date, wang.valid_from, wang.valid_until) == (
        dt.date(2024, 1, 10), dt.date(2024, 1, 15), dt.date(2025, 1, 14))
    assert wang.status == "active"
    assert wang.kelurahan.name == "Pluit"
    assert wang.office == jakut
    assert wang.sponsor.name == "PT Samudra Logistik Nusantara"
    assert wang.sponsor.kind == "company"
    assert wang.sponsor.contact_name == "Budi Santoso"
    assert wang.employer == "PT Samudra Logistik Nusantara"
    assert wang.stay_ends_on is None
    person = wang.person
    assert (person.surname, person.given_names, person.sex) == ("WANG", "XIAOMING", "M")
    assert (person.birth_year, person.birth_month, person.birth_day) == (1985, 3, 21)
    assert person.nationality == "CHN"
    assert person.office == jakut
    assert "xiaoming" in person.name_search
    document = person.documents.get()
    assert (document.number, document.issuing_state, document.expiry_date) == (
        "EA1234567", "CHN", dt.date(2031, 5, 1))

    kim = StayPermit.objects.select_related("person", "kelurahan").get(number="1D21KR0000777")
    assert (kim.valid_from, kim.valid_until) == (dt.date(2024, 1, 5), dt.date(2024, 3, 4))
    assert kim.purpose == "tourism"
    assert kim.sponsor is None
    assert kim.kelurahan.name == "Kelapa Gading Barat"
    assert (kim.person.sex, kim.person.nationality) == ("F", "KOR")
    assert kim.person.documents.get().issuing_state == "KOR"

    smith = StayPermit.objects.select_related("person").get(number="2D31GB0000042")
    assert smith.visa_index is None
    assert smith.sponsor == wang.sponsor
    assert smith.person.nationality == "GBR"
    assert smith.person.documents.get().number == "123456789"


def test_good_rows_leave_audit_rows_with_actor_and_values(run_import, officer):
    job = run_import("izin.csv", csv_bytes(GOOD_ROWS))

    audits = permit_audits().filter(event=AuditEvent.IMPORT)
    assert audits.count() == 3
    wang = StayPermit.objects.get(number="2C11AB0012345")
    entry = audits.get(object_label="2C11AB0012345")
    assert entry.actor == officer
    assert entry.actor_label == "petugas_jakut"
    assert entry.object_id == str(wang.pk)
    assert entry.person_id == wang.person_id
    assert entry.office_id == wang.office_id
    assert entry.changes["valid_until"] == [None, "2025-01-14"]
    assert entry.changes["kind"] == [None, "ITAS"]
    # A new person is named in the permit's entry, with the passport it came with.
    values = [new for _old, new in entry.changes.values()]
    assert "WANG, XIAOMING" in values
    assert any(str(v).startswith("EA1234567") for v in values)
    assert entry.note == f"izin.csv #{job.pk}, baris 2"

    sponsor_entry = AuditLog.objects.get(object_type="registry.Sponsor")
    assert sponsor_entry.actor == officer
    assert sponsor_entry.changes == {"name": [None, "PT Samudra Logistik Nusantara"]}

    job_entries = AuditLog.objects.filter(object_type="registry.PermitImport",
                                          object_id=str(job.pk))
    assert job_entries.get(event=AuditEvent.CREATE).changes["file"] == [None, "izin.csv"]
    assert job_entries.get(event=AuditEvent.IMPORT).changes == {
        "created": [None, 3], "updated": [None, 0], "unchanged": [None, 0],
        "rejected": [None, 0]}


def test_second_import_of_same_file_creates_nothing(run_import):
    data = csv_bytes(GOOD_ROWS)
    run_import("izin.csv", data)
    audits_before = permit_audits().count()

    second = run_import("izin.csv", data)

    assert second.status == JobStatus.DONE
    assert (second.created_count, second.updated_count, second.unchanged_count,
            second.rejected_count) == (0, 0, 3, 0)
    assert Person.objects.count() == 3
    assert TravelDocument.objects.count() == 3
    assert StayPermit.objects.count() == 3
    assert Sponsor.objects.count() == 1
    assert permit_audits().count() == audits_before
    assert not AuditLog.objects.filter(object_type="registry.Person").exists()


def test_the_same_rows_as_excel_after_csv_are_unchanged(run_import):
    run_import("izin.csv", csv_bytes(GOOD_ROWS))
    second = run_import("izin.xlsx", xlsx_bytes(GOOD_ROWS))
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 3)


def test_changed_row_updates_the_permit_and_audits_before_and_after(run_import, officer):
    run_import("izin.csv", csv_bytes(GOOD_ROWS))
    changed = row(WANG, berlaku_sampai="2025-07-14", kelurahan="Ancol",
                  alamat="Jl. Lodan Raya 2")

    job = run_import("izin-revisi.csv", csv_bytes([changed, KIM, SMITH]))

    assert (job.created_count, job.updated_count, job.unchanged_count,
            job.rejected_count) == (0, 1, 2, 0)
    permit = StayPermit.objects.select_related("person__kelurahan").get(number="2C11AB0012345")
    assert permit.valid_until == dt.date(2025, 7, 14)
    assert permit.kelurahan == kelurahan("Ancol")
    assert permit.person.kelurahan == kelurahan("Ancol")
    assert permit.person.street == "Jl. Lodan Raya 2"
    assert StayPermit.objects.count() == 3
    entry = permit_audits().get(event=AuditEvent.UPDATE)
    assert entry.actor == officer
    assert entry.object_id == str(permit.pk)
    assert entry.changes["valid_until"] == ["2025-01-14", "2025-07-14"]
    assert entry.changes["street"] == ["Jl. Pluit Karang Ayu No. 5", "Jl. Lodan Raya 2"]
    assert entry.changes["kelurahan_id"] == [kelurahan("Pluit").pk, kelurahan("Ancol").pk]
    assert entry.changes["person.kelurahan_id"] == [kelurahan("Pluit").pk,
                                                    kelurahan("Ancol").pk]
    assert "kind" not in entry.changes


def test_changed_birth_date_alone_updates_the_person_and_is_audited(run_import):
    run_import("izin.csv", csv_bytes(GOOD_ROWS))

    job = run_import("izin.csv", csv_bytes([row(WANG, tanggal_lahir="1985-03-12")]))

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 0)
    person = Person.objects.get(surname="WANG")
    assert person.birth_day == 12
    entry = permit_audits().get(event=AuditEvent.UPDATE)
    assert entry.changes == {"person.birth_day": [21, 12]}


def test_new_permit_for_a_known_passport_extends_the_same_person(run_import):
    run_import("izin.csv", csv_bytes([WANG]))
    extension = row(WANG, nomor_izin="2C11AB0099999", tanggal_terbit="2025-01-02",
                    berlaku_mulai="2025-01-15", berlaku_sampai="2026-01-14",
                    tanggal_lahir="")

    job = run_import("perpanjangan.csv", csv_bytes([extension]))

    assert job.created_count == 1
    assert Person.objects.count() == 1
    person = Person.objects.get()
    # An empty birth date in a later file does not erase the known one.
    assert (person.birth_year, person.birth_month, person.birth_day) == (1985, 3, 21)
    first, second = person.permits.order_by("valid_from")
    assert first.superseded_on == dt.date(2025, 1, 15)
    assert first.stay_ends_on == dt.date(2025, 1, 15)
    assert second.superseded_on is None


# ------------------------------------------------------------------------- bad rows

BAD_ROWS = [
    # (id, changes to WANG, field named in the rejection)
    ("impossible_birth_date", {"tanggal_lahir": "2024-02-30"}, "tanggal_lahir"),
    ("impossible_first_day", {"berlaku_mulai": "2024-02-30"}, "berlaku_mulai"),
    ("unreadable_last_day", {"berlaku_sampai": "next year"}, "berlaku_sampai"),
    ("last_day_before_first_day", {"berlaku_mulai": "2024-06-01",
                                   "berlaku_sampai": "2024-05-31"}, "berlaku_sampai"),
    ("unknown_country_code", {"kewarganegaraan": "XYZ"}, "kewarganegaraan"),
    ("unknown_passport_state", {"negara_paspor": "QQQ"}, "negara_paspor"),
    ("unknown_kelurahan", {"kelurahan": "Atlantis"}, "kelurahan"),
    ("unknown_visa_index_code", {"indeks_visa": "Z999"}, "indeks_visa"),
    ("missing_permit_number", {"nomor_izin": ""}, "nomor_izin"),
    ("missing_permit_kind", {"jenis_izin": ""}, "jenis_izin"),
    ("unknown_permit_kind", {"jenis_izin": "KITAS"}, "jenis_izin"),
    ("missing_first_day", {"berlaku_mulai": ""}, "berlaku_mulai"),
    ("missing_nationality", {"kewarganegaraan": ""}, "kewarganegaraan"),
    ("missing_passport_number", {"nomor_paspor": ""}, "nomor_paspor"),
    ("passport_number_with_punctuation", {"nomor_paspor": "EA-123/45"}, "nomor_paspor"),
    ("no_name_at_all", {"nama_keluarga": "", "nama_depan": ""}, "nama_keluarga"),
    ("bad_sex", {"jenis_kelamin": "Q"}, "jenis_kelamin"),
    ("unknown_purpose", {"tujuan": "jalan-jalan"}, "tujuan"),
    ("unknown_status", {"status": "hilang"}, "status"),
    ("cancelled_without_date", {"status": "dibatalkan"}, "tanggal_batal"),
    ("birth_in_the_future", {"tanggal_lahir": "2999-01-01"}, "tanggal_lahir"),
    ("birth_month_13", {"tanggal_lahir": "1985-13"}, "tanggal_lahir"),
    ("issue_date_in_the_future", {"tanggal_terbit": "2999-01-01"}, "tanggal_terbit"),
    ("departure_before_first_day", {"tanggal_keluar": "2023-12-31"}, "tanggal_keluar"),
    ("unknown_sponsor_kind", {"jenis_penjamin": "koperasi"}, "jenis_penjamin"),
    ("street_too_long", {"alamat": "x" * 201}, "alamat"),
]


@pytest.mark.parametrize(("changes", "field"), [c[1:] for c in BAD_ROWS],
                         ids=[c[0] for c in BAD_ROWS])
def test_bad_row_is_rejected_naming_the_field_and_the_good_rows_still_land(
        run_import, changes, field):
    bad = row(WANG, **changes)
    job = run_import("izin.csv", csv_bytes([KIM, bad, SMITH]))

    assert job.status == JobStatus.DONE
    assert (job.created_count, job.rejected_count) == (2, 1)
    rejected = job.rejected_rows.get()
    assert rejected.row_number == 3
    assert [e["field"] for e in rejected.errors] == [field]
    assert all(e["message"].strip() for e in rejected.errors)
    # The row is kept as written, to be fixed and uploaded again.
    assert rejected.values == {h: bad.get(h, "") for h in HEADERS}
    assert not StayPermit.objects.filter(number=WANG["nomor_izin"]).exists()
    assert not TravelDocument.objects.filter(number="EA1234567").exists()


def test_row_with_several_problems_names_each_field(run_import):
    bad = row(WANG, tanggal_lahir="2024-02-30", kewarganegaraan="XYZ", kelurahan="Atlantis",
              indeks_visa="Z999", jenis_kelamin="?")
    job = run_import("izin.csv", csv_bytes([bad]))
    fields = rejected_fields(job)[2]
    assert sorted(fields) == sorted(["tanggal_lahir", "kewarganegaraan", "kelurahan",
                                     "indeks_visa", "jenis_kelamin"])
    assert Person.objects.count() == 0


def test_rejection_messages_are_in_bahasa_indonesia_by_default(run_import):
    job = run_import("izin.csv", csv_bytes([row(WANG, nomor_paspor="")]))
    message = job.rejected_rows.get().errors[0]["message"]
    assert message
    # Whatever the wording, it is not left as the English msgid when Indonesian exists.
    from django.utils import translation

    with translation.override("id"):
        expected = translation.gettext("is required")
    assert message == expected


def test_duplicate_permit_number_with_conflicting_data_is_rejected(run_import):
    conflicting = row(WANG, berlaku_sampai="2025-06-30")
    job = run_import("izin.csv", csv_bytes([WANG, KIM, conflicting]))

    assert (job.created_count, job.rejected_count) == (2, 1)
    assert rejected_fields(job) == {4: ["nomor_izin"]}
    assert "2" in job.rejected_rows.get().errors[0]["message"]
    assert StayPermit.objects.get(number=WANG["nomor_izin"]).valid_until == dt.date(2025, 1, 14)


def test_identical_duplicate_row_is_counted_unchanged(run_import):
    job = run_import("izin.csv", csv_bytes([WANG, KIM, WANG]))
    assert (job.created_count, job.unchanged_count, job.rejected_count) == (2, 1, 0)
    assert StayPermit.objects.count() == 2


def test_same_passport_with_another_name_in_one_file_is_rejected(run_import):
    impostor = row(KIM, nomor_paspor=WANG["nomor_paspor"], kewarganegaraan="CHN")
    job = run_import("izin.csv", csv_bytes([WANG, impostor]))
    assert rejected_fields(job) == {3: ["nomor_paspor"]}
    assert Person.objects.count() == 1


def test_two_permits_of_one_passport_in_one_file_make_one_person(run_import):
    earlier = row(WANG, nomor_izin="2C11AB0000001", berlaku_mulai="2023-01-15",
                  berlaku_sampai="2024-01-14", tanggal_terbit="2023-01-10")
    job = run_import("izin.csv", csv_bytes([earlier, WANG]))
    assert job.created_count == 2
    assert Person.objects.count() == 1
    assert TravelDocument.objects.count() == 1
    old = StayPermit.objects.get(number="2C11AB0000001")
    assert old.superseded_on == dt.date(2024, 1, 15)


def test_permit_number_of_another_passport_holder_is_rejected(run_import, wang):
    # wang holds 2C11AA0000001 with passport EA1234567.
    stranger = row(SMITH, nomor_izin="2C11AA0000001")
    job = run_import("izin.csv", csv_bytes([stranger, KIM]))

    assert (job.created_count, job.rejected_count) == (1, 1)
    assert rejected_fields(job) == {2: ["nomor_izin"]}
    permit = StayPermit.objects.get(number="2C11AA0000001")
    assert permit.person == wang
    assert permit.kind == "ITAS"
    assert not Person.objects.filter(surname="SMITH").exists()


# ---------------------------------------------------------------- whole-file errors


def _nothing_saved() -> None:
    assert Person.objects.count() == 0
    assert TravelDocument.objects.count() == 0
    assert StayPermit.objects.count() == 0
    assert Sponsor.objects.count() == 0
    assert RejectedRow.objects.count() == 0


FILE_ERRORS = [
    ("missing_required_column", "izin.csv",
     csv_bytes(GOOD_ROWS, headers=[h for h in HEADERS if h != "nomor_izin"]), "nomor_izin"),
    ("missing_two_required_columns", "izin.xlsx",
     xlsx_bytes(GOOD_ROWS, headers=[h for h in HEADERS
                                    if h not in ("berlaku_sampai", "kewarganegaraan")]),
     "berlaku_sampai, kewarganegaraan"),
    ("column_twice", "izin.csv",
     csv_bytes(GOOD_ROWS, headers=[*HEADERS, "permit_number"]), "nomor_izin"),
    ("not_utf8", "izin.csv",
     csv_bytes([row(WANG, nama_keluarga="MÜLLER")], encoding="cp1252"), ""),
    ("only_blank_lines", "izin.csv", b"\r\n\r\n,,,\r\n", ""),
    ("garbage_named_xlsx", "izin.xlsx", b"PK\x03\x04 this is not a workbook" * 20, ""),
    ("binary_named_csv", "izin.csv", b"nomor_izin\x00\x01\x02", ""),
]


@pytest.mark.parametrize(("filename", "data", "hint"), [c[1:] for c in FILE_ERRORS],
                         ids=[c[0] for c in FILE_ERRORS])
def test_unreadable_file_fails_the_job_with_a_clear_error_and_saves_nothing(
        run_import, filename, data, hint):
    job = run_import(filename, data)

    assert job.status == JobStatus.FAILED
    assert job.error.strip()
    # Messages are translated; only the column names they carry are fixed text.
    assert hint in job.error
    assert job.finished_at is not None
    assert (job.created_count, job.rejected_count) == (0, 0)
    _nothing_saved()


def test_not_utf8_error_names_the_line(run_import):
    data = csv_bytes([WANG, row(KIM, nama_keluarga="MÜLLER")], encoding="cp1252")
    job = run_import("izin.csv", data)
    assert job.status == JobStatus.FAILED
    assert "3" in job.error


@pytest.mark.parametrize(
    ("filename", "data"),
    [("izin.pdf", b"%PDF-1.4 ..."), ("izin.csv", b""), ("izin", csv_bytes(GOOD_ROWS))],
    ids=["pdf_name", "empty_file", "no_extension"],
)
def test_upload_of_wrong_kind_or_empty_file_is_refused_before_a_job_exists(
        officer, filename, data):
    with pytest.raises(UploadError) as refused:
        permit_import_start(actor=officer, filename=filename, data=data, run_now=True)
    assert str(refused.value)
    assert PermitImport.objects.count() == 0


def test_oversized_upload_is_refused(officer, settings):
    settings.PORA_MAX_UPLOAD_MB = 1
    data = csv_bytes(GOOD_ROWS) + b"\n" * (1024 * 1024)
    with pytest.raises(UploadError) as refused:
        permit_import_start(actor=officer, filename="besar.csv", data=data, run_now=True)
    assert "1 MB" in str(refused.value)
    assert PermitImport.objects.count() == 0


def test_oversized_upload_through_the_page_shows_an_error(as_officer, settings):
    settings.PORA_MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("besar.csv", csv_bytes(GOOD_ROWS) + b"\n" * (1024 * 1024))
    response = as_officer.post(reverse("registry:import_list"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert PermitImport.objects.count() == 0


def test_rows_spread_over_several_chunks_are_applied_as_one_file(run_import, monkeypatch):
    from pora.registry.services import imports

    monkeypatch.setattr(imports, "CHUNK_SIZE", 2)
    earlier = row(WANG, nomor_izin="2C11AB0000001", berlaku_mulai="2023-01-15",
                  berlaku_sampai="2024-01-14", tanggal_terbit="2023-01-10")
    conflicting = row(KIM, berlaku_sampai="2024-03-31")
    # chunk 1: WANG's first permit, KIM; chunk 2: SMITH, WANG's extension;
    # chunk 3: KIM again (identical), KIM with other data.
    job = run_import("izin.csv", csv_bytes([earlier, KIM, SMITH, WANG, KIM, conflicting]))

    assert (job.total_rows, job.processed_rows) == (6, 6)
    assert (job.created_count, job.updated_count, job.unchanged_count,
            job.rejected_count) == (4, 0, 1, 1)
    assert rejected_fields(job) == {7: ["nomor_izin"]}
    assert Person.objects.count() == 3
    wang = Person.objects.get(surname="WANG")
    first, second = wang.permits.order_by("valid_from")
    assert first.superseded_on == second.valid_from == dt.date(2024, 1, 15)
    assert first.stay_ends_on == dt.date(2024, 1, 15)


def test_cancelled_and_departed_rows_keep_their_dates(run_import):
    cancelled = row(WANG, status="dibatalkan", tanggal_batal="2024-06-01")
    departed = row(KIM, tanggal_keluar="2024-02-10")
    job = run_import("izin.csv", csv_bytes([cancelled, departed]))

    assert (job.created_count, job.rejected_count) == (2, 0)
    wang = StayPermit.objects.get(number=WANG["nomor_izin"])
    assert (wang.status, wang.cancelled_on, wang.effective_until) == (
        "cancelled", dt.date(2024, 6, 1), dt.date(2024, 5, 31))
    kim = StayPermit.objects.get(number=KIM["nomor_izin"])
    assert kim.departed_on == dt.date(2024, 2, 10)
    # The headline's range scan relies on the stay ending on the departure day.
    assert kim.stay_ends_on == dt.date(2024, 2, 10)


def test_a_finished_job_is_not_run_twice(run_import):
    job = run_import("izin.csv", csv_bytes(GOOD_ROWS))
    again = permit_import_run(job_id=job.pk)
    assert again.status == JobStatus.DONE
    assert again.created_count == 3
    assert StayPermit.objects.count() == 3


# ------------------------------------------------------------------- file variants


def test_semicolon_delimited_csv_is_read(run_import):
    job = run_import("izin.csv", csv_bytes(GOOD_ROWS, delimiter=";"))
    assert (job.status, job.created_count, job.rejected_count) == (JobStatus.DONE, 3, 0)
    assert StayPermit.objects.get(number=WANG["nomor_izin"]).valid_until == dt.date(2025, 1, 14)


def test_tab_delimited_csv_with_bom_and_english_headers_is_read(run_import):
    english = {c.header: c.key for c in COLUMNS}
    headers = [english[h] for h in HEADERS]
    data = "\ufeff".encode() + csv_bytes(
        [{english[h]: v for h, v in r.items()} for r in GOOD_ROWS], headers=headers,
        delimiter="\t")
    job = run_import("permits.txt", data)
    assert (job.status, job.created_count, job.rejected_count) == (JobStatus.DONE, 3, 0)


def test_extra_columns_are_ignored_and_kept_for_rejected_rows(run_import):
    headers = [*HEADERS, "catatan"]
    bad = row(WANG, kewarganegaraan="XYZ", catatan="cek lagi")
    job = run_import("izin.csv", csv_bytes([KIM, bad], headers=headers))
    assert job.created_count == 1
    assert job.rejected_rows.get().values["catatan"] == "cek lagi"


def test_excel_date_and_number_cells_are_read(run_import):
    excel_row = row(
        WANG, tanggal_terbit=dt.date(2024, 1, 10), berlaku_mulai=dt.datetime(2024, 1, 15),
        berlaku_sampai=dt.date(2025, 1, 14), tanggal_lahir=dt.date(1985, 3, 21),
        paspor_berlaku_sampai=dt.date(2031, 5, 1), nomor_paspor=123456789,
    )
    smith = row(SMITH, tanggal_lahir=1960, nomor_paspor=987654321.0)
    job = run_import("izin.xlsx", xlsx_bytes([excel_row, smith]))

    assert (job.status, job.created_count, job.rejected_count) == (JobStatus.DONE, 2, 0)
    permit = StayPermit.objects.select_related("person").get(number=WANG["nomor_izin"])
    assert (permit.issue_date, permit.valid_from, permit.valid_until) == (
        dt.date(2024, 1, 10), dt.date(2024, 1, 15), dt.date(2025, 1, 14))
    assert (permit.person.birth_year, permit.person.birth_month,
            permit.person.birth_day) == (1985, 3, 21)
    assert permit.person.documents.get().number == "123456789"
    assert permit.person.documents.get().expiry_date == dt.date(2031, 5, 1)
    smith_person = Person.objects.get(surname="SMITH")
    assert smith_person.birth_year == 1960
    assert smith_person.documents.get().number == "987654321"


@pytest.mark.parametrize(
    ("birth", "expected"),
    [("1985", (1985, None, None)), ("1985-03", (1985, 3, None)),
     ("21-03-1985", (1985, 3, 21)), ("21/03/1985", (1985, 3, 21)), ("", (None, None, None))],
    ids=["year_only", "year_and_month", "day_month_year_dashes", "day_month_year_slashes",
         "unknown"],
)
def test_partial_birth_dates_are_kept_as_given(run_import, birth, expected):
    job = run_import("izin.csv", csv_bytes([row(WANG, tanggal_lahir=birth)]))
    assert job.created_count == 1
    person = Person.objects.get()
    assert (person.birth_year, person.birth_month, person.birth_day) == expected


def test_a_kelurahan_outside_the_jurisdiction_is_rejected(run_import, jakpus):
    # Least privilege: Jakarta Utara imports for its own area only.
    job = run_import("izin.csv", csv_bytes([row(WANG, kelurahan="Gambir"), KIM]))
    assert (job.created_count, job.rejected_count) == (1, 1)
    assert rejected_fields(job) == {2: ["kelurahan"]}
    assert not StayPermit.objects.filter(office=jakpus).exists()


def test_another_office_cannot_overwrite_our_foreigner_by_import(run_import, jakpus):
    from pora.conftest import make_user
    from pora.core.models import Role
    from pora.registry.models import Person

    run_import("izin.csv", csv_bytes([WANG]))
    intruder = make_user("petugas_jakpus_import", Role.OFFICER, office=jakpus)
    changed = row(WANG, nama_depan="SOMEONE ELSE", kelurahan="Gambir")
    job = run_import("izin.csv", csv_bytes([changed]), actor=intruder)
    assert (job.created_count, job.updated_count, job.rejected_count) == (0, 0, 1)
    person = Person.objects.get()
    assert person.given_names == WANG["nama_depan"]
    assert person.office.code == "jakarta-utara"
    # Without a kelurahan the row is still refused: the passport is supervised elsewhere.
    job = run_import("izin.csv", csv_bytes([row(WANG, kelurahan="", nama_depan="X")]),
                     actor=intruder)
    assert rejected_fields(job) == {2: ["nomor_paspor"]}


# ---------------------------------------------------------- rejected rows round trip


def test_rejected_rows_download_as_csv_with_reasons(run_import, as_officer):
    bad = row(WANG, tanggal_lahir="2024-02-30")
    job = run_import("izin.csv", csv_bytes([KIM, bad]))

    response = as_officer.get(reverse("registry:import_rejected", args=[job.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="izin-ditolak.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == [*HEADERS, "alasan_penolakan"]
    assert len(lines) == 2
    assert lines[1][:len(HEADERS)] == [bad.get(h, "") for h in HEADERS]
    assert lines[1][-1].startswith("tanggal_lahir: ")
    assert len(lines[1][-1]) > len("tanggal_lahir: ")


def test_rejected_rows_download_as_excel_with_reasons(run_import, as_officer):
    bad = row(WANG, kewarganegaraan="XYZ")
    job = run_import("izin.xlsx", xlsx_bytes([KIM, bad]))

    response = as_officer.get(reverse("registry:import_rejected", args=[job.pk]),
                              {"format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response.content)
    assert rows[0] == [*HEADERS, "alasan_penolakan"]
    assert len(rows) == 2
    values = dict(zip(rows[0], rows[1], strict=True))
    assert values["nomor_izin"] == WANG["nomor_izin"]
    assert values["kewarganegaraan"] == "XYZ"
    assert values["alasan_penolakan"].startswith("kewarganegaraan: ")


def test_rejected_rows_download_keeps_template_order_with_extra_columns_last(run_import,
                                                                           as_officer):
    # The file puts an extra column first and the name before the number; PostgreSQL's
    # jsonb would hand the stored values back in its own key order.
    headers = ["catatan", "nama_keluarga", *[h for h in HEADERS if h != "nama_keluarga"]]
    bad = row(WANG, kelurahan="Atlantis", catatan="cek")
    job = run_import("izin.csv", csv_bytes([bad], headers=headers))

    download = as_officer.get(reverse("registry:import_rejected", args=[job.pk]))

    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert lines[0] == [*HEADERS, "catatan", "alasan_penolakan"]
    assert lines[1][lines[0].index("catatan")] == "cek"
    assert lines[1][lines[0].index("kelurahan")] == "Atlantis"


def test_fixed_rejected_csv_uploaded_again_creates_the_rows(run_import, as_officer):
    job = run_import("izin.csv", csv_bytes([KIM, row(WANG, tanggal_lahir="2024-02-30"),
                                            row(SMITH, kelurahan="Atlantis")]))
    assert (job.created_count, job.rejected_count) == (1, 2)
    download = as_officer.get(reverse("registry:import_rejected", args=[job.pk]))
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    header = lines[0]
    for line in lines[1:]:
        fixed = dict(zip(header, line, strict=True))
        if fixed["tanggal_lahir"] == "2024-02-30":
            line[header.index("tanggal_lahir")] = "1985-03-21"
        if fixed["kelurahan"] == "Atlantis":
            line[header.index("kelurahan")] = "Pluit"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)

    # The reasons column is an extra column: it is ignored on the way back in.
    again = run_import("izin-ditolak.csv", ("\ufeff" + buffer.getvalue()).encode())

    assert (again.status, again.created_count, again.rejected_count) == (
        JobStatus.DONE, 2, 0)
    assert StayPermit.objects.count() == 3
    assert Person.objects.get(surname="WANG").birth_day == 21


def test_fixed_rejected_excel_uploaded_again_creates_the_rows(run_import, as_officer):
    job = run_import("izin.xlsx", xlsx_bytes([row(WANG, indeks_visa="Z999")]))
    download = as_officer.get(reverse("registry:import_rejected", args=[job.pk]),
                              {"format": "xlsx"})
    rows = xlsx_rows(download.content)
    rows[1][rows[0].index("indeks_visa")] = "E23"
    workbook = Workbook()
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)

    again = run_import("izin-ditolak.xlsx", buffer.getvalue())

    assert (again.created_count, again.rejected_count) == (1, 0)
    assert StayPermit.objects.get().visa_index.code == "E23"


def test_formula_like_cells_download_quoted_and_upload_again_as_they_were(run_import,
                                                                         as_officer):
    # An uploaded cell must not run as a formula in the officer's spreadsheet, and a
    # phone number such as "+62 …" must survive the fix-and-upload-again round trip.
    bad = row(WANG, tanggal_lahir="2024-02-30", telepon_penjamin="+62 21 6601234",
              alamat="=HYPERLINK(\"http://evil.example\",\"klik\")")
    job = run_import("izin.csv", csv_bytes([bad]))
    download = as_officer.get(reverse("registry:import_rejected", args=[job.pk]))
    header, line = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    cells = dict(zip(header, line, strict=True))
    assert cells["telepon_penjamin"] == "'+62 21 6601234"
    assert cells["alamat"] == "'=HYPERLINK(\"http://evil.example\",\"klik\")"
    line[header.index("tanggal_lahir")] = "1985-03-21"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, line])

    again = run_import("izin-ditolak.csv", buffer.getvalue().encode())

    assert (again.created_count, again.rejected_count) == (1, 0)
    assert Sponsor.objects.get().phone == "+62 21 6601234"
    assert Person.objects.get().street == bad["alamat"]


# ---------------------------------------------------------------- the upload pages


def test_officer_uploads_a_file_and_sees_the_result(as_officer, officer,
                                                    django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("izin.csv", csv_bytes([KIM, row(WANG, kewarganegaraan="XYZ")]),
                                content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_officer.post(reverse("registry:import_list"), {"file": upload})

    job = PermitImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import_detail", args=[job.pk])
    assert job.created_by == officer
    assert job.status == JobStatus.DONE
    page = as_officer.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-status="done"' in html
    assert 'data-figure="created">1<' in html
    assert 'data-figure="rejected">1<' in html
    assert reverse("registry:import_rejected", args=[job.pk]) in html
    assert "kewarganegaraan" in html
    listing = as_officer.get(reverse("registry:import_list"))
    assert "izin.csv" in listing.content.decode()


def test_progress_partial_and_failed_job_error_are_shown(as_officer, run_import):
    job = run_import("izin.csv", csv_bytes(GOOD_ROWS, headers=HEADERS[1:]))
    assert job.status == JobStatus.FAILED

    page = as_officer.get(reverse("registry:import_detail", args=[job.pk]))
    partial = as_officer.get(reverse("registry:import_detail", args=[job.pk]),
                             HTTP_HX_REQUEST="true")

    assert 'data-status="failed"' in page.content.decode()
    assert 'role="alert"' in page.content.decode()
    assert "nomor_izin" in page.content.decode()
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert 'id="progress"' in partial.content.decode()
    # A finished job stops polling.
    assert "hx-get" not in partial.content.decode()


def test_a_job_whose_worker_ended_is_shown_as_failed_with_its_rows_kept(
        as_officer, run_import, django_capture_on_commit_callbacks):
    """A worker killed mid-file leaves its job running: once nothing has moved for
    UploadJob.STALLED_AFTER, looking at it marks it failed, with an audit row."""
    job = run_import("izin.csv", csv_bytes(GOOD_ROWS))
    url = reverse("registry:import_detail", args=[job.pk])
    recent = timezone.now() - dt.timedelta(minutes=5)
    PermitImport.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING,
                                                  progress_at=recent, finished_at=None)
    assert 'data-status="running"' in as_officer.get(url).content.decode()

    long_ago = timezone.now() - PermitImport.STALLED_AFTER - dt.timedelta(minutes=1)
    PermitImport.objects.filter(pk=job.pk).update(progress_at=long_ago)
    page = as_officer.get(url, HTTP_HX_REQUEST="true").content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at
    assert job.processed_rows == len(GOOD_ROWS)  # what was applied stays
    assert job.error.startswith("Impor berhenti sebelum selesai")
    assert 'data-status="failed"' in page and "hx-get" not in page
    assert AuditLog.objects.filter(object_type="registry.PermitImport",
                                   object_id=str(job.pk), event=AuditEvent.UPDATE,
                                   changes={"status": ["running", "failed"]}).exists()


def test_the_page_lists_the_first_rejected_rows_and_says_the_download_has_all(
        as_officer, run_import, monkeypatch):
    import pora.jobs.rejected

    bad = [row(WANG, kewarganegaraan="XYZ", nomor_izin=f"2C11JE{n:04d}-AA") for n in range(3)]
    job = run_import("izin.csv", csv_bytes(bad))
    assert job.rejected_count == 3
    url = reverse("registry:import_detail", args=[job.pk])
    everything = as_officer.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert everything.count("<tr><td>") == 3 and "baris pertama" not in everything

    monkeypatch.setattr(pora.jobs.rejected, "REJECTED_SHOWN", 2)
    capped = as_officer.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert capped.count("<tr><td>") == 2
    assert "Di sini ditampilkan 2 baris pertama; unduhan memuat semuanya." in capped


def test_downloading_rejected_rows_is_logged_as_a_personal_data_access(
        as_officer, officer, run_import):
    from pora.core.models import AccessLog

    job = run_import("izin.csv", csv_bytes([KIM, row(WANG, kewarganegaraan="XYZ")]))
    response = as_officer.get(reverse("registry:import_rejected", args=[job.pk]))
    assert response.status_code == 200 and "WANG" in response.content.decode("utf-8-sig")
    logged = AccessLog.objects.get(view="permit_import_rejected")
    assert (logged.user, logged.person_id, logged.person_label) == (officer, job.pk,
                                                                    "izin.csv (1)")
    assert logged.view_label == "Impor izin tinggal: baris ditolak"


def test_upload_page_refuses_a_pdf(as_officer):
    upload = SimpleUploadedFile("izin.pdf", b"%PDF-1.4")
    response = as_officer.post(reverse("registry:import_list"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert PermitImport.objects.count() == 0


def test_import_pages_are_refused_to_outsiders(run_import, other_officer, police_partner,
                                               anonymous):
    job = run_import("izin.csv", csv_bytes([row(WANG, kelurahan="Atlantis")]))
    other = login(other_officer)
    for name in ("registry:import_detail", "registry:import_rejected"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    partner = login(police_partner)
    assert partner.get(reverse("registry:import_list")).status_code == 403
    assert partner.get(reverse("registry:import_template")).status_code == 403
    assert partner.get(reverse("registry:import_rejected", args=[job.pk])).status_code == 403
    assert anonymous.get(reverse("registry:import_list")).status_code == 302
    # The other office's own list does not show this office's uploads.
    assert "izin.csv" not in other.get(reverse("registry:import_list")).content.decode()


@pytest.mark.parametrize(("query", "filename"), [({}, "templat.xlsx"),
                                                 ({"format": "csv"}, "templat.csv")],
                         ids=["excel", "csv"])
def test_template_download_parses_back_with_read_table(as_officer, query, filename):
    response = as_officer.get(reverse("registry:import_template"), query)
    assert response.status_code == 200

    table = read_table(response.content, filename)

    assert table.headers == HEADERS
    assert table.keys == [c.key for c in COLUMNS]
    assert len(table.rows) == 1
    row_number, cells = table.rows[0]
    assert row_number == 2
    values = dict(zip(HEADERS, cells, strict=True))
    assert values["nomor_izin"] == "2C11AB0012345"
    assert values["berlaku_mulai"] == "2024-01-15"


def test_template_example_row_imports_cleanly(as_officer, run_import):
    response = as_officer.get(reverse("registry:import_template"))
    job = run_import("templat-izin-tinggal.xlsx", response.content)
    assert (job.status, job.created_count, job.rejected_count) == (JobStatus.DONE, 1, 0)
    assert StayPermit.objects.get().number == "2C11AB0012345"


def test_other_spellings_are_imported_and_found_by_search(run_import, officer):
    from pora.registry.models import Person
    from pora.registry.selectors import SearchFilters, person_search

    job = run_import("izin.csv", csv_bytes([row(WANG, nama_lain="WONG SIU MING; 王小明")]))
    assert job.created_count == 1
    person = Person.objects.get()
    assert person.other_names == ["WONG SIU MING", "王小明"]
    ids, _scores = person_search(officer, SearchFilters(q="Wong Siu Ming"))
    assert ids == [person.pk]
    # A re-import without the column keeps them; one with new spellings replaces them.
    run_import("izin.csv", csv_bytes([WANG]))
    person.refresh_from_db()
    assert person.other_names == ["WONG SIU MING", "王小明"]
    run_import("izin.csv", csv_bytes([row(WANG, nama_lain="OUYANG XIAOMING")]))
    person.refresh_from_db()
    assert person.other_names == ["OUYANG XIAOMING"]


# ------------------------------------------------------------------ hostile workbooks


def _peak(work) -> tuple[object, int]:
    import tracemalloc

    import openpyxl.reader.excel  # noqa: F401 (imported before memory is traced)

    tracemalloc.start()
    try:
        return work(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_workbook_declaring_a_huge_dimension_imports_its_rows_at_bounded_memory(run_import):
    from pora.core.tests.hostile import table_workbook

    # The last row sits at the declared end: padded to the dimension, the rows before it
    # are 16,384 × 8,000 cells (over a gigabyte).
    data = table_workbook(HEADERS, [[r.get(h, "") for h in HEADERS] for r in GOOD_ROWS],
                          dimension="A1:XFD8000", last_row_at=8000)
    assert len(data) < 4000

    table, peak = _peak(lambda: read_table(data, "izin.xlsx"))

    assert [n for n, _ in table.rows] == [2, 3, 4]
    assert peak < 16 * 1024 * 1024
    job = run_import("izin.xlsx", data)
    assert (job.status, job.created_count, job.rejected_count) == (JobStatus.DONE, 3, 0)


def test_a_row_numbered_at_the_sheets_end_costs_no_memory_for_the_rows_before_it(run_import):
    from pora.core.tests.hostile import table_workbook

    data = table_workbook(HEADERS, [[r.get(h, "") for h in HEADERS] for r in GOOD_ROWS],
                          last_row_at=1_048_576)

    table, peak = _peak(lambda: read_table(data, "izin.xlsx"))

    assert len(table.rows) == 3
    assert peak < 16 * 1024 * 1024
    assert run_import("izin.xlsx", data).created_count == 3


def test_a_file_past_the_row_limit_is_refused_before_the_rest_is_read():
    from pora.registry.importing import PERMITS, FileError, Layout

    # Past the limit comes a field too long for the CSV reader: reading on would fail there.
    data = csv_bytes([WANG] * 6) + b'"' + b"x" * 200_000 + b'"\r\n'
    layout = Layout(PERMITS.columns, PERMITS.cell_text, max_rows=5)
    with pytest.raises(FileError) as refused:
        layout.read(data, "izin.csv")
    assert "5" in str(refused.value)
    assert "CSV" not in str(refused.value)


def test_a_formula_without_its_saved_result_fails_the_job_naming_the_cell(run_import):
    from pora.core.tests.hostile import row_xml, workbook

    sheet = row_xml(1, HEADERS) + row_xml(2, [WANG.get(h, "") for h in HEADERS]).replace(
        "</row>", '<c r="AB2"><f>A2&amp;B2</f></c></row>')
    job = run_import("izin.xlsx", workbook(sheet))
    assert job.status == JobStatus.FAILED
    assert "AB2" in job.error
    _nothing_saved()
