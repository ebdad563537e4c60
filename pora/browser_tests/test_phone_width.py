"""Every persona's main pages fit a phone (390 CSS pixels wide) in a real Chromium.

A page wider than the screen makes the whole page slide sideways under the thumb; a wide
table scrolls inside its own box instead, and the header folds into a menu.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pora.browser_tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# The innermost elements reaching past the screen's right edge, to name in a failure.
CULPRITS = """width => [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > width
            && ![...el.children].some(c => c.getBoundingClientRect().right > width))
    .slice(0, 3).map(el => el.tagName + '.' + el.className + ' ' + el.textContent.slice(0, 40))"""


@pytest.fixture
def small_demo(jakut, settings, tmp_path):
    """The demo's six logins over a small Jakarta Utara: foreigners, lodgings and their
    guests, alerts, watchlists and hits, as `pora demo` loads them (fewer of each)."""
    from pora.core import clock
    from pora.core.models import Agency, Role, User
    from pora.core.services import user_create
    from pora.demo import lodging as lodging_demo
    from pora.demo import screening as screening_demo
    from pora.demo.management.commands.demo import AGENCIES, DEMO_PASSWORD, USERS
    from pora.demo.registry import REFERENCE_DATE, generate
    from pora.screening import index_cache

    settings.MEDIA_ROOT = tmp_path
    index_cache.reset()
    agencies = {name: Agency.objects.create(name=name, kind=kind, office=jakut)
                for name, kind in AGENCIES[:1]}
    for username, role, first_name in USERS:
        user_create(actor=None, username=username, password=DEMO_PASSWORD, role=role,
                    first_name=first_name,
                    office=jakut if role in {Role.OFFICER, Role.HEAD, Role.ANALYST} else None,
                    agency=next(iter(agencies.values())) if role == Role.PARTNER else None)
    # As `pora demo` loads it: on the demo's own day, which its pages then show.
    settings.DEMO_TODAY = REFERENCE_DATE
    with clock.pinned(REFERENCE_DATE, moment=dt.time(0, 0)):
        generate(office=jakut, holders={"ITAS": 60, "ITAP": 20, "ITK": 80}, overstay=6,
                 departed=4, companies=6, seed=3)
        lodging_demo.generate(office=jakut, reference=REFERENCE_DATE,
                              hotel_user=User.objects.get(username="hotel"), stays=40)
        screening_demo.generate(office=jakut, officer=User.objects.get(username="petugas"),
                                reference=REFERENCE_DATE)
    index_cache.reset()
    yield
    index_cache.reset()


def _first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()


def _pages(username: str) -> list[str]:
    """The main pages of each persona: what the menu offers and one of each detail page."""
    from pora.alerts.models import Alert
    from pora.core.models import User
    from pora.demo.registry import REFERENCE_DATE
    from pora.lodging.models import Lodging, Stay
    from pora.registry.models import Person, Sponsor
    from pora.screening.models import Hit, Watchlist, WatchlistEntry

    on = REFERENCE_DATE.isoformat()
    officer = [
        reverse("registry:dashboard") + f"?on={on}",
        reverse("registry:person_list") + f"?on={on}",
        reverse("registry:person_detail", args=[_first(Person, permits__isnull=False)]),
        reverse("registry:sponsor_list"),
        reverse("registry:sponsor_detail", args=[_first(Sponsor)]),
        reverse("registry:import_list"),
        reverse("lodging:officer_guests"),
        reverse("lodging:officer_stay", args=[_first(Stay)]),
        reverse("lodging:officer_map"),
        reverse("lodging:officer_compliance"),
        reverse("lodging:officer_alerts"),
        reverse("lodging:officer_alert", args=[_first(Alert)]),
        reverse("lodging:officer_lodgings"),
        reverse("lodging:officer_lodging", args=[_first(Lodging)]),
        reverse("screening:hit_list"),
        reverse("screening:hit_detail", args=[_first(Hit)]),
        reverse("screening:watchlist_list"),
        reverse("screening:watchlist_detail", args=[_first(Watchlist)]),
        reverse("screening:entry_detail", args=[_first(WatchlistEntry)]),
        reverse("core:account"),
    ]
    hotel = User.objects.get(username="hotel").lodging_staff.lodging
    pages = {
        "petugas": officer,
        "kepala": officer + [reverse("core:audit_log"), reverse("core:access_log")],
        "analis": [reverse("registry:dashboard") + f"?on={on}", reverse("lodging:officer_map"),
                   reverse("core:account")],
        "mitra": [reverse("registry:dashboard") + f"?on={on}", reverse("lodging:officer_map"),
                  reverse("core:account")],
        "hotel": [reverse("lodging:home"), reverse("lodging:check_in"),
                  reverse("lodging:check_out"),
                  reverse("lodging:stay", args=[_first(Stay, lodging=hotel)]),
                  reverse("lodging:tokens"), reverse("lodging:staff"),
                  reverse("lodging:upload_list"), reverse("core:account")],
        "admin": [reverse("core:user_list"),
                  reverse("core:user_detail", args=[User.objects.get(username="petugas").pk]),
                  reverse("core:account")],
    }
    return pages[username]


@pytest.mark.parametrize("username", ["petugas", "kepala", "analis", "mitra", "hotel", "admin"])
def test_main_pages_fit_a_phone(browser, live_server, small_demo, username):
    from pora.demo.management.commands.demo import DEMO_PASSWORD

    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, username, DEMO_PASSWORD)
        page.wait_for_url(lambda url: "/masuk/" not in url)
        too_wide = []
        for url in _pages(username):
            response = page.goto(url)
            assert response.status == 200, (url, response.status)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append((url, width, page.evaluate(CULPRITS, PHONE["width"])))
        assert not too_wide, f"wider than the phone: {too_wide}"
        # The header's menu opens and its links are reachable on the phone.
        page.goto(reverse("core:account"))
        page.click("header.bar details.menu-narrow summary")
        assert page.locator("header.bar details.menu-narrow a[href]").first.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # The language code ends before the select's chevron starts (it read "IĐ").
        room = page.evaluate("""() => {
            const s = getComputedStyle(
                document.querySelector('header.bar details.menu-narrow select[name=language]'));
            const last = text => parseFloat(text.match(/[0-9.]+/g).pop());
            const first = text => parseFloat(text.match(/[0-9.]+/g)[0]);
            return parseFloat(s.paddingRight) - last(s.backgroundPositionX)
                   - first(s.backgroundSize);
        }""")
        assert room >= 0
    finally:
        context.close()

