"""Screening foreigners against the watchlists, and the officers' review of the hits.

A foreigner is screened when recorded or changed, on a permit, at a lodging check-in,
after a bulk import, and again whenever a list changes (:func:`rescreen_start`). Each
comparison above the threshold is kept once per (person, entry) as a :class:`Hit`;
officers decide it. A false positive stays quiet until the person's or the entry's
compared facts change (their fingerprints), then it comes back for review.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from pora.alerts.rules import Finding
from pora.alerts.services import raise_alerts
from pora.core import clock
from pora.core.audit import audit_record
from pora.core.bulk import filter_in
from pora.core.models import AuditEvent, Office, User
from pora.jobs.models import JobStatus
from pora.jobs.services import job_claim
from pora.registry.models import Person
from pora.registry.selectors import present_persons
from pora.screening import index_cache
from pora.screening.engine.records import Record
from pora.screening.engine.score import SCORER_VERSION, Match, compare
from pora.screening.index_cache import Lists, entry_record, person_record, record_fingerprint
from pora.screening.models import (
    AlertRule,
    EntryStatus,
    Hit,
    HitStatus,
    RescreenJob,
    Trigger,
    Watchlist,
    WatchlistEntry,
)

log = logging.getLogger(__name__)

CHUNK_SIZE = 500
# Ids per background task: a task's arguments are stored as JSON in the queue.
TASK_IDS = 5000
DECISIONS = {HitStatus.CONFIRMED, HitStatus.FALSE_POSITIVE, HitStatus.UNSURE}
# Decided for good: a confirmed hit has raised its alert, a false positive is kept quiet.
FINAL = {HitStatus.CONFIRMED, HitStatus.FALSE_POSITIVE}


# --------------------------------------------------------------------- one person


def screen_person(person: Person, *, trigger: str, context: dict | None = None,
                  actor: User | None = None, lists: Lists | None = None) -> list[Hit]:
    """Compare one foreigner with the lists that apply to their office, valid today.

    Returns the hits raised or seen again (a false positive that stays quiet is not
    among them). With no list entry at all this costs no query beyond the lists' version.
    """
    lists = lists if lists is not None else index_cache.screeners()
    if not lists:
        return []
    record = person_record(person)
    matches = lists.screen(record, office_id=person.office_id, on=clock.today())
    if not matches:
        return []
    hits, _raised = _record_hits(person, record, matches, trigger=trigger,
                                 context=context or {}, actor=actor)
    return hits


def _reasons(match: Match) -> list[dict]:
    return [reason.as_dict() for reason in match.reasons]


def _record_hits(person: Person, record: Record, matches: list[Match], *, trigger: str,
                 context: dict, actor: User | None) -> tuple[list[Hit], int]:
    """Upsert the hits of one person; returns them and how many are new or reopened."""
    now = clock.now()
    person_fp = record_fingerprint(record)
    hits: list[Hit] = []
    raised = 0
    with transaction.atomic():
        # The index of another process may be a second behind a withdrawal: the entry
        # must still be active now.
        live = dict(WatchlistEntry.objects.filter(
            pk__in=[int(m.entry_id) for m in matches], status=EntryStatus.ACTIVE,
        ).values_list("id", "fingerprint"))
        if not live:
            return [], 0
        existing = {hit.entry_id: hit for hit in Hit.objects.select_for_update().filter(
            person_id=person.pk, entry_id__in=live)}
        for hit in existing.values():
            hit.person = person
        for match in matches:
            entry_id = int(match.entry_id)
            if entry_id not in live:
                continue
            entry_fp = live[entry_id]
            hit = existing.get(entry_id)
            if hit is None:
                hit, created = _create_hit(person, match, entry_fp=entry_fp, person_fp=person_fp,
                                           trigger=trigger, context=context, actor=actor,
                                           now=now)
                if created:
                    raised += 1
                    hits.append(hit)
                    continue
            if hit.status == HitStatus.FALSE_POSITIVE:
                if hit.person_fingerprint == person_fp and hit.entry_fingerprint == entry_fp:
                    continue  # decided already, and nothing compared has changed since
                _reopen(hit, match, entry_fp=entry_fp, person_fp=person_fp, trigger=trigger,
                        context=context, actor=actor, now=now)
                raised += 1
            elif hit.status == HitStatus.CLEARED:
                # Cleared by a scorer, never by an officer: above the threshold again, it
                # is a question for one.
                _reopen(hit, match, entry_fp=entry_fp, person_fp=person_fp, trigger=trigger,
                        context=context, actor=actor, now=now,
                        note="reopened: above the threshold again")
                raised += 1
            else:
                _seen_again(hit, match, entry_fp=entry_fp, person_fp=person_fp,
                            context=context, actor=actor, now=now)
            hits.append(hit)
    return hits, raised


def _label(person: Person, match: Match) -> str:
    entry_name = match.entry.names[0] if match.entry.names else match.entry_id
    return f"{person} ~ {entry_name} ({match.score})"[:200]


def _create_hit(person: Person, match: Match, *, entry_fp: str, person_fp: str,
                trigger: str, context: dict, actor: User | None,
                now: dt.datetime) -> tuple[Hit, bool]:
    hit = Hit(office_id=person.office_id, person=person, entry_id=int(match.entry_id),
              score=match.score, reasons=_reasons(match), scorer_version=SCORER_VERSION,
              trigger=trigger,
              context=dict(context), person_fingerprint=person_fp, entry_fingerprint=entry_fp,
              first_seen=now, last_seen=now)
    try:
        with transaction.atomic():
            hit.save()
    except IntegrityError:
        # Screened at the same moment by another process (a check-in during a rescreen).
        found = Hit.objects.select_for_update().get(person_id=person.pk, entry_id=hit.entry_id)
        found.person = person
        return found, False
    audit_record(actor=actor, event=AuditEvent.CREATE, action="hit.found", obj=hit,
                 office=hit.office_id,
                 person_id=person.pk, object_label=_label(person, match),
                 changes={"entry": [None, hit.entry_id], "score": [None, hit.score],
                          "trigger": [None, trigger], "status": [None, hit.status]})
    return hit, True


def _reopen(hit: Hit, match: Match, *, entry_fp: str, person_fp: str, trigger: str,
            context: dict, actor: User | None, now: dt.datetime,
            note: str = "reopened: compared facts changed") -> None:
    """A false positive whose compared facts changed is a new question for an officer."""
    changes = {
        "status": [hit.status, HitStatus.NEW],
        # The earlier decision stays readable in the trail.
        "note": [hit.note, ""],
        "decided_by": [hit.decided_by_id, None],
        "score": [hit.score, match.score],
    }
    if hit.person_fingerprint != person_fp:
        changes["person_fingerprint"] = [hit.person_fingerprint, person_fp]
    if hit.entry_fingerprint != entry_fp:
        changes["entry_fingerprint"] = [hit.entry_fingerprint, entry_fp]
    hit.status, hit.note, hit.decided_by, hit.decided_at = HitStatus.NEW, "", None, None
    hit.trigger, hit.context = trigger, dict(context)
    if hit.scorer_version != SCORER_VERSION:
        changes["scorer_version"] = [hit.scorer_version, SCORER_VERSION]
    hit.score, hit.reasons = match.score, _reasons(match)
    hit.scorer_version = SCORER_VERSION
    hit.person_fingerprint, hit.entry_fingerprint = person_fp, entry_fp
    hit.office_id = hit.person.office_id
    hit.last_seen, hit.times_seen = now, hit.times_seen + 1
    hit.save()
    audit_record(actor=actor, event=AuditEvent.UPDATE, action="hit.reopened", obj=hit,
                 office=hit.office_id, person_id=hit.person_id,
                 object_label=_label(hit.person, match),
                 changes=changes, note=note)


def _seen_again(hit: Hit, match: Match, *, entry_fp: str, person_fp: str, context: dict,
                actor: User | None, now: dt.datetime) -> None:
    changed = {}
    if hit.score != match.score:
        changed["score"] = [hit.score, match.score]
    if hit.office_id != hit.person.office_id:
        changed["office"] = [hit.office_id, hit.person.office_id]
    if hit.scorer_version != SCORER_VERSION:
        changed["scorer_version"] = [hit.scorer_version, SCORER_VERSION]
    hit.score, hit.reasons = match.score, _reasons(match)
    hit.scorer_version = SCORER_VERSION
    hit.office_id = hit.person.office_id
    # Where it was seen last, by kind: a later check-in names the current stay.
    hit.context = {**hit.context, **context}
    hit.person_fingerprint, hit.entry_fingerprint = person_fp, entry_fp
    hit.last_seen, hit.times_seen = now, hit.times_seen + 1
    hit.save(update_fields=["score", "reasons", "scorer_version", "office", "context",
                            "person_fingerprint", "entry_fingerprint", "last_seen",
                            "times_seen"])
    if changed:
        audit_record(actor=actor, event=AuditEvent.UPDATE, action="hit.rescored", obj=hit,
                     office=hit.office_id, person_id=hit.person_id,
                     object_label=_label(hit.person, match), changes=changed)


# ---------------------------------------------------------------------- hooks


# When several writes of one transaction screen the same person (a lodging report that
# creates the foreigner, then the stay), the most telling trigger names the hit.
_TRIGGER_RANK = {Trigger.CHECK_IN: 3, Trigger.PERMIT: 2, Trigger.PERSON: 1}


class _Pending:
    """Persons to screen once their transaction commits, each once."""

    def __init__(self) -> None:
        self.persons: dict[int, tuple[Person, str, dict]] = {}
        self.done = False

    def add(self, person: Person, trigger: str, context: dict) -> None:
        current = self.persons.get(person.pk)
        if current is None or _TRIGGER_RANK.get(trigger, 0) >= _TRIGGER_RANK.get(current[1], 0):
            self.persons[person.pk] = (person, trigger, context)
        else:
            # The most telling trigger, with the latest state of the foreigner.
            self.persons[person.pk] = (person, current[1], current[2])

    def run(self) -> None:
        self.done = True
        persons, self.persons = self.persons, {}
        for person, trigger, context in persons.values():
            _screen_safely(person, trigger=trigger, context=context)


def _screen_safely(person: Person, *, trigger: str, context: dict) -> None:
    # A screening failure must never undo or block the report or record that caused it;
    # the rescreen after the next list change, or the next report, screens again.
    try:
        screen_person(person, trigger=trigger, context=context)
    except Exception:
        log.exception("screening person %s failed", person.pk)


def screen_after_commit(person: Person, *, trigger: str, context: dict | None = None) -> None:
    """Screen ``person`` once the current transaction commits (at once outside one).

    The hook of every single-record write: screening after the commit keeps the write's
    row locks short and can never roll it back; writes of one transaction that touch the
    same foreigner screen them once. With no list entry this does nothing at all.
    """
    if not index_cache.screeners():
        return
    context = dict(context or {})
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _screen_safely(person, trigger=trigger, context=context)
        return
    # The batch already waiting for this commit, unless a rolled back savepoint took it.
    pending = next((func.__self__ for _sids, func, _robust in connection.run_on_commit
                    if isinstance(getattr(func, "__self__", None), _Pending)
                    and not func.__self__.done), None)
    if pending is None:
        pending = _Pending()
        transaction.on_commit(pending.run, robust=True)
    pending.add(person, trigger, context)


# ----------------------------------------------------------------------- in bulk


def screen_persons(person_ids: Iterable[int], *, trigger: str, context: dict | None = None,
                   lists: Lists | None = None) -> int:
    """Screen many foreigners in chunks; returns how many hits were new or reopened."""
    lists = lists if lists is not None else index_cache.screeners(fresh=True)
    if not lists:
        return 0
    ids = list(person_ids)
    raised = 0
    for start in range(0, len(ids), CHUNK_SIZE):
        raised += _screen_chunk(ids[start:start + CHUNK_SIZE], lists, trigger=trigger,
                                contexts={}, context=context or {})
    return raised


def _screen_chunk(ids: list[int], lists: Lists, *, trigger: str, context: dict,
                  contexts: dict[int, dict]) -> int:
    today = clock.today()
    raised = 0
    persons = list(filter_in(Person.objects.all(), "id", ids).prefetch_related("documents"))
    records = [person_record(person) for person in persons]
    screened = lists.screen_many(records, office_ids=[p.office_id for p in persons], on=today)
    for person, record, matches in zip(persons, records, screened, strict=True):
        if matches:
            _hits, count = _record_hits(
                person, record, matches, trigger=trigger, actor=None,
                context={**context, **contexts.get(person.pk, {})})
            raised += count
    return raised


def screen_persons_later(person_ids: Iterable[int] | Mapping[int, dict], *, trigger: str,
                         context: dict | None = None) -> None:
    """Screen these foreigners in the background (a permit import, a guest list).

    A mapping gives each foreigner a context of its own (the guest's stay), which the hit
    keeps beside ``context``.
    """
    if not index_cache.screeners():
        return
    contexts = (dict(person_ids) if isinstance(person_ids, Mapping)
                else {key: {} for key in person_ids})
    ids = sorted(contexts)
    for start in range(0, len(ids), TASK_IDS):
        chunk = ids[start:start + TASK_IDS]
        # Task arguments travel as JSON, whose object keys are strings: pairs keep the ids.
        own = [[pk, contexts[pk]] for pk in chunk if contexts[pk]]
        transaction.on_commit(lambda chunk=chunk, own=own: run_screen_persons.enqueue(
            person_ids=chunk, trigger=str(trigger), context=dict(context or {}),
            contexts=own))


@task()
def run_screen_persons(person_ids: list[int], trigger: str, context: dict,
                       contexts: list | None = None) -> None:
    lists = index_cache.screeners(fresh=True)
    if not lists:
        return
    own = {pk: value for pk, value in contexts or []}
    for start in range(0, len(person_ids), CHUNK_SIZE):
        _screen_chunk(person_ids[start:start + CHUNK_SIZE], lists, trigger=trigger,
                      context=context, contexts=own)


def screen_query(record: Record, *, user: User, limit: int = 10,
                 threshold: int | None = None) -> list[Match]:
    """Ad-hoc screening for the API: the lists ``user`` may see, nothing stored.

    ``threshold`` defaults to the setting ``PORA_SCREEN_THRESHOLD``.
    """
    if not user.can_see_personal_data:
        return []
    lists = index_cache.screeners()
    return lists.screen(record, office_id=user.office_id, on=clock.today(),
                        limit=limit, threshold=threshold)


# ---------------------------------------------------------------------- rescreen


@transaction.atomic
def rescreen_start(*, office: Office, watchlist: Watchlist | None = None,
                   actor: User | None = None, reason: str = "",
                   scorer_version: int | None = None) -> RescreenJob:
    """Queue a rescreen of everyone present in ``office``'s jurisdiction.

    A job still waiting in the queue already covers the change: it reads the lists when
    it starts, so it is returned instead of a second one (made a rescore as well when
    ``scorer_version`` asks for one).
    """
    queued = RescreenJob.objects.filter(office=office, status=JobStatus.QUEUED).first()
    if queued is not None:
        if scorer_version and queued.scorer_version != scorer_version:
            queued.scorer_version = scorer_version
            queued.save(update_fields=["scorer_version"])
        return queued
    job = RescreenJob.objects.create(office=office, watchlist=watchlist, reason=reason[:200],
                                     created_by=actor, scorer_version=scorer_version)
    audit_record(actor=actor, event=AuditEvent.CREATE, action="rescreen.started", obj=job,
                 office=office.pk,
                 object_label=(_("Rescreen") + f" #{job.pk}"),
                 changes={"watchlist": [None, watchlist.pk if watchlist else None],
                          "reason": [None, job.reason],
                          "scorer_version": [None, scorer_version]})
    language = translation.get_language() or "id"
    transaction.on_commit(lambda: run_rescreen.enqueue(job_id=job.pk, language=language))
    return job


def rescore_start() -> list[RescreenJob]:
    """After the scorer changed (a new :data:`SCORER_VERSION`), a rescreen of each office
    holding hits another version judged, unless one is already queued or running for
    this version. The worker calls it when it starts; the hits and their reasons then
    all come from one scorer, and an officer can see which version judged each."""
    pending = RescreenJob.objects.filter(
        scorer_version=SCORER_VERSION, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    offices = (Office.objects
               .filter(Exists(Hit.objects.filter(office_id=OuterRef("pk"))
                              .exclude(scorer_version=SCORER_VERSION)))
               .exclude(Exists(pending.filter(office_id=OuterRef("pk")))))
    reason = _("The scorer changed to version %(version)s: hits are judged again.") % {
        "version": SCORER_VERSION}
    return [rescreen_start(office=office, reason=reason, scorer_version=SCORER_VERSION)
            for office in offices]


def rescreen_offices(watchlist: Watchlist) -> list[Office]:
    """The offices whose foreigners a change of ``watchlist`` concerns."""
    if not watchlist.shared:
        return [watchlist.office]
    return list(Office.objects.filter(Exists(Person.objects.filter(office_id=OuterRef("pk")))))


def rescreen_for_list(watchlist: Watchlist, *, actor: User | None, reason: str) -> None:
    """After the commit, a rescreen of every office the list screens."""
    def start() -> None:
        for office in rescreen_offices(watchlist):
            rescreen_start(office=office, watchlist=watchlist, actor=actor, reason=reason)

    transaction.on_commit(start)


@task()
def run_rescreen(job_id: int, language: str = "id") -> None:
    rescreen_run(job_id=job_id, language=language)


def rescreen_run(*, job_id: int, language: str = "id") -> RescreenJob:
    with translation.override(language):
        claimed = job_claim(RescreenJob, job_id)
        job = RescreenJob.objects.get(pk=job_id)
        if not claimed:
            return job
        try:
            _rescreen(job)
        except Exception:
            log.exception("rescreen %s failed", job.pk)
            RescreenJob.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, finished_at=timezone.now(),
                error=_("The rescreen stopped on an unexpected error; the foreigners counted "
                        "as screened were screened. Start it again to finish."))
        job.refresh_from_db()
        return job


def _rescreen(job: RescreenJob) -> None:
    # The change that queued this job committed before it: read the version now.
    lists = index_cache.screeners(fresh=True)
    ids = list(present_persons(job.office_id, clock.today())
               .order_by("id").values_list("id", flat=True))
    RescreenJob.objects.filter(pk=job.pk).update(total=len(ids))
    processed = raised = 0
    context = {"job": job.pk}
    if lists:
        for start in range(0, len(ids), CHUNK_SIZE):
            chunk = ids[start:start + CHUNK_SIZE]
            raised += _screen_chunk(chunk, lists, trigger=Trigger.RESCREEN, context=context,
                                    contexts={})
            processed += len(chunk)
            RescreenJob.objects.filter(pk=job.pk).update(
                processed=processed, hits_raised=raised, progress_at=timezone.now())
    RescreenJob.objects.filter(pk=job.pk).update(processed=len(ids), hits_raised=raised)
    if job.scorer_version:
        job.total = len(ids)
        _rescore_hits(job, processed=len(ids))
    RescreenJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE,
                                                 finished_at=timezone.now())


def _rescore_hits(job: RescreenJob, *, processed: int) -> None:
    """The office's hits that another scorer version judged and the rescreen did not meet
    again (their person is no longer present, or the pair no longer reaches the
    threshold, or an officer decided it): compared again by this version.

    An officer's decision stands: a confirmed hit or a false positive is reopened only when
    its score crosses the threshold upward. An undecided hit below the threshold now is
    cleared (the review queue no longer lists it); above it, it is rescored."""
    old = (Hit.objects.filter(office_id=job.office_id).exclude(scorer_version=SCORER_VERSION)
           .order_by("id"))
    total = job.total + old.count()
    RescreenJob.objects.filter(pk=job.pk).update(total=total)
    last = 0
    while True:
        chunk = list(old.filter(id__gt=last).select_related("person", "entry")
                     .prefetch_related("person__documents")[:CHUNK_SIZE])
        if not chunk:
            return
        for hit in chunk:
            _rescore(hit)
        last = chunk[-1].pk
        processed += len(chunk)
        RescreenJob.objects.filter(pk=job.pk).update(processed=processed,
                                                     progress_at=timezone.now())


def _rescore(hit: Hit) -> None:
    with transaction.atomic():
        hit = Hit.objects.select_for_update().select_related("person", "entry").get(pk=hit.pk)
        if hit.scorer_version == SCORER_VERSION:
            return  # seen again meanwhile (a check-in during the rescreen)
        match = compare(person_record(hit.person), entry_record(hit.entry))
        before = {"score": hit.score, "status": hit.status,
                  "scorer_version": hit.scorer_version}
        threshold = settings.PORA_SCREEN_THRESHOLD
        above = match.score >= threshold
        if hit.status in FINAL and before["score"] < threshold <= match.score:
            hit.status, hit.decided_by, hit.decided_at = HitStatus.NEW, None, None
        elif hit.status == HitStatus.NEW and not above:
            hit.status = HitStatus.CLEARED
        hit.score, hit.reasons, hit.scorer_version = match.score, _reasons(match), SCORER_VERSION
        hit.save(update_fields=["score", "reasons", "scorer_version", "status", "decided_by",
                                "decided_at"])
        after = {"score": hit.score, "status": hit.status, "scorer_version": SCORER_VERSION}
        audit_record(actor=None, event=AuditEvent.UPDATE, action="hit.rescored", obj=hit,
                     office=hit.office_id, person_id=hit.person_id,
                     object_label=_label(hit.person, match),
                     changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
                     note=f"scorer version {SCORER_VERSION}")


# ------------------------------------------------------------------------ review


@transaction.atomic
def hit_decide(*, actor: User, hit: Hit, status: str, note: str = "") -> Hit:
    """An officer's decision on a hit.

    A new or unsure hit may be decided any way; a confirmed hit or a false positive is
    final for the review (a note may still be added). Confirming raises an alert in the
    office's queue with the action the list asks for (Permenimipas 2/2025: a person found
    on a ban list or wanted is checked before the surveillance order is issued).
    """
    hit = (Hit.objects.select_for_update(of=("self",))
           .select_related("entry__watchlist", "person").get(pk=hit.pk))
    note = (note or "").strip()
    if status not in DECISIONS:
        raise ValidationError({"status": _("Choose confirmed, false positive or unsure.")})
    if hit.status in FINAL and status != hit.status:
        raise ValidationError({"status": _(
            "This hit was already decided as “%(status)s”; that decision is final. You may "
            "add a note.") % {"status": hit.get_status_display()}})
    if status == HitStatus.FALSE_POSITIVE and not (note or hit.note):
        # The note is what the next officer reads when the pair comes back after a change.
        raise ValidationError({"note": _("Write why this is not the listed person.")})
    if status == hit.status and not note:
        return hit
    before = {"status": hit.status, "note": hit.note}
    if note and note != hit.note:
        hit.note = f"{hit.note}\n\n{note}" if hit.note else note
    fields = ["note"]
    if status != hit.status:
        hit.status = status
        hit.decided_by, hit.decided_at = actor, clock.now()
        hit.person_fingerprint = record_fingerprint(person_record(hit.person))
        hit.entry_fingerprint = hit.entry.fingerprint
        fields += ["status", "decided_by", "decided_at", "person_fingerprint",
                   "entry_fingerprint"]
    hit.save(update_fields=fields)
    decided = before["status"] != hit.status
    action = _DECISION_ACTIONS[hit.status] if decided else "hit.noted"
    audit_record(actor=actor, event=AuditEvent.UPDATE, action=action, obj=hit,
                 office=hit.office_id, person_id=hit.person_id,
                 object_label=f"{hit.person} ~ {hit.entry.primary_name}"[:200],
                 changes={k: [before[k], getattr(hit, k)] for k in before
                          if before[k] != getattr(hit, k)})
    if hit.status == HitStatus.CONFIRMED and before["status"] != HitStatus.CONFIRMED:
        _raise_alert(hit)
    return hit


_DECISION_ACTIONS = {HitStatus.CONFIRMED: "hit.confirmed",
                     HitStatus.FALSE_POSITIVE: "hit.dismissed", HitStatus.UNSURE: "hit.unsure"}


def _raise_alert(hit: Hit) -> None:
    entry = hit.entry
    watchlist = entry.watchlist
    finding = Finding(
        AlertRule.WATCHLIST, f"watchlist:hit:{hit.pk}",
        {"hit": hit.pk, "entry": entry.pk, "list": watchlist.name, "kind": watchlist.kind,
         "action": entry.action or watchlist.default_action},
        person_id=hit.person_id, stay_id=hit.context.get("stay"))
    raise_alerts([finding], office_id=hit.office_id)
