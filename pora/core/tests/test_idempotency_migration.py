"""Lodging's idempotency keys move to core's table with their callers and ages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from pora.lodging.tests.test_api import pg_token  # noqa: F401 -- committed reference data

BEFORE = [("core", "0010_idempotency_key"), ("lodging", "0006_alert_moves_to_alerts")]
AFTER = [("lodging", "0007_idempotency_key_moves_to_core")]


@pytest.mark.django_db(transaction=True)
def test_keys_stored_before_the_upgrade_still_answer_after_it(pg_token):
    from pora.lodging.models import ApiToken

    token = ApiToken.objects.get()
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        old = apps.get_model("lodging", "IdempotencyKey")
        stored = old.objects.create(token_id=token.pk, key="pms-1", body_digest="d" * 64,
                                    status_code=201, response={"receipt_number": "R-1"})
        long_ago = timezone.now() - dt.timedelta(days=5)
        old.objects.filter(pk=stored.pk).update(created_at=long_ago)

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        [moved] = apps.get_model("core", "IdempotencyKey").objects.values(
            "caller", "key", "body_digest", "status_code", "response", "created_at")
        assert moved == {"caller": f"lodging:{token.pk}", "key": "pms-1",
                         "body_digest": "d" * 64, "status_code": 201,
                         "response": {"receipt_number": "R-1"}, "created_at": long_ago}

        # And back: the key returns to lodging's table.
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        assert list(apps.get_model("lodging", "IdempotencyKey").objects.values_list(
            "token_id", "key", "created_at")) == [(token.pk, "pms-1", long_ago)]
        assert not apps.get_model("core", "IdempotencyKey").objects.exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
