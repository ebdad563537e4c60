"""Load pora/registry/data/visa_index.csv (or another file in its format) into the visa
index table: new codes are added, changed ones updated, none deleted; each change audited."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pora.core.audit import audit_record
from pora.core.models import AuditEvent
from pora.registry.models import VisaIndex
from pora.registry.visa_codes import DATA_FILE, DataFileError, load_rows, read_rows


class Command(BaseCommand):
    help = "Load the visa index reference data file (idempotent; deletes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DATA_FILE))

    def handle(self, *args, file: str, **options):
        try:
            rows = read_rows(Path(file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, DataFileError) as exc:
            raise CommandError(f"{file}: {exc}") from None
        with transaction.atomic():
            created, updated = load_rows(VisaIndex, rows)
            for visa in created:
                audit_record(actor=None, event=AuditEvent.CREATE, obj=visa,
                             note=f"visa_index_load {Path(file).name}")
            for visa, changes in updated:
                audit_record(actor=None, event=AuditEvent.UPDATE, obj=visa, changes=changes,
                             note=f"visa_index_load {Path(file).name}")
        self.stdout.write(f"{len(rows)} rows: {len(created)} created, {len(updated)} updated")
