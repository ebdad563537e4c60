"""The demo tells one story: every page takes the demo's reference day as today.

The demo is loaded in-process as `pora demo` loads it, and the pages are read as its
server serves them (with ``PORA_DEMO_TODAY`` set to the reference date, as `pora demo`
sets it). Nothing here depends on the real date: the demo's calendar does not move.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from pora.alerts.models import Alert
from pora.conftest import login
from pora.core.models import User
from pora.demo.registry import PUBLISHED_1_FEB_2024, REFERENCE_DATE
from pora.lodging.models import Lodging, Stay
from pora.screening.models import Hit, WatchlistEntry

README = Path(__file__).resolve().parents[3] / "README.md"
# The lodging demo dates its stays up to 40 days before the reference day.
WINDOW = dt.timedelta(days=41)
SPECIMEN_MRZ = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


@pytest.fixture
def demo(db, settings):
    settings.DEMO_TODAY = REFERENCE_DATE  # as `pora demo` starts its server and worker
    call_command("demo", stdout=io.StringIO())
    return {name: User.objects.get(username=name) for name in ("petugas", "hotel")}


@pytest.mark.django_db
def test_every_page_of_the_demo_tells_the_story_of_its_reference_day(demo):
    officer, hotel = login(demo["petugas"]), login(demo["hotel"])

    # The hotel's check-in form proposes a time on the demo's day…
    form = hotel.get("/penginapan/check-in/").content.decode()
    proposed = re.search(r'name="checked_in_at" value="([^"]+)"', form).group(1)
    demo_today = dt.date.fromisoformat(proposed[:10])
    assert demo_today == REFERENCE_DATE, proposed
    # … the day on which the registry counts the published figures.
    published = ", ".join(f"{PUBLISHED_1_FEB_2024[kind]:,} {kind}".replace(",", ".", 1)
                          for kind in ("ITAS", "ITAP", "ITK"))  # "8.870 ITAS, …, 468 ITK"
    for url in (f"/registri/?on={demo_today:%Y-%m-%d}", "/registri/"):
        page = officer.get(url).content.decode()
        assert published in page and "1 Februari 2024" in page, url

    # The hotel's guests in house checked in before that day, within the demo's weeks;
    # the few overdue ones are the forgotten check-outs the demo makes on purpose, days
    # overdue, never years.
    home = hotel.get("/penginapan/")
    assert home.context["today"] == demo_today
    in_house = home.context["stays"]
    assert in_house
    for stay in in_house:
        assert REFERENCE_DATE - WINDOW <= day(stay.checked_in_at) <= demo_today, stay
        if stay.is_overdue(demo_today):
            assert demo_today - stay.expected_checkout <= WINDOW, stay
    assert home.context["overdue"] < len(in_house) / 2

    # Every report, receipt, alert and hit is dated on or before the demo's day.
    stays = list(Stay.objects.all())
    assert stays
    for stay in stays:
        assert day(stay.reported_at) <= demo_today, stay
        assert stay.receipt_number[:6] <= f"{demo_today:%y%m%d}", stay.receipt_number
        if stay.checked_out_at is not None:
            assert day(stay.checked_out_at) <= demo_today, stay
    first_report = min(stay.reported_at for stay in stays)
    for lodging in Lodging.objects.exclude(verified_at=None):
        assert lodging.verified_at < first_report, lodging
    alerts = list(Alert.objects.all())
    assert alerts
    for alert in alerts:
        assert REFERENCE_DATE - WINDOW <= day(alert.first_seen) <= day(alert.last_seen) \
            <= demo_today, (alert.key, alert.first_seen, alert.last_seen)
    hits = list(Hit.objects.all())
    assert hits and any(hit.decided_at for hit in hits)
    for hit in hits:
        assert day(hit.first_seen) <= day(hit.last_seen) <= demo_today, hit
        assert hit.decided_at is None or day(hit.decided_at) == demo_today, hit
    for entry in WatchlistEntry.objects.exclude(withdrawn_at=None):
        assert day(entry.withdrawn_at) == demo_today, entry
    assert officer.get("/penginapan/petugas/peringatan/").status_code == 200
    assert officer.get("/pengawasan/").status_code == 200

    # The front desk checks a guest in at the time its form proposes: accepted, and the
    # receipt is the demo day's.
    before = Stay.objects.count()
    answer = hotel.post("/penginapan/check-in/", {
        "mode": "mrz", "mrz": SPECIMEN_MRZ, "checked_in_at": proposed, "room": "1207"})
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    assert Stay.objects.count() == before + 1
    stay = Stay.objects.latest("id")
    assert stay.receipt_number.startswith(f"{demo_today:%y%m%d}-")
    assert day(stay.reported_at) == demo_today


def test_the_readme_says_which_day_the_demo_shows():
    quick_start = README.read_text(encoding="utf-8").split("## Quick start", 1)[1]
    demo_section = quick_start.split("\n## ", 1)[0]
    assert f"{REFERENCE_DATE:%-d %B %Y}" in demo_section  # "1 February 2024"
    assert "PORA_DEMO_TODAY" in demo_section
