"""What the registry and lodging services call when a foreigner is recorded, changes,
receives a permit or checks in, and after their bulk imports.

Kept apart from :mod:`pora.screening.services` so that those apps import it without an
import cycle; with no list entry anywhere, each call returns after the lists' version
check (at most one query a second per process).
"""

from __future__ import annotations

from collections.abc import Iterable

from pora.registry.models import Person
from pora.screening import index_cache

# The person's facts screening compares, and the office that decides which local lists
# apply: a change to any of them screens the person again.
SCREENED_PERSON_FIELDS = frozenset({
    "surname", "given_names", "other_names", "sex", "birth_year", "birth_month", "birth_day",
    "nationality", "office",
})


def screen_after_commit(person: Person, *, trigger: str, context: dict | None = None) -> None:
    """Screen one foreigner once the current transaction commits."""
    if not index_cache.screeners():
        return
    from pora.screening.services.screening import screen_after_commit as screen

    screen(person, trigger=trigger, context=context)


def screen_persons_later(person_ids: Iterable[int], *, trigger: str,
                         context: dict | None = None) -> None:
    """Screen many foreigners in the background (after a permit import)."""
    if not index_cache.screeners():
        return
    from pora.screening.services.screening import screen_persons_later as screen

    screen(person_ids, trigger=trigger, context=context)


def screen_stays_later(stay_ids: Iterable[int], *, context: dict | None = None) -> None:
    """Screen the guests of new stays in the background (after a guest list upload)."""
    if not index_cache.screeners():
        return
    from pora.screening.services.screening import screen_stays_later as screen

    screen(stay_ids, context=context)
