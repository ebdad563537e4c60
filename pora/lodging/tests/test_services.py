"""The lodging services: check-in and check-out, alerts, reporter accounts and API tokens.

Every refused report saves nothing (no stay, no foreigner, no audit row) and names its
field with a message in Bahasa Indonesia and in English; the same report sent twice is
the same stay; a detection rule that fires twice is one alert seen twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core import signing
from django.utils import timezone

from pora.alerts import services as alert_services
from pora.alerts.models import Alert
from pora.conftest import kelurahan, login, make_lodging, make_permit, make_person
from pora.core.models import AdministrativeArea, AuditLog, Role, User
from pora.lodging.linking import Guest
from pora.lodging.models import (
    AlertRule,
    ApiToken,
    Lodging,
    LodgingStaff,
    ReporterStatus,
    Source,
    Stay,
)
from pora.lodging.services import alerts, reporters
from pora.lodging.services.errors import ReportRejected
from pora.lodging.services.stays import StayDetails, check_in, check_out
from pora.registry.models import Person, TravelDocument

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def guest(**changes) -> Guest:
    values = {"surname": "Kowalski", "given_names": "Jan", "nationality": "POL",
              "document_number": "EZ 1234567", "issuing_state": "", "sex": "M",
              "birth_year": 1980, "birth_month": 5, "birth_day": 17}
    return Guest(**{**values, **changes})


def details(now, **changes) -> StayDetails:
    values = {"checked_in_at": now - 2 * H, "room": "305",
              "expected_checkout": timezone.localdate(now) + 3 * D}
    return StayDetails(**{**values, **changes})


def report(lodging, now, *, g: Guest | None = None, actor=None, **detail_changes):
    return check_in(lodging=lodging, guest=g or guest(), details=details(now, **detail_changes),
                    source=Source.TYPED, actor=actor, now=now)


def counts() -> tuple[int, ...]:
    return (Stay.objects.count(), Person.objects.count(), TravelDocument.objects.count(),
            AuditLog.objects.count(), Alert.objects.count())


# -------------------------------------------------------------------- check-in refused

BAD_GUESTS = [
    pytest.param({"surname": " ", "given_names": ""}, "name_required", "surname",
                 id="name_required"),
    pytest.param({"nationality": "ZZZ"}, "unknown_country", "nationality",
                 id="unknown_country"),
    pytest.param({"nationality": ""}, "unknown_country", "nationality", id="no_nationality"),
    pytest.param({"issuing_state": "QQ"}, "unknown_country", "issuing_state",
                 id="unknown_issuing_state"),
    pytest.param({"document_number": ""}, "invalid_document_number", "document_number",
                 id="no_document_number"),
    pytest.param({"document_number": "EZ-123/45"}, "invalid_document_number",
                 "document_number", id="document_number_punctuation"),
    pytest.param({"document_number": "E" * 21}, "invalid_document_number", "document_number",
                 id="document_number_too_long"),
    pytest.param({"birth_year": 1850}, "invalid_birth_date", "birth_date", id="born_1850"),
    pytest.param({"birth_year": 2999}, "invalid_birth_date", "birth_date", id="born_future"),
    pytest.param({"birth_month": 13}, "invalid_birth_date", "birth_date", id="month_13"),
    pytest.param({"birth_month": 2, "birth_day": 30}, "invalid_birth_date", "birth_date",
                 id="30_february"),
    pytest.param({"birth_month": None}, "invalid_birth_date", "birth_date",
                 id="day_without_month"),
    pytest.param({"birth_year": None, "birth_month": 5, "birth_day": None},
                 "invalid_birth_date", "birth_date", id="month_without_year"),
]

BAD_DETAILS = [
    pytest.param({"checked_in_at": "future"}, "check_in_in_future", "checked_in_at",
                 id="check_in_in_future"),
    pytest.param({"checked_in_at": "too_old"}, "check_in_too_old", "checked_in_at",
                 id="check_in_too_old"),
    pytest.param({"expected_checkout": "before"}, "checkout_before_checkin",
                 "expected_checkout", id="checkout_before_checkin"),
    pytest.param({"arrival_date": "after"}, "arrival_after_checkin", "arrival_date",
                 id="arrival_after_checkin"),
]


def _resolve(now, changes):
    moments = {"future": now + 11 * dt.timedelta(minutes=1) + H,
               "too_old": now - 367 * D,
               "before": timezone.localdate(now) - 3 * D,
               "after": timezone.localdate(now) + D}
    return {k: moments.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}


@pytest.mark.parametrize(("changes", "code", "field"), BAD_GUESTS)
def test_check_in_refuses_a_bad_guest_and_saves_nothing(hotel, hotel_operator, now, changes,
                                                        code, field):
    before = counts()
    with pytest.raises(ReportRejected) as refused:
        report(hotel, now, g=guest(**changes), actor=hotel_operator)
    assert refused.value.status == 422
    assert [(p.code, p.field) for p in refused.value.problems] == [(code, field)]
    problem = refused.value.problems[0]
    assert problem.message_id and problem.message_en and problem.message_id != problem.message_en
    assert counts() == before


@pytest.mark.parametrize(("changes", "code", "field"), BAD_DETAILS)
def test_check_in_refuses_bad_stay_details_and_saves_nothing(hotel, now, changes, code, field):
    before = counts()
    with pytest.raises(ReportRejected) as refused:
        report(hotel, now, **_resolve(now, changes))
    assert [(p.code, p.field) for p in refused.value.problems] == [(code, field)]
    assert refused.value.status == 422
    assert counts() == before


def test_check_in_lists_every_problem_at_once(hotel, now):
    with pytest.raises(ReportRejected) as refused:
        report(hotel, now, g=guest(surname="", given_names="", nationality="ZZZ",
                                   document_number=""),
               checked_in_at=now + D)
    assert [p.code for p in refused.value.problems] == [
        "name_required", "unknown_country", "invalid_document_number", "check_in_in_future"]


def test_check_in_allows_ten_minutes_of_clock_skew(hotel, now):
    stay, created = report(hotel, now, checked_in_at=now + 9 * dt.timedelta(minutes=1),
                           expected_checkout=None)
    assert created and stay.checked_in_at == now + 9 * dt.timedelta(minutes=1)


def test_check_in_of_a_partial_birth_date_is_accepted(hotel, now):
    stay, _created = report(hotel, now, g=guest(birth_month=None, birth_day=None))
    assert (stay.birth_year, stay.birth_month, stay.birth_day) == (1980, None, None)


@pytest.mark.parametrize("status", [ReporterStatus.EMAIL_PENDING, ReporterStatus.SUSPENDED])
def test_check_in_refused_while_the_account_is_not_active(db, now, status):
    lodging = make_lodging("Kos Melati", status=status)
    before = counts()
    with pytest.raises(ReportRejected) as refused:
        report(lodging, now)
    assert refused.value.status == 403
    problem = refused.value.problems[0]
    assert (problem.code, problem.field) == ("account_not_active", "lodging")
    assert problem.message_id and problem.message_en
    assert counts() == before


def test_a_pending_lodging_may_already_report(db, now):
    lodging = make_lodging("Kos Melati", status=ReporterStatus.PENDING)
    _stay, created = report(lodging, now)
    assert created


# --------------------------------------------------------------------- check-in saved


def test_check_in_normalises_and_records_the_report(hotel, hotel_operator, now):
    stay, created = report(hotel, now, g=guest(given_names=" jan "), actor=hotel_operator,
                           arrival_date=timezone.localdate(now) - 2 * D,
                           permit_number="b1 123")
    assert created
    assert (stay.surname, stay.given_names, stay.nationality, stay.issuing_state,
            stay.document_number) == ("KOWALSKI", "JAN", "POL", "POL", "EZ1234567")
    assert stay.permit_number == "B1 123"
    assert (stay.office_id, stay.reported_by, stay.source) == (hotel.office_id, hotel_operator,
                                                               Source.TYPED)
    assert stay.reported_at == now
    assert re.fullmatch(r"\d{6}-[2-9A-HJKMNP-Z]{8}", stay.receipt_number)
    entry = AuditLog.objects.get(object_type="lodging.Stay", object_id=str(stay.pk))
    assert entry.actor == hotel_operator and entry.person_id == stay.person_id
    assert entry.changes["document_number"] == [None, "EZ1234567"]


def test_the_same_report_twice_is_the_same_stay(hotel, now):
    first, created = report(hotel, now)
    assert created
    before = counts()
    again, created_again = report(hotel, now + 5 * dt.timedelta(minutes=1),
                                  checked_in_at=now - 2 * H + dt.timedelta(microseconds=250))
    assert (again.pk, created_again) == (first.pk, False)
    assert counts() == before
    # The same passport typed with a space and in lower case is still the same guest.
    third, created_third = report(hotel, now, g=guest(document_number="ez1234 567"))
    assert (third.pk, created_third) == (first.pk, False)


def test_the_same_guest_at_another_time_or_lodging_is_another_stay(hotel, other_hotel_operator,
                                                                   now):
    first, _ = report(hotel, now)
    later, created = report(hotel, now, checked_in_at=now - H)
    assert created and later.pk != first.pk and later.person_id == first.person_id
    ancol = other_hotel_operator.lodging_staff.lodging
    elsewhere, created = report(ancol, now)
    assert created and elsewhere.person_id == first.person_id


# -------------------------------------------------------------------------- check-out


@pytest.fixture
def stay(hotel, now):
    stay, _created = report(hotel, now)
    return stay


def test_check_out_records_the_time_and_audits(stay, hotel_operator, now):
    done = check_out(stay=stay, at=now - H + dt.timedelta(microseconds=7), actor=hotel_operator,
                     now=now)
    done.refresh_from_db()
    assert done.checked_out_at == now - H
    assert done.checked_out_by == hotel_operator
    assert not done.is_current
    assert AuditLog.objects.filter(object_type="lodging.Stay", object_id=str(stay.pk),
                                   actor=hotel_operator, event="update").exists()


@pytest.mark.parametrize(("at", "code", "status"), [
    pytest.param(-3 * H, "checkout_before_checkin", 422, id="before-check-in"),
    pytest.param(2 * H, "checkout_in_future", 422, id="in-future"),
])
def test_check_out_refused(stay, now, at, code, status):
    with pytest.raises(ReportRejected) as refused:
        check_out(stay=stay, at=now + at, now=now)
    assert (refused.value.problems[0].code, refused.value.status) == (code, status)
    stay.refresh_from_db()
    assert stay.checked_out_at is None


def test_check_out_twice_is_a_conflict(stay, now):
    check_out(stay=stay, now=now)
    entries = AuditLog.objects.count()
    with pytest.raises(ReportRejected) as refused:
        check_out(stay=stay, now=now + H)
    assert (refused.value.problems[0].code, refused.value.status) == ("already_checked_out", 409)
    assert AuditLog.objects.count() == entries
    stay.refresh_from_db()
    assert stay.checked_out_at == now


def test_overdue_guests_are_flagged_never_closed_silently(hotel, now):
    overdue, _ = report(hotel, now, checked_in_at=now - 5 * D,
                        expected_checkout=timezone.localdate(now) - 2 * D)
    on_time, _ = report(hotel, now, g=guest(document_number="EZ7654321"))
    open_ended, _ = report(hotel, now, g=guest(document_number="EZ1111111"),
                           expected_checkout=None)
    today = timezone.localdate(now)
    assert overdue.is_overdue(today)
    assert not on_time.is_overdue(today)
    assert not open_ended.is_overdue(today)
    assert not overdue.is_overdue(today - 3 * D)  # before the expected day it was not
    alerts.run_nightly(now=now + 20 * D)
    assert Stay.objects.filter(checked_out_at__isnull=True).count() == 3
    overdue.refresh_from_db()
    assert overdue.is_current and overdue.is_overdue(today)
    check_out(stay=overdue, now=now)
    overdue.refresh_from_db()
    assert not overdue.is_overdue(today)


# ----------------------------------------------------------------------------- alerts


def test_a_late_report_raises_one_alert_seen_again_not_twice(hotel, now):
    stay, _ = report(hotel, now, checked_in_at=now - 30 * H)
    alert = Alert.objects.get()
    assert (alert.rule, alert.key, alert.times_seen) == (AlertRule.LATE_REPORT,
                                                         f"late_report:stay:{stay.pk}", 1)
    assert (alert.office_id, alert.person_id, alert.stay_id, alert.lodging_id) == (
        hotel.office_id, stay.person_id, stay.pk, hotel.pk)
    assert alert.facts == {"hours": 30, "limit": 24, "lodging": "Hotel Pluit Bay"}
    created_audits = AuditLog.objects.filter(object_type="alerts.Alert").count()
    alerts.evaluate_stay(stay, now=now + H)
    assert Alert.objects.count() == 1
    alert.refresh_from_db()
    assert alert.times_seen == 2 and alert.last_seen == now + H
    assert AuditLog.objects.filter(object_type="alerts.Alert").count() == created_audits == 1


def test_a_report_within_24_hours_raises_nothing(hotel, now):
    report(hotel, now, checked_in_at=now - 24 * H)
    assert not Alert.objects.exists()


def test_overlapping_stays_raise_an_alert(hotel, other_hotel_operator, now):
    report(hotel, now, checked_in_at=now - 3 * D)
    ancol = other_hotel_operator.lodging_staff.lodging
    stay, _ = report(ancol, now, checked_in_at=now - 2 * H)
    alert = Alert.objects.get(rule=AlertRule.OVERLAPPING)
    assert alert.stay == stay and alert.facts["other_lodging"] == "Hotel Pluit Bay"


def test_run_nightly_flags_a_guest_whose_visa_free_stay_ran_out(hotel, now):
    arrived = timezone.localdate(now) - 25 * D
    stay, _ = report(hotel, now, arrival_date=arrived, expected_checkout=None)
    # A second guest holds a permit valid for years: never flagged.
    holder = make_person(surname="TANAKA", given_names="HIROSHI", nationality="JPN",
                         passport="TZ1234567", birth=(1970, 1, 1))
    make_permit(holder, number="2D21AA0000003", kind="ITAP", valid_from=dt.date(2020, 1, 1),
                valid_until=timezone.localdate(now) + 900 * D)
    report(hotel, now, g=guest(surname="TANAKA", given_names="HIROSHI", nationality="JPN",
                               document_number="TZ1234567", birth_year=1970, birth_month=1,
                               birth_day=1), expected_checkout=None)
    assert not Alert.objects.filter(rule=AlertRule.NO_VALID_PERMIT).exists()  # day 26
    result = alerts.run_nightly(now=now + 10 * D)  # day 36
    assert result["stays"] == 2 and result[AlertRule.NO_VALID_PERMIT] == 1
    alert = Alert.objects.get(rule=AlertRule.NO_VALID_PERMIT)
    assert alert.person_id == stay.person_id
    assert alert.facts["variant"] == "none" and alert.facts["days"] == 36
    assert alert.facts["arrived"] == arrived.isoformat()
    # The next night updates the same alert.
    alerts.run_nightly(now=now + 11 * D)
    alert.refresh_from_db()
    assert alert.times_seen == 2 and alert.facts["days"] == 37
    assert Alert.objects.filter(rule=AlertRule.NO_VALID_PERMIT).count() == 1


def test_run_nightly_flags_a_lodging_that_went_quiet(hotel, other_hotel_operator, now):
    for n in range(4):
        report(hotel, now - (n + 1) * D, g=guest(document_number=f"EZ100000{n}"),
               checked_in_at=now - (n + 1) * D - H)
    ancol = other_hotel_operator.lodging_staff.lodging
    for n in range(3):  # reports too rarely to be "usually reporting"
        report(ancol, now - (n + 1) * D, g=guest(document_number=f"EZ200000{n}"),
               checked_in_at=now - (n + 1) * D - H)
    assert not alerts.run_nightly(now=now + 5 * D).get(AlertRule.SILENT_LODGING)  # 6 days
    alerts.run_nightly(now=now + 6 * D - H)
    assert not Alert.objects.filter(rule=AlertRule.SILENT_LODGING).exists()
    result = alerts.run_nightly(now=now + 7 * D)
    assert result[AlertRule.SILENT_LODGING] == 1
    alert = Alert.objects.get(rule=AlertRule.SILENT_LODGING)
    assert (alert.lodging, alert.office_id, alert.person_id) == (hotel, hotel.office_id, None)
    assert alert.facts["usual"] == 4 and alert.facts["silent"] == 8


def test_alert_update_by_an_officer_is_audited(hotel, officer, now):
    report(hotel, now, checked_in_at=now - 30 * H)
    alert = alert_services.alert_update(actor=officer, alert=Alert.objects.get(), status="in_progress",
                                note="  called the hotel  ")
    assert (alert.status, alert.note, alert.handled_by) == ("in_progress", "called the hotel",
                                                            officer)
    entry = AuditLog.objects.filter(object_type="alerts.Alert", actor=officer).get()
    assert entry.changes == {"status": ["open", "in_progress"], "note": ["", "called the hotel"]}
    with pytest.raises(ValueError):
        alert_services.alert_update(actor=officer, alert=alert, status="nonsense")
    assert alert_services.alert_counts(hotel.office_id) == {}


# -------------------------------------------------------------------- reporter accounts


def registration(**changes) -> reporters.Registration:
    values = {"kind": "lodging", "name": "Kos Melati", "lodging_type": "kos",
              "licence_number": "9120009876543", "kelurahan": kelurahan("Pluit"),
              "street": "Jl. Melati 7", "person_in_charge": "Siti Rahma",
              "email": "siti@example.test"}
    return reporters.Registration(**{**values, **changes})


@pytest.fixture
def registered(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lodging, user = reporters.lodging_register(
            data=registration(), username="kos_melati", password="Melati-2024-kamar",
            base_url="http://testserver/")
    return lodging, user


def _link(mail) -> str:
    match = re.search(r"http://testserver(/\S+)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_registration_creates_an_unconfirmed_account_and_mails_the_link(registered,
                                                                        mailoutbox):
    lodging, user = registered
    assert lodging.status == ReporterStatus.EMAIL_PENDING and not lodging.can_report
    assert lodging.office.code == "jakarta-utara"
    assert user.role == Role.LODGING and user.check_password("Melati-2024-kamar")
    assert LodgingStaff.objects.get(user=user).is_manager
    assert AuditLog.objects.filter(object_type="lodging.Lodging", object_id=str(lodging.pk),
                                   note="registration").exists()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["siti@example.test"] and "Kos Melati" in mail.subject
    assert _link(mail).startswith("/penginapan/konfirmasi/")


def test_registration_outside_every_office_is_refused(db, mailoutbox):
    city = AdministrativeArea.objects.create(code="31.73", name="Jakarta Barat", level="city",
                                             parent=AdministrativeArea.objects.get(code="31"))
    kecamatan = AdministrativeArea.objects.create(code="31.73.01", name="Cengkareng",
                                                  level="kecamatan", parent=city)
    outside = AdministrativeArea.objects.create(code="31.73.01.1001", name="Duri Kosambi",
                                                level="kelurahan", parent=kecamatan)
    with pytest.raises(reporters.RegistrationError):
        reporters.lodging_register(data=registration(kelurahan=outside), username="x_kos",
                                   password="Melati-2024-kamar")
    assert not Lodging.objects.filter(name="Kos Melati").exists()
    assert not User.objects.filter(username="x_kos").exists()
    assert mailoutbox == []


def test_the_confirmation_link_confirms_once(registered, mailoutbox, officer):
    lodging, _user = registered
    link = _link(mailoutbox[0])
    response = login(None).get(link)
    assert response.status_code == 200 and response.context["ok"]
    lodging.refresh_from_db()
    assert lodging.status == ReporterStatus.PENDING and lodging.email_confirmed_at
    assert lodging.can_report and not lodging.is_verified
    confirmed = AuditLog.objects.filter(note="email confirmed").count()
    assert confirmed == 1
    # Opening it again changes nothing, even after the officer's decision.
    reporters.lodging_set_status(actor=officer, lodging=lodging, status=ReporterStatus.SUSPENDED)
    again = login(None).get(link)
    assert again.status_code == 200
    lodging.refresh_from_db()
    assert lodging.status == ReporterStatus.SUSPENDED
    assert AuditLog.objects.filter(note="email confirmed").count() == 1


@pytest.mark.parametrize("forge", [
    pytest.param(lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
                 id="tampered"),
    pytest.param(lambda token: "not-a-token", id="garbage"),
    pytest.param(lambda token: signing.dumps({"lodging": 1, "email": "x@example.test"},
                                             salt="another.salt"), id="other-salt"),
])
def test_a_forged_confirmation_link_fails(registered, forge):
    lodging, _user = registered
    token = reporters.confirmation_token(lodging)
    with pytest.raises(signing.BadSignature):
        reporters.lodging_confirm_email(forge(token))
    response = login(None).get(f"/penginapan/konfirmasi/{forge(token)}/")
    assert response.status_code == 400 and not response.context["ok"]
    lodging.refresh_from_db()
    assert lodging.status == ReporterStatus.EMAIL_PENDING


def test_an_expired_confirmation_link_fails(registered, settings, monkeypatch):
    lodging, _user = registered
    with monkeypatch.context() as patch:
        # Signed four days ago; links are valid for PORA_EMAIL_CONFIRM_DAYS (3).
        real = signing.time.time()
        patch.setattr(signing.time, "time", lambda: real - 4 * 86400)
        token = reporters.confirmation_token(lodging)
    with pytest.raises(signing.SignatureExpired):
        reporters.lodging_confirm_email(token)
    assert login(None).get(f"/penginapan/konfirmasi/{token}/").status_code == 400
    settings.PORA_EMAIL_CONFIRM_DAYS = 5
    assert reporters.lodging_confirm_email(token).status == ReporterStatus.PENDING


def test_a_link_for_a_changed_address_fails(registered):
    lodging, _user = registered
    token = reporters.confirmation_token(lodging)
    Lodging.objects.filter(pk=lodging.pk).update(email="new@example.test")
    with pytest.raises(signing.BadSignature):
        reporters.lodging_confirm_email(token)


def test_an_officer_of_the_office_verifies_the_account(registered, officer):
    lodging, _user = registered
    reporters.lodging_confirm_email(reporters.confirmation_token(lodging))
    lodging = reporters.lodging_set_status(actor=officer, lodging=lodging,
                                           status=ReporterStatus.VERIFIED, note="NIB checked")
    lodging.refresh_from_db()
    assert lodging.is_verified and lodging.verified_by == officer and lodging.verified_at
    entry = AuditLog.objects.filter(object_type="lodging.Lodging", actor=officer).get()
    assert entry.changes == {"status": ["pending", "verified"]} and entry.note == "NIB checked"


@pytest.mark.parametrize("who", ["other_officer", "analyst", "police_partner",
                                 "hotel_operator"])
def test_only_the_supervising_office_decides_on_an_account(registered, request, who):
    lodging, _user = registered
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionError):
        reporters.lodging_set_status(actor=actor, lodging=lodging,
                                     status=ReporterStatus.VERIFIED)
    lodging.refresh_from_db()
    assert lodging.status == ReporterStatus.EMAIL_PENDING


def test_a_manager_adds_staff_and_staff_cannot(hotel, hotel_operator):
    colleague = reporters.staff_add(actor=hotel_operator, lodging=hotel, username="fo_pluit",
                                    email="fo2@example.test", password="Front-Desk-2024")
    assert colleague.lodging_staff.lodging == hotel and not colleague.lodging_staff.is_manager
    with pytest.raises(PermissionError):
        reporters.staff_add(actor=colleague, lodging=hotel, username="fo_pluit2",
                            email="fo3@example.test", password="Front-Desk-2024")


# ----------------------------------------------------------------------------- tokens


def test_token_create_returns_the_raw_value_once_and_stores_its_digest(hotel, hotel_operator):
    token, raw = reporters.token_create(actor=hotel_operator, lodging=hotel, label=" PMS ")
    assert raw.startswith("pora_") and len(raw) > 40
    token.refresh_from_db()
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:12] and token.label == "PMS" and token.is_active
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert raw not in stored
    for entry in AuditLog.objects.all():
        assert raw not in str(entry.changes) and raw not in entry.object_label


def test_token_authenticate(hotel, hotel_operator):
    token, raw = reporters.token_create(actor=hotel_operator, lodging=hotel, label="PMS")
    found = reporters.token_authenticate(raw, ip="203.0.113.5")
    assert found == token and found.lodging == hotel
    token.refresh_from_db()
    assert token.last_used_ip == "203.0.113.5" and token.last_used_at
    for wrong in ("", raw + "x", raw[:-1], "Bearer " + raw, raw.replace("pora_", "xxxx_"),
                  "pora_" + "a" * 200):
        assert reporters.token_authenticate(wrong) is None, wrong


def test_a_revoked_token_no_longer_authenticates(hotel, hotel_operator):
    token, raw = reporters.token_create(actor=hotel_operator, lodging=hotel, label="PMS")
    revoked = reporters.token_revoke(actor=hotel_operator, token=token)
    assert revoked.revoked_at and revoked.revoked_by == hotel_operator and not revoked.is_active
    assert reporters.token_authenticate(raw) is None
    entries = AuditLog.objects.count()
    reporters.token_revoke(actor=hotel_operator, token=token)  # twice: nothing more
    assert AuditLog.objects.count() == entries


def test_tokens_of_two_lodgings_are_different(hotel, hotel_operator, other_hotel_operator):
    ancol = other_hotel_operator.lodging_staff.lodging
    _mine, mine = reporters.token_create(actor=hotel_operator, lodging=hotel, label="A")
    _theirs, theirs = reporters.token_create(actor=None, lodging=ancol, label="B")
    assert mine != theirs
    assert reporters.token_authenticate(theirs).lodging == ancol
