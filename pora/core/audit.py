"""The audit trail: every write records who changed what, in the same transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from pora.core import actions
from pora.core.bulk import filter_in
from pora.core.models import AccessLog, AuditEvent, AuditLog, Office, User
from pora.core.rows import Insert

# Values JSON takes as they are: most of what an audit row records.
_JSON_READY = frozenset({str, int, bool, float, type(None)})


# The columns of AuditLog that bulk writers (imports, guest lists, alerts) insert as tuples.
AUDIT_COLUMNS = ("at", "actor_id", "actor_label", "office_id", "event", "object_type",
                 "object_id", "object_label", "person_id", "changes", "note")
# The same with the named action after the event (``pora.core.actions``).
ACTION_AUDIT_COLUMNS = (*AUDIT_COLUMNS[:5], "action", *AUDIT_COLUMNS[5:])


def plain(value: Any) -> Any:
    """A value as the audit trail's JSON keeps it (a model as its key, a date as ISO)."""
    if type(value) in _JSON_READY:
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    """The values of ``fields`` as JSON-ready data (foreign keys by id)."""
    return {name: plain(getattr(obj, attname))
            for name, attname in _attnames(type(obj), tuple(fields))}


@functools.cache
def _attnames(model: type[models.Model], fields: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, attribute read) of each field: a foreign key by its id, not its object."""
    out = []
    for name in fields:
        field = model._meta.get_field(name)
        out.append((name, field.attname if isinstance(field, models.ForeignKey) else name))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _actor_label(actor: User | None) -> str:
    return actor.get_username() if actor is not None else "system"


def audit_record(
    *,
    actor: User | None,
    event: AuditEvent,
    action: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    office: Office | int | None = None,
    person_id: int | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditLog:
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:200]
    if action and not actions.is_known(action):
        raise ValueError(f"audit action {action!r} is declared by no area")
    office_id = office.pk if isinstance(office, Office) else office
    if office_id is None and actor is not None:
        office_id = actor.office_id
    # The row must commit with the change it describes, or not at all.
    assert transaction.get_connection().in_atomic_block, "audit outside a transaction"
    row = AuditLog(
        actor=actor,
        actor_label=_actor_label(actor),
        office_id=office_id,
        event=event,
        action=action or None,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label[:200],
        person_id=person_id,
        changes={k: [plain(x) for x in v] if isinstance(v, list) else plain(v)
                 for k, v in (changes or {}).items()},
        note=note[:300],
    )
    _audit_insert().save(row)
    return row


@functools.cache
def _audit_insert() -> Insert:
    # Every write of the application adds a row: written by SQL prepared once.
    return Insert(AuditLog)


def audit_record_many(rows: Iterable[AuditLog], *, batch_size: int = 2000) -> None:
    """Bulk variant for imports: rows built by the caller, written in one go."""
    from pora.core.bulk import bulk_insert

    assert transaction.get_connection().in_atomic_block, "audit outside a transaction"
    bulk_insert(AuditLog, list(rows), batch_size=batch_size)


def client_ip(request) -> str | None:
    """The client's address; behind the trusted reverse proxy, the one it forwarded."""
    from django.conf import settings

    if getattr(settings, "PORA_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The proxy appends the address it saw last; earlier entries are client-supplied.
        if forwarded:
            candidate = forwarded.split(",")[-1].strip()
            try:
                import ipaddress

                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


def _day_start() -> dt.datetime:
    """Midnight today, local time."""
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def access_record(*, request, persons: Iterable[Any], view: str,
                  office: Office | int | None = None, reader: str | None = None,
                  once_a_day: bool = False) -> None:
    """Log that personal data of these persons was shown (UU PDP Pasal 31): to
    ``request.user``, or to the software named by ``reader`` (a lodging's API token).

    ``office`` is the office whose head reads the row; by default the user's. A lodging's
    staff belong to no office: their rows go to the lodging's. With ``once_a_day``, a
    person already logged today for the same reader and view is not logged again (software
    that polls a list every minute would otherwise write each person 1,440 times a day).
    """
    user = request.user if reader is None else None
    reader = reader if reader is not None else user.get_username()
    office_id = office.pk if isinstance(office, Office) else office
    if office_id is None and user is not None:
        office_id = user.office_id
    path = request.get_full_path()[:300]
    ip_address = client_ip(request)
    rows = [
        AccessLog(
            user=user,
            reader=reader[:200],
            office_id=office_id,
            person_id=person.pk,
            person_label=str(person)[:200],
            view=view,
            path=path,
            ip_address=ip_address,
        )
        for person in persons
    ]
    if once_a_day and rows:
        today = AccessLog.objects.filter(office_id=office_id, at__gte=_day_start(),
                                         reader=reader[:200], view=view).order_by()
        logged = set(filter_in(today, "person_id", {row.person_id for row in rows})
                     .values_list("person_id", flat=True))
        rows = [row for row in rows if row.person_id not in logged]
    if rows:
        from pora.core.bulk import bulk_insert

        # COPY on PostgreSQL: a full export's thousands of rows in one statement.
        bulk_insert(AccessLog, rows, batch_size=len(rows))
