"""Run the detection rules and keep their findings as de-duplicated alerts.

:func:`evaluate_stay` runs on every report; :func:`run_nightly` re-runs the stay rules on
every current guest (a visa-free stay runs out while the guest sleeps) and checks every
lodging for silence.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from pora.core.audit import audit_record
from pora.core.models import AuditEvent, User
from pora.core.rows import Columns, Insert, fetch
from pora.lodging import detection
from pora.lodging.detection import Finding, StayFacts, Thresholds
from pora.lodging.models import (
    Alert,
    AlertStatus,
    IdempotencyKey,
    Lodging,
    ReporterStatus,
    Stay,
)
from pora.registry.models import RuleSet, StayPermit
from pora.registry.rules import person_standing
from pora.registry.selectors import rules_on

# How far back a person's stays are read for the overlap and mobility rules.
HISTORY = dt.timedelta(days=120)
# Every report needs the rule set of the day; rule sets change a few times a year.
RULES_SECONDS = 60
_rules: dict[dt.date, tuple[float, RuleSet]] = {}


def _rules_on(on: dt.date) -> RuleSet:
    """:func:`rules_on`, read at most once a minute per process and day."""
    now = time.monotonic()
    hit = _rules.get(on)
    if hit is None or now - hit[0] > RULES_SECONDS:
        hit = _rules[on] = (now, rules_on(on))
    return hit[1]


def _forget_rules(**_kwargs) -> None:
    _rules.clear()


post_save.connect(_forget_rules, sender=RuleSet, dispatch_uid="lodging-alerts-rules")
post_delete.connect(_forget_rules, sender=RuleSet, dispatch_uid="lodging-alerts-rules-del")


def _facts(stay: Stay, lodging_name: str) -> StayFacts:
    return StayFacts(
        id=stay.id, person_id=stay.person_id, lodging_id=stay.lodging_id,
        lodging_name=lodging_name, checked_in_at=stay.checked_in_at,
        reported_at=stay.reported_at, checked_out_at=stay.checked_out_at,
        expected_checkout=stay.expected_checkout, arrival_date=stay.arrival_date,
    )


# Stays this many days apart or closer belong to one trip to Indonesia.
TRIP_GAP_DAYS = 3


def trip_start(stay: StayFacts, others: list[StayFacts]) -> dt.date:
    """The first day of the trip this stay belongs to, as far as lodging reports show.

    Walks back from the stay through earlier stays that follow each other with no more
    than TRIP_GAP_DAYS between one's end and the next's start: a visitor who comes back
    months later starts a new trip (and a new visa-free stay).
    """
    def day(moment: dt.datetime) -> dt.date:
        return timezone.localtime(moment).date()

    def end(other: StayFacts) -> dt.date:
        if other.checked_out_at is not None:
            return day(other.checked_out_at)
        return max(other.expected_checkout or day(other.checked_in_at), day(stay.checked_in_at))

    start = day(stay.checked_in_at)
    earlier = sorted((o for o in others if o.checked_in_at < stay.checked_in_at),
                     key=lambda o: o.checked_in_at, reverse=True)
    for other in earlier:
        if (start - end(other)).days > TRIP_GAP_DAYS:
            break
        start = min(start, day(other.checked_in_at))
    return start


# A person's other stays and their permits, read in one statement on every report (the
# ORM would compile two querysets anew each time): stay rows fill the first columns,
# permit rows the last, the rest NULL.
_OTHER_STAY = Columns(Stay, "s", ["id", "lodging", "checked_in_at", "reported_at",
                                  "checked_out_at", "expected_checkout", "arrival_date"])
_PERMIT = Columns(StayPermit, "p", ["id", "valid_from", "valid_until", "cancelled_on",
                                    "departed_on", "superseded_on"])
_HISTORY_SQL = (
    f"SELECT {_OTHER_STAY.sql}, l.name, {', '.join(['NULL'] * _PERMIT.width)} "
    f"FROM {Stay._meta.db_table} s JOIN {Lodging._meta.db_table} l ON l.id = s.lodging_id "
    "WHERE s.person_id = %s AND (s.checked_in_at >= %s OR s.checked_out_at IS NULL) "
    "AND NOT (s.id = %s) "
    f"UNION ALL SELECT {', '.join(['NULL'] * (_OTHER_STAY.width + 1))}, {_PERMIT.sql} "
    f"FROM {StayPermit._meta.db_table} p WHERE p.person_id = %s")


def _history(stay: Stay) -> tuple[list[StayFacts], list[StayPermit]]:
    """The person's other stays within HISTORY or not checked out (newest check-in
    first, as Stay's ordering gives them) and every permit of theirs (newest first, as
    StayPermit's ordering gives them)."""
    others, permits = [], []
    since = connection.ops.adapt_datetimefield_value(stay.checked_in_at - HISTORY)
    for row in fetch(_HISTORY_SQL, [stay.person_id, since, stay.pk, stay.person_id]):
        if row[0] is not None:
            (pk, lodging_id, checked_in_at, reported_at, checked_out_at, expected_checkout,
             arrival_date) = _OTHER_STAY.values(row)
            others.append(StayFacts(
                id=pk, person_id=stay.person_id, lodging_id=lodging_id,
                lodging_name=row[_OTHER_STAY.width], checked_in_at=checked_in_at,
                reported_at=reported_at, checked_out_at=checked_out_at,
                expected_checkout=expected_checkout, arrival_date=arrival_date))
        else:
            permits.append(_PERMIT.load(row, _OTHER_STAY.width + 1))
    others.sort(key=lambda o: (o.checked_in_at, o.id), reverse=True)
    permits.sort(key=lambda p: (p.valid_from, p.pk), reverse=True)
    return others, permits


def stay_findings(stay: Stay, *, now: dt.datetime, limits: Thresholds | None = None,
                  new_person: bool = False) -> list[Finding]:
    """Every rule about one stay, from two small queries (none for a ``new_person``: a
    foreigner the same report created has no other stay and no permit)."""
    limits = limits or Thresholds.from_settings()
    others, permits = [], []
    if not new_person:
        others, permits = _history(stay)
    this = _facts(stay, stay.lodging.name)
    on = timezone.localtime(now).date() if stay.checked_out_at is None else \
        timezone.localtime(stay.checked_out_at).date()
    # Without permits there is no standing to assess (person_standing returns None).
    standing = person_standing(permits, on, _rules_on(on)) if permits else None
    first_seen = trip_start(this, others)
    results = [
        detection.late_report(this, limits=limits),
        detection.overlapping(this, others, now=now, limits=limits),
        detection.hopping(this, others, limits=limits),
        detection.no_valid_permit(this, standing, on=on, first_seen=first_seen, limits=limits),
    ]
    return [finding for finding in results if finding is not None]


# Alerts are raised on every report that breaks a rule: by SQL written once.
_ALERT = Columns(Alert, "a")
_KEY = connection.ops.quote_name("key")
_ALERT_INSERT = Insert(Alert, unless_exists=("key",))
_ALERT_SQL = f"SELECT {_ALERT.sql} FROM {Alert._meta.db_table} a WHERE a.{_KEY} = %s"
_SEEN_AGAIN_SQL = (f"UPDATE {Alert._meta.db_table} SET last_seen = %s, "
                   f"times_seen = times_seen + 1, facts = %s WHERE {_KEY} = %s")


def _alert(key: str) -> Alert | None:
    rows = fetch(_ALERT_SQL, [key])
    return _ALERT.load(rows[0]) if rows else None


def _seen_again(finding: Finding, now: dt.datetime) -> Alert:
    """The alert with the finding's key (which exists), seen once more now with the
    latest facts."""
    facts = Alert._meta.get_field("facts").get_db_prep_save(finding.facts, connection)
    with connection.cursor() as cursor:
        cursor.execute(_SEEN_AGAIN_SQL, [connection.ops.adapt_datetimefield_value(now), facts,
                                         finding.key])
    return _alert(finding.key)


def raise_alerts(findings: list[Finding], *, office_id: int,
                 now: dt.datetime | None = None) -> list[Alert]:
    """One alert per finding key: a finding seen again updates the alert it already has.

    Every report may raise some, so the statements are written once as SQL and need no
    savepoint. The insert comes first: most findings of a report are about its new stay
    and so new; one whose key exists (seen before, or raised meanwhile by another report)
    updates that alert instead.
    """
    now = now or timezone.now()
    alerts = []
    for finding in findings:
        with transaction.atomic(savepoint=False):
            alert = Alert(office_id=office_id, rule=finding.rule, key=finding.key,
                          person_id=finding.person_id, lodging_id=finding.lodging_id,
                          stay_id=finding.stay_id, facts=finding.facts, last_seen=now)
            if _ALERT_INSERT.save(alert):
                audit_record(actor=None, event=AuditEvent.CREATE, obj=alert, office=office_id,
                             person_id=finding.person_id, object_label=finding.key,
                             changes={"rule": [None, finding.rule]})
                alerts.append(alert)
            else:
                alerts.append(_seen_again(finding, now))
    return alerts


def evaluate_stay(stay: Stay, *, now: dt.datetime | None = None,
                  new_person: bool = False) -> list[Alert]:
    now = now or timezone.now()
    return raise_alerts(stay_findings(stay, now=now, new_person=new_person),
                        office_id=stay.office_id, now=now)


def lodging_findings(*, now: dt.datetime, limits: Thresholds | None = None,
                     office_id: int | None = None) -> list[tuple[int, Finding]]:
    """Silent lodgings: (office id, finding) for every verified lodging gone quiet."""
    limits = limits or Thresholds.from_settings()
    lodgings = Lodging.objects.filter(status=ReporterStatus.VERIFIED)
    if office_id is not None:
        lodgings = lodgings.filter(office_id=office_id)
    lodgings = lodgings.annotate(last_report=Max("stays__reported_at"))
    out = []
    for lodging in lodgings:
        if lodging.last_report is None:
            continue
        window_start = lodging.last_report - dt.timedelta(days=limits.usual_window_days)
        count = lodging.stays.filter(reported_at__gt=window_start,
                                     reported_at__lte=lodging.last_report).count()
        finding = detection.silent_lodging(
            lodging.pk, lodging.name, reports_in_window=count,
            last_report_at=lodging.last_report, now=now, limits=limits)
        if finding is not None:
            out.append((lodging.office_id, finding))
    return out


def run_nightly(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Re-run the stay rules on every current guest and look for silent lodgings."""
    now = now or timezone.now()
    limits = Thresholds.from_settings()
    stays = 0
    raised: dict[str, int] = {}
    for stay in Stay.objects.filter(checked_out_at__isnull=True).select_related(
            "lodging").iterator(chunk_size=500):
        stays += 1
        for alert in raise_alerts(stay_findings(stay, now=now, limits=limits),
                                  office_id=stay.office_id, now=now):
            raised[alert.rule] = raised.get(alert.rule, 0) + 1
    for office_id, finding in lodging_findings(now=now, limits=limits):
        raise_alerts([finding], office_id=office_id, now=now)
        raised[finding.rule] = raised.get(finding.rule, 0) + 1
    # A client retries within minutes or hours; a week-old key protects nothing.
    expired = IdempotencyKey.objects.filter(
        created_at__lt=now - dt.timedelta(days=settings.PORA_IDEMPOTENCY_DAYS)).delete()[0]
    return {"stays": stays, **raised, "idempotency_keys_expired": expired}


@transaction.atomic
def alert_update(*, actor: User, alert: Alert, status: str, note: str = "") -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    before = {"status": alert.status, "note": alert.note}
    if status not in AlertStatus.values:
        raise ValueError(status)
    alert.status, alert.handled_by = status, actor
    if note.strip():
        alert.note = note.strip()
    alert.save(update_fields=["status", "handled_by", "note"])
    audit_record(actor=actor, event=AuditEvent.UPDATE, obj=alert, office=alert.office_id,
                 person_id=alert.person_id, object_label=alert.key,
                 changes={k: [before[k], getattr(alert, k)] for k in before
                          if before[k] != getattr(alert, k)})
    return alert


def alert_counts(office_id: int) -> dict[str, int]:
    return dict(Alert.objects.filter(office_id=office_id, status=AlertStatus.OPEN)
                .values_list("rule").annotate(n=Count("id")).values_list("rule", "n"))
