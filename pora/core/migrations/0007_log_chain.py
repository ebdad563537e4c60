"""The logs become hash chains (``pora.core.chain``); on PostgreSQL the append-only
triggers let exactly one change through, sealing an unsealed row without touching its
content, and TRUNCATE is refused as UPDATE and DELETE already were."""

from django.db import migrations, models

TABLES = ("core_auditlog", "core_accesslog")

GUARD = """
CREATE OR REPLACE FUNCTION pora_refuse_change() RETURNS trigger AS $$
DECLARE
  probe record;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.chain_seq IS NULL AND NEW.chain_seq IS NOT NULL AND NEW.chain_hash IS NOT NULL THEN
      -- The new row without its link must be the old row, column for column (a record
      -- comparison: a sixth of what comparing the rows as jsonb costs the sealer).
      probe := NEW;
      probe.chain_seq := NULL;
      probe.chain_hash := NULL;
      IF probe IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
      END IF;
    END IF;
  END IF;
  RAISE EXCEPTION 'PORA logs are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""

REFUSE_ALL = """
CREATE OR REPLACE FUNCTION pora_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'PORA logs are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # params=None: the body's RAISE uses '%' placeholders (see 0003).
    schema_editor.execute(GUARD, params=None)
    for table in TABLES:
        # Row triggers do not fire on TRUNCATE, which empties a table at once.
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION pora_refuse_change()",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    schema_editor.execute(REFUSE_ALL, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_access_log_reader'),
    ]

    operations = [
        migrations.AddField(
            model_name='accesslog',
            name='chain_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='accesslog',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='auditlog',
            name='chain_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='auditlog',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='accesslog',
            index=models.Index(condition=models.Q(('chain_seq__isnull', True)), fields=['id'], name='core_accesslog_unsealed'),
        ),
        migrations.AddIndex(
            model_name='auditlog',
            index=models.Index(condition=models.Q(('chain_seq__isnull', True)), fields=['id'], name='core_auditlog_unsealed'),
        ),
        migrations.AddConstraint(
            model_name='accesslog',
            constraint=models.UniqueConstraint(condition=models.Q(('chain_seq__isnull', False)), fields=('chain_seq',), name='core_accesslog_chain_seq'),
        ),
        migrations.AddConstraint(
            model_name='auditlog',
            constraint=models.UniqueConstraint(condition=models.Q(('chain_seq__isnull', False)), fields=('chain_seq',), name='core_auditlog_chain_seq'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
