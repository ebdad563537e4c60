"""Watchlist and person files in, :class:`Record` out, one row at a time.

Three formats:

* FollowTheMoney JSON lines, as OpenSanctions publishes them (one entity per line; only
  ``Person`` entities are read, optionally gzip-compressed);
* the PORA template as CSV (``,`` or ``;``) or XLSX, one listed person per row;
* for the ``pora screen`` command, a person file: CSV/XLSX with the columns
  ``id,name,birth_date,nationality,passport_number,sex`` or FollowTheMoney lines.

Readers stream: a file of a million lines is read row by row, never held as parsed rows.
A row that cannot be used becomes a :class:`RowError` naming the row, the field and the
reason, and the reading goes on; a file that cannot be read at all raises
:class:`FileError` when the reader is called.

Messages are English; each also carries a message id and its parameters so the web
layer shows it in the reader's language: ``error.translated(gettext)``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import pycountry

from pora.core.cells import from_csv_cells
from pora.core.uploads import UploadRefused, gunzip_stream, read_lines, row_limit, xlsx_rows
from pora.screening.engine.records import (
    InvalidValue,
    PartialDate,
    Record,
    clean_document,
    clean_sex,
    country_alpha3,
    date_from_age,
    parse_date,
)


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; the web layer translates it."""
    return message


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a row: the field, and why (a message id and its values)."""

    field: str
    template: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template % self.params

    def translated(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.template) % self.params


@dataclass(frozen=True, slots=True)
class RowError:
    """A rejected row: its number in the file (line or spreadsheet row), what is wrong
    and the row's values as read, for the rejected-rows download."""

    row: int
    problems: tuple[Problem, ...]
    values: dict = field(default_factory=dict)

    @property
    def field(self) -> str:
        return ", ".join(dict.fromkeys(p.field for p in self.problems))

    @property
    def message(self) -> str:
        return "; ".join(p.message for p in self.problems)

    def translated(self, gettext: Callable[[str], str]) -> str:
        return "; ".join(p.translated(gettext) for p in self.problems)

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"


class FileError(ValueError):
    """The file as a whole cannot be read; nothing in it is usable."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % params)

    @property
    def message(self) -> str:
        return self.template % self.params

    def translated(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.template) % self.params


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One listed person read from a file, with what the list says beyond the compared
    facts. ``record.birth_dates`` includes the approximate year an ``age`` gives."""

    row: int
    record: Record
    reason: str = ""
    source: str = ""
    action: str = ""
    legal_reference: str = ""
    topics: list = field(default_factory=list)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    age: int | None = None
    photo_url: str = ""
    schema: str = "Person"


# What the entry model can hold (pora.screening.models.WatchlistEntry).
MAX_SOURCE_ID = 200
MAX_SOURCE = 300
MAX_LEGAL_REFERENCE = 300
MAX_VALUES_TEXT = 2000
# Rows (or FollowTheMoney lines) a file may hold, as the permit import allows.
MAX_ROWS = 1_000_000
MAX_LINE_CHARS = 4 * 1024 * 1024

ACTIONS = {
    "arrest": "arrest", "tangkap": "arrest", "amankan": "arrest",
    "report": "report", "lapor": "report", "laporkan": "report",
    "discreet": "discreet", "cek_diam": "discreet", "cek_diam_diam": "discreet",
    "refuse_permit": "refuse_permit", "tolak_izin": "refuse_permit",
}
UNKNOWN_SEX = {"", "x", "-", "?", "u", "unknown", "other", "tidak_diketahui", "<"}
_SPLIT = re.compile(r"\s*[|;]\s*")
_SPLIT_CODES = re.compile(r"\s*[|;,/]\s*")
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
_ISO_DAY = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$")
# FollowTheMoney territory codes that are not ISO 3166 countries: Kosovo has an ICAO
# code; dissolved states, "global" and sub-national territories are known values with no
# passport to compare, so they neither reject the entry nor count as a nationality.
_FTM_COUNTRIES = {"xk": "RKS"}
_FTM_NO_COUNTRY = {"zz", "eu", "suhh", "csxx", "yucs", "ddde", "xx"}
_FTM_TERRITORY = re.compile(r"^[a-z]{2}-[a-z]+$")


# ---------------------------------------------------------------------------- decoding


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 saved without a byte order mark: every other byte of ASCII text is zero."""
    sample = head[:400]
    if len(sample) < 4 or sample.count(0) < len(sample) // 3:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > even * 4:
        return "utf-16-le"
    if even > odd * 4:
        return "utf-16-be"
    return None


def _lines(data: bytes, stream: BinaryIO | None = None) -> Iterator[tuple[int, str, bool]]:
    """``(line number, text with its newline, decoded cleanly)`` for each line.

    UTF-8 with or without a byte order mark is read line by line, so one line saved in
    another encoding is reported on its own and the others are still read; UTF-16 (with a
    byte order mark, or recognised by its zero bytes) is decoded as a whole stream.
    ``stream``, when given, is read instead of ``data`` (then only the file's first bytes,
    for recognising the encoding): an unpacked gzip file is never held whole.
    """
    head = data[:400]
    encoding = None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(head)
    # BytesIO shares the bytes it is given (a copy of a large file is not made).
    raw = stream if stream is not None else io.BytesIO(data)
    if encoding:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        number = 0
        while line := text.readline(MAX_LINE_CHARS):
            number += 1
            yield number, line, "\ufffd" not in line
        return
    if head.startswith(codecs.BOM_UTF8):
        raw.read(len(codecs.BOM_UTF8))
    for number, line in enumerate(read_lines(raw), start=1):
        try:
            yield number, line.decode("utf-8"), True
        except UnicodeDecodeError:
            yield number, line.decode("utf-8", errors="replace"), False


def _not_utf8(row: int, text: str) -> RowError:
    return RowError(row, (Problem("encoding", gettext_noop(
        "the line is not UTF-8 text; save the file as UTF-8")),),
        {"line": text.strip()[:MAX_VALUES_TEXT]})


# ----------------------------------------------------------------------------- values


def _split(value: str, pattern: re.Pattern = _SPLIT) -> list[str]:
    return list(dict.fromkeys(part for part in pattern.split(value or "") if part))


def _iso_date_text(value: str) -> str:
    """Day-first dates (31-12-1980, 31/12/1980) as Indonesian forms write them → ISO."""
    match = _DAY_FIRST.match(value)
    if match:
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    match = _ISO_DAY.match(value)
    if match:
        year, month, day = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return value


def _in_future(date: PartialDate, today: dt.date) -> bool:
    """Whether even the earliest day the (partial) date may mean is after ``today``."""
    if date.year != today.year or date.month is None:
        return date.year > today.year
    if date.month != today.month or date.day is None:
        return date.month > today.month
    return date.day > today.day


def _birth_dates(values: Iterable[str], column: str, problems: list[Problem],
                 today: dt.date | None = None) -> tuple[PartialDate, ...]:
    dates = []
    for value in values:
        try:
            parsed = parse_date(_iso_date_text(value), field=column)
        except InvalidValue:
            problems.append(Problem(column, gettext_noop(
                "\"%(value)s\" is not a valid date: use YYYY-MM-DD, YYYY-MM or YYYY"),
                {"value": value}))
            continue
        if parsed is not None and today is not None and _in_future(parsed, today):
            # Nobody listed is born after the list is read (as the permit import refuses).
            problems.append(Problem(column, gettext_noop(
                "\"%(value)s\" is not a possible date of birth: it is in the future"),
                {"value": value}))
            continue
        if parsed is not None and parsed not in dates:
            dates.append(parsed)
    return tuple(dates)


def _day(value: str, column: str, problems: list[Problem]) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    text = _iso_date_text(value.split("T", 1)[0].split(" ", 1)[0])
    try:
        day = dt.date.fromisoformat(text)
        if not 1900 <= day.year <= 2200:
            raise ValueError(text)
        return day
    except ValueError:
        problems.append(Problem(column, gettext_noop(
            "\"%(value)s\" is not a valid date: use YYYY-MM-DD or DD-MM-YYYY"),
            {"value": value}))
        return None


def _country(value: str) -> str | None:
    code = country_alpha3(value)
    if code is None and len(value.strip()) > 3:
        try:
            code = pycountry.countries.lookup(value.strip()).alpha_3
        except LookupError:
            code = None
    return code


def _nationalities(values: Iterable[str], column: str,
                   problems: list[Problem]) -> tuple[str, ...]:
    codes = []
    for value in values:
        code = _country(value)
        if code is None:
            problems.append(Problem(column, gettext_noop(
                "\"%(value)s\" is not a country code (ISO 3166 alpha-2 or alpha-3)"),
                {"value": value}))
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _documents(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(doc for doc in map(clean_document, values) if doc))


def _sex(value: str, column: str, problems: list[Problem]) -> str:
    sex = clean_sex(value)
    if not sex and value.strip().lower().replace(" ", "_") not in UNKNOWN_SEX:
        problems.append(Problem(column, gettext_noop(
            "\"%(value)s\" is not a sex: use M/L, F/P or leave it empty"), {"value": value}))
    return sex


def _too_long(value: str, limit: int, column: str, problems: list[Problem]) -> None:
    if len(value) > limit:
        problems.append(Problem(column, gettext_noop(
            "is longer than %(limit)s characters"), {"limit": limit}))


# -------------------------------------------------------------------- FollowTheMoney


def _strings(props: dict, *names: str) -> list[str]:
    found: list[str] = []
    for name in names:
        values = props.get(name) or ()
        if isinstance(values, str):
            values = (values,)
        found.extend(v.strip() for v in values if isinstance(v, str) and v.strip())
    return list(dict.fromkeys(found))


def _nested(props: dict, name: str) -> list[dict]:
    """Entities nested in a property (the "targets.nested.json" export)."""
    values = props.get(name) or ()
    return [v.get("properties") or {} for v in values
            if isinstance(v, dict) and isinstance(v.get("properties"), dict)]


def _ftm_nationalities(values: list[str], column: str,
                       problems: list[Problem]) -> tuple[str, ...]:
    codes = []
    for value in values:
        folded = value.strip().lower()
        if folded in _FTM_NO_COUNTRY or _FTM_TERRITORY.match(folded):
            continue
        code = _FTM_COUNTRIES.get(folded) or country_alpha3(folded)
        if code is None:
            problems.append(Problem(column, gettext_noop(
                "\"%(value)s\" is not a country code (ISO 3166 alpha-2 or alpha-3)"),
                {"value": value}))
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _ftm_values(entity: dict, text: str) -> dict:
    props = entity.get("properties") if isinstance(entity.get("properties"), dict) else {}
    return {"id": str(entity.get("id") or ""), "schema": str(entity.get("schema") or ""),
            "name": "; ".join(_strings(props, "name"))[:MAX_VALUES_TEXT],
            "json": text.strip()[:MAX_VALUES_TEXT]}


def _ftm_entity(row: int, text: str) -> tuple[dict, RowError | None]:
    try:
        entity = json.loads(text)
    except ValueError as exc:
        return {}, RowError(row, (Problem("json", gettext_noop(
            "the line is not valid JSON: %(error)s"), {"error": str(exc)}),),
            {"json": text.strip()[:MAX_VALUES_TEXT]})
    if not isinstance(entity, dict):
        return {}, RowError(row, (Problem("json", gettext_noop(
            "the line is not a FollowTheMoney entity (a JSON object)")),),
            {"json": text.strip()[:MAX_VALUES_TEXT]})
    schema = entity.get("schema")
    if schema != "Person":
        return entity, RowError(row, (Problem("schema", gettext_noop(
            "schema \"%(schema)s\" is not read: only Person entities are screened"),
            {"schema": str(schema or "")}),), _ftm_values(entity, text))
    entity_id = entity.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        return entity, RowError(row, (Problem("id", gettext_noop(
            "the entity has no id")),), _ftm_values(entity, text))
    if not isinstance(entity.get("properties", {}), dict):
        return entity, RowError(row, (Problem("properties", gettext_noop(
            "\"properties\" is not a JSON object")),), _ftm_values(entity, text))
    return entity, None


def _ftm_record(row: int, entity: dict, problems: list[Problem],
                today: dt.date | None = None) -> Record:
    props = entity.get("properties") or {}
    # weakAlias is a nickname or a kunya ("Abu Ali"): FollowTheMoney marks it as not
    # matchable, and comparing it would flag everyone with the same nickname.
    names = _strings(props, "name", "alias", "previousName")
    if not names:
        parts = _strings(props, "firstName") + _strings(props, "secondName", "middleName") \
            + _strings(props, "lastName")
        if parts:
            names = [" ".join(parts)]
    if not names:
        problems.append(Problem("name", gettext_noop(
            "the person has no name (name, alias, firstName or lastName)")))
    dates = _birth_dates(_strings(props, "birthDate"), "birthDate", problems, today)
    nationalities = _ftm_nationalities(_strings(props, "nationality"), "nationality",
                                       problems)
    nationalities += tuple(c for c in _ftm_nationalities(
        _strings(props, "citizenship"), "citizenship", problems) if c not in nationalities)
    documents = _strings(props, "passportNumber", "idNumber")
    for nested in ("identification", "passport", "identifications", "passports"):
        for identification in _nested(props, nested):
            documents += _strings(identification, "number", "passportNumber")
    genders = [clean_sex(g) for g in _strings(props, "gender")]
    return Record(id=entity["id"].strip(), names=tuple(names), birth_dates=dates,
                  nationalities=nationalities, documents=_documents(documents),
                  sex=next((g for g in genders if g), ""))


def _ftm_entry(row: int, entity: dict, record: Record, problems: list[Problem]) -> ParsedEntry:
    props = entity.get("properties") or {}
    sanctions = _nested(props, "sanctions")
    reason = "\n".join(_strings(props, "notes", "summary")
                       + [r for s in sanctions for r in _strings(s, "reason")])
    source = next(iter(_strings(props, "sourceUrl")), "") or ", ".join(
        d for d in entity.get("datasets") or () if isinstance(d, str))
    legal = "; ".join(_strings(props, "program", "programId")
                      + [p for s in sanctions for p in _strings(s, "program")])
    valid_from = valid_until = None
    if sanctions:
        starts = [_day(v, "startDate", problems) for s in sanctions
                  for v in _strings(s, "startDate") if len(v) >= 10]
        ends = [_day(v, "endDate", problems) for s in sanctions
                for v in _strings(s, "endDate") if len(v) >= 10]
        valid_from = min((d for d in starts if d), default=None)
        valid_until = max((d for d in ends if d), default=None)
    return ParsedEntry(
        row=row, record=record, reason=reason, source=source[:MAX_SOURCE],
        legal_reference=legal[:MAX_LEGAL_REFERENCE], topics=_strings(props, "topics"),
        valid_from=valid_from, valid_until=valid_until, schema="Person",
    )


def _read_ftm(data: bytes, *, entries: bool,
              today: dt.date | None = None) -> Iterator[ParsedEntry | Record | RowError]:
    if data.startswith(b"\x1f\x8b"):
        # Unpacked as it is read, up to a cap: a small upload can unpack to gigabytes.
        lines = _lines(gunzip_stream(data).read(400), gunzip_stream(data))
    else:
        lines = _lines(data)
    seen: dict[str, int] = {}
    count = 0
    for row, text, clean in lines:
        if not text.strip():
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileError(_TOO_MANY_ROWS, max=MAX_ROWS)
        if not clean:
            yield _not_utf8(row, text)
            continue
        entity, error = _ftm_entity(row, text)
        if error:
            yield error
            continue
        problems: list[Problem] = []
        record = _ftm_record(row, entity, problems, today)
        entry = _ftm_entry(row, entity, record, problems) if entries else None
        if entries and record.id in seen:
            problems.append(Problem("id", gettext_noop(
                "id \"%(id)s\" already appears on line %(row)s"),
                {"id": record.id, "row": seen[record.id]}))
        if problems:
            yield RowError(row, tuple(problems), _ftm_values(entity, text))
            continue
        if entries:
            seen[record.id] = row
        yield entry if entries else record


# ------------------------------------------------------------------- CSV and XLSX


@dataclass(frozen=True)
class Column:
    key: str
    aliases: tuple[str, ...]
    required: bool = False


WATCHLIST_COLUMNS = (
    Column("source_id", ("id", "id_sumber", "nomor", "entity_id", "reference"), True),
    Column("names", ("name", "nama", "nama_nama", "aliases", "alias"), True),
    Column("sex", ("gender", "jenis_kelamin", "kelamin")),
    Column("birth_date", ("birth_dates", "date_of_birth", "dob", "tanggal_lahir")),
    Column("age", ("umur", "usia")),
    Column("nationalities", ("nationality", "kewarganegaraan", "citizenship")),
    Column("documents", ("document", "passport_number", "passport_numbers", "nomor_paspor",
                         "dokumen", "nomor_dokumen")),
    Column("reason", ("alasan", "keterangan", "notes")),
    Column("source", ("sumber",)),
    Column("action", ("tindakan",)),
    Column("valid_from", ("berlaku_mulai", "mulai_berlaku", "start_date")),
    Column("valid_until", ("berlaku_sampai", "berlaku_hingga", "end_date")),
    Column("legal_reference", ("dasar_hukum", "legal_basis")),
    Column("photo_url", ("photo", "foto", "url_foto")),
)
PERSON_COLUMNS = (
    Column("id", ("person_id", "input_id", "source_id", "nomor")),
    Column("name", ("names", "nama", "full_name", "nama_lengkap"), True),
    Column("birth_date", ("birth_dates", "date_of_birth", "dob", "tanggal_lahir")),
    Column("nationality", ("nationalities", "kewarganegaraan", "citizenship")),
    Column("passport_number", ("passport", "document", "documents", "document_number",
                               "nomor_paspor", "nomor_dokumen")),
    Column("sex", ("gender", "jenis_kelamin", "kelamin")),
)


def _header_key(header: str, columns: tuple[Column, ...]) -> str | None:
    norm = re.sub(r"[\s\-]+", "_", header.strip().lstrip("\ufeff").lower()).strip("_")
    for column in columns:
        if norm == column.key or norm in column.aliases:
            return column.key
    return None


def watchlist_template_headers() -> list[str]:
    """The template's columns, in order (machine names that stay stable across languages)."""
    return [column.key for column in WATCHLIST_COLUMNS]


def template_example_rows() -> list[dict[str, str]]:
    """Two made-up rows showing every column's format (names and numbers are fictitious)."""
    return [
        {"source_id": "DPO-2025-0001", "names": "Ivan Petrovich CONTOH|Иван Петрович Контох",
         "sex": "M", "birth_date": "1980-05-12|1981", "age": "",
         "nationalities": "RUS|UA", "documents": "750000001", "reason":
         "Contoh: pelanggaran izin tinggal (data fiktif)", "source": "Contoh Polda Fiktif",
         "action": "tangkap", "valid_from": "2025-01-01", "valid_until": "2025-06-30",
         "legal_reference": "UU 6/2011 Pasal 91", "photo_url": ""},
        {"source_id": "DPO-2025-0002", "names": "CONTOH Mei Ling; Mei-Ling Contoh",
         "sex": "P", "birth_date": "", "age": "45", "nationalities": "CHN",
         "documents": "E00000002|G00000003", "reason": "Contoh: orang yang diawasi (data fiktif)",
         "source": "Contoh Interpol Fiktif", "action": "cek_diam", "valid_from": "",
         "valid_until": "31-12-2026", "legal_reference": "", "photo_url": ""},
    ]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _refused(exc: UploadRefused) -> FileError:
    return FileError(exc.template, **exc.params)


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str], bool]]:
    """Rows that hold a value, read as a stream by :func:`pora.core.uploads.xlsx_rows`."""
    try:
        rows = xlsx_rows(data)
    except UploadRefused as exc:
        raise _refused(exc) from None

    def texts() -> Iterator[tuple[int, list[str], bool]]:
        try:
            for number, values in rows:
                yield number, [_cell_text(v) for v in values], True
        except UploadRefused as exc:
            raise _refused(exc) from None

    return texts()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str], bool]]:
    """Rows numbered as a spreadsheet shows them; a row is "clean" when every line it
    spans was valid UTF-8."""
    lines = _lines(data)
    first = next(lines, None)
    if first is None:
        return iter(())
    if "\x00" in first[1]:
        raise FileError(gettext_noop("The file contains binary data; it is not a CSV file."))
    delimiter = max(",;\t", key=first[1].count)
    bad_lines: set[int] = set()

    def all_lines() -> Iterator[str]:
        for number, text, clean in _chain(first, lines):
            if not clean:
                bad_lines.add(number)
            yield text

    def rows() -> Iterator[tuple[int, list[str], bool]]:
        reader = csv.reader(all_lines(), delimiter=delimiter)
        row_number = 0
        last_line = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileError(gettext_noop(
                    "The CSV file is malformed near line %(line)s: %(error)s"),
                    line=reader.line_num, error=str(exc)) from None
            row_number += 1
            spanned = range(last_line + 1, reader.line_num + 1)
            last_line = reader.line_num
            clean = not any(line in bad_lines for line in spanned)
            yield row_number, [cell.strip() for cell in cells], clean

    return rows()


_TOO_MANY_ROWS = gettext_noop("The file has more than %(max)s rows; split it.")


def _limited(rows: Iterator[tuple[int, list[str], bool]]) -> Iterator[tuple[int, list[str], bool]]:
    """Refused as soon as more than :data:`MAX_ROWS` rows follow the header."""
    try:
        yield from row_limit(rows, MAX_ROWS, lambda row: not any(row[1]))
    except UploadRefused as exc:
        raise _refused(exc) from None


def _chain(first, rest):
    yield first
    yield from rest


class _Table:
    """A CSV or XLSX file: its header checked, its rows as ``{key: text}``."""

    def __init__(self, data: bytes, filename: str, columns: tuple[Column, ...]):
        if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
            rows = _xlsx_rows(data)
        else:
            rows = _csv_rows(data)
        rows = _limited(rows)
        header = None
        for number, cells, clean in rows:
            if any(cells):
                header = (number, cells, clean)
                break
        if header is None:
            raise FileError(gettext_noop("The file is empty."))
        _, cells, clean = header
        if not clean:
            raise FileError(gettext_noop(
                "The file is not UTF-8 text. Save it as \"CSV UTF-8\" or upload the Excel "
                "file."))
        self.headers = [c.strip().lstrip("\ufeff") for c in cells]
        self.keys = [_header_key(h, columns) for h in self.headers]
        missing = [c.key for c in columns if c.required and c.key not in self.keys]
        if missing:
            raise FileError(gettext_noop(
                "Required columns are missing: %(columns)s. Download the template for the "
                "expected headers."), columns=", ".join(missing))
        repeated = sorted({k for k in self.keys if k and self.keys.count(k) > 1})
        if repeated:
            raise FileError(gettext_noop("These columns appear twice: %(columns)s."),
                            columns=", ".join(repeated))
        self.rows = rows

    def __iter__(self) -> Iterator[tuple[int, dict[str, str], dict[str, str], bool]]:
        for number, cells, clean in self.rows:
            if not any(cells):
                continue
            cells = from_csv_cells(cells)
            values = {h: (cells[i] if i < len(cells) else "")
                      for i, h in enumerate(self.headers) if h}
            present = {key: cells[i] for i, key in enumerate(self.keys)
                       if key and i < len(cells)}
            yield number, present, values, clean


def _table_entry(row: int, cells: dict[str, str], today: dt.date,
                 problems: list[Problem]) -> ParsedEntry:
    get = lambda key: cells.get(key, "").strip()
    source_id = get("source_id")
    if not source_id:
        problems.append(Problem("source_id", gettext_noop("is required")))
    _too_long(source_id, MAX_SOURCE_ID, "source_id", problems)
    names = _split(get("names"))
    if not names:
        problems.append(Problem("names", gettext_noop("at least one name is required")))
    dates = _birth_dates(_split(get("birth_date")), "birth_date", problems, today)
    age = None
    if get("age"):
        try:
            age = int(float(get("age").replace(",", ".")))
            estimate = date_from_age(age, today)
        except (ValueError, InvalidValue):
            problems.append(Problem("age", gettext_noop(
                "\"%(value)s\" is not an age in years (0 to 130)"), {"value": get("age")}))
        else:
            # An age only stands in for a birth date the list does not give.
            if not dates:
                dates = (estimate,)
    nationalities = _nationalities(_split(get("nationalities"), _SPLIT_CODES),
                                   "nationalities", problems)
    action = ""
    if get("action"):
        action = ACTIONS.get(re.sub(r"[\s\-]+", "_", get("action").lower()), "")
        if not action:
            problems.append(Problem("action", gettext_noop(
                "\"%(value)s\" is not an action: use tangkap, lapor, cek_diam or tolak_izin "
                "(arrest, report, discreet, refuse_permit)"), {"value": get("action")}))
    valid_from = _day(get("valid_from"), "valid_from", problems)
    valid_until = _day(get("valid_until"), "valid_until", problems)
    if valid_from and valid_until and valid_until < valid_from:
        problems.append(Problem("valid_until", gettext_noop(
            "is before the first day of validity")))
    photo_url = get("photo_url")
    if photo_url and not re.match(r"^https?://\S+$", photo_url):
        problems.append(Problem("photo_url", gettext_noop(
            "is not a web address (http:// or https://)")))
    _too_long(get("source"), MAX_SOURCE, "source", problems)
    _too_long(get("legal_reference"), MAX_LEGAL_REFERENCE, "legal_reference", problems)
    record = Record(id=source_id, names=tuple(names), birth_dates=dates,
                    nationalities=nationalities,
                    documents=_documents(_split(get("documents"))),
                    sex=_sex(get("sex"), "sex", problems))
    return ParsedEntry(row=row, record=record, reason=get("reason"), source=get("source"),
                       action=action, legal_reference=get("legal_reference"), topics=[],
                       valid_from=valid_from, valid_until=valid_until, age=age,
                       photo_url=photo_url, schema="")


def _table_person(row: int, cells: dict[str, str], problems: list[Problem]) -> Record:
    get = lambda key: cells.get(key, "").strip()
    names = _split(get("name"))
    if not names:
        problems.append(Problem("name", gettext_noop("a name is required")))
    return Record(id=get("id") or str(row), names=tuple(names),
                  birth_dates=_birth_dates(_split(get("birth_date")), "birth_date", problems),
                  nationalities=_nationalities(_split(get("nationality"), _SPLIT_CODES),
                                               "nationality", problems),
                  documents=_documents(_split(get("passport_number"))),
                  sex=_sex(get("sex"), "sex", problems))


# ------------------------------------------------------------------------ the readers

FTM = "ftm"
TABLE = "table"


def watchlist_format(data: bytes, filename: str) -> str:
    """``"ftm"`` for FollowTheMoney lines, ``"table"`` for the CSV/XLSX template."""
    name = filename.lower()
    if name.endswith((".json", ".jsonl", ".ndjson", ".ftm", ".json.gz", ".jsonl.gz")):
        return FTM
    if name.endswith((".csv", ".txt", ".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        return TABLE
    if data.startswith(b"\x1f\x8b"):
        return FTM
    for _row, text, _clean in _lines(data[:4096]):
        if text.strip():
            return FTM if text.lstrip().startswith("{") else TABLE
    raise FileError(gettext_noop("The file is empty."))


def read_watchlist(data: bytes, filename: str, *,
                   today: dt.date | None = None) -> Iterator[ParsedEntry | RowError]:
    """Every row of a watchlist file, read lazily.

    Raises :class:`FileError` at once (not while iterating) when the file cannot be read
    or a table lacks a required column. ``today`` dates an age ("45") to a birth year.
    """
    today = today or dt.date.today()
    if watchlist_format(data, filename) == FTM:
        return _refusals(_read_ftm(data, entries=True, today=today))
    table = _Table(data, filename, WATCHLIST_COLUMNS)
    return _table_entries(table, today)


def _refusals(items: Iterator) -> Iterator:
    """A file refused while read (too large unpacked) raises :class:`FileError`."""
    try:
        yield from items
    except UploadRefused as exc:
        raise _refused(exc) from None


def _table_entries(table: _Table, today: dt.date) -> Iterator[ParsedEntry | RowError]:
    seen: dict[str, int] = {}
    for row, cells, values, clean in table:
        if not clean:
            yield _not_utf8(row, "; ".join(values.values()))
            continue
        problems: list[Problem] = []
        entry = _table_entry(row, cells, today, problems)
        source_id = entry.record.id
        if source_id and source_id in seen:
            problems.append(Problem("source_id", gettext_noop(
                "\"%(id)s\" already appears on row %(row)s"),
                {"id": source_id, "row": seen[source_id]}))
        if problems:
            yield RowError(row, tuple(problems), values)
            continue
        seen[source_id] = row
        yield entry


def read_persons(data: bytes, filename: str) -> Iterator[Record | RowError]:
    """Persons to screen: a CSV/XLSX with ``id,name,birth_date,nationality,passport_number,
    sex`` (only a name is required; the row number stands in for a missing id) or
    FollowTheMoney Person lines. Raises :class:`FileError` at once for an unreadable file."""
    if watchlist_format(data, filename) == FTM:
        return _refusals(_read_ftm(data, entries=False))
    return _table_persons(_Table(data, filename, PERSON_COLUMNS))


def _table_persons(table: _Table) -> Iterator[Record | RowError]:
    for row, cells, values, clean in table:
        if not clean:
            yield _not_utf8(row, "; ".join(values.values()))
            continue
        problems: list[Problem] = []
        record = _table_person(row, cells, problems)
        if problems:
            yield RowError(row, tuple(problems), values)
        else:
            yield record
