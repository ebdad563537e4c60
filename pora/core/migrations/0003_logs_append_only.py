"""On PostgreSQL the audit and access logs refuse UPDATE and DELETE in the database itself."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION pora_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'PORA logs are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # params=None: the function body's RAISE uses '%' placeholders, which psycopg would
    # otherwise read as query parameters.
    schema_editor.execute(FUNCTION, params=None)
    for table in ("core_auditlog", "core_accesslog"):
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION pora_refuse_change()",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("core_auditlog", "core_accesslog"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS pora_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_jakarta_utara")]
    operations = [migrations.RunPython(forwards, backwards)]
