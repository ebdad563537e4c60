"""Permit imports: upload, then a background task applies the file in chunks.

Each row is all or nothing: a row either lands whole (person, passport, sponsor, permit
and its audit entry) or is kept with its reasons for the user to fix and upload again.
Chunks commit one by one so the progress bar moves and the web server can read while
the worker writes (SQLite allows one writer).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
from collections import defaultdict
from types import SimpleNamespace

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from pora.core import clock
from pora.core.audit import ACTION_AUDIT_COLUMNS, audit_record, audit_record_many
from pora.core.bulk import (
    allocate_ids,
    bulk_insert,
    filter_in,
    insert_rows,
    iter_chunks,
    relaxed_commit,
)
from pora.core.models import AuditEvent, AuditLog, User
from pora.core.selectors import kelurahan_lookup, kelurahan_office_map
from pora.jobs.models import JobStatus
from pora.jobs.services import job_claim
from pora.names.folding import search_key, sponsor_key
from pora.registry import events
from pora.registry.importing import (
    CleanRow,
    FileError,
    RowChecker,
    RowErrors,
    read_table,
)
from pora.registry.models import (
    PermitImport,
    Person,
    RejectedRow,
    Sponsor,
    StayPermit,
    TravelDocument,
    VisaIndex,
)
from pora.registry.search_index import index_persons
from pora.registry.services.permits import chain_dates, permits_recompute_chain
from pora.registry.visa_codes import versions_by_code

log = logging.getLogger(__name__)
CHUNK_SIZE = 10_000

PERMIT_IMPORT_FIELDS = ("kind", "visa_index_id", "purpose", "issue_date", "valid_from",
                        "valid_until", "status", "cancelled_on", "departed_on", "sponsor_id",
                        "employer", "kelurahan_id", "street", "office_id")


class UploadError(Exception):
    pass


@transaction.atomic
def permit_import_start(*, actor: User, filename: str, data: bytes,
                        run_now: bool = False) -> PermitImport:
    """Store the upload and queue it. ``run_now`` runs it in this process (CLI)."""
    limit = settings.PORA_MAX_UPLOAD_MB * 1024 * 1024
    if len(data) > limit:
        raise UploadError(_("The file is larger than %(mb)s MB.") % {"mb": settings.PORA_MAX_UPLOAD_MB})
    if not filename.lower().endswith((".csv", ".xlsx", ".txt")):
        raise UploadError(_("Upload a .csv or .xlsx file."))
    if not data:
        raise UploadError(_("The file is empty."))
    job = PermitImport(
        office_id=actor.office_id, created_by=actor, filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
    )
    job.file.save(filename, ContentFile(data), save=False)
    job.save()
    audit_record(actor=actor, event=AuditEvent.CREATE, action="import.started", obj=job,
                 object_label=(_("Permit import") + f" {filename}")[:200],
                 changes={"file": [None, filename], "sha256": [None, job.sha256]})
    language = translation.get_language() or settings.LANGUAGE_CODE
    if run_now:
        transaction.on_commit(lambda: permit_import_run(job_id=job.pk, language=language))
    else:
        transaction.on_commit(lambda: run_permit_import.enqueue(job_id=job.pk, language=language))
    return job


@task()
def run_permit_import(job_id: int, language: str = "id") -> None:
    permit_import_run(job_id=job_id, language=language)


def permit_import_run(*, job_id: int, language: str = "id") -> PermitImport:
    with translation.override(language):
        claimed = job_claim(PermitImport, job_id)
        job = PermitImport.objects.get(pk=job_id)
        if not claimed:
            return job
        try:
            _run(job)
        except FileError as exc:
            PermitImport.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, error=str(exc), finished_at=timezone.now()
            )
        except Exception:
            log.exception("permit import %s failed", job.pk)
            PermitImport.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, finished_at=timezone.now(),
                error=_("The import stopped on an unexpected error; rows already counted as "
                        "processed are saved. Upload the file again to finish it."),
            )
        job.refresh_from_db()
        return job


class _Applier:
    """Applies checked rows chunk by chunk with a handful of queries per chunk.

    New rows are written as plain tuples (see ``insert_rows``); only rows that change an
    existing record become model instances.
    """

    def __init__(self, job: PermitImport, checker: RowChecker):
        self.job = job
        self.checker = checker
        self.actor = job.created_by
        self.actor_label = self.actor.get_username()
        self.office_map = kelurahan_office_map()
        self.seen_permits: dict[str, CleanRow] = {}
        self.seen_passports: dict[tuple[str, str], CleanRow] = {}
        self.sponsors: dict[str, int] = {}
        # Foreigners whose permit or data this import created or changed: screened after.
        self.person_ids: set[int] = set()

    def reject(self, row: CleanRow, field: str, message: str) -> RejectedRow:
        return RejectedRow(permit_import=self.job, row_number=row.row_number,
                           values=self.checker.values(row.cells),
                           errors=[{"field": field, "message": message}])

    def _dedupe(self, rows: list[CleanRow]) -> tuple[list[CleanRow], list[RejectedRow], int]:
        """Inside the file: a repeated permit number must repeat the same data, and a
        passport must always name the same person."""
        accepted, rejected, unchanged = [], [], 0
        for row in rows:
            earlier = self.seen_permits.get(row.number)
            if earlier is not None:
                if earlier.permit_signature() == row.permit_signature() and (
                    earlier.person_identity() == row.person_identity()
                ):
                    unchanged += 1
                else:
                    rejected.append(self.reject(row, "nomor_izin", _(
                        "permit number already appears in row %(row)s with different data"
                    ) % {"row": earlier.row_number}))
                continue
            passport = (row.passport_number, row.passport_state)
            holder = self.seen_passports.get(passport)
            if holder is not None and holder.person_identity() != row.person_identity():
                rejected.append(self.reject(row, "nomor_paspor", _(
                    "passport already appears in row %(row)s with a different name or "
                    "date of birth"
                ) % {"row": holder.row_number}))
                continue
            self.seen_permits[row.number] = row
            self.seen_passports.setdefault(passport, row)
            accepted.append(row)
        return accepted, rejected, unchanged

    def apply(self, rows: list[CleanRow]) -> tuple[int, int, int, list[RejectedRow]]:
        accepted, rejected, unchanged = self._dedupe(rows)
        holders, holder_office = self._document_holders(
            {(r.passport_number, r.passport_state) for r in accepted})
        existing = {
            p["number"]: p for p in filter_in(
                StayPermit.objects.all(), "number", [r.number for r in accepted]
            ).values("id", "number", "person_id", *PERMIT_IMPORT_FIELDS)
        }
        ok_rows = []
        office_id = self.job.office_id
        for row in accepted:
            permit = existing.get(row.number)
            key = (row.passport_number, row.passport_state)
            holder = holders.get(key)
            # An office imports for its own jurisdiction only; records another office
            # supervises are changed there (least privilege, UU PDP Pasal 35).
            if row.kelurahan_id and self.office_map.get(row.kelurahan_id) != office_id:
                rejected.append(self.reject(row, "kelurahan", _(
                    "kelurahan is outside your office's jurisdiction")))
            elif (holder is not None and holder_office[key] != office_id) or (
                permit is not None and permit["office_id"] != office_id
            ):
                rejected.append(self.reject(row, "nomor_paspor", _(
                    "this foreigner is supervised by another office; ask that office to "
                    "record the change")))
            # A known permit number must stay with the same passport holder.
            elif permit is not None and holder != permit["person_id"]:
                rejected.append(self.reject(row, "nomor_izin", _(
                    "permit number is already registered to another passport holder")))
            else:
                ok_rows.append(row)
        self._ensure_sponsors(ok_rows)

        now = timezone.now()
        audit: list[tuple] = []
        person_changes = self._update_known_persons(
            [r for r in ok_rows if (r.passport_number, r.passport_state) in holders], holders)
        new_person_ids = self._insert_new_persons(
            [r for r in ok_rows if (r.passport_number, r.passport_state) not in holders],
            holders, now)

        created = updated = 0
        new_permits: list[dict] = []
        changed_permits: list[StayPermit] = []
        for row in ok_rows:
            person_id = holders[(row.passport_number, row.passport_state)]
            values = self._permit_values(row)
            permit = existing.get(row.number)
            if permit is None:
                new_permits.append({"number": row.number, "person_id": person_id, **values})
                change = {k: [None, v.isoformat() if isinstance(v, dt.date) else v]
                          for k, v in values.items() if v is not None and v != ""}
                event = AuditEvent.IMPORT
                created += 1
            else:
                change = {k: [permit[k], v] for k, v in values.items() if permit[k] != v}
                change.update(person_changes.pop(person_id, {}))
                if not change:
                    unchanged += 1
                    continue
                changed_permits.append(StayPermit(id=permit["id"], updated_at=now, **values))
                event = AuditEvent.UPDATE
                updated += 1
            if person_id in new_person_ids:
                change["person"] = [None, f"{row.surname}, {row.given_names}"]
                change["passport"] = [None, f"{row.passport_number} ({row.passport_state})"]
            audit.append((event, row, person_id, values["office_id"], change))

        self.person_ids.update({a[2] for a in audit} | person_changes.keys())
        self._insert_permits(new_permits, new_person_ids, now)
        if changed_permits:
            StayPermit.objects.bulk_update(changed_permits, [*PERMIT_IMPORT_FIELDS, "updated_at"],
                                           batch_size=2000)
        old_person_ids = {holders[(r.passport_number, r.passport_state)] for r in ok_rows
                          } - new_person_ids
        permits_recompute_chain(old_person_ids)

        audit_rows = []
        note_prefix = f"{self.job.filename} #{self.job.pk}"
        number_to_id = {p["number"]: p["id"] for p in new_permits}
        number_to_id.update({n: p["id"] for n, p in existing.items()})
        for event, row, person_id, office_id, change in audit:
            audit_rows.append((
                now, self.actor.pk, self.actor_label, office_id, event,
                _IMPORT_ACTIONS.get(event), "registry.StayPermit", str(number_to_id[row.number]), row.number, person_id,
                change if event == AuditEvent.IMPORT else _json_ready(change),
                f"{note_prefix}, baris {row.row_number}"[:300],
            ))
        # Persons whose data changed while their permit did not still leave a trace.
        for person_id, change in person_changes.items():
            audit_rows.append((
                now, self.actor.pk, self.actor_label, self.job.office_id,
                AuditEvent.UPDATE, "person.changed", "registry.Person", str(person_id), "",
                person_id,
                _json_ready(change), note_prefix[:300],
            ))
        insert_rows(AuditLog, ACTION_AUDIT_COLUMNS, audit_rows)
        return created, updated, unchanged, rejected

    def _document_holders(self, keys: set[tuple[str, str]]
                          ) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
        """Passport → person id, and passport → the office supervising that person."""
        numbers = {number for number, _state in keys}
        found = filter_in(TravelDocument.objects.all(), "number", numbers).values_list(
            "number", "issuing_state", "person_id", "person__office_id")
        holders, offices = {}, {}
        for number, state, person_id, office_id in found:
            if (number, state) in keys:
                holders[(number, state)] = person_id
                offices[(number, state)] = office_id
        return holders, offices

    def _person_values(self, row: CleanRow, current: dict | None = None) -> dict:
        current = current or {}
        values = {
            "surname": row.surname, "given_names": row.given_names,
            "sex": row.sex if row.sex != "X" or not current.get("sex") else current["sex"],
            "nationality": row.nationality,
        }
        if row.birth[0] is not None or not current:
            values["birth_year"], values["birth_month"], values["birth_day"] = row.birth
        if row.kelurahan_id or not current:
            values["kelurahan_id"] = row.kelurahan_id
            # Rows outside the jurisdiction were rejected: the job's office supervises.
            values["office_id"] = self.job.office_id
        if row.street or not current:
            values["street"] = row.street
        if row.other_names or not current:
            values["other_names"] = list(row.other_names)
        return values

    def _update_known_persons(self, rows: list[CleanRow],
                              holders: dict[tuple[str, str], int]) -> dict[int, dict]:
        if not rows:
            return {}
        fields = ("surname", "given_names", "sex", "birth_year", "birth_month", "birth_day",
                  "nationality", "kelurahan_id", "office_id", "street", "other_names")
        current = {p["id"]: p for p in filter_in(
            Person.objects.all(), "id", {holders[(r.passport_number, r.passport_state)] for r in rows}
        ).values("id", *fields)}
        changes: dict[int, dict] = {}
        changed: dict[int, Person] = {}  # one entry per person, however many rows name them
        for row in rows:
            person_id = holders[(row.passport_number, row.passport_state)]
            before = current[person_id]
            values = self._person_values(row, before)
            change = {f"person.{k}": [before[k], v] for k, v in values.items() if before[k] != v}
            if change:
                before.update(values)
                changes[person_id] = {**changes.get(person_id, {}), **change}
                person = Person(id=person_id, **{k: before[k] for k in fields})
                person.name_search = search_key(person.surname, person.given_names,
                                                person.other_names)
                changed[person_id] = person
        if changed:
            Person.objects.bulk_update(
                list(changed.values()), ["surname", "given_names", "other_names", "sex",
                                         "birth_year", "birth_month", "birth_day", "nationality",
                                         "kelurahan", "office", "street", "name_search"],
                batch_size=2000)
            index_persons((p.pk, p.office_id, p.name_search) for p in changed.values())
        return changes

    def _insert_new_persons(self, rows: list[CleanRow], holders: dict[tuple[str, str], int],
                            now) -> set[int]:
        # Rows of one new passport share one new person (dedupe already checked identity).
        first: dict[tuple[str, str], CleanRow] = {}
        for row in rows:
            first.setdefault((row.passport_number, row.passport_state), row)
        ids = allocate_ids(Person, len(first))
        persons, documents = [], []
        for person_id, (key, row) in zip(ids, first.items(), strict=True):
            holders[key] = person_id
            v = self._person_values(row)
            persons.append((
                person_id, v["surname"], v["given_names"], v["other_names"],
                search_key(row.surname, row.given_names, v["other_names"]), v["sex"],
                v["birth_year"],
                v["birth_month"], v["birth_day"], v["nationality"], "", v["office_id"],
                v["kelurahan_id"], v["street"], now, now,
            ))
            documents.append((person_id, "passport", row.passport_number,
                              row.passport_state, row.passport_expiry))
        insert_rows(Person, PERSON_COLUMNS, persons)
        insert_rows(TravelDocument, DOCUMENT_COLUMNS, documents)
        index_persons(((p[0], p[11], p[4]) for p in persons), replace=False)
        return set(ids)

    def _insert_permits(self, permits: list[dict], new_person_ids: set[int],
                        now) -> None:
        ids = allocate_ids(StayPermit, len(permits))
        by_person: dict[int, list[SimpleNamespace]] = defaultdict(list)
        for permit_id, permit in zip(ids, permits):
            permit["id"] = permit_id
            if permit["person_id"] in new_person_ids:
                by_person[permit["person_id"]].append(SimpleNamespace(
                    pk=permit_id, superseded_on=None, stay_ends_on=None, **{
                        k: permit[k] for k in ("valid_from", "valid_until", "cancelled_on",
                                               "departed_on")}))
        # New persons' permits are chained here; known persons' after the insert.
        chained = {}
        for chain in by_person.values():
            chain_dates(chain)
            chained.update({p.pk: p for p in chain})
        rows = []
        for p in permits:
            link = chained.get(p["id"])
            rows.append((
                p["id"], p["number"], p["person_id"], p["kind"], p["visa_index_id"],
                p["purpose"], p["issue_date"], p["valid_from"], p["valid_until"], p["status"],
                p["cancelled_on"], p["departed_on"], link.superseded_on if link else None,
                link.stay_ends_on if link else p["departed_on"], p["sponsor_id"],
                p["employer"], p["office_id"], p["kelurahan_id"], p["street"], now, now,
            ))
        insert_rows(StayPermit, PERMIT_COLUMNS, rows)

    def _ensure_sponsors(self, rows: list[CleanRow]) -> None:
        wanted: dict[str, CleanRow] = {}
        for row in rows:
            if row.sponsor_name:
                key = sponsor_key(row.sponsor_name)
                if key and key not in self.sponsors:
                    wanted.setdefault(key, row)
        if not wanted:
            return
        for key, pk in Sponsor.objects.filter(name_key__in=wanted).values_list("name_key", "id"):
            self.sponsors[key] = pk
        missing = [
            Sponsor(kind=row.sponsor_kind, name=row.sponsor_name[:200], name_key=key,
                    contact_name=row.sponsor_contact[:150], phone=row.sponsor_phone[:40])
            for key, row in wanted.items() if key not in self.sponsors
        ]
        bulk_insert(Sponsor, missing)
        for sponsor in missing:
            self.sponsors[sponsor.name_key] = sponsor.pk
        audit_record_many([
            AuditLog(actor=self.actor, actor_label=self.actor_label,
                     office_id=self.job.office_id, event=AuditEvent.IMPORT,
                     action="sponsor.created", object_type="registry.Sponsor", object_id=str(s.pk),
                     object_label=s.name[:200], changes={"name": [None, s.name]},
                     note=f"{self.job.filename} #{self.job.pk}"[:300])
            for s in missing
        ])

    def _permit_values(self, row: CleanRow) -> dict:
        return {
            "kind": row.kind, "visa_index_id": row.visa_index_id, "purpose": row.purpose,
            "issue_date": row.issue_date, "valid_from": row.valid_from,
            "valid_until": row.valid_until, "status": row.status,
            "cancelled_on": row.cancelled_on, "departed_on": row.departed_on,
            "sponsor_id": self.sponsors.get(sponsor_key(row.sponsor_name)) if row.sponsor_name
            else None,
            "employer": row.employer, "kelurahan_id": row.kelurahan_id, "street": row.street,
            "office_id": self.job.office_id,
        }


PERSON_COLUMNS = ("id", "surname", "given_names", "other_names", "name_search", "sex",
                  "birth_year", "birth_month", "birth_day", "nationality", "photo", "office_id",
                  "kelurahan_id", "street", "created_at", "updated_at")
DOCUMENT_COLUMNS = ("person_id", "kind", "number", "issuing_state", "expiry_date")
PERMIT_COLUMNS = ("id", "number", "person_id", "kind", "visa_index_id", "purpose", "issue_date",
                  "valid_from", "valid_until", "status", "cancelled_on", "departed_on",
                  "superseded_on", "stay_ends_on", "sponsor_id", "employer", "office_id",
                  "kelurahan_id", "street", "created_at", "updated_at")
# The named action of each kind of row an import writes.
_IMPORT_ACTIONS = {AuditEvent.IMPORT: "permit.imported", AuditEvent.CREATE: "permit.created",
                   AuditEvent.UPDATE: "permit.changed"}


def _json_ready(change: dict) -> dict:
    date = dt.date
    return {
        key: [old.isoformat() if isinstance(old, date) else old,
              new.isoformat() if isinstance(new, date) else new]
        for key, (old, new) in change.items()
    }


def _run(job: PermitImport) -> None:
    # A large file keeps hundreds of thousands of small objects alive; Python's cyclic
    # collector would rescan them all again and again (quadratic time). Nothing here
    # makes reference cycles worth collecting before the end.
    gc.disable()
    try:
        _run_rows(job)
    finally:
        gc.enable()
        gc.collect()


def _run_rows(job: PermitImport) -> None:
    with job.file.open("rb") as handle:
        data = handle.read()
    table = read_table(data, job.filename)
    PermitImport.objects.filter(pk=job.pk).update(total_rows=len(table.rows))
    checker = RowChecker(
        table=table, kelurahan=kelurahan_lookup(),
        visa_codes=versions_by_code(VisaIndex),
        today=clock.today(),
    )
    applier = _Applier(job, checker)
    processed = 0
    totals = defaultdict(int)
    for chunk in iter_chunks(table.rows, CHUNK_SIZE):
        clean: list[CleanRow] = []
        rejected: list[RejectedRow] = []
        for row_number, cells in chunk:
            try:
                clean.append(checker.check(row_number, cells))
            except RowErrors as exc:
                rejected.append(RejectedRow(permit_import=job, row_number=row_number,
                                            values=checker.values(cells), errors=exc.errors))
        with transaction.atomic():
            relaxed_commit()
            created, updated, unchanged, more_rejected = applier.apply(clean)
            rejected.extend(more_rejected)
            RejectedRow.objects.bulk_create(rejected, batch_size=2000)
            processed += len(chunk)
            totals["created"] += created
            totals["updated"] += updated
            totals["unchanged"] += unchanged
            totals["rejected"] += len(rejected)
            PermitImport.objects.filter(pk=job.pk).update(
                processed_rows=processed, progress_at=timezone.now(),
                created_count=totals["created"],
                updated_count=totals["updated"], unchanged_count=totals["unchanged"],
                rejected_count=totals["rejected"],
            )
    with transaction.atomic():
        PermitImport.objects.filter(pk=job.pk).update(status=JobStatus.DONE,
                                                      finished_at=timezone.now())
        audit_record(
            actor=job.created_by, event=AuditEvent.IMPORT, action="import.finished", obj=job,
            office=job.office_id, object_label=(_("Permit import") + f" {job.filename}")[:200],
            changes={"created": [None, totals["created"]], "updated": [None, totals["updated"]],
                     "unchanged": [None, totals["unchanged"]],
                     "rejected": [None, totals["rejected"]]},
        )
    events.persons_changed(applier.person_ids, trigger="import",
                           context={"permit_import": job.pk})

