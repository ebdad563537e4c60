"""Re-run the lodging detection rules: every current guest, and silent lodgings.

Run it nightly (cron or a systemd timer): ``pora lodging_nightly``.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from pora.lodging.services.alerts import run_nightly


class Command(BaseCommand):
    help = "Run the lodging detection rules over current guests and lodgings."

    def handle(self, *args, **options):
        result = run_nightly()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in result.items()))
