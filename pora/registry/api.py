"""The registry over the API: the as-of headline, foreigner search and one foreigner.

Officers, heads of office and analysts with their session (``django_auth``, the API's
default); analysts and partners see figures only.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from pora.core.api import Problem, documented, error_response, rate_limited
from pora.core.audit import access_record
from pora.core.selectors import default_as_of, get_office_for_user
from pora.registry import selectors
from pora.registry.rules import person_standing

router = Router(tags=["registry"])


class HeadlineOut(Schema):
    office: str
    on: dt.date
    ITAS: int
    ITAP: int
    ITK: int
    expiring: int
    overstay: int
    overstay_deport: int


class PermitOut(Schema):
    number: str
    kind: str
    visa_index: str | None
    purpose: str
    valid_from: dt.date
    valid_until: dt.date
    status: str
    departed_on: dt.date | None
    sponsor: str | None


class PersonOut(Schema):
    id: int
    surname: str
    given_names: str
    sex: str
    birth_date: str
    nationality: str
    kelurahan: str | None
    standing: str | None
    overstay_days: int


class PersonDetailOut(PersonOut):
    street: str
    documents: list[str]
    permits: list[PermitOut]


class PersonPage(Schema):
    count: int
    results: list[PersonOut]


EARLIEST, LATEST = dt.date(1950, 1, 1), dt.date(2100, 12, 31)
PAGE_MAX, OFFSET_MAX = 100, 1_000_000


class SearchIn(Schema):
    q: str = Field("", max_length=100)
    nationality: str = Field("", max_length=3)
    kind: str = Field("", max_length=4)
    standing: str = Field("", max_length=20)
    kelurahan: int | None = Field(None, ge=1, le=2**63 - 1)
    on: dt.date | None = Field(None, ge=EARLIEST, le=LATEST)
    limit: int = Field(25, ge=1, le=PAGE_MAX, description=f"Page size, at most {PAGE_MAX}")
    offset: int = Field(0, ge=0, le=OFFSET_MAX)


def _person_out(person, assessment) -> dict:
    return {
        "id": person.pk, "surname": person.surname, "given_names": person.given_names,
        "sex": person.sex, "birth_date": person.birth_date_display,
        "nationality": person.nationality,
        "kelurahan": person.kelurahan.name if person.kelurahan else None,
        "standing": assessment.standing.value if assessment else None,
        "overstay_days": assessment.overstay_days if assessment else 0,
    }


def _limited(request):
    return rate_limited(f"user:{request.user.pk}")


@router.get("/headline", **documented({200: HeadlineOut}, {
    400: "", 401: "", 403: "The user may not see figures.",
    422: f"`on` is not a date from {EARLIEST} to {LATEST}.", 429: ""}))
def headline(request, on: dt.date | None = Query(None, ge=EARLIEST, le=LATEST)):
    """Foreigners present in the user's office on a date, by permit kind."""
    if not request.user.can_see_aggregates:
        raise HttpError(403, "forbidden")
    limited = _limited(request)
    if limited:
        return limited
    office = get_office_for_user(request.user)
    result = selectors.headline_as_of(office, on or default_as_of())
    return {"office": office.name, "on": result.on, **result.by_kind,
            "expiring": result.expiring, "overstay": result.overstay,
            "overstay_deport": result.overstay_deport}


@router.get("/persons", **documented({200: PersonPage}, {
    400: "", 401: "",
    403: "The user may not see personal data (analysts and partners see figures only).",
    422: (f"A parameter out of its range (`limit` 1-{PAGE_MAX}, `offset` 0-{OFFSET_MAX}, "
          "`q` at most 100 characters, `on` a date) or not valid."),
    429: ""}))
def persons(request, filters: Query[SearchIn]):
    """Search foreigners by name (typo and order tolerant), passport number (or a part of
    it, at least 4 characters), permit number and filters."""
    if not request.user.can_see_personal_data:
        raise HttpError(403, "forbidden")
    limited = _limited(request)
    if limited:
        return limited
    limit = max(1, min(filters.limit, PAGE_MAX))
    result, _scores = selectors.person_search(request.user, selectors.SearchFilters(
        q=filters.q, nationality=filters.nationality.upper(), kind=filters.kind.upper(),
        standing=filters.standing, kelurahan=filters.kelurahan, on=filters.on,
    ))
    if isinstance(result, list):
        count, ids = len(result), result[filters.offset:filters.offset + limit]
    else:
        count = result.count()
        ids = list(result.values_list("id", flat=True)[filters.offset:filters.offset + limit])
    found = selectors.persons_by_ids(ids)
    assessments = selectors.assess_persons(found, filters.on or default_as_of())
    access_record(request=request, persons=found, view="api_persons")
    return {"count": count, "results": [_person_out(p, assessments[p.pk]) for p in found]}


@router.get("/persons/{person_id}", **documented({200: PersonDetailOut}, {
    400: "", 401: "",
    404: ("No such foreigner in the user's office (or the user may not see personal "
          "data): the same answer either way."),
    422: "`person_id` is not a whole number.", 429: ""}))
def person(request, person_id: int):
    """One foreigner of the user's office, with passports and permits."""
    limited = _limited(request)
    if limited:
        return limited
    try:
        found = selectors.get_person_for_user(request.user, person_id)
    except Http404:
        return error_response(404, [Problem(
            "person_id", "not_found", "Orang asing tidak ditemukan.", "Foreigner not found.")])
    on = default_as_of()
    permits = list(found.permits.select_related("visa_index", "sponsor"))
    assessment = person_standing(permits, on, selectors.rules_on(on))
    access_record(request=request, persons=[found], view="api_person")
    return {
        **_person_out(found, assessment), "street": found.street,
        "documents": [f"{d.number} ({d.issuing_state})" for d in found.documents.all()],
        "permits": [{
            "number": p.number, "kind": p.kind,
            "visa_index": p.visa_index.code if p.visa_index else None, "purpose": p.purpose,
            "valid_from": p.valid_from, "valid_until": p.valid_until, "status": p.status,
            "departed_on": p.departed_on, "sponsor": p.sponsor.name if p.sponsor else None,
        } for p in permits],
    }
