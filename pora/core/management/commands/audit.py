"""`pora audit verify | seal`: check the hash chains of the audit and access logs."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pora.core import chain


class Command(BaseCommand):
    help = ("verify: recompute the hash chains of the audit and access logs (exit 1 naming "
            "the first broken row); seal: link the rows written since the last seal now")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "seal"])
        parser.add_argument("--log", choices=sorted(chain.LOGS), action="append",
                            help="only this log (repeatable); default both")

    def handle(self, *args, action: str, log: list[str] | None, **options):
        names = log or list(chain.LOGS)
        if action == "seal":
            for name in names:
                count = chain.seal(chain.LOGS[name])
                self.stdout.write(f"{name} log: {count} rows sealed")
            return
        broken = []
        for name in names:
            verdict = chain.verify(name)
            if verdict.intact:
                self.stdout.write(
                    f"{name} log: intact, {verdict.checked} rows; head {verdict.head_seq} "
                    f"{verdict.head_hash or '-'}; {verdict.unsealed} not sealed yet")
            else:
                self.stderr.write(f"{name} log: BROKEN after {verdict.checked} intact rows: "
                                  f"{verdict.reason}")
                broken.append(name)
        if broken:
            raise CommandError(f"broken: {', '.join(broken)} log", returncode=1)
