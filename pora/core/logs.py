"""The head of office's two logs: filters, pages read newest first, exports, and the
audit rows as sentences in the reader's language.

A year of use is about ten million access rows (one per person shown, UU PDP Pasal 31).
So a page never counts the rows (COUNT over millions costs seconds) nor skips them with
OFFSET: it reads the next rows after the last one shown (keyset: time, then id) from an
index that serves the filter (see the models' indexes), and says whether there are more.
An export streams, a chunk of rows at a time, in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pora.core import actions
from pora.core.models import (
    ACCESS_VIEW_LABELS,
    ACCESS_VIEWS_NOT_OF_PERSONS,
    AccessLog,
    AuditEvent,
    AuditLog,
    User,
)

PAGE_SIZE = 50
EXPORT_CHUNK = 5000
# Readers from outside the office offered in the user filter (tokens, lodging staff).
READERS_SHOWN = 500
# The event filter's value for a generic event rather than a named action.
EVENT_PREFIX = "event:"


# ------------------------------------------------------------------------------ filters


@dataclass
class LogFilters:
    start: dt.date | None = None
    end: dt.date | None = None
    user: str = ""
    person: str = ""
    action: str = ""
    errors: list[str] = field(default_factory=list)
    # Whom the person filter found: (id, name), for the page to say so.
    persons: list[tuple[int, str]] = field(default_factory=list)

    def query(self) -> dict[str, str]:
        return {"from": self.start.isoformat() if self.start else "",
                "to": self.end.isoformat() if self.end else "",
                "user": self.user, "person": self.person, "action": self.action}


def _date(text: str, label: str, errors: list[str]) -> dt.date | None:
    text = text.strip()[:20]
    if not text:
        return None
    try:
        value = parse_date(text)
    except ValueError:
        value = None
    if value is None:
        errors.append(_("%(field)s is not a date (YYYY-MM-DD).") % {"field": label})
    return value


def parse_filters(params) -> LogFilters:
    errors: list[str] = []
    filters = LogFilters(
        start=_date(params.get("from", ""), _("From"), errors),
        end=_date(params.get("to", ""), _("To"), errors),
        user=params.get("user", "").strip()[:200],
        person=params.get("person", "").strip()[:100],
        action=params.get("action", "").strip()[:60],
        errors=errors,
    )
    if filters.start and filters.end and filters.start > filters.end:
        errors.append(_("The start date is after the end date."))
    return filters


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _person_ids(user: User, text: str) -> list[int]:
    """A person number as the page's links give it, else whom the registry finds for the
    name (or passport or permit number) among the persons ``user`` may see."""
    ids = []
    if text.isdecimal() and text.isascii() and len(text) < 19:
        ids.append(int(text))
    ids.extend(i for i in actions.persons_named(user, text) if i not in ids)
    return ids


def _filter(queryset: QuerySet, filters: LogFilters, reader: User, *, user_field: str,
            name_field: str, person: Q | None = None) -> QuerySet:
    if filters.errors:
        return queryset.none()
    if filters.start:
        queryset = queryset.filter(at__gte=_day_start(filters.start))
    if filters.end:
        queryset = queryset.filter(at__lt=_day_start(filters.end + dt.timedelta(days=1)))
    if filters.user:
        account = (User.objects.filter(username=filters.user)
                   .values_list("pk", flat=True).first())
        if account is not None:
            # By its id, not a join on the name: the (user, time) index then gives the
            # newest rows in order.
            queryset = queryset.filter(**{f"{user_field}_id": account})
        else:
            # No such account: an API token (or the system), by the name the rows give it.
            queryset = queryset.filter(**{f"{user_field}__isnull": True,
                                          name_field: filters.user})
    if filters.person:
        ids = _person_ids(reader, filters.person)
        names = actions.person_names(ids)
        filters.persons = [(i, names[i]) for i in ids if i in names]
        if not ids:
            return queryset.none()
        queryset = queryset.filter(Q(person_id__in=ids) & (person or Q()))
    return queryset


def audit_rows(reader: User, filters: LogFilters) -> QuerySet[AuditLog]:
    rows = _filter(AuditLog.objects.filter(office_id=reader.office_id), filters, reader,
                   user_field="actor", name_field="actor_label")
    if filters.action.startswith(EVENT_PREFIX):
        rows = rows.filter(event=filters.action.removeprefix(EVENT_PREFIX))
    elif filters.action:
        rows = rows.filter(action=filters.action)
    return rows


def access_rows(reader: User, filters: LogFilters) -> QuerySet[AccessLog]:
    rows = _filter(AccessLog.objects.filter(office_id=reader.office_id), filters, reader,
                   user_field="user", name_field="reader",
                   person=~Q(view__in=ACCESS_VIEWS_NOT_OF_PERSONS))
    if filters.action:
        rows = rows.filter(view=filters.action)
    return rows


def audit_choices() -> list[tuple[str, str]]:
    """The event filter: each area's named actions, then the generic events."""
    named = sorted(((a.code, str(a.label)) for a in actions.all_actions()),
                   key=lambda item: item[1].casefold())
    return named + [(EVENT_PREFIX + value, str(label)) for value, label in AuditEvent.choices]


def access_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(label)) for code, label in ACCESS_VIEW_LABELS.items()),
                  key=lambda item: item[1].casefold())


def outside_readers(office_id: int, office_users: set[str]) -> list[str]:
    """Who read this office's rows besides its users: lodging staff and API tokens.

    On PostgreSQL the distinct readers are read by skipping through the (office, reader)
    index, one probe per reader, rather than by scanning a year of rows."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(AccessLog._meta.db_table)
        sql = f"""
            WITH RECURSIVE readers(reader) AS (
              (SELECT reader FROM {table} WHERE office_id = %s AND reader > ''
               ORDER BY reader LIMIT 1)
              UNION ALL
              SELECT (SELECT t.reader FROM {table} t
                      WHERE t.office_id = %s AND t.reader > readers.reader
                      ORDER BY t.reader LIMIT 1)
              FROM readers WHERE readers.reader IS NOT NULL
            )
            SELECT reader FROM readers WHERE reader IS NOT NULL LIMIT %s"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [office_id, office_id, READERS_SHOWN + len(office_users)])
            found = [row[0] for row in cursor.fetchall()]
    else:
        found = list(AccessLog.objects.filter(office_id=office_id).exclude(reader="")
                     .order_by("reader").values_list("reader", flat=True).distinct()
                     [:READERS_SHOWN + len(office_users)])
    return [r for r in found if r not in office_users][:READERS_SHOWN]


# ------------------------------------------------------------------------------- paging


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _cursor(row) -> str:
    at = row["at"] if isinstance(row, dict) else row.at
    pk = row["id"] if isinstance(row, dict) else row.pk
    return f"{(at - _EPOCH) // dt.timedelta(microseconds=1)}-{pk}"


def _parse_cursor(text: str) -> tuple[dt.datetime, int] | None:
    micros, _sep, pk = text.partition("-")
    if not (micros.isdecimal() and pk.isdecimal() and len(micros) < 19 and len(pk) < 19):
        return None
    return _EPOCH + dt.timedelta(microseconds=int(micros)), int(pk)


def _older_than(queryset: QuerySet, at: dt.datetime, pk: int) -> QuerySet:
    # "at <= x" bounds the index range; the rest only breaks ties of the same instant.
    return queryset.filter(Q(at__lt=at) | Q(at=at, id__lt=pk), at__lte=at)


@dataclass
class LogPage:
    object_list: list
    next_cursor: str = ""
    is_first: bool = True

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def page_of(queryset: QuerySet, cursor: str, size: int = PAGE_SIZE) -> LogPage:
    """The ``size`` rows after ``cursor`` (newest first) and whether more follow."""
    after = _parse_cursor(cursor) if cursor else None
    if after is not None:
        queryset = _older_than(queryset, *after)
    rows = list(queryset.order_by("-at", "-id")[:size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return LogPage(rows, _cursor(rows[-1]) if more else "", is_first=after is None)


def iterate(queryset: QuerySet, fields: list[str]) -> Iterator[dict[str, Any]]:
    """Every row, newest first, ``EXPORT_CHUNK`` at a time (one short query each: memory
    stays flat and no transaction stays open for the whole download)."""
    queryset = queryset.order_by("-at", "-id").values("id", "at", *fields)
    after = None
    while True:
        chunk = list((_older_than(queryset, *after) if after else queryset)[:EXPORT_CHUNK])
        yield from chunk
        if len(chunk) < EXPORT_CHUNK:
            return
        last = chunk[-1]
        after = (last["at"], last["id"])


# ------------------------------------------------------------------- audit as sentences


# The sentence of a row written without a named action (before they existed, or where
# the event says it all): by its generic event.
EVENT_SENTENCES = {
    AuditEvent.CREATE: gettext_lazy("%(actor)s created %(object)s"),
    AuditEvent.UPDATE: gettext_lazy("%(actor)s changed %(object)s"),
    AuditEvent.DELETE: gettext_lazy("%(actor)s deleted %(object)s"),
    AuditEvent.IMPORT: gettext_lazy("%(actor)s imported %(object)s"),
    AuditEvent.LOGIN: gettext_lazy("%(actor)s logged in"),
    AuditEvent.LOGIN_FAILED: gettext_lazy("A login as %(object)s failed"),
    AuditEvent.LOGOUT: gettext_lazy("%(actor)s logged out"),
    AuditEvent.SECOND_FACTOR: gettext_lazy("%(actor)s changed their second factor"),
    AuditEvent.DEMO_LOAD: gettext_lazy("%(actor)s loaded the demo data"),
    AuditEvent.PASSWORD_CHANGE: gettext_lazy("%(actor)s changed their password"),
    AuditEvent.PASSWORD_RESET_LINK: gettext_lazy(
        "A password reset link was sent to user %(object)s"),
    AuditEvent.PASSWORD_RESET: gettext_lazy("%(actor)s reset their password"),
    AuditEvent.CALENDAR_CHANGE: gettext_lazy(
        "%(actor)s changed the working-day calendar: %(object)s"),
}

# Keys of ``changes`` that are no model field, in words.
EXTRA_FIELD_LABELS = {
    "file": gettext_lazy("File"),
    "sha256": "SHA-256",
    "created": gettext_lazy("Created"),
    "updated": gettext_lazy("Updated"),
    "unchanged": gettext_lazy("Unchanged"),
    "rejected": gettext_lazy("Rejected"),
    "person": gettext_lazy("Person"),
    "passport": gettext_lazy("Passport"),
    "document": gettext_lazy("Passport"),
    "totp": gettext_lazy("Second factor"),
    "password": gettext_lazy("Password"),
    "lockout": gettext_lazy("Failed logins"),
    "rule": gettext_lazy("Rule"),
    "trigger": gettext_lazy("Screened because of"),
    "full": gettext_lazy("Complete list"),
    "jurisdiction": gettext_lazy("Jurisdiction"),
}

EMPTY = "—"


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _when(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "j F Y") + ", " + value.strftime("%H.%M")
    return formats.date_format(value, "j F Y")


def value_text(fld: models.Field | None, value: Any) -> str:
    """A recorded value as people read it: a choice by its label, a date the Indonesian
    way ("7 Desember 2026"), yes or no, lists joined."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list):
        return ", ".join(value_text(fld, v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if fld is not None and fld.choices:
        label = dict(fld.flatchoices).get(value)
        if label is not None:
            return str(label)
    if isinstance(fld, models.DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is not None:
            return _when(parsed)
    elif isinstance(fld, models.DateField) and isinstance(value, str):
        parsed = parse_date(value) if len(value) == 10 else None
        if parsed is not None:
            return _when(parsed)
    if isinstance(fld, models.ForeignKey):
        return f"#{value}"
    return str(value)


def change_lines(object_type: str, changes: dict) -> list[tuple[str, str, str]]:
    """``changes`` as (field's label, old, new): the model's verbose names and choices."""
    model = _model(object_type)
    lines = []
    for name, values in (changes or {}).items():
        fld = _field(model, name)
        if fld is not None and getattr(fld, "verbose_name", None):
            label = capfirst(str(fld.verbose_name))
        else:
            label = str(EXTRA_FIELD_LABELS.get(name, capfirst(name.replace("_", " "))))
        if isinstance(values, list) and len(values) == 2:
            old, new = values
        else:
            old, new = None, values
        lines.append((label, value_text(fld, old), value_text(fld, new)))
    return lines


def actor_text(row: AuditLog) -> str:
    if row.actor_id is None and row.actor_label in ("", "system"):
        return _("The system")
    return row.actor_label


def describe(rows: list[AuditLog]) -> list[AuditLog]:
    """Give each row what the page and the export show: ``sentence``, ``action_label``,
    ``person_name``, ``change_lines`` [(label, old, new)] and ``changes_text``."""
    names = actions.person_names(r.person_id for r in rows if r.person_id)
    for row in rows:
        person = names.get(row.person_id, f"#{row.person_id}" if row.person_id else "")
        action = actions.get(row.action)
        facts = {"actor": actor_text(row), "person": person or row.object_label,
                 "object": row.object_label if action else row.object_display}
        if action is not None:
            row.sentence, row.action_label = action.render(facts), str(action.label)
        else:
            template = EVENT_SENTENCES.get(row.event)
            row.sentence = (str(template) % facts if template is not None
                            else f"{facts['actor']}: {row.get_event_display()} {facts['object']}")
            row.action_label = row.get_event_display()
        row.person_name = person
        row.change_lines = change_lines(row.object_type, row.changes)
        row.changes_text = "; ".join(f"{label}: {old} → {new}"
                                     for label, old, new in row.change_lines)
    return rows


def access_view_label(view: str) -> str:
    label = ACCESS_VIEW_LABELS.get(view)
    return str(label) if label is not None else view
