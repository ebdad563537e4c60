"""What every request and answer share, whatever the view: a NUL character anywhere in a
request is refused cleanly (PostgreSQL cannot store it in text), every API error is JSON
in the one error shape, and nothing personal is kept by a browser or a proxy cache."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pora.conftest import login, make_person
from pora.lodging.services.reporters import token_create

SHAPE = {"code", "field", "message_id", "message_en", "errors"}


@pytest.fixture(autouse=True)
def _fresh_rate_limit(fresh_rate_limit):
    """Every test here starts with the API's rate limits at zero."""


@pytest.fixture
def lodging_api(hotel, hotel_operator) -> Client:
    _token, raw = token_create(actor=hotel_operator, lodging=hotel, label="PMS")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def check_in(**changes) -> dict:
    checked_in = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    return {"surname": "WANG", "given_names": "XIAOMING", "nationality": "CHN", "sex": "M",
            "birth_date": "1985-03-21", "document_number": "EA1234567",
            "checked_in_at": checked_in.isoformat(), **changes}


def assert_api_error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert SHAPE <= set(body), body
    assert body["message_id"] and body["message_en"]
    assert body["errors"] and {"code", "field", "message_id", "message_en"} <= set(
        body["errors"][0])
    if field is not None:
        assert body["field"] == field
    return body


def assert_page_refused(response) -> None:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Permintaan tidak valid" in response.content.decode()


# --------------------------------------------------------------------------- NUL bytes


def test_a_nul_in_an_api_query_parameter_is_refused_naming_it(as_officer):
    response = as_officer.get("/api/v1/persons?nationality=%00")
    body = assert_api_error(response, 400, field="nationality")
    assert body["code"] == "nul_character"


def test_a_nul_in_a_check_in_field_is_refused_naming_it(lodging_api):
    response = lodging_api.post("/api/v1/check-ins", data=json.dumps(check_in(surname="WA\0NG")),
                                content_type="application/json")
    assert_api_error(response, 400, field="surname")


def test_a_nul_deep_in_a_json_body_names_its_path(lodging_api):
    body = json.dumps({"a": [{"b": "x"}, {"c": "y\0"}]})
    response = lodging_api.post("/api/v1/check-ins", data=body, content_type="application/json")
    assert_api_error(response, 400, field="a.1.c")


def test_a_nul_in_a_receipt_number_is_refused(lodging_api):
    response = lodging_api.post("/api/v1/check-outs",
                                data=json.dumps({"receipt_number": "AB\0CD"}),
                                content_type="application/json")
    assert_api_error(response, 400, field="receipt_number")


def test_a_raw_nul_byte_in_a_json_body_is_refused(lodging_api):
    response = lodging_api.post("/api/v1/check-ins", data=b'{"surname": "WA\x00NG"}',
                                content_type="application/json")
    assert_api_error(response, 400)


def test_a_backslash_before_u0000_is_text_not_a_nul(lodging_api):
    # "\\u0000" in JSON is a backslash followed by "u0000": six ordinary characters.
    response = lodging_api.post("/api/v1/check-ins",
                                data=json.dumps(check_in(room="\\u0000")),
                                content_type="application/json")
    assert response.status_code == 201, response.content


def test_a_nul_in_an_api_path_is_refused(lodging_api):
    response = lodging_api.get("/api/v1/check-ins/AB%00CD/receipt.pdf")
    assert_api_error(response, 400)


def test_a_nul_in_the_public_receipt_check_gives_the_400_page(anonymous, db):
    assert_page_refused(anonymous.get("/penginapan/periksa/AB%00CD/"))


def test_a_nul_in_a_page_query_parameter_gives_the_400_page(as_officer):
    assert_page_refused(as_officer.get(reverse("registry:person_list"), {"q": "WA\0NG"}))


def test_a_nul_in_a_form_field_gives_the_400_page(anonymous):
    response = anonymous.post(reverse("core:login"), {"username": "admin\0", "password": "x"})
    assert_page_refused(response)


def test_a_nul_in_a_query_parameter_name_is_refused(as_officer):
    assert_page_refused(as_officer.get(reverse("registry:person_list") + "?q%00=1"))


def test_a_nul_in_a_bearer_token_is_refused_as_json(db):
    response = Client(headers={"Authorization": "Bearer pora_\0abc"}).get("/api/v1/guests")
    assert_api_error(response, 400)


def test_a_nul_in_the_session_cookie_only_forgets_the_session(db):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\0ijklmnop"
    response = client.get(reverse("registry:person_list"))
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


# ------------------------------------------------------------------------ API errors


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_exception_in_an_endpoint_answers_json_500(head, monkeypatch, settings,
                                                                 debug, caplog):
    settings.DEBUG = debug

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("pora.registry.api.selectors.headline_as_of", broken)
    client = Client(raise_request_exception=False)
    client.force_login(head)
    response = client.get("/api/v1/headline")
    body = assert_api_error(response, 500)
    assert body["code"] == "server_error"
    assert "database went away" not in response.content.decode()  # no internals leak
    assert any(r.exc_info and "database went away" in str(r.exc_info[1])
               for r in caplog.records)  # the traceback is logged


def test_an_unexpected_exception_in_the_lodging_api_answers_json_500(lodging_api,
                                                                     monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("pora.lodging.api.selectors.stays_for_lodging", broken)
    lodging_api.raise_request_exception = False
    assert_api_error(lodging_api.get("/api/v1/guests"), 500)


def test_an_unknown_api_path_answers_json_404(anonymous):
    assert_api_error(anonymous.get("/api/v1/no-such-thing"), 404)


def test_an_error_outside_ninja_on_an_api_path_answers_json_500(as_officer, monkeypatch):
    # A middleware failing before the API is reached goes to Django's own 500 handler.
    def broken(self, request):
        raise RuntimeError("boom")

    monkeypatch.setattr("pora.core.middleware.SecondFactorMiddleware._has_device", broken)
    as_officer.raise_request_exception = False
    assert_api_error(as_officer.get("/api/v1/persons"), 500)


def test_pages_keep_their_html_error_pages(as_officer, monkeypatch):
    assert as_officer.get("/registri/tidak-ada/")["Content-Type"].startswith("text/html")


# ------------------------------------------------------------------------ Cache-Control


def assert_not_stored(response) -> None:
    assert "no-store" in response.get("Cache-Control", ""), dict(response.headers)


def test_pages_of_a_logged_in_user_are_not_stored(as_officer, officer):
    make_person(actor=officer)
    response = as_officer.get(reverse("registry:person_list"))
    assert response.status_code == 200
    assert_not_stored(response)


def test_public_pages_and_redirects_are_not_stored(anonymous, db):
    assert_not_stored(anonymous.get(reverse("core:login")))
    assert_not_stored(anonymous.get(reverse("registry:person_list")))  # the redirect
    assert_not_stored(anonymous.get("/penginapan/periksa/AB12/"))


def test_api_answers_are_not_stored(as_officer, lodging_api, officer):
    make_person(actor=officer)
    assert_not_stored(as_officer.get("/api/v1/persons"))
    assert_not_stored(lodging_api.get("/api/v1/guests"))
    assert_not_stored(Client().get("/api/v1/guests"))  # an error too


def test_a_check_in_answer_and_its_receipt_are_not_stored(lodging_api):
    answer = lodging_api.post("/api/v1/check-ins", data=json.dumps(check_in()),
                              content_type="application/json")
    assert answer.status_code == 201
    assert_not_stored(answer)
    receipt = lodging_api.get(answer.json()["receipt_url"])
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert_not_stored(receipt)


def test_exports_are_not_stored(head):
    response = login(head).get(reverse("registry:dashboard"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert_not_stored(response)


def test_a_nul_refusal_is_not_stored_either(as_officer):
    assert_not_stored(as_officer.get("/api/v1/persons?q=%00"))


def test_static_files_keep_their_caching(anonymous):
    response = anonymous.get("/static/pora/pora.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
