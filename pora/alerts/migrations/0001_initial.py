# Alerts were lodging's model (table lodging_alert). The table stays where it is: this app
# takes the model over in Django's state only, and lodging lets go of it in its 0005.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("core", "0001_initial"),
        ("registry", "0001_initial"),
        ("lodging", "0005_guestlistimport_requeued"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Alert",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("rule", models.CharField(max_length=20, verbose_name="rule")),
                        ("key", models.CharField(max_length=120, unique=True)),
                        ("facts", models.JSONField(default=dict)),
                        ("status", models.CharField(
                            choices=[("open", "Open"), ("in_progress", "Being handled"),
                                     ("closed", "Closed")],
                            default="open", max_length=12, verbose_name="status")),
                        ("first_seen", models.DateTimeField(auto_now_add=True,
                                                            verbose_name="first seen")),
                        ("last_seen", models.DateTimeField(default=django.utils.timezone.now,
                                                           verbose_name="last seen")),
                        ("times_seen", models.PositiveIntegerField(default=1,
                                                                   verbose_name="times seen")),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        ("handled_by", models.ForeignKey(
                            blank=True, null=True,
                            on_delete=django.db.models.deletion.PROTECT, related_name="+",
                            to=settings.AUTH_USER_MODEL)),
                        ("office", models.ForeignKey(
                            on_delete=django.db.models.deletion.PROTECT, related_name="+",
                            to="core.office")),
                        ("person", models.ForeignKey(
                            blank=True, null=True,
                            on_delete=django.db.models.deletion.PROTECT,
                            related_name="lodging_alerts", to="registry.person",
                            verbose_name="foreigner")),
                        ("lodging", models.ForeignKey(
                            blank=True, null=True,
                            on_delete=django.db.models.deletion.PROTECT,
                            related_name="alerts", to="lodging.lodging",
                            verbose_name="lodging")),
                        ("stay", models.ForeignKey(
                            blank=True, null=True,
                            on_delete=django.db.models.deletion.PROTECT,
                            related_name="alerts", to="lodging.stay")),
                    ],
                    options={
                        "verbose_name": "alert",
                        "verbose_name_plural": "alerts",
                        "ordering": ["-last_seen", "-id"],
                        "db_table": "lodging_alert",
                        "indexes": [models.Index(fields=["office", "status", "-last_seen"],
                                                 name="lodging_ale_office__a69b30_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
