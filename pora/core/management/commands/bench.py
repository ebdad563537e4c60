"""`pora bench <area>`: measure the figures an issue sets as targets.

Each benchmark builds its own throwaway database (the test database of the configured
server, created and dropped here), generates its data, prints every figure beside its
target and exits non-zero when one is missed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

BENCHES = {"registry": "pora.registry.bench", "lodging": "pora.lodging.bench"}
# The scratch database of each benchmark (on SQLite a file under VAR_DIR).
DATABASE_NAMES = {"registry": "pora_bench", "lodging": "pora_bench_lodging"}
DEFAULT_PERSONS = {"registry": 1_000_000, "lodging": 100_000}


class Command(BaseCommand):
    help = "Run a benchmark: " + ", ".join(BENCHES)

    def add_arguments(self, parser):
        parser.add_argument("area", choices=sorted(BENCHES))
        parser.add_argument("--persons", type=int, default=None,
                            help="registry size (registry: 1,000,000; lodging: 100,000)")
        parser.add_argument("--keep", action="store_true", help="keep the bench database")
        registry = parser.add_argument_group("registry")
        registry.add_argument("--import-rows", type=int, default=100_000)
        registry.add_argument("--queries", type=int, default=300)
        lodging = parser.add_argument_group("lodging")
        lodging.add_argument("--requests", type=int, default=3000,
                             help="check-ins per measured phase")
        lodging.add_argument("--warmup", type=int, default=200)
        lodging.add_argument("--clients", type=int, default=20)
        lodging.add_argument("--rate", type=float, default=200,
                             help="check-ins/s offered in the latency phase")
        lodging.add_argument("--guest-rows", type=int, default=100_000)
        lodging.add_argument("--servers", type=int, default=4,
                             help="waitress processes on the port (1: `pora serve` itself)")
        lodging.add_argument("--threads", type=int, default=2,
                             help="waitress threads per process")

    def handle(self, *args, area, persons, keep, **options):
        from importlib import import_module

        module = import_module(BENCHES[area])
        persons = persons or DEFAULT_PERSONS[area]
        if area == "registry":
            kwargs = {"persons": persons, "import_rows": options["import_rows"],
                      "queries": options["queries"]}
        else:
            kwargs = {"persons": persons, **{k: options[k] for k in (
                "requests", "warmup", "clients", "rate", "guest_rows", "servers", "threads")}}
        settings_dict = connection.settings_dict
        settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            settings_dict["TEST"]["NAME"] = str(
                __import__("django.conf").conf.settings.VAR_DIR
                / f"{DATABASE_NAMES[area]}.sqlite3")
        else:
            settings_dict["TEST"]["NAME"] = DATABASE_NAMES[area]
        old_name = settings_dict["NAME"]
        self.stdout.write(f"Creating the bench database ({connection.vendor}) …")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            results = module.run(**kwargs, out=self.stdout)
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
