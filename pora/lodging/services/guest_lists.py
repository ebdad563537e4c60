"""Guest-list uploads: a lodging's CSV/XLSX list in, stays out, chunk by chunk.

Mirrors the permit import (:mod:`pora.registry.services.imports`): the upload is stored
and queued, and a background task reads it, checks each row with the single check-in's
rules (:mod:`pora.lodging.guest_list_rows`) and applies the rows that pass with a handful of
queries per chunk. Each row is all or nothing: its stay, the foreigner it creates or the
passport the registry learns, and their audit entries commit together (the chunk's
transaction), or the row is kept with its reasons to be fixed and uploaded again.

What a row does, by the stay's natural key (passport, nationality, check-in time at this
lodging):

* The stay exists (the list was uploaded before, or the guest reported one by one): the
  row is *unchanged*, or *updated* when it fills in or corrects the room, expected
  check-out, check-out, purpose, arrival date, permit number or passport expiry. A blank
  cell never erases what was reported. Another name, sex or birth date for the same stay
  is refused: a reported identity is corrected by an officer.
* Otherwise the guest is linked to a registered foreigner exactly as
  :func:`pora.lodging.linking.find_link` links a single report (same document, then a
  similar name with the same birth date and nationality, else a new foreigner), but for
  the whole chunk at once, and the stay is recorded with its receipt number.
* The same stay twice in one file: the second row is refused, naming the first.

After the rows, the detection rules run on the new stays in batches (the same facts and
rules as :func:`pora.lodging.services.alerts.evaluate_stay`), once the upload already shows
as done.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from pora.core import clock
from pora.core.api import Problem
from pora.core.audit import ACTION_AUDIT_COLUMNS, audit_record, plain
from pora.core.bulk import (
    allocate_ids,
    filter_in,
    insert_rows,
    iter_chunks,
    no_jit,
    relaxed_commit,
)
from pora.core.models import AuditEvent, AuditLog, User
from pora.core.selectors import office_for_kelurahan
from pora.jobs.models import JobStatus
from pora.jobs.services import job_claim
from pora.lodging.guest_list_rows import (
    GuestRow,
    GuestRowChecker,
    problem_dict,
    read_table,
)
from pora.lodging.linking import (
    NAME_CANDIDATES_MAX,
    Guest,
    Link,
    _birth_agrees,
    _sex_agrees,
    name_candidates,
)
from pora.lodging.models import (
    GuestListImport,
    GuestListRejectedRow,
    LinkMethod,
    Lodging,
    Source,
    Stay,
)
from pora.lodging.services.alerts import evaluate_stays
from pora.lodging.services.stays import _receipt_number
from pora.names.folding import fold, search_key
from pora.names.similarity import name_similarity
from pora.registry import events
from pora.registry.importing import FileError, RowErrors
from pora.registry.models import Person, TravelDocument
from pora.registry.search_index import index_persons
from pora.registry.services.imports import (
    DOCUMENT_COLUMNS,
    PERSON_COLUMNS,
    UploadError,
)

log = logging.getLogger(__name__)
CHUNK_SIZE = 10_000
# What a list may fill in or correct on a stay already reported.
UPDATABLE = ("room", "expected_checkout", "checked_out_at", "purpose", "arrival_date",
             "permit_number", "document_expiry")
STAY_COLUMNS = ("id", "lodging_id", "office_id", "person_id", "link_method", "link_facts",
                "surname", "given_names", "sex", "birth_year", "birth_month", "birth_day",
                "nationality", "document_number", "issuing_state", "document_expiry", "room",
                "checked_in_at", "expected_checkout", "checked_out_at", "purpose",
                "arrival_date", "permit_number", "source", "reported_at", "reported_by_id",
                "token_id", "receipt_number", "checked_out_by_id")


# ------------------------------------------------------------------------------ start


@transaction.atomic
def guest_list_start(*, actor: User, lodging: Lodging, filename: str, data: bytes,
                     run_now: bool = False) -> GuestListImport:
    """Store the upload and queue it. ``run_now`` runs it in this process (CLI, benchmark).

    Raises :class:`UploadError` (nothing stored) for a file that is too big, empty or
    not CSV/XLSX, and for an account that may not report.
    """
    if not lodging.can_report:
        raise UploadError(_("Your account is not confirmed or is suspended: guest lists "
                            "cannot be uploaded."))
    limit = settings.PORA_MAX_UPLOAD_MB * 1024 * 1024
    if len(data) > limit:
        raise UploadError(_("The file is larger than %(mb)s MB.")
                          % {"mb": settings.PORA_MAX_UPLOAD_MB})
    filename = os.path.basename(filename.replace("\\", "/")) or "daftar-tamu.csv"
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise UploadError(_("Upload a .csv or .xlsx file."))
    if not data:
        raise UploadError(_("The file is empty."))
    job = GuestListImport(lodging=lodging, created_by=actor, filename=filename[:200],
                          sha256=hashlib.sha256(data).hexdigest())
    job.file.save(filename, ContentFile(data), save=False)
    job.save()
    audit_record(actor=actor, event=AuditEvent.CREATE, action="guest_list.started", obj=job,
                 office=lodging.office_id,
                 object_label=(_("Guest list upload") + f" {filename}")[:200],
                 changes={"lodging": [None, lodging.pk], "file": [None, filename],
                          "sha256": [None, job.sha256]})
    language = translation.get_language() or settings.LANGUAGE_CODE
    if run_now:
        transaction.on_commit(lambda: guest_list_run(job_id=job.pk, language=language))
    else:
        transaction.on_commit(lambda: run_guest_list.enqueue(job_id=job.pk, language=language))
    return job


@task()
def run_guest_list(job_id: int, language: str = "id") -> None:
    guest_list_run(job_id=job_id, language=language)


def guest_list_run(*, job_id: int, language: str = "id",
                   evaluate: bool = True) -> GuestListImport:
    """Apply an uploaded list, then run the detection rules on the stays it created."""
    with translation.override(language):
        claimed = job_claim(GuestListImport, job_id)
        job = GuestListImport.objects.select_related(
            "lodging", "lodging__kelurahan", "lodging__office", "created_by").get(pk=job_id)
        if not claimed:
            return job
        created: list[int] = []
        try:
            if not job.lodging.can_report:
                raise FileError(_("Your account is not confirmed or is suspended: guest lists "
                                  "cannot be uploaded."))
            _run(job, created)
        except FileError as exc:
            GuestListImport.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, error=str(exc), finished_at=timezone.now())
        except Exception:
            log.exception("guest list %s failed", job.pk)
            GuestListImport.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, finished_at=timezone.now(),
                error=_("The upload stopped on an unexpected error; rows already counted as "
                        "processed are saved. Upload the file again to finish it."))
        if evaluate and created:
            try:
                _refresh_statistics(len(created))
                evaluate_stays(created)
            except Exception:  # the nightly run evaluates current guests again
                log.exception("detection rules after guest list %s failed", job.pk)
        _announce_guests(created, job)
        job.refresh_from_db()
        return job


# Stays read per query when their guests are announced.
ANNOUNCE_BATCH = 2000


def _announce_guests(stay_ids: list[int], job: GuestListImport) -> None:
    """Tell the areas above the registry about the guests of these new stays, each with
    its stay (a guest listed twice: the later check-in)."""
    if not stay_ids:
        return
    stay_of: dict[int, dict] = {}
    for start in range(0, len(stay_ids), ANNOUNCE_BATCH):
        chunk = stay_ids[start:start + ANNOUNCE_BATCH]
        for person, stay in (filter_in(Stay.objects.all(), "id", chunk)
                             .order_by("checked_in_at").values_list("person_id", "id")):
            stay_of.pop(person, None)
            stay_of[person] = {"stay": stay}
    events.persons_changed(stay_of, trigger="check_in", context={"guest_list": job.pk})


# ----------------------------------------------------------------------------- linking


@dataclass(slots=True, eq=False)
class _Person:
    """What linking reads of a foreigner; duck-types Person for linking's helpers.

    ``pk`` is None for a foreigner this chunk creates until its id is allocated; ``order``
    stands in for the id in tie-breaks (new foreigners come after every registered one,
    as they would one report at a time).
    """

    pk: int | None
    order: int
    nationality: str
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    sex: str
    name_search: str
    surname: str
    given_names: str
    office_id: int

    @property
    def full_name(self) -> str:
        if self.surname and self.given_names:
            return f"{self.surname}, {self.given_names}"
        return self.surname or self.given_names


_PERSON_VALUES = ("id", "nationality", "birth_year", "birth_month", "birth_day", "sex",
                  "name_search", "surname", "given_names", "office_id")
_NEW_ORDER = 10**18


def _group_key(guest: Guest) -> tuple:
    return (guest.nationality, guest.birth_year, guest.birth_month, guest.birth_day)


class _Linker:
    """:func:`pora.lodging.linking.find_link` for a chunk: the documents and name
    candidates are read in bulk first, then each guest is linked in file order, seeing
    the foreigners and passports the earlier rows of the chunk added."""

    def __init__(self) -> None:
        self.persons: dict[int, _Person] = {}
        self.documents: dict[str, list[tuple[str, _Person]]] = defaultdict(list)
        self.groups: dict[tuple, list[_Person]] = {}
        self.threshold = getattr(settings, "PORA_LINK_NAME_MIN", 88)
        self.created = 0

    def _person(self, row) -> _Person:
        person = self.persons.get(row[0])
        if person is None:
            person = _Person(row[0], row[0], *row[1:])
            self.persons[row[0]] = person
        return person

    def prefetch(self, guests: list[Guest]) -> None:
        for number, state, *person in self._fetch_documents(
                sorted({g.document_number for g in guests})):
            self.documents[number].append((f"{number} ({state})", self._person(person)))
        keys = set()
        for guest in guests:
            if guest.birth_year is None:
                continue
            # Guests whose passport already links them need no name candidates.
            if any(p.nationality == guest.nationality and _birth_agrees(p, guest)
                   for _label, p in self.documents.get(guest.document_number, ())):
                continue
            keys.add(_group_key(guest))
        full = [k for k in keys if k[3] is not None]
        partial = [k for k in keys if k[3] is None]
        for key in full:
            self.groups[key] = []
        for key, person in self._fetch_full(full):
            self.groups[key].append(person)
        # More candidates than linking reads: take them in its order, as it would.
        capped = partial + [k for k in full if len(self.groups[k]) > NAME_CANDIDATES_MAX]
        for key in capped:
            nationality, year, month, day = key
            query = name_candidates(Guest(surname="", given_names="", nationality=nationality,
                                          document_number="", issuing_state="",
                                          birth_year=year, birth_month=month, birth_day=day))
            # Room for the conflicts linking excludes before taking its share.
            limit = NAME_CANDIDATES_MAX + 20
            self.groups[key] = [self._person(row) for row in
                                query.order_by(*Person._meta.ordering)
                                .values_list(*_PERSON_VALUES)[:limit]]

    def _fetch_documents(self, numbers: list[str]):
        """(number, issuing state, *person values) of every passport with these numbers,
        in find_link's order (TravelDocument's ordering)."""
        if not numbers:
            return []
        if connection.vendor != "postgresql":
            return (filter_in(TravelDocument.objects.all(), "number", numbers)
                    .order_by(*TravelDocument._meta.ordering)
                    .values_list("number", "issuing_state",
                                 *(f"person__{f}" if f != "id" else "person_id"
                                   for f in _PERSON_VALUES)))
        # One index probe per number (the planner would rather scan both tables whole).
        documents = connection.ops.quote_name(TravelDocument._meta.db_table)
        persons = connection.ops.quote_name(Person._meta.db_table)
        columns = ", ".join(f"p.{c}" for c in _PERSON_VALUES)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT x.* FROM unnest(%s::text[]) AS k(number) CROSS JOIN LATERAL ("
                f"SELECT d.number, d.issuing_state, {columns}, d.expiry_date "
                f"FROM {documents} d JOIN {persons} p ON p.id = d.person_id "
                f"WHERE d.number = k.number OFFSET 0) x ORDER BY x.expiry_date DESC, x.number",
                [numbers])
            return [row[:-1] for row in cursor.fetchall()]

    def _fetch_full(self, keys: list[tuple]):
        table = connection.ops.quote_name(Person._meta.db_table)
        columns = ", ".join(f"p.{c}" for c in _PERSON_VALUES)
        # As linking.name_candidates: a record with only a year (or year and month) of
        # birth is a candidate for a guest's full date.
        join = ("p.nationality = k.n AND p.birth_year = k.y "
                "AND (p.birth_month = k.m OR p.birth_month IS NULL) "
                "AND (p.birth_day = k.d OR p.birth_day IS NULL)")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                if not keys:
                    return
                # One index probe per key (person_birth_idx), never a sort of all persons.
                cursor.execute(
                    f"SELECT k.n, k.y, k.m, k.d, x.* FROM unnest(%s::text[], %s::int[], "
                    f"%s::int[], %s::int[]) AS k(n, y, m, d) CROSS JOIN LATERAL (SELECT "
                    f"{columns} FROM {table} p WHERE {join} OFFSET 0) x",
                    [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys],
                     [k[3] for k in keys]])
                for row in cursor.fetchall():
                    yield tuple(row[:4]), self._person(row[4:])
                return
            for batch in iter_chunks(keys, 2000):
                values = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
                cursor.execute(
                    f"WITH k(n, y, m, d) AS (VALUES {values}) "
                    f"SELECT k.n, k.y, k.m, k.d, {columns} FROM {table} p JOIN k ON {join}",
                    [v for key in batch for v in key])
                for row in cursor.fetchall():
                    yield tuple(row[:4]), self._person(row[4:])

    def link(self, guest: Guest) -> Link:
        """As find_link; ``facts["conflicts"]`` holds persons (ids once all are known)."""
        conflicts: list[_Person] = []
        for label, person in self.documents.get(guest.document_number, ()):
            if person.nationality == guest.nationality and _birth_agrees(person, guest):
                return Link(person, LinkMethod.DOCUMENT, {"document": label})
            conflicts.append(person)
        if guest.birth_year is not None:
            candidates = self.groups.get(_group_key(guest), ())
            if conflicts:
                candidates = [p for p in candidates if not any(p is c for c in conflicts)]
            best, best_score = None, 0.0
            query = guest.folded_name
            for person in candidates[:NAME_CANDIDATES_MAX]:
                if not _birth_agrees(person, guest) or not _sex_agrees(person, guest):
                    continue
                score = name_similarity(query, person.name_search)
                if score > best_score or (score == best_score and best
                                          and person.order < best.order):
                    best, best_score = person, score
            if best is not None and best_score >= self.threshold:
                return Link(best, LinkMethod.NAME, {"score": round(best_score, 1),
                                                    "conflicts": conflicts})
        return Link(None, LinkMethod.NEW, {"conflicts": conflicts})

    def new_person(self, guest: Guest, office_id: int) -> _Person:
        self.created += 1
        person = _Person(None, _NEW_ORDER + self.created, guest.nationality, guest.birth_year,
                         guest.birth_month, guest.birth_day, guest.sex,
                         search_key(guest.surname, guest.given_names, []), guest.surname,
                         guest.given_names, office_id)
        year, month, day = person.birth_year, person.birth_month, person.birth_day
        if year is not None:
            # Into every candidate group a later guest of this chunk may read.
            for key in ((person.nationality, year, None, None),
                        (person.nationality, year, month, None) if month else None,
                        (person.nationality, year, month, day) if day else None):
                if key is not None and key in self.groups:
                    self.groups[key].append(person)
        return person

    def add_document(self, number: str, state: str, person: _Person) -> None:
        self.documents[number].append((f"{number} ({state})", person))


def _ids(persons: list[_Person]) -> list[int]:
    return [p.pk for p in persons]


# ------------------------------------------------------------------------------ apply


@dataclass
class _Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[GuestListRejectedRow] = field(default_factory=list)
    new_stay_ids: list[int] = field(default_factory=list)


# The named action of each row an upload writes (``pora.lodging.audit_actions``).
_ROW_ACTIONS = {("lodging.Stay", AuditEvent.IMPORT): "stay.checked_in",
                ("lodging.Stay", AuditEvent.UPDATE): "stay.changed"}


def _json(value: Any) -> Any:
    return plain(value)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


class _Applier:
    """Applies checked rows chunk by chunk with a handful of queries per chunk.

    New rows are written as plain tuples (``insert_rows``), as the permit import does.
    """

    def __init__(self, job: GuestListImport, checker: GuestRowChecker):
        self.job = job
        self.lodging = job.lodging
        self.checker = checker
        self.actor = job.created_by
        self.actor_label = self.actor.get_username()
        # A report counts from the upload, however long the queue took.
        # (the demo's day in the demo: pora.core.clock).
        self.reported_at = clock.at(job.created_at)
        self.receipt_day = timezone.localtime(self.reported_at).date()
        # As person_create: the office whose jurisdiction holds the address supervises.
        office = office_for_kelurahan(self.lodging.kelurahan) or self.lodging.office
        self.person_office_id = office.pk
        self.street = f"{self.lodging.name}, {self.lodging.street}"[:200]
        self.note = f"{job.filename} #{job.pk}"

    def reject(self, row: GuestRow, problem: Problem) -> GuestListRejectedRow:
        return GuestListRejectedRow(guest_import=self.job, row_number=row.row_number,
                                    values=self.checker.values(row.cells),
                                    errors=[problem_dict(problem)])

    def _audit(self, at, event, object_type, object_id, label, person_id, changes,
               note, *, office_id: int | None = None) -> tuple:
        action = _ROW_ACTIONS.get((object_type, event))
        return (at, self.actor.pk, self.actor_label, office_id or self.lodging.office_id,
                event, action, object_type, str(object_id), label[:200], person_id, changes,
                note[:300])

    def apply(self, rows: list[GuestRow]) -> _Outcome:
        assert transaction.get_connection().in_atomic_block, "audit outside a transaction"
        outcome = _Outcome()
        now = timezone.now()
        audit: list[tuple] = []
        existing = self._existing(rows)
        new_rows: list[GuestRow] = []
        updates: list[tuple[dict, GuestRow, dict]] = []
        for row in rows:
            stay = existing.get(row.key)
            if stay is None:
                new_rows.append(row)
                continue
            problem = self._identity_conflict(stay, row.guest)
            if problem is not None:
                outcome.rejected.append(self.reject(row, problem))
                continue
            change = {}
            for name in UPDATABLE:
                value = row.guest.document_expiry if name == "document_expiry" else getattr(
                    row, name)
                if value is None or value == "" or value == stay[name]:
                    continue
                change[name] = [stay[name], value]
            if change:
                updates.append((stay, row, change))
            else:
                outcome.unchanged += 1
        self._update(updates, audit, now)
        outcome.updated = len(updates)
        outcome.new_stay_ids = self._create(new_rows, audit, now)
        outcome.created = len(new_rows)
        insert_rows(AuditLog, ACTION_AUDIT_COLUMNS, audit)
        return outcome

    # -- stays already reported

    def _existing(self, rows: list[GuestRow]) -> dict[tuple, dict]:
        if not rows:
            return {}
        found = filter_in(Stay.objects.filter(lodging_id=self.lodging.pk), "document_number",
                          {r.guest.document_number for r in rows}).values(
            "id", "person_id", "document_number", "nationality", "checked_in_at", "surname",
            "given_names", "sex", "birth_year", "birth_month", "birth_day", "receipt_number",
            "checked_out_by_id", *UPDATABLE)
        return {(s["document_number"], s["nationality"], s["checked_in_at"]): s for s in found}

    @staticmethod
    def _identity_conflict(stay: dict, guest: Guest) -> Problem | None:
        same_name = fold(f"{stay['given_names']} {stay['surname']}") == guest.folded_name
        known = ((stay["birth_year"], guest.birth_year), (stay["birth_month"], guest.birth_month),
                 (stay["birth_day"], guest.birth_day))
        same_birth = all(a == b for a, b in known if a is not None and b is not None)
        same_sex = "X" in (stay["sex"], guest.sex) or stay["sex"] == guest.sex
        if same_name and same_birth and same_sex:
            return None
        return Problem(
            "document_number", "identity_differs",
            f"Tamu ini sudah dilaporkan dengan check-in yang sama (tanda terima "
            f"{stay['receipt_number']}) tetapi dengan nama, jenis kelamin atau tanggal lahir "
            f"lain. Identitas yang sudah dilaporkan hanya dapat dikoreksi oleh petugas "
            f"imigrasi.",
            f"This guest was already reported with the same check-in (receipt "
            f"{stay['receipt_number']}) but another name, sex or birth date. A reported "
            f"identity can only be corrected by an immigration officer.")

    def _update(self, updates: list[tuple[dict, GuestRow, dict]], audit: list, now) -> None:
        if not updates:
            return
        records = []
        for stay, row, change in updates:
            values = {name: stay[name] for name in UPDATABLE}
            values.update({name: new for name, (_old, new) in change.items()})
            values["checked_out_by_id"] = (self.actor.pk if "checked_out_at" in change
                                           else stay["checked_out_by_id"])
            values["id"] = stay["id"]
            records.append(values)
            audit.append(self._audit(
                now, AuditEvent.UPDATE, "lodging.Stay", stay["id"],
                f"{stay['receipt_number']} {row.guest.surname}", stay["person_id"],
                {name: [_json(old), _json(new)] for name, (old, new) in change.items()},
                f"{self.note}, baris {row.row_number}"))
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(Stay._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} AS s SET room = d.room, "
                    "expected_checkout = d.expected_checkout, checked_out_at = d.checked_out_at, "
                    "purpose = d.purpose, arrival_date = d.arrival_date, "
                    "permit_number = d.permit_number, document_expiry = d.document_expiry, "
                    "checked_out_by_id = d.checked_out_by_id "
                    "FROM unnest(%s::bigint[], %s::text[], %s::date[], %s::timestamptz[], "
                    "%s::text[], %s::date[], %s::text[], %s::date[], %s::bigint[]) AS d(id, room, "
                    "expected_checkout, checked_out_at, purpose, arrival_date, permit_number, "
                    "document_expiry, checked_out_by_id) WHERE s.id = d.id",
                    [[r[name] for r in records] for name in (
                        "id", "room", "expected_checkout", "checked_out_at", "purpose",
                        "arrival_date", "permit_number", "document_expiry",
                        "checked_out_by_id")])
            return
        Stay.objects.bulk_update(
            [Stay(**r) for r in records], [*UPDATABLE, "checked_out_by_id"], batch_size=500)

    # -- new stays

    def _create(self, rows: list[GuestRow], audit: list, now) -> list[int]:
        if not rows:
            return []
        linker = _Linker()
        linker.prefetch([r.guest for r in rows])
        plans: list[tuple[GuestRow, _Person, Link, dict]] = []
        new_persons: list[tuple[_Person, GuestRow, bool]] = []
        learned: list[tuple[_Person, GuestRow]] = []
        for row in rows:
            guest = row.guest
            link = linker.link(guest)
            person = link.person
            # What the row did to the registry, told in its stay's audit entry (which
            # carries the person's id), as the permit import tells it in the permit's.
            registry: dict[str, list] = {}
            passport = f"{guest.document_number} ({guest.issuing_state})"
            if person is None:
                # A number another foreigner already holds (another birth date or
                # nationality) is kept on the stay only; the officer resolves it.
                with_document = not link.facts["conflicts"]
                person = linker.new_person(guest, self.person_office_id)
                new_persons.append((person, row, with_document))
                registry["person.new"] = [None, person.full_name]
                if with_document:
                    linker.add_document(guest.document_number, guest.issuing_state, person)
                    registry["person.passport"] = [None, passport]
            elif link.method == LinkMethod.NAME and not link.facts["conflicts"]:
                # The registry learns the passport the guest showed.
                learned.append((person, row))
                linker.add_document(guest.document_number, guest.issuing_state, person)
                registry["person.passport"] = [None, passport]
            plans.append((row, person, link, registry))
        self._insert_persons(new_persons, learned)
        return self._insert_stays(plans, audit, now)

    def _insert_persons(self, new_persons, learned) -> None:
        """New foreigners as person_create records them, and passports linking learned."""
        ids = allocate_ids(Person, len(new_persons))
        now = timezone.now()
        persons, documents, tokens = [], [], []
        office_id, kelurahan_id = self.person_office_id, self.lodging.kelurahan_id
        for person_id, (person, row, with_document) in zip(ids, new_persons, strict=True):
            person.pk = person_id
            guest = row.guest
            persons.append((
                person_id, guest.surname, guest.given_names, [], person.name_search, guest.sex,
                guest.birth_year, guest.birth_month, guest.birth_day, guest.nationality, "",
                office_id, kelurahan_id, self.street, now, now))
            tokens.append((person_id, office_id, person.name_search))
            if with_document:
                documents.append((person_id, "passport", guest.document_number,
                                  guest.issuing_state, guest.document_expiry))
        for person, row in learned:
            guest = row.guest
            documents.append((person.pk, "passport", guest.document_number,
                              guest.issuing_state, guest.document_expiry))
        insert_rows(Person, PERSON_COLUMNS, persons)
        insert_rows(TravelDocument, DOCUMENT_COLUMNS, documents)
        index_persons(tokens, replace=False)

    def _receipts(self, count: int) -> list[str]:
        """Receipt numbers unused so far (random; a clash with an earlier one is redrawn)."""
        chosen: set[str] = set()
        fresh: set[str] = set()
        while len(chosen) < count:
            while len(chosen) + len(fresh) < count:
                number = _receipt_number(self.receipt_day)
                if number not in chosen:
                    fresh.add(number)
            taken = set(filter_in(Stay.objects.all(), "receipt_number", fresh).values_list(
                "receipt_number", flat=True))
            chosen |= fresh - taken
            fresh = set()
        return list(chosen)

    def _insert_stays(self, plans, audit: list, now) -> list[int]:
        ids = allocate_ids(Stay, len(plans))
        receipts = self._receipts(len(plans))
        lodging = self.lodging
        actor_id = self.actor.pk
        source = Source.BULK.value
        rows = []
        for stay_id, receipt, (row, person, link, registry) in zip(ids, receipts, plans,
                                                                   strict=True):
            guest = row.guest
            method = link.method.value
            facts = dict(link.facts)
            if "conflicts" in facts:
                facts["conflicts"] = _ids(facts["conflicts"])
            values = (
                stay_id, lodging.pk, lodging.office_id, person.pk, method, facts,
                guest.surname, guest.given_names, guest.sex, guest.birth_year,
                guest.birth_month, guest.birth_day, guest.nationality, guest.document_number,
                guest.issuing_state, guest.document_expiry, row.room, row.checked_in_at,
                row.expected_checkout, row.checked_out_at, row.purpose, row.arrival_date,
                row.permit_number, source, self.reported_at, actor_id, None, receipt,
                actor_id if row.checked_out_at else None,
            )
            rows.append(values)
            # As check_in's audit: STAY_FIELDS, JSON-ready (written in this order).
            changes = {
                "lodging": [None, lodging.pk], "person": [None, person.pk],
                "link_method": [None, method], "surname": [None, guest.surname],
                "given_names": [None, guest.given_names], "sex": [None, guest.sex],
                "birth_year": [None, guest.birth_year], "birth_month": [None, guest.birth_month],
                "birth_day": [None, guest.birth_day], "nationality": [None, guest.nationality],
                "document_number": [None, guest.document_number],
                "issuing_state": [None, guest.issuing_state], "room": [None, row.room],
                "checked_in_at": [None, row.checked_in_at.isoformat()],
                "expected_checkout": [None, _iso(row.expected_checkout)],
                "purpose": [None, row.purpose], "arrival_date": [None, _iso(row.arrival_date)],
                "permit_number": [None, row.permit_number], "source": [None, source],
                "receipt_number": [None, receipt],
            }
            if row.checked_out_at is not None:
                changes["checked_out_at"] = [None, row.checked_out_at.isoformat()]
            if registry:
                changes.update(registry)
            name = (f"{guest.surname}, {guest.given_names}" if guest.surname and
                    guest.given_names else guest.surname or guest.given_names)
            audit.append(self._audit(now, AuditEvent.IMPORT, "lodging.Stay", stay_id,
                                     f"{receipt} {name}", person.pk, changes,
                                     f"{self.note}, baris {row.row_number}"))
        insert_rows(Stay, STAY_COLUMNS, rows)
        return ids


# -------------------------------------------------------------------------------- run


def _run(job: GuestListImport, created: list[int]) -> None:
    # As the permit import: many small objects live until the end; the cyclic collector
    # would rescan them again and again.
    gc.disable()
    try:
        _run_rows(job, created)
    finally:
        gc.enable()
        gc.collect()


def _duplicate(first_row: int) -> Problem:
    return Problem(
        "checked_in_at", "duplicate_in_file",
        f"Tamu dengan paspor, kewarganegaraan dan waktu check-in yang sama sudah ada di baris "
        f"{first_row}.",
        f"The same passport, nationality and check-in time already appear in row "
        f"{first_row}.")


def _run_rows(job: GuestListImport, created: list[int]) -> None:
    with job.file.open("rb") as handle:
        data = handle.read()
    table = read_table(data, job.filename)
    GuestListImport.objects.filter(pk=job.pk).update(total_rows=len(table.rows))
    checker = GuestRowChecker(table=table, now=clock.now())
    applier = _Applier(job, checker)
    seen: dict[tuple, int] = {}
    processed = 0
    totals: dict[str, int] = defaultdict(int)
    chunks = list(iter_chunks(table.rows, CHUNK_SIZE))
    language = translation.get_language()
    # The next chunk's rows are checked (pure Python, no queries) while the database
    # applies this one: the two processors of a small server work at once.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="guest-list-check") as pool:
        ahead = pool.submit(_check_chunk, checker, job, chunks[0], language) if chunks \
            else None
        for index, chunk in enumerate(chunks):
            checked, rejected = ahead.result()
            if index + 1 < len(chunks):
                ahead = pool.submit(_check_chunk, checker, job, chunks[index + 1], language)
            processed, outcome, all_rejected = _apply_chunk(
                job, applier, chunk, checked, rejected, seen, processed, totals)
            totals["created"] += outcome.created
            totals["updated"] += outcome.updated
            totals["unchanged"] += outcome.unchanged
            totals["rejected"] += len(all_rejected)
            created.extend(outcome.new_stay_ids)
    with transaction.atomic():
        GuestListImport.objects.filter(pk=job.pk).update(status=JobStatus.DONE,
                                                         finished_at=timezone.now())
        audit_record(
            actor=job.created_by, event=AuditEvent.IMPORT, action="guest_list.finished", obj=job,
            office=job.lodging.office_id,
            object_label=(_("Guest list upload") + f" {job.filename}")[:200],
            changes={k: [None, totals[k]] for k in ("created", "updated", "unchanged",
                                                     "rejected")})


def _check_chunk(checker: GuestRowChecker, job: GuestListImport, chunk: list,
                 language: str | None) -> tuple[list[GuestRow], list[GuestListRejectedRow]]:
    """Each row checked on its own; reasons in the upload's language (this may run in a
    thread, where the caller's language is not active)."""
    checked: list[GuestRow] = []
    rejected: list[GuestListRejectedRow] = []
    with translation.override(language):
        for row_number, cells in chunk:
            try:
                checked.append(checker.check(row_number, cells))
            except RowErrors as exc:
                rejected.append(GuestListRejectedRow(
                    guest_import=job, row_number=row_number, values=checker.values(cells),
                    errors=exc.errors))
    return checked, rejected


def _apply_chunk(job, applier, chunk, checked, rejected, seen, processed, totals):
    """Refuse the file's repeated stays, then apply the chunk in one transaction."""
    clean: list[GuestRow] = []
    for row in checked:
        first = seen.setdefault(row.key, row.row_number)
        if first != row.row_number:
            rejected.append(applier.reject(row, _duplicate(first)))
            continue
        clean.append(row)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                relaxed_commit()
                no_jit()
                outcome = applier.apply(clean)
                all_rejected = sorted(rejected + outcome.rejected, key=lambda r: r.row_number)
                GuestListRejectedRow.objects.bulk_create(all_rejected, batch_size=2000)
                GuestListImport.objects.filter(pk=job.pk).update(
                    processed_rows=processed + len(chunk), progress_at=timezone.now(),
                    created_count=totals["created"] + outcome.created,
                    updated_count=totals["updated"] + outcome.updated,
                    unchanged_count=totals["unchanged"] + outcome.unchanged,
                    rejected_count=totals["rejected"] + len(all_rejected))
            break
        except IntegrityError:
            # A guest of this chunk was reported at the same moment by other means (or a
            # receipt number was drawn twice): read again and redo the chunk.
            if attempt == 2:
                raise
            log.info("guest list %s: chunk retried after a concurrent write", job.pk)
    return processed + len(chunk), outcome, all_rejected


# ------------------------------------------------------------------------ detection

ANALYZE_AFTER = 10_000


def _refresh_statistics(created: int) -> None:
    """After a big list, let PostgreSQL's planner know the stays table grew (autovacuum
    analyses it later): the detection queries that follow read it by person."""
    if connection.vendor == "postgresql" and created >= ANALYZE_AFTER:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Stay._meta.db_table)}")





