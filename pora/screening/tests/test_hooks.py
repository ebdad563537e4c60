"""Foreigners are screened where they enter PORA: recorded, changed, on a permit, at a
lodging check-in, and after permit and guest-list uploads."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import transaction
from django.utils import timezone

from pora.conftest import make_permit, make_person
from pora.lodging.guest_list_rows import COLUMNS as GUEST_COLUMNS
from pora.lodging.linking import Guest
from pora.lodging.models import Source, Stay
from pora.lodging.services.guest_lists import guest_list_start
from pora.lodging.services.stays import StayDetails, check_in
from pora.registry.importing import COLUMNS as PERMIT_COLUMNS
from pora.registry.services import person_update
from pora.registry.services.imports import permit_import_start
from pora.screening.models import Hit, Trigger
from pora.screening.tests.screening_fixtures import add_entry

NOW = timezone.now().replace(microsecond=0)


def wang_guest(**changes) -> Guest:
    values = {"surname": "WANG", "given_names": "XIAOMING", "nationality": "CHN",
              "document_number": "EA1234567", "issuing_state": "CHN", "sex": "M",
              "birth_year": 1985, "birth_month": 3, "birth_day": 21}
    return Guest(**{**values, **changes})


def report(hotel, guest: Guest | None = None, hours_ago: int = 2):
    return check_in(lodging=hotel, guest=guest or wang_guest(), source=Source.TYPED,
                    details=StayDetails(checked_in_at=NOW - dt.timedelta(hours=hours_ago),
                                        room="1204"), now=NOW)


def table(columns, rows: list[dict]) -> bytes:
    headers = [c.header for c in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for values in rows:
        writer.writerow([values.get(h, "") for h in headers])
    return buffer.getvalue().encode()


@pytest.fixture
def listed(officer, wanted_list):
    return add_entry(wanted_list, officer)


def test_recording_a_listed_foreigner_raises_a_hit_after_the_commit(
        officer, listed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        person = make_person(actor=officer)
        assert not Hit.objects.exists()  # not inside the registry's transaction
    assert callbacks
    hit = Hit.objects.get()
    assert (hit.person, hit.entry, hit.trigger) == (person, listed, Trigger.PERSON)


def test_check_in_of_a_new_guest_screens_once_and_names_the_stay(
        hotel, listed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stay, new = report(hotel)
    assert new
    hit = Hit.objects.get()
    assert (hit.person_id, hit.trigger, hit.context, hit.times_seen) == (
        stay.person_id, Trigger.CHECK_IN, {"stay": stay.pk}, 1)


def test_check_in_of_a_known_foreigner_is_screened(officer, hotel, listed,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person = make_person(actor=officer)
    Hit.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        stay, _new = report(hotel)
    assert stay.person == person
    hit = Hit.objects.get()
    assert hit.context == {"stay": stay.pk}


def test_the_same_report_sent_again_is_not_screened_again(
        hotel, listed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report(hotel)
    with django_capture_on_commit_callbacks(execute=True):
        _stay, new = report(hotel)
    assert not new
    assert Hit.objects.get().times_seen == 1


def test_a_later_check_in_updates_the_stay_on_the_hit(hotel, listed,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report(hotel, hours_ago=30)
    with django_capture_on_commit_callbacks(execute=True):
        later, _new = report(hotel, hours_ago=2)
    hit = Hit.objects.get()
    assert (hit.times_seen, hit.context) == (2, {"stay": later.pk})


def test_a_guest_unlike_any_entry_raises_nothing(hotel, listed,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report(hotel, wang_guest(surname="KOWALSKI", given_names="JAN", nationality="POL",
                                 document_number="EZ1234567", issuing_state="POL"))
    assert not Hit.objects.exists()


def test_a_new_permit_screens_its_holder(officer, wanted_list,
                                         django_capture_on_commit_callbacks):
    person = make_person(actor=officer)
    entry = add_entry(wanted_list, officer)
    with django_capture_on_commit_callbacks(execute=True):
        permit = make_permit(person, actor=officer)
    hit = Hit.objects.get()
    assert (hit.entry, hit.trigger, hit.context) == (entry, Trigger.PERMIT,
                                                     {"permit": permit.pk})


def test_a_permit_import_screens_the_foreigners_it_touched_in_the_background(
        officer, listed, django_capture_on_commit_callbacks):
    rows = [
        {"nomor_izin": "2C11AB0012345", "jenis_izin": "ITAS", "tujuan": "kerja",
         "berlaku_mulai": "2024-01-15", "berlaku_sampai": "2025-01-14",
         "nama_keluarga": "WANG", "nama_depan": "XIAOMING", "jenis_kelamin": "L",
         "tanggal_lahir": "1985-03-21", "kewarganegaraan": "CHN",
         "nomor_paspor": "EA1234567", "kelurahan": "Pluit"},
        {"nomor_izin": "2D31GB0000042", "jenis_izin": "ITAP", "tujuan": "keluarga",
         "berlaku_mulai": "2023-09-01", "berlaku_sampai": "2028-08-31",
         "nama_keluarga": "SMITH", "nama_depan": "JOHN", "jenis_kelamin": "M",
         "tanggal_lahir": "1960", "kewarganegaraan": "GBR", "nomor_paspor": "123456789",
         "kelurahan": "Pluit"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = permit_import_start(actor=officer, filename="izin.csv",
                                  data=table(PERMIT_COLUMNS, rows), run_now=True)
    job.refresh_from_db()
    assert job.created_count == 2
    hit = Hit.objects.get()
    assert (hit.person.surname, hit.trigger, hit.context) == (
        "WANG", Trigger.IMPORT, {"permit_import": job.pk})


def test_a_guest_list_screens_its_new_guests_with_their_stays(
        hotel_operator, hotel, listed, django_capture_on_commit_callbacks):
    check_in_at = timezone.localtime(NOW - dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    rows = [
        {"nomor_paspor": "EA1234567", "kewarganegaraan": "CHN", "nama_keluarga": "WANG",
         "nama_depan": "XIAOMING", "jenis_kelamin": "L", "tanggal_lahir": "1985-03-21",
         "kamar": "1204", "waktu_check_in": check_in_at},
        {"nomor_paspor": "123456789", "kewarganegaraan": "GBR", "nama_keluarga": "SMITH",
         "nama_depan": "JOHN", "jenis_kelamin": "M", "tanggal_lahir": "1960",
         "waktu_check_in": check_in_at},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = guest_list_start(actor=hotel_operator, lodging=hotel, filename="tamu.csv",
                               data=table(GUEST_COLUMNS, rows), run_now=True)
    job.refresh_from_db()
    assert job.created_count == 2
    hit = Hit.objects.get()
    stay = Stay.objects.get(person=hit.person)
    assert (hit.trigger, hit.context) == (Trigger.CHECK_IN, {"guest_list": job.pk,
                                                             "stay": stay.pk})


def test_writes_of_one_transaction_screen_the_foreigner_once_with_the_latest_facts(
        officer, listed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        person = make_person(actor=officer, birth=(1985, 3, 1))
        permit = make_permit(person, actor=officer)
        person_update(actor=officer, person=person, birth_day=21)
    hit = Hit.objects.get()
    assert (hit.trigger, hit.context, hit.times_seen) == (Trigger.PERMIT,
                                                          {"permit": permit.pk}, 1)
    assert "birth_exact" in [reason["code"] for reason in hit.reasons]
