"""The office's calendar: what "today" and "now" mean for dates the pages and rules use.

In production both are the wall clock. The demo is a snapshot of Jakarta Utara on one
day (1 February 2024, the date of the published figures it reproduces), so it runs with
``PORA_DEMO_TODAY`` set: every business date (the registry's "as of", check-in limits,
receipts, overdue guests, alerts, hits, watchlist validity) reads that day, while the
time of day still moves with the wall clock. Otherwise a hotel would see the demo's
February 2024 guests "still in house" years later.

Machinery keeps the wall clock whatever the demo says: sessions, password and API
tokens, rate limits, background jobs, and the audit and access logs (which record when
something was really done).
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone

# The demo generator pins its own day (and moment) while it writes, before any setting
# is written for the server; a context variable, so a thread or a test pins only itself.
_pinned: contextvars.ContextVar[tuple[dt.date, dt.time | None] | None] = (
    contextvars.ContextVar("pora_demo_today", default=None))


def demo_today() -> dt.date | None:
    """The demo's day, or None when the clock is the real one."""
    pinned = _pinned.get()
    return pinned[0] if pinned else getattr(settings, "DEMO_TODAY", None)


def today() -> dt.date:
    """Today in the office's time zone (the demo's day in the demo)."""
    return demo_today() or timezone.localdate()


def at(instant: dt.datetime) -> dt.datetime:
    """A wall-clock instant as the office's calendar reads it: unchanged in production;
    in the demo, the same time of day on the demo's day."""
    day = demo_today()
    if day is None:
        return instant
    local = timezone.localtime(instant)
    return local.replace(year=day.year, month=day.month, day=day.day)


def now() -> dt.datetime:
    """Now, aware (in the demo: the demo's day at the wall clock's time of day)."""
    pinned = _pinned.get()
    if pinned and pinned[1] is not None:
        return timezone.make_aware(dt.datetime.combine(*pinned))
    return at(timezone.now())


@contextmanager
def pinned(day: dt.date, *, moment: dt.time | None = None) -> Iterator[None]:
    """Run the block with ``day`` as today (the demo generator, tests); with ``moment``,
    the clock stands still at that time of the day."""
    token = _pinned.set((day, moment))
    try:
        yield
    finally:
        _pinned.reset(token)
