"""The lodging API: bearer token per lodging, check-in by fields or MRZ, check-out, guests,
receipts, safe retries (Idempotency-Key), the rate limit and the OpenAPI description.

Errors answer ``{code, field, message_id, message_en, errors}``. The concurrent-retry
tests run on PostgreSQL only: SQLite serialises writers, so it proves nothing there.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from importlib import import_module

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client, override_settings
from django.utils import timezone

from pora.core import audit
from pora.core.models import AccessLog, IdempotencyKey
from pora.lodging.models import Lodging, ReporterStatus, Source, Stay
from pora.lodging.services.reporters import token_create, token_revoke
from pora.registry.models import Person

CHECK_INS, CHECK_OUTS, GUESTS = "/api/v1/check-ins", "/api/v1/check-outs", "/api/v1/guests"

# ICAO Doc 9303 specimens (the same as tests/test_mrz.py): Anna Maria Eriksson of Utopia.
TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
       "D231458907UTO7408122F1204159<<<<<<<6")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<",
       "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
SPECIMEN_NUMBERS = {"TD3": "L898902C3", "TD2": "D23145890", "TD1": "D23145890"}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def when(hours_ago: float = 2) -> str:
    moment = timezone.now().replace(microsecond=0) - dt.timedelta(hours=hours_ago)
    return moment.isoformat()


def passport(**changes) -> dict:
    return {"surname": "Wang", "given_names": "Xiaoming", "nationality": "CN", "sex": "M",
            "birth_date": "1985-03-21", "document_number": "EA 1234567", "room": "712",
            "checked_in_at": when(), "expected_checkout": str(timezone.localdate()
                                                             + dt.timedelta(days=3)),
            **changes}


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, url: str, body: dict | str, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", headers=headers)


@pytest.fixture
def raw_token(hotel, hotel_operator) -> str:
    _token, raw = token_create(actor=hotel_operator, lodging=hotel, label="PMS")
    return raw


@pytest.fixture
def api(raw_token) -> Client:
    return bearer(raw_token)


@pytest.fixture
def other_api(other_hotel_operator) -> Client:
    ancol = other_hotel_operator.lodging_staff.lodging
    _token, raw = token_create(actor=other_hotel_operator, lodging=ancol, label="Ancol PMS")
    return bearer(raw)


def assert_problem(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "field", "message_id", "message_en", "errors"}, body
    assert body["code"] == code
    if field is not None:
        assert body["field"] == field
    assert body["message_id"] and body["message_en"]
    assert body["errors"][0] == {k: body[k] for k in ("code", "field", "message_id",
                                                      "message_en")}
    return body


# ---------------------------------------------------------------------------- check-in


def test_check_in_by_passport_fields(api, hotel):
    response = post(api, CHECK_INS, passport())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] is True and body["verified_reporter"] is True
    assert (body["surname"], body["given_names"], body["nationality"], body["document_number"],
            body["room"]) == ("WANG", "XIAOMING", "CHN", "EA1234567", "712")
    assert body["checked_out_at"] is None and body["overdue"] is False
    stay = Stay.objects.get()
    assert body["receipt_number"] == stay.receipt_number
    assert body["receipt_url"].endswith(f"/api/v1/check-ins/{stay.receipt_number}/receipt.pdf")
    assert body["verify_url"].endswith(f"/penginapan/periksa/{stay.receipt_number}/")
    assert (stay.lodging, stay.source, stay.token.label) == (hotel, Source.API, "PMS")
    assert (stay.birth_year, stay.birth_month, stay.birth_day) == (1985, 3, 21)


def test_the_same_check_in_again_answers_200_with_the_same_receipt(api):
    body = passport()
    first = post(api, CHECK_INS, body)
    again = post(api, CHECK_INS, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["created"] is False
    assert again.json()["receipt_number"] == first.json()["receipt_number"]
    assert Stay.objects.count() == 1


@pytest.mark.parametrize("birth", ["1985", "1985-03", ""])
def test_check_in_with_a_partial_birth_date(api, birth):
    response = post(api, CHECK_INS, passport(birth_date=birth))
    assert response.status_code == 201, response.content
    stay = Stay.objects.get()
    assert stay.birth_year == (1985 if birth else None)
    assert stay.birth_month == (3 if birth == "1985-03" else None)


@pytest.mark.parametrize("layout", ["TD3", "TD2", "TD1"])
def test_check_in_by_mrz(api, layout):
    lines = {"TD3": TD3, "TD2": TD2, "TD1": TD1}[layout]
    # The MRZ wins over any passport field sent beside it.
    response = post(api, CHECK_INS, {"mrz": "\n".join(lines), "surname": "IGNORED",
                                     "checked_in_at": when(), "room": "12"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["surname"], body["given_names"], body["nationality"],
            body["document_number"]) == ("ERIKSSON", "ANNA MARIA", "UTO",
                                         SPECIMEN_NUMBERS[layout])
    stay = Stay.objects.get()
    assert stay.source == Source.MRZ
    assert (stay.sex, stay.birth_year, stay.birth_month, stay.birth_day) == ("F", 1974, 8, 12)
    assert stay.issuing_state == "UTO"
    assert stay.document_expiry == dt.date(2012, 4, 15)


def test_check_in_by_mrz_with_crlf_and_spaces(api):
    response = post(api, CHECK_INS, {"mrz": f"  {TD3[0]}\r\n{TD3[1]}  ",
                                     "checked_in_at": when()})
    assert response.status_code == 201, response.content


def test_a_wrong_check_digit_is_refused_in_both_languages(api):
    bad = TD3[1][:9] + "7" + TD3[1][10:]  # document number check digit 6 -> 7
    response = post(api, CHECK_INS, {"mrz": f"{TD3[0]}\n{bad}", "checked_in_at": when()})
    body = assert_problem(response, 422, "mrz_document_number", "mrz")
    assert body["message_id"] != body["message_en"]
    assert Stay.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.parametrize("mrz", [
    pytest.param(TD3[0] + "\n" + TD3[1][:-1], id="second-line-short"),
    pytest.param(TD3[0] + "<\n" + TD3[1] + "<", id="lines-too-long"),
    pytest.param(TD3[0], id="one-line"),
    pytest.param(TD3[0][:30] + "\n" + TD3[1], id="mixed-lengths"),
])
def test_a_wrong_line_length_is_refused(api, mrz):
    response = post(api, CHECK_INS, {"mrz": mrz, "checked_in_at": when()})
    body = assert_problem(response, 422, "mrz_format", "mrz")
    assert body["code"].startswith("mrz_")
    assert Stay.objects.count() == 0


@pytest.mark.parametrize(("changes", "code", "field"), [
    pytest.param({"nationality": "ZZZ"}, "unknown_country", "nationality",
                 id="unknown-country"),
    pytest.param({"checked_in_at": when(-3)}, "check_in_in_future", "checked_in_at",
                 id="check-in-in-future"),
    pytest.param({"birth_date": "1985-13-45"}, "invalid_birth_date", "birth_date",
                 id="impossible-birth-date"),
    pytest.param({"birth_date": "21/03/1985"}, "invalid_birth_date", "birth_date",
                 id="birth-date-format"),
    pytest.param({"document_number": ""}, "invalid_document_number", "document_number",
                 id="no-document-number"),
    pytest.param({"surname": "", "given_names": ""}, "name_required", "surname",
                 id="no-name"),
])
def test_check_in_refused(api, changes, code, field):
    persons = Person.objects.count()
    response = post(api, CHECK_INS, passport(**changes))
    assert_problem(response, 422, code, field)
    assert Stay.objects.count() == 0 and Person.objects.count() == persons


def test_every_problem_is_listed(api):
    response = post(api, CHECK_INS, passport(nationality="ZZZ", document_number="",
                                             checked_in_at=when(-3)))
    body = assert_problem(response, 422, "unknown_country", "nationality")
    assert [e["code"] for e in body["errors"]] == [
        "unknown_country", "invalid_document_number", "check_in_in_future"]


@pytest.mark.parametrize(("body", "field"), [
    pytest.param({"surname": "WANG"}, "checked_in_at", id="missing-check-in"),
    pytest.param({"checked_in_at": "yesterday"}, "checked_in_at", id="not-a-time"),
    pytest.param({"checked_in_at": when(), "room": "x" * 21}, "room", id="room-too-long"),
])
def test_a_malformed_body_answers_422_in_the_same_shape(api, body, field):
    response = post(api, CHECK_INS, body)
    assert_problem(response, 422, "invalid", field)


@pytest.mark.parametrize("body", ["{not json", '{"checked_in_at": '])
def test_a_body_that_is_not_json_answers_in_the_same_shape(api, body):
    """Lodging software reads ``code`` from every error; django-ninja's own answer to an
    unparsable body is ``{"detail": "Cannot parse request body"}``."""
    response = post(api, CHECK_INS, body)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "field", "message_id", "message_en", "errors"}, body


def test_a_suspended_lodging_is_refused_with_403(api, hotel):
    hotel.status = "suspended"
    hotel.save(update_fields=["status"])
    assert_problem(post(api, CHECK_INS, passport()), 403, "account_not_active", "lodging")
    assert Stay.objects.count() == 0


# ----------------------------------------------------------------------- authentication


@pytest.mark.parametrize(("method", "url"), [
    ("post", CHECK_INS), ("post", CHECK_OUTS), ("get", GUESTS),
    ("get", "/api/v1/check-ins/240101-ABCDEFGH/receipt.pdf"),
])
def test_no_token_answers_401(db, method, url):
    client = Client()
    response = (post(client, url, passport()) if method == "post" else client.get(url))
    body = response.json()
    assert response.status_code == 401
    assert (body["code"], body["field"]) == ("unauthorized", "Authorization")
    assert body["message_id"] and body["message_en"]


@pytest.mark.parametrize("header", ["Bearer pora_not-a-real-token", "Bearer ", "Basic abc",
                                    "pora_x"])
def test_an_unknown_token_answers_401(db, header):
    response = Client(headers={"Authorization": header}).get(GUESTS)
    assert response.status_code == 401


def test_a_revoked_token_answers_401(hotel, hotel_operator):
    token, raw = token_create(actor=hotel_operator, lodging=hotel, label="old PMS")
    client = bearer(raw)
    assert client.get(GUESTS).status_code == 200
    token_revoke(actor=hotel_operator, token=token)
    response = post(client, CHECK_INS, passport())
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    assert client.get(GUESTS).status_code == 401
    assert Stay.objects.count() == 0


def test_a_session_does_not_replace_the_token(hotel_operator, hotel):
    from pora.conftest import login

    client = login(hotel_operator)
    assert client.get(GUESTS).status_code == 401
    assert post(client, CHECK_INS, passport()).status_code == 401


# ------------------------------------------------------------------- guests, check-out


def test_guests_lists_only_this_lodgings_current_guests(api, other_api):
    mine = post(api, CHECK_INS, passport()).json()
    theirs = post(other_api, CHECK_INS, passport(surname="Kim", given_names="Minjun",
                                                 nationality="KOR",
                                                 document_number="M12345678",
                                                 birth_date="1979-11-02")).json()
    left = post(api, CHECK_INS, passport(document_number="EA7654321",
                                         checked_in_at=when(30))).json()
    assert post(api, CHECK_OUTS, {"receipt_number": left["receipt_number"]}).status_code == 200
    listing = api.get(GUESTS).json()
    assert listing["lodging"] == "Hotel Pluit Bay" and listing["count"] == 1
    assert [g["receipt_number"] for g in listing["results"]] == [mine["receipt_number"]]
    other = other_api.get(GUESTS).json()
    assert other["lodging"] == "Ancol Beach Inn"
    assert [g["receipt_number"] for g in other["results"]] == [theirs["receipt_number"]]
    assert "WANG" not in json.dumps(other)


def test_check_out_by_receipt(api):
    checked_in = post(api, CHECK_INS, passport(checked_in_at=when(5))).json()
    out_at = when(1)
    response = post(api, CHECK_OUTS, {"receipt_number": checked_in["receipt_number"].lower(),
                                      "checked_out_at": out_at})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["receipt_number"] == checked_in["receipt_number"]
    assert dt.datetime.fromisoformat(body["checked_out_at"]) == dt.datetime.fromisoformat(
        out_at)
    stay = Stay.objects.get()
    assert stay.checked_out_at == dt.datetime.fromisoformat(out_at)
    again = post(api, CHECK_OUTS, {"receipt_number": checked_in["receipt_number"]})
    assert_problem(again, 409, "already_checked_out", "stay")


def test_check_out_without_a_time_means_now(api):
    receipt = post(api, CHECK_INS, passport()).json()["receipt_number"]
    before = timezone.now().replace(microsecond=0)
    assert post(api, CHECK_OUTS, {"receipt_number": receipt}).status_code == 200
    assert Stay.objects.get().checked_out_at >= before


@pytest.mark.parametrize(("hours_ago", "code"), [
    pytest.param(3, "checkout_before_checkin", id="before-check-in"),
    pytest.param(-2, "checkout_in_future", id="in-future"),
])
def test_check_out_refused(api, hours_ago, code):
    receipt = post(api, CHECK_INS, passport(checked_in_at=when(2))).json()["receipt_number"]
    response = post(api, CHECK_OUTS, {"receipt_number": receipt,
                                      "checked_out_at": when(hours_ago)})
    assert_problem(response, 422, code, "checked_out_at")
    assert Stay.objects.get().checked_out_at is None


def test_check_out_of_another_lodgings_receipt_is_404(api, other_api):
    receipt = post(api, CHECK_INS, passport()).json()["receipt_number"]
    response = post(other_api, CHECK_OUTS, {"receipt_number": receipt})
    assert_problem(response, 404, "not_found", "receipt_number")
    assert Stay.objects.get().checked_out_at is None
    assert_problem(post(api, CHECK_OUTS, {"receipt_number": "NOPE"}), 404, "not_found")


def test_receipt_pdf(api, other_api):
    checked_in = post(api, CHECK_INS, passport()).json()
    response = api.get(checked_in["receipt_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert checked_in["receipt_number"] in response["Content-Disposition"]
    assert_problem(other_api.get(checked_in["receipt_url"]), 404, "not_found")
    # The public check shows the receipt is genuine.
    assert Client().get(checked_in["verify_url"]).status_code == 200


def test_what_the_api_shows_of_guests_is_access_logged_for_the_lodgings_office(
        api, other_api, hotel, raw_token):
    """Guests, check-out answers and receipts show passport data: each read is logged
    with the token that read it, for the head of the lodging's office (UU PDP Pasal 31).
    The check-in answer only echoes what the client sent, and is not."""
    checked_in = post(api, CHECK_INS, passport()).json()
    assert not AccessLog.objects.exists()
    assert api.get(GUESTS).status_code == 200
    assert api.get(checked_in["receipt_url"]).status_code == 200
    receipt = {"receipt_number": checked_in["receipt_number"]}
    assert post(api, CHECK_OUTS, receipt).status_code == 200
    rows = list(AccessLog.objects.order_by("id"))
    assert [r.view for r in rows] == ["api_lodging_guests", "api_lodging_receipt",
                                      "api_lodging_check_out"]
    person = Stay.objects.get().person_id
    for row in rows:
        assert row.user_id is None
        assert row.office_id == hotel.office_id
        assert row.person_id == person and row.person_label == "WANG, XIAOMING"
        assert row.reader == f"API token {raw_token[:12]}… (Hotel Pluit Bay)"
        assert row.reader_label == row.reader
    # What another lodging is refused, nor an empty guest list, logs nothing.
    other_api.get(checked_in["receipt_url"])
    other_api.get(GUESTS)
    assert AccessLog.objects.count() == 3
    # A receipt fetched again is another read, with its own address.
    api.get(checked_in["receipt_url"])
    assert AccessLog.objects.filter(view="api_lodging_receipt").count() == 2


def test_a_lodgings_software_polling_its_guests_is_logged_once_a_day_per_guest(
        api, monkeypatch):
    first = post(api, CHECK_INS, passport()).json()
    for _poll in range(3):
        assert api.get(GUESTS).status_code == 200
    assert AccessLog.objects.filter(view="api_lodging_guests").count() == 1
    # A guest new since is logged on the next poll; the first one is not again.
    post(api, CHECK_INS, passport(surname="Kim", given_names="Minjun", nationality="KOR",
                                  document_number="M12345678", birth_date="1979-11-02"))
    assert api.get(GUESTS).json()["count"] == 2
    assert sorted(AccessLog.objects.filter(view="api_lodging_guests")
                  .values_list("person_label", flat=True)) == ["KIM, MINJUN", "WANG, XIAOMING"]
    # The next day, the guests are logged again.
    tomorrow = audit._day_start() + dt.timedelta(days=1)
    monkeypatch.setattr(audit, "_day_start", lambda: tomorrow)
    api.get(GUESTS)
    assert AccessLog.objects.filter(view="api_lodging_guests").count() == 4
    assert first["receipt_number"]


# ------------------------------------------------------------------------- idempotency


def test_the_same_key_and_body_replays_the_first_response(api):
    body = json.dumps(passport())
    first = post(api, CHECK_INS, body, **{"Idempotency-Key": "pms-4711"})
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    again = post(api, CHECK_INS, body, **{"Idempotency-Key": "pms-4711"})
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Stay.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_a_report_sent_again_under_a_new_key_answers_with_the_first_stay(api):
    # An unknown guest: the first report creates the foreigner; the second report's
    # linking would create another, and must leave nothing behind.
    body = json.dumps(passport(surname="NOVAK", given_names="PETRA", document_number="C7721"))
    first = post(api, CHECK_INS, body, **{"Idempotency-Key": "pms-1"})
    persons = Person.objects.count()
    again = post(api, CHECK_INS, body, **{"Idempotency-Key": "pms-2"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["receipt_number"] == first.json()["receipt_number"]
    assert again.json()["created"] is False
    assert Stay.objects.count() == 1 and Person.objects.count() == persons
    # The second key answers as it did the first time.
    replay = post(api, CHECK_INS, body, **{"Idempotency-Key": "pms-2"})
    assert (replay.status_code, replay["Idempotent-Replayed"]) == (200, "true")
    assert IdempotencyKey.objects.count() == 2


def test_the_same_key_with_another_body_is_refused(api):
    post(api, CHECK_INS, passport(), **{"Idempotency-Key": "pms-4712"})
    response = post(api, CHECK_INS, passport(room="999"), **{"Idempotency-Key": "pms-4712"})
    assert_problem(response, 422, "idempotency_key_reused", "Idempotency-Key")
    assert Stay.objects.count() == 1 and Stay.objects.get().room == "712"


def test_a_refused_report_does_not_use_up_the_key(api):
    bad = post(api, CHECK_INS, passport(nationality="ZZZ"), **{"Idempotency-Key": "k-1"})
    assert bad.status_code == 422
    assert IdempotencyKey.objects.count() == 0
    good = post(api, CHECK_INS, passport(), **{"Idempotency-Key": "k-1"})
    assert good.status_code == 201


def test_a_retry_gets_its_answer_even_where_the_report_would_now_be_refused(api, hotel):
    body = json.dumps(passport())
    first = post(api, CHECK_INS, body, **{"Idempotency-Key": "pms-9"})
    assert first.status_code == 201
    Lodging.objects.filter(pk=hotel.pk).update(status=ReporterStatus.SUSPENDED)
    again = post(api, CHECK_INS, body, **{"Idempotency-Key": "pms-9"})
    assert (again.status_code, again["Idempotent-Replayed"]) == (201, "true")
    assert again.json() == first.json()
    # A new report (or the same one under a new key) is refused.
    refused = post(api, CHECK_INS, body, **{"Idempotency-Key": "pms-10"})
    assert_problem(refused, 403, "account_not_active", "lodging")
    assert Stay.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_two_tokens_may_use_the_same_key(api, other_api, hotel, hotel_operator):
    _second, raw = token_create(actor=hotel_operator, lodging=hotel, label="Kiosk")
    kiosk = bearer(raw)
    body = passport()
    assert post(api, CHECK_INS, body, **{"Idempotency-Key": "same"}).status_code == 201
    # Another token of the same lodging: its key is its own; the stay is found again.
    response = post(kiosk, CHECK_INS, {**body, "room": "101"}, **{"Idempotency-Key": "same"})
    assert response.status_code == 200 and "Idempotent-Replayed" not in response
    # Another lodging's token with the same key and a different guest.
    other = post(other_api, CHECK_INS, {**body, "document_number": "M1", "nationality": "KOR"},
                 **{"Idempotency-Key": "same"})
    assert other.status_code == 201 and "Idempotent-Replayed" not in other
    assert Stay.objects.count() == 2 and IdempotencyKey.objects.count() == 3


def test_an_overlong_key_is_refused(api):
    response = post(api, CHECK_INS, passport(), **{"Idempotency-Key": "k" * 201})
    assert_problem(response, 422, "invalid_idempotency_key", "Idempotency-Key")
    assert Stay.objects.count() == 0


# ---------------------------------------------------------------------------- rate limit


def test_rate_limit_answers_429_with_retry_after(api, monkeypatch):
    # One fixed minute, so that the four calls cannot straddle a minute boundary.
    frozen = timezone.now().replace(second=10, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    with override_settings(PORA_API_RATE_PER_MINUTE=3):
        assert [api.get(GUESTS).status_code for _ in range(3)] == [200, 200, 200]
        limited = api.get(GUESTS)
        body = assert_problem(limited, 429, "rate_limited")
        assert "3" in body["message_en"] and "3" in body["message_id"]
        assert limited["Retry-After"] == "50"
        assert post(api, CHECK_INS, passport()).status_code == 429
        assert Stay.objects.count() == 0
        monkeypatch.setattr(timezone, "now", lambda: frozen + dt.timedelta(minutes=1))
        assert api.get(GUESTS).status_code == 200


def test_rate_limit_is_per_token(api, other_api, monkeypatch):
    frozen = timezone.now().replace(second=10, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    with override_settings(PORA_API_RATE_PER_MINUTE=2):
        assert [api.get(GUESTS).status_code for _ in range(3)] == [200, 200, 429]
        assert other_api.get(GUESTS).status_code == 200


# ------------------------------------------------------------------------------ OpenAPI


def test_openapi_lists_the_lodging_paths_with_bearer_security(db):
    document = Client().get("/api/v1/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert (schemes["LodgingToken"]["type"], schemes["LodgingToken"]["scheme"]) == (
        "http", "bearer")
    paths = document["paths"]
    for path, method in ((CHECK_INS, "post"), (CHECK_OUTS, "post"), (GUESTS, "get"),
                         ("/api/v1/check-ins/{receipt_number}/receipt.pdf", "get")):
        operation = paths[path][method]
        assert operation["security"] == [{"LodgingToken": []}], path
        assert "401" in operation["responses"], path
    check_in = paths[CHECK_INS]["post"]
    assert {"201", "200", "422", "429"} <= set(check_in["responses"])
    assert "mrz" in json.dumps(document["components"]["schemas"])


def test_openapi_docs_page(db):
    assert Client().get("/api/v1/docs").status_code == 200


# ---------------------------------------------------------------- concurrency (PostgreSQL)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent duplicates need row locks and concurrent writers: PostgreSQL only")


@pytest.fixture
def pg_token(transactional_db):
    """A verified lodging and its token in committed rows, visible to every thread.

    A transactional test empties the database afterwards, data migrations included, so
    the reference data is loaded again when an earlier one emptied it.
    """
    from django.apps import apps

    from pora.conftest import make_lodging, make_user
    from pora.core.models import Office, Role

    if not Office.objects.filter(code="jakarta-utara").exists():
        import_module("pora.core.migrations.0002_jakarta_utara").load(apps, None)
        import_module("pora.core.migrations.0004_kelurahan_coordinates").load(apps, None)
        import_module("pora.registry.migrations.0002_reference_data").load(apps, None)
    user = make_user("hotel_pluit", Role.LODGING)
    lodging = make_lodging(user=user)
    _token, raw = token_create(actor=user, lodging=lodging, label="PMS")
    return raw


def _race(raw: str, body: str, headers: dict, n: int = 10) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i: int) -> None:
        try:
            client = bearer(raw)
            barrier.wait(timeout=30)
            response = client.post(CHECK_INS, data=body, content_type="application/json",
                                   headers=headers)
            results[i] = (response.status_code, response.json(),
                          response.get("Idempotent-Replayed"))
        except Exception as exc:  # noqa: BLE001 -- reported by the assertion below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(isinstance(r, Exception) or r is None for r in results), results
    return results


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_make_one_stay(pg_token):
    body = json.dumps(passport())
    results = _race(pg_token, body, {"Idempotency-Key": "burst-1"})
    assert [status for status, _body, _replayed in results] == [201] * 10, results
    assert len({answer["receipt_number"] for _s, answer, _r in results}) == 1
    assert sum(1 for _s, _b, replayed in results if replayed == "true") == 9
    assert Stay.objects.count() == 1
    assert IdempotencyKey.objects.get().status_code == 201


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_without_a_key_make_one_stay(pg_token):
    body = json.dumps(passport())
    results = _race(pg_token, body, {})
    statuses = sorted(status for status, _body, _replayed in results)
    assert statuses == [200] * 9 + [201], results
    assert len({answer["receipt_number"] for _s, answer, _r in results}) == 1
    assert Stay.objects.count() == 1
    assert Person.objects.filter(surname="WANG").count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_of_different_guests_under_one_key_make_one_stay(pg_token):
    bodies = [json.dumps(passport(document_number=f"X{i:07d}")) for i in range(10)]
    results: list = [None] * 10

    def worker(i: int) -> None:
        try:
            client = bearer(pg_token)
            barrier.wait(timeout=30)
            response = post(client, CHECK_INS, bodies[i], **{"Idempotency-Key": "one"})
            results[i] = (response.status_code, response.json())
        except Exception as exc:  # noqa: BLE001 -- reported by the assertion below
            results[i] = exc
        finally:
            connections.close_all()

    barrier = threading.Barrier(10)
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(isinstance(r, Exception) or r is None for r in results), results
    statuses = sorted(status for status, _answer in results)
    assert statuses == [201] + [422] * 9, results
    assert all(answer["code"] == "idempotency_key_reused"
               for status, answer in results if status == 422)
    # The winner's stay alone is kept: the others' (and their new foreigners) rolled back.
    stay = Stay.objects.get()
    winner = next(answer for status, answer in results if status == 201)
    assert stay.receipt_number == winner["receipt_number"]
    assert Person.objects.filter(surname="WANG").count() == 1
    assert IdempotencyKey.objects.get().status_code == 201

