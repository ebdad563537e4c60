"""The alert queue puts the most serious first, then the longest waiting, and its title
says where the alerts come from."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pora.alerts.models import Alert
from pora.conftest import login

pytestmark = pytest.mark.django_db


def _alert(office, rule: str, n: int, minutes_ago: int, **facts) -> Alert:
    alert = Alert.objects.create(office=office, rule=rule, key=f"{rule}:test:{n}",
                                 facts=facts)
    seen = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Alert.objects.filter(pk=alert.pk).update(first_seen=seen, last_seen=seen)
    return alert


def test_a_watchlist_hit_comes_before_two_dozen_late_reports(officer, jakut):
    # The hit was confirmed two days ago; the late reports came in since, the last one now.
    hit = _alert(jakut, "watchlist", 0, 2 * 24 * 60, hit=1, entry=1, list="DPO",
                 kind="wanted", action="arrest")
    late = [_alert(jakut, "late_report", n, 24 * 60 - n * 10, hours=30 + n)
            for n in range(24)]
    permit = _alert(jakut, "no_valid_permit", 99, 5)
    response = login(officer).get(reverse("lodging:officer_alerts"),
                                  HTTP_ACCEPT_LANGUAGE="id")
    shown = list(response.context["page"].object_list)
    assert shown[0] == hit
    assert shown[1] == permit
    # Among equals, the longest waiting first.
    assert shown[2:] == late
    body = response.content.decode()
    assert "dari laporan penginapan" not in body.split("<h1>")[1].split("</h1>")[0]


@pytest.mark.parametrize("rule, title", [
    ("", "Peringatan: laporan penginapan dan hit daftar pengawasan"),
    ("watchlist", "Peringatan dari hit daftar pengawasan yang terkonfirmasi"),
    ("late_report", "Peringatan dari laporan penginapan"),
])
def test_the_title_names_the_source(officer, rule, title):
    response = login(officer).get(reverse("lodging:officer_alerts"),
                                  {"rule": rule} if rule else {}, HTTP_ACCEPT_LANGUAGE="id")
    assert f"<h1>{title}</h1>" in response.content.decode()
