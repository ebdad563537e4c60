"""`pora bench <area>`: measure the figures an issue sets as targets.

Each benchmark builds its own throwaway database (the test database of the configured
server, created and dropped here), generates its data, prints every figure beside its
target and exits non-zero when one is missed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

BENCHES = {"registry": "pora.registry.bench"}


class Command(BaseCommand):
    help = "Run a benchmark: " + ", ".join(BENCHES)

    def add_arguments(self, parser):
        parser.add_argument("area", choices=sorted(BENCHES))
        parser.add_argument("--persons", type=int, default=1_000_000)
        parser.add_argument("--import-rows", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=300)
        parser.add_argument("--keep", action="store_true", help="keep the bench database")

    def handle(self, *args, area, persons, import_rows, queries, keep, **options):
        from importlib import import_module

        module = import_module(BENCHES[area])
        settings_dict = connection.settings_dict
        settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            settings_dict["TEST"]["NAME"] = str(
                __import__("django.conf").conf.settings.VAR_DIR / "bench.sqlite3")
        else:
            settings_dict["TEST"]["NAME"] = "pora_bench"
        old_name = settings_dict["NAME"]
        self.stdout.write(f"Creating the bench database ({connection.vendor}) …")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            results = module.run(persons=persons, import_rows=import_rows, queries=queries,
                                 out=self.stdout)
        finally:
            if not keep:
                connection.creation.destroy_test_db(old_name, verbosity=0)
        missed = [r for r in results if not r.ok]
        self.stdout.write("")
        self.stdout.write(f"{'figure':<52} {'measured':>14} {'target':>14}  result")
        for r in results:
            self.stdout.write(f"{r.name:<52} {r.measured:>14} {r.target:>14}  "
                              f"{'ok' if r.ok else 'MISSED'}")
        if missed:
            raise CommandError(f"{len(missed)} target(s) missed")
