"""The lodging software's API calls pass by the middleware of the browser pages (session,
page language, login, second factor, messages, htmx); every answer keeps the security
headers, and the pages keep all of it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from pora.lodging.services.reporters import token_create

SECURITY_HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin",
                    "Cross-Origin-Opener-Policy": "same-origin"}


@pytest.fixture
def lodging_api(hotel, hotel_operator) -> Client:
    _token, raw = token_create(actor=hotel_operator, lodging=hotel, label="PMS")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def check_in_body() -> str:
    checked_in = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    return json.dumps({"surname": "WANG", "given_names": "XIAOMING", "nationality": "CHN",
                       "sex": "M", "birth_date": "1985-03-21",
                       "document_number": "EA1234567", "checked_in_at": checked_in.isoformat()})


def assert_security_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response[name] == value, name
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_a_check_in_by_token_keeps_the_security_headers_and_sets_no_cookie(lodging_api):
    response = lodging_api.post("/api/v1/check-ins", data=check_in_body(),
                                content_type="application/json",
                                headers={"Accept-Language": "en"})
    assert response.status_code == 201, response.content
    assert_security_headers(response)
    assert not response.cookies
    assert "Content-Language" not in response  # no page language for a JSON answer


def test_a_refused_token_keeps_the_security_headers(db):
    response = Client(headers={"Authorization": "Bearer pora_wrong"}).get("/api/v1/guests")
    assert response.status_code == 401
    assert_security_headers(response)


def test_a_session_cookie_does_not_stand_in_for_the_lodging_token(hotel_operator):
    browser = Client()
    browser.force_login(hotel_operator)
    assert settings.SESSION_COOKIE_NAME in browser.cookies
    assert browser.get("/api/v1/guests").status_code == 401


def test_pages_keep_their_language_session_and_headers(hotel_operator):
    browser = Client()
    browser.force_login(hotel_operator)
    response = browser.get("/penginapan/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert response.wsgi_request.user == hotel_operator
    assert_security_headers(response)


def test_every_api_answer_carries_the_policy_django_csp_builds(lodging_api, db):
    from csp.middleware import CSPMiddleware

    from pora.core.middleware import BrowserCSPMiddleware

    BrowserCSPMiddleware._api_headers = None  # as in a new process
    first = lodging_api.get("/api/v1/guests")
    again = lodging_api.get("/api/v1/guests")
    refused = Client(headers={"Authorization": "Bearer pora_wrong"}).get("/api/v1/guests")
    built = CSPMiddleware(lambda request: None).process_response(
        first.wsgi_request, type(first)())["Content-Security-Policy"]
    assert first["Content-Security-Policy"] == built
    assert again["Content-Security-Policy"] == built
    assert refused["Content-Security-Policy"] == built
