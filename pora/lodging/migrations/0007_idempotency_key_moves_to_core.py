"""Idempotency keys move to core's table (one for every caller of the API): the keys
stored so far are copied over as the caller "lodging:<token id>" before lodging's table
goes, so that a retry sent across the upgrade is still answered from its key."""

from django.db import migrations

COLUMNS = "key, body_digest, status_code, response, created_at"


def _tables(apps, schema_editor) -> tuple[str, str, str]:
    quote = schema_editor.connection.ops.quote_name
    return tuple(quote(apps.get_model(app, name)._meta.db_table) for app, name in (
        ("lodging", "IdempotencyKey"), ("core", "IdempotencyKey"), ("lodging", "ApiToken")))


# In SQL, one statement each way: the rows keep their created_at (which the ORM's
# auto_now_add would set anew).
def keys_to_core(apps, schema_editor):
    old, new, _tokens = _tables(apps, schema_editor)
    schema_editor.execute(
        f"INSERT INTO {new} (caller, {COLUMNS}) "
        f"SELECT 'lodging:' || CAST(token_id AS TEXT), {COLUMNS} FROM {old}")


def keys_to_lodging(apps, schema_editor):
    old, new, tokens = _tables(apps, schema_editor)
    schema_editor.execute(
        f"INSERT INTO {old} (token_id, {COLUMNS}) "
        f"SELECT t.id, {', '.join('k.' + c for c in COLUMNS.split(', '))} "
        f"FROM {new} k JOIN {tokens} t "
        "ON k.caller = 'lodging:' || CAST(t.id AS TEXT)")
    schema_editor.execute(f"DELETE FROM {new} WHERE SUBSTR(caller, 1, 8) = 'lodging:'")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0010_idempotency_key"),
        ("lodging", "0006_alert_moves_to_alerts"),
    ]

    operations = [
        migrations.RunPython(keys_to_core, keys_to_lodging),
        migrations.DeleteModel(
            name="IdempotencyKey",
        ),
    ]
