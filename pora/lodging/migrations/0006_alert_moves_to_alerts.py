# The Alert model moves to the alerts app, which every detecting area uses; its table
# (lodging_alert) and rows stay as they are (alerts 0001 takes the model over).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("lodging", "0005_guestlistimport_requeued"),
        ("alerts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Alert")],
            database_operations=[],
        ),
    ]
