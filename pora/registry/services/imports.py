"""Permit imports: upload, then a background task applies the file in chunks.

Each row is all or nothing: a row either lands whole (person, passport, sponsor, permit
and its audit entry) or is kept with its reasons for the user to fix and upload again.
Chunks commit one by one so the progress bar moves and the web server can read while
the worker writes (SQLite allows one writer).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from pora.core.audit import audit_record, audit_record_many, diff
from pora.core.bulk import bulk_insert
from pora.core.models import AuditEvent, AuditLog, User
from pora.core.selectors import kelurahan_lookup, kelurahan_office_map
from pora.registry.importing import (
    CleanRow,
    FileError,
    RowChecker,
    RowErrors,
    iter_chunks,
    read_table,
)
from pora.registry.models import (
    ImportStatus,
    Person,
    PermitImport,
    RejectedRow,
    Sponsor,
    StayPermit,
    TravelDocument,
    VisaIndex,
)
from pora.registry.names import search_key, sponsor_key
from pora.registry.services.permits import permits_recompute_chain

log = logging.getLogger(__name__)
CHUNK_SIZE = 5000

PERSON_IMPORT_FIELDS = ("surname", "given_names", "sex", "birth_year", "birth_month",
                        "birth_day", "nationality", "kelurahan_id", "street", "office_id")
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
    audit_record(actor=actor, event=AuditEvent.CREATE, obj=job,
                 object_label=f"{_('Permit import')} {filename}"[:200],
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
        job = PermitImport.objects.get(pk=job_id)
        if job.is_finished:
            return job
        PermitImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.RUNNING, started_at=timezone.now(), error=""
        )
        try:
            _run(job)
        except FileError as exc:
            PermitImport.objects.filter(pk=job.pk).update(
                status=ImportStatus.FAILED, error=str(exc), finished_at=timezone.now()
            )
        except Exception:
            log.exception("permit import %s failed", job.pk)
            PermitImport.objects.filter(pk=job.pk).update(
                status=ImportStatus.FAILED, finished_at=timezone.now(),
                error=_("The import stopped on an unexpected error; rows already counted as "
                        "processed are saved. Upload the file again to finish it."),
            )
        job.refresh_from_db()
        return job


class _Applier:
    """Applies checked rows chunk by chunk with a handful of queries per chunk."""

    def __init__(self, job: PermitImport):
        self.job = job
        self.actor = job.created_by
        self.office_map = kelurahan_office_map()
        self.seen_permits: dict[str, CleanRow] = {}
        self.seen_passports: dict[tuple[str, str], CleanRow] = {}
        self.sponsors: dict[str, int] = {}
        self.touched_persons: set[int] = set()

    def office_for(self, kelurahan_id: int | None) -> int:
        return self.office_map.get(kelurahan_id, self.job.office_id)

    def reject(self, row: CleanRow, field: str, message: str) -> RejectedRow:
        return RejectedRow(permit_import=self.job, row_number=row.row_number, values=row.values,
                           errors=[{"field": field, "message": message}])

    def apply(self, rows: list[CleanRow]) -> tuple[int, int, int, list[RejectedRow]]:
        rejected: list[RejectedRow] = []
        accepted: list[CleanRow] = []
        unchanged = 0
        # Inside the file: a repeated permit number must repeat the same data, and a
        # passport must always name the same person.
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

        documents = self._documents({(r.passport_number, r.passport_state) for r in accepted})
        permits = {p.number: p for p in StayPermit.objects.filter(
            number__in=[r.number for r in accepted])}
        persons = Person.objects.in_bulk({d.person_id for d in documents.values()}
                                         | {p.person_id for p in permits.values()})
        # A known permit number must stay with the same passport holder.
        ok_rows = []
        for row in accepted:
            permit = permits.get(row.number)
            document = documents.get((row.passport_number, row.passport_state))
            if permit is not None and (document is None or document.person_id != permit.person_id):
                rejected.append(self.reject(row, "nomor_izin", _(
                    "permit number is already registered to another passport holder")))
                continue
            ok_rows.append(row)

        self._ensure_sponsors(ok_rows)
        created = updated = 0
        new_persons: list[Person] = []
        new_person_rows: list[CleanRow] = []
        changed_persons: dict[int, tuple[Person, dict]] = {}
        for row in ok_rows:
            document = documents.get((row.passport_number, row.passport_state))
            if document is None:
                person = Person(office_id=self.office_for(row.kelurahan_id))
                self._fill_person(person, row)
                new_persons.append(person)
                new_person_rows.append(row)
                # Later rows of this chunk with the same passport reuse the new person.
                documents[(row.passport_number, row.passport_state)] = TravelDocument(
                    person=person, number=row.passport_number, issuing_state=row.passport_state,
                    expiry_date=row.passport_expiry)
            elif document.pk is None:
                # A second row of this chunk for a passport first seen in it.
                self._fill_person(document.person, row)
            else:
                person = persons[document.person_id]
                before = {f: getattr(person, f) for f in PERSON_IMPORT_FIELDS}
                self._fill_person(person, row)
                after = {f: getattr(person, f) for f in PERSON_IMPORT_FIELDS}
                if before != after:
                    changed_persons[person.pk] = (person, diff(before, after))
        bulk_insert(Person, new_persons)
        new_documents = [documents[(r.passport_number, r.passport_state)] for r in new_person_rows]
        for document in new_documents:
            document.person_id = document.person.pk
        bulk_insert(TravelDocument, new_documents)
        if changed_persons:
            Person.objects.bulk_update(
                [p for p, _c in changed_persons.values()],
                ["surname", "given_names", "sex", "birth_year", "birth_month", "birth_day",
                 "nationality", "kelurahan", "street", "office", "name_search"],
                batch_size=2000,
            )

        audit_rows: list[AuditLog] = []
        new_permits: list[StayPermit] = []
        changed_permits: list[StayPermit] = []
        new_person_ids = {p.pk for p in new_persons}
        now_label = self.actor.get_username()
        for row in ok_rows:
            person_id = documents[(row.passport_number, row.passport_state)].person_id
            permit = permits.get(row.number)
            values = self._permit_values(row)
            if permit is None:
                permit = StayPermit(number=row.number, person_id=person_id, **values)
                new_permits.append(permit)
                change = {k: [None, v] for k, v in values.items()}
                event = AuditEvent.IMPORT
                created += 1
            else:
                before = {f: getattr(permit, f) for f in PERMIT_IMPORT_FIELDS}
                change = diff(before, values)
                person_change = changed_persons.pop(person_id, (None, {}))[1]
                change.update({f"person.{k}": v for k, v in person_change.items()})
                if not change:
                    unchanged += 1
                    continue
                for name, value in values.items():
                    setattr(permit, name, value)
                changed_permits.append(permit)
                event = AuditEvent.UPDATE
                updated += 1
            if person_id in new_person_ids:
                change.update({"person.name": [None, f"{row.surname}, {row.given_names}"],
                               "person.passport": [None, row.passport_number]})
            self.touched_persons.add(person_id)
            audit_rows.append(AuditLog(
                actor=self.actor, actor_label=now_label, office_id=values["office_id"],
                event=event, object_type="registry.StayPermit", object_label=row.number,
                person_id=person_id, changes=_json_ready(change),
                note=f"{self.job.filename} #{self.job.pk}, baris {row.row_number}"[:300],
            ))
        # Persons whose data changed while their permit did not still leave a trace.
        for person_id, (person, change) in changed_persons.items():
            audit_rows.append(AuditLog(
                actor=self.actor, actor_label=now_label, office_id=person.office_id,
                event=AuditEvent.UPDATE, object_type="registry.Person",
                object_id=str(person_id), object_label=str(person)[:200], person_id=person_id,
                changes=_json_ready(change), note=f"{self.job.filename} #{self.job.pk}"[:300],
            ))
        bulk_insert(StayPermit, new_permits)
        if changed_permits:
            StayPermit.objects.bulk_update(changed_permits, list(PERMIT_IMPORT_FIELDS),
                                           batch_size=2000)
        permit_ids = {p.number: p.pk for p in [*new_permits, *changed_permits]}
        for audit in audit_rows:
            if audit.object_type == "registry.StayPermit":
                audit.object_id = str(permit_ids[audit.object_label])
        permits_recompute_chain({documents[(r.passport_number, r.passport_state)].person_id
                                 for r in ok_rows})
        audit_record_many(audit_rows)
        return created, updated, unchanged, rejected

    def _documents(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], TravelDocument]:
        numbers = {number for number, _state in keys}
        found = TravelDocument.objects.filter(number__in=numbers).only(
            "id", "person_id", "number", "issuing_state")
        return {(d.number, d.issuing_state): d for d in found
                if (d.number, d.issuing_state) in keys}

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
            AuditLog(actor=self.actor, actor_label=self.actor.get_username(),
                     office_id=self.job.office_id, event=AuditEvent.IMPORT,
                     object_type="registry.Sponsor", object_id=str(s.pk),
                     object_label=s.name[:200], changes={"name": [None, s.name]},
                     note=f"{self.job.filename} #{self.job.pk}"[:300])
            for s in missing
        ])

    def _fill_person(self, person: Person, row: CleanRow) -> None:
        person.surname = row.surname
        person.given_names = row.given_names
        if row.sex != "X" or not person.sex:
            person.sex = row.sex
        if row.birth[0] is not None:
            person.birth_year, person.birth_month, person.birth_day = row.birth
        person.nationality = row.nationality
        if row.kelurahan_id:
            person.kelurahan_id = row.kelurahan_id
            person.office_id = self.office_for(row.kelurahan_id)
        if row.street:
            person.street = row.street
        person.name_search = search_key(person.surname, person.given_names, person.other_names)

    def _permit_values(self, row: CleanRow) -> dict:
        return {
            "kind": row.kind, "visa_index_id": row.visa_index_id, "purpose": row.purpose,
            "issue_date": row.issue_date, "valid_from": row.valid_from,
            "valid_until": row.valid_until, "status": row.status,
            "cancelled_on": row.cancelled_on, "departed_on": row.departed_on,
            "sponsor_id": self.sponsors.get(sponsor_key(row.sponsor_name)) if row.sponsor_name
            else None,
            "employer": row.employer, "kelurahan_id": row.kelurahan_id, "street": row.street,
            "office_id": self.office_for(row.kelurahan_id),
        }


def _json_ready(change: dict) -> dict:
    out = {}
    for key, (old, new) in change.items():
        out[key] = [v.isoformat() if isinstance(v, dt.date) else v for v in (old, new)]
    return out


def _run(job: PermitImport) -> None:
    with job.file.open("rb") as handle:
        data = handle.read()
    table = read_table(data, job.filename)
    PermitImport.objects.filter(pk=job.pk).update(total_rows=len(table.rows))
    checker = RowChecker(
        table=table, kelurahan=kelurahan_lookup(),
        visa_codes={code.upper(): pk for pk, code in VisaIndex.objects.values_list("id", "code")},
        today=timezone.localdate(),
    )
    applier = _Applier(job)
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
            created, updated, unchanged, more_rejected = applier.apply(clean)
            rejected.extend(more_rejected)
            RejectedRow.objects.bulk_create(rejected, batch_size=2000)
            processed += len(chunk)
            totals["created"] += created
            totals["updated"] += updated
            totals["unchanged"] += unchanged
            totals["rejected"] += len(rejected)
            PermitImport.objects.filter(pk=job.pk).update(
                processed_rows=processed, created_count=totals["created"],
                updated_count=totals["updated"], unchanged_count=totals["unchanged"],
                rejected_count=totals["rejected"],
            )
    with transaction.atomic():
        PermitImport.objects.filter(pk=job.pk).update(status=ImportStatus.DONE,
                                                      finished_at=timezone.now())
        audit_record(
            actor=job.created_by, event=AuditEvent.IMPORT, obj=job, office=job.office_id,
            object_label=f"{_('Permit import')} {job.filename}"[:200],
            changes={"created": [None, totals["created"]], "updated": [None, totals["updated"]],
                     "unchanged": [None, totals["unchanged"]],
                     "rejected": [None, totals["rejected"]]},
        )

