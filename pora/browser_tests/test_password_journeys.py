"""Passwords on a phone (390 px wide): an officer changes theirs from the header menu, a
hotel's front desk resets a forgotten one from the login page with the emailed link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache

from pora.browser_tests.conftest import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NEW_PASSWORD = "kuda-lumping-sore-hari"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    cache.clear()
    yield page
    context.close()


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_officer_changes_the_password_from_the_header_menu_on_a_phone(phone, jakut):
    from pora.conftest import PASSWORD, make_user
    from pora.core.models import Role

    officer = make_user("petugas_hp", Role.OFFICER, office=jakut)
    log_in(phone, officer.username, PASSWORD)
    # On a phone the header's links are folded into its menu: open it first.
    phone.click("header details.menu-narrow summary")
    phone.click("header details.menu-narrow >> text=Ganti kata sandi")
    assert phone.locator("h1").inner_text() == "Ganti kata sandi"
    assert fits_the_phone(phone)
    phone.fill("input[name=old_password]", PASSWORD)
    phone.fill("input[name=new_password1]", "Hotel2024")
    phone.fill("input[name=new_password2]", "Hotel2024")
    phone.click("main button[type=submit]")
    assert "terlalu pendek" in phone.locator(".errorlist").first.inner_text()
    assert fits_the_phone(phone)
    phone.fill("input[name=old_password]", PASSWORD)
    phone.fill("input[name=new_password1]", NEW_PASSWORD)
    phone.fill("input[name=new_password2]", NEW_PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/akun/")
    assert "Kata sandi Anda sudah diganti" in phone.content()
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)


def test_front_desk_resets_a_forgotten_password_on_a_phone(phone, jakut):
    from pora.conftest import make_lodging, make_user
    from pora.core.models import Role

    user = make_user("fo_pluit_hp", Role.LODGING)
    user.email = "fo@pluitbay.example"
    user.save(update_fields=["email"])
    make_lodging(user=user)
    phone.goto("/masuk/")
    phone.click("text=Lupa kata sandi?")
    assert fits_the_phone(phone)
    phone.fill("input[name=email]", "fo@pluitbay.example")
    phone.click("main button[type=submit]")
    assert phone.locator("h1").inner_text() == "Periksa surel Anda"
    assert fits_the_phone(phone)
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
    phone.goto(link)
    assert phone.locator("h1").inner_text() == "Pilih kata sandi baru"
    assert fits_the_phone(phone)
    phone.fill("input[name=new_password1]", NEW_PASSWORD)
    phone.fill("input[name=new_password2]", NEW_PASSWORD)
    phone.click("main button[type=submit]")
    assert phone.locator("h1").inner_text() == "Kata sandi diganti"
    assert fits_the_phone(phone)
    log_in(phone, user.username, NEW_PASSWORD)
    phone.wait_for_url("**/penginapan/**")
    # The link is spent.
    phone.goto(link)
    assert phone.locator("h1").inner_text() == "Tautan ini tidak dapat dipakai"
