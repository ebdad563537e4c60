"""API for lodging software: check-in, check-out, current guests (bearer token per lodging).

Retries are safe with an ``Idempotency-Key`` header (:mod:`pora.core.idempotency`): the
key is stored with its answer in the same transaction as the stay, so a retry or a
concurrent duplicate (which waits on the stay's or the key's unique index) answers with
the first response; the same key with another body is refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError
from django.http import HttpResponse
from django.urls import get_script_prefix, reverse
from ninja import Field, Path, Router, Schema, Status
from ninja.security import HttpBearer

from pora.core import clock
from pora.core.api import Problem, ProblemOut, documented, error_response, rate_limited
from pora.core.audit import client_ip
from pora.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from pora.core.idempotency import HEADER_DESCRIPTION as IDEMPOTENCY_DESCRIPTION
from pora.core.idempotency import KEY_MAX as IDEMPOTENCY_KEY_MAX
from pora.core.idempotency import Idempotency
from pora.lodging import selectors
from pora.lodging.linking import Guest
from pora.lodging.models import Source, Stay
from pora.lodging.mrz import MRZError, parse_mrz
from pora.lodging.receipts import receipt_for
from pora.lodging.services.errors import ReportRejected
from pora.lodging.services.reporters import token_authenticate
from pora.lodging.services.stays import (
    StayDetails,
    check_in,
    check_out,
    guest_from_mrz,
    guests_shown,
    partial_date,
    reported_stay,
    stay_warnings,
)


class LodgingToken(HttpBearer):
    openapi_description = "API token of one lodging (`pora token create --lodging NAME`)."

    def authenticate(self, request, token):
        found = token_authenticate(token, ip=client_ip(request))
        if found is not None:
            request.lodging_token = found
        return found


router = Router(auth=LodgingToken(), tags=["lodging"])

# The current guests' list answers at most this many.
GUESTS_MAX = 5000


class CheckInIn(Schema):
    mrz: str | None = Field(None, max_length=200, description=(
        "The machine readable zone (TD3, TD2 or TD1), lines separated by newlines. "
        "When given, the passport fields below are taken from it."))
    surname: str = Field("", max_length=100)
    given_names: str = Field("", max_length=150)
    nationality: str = Field("", max_length=60, description="ISO 3166 alpha-3 or alpha-2")
    sex: str = Field("X", max_length=1, description="M, F or X")
    birth_date: str = Field("", max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY")
    document_number: str = Field("", max_length=30)
    issuing_state: str = Field("", max_length=60)
    document_expiry: dt.date | None = None
    room: str = Field("", max_length=20)
    checked_in_at: dt.datetime
    expected_checkout: dt.date | None = None
    purpose: str = Field("", max_length=100)
    arrival_date: dt.date | None = None
    permit_number: str = Field("", max_length=40)


class StayOut(Schema):
    receipt_number: str
    surname: str
    given_names: str
    nationality: str
    document_number: str
    room: str
    checked_in_at: dt.datetime
    expected_checkout: dt.date | None
    checked_out_at: dt.datetime | None
    overdue: bool
    receipt_url: str
    verify_url: str


class CheckInOut(StayOut):
    created: bool
    verified_reporter: bool
    warnings: list[ProblemOut] = Field([], description=(
        "What the lodging should know about a check-in that was recorded all the same, "
        "e.g. `passport_expired`: the passport had expired before the check-in day (the "
        "guest is reported anyway and the immigration office is alerted)."))


RECEIPT_MAX = 24


class CheckOutIn(Schema):
    receipt_number: str = Field(..., max_length=RECEIPT_MAX)
    checked_out_at: dt.datetime | None = None


class GuestsOut(Schema):
    lodging: str
    count: int
    results: list[StayOut]


def _stay_out(request, stay: Stay, today: dt.date) -> dict:
    return {
        "receipt_number": stay.receipt_number, "surname": stay.surname,
        "given_names": stay.given_names, "nationality": stay.nationality,
        "document_number": stay.document_number, "room": stay.room,
        "checked_in_at": stay.checked_in_at, "expected_checkout": stay.expected_checkout,
        "checked_out_at": stay.checked_out_at, "overdue": stay.is_overdue(today),
        "receipt_url": request.build_absolute_uri(
            _receipt_path("api:lodging_receipt", stay.receipt_number)),
        "verify_url": request.build_absolute_uri(
            _receipt_path("lodging:verify_receipt", stay.receipt_number)),
    }


_RECEIPT_MARKER = "RECEIPTNUMBER"
_PLAIN_RECEIPT = re.compile(r"[A-Z0-9-]+")


@functools.lru_cache(maxsize=16)
def _receipt_path_pattern(name: str, script_prefix: str) -> str:
    return reverse(name, args=[_RECEIPT_MARKER])


def _receipt_path(name: str, number: str) -> str:
    """``reverse(name, args=[number])``, the pattern reversed once (every answer names
    two receipt URLs, and reversing costs more than the rest of the answer)."""
    if not _PLAIN_RECEIPT.fullmatch(number):  # never for the numbers issued here
        return reverse(name, args=[number])
    return _receipt_path_pattern(name, get_script_prefix()).replace(_RECEIPT_MARKER, number)


def _guest(payload: CheckInIn) -> tuple[Guest, str]:
    if payload.mrz:
        try:
            mrz = parse_mrz(payload.mrz, today=clock.today())
        except MRZError as exc:
            raise ReportRejected.one("mrz", f"mrz_{exc.field}", exc.message_id,
                                     exc.message_en) from exc
        return guest_from_mrz(mrz), Source.MRZ
    try:
        year, month, day = partial_date(payload.birth_date)
    except ValueError as exc:
        raise ReportRejected.one("birth_date", "invalid_birth_date",
                                 "Tanggal lahir tidak valid (TTTT-BB-HH).",
                                 "The birth date is not valid (YYYY-MM-DD).") from exc
    return Guest(surname=payload.surname, given_names=payload.given_names,
                 nationality=payload.nationality, document_number=payload.document_number,
                 issuing_state=payload.issuing_state, sex=(payload.sex or "X").upper(),
                 birth_year=year, birth_month=month, birth_day=day,
                 document_expiry=payload.document_expiry), Source.API


@router.post("/check-ins", url_name="lodging_check_in", **documented(
    {200: CheckInOut, 201: CheckInOut},
    {400: "", 401: "",
     403: "The lodging's account is not confirmed or is suspended (`account_not_active`).",
     422: ("What is wrong, field by field: e.g. `unknown_country`, "
           "`invalid_document_number`, `invalid_birth_date`, `name_required`, "
           "`check_in_in_future`, `check_in_too_old` (more than a year ago), "
           "`checkout_before_checkin`, `arrival_after_checkin`, `mrz_...` (an MRZ that "
           "does not read or whose check digits fail), `invalid_idempotency_key` (longer "
           f"than {IDEMPOTENCY_KEY_MAX}), `idempotency_key_reused` (the key was used with "
           "another body)."),
     429: ""},
    openapi_extra={"parameters": [{
        "name": IDEMPOTENCY_HEADER, "in": "header", "required": False,
        "description": IDEMPOTENCY_DESCRIPTION,
        "schema": {"type": "string", "maxLength": IDEMPOTENCY_KEY_MAX}}]}))
def post_check_in(request, payload: CheckInIn):
    """Report a foreign guest's check-in, by passport fields or by the MRZ.

    201 for a new stay, 200 when the same stay (same guest, lodging and check-in time)
    was already reported. Send an `Idempotency-Key` header to make retries safe.
    """
    token = request.lodging_token
    limited = rate_limited(f"lodging:{token.pk}")
    if limited:
        return limited
    idempotency = Idempotency.of(request, f"lodging:{token.pk}")
    if isinstance(idempotency, HttpResponse):
        return idempotency
    try:
        guest, source = _guest(payload)
        details = StayDetails(
            checked_in_at=payload.checked_in_at, room=payload.room,
            expected_checkout=payload.expected_checkout, purpose=payload.purpose,
            arrival_date=payload.arrival_date, permit_number=payload.permit_number)
        # The key is not looked up first: a retry of an answered report meets its own
        # stay's unique index (IntegrityError, below) and then the key; a concurrent copy
        # waits on the stay's or the key's unique index until the first commits. Either
        # way what this request did is rolled back and the first answer sent.
        try:
            return idempotency.answer(
                lambda: _check_in_answer(request, token, guest, source, details))
        except IntegrityError:
            # The stay was reported before under another key (or none), or a concurrent
            # copy of this report won the race: everything above rolled back, and the
            # answer is the stay recorded then.
            existing = reported_stay(lodging=token.lodging, guest=guest, details=details)
            if existing is None:
                raise
            return idempotency.answer(
                lambda: _check_in_answer(request, token, guest, source, details,
                                         existing=existing))
    except ReportRejected as exc:
        # A retry of a report answered before gets that answer even where the report
        # would be refused now (a suspended account, a check-in since grown too old).
        return idempotency.replay() or error_response(exc.status, exc.problems)


def _check_in_answer(request, token, guest: Guest, source: str, details: StayDetails,
                     existing: Stay | None = None) -> HttpResponse:
    """Record the check-in (or take the ``existing`` stay) and answer, inside the
    transaction that stores the Idempotency-Key.

    No savepoint around the stay: a report recorded before raises IntegrityError out of
    that transaction (see :func:`~pora.lodging.services.stays.check_in`).
    """
    if existing is None:
        stay, created = check_in(lodging=token.lodging, guest=guest, source=source,
                                 token=token, details=details, savepoint=False)
    else:
        stay, created = existing, False
    body = {**_stay_out(request, stay, clock.today()), "created": created,
            "verified_reporter": token.lodging.is_verified,
            "warnings": [w.as_dict() for w in stay_warnings(stay)]}
    # Written out once, for the client and for a retry's replay alike (the response
    # schema documents it; every report would otherwise be validated again).
    return HttpResponse(json.dumps(body, cls=DjangoJSONEncoder),
                        status=201 if created else 200, content_type="application/json")


@router.post("/check-outs", url_name="lodging_check_out", **documented(
    {200: StayOut},
    {400: "", 401: "", 404: "No such receipt at this lodging (field `receipt_number`).",
     409: "The guest has already checked out (`already_checked_out`).",
     422: ("`checkout_before_checkin`, `checkout_in_future`, or a field that is not "
           "valid."),
     429: ""}))
def post_check_out(request, payload: CheckOutIn):
    """Report that a guest left. Repeating it answers 409 `already_checked_out`."""
    token = request.lodging_token
    limited = rate_limited(f"lodging:{token.pk}")
    if limited:
        return limited
    stay = selectors.stays_for_lodging(token.lodging).filter(
        receipt_number=payload.receipt_number.strip().upper()).first()
    if stay is None:
        return error_response(404, [Problem("receipt_number", "not_found",
                                    "Tanda terima tidak ditemukan di penginapan ini.",
                                    "No such receipt at this lodging.")])
    try:
        stay = check_out(stay=stay, at=payload.checked_out_at, token=token)
    except ReportRejected as exc:
        return error_response(exc.status, exc.problems)
    guests_shown(request, token.lodging, [stay], "api_lodging_check_out", token=token)
    return Status(200, _stay_out(request, stay, clock.today()))


@router.get("/guests", url_name="lodging_guests", description=(
    f"The lodging's current guests (not checked out), newest first: at most {GUESTS_MAX}."),
    **documented({200: GuestsOut}, {400: "", 401: "", 429: ""}))
def get_guests(request):
    """The lodging's current guests (not checked out), newest first."""
    token = request.lodging_token
    limited = rate_limited(f"lodging:{token.pk}")
    if limited:
        return limited
    stays = list(selectors.stays_for_lodging(token.lodging).filter(
        checked_out_at__isnull=True)[:GUESTS_MAX])
    # Hotel software polls this list: each guest is logged once a day.
    guests_shown(request, token.lodging, stays, "api_lodging_guests", token=token,
                 once_a_day=True)
    today = clock.today()
    return Status(200, {"lodging": token.lodging.name, "count": len(stays),
                        "results": [_stay_out(request, s, today) for s in stays]})


@router.get("/check-ins/{receipt_number}/receipt.pdf", url_name="lodging_receipt",
            **documented(
                {}, {400: "", 401: "", 404: "No such receipt at this lodging.",
                     422: f"`receipt_number` is longer than {RECEIPT_MAX} characters.",
                     429: ""},
                openapi_extra={"responses": {"200": {
                    "description": "The receipt (Tanda Terima Pelaporan Orang Asing) as PDF",
                    "content": {"application/pdf": {"schema": {"type": "string",
                                                               "format": "binary"}}}}}}))
def get_receipt(request, receipt_number: str = Path(..., max_length=RECEIPT_MAX)):
    """The receipt PDF of one of the lodging's reports."""
    token = request.lodging_token
    limited = rate_limited(f"lodging:{token.pk}")
    if limited:
        return limited
    stay = selectors.stays_for_lodging(token.lodging).filter(
        receipt_number=receipt_number.upper()).select_related("lodging", "office").first()
    if stay is None:
        return error_response(404, [Problem("receipt_number", "not_found",
                                    "Tanda terima tidak ditemukan di penginapan ini.",
                                    "No such receipt at this lodging.")])
    guests_shown(request, token.lodging, [stay], "api_lodging_receipt", token=token)
    return receipt_for(request, stay)
