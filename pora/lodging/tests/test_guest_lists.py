"""Guest lists (CSV and XLSX) in, stays, foreigners, passports, alerts and audit rows out."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from pora.alerts.models import Alert
from pora.conftest import login, make_lodging, make_person, make_user
from pora.core.models import AccessLog, AuditEvent, AuditLog, Role
from pora.jobs.models import JobStatus
from pora.lodging.guest_list_rows import COLUMNS, read_table
from pora.lodging.linking import Guest, find_link
from pora.lodging.models import (
    GuestListImport,
    LinkMethod,
    Source,
    Stay,
)
from pora.lodging.services import guest_lists as service
from pora.lodging.services.alerts import stay_findings
from pora.lodging.services.guest_lists import UploadError, guest_list_start
from pora.lodging.services.stays import STAY_FIELDS, StayDetails, check_in
from pora.registry.models import Person, TravelDocument

HEADERS = [c.header for c in COLUMNS]


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


NOW = timezone.now().replace(second=0, microsecond=0)
CHECK_IN = local(NOW - dt.timedelta(hours=3))
YESTERDAY = local(NOW - dt.timedelta(hours=20))
TODAY = timezone.localdate()
CHECK_IN_DAY = timezone.localtime(NOW - dt.timedelta(hours=3)).date()

WANG = {
    "nomor_paspor": "EA1234567", "negara_penerbit": "CHN", "kewarganegaraan": "CHN",
    "nama_keluarga": "WANG", "nama_depan": "XIAOMING", "jenis_kelamin": "L",
    "tanggal_lahir": "1985-03-21", "berlaku_paspor": "2031-05-01", "kamar": "1204",
    "waktu_check_in": CHECK_IN,
    "rencana_check_out": (CHECK_IN_DAY + dt.timedelta(days=3)).isoformat(),
    "tujuan": "bisnis", "tanggal_kedatangan": CHECK_IN_DAY.isoformat(),
}
KIM = {
    "nomor_paspor": "M12345678", "kewarganegaraan": "KR", "nama_keluarga": "KIM",
    "nama_depan": "MIN JUN", "jenis_kelamin": "P", "tanggal_lahir": "1990-07",
    "kamar": "808", "waktu_check_in": YESTERDAY,
}
SMITH = {
    "nomor_paspor": "123456789", "kewarganegaraan": "United Kingdom",
    "nama_keluarga": "SMITH", "nama_depan": "JOHN", "jenis_kelamin": "M",
    "tanggal_lahir": "1960", "waktu_check_in": CHECK_IN,
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


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def front_desk(db):
    """A front-desk user of Hotel Pluit Bay (verified, in Pluit, Jakarta Utara)."""
    user = make_user("fo_pluit_bay", Role.LODGING)
    make_lodging("Hotel Pluit Bay Suites", user=user)
    return user


@pytest.fixture
def lodging(front_desk):
    return front_desk.lodging_staff.lodging


@pytest.fixture
def upload(front_desk, lodging, django_capture_on_commit_callbacks):
    """Upload a file as the front desk and run it as the worker would."""

    def run(filename: str, data: bytes) -> GuestListImport:
        with django_capture_on_commit_callbacks(execute=True):
            job = guest_list_start(actor=front_desk, lodging=lodging, filename=filename,
                                   data=data, run_now=True)
        job.refresh_from_db()
        return job

    return run


def rejected_codes(job: GuestListImport) -> dict[int, list[tuple[str, str]]]:
    return {r.row_number: [(e["field"], e["code"]) for e in r.errors]
            for r in job.rejected_rows.all()}


def stay_audits():
    return AuditLog.objects.filter(object_type="lodging.Stay")


# ------------------------------------------------------------------------ good rows


def test_good_rows_create_stays_foreigners_passports_and_receipts(upload, lodging, front_desk):
    job = upload("tamu.csv", csv_bytes(GOOD_ROWS))

    assert job.status == JobStatus.DONE, job.error
    assert (job.total_rows, job.processed_rows, job.created_count, job.updated_count,
            job.unchanged_count, job.rejected_count) == (3, 3, 3, 0, 0, 0)
    assert job.percent == 100
    wang = Stay.objects.get(document_number="EA1234567")
    assert (wang.lodging, wang.office_id) == (lodging, lodging.office_id)
    assert (wang.surname, wang.given_names, wang.sex) == ("WANG", "XIAOMING", "M")
    assert (wang.birth_year, wang.birth_month, wang.birth_day) == (1985, 3, 21)
    assert (wang.nationality, wang.issuing_state) == ("CHN", "CHN")
    assert wang.document_expiry == dt.date(2031, 5, 1)
    assert wang.room == "1204"
    assert local(wang.checked_in_at) == CHECK_IN
    assert wang.expected_checkout == CHECK_IN_DAY + dt.timedelta(days=3)
    assert wang.purpose == "bisnis"
    assert wang.checked_out_at is None
    assert wang.source == Source.BULK
    assert wang.reported_by == front_desk
    assert wang.reported_at == job.created_at
    assert wang.receipt_number.startswith(f"{timezone.localdate(job.created_at):%y%m%d}-")
    assert wang.link_method == LinkMethod.NEW
    assert wang.link_facts == {"conflicts": []}
    kim = Stay.objects.get(document_number="M12345678")
    assert (kim.nationality, kim.issuing_state, kim.sex) == ("KOR", "KOR", "F")
    assert (kim.birth_year, kim.birth_month, kim.birth_day) == (1990, 7, None)
    smith = Stay.objects.get(document_number="123456789")
    assert smith.nationality == "GBR"
    # Each new guest is a new foreigner supervised where the lodging is, with the passport.
    assert Person.objects.count() == 3
    person = wang.person
    assert (person.surname, person.given_names, person.nationality) == ("WANG", "XIAOMING", "CHN")
    assert person.office_id == lodging.office_id
    assert person.kelurahan_id == lodging.kelurahan_id
    assert person.street.startswith(lodging.name)
    assert person.name_search == "xiaoming wang"
    assert TravelDocument.objects.get(number="EA1234567").person == person
    assert len({s.receipt_number for s in Stay.objects.all()}) == 3


def test_new_foreigners_are_found_by_the_registry_search(upload, officer):
    from pora.registry.selectors import SearchFilters, person_search

    upload("tamu.csv", csv_bytes([WANG]))

    ids, _scores = person_search(officer, SearchFilters(q="Wang Xiaoming"))
    assert ids == [Stay.objects.get().person_id]


def test_every_new_stay_and_foreigner_is_audited(upload, front_desk, lodging):
    job = upload("tamu.csv", csv_bytes(GOOD_ROWS))

    audits = list(stay_audits().order_by("id"))
    assert len(audits) == 3
    wang = Stay.objects.get(document_number="EA1234567")
    entry = next(a for a in audits if a.object_id == str(wang.pk))
    assert entry.event == AuditEvent.IMPORT
    assert entry.actor == front_desk
    assert entry.office_id == lodging.office_id
    assert entry.person_id == wang.person_id
    assert entry.object_label.startswith(wang.receipt_number)
    assert entry.changes["document_number"] == [None, "EA1234567"]
    assert entry.changes["receipt_number"] == [None, wang.receipt_number]
    assert entry.changes["link_method"] == [None, "new"]
    assert set(STAY_FIELDS) <= set(entry.changes)
    assert entry.changes["checked_in_at"][1] == wang.checked_in_at.astimezone(
        timezone.get_current_timezone()).isoformat()
    assert f"#{job.pk}, baris 2" in entry.note
    # The foreigner the row created is told in the stay's entry (as the permit import
    # tells it in the permit's), which carries the person's id.
    assert entry.changes["person.new"] == [None, "WANG, XIAOMING"]
    assert entry.changes["person.passport"] == [None, "EA1234567 (CHN)"]
    assert entry.changes["person"] == [None, wang.person_id]
    # The upload itself: when it was stored, and what came of it.
    job_audits = AuditLog.objects.filter(object_type="lodging.GuestListImport",
                                         object_id=str(job.pk))
    assert set(job_audits.values_list("event", flat=True)) == {AuditEvent.CREATE,
                                                               AuditEvent.IMPORT}
    summary = job_audits.get(event=AuditEvent.IMPORT)
    assert summary.changes["created"] == [None, 3]


def test_reupload_of_the_same_list_creates_nothing(upload):
    upload("tamu.csv", csv_bytes(GOOD_ROWS))
    counts = (Stay.objects.count(), Person.objects.count(), TravelDocument.objects.count(),
              stay_audits().count())

    again = upload("tamu.csv", csv_bytes(GOOD_ROWS))

    assert again.status == JobStatus.DONE
    assert (again.created_count, again.updated_count, again.unchanged_count,
            again.rejected_count) == (0, 0, 3, 0)
    assert (Stay.objects.count(), Person.objects.count(), TravelDocument.objects.count(),
            stay_audits().count()) == counts


def test_the_same_list_as_excel_after_csv_is_unchanged(upload):
    upload("tamu.csv", csv_bytes(GOOD_ROWS))
    again = upload("tamu.xlsx", xlsx_bytes(GOOD_ROWS))
    assert (again.created_count, again.unchanged_count, again.rejected_count) == (0, 3, 0)


def test_a_stay_reported_at_the_desk_is_not_duplicated_by_the_list(lodging, front_desk,
                                                                   upload):
    checked_in = timezone.make_aware(dt.datetime.strptime(CHECK_IN, "%Y-%m-%d %H:%M"))
    stay, _new = check_in(
        lodging=lodging, source=Source.TYPED, actor=front_desk, evaluate=False,
        guest=Guest(surname="Wang", given_names="Xiaoming", nationality="CHN",
                    document_number="EA1234567", issuing_state="CHN", sex="M",
                    birth_year=1985, birth_month=3, birth_day=21),
        details=StayDetails(checked_in_at=checked_in))

    job = upload("tamu.csv", csv_bytes([WANG]))

    assert (job.created_count, job.updated_count) == (0, 1)
    assert Stay.objects.count() == 1
    stay.refresh_from_db()
    # The list filled in what the desk left out.
    assert (stay.room, stay.purpose, stay.document_expiry) == ("1204", "bisnis",
                                                               dt.date(2031, 5, 1))


def test_changed_rows_update_the_stay_and_audit_before_and_after(upload, front_desk):
    upload("tamu.csv", csv_bytes(GOOD_ROWS))
    wang = Stay.objects.get(document_number="EA1234567")
    left = local(NOW - dt.timedelta(hours=1))
    later = (CHECK_IN_DAY + dt.timedelta(days=5)).isoformat()

    job = upload("tamu.csv", csv_bytes([
        row(WANG, kamar="1205", rencana_check_out=later, waktu_check_out=left), KIM, SMITH]))

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 2)
    wang.refresh_from_db()
    assert wang.room == "1205"
    assert wang.expected_checkout.isoformat() == later
    assert local(wang.checked_out_at) == left
    assert wang.checked_out_by == front_desk
    entry = stay_audits().get(event=AuditEvent.UPDATE)
    assert entry.object_id == str(wang.pk)
    assert entry.changes["room"] == ["1204", "1205"]
    assert entry.changes["expected_checkout"][1] == later
    assert entry.changes["checked_out_at"][0] is None
    assert set(entry.changes) == {"room", "expected_checkout", "checked_out_at"}


def test_blank_cells_never_erase_what_was_reported(upload):
    upload("tamu.csv", csv_bytes([WANG]))
    job = upload("tamu.csv", csv_bytes([row(WANG, kamar="", tujuan="", berlaku_paspor="",
                                            rencana_check_out="")]))
    assert (job.updated_count, job.unchanged_count) == (0, 1)
    stay = Stay.objects.get()
    assert (stay.room, stay.purpose) == ("1204", "bisnis")
    assert stay.expected_checkout is not None


def test_another_identity_for_the_same_stay_is_rejected(upload):
    upload("tamu.csv", csv_bytes([WANG]))
    receipt = Stay.objects.get().receipt_number

    job = upload("tamu.csv", csv_bytes([row(WANG, tanggal_lahir="1986-03-21")]))

    assert job.rejected_count == 1
    assert rejected_codes(job) == {2: [("nomor_paspor", "identity_differs")]}
    error = job.rejected_rows.get().errors[0]
    assert receipt in error["message_en"]
    assert Stay.objects.get().birth_year == 1985


def test_the_same_stay_twice_in_one_file_rejects_the_second(upload):
    job = upload("tamu.csv", csv_bytes([WANG, KIM, row(WANG, kamar="99")]))

    assert (job.created_count, job.rejected_count) == (2, 1)
    assert rejected_codes(job) == {4: [("waktu_check_in", "duplicate_in_file")]}
    rejected = job.rejected_rows.get()
    assert "baris 2" in rejected.errors[0]["message_id"]
    assert "row 2" in rejected.errors[0]["message_en"]
    assert rejected.values["kamar"] == "99"
    assert Stay.objects.get(document_number="EA1234567").room == "1204"


def test_two_stays_of_one_new_guest_in_one_file_make_one_foreigner(upload):
    earlier = local(NOW - dt.timedelta(days=10))
    left = local(NOW - dt.timedelta(days=8))
    job = upload("tamu.csv", csv_bytes([row(WANG, waktu_check_in=earlier, waktu_check_out=left,
                                            rencana_check_out="", tanggal_kedatangan=""),
                                        WANG]))

    assert (job.created_count, job.rejected_count) == (2, 0)
    first, second = Stay.objects.order_by("checked_in_at")
    assert first.person_id == second.person_id
    assert (first.link_method, second.link_method) == (LinkMethod.NEW, LinkMethod.DOCUMENT)
    assert second.link_facts == {"document": "EA1234567 (CHN)"}
    assert local(first.checked_out_at) == left
    assert Person.objects.count() == 1


# ------------------------------------------------------------------------ linking


def test_a_registered_passport_links_the_guest_by_document(upload, officer):
    wang = make_person(actor=officer)

    upload("tamu.csv", csv_bytes([WANG]))

    stay = Stay.objects.get()
    assert stay.person == wang
    assert stay.link_method == LinkMethod.DOCUMENT
    assert stay.link_facts == {"document": "EA1234567 (CHN)"}
    assert Person.objects.count() == 1
    assert "EA1234567" in stay.link_explanation


def test_a_similar_name_and_birth_date_links_the_guest_and_the_registry_learns_the_passport(
        upload, officer, front_desk):
    wang = make_person(actor=officer, passport="E00000001")

    job = upload("tamu.csv", csv_bytes([row(WANG, nama_depan="XIAO MING")]))

    stay = Stay.objects.get()
    assert stay.person == wang
    assert stay.link_method == LinkMethod.NAME
    assert stay.link_facts["conflicts"] == []
    assert stay.link_facts["score"] >= 88
    assert set(wang.documents.values_list("number", flat=True)) == {"E00000001", "EA1234567"}
    learned = stay_audits().get()
    assert learned.person_id == wang.pk
    assert learned.actor == front_desk
    assert learned.changes["person.passport"] == [None, "EA1234567 (CHN)"]
    assert "person.new" not in learned.changes
    assert f"#{job.pk}" in learned.note


def test_a_passport_number_held_by_another_foreigner_makes_a_new_one_without_it(upload,
                                                                               officer):
    other = make_person(actor=officer, surname="LI", given_names="NA", birth=(1970, 1, 1))

    upload("tamu.csv", csv_bytes([WANG]))

    stay = Stay.objects.get()
    assert stay.person != other
    assert stay.link_method == LinkMethod.NEW
    assert stay.link_facts == {"conflicts": [other.pk]}
    assert not stay.person.documents.exists()
    assert TravelDocument.objects.get(number="EA1234567").person == other


def test_a_dissimilar_name_with_the_same_birth_date_is_a_new_foreigner(upload, officer):
    make_person(actor=officer, surname="ZHANG", given_names="WEI", passport="E00000001")
    upload("tamu.csv", csv_bytes([WANG]))
    assert Stay.objects.get().link_method == LinkMethod.NEW
    assert Person.objects.count() == 2


def test_bulk_linking_agrees_with_find_link(upload, officer):
    """Each guest of a list is linked exactly as a single report of them would be."""
    make_person(actor=officer)  # WANG XIAOMING EA1234567 1985-03-21
    make_person(actor=officer, surname="KIM", given_names="MIN JUN", nationality="KOR",
                passport="M00000001", birth=(1990, 7, 14), sex="F")
    make_person(actor=officer, surname="KIM", given_names="MIN JUNG", nationality="KOR",
                passport="M00000002", birth=(1990, 7, None), sex="F")
    make_person(actor=officer, surname="SMITH", given_names="JOHN", nationality="GBR",
                passport="123456789", birth=(1961, None, None))
    make_person(actor=officer, surname="TANAKA", given_names="YUKI", nationality="JPN",
                passport="TK0000001", birth=(1975, 5, 5), sex="F")
    rows = [
        WANG,  # by document
        row(WANG, nomor_paspor="EB7654321", nama_depan="XIAO MING"),  # by name
        row(KIM, nomor_paspor="M99999999"),  # year-month birth: name among candidates
        row(SMITH, nomor_paspor="123456789", waktu_check_in=YESTERDAY),  # conflict: new
        {"nomor_paspor": "TK0000002", "kewarganegaraan": "JPN", "nama_keluarga": "TANAKA",
         "nama_depan": "YUKI", "jenis_kelamin": "M", "tanggal_lahir": "1975-05-05",
         "waktu_check_in": CHECK_IN},  # another sex: new
        {"nomor_paspor": "X1", "kewarganegaraan": "FRA", "nama_keluarga": "DUPONT",
         "waktu_check_in": CHECK_IN},  # no birth date: new
    ]
    checker = read_table(csv_bytes(rows), "tamu.csv")
    from pora.lodging.guest_list_rows import GuestRowChecker

    rule = GuestRowChecker(table=checker, now=timezone.now())
    expected = {}
    for number, cells in checker.rows:
        guest = rule.check(number, cells).guest
        link = find_link(guest)
        expected[number] = (link.person.pk if link.person else None, link.method,
                            link.facts.get("score"), link.facts.get("conflicts", []))

    job = upload("tamu.csv", csv_bytes(rows))

    assert job.rejected_count == 0
    got = {}
    for (number, _cells), stay in zip(checker.rows, Stay.objects.order_by("id"), strict=True):
        person = stay.person_id if expected[number][0] is not None else None
        got[number] = (person, stay.link_method, stay.link_facts.get("score"),
                       stay.link_facts.get("conflicts", []))
    assert got == expected
    assert [m for _p, m, _s, _c in expected.values()] == [
        "document", "name", "name", "new", "new", "new"]


# ----------------------------------------------------------------------- bad rows

FUTURE = local(NOW + dt.timedelta(hours=2))
OLD = local(NOW - dt.timedelta(days=400))

BAD_ROWS = [
    ("no passport", {"nomor_paspor": ""}, ("nomor_paspor", "invalid_document_number")),
    ("passport with symbols", {"nomor_paspor": "EA-123/4"},
     ("nomor_paspor", "invalid_document_number")),
    ("passport too long", {"nomor_paspor": "E" * 21}, ("nomor_paspor", "invalid_document_number")),
    ("no nationality", {"kewarganegaraan": ""}, ("kewarganegaraan", "nationality_required")),
    ("unknown nationality", {"kewarganegaraan": "XYZ"}, ("kewarganegaraan", "unknown_country")),
    ("unknown issuing state", {"negara_penerbit": "Atlantis"},
     ("negara_penerbit", "unknown_country")),
    ("no name", {"nama_keluarga": "", "nama_depan": ""}, ("nama_keluarga", "name_required")),
    ("surname too long", {"nama_keluarga": "W" * 101}, ("nama_keluarga", "too_long")),
    ("given names too long", {"nama_depan": "X" * 151}, ("nama_depan", "too_long")),
    ("unknown sex", {"jenis_kelamin": "Q"}, ("jenis_kelamin", "invalid_sex")),
    ("birth date not a date", {"tanggal_lahir": "1985-02-30"},
     ("tanggal_lahir", "invalid_birth_date")),
    ("birth in the future", {"tanggal_lahir": str(TODAY.year + 1)},
     ("tanggal_lahir", "invalid_birth_date")),
    ("birth before 1900", {"tanggal_lahir": "1850"}, ("tanggal_lahir", "invalid_birth_date")),
    ("passport expiry not a date", {"berlaku_paspor": "soon"}, ("berlaku_paspor", "invalid_date")),
    ("no check-in", {"waktu_check_in": ""}, ("waktu_check_in", "check_in_required")),
    ("check-in not a time", {"waktu_check_in": "kemarin"},
     ("waktu_check_in", "invalid_datetime")),
    ("check-in hour 25", {"waktu_check_in": f"{TODAY.isoformat()} 25:00"},
     ("waktu_check_in", "invalid_datetime")),
    ("check-in in the future", {"waktu_check_in": FUTURE}, ("waktu_check_in", "check_in_in_future")),
    ("check-in over a year ago", {"waktu_check_in": OLD}, ("waktu_check_in", "check_in_too_old")),
    ("expected check-out before check-in",
     {"rencana_check_out": (CHECK_IN_DAY - dt.timedelta(days=5)).isoformat()},
     ("rencana_check_out", "checkout_before_checkin")),
    ("expected check-out not a date", {"rencana_check_out": "31-02-2024"},
     ("rencana_check_out", "invalid_date")),
    ("arrival after check-in",
     {"tanggal_kedatangan": (CHECK_IN_DAY + dt.timedelta(days=2)).isoformat()},
     ("tanggal_kedatangan", "arrival_after_checkin")),
    ("check-out before check-in", {"waktu_check_out": local(NOW - dt.timedelta(hours=5))},
     ("waktu_check_out", "checkout_before_checkin")),
    ("check-out in the future", {"waktu_check_out": FUTURE},
     ("waktu_check_out", "checkout_in_future")),
    ("check-out not a time", {"waktu_check_out": "pagi"}, ("waktu_check_out", "invalid_datetime")),
]


@pytest.mark.parametrize(("changes", "reason"), [(c, r) for _n, c, r in BAD_ROWS],
                         ids=[n for n, _c, _r in BAD_ROWS])
def test_a_bad_row_is_rejected_with_its_reason_and_the_good_rows_still_land(upload, changes,
                                                                           reason):
    job = upload("tamu.csv", csv_bytes([KIM, row(WANG, **changes), SMITH]))

    assert job.status == JobStatus.DONE
    assert (job.created_count, job.rejected_count) == (2, 1)
    assert reason in rejected_codes(job)[3]
    rejected = job.rejected_rows.get()
    assert rejected.values == {h: row(WANG, **changes).get(h, "") for h in HEADERS}
    for error in rejected.errors:
        assert error["message_id"] and error["message_en"]
    assert not Stay.objects.filter(document_number="EA1234567").exists()


def test_a_row_with_several_problems_names_each_column(upload):
    job = upload("tamu.csv", csv_bytes([row(WANG, kewarganegaraan="XYZ", jenis_kelamin="Q",
                                            waktu_check_in="")]))
    assert {field for field, _code in rejected_codes(job)[2]} == {
        "kewarganegaraan", "jenis_kelamin", "waktu_check_in"}


def test_reasons_are_in_bahasa_indonesia_by_default_and_english_is_kept(upload):
    job = upload("tamu.csv", csv_bytes([row(WANG, waktu_check_in=FUTURE)]))
    error = job.rejected_rows.get().errors[0]
    assert error["message"] == "Waktu check-in tidak boleh di masa depan."
    assert error["message_id"] == "Waktu check-in tidak boleh di masa depan."
    assert error["message_en"] == "The check-in time cannot be in the future."


def test_reasons_are_kept_in_the_language_of_the_upload(front_desk, lodging,
                                                         django_capture_on_commit_callbacks):
    from django.utils import translation

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        job = guest_list_start(actor=front_desk, lodging=lodging, filename="tamu.csv",
                               data=csv_bytes([row(WANG, waktu_check_in=FUTURE)]), run_now=True)
    job.refresh_from_db()
    assert job.rejected_rows.get().errors[0]["message"] == (
        "The check-in time cannot be in the future.")


def test_a_rejected_row_saves_nothing_of_itself(upload):
    upload("tamu.csv", csv_bytes([row(WANG, waktu_check_out=FUTURE)]))
    assert not Stay.objects.exists()
    assert not Person.objects.exists()
    assert not TravelDocument.objects.exists()


# ----------------------------------------------------------------------- file formats


def test_excel_date_time_cells_and_number_cells_are_read(upload):
    # Seconds set: an Excel cell at exactly 00:00 would read as a date alone.
    checked_in = timezone.localtime(NOW - dt.timedelta(hours=3)).replace(tzinfo=None, second=7)
    job = upload("tamu.xlsx", xlsx_bytes([row(
        WANG, nomor_paspor=123456789, waktu_check_in=checked_in,
        tanggal_lahir=dt.datetime(1985, 3, 21), rencana_check_out=dt.datetime.combine(
            CHECK_IN_DAY + dt.timedelta(days=2), dt.time()),
        kamar=1204)]))

    assert (job.created_count, job.rejected_count) == (1, 0), rejected_codes(job)
    stay = Stay.objects.get()
    assert stay.document_number == "123456789"
    assert timezone.localtime(stay.checked_in_at).replace(tzinfo=None) == checked_in
    assert stay.birth_day == 21
    assert stay.expected_checkout == CHECK_IN_DAY + dt.timedelta(days=2)
    assert stay.room == "1204"


def test_a_date_without_time_means_14_00_for_check_in_and_12_00_for_check_out(upload):
    day = TODAY - dt.timedelta(days=3)
    job = upload("tamu.csv", csv_bytes([row(WANG, waktu_check_in=day.strftime("%d/%m/%Y"),
                                            waktu_check_out=(day + dt.timedelta(days=2))
                                            .isoformat(),
                                            tanggal_kedatangan="", rencana_check_out="")]))
    assert job.created_count == 1, rejected_codes(job)
    stay = Stay.objects.get()
    assert timezone.localtime(stay.checked_in_at).replace(tzinfo=None) == dt.datetime.combine(
        day, dt.time(14, 0))
    assert timezone.localtime(stay.checked_out_at).replace(tzinfo=None) == dt.datetime.combine(
        day + dt.timedelta(days=2), dt.time(12, 0))
    # Again as an Excel date cell: the same stay.
    again = upload("tamu.xlsx", xlsx_bytes([row(
        WANG, waktu_check_in=dt.datetime.combine(day, dt.time()),
        waktu_check_out=dt.datetime.combine(day + dt.timedelta(days=2), dt.time()),
        tanggal_kedatangan="", rencana_check_out="")]))
    assert (again.created_count, again.unchanged_count) == (0, 1), rejected_codes(again)


def test_times_are_local_unless_an_offset_is_given(upload):
    moment = NOW - dt.timedelta(hours=4)
    wita = moment.astimezone(dt.timezone(dt.timedelta(hours=8)))
    # Arrived the day of that check-in (an hour before WANG's, it may be the day before).
    job = upload("tamu.csv", csv_bytes([
        row(WANG, waktu_check_in=wita.strftime("%Y-%m-%dT%H:%M:%S+08:00"),
            tanggal_kedatangan=timezone.localtime(moment).date().isoformat())]))
    assert job.created_count == 1, rejected_codes(job)
    assert Stay.objects.get().checked_in_at == moment
    assert local(Stay.objects.get().checked_in_at) == local(moment)


def test_semicolon_csv_with_bom_and_english_headers_is_read(upload):
    english = [{"passport_number": "EA1234567", "nationality": "CN", "surname": "Wang",
                "given_names": "Xiaoming", "sex": "M", "birth_date": "21-03-1985",
                "checked_in_at": CHECK_IN, "room": "12"}]
    headers = ["passport_number", "nationality", "surname", "given_names", "sex",
               "birth_date", "checked_in_at", "room"]
    data = b"\xef\xbb\xbf" + csv_bytes(english, headers=headers, delimiter=";")
    job = upload("guests.csv", data)
    assert (job.created_count, job.rejected_count) == (1, 0), rejected_codes(job)
    stay = Stay.objects.get()
    assert (stay.nationality, stay.surname, stay.birth_day) == ("CHN", "WANG", 21)


def test_extra_columns_are_ignored_and_kept_for_rejected_rows(upload):
    headers = [*HEADERS, "catatan"]
    job = upload("tamu.csv", csv_bytes([row(WANG, catatan="VIP", kewarganegaraan="XYZ")],
                                       headers=headers))
    assert job.rejected_rows.get().values["catatan"] == "VIP"


def test_a_file_that_is_not_utf8_fails_with_a_clear_error_naming_the_line(upload):
    data = csv_bytes([WANG, row(KIM, nama_keluarga="MÜLLER")], encoding="latin-1")
    job = upload("tamu.csv", data)
    assert job.status == JobStatus.FAILED
    assert "UTF-8" in job.error
    assert "3" in job.error
    assert not Stay.objects.exists()


def test_a_broken_excel_file_fails_the_upload(upload):
    job = upload("tamu.xlsx", b"PK\x03\x04 not really a workbook")
    assert job.status == JobStatus.FAILED
    assert job.error


def test_missing_required_columns_fail_the_upload_naming_them(upload):
    headers = [h for h in HEADERS if h not in {"waktu_check_in", "kewarganegaraan"}]
    job = upload("tamu.csv", csv_bytes([WANG], headers=headers))
    assert job.status == JobStatus.FAILED
    assert "kewarganegaraan" in job.error and "waktu_check_in" in job.error


def test_a_file_of_blank_lines_fails_as_empty(upload):
    job = upload("tamu.csv", b"\n\n ,,\n")
    assert job.status == JobStatus.FAILED
    assert job.error


@pytest.mark.parametrize(("filename", "data"), [("tamu.csv", b""), ("tamu.pdf", b"%PDF-1.4"),
                                                ("tamu.txt", b"nomor_paspor\n")],
                         ids=["empty", "pdf", "txt"])
def test_wrong_kind_or_empty_file_is_refused_before_a_job_exists(front_desk, lodging, filename,
                                                                 data):
    with pytest.raises(UploadError):
        guest_list_start(actor=front_desk, lodging=lodging, filename=filename, data=data)
    assert not GuestListImport.objects.exists()


def test_an_oversized_file_is_refused(front_desk, lodging, settings):
    settings.PORA_MAX_UPLOAD_MB = 1
    with pytest.raises(UploadError, match="1 MB"):
        guest_list_start(actor=front_desk, lodging=lodging, filename="tamu.csv",
                         data=b"x" * (1024 * 1024 + 1))
    assert not GuestListImport.objects.exists()


def test_an_account_that_may_not_report_cannot_upload(front_desk, lodging):
    lodging.status = "email_pending"
    lodging.verified_at = None
    lodging.save()
    with pytest.raises(UploadError):
        guest_list_start(actor=front_desk, lodging=lodging, filename="tamu.csv",
                         data=csv_bytes([WANG]))


def test_an_account_suspended_before_the_list_runs_fails_it(front_desk, lodging):
    job = guest_list_start(actor=front_desk, lodging=lodging, filename="tamu.csv",
                           data=csv_bytes([WANG]))
    lodging.status = "suspended"
    lodging.save()
    job = service.guest_list_run(job_id=job.pk)
    assert job.status == JobStatus.FAILED
    assert not Stay.objects.exists()


def test_rows_spread_over_several_chunks_are_applied_as_one_file(upload, monkeypatch):
    monkeypatch.setattr(service, "CHUNK_SIZE", 2)
    earlier = local(NOW - dt.timedelta(days=10))
    rows = [row(WANG, waktu_check_in=earlier, rencana_check_out="", tanggal_kedatangan=""),
            KIM, SMITH, WANG, row(KIM, kamar="1")]
    job = upload("tamu.csv", csv_bytes(rows))

    assert (job.processed_rows, job.created_count, job.rejected_count) == (5, 4, 1)
    assert rejected_codes(job) == {6: [("waktu_check_in", "duplicate_in_file")]}
    wang_stays = Stay.objects.filter(document_number="EA1234567")
    assert wang_stays.values("person_id").distinct().count() == 1
    assert Person.objects.count() == 3


def test_a_finished_upload_is_not_run_twice(upload):
    job = upload("tamu.csv", csv_bytes([WANG]))
    service.guest_list_run(job_id=job.pk)
    assert Stay.objects.count() == 1


def test_the_queued_task_runs_the_upload(front_desk, lodging, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = guest_list_start(actor=front_desk, lodging=lodging, filename="tamu.csv",
                               data=csv_bytes(GOOD_ROWS))
    job.refresh_from_db()
    assert (job.status, job.created_count) == (JobStatus.DONE, 3)


# ------------------------------------------------------------------------ detection


def test_detection_rules_run_on_the_new_stays(upload, lodging):
    late = local(NOW - dt.timedelta(days=3))
    job = upload("tamu.csv", csv_bytes([row(WANG, waktu_check_in=late, tanggal_kedatangan="",
                                            rencana_check_out=""), KIM]))

    assert job.created_count == 2
    wang = Stay.objects.get(document_number="EA1234567")
    alert = Alert.objects.get(rule="late_report")
    assert alert.stay == wang
    assert alert.key == f"late_report:stay:{wang.pk}"
    assert alert.office_id == lodging.office_id
    assert AuditLog.objects.filter(object_type="alerts.Alert", object_id=str(alert.pk)).exists()


def test_batched_detection_finds_what_evaluate_stay_finds(upload, officer, front_desk):
    other = make_lodging("Ancol Beach Inn", kelurahan_name="Ancol")
    wang = make_person(actor=officer)
    # Still checked in at another lodging, and reported late here: overlapping + late.
    check_in(lodging=other, source=Source.TYPED, evaluate=False,
             guest=Guest(surname="WANG", given_names="XIAOMING", nationality="CHN",
                         document_number="EA1234567", issuing_state="CHN", sex="M",
                         birth_year=1985, birth_month=3, birth_day=21),
             details=StayDetails(checked_in_at=NOW - dt.timedelta(days=5)))
    rows = [row(WANG, waktu_check_in=local(NOW - dt.timedelta(days=2)), tanggal_kedatangan="",
                rencana_check_out=""), KIM]

    upload("tamu.csv", csv_bytes(rows))

    new = Stay.objects.filter(source=Source.BULK).select_related("lodging")
    expected = {f.key for stay in new for f in stay_findings(stay, now=timezone.now())}
    assert {a.key for a in Alert.objects.all()} == expected
    assert {a.rule for a in Alert.objects.all()} >= {"late_report", "overlapping"}
    assert Stay.objects.get(source=Source.BULK, document_number="EA1234567").person == wang


def test_evaluating_again_counts_the_alert_as_seen_again(upload):
    late = local(NOW - dt.timedelta(days=3))
    upload("tamu.csv", csv_bytes([row(WANG, waktu_check_in=late, tanggal_kedatangan="",
                                      rencana_check_out="")]))
    stay = Stay.objects.get()
    service.evaluate_stays([stay.pk])
    assert Alert.objects.get().times_seen == 2


# ----------------------------------------------------------------------- the pages


def test_front_desk_uploads_a_list_and_sees_the_result(front_desk,
                                                       django_capture_on_commit_callbacks):
    client = login(front_desk)
    assert client.get(reverse("lodging:upload_list")).status_code == 200
    upload = SimpleUploadedFile("tamu.csv", csv_bytes([KIM, row(WANG, kewarganegaraan="XYZ")]),
                                content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lodging:upload_list"), {"file": upload})

    job = GuestListImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("lodging:upload_detail", args=[job.pk])
    assert job.created_by == front_desk
    assert job.status == JobStatus.DONE
    html = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in html
    assert 'data-figure="created">1<' in html
    assert 'data-figure="rejected">1<' in html
    assert reverse("lodging:upload_rejected", args=[job.pk]) in html
    assert "kewarganegaraan" in html
    assert "XYZ" in html
    listing = client.get(reverse("lodging:upload_list")).content.decode()
    assert "tamu.csv" in listing


def test_progress_partial_for_htmx_and_failed_upload_error(front_desk, upload):
    job = upload("tamu.csv", csv_bytes([WANG], headers=HEADERS[1:]))
    client = login(front_desk)
    page = client.get(reverse("lodging:upload_detail", args=[job.pk])).content.decode()
    partial = client.get(reverse("lodging:upload_detail", args=[job.pk]),
                         HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="failed"' in page
    assert "nomor_paspor" in page
    assert "<html" not in partial
    assert 'id="progress"' in partial
    assert "hx-get" not in partial


def test_a_running_upload_keeps_polling(front_desk, lodging):
    job = guest_list_start(actor=front_desk, lodging=lodging, filename="tamu.csv",
                           data=csv_bytes([WANG]))
    partial = login(front_desk).get(reverse("lodging:upload_detail", args=[job.pk]),
                                    HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" in partial


def test_upload_page_refuses_a_pdf(front_desk):
    response = login(front_desk).post(reverse("lodging:upload_list"),
                                      {"file": SimpleUploadedFile("tamu.pdf", b"%PDF-1.4")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not GuestListImport.objects.exists()


def test_an_upload_whose_worker_ended_is_shown_as_failed(front_desk, upload):
    job = upload("tamu.csv", csv_bytes([KIM]))
    long_ago = timezone.now() - GuestListImport.STALLED_AFTER - dt.timedelta(minutes=1)
    GuestListImport.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING,
                                                     progress_at=long_ago, finished_at=None)
    page = login(front_desk).get(reverse("lodging:upload_detail", args=[job.pk]),
                                 HTTP_HX_REQUEST="true").content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error
    assert "hx-get" not in page
    assert AuditLog.objects.get(object_type="lodging.GuestListImport", object_id=str(job.pk),
                                event=AuditEvent.UPDATE).office_id == job.lodging.office_id


def test_the_upload_list_shows_an_upload_whose_worker_ended_as_failed(front_desk, upload):
    job = upload("tamu.csv", csv_bytes([KIM]))
    long_ago = timezone.now() - GuestListImport.STALLED_AFTER - dt.timedelta(minutes=1)
    GuestListImport.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING,
                                                     progress_at=long_ago, finished_at=None)
    assert login(front_desk).get(reverse("lodging:upload_list")).status_code == 200
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_rejected_rows_download_as_csv_with_reasons(front_desk, upload):
    job = upload("tamu.csv", csv_bytes([KIM, row(WANG, waktu_check_in=FUTURE)]))
    response = login(front_desk).get(reverse("lodging:upload_rejected", args=[job.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "tamu-ditolak.csv" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == [*HEADERS, "alasan"]
    assert len(lines) == 2
    values = dict(zip(lines[0], lines[1], strict=True))
    assert values["nomor_paspor"] == "EA1234567"
    assert values["waktu_check_in"] == FUTURE
    assert values["alasan"] == "waktu_check_in: Waktu check-in tidak boleh di masa depan."
    # The rows are guests' passports: the download is logged for the lodging's office.
    [logged] = AccessLog.objects.filter(view="lodging_upload_rejected")
    assert (logged.user, logged.person_id, logged.person_label) == (front_desk, job.pk,
                                                                   "tamu.csv (1)")
    assert logged.office_id == job.lodging.office_id


def test_rejected_rows_csv_never_carries_a_live_formula(front_desk, upload):
    job = upload("tamu.csv", csv_bytes([row(WANG, waktu_check_in=FUTURE, kamar="=1+1",
                                            nama_depan="@SUM(A1)")]))
    response = login(front_desk).get(reverse("lodging:upload_rejected", args=[job.pk]))
    header, line = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = dict(zip(header, line, strict=True))
    assert (cells["kamar"], cells["nama_depan"]) == ("'=1+1", "'@SUM(A1)")


def test_rejected_rows_speak_english_to_english_readers(front_desk, upload):
    job = upload("tamu.csv", csv_bytes([row(WANG, waktu_check_in=FUTURE)]))
    client = login(front_desk)
    response = client.get(reverse("lodging:upload_rejected", args=[job.pk]),
                          HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(reverse("lodging:upload_detail", args=[job.pk]),
                      HTTP_ACCEPT_LANGUAGE="en")
    assert "The check-in time cannot be in the future." in response.content.decode("utf-8-sig")
    assert "The check-in time cannot be in the future." in page.content.decode()


def test_rejected_rows_download_as_excel(front_desk, upload):
    from openpyxl import load_workbook

    job = upload("tamu.csv", csv_bytes([row(WANG, kewarganegaraan="XYZ")]))
    response = login(front_desk).get(reverse("lodging:upload_rejected", args=[job.pk]),
                                     {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADERS, "alasan"]
    assert "kewarganegaraan" in rows[1][-1]


def test_fixed_rejected_rows_uploaded_again_create_the_stays(front_desk, upload):
    job = upload("tamu.csv", csv_bytes([KIM, row(WANG, kewarganegaraan="XYZ")]))
    response = login(front_desk).get(reverse("lodging:upload_rejected", args=[job.pk]))
    text = response.content.decode("utf-8-sig").replace("XYZ", "CHN")

    again = upload("tamu-ditolak.csv", text.encode("utf-8"))

    assert (again.created_count, again.rejected_count) == (1, 0)
    assert Stay.objects.count() == 2


@pytest.mark.parametrize(("query", "filename"), [({}, "templat.xlsx"),
                                                 ({"format": "csv"}, "templat.csv")],
                         ids=["excel", "csv"])
def test_the_template_parses_back_and_its_example_uploads_cleanly(front_desk, upload, query,
                                                                  filename):
    response = login(front_desk).get(reverse("lodging:upload_template"), query)
    assert response.status_code == 200
    table = read_table(response.content, filename)
    assert table.headers == HEADERS
    assert len(table.rows) == 1

    job = upload(filename, response.content)

    assert (job.status, job.created_count, job.rejected_count) == (JobStatus.DONE, 1, 0), (
        rejected_codes(job))


def test_upload_pages_are_only_for_the_lodgings_own_front_desk(upload, other_hotel_operator,
                                                               officer, anonymous):
    job = upload("tamu.csv", csv_bytes([row(WANG, kewarganegaraan="XYZ")]))
    pages = [reverse("lodging:upload_detail", args=[job.pk]),
             reverse("lodging:upload_rejected", args=[job.pk])]
    other = login(other_hotel_operator)
    for url in pages:
        assert other.get(url).status_code == 404
    assert "tamu.csv" not in other.get(reverse("lodging:upload_list")).content.decode()
    staff = login(officer)
    for url in [*pages, reverse("lodging:upload_list"), reverse("lodging:upload_template")]:
        assert staff.get(url).status_code == 403
        response = anonymous.get(url)
        assert response.status_code == 302
        assert "next=" in response["Location"]
    # A lodging user whose account has no lodging yet is refused too.
    orphan = login(make_user("fo_tanpa_hotel", Role.LODGING))
    assert orphan.get(reverse("lodging:upload_list")).status_code == 403


def test_an_account_that_may_not_report_sees_why_instead_of_the_form(front_desk, lodging):
    lodging.status = "suspended"
    lodging.save()
    client = login(front_desk)
    page = client.get(reverse("lodging:upload_list"))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert 'id="cannot-report"' in page.content.decode()
    response = client.post(reverse("lodging:upload_list"),
                           {"file": SimpleUploadedFile("tamu.csv", csv_bytes([WANG]))})
    assert response.status_code == 403
    assert not GuestListImport.objects.exists()


def test_the_benchmark_list_checks_cleanly_and_mixes_the_three_kinds(upload, officer):
    from pora.bench.guest_list import guest_list_rows, to_csv

    for i in range(5):
        make_person(actor=officer, passport=f"BP{i:07d}", given_names=f"MING {chr(65 + i)}",
                    birth=(1980 + i, 1 + i, 10 + i))
    rows, kinds = guest_list_rows(10, now=timezone.now(), by_document=0.2, by_name=0.2,
                                  bad=0.0)
    assert kinds == {"document": 2, "name": 2, "new": 6, "bad": 0}

    job = upload("bench.csv", to_csv(rows))

    assert (job.created_count, job.rejected_count) == (10, 0), rejected_codes(job)
    methods = sorted(Stay.objects.values_list("link_method", flat=True))
    assert methods == ["document"] * 2 + ["name"] * 2 + ["new"] * 6


def test_a_guest_list_declaring_a_huge_dimension_is_read_at_bounded_memory():
    import tracemalloc

    import openpyxl.reader.excel  # noqa: F401 (imported before memory is traced)

    from pora.core.tests.hostile import table_workbook

    data = table_workbook(HEADERS, [["x"] * len(HEADERS)] * 2, dimension="A1:XFD8000",
                          last_row_at=8000)
    tracemalloc.start()
    try:
        table = read_table(data, "tamu.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(table.rows) == 2
    assert peak < 16 * 1024 * 1024
