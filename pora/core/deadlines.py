"""Legal deadlines: working days of the Indonesian government and the days a rule counts.

**Working days (Perpres 21/2023).** A government working day is Monday to Friday, except a
national holiday (hari libur nasional) or a national cuti bersama. Both come from the
``holidays`` package (Indonesia, categories ``public`` and ``government``; the package's data
ship with it, nothing is fetched). On top of it the administrator keeps an override table
(:class:`pora.core.models.WorkingDayOverride`): a single day made a working day (a Saturday
worked in exchange) or a day off (a holiday decreed late, a corrected Islamic date). Islamic
and Chinese dates beyond the years the package knows are its estimates ("perkiraan"); an
override pins the decreed date. An override names an office or none (national); for an
office, its own override wins over the national one, which wins over the package.

**Counting.** Every deadline says how the law counts (:class:`Counting`):

* Day 0 is the start day (the day of the event, or the day a decision was received): it is
  never counted, whatever kind of day it is. Day 1 is the next working day (``WORKING``) or
  the next calendar day (``CALENDAR``). This is also how the registry has always counted the
  60 days of Pasal 71 (event date + 60).
* A start day that is itself a holiday or a weekend changes nothing: the count begins with
  the first working day after it (a decision received on Saturday or on the Friday before
  both have the following Monday as day 1, when Monday is a working day).
* ``WORKING``: the deadline is the n-th working day after the start, so it is always a
  working day. Zero working days means the start day itself when it is a working day,
  otherwise the first working day after it (a deadline must be a day one can act on).
* ``CALENDAR``: the deadline is start + n days and stays there even on a weekend or holiday
  (the law counts every day). :attr:`Deadline.due_is_working_day` and the explanation say
  so; a rule whose law moves such a deadline calls :func:`next_working_day` itself.

**Speed.** The package's days off are built once per year and process; overrides are read in
one query and kept for :data:`OVERRIDES_FRESH_SECONDS` (a write through the services drops
them at once in the writing process and again at its commit; other processes re-read
within that time). Computing any number of deadlines costs at most that one query.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Years the calendar answers for; a date outside them is refused rather than guessed.
FIRST_YEAR = 1950
LAST_YEAR = 2099
# The longest count accepted: ten years of working days, or in calendar days an entry ban
# of 10 years extended by 10.
MAX_DAYS = 7400
OVERRIDES_FRESH_SECONDS = 5.0


class Counting(StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"


WORKING = Counting.WORKING
CALENDAR = Counting.CALENDAR

COUNTING_LABELS = {
    Counting.WORKING: gettext_lazy("working days"),
    Counting.CALENDAR: gettext_lazy("calendar days"),
}


class HolidayKind(StrEnum):
    PUBLIC = "public"  # hari libur nasional
    GOVERNMENT = "government"  # cuti bersama


HOLIDAY_KIND_LABELS = {
    HolidayKind.PUBLIC: gettext_lazy("National holiday"),
    HolidayKind.GOVERNMENT: gettext_lazy("Cuti bersama"),
}


class CalendarRangeError(ValueError):
    """A date or a count outside what the calendar answers for."""


# --------------------------------------------------------------------------- the package


@dataclass(frozen=True)
class Holiday:
    """A day off the ``holidays`` package gives, named in one language."""

    date: dt.date
    name: str
    kind: HolidayKind
    estimated: bool  # an Islamic or Chinese date the package only estimates

    @property
    def kind_label(self) -> str:
        return str(HOLIDAY_KIND_LABELS[self.kind])


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarRangeError(
            _("The working-day calendar covers the years %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR})


def _package_language() -> str:
    # The package speaks Indonesian ("id") and American English ("en_US").
    return "en_US" if (translation.get_language() or "id").startswith("en") else "id"


@lru_cache(maxsize=256)
def _package_holidays(year: int, language: str) -> tuple[Holiday, ...]:
    import holidays

    out: list[Holiday] = []
    for kind in (HolidayKind.PUBLIC, HolidayKind.GOVERNMENT):
        calendar = holidays.country_holidays("ID", years=year, categories=(kind.value,),
                                             language=language)
        # The package marks its estimates with its own label ("%s (perkiraan)").
        before, _sep, after = calendar.tr(calendar.estimated_label).partition("%s")
        for day in sorted(calendar):
            for name in calendar.get_list(day):
                estimated = bool(after) and name.startswith(before) and name.endswith(after)
                if estimated:
                    name = name[len(before):len(name) - len(after)]
                out.append(Holiday(date=day, name=name, kind=kind, estimated=estimated))
    out.sort(key=lambda h: (h.date, h.kind != HolidayKind.PUBLIC))
    return tuple(out)


@lru_cache(maxsize=256)
def _package_days_off(year: int) -> frozenset[dt.date]:
    return frozenset(h.date for h in _package_holidays(year, "id"))


def package_holidays(year: int) -> list[Holiday]:
    """The national holidays and cuti bersama the package gives for ``year``, in the current
    language, by date (a date may appear twice: a holiday and a cuti bersama)."""
    _check_year(year)
    return list(_package_holidays(year, _package_language()))


def _package_names(day: dt.date) -> list[str]:
    return [h.name for h in _package_holidays(day.year, _package_language()) if h.date == day]


# --------------------------------------------------------------------------- overrides


@dataclass(frozen=True)
class OverrideDay:
    is_working: bool
    name: str


_overrides_lock = threading.Lock()
_overrides: tuple[float, dict[tuple[int | None, dt.date], OverrideDay]] | None = None


def _override_table() -> dict[tuple[int | None, dt.date], OverrideDay]:
    """Every override by (office id or None, date): one query, kept a few seconds."""
    global _overrides
    held = _overrides
    now = time.monotonic()
    if held is not None and now - held[0] < OVERRIDES_FRESH_SECONDS:
        return held[1]
    from pora.core.models import WorkingDayOverride

    table = {
        (office_id, day): OverrideDay(is_working, name)
        for office_id, day, is_working, name in WorkingDayOverride.objects.order_by()
        .values_list("office_id", "date", "is_working", "name")
    }
    with _overrides_lock:
        _overrides = (now, table)
    return table


def forget_overrides() -> None:
    """Drop the kept overrides: now, and again when the writing transaction commits (so
    that a read between the write and the commit is not kept either)."""
    global _overrides
    with _overrides_lock:
        _overrides = None

    def again() -> None:
        global _overrides
        with _overrides_lock:
            _overrides = None

    transaction.on_commit(again)


# --------------------------------------------------------------------------- working days


def _office_id(office: Any) -> int | None:
    if office is None or isinstance(office, int):
        return office
    return office.pk


class _Calendar:
    """The calendar for one office (or the national one), read once for a computation."""

    __slots__ = ("office_id", "table")

    def __init__(self, office: Any) -> None:
        self.office_id = _office_id(office)
        self.table = _override_table()

    def override(self, day: dt.date) -> OverrideDay | None:
        if self.office_id is not None:
            found = self.table.get((self.office_id, day))
            if found is not None:
                return found
        return self.table.get((None, day))

    def is_working(self, day: dt.date) -> bool:
        if self.table:
            found = self.override(day)
            if found is not None:
                return found.is_working
        if day.weekday() >= 5:
            return False
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            # Unknown holidays: the public functions refuse such years before asking.
            return True
        return day not in _package_days_off(day.year)


def is_working_day(day: dt.date, *, office: Any = None) -> bool:
    """Whether ``day`` is a government working day, nationally or for ``office`` (an
    :class:`~pora.core.models.Office` or its id): the office's override, else the national
    override, else Monday–Friday minus the package's holidays and cuti bersama."""
    _check_year(day.year)
    return _Calendar(office).is_working(day)


def next_working_day(day: dt.date, *, office: Any = None) -> dt.date:
    """``day`` itself when it is a working day, otherwise the first working day after it."""
    calendar = _Calendar(office)
    _check_year(day.year)
    while not calendar.is_working(day):
        day += dt.timedelta(days=1)
    _check_year(day.year)
    return day


def _check_days(days: int) -> None:
    if not isinstance(days, int) or isinstance(days, bool):
        raise TypeError("days must be an int")
    if days < 0:
        raise CalendarRangeError(_("A number of days cannot be negative."))
    if days > MAX_DAYS:
        raise CalendarRangeError(_("At most %(max)s days can be counted.") % {"max": MAX_DAYS})


def add_working_days(start: dt.date, days: int, *, office: Any = None) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` is day 0 and never counted;
    with 0 days, ``start`` or the first working day after it)."""
    return deadline(start, days, counting=WORKING, office=office).due


def working_days_between(a: dt.date, b: dt.date, *, office: Any = None) -> int:
    """Working days ``d`` with ``a < d <= b``: the count :func:`add_working_days` made, so
    ``working_days_between(a, add_working_days(a, n)) == n`` for every n ≥ 1. Negative when
    ``b`` is before ``a``."""
    if b < a:
        return -working_days_between(b, a, office=office)
    _check_year(a.year)
    _check_year(b.year)
    calendar = _Calendar(office)
    count, day, one = 0, a, dt.timedelta(days=1)
    while day < b:
        day += one
        if calendar.is_working(day):
            count += 1
    return count


def days_between(a: dt.date, b: dt.date, *, counting: Counting, office: Any = None) -> int:
    """Days from ``a`` to ``b`` as the law counts them (``a`` is day 0): calendar days are
    ``(b - a).days``; working days as :func:`working_days_between`."""
    if counting is Counting.CALENDAR:
        return (b - a).days
    return working_days_between(a, b, office=office)


# --------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class SkippedDay:
    """A weekday not counted (a holiday, cuti bersama or a day off by override), or a
    weekend day counted because an override made it a working day."""

    date: dt.date
    override_name: str = ""  # empty: the package's day, named in the reader's language

    @property
    def name(self) -> str:
        return self.override_name or ", ".join(_package_names(self.date))


@dataclass(frozen=True)
class Deadline:
    """A deadline and how it was counted; ``str()`` is a sentence a page can show."""

    start: dt.date
    days: int
    counting: Counting
    due: dt.date
    due_is_working_day: bool
    # WORKING only: runs of weekdays off that were skipped (first day, last day, the days).
    days_off: tuple[tuple[SkippedDay, ...], ...] = ()
    # WORKING only: weekend days counted because an override made them working days.
    extra_working_days: tuple[SkippedDay, ...] = ()
    basis: str = ""  # the rule, e.g. "Permenimipas 2/2025 Pasal 73"

    @property
    def explanation(self) -> str:
        parts = [_("%(days)s %(counting)s from %(start)s") % {
            "days": self.days, "counting": COUNTING_LABELS[self.counting],
            "start": _long_date(self.start)}]
        if self.days_off:
            parts.append(_("not counting %(days)s") % {
                "days": "; ".join(_run_text(run) for run in self.days_off)})
        if self.extra_working_days:
            parts.append(_("counting %(days)s as working days") % {
                "days": "; ".join(_run_text((d,)) for d in self.extra_working_days)})
        if not self.due_is_working_day:
            parts.append(_("the last day, %(due)s, is not a working day") % {
                "due": _long_date(self.due)})
        text = "; ".join(parts)
        return f"{self.basis}: {text}" if self.basis else text

    def __str__(self) -> str:
        return self.explanation


def _long_date(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _span(a: dt.date, b: dt.date) -> str:
    if a == b:
        return _long_date(a)
    if a.year == b.year and a.month == b.month:
        return f"{date_format(a, 'j')}–{_long_date(b)}"
    if a.year == b.year:
        return f"{date_format(a, 'j F')}–{_long_date(b)}"
    return f"{_long_date(a)}–{_long_date(b)}"


def _run_text(run: tuple[SkippedDay, ...]) -> str:
    names: list[str] = []
    for day in run:
        for name in day.name.split(", "):
            if name and name not in names:
                names.append(name)
    span = _span(run[0].date, run[-1].date)
    return f"{span} ({', '.join(names)})" if names else span


def deadline(start: dt.date, days: int, *, counting: Counting, office: Any = None,
             basis: str = "") -> Deadline:
    """The last day to act, ``days`` days after ``start`` counted as ``counting`` says
    (see the module's docstring for day 0, a start on a holiday and a deadline on a day off).

    ``office`` applies that office's overrides besides the national ones. ``basis`` names
    the rule and opens the explanation. Raises :class:`CalendarRangeError` for a negative
    count or one above :data:`MAX_DAYS`, and, counting working days, for a start or a
    deadline outside :data:`FIRST_YEAR`–:data:`LAST_YEAR` (calendar days are plain
    arithmetic for any date; beyond those years ``due_is_working_day`` knows weekends only).

    The objection clock of Permenimipas 2/2025 Pasal 73, for instance, is three calls:
    ``deadline(received_on, 21, counting=WORKING, office=office)`` for the objection, then
    5 working days from the day the Directorate General received it, then 5 from the day
    the Minister received it.
    """
    _check_days(days)
    counting = Counting(counting)
    calendar = _Calendar(office)
    if counting is Counting.CALENDAR:
        # Plain arithmetic, for any date: outside the covered years only whether the last
        # day is a working day is approximate (weekends only, holidays unknown).
        try:
            due = start + dt.timedelta(days=days)
        except OverflowError:
            raise CalendarRangeError(_("The deadline is beyond the last date.")) from None
        # Calendar days: a deadline on a weekend or holiday stays where it falls.
        return Deadline(start=start, days=days, counting=counting, due=due,
                        due_is_working_day=calendar.is_working(due), basis=basis)

    _check_year(start.year)
    runs: list[list[SkippedDay]] = []
    extra: list[SkippedDay] = []
    open_run = False  # the last weekday seen was a day off: a further one extends its run
    day, one, counted = start, dt.timedelta(days=1), 0
    if days == 0:
        day -= one  # the start day itself is the first candidate
    while True:
        day += one
        working = calendar.is_working(day)
        weekday = day.weekday() < 5
        if working:
            if not weekday:
                extra.append(_skipped(calendar, day))
            counted += 1
            open_run = False
            if counted >= days:
                break
        elif weekday:
            if not open_run:
                runs.append([])
            runs[-1].append(_skipped(calendar, day))
            open_run = True
    _check_year(day.year)
    return Deadline(start=start, days=days, counting=counting, due=day,
                    due_is_working_day=True, days_off=tuple(tuple(r) for r in runs),
                    extra_working_days=tuple(extra), basis=basis)


def _skipped(calendar: _Calendar, day: dt.date) -> SkippedDay:
    found = calendar.override(day) if calendar.table else None
    return SkippedDay(day, found.name if found is not None else "")


# --------------------------------------------------------------------------- a year's view


@dataclass(frozen=True)
class CalendarDay:
    """A day of a year's calendar that differs from an ordinary week, for the admin page."""

    date: dt.date
    holidays: tuple[Holiday, ...]  # what the package gives
    national_override: OverrideDay | None
    office_overrides: dict[int, OverrideDay]  # office id → its override

    @property
    def package_working(self) -> bool:
        return self.date.weekday() < 5 and not self.holidays

    @property
    def national_working(self) -> bool:
        """The national status: the national override, else the package."""
        if self.national_override is not None:
            return self.national_override.is_working
        return self.package_working


def year_calendar(year: int) -> list[CalendarDay]:
    """Every day of ``year`` with a package holiday or an override, by date."""
    _check_year(year)
    table = _override_table()
    by_day: dict[dt.date, list[Holiday]] = {}
    for holiday in package_holidays(year):
        by_day.setdefault(holiday.date, []).append(holiday)
    by_office: dict[dt.date, dict[int, OverrideDay]] = {}
    for (office, day), found in table.items():
        if day.year == year:
            by_day.setdefault(day, [])
            if office is not None:
                by_office.setdefault(day, {})[office] = found
    return [CalendarDay(date=day, holidays=tuple(by_day[day]),
                        national_override=table.get((None, day)),
                        office_overrides=by_office.get(day, {}))
            for day in sorted(by_day)]
