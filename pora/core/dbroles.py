"""Two PostgreSQL roles: the one that owns the tables (migrations) and the one that runs
the application.

The append-only triggers only bind a role that cannot switch them off: the owner of a
table (or a superuser) can ``ALTER TABLE … DISABLE TRIGGER`` or drop them. So the
application runs as a role that owns nothing and has no TRUNCATE right, and
``pora serve`` / ``pora worker`` refuse to start in production as anything else.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

LOG_TABLES = ("core_auditlog", "core_accesslog")


def role_problems() -> list[str]:
    """What makes the connected role able to rewrite the logs; empty when it cannot."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        user, superuser = cursor.fetchone()
        if superuser:
            return [f"role {user} is a superuser"]
        cursor.execute(
            "SELECT c.relname, pg_has_role(current_user, c.relowner, 'USAGE'), "
            "has_table_privilege(c.oid, 'TRUNCATE'), has_table_privilege(c.oid, 'TRIGGER') "
            "FROM pg_class c WHERE c.oid = ANY(ARRAY[%s, %s]::regclass[])", list(LOG_TABLES))
        problems = []
        for table, owns, truncate, trigger in cursor.fetchall():
            if owns:
                problems.append(f"role {user} owns {table} (or is a member of its owner)")
            elif truncate or trigger:
                problems.append(f"role {user} holds TRUNCATE or TRIGGER on {table}")
        return problems


def check_application_role() -> None:
    """Refuse to run the application in production as a role that could rewrite the logs."""
    if not settings.PORA_CHECK_DB_ROLE:
        return
    problems = role_problems()
    if problems:
        raise ImproperlyConfigured(
            "the database role can rewrite the audit and access logs: " + "; ".join(problems)
            + ". Run the application as a role that owns no table (DATABASE_URL) and migrate "
            "as the owner (DATABASE_MIGRATE_URL); see README, Database roles.")


def grant_application_role(cursor, role: str) -> None:
    """Give ``role`` what the application needs, nothing that rewrites a log. Run by the
    owner after every migration, so that new tables are granted too."""
    quote = connection.ops.quote_name
    role = quote(role)
    cursor.execute("SELECT current_schema()")
    schema = quote(cursor.fetchone()[0])
    logs = ", ".join(LOG_TABLES)
    for sql in (
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {logs} FROM {role}",
        # Sealing (pora.core.chain) writes these two columns; the trigger checks the rest.
        f"GRANT UPDATE (chain_seq, chain_hash) ON {logs} TO {role}",
    ):
        cursor.execute(sql)
