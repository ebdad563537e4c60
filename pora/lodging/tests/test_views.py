"""The lodging pages as their users work them: the front desk reports and checks guests
out, a reporter registers, an officer corrects a link, handles an alert and decides on an
account. Who may open which page is in core/tests/test_access_matrix.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pora.alerts.models import Alert
from pora.conftest import kelurahan, login, make_lodging, make_person
from pora.core.models import AuditLog
from pora.lodging.linking import Guest
from pora.lodging.models import ApiToken, LinkMethod, Lodging, Source, Stay
from pora.lodging.services.stays import StayDetails, check_in
from pora.registry.models import Person

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def check_in_form(**changes) -> dict:
    return {"mode": "mrz", "mrz": TD3, "checked_in_at": local(timezone.now() - dt.timedelta(
        hours=1)), "room": "1204", **changes}


def wang_stay(hotel, *, hours_ago: float = 2) -> Stay:
    stay, _created = check_in(
        lodging=hotel, source=Source.TYPED,
        guest=Guest(surname="WANG", given_names="XIAOMING", nationality="CHN",
                    document_number="EA1234567", issuing_state="CHN", sex="M",
                    birth_year=1985, birth_month=3, birth_day=21),
        details=StayDetails(checked_in_at=timezone.now() - dt.timedelta(hours=hours_ago)))
    return stay


# ------------------------------------------------------------------------- front desk


def test_check_in_by_mrz_shows_the_receipt(hotel_operator, hotel):
    client = login(hotel_operator)
    response = client.post(reverse("lodging:check_in"), check_in_form())
    stay = Stay.objects.get()
    assert response.status_code == 302 and response.url == reverse("lodging:stay",
                                                                   args=[stay.pk])
    assert (stay.source, stay.document_number, stay.reported_by) == (Source.MRZ, "L898902C3",
                                                                     hotel_operator)
    page = client.get(response.url)
    assert stay.receipt_number in page.content.decode()


def test_check_in_with_a_bad_check_digit_saves_nothing_and_names_the_field(hotel_operator,
                                                                          hotel):
    bad = TD3.replace("L898902C36", "L898902C37")
    response = login(hotel_operator).post(reverse("lodging:check_in"), check_in_form(mrz=bad))
    assert response.status_code == 200
    assert response.context["form"].errors["mrz"]
    assert Stay.objects.count() == 0


def test_typed_check_in(hotel_operator, hotel):
    response = login(hotel_operator).post(reverse("lodging:check_in"), check_in_form(
        mode="typed", mrz="", surname="Kowalski", given_names="Jan", nationality="POL",
        sex="M", birth_date="1980-05", document_number="ez1234567", issuing_state="POL"))
    assert response.status_code == 302, response.context["form"].errors
    stay = Stay.objects.get()
    assert (stay.source, stay.surname, stay.birth_year, stay.birth_month, stay.birth_day) == (
        Source.TYPED, "KOWALSKI", 1980, 5, None)


def test_typed_check_in_with_a_bad_birth_date(hotel_operator, hotel):
    response = login(hotel_operator).post(reverse("lodging:check_in"), check_in_form(
        mode="typed", mrz="", surname="Kowalski", nationality="POL", birth_date="17.05.1980",
        document_number="EZ1234567"))
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"]
    assert Stay.objects.count() == 0


def test_mrz_preview_reads_the_specimen(hotel_operator, hotel):
    response = login(hotel_operator).post(reverse("lodging:mrz_preview"), {"mrz": TD3})
    assert response.status_code == 200
    assert response.context["preview"].document_number == "L898902C3"
    assert response.context["preview_error"] is None


def test_check_out_from_the_stay_page(hotel_operator, hotel):
    stay = wang_stay(hotel)
    out_at = timezone.now() - dt.timedelta(minutes=30)
    response = login(hotel_operator).post(reverse("lodging:stay_check_out", args=[stay.pk]),
                                          {"checked_out_at": local(out_at)})
    assert response.status_code == 302 and response.url == reverse("lodging:home")
    stay.refresh_from_db()
    assert stay.checked_out_at == out_at.replace(second=0, microsecond=0)
    assert stay.checked_out_by == hotel_operator


def test_check_out_before_check_in_is_refused_on_the_page(hotel_operator, hotel):
    stay = wang_stay(hotel)
    response = login(hotel_operator).post(
        reverse("lodging:stay_check_out", args=[stay.pk]),
        {"checked_out_at": local(timezone.now() - dt.timedelta(days=1))})
    assert response.status_code == 200
    assert response.context["form"].errors["checked_out_at"]
    stay.refresh_from_db()
    assert stay.checked_out_at is None


def test_home_lists_current_guests_and_flags_overdue(hotel_operator, hotel):
    stay = wang_stay(hotel, hours_ago=72)
    Stay.objects.filter(pk=stay.pk).update(expected_checkout=timezone.localdate()
                                           - dt.timedelta(days=1))
    response = login(hotel_operator).get(reverse("lodging:home"))
    assert [s.pk for s in response.context["stays"]] == [stay.pk]
    assert response.context["overdue"] == 1


def test_manager_creates_a_token_and_sees_it_once(hotel_operator, hotel):
    client = login(hotel_operator)
    response = client.post(reverse("lodging:tokens"), {"label": "Front office PMS"})
    # Redirected: reloading the page that shows the token does not make another one.
    assert response.status_code == 302 and response.url == reverse("lodging:tokens")
    response = client.get(response.url)
    raw = response.context["raw"]
    assert raw and raw.startswith("pora_") and raw in response.content.decode()
    token = ApiToken.objects.get()
    assert token.lodging == hotel and token.label == "Front office PMS"
    assert raw not in client.get(reverse("lodging:tokens")).content.decode()
    client.post(reverse("lodging:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert not token.is_active


# ----------------------------------------------------------------------- registration


def test_registration_page_sends_the_confirmation_email(db, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    client = login(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lodging:register"), {
            "kind": "lodging", "name": "Kos Melati", "lodging_type": "kos",
            "licence_number": "9120009876543", "kelurahan": kelurahan("Pluit").pk,
            "street": "Jl. Melati 7", "person_in_charge": "Siti Rahma",
            "email": "siti@example.test", "username": "kos_melati",
            "password": "Melati-2024-kamar"})
    # Redirected after the POST: reloading the "check your email" page registers nothing.
    assert response.status_code == 302, response.context["form"].errors
    done = client.get(response.url)
    assert done.status_code == 200
    assert "siti@example.test" in done.content.decode()
    assert "form" not in done.context
    lodging = Lodging.objects.get(name="Kos Melati")
    assert lodging.status == "email_pending"
    assert len(mailoutbox) == 1
    link = re.search(r"http://testserver(/\S+)", mailoutbox[0].body).group(1)
    assert client.get(link).status_code == 200
    lodging.refresh_from_db()
    assert lodging.status == "pending"


def test_registration_of_a_company_needs_its_licence(db):
    response = login(None).post(reverse("lodging:register"), {
        "kind": "company", "name": "PT Contoh", "lodging_type": "company_mess",
        "licence_number": "", "kelurahan": kelurahan("Pluit").pk, "street": "Jl. 1",
        "person_in_charge": "Budi", "email": "budi@example.test", "username": "pt_contoh",
        "password": "Contoh-2024-kantor"})
    assert response.status_code == 200
    assert response.context["form"].errors["licence_number"]
    assert not Lodging.objects.filter(name="PT Contoh").exists()


# --------------------------------------------------------------------------- officers


def test_officer_relinks_a_guest_on_the_stay_page(officer, hotel, wang,
                                                  django_capture_on_commit_callbacks):
    stay = wang_stay(hotel)
    assert stay.person == wang and stay.link_method == LinkMethod.DOCUMENT
    other = make_person(actor=officer, given_names="XIAOMIN", passport="EC1111111")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(officer).post(reverse("lodging:officer_stay", args=[stay.pk]),
                                       {"person": other.pk})
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (stay.person, stay.link_method) == (other, LinkMethod.OFFICER)


def test_officer_cannot_relink_to_another_offices_person(officer, other_officer, jakpus,
                                                         hotel, wang):
    stay = wang_stay(hotel)
    theirs = make_person(actor=other_officer, office=jakpus, kelurahan_name="Gambir",
                         passport="EC2222222")
    response = login(officer).post(reverse("lodging:officer_stay", args=[stay.pk]),
                                   {"person": theirs.pk})
    assert response.status_code == 200 and response.context["form"].errors["person"]
    stay.refresh_from_db()
    assert stay.person == wang


def test_officer_records_the_guest_as_a_new_foreigner(officer, hotel, wang,
                                                      django_capture_on_commit_callbacks):
    stay = wang_stay(hotel)
    persons = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        login(officer).post(reverse("lodging:officer_stay", args=[stay.pk]),
                            {"new_person": "on"})
    stay.refresh_from_db()
    assert Person.objects.count() == persons + 1 and stay.person != wang


def test_officer_handles_an_alert(officer, hotel):
    wang_stay(hotel, hours_ago=30)  # reported late
    alert = Alert.objects.get(rule="late_report")
    response = login(officer).post(reverse("lodging:officer_alert", args=[alert.pk]),
                                   {"status": "closed", "note": "Hotel warned"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.note, alert.handled_by) == ("closed", "Hotel warned", officer)
    listing = login(officer).get(reverse("lodging:officer_alerts"))
    assert alert not in list(listing.context["page"].object_list)  # closed: not shown


def test_officer_cannot_verify_before_the_email_is_confirmed(officer, db):
    lodging = make_lodging("Kos Melati", status="email_pending")
    response = login(officer).post(reverse("lodging:officer_decide", args=[lodging.pk]),
                                   {"status": "verified"})
    assert response.status_code == 302
    lodging.refresh_from_db()
    assert lodging.status == "email_pending"


def test_officer_verifies_and_suspends_an_account(officer, db):
    lodging = make_lodging("Kos Melati", status="pending")
    client = login(officer)
    client.post(reverse("lodging:officer_decide", args=[lodging.pk]), {"status": "verified"})
    lodging.refresh_from_db()
    assert lodging.is_verified and lodging.verified_by == officer
    client.post(reverse("lodging:officer_decide", args=[lodging.pk]),
                {"status": "suspended", "note": "Closed by the city"})
    lodging.refresh_from_db()
    assert lodging.status == "suspended" and not lodging.can_report
    assert AuditLog.objects.filter(object_type="lodging.Lodging", object_id=str(lodging.pk),
                                   note="Closed by the city").exists()


@pytest.mark.parametrize("decision", ["pending", "email_pending", "nonsense"])
def test_officer_decide_accepts_only_verify_or_suspend(officer, db, decision):
    lodging = make_lodging("Kos Melati", status="pending")
    response = login(officer).post(reverse("lodging:officer_decide", args=[lodging.pk]),
                                   {"status": decision})
    assert response.status_code == 404
    lodging.refresh_from_db()
    assert lodging.status == "pending"


def test_compliance_counts_late_reports(officer, hotel):
    wang_stay(hotel, hours_ago=30)
    response = login(officer).get(reverse("lodging:officer_compliance"))
    row = next(r for r, _silent in response.context["rows"] if r.lodging == hotel)
    assert (row.reports, row.late, row.current) == (1, 1, 1)


def test_mrz_preview_and_token_page_speak_indonesian(hotel_operator, hotel):
    client = login(hotel_operator)
    preview = client.post(reverse("lodging:mrz_preview"), {"mrz": TD3},
                          HTTP_ACCEPT_LANGUAGE="id").content.decode()
    # The specimen is female, of Utopia; no bare "F" after the label.
    assert "<dd>Perempuan</dd>" in preview
    assert "<dd>F</dd>" not in preview
    tokens = client.get(reverse("lodging:tokens"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Sistem manajemen properti" in tokens
    assert "Property management system" not in tokens
