"""Fast inserts for imports and generators.

Django's ``bulk_create`` manages about 26k rows/s here; PostgreSQL's COPY several times
that. Ids are drawn from the table's sequence first, so callers get primary keys back
exactly as with ``bulk_create`` and can link child rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def _getter(field: models.Field, now) -> Callable[[models.Model], Any]:
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        def stamp(obj):
            setattr(obj, attname, now)
            return now
        return stamp
    if isinstance(field, models.JSONField):
        from psycopg.types.json import Jsonb

        return lambda obj: Jsonb(getattr(obj, attname))
    if isinstance(field, models.FileField):
        return lambda obj: getattr(obj, attname).name or ""
    # str, int, bool, date and None adapt natively in psycopg; skip Django's per-value prep.
    return lambda obj: getattr(obj, attname)


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model], *,
                batch_size: int = 5000) -> None:
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    pk = meta.pk
    fields = list(meta.concrete_fields)
    now = timezone.now()
    getters = [_getter(f, now) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        for obj, new_id in zip(objs, ids, strict=True):
            obj.pk = new_id
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(meta.db_table)
        raw = cursor.cursor  # the psycopg cursor behind Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([get(obj) for get in getters])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for ``count`` new rows, reserved before they are written.

    PostgreSQL draws them from the table's sequence. SQLite has a single writer and the
    import runs inside a write transaction, so the ids after the current maximum are ours.
    """
    if count <= 0:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({meta.pk.column}), 0) FROM {meta.db_table}")
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def insert_rows(model: type[models.Model], columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> None:
    """Write plain tuples (values in ``columns`` order, id first) without model instances.

    Building a Django model costs tens of microseconds; an import of 100,000 rows makes
    four of them a row, so the hot path writes tuples: COPY on PostgreSQL, executemany
    elsewhere. JSON columns take Python objects.
    """
    if not rows:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                if json_at:
                    for row in rows:
                        row = list(row)
                        for i in json_at:
                            row[i] = Jsonb(row[i])
                        copy.write_row(row)
                else:
                    for row in rows:
                        copy.write_row(row)
            return
        import datetime as dt
        import json

        def sqlite_value(value):
            if isinstance(value, dt.datetime):
                if timezone.is_aware(value):
                    value = value.astimezone(dt.UTC).replace(tzinfo=None)
                return value.isoformat(" ")
            if isinstance(value, dt.date):
                return value.isoformat()
            return value

        prepared = []
        for row in rows:
            row = [sqlite_value(v) for v in row]
            for i in json_at:
                row[i] = json.dumps(row[i])
            prepared.append(row)
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", prepared)


def filter_in(queryset: models.QuerySet, column: str, values) -> models.QuerySet:
    """``queryset.filter(<column>__in=values)`` that stays cheap for thousands of values.

    On PostgreSQL the list travels as one array parameter (``= ANY(%s)``): with psycopg's
    client-side binding, parsing a query of thousands of placeholders costs more than
    running it.
    """
    values = list(values)
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{column}__in": values})
    table = queryset.model._meta.db_table
    db_column = queryset.model._meta.get_field(column).column
    return queryset.extra(where=[f'"{table}"."{db_column}" = ANY(%s)'], params=[values])


def no_jit() -> None:
    """PostgreSQL compiles queries it estimates as costly (a thousand-key probe is) to
    machine code, which costs more than such a query runs here. For this transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def relaxed_commit() -> None:
    """Let PostgreSQL acknowledge this chunk before its WAL reaches the disk.

    A crash can then lose the last fraction of a second of committed chunks, never part
    of one: the job's progress counters commit with the rows, so the import page shows
    what was saved and uploading the file again completes it without duplicates. It
    saves an fsync wait per chunk of a bulk import; other writes keep full durability.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def iter_chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
