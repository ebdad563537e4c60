"""Working days and deadlines (Perpres 21/2023; the objection clock of Permenimipas 2/2025
Pasal 73): the package's holidays and cuti bersama, overrides national and per office,
day 0, a start on a holiday, zero days, year boundaries."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.utils import translation

from pora.conftest import make_user
from pora.core import deadlines, services
from pora.core.deadlines import (
    CALENDAR,
    WORKING,
    CalendarRangeError,
    add_working_days,
    days_between,
    deadline,
    is_working_day,
    next_working_day,
    working_days_between,
)
from pora.core.models import Role

D = dt.date


@pytest.fixture
def administrator(db):
    return make_user("admin_pusat", Role.ADMIN)


def override(administrator, day, *, working, name="Penggantian", office=None):
    return services.working_day_override_create(actor=administrator, date=day,
                                                is_working=working, name=name, office=office)


# (id, start, working days, expected deadline) — the national calendar, no overrides.
NATIONAL_CASES = [
    # Idulfitri 2025: cuti bersama Nyepi Fri 28 Mar, Idulfitri Mon 31 Mar–Tue 1 Apr, cuti
    # bersama Wed 2–Mon 7 Apr: six weekdays off in a row, bridged by a weekend.
    ("objection_clock_across_idulfitri_2025", D(2025, 3, 3), 21, D(2025, 4, 10)),
    ("one_day_before_the_break", D(2025, 3, 26), 1, D(2025, 3, 27)),
    ("one_day_across_the_whole_break", D(2025, 3, 27), 1, D(2025, 4, 8)),
    ("ordinary_week_friday_to_monday", D(2025, 2, 7), 1, D(2025, 2, 10)),
    ("five_days_over_a_weekend", D(2025, 2, 5), 5, D(2025, 2, 12)),
    # Day 0 is never counted, whatever it is: a holiday, a Saturday, a Friday.
    ("start_on_idulfitri_counts_from_the_next_working_day", D(2025, 3, 31), 1, D(2025, 4, 8)),
    ("start_on_a_cuti_bersama_day", D(2025, 4, 4), 1, D(2025, 4, 8)),
    ("start_on_saturday", D(2025, 2, 8), 1, D(2025, 2, 10)),
    ("start_on_the_friday_before_gives_the_same_day_1", D(2025, 2, 7), 1, D(2025, 2, 10)),
    # Zero days: the start day if one can act on it, else the next working day.
    ("zero_days_on_a_working_day", D(2025, 3, 3), 0, D(2025, 3, 3)),
    ("zero_days_on_a_holiday", D(2025, 3, 31), 0, D(2025, 4, 8)),
    ("zero_days_on_a_sunday", D(2025, 3, 2), 0, D(2025, 3, 3)),
    # Year boundaries: Christmas and its cuti bersama, New Year's Day.
    ("into_the_last_day_of_2025", D(2025, 12, 22), 5, D(2025, 12, 31)),
    ("across_new_year_2026", D(2025, 12, 22), 8, D(2026, 1, 6)),
    ("new_years_day_2026_is_day_0", D(2026, 1, 1), 1, D(2026, 1, 2)),
    # 2024: election day (14 Feb) was a national holiday.
    ("election_day_2024_is_off", D(2024, 2, 13), 1, D(2024, 2, 15)),
    # The three chained clocks of Pasal 73: 21, then 5, then 5 working days.
    ("forwarding_clock_5_days_after_waisak_2025", D(2025, 5, 9), 5, D(2025, 5, 20)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "days", "expected"),
                         [case[1:] for case in NATIONAL_CASES],
                         ids=[case[0] for case in NATIONAL_CASES])
def test_add_working_days_on_the_national_calendar(start, days, expected):
    assert add_working_days(start, days) == expected
    assert is_working_day(expected)
    if days:
        assert working_days_between(start, expected) == days
        assert working_days_between(expected, start) == -days


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "working"), [
    (D(2025, 3, 28), False),  # cuti bersama Nyepi (government category)
    (D(2025, 3, 31), False),  # Idulfitri (public category)
    (D(2025, 4, 7), False),  # cuti bersama Idulfitri on a Monday
    (D(2025, 4, 8), True),
    (D(2025, 4, 5), False),  # Saturday
    (D(2025, 8, 18), False),  # cuti bersama after Independence Day on a Sunday
    (D(2025, 12, 31), True),
    (D(2026, 1, 1), False),
], ids=str)
def test_is_working_day_takes_holidays_and_cuti_bersama_from_the_package(day, working):
    assert is_working_day(day) is working


# (id, overrides as (date, working, office?), start, days, national, Jakarta Utara, Pusat)
OVERRIDE_CASES = [
    ("national_working_saturday_counts_for_everyone",
     [(D(2025, 4, 5), True, None)], D(2025, 3, 3), 21, D(2025, 4, 9), D(2025, 4, 9),
     D(2025, 4, 9)),
    ("national_extra_day_off_delays_everyone",
     [(D(2025, 4, 8), False, None)], D(2025, 3, 3), 21, D(2025, 4, 11), D(2025, 4, 11),
     D(2025, 4, 11)),
    ("office_day_off_delays_only_that_office",
     [(D(2025, 4, 8), False, "jakut")], D(2025, 3, 3), 21, D(2025, 4, 10), D(2025, 4, 11),
     D(2025, 4, 10)),
    ("office_working_day_wins_over_a_national_day_off",
     [(D(2025, 4, 8), False, None), (D(2025, 4, 8), True, "jakut")], D(2025, 3, 3), 21,
     D(2025, 4, 11), D(2025, 4, 10), D(2025, 4, 11)),
    ("a_cuti_bersama_worked_by_one_office",
     [(D(2025, 4, 7), True, "jakpus")], D(2025, 3, 27), 1, D(2025, 4, 8), D(2025, 4, 8),
     D(2025, 4, 7)),
    ("override_on_day_0_does_not_count",
     [(D(2025, 4, 5), True, None)], D(2025, 4, 5), 1, D(2025, 4, 8), D(2025, 4, 8),
     D(2025, 4, 8)),
    ("zero_days_on_a_working_saturday_is_that_saturday",
     [(D(2025, 4, 5), True, None)], D(2025, 4, 5), 0, D(2025, 4, 5), D(2025, 4, 5),
     D(2025, 4, 5)),
    ("new_years_eve_made_a_day_off",
     [(D(2025, 12, 31), False, None)], D(2025, 12, 22), 5, D(2026, 1, 2), D(2026, 1, 2),
     D(2026, 1, 2)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "start", "days", "national", "at_jakut", "at_jakpus"),
                         [case[1:] for case in OVERRIDE_CASES],
                         ids=[case[0] for case in OVERRIDE_CASES])
def test_overrides_national_and_per_office(administrator, jakut, jakpus, overrides, start,
                                           days, national, at_jakut, at_jakpus):
    offices = {"jakut": jakut, "jakpus": jakpus, None: None}
    for day, working, office in overrides:
        override(administrator, day, working=working, office=offices[office])
    assert add_working_days(start, days) == national
    assert add_working_days(start, days, office=jakut) == at_jakut
    assert add_working_days(start, days, office=jakpus.pk) == at_jakpus
    if days:
        assert working_days_between(start, at_jakut, office=jakut) == days


@pytest.mark.django_db
def test_an_override_takes_effect_at_once_and_its_removal_too(administrator):
    assert add_working_days(D(2025, 3, 3), 21) == D(2025, 4, 10)
    extra = override(administrator, D(2025, 4, 8), working=False)
    assert add_working_days(D(2025, 3, 3), 21) == D(2025, 4, 11)
    services.working_day_override_update(actor=administrator, override=extra,
                                         date=D(2025, 4, 9), is_working=False, name="Libur")
    assert not is_working_day(D(2025, 4, 9))
    assert is_working_day(D(2025, 4, 8))
    services.working_day_override_delete(actor=administrator, override=extra)
    assert add_working_days(D(2025, 3, 3), 21) == D(2025, 4, 10)


@pytest.mark.django_db
def test_the_explanation_names_the_days_not_counted():
    result = deadline(D(2025, 3, 3), 21, counting=WORKING,
                      basis="Permenimipas 2/2025 Pasal 73")
    with translation.override("id"):
        text = str(result)
    assert text.startswith("Permenimipas 2/2025 Pasal 73: 21 hari kerja sejak 3 Maret 2025; "
                           "tidak termasuk 28 Maret–7 April 2025 (")
    assert "Hari Raya Idul Fitri" in text and "Cuti Bersama Hari Suci Nyepi" in text
    assert [day.date for day in result.days_off[0]] == [
        D(2025, 3, 28), D(2025, 3, 31), D(2025, 4, 1), D(2025, 4, 2), D(2025, 4, 3),
        D(2025, 4, 4), D(2025, 4, 7)]
    with translation.override("en"):
        english = str(result)
    assert english.startswith("Permenimipas 2/2025 Pasal 73: 21 working days from 3 March 2025; "
                              "not counting 28 March–7 April 2025 (")
    assert "Eid al-Fitr" in english


@pytest.mark.django_db
def test_the_explanation_names_a_working_saturday_and_an_office_day_off(administrator, jakut):
    override(administrator, D(2025, 4, 5), working=True, name="Hari kerja pengganti")
    override(administrator, D(2025, 2, 12), working=False, name="Libur kantor", office=jakut)
    with translation.override("id"):
        text = str(deadline(D(2025, 2, 10), 40, counting=WORKING, office=jakut))
    assert "12 Februari 2025 (Libur kantor)" in text
    assert "termasuk 5 April 2025 (Hari kerja pengganti) sebagai hari kerja" in text


@pytest.mark.django_db
def test_calendar_days_do_not_move_off_a_sunday_and_say_so():
    # Pasal 71: 60 days from 10 January 2024 is Sunday 10 March 2024; it stays there.
    result = deadline(D(2024, 1, 10), 60, counting=CALENDAR)
    assert result.due == D(2024, 3, 10)
    assert result.due_is_working_day is False
    with translation.override("id"):
        assert str(result) == ("60 hari kalender sejak 10 Januari 2024; hari terakhir, "
                               "10 Maret 2024, bukan hari kerja")
    # A rule that moves it would land after Nyepi (11 March) and its cuti bersama (12 March).
    assert next_working_day(result.due) == D(2024, 3, 13)
    assert days_between(D(2024, 1, 10), D(2024, 3, 10), counting=CALENDAR) == 60


@pytest.mark.django_db
@pytest.mark.parametrize(("call", "kind"), [
    (lambda: add_working_days(D(2025, 1, 1), -1), CalendarRangeError),
    (lambda: add_working_days(D(2025, 1, 1), deadlines.MAX_DAYS + 1), CalendarRangeError),
    (lambda: add_working_days(D(1900, 1, 1), 5), CalendarRangeError),
    (lambda: add_working_days(D(2099, 12, 30), 5), CalendarRangeError),
    (lambda: is_working_day(D(2200, 1, 1)), CalendarRangeError),
    (lambda: deadline(D(9999, 12, 1), 60, counting=CALENDAR), CalendarRangeError),
    (lambda: add_working_days(D(2025, 1, 1), 2.5), TypeError),
], ids=["negative", "too_many", "before_1950", "past_2099", "far_future", "overflow",
        "not_an_int"])
def test_counts_and_years_outside_the_calendar_are_refused(call, kind):
    with pytest.raises(kind):
        call()


@pytest.mark.django_db
def test_thousands_of_deadlines_cost_one_query(administrator, jakut,
                                               django_assert_max_num_queries):
    override(administrator, D(2025, 4, 8), working=False, office=jakut)
    deadlines._overrides = None
    starts = [D(2024, 1, 1) + dt.timedelta(days=i) for i in range(2000)]
    with django_assert_max_num_queries(1):
        due = [add_working_days(start, 21, office=jakut) for start in starts]
        assert all(is_working_day(day, office=jakut) for day in due)
    assert D(2025, 4, 8) not in due


@pytest.mark.django_db
def test_the_package_is_read_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the calendar tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    deadlines._package_holidays.cache_clear()
    deadlines._package_days_off.cache_clear()
    assert add_working_days(D(2027, 12, 20), 10) > D(2027, 12, 31)
    assert deadlines.package_holidays(2031)


@pytest.mark.django_db
def test_estimated_islamic_dates_are_marked():
    with translation.override("id"):
        holidays_2030 = deadlines.package_holidays(2030)
    idulfitri = [h for h in holidays_2030 if h.name == "Hari Raya Idul Fitri"]
    assert idulfitri and idulfitri[0].estimated
    assert "perkiraan" not in idulfitri[0].name
    with translation.override("id"):
        holidays_2025 = deadlines.package_holidays(2025)
    assert not any(h.estimated for h in holidays_2025)
    kinds = {h.date: h.kind for h in holidays_2025}
    assert kinds[D(2025, 4, 7)] == deadlines.HolidayKind.GOVERNMENT
    assert kinds[D(2025, 1, 1)] == deadlines.HolidayKind.PUBLIC


@pytest.mark.django_db
def test_another_processs_change_is_seen_within_the_freshness_window(monkeypatch):
    from pora.core.models import WorkingDayOverride

    clock = [1000.0]
    monkeypatch.setattr(deadlines.time, "monotonic", lambda: clock[0])
    assert is_working_day(D(2025, 4, 8))
    # Written by another process: this one's services did not forget the kept table.
    WorkingDayOverride.objects.create(date=D(2025, 4, 8), is_working=False, name="Libur")
    clock[0] += deadlines.OVERRIDES_FRESH_SECONDS / 2
    assert is_working_day(D(2025, 4, 8))
    clock[0] += deadlines.OVERRIDES_FRESH_SECONDS
    assert not is_working_day(D(2025, 4, 8))
