from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from pora.core import clock
from pora.core.audit import audit_record, snapshot
from pora.core.models import AdministrativeArea, AuditEvent, User
from pora.core.selectors import office_for_kelurahan
from pora.registry.models import ChangeKind, ChangeReport, Person, Sponsor, StayPermit
from pora.registry.rules import change_deadline
from pora.registry.selectors import rules_on
from pora.registry.services.persons import person_update

REPORT_FIELDS = ("person", "kind", "event_date", "reported_on", "reported_by", "description",
                 "new_kelurahan", "new_street", "new_employer", "new_sponsor", "new_nationality",
                 "deadline")


def _current_permits(person: Person, on: dt.date):
    return StayPermit.objects.select_for_update().filter(
        Q(stay_ends_on__isnull=True) | Q(stay_ends_on__gt=on), person=person, valid_from__lte=on,
    )


@transaction.atomic
def change_report_create(
    *,
    actor: User,
    person: Person,
    kind: str,
    event_date: dt.date,
    reported_on: dt.date,
    reported_by: str,
    description: str = "",
    new_kelurahan: AdministrativeArea | None = None,
    new_street: str = "",
    new_employer: str = "",
    new_sponsor: Sponsor | None = None,
    new_nationality: str = "",
) -> ChangeReport:
    """Record a reported change and apply it to the person and their current permit.

    Pasal 71 (foreigner) and Pasal 63 (sponsor): the deadline is counted from the day of
    the change with the number of days in the rule set in force on that day.
    """
    if reported_on < event_date:
        raise ValidationError({"reported_on": _("A change cannot be reported before it happens.")})
    if reported_on > clock.today():
        raise ValidationError({"reported_on": _("The report date cannot be in the future.")})
    required = {
        ChangeKind.ADDRESS: ("new_kelurahan", new_kelurahan),
        ChangeKind.EMPLOYER: ("new_employer", new_employer),
        ChangeKind.SPONSOR: ("new_sponsor", new_sponsor),
        ChangeKind.NATIONALITY: ("new_nationality", new_nationality),
    }
    if kind in required and not required[kind][1]:
        raise ValidationError({required[kind][0]: _("This field is required for this change.")})
    rules = rules_on(event_date)
    report = ChangeReport(
        person=person, kind=kind, event_date=event_date, reported_on=reported_on,
        reported_by=reported_by, description=description.strip(),
        new_kelurahan=new_kelurahan, new_street=new_street.strip(),
        new_employer=new_employer.strip(), new_sponsor=new_sponsor,
        new_nationality=new_nationality, created_by=actor,
        deadline=change_deadline(event_date, days=rules.change_report_days),
    )
    report.full_clean()
    report.save()
    audit_record(actor=actor, event=AuditEvent.CREATE, action="change.reported", obj=report,
                 office=person.office_id,
                 person_id=person.pk,
                 changes={k: [None, v] for k, v in snapshot(report, REPORT_FIELDS).items()},
                 object_label=f"{report.get_kind_display()} — {person}")

    if kind == ChangeKind.ADDRESS:
        person_update(actor=actor, person=person, kelurahan=new_kelurahan, street=new_street)
        permit_values = {"kelurahan": new_kelurahan, "street": new_street.strip(),
                         "office": office_for_kelurahan(new_kelurahan) or person.office}
    elif kind == ChangeKind.NATIONALITY:
        person_update(actor=actor, person=person, nationality=new_nationality)
        permit_values = {}
    elif kind == ChangeKind.EMPLOYER:
        permit_values = {"employer": new_employer.strip()}
    elif kind == ChangeKind.SPONSOR:
        permit_values = {"sponsor": new_sponsor}
    else:
        permit_values = {}
    for permit in _current_permits(person, reported_on):
        before = snapshot(permit, list(permit_values))
        for name, value in permit_values.items():
            setattr(permit, name, value)
        after = snapshot(permit, list(permit_values))
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changed:
            permit.save(update_fields=[*permit_values, "updated_at"])
            audit_record(actor=actor, event=AuditEvent.UPDATE, action="permit.changed",
                         obj=permit, office=permit.office_id, person_id=person.pk,
                         changes=changed,
                         note=str(_("Change report #%(id)s") % {"id": report.pk}))
    return report
