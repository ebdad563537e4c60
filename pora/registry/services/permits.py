from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pora.core.audit import audit_record, diff, snapshot
from pora.core.bulk import filter_in
from pora.core.models import AdministrativeArea, AuditEvent, User
from pora.core.selectors import office_for_kelurahan
from pora.registry import events
from pora.registry.models import (
    PermitPurpose,
    PermitStatus,
    Person,
    Sponsor,
    StayPermit,
    VisaIndex,
)
from pora.registry.rules import stay_ends_on

PERMIT_FIELDS = (
    "number", "person", "kind", "visa_index", "purpose", "issue_date", "valid_from",
    "valid_until", "status", "cancelled_on", "departed_on", "sponsor", "employer",
    "kelurahan", "street", "office",
)


def chain_dates(permits: list[StayPermit]) -> list[StayPermit]:
    """Set each permit's succession and stay-end dates; return those that changed.

    A person's permits follow one another: an extension or a conversion (ITAS → ITAP)
    takes over on its first day, so the earlier permit stops governing then. Only the
    last permit can leave a person overstaying (Pasal 78).
    """
    ordered = sorted(permits, key=lambda p: (p.valid_from, p.pk or 0))
    changed = []
    for current, following in zip(ordered, [*ordered[1:], None]):
        superseded = following.valid_from if following is not None else None
        ends = stay_ends_on(_Dates(current, superseded))
        if current.superseded_on != superseded or current.stay_ends_on != ends:
            current.superseded_on = superseded
            current.stay_ends_on = ends
            changed.append(current)
    return changed


class _Dates:
    def __init__(self, permit: StayPermit, superseded_on: dt.date | None):
        self.valid_from = permit.valid_from
        self.valid_until = permit.valid_until
        self.cancelled_on = permit.cancelled_on
        self.departed_on = permit.departed_on
        self.superseded_on = superseded_on


def permits_recompute_chain(person_ids: Iterable[int]) -> int:
    """Recompute succession for these persons' permits; derived fields, so not audited."""
    by_person: dict[int, list[StayPermit]] = defaultdict(list)
    ids = list(set(person_ids))
    for start in range(0, len(ids), 5000):
        for permit in filter_in(StayPermit.objects.all(), "person_id", ids[start:start + 5000]).only(
            "id", "person_id", "valid_from", "valid_until", "cancelled_on", "departed_on",
            "superseded_on", "stay_ends_on",
        ):
            by_person[permit.person_id].append(permit)
    changed: list[StayPermit] = []
    for permits in by_person.values():
        changed.extend(chain_dates(permits))
    StayPermit.objects.bulk_update(changed, ["superseded_on", "stay_ends_on"], batch_size=2000)
    return len(changed)


@transaction.atomic
def permit_save(
    *,
    actor: User | None,
    person: Person,
    number: str,
    kind: str,
    purpose: str,
    valid_from: dt.date,
    valid_until: dt.date,
    visa_index: VisaIndex | None = None,
    issue_date: dt.date | None = None,
    status: str = PermitStatus.ACTIVE,
    cancelled_on: dt.date | None = None,
    departed_on: dt.date | None = None,
    sponsor: Sponsor | None = None,
    employer: str = "",
    kelurahan: AdministrativeArea | None = None,
    street: str = "",
) -> tuple[StayPermit, bool]:
    """Create the permit, or update it when its number is known (the natural key)."""
    number = number.strip().upper()
    permit = StayPermit.objects.select_for_update().filter(number=number).first()
    created = permit is None
    if permit is not None and permit.person_id != person.pk:
        raise ValidationError(
            {"number": _("Permit %(number)s is registered to another person.")
             % {"number": number}}
        )
    before = snapshot(permit, PERMIT_FIELDS) if permit else {}
    permit = permit or StayPermit(number=number, person=person)
    values = {
        "kind": kind, "purpose": purpose or PermitPurpose.OTHER, "valid_from": valid_from,
        "valid_until": valid_until, "visa_index": visa_index, "issue_date": issue_date,
        "status": status, "cancelled_on": cancelled_on, "departed_on": departed_on,
        "sponsor": sponsor, "employer": employer.strip(), "kelurahan": kelurahan,
        "street": street.strip(),
    }
    for name, value in values.items():
        setattr(permit, name, value)
    permit.office = office_for_kelurahan(kelurahan) or person.office
    permit.full_clean(exclude=["superseded_on", "stay_ends_on"])
    after = snapshot(permit, PERMIT_FIELDS)
    changed = diff(before, after)
    if not changed:
        return permit, False
    permit.save()
    permits_recompute_chain([person.pk])
    permit.refresh_from_db()
    audit_record(
        actor=actor, event=AuditEvent.CREATE if created else AuditEvent.UPDATE,
        action=_save_action(permit, created, before), obj=permit,
        office=permit.office_id, person_id=person.pk, changes=changed,
    )
    events.person_changed(person, trigger="permit", context={"permit": permit.pk})
    return permit, created


def _save_action(permit: StayPermit, created: bool, before: dict) -> str:
    """An extension is a new permit taking over from an earlier one (its chain has just
    been recomputed), or the same permit running longer; anything else is a new or a
    changed permit."""
    if created:
        extends = (StayPermit.objects.filter(person_id=permit.person_id,
                                             superseded_on=permit.valid_from)
                   .exclude(pk=permit.pk).exists())
        return "permit.extended" if extends else "permit.created"
    old_until = before.get("valid_until")
    if old_until and permit.valid_until and permit.valid_until.isoformat() > old_until:
        return "permit.extended"
    return "permit.changed"


def _permit_change(*, actor: User | None, permit: StayPermit, action: str, note: str = "",
                   **values):
    permit = StayPermit.objects.select_for_update().get(pk=permit.pk)
    before = snapshot(permit, PERMIT_FIELDS)
    for name, value in values.items():
        setattr(permit, name, value)
    permit.full_clean(exclude=["superseded_on", "stay_ends_on"])
    permit.save(update_fields=[*values, "updated_at"])
    permits_recompute_chain([permit.person_id])
    audit_record(actor=actor, event=AuditEvent.UPDATE, action=action, obj=permit,
                 office=permit.office_id, person_id=permit.person_id,
                 changes=diff(before, snapshot(permit, PERMIT_FIELDS)), note=note)
    permit.refresh_from_db()
    return permit


@transaction.atomic
def permit_record_departure(*, actor: User | None, permit: StayPermit,
                            departed_on: dt.date) -> StayPermit:
    if departed_on < permit.valid_from:
        raise ValidationError({"departed_on": _("Departure cannot be before the permit starts.")})
    return _permit_change(actor=actor, permit=permit, action="permit.departed",
                          departed_on=departed_on)


@transaction.atomic
def permit_cancel(*, actor: User | None, permit: StayPermit, cancelled_on: dt.date,
                  reason: str) -> StayPermit:
    # Pasal 75(2)(b): cancelling a stay permit is an administrative action; the reason
    # is kept with the audit entry.
    return _permit_change(actor=actor, permit=permit, action="permit.cancelled", note=reason,
                          status=PermitStatus.CANCELLED, cancelled_on=cancelled_on)
