"""Which registered foreigner a reported guest is.

In order: the same travel document with the same nationality and birth date; else a
similar name with the same birth date and nationality; else nobody (a new foreigner is
recorded). Every link carries the facts it rested on, shown to officers who may correct it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from pora.core.rows import Columns, cache_related, fetch
from pora.names.folding import fold
from pora.names.similarity import name_similarity
from pora.registry.models import Person, TravelDocument

# Persons sharing a nationality and a full birth date are few; the cap keeps a common
# partial date (year only) from reading thousands.
NAME_CANDIDATES_MAX = 2000


@dataclass(frozen=True)
class Guest:
    """A guest's identity as the lodging reported it (MRZ, typed, or a guest list)."""

    surname: str
    given_names: str
    nationality: str
    document_number: str
    issuing_state: str
    sex: str = "X"
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    document_expiry: Any = None

    @property
    def folded_name(self) -> str:
        return fold(f"{self.given_names} {self.surname}")


@dataclass
class Link:
    person: Person | None
    method: str  # LinkMethod value
    facts: dict[str, Any] = field(default_factory=dict)


def _birth_agrees(person: Person | _Candidate, guest: Guest) -> bool:
    """Equal on every part both sides know; a year must be known on both."""
    if person.birth_year is None or guest.birth_year is None:
        return False
    pairs = ((person.birth_year, guest.birth_year), (person.birth_month, guest.birth_month),
             (person.birth_day, guest.birth_day))
    return all(a == b for a, b in pairs if a is not None and b is not None)


def _sex_agrees(person: Person | _Candidate, guest: Guest) -> bool:
    return "X" in (person.sex, guest.sex) or person.sex == guest.sex


def name_candidates(guest: Guest):
    """Persons of the guest's nationality whose known birth date parts agree with the
    guest's: a registry record with only a year of birth is a candidate for a full date."""
    candidates = Person.objects.filter(nationality=guest.nationality,
                                       birth_year=guest.birth_year)
    if guest.birth_month is not None:
        candidates = candidates.filter(Q(birth_month=guest.birth_month)
                                       | Q(birth_month__isnull=True))
    if guest.birth_day is not None:
        candidates = candidates.filter(Q(birth_day=guest.birth_day) | Q(birth_day__isnull=True))
    return candidates


# find_link runs on every lodging report: its two reads are written as SQL once (the
# ORM would compile them anew each time) and keep the querysets' order exactly.
_DOCUMENT = Columns(TravelDocument, "d")
_PERSON = Columns(Person, "p")
_DOCUMENTS_SQL = (
    f"SELECT {_DOCUMENT.sql}, {_PERSON.sql} FROM {TravelDocument._meta.db_table} d "
    f"JOIN {Person._meta.db_table} p ON p.id = d.person_id "
    "WHERE d.number = %s ORDER BY d.expiry_date DESC, d.number ASC")


def _documents(number: str) -> list[TravelDocument]:
    """``TravelDocument.objects.filter(number=…).select_related("person")``."""
    out = []
    for row in fetch(_DOCUMENTS_SQL, [number]):
        document = _DOCUMENT.load(row)
        cache_related(document, "person", _PERSON.load(row, _DOCUMENT.width))
        out.append(document)
    return out


class _Candidate:
    """A name candidate's row, read without building the model (a common birth date has
    hundreds): only the one chosen becomes a Person."""

    __slots__ = ("birth_day", "birth_month", "birth_year", "name_search", "pk", "row", "sex")

    def __init__(self, row: tuple) -> None:
        self.row = row
        (self.pk, self.name_search, self.sex, self.birth_year, self.birth_month,
         self.birth_day) = (row[i] for i in _CANDIDATE_COLUMNS)

    def person(self) -> Person:
        return _PERSON.load(self.row)


_CANDIDATE_COLUMNS = [[f.attname for f in _PERSON.fields].index(name) for name in
                      ("id", "name_search", "sex", "birth_year", "birth_month", "birth_day")]


def _name_candidates(guest: Guest, exclude: list[int]) -> list[_Candidate]:
    """``name_candidates(guest).exclude(pk__in=exclude)[:NAME_CANDIDATES_MAX]``."""
    where = ["p.nationality = %s", "p.birth_year = %s"]
    params: list[Any] = [guest.nationality, guest.birth_year]
    if guest.birth_month is not None:
        where.append("(p.birth_month = %s OR p.birth_month IS NULL)")
        params.append(guest.birth_month)
    if guest.birth_day is not None:
        where.append("(p.birth_day = %s OR p.birth_day IS NULL)")
        params.append(guest.birth_day)
    if exclude:
        where.append(f"NOT (p.id IN ({', '.join(['%s'] * len(exclude))}))")
        params += exclude
    sql = (f"SELECT {_PERSON.sql} FROM {Person._meta.db_table} p "
           f"WHERE {' AND '.join(where)} "
           f"ORDER BY p.surname ASC, p.given_names ASC, p.id ASC LIMIT {NAME_CANDIDATES_MAX}")
    return [_Candidate(row) for row in fetch(sql, params)]


def find_link(guest: Guest) -> Link:
    conflicts = []
    for document in _documents(guest.document_number):
        person = document.person
        if person.nationality == guest.nationality and _birth_agrees(person, guest):
            return Link(person, "document", {
                "document": f"{document.number} ({document.issuing_state})"})
        conflicts.append(person.pk)

    if guest.birth_year is not None:
        threshold = getattr(settings, "PORA_LINK_NAME_MIN", 88)
        best, best_score = None, 0.0
        query = guest.folded_name
        for person in _name_candidates(guest, conflicts):
            if not _birth_agrees(person, guest) or not _sex_agrees(person, guest):
                continue
            score = name_similarity(query, person.name_search)
            if score > best_score or (score == best_score and best and person.pk < best.pk):
                best, best_score = person, score
        if best is not None and best_score >= threshold:
            return Link(best.person(), "name", {"score": round(best_score, 1),
                                                "conflicts": conflicts})
    return Link(None, "new", {"conflicts": conflicts})


def explain_link(method: str, facts: dict[str, Any]) -> str:
    if method == "document":
        text = _("Same travel document %(document)s, nationality and birth date.") % facts
    elif method == "name":
        text = _("No document match; name %(score)s%% similar with the same birth date and "
                 "nationality.") % {"score": facts.get("score", "?")}
    elif method == "officer":
        text = _("Linked by officer %(officer)s.") % {"officer": facts.get("officer", "?")}
    else:
        text = _("No registered foreigner matched: recorded as a new foreigner.")
    if facts.get("conflicts"):
        text += " " + _("The document number is also recorded for another foreigner with a "
                        "different nationality or birth date (no. %(ids)s).") % {
            "ids": ", ".join(str(pk) for pk in facts["conflicts"])}
    return text
