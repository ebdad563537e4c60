"""Chromium driven by Playwright against pytest-django's live server.

Uses Debian's /usr/bin/chromium (or PORA_CHROMIUM); a machine without it uses the
Chromium that `make test` installs through Playwright.
"""

from __future__ import annotations

import os
import shutil

import pytest


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright():
    # Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
    # make around it (fixtures, database flushes) are plain synchronous code. Set for
    # this module only, so it never reaches other tests or the processes they start.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("PORA_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="module")
def browser(_orm_beside_playwright, django_db_setup):
    # Module scope: Playwright's loop stops before the next module's ordinary tests, and
    # the test database exists before the loop starts.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium_path(),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID",
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, username: str, password: str) -> None:
    page.goto("/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


@pytest.fixture
def jakut(transactional_db):
    """Jakarta Utara, loaded again: a live-server test empties the database afterwards,
    data migrations included, so each test puts the reference data back itself."""
    from importlib import import_module

    from django.apps import apps

    from pora.core.models import Office

    import_module("pora.core.migrations.0002_jakarta_utara").load(apps, None)
    import_module("pora.core.migrations.0004_kelurahan_coordinates").load(apps, None)
    import_module("pora.registry.migrations.0002_reference_data").load(apps, None)
    return Office.objects.get(code="jakarta-utara")
