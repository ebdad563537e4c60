"""Builders shared by the screening tests (the fixtures live in ``conftest.py``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pora.core.models import Office
from pora.screening.models import Watchlist, WatchlistEntry
from pora.screening.services import entry_save, watchlist_create

# Fixtures once defined here, kept importable for the modules that import them by name.
from pora.screening.tests.conftest import fresh_index, media, wanted_list  # noqa: F401

TODAY = timezone.localdate()


def add_entry(watchlist: Watchlist, actor, **fields) -> WatchlistEntry:
    """WANG XIAOMING, born 21 March 1985, Chinese, unless told otherwise."""
    values = {"names": ["WANG XIAOMING"], "birth_dates": ["1985-03-21"],
              "nationalities": ["CHN"], "sex": "M", "reason": "Penipuan investasi",
              **fields}
    return entry_save(actor=actor, watchlist=watchlist, **values)


def local_list(office: Office, actor, name="Orang yang diawasi") -> Watchlist:
    return watchlist_create(actor=actor, office=office, name=name, kind="interest",
                            shared=False, default_action="discreet")


def present_permit(person, number="2C11AA0000001", **extra):
    """A permit valid today, so the foreigner counts as present."""
    from pora.conftest import make_permit

    return make_permit(person, number=number, valid_from=TODAY - dt.timedelta(days=30),
                       valid_until=TODAY + dt.timedelta(days=300), **extra)
