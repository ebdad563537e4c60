"""A guest whose passport had expired before the check-in: the lodging reports the guest all
the same (Pasal 72) and is warned; the office gets an alert of its own rule (a foreigner
must hold a valid travel document, UU 6/2011 Pasal 8)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pora.alerts.models import Alert
from pora.conftest import login
from pora.lodging import detection
from pora.lodging.detection import StayFacts
from pora.lodging.linking import Guest
from pora.lodging.models import AlertRule, Source, Stay
from pora.lodging.services.alerts import run_nightly
from pora.lodging.services.reporters import token_create
from pora.lodging.services.stays import StayDetails, check_in
from pora.lodging.tests.test_mrz import td3

# The ICAO specimen: Anna Maria Eriksson, passport L898902C3, expired 15 April 2012.
EXPIRED_MRZ = "\n".join(td3())
WIB = dt.timezone(dt.timedelta(hours=7))


def valid_mrz() -> str:
    """The specimen with a passport valid for years after any check-in of these tests."""
    expiry = timezone.localdate() + dt.timedelta(days=5 * 365)
    return "\n".join(td3(expiry=f"{expiry:%y%m%d}"))


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def an_hour_ago() -> dt.datetime:
    return timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)


# ------------------------------------------------------------------------------ rule


def facts(expiry: dt.date | None, checked_in: dt.datetime) -> StayFacts:
    return StayFacts(id=7, person_id=3, lodging_id=2, lodging_name="Hotel Pluit Bay",
                     checked_in_at=checked_in, reported_at=checked_in,
                     document_number="L898902C3", document_expiry=expiry)


def test_the_rule_finds_a_passport_expired_before_the_check_in_day():
    checked_in = dt.datetime(2024, 2, 1, 0, 30, tzinfo=WIB)  # 31 January in UTC
    finding = detection.expired_passport(facts(dt.date(2024, 1, 31), checked_in))
    assert finding is not None
    assert (finding.rule, finding.key) == ("expired_passport",
                                           "expired_passport:person:3:L898902C3")
    assert finding.facts == {"lodging": "Hotel Pluit Bay", "checked_in": "2024-02-01",
                             "document": "L898902C3", "expired": "2024-01-31"}
    assert (finding.person_id, finding.lodging_id, finding.stay_id) == (3, 2, 7)
    with translation.override("id"):
        text = detection.explain(finding.rule, finding.facts)
    assert "%(" not in text and "L898902C3" in text and "2024-01-31" in text


@pytest.mark.parametrize("expiry", [dt.date(2024, 2, 1), dt.date(2030, 1, 1), None],
                         ids=["expires-that-day", "valid", "unknown"])
def test_a_passport_valid_on_the_check_in_day_or_without_expiry_is_no_finding(expiry):
    checked_in = dt.datetime(2024, 2, 1, 23, 30, tzinfo=WIB)
    assert detection.expired_passport(facts(expiry, checked_in)) is None


# ------------------------------------------------------------------------------- API


@pytest.fixture
def api(hotel, hotel_operator) -> Client:
    _token, raw = token_create(actor=hotel_operator, lodging=hotel, label="PMS")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post_check_in(api: Client, body: dict):
    return api.post("/api/v1/check-ins", data=json.dumps(body),
                    content_type="application/json")


def test_api_records_the_check_in_warns_and_raises_an_alert(api, hotel):
    response = post_check_in(api, {"mrz": EXPIRED_MRZ, "checked_in_at":
                                    an_hour_ago().isoformat(), "room": "1207"})
    assert response.status_code == 201, response.content
    answer = response.json()
    [warning] = answer["warnings"]
    assert (warning["code"], warning["field"]) == ("passport_expired", "document_expiry")
    assert "2012-04-15" in warning["message_en"] and "15-04-2012" in warning["message_id"]
    stay = Stay.objects.get(receipt_number=answer["receipt_number"])
    assert stay.document_expiry == dt.date(2012, 4, 15) and stay.passport_expired
    alert = Alert.objects.get(rule=AlertRule.EXPIRED_PASSPORT)
    assert (alert.stay, alert.person, alert.lodging) == (stay, stay.person, hotel)
    assert alert.facts["expired"] == "2012-04-15"


def test_api_check_in_with_a_valid_passport_has_no_warning_and_no_alert(api):
    response = post_check_in(api, {"mrz": valid_mrz(), "checked_in_at":
                                    an_hour_ago().isoformat()})
    assert response.status_code == 201, response.content
    assert response.json()["warnings"] == []
    assert not Alert.objects.filter(rule=AlertRule.EXPIRED_PASSPORT).exists()


def test_api_typed_fields_with_an_expired_passport_warn_too(api):
    response = post_check_in(api, {
        "surname": "Wang", "given_names": "Xiaoming", "nationality": "CN", "sex": "M",
        "birth_date": "1985-03-21", "document_number": "EA1234567",
        "document_expiry": str(timezone.localdate() - dt.timedelta(days=3)),
        "checked_in_at": an_hour_ago().isoformat()})
    assert response.status_code == 201, response.content
    assert [w["code"] for w in response.json()["warnings"]] == ["passport_expired"]
    assert Alert.objects.filter(rule=AlertRule.EXPIRED_PASSPORT).count() == 1


def test_openapi_documents_the_warnings_of_a_check_in(db):
    document = Client().get("/api/v1/openapi.json").json()
    schema = document["components"]["schemas"]["CheckInOut"]
    warnings = schema["properties"]["warnings"]
    assert warnings["type"] == "array"
    assert warnings["items"]["$ref"].endswith("/ProblemOut")
    assert "passport_expired" in warnings["description"]


# --------------------------------------------------------------------------- pages


def test_the_mrz_preview_warns_of_an_expired_passport(hotel_operator, hotel):
    client = login(hotel_operator)
    url = reverse("lodging:mrz_preview")
    expired = client.post(url, {"mrz": EXPIRED_MRZ, "checked_in_at": local(an_hour_ago())})
    assert expired.status_code == 200
    assert 'id="passport-expired"' in expired.content.decode()
    # Without a check-in time yet, today's date decides.
    assert 'id="passport-expired"' in client.post(url, {"mrz": EXPIRED_MRZ}).content.decode()
    valid = client.post(url, {"mrz": valid_mrz(), "checked_in_at": local(an_hour_ago())})
    assert valid.status_code == 200 and "mrz-read" in valid.content.decode()
    assert 'id="passport-expired"' not in valid.content.decode()


def test_the_check_in_form_asks_the_preview_for_the_check_in_time(hotel_operator, hotel):
    page = login(hotel_operator).get(reverse("lodging:check_in") + "?mode=mrz")
    assert 'hx-include="#id_mrz, #id_checked_in_at"' in page.content.decode()


@pytest.mark.parametrize("mode", ["mrz", "typed"])
def test_a_check_in_on_the_page_is_recorded_with_a_warning(hotel_operator, hotel, mode):
    client = login(hotel_operator)
    form = {"mode": mode, "checked_in_at": local(an_hour_ago()), "room": "1207"}
    if mode == "mrz":
        form["mrz"] = EXPIRED_MRZ
    else:
        form.update(surname="ERIKSSON", given_names="ANNA MARIA", nationality="SWE",
                    document_number="L898902C3", issuing_state="SWE", sex="F",
                    birth_date="1974-08-12", document_expiry="2012-04-15")
    response = client.post(reverse("lodging:check_in"), form, follow=True)
    stay = Stay.objects.get()
    assert response.redirect_chain[-1][0] == reverse("lodging:stay", args=[stay.pk])
    html = response.content.decode()
    assert 'id="passport-expired"' in html
    assert "15-04-2012" in html  # the warning message, in Bahasa Indonesia
    assert Alert.objects.filter(rule=AlertRule.EXPIRED_PASSPORT, stay=stay).count() == 1


@pytest.fixture
def expired_stay(hotel) -> Stay:
    stay, _created = check_in(
        lodging=hotel, source=Source.TYPED, details=StayDetails(checked_in_at=an_hour_ago()),
        guest=Guest(surname="ERIKSSON", given_names="ANNA MARIA", nationality="UTO",
                    document_number="L898902C3", issuing_state="UTO", sex="F",
                    birth_year=1974, birth_month=8, birth_day=12,
                    document_expiry=dt.date(2012, 4, 15)))
    return stay


def test_the_officer_sees_the_flag_on_the_guest_page_and_list(officer, expired_stay):
    client = login(officer)
    page = client.get(reverse("lodging:officer_stay", args=[expired_stay.pk])).content.decode()
    assert 'id="passport-expired"' in page
    alert = Alert.objects.get(rule=AlertRule.EXPIRED_PASSPORT)
    assert reverse("lodging:officer_alert", args=[alert.pk]) in page
    listing = client.get(reverse("lodging:officer_guests")).content.decode()
    row = listing.split("L898902C3", 1)[1].split("</td>", 1)[0]
    assert 'class="bad"' in row


def test_the_nightly_run_raises_it_for_stays_not_yet_evaluated(hotel):
    stay, _created = check_in(
        lodging=hotel, source=Source.TYPED, evaluate=False,
        details=StayDetails(checked_in_at=an_hour_ago()),
        guest=Guest(surname="WANG", given_names="XIAOMING", nationality="CHN",
                    document_number="EA1234567", issuing_state="CHN", sex="M", birth_year=1985,
                    document_expiry=timezone.localdate() - dt.timedelta(days=3)))
    assert not Alert.objects.exists()
    counts = run_nightly()
    assert counts["expired_passport"] == 1
    assert Alert.objects.get(rule=AlertRule.EXPIRED_PASSPORT).stay == stay
