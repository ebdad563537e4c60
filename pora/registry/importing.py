"""Reading and checking permit files (CSV and XLSX), row by row.

Nothing here writes: :mod:`pora.registry.services.imports` applies the rows that pass.
The columns are documented in docs/import-format.md and in the template's second sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pora.core.cells import from_csv_cells
from pora.core.countries import to_alpha3
from pora.core.uploads import MAX_COLUMNS, UploadRefused, gettext_noop, row_limit, xlsx_rows
from pora.registry.models import PermitKind, PermitPurpose, PermitStatus, Sex, SponsorKind
from pora.registry.visa_codes import CodeVersion, choose, normalise_code


class FileError(Exception):
    """The file as a whole cannot be read; nothing in it is imported."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Indonesian header written in the template
    aliases: tuple[str, ...]
    required: bool
    help: object  # lazy text for the template's instructions


COLUMNS = [
    Column("number", "nomor_izin", ("permit_number", "no_izin"), True,
           gettext_lazy("Stay permit number; the key: a number already imported is updated.")),
    Column("kind", "jenis_izin", ("permit_kind",), True, gettext_lazy("ITK, ITAS or ITAP.")),
    Column("visa_index", "indeks_visa", ("visa_index",), False,
           gettext_lazy("Visa index code from the reference table, e.g. E23 or C312.")),
    Column("purpose", "tujuan", ("purpose",), False,
           gettext_lazy("work, investment, family, study, tourism, business, research, "
                        "religious, retirement, remote_work or other (Indonesian words too).")),
    Column("issue_date", "tanggal_terbit", ("issue_date",), False,
           gettext_lazy("Date as YYYY-MM-DD or DD-MM-YYYY.")),
    Column("valid_from", "berlaku_mulai", ("valid_from",), True,
           gettext_lazy("First day of validity.")),
    Column("valid_until", "berlaku_sampai", ("valid_until",), True,
           gettext_lazy("Last day of validity.")),
    Column("status", "status", ("permit_status",), False,
           gettext_lazy("aktif, diperpanjang, dibatalkan or alih_status (default aktif).")),
    Column("cancelled_on", "tanggal_batal", ("cancelled_on",), False,
           gettext_lazy("Required when the status is dibatalkan.")),
    Column("departed_on", "tanggal_keluar", ("departed_on", "departure_date"), False,
           gettext_lazy("Date the holder left Indonesia, if known.")),
    Column("surname", "nama_keluarga", ("surname",), False,
           gettext_lazy("Surname as in the passport. Surname or given names is required.")),
    Column("given_names", "nama_depan", ("given_names",), False,
           gettext_lazy("Given names as in the passport.")),
    Column("other_names", "nama_lain", ("other_names", "aliases"), False,
           gettext_lazy("Other spellings of the name, separated by semicolons.")),
    Column("sex", "jenis_kelamin", ("sex",), False, gettext_lazy("L/M, P/F or X.")),
    Column("birth_date", "tanggal_lahir", ("birth_date", "date_of_birth"), False,
           gettext_lazy("YYYY-MM-DD, DD-MM-YYYY, YYYY-MM or YYYY alone.")),
    Column("nationality", "kewarganegaraan", ("nationality",), True,
           gettext_lazy("ISO 3166 code (IDN, CHN, KR …) or the country's name.")),
    Column("passport_number", "nomor_paspor", ("passport_number", "document_number"), True,
           gettext_lazy("Passport number as printed.")),
    Column("passport_state", "negara_paspor", ("passport_issuing_state", "issuing_state"), False,
           gettext_lazy("Issuing state; the nationality when empty.")),
    Column("passport_expiry", "paspor_berlaku_sampai", ("passport_expiry",), False,
           gettext_lazy("Passport expiry date.")),
    Column("kelurahan", "kelurahan", ("kelurahan_code",), False,
           gettext_lazy("Kelurahan name or Kemendagri code, e.g. Pluit or 31.72.01.1005.")),
    Column("street", "alamat", ("street", "address"), False, gettext_lazy("Street address.")),
    Column("sponsor_name", "penjamin", ("sponsor", "sponsor_name"), False,
           gettext_lazy("Sponsor (company or person).")),
    Column("sponsor_kind", "jenis_penjamin", ("sponsor_kind",), False,
           gettext_lazy("perusahaan or perorangan (default perusahaan).")),
    Column("sponsor_contact", "kontak_penjamin", ("sponsor_contact",), False,
           gettext_lazy("Sponsor's contact person.")),
    Column("sponsor_phone", "telepon_penjamin", ("sponsor_phone",), False,
           gettext_lazy("Sponsor's phone number.")),
    Column("employer", "pemberi_kerja", ("employer",), False, gettext_lazy("Employer.")),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
MAX_ROWS = 1_000_000

KIND_VALUES = {k.lower(): k for k in PermitKind.values}
PURPOSE_VALUES = {p: p for p in PermitPurpose.values} | {
    "kerja": "work", "bekerja": "work", "investasi": "investment", "penanaman_modal": "investment",
    "keluarga": "family", "penyatuan_keluarga": "family", "belajar": "study",
    "pendidikan": "study", "studi": "study", "wisata": "tourism", "turis": "tourism",
    "bisnis": "business", "usaha": "business", "penelitian": "research", "riset": "research",
    "rohaniwan": "religious", "keagamaan": "religious", "pensiun": "retirement",
    "lansia": "retirement", "kerja_jarak_jauh": "remote_work", "lainnya": "other",
    "lain": "other",
}
STATUS_VALUES = {s: s for s in PermitStatus.values} | {
    "aktif": "active", "berlaku": "active", "diperpanjang": "extended",
    "perpanjangan": "extended", "dibatalkan": "cancelled", "batal": "cancelled",
    "alih_status": "converted", "dialihstatuskan": "converted",
}
SEX_VALUES = {"m": Sex.MALE, "l": Sex.MALE, "male": Sex.MALE, "laki-laki": Sex.MALE,
              "pria": Sex.MALE, "f": Sex.FEMALE, "p": Sex.FEMALE, "female": Sex.FEMALE,
              "perempuan": Sex.FEMALE, "wanita": Sex.FEMALE, "x": Sex.UNSPECIFIED,
              "<": Sex.UNSPECIFIED}
SPONSOR_KIND_VALUES = {"perusahaan": SponsorKind.COMPANY, "company": SponsorKind.COMPANY,
                       "badan_usaha": SponsorKind.COMPANY, "perorangan": SponsorKind.PERSON,
                       "person": SponsorKind.PERSON, "individu": SponsorKind.PERSON,
                       "pribadi": SponsorKind.PERSON}


@dataclass(frozen=True)
class Layout:
    """The columns of an import file: what each header may be called, which are required.

    The permit import and the lodgings' guest lists share the reading and checking of a
    file; each brings its own columns and its own way of turning a spreadsheet cell into
    text (a guest list keeps times of day, a permit file only dates).
    """

    columns: tuple[Column, ...]
    cell_text: Callable[[object], str]
    max_rows: int = MAX_ROWS
    csv_suffixes: tuple[str, ...] = (".csv", ".txt")

    def key(self, header: str) -> str | None:
        norm = header.strip().lower().replace(" ", "_").replace("-", "_")
        for column in self.columns:
            if norm == column.header or norm == column.key or norm in column.aliases:
                return column.key
        return None

    def position(self, header: str) -> int:
        """Where a file's header sits in the template; extra columns come after ours."""
        key = self.key(header)
        keys = [c.key for c in self.columns]
        return keys.index(key) if key is not None else len(keys)

    def read(self, data: bytes, filename: str) -> Table:
        """The file's header and rows as text. Raises :class:`FileError` for the whole file."""
        name = filename.lower()
        if name.endswith(".xlsx"):
            cells = (values for _number, values in read_xlsx(data, self.cell_text))
        elif name.endswith(self.csv_suffixes):
            cells = _read_csv(data)
        else:
            raise FileError(_("Upload a .csv or .xlsx file."))
        raw: list[list[str]] = []
        try:
            # Counted while reading: a file past the limit is refused before it is held.
            for row in row_limit(cells, self.max_rows, _is_empty):
                if not _is_empty(row):
                    raw.append(from_csv_cells(row))
        except UploadRefused as exc:
            raise FileError(exc.translated(_)) from None
        if not raw:
            raise FileError(_("The file is empty."))
        headers = [h.strip() for h in raw[0]]
        keys = [self.key(h) for h in headers]
        missing = [c.header for c in self.columns if c.required and c.key not in keys]
        if missing:
            raise FileError(_("Required columns are missing: %(columns)s. Download the "
                              "template for the expected headers.")
                            % {"columns": ", ".join(missing)})
        duplicated = sorted({k for k in keys if k and keys.count(k) > 1})
        if duplicated:
            by_key = {c.key: c for c in self.columns}
            raise FileError(_("These columns appear twice: %(columns)s.")
                            % {"columns": ", ".join(by_key[k].header for k in duplicated)})
        # Row numbers as a spreadsheet shows them: the header is row 1.
        return Table(headers=headers, keys=keys, rows=list(enumerate(raw[1:], start=2)))


# ---------------------------------------------------------------------------- reading


@dataclass
class Table:
    headers: list[str]  # as written in the file
    keys: list[str | None]  # our column key per header, None for extra columns
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells as text)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileError(
            _("The file is not UTF-8 text (first bad byte on line %(line)s). Save it as "
              "\"CSV UTF-8\" or upload the Excel file.") % {"line": line}
        ) from None


def _is_empty(cells: list[str]) -> bool:
    return not any(cells)


def _read_csv(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise FileError(_("The file contains binary data; it is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS and any(cell.strip() for cell in row[MAX_COLUMNS:]):
                raise UploadRefused(gettext_noop(
                    "Row %(row)s has a value beyond column %(max)s; an import file has at "
                    "most %(max)s columns."), row=reader.line_num, max=MAX_COLUMNS)
            yield [cell.strip() for cell in row[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise FileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from None


def read_xlsx(data: bytes, cell_text: Callable[[object], str]) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows that hold a value, as ``(row number, cells as text)``, read
    as a stream by :func:`pora.core.uploads.xlsx_rows`."""
    try:
        for number, values in xlsx_rows(data):
            yield number, [cell_text(v) for v in values]
    except UploadRefused as exc:
        raise FileError(exc.translated(_)) from None


PERMITS = Layout(tuple(COLUMNS), _cell_text)
read_table = PERMITS.read
template_position = PERMITS.position
_header_key = PERMITS.key


# --------------------------------------------------------------------------- checking


@dataclass
class CleanRow:
    row_number: int
    cells: list[str]  # as in the file, for the rejected-rows file
    number: str
    kind: str
    visa_index_id: int | None
    purpose: str
    issue_date: dt.date | None
    valid_from: dt.date
    valid_until: dt.date
    status: str
    cancelled_on: dt.date | None
    departed_on: dt.date | None
    surname: str
    given_names: str
    other_names: tuple[str, ...]
    sex: str
    birth: tuple[int | None, int | None, int | None]
    nationality: str
    passport_number: str
    passport_state: str
    passport_expiry: dt.date | None
    kelurahan_id: int | None
    street: str
    sponsor_name: str
    sponsor_kind: str
    sponsor_contact: str
    sponsor_phone: str
    employer: str

    def person_identity(self) -> tuple:
        return (self.surname.upper(), self.given_names.upper(), self.birth, self.nationality)

    def permit_signature(self) -> tuple:
        return (self.passport_number, self.passport_state, self.kind, self.visa_index_id,
                self.purpose, self.issue_date, self.valid_from, self.valid_until, self.status,
                self.cancelled_on, self.departed_on, self.kelurahan_id, self.street,
                self.sponsor_name.upper(), self.employer)


class RowErrors(Exception):
    def __init__(self, errors: list[dict[str, str]]):
        super().__init__(errors)
        self.errors = errors


@lru_cache(maxsize=2048)
def _country(value: str) -> str | None:
    return to_alpha3(value)


def parse_date(text: str) -> dt.date:
    text = text.strip()
    if len(text) == 10 and text[4] == "-":
        return dt.date.fromisoformat(text)
    if len(text) >= 19 and text[4] == "-" and text[10] in " T":
        return dt.date.fromisoformat(text[:10])
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_birth(text: str) -> tuple[int | None, int | None, int | None]:
    """Full, year-month or year-only birth dates, as passports allow."""
    text = text.strip()
    if not text:
        return (None, None, None)
    if len(text) == 4 and text.isdigit():
        return (int(text), None, None)
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        year, month = int(text[:4]), int(text[5:])
        if not 1 <= month <= 12:
            raise ValueError(text)
        return (year, month, None)
    date = parse_date(text)
    return (date.year, date.month, date.day)


class RowChecker:
    """Turns a file row into a :class:`CleanRow`, or raises :class:`RowErrors`."""

    def __init__(self, *, table: Table, kelurahan: dict[str, object],
                 visa_codes: dict[str, list[CodeVersion]], today: dt.date):
        self.table = table
        self.kelurahan = kelurahan
        self.visa_codes = visa_codes
        self.today = today
        self.index = {key: i for i, key in enumerate(table.keys) if key}

    def values(self, cells: list[str]) -> dict[str, str]:
        return {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(self.table.headers)}

    def check(self, row_number: int, cells: list[str]) -> CleanRow:
        errors: list[dict[str, str]] = []
        width = len(cells)
        present = {key: cells[i].strip() for key, i in self.index.items() if i < width}
        get = lambda key: present.get(key, "")

        def fail(key: str, message: str) -> None:
            errors.append({"field": COLUMN_BY_KEY[key].header, "message": str(message)})

        def required(key: str) -> str:
            value = get(key)
            if not value:
                fail(key, _("is required"))
            return value

        def date(key: str, *, needed: bool = False) -> dt.date | None:
            value = required(key) if needed else get(key)
            if not value:
                return None
            try:
                parsed = parse_date(value)
                if not 1900 <= parsed.year <= 2100:
                    raise ValueError(value)
                return parsed
            except ValueError:
                fail(key, _("\"%(value)s\" is not a valid date (use YYYY-MM-DD or DD-MM-YYYY)")
                     % {"value": value})
                return None

        number = required("number").upper().replace(" ", "")
        kind_raw = required("kind")
        kind = KIND_VALUES.get(kind_raw.lower())
        if kind_raw and kind is None:
            fail("kind", _("\"%(value)s\" is not ITK, ITAS or ITAP") % {"value": kind_raw})
        visa_raw = normalise_code(get("visa_index"))
        purpose_raw = get("purpose").lower().replace(" ", "_")
        purpose = PURPOSE_VALUES.get(purpose_raw, "") if purpose_raw else PermitPurpose.OTHER
        if not purpose:
            fail("purpose", _("unknown purpose \"%(value)s\"") % {"value": get("purpose")})
        issue_date = date("issue_date")
        valid_from = date("valid_from", needed=True)
        valid_until = date("valid_until", needed=True)
        if valid_from and valid_until and valid_until < valid_from:
            fail("valid_until", _("is before the first day of validity"))
        if issue_date and issue_date > self.today:
            fail("issue_date", _("is in the future"))
        status_raw = get("status").lower().replace(" ", "_")
        status = STATUS_VALUES.get(status_raw, "") if status_raw else PermitStatus.ACTIVE
        if not status:
            fail("status", _("unknown status \"%(value)s\"") % {"value": get("status")})
        cancelled_on = date("cancelled_on")
        if status == PermitStatus.CANCELLED and cancelled_on is None and get("cancelled_on") == "":
            fail("cancelled_on", _("is required when the permit is cancelled"))
        visa_index_id = self.visa_index(visa_raw, issue_date or valid_from, fail)
        departed_on = date("departed_on")
        if departed_on and valid_from and departed_on < valid_from:
            fail("departed_on", _("is before the first day of validity"))
        if departed_on and departed_on > self.today:
            fail("departed_on", _("is in the future"))
        surname, given_names = get("surname"), get("given_names")
        if not surname and not given_names:
            fail("surname", _("surname or given names is required"))
        other_names = tuple(n.strip() for n in get("other_names").split(";") if n.strip())
        if any(len(n) > 150 for n in other_names):
            fail("other_names", _("is longer than %(limit)s characters") % {"limit": 150})
        sex_raw = get("sex").lower()
        sex = SEX_VALUES.get(sex_raw) if sex_raw else Sex.UNSPECIFIED
        if sex is None:
            fail("sex", _("\"%(value)s\" is not L, P or X") % {"value": get("sex")})
            sex = Sex.UNSPECIFIED
        birth: tuple[int | None, int | None, int | None] = (None, None, None)
        try:
            birth = parse_birth(get("birth_date"))
            if birth[0] is not None and not (self.today.year - 120 <= birth[0] <= self.today.year):
                raise ValueError
            if birth[0] and birth[1] and birth[2] and dt.date(*birth) > self.today:
                raise ValueError
        except ValueError:
            fail("birth_date", _("\"%(value)s\" is not a possible date of birth")
                 % {"value": get("birth_date")})
        nationality_raw = required("nationality")
        nationality = _country(nationality_raw) if nationality_raw else None
        if nationality_raw and nationality is None:
            fail("nationality", _("unknown country code \"%(value)s\"") % {"value": nationality_raw})
        passport_number = required("passport_number").upper().replace(" ", "")
        if passport_number and not passport_number.replace("<", "").isalnum():
            fail("passport_number", _("may hold only letters and digits"))
        state_raw = get("passport_state")
        passport_state = _country(state_raw) if state_raw else nationality
        if state_raw and passport_state is None:
            fail("passport_state", _("unknown country code \"%(value)s\"") % {"value": state_raw})
        passport_expiry = date("passport_expiry")
        kelurahan_raw = get("kelurahan")
        kelurahan_id = None
        if kelurahan_raw:
            from pora.names.folding import fold

            area = self.kelurahan.get(kelurahan_raw) or self.kelurahan.get(fold(kelurahan_raw))
            if area is None:
                fail("kelurahan", _("unknown kelurahan \"%(value)s\"") % {"value": kelurahan_raw})
            else:
                kelurahan_id = area.pk
        sponsor_kind_raw = get("sponsor_kind").lower().replace(" ", "_")
        sponsor_kind = (SPONSOR_KIND_VALUES.get(sponsor_kind_raw) if sponsor_kind_raw
                        else SponsorKind.COMPANY)
        if sponsor_kind is None:
            fail("sponsor_kind", _("use perusahaan or perorangan"))
        for key, limit in (("street", 200), ("employer", 200), ("sponsor_name", 200),
                           ("surname", 100), ("given_names", 150), ("number", 40),
                           ("passport_number", 20)):
            if len(get(key)) > limit:
                fail(key, _("is longer than %(limit)s characters") % {"limit": limit})
        if errors:
            raise RowErrors(errors)
        return CleanRow(
            row_number=row_number, cells=cells, number=number, kind=kind,
            visa_index_id=visa_index_id, purpose=purpose, issue_date=issue_date,
            valid_from=valid_from, valid_until=valid_until, status=status,
            cancelled_on=cancelled_on, departed_on=departed_on, surname=surname,
            given_names=given_names, other_names=other_names, sex=sex, birth=birth,
            nationality=nationality,
            passport_number=passport_number, passport_state=passport_state,
            passport_expiry=passport_expiry, kelurahan_id=kelurahan_id, street=get("street"),
            sponsor_name=get("sponsor_name"), sponsor_kind=sponsor_kind,
            sponsor_contact=get("sponsor_contact"), sponsor_phone=get("sponsor_phone"),
            employer=get("employer"),
        )

    def visa_index(self, code: str, issued: dt.date | None, fail) -> int | None:
        """The reference row of the row's visa code; the code must have been in use on the
        permit's issue date (its first day of validity when the file gives none)."""
        if not code:
            return None
        choice = choose(self.visa_codes.get(code, []), issued)
        if choice.version is not None:
            return choice.version.pk
        if choice.problem == "retired":
            fail("visa_index", _("visa index code \"%(value)s\" was in use until %(until)s "
                                 "(scheme %(scheme)s); the permit was issued on %(issued)s")
                 % {"value": code, "until": choice.retired.valid_until.strftime("%d-%m-%Y"),
                    "scheme": choice.retired.scheme, "issued": issued.strftime("%d-%m-%Y")})
        elif choice.problem == "inactive":
            fail("visa_index", _("visa index code \"%(value)s\" has been deactivated in the "
                                 "reference table") % {"value": code})
        else:
            fail("visa_index", _("unknown visa index code \"%(value)s\": it is not in the "
                                 "reference table") % {"value": code})
        return None


