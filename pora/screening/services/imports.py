"""Watchlist uploads: a CSV/XLSX template or FollowTheMoney lines, applied in the background.

Entries are matched by the source's own id: a new id creates an entry, a known one
updates it when anything differs, and a complete list withdraws the active entries it no
longer holds. A row that cannot be used is kept with its reasons; it never withdraws the
entry it names. Chunks commit one by one so the progress bar moves; the lists' version
moves once at the end, and one rescreen follows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections.abc import Iterable
from itertools import islice

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from pora.core import clock
from pora.core.audit import ACTION_AUDIT_COLUMNS, audit_record, plain
from pora.core.bulk import allocate_ids, filter_in, insert_rows
from pora.core.models import AuditEvent, AuditLog, User
from pora.jobs.models import JobStatus
from pora.jobs.services import job_claim
from pora.registry.services.imports import UploadError
from pora.screening.engine.readers import (
    WATCHLIST_COLUMNS,
    FileError,
    ParsedEntry,
    RowError,
    read_watchlist,
    template_example_rows,
    watchlist_format,
    watchlist_template_headers,
)
from pora.screening.index_cache import CHANGED_MAX, bump_version, entry_fingerprint
from pora.screening.models import (
    EntryStatus,
    EntryValidity,
    ImportFormat,
    Watchlist,
    WatchlistEntry,
    WatchlistImport,
    WatchlistRejectedRow,
)
from pora.screening.services.lists import check_manager
from pora.screening.services.screening import rescreen_for_list

log = logging.getLogger(__name__)
CHUNK_SIZE = 5000
UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx", ".json", ".jsonl", ".ndjson", ".ftm", ".json.gz",
                   ".jsonl.gz")
# Compared with the stored entry: any difference makes the row an update.
IMPORT_FIELDS = ("names", "sex", "birth_dates", "age", "nationalities", "documents", "reason",
                 "source", "action", "legal_reference", "topics", "valid_from", "valid_until",
                 "status")
_SOURCE_ID_HEADERS = {WATCHLIST_COLUMNS[0].key, *WATCHLIST_COLUMNS[0].aliases}


@transaction.atomic
def watchlist_import_start(*, actor: User, watchlist: Watchlist, filename: str, data: bytes,
                           full: bool = True, run_now: bool = False) -> WatchlistImport:
    """Store the upload and queue it; ``run_now`` applies it in this process (CLI).

    Raises :class:`UploadError` for a file that cannot be read at all.
    """
    check_manager(actor, watchlist)
    limit = settings.PORA_MAX_UPLOAD_MB * 1024 * 1024
    if len(data) > limit:
        raise UploadError(_("The file is larger than %(mb)s MB.")
                          % {"mb": settings.PORA_MAX_UPLOAD_MB})
    if not filename.lower().endswith(UPLOAD_SUFFIXES):
        raise UploadError(_("Upload a .csv or .xlsx file made from the template, or "
                            "FollowTheMoney JSON lines (.json)."))
    if not data:
        raise UploadError(_("The file is empty."))
    try:
        kind = watchlist_format(data, filename)
        # Checks a table's headers at once; rows are read by the background job.
        read_watchlist(data, filename)
    except FileError as exc:
        raise UploadError(exc.translated(_)) from None
    job = WatchlistImport(
        watchlist=watchlist, created_by=actor, filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(), full=full,
        format=ImportFormat.FTM if kind == "ftm" else ImportFormat.TABLE,
    )
    job.file.save(filename, ContentFile(data), save=False)
    job.save()
    audit_record(actor=actor, event=AuditEvent.CREATE, action="watchlist_import.started",
                 obj=job, office=watchlist.office_id,
                 object_label=(_("Watchlist import") + f" {filename}")[:200],
                 changes={"watchlist": [None, watchlist.pk], "file": [None, filename],
                          "sha256": [None, job.sha256], "full": [None, full]})
    language = translation.get_language() or settings.LANGUAGE_CODE
    if run_now:
        transaction.on_commit(lambda: watchlist_import_run(job_id=job.pk, language=language))
    else:
        transaction.on_commit(lambda: run_watchlist_import.enqueue(job_id=job.pk,
                                                                   language=language))
    return job


@task()
def run_watchlist_import(job_id: int, language: str = "id") -> None:
    watchlist_import_run(job_id=job_id, language=language)


def watchlist_import_run(*, job_id: int, language: str = "id") -> WatchlistImport:
    with translation.override(language):
        claimed = job_claim(WatchlistImport, job_id)
        job = WatchlistImport.objects.select_related("watchlist", "created_by").get(pk=job_id)
        if not claimed:
            return job
        applier = _Applier(job)
        try:
            _run(job, applier)
        except FileError as exc:
            WatchlistImport.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, error=exc.translated(_), finished_at=timezone.now())
        except Exception:
            log.exception("watchlist import %s failed", job.pk)
            WatchlistImport.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, finished_at=timezone.now(),
                error=_("The import stopped on an unexpected error; rows already counted as "
                        "processed are saved. Upload the file again to finish it."))
            if applier.changed:
                # The chunks already committed must reach every process's index.
                with transaction.atomic():
                    bump_version()
        job.refresh_from_db()
        return job


def _run(job: WatchlistImport, applier: _Applier) -> None:
    with job.file.open("rb") as handle:
        data = handle.read()
    today = clock.today()
    # Read through once first, holding nothing: a file that breaks halfway (a malformed
    # CSV, past the row limit, unpacking beyond its cap) changes nothing. The second
    # reading applies it chunk by chunk, so memory stays that of one chunk.
    total = sum(1 for _ in read_watchlist(data, job.filename, today=today))
    WatchlistImport.objects.filter(pk=job.pk).update(total_rows=total)
    items = read_watchlist(data, job.filename, today=today)
    processed = 0
    while chunk := list(islice(items, CHUNK_SIZE)):
        with transaction.atomic():
            applier.apply(chunk)
            processed += len(chunk)
            counts = applier.counts
            WatchlistImport.objects.filter(pk=job.pk).update(
                processed_rows=processed, progress_at=timezone.now(),
                created_count=counts["created"],
                updated_count=counts["updated"], unchanged_count=counts["unchanged"],
                rejected_count=counts["rejected"])
    error = ""
    with transaction.atomic():
        if job.full:
            if applier.accepted:
                applier.withdraw_absent()
            elif total:
                # A file of which nothing could be read is not the new list.
                error = _("No row of the file could be read, so no entry was withdrawn.")
        counts = applier.counts
        WatchlistImport.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, finished_at=timezone.now(), error=error,
            withdrawn_count=counts["withdrawn"])
        audit_record(
            actor=job.created_by, event=AuditEvent.IMPORT, action="watchlist_import.finished",
            obj=job,
            office=job.watchlist.office_id,
            object_label=(_("Watchlist import") + f" {job.filename}")[:200],
            changes={key: [None, counts[key]] for key in
                     ("created", "updated", "unchanged", "rejected", "withdrawn")})
        if applier.changed:
            bump_version(entries=applier.changed_ids)
            rescreen_for_list(job.watchlist, actor=job.created_by, reason=_(
                "List “%(name)s” imported from %(file)s")
                % {"name": job.watchlist.name, "file": job.filename})


class _Applier:
    """Applies parsed rows chunk by chunk with a handful of queries per chunk."""

    def __init__(self, job: WatchlistImport):
        self.job = job
        self.watchlist = job.watchlist
        self.actor = job.created_by
        self.actor_label = self.actor.get_username()
        self.note = f"{job.filename} #{job.pk}"[:300]
        self.seen: set[str] = set()
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0,
                       "withdrawn": 0}
        self.accepted = 0
        # The entries created, updated or withdrawn, while few enough for every process
        # to apply one by one (None past that: the indexes are built anew).
        self.changed_ids: set[int] | None = set()

    def _note_changed(self, ids: Iterable[int]) -> None:
        if self.changed_ids is not None:
            self.changed_ids.update(ids)
            if len(self.changed_ids) > CHANGED_MAX:
                self.changed_ids = None

    @property
    def changed(self) -> bool:
        c = self.counts
        return bool(c["created"] or c["updated"] or c["withdrawn"])

    def _values(self, parsed: ParsedEntry) -> dict:
        record = parsed.record
        return {
            "names": list(record.names), "sex": record.sex,
            # The year an age gives is worked out again from the age when screening:
            # stored, it would move every year the same list is imported again.
            "birth_dates": [str(d) for d in record.birth_dates if not d.approximate],
            "age": parsed.age, "nationalities": list(record.nationalities),
            "documents": list(record.documents), "reason": parsed.reason,
            "source": parsed.source[:300],
            "action": parsed.action or self.watchlist.default_action,
            "legal_reference": parsed.legal_reference[:300], "topics": list(parsed.topics),
            "valid_from": parsed.valid_from, "valid_until": parsed.valid_until,
            "status": EntryStatus.ACTIVE,
        }

    def _age_recorded_on(self, values: dict, current: dict | None):
        if values["age"] is None:
            return None
        if current is not None and current["age"] == values["age"]:
            return current["age_recorded_on"]
        return clock.today()

    @staticmethod
    def _fingerprint(values: dict) -> str:
        return entry_fingerprint(names=values["names"], birth_dates=values["birth_dates"],
                                 age=values["age"], nationalities=values["nationalities"],
                                 documents=values["documents"], sex=values["sex"])

    def _reject(self, error: RowError) -> tuple:
        # A rejected row still names its entry: a typo must not withdraw a wanted person.
        for header, value in error.values.items():
            if header.strip().lower() in _SOURCE_ID_HEADERS and value.strip():
                self.seen.add(value.strip())
        return (self.job.pk, error.row, error.values,
                [{"field": problem.field, "message": problem.translated(_)}
                 for problem in error.problems])

    def apply(self, chunk: Iterable[ParsedEntry | RowError]) -> None:
        """One chunk: a query for the entries it names, then plain-tuple inserts (an
        import of 100,000 rows would spend most of its time building model instances)."""
        now = timezone.now()
        parsed: list[ParsedEntry] = []
        rejected: list[tuple] = []
        for item in chunk:
            if isinstance(item, RowError):
                rejected.append(self._reject(item))
            else:
                parsed.append(item)
        self.accepted += len(parsed)
        for item in parsed:
            self.seen.add(item.record.id)
        existing = {row["source_id"]: row for row in filter_in(
            WatchlistEntry.objects.filter(watchlist=self.watchlist), "source_id",
            [item.record.id for item in parsed],
        ).values("id", "source_id", "age_recorded_on", *IMPORT_FIELDS)}
        new: list[tuple[str, dict]] = []
        changed: list[tuple[WatchlistEntry, dict]] = []
        validity: list[tuple] = []
        audit: list[tuple] = []
        for item in parsed:
            current = existing.get(item.record.id)
            values = self._values(item)
            values["age_recorded_on"] = self._age_recorded_on(values, current)
            values["fingerprint"] = self._fingerprint(values)
            if current is None:
                new.append((item.record.id, values))
                continue
            change = {k: [current[k], values[k]] for k in IMPORT_FIELDS
                      if current[k] != values[k]}
            if not change:
                self.counts["unchanged"] += 1
                continue
            entry = WatchlistEntry(id=current["id"], watchlist=self.watchlist,
                                   source_id=item.record.id, withdrawn_at=None, updated_at=now,
                                   **values)
            changed.append((entry, change))
            if "valid_from" in change or "valid_until" in change:
                validity.append((entry.pk, entry.valid_from, entry.valid_until, self.note,
                                 self.actor.pk, now))
            audit.append(self._audit(now, AuditEvent.UPDATE, entry.pk, entry.names, {
                k: [plain(a), plain(b)] for k, (a, b) in change.items()}))
        ids = allocate_ids(WatchlistEntry, len(new))
        rows = []
        for pk, (source_id, v) in zip(ids, new, strict=True):
            rows.append((
                pk, self.watchlist.pk, source_id, v["names"], v["sex"], v["birth_dates"],
                v["age"], v["age_recorded_on"], v["nationalities"], v["documents"], "",
                v["reason"], v["source"], v["action"], v["legal_reference"], v["topics"],
                v["valid_from"], v["valid_until"], v["status"], None, v["fingerprint"], now,
                now))
            validity.append((pk, v["valid_from"], v["valid_until"], self.note, self.actor.pk,
                             now))
            audit.append(self._audit(now, AuditEvent.IMPORT, pk, v["names"], {
                k: [None, plain(value)] for k, value in {"source_id": source_id, **v}.items()
                if k != "fingerprint" and value not in (None, "", [])}))
        insert_rows(WatchlistEntry, ENTRY_COLUMNS, rows)
        self._note_changed(ids)
        self._note_changed(entry.pk for entry, _change in changed)
        if changed:
            WatchlistEntry.objects.bulk_update(
                [entry for entry, _change in changed],
                [*IMPORT_FIELDS, "age_recorded_on", "fingerprint", "withdrawn_at", "updated_at"],
                batch_size=1000)
        insert_rows(EntryValidity, VALIDITY_COLUMNS, validity)
        insert_rows(WatchlistRejectedRow, REJECTED_COLUMNS, rejected)
        insert_rows(AuditLog, ACTION_AUDIT_COLUMNS, audit)
        self.counts["created"] += len(new)
        self.counts["updated"] += len(changed)
        self.counts["rejected"] += len(rejected)

    def _audit(self, now, event: str, pk: int, names: list[str], changes: dict, *,
               action: str = "") -> tuple:
        label = f"{names[0] if names else pk} ({self.watchlist.name})"[:200]
        return (now, self.actor.pk, self.actor_label, self.watchlist.office_id, event,
                action or _ROW_ACTIONS[event], WatchlistEntry._meta.label, str(pk), label, None, changes, self.note)

    def withdraw_absent(self) -> None:
        """A complete list no longer holding an entry means it was lifted."""
        now = timezone.now()
        absent = [(pk, names) for pk, source_id, names in WatchlistEntry.objects.filter(
            watchlist=self.watchlist, status=EntryStatus.ACTIVE,
        ).values_list("id", "source_id", "names").iterator(chunk_size=5000)
            if source_id not in self.seen]
        note = (self.note + ", " + _("absent from the complete list"))[:300]
        for start in range(0, len(absent), CHUNK_SIZE):
            batch = absent[start:start + CHUNK_SIZE]
            filter_in(WatchlistEntry.objects.all(), "id", [pk for pk, _names in batch]).update(
                status=EntryStatus.WITHDRAWN, withdrawn_at=clock.at(now), updated_at=now)
            insert_rows(AuditLog, ACTION_AUDIT_COLUMNS, [
                (*self._audit(now, AuditEvent.UPDATE, pk, names, {
                    "status": [EntryStatus.ACTIVE, EntryStatus.WITHDRAWN]},
                    action="entry.withdrawn")[:-1], note)
                for pk, names in batch])
        self.counts["withdrawn"] += len(absent)
        self._note_changed(pk for pk, _names in absent)


ENTRY_COLUMNS = (
    "id", "watchlist_id", "source_id", "names", "sex", "birth_dates", "age", "age_recorded_on",
    "nationalities", "documents", "photo", "reason", "source", "action", "legal_reference",
    "topics", "valid_from", "valid_until", "status", "withdrawn_at", "fingerprint",
    "created_at", "updated_at")
VALIDITY_COLUMNS = ("entry_id", "valid_from", "valid_until", "note", "recorded_by_id",
                    "recorded_at")
REJECTED_COLUMNS = ("job_id", "row_number", "values", "errors")


# The named action of each row an import writes (``pora.screening.audit_actions``).
_ROW_ACTIONS = {AuditEvent.IMPORT: "entry.imported", AuditEvent.UPDATE: "entry.changed"}


# --------------------------------------------------------------------------- template


TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def watchlist_template(kind: str) -> bytes:
    """The upload template with two fictitious example rows, as CSV or XLSX."""
    headers = watchlist_template_headers()
    rows = [[row.get(header, "") for header in headers] for row in template_example_rows()]
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        # The byte order mark makes Excel open it as UTF-8 (names in Cyrillic, Chinese…).
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if kind == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Watchlist")[:31]
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = max(
                12, min(40, max(len(str(cell.value or "")) for cell in column) + 2))
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    raise ValueError(kind)
