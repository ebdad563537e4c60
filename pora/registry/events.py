"""What the registry announces when a foreigner is recorded or changes.

Areas above the registry react to a foreigner's record — screening compares them with the
watchlists; later areas will open cases or count — but the registry must not import them.
Each such area registers a :class:`PersonListener` in its ``AppConfig.ready()``; the
registry's services, its imports, and lodging (whose guests are the registry's foreigners)
announce through the functions below. With no listener an announcement costs nothing.

Listeners decide for themselves what an announcement means to them (screening ignores a
change to fields it does not compare) and must never fail the write that announced it:
they run after the write's commit or in the background.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pora.registry.models import Person


class PersonListener(Protocol):
    def person_changed(self, person: Person, *, trigger: str, context: dict,
                       fields: Collection[str] | None) -> None:
        """One foreigner was recorded (``fields`` None) or these fields changed."""

    def persons_changed(self, contexts: Mapping[int, dict], *, trigger: str,
                        context: dict) -> None:
        """Many foreigners were recorded or changed (an import, a guest list): their ids,
        each with what concerns that foreigner alone (e.g. the guest's stay)."""


_listeners: list[PersonListener] = []


def listen(listener: PersonListener) -> None:
    """Register ``listener`` once (AppConfig.ready may run more than once in tests)."""
    if all(type(known) is not type(listener) for known in _listeners):
        _listeners.append(listener)


def person_changed(person: Person, *, trigger: str, context: dict | None = None,
                   fields: Collection[str] | None = None) -> None:
    """Announce that ``person`` was recorded (``fields`` None) or that ``fields`` changed."""
    for listener in _listeners:
        listener.person_changed(person, trigger=trigger, context=dict(context or {}),
                                fields=fields)


def persons_changed(person_ids: Iterable[int] | Mapping[int, dict], *, trigger: str,
                    context: dict | None = None) -> None:
    """Announce many foreigners at once; a mapping gives each its own context."""
    if not _listeners:
        return
    contexts = (dict(person_ids) if isinstance(person_ids, Mapping)
                else {key: {} for key in person_ids})
    if not contexts:
        return
    for listener in _listeners:
        listener.persons_changed(contexts, trigger=trigger, context=dict(context or {}))
