"""Run the detection rules and keep their findings as de-duplicated alerts.

:func:`evaluate_stay` runs on every report; :func:`evaluate_stays` runs the same rules over
many stays in batches (a guest list, and :func:`run_nightly`, which re-runs them on every
current guest, as a visa-free stay runs out while the guest sleeps, and checks every
lodging for silence).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import Max, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from pora.alerts.models import Alert
from pora.alerts.rules import Finding
from pora.alerts.services import raise_alerts, raise_many
from pora.core import clock
from pora.core.bulk import filter_in, iter_chunks, no_jit
from pora.core.idempotency import keys_expire
from pora.core.rows import Columns, fetch
from pora.lodging import detection
from pora.lodging.detection import StayFacts, Thresholds
from pora.lodging.models import (
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
        document_number=stay.document_number, document_expiry=stay.document_expiry,
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
    return _findings(this, others, permits, on=on, now=now, limits=limits)


def _findings(this: StayFacts, others: list[StayFacts], permits: list, *, on: dt.date,
              now: dt.datetime, limits: Thresholds) -> list[Finding]:
    """Every rule about one stay, given the person's other stays (newest check-in first)
    and permits; ``on`` is the day the permits are judged for."""
    # Without permits there is no standing to assess (person_standing returns None).
    standing = person_standing(permits, on, _rules_on(on)) if permits else None
    first_seen = trip_start(this, others)
    results = [
        detection.late_report(this, limits=limits),
        detection.overlapping(this, others, now=now, limits=limits),
        detection.hopping(this, others, limits=limits),
        detection.no_valid_permit(this, standing, on=on, first_seen=first_seen, limits=limits),
        detection.expired_passport(this),
    ]
    return [finding for finding in results if finding is not None]


def evaluate_stay(stay: Stay, *, now: dt.datetime | None = None,
                  new_person: bool = False) -> list[Alert]:
    now = now or clock.now()
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


# ------------------------------------------------------------------ many stays at once

_FACT_VALUES = ("id", "person_id", "lodging_id", "office_id", "checked_in_at", "reported_at",
                "checked_out_at", "expected_checkout", "arrival_date", "document_number",
                "document_expiry")

ALERT_BATCH = 2_000


def _fact(row: tuple, facts: dict[int, StayFacts], names: dict[int, str]) -> StayFacts:
    """The rules' view of a stay row (``_FACT_VALUES``), built once per stay."""
    found = facts.get(row[0])
    if found is None:
        found = facts[row[0]] = StayFacts(
            id=row[0], person_id=row[1], lodging_id=row[2], lodging_name=names[row[2]],
            checked_in_at=row[4], reported_at=row[5], checked_out_at=row[6],
            expected_checkout=row[7], arrival_date=row[8], document_number=row[9],
            document_expiry=row[10])
    return found


def evaluate_stays(stay_ids: list[int], *, now: dt.datetime | None = None
                   ) -> Counter[str]:
    """:func:`evaluate_stay` for many stays: the same facts and rules, read in batches.

    Per batch: the stays, their persons' other stays (the window stay_findings reads) and
    permits in three queries, the rules in memory, the alerts in bulk. Returns the findings
    raised (new alerts or alerts seen again) by rule.
    """
    now = now or clock.now()
    zone = timezone.get_current_timezone()
    limits = Thresholds.from_settings()
    today = now.astimezone(zone).date()
    names: dict[int, str] = {}
    raised: Counter[str] = Counter()
    for batch in iter_chunks(list(stay_ids), ALERT_BATCH):
        with transaction.atomic():
            no_jit()
            raised += _evaluate_batch(batch, now=now, zone=zone, today=today, limits=limits,
                                      names=names)
    return raised


def _evaluate_batch(batch: list[int], *, now, zone, today, limits,
                    names) -> Counter[str]:
    """One batch of :func:`evaluate_stays`: three reads, the rules, the alerts."""
    stays = list(filter_in(Stay.objects.order_by(), "id", batch).values_list(*_FACT_VALUES))
    if not stays:
        return Counter()
    person_ids = {s[1] for s in stays}
    earliest = min(s[4] for s in stays) - HISTORY
    history: dict[int, list[tuple]] = defaultdict(list)
    for other in filter_in(
            Stay.objects.order_by().filter(Q(checked_in_at__gte=earliest)
                                           | Q(checked_out_at__isnull=True)),
            "person_id", person_ids).values_list(*_FACT_VALUES):
        history[other[1]].append(other)
    unknown = {o[2] for rows in history.values() for o in rows} - names.keys()
    if unknown:
        names.update(Lodging.objects.filter(pk__in=unknown).values_list("id", "name"))
    permits: dict[int, list] = defaultdict(list)
    for person_id, *dates in filter_in(StayPermit.objects.order_by(), "person_id",
                                       person_ids).values_list(
            "person_id", "valid_from", "valid_until", "cancelled_on", "departed_on",
            "superseded_on"):
        permits[person_id].append(SimpleNamespace(
            valid_from=dates[0], valid_until=dates[1], cancelled_on=dates[2],
            departed_on=dates[3], superseded_on=dates[4]))
    facts: dict[int, StayFacts] = {}
    findings: list[tuple[int, Finding]] = []
    for stay in stays:
        stay_id, person_id, _lodging, office_id, checked_in = stay[:5]
        cutoff = checked_in - HISTORY
        rows = [o for o in history[person_id] if o[0] != stay_id and (
            o[4] >= cutoff or o[6] is None)]
        # In the order stay_findings reads them (newest check-in first).
        rows.sort(key=lambda o: (o[4], o[0]), reverse=True)
        others = [_fact(o, facts, names) for o in rows]
        this = _fact(stay, facts, names)
        on = today if this.checked_out_at is None else \
            this.checked_out_at.astimezone(zone).date()
        findings += [(office_id, finding) for finding in _findings(
            this, others, permits.get(person_id, []), on=on, now=now, limits=limits)]
    return raise_many(findings, now=now)


def run_nightly(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Re-run the stay rules on every current guest and look for silent lodgings."""
    now = now or clock.now()
    limits = Thresholds.from_settings()
    current = list(Stay.objects.filter(checked_out_at__isnull=True).values_list(
        "id", flat=True))
    raised = evaluate_stays(current, now=now)
    for office_id, finding in lodging_findings(now=now, limits=limits):
        raise_alerts([finding], office_id=office_id, now=now)
        raised[finding.rule] += 1
    expired = keys_expire(now=now)
    return {"stays": len(current), **raised, "idempotency_keys_expired": expired}
