"""On PostgreSQL the logs cannot be emptied or have their triggers switched off by the
application's role, and the application refuses to run in production as a role that could.

Roles are made inside the test's transaction (rolled back with it) and taken with
``SET LOCAL ROLE``; their names carry a random part, as the server's roles are shared by
every database on it.
"""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from pora.core import chain
from pora.core.audit import audit_record
from pora.core.dbroles import check_application_role, grant_application_role, role_problems
from pora.core.models import AuditEvent, AuditLog

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'",
                       reason="database roles and the logs' triggers exist on PostgreSQL only "
                              "(CI runs these on PostgreSQL)"),
]


def sql(statement: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def refused(statement: str, match: str) -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        sql(statement)


@pytest.fixture
def logged(officer):
    with transaction.atomic():
        return audit_record(actor=officer, event=AuditEvent.CREATE, object_type="t.Row",
                            object_id="1", note="first")


@pytest.fixture
def app_role(db) -> str:
    """A role as `pora migrate` grants it to the application (DATABASE_URL)."""
    name = f"pora_test_app_{uuid.uuid4().hex[:8]}"
    sql(f"CREATE ROLE {name} NOLOGIN")
    with connection.cursor() as cursor:
        grant_application_role(cursor, name)
    return name


@pytest.fixture
def owner_role(db) -> str:
    """A role that owns the log tables, as the migration role does (not a superuser)."""
    name = f"pora_test_owner_{uuid.uuid4().hex[:8]}"
    sql(f"CREATE ROLE {name} NOLOGIN")
    sql(f"ALTER TABLE core_auditlog OWNER TO {name}")
    sql(f"ALTER TABLE core_accesslog OWNER TO {name}")
    return name


def test_truncate_is_refused_even_to_a_superuser(logged):
    for table in ("core_auditlog", "core_accesslog"):
        refused(f"TRUNCATE {table}", f"append-only: TRUNCATE on {table} refused")
    assert AuditLog.objects.filter(pk=logged.pk).exists()


def test_the_trigger_lets_only_sealing_through(logged):
    refused(f"UPDATE core_auditlog SET chain_seq = 999999, chain_hash = 'x', note = 'other' "
            f"WHERE id = {logged.pk}", "append-only: UPDATE")
    chain.seal(AuditLog)
    row = AuditLog.objects.get(pk=logged.pk)
    assert row.chain_seq is not None and row.note == "first"
    # Once sealed, not even the link may change.
    refused(f"UPDATE core_auditlog SET chain_hash = 'x' WHERE id = {logged.pk}",
            "append-only: UPDATE")
    refused(f"UPDATE core_auditlog SET chain_seq = NULL, chain_hash = NULL "
            f"WHERE id = {logged.pk}", "append-only: UPDATE")


def test_the_application_role_writes_and_seals_but_cannot_wipe_or_unguard(officer, app_role,
                                                                          logged):
    sql(f"SET LOCAL ROLE {app_role}")
    assert role_problems() == []
    with override_settings(PORA_CHECK_DB_ROLE=True):
        check_application_role()
    with transaction.atomic():
        audit_record(actor=officer, event=AuditEvent.UPDATE, object_type="t.Row", object_id="1")
    assert chain.seal(AuditLog) >= 2
    for table in ("core_auditlog", "core_accesslog"):
        refused(f"TRUNCATE {table}", "permission denied")
        refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL", "must be owner")
        refused(f"DROP TRIGGER {table}_no_truncate ON {table}", "must be owner")
    refused(f"UPDATE core_auditlog SET note = 'x' WHERE id = {logged.pk}", "permission denied")
    refused(f"DELETE FROM core_auditlog WHERE id = {logged.pk}", "permission denied")
    sql("RESET ROLE")
    assert chain.verify("audit").intact


def test_production_start_up_refuses_a_superuser():
    # The test database's role is the postgres superuser.
    assert role_problems() == [f"role {connection.settings_dict['USER']} is a superuser"]
    with (override_settings(PORA_CHECK_DB_ROLE=True),
          pytest.raises(ImproperlyConfigured, match="is a superuser.*DATABASE_MIGRATE_URL")):
        check_application_role()
    with override_settings(PORA_CHECK_DB_ROLE=False):
        check_application_role()  # tests, DEBUG: no check


def test_production_start_up_refuses_the_tables_owner(owner_role):
    sql(f"SET LOCAL ROLE {owner_role}")
    with (override_settings(PORA_CHECK_DB_ROLE=True),
          pytest.raises(ImproperlyConfigured, match=f"role {owner_role} owns core_auditlog")):
        check_application_role()
    # ...which is why it may not run the application: it can switch the triggers off.
    sql("ALTER TABLE core_auditlog DISABLE TRIGGER ALL")
    sql("ALTER TABLE core_auditlog ENABLE TRIGGER ALL")


def test_a_member_of_the_owner_role_is_refused_too(owner_role, app_role):
    sql(f"GRANT {owner_role} TO {app_role}")
    sql(f"SET LOCAL ROLE {app_role}")
    assert any("owns core_auditlog" in problem for problem in role_problems())
