"""What a check-in costs the database: the Idempotency-Key adds one statement (the key's
insert, in the stay's transaction) and no look-up; a retry answers from the key."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pora.lodging.tests.test_api import CHECK_INS, api, passport, post, raw_token  # noqa: F401

pytestmark = pytest.mark.django_db

# Measured (SQLite and PostgreSQL alike) with the key in lodging's own table, before it
# moved to core's: a known guest's check-in makes 10 statements without a key and 11 with
# one (its insert); a retry with the same key and body 12 (the stay's insert fails on its
# unique index, the stay is read, the key's insert finds the key, the key is read).
WITHOUT_KEY, WITH_KEY, REPLAY = 10, 11, 12


def _statements(client, body: str, **headers) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = post(client, CHECK_INS, body, **headers)
    assert response.status_code in {200, 201}, response.content
    return len(queries), [q["sql"] for q in queries.captured_queries]


def test_a_key_costs_a_check_in_one_insert_and_no_look_up(api):
    # The first call also writes the token's "last used" time (at most once a minute).
    post(api, CHECK_INS, passport(document_number="W0000001"))
    plain, _sql = _statements(api, json.dumps(passport(document_number="W0000002")))
    body = json.dumps(passport(document_number="W0000003"))
    keyed, sql = _statements(api, body, **{"Idempotency-Key": "q-1"})
    assert sum("idempotencykey" in s.lower() for s in sql) == 1
    assert not any(s.lstrip().upper().startswith("SELECT") and "idempotencykey" in s.lower()
                   for s in sql)
    replayed, _sql = _statements(api, body, **{"Idempotency-Key": "q-1"})
    assert (plain, keyed, replayed) == (WITHOUT_KEY, WITH_KEY, REPLAY)
