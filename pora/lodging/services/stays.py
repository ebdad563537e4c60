"""Check-in, check-out and link correction: every report goes through here and is audited."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.utils import timezone

from pora.core import clock
from pora.core.api import Problem
from pora.core.audit import access_record, audit_record, snapshot
from pora.core.countries import to_alpha3
from pora.core.models import AuditEvent, User
from pora.core.rows import Insert
from pora.lodging.linking import Guest, find_link
from pora.lodging.models import ApiToken, LinkMethod, Lodging, Stay
from pora.lodging.services.errors import ReportRejected
from pora.registry import events
from pora.registry.models import Person, TravelDocument
from pora.registry.services.persons import person_create

STAY_FIELDS = ("lodging", "person", "link_method", "surname", "given_names", "sex",
               "birth_year", "birth_month", "birth_day", "nationality", "document_number",
               "issuing_state", "room", "checked_in_at", "expected_checkout", "purpose",
               "arrival_date", "permit_number", "source", "receipt_number")
CLOCK_SKEW = dt.timedelta(minutes=10)
# A report of a stay that began longer ago than this is a data-entry error.
OLDEST_CHECK_IN = dt.timedelta(days=366)
_DOCUMENT = re.compile(r"^[A-Z0-9]{1,20}$")
_RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L


@dataclass(frozen=True)
class StayDetails:
    checked_in_at: dt.datetime
    room: str = ""
    expected_checkout: dt.date | None = None
    purpose: str = ""
    arrival_date: dt.date | None = None
    permit_number: str = ""


def _problem(field: str, code: str, message_id: str, message_en: str) -> Problem:
    return Problem(field, code, message_id, message_en)


def clean_guest(guest: Guest, *, today: dt.date) -> tuple[Guest, list[Problem]]:
    """Normalise what was reported and say what is wrong with it, field by field."""
    problems = []
    surname, given = guest.surname.strip().upper(), guest.given_names.strip().upper()
    if not surname and not given:
        problems.append(_problem("surname", "name_required", "Nama tamu wajib diisi.",
                                 "The guest's name is required."))
    nationality = to_alpha3(guest.nationality)
    if nationality is None:
        problems.append(_problem(
            "nationality", "unknown_country",
            f"Kode kewarganegaraan '{guest.nationality}' tidak dikenal.",
            f"Unknown nationality code '{guest.nationality}'."))
    issuing = to_alpha3(guest.issuing_state) if guest.issuing_state else nationality
    if guest.issuing_state and issuing is None:
        problems.append(_problem(
            "issuing_state", "unknown_country",
            f"Kode negara penerbit '{guest.issuing_state}' tidak dikenal.",
            f"Unknown issuing state code '{guest.issuing_state}'."))
    number = guest.document_number.upper().replace(" ", "").replace("<", "")
    if not _DOCUMENT.match(number):
        problems.append(_problem(
            "document_number", "invalid_document_number",
            "Nomor paspor wajib diisi: huruf A-Z dan angka saja, paling banyak 20.",
            "The passport number is required: letters A-Z and digits only, at most 20."))
    year, month, day = guest.birth_year, guest.birth_month, guest.birth_day
    try:
        if day is not None and month is None or month is not None and year is None:
            raise ValueError
        if year is not None:
            born = dt.date(year, month or 1, day or 1)
            if year < 1900 or born > today:
                raise ValueError
    except (ValueError, TypeError):
        problems.append(_problem("birth_date", "invalid_birth_date",
                                 "Tanggal lahir tidak valid.", "The birth date is not valid."))
    sex = guest.sex if guest.sex in {"M", "F", "X"} else "X"
    return replace(guest, surname=surname, given_names=given, nationality=nationality or "",
                   issuing_state=issuing or "", document_number=number, sex=sex), problems


def clean_details(details: StayDetails, *, now: dt.datetime) -> list[Problem]:
    problems = []
    checked_in = details.checked_in_at
    if timezone.is_naive(checked_in):
        checked_in = timezone.make_aware(checked_in)
    if checked_in > now + CLOCK_SKEW:
        problems.append(_problem("checked_in_at", "check_in_in_future",
                                 "Waktu check-in tidak boleh di masa depan.",
                                 "The check-in time cannot be in the future."))
    elif checked_in < now - OLDEST_CHECK_IN:
        problems.append(_problem("checked_in_at", "check_in_too_old",
                                 "Waktu check-in lebih dari setahun yang lalu.",
                                 "The check-in time is more than a year ago."))
    check_in_day = timezone.localtime(checked_in).date()
    if details.expected_checkout is not None and details.expected_checkout < check_in_day:
        problems.append(_problem("expected_checkout", "checkout_before_checkin",
                                 "Rencana check-out sebelum check-in.",
                                 "The expected check-out is before the check-in."))
    if details.arrival_date is not None and details.arrival_date > check_in_day:
        problems.append(_problem("arrival_date", "arrival_after_checkin",
                                 "Tanggal kedatangan di Indonesia setelah check-in.",
                                 "The arrival in Indonesia is after the check-in."))
    return problems


def partial_date(text: str) -> tuple[int | None, int | None, int | None]:
    """``"1974-08-12"``, ``"1974-08"``, ``"1974"`` or ``""`` → (year, month, day).

    Passports may print only a year, or a year and month, of birth. Raises ValueError.
    """
    text = (text or "").strip()
    if not text:
        return None, None, None
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if match is None:
        raise ValueError(text)
    year, month, day = (int(x) if x else None for x in match.groups())
    dt.date(year, month or 1, day or 1)  # raises ValueError for 1980-13-45
    return year, month, day


def guest_from_mrz(mrz) -> Guest:
    """The guest as the machine readable zone (already check-digit verified) gives it."""
    born = mrz.birth_date
    return Guest(
        surname=mrz.surname, given_names=mrz.given_names, nationality=mrz.nationality,
        document_number=mrz.document_number, issuing_state=mrz.issuing_state, sex=mrz.sex,
        birth_year=born.year if born else None, birth_month=born.month if born else None,
        birth_day=born.day if born else None, document_expiry=mrz.expiry_date,
    )


def stay_warnings(stay: Stay) -> list[Problem]:
    """What the reporter should know about a check-in that was recorded all the same."""
    if not stay.passport_expired:
        return []
    # Reported anyway (Pasal 72); a foreigner must hold a valid travel document (UU 6/2011
    # Pasal 8): the office is alerted (rule expired_passport).
    expired = stay.document_expiry
    return [_problem(
        "document_expiry", "passport_expired",
        f"Paspor tamu sudah habis berlaku pada {expired:%d-%m-%Y}. Check-in tetap dicatat dan "
        "kantor imigrasi diberi tahu.",
        f"The guest's passport expired on {expired:%Y-%m-%d}. The check-in is recorded and "
        "the immigration office is alerted.")]


def _receipt_number(day: dt.date) -> str:
    suffix = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(8))
    return f"{day:%y%m%d}-{suffix}"


def _new_person(*, actor: User | None, lodging: Lodging, guest: Guest,
                conflicting_document: bool) -> Person:
    return person_create(
        actor=actor, office=lodging.office, surname=guest.surname,
        given_names=guest.given_names, nationality=guest.nationality, sex=guest.sex,
        birth_year=guest.birth_year, birth_month=guest.birth_month, birth_day=guest.birth_day,
        kelurahan=lodging.kelurahan, street=f"{lodging.name}, {lodging.street}"[:200],
        # A number another foreigner already holds (another birth date or nationality) is
        # kept on the stay only; the officer resolves which record is right.
        document_number="" if conflicting_document else guest.document_number,
        document_state=guest.issuing_state, document_expiry=guest.document_expiry,
        # Called inside check_in's transaction, which (or whose savepoint) an error undoes.
        savepoint=False,
    )


def check_in(*, lodging: Lodging, guest: Guest, details: StayDetails, source: str,
             actor: User | None = None, token: ApiToken | None = None,
             now: dt.datetime | None = None, evaluate: bool = True,
             savepoint: bool = True) -> tuple[Stay, bool]:
    """Record a guest's check-in. Returns the stay and whether it is new.

    The same guest at the same lodging and check-in time is the same stay: a re-sent
    report returns the stay already recorded. Raises :class:`ReportRejected` (nothing
    saved) when the report is wrong.

    Inside a transaction, a savepoint undoes what a re-sent report's linking did. A caller
    that would rather not pay for it on every report passes ``savepoint=False``: a re-sent
    report then raises :class:`~django.db.IntegrityError`, the caller rolls its
    transaction back and answers with :func:`reported_stay`.
    """
    now = now or clock.now()
    if not lodging.can_report:
        raise ReportRejected.one(
            "lodging", "account_not_active",
            "Akun pelapor belum dikonfirmasi atau sedang ditangguhkan.",
            "The reporter account is not confirmed or is suspended.", status=403)
    guest, problems = clean_guest(guest, today=timezone.localtime(now).date())
    problems += clean_details(details, now=now)
    if problems:
        raise ReportRejected(problems)
    checked_in = _check_in_time(details)
    # No look-up first: a report sent again is rare, and the natural key's unique index
    # finds it (the savepoint undoes whatever linking had created meanwhile).
    try:
        with transaction.atomic(savepoint=savepoint):
            stay = _record(lodging=lodging, guest=guest, details=details, checked_in=checked_in,
                           source=source, actor=actor, token=token, now=now)
            # Screened after the commit, once with the foreigner this report may have
            # created: the hit names the stay, and screening never holds up or undoes
            # the report (a re-sent report rolls back above and screens nothing).
            events.person_changed(stay.person, trigger="check_in", context={"stay": stay.pk})
    except IntegrityError:
        # The same report again, or a concurrent copy of it that won the race.
        existing = None if not savepoint else _reported(lodging, guest, checked_in)
        if existing is None:
            raise
        return existing, False
    if evaluate:
        from pora.lodging.services.alerts import evaluate_stay

        # A foreigner this report created has no other stay and no permit yet.
        evaluate_stay(stay, now=now, new_person=stay.link_method == LinkMethod.NEW)
    return stay, True


def _check_in_time(details: StayDetails) -> dt.datetime:
    checked_in = details.checked_in_at
    if timezone.is_naive(checked_in):
        checked_in = timezone.make_aware(checked_in)
    return checked_in.replace(microsecond=0)


def _reported(lodging: Lodging, guest: Guest, checked_in: dt.datetime) -> Stay | None:
    return Stay.objects.filter(
        lodging=lodging, document_number=guest.document_number,
        nationality=guest.nationality, checked_in_at=checked_in).first()


def reported_stay(*, lodging: Lodging, guest: Guest, details: StayDetails) -> Stay | None:
    """The stay already recorded for this report (same guest, lodging and check-in
    time), if any: what :func:`check_in` with ``savepoint=False`` refused to record twice."""
    guest, _problems = clean_guest(guest, today=clock.today())
    return _reported(lodging, guest, _check_in_time(details))


# Every report writes a stay, and some a passport: by SQL written once (rows.Insert).
_STAY_INSERT = Insert(Stay)
_DOCUMENT_INSERT = Insert(TravelDocument, unless_exists=("number", "issuing_state"))


def _record(*, lodging, guest, details, checked_in, source, actor, token, now) -> Stay:
    link = find_link(guest)
    person = link.person
    if person is None:
        person = _new_person(actor=actor, lodging=lodging, guest=guest,
                             conflicting_document=bool(link.facts.get("conflicts")))
    elif link.method == LinkMethod.NAME and not link.facts.get("conflicts"):
        # The registry learns the passport the guest showed (unless it holds it already).
        document = TravelDocument(person=person, number=guest.document_number,
                                  issuing_state=guest.issuing_state,
                                  expiry_date=guest.document_expiry)
        if _DOCUMENT_INSERT.save(document):
            audit_record(actor=actor, event=AuditEvent.UPDATE, action="stay.document_learned",
                         obj=person, office=person.office_id, person_id=person.pk,
                         changes={"document": [
                             None, f"{guest.document_number} ({guest.issuing_state})"]},
                         note="document from lodging report")
    stay = Stay(
        lodging=lodging, office_id=lodging.office_id, person=person, link_method=link.method,
        link_facts=link.facts, surname=guest.surname, given_names=guest.given_names,
        sex=guest.sex, birth_year=guest.birth_year, birth_month=guest.birth_month,
        birth_day=guest.birth_day, nationality=guest.nationality,
        document_number=guest.document_number, issuing_state=guest.issuing_state,
        document_expiry=guest.document_expiry, room=details.room.strip()[:20],
        checked_in_at=checked_in, expected_checkout=details.expected_checkout,
        purpose=details.purpose.strip()[:100], arrival_date=details.arrival_date,
        permit_number=details.permit_number.strip().upper()[:40], source=source,
        reported_at=now, reported_by=actor, token=token,
        receipt_number=_receipt_number(timezone.localtime(now).date()),
    )
    _STAY_INSERT.save(stay)
    audit_record(actor=actor, event=AuditEvent.CREATE, action="stay.checked_in", obj=stay,
                 office=lodging.office_id,
                 person_id=person.pk, object_label=f"{stay.receipt_number} {stay.guest_name}",
                 changes={k: [None, v] for k, v in snapshot(stay, STAY_FIELDS).items()},
                 note=f"token {token.prefix}" if token else "")
    return stay


def check_out(*, stay: Stay, at: dt.datetime | None = None, actor: User | None = None,
              token: ApiToken | None = None, now: dt.datetime | None = None) -> Stay:
    now = now or clock.now()
    at = at or now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    with transaction.atomic():
        stay = Stay.objects.select_for_update().get(pk=stay.pk)
        if stay.checked_out_at is not None:
            raise ReportRejected.one(
                "stay", "already_checked_out", "Tamu ini sudah check-out.",
                "This guest has already checked out.", status=409)
        if at < stay.checked_in_at:
            raise ReportRejected.one(
                "checked_out_at", "checkout_before_checkin",
                "Waktu check-out sebelum waktu check-in.",
                "The check-out time is before the check-in time.")
        if at > now + CLOCK_SKEW:
            raise ReportRejected.one(
                "checked_out_at", "checkout_in_future",
                "Waktu check-out tidak boleh di masa depan.",
                "The check-out time cannot be in the future.")
        stay.checked_out_at, stay.checked_out_by = at.replace(microsecond=0), actor
        stay.save(update_fields=["checked_out_at", "checked_out_by"])
        audit_record(actor=actor, event=AuditEvent.UPDATE, action="stay.checked_out", obj=stay,
                     office=stay.office_id, person_id=stay.person_id,
                     object_label=stay.receipt_number,
                     changes={"checked_out_at": [None, stay.checked_out_at]},
                     note=f"token {token.prefix}" if token else "")
    return stay


@transaction.atomic
def stay_relink(*, actor: User, stay: Stay, person: Person | None) -> Stay:
    """An officer corrects who the guest is; ``None`` records the guest as a new foreigner."""
    stay = Stay.objects.select_for_update().select_related("lodging", "lodging__office").get(
        pk=stay.pk)
    before = stay.person_id
    if person is None:
        person = _new_person(
            actor=actor, lodging=stay.lodging, conflicting_document=True,
            guest=Guest(surname=stay.surname, given_names=stay.given_names,
                        nationality=stay.nationality, document_number=stay.document_number,
                        issuing_state=stay.issuing_state, sex=stay.sex,
                        birth_year=stay.birth_year, birth_month=stay.birth_month,
                        birth_day=stay.birth_day))
    if person.pk == before:
        return stay
    stay.person = person
    stay.link_method = LinkMethod.OFFICER
    stay.link_facts = {"officer": actor.get_username(), "previous": before}
    stay.save(update_fields=["person", "link_method", "link_facts"])
    audit_record(actor=actor, event=AuditEvent.UPDATE, action="stay.relinked", obj=stay,
                 office=stay.office_id, person_id=person.pk, object_label=stay.receipt_number,
                 changes={"person": [before, person.pk]})
    transaction.on_commit(lambda: _reevaluate(stay.pk))
    return stay


def _reevaluate(stay_id: int) -> None:
    from pora.lodging.services.alerts import evaluate_stay

    evaluate_stay(Stay.objects.select_related("lodging").get(pk=stay_id))


class _GuestLabel:
    """A stay as the access log names it: the linked person, labelled as reported."""

    def __init__(self, stay: Stay):
        self.pk = stay.person_id
        self.label = stay.guest_name

    def __str__(self) -> str:
        return self.label


def guests_shown(request, lodging: Lodging, stays: Iterable[Stay], view: str, *,
                 token: ApiToken | None = None, once_a_day: bool = False) -> None:
    """Log that a lodging's staff (or its software, by ``token``) was shown these guests'
    passport data, for the head of the lodging's office to read (UU PDP Pasal 31).

    ``once_a_day`` for a list software polls: each guest is then logged once a day.
    """
    reader = None if token is None else f"API token {token.prefix}… ({lodging.name})"
    access_record(request=request, persons=[_GuestLabel(s) for s in stays], view=view,
                  office=lodging.office_id, reader=reader, once_a_day=once_a_day)
