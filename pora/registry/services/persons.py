from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models.fields.files import FieldFile

from pora.core.audit import audit_record, diff, snapshot
from pora.core.images import photo_copy
from pora.core.models import AdministrativeArea, AuditEvent, Office, User
from pora.core.rows import Insert
from pora.core.selectors import office_for_kelurahan
from pora.names.folding import search_key, sponsor_key
from pora.registry import events
from pora.registry.models import Person, Sex, Sponsor, SponsorKind, TravelDocument
from pora.registry.search_index import index_persons

PERSON_FIELDS = (
    "surname", "given_names", "other_names", "sex", "birth_year", "birth_month", "birth_day",
    "nationality", "kelurahan", "street", "office", "photo",
)
SPONSOR_FIELDS = ("kind", "name", "registration_number", "contact_name", "phone", "email",
                  "kelurahan", "street")


def _constraints_hold(person: Person) -> bool:
    """Person's check constraints, in Python. Django checks each with a query of its own
    (three per new guest of a lodging); they only run when this says one may fail, so
    the messages stay Django's."""
    return bool((person.birth_day is None or person.birth_month is not None)
                and (person.birth_month is None or person.birth_year is not None)
                and (person.surname or person.given_names))


# A new foreigner on every lodging report of a new guest: by SQL written once.
_PERSON_INSERT = Insert(Person)
_DOCUMENT_INSERT = Insert(TravelDocument)


def person_create(
    *,
    actor: User | None,
    office: Office,
    surname: str,
    given_names: str,
    nationality: str,
    sex: str = Sex.UNSPECIFIED,
    birth_year: int | None = None,
    birth_month: int | None = None,
    birth_day: int | None = None,
    other_names: list[str] | None = None,
    kelurahan: AdministrativeArea | None = None,
    street: str = "",
    document_number: str = "",
    document_state: str = "",
    document_expiry: dt.date | None = None,
    savepoint: bool = True,
) -> Person:
    """A new foreigner, audited and screened. Inside a transaction a savepoint undoes a
    half-made record; a caller whose own transaction (or savepoint) is undone on any error
    passes ``savepoint=False`` and saves its cost (a lodging report of a new guest)."""
    person = Person(
        surname=surname.strip(), given_names=given_names.strip(),
        other_names=list(other_names or []), sex=sex,
        birth_year=birth_year, birth_month=birth_month, birth_day=birth_day,
        nationality=nationality, kelurahan=kelurahan, street=street.strip(),
        # The office whose jurisdiction holds the address supervises the person.
        office=office_for_kelurahan(kelurahan) or office,
    )
    person.name_search = search_key(person.surname, person.given_names, person.other_names)
    # The office and kelurahan are rows already loaded: checking that they exist cost two
    # queries per new foreigner (each lodging report of a new guest).
    person.full_clean(exclude=["photo", "name_search", "office", "kelurahan"],
                      validate_constraints=not _constraints_hold(person))
    with transaction.atomic(savepoint=savepoint):
        _PERSON_INSERT.save(person)
        index_persons([(person.pk, person.office_id, person.name_search)], replace=False)
        after = snapshot(person, PERSON_FIELDS)
        if document_number:
            document = TravelDocument(
                person=person, number=document_number.upper().replace(" ", ""),
                issuing_state=document_state or nationality, expiry_date=document_expiry,
            )
            _DOCUMENT_INSERT.save(document)
            after["document"] = f"{document.number} ({document.issuing_state})"
        audit_record(actor=actor, event=AuditEvent.CREATE, action="person.created", obj=person,
                     office=person.office_id, person_id=person.pk,
                     changes={k: [None, v] for k, v in after.items()})
        events.person_changed(person, trigger="person")
    return person


@transaction.atomic
def person_update(*, actor: User | None, person: Person, **changes) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update got unknown fields: {sorted(unknown)}")
    before = snapshot(person, PERSON_FIELDS)
    photo = changes.get("photo")
    if photo and not isinstance(photo, FieldFile):
        # Stored resized: an upload may declare far more pixels than a page shows.
        changes["photo"] = photo_copy(photo, "foto")
    for name, value in changes.items():
        setattr(person, name, value)
    if "kelurahan" in changes and "office" not in changes:
        person.office = office_for_kelurahan(person.kelurahan) or person.office
    person.name_search = search_key(person.surname, person.given_names, person.other_names)
    person.full_clean(exclude=["photo", "name_search"],
                      validate_constraints=not _constraints_hold(person))
    after = snapshot(person, PERSON_FIELDS)
    changed = diff(before, after)
    if not changed:
        return person
    fields = [name for name in PERSON_FIELDS if name in changed]
    person.save(update_fields=[*fields, "name_search", "updated_at"])
    if changed.keys() & {"surname", "given_names", "other_names", "office"}:
        index_persons([(person.pk, person.office_id, person.name_search)])
    audit_record(actor=actor, event=AuditEvent.UPDATE, action="person.changed", obj=person,
                 office=person.office_id, person_id=person.pk, changes=changed)
    events.person_changed(person, trigger="person", fields=changed.keys())
    return person


@transaction.atomic
def sponsor_get_or_create(
    *,
    actor: User | None,
    name: str,
    kind: str = SponsorKind.COMPANY,
    contact_name: str = "",
    phone: str = "",
    email: str = "",
    registration_number: str = "",
    kelurahan: AdministrativeArea | None = None,
    street: str = "",
) -> Sponsor:
    key = sponsor_key(name)
    sponsor = Sponsor.objects.filter(name_key=key).first()
    if sponsor is not None:
        return sponsor
    sponsor = Sponsor(
        kind=kind, name=name.strip(), name_key=key, contact_name=contact_name, phone=phone,
        email=email, registration_number=registration_number, kelurahan=kelurahan,
        street=street,
    )
    sponsor.full_clean(exclude=["name_key"])
    sponsor.save()
    audit_record(actor=actor, event=AuditEvent.CREATE, action="sponsor.created", obj=sponsor,
                 changes={k: [None, v] for k, v in snapshot(sponsor, SPONSOR_FIELDS).items()})
    return sponsor
