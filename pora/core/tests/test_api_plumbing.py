"""The API's shared plumbing: token-only paths come from the routers, token kinds are
registered by the areas that issue them, and one error shape serves every area."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from pora.core.api import Problem, error_response, router_paths, token_kind_of, token_only_call

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "token_only"), [
    ("/api/v1/check-ins", True),
    ("/api/v1/check-ins/260207-ABCD/receipt.pdf", True),
    ("/api/v1/check-outs", True),
    ("/api/v1/guests", True),
    ("/api/v1/screen", False),
    ("/api/v1/persons", False),
    ("/api/v1/headline", False),
    ("/registri/", False),
])
def test_the_lodging_routers_paths_pass_the_browser_middlewares_by(path, token_only):
    assert token_only_call(RequestFactory().get(path)) is token_only


def test_router_paths_are_read_from_the_router_not_written_down():
    from pora.lodging.api import router

    assert router_paths(router, "/api/v1/") == [
        "/api/v1/check-ins", "/api/v1/check-outs", "/api/v1/guests"]


def test_a_lodging_token_is_known_as_such_and_a_made_up_one_is_not(hotel):
    from pora.lodging.services.reporters import token_create

    _token, raw = token_create(lodging=hotel, actor=None, label="PMS")
    assert token_kind_of(raw) == "lodging"
    assert token_kind_of("pora_" + "x" * 40) is None


def test_errors_answer_in_both_languages_with_the_first_problem_on_top():
    response = error_response(422, [Problem("surname", "required", "Wajib diisi.", "Required."),
                                    Problem("room", "too_long", "Terlalu panjang.", "Too long.")])
    import json

    body = json.loads(response.content)
    assert (response.status_code, body["code"], body["field"]) == (422, "required", "surname")
    assert [e["field"] for e in body["errors"]] == ["surname", "room"]
    assert body["message_id"] == "Wajib diisi." and body["message_en"] == "Required."
