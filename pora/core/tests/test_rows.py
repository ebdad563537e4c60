"""Hand-written SQL for the statements every lodging report runs (pora.core.rows): rows
read back as the ORM builds them, rows written as ``save()`` writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from pora.conftest import make_person
from pora.core.models import AuditLog
from pora.core.rows import Columns, Insert, cache_related, fetch
from pora.registry.models import Person, TravelDocument

PERSON = Columns(Person, "p")
DOCUMENT = Columns(TravelDocument, "d")


@pytest.fixture
def person(officer) -> Person:
    person = make_person(actor=officer)
    Person.objects.filter(pk=person.pk).update(other_names=["WONG HSIAO MING"])
    return Person.objects.get(pk=person.pk)


def field_values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_loaded_row_equals_the_orm_instance_json_and_times_included(person):
    rows = fetch(f"SELECT {PERSON.sql} FROM registry_person p WHERE p.id = %s", [person.pk])
    loaded = PERSON.load(rows[0])
    assert field_values(loaded) == field_values(person)
    assert loaded.other_names == ["WONG HSIAO MING"]
    assert isinstance(loaded.created_at, dt.datetime) and loaded.created_at.tzinfo
    assert loaded._state.adding is False


def test_a_joined_row_caches_the_related_object(person, django_assert_num_queries):
    row = fetch(f"SELECT {DOCUMENT.sql}, {PERSON.sql} FROM registry_traveldocument d "
                "JOIN registry_person p ON p.id = d.person_id WHERE d.person_id = %s",
                [person.pk])[0]
    document = DOCUMENT.load(row)
    cache_related(document, "person", PERSON.load(row, DOCUMENT.width))
    with django_assert_num_queries(0):
        assert document.person == person
        assert document.person.surname == "WANG"


def test_some_columns_come_in_their_order_and_leave_the_rest_deferred(person):
    columns = Columns(Person, "p", ["birth_year", "id", "created_at"])
    row = fetch(f"SELECT {columns.sql} FROM registry_person p WHERE p.id = %s",
                [person.pk])[0]
    assert columns.values(row) == [1985, person.pk, person.created_at]
    loaded = columns.load(row)
    assert loaded.pk == person.pk and loaded.birth_year == 1985
    assert loaded.get_deferred_fields() >= {"surname", "other_names"}


def test_an_insert_writes_what_save_writes(person):
    with transaction.atomic():
        by_orm = AuditLog.objects.create(actor=None, actor_label="system", event="create",
                                         object_type="registry.Person",
                                         object_id=str(person.pk), person_id=person.pk,
                                         changes={"born": [None, "1985-03-21"]}, note="n")
        row = AuditLog(actor=None, actor_label="system", event="create",
                       object_type="registry.Person", object_id=str(person.pk),
                       person_id=person.pk, changes={"born": [None, "1985-03-21"]}, note="n")
        assert Insert(AuditLog).save(row) is True
    assert row.pk is not None and row.pk != by_orm.pk and row._state.adding is False
    assert row.at is not None  # auto_now_add, as save() sets it
    stored, expected = AuditLog.objects.get(pk=row.pk), AuditLog.objects.get(pk=by_orm.pk)
    ignore = {"id", "at"}
    assert ({k: v for k, v in field_values(stored).items() if k not in ignore}
            == {k: v for k, v in field_values(expected).items() if k not in ignore})
    assert stored.at == row.at


def test_an_insert_unless_the_key_exists_skips_a_row_already_there(person):
    insert = Insert(TravelDocument, unless_exists=("number", "issuing_state"))
    again = TravelDocument(person=person, number="EA1234567", issuing_state="CHN")
    with transaction.atomic():
        assert insert.save(again) is False
    assert again.pk is None and again._state.adding is True
    fresh = TravelDocument(person=person, number="EB7654321", issuing_state="CHN",
                           expiry_date=dt.date(2031, 1, 31))
    with transaction.atomic():
        assert insert.save(fresh) is True
    assert TravelDocument.objects.get(pk=fresh.pk).expiry_date == dt.date(2031, 1, 31)
    assert TravelDocument.objects.filter(number="EA1234567").count() == 1
