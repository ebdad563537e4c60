"""The office's calendar: the wall clock in production, the demo's day in the demo."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pora.core import clock

DEMO_DAY = dt.date(2024, 2, 1)


def test_without_a_demo_day_the_calendar_is_the_wall_clock(settings):
    settings.DEMO_TODAY = None
    before, now, after = timezone.now(), clock.now(), timezone.now()
    assert before <= now <= after
    assert clock.today() in {timezone.localdate(before), timezone.localdate(after)}
    assert clock.at(before) is before
    assert clock.demo_today() is None


def test_the_demo_day_is_today_and_the_time_of_day_is_the_wall_clocks(settings):
    settings.DEMO_TODAY = DEMO_DAY
    before, now, after = (timezone.localtime(), timezone.localtime(clock.now()),
                          timezone.localtime())
    assert clock.today() == DEMO_DAY == now.date()
    if before.date() == after.date():  # not across the wall clock's midnight
        assert before.time() <= now.time() <= after.time()
    instant = timezone.make_aware(dt.datetime(2026, 12, 7, 18, 55, 30))
    assert timezone.localtime(clock.at(instant)).replace(tzinfo=None) == dt.datetime(
        2024, 2, 1, 18, 55, 30)


def test_a_pinned_day_and_moment_hold_inside_the_block_only(settings):
    settings.DEMO_TODAY = None
    with clock.pinned(DEMO_DAY, moment=dt.time(0, 0)):
        assert clock.today() == DEMO_DAY
        assert clock.now() == timezone.make_aware(dt.datetime(2024, 2, 1, 0, 0))
    with clock.pinned(DEMO_DAY):
        assert timezone.localtime(clock.now()).date() == DEMO_DAY
    assert clock.demo_today() is None
