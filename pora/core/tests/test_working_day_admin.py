"""The administrator keeps the working-day overrides and sees the package's holidays beside
them; every change is audited; nobody else may open the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pora.conftest import login, make_user
from pora.core import services
from pora.core.deadlines import add_working_days
from pora.core.models import AuditEvent, AuditLog, Role, WorkingDayOverride

D = dt.date


@pytest.fixture
def administrator(db):
    return make_user("admin_pusat", Role.ADMIN)


@pytest.fixture
def saturday_worked(administrator):
    return services.working_day_override_create(
        actor=administrator, date=D(2025, 4, 5), is_working=True, name="Sabtu pengganti")


def test_the_year_page_lists_the_packages_holidays_and_cuti_bersama(administrator):
    response = login(administrator).get(reverse("core:working_days"), {"year": "2025"},
                                        HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hari Raya Idul Fitri" in page
    assert "Cuti Bersama Hari Raya Idul Fitri" in page
    assert "Senin, 7 April 2025" in page
    assert "Cuti bersama" in page and "Libur nasional" in page
    # A year is a name, not a quantity: no thousands separator.
    assert "<h1>Hari kerja 2025</h1>" in page and 'href="?year=2026"' in page


def test_an_estimated_year_is_flagged(administrator):
    page = login(administrator).get(reverse("core:working_days"), {"year": "2030"}).content
    assert b"perkiraan" in page


def test_admin_adds_an_override_and_it_is_audited_and_applies(administrator, jakut):
    assert add_working_days(D(2025, 3, 3), 21, office=jakut) == D(2025, 4, 10)
    response = login(administrator).post(reverse("core:working_days"), {
        "date": "2025-04-08", "is_working": "0", "name": "Libur kantor", "office": jakut.pk,
        "note": "SK Kepala Kantor 12/2025",
    })
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2025")
    override = WorkingDayOverride.objects.get()
    assert (override.date, override.is_working, override.office, override.created_by) == (
        D(2025, 4, 8), False, jakut, administrator)
    audit = AuditLog.objects.get(event=AuditEvent.CALENDAR_CHANGE)
    assert audit.actor == administrator and audit.office_id == jakut.pk
    assert audit.changes["date"] == [None, "2025-04-08"]
    assert audit.changes["is_working"] == [None, False]
    # The next computation sees it at once, for that office only.
    assert add_working_days(D(2025, 3, 3), 21, office=jakut) == D(2025, 4, 11)
    assert add_working_days(D(2025, 3, 3), 21) == D(2025, 4, 10)
    page = login(administrator).get(reverse("core:working_days"), {"year": "2025"}).content
    assert b"Libur kantor" in page and b"SK Kepala Kantor 12/2025" in page


def test_a_second_national_override_for_the_same_day_is_refused_with_a_message(
        administrator, saturday_worked):
    response = login(administrator).post(reverse("core:working_days"), {
        "date": "2025-04-05", "is_working": "0", "name": "Lagi",
    }, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert "Sudah ada penyesuaian nasional untuk hari ini." in response.content.decode()
    assert WorkingDayOverride.objects.count() == 1
    assert AuditLog.objects.filter(event=AuditEvent.CALENDAR_CHANGE).count() == 1


def test_the_same_day_may_have_a_national_and_an_office_override(administrator, jakut,
                                                                  saturday_worked):
    response = login(administrator).post(reverse("core:working_days"), {
        "date": "2025-04-05", "is_working": "0", "name": "Kantor tutup", "office": jakut.pk,
    })
    assert response.status_code == 302
    assert WorkingDayOverride.objects.count() == 2


@pytest.mark.parametrize("date", ["1800-01-01", "2150-01-01", "not-a-date", ""])
def test_dates_outside_the_calendar_are_refused(administrator, date):
    response = login(administrator).post(reverse("core:working_days"), {
        "date": date, "is_working": "1", "name": "X"}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert not WorkingDayOverride.objects.exists()


@pytest.mark.parametrize("year", ["abc", "99999", "1200", "２０２５", "-1"])
def test_an_unreadable_year_shows_this_year(administrator, year):
    response = login(administrator).get(reverse("core:working_days"), {"year": year})
    assert response.status_code == 200
    assert 1950 <= response.context["year"] <= 2099


def test_admin_edits_and_removes_an_override_each_audited(administrator, saturday_worked,
                                                          jakpus):
    client = login(administrator)
    url = reverse("core:working_day_override", args=[saturday_worked.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"date": "2025-04-12", "is_working": "1",
                                 "name": "Sabtu pengganti", "office": jakpus.pk})
    assert response.status_code == 302
    saturday_worked.refresh_from_db()
    assert (saturday_worked.date, saturday_worked.office) == (D(2025, 4, 12), jakpus)
    change = AuditLog.objects.filter(event=AuditEvent.CALENDAR_CHANGE).order_by("-id").first()
    assert change.changes == {"date": ["2025-04-05", "2025-04-12"], "office": [None, jakpus.pk]}
    response = client.post(url, {"action": "delete"})
    assert response.status_code == 302
    assert not WorkingDayOverride.objects.exists()
    removal = AuditLog.objects.filter(event=AuditEvent.CALENDAR_CHANGE).order_by("-id").first()
    assert removal.changes["date"] == ["2025-04-12", None]
    assert AuditLog.objects.filter(event=AuditEvent.CALENDAR_CHANGE).count() == 3


def test_the_year_can_be_downloaded_as_excel(administrator, saturday_worked):
    response = login(administrator).get(reverse("core:working_days"),
                                        {"year": "2025", "export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def test_an_unknown_override_is_404(administrator):
    assert login(administrator).get(
        reverse("core:working_day_override", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "head", "analyst", "police_partner",
                                     "hotel_operator"])
def test_other_personas_are_refused(request, persona, saturday_worked):
    client = login(request.getfixturevalue(persona))
    detail = reverse("core:working_day_override", args=[saturday_worked.pk])
    assert client.get(reverse("core:working_days")).status_code == 403
    assert client.get(detail).status_code == 403
    assert client.post(reverse("core:working_days"), {
        "date": "2025-04-08", "is_working": "0", "name": "X"}).status_code == 403
    assert client.post(detail, {"action": "delete"}).status_code == 403
    assert WorkingDayOverride.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_log_in(anonymous, saturday_worked):
    response = anonymous.get(reverse("core:working_days"))
    assert response.status_code == 302 and reverse("core:login") in response["Location"]
    response = anonymous.post(reverse("core:working_day_override", args=[saturday_worked.pk]),
                              {"action": "delete"})
    assert response.status_code == 302
    assert WorkingDayOverride.objects.count() == 1
