"""Fixtures of every screening test: a clean in-process index, a media folder per test
and a shared wanted-persons list."""

from __future__ import annotations

import pytest

from pora.screening import index_cache
from pora.screening.models import Watchlist
from pora.screening.services import watchlist_create


@pytest.fixture(autouse=True)
def fresh_index():
    """Each test's database is rolled back under the process's index: start clean."""
    index_cache.reset()
    yield
    index_cache.reset()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def wanted_list(officer) -> Watchlist:
    """Polda Metro Jaya's wanted persons, shared with every office."""
    return watchlist_create(actor=officer, office=officer.office, name="DPO Polda Metro Jaya",
                            kind="wanted", shared=True, source="Polda Metro Jaya",
                            default_action="arrest")
