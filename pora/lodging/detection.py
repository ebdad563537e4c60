"""Detection rules over lodging reports: one small pure function per rule.

Each rule takes plain facts (no queries) and its thresholds, and returns a
:class:`Finding` or ``None``. :mod:`pora.lodging.services.alerts` gathers the facts, runs
the rules on every report and nightly, and turns findings into de-duplicated alerts.
Thresholds live in settings (``PORA_LODGING_*``) so an office can tune them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pora.alerts.rules import Finding
from pora.registry.rules import Assessment, Standing


@dataclass(frozen=True)
class Thresholds:
    # Offices expect a report within 1×24 hours of check-in (practice under Pasal 72).
    report_within_hours: int = 24
    hopping_lodgings: int = 3
    hopping_days: int = 14
    silent_days: int = 7
    # "Usually reports": at least this many reports in the window before the silence.
    usual_reports: int = 4
    usual_window_days: int = 30
    # A1 visa-free short stay and B1 visa on arrival: 30 days (extension needs a permit).
    visa_free_days: int = 30

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(**getattr(settings, "PORA_LODGING_THRESHOLDS", {}))


@dataclass(frozen=True)
class StayFacts:
    id: int
    person_id: int
    lodging_id: int
    lodging_name: str
    checked_in_at: dt.datetime
    reported_at: dt.datetime
    checked_out_at: dt.datetime | None = None
    expected_checkout: dt.date | None = None
    arrival_date: dt.date | None = None
    document_number: str = ""
    document_expiry: dt.date | None = None


EXPLANATIONS = {
    "late_report": _("Reported %(hours)s hours after check-in at %(lodging)s; the report is "
                     "due within %(limit)s hours (Pasal 72)."),
    "overlapping": _("Checked in at %(lodging)s on %(checked_in)s while still staying at "
                     "%(other_lodging)s (checked in %(other_checked_in)s)."),
    "hopping": _("Stayed at %(count)s lodgings within %(days)s days: %(lodgings)s."),
    "no_valid_permit_expired": _("Staying at %(lodging)s on %(on)s although the stay permit "
                                 "expired %(days)s days ago (Pasal 78)."),
    "no_valid_permit_none": _("Staying at %(lodging)s on %(on)s with no stay permit on record, "
                              "on day %(days)s since arrival on %(arrived)s: beyond the "
                              "%(limit)s-day visa-free or visa-on-arrival stay."),
    "silent_lodging": _("%(lodging)s sent %(usual)s reports in the %(window)s days before "
                        "and none for %(silent)s days (last report %(last)s)."),
    "expired_passport": _("Checked in at %(lodging)s on %(checked_in)s with passport "
                          "%(document)s, which expired on %(expired)s (UU 6/2011 Pasal 8: a "
                          "foreigner must hold a valid travel document)."),
}


def explain(rule: str, facts: dict[str, Any]) -> str:
    """A lodging rule's finding in the reader's language."""
    if rule == "no_valid_permit":
        rule = f"{rule}_{facts.get('variant', 'none')}"
    template = EXPLANATIONS.get(rule)
    if template is None:
        return rule
    try:
        return str(template) % facts
    except (KeyError, TypeError, ValueError):
        return str(template)


def _day(moment: dt.datetime) -> str:
    return moment.date().isoformat()


def _end(stay: StayFacts, now: dt.datetime) -> dt.datetime:
    """When a stay ends for comparison: its check-out, else now (it is still going on)."""
    return stay.checked_out_at or now


# ------------------------------------------------------------------------------ rules


def late_report(stay: StayFacts, *, limits: Thresholds) -> Finding | None:
    delay = stay.reported_at - stay.checked_in_at
    if delay <= dt.timedelta(hours=limits.report_within_hours):
        return None
    return Finding(
        "late_report", f"late_report:stay:{stay.id}",
        {"hours": int(delay.total_seconds() // 3600), "limit": limits.report_within_hours,
         "lodging": stay.lodging_name},
        person_id=stay.person_id, lodging_id=stay.lodging_id, stay_id=stay.id,
    )


def overlapping(stay: StayFacts, others: Iterable[StayFacts], *, now: dt.datetime,
                limits: Thresholds) -> Finding | None:
    """Checked in somewhere while a stay at another lodging was still running."""
    for other in sorted(others, key=lambda s: s.checked_in_at):
        if other.id == stay.id or other.lodging_id == stay.lodging_id:
            continue
        if other.checked_in_at < _end(stay, now) and stay.checked_in_at < _end(other, now):
            first, second = sorted((stay, other), key=lambda s: (s.checked_in_at, s.id))
            return Finding(
                "overlapping", f"overlapping:stays:{first.id}:{second.id}",
                {"lodging": second.lodging_name, "checked_in": _day(second.checked_in_at),
                 "other_lodging": first.lodging_name,
                 "other_checked_in": _day(first.checked_in_at)},
                person_id=stay.person_id, lodging_id=second.lodging_id, stay_id=second.id,
            )
    return None


def hopping(stay: StayFacts, others: Iterable[StayFacts], *,
            limits: Thresholds) -> Finding | None:
    """At ``hopping_lodgings`` or more lodgings within ``hopping_days`` ending at this stay."""
    window = dt.timedelta(days=limits.hopping_days)
    recent = [s for s in [stay, *others]
              if stay.checked_in_at - window < s.checked_in_at <= stay.checked_in_at]
    names = {}
    for s in sorted(recent, key=lambda s: s.checked_in_at):
        names.setdefault(s.lodging_id, s.lodging_name)
    if len(names) < limits.hopping_lodgings:
        return None
    # One alert per person and fortnight, however many more lodgings follow.
    start = min(s.checked_in_at for s in recent)
    period = start.date().toordinal() // limits.hopping_days
    return Finding(
        "hopping", f"hopping:person:{stay.person_id}:{period}",
        {"count": len(names), "days": limits.hopping_days,
         "lodgings": ", ".join(names.values())},
        person_id=stay.person_id, lodging_id=stay.lodging_id, stay_id=stay.id,
    )


def no_valid_permit(stay: StayFacts, standing: Assessment | None, *, on: dt.date,
                    first_seen: dt.date, limits: Thresholds) -> Finding | None:
    """A guest whose stay permit has expired (Pasal 78), or who has no permit on record
    and has been in Indonesia longer than a visa-free or visa-on-arrival stay allows.

    ``standing`` is the registry's assessment of the person's permits on ``on``;
    ``first_seen`` the earliest day the person is known to have been here when no arrival
    date was reported (their first reported stay).
    """
    facts: dict[str, Any] = {"lodging": stay.lodging_name, "on": on.isoformat()}
    if standing is not None and standing.standing in {Standing.OVERSTAY_FEE,
                                                      Standing.OVERSTAY_DEPORT}:
        facts.update(variant="expired", days=standing.overstay_days)
    elif standing is not None and standing.present:
        return None
    else:
        arrived = stay.arrival_date or first_seen
        days = (on - arrived).days + 1  # the day of arrival counts as the first day
        if days <= limits.visa_free_days:
            return None
        facts.update(variant="none", days=days, arrived=arrived.isoformat(),
                     limit=limits.visa_free_days)
    return Finding(
        "no_valid_permit", f"no_valid_permit:person:{stay.person_id}:lodging:{stay.lodging_id}",
        facts,
        person_id=stay.person_id, lodging_id=stay.lodging_id, stay_id=stay.id,
    )


def expired_passport(stay: StayFacts) -> Finding | None:
    """A guest whose passport had expired before the day of check-in.

    A foreigner must hold a valid travel document (UU 6/2011 Pasal 8); the lodging must
    report the guest all the same (Pasal 72), so the stay is recorded and this alerts the
    office. One alert per person and passport, however many lodgings report it.
    """
    if stay.document_expiry is None:
        return None
    checked_in = timezone.localtime(stay.checked_in_at).date()
    if stay.document_expiry >= checked_in:  # valid through its expiry day
        return None
    return Finding(
        "expired_passport",
        f"expired_passport:person:{stay.person_id}:{stay.document_number}",
        {"lodging": stay.lodging_name, "checked_in": checked_in.isoformat(),
         "document": stay.document_number, "expired": stay.document_expiry.isoformat()},
        person_id=stay.person_id, lodging_id=stay.lodging_id, stay_id=stay.id,
    )


def silent_lodging(lodging_id: int, lodging_name: str, *, reports_in_window: int,
                   last_report_at: dt.datetime | None, now: dt.datetime,
                   limits: Thresholds) -> Finding | None:
    """A lodging that usually reports and has sent nothing for ``silent_days``.

    ``reports_in_window`` counts its reports in the ``usual_window_days`` before the
    silent stretch began.
    """
    if last_report_at is None or reports_in_window < limits.usual_reports:
        return None
    silent = (now - last_report_at).days
    if silent < limits.silent_days:
        return None
    return Finding(
        "silent_lodging", f"silent_lodging:lodging:{lodging_id}:{last_report_at.date()}",
        {"lodging": lodging_name, "usual": reports_in_window, "window": limits.usual_window_days,
         "silent": silent, "last": _day(last_report_at)},
        lodging_id=lodging_id,
    )
