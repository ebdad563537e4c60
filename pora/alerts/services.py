"""Raising and handling alerts: the one way every area records what its rules found.

:func:`raise_alerts` for a report's findings, :func:`raise_many` for thousands at once (a
guest list, the nightly run), :func:`alert_update` for an officer's handling.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import replace

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.utils import timezone

from pora.alerts import rules
from pora.alerts.models import Alert, AlertStatus
from pora.alerts.rules import Finding
from pora.core import clock
from pora.core.audit import ACTION_AUDIT_COLUMNS, audit_record
from pora.core.bulk import allocate_ids, filter_in, insert_rows
from pora.core.models import AuditEvent, AuditLog, User
from pora.core.rows import Columns, Insert, fetch

ALERT_COLUMNS = ("id", "office_id", "rule", "key", "person_id", "lodging_id", "stay_id",
                 "facts", "status", "first_seen", "last_seen", "times_seen", "note",
                 "handled_by_id")


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


def _placed(finding: Finding) -> Finding:
    """A finding about a stay is also about its lodging (a screening hit found at a
    check-in names only the stay); a stay no longer there names neither."""
    if finding.stay_id is None or finding.lodging_id is not None:
        return finding
    stays = Alert._meta.get_field("stay").related_model.objects
    lodging_id = stays.filter(pk=finding.stay_id).values_list("lodging_id", flat=True).first()
    return replace(finding, lodging_id=lodging_id,
                   stay_id=finding.stay_id if lodging_id is not None else None)


def raise_alerts(findings: list[Finding], *, office_id: int,
                 now: dt.datetime | None = None) -> list[Alert]:
    """One alert per finding key: a finding seen again updates the alert it already has.

    Every report may raise some, so the statements are written once as SQL and need no
    savepoint. The insert comes first: most findings of a report are about its new stay
    and so new; one whose key exists (seen before, or raised meanwhile by another report)
    updates that alert instead.
    """
    now = now or clock.now()
    alerts = []
    for finding in map(_placed, findings):
        with transaction.atomic(savepoint=False):
            alert = Alert(office_id=office_id, rule=finding.rule, key=finding.key,
                          person_id=finding.person_id, lodging_id=finding.lodging_id,
                          stay_id=finding.stay_id, facts=finding.facts, first_seen=now,
                          last_seen=now)
            if _ALERT_INSERT.save(alert):
                audit_record(actor=None, event=AuditEvent.CREATE, action="alert.raised",
                             obj=alert, office=office_id, person_id=finding.person_id, object_label=finding.key,
                             changes={"rule": [None, finding.rule]})
                alerts.append(alert)
            else:
                alerts.append(_seen_again(finding, now))
    return alerts


def raise_many(findings: list[tuple[int, Finding]], *, now: dt.datetime) -> Counter[str]:
    """:func:`raise_alerts` in bulk (findings as (office id, finding)): one alert per key, seen again when it exists; the
    findings by rule."""
    if not findings:
        return Counter()
    by_key: dict[str, list[tuple[int, Finding]]] = {}
    for office_id, finding in findings:
        by_key.setdefault(finding.key, []).append((office_id, finding))
    try:
        with transaction.atomic():
            existing = set(filter_in(Alert.objects.order_by(), "key", by_key).values_list(
                "key", flat=True))
            _seen_many([(key, len(by_key[key]), by_key[key][-1][1].facts)
                         for key in existing], now=now)
            fresh = [(k, items) for k, items in by_key.items() if k not in existing]
            ids = allocate_ids(Alert, len(fresh))
            alerts, audit = [], []
            # The audit log records when it was written, on the wall clock (pora.core.clock).
            logged = timezone.now()
            for alert_id, (key, items) in zip(ids, fresh, strict=True):
                office_id, first = items[0]
                alerts.append((alert_id, office_id, first.rule, key, first.person_id,
                               first.lodging_id, first.stay_id, items[-1][1].facts,
                               AlertStatus.OPEN.value, now, now, len(items), "", None))
                audit.append((logged, None, "system", office_id, AuditEvent.CREATE,
                              "alert.raised", Alert._meta.label, str(alert_id), key[:200], first.person_id,
                              {"rule": [None, first.rule]}, ""))
            insert_rows(Alert, ALERT_COLUMNS, alerts)
            insert_rows(AuditLog, ACTION_AUDIT_COLUMNS, audit)
    except IntegrityError:
        # Raised at the same moment by a single report: the careful path, one by one.
        by_office: dict[int, list[Finding]] = defaultdict(list)
        for office_id, finding in findings:
            by_office[office_id].append(finding)
        for office_id, items in by_office.items():
            raise_alerts(items, office_id=office_id, now=now)
    return Counter(finding.rule for _office, finding in findings)


def _seen_many(updates: list[tuple[str, int, dict]], *, now: dt.datetime) -> None:
    """Alerts found again: last seen now, seen once more per finding, the latest facts."""
    if not updates:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Alert._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS a SET last_seen = %s, times_seen = a.times_seen + d.n, "
                "facts = d.facts::jsonb FROM unnest(%s::text[], %s::int[], %s::text[]) "
                "AS d(key, n, facts) WHERE a.key = d.key",
                [now, [u[0] for u in updates], [u[1] for u in updates],
                 [json.dumps(u[2]) for u in updates]])
        return
    for key, count, facts in updates:
        Alert.objects.filter(key=key).update(last_seen=now, facts=facts,
                                             times_seen=F("times_seen") + count)


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
    audit_record(actor=actor, event=AuditEvent.UPDATE, action="alert.handled", obj=alert,
                 office=alert.office_id, person_id=alert.person_id, object_label=alert.key,
                 changes={k: [before[k], getattr(alert, k)] for k in before
                          if before[k] != getattr(alert, k)})
    return alert


def alert_counts(office_id: int) -> dict[str, int]:
    return dict(Alert.objects.filter(office_id=office_id, status=AlertStatus.OPEN)
                .values_list("rule").annotate(n=Count("id")).values_list("rule", "n"))


def severity_order():
    """An expression of each alert's rule severity, to order a queue most urgent first."""
    whens = [When(rule=rule.code, then=Value(rule.severity)) for rule in rules.all_rules()]
    return Case(*whens, default=Value(rules.Severity.LOW), output_field=IntegerField())
