"""Writes on the registry's reference data: visa index codes and rule sets. The
administrator's pages call these; each change leaves an audit row in its transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pora.core.audit import audit_record, diff, snapshot
from pora.core.models import AuditEvent, User
from pora.registry.models import RuleSet, StayPermit, VisaIndex
from pora.registry.visa_codes import normalise_code

VISA_INDEX_EDITABLE = ("description", "description_en", "permit_kind", "valid_from",
                       "valid_until", "replaces", "source")
VISA_INDEX_FIELDS = ("code", "scheme", *VISA_INDEX_EDITABLE, "is_active")
RULE_SET_FIELDS = ("valid_from", "legal_basis", "expiring_within_days", "overstay_fee_per_day",
                   "overstay_deportation_days", "change_report_days")


def _replaces(text: str) -> str:
    return " ".join(normalise_code(c) for c in text.replace(",", " ").split())


@transaction.atomic
def visa_index_create(*, actor: User, code: str, scheme: str, description: str,
                      permit_kind: str = "", valid_from: dt.date,
                      valid_until: dt.date | None = None, description_en: str = "",
                      replaces: str = "", source: str = "") -> VisaIndex:
    code = normalise_code(code)
    if not code.isalnum():
        raise ValidationError(_("A visa index code holds only letters and digits."))
    if VisaIndex.objects.filter(code=code, scheme=scheme.strip()).exists():
        raise ValidationError(_("Code %(code)s already exists in scheme %(scheme)s.")
                              % {"code": code, "scheme": scheme.strip()})
    visa = VisaIndex(code=code, scheme=scheme.strip(), description=description.strip(),
                     description_en=description_en.strip(), permit_kind=permit_kind,
                     valid_from=valid_from, valid_until=valid_until,
                     replaces=_replaces(replaces), source=source.strip())
    visa.full_clean()
    visa.save()
    audit_record(actor=actor, event=AuditEvent.CREATE, obj=visa,
                 changes={k: [None, v] for k, v in snapshot(visa, VISA_INDEX_FIELDS).items()},
                 note=_("Visa index code added"))
    return visa


@transaction.atomic
def visa_index_update(*, actor: User, visa: VisaIndex, description: str, permit_kind: str,
                      valid_from: dt.date, valid_until: dt.date | None,
                      description_en: str = "", replaces: str = "",
                      source: str = "") -> VisaIndex:
    """Change what a code means or when it was in use; its code and scheme stay (permits
    refer to the row)."""
    visa = VisaIndex.objects.select_for_update().get(pk=visa.pk)
    before = snapshot(visa, VISA_INDEX_EDITABLE)
    visa.description, visa.description_en = description.strip(), description_en.strip()
    visa.permit_kind, visa.valid_from, visa.valid_until = permit_kind, valid_from, valid_until
    visa.replaces, visa.source = _replaces(replaces), source.strip()
    visa.full_clean()
    changed = diff(before, snapshot(visa, VISA_INDEX_EDITABLE))
    if changed:
        visa.save(update_fields=list(changed))
        audit_record(actor=actor, event=AuditEvent.UPDATE, obj=visa, changes=changed,
                     note=_("Visa index code changed"))
    return visa


@transaction.atomic
def visa_index_set_active(*, actor: User, visa: VisaIndex, active: bool) -> VisaIndex:
    """Deactivate a code (imports then refuse it; permits keep it) or bring it back."""
    visa = VisaIndex.objects.select_for_update().get(pk=visa.pk)
    if visa.is_active != active:
        visa.is_active = active
        visa.save(update_fields=["is_active"])
        audit_record(actor=actor, event=AuditEvent.UPDATE, obj=visa,
                     changes={"is_active": [not active, active]},
                     note=_("Visa index code activated") if active
                     else _("Visa index code deactivated"))
    return visa


def visa_index_in_use(visa: VisaIndex) -> bool:
    # StayPermit.visa_index has no index of its own: exists() stops at the first permit.
    return StayPermit.objects.filter(visa_index_id=visa.pk).exists()


@transaction.atomic
def visa_index_delete(*, actor: User, visa: VisaIndex) -> None:
    """Remove a code no permit carries (a mistyped one); a code in use is deactivated."""
    visa = VisaIndex.objects.select_for_update().get(pk=visa.pk)
    if visa_index_in_use(visa):
        raise ValidationError(_("Permits carry code %(code)s: deactivate it instead of "
                                "deleting it.") % {"code": visa.code})
    audit_record(actor=actor, event=AuditEvent.DELETE, obj=visa,
                 changes={k: [v, None] for k, v in snapshot(visa, VISA_INDEX_FIELDS).items()},
                 note=_("Visa index code deleted"))
    visa.delete()


@transaction.atomic
def rule_set_create(*, actor: User, valid_from: dt.date, legal_basis: str,
                    expiring_within_days: int, overstay_fee_per_day: int,
                    overstay_deportation_days: int, change_report_days: int) -> RuleSet:
    """A new rule set in force from ``valid_from``. Rule sets already in force are never
    edited: the standing of a permit on a past day stays what the rules of that day said.
    """
    # Serialise concurrent additions: both would otherwise pass the check below.
    latest = RuleSet.objects.select_for_update().order_by("-valid_from").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise ValidationError(_("A new rule set must take force after the latest one "
                                "(%(date)s).") % {"date": latest.valid_from.strftime("%d-%m-%Y")})
    rules = RuleSet(valid_from=valid_from, legal_basis=legal_basis.strip(),
                    expiring_within_days=expiring_within_days,
                    overstay_fee_per_day=overstay_fee_per_day,
                    overstay_deportation_days=overstay_deportation_days,
                    change_report_days=change_report_days)
    rules.full_clean()
    rules.save()
    audit_record(actor=actor, event=AuditEvent.CREATE, obj=rules,
                 changes={k: [None, v] for k, v in snapshot(rules, RULE_SET_FIELDS).items()},
                 note=_("Rule set added"))
    return rules
