"""POST /api/v1/screen: who may screen (session or personal token; never a lodging's token,
never an analyst or a partner), which lists they see, what a bad request answers, the
reasons in the caller's language, the access log and the rate limit.

Errors answer ``{code, field, message_id, message_en, errors}`` like the rest of the API.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from pora.conftest import login
from pora.core.models import AccessLog
from pora.core.services import user_token_create, user_token_revoke
from pora.lodging.services.reporters import token_create
from pora.screening.engine.score import SCORER_VERSION, TEXTS, WEIGHTS
from pora.screening.tests.screening_fixtures import (  # noqa: F401 (fixtures)
    add_entry,
    fresh_index,
    local_list,
    media,
    wanted_list,
)

SCREEN = "/api/v1/screen"
WANG = {"name": "Wang Xiao Ming", "birth_date": "1985-03-21", "nationality": "CN"}
EN, ID = {"Accept-Language": "en"}, {"Accept-Language": "id"}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def post(client: Client, body: dict | str, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(SCREEN, data=data, content_type="application/json", headers=headers)


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def personal_token(user) -> str:
    _token, raw = user_token_create(actor=user, user=user, name="screening client")
    return raw


def assert_problem(response, status: int, code: str, field: str = "") -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "field", "message_id", "message_en", "errors"}
    assert (body["code"], body["field"]) == (code, field), body
    assert body["message_id"] and body["message_en"]
    return body


@pytest.fixture
def wang_entry(wanted_list, officer):
    """WANG XIAOMING on Polda Metro Jaya's shared wanted list (kept by Jakarta Utara)."""
    return add_entry(wanted_list, officer, names=["WANG XIAOMING", "王小明"],
                     documents=["EA1234567"], valid_until=timezone.localdate()
                     + dt.timedelta(days=180))


# ----------------------------------------------------------------------------- results


def test_officer_screens_a_name_by_session_and_gets_the_entry_with_reasons(officer,
                                                                          wang_entry):
    response = post(login(officer), {**WANG, "id": "ref-1", "passport_number": "ea 123-4567",
                                      "sex": "m"}, **EN)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["query"] == {"id": "ref-1", "names": ["Wang Xiao Ming"],
                             "birth_date": "1985-03-21", "nationality": "CHN",
                             "passport_number": "EA1234567", "sex": "M"}
    assert body["threshold"] == 80
    assert body["scorer_version"] == SCORER_VERSION
    [candidate] = body["candidates"]
    assert candidate["entry_id"] == wang_entry.pk
    assert candidate["list"] == {"id": wang_entry.watchlist_id, "name": "DPO Polda Metro Jaya",
                                 "kind": "wanted"}
    assert candidate["names"] == ["WANG XIAOMING", "王小明"]
    assert candidate["score"] == 100 and candidate["action"] == "arrest"
    assert candidate["valid_until"] == str(wang_entry.valid_until)
    codes = [r["code"] for r in candidate["reasons"]]
    assert codes[0].startswith("name_") and "birth_exact" in codes
    assert "document_same" in codes and "nationality_same" in codes
    birth = next(r for r in candidate["reasons"] if r["code"] == "birth_exact")
    assert birth == {"code": "birth_exact", "points": 8.0,
                     "text": TEXTS["birth_exact"] % {"query": "1985-03-21"}}


def test_a_different_person_is_not_a_candidate(officer, wang_entry):
    response = post(login(officer), {"name": "Maria Fernanda Oliveira",
                                     "birth_date": "1990-07-01", "nationality": "BRA"})
    assert response.status_code == 200
    assert response.json()["candidates"] == []


def test_names_alone_are_enough_and_aliases_count(officer, wang_entry):
    response = post(login(officer), {"names": ["Li Wei", "王小明"]})
    [candidate] = response.json()["candidates"]
    assert candidate["entry_id"] == wang_entry.pk
    assert response.json()["query"]["names"] == ["Li Wei", "王小明"]


def test_threshold_and_limit_decide_how_many_candidates(officer, wanted_list):
    for number, name in enumerate(("WANG XIAOMING", "WANG XIAOMENG", "WANG XIAOLONG",
                                   "WONG SIU MING")):
        add_entry(wanted_list, officer, names=[name], source_id=f"w{number}",
                  birth_dates=[], nationalities=[])
    client = login(officer)
    loose = post(client, {"name": "Wang Xiaoming", "threshold": 1}).json()
    scores = [c["score"] for c in loose["candidates"]]
    assert loose["threshold"] == 1 and len(scores) == 4
    # The same name, but no birth date on either side: all but certain, not certain.
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 100 + WEIGHTS["birth_unknown"]
    assert len(set(scores)) > 2, scores
    middle = sorted(set(scores))[1]
    strict = post(client, {"name": "Wang Xiaoming", "threshold": middle}).json()
    assert [c["score"] for c in strict["candidates"]] == [s for s in scores if s >= middle]
    assert strict["threshold"] == middle
    two = post(client, {"name": "Wang Xiaoming", "threshold": 1, "limit": 2}).json()
    assert [c["score"] for c in two["candidates"]] == scores[:2]
    default = post(client, {"name": "Wang Xiaoming"}).json()
    assert default["threshold"] == 80
    assert all(c["score"] >= 80 for c in default["candidates"])


def test_reasons_follow_the_language_asked_for(officer, wang_entry):
    client = login(officer)
    english = post(client, WANG, **EN).json()["candidates"][0]["reasons"]
    indonesian = post(client, WANG, **ID).json()["candidates"][0][
        "reasons"]
    assert [r["code"] for r in english] == [r["code"] for r in indonesian]
    en_birth = next(r["text"] for r in english if r["code"] == "birth_exact")
    id_birth = next(r["text"] for r in indonesian if r["code"] == "birth_exact")
    assert en_birth == "Same birth date: 1985-03-21"
    assert "1985-03-21" in id_birth and id_birth != en_birth


# ------------------------------------------------------------------------------ scoping


def test_another_offices_local_list_is_invisible(officer, other_officer, jakpus):
    pusat = local_list(jakpus, other_officer, name="Diawasi Jakarta Pusat")
    add_entry(pusat, other_officer)
    assert post(login(officer), WANG).json()["candidates"] == []
    [own] = post(login(other_officer), WANG).json()["candidates"]
    assert own["list"]["name"] == "Diawasi Jakarta Pusat" and own["action"] == "discreet"


def test_a_shared_list_of_another_office_is_visible(other_officer, wang_entry):
    [candidate] = post(login(other_officer), WANG).json()["candidates"]
    assert candidate["entry_id"] == wang_entry.pk


def test_a_withdrawn_entry_is_no_longer_a_candidate(officer, wang_entry):
    from pora.screening.services import entry_withdraw

    entry_withdraw(actor=officer, entry=wang_entry, note="Sudah ditangkap")
    assert post(login(officer), WANG).json()["candidates"] == []


# -------------------------------------------------------------------------------- auth


def test_officer_screens_with_a_personal_token(officer, wang_entry):
    response = post(bearer(personal_token(officer)), WANG)
    assert response.status_code == 200
    assert [c["entry_id"] for c in response.json()["candidates"]] == [wang_entry.pk]


def test_a_session_post_needs_the_csrf_token(officer, wang_entry):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert_problem(post(client, WANG), 403, "forbidden")
    client.get(reverse("core:account"))  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = post(client, WANG, **{"X-CSRFToken": token})
    assert response.status_code == 200, response.content


def test_a_lodging_token_is_refused_with_403(hotel, hotel_operator, wang_entry):
    _token, raw = token_create(actor=hotel_operator, lodging=hotel, label="PMS")
    response = post(bearer(raw), WANG)
    body = assert_problem(response, 403, "forbidden")
    assert "XIAOMING" not in json.dumps(body)


@pytest.mark.parametrize("raw", ["porau_forged", "pora_forged", "something-else"])
def test_an_unknown_token_or_nobody_gets_401(db, raw):
    assert_problem(post(bearer(raw), WANG), 401, "unauthorized", "Authorization")
    assert_problem(post(Client(), WANG), 401, "unauthorized", "Authorization")


def test_a_revoked_token_gets_401(officer, wang_entry):
    raw = personal_token(officer)
    user_token_revoke(actor=officer, token=officer.api_tokens.get())
    assert_problem(post(bearer(raw), WANG), 401, "unauthorized", "Authorization")


@pytest.mark.parametrize("persona", ["analyst", "police_partner", "hotel_operator"])
def test_who_may_not_see_personal_data_cannot_screen(persona, request, wang_entry):
    user = request.getfixturevalue(persona)
    response = post(login(user), WANG)
    body = assert_problem(response, 403, "forbidden")
    assert "XIAOMING" not in json.dumps(body)


def test_an_analysts_token_is_refused_and_a_demoted_officers_too(analyst, officer,
                                                                  wang_entry):
    assert_problem(post(bearer(personal_token(analyst)), WANG), 403, "forbidden")
    raw = personal_token(officer)
    officer.role = "analyst"
    officer.save(update_fields=["role"])
    assert_problem(post(bearer(raw), WANG), 403, "forbidden")


# -------------------------------------------------------------------------- validation


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"name": ""}, "name_required", "name"),
    ({"name": "   ", "names": ["  "]}, "name_required", "name"),
    ({"name": "!!! ???"}, "invalid_name", "name"),
    ({"names": ["Wang", "..."]}, "invalid_name", "names.1"),
    ({**WANG, "birth_date": "1980-13-45"}, "invalid_birth_date", "birth_date"),
    ({**WANG, "birth_date": "21/03/1985"}, "invalid_birth_date", "birth_date"),
    ({**WANG, "nationality": "XY"}, "unknown_country", "nationality"),
    ({**WANG, "nationality": "ZZZ"}, "unknown_country", "nationality"),
    ({**WANG, "sex": "X"}, "invalid_sex", "sex"),
    ({**WANG, "limit": 0}, "invalid", "limit"),
    ({**WANG, "limit": 51}, "invalid", "limit"),
    ({**WANG, "threshold": 101}, "invalid", "threshold"),
    ({**WANG, "name": "x" * 201}, "invalid", "name"),
], ids=["empty_name", "blank_names", "no_letters", "alias_without_letters", "impossible_date",
        "day_first_date", "unknown_alpha2", "unknown_alpha3", "bad_sex", "limit_zero",
        "limit_over_50", "threshold_over_100", "overlong_name"])
def test_bad_input_is_a_422_naming_the_field(officer, body, code, field):
    response = post(login(officer), body)
    assert_problem(response, 422, code, field)
    assert not AccessLog.objects.filter(view="api_screen").exists()


def test_every_problem_is_listed_at_once(officer):
    response = post(login(officer), {"name": "", "birth_date": "1980-13-45",
                                     "nationality": "XY"})
    body = assert_problem(response, 422, "name_required", "name")
    assert [e["field"] for e in body["errors"]] == ["name", "birth_date", "nationality"]


def test_a_body_that_is_not_json_is_a_400(officer):
    assert_problem(post(login(officer), "{not json"), 400, "bad_request")


# ------------------------------------------------------------------------- access log


def test_each_screen_is_access_logged_with_the_entries_shown(officer, wang_entry):
    post(bearer(personal_token(officer)), WANG)
    [row] = AccessLog.objects.filter(view="api_screen")
    assert (row.user, row.office_id, row.person_id) == (officer, officer.office_id,
                                                        wang_entry.pk)
    assert row.person_label == "DPO Polda Metro Jaya: WANG XIAOMING"
    assert row.path == SCREEN


def test_a_screen_without_candidates_is_logged_too(officer, wang_entry):
    post(login(officer), {"name": "Maria Oliveira"})
    [row] = AccessLog.objects.filter(view="api_screen")
    assert (row.user, row.person_id, row.person_label) == (officer, 0, "Maria Oliveira")


def test_a_screen_by_token_costs_the_token_lookup_and_the_log_insert(
        officer, wang_entry, django_assert_num_queries, monkeypatch):
    from pora.screening import index_cache

    monkeypatch.setattr(index_cache, "CHECK_SECONDS", 3600.0)  # no version read in between
    api = bearer(personal_token(officer))
    assert post(api, WANG).status_code == 200  # builds the index, notes the token's use
    with django_assert_num_queries(2):
        response = post(api, WANG)
    assert len(response.json()["candidates"]) == 1


# ------------------------------------------------------------------------- rate limit


@pytest.fixture
def frozen_minute(monkeypatch):
    # One fixed minute, so that the calls cannot straddle a minute boundary.
    frozen = timezone.now().replace(second=10, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    return frozen


def test_rate_limit_answers_429_per_token(officer, head, wang_entry, frozen_minute,
                                          monkeypatch):
    officer_api, head_api = bearer(personal_token(officer)), bearer(personal_token(head))
    with override_settings(PORA_API_RATE_PER_MINUTE=2):
        assert [post(officer_api, WANG).status_code for _ in range(3)] == [200, 200, 429]
        limited = post(officer_api, WANG)
        body = assert_problem(limited, 429, "rate_limited")
        assert "2" in body["message_en"] and limited["Retry-After"] == "50"
        assert post(head_api, WANG).status_code == 200
        monkeypatch.setattr(timezone, "now", lambda: frozen_minute + dt.timedelta(minutes=1))
        assert post(officer_api, WANG).status_code == 200
    assert AccessLog.objects.filter(view="api_screen", user=officer).count() == 3


def test_a_lodging_token_does_not_share_the_count_of_a_personal_token(
        officer, hotel, hotel_operator, frozen_minute):
    from pora.core.models import UserToken
    from pora.lodging.models import ApiToken

    raw = personal_token(officer)
    lodging_token, lodging_raw = token_create(actor=hotel_operator, lodging=hotel, label="PMS")
    # The two kinds of token live in two tables: give both the same number.
    ApiToken.objects.filter(pk=lodging_token.pk).update(id=UserToken.objects.get().pk)
    assert UserToken.objects.get().pk == ApiToken.objects.get().pk
    with override_settings(PORA_API_RATE_PER_MINUTE=1):
        assert bearer(lodging_raw).get("/api/v1/guests").status_code == 200
        assert post(bearer(raw), WANG).status_code == 200


# ---------------------------------------------------------------------------- OpenAPI


def test_openapi_documents_the_screen_with_both_ways_in(db):
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"][SCREEN]["post"]
    assert operation["security"] == [{"UserToken": []}, {"OfficerSession": []}]
    assert {"200", "401", "403", "422", "429"} <= set(operation["responses"])
    schemas = document["components"]["schemas"]
    request = schemas["ScreenIn"]
    assert {"name", "names", "birth_date", "nationality", "passport_number", "sex", "limit",
            "threshold"} <= set(request["properties"])
    assert request["properties"]["limit"]["maximum"] == 50
    assert request["examples"][0]["name"]
    assert schemas["CandidateOut"]["examples"][0]["reasons"]
    assert document["components"]["securitySchemes"]["UserToken"]["scheme"] == "bearer"
