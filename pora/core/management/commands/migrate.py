"""`pora migrate` as Django's, run as the tables' owner when DATABASE_MIGRATE_URL is set,
which then grants the application's role (DATABASE_URL) what it needs (pora.core.dbroles)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections

from pora.core.dbroles import grant_application_role


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        owner = settings.PORA_MIGRATE_DATABASE
        if owner is None or options["database"] != DEFAULT_DB_ALIAS:
            return super().handle(*args, **options)
        conn = connections[DEFAULT_DB_ALIAS]
        # Only the credentials change: the database is the one in use (the test
        # database under the test runner, never another one).
        application = {key: conn.settings_dict[key] for key in ("USER", "PASSWORD")}
        conn.close()
        conn.settings_dict.update(USER=owner["USER"], PASSWORD=owner["PASSWORD"])
        try:
            super().handle(*args, **options)
            with conn.cursor() as cursor:
                grant_application_role(cursor, application["USER"])
            if options["verbosity"]:
                self.stdout.write(f"Granted role {application['USER']} the application's rights")
        finally:
            conn.close()
            conn.settings_dict.update(application)
