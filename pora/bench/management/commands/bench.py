"""`pora bench <area>`: measure the figures an issue sets as targets.

Each benchmark builds its own throwaway database (the test database of the configured
server, created and dropped here), generates its data, prints every figure beside its
target and exits non-zero when one is missed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from pora.bench.harness import print_results
from pora.bench.screening import PARTS as SCREENING_PARTS
from pora.bench.screening import QUALITY_PARTS
from pora.screening.eval import ENTRIES as EVAL_ENTRIES
from pora.screening.eval import QUERIES as EVAL_QUERIES
from pora.screening.eval import SEED as EVAL_SEED

BENCHES = {"registry": "pora.bench.registry", "lodging": "pora.bench.lodging",
           "screening": "pora.bench.screening", "accesslog": "pora.bench.accesslog"}
# The scratch database of each benchmark (on SQLite a file under VAR_DIR).
DATABASE_NAMES = {"registry": "pora_bench", "lodging": "pora_bench_lodging",
                  "screening": "pora_bench_screening", "accesslog": "pora_bench_accesslog"}
DEFAULT_PERSONS = {"registry": 1_000_000, "lodging": 100_000}
DEFAULT_SERVERS = {"lodging": 8, "screening": 2}
DEFAULT_QUERIES = {"registry": 300, "screening": 2000}


class Command(BaseCommand):
    help = "Run a benchmark: " + ", ".join(BENCHES)

    def add_arguments(self, parser):
        parser.add_argument("area", choices=sorted(BENCHES))
        parser.add_argument("--persons", type=int, default=None,
                            help="registry size (registry: 1,000,000; lodging: 100,000)")
        parser.add_argument("--keep", action="store_true", help="keep the bench database")
        registry = parser.add_argument_group("registry")
        registry.add_argument("--import-rows", type=int, default=100_000)
        registry.add_argument("--queries", type=int, default=None,
                              help="searches (registry: 300) or persons screened one by one "
                                   "(screening: 2,000)")
        lodging = parser.add_argument_group("lodging and screening (API)")
        lodging.add_argument("--requests", type=int, default=3000,
                             help="requests per measured phase")
        lodging.add_argument("--warmup", type=int, default=200)
        lodging.add_argument("--clients", type=int, default=20)
        lodging.add_argument("--rate", type=float, default=200,
                             help="check-ins/s offered in the latency phase")
        lodging.add_argument("--guest-rows", type=int, default=100_000)
        lodging.add_argument("--servers", type=int, default=None,
                             help="`pora serve --workers`: waitress processes on the port "
                                  "(default lodging: 8, screening: 2)")
        lodging.add_argument("--threads", type=int, default=2,
                             help="waitress threads per process")
        accesslog = parser.add_argument_group("accesslog")
        accesslog.add_argument("--rows", type=int, default=10_000_000,
                               help="access log rows: a year of an office (10,000,000)")
        screening = parser.add_argument_group("screening")
        screening.add_argument("--only", default=None,
                               help="comma-separated parts: " + ",".join(SCREENING_PARTS)
                                    + " (default: all)")
        screening.add_argument("--quality", action="store_true",
                               help="the quality parts only: the labelled pairs and the "
                                    "evaluation set (--only " + ",".join(QUALITY_PARTS) + ")")
        screening.add_argument("--eval-entries", type=int, default=EVAL_ENTRIES,
                               help="evaluation set: list entries")
        screening.add_argument("--eval-queries", type=int, default=EVAL_QUERIES,
                               help="evaluation set: registry persons (dev and held_out)")
        screening.add_argument("--eval-seed", type=int, default=EVAL_SEED,
                               help="evaluation set: its seed (the targets are seed 1's "
                                    "held_out; another seed is another draw to work on)")
        screening.add_argument("--reference", choices=("auto", "logic-v2", "rapidfuzz"),
                               default="auto",
                               help="the scorer the evaluation set compares against: "
                                    "logic-v2 when nomenklatura is installed (uv sync "
                                    "--extra reference), else the rapidfuzz baseline")
        screening.add_argument("--entries", type=int, default=100_000,
                               help="watchlist entries (single, api, bulk)")
        screening.add_argument("--bulk-persons", type=int, default=1_000_000)
        screening.add_argument("--workers", type=int, default=2,
                               help="processes of the bulk run")
        screening.add_argument("--sample", type=int, default=200,
                               help="bulk persons checked against every entry")
        screening.add_argument("--memory-entries", type=int, default=1_000_000)

    def handle(self, *args, area, persons, keep, **options):
        from importlib import import_module

        module = import_module(BENCHES[area])
        servers = options["servers"] or DEFAULT_SERVERS.get(area)
        needs_database = True
        if area == "registry":
            kwargs = {"persons": persons or DEFAULT_PERSONS[area],
                      "import_rows": options["import_rows"],
                      "queries": options["queries"] or DEFAULT_QUERIES[area]}
        elif area == "accesslog":
            kwargs = {"rows": options["rows"]}
        elif area == "lodging":
            kwargs = {"persons": persons or DEFAULT_PERSONS[area], "servers": servers,
                      **{k: options[k] for k in (
                          "requests", "warmup", "clients", "rate", "guest_rows", "threads")}}
        else:
            if options["quality"] and options["only"] is not None:
                raise CommandError("--quality is --only " + ",".join(QUALITY_PARTS)
                                   + ": give one of them")
            only = ",".join(QUALITY_PARTS) if options["quality"] else \
                options["only"] or ",".join(SCREENING_PARTS)
            parts = tuple(p.strip() for p in only.split(",") if p.strip())
            unknown = set(parts) - set(SCREENING_PARTS)
            if unknown or not parts:
                raise CommandError(f"--only: choose among {', '.join(SCREENING_PARTS)}")
            kwargs = {"parts": parts, "servers": servers,
                      "queries": options["queries"] or DEFAULT_QUERIES[area],
                      **{k: options[k] for k in (
                          "entries", "requests", "warmup", "clients", "threads",
                          "bulk_persons", "workers", "sample", "memory_entries",
                          "eval_entries", "eval_queries", "eval_seed", "reference")}}
            needs_database = "api" in parts
        if not needs_database:
            return self._report(module.run(**kwargs, out=self.stdout))
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
        self._report(results)

    def _report(self, results) -> None:
        missed = print_results(results, self.stdout)
        if missed:
            raise CommandError(f"{len(missed)} target(s) missed")
