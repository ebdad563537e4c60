"""Screening over the API: is this person on a watchlist the caller may see?

``POST /api/v1/screen`` with a name (or several) and whatever else is known: birth date,
nationality, passport number, sex. Officers and heads of office only, signed in (session
with its CSRF token) or with a personal token (``pora token create --user NAME`` or the
account page); a lodging's token is refused. Candidates come from the caller's office's
own lists and from shared lists, never from another office's local list.

Kept lean for throughput: a call costs one token lookup (plus a "last used" write at most
once a minute), a look-up in the in-memory index and one access-log insert.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.http import HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from pora.core.api import Problem, documented, rate_limited, token_kind_of
from pora.core.audit import access_record, client_ip
from pora.core.services import user_token_authenticate
from pora.names.transliteration import normalise
from pora.screening.engine.records import (
    InvalidValue,
    Record,
    clean_document,
    clean_sex,
    country_alpha3,
    parse_date,
)
from pora.screening.engine.score import SCORER_VERSION
from pora.screening.reasons import reason_text
from pora.screening.services.screening import screen_query


def _may_screen(user) -> None:
    """Watchlists are personal data: officers and heads of an office only (403 otherwise)."""
    if not user.can_see_personal_data:
        raise HttpError(403, "forbidden")


class UserToken(HttpBearer):
    openapi_description = (
        "Personal API token of an officer or head of office (`pora token create --user "
        "USERNAME`, or the account page). A lodging's token is refused with 403.")

    def authenticate(self, request, token):
        found = user_token_authenticate(token, ip=client_ip(request))
        if found is None:
            if token_kind_of(token) is not None:  # a real token, of another kind
                raise HttpError(403, "forbidden")
            return None
        _may_screen(found.user)
        # The access log and everything downstream see the token's user as the caller.
        request.user = found.user
        request.user_token = found
        return found.user


class OfficerSession(SessionAuth):
    openapi_description = (
        "The session of a signed-in officer or head of office; send the CSRF token in the "
        "X-CSRFToken header.")

    def __call__(self, request):
        # Nobody signed in: answer 401 rather than fail the CSRF check with 403.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        _may_screen(request.user)
        return request.user


router = Router(auth=[UserToken(), OfficerSession()], tags=["screening"])


NAME_MAX = 200


class ScreenIn(Schema):
    id: str = Field("", max_length=100, description="Your own reference, returned as query.id")
    name: str = Field("", max_length=NAME_MAX, description=(
        "The full name in any script and order (required unless `names` is given)"))
    names: list[str] = Field([], max_length=20, description="Further names or aliases")
    birth_date: str = Field("", max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY")
    nationality: str = Field("", max_length=3, description="ISO 3166 alpha-2 or alpha-3")
    passport_number: str = Field("", max_length=30)
    sex: str = Field("", max_length=1, description="M, F or empty when unknown")
    limit: int = Field(10, ge=1, le=50, description="At most this many candidates")
    threshold: int | None = Field(None, ge=1, le=100, description=(
        "Lowest score of a candidate, 1-100 (default: the server's setting)"))

    model_config = {"json_schema_extra": {"examples": [{
        "id": "ref-0042", "name": "WANG Xiao Ming", "birth_date": "1985-03-21",
        "nationality": "CN", "passport_number": "EA1234567", "sex": "M", "limit": 10}]}}


class QueryOut(Schema):
    id: str
    names: list[str]
    birth_date: str = Field(description="As understood: YYYY-MM-DD, YYYY-MM, YYYY or ''")
    nationality: str = Field(description="ISO 3166 alpha-3, or ''")
    passport_number: str = Field(description="Upper case without spaces or dashes")
    sex: str


class ListOut(Schema):
    id: int
    name: str
    kind: str = Field(description="wanted, exit_ban, entry_ban, notice or interest")


class ReasonOut(Schema):
    code: str
    points: float = Field(description="What the fact added to (or took from) the score")
    text: str = Field(description="In the language asked for (Accept-Language: id or en)")


class CandidateOut(Schema):
    entry_id: int
    list: ListOut
    names: list[str] = Field(description="The entry's names and aliases, primary first")
    score: int = Field(description="0-100")
    action: str = Field(description="What to do on a confirmed match: arrest, report, "
                                    "discreet or refuse_permit")
    reasons: list[ReasonOut]
    valid_until: dt.date | None

    model_config = {"json_schema_extra": {"examples": [{
        "entry_id": 17, "list": {"id": 3, "name": "DPO Polda Metro Jaya", "kind": "wanted"},
        "names": ["WANG Xiaoming", "王小明"], "score": 100, "action": "arrest",
        "reasons": [{"code": "name_same", "points": 100.0,
                     "text": "Nama sama: WANG Xiao Ming = WANG Xiaoming"},
                    {"code": "birth_exact", "points": 8.0,
                     "text": "Tanggal lahir sama: 1985-03-21"}],
        "valid_until": "2026-06-30"}]}}


class ScreenOut(Schema):
    query: QueryOut
    threshold: int
    scorer_version: int = Field(description="Version of the scorer that gave the scores")
    candidates: list[CandidateOut]


def _error(problems: list[Problem], status: int = 422) -> HttpResponse:
    body = {**problems[0].as_dict(), "errors": [p.as_dict() for p in problems]}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


def _query(payload: ScreenIn) -> tuple[Record, list[Problem]]:
    """The request as the engine's record, or what is wrong with it, field by field."""
    problems: list[Problem] = []
    names: list[str] = []
    given = [("name", payload.name)] + [(f"names.{i}", n) for i, n in enumerate(payload.names)]
    for field, name in given:
        name = " ".join((name or "").split())
        if not name:
            continue
        if len(name) > NAME_MAX:
            problems.append(Problem(field, "invalid_name",
                                    f"Nama terlalu panjang (maks. {NAME_MAX} karakter).",
                                    f"The name is too long (at most {NAME_MAX} characters)."))
        elif not normalise(name):
            problems.append(Problem(field, "invalid_name",
                                    "Nama tidak berisi huruf yang dapat dibandingkan.",
                                    "The name has no letters to compare."))
        elif name not in names:
            names.append(name)
    if not names and not problems:
        problems.append(Problem("name", "name_required", "Nama wajib diisi.",
                                "A name is required."))
    birth_dates = ()
    try:
        birth = parse_date(payload.birth_date)
    except InvalidValue:
        problems.append(Problem(
            "birth_date", "invalid_birth_date",
            f"Tanggal lahir '{payload.birth_date}' tidak valid (TTTT-BB-HH, TTTT-BB atau TTTT).",
            f"The birth date '{payload.birth_date}' is not valid (YYYY-MM-DD, YYYY-MM or "
            "YYYY)."))
    else:
        birth_dates = (birth,) if birth else ()
    nationalities = ()
    if payload.nationality.strip():
        code = country_alpha3(payload.nationality)
        if code is None:
            problems.append(Problem(
                "nationality", "unknown_country",
                f"Kode negara '{payload.nationality}' tidak dikenal (ISO 3166 alfa-2 atau "
                "alfa-3).",
                f"Unknown country code '{payload.nationality}' (ISO 3166 alpha-2 or alpha-3)."))
        else:
            nationalities = (code,)
    sex = clean_sex(payload.sex)
    if payload.sex.strip() and not sex:
        problems.append(Problem("sex", "invalid_sex", "Jenis kelamin: M, F atau kosong.",
                                "Sex: M, F or empty."))
    document = clean_document(payload.passport_number)
    record = Record(id=payload.id.strip(), names=tuple(names), birth_dates=birth_dates,
                    nationalities=nationalities, documents=(document,) if document else (),
                    sex=sex)
    return record, problems


class _Shown:
    """What the access log names: the watchlist entry shown, or the name looked for."""

    def __init__(self, pk: int, label: str):
        self.pk, self.label = pk, label

    def __str__(self) -> str:
        return self.label


def _candidate(match) -> dict:
    extra = match.entry.extra
    return {
        "entry_id": extra["entry"],
        "list": {"id": extra["watchlist"], "name": extra["list"], "kind": extra["kind"]},
        "names": list(match.entry.names),
        "score": match.score,
        "action": extra["action"],
        "reasons": [{"code": r.code, "points": r.points, "text": reason_text(r.as_dict())}
                    for r in match.reasons],
        "valid_until": extra["valid_until"],
    }


@router.post("/screen", url_name="screen", **documented({200: ScreenOut}, {
    400: "",
    401: "",
    403: ("The user is not an officer or head of office, a lodging's token was sent, or "
          "the session's CSRF token is missing."),
    422: (f"`name_required`, `invalid_name` (longer than {NAME_MAX} characters or without "
          "letters), `invalid_birth_date`, `unknown_country`, `invalid_sex`, or a field "
          "beyond its limit (`names` at most 20, `limit` 1-50, `threshold` 1-100)."),
    429: "",
}))
def post_screen(request, payload: ScreenIn):
    """Screen one person against the watchlists the caller may see.

    The candidates scoring at least `threshold`, best first, each with the reasons for
    its score in the language of `Accept-Language` (id or en). Every call is recorded in
    the personal-data access log.
    """
    token = getattr(request, "user_token", None)
    limited = rate_limited(f"user-token:{token.pk}" if token else f"user:{request.user.pk}")
    if limited:
        return limited
    record, problems = _query(payload)
    if problems:
        return _error(problems)
    threshold = payload.threshold or settings.PORA_SCREEN_THRESHOLD
    matches = screen_query(record, user=request.user, limit=payload.limit,
                           threshold=threshold)
    candidates = [_candidate(m) for m in matches]
    shown = [_Shown(c["entry_id"], f"{c['list']['name']}: {c['names'][0]}"[:200])
             for c in candidates]
    # A screen that finds nothing still tells the caller that the name is not listed:
    # logged as the name looked for, with no entry (0).
    access_record(request=request, view="api_screen",
                  persons=shown or [_Shown(0, record.names[0][:200])])
    return Status(200, {
        "query": {"id": record.id, "names": list(record.names),
                  "birth_date": str(record.birth_dates[0]) if record.birth_dates else "",
                  "nationality": record.nationalities[0] if record.nationalities else "",
                  "passport_number": record.documents[0] if record.documents else "",
                  "sex": record.sex},
        "threshold": threshold,
        "scorer_version": SCORER_VERSION,
        "candidates": candidates,
    })
