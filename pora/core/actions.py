"""Named audit actions, declared by the areas that perform them.

An audit row's ``event`` says what kind of write it was (created, updated, …); its
``action`` says what happened in the area's own words: ``permit.cancelled``,
``hit.confirmed``, ``stay.checked_in``. Each area registers its actions in its
``AppConfig.ready`` (core imports no area): a label for the log page's filter and a
sentence the page reads the row as ("petugas_jakut membatalkan izin 2C11JE0001-AA milik
WANG, XIAOMING").

The areas also lend the log pages what core cannot know: the names of the persons a row
is about, and which persons a name means (:func:`register_persons`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Action:
    code: str  # "area.what_happened", at most 40 characters
    label: str | Promise  # for the filter: "Permit cancelled"
    # The row as a sentence: ``%(actor)s``, ``%(object)s`` (the object's label) and, for
    # rows about a person, ``%(person)s`` (the person's name).
    sentence: str | Promise

    def __post_init__(self) -> None:
        if len(self.code) > 40 or "." not in self.code:
            raise ValueError(f"audit action {self.code!r}: 'area.what', at most 40 characters")

    def render(self, facts: dict[str, Any]) -> str:
        try:
            return str(self.sentence) % facts
        except (KeyError, TypeError, ValueError):
            return f"{facts.get('actor', '')}: {self.label}"


_ACTIONS: dict[str, Action] = {}


def register(*actions: Action) -> None:
    """Declare actions; the same code twice must mean the same action."""
    for action in actions:
        known = _ACTIONS.get(action.code)
        if known is not None and known != action:
            raise ValueError(f"audit action {action.code!r} is declared twice")
        _ACTIONS[action.code] = action


def get(code: str | None) -> Action | None:
    return _ACTIONS.get(code) if code else None


def is_known(code: str) -> bool:
    return code in _ACTIONS


def all_actions() -> list[Action]:
    return sorted(_ACTIONS.values(), key=lambda a: a.code)


# ------------------------------------------------------------------ persons of the logs


@dataclass(frozen=True)
class PersonDirectory:
    # {id: name} of these persons (any the caller asks for: the rows are the office's).
    names: Callable[[Iterable[int]], dict[int, str]]
    # Ids of the persons ``user`` may see whose name matches ``query``, best first.
    search: Callable[[Any, str], list[int]]


_DIRECTORIES: list[PersonDirectory] = []


def register_persons(directory: PersonDirectory) -> None:
    if directory not in _DIRECTORIES:
        _DIRECTORIES.append(directory)


def person_names(ids: Iterable[int]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    found: dict[int, str] = {}
    for directory in _DIRECTORIES:
        if not wanted - found.keys():
            break
        found.update(directory.names(wanted - found.keys()))
    return found


def persons_named(user, query: str) -> list[int]:
    """Ids of the persons ``user`` may see whose name matches ``query``."""
    ids: list[int] = []
    for directory in _DIRECTORIES:
        ids.extend(i for i in directory.search(user, query) if i not in ids)
    return ids
