"""Screening's listener to the registry's announcements (:mod:`pora.registry.events`).

The registry and lodging announce foreigners recorded, changed, given a permit or checked
in; this listener screens them. Registered in :class:`ScreeningConfig.ready`, so neither
area imports screening. With no list entry anywhere, each announcement returns after the
lists' version check (at most one query a second per process).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from pora.registry.models import Person
from pora.screening import index_cache

# The person's facts screening compares, and the office that decides which local lists
# apply: a change to any of them screens the person again.
SCREENED_PERSON_FIELDS = frozenset({
    "surname", "given_names", "other_names", "sex", "birth_year", "birth_month", "birth_day",
    "nationality", "office",
})


class ScreeningListener:
    def person_changed(self, person: Person, *, trigger: str, context: dict,
                       fields: Collection[str] | None) -> None:
        """Screen one foreigner once the current transaction commits."""
        if fields is not None and not set(fields) & SCREENED_PERSON_FIELDS:
            return
        if not index_cache.screeners():
            return
        from pora.screening.services.screening import screen_after_commit

        screen_after_commit(person, trigger=trigger, context=context)

    def persons_changed(self, contexts: Mapping[int, dict], *, trigger: str,
                        context: dict) -> None:
        """Screen many foreigners in the background (a permit import, a guest list)."""
        if not index_cache.screeners():
            return
        from pora.screening.services.screening import screen_persons_later

        screen_persons_later(contexts, trigger=trigger, context=context)


WATCHLIST_ALERT = _("Confirmed watchlist hit: %(list)s (%(kind)s). Action: %(action)s.")


def explain_watchlist_alert(facts: dict[str, Any]) -> str:
    """The alert of a confirmed hit, the list's kind and the action in the reader's words."""
    from pora.screening.models import Action, ListKind

    labels = dict(facts)
    for key, choices in (("kind", ListKind), ("action", Action)):
        if facts.get(key) in choices.values:
            labels[key] = choices(facts[key]).label
    try:
        return str(WATCHLIST_ALERT) % labels
    except (KeyError, TypeError, ValueError):
        return str(WATCHLIST_ALERT)
