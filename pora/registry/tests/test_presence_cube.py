"""The headline's cube stays equal to the permits it counts, whatever writes them
(on PostgreSQL and SQLite alike: each has its own triggers)."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from pora.conftest import make_permit, make_person
from pora.demo.registry import generate
from pora.registry import services
from pora.registry.models import StayPermit

FRESH = """
SELECT office_id, kind, COALESCE(kelurahan_id, 0), valid_from, valid_until,
       COALESCE(stay_ends_on, '9999-12-31'), COALESCE(cancelled_on, '9999-12-31'),
       superseded_on IS NOT NULL, COUNT(*)
FROM registry_staypermit GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
"""
CUBE = """
SELECT office_id, kind, kelurahan_id, valid_from, valid_until, stay_ends_on, cancelled_on,
       superseded, permits
FROM registry_presencecube WHERE permits <> 0
"""


def _plain(value):
    # SQLite returns computed dates as text and flags as 0/1; compare them alike.
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _rows(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(tuple(_plain(v) for v in row) for row in cursor.fetchall())


def test_cube_matches_permits_after_generation_import_updates_and_deletes(jakut, officer):
    generate(office=jakut, holders={"ITAS": 30, "ITAP": 8, "ITK": 6}, overstay=3, departed=4,
             companies=3, seed=9)
    assert _rows(CUBE) == _rows(FRESH)

    person = make_person(actor=officer, passport="EC0000001")
    first = make_permit(person, actor=officer, number="CUBE-1")
    # An extension supersedes the first permit: an UPDATE of its stay dates.
    make_permit(person, actor=officer, number="CUBE-2", valid_from=dt.date(2024, 6, 1),
                valid_until=dt.date(2025, 5, 31))
    services.permit_record_departure(actor=officer, permit=StayPermit.objects.get(
        number="CUBE-2"), departed_on=dt.date(2024, 8, 1))
    services.permit_cancel(actor=officer, permit=first, cancelled_on=dt.date(2024, 3, 1),
                           reason="uji")
    assert _rows(CUBE) == _rows(FRESH)

    StayPermit.objects.filter(number="CUBE-2").delete()
    StayPermit.objects.filter(kind="ITK").update(valid_until=dt.date(2030, 1, 1))
    assert _rows(CUBE) == _rows(FRESH)
