"""The permit status engine: where a person stands on a given day, and why.

One pure function, :func:`permit_standing`, decides it for a single permit; the as-of
headline in :mod:`pora.registry.selectors` applies the same predicates in SQL, and a test
holds the two to the same answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from pora.core.deadlines import CALENDAR, Counting, Deadline, days_between, deadline

# How the law counts each period this engine works out (see pora.core.deadlines).
# UU 6/2011 Pasal 71 and 63: a change is reported within a number of days, counted in
# calendar days; the deadline stays on a weekend or holiday.
CHANGE_REPORT_COUNTING: Counting = CALENDAR
# Pasal 78: every day of stay beyond the permit counts, working day or not; so do the days
# left on a permit and the "expiring within" window.
STAY_COUNTING: Counting = CALENDAR


class Standing(StrEnum):
    NOT_YET = "not_yet"  # the permit starts later
    VALID = "valid"
    EXPIRING = "expiring"  # valid, but runs out within the configured window
    OVERSTAY_FEE = "overstay_fee"  # Pasal 78(1)-(2)
    OVERSTAY_DEPORT = "overstay_deport"  # Pasal 78(3)
    DEPARTED = "departed"
    SUPERSEDED = "superseded"  # a later permit took over


STANDING_LABELS = {
    Standing.NOT_YET: _("Not yet in force"),
    Standing.VALID: _("Valid"),
    Standing.EXPIRING: _("Expiring soon"),
    Standing.OVERSTAY_FEE: _("Overstay — fee due"),
    Standing.OVERSTAY_DEPORT: _("Overstay — deportation and entry ban"),
    Standing.DEPARTED: _("Departed"),
    Standing.SUPERSEDED: _("Superseded by a later permit"),
}

PRESENT = frozenset(
    {Standing.VALID, Standing.EXPIRING, Standing.OVERSTAY_FEE, Standing.OVERSTAY_DEPORT}
)
OVERSTAYING = frozenset({Standing.OVERSTAY_FEE, Standing.OVERSTAY_DEPORT})


class Rules(Protocol):
    expiring_within_days: int
    overstay_fee_per_day: int
    overstay_deportation_days: int


class PermitDates(Protocol):
    valid_from: dt.date
    valid_until: dt.date
    cancelled_on: dt.date | None
    departed_on: dt.date | None
    superseded_on: dt.date | None


@dataclass(frozen=True)
class Assessment:
    standing: Standing
    days_left: int | None = None  # while valid: days until the last valid day
    overstay_days: int = 0
    fee_due: int = 0  # rupiah
    recommendation: str = ""

    @property
    def present(self) -> bool:
        return self.standing in PRESENT

    @property
    def overstaying(self) -> bool:
        return self.standing in OVERSTAYING

    @property
    def label(self) -> str:
        return str(STANDING_LABELS[self.standing])


def effective_until(permit: PermitDates) -> dt.date:
    """The last day the permit is valid: a cancellation ends it the day before."""
    if permit.cancelled_on is not None and permit.cancelled_on <= permit.valid_until:
        return permit.cancelled_on - dt.timedelta(days=1)
    return permit.valid_until


def stay_ends_on(permit: PermitDates) -> dt.date | None:
    """The first day the person is no longer here under this permit, if known."""
    ends = [d for d in (permit.departed_on, permit.superseded_on) if d is not None]
    return min(ends) if ends else None


def permit_standing(permit: PermitDates, on: dt.date, rules: Rules) -> Assessment:
    if on < permit.valid_from:
        return Assessment(Standing.NOT_YET)
    end = stay_ends_on(permit)
    if end is not None and on >= end:
        if permit.departed_on is not None and permit.departed_on == end:
            return Assessment(Standing.DEPARTED)
        return Assessment(Standing.SUPERSEDED)
    last_day = effective_until(permit)
    if on <= last_day:
        days_left = days_between(on, last_day, counting=STAY_COUNTING)
        # An extension or conversion already on record means nothing is about to lapse.
        if days_left <= rules.expiring_within_days and permit.superseded_on is None:
            return Assessment(Standing.EXPIRING, days_left=days_left)
        return Assessment(Standing.VALID, days_left=days_left)
    overstay = days_between(last_day, on, counting=STAY_COUNTING)
    if overstay >= rules.overstay_deportation_days:
        # Pasal 78(3): 60 days or more means deportation and an entry ban.
        return Assessment(
            Standing.OVERSTAY_DEPORT,
            overstay_days=overstay,
            recommendation=str(_("Deportation and entry ban (Pasal 78(3))")),
        )
    # Pasal 78(1): under the threshold, a fee for every day; Pasal 78(2): unpaid, deportation.
    return Assessment(
        Standing.OVERSTAY_FEE,
        overstay_days=overstay,
        fee_due=overstay * rules.overstay_fee_per_day,
        recommendation=str(_("Overstay fee per day; if unpaid, deportation and entry ban "
                             "(Pasal 78(1)-(2))")),
    )


def person_standing(permits: list[PermitDates], on: dt.date, rules: Rules) -> Assessment | None:
    """The standing of the permit that governs ``on``; None when no permit ever applied."""
    governing = None
    departed = False
    for permit in sorted(permits, key=lambda p: p.valid_from):
        assessment = permit_standing(permit, on, rules)
        if assessment.present:
            governing = assessment
        elif assessment.standing == Standing.DEPARTED:
            departed = True
    if governing is not None:
        return governing
    if departed:
        return Assessment(Standing.DEPARTED)
    return None


def change_report_deadline(event_date: dt.date, *, days: int) -> Deadline:
    """Pasal 71 (foreigner) and 63 (sponsor): a change is reported within ``days`` calendar
    days of the event (the event's day is day 0), with the explanation a page shows."""
    return deadline(event_date, days, counting=CHANGE_REPORT_COUNTING)


def change_deadline(event_date: dt.date, *, days: int) -> dt.date:
    """The last day to report a change (see :func:`change_report_deadline`)."""
    return change_report_deadline(event_date, days=days).due
