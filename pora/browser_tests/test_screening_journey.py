"""A listed person checks in at a hotel; the officer reviews the hit in a real Chromium.

The front desk reports the guest from the passport's machine readable zone; screening
after the check-in finds her on the shared wanted list. The officer opens the review
queue, reads why she was matched, and marks the hit a false positive with a note. When
the same person checks in again, nothing compared has changed, so the hit stays quiet.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from pora.browser_tests.conftest import log_in
from pora.conftest import PASSWORD, make_lodging, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# ICAO Doc 9303 part 4, the TD3 specimen passport of Utopia.
MRZ = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
NOTE = "Foto dan tanda tangan di paspor berbeda dengan daftar DPO."


@pytest.fixture
def fresh_index():
    """The live server screens in this process: start from the lists in this database."""
    from pora.screening import index_cache

    index_cache.reset()
    yield
    index_cache.reset()


@pytest.fixture
def front_desk(jakut):
    from pora.core.models import Role

    user = make_user("hotel_pluit", Role.LODGING)
    make_lodging(user=user)
    return user


@pytest.fixture
def listed(officer, fresh_index, settings, tmp_path):
    """ANNA MARIA ERIKSSON on Polda Metro Jaya's shared wanted list (a name in the
    passport's order, her birth date and her passport number)."""
    from pora.screening import index_cache
    from pora.screening.services import entry_save, watchlist_create

    settings.MEDIA_ROOT = tmp_path
    watchlist = watchlist_create(actor=officer, office=officer.office,
                                 name="DPO Polda Metro Jaya", kind="wanted", shared=True,
                                 source="Polda Metro Jaya", default_action="arrest")
    entry = entry_save(actor=officer, watchlist=watchlist, names=["ERIKSSON ANNA MARIA"],
                       birth_dates=["1974-08-12"], documents=["L898902C3"], sex="F",
                       reason="Penipuan investasi", source_id="DPO-2025-0042")
    index_cache.reset()
    return entry


def _watch_errors(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(f"console: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return problems


def test_officer_dismisses_a_check_in_hit_and_it_stays_dismissed(page, browser, live_server,
                                                                 front_desk, officer, listed):
    from pora.lodging.models import Source
    from pora.lodging.mrz import parse_mrz
    from pora.lodging.services.stays import StayDetails, check_in, guest_from_mrz
    from pora.screening.models import Hit, HitStatus, Trigger
    from pora.screening.reasons import reason_text

    # The front desk reports the guest.
    log_in(page, front_desk.username, PASSWORD)
    page.wait_for_url("**/penginapan/")
    page.goto("/penginapan/check-in/?mode=mrz")
    page.fill("#id_mrz", MRZ)
    page.fill("#id_room", "1207")
    page.click("#check-in-form button[type=submit]")
    page.wait_for_url(re.compile(r"/penginapan/tamu/\d+/$"))
    hit = Hit.objects.get(entry=listed)
    assert (hit.status, hit.trigger) == (HitStatus.NEW, Trigger.CHECK_IN)
    # The front desk is told nothing of it.
    assert "DPO" not in page.content()
    assert page.locator(f"a[href^='{reverse('screening:hit_list')}']").count() == 0

    # The officer, in a browser of their own.
    officer_context = browser.new_context(base_url=live_server.url, locale="id-ID")
    try:
        desk = officer_context.new_page()
        desk.set_default_timeout(15_000)
        problems = _watch_errors(desk)
        log_in(desk, officer.username, PASSWORD)
        desk.wait_for_url("**/registri/**")
        desk.click(f"header a[href='{reverse('screening:hit_list')}']")
        desk.wait_for_url(f"**{reverse('screening:hit_list')}")
        rows = desk.locator("#hit-table tbody tr")
        assert rows.count() == 1
        assert "ERIKSSON" in rows.first.inner_text()
        assert "DPO Polda Metro Jaya" in rows.first.inner_text()
        rows.first.locator("a", has_text="ERIKSSON").click()

        desk.wait_for_url(f"**{reverse('screening:hit_detail', args=[hit.pk])}")
        assert desk.locator("#hit-score").inner_text() == str(hit.score)
        reasons = desk.locator("#hit-reasons li")
        with translation.override("id"):
            expected = [reason_text(reason) for reason in hit.reasons]
        assert reasons.count() == len(expected) >= 2
        for number, text in enumerate(expected):
            assert text in reasons.nth(number).inner_text()
        side = desk.locator("#side-by-side").inner_text()
        assert "ERIKSSON ANNA MARIA" in side and "L898902C3" in side
        assert desk.locator("#hit-stay").count() == 1  # the check-in that found her

        # A false positive needs a note: refused without one, kept with it.
        desk.check("input[name=status][value=false_positive]")
        desk.click("#decision-form button[type=submit]")
        desk.locator("#id_note-errors").wait_for()
        assert Hit.objects.get(pk=hit.pk).status == HitStatus.NEW
        # The refused form answers 400, which the browser reports; nothing else so far.
        assert [p for p in problems if "status of 400" not in p] == []
        problems.clear()
        desk.check("input[name=status][value=false_positive]")
        desk.fill("#id_note", NOTE)
        desk.click("#decision-form button[type=submit]")
        desk.wait_for_url(f"**{reverse('screening:hit_detail', args=[hit.pk])}")
        desk.locator("[data-hit-status=false_positive]").first.wait_for()
        assert NOTE in desk.locator("#current-decision").inner_text()
        with translation.override("id"):
            dismissed = str(HitStatus.FALSE_POSITIVE.label)
        assert dismissed in desk.locator("#hit-history li").last.inner_text()

        desk.goto(reverse("screening:hit_list"))
        assert desk.locator("#hit-table tbody tr[data-hit]").count() == 0

        # The same guest checks in again (another stay): nothing compared has changed.
        stay, created = check_in(
            lodging=front_desk.lodging_staff.lodging, actor=front_desk, source=Source.MRZ,
            guest=guest_from_mrz(parse_mrz(MRZ, today=timezone.localdate())),
            details=StayDetails(checked_in_at=timezone.now().replace(second=0, microsecond=0)
                                + dt.timedelta(minutes=5), room="1410"))
        assert created and stay.person_id == hit.person_id
        desk.reload()
        assert desk.locator("#hit-table tbody tr[data-hit]").count() == 0
        hit.refresh_from_db()
        assert (hit.status, hit.note) == (HitStatus.FALSE_POSITIVE, NOTE)
        assert Hit.objects.filter(person_id=hit.person_id).count() == 1
        assert problems == []
    finally:
        officer_context.close()
