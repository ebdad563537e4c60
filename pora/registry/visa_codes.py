"""The visa index reference table: its committed data file, and which version of a code a
permit carries.

Codes are versioned: the same code may stand in several schemes (A1 in 2023 and 2025),
and a code dropped by a new scheme stays valid on the permits issued while it was in use
(B211A, C312 on permits still running). Nothing here writes to the database except
:func:`load_rows`, which the data migration and the loading command call.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "visa_index.csv"
HEADER = ("code", "scheme", "permit_kind", "purpose_id", "purpose_en", "valid_from",
          "valid_until", "replaces", "source")
PERMIT_KINDS = {"ITK", "ITAS", "ITAP", ""}
# The seed of migration 0002 called every older code's scheme "pre-2025"; the data file
# says which scheme they belong to ("pra-2023", before the 2023 classification).
RENAMED_SCHEMES = {"pre-2025": "pra-2023"}


class DataFileError(ValueError):
    """A line of the data file is wrong; the message names the line."""


@dataclass(frozen=True)
class CodeRow:
    code: str
    scheme: str
    permit_kind: str
    description: str
    description_en: str
    valid_from: dt.date
    valid_until: dt.date | None
    replaces: str
    source: str

    def values(self) -> dict:
        return {"permit_kind": self.permit_kind, "description": self.description,
                "description_en": self.description_en, "valid_from": self.valid_from,
                "valid_until": self.valid_until, "replaces": self.replaces,
                "source": self.source}


def normalise_code(text: str) -> str:
    return "".join(text.split()).upper()


def read_rows(text: str | None = None) -> list[CodeRow]:
    """The rows of the data file (or of ``text`` in its format), checked line by line."""
    if text is None:
        text = DATA_FILE.read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text))
    header = tuple(next(reader, ()))
    if header != HEADER:
        raise DataFileError(f"line 1: the header must be {','.join(HEADER)}")
    rows: list[CodeRow] = []
    seen: set[tuple[str, str]] = set()
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(HEADER):
            raise DataFileError(f"line {line}: {len(cells)} cells, expected {len(HEADER)}")
        value = dict(zip(HEADER, (c.strip() for c in cells), strict=True))
        code, scheme = normalise_code(value["code"]), value["scheme"]
        if not code or len(code) > 10 or not code.isalnum():
            raise DataFileError(f"line {line}: bad code {value['code']!r}")
        if not scheme or len(scheme) > 20:
            raise DataFileError(f"line {line}: bad scheme {scheme!r}")
        if (code, scheme) in seen:
            raise DataFileError(f"line {line}: {code} appears twice in scheme {scheme}")
        seen.add((code, scheme))
        if value["permit_kind"] not in PERMIT_KINDS:
            raise DataFileError(f"line {line}: permit kind must be ITK, ITAS, ITAP or empty")
        if not value["purpose_id"]:
            raise DataFileError(f"line {line}: the Indonesian purpose is required")
        try:
            valid_from = dt.date.fromisoformat(value["valid_from"])
            valid_until = (dt.date.fromisoformat(value["valid_until"])
                           if value["valid_until"] else None)
        except ValueError as exc:
            raise DataFileError(f"line {line}: dates are YYYY-MM-DD ({exc})") from None
        if valid_until is not None and valid_until < valid_from:
            raise DataFileError(f"line {line}: valid_until is before valid_from")
        rows.append(CodeRow(
            code=code, scheme=scheme, permit_kind=value["permit_kind"],
            description=value["purpose_id"][:200], description_en=value["purpose_en"][:200],
            valid_from=valid_from, valid_until=valid_until,
            replaces=" ".join(normalise_code(c) for c in value["replaces"].split())[:200],
            source=value["source"][:300],
        ))
    return rows


def load_rows(model, rows: Iterable[CodeRow]) -> tuple[list, list]:
    """Create or update ``model`` (VisaIndex, the real or a migration's) from ``rows``.

    Idempotent: a row equal to the file is left alone. Nothing is deleted: codes the
    file lacks (added by an administrator, or referred to by permits) stay as they are.
    Returns the objects created and, for the updated ones, ``(object, changes)``.
    """
    for old, new in RENAMED_SCHEMES.items():
        for obj in model.objects.filter(scheme=old):
            if not model.objects.filter(code=obj.code, scheme=new).exists():
                model.objects.filter(pk=obj.pk).update(scheme=new)
    existing = {(o.code, o.scheme): o for o in model.objects.all()}
    # A migration's model has the fields of its time: a later column is not filled there.
    fields = {f.name for f in model._meta.get_fields()}
    created, updated = [], []
    for row in rows:
        values = {k: v for k, v in row.values().items() if k in fields}
        obj = existing.get((row.code, row.scheme))
        if obj is None:
            created.append(model.objects.create(code=row.code, scheme=row.scheme, **values))
            continue
        changes = {name: [getattr(obj, name), value] for name, value in values.items()
                   if getattr(obj, name) != value}
        if changes:
            for name, (_old, value) in changes.items():
                setattr(obj, name, value)
            obj.save(update_fields=list(changes))
            updated.append((obj, changes))
    return created, updated


# ------------------------------------------------------------------- codes on permits


@dataclass(frozen=True)
class CodeVersion:
    """What a permit check needs of one VisaIndex row."""

    pk: int
    code: str
    scheme: str
    valid_from: dt.date
    valid_until: dt.date | None
    is_active: bool


@dataclass(frozen=True)
class Choice:
    version: CodeVersion | None
    # Why there is none: "unknown", "inactive" or "retired" (then ``retired`` is the
    # version whose validity ended last).
    problem: str = ""
    retired: CodeVersion | None = None


def choose(versions: list[CodeVersion], on: dt.date | None) -> Choice:
    """The version of a code that a permit issued on ``on`` carries.

    A code is accepted while it was in use: a version whose validity had not ended by
    ``on``. Among those, the one in force on ``on`` (the latest to start), else the
    earliest: the start dates of the older schemes are approximate, so a permit dated
    before a code's start is not refused for it. Without a date, the newest version.
    """
    if not versions:
        return Choice(None, "unknown")
    active = [v for v in versions if v.is_active]
    if not active:
        return Choice(None, "inactive")
    if on is None:
        return Choice(max(active, key=lambda v: v.valid_from))
    open_ = [v for v in active if v.valid_until is None or on <= v.valid_until]
    if not open_:
        return Choice(None, "retired", max(active, key=lambda v: v.valid_until))
    started = [v for v in open_ if v.valid_from <= on]
    if started:
        return Choice(max(started, key=lambda v: v.valid_from))
    return Choice(min(open_, key=lambda v: v.valid_from))


def versions_by_code(model) -> dict[str, list[CodeVersion]]:
    """Every row of ``model`` (VisaIndex) grouped by code, for a file's checks."""
    out: dict[str, list[CodeVersion]] = {}
    for row in model.objects.values_list("pk", "code", "scheme", "valid_from", "valid_until",
                                         "is_active"):
        version = CodeVersion(*row)
        out.setdefault(normalise_code(version.code), []).append(version)
    return out
