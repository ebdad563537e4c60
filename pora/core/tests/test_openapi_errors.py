"""The OpenAPI document names every error an endpoint can answer, in the one error shape
(ErrorOut) with a description, and the limits the server enforces; the errors each router
really answers are in that shape."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings

from pora.conftest import login
from pora.core.api import ErrorOut, ProblemOut
from pora.core.services import user_token_create
from pora.lodging.services.reporters import token_create

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}
ERROR_REF = "#/components/schemas/ErrorOut"
# django-ninja's own wording when an endpoint says nothing of a status.
BARE = {"Bad Request", "Unauthorized", "Forbidden", "Not Found", "Conflict",
        "Unprocessable Content", "Unprocessable Entity", "Too Many Requests"}


@pytest.fixture(autouse=True)
def _fresh_rate_limit(fresh_rate_limit):
    """Every test here starts with the API's rate limits at zero."""


@pytest.fixture
def document() -> dict:
    return Client().get("/api/v1/openapi.json").json()


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_every_operation_documents_the_errors_it_can_answer(document):
    missing, bare = [], []
    for name, operation in _operations(document):
        responses = operation["responses"]
        expected = {"400"}  # a NUL anywhere or an unreadable body, before any endpoint
        if operation.get("security"):
            expected |= {"401", "429"}
        takes_input = "requestBody" in operation or any(
            p["in"] in {"path", "query"} for p in operation.get("parameters", []))
        if takes_input:
            expected.add("422")
        missing += [f"{name}: {status}" for status in sorted(expected - set(responses))]
        for status, answer in responses.items():
            if not status.startswith("4"):
                continue
            schema = answer.get("content", {}).get("application/json", {}).get("schema")
            if schema != {"$ref": ERROR_REF}:
                bare.append(f"{name} {status}: schema {schema}")
            if answer.get("description", "") in BARE or len(answer.get("description", "")) < 30:
                bare.append(f"{name} {status}: description {answer.get('description')!r}")
    assert not missing, missing
    assert not bare, bare


def test_the_error_shape_is_documented_once(document):
    schemas = document["components"]["schemas"]
    assert "Error" not in schemas  # the registry's older {code, message}
    assert set(schemas["ErrorOut"]["properties"]) == {
        "code", "field", "message_id", "message_en", "errors"}


def test_the_limits_the_server_enforces_are_in_the_document(document):
    rate = str(settings.PORA_API_RATE_PER_MINUTE)
    for name, operation in _operations(document):
        if "429" in operation["responses"]:
            assert rate in operation["responses"]["429"]["description"], name
            assert "Retry-After" in operation["responses"]["429"]["description"], name
        body_mb = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:.1f}"
        assert f"{body_mb} MB" in operation["responses"]["400"]["description"], name
    check_in = document["paths"]["/api/v1/check-ins"]["post"]
    [key] = [p for p in check_in["parameters"] if p["name"] == "Idempotency-Key"]
    assert (key["in"], key["schema"]["maxLength"]) == ("header", 200)
    assert "idempotency_key_reused" in check_in["responses"]["422"]["description"]
    guests = document["paths"]["/api/v1/guests"]["get"]
    assert "at most 5000" in guests["description"]
    search = {p["name"]: p["schema"] for p in
              document["paths"]["/api/v1/persons"]["get"]["parameters"]}
    assert (search["limit"]["maximum"], search["q"]["maxLength"]) == (100, 100)
    schemas = document["components"]["schemas"]
    assert schemas["CheckInIn"]["properties"]["surname"]["maxLength"] == 100
    assert schemas["ScreenIn"]["properties"]["names"]["maxItems"] == 20


# ------------------------------------------------------------- the errors really sent


def _assert_documented(document: dict, response, path: str, method: str) -> dict:
    """The answer is one the operation documents, in the documented shape."""
    status = str(response.status_code)
    operation = document["paths"][path][method]
    assert status in operation["responses"], (path, status)
    assert operation["responses"][status]["content"]["application/json"]["schema"] == {
        "$ref": ERROR_REF}
    body = response.json()
    properties = set(document["components"]["schemas"]["ErrorOut"]["properties"])
    assert set(body) == properties, body
    ErrorOut.model_validate(body)
    for problem in body["errors"]:
        assert set(problem) == set(ProblemOut.model_fields)
    return body


def _check_in(client: Client, body: dict):
    return client.post("/api/v1/check-ins", data=json.dumps(body),
                       content_type="application/json")


@pytest.fixture
def lodging_client(hotel, hotel_operator) -> Client:
    _token, raw = token_create(actor=hotel_operator, lodging=hotel, label="PMS")
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def screening_client(officer) -> Client:
    _token, raw = user_token_create(actor=officer, user=officer, name="screening client")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _screen(client: Client, body: dict):
    return client.post("/api/v1/screen", data=json.dumps(body),
                       content_type="application/json")


def test_a_422_from_each_router_is_the_documented_shape(document, lodging_client,
                                                        screening_client, officer):
    lodging = _check_in(lodging_client, {"surname": "WANG", "nationality": "ZZZ",
                                         "document_number": "E1",
                                         "checked_in_at": "2026-01-01T10:00:00+07:00"})
    screening = _screen(screening_client, {"name": "", "sex": "Q"})
    registry = login(officer).get("/api/v1/persons", {"limit": 0})
    person = login(officer).get("/api/v1/persons/abc")
    for response, path, method in [(lodging, "/api/v1/check-ins", "post"),
                                   (screening, "/api/v1/screen", "post"),
                                   (registry, "/api/v1/persons", "get"),
                                   (person, "/api/v1/persons/{person_id}", "get")]:
        assert response.status_code == 422, (path, response.content)
        _assert_documented(document, response, path, method)
    assert person.json()["field"] == "person_id"


@override_settings(PORA_API_RATE_PER_MINUTE=1)
def test_a_429_from_each_router_is_the_documented_shape(document, lodging_client,
                                                        screening_client, officer, wang):
    as_officer = login(officer)
    calls = [
        (lambda: lodging_client.get("/api/v1/guests"), "/api/v1/guests", "get"),
        (lambda: _screen(screening_client, {"name": "WANG XIAOMING"}), "/api/v1/screen",
         "post"),
        (lambda: as_officer.get(f"/api/v1/persons/{wang.pk}"), "/api/v1/persons/{person_id}",
         "get"),
    ]
    for call, path, method in calls:
        assert call().status_code == 200, path
        limited = call()
        assert limited.status_code == 429, (path, limited.content)
        assert 1 <= int(limited["Retry-After"]) <= 60
        body = _assert_documented(document, limited, path, method)
        assert body["code"] == "rate_limited" and "1 per" in body["message_en"]
    # The registry's other endpoints count the same caller (the officer's session).
    for path in ["/api/v1/persons", "/api/v1/headline"]:
        _assert_documented(document, as_officer.get(path), path, "get")
    receipt_path = "/api/v1/check-ins/{receipt_number}/receipt.pdf"
    receipt = lodging_client.get("/api/v1/check-ins/NOPE/receipt.pdf")
    assert receipt.status_code == 429
    _assert_documented(document, receipt, receipt_path, "get")


def test_a_401_a_400_and_a_404_are_the_documented_shape(document, officer, other_officer,
                                                        wang):
    nobody = Client()
    for path, method, response in [
        ("/api/v1/guests", "get", nobody.get("/api/v1/guests")),
        ("/api/v1/screen", "post", _screen(nobody, {"name": "WANG"})),
        ("/api/v1/headline", "get", nobody.get("/api/v1/headline")),
    ]:
        assert response.status_code == 401, path
        _assert_documented(document, response, path, method)
    unreadable = login(officer).post("/api/v1/screen", data="{not json",
                                     content_type="application/json")
    assert unreadable.status_code == 400
    _assert_documented(document, unreadable, "/api/v1/screen", "post")
    # Another office's foreigner: the one error shape, naming the field.
    hidden = login(other_officer).get(f"/api/v1/persons/{wang.pk}")
    body = _assert_documented(document, hidden, "/api/v1/persons/{person_id}", "get")
    assert (hidden.status_code, body["code"], body["field"]) == (404, "not_found", "person_id")
    assert body["message_en"] == "Foreigner not found."
