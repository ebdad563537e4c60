"""A trigram index on passport numbers (PostgreSQL): search by a part of one."""

from django.db import migrations


def trigram_on_numbers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS registry_traveldocument_number_trgm "
            "ON registry_traveldocument USING gin (number gin_trgm_ops)"
        )


def trigram_off_numbers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS registry_traveldocument_number_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0009_permitimport_requeued"),
    ]

    operations = [
        migrations.RunPython(trigram_on_numbers, trigram_off_numbers),
    ]
