"""Model rows read by hand-written SQL, for the few statements every API request runs.

Django compiles a queryset anew each time it runs: for a small select that costs ten
times the round trip to the database (about half a millisecond for a lookup with two
joins), and a few hundred microseconds for a one-row insert. A lodging report runs a
handful of each, so they are written once as SQL here. Rows are read back into model
instances exactly as the ORM builds them (the same columns, the same value converters:
JSON, SQLite's dates; related objects cached as ``select_related`` leaves them) and
written with the values ``save()`` would write, with its signals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.signals import post_save, pre_save


class Columns:
    """Columns of one model under a table alias: their SQL, their values converted as the
    ORM converts them, and the instance built back from them.

    ``fields`` names the fields to read, in that order (by default every concrete field);
    an instance loaded from some fields has the others deferred, as with ``only()``.
    """

    def __init__(self, model: type[models.Model], alias: str,
                 fields: Sequence[str] | None = None) -> None:
        meta = model._meta
        concrete = list(meta.concrete_fields)
        self.fields = concrete if fields is None else [meta.get_field(n) for n in fields]
        self.model = model
        self.alias = alias
        self.width = len(self.fields)
        quote = connection.ops.quote_name
        self.sql = ", ".join(f"{quote(alias)}.{quote(f.column)}" for f in self.fields)
        # Model.from_db takes the values in the model's field order.
        loaded = [f for f in concrete if f in self.fields]
        self._order = [self.fields.index(f) for f in loaded]
        self._attnames = frozenset(f.attname for f in loaded)
        self._converters: dict[str, list[tuple[int, list, Any]]] = {}

    def _converters_for(self, db) -> list[tuple[int, list, Any]]:
        found = self._converters.get(db.vendor)
        if found is None:
            found = []
            for i, field in enumerate(self.fields):
                col = field.get_col(self.alias)
                convs = db.ops.get_db_converters(col) + col.get_db_converters(db)
                if convs:
                    found.append((i, convs, col))
            self._converters[db.vendor] = found
        return found

    def values(self, row: Sequence[Any], start: int = 0) -> list[Any]:
        """``row[start:start + width]`` as ``values_list`` would give it."""
        values = list(row[start:start + self.width])
        for i, convs, col in self._converters_for(connection):
            value = values[i]
            for convert in convs:
                value = convert(value, col, connection)
            values[i] = value
        return values

    def load(self, row: Sequence[Any], start: int = 0) -> models.Model:
        """The instance from ``row[start:start + width]``, as the ORM loads it."""
        values = self.values(row, start)
        return self.model.from_db(connection.alias, self._attnames,
                                  [values[i] for i in self._order])


def cache_related(obj: models.Model, name: str, related: models.Model | None) -> None:
    """Attach ``related`` as ``obj.<name>``, as ``select_related`` does (no query later)."""
    obj._meta.get_field(name).set_cached_value(obj, related)


def fetch(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Fields whose values the database drivers take as they are: for a str, an int or None
# Django's preparation (``pre_save``, ``get_db_prep_save``) returns the value unchanged,
# so those values skip it (tens of calls a row on every insert).
_TEXT_FIELDS = {models.CharField, models.TextField}
_WHOLE_FIELDS = {models.IntegerField, models.SmallIntegerField, models.BigIntegerField,
                 models.PositiveIntegerField, models.PositiveSmallIntegerField,
                 models.PositiveBigIntegerField}
_WHOLE_KEYS = _WHOLE_FIELDS | {models.AutoField, models.BigAutoField, models.SmallAutoField}


def _value_of(field: models.Field) -> Callable[[models.Model], Any]:
    """What ``save()`` writes for the field: ``get_db_prep_save(pre_save(obj, True))``."""
    kind = type(field)
    if kind in _TEXT_FIELDS:
        native: type | None = str
    elif kind in _WHOLE_FIELDS or (kind is models.ForeignKey
                                   and type(field.target_field) in _WHOLE_KEYS):
        native = int
    else:
        native = None

    def prepared(obj: models.Model) -> Any:
        return field.get_db_prep_save(field.pre_save(obj, True), connection)

    if native is None:
        return prepared
    attname = field.attname

    def value(obj: models.Model) -> Any:
        found = getattr(obj, attname)
        if found is None or type(found) is native:
            return found
        return prepared(obj)

    return value


class Insert:
    """``obj.save()`` of a new row by SQL written once: the values ``save()`` writes
    (``pre_save``, ``get_db_prep_save``), its signals, the primary key read back.

    With ``unless_exists`` (the columns of a unique constraint) a row the constraint
    already holds is not written (``ON CONFLICT … DO NOTHING``): :meth:`save` then
    returns False and leaves ``obj`` unsaved. A concurrent insert of the same key waits
    for the other transaction to end, as a plain insert would.
    """

    def __init__(self, model: type[models.Model], *,
                 unless_exists: Sequence[str] = ()) -> None:
        meta = model._meta
        self.model = model
        self.fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
        computed = [f.name for f in self.fields if f.generated or f.has_db_default()]
        if computed:  # save() lets the database fill these; this SQL would not
            raise TypeError(f"{model.__name__}: fields the database computes: {computed}")
        self._values = [_value_of(f) for f in self.fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"
        if unless_exists:
            targets = ", ".join(quote(meta.get_field(name).column) for name in unless_exists)
            sql += f" ON CONFLICT ({targets}) DO NOTHING"
        self.sql = sql
        self.returning = f" RETURNING {quote(meta.pk.column)}"

    def save(self, obj: models.Model) -> bool:
        model, alias = self.model, connection.alias
        obj._prepare_related_fields_for_save(operation_name="save")
        if pre_save.has_listeners(model):
            pre_save.send(sender=model, instance=obj, raw=False, using=alias,
                          update_fields=None)
        values = [value(obj) for value in self._values]
        with connection.cursor() as cursor:
            if connection.features.can_return_columns_from_insert:
                cursor.execute(self.sql + self.returning, values)
                row = cursor.fetchone()
                if row is None:
                    return False
                pk = row[0]
            else:
                cursor.execute(self.sql, values)
                if cursor.rowcount == 0:
                    return False
                pk = connection.ops.last_insert_id(cursor, model._meta.db_table,
                                                   model._meta.pk.column)
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = alias
        if post_save.has_listeners(model):
            post_save.send(sender=model, instance=obj, created=True, update_fields=None,
                           raw=False, using=alias)
        return True
