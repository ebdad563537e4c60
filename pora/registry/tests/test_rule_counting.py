"""The registry's periods say how the law counts them, through pora.core.deadlines: the
change report of Pasal 71 and the days of stay of Pasal 78 are calendar days."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from pora.core.deadlines import CALENDAR
from pora.registry import rules

D = dt.date
RULES = SimpleNamespace(expiring_within_days=30, overstay_fee_per_day=1_000_000,
                        overstay_deportation_days=60)


def test_the_registry_counts_its_periods_in_calendar_days():
    assert rules.CHANGE_REPORT_COUNTING is CALENDAR
    assert rules.STAY_COUNTING is CALENDAR


@pytest.mark.django_db
def test_a_change_report_deadline_explains_itself_and_stays_on_a_day_off():
    result = rules.change_report_deadline(D(2024, 1, 10), days=60)
    assert result.counting is CALENDAR
    assert result.due == rules.change_deadline(D(2024, 1, 10), days=60) == D(2024, 3, 10)
    assert not result.due_is_working_day
    with translation.override("id"):
        assert str(result).startswith("60 hari kalender sejak 10 Januari 2024")


@pytest.mark.django_db
def test_a_change_over_idulfitri_is_still_due_60_calendar_days_later():
    # 28 March–7 April 2025 are days off; calendar days count them all.
    assert rules.change_deadline(D(2025, 3, 1), days=60) == D(2025, 4, 30)


def test_overstay_days_include_weekends_and_holidays():
    permit = SimpleNamespace(valid_from=D(2024, 1, 1), valid_until=D(2025, 3, 27),
                             cancelled_on=None, departed_on=None, superseded_on=None)
    # From the day after the last valid day through Idulfitri 2025: 12 calendar days.
    assessment = rules.permit_standing(permit, D(2025, 4, 8), RULES)
    assert assessment.overstay_days == 12
    assert assessment.fee_due == 12_000_000
