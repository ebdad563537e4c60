"""The visa index codes of pora/registry/data/visa_index.csv: the 2025 scheme and the older
codes still on permits. Idempotent; updates existing rows and deletes none."""

from django.db import migrations


def load(apps, schema_editor):
    from pora.registry.visa_codes import load_rows, read_rows

    load_rows(apps.get_model("registry", "VisaIndex"), read_rows())


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_visa_index_reference")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
