"""The JSON API: its OpenAPI description, search, the person record and the headline."""

from __future__ import annotations

import datetime as dt

import pytest

from pora.conftest import login, make_permit, make_person
from pora.registry import selectors


@pytest.fixture
def kim(officer):
    """A Korean investor in Kelapa Gading whose ITAS expired on 31 Dec 2023."""
    person = make_person(actor=officer, surname="KIM", given_names="MINJUN", nationality="KOR",
                         passport="M12345678", kelurahan_name="Kelapa Gading Timur",
                         birth=(1979, 11, 2))
    make_permit(person, actor=officer, number="2C11AA0000002", purpose="investment",
                valid_from=dt.date(2023, 1, 1), valid_until=dt.date(2023, 12, 31))
    return person


@pytest.fixture
def tanaka(officer):
    """A Japanese ITAP holder in Sunter Jaya."""
    person = make_person(actor=officer, surname="TANAKA", given_names="HIROSHI",
                         nationality="JPN", passport="TZ1234567", kelurahan_name="Sunter Jaya")
    make_permit(person, actor=officer, number="2D21AA0000003", kind="ITAP", purpose="family",
                valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2030, 1, 1))
    return person


# ------------------------------------------------------------------------------ OpenAPI


def test_openapi_document_is_served_and_lists_the_endpoints(anonymous):
    response = anonymous.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = response.json()
    assert document["info"]["title"] == "PORA API"
    registry = {"/api/v1/headline", "/api/v1/persons", "/api/v1/persons/{person_id}"}
    lodging = {"/api/v1/check-ins", "/api/v1/check-outs", "/api/v1/guests",
               "/api/v1/check-ins/{receipt_number}/receipt.pdf"}
    screening = {"/api/v1/screen"}
    assert set(document["paths"]) == registry | lodging | screening
    for name in registry:
        assert set(document["paths"][name]) == {"get"}
    assert set(document["paths"]["/api/v1/check-ins"]) == {"post"}
    assert set(document["paths"]["/api/v1/check-outs"]) == {"post"}
    person = document["paths"]["/api/v1/persons/{person_id}"]["get"]
    assert set(person["responses"]) == {"200", "400", "401", "404", "422", "429"}
    search_parameters = {p["name"] for p in document["paths"]["/api/v1/persons"]["get"]
                         ["parameters"]}
    assert {"q", "nationality", "kind", "standing", "on", "limit", "offset"} <= search_parameters


def test_openapi_document_declares_session_login_and_lodging_tokens(anonymous):
    document = anonymous.get("/api/v1/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    # Officers use their session (screening also a personal bearer token); lodging
    # software a bearer token of its lodging.
    assert sorted((name, s["type"], s.get("in", s.get("scheme")))
                  for name, s in schemes.items()) == [
        ("LodgingToken", "http", "bearer"), ("OfficerSession", "apiKey", "cookie"),
        ("SessionAuth", "apiKey", "cookie"), ("UserToken", "http", "bearer")]
    check_in = document["paths"]["/api/v1/check-ins"]["post"]
    assert [list(item) for item in check_in["security"]] == [["LodgingToken"]]
    persons = document["paths"]["/api/v1/persons"]["get"]
    assert [list(item) for item in persons["security"]] == [["SessionAuth"]]


# ------------------------------------------------------------------------------- search


def test_officer_finds_a_person_by_name_with_their_standing(officer, wang, kim):
    response = login(officer).get("/api/v1/persons", {"q": "wang xiao ming", "on": "2024-02-01"})
    assert response.status_code == 200
    assert response.json() == {"count": 1, "results": [{
        "id": wang.pk, "surname": "WANG", "given_names": "XIAOMING", "sex": "M",
        "birth_date": "21/03/1985", "nationality": "CHN", "kelurahan": "Pluit",
        "standing": "valid", "overstay_days": 0,
    }]}


def test_officer_finds_a_person_by_passport_number(officer, wang, kim):
    response = login(officer).get("/api/v1/persons", {"q": "M12345678", "on": "2024-02-01"})
    [found] = response.json()["results"]
    assert found["id"] == kim.pk
    # Pasal 78: expired on 31 Dec 2023, 32 days over on 1 Feb 2024: a fee, not yet deportation.
    assert (found["standing"], found["overstay_days"]) == ("overstay_fee", 32)


def test_search_filters_by_standing_and_kind(officer, wang, kim, tanaka):
    client = login(officer)
    overstaying = client.get("/api/v1/persons", {"standing": "overstay", "on": "2024-02-01"})
    assert [p["id"] for p in overstaying.json()["results"]] == [kim.pk]
    itap = client.get("/api/v1/persons", {"kind": "itap", "on": "2024-02-01"})
    assert [p["id"] for p in itap.json()["results"]] == [tanaka.pk]


def test_search_pages_with_limit_and_offset(officer, wang, kim, tanaka):
    client = login(officer)
    first = client.get("/api/v1/persons", {"limit": 2, "on": "2024-02-01"}).json()
    rest = client.get("/api/v1/persons", {"limit": 2, "offset": 2, "on": "2024-02-01"}).json()
    assert (first["count"], rest["count"]) == (3, 3)
    ordered = [p["surname"] for p in first["results"] + rest["results"]]
    assert ordered == ["KIM", "TANAKA", "WANG"]


@pytest.mark.parametrize("params", [
    {"limit": 100000}, {"limit": 0}, {"offset": -1}, {"q": "x" * 101},
    {"on": "0001-01-01"}, {"kelurahan": 2**70},
], ids=["limit_over_100", "limit_zero", "negative_offset", "overlong_query", "year_one",
        "huge_kelurahan_id"])
def test_out_of_range_search_parameters_are_a_422_not_a_crash(officer, wang, params):
    response = login(officer).get("/api/v1/persons", params)
    assert response.status_code == 422


def test_a_page_of_100_is_allowed(officer, wang):
    response = login(officer).get("/api/v1/persons", {"limit": 100})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_a_bad_date_is_a_422_not_a_crash(officer, wang):
    response = login(officer).get("/api/v1/persons", {"on": "1 Februari 2024"})
    assert response.status_code == 422


def test_partner_gets_403_from_the_person_search(police_partner, wang):
    response = login(police_partner).get("/api/v1/persons", {"q": "WANG"})
    assert response.status_code == 403
    assert "XIAOMING" not in response.content.decode()


def test_analyst_gets_403_from_the_person_search(analyst, wang):
    assert login(analyst).get("/api/v1/persons", {"q": "WANG"}).status_code == 403


# ------------------------------------------------------------------------ person record


def test_officer_reads_the_full_person_record(officer, wang):
    response = login(officer).get(f"/api/v1/persons/{wang.pk}")
    assert response.status_code == 200
    record = response.json()
    assert (record["id"], record["surname"], record["street"]) == (
        wang.pk, "WANG", "Jl. Pluit Raya 1")
    assert record["documents"] == ["EA1234567 (CHN)"]
    assert [(p["number"], p["kind"], p["valid_until"]) for p in record["permits"]] == [
        ("2C11AA0000001", "ITAS", "2024-05-31")]


def test_other_office_officer_gets_404_for_our_person_in_the_api(other_officer, wang):
    response = login(other_officer).get(f"/api/v1/persons/{wang.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "WANG" not in response.content.decode()


def test_an_unknown_person_is_the_same_404_as_a_hidden_one(officer, other_officer, wang):
    hidden = login(other_officer).get(f"/api/v1/persons/{wang.pk}")
    missing = login(officer).get(f"/api/v1/persons/{wang.pk + 1000}")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


# ----------------------------------------------------------------------------- headline


@pytest.mark.parametrize("on", ["2024-02-01", "2024-05-15", "2025-01-01"])
def test_headline_numbers_match_the_selector(officer, jakut, wang, kim, tanaka, on):
    response = login(officer).get("/api/v1/headline", {"on": on})
    assert response.status_code == 200
    expected = selectors.headline_as_of(jakut, dt.date.fromisoformat(on))
    assert response.json() == {
        "office": jakut.name, "on": on, **expected.by_kind,
        "expiring": expected.expiring, "overstay": expected.overstay,
        "overstay_deport": expected.overstay_deport,
    }


def test_headline_on_1_february_2024_counts_who_is_here(officer, wang, kim, tanaka):
    figures = login(officer).get("/api/v1/headline", {"on": "2024-02-01"}).json()
    # Wang's ITAS and Tanaka's ITAP are valid; Kim is present but overstaying since 1 Jan.
    assert (figures["ITAS"], figures["ITAP"], figures["ITK"]) == (1, 1, 0)
    assert (figures["expiring"], figures["overstay"], figures["overstay_deport"]) == (0, 1, 0)


def test_headline_counts_deportation_overstays_from_day_60(officer, kim):
    # Pasal 78(3): 60 days or more past the last valid day (31 Dec 2023).
    day_59 = login(officer).get("/api/v1/headline", {"on": "2024-02-28"}).json()
    day_60 = login(officer).get("/api/v1/headline", {"on": "2024-02-29"}).json()
    assert (day_59["overstay"], day_59["overstay_deport"]) == (1, 0)
    assert (day_60["overstay"], day_60["overstay_deport"]) == (1, 1)


def test_police_partner_reads_the_headline_of_their_team_office(police_partner, jakut, wang):
    figures = login(police_partner).get("/api/v1/headline", {"on": "2024-02-01"}).json()
    assert (figures["office"], figures["ITAS"]) == (jakut.name, 1)
    assert "Jakarta Utara" in jakut.name
