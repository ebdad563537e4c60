"""Reading and checking a lodging's guest list (CSV or XLSX), row by row.

Nothing here writes: :mod:`pora.lodging.services.guest_lists` applies the rows that pass.
A row is checked with the rules of a single check-in (:func:`clean_guest` and
:func:`clean_details` of :mod:`pora.lodging.services.stays`), so a guest refused at the
front desk is refused in a list for the same reason, in the same two languages.

Times
    ``waktu_check_in`` and ``waktu_check_out`` take ``YYYY-MM-DD HH:MM[:SS]`` (also with
    ``T``), ``DD/MM/YYYY HH:MM`` (``-`` or ``.`` as separators too) or an Excel date-time
    cell. They are local time of the server's time zone (``TIME_ZONE``, Asia/Jakarta,
    WIB, by default) unless the value carries an offset such as ``+08:00``. A date
    without a time (including an Excel date cell at 00:00) means the customary hours:
    check-in at 14:00, check-out at 12:00. The check-in time is part of the stay's
    identity (passport, nationality, check-in time at this lodging), so the same list
    uploaded again finds the same stays.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pora.core import clock
from pora.core.api import Problem
from pora.core.countries import to_alpha3
from pora.lodging.linking import Guest
from pora.lodging.services.stays import CLOCK_SKEW, StayDetails, clean_details, clean_guest
from pora.registry.importing import (
    SEX_VALUES,
    Column,
    Layout,
    RowErrors,
    Table,
    parse_birth,
    parse_date,
)

COLUMNS = [
    Column("document_number", "nomor_paspor",
           ("passport_number", "document_number", "no_paspor", "passport_no", "passport"), True,
           gettext_lazy("Passport number as printed; with the nationality and the check-in "
                        "time it identifies the stay.")),
    Column("issuing_state", "negara_penerbit",
           ("issuing_state", "negara_paspor", "passport_issuing_state"), False,
           gettext_lazy("State that issued the passport; the nationality when empty.")),
    Column("nationality", "kewarganegaraan", ("nationality", "warga_negara", "citizenship"),
           True, gettext_lazy("ISO 3166 code (CHN, KR …) or the country's name.")),
    Column("surname", "nama_keluarga", ("surname", "family_name", "last_name"), False,
           gettext_lazy("Surname as in the passport. Surname or given names is required.")),
    Column("given_names", "nama_depan", ("given_names", "given_name", "first_name"), False,
           gettext_lazy("Given names as in the passport.")),
    Column("sex", "jenis_kelamin", ("sex", "gender"), False, gettext_lazy("L/M, P/F or X.")),
    Column("birth_date", "tanggal_lahir", ("birth_date", "date_of_birth", "dob"), False,
           gettext_lazy("YYYY-MM-DD, DD-MM-YYYY, YYYY-MM or YYYY alone.")),
    Column("document_expiry", "berlaku_paspor",
           ("document_expiry", "passport_expiry", "paspor_berlaku_sampai"), False,
           gettext_lazy("Passport expiry date.")),
    Column("room", "kamar", ("room", "room_number", "nomor_kamar"), False,
           gettext_lazy("Room number.")),
    Column("checked_in_at", "waktu_check_in", ("checked_in_at", "check_in", "checkin"), True,
           gettext_lazy("YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM, local time (WIB unless an "
                        "offset such as +08:00 is given). A date alone means 14:00.")),
    Column("expected_checkout", "rencana_check_out",
           ("expected_checkout", "expected_check_out"), False,
           gettext_lazy("Planned check-out date.")),
    Column("checked_out_at", "waktu_check_out", ("checked_out_at", "check_out", "checkout"),
           False, gettext_lazy("When the guest left, if they have: as the check-in time. A "
                               "date alone means 12:00.")),
    Column("purpose", "tujuan", ("purpose", "purpose_of_visit"), False,
           gettext_lazy("Purpose of the visit.")),
    Column("arrival_date", "tanggal_kedatangan", ("arrival_date", "tanggal_masuk"), False,
           gettext_lazy("Date of arrival in Indonesia.")),
    Column("permit_number", "nomor_visa_izin",
           ("permit_number", "visa_number", "nomor_visa", "nomor_izin"), False,
           gettext_lazy("Visa or stay permit number.")),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
MAX_ROWS = 1_000_000
DEFAULT_CHECK_IN = dt.time(14, 0)
DEFAULT_CHECK_OUT = dt.time(12, 0)
REASON_HEADER = "alasan"


# ---------------------------------------------------------------------------- reading


def _cell_text(value) -> str:
    """Like the permit import's, but a date-time cell keeps its time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


GUEST_LIST = Layout(tuple(COLUMNS), _cell_text, max_rows=MAX_ROWS, csv_suffixes=(".csv",))
read_table = GUEST_LIST.read
template_position = GUEST_LIST.position


# --------------------------------------------------------------------------- parsing

_DATETIME = re.compile(
    r"(?:(?P<y1>\d{4})[-/](?P<m1>\d{1,2})[-/](?P<d1>\d{1,2})"
    r"|(?P<d2>\d{1,2})[-/.](?P<m2>\d{1,2})[-/.](?P<y2>\d{4}))"
    r"(?:(?:[ T]+|,\s*)(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)


def parse_datetime(text: str, *, default_time: dt.time,
                   tz: dt.tzinfo | None = None) -> dt.datetime:
    """``"2024-02-01 14:35"``, ``"01/02/2024 14.35"``, ``"2024-02-01T14:35:00+08:00"`` or a
    date alone (then ``default_time``) → an aware datetime, whole seconds. Raises ValueError.
    """
    match = _DATETIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    g = match.group
    if g("y1"):
        year, month, day = int(g("y1")), int(g("m1")), int(g("d1"))
    else:
        year, month, day = int(g("y2")), int(g("m2")), int(g("d2"))
    if g("h") is not None:
        moment = dt.datetime(year, month, day, int(g("h")), int(g("mi")), int(g("s") or 0))
    else:
        moment = dt.datetime.combine(dt.date(year, month, day), default_time)
    if not 1900 <= year <= 2100:
        raise ValueError(text)
    offset = g("tz")
    if offset:
        if offset == "Z":
            zone = dt.UTC
        else:
            digits = offset[1:].replace(":", "")
            delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            zone = dt.timezone(delta if offset[0] == "+" else -delta)
        return moment.replace(tzinfo=zone)
    return timezone.make_aware(moment, tz or timezone.get_default_timezone())


def _date(text: str) -> dt.date:
    parsed = parse_date(text)
    if not 1900 <= parsed.year <= 2100:
        raise ValueError(text)
    return parsed


@lru_cache(maxsize=2048)
def _country(value: str) -> str | None:
    return to_alpha3(value)


# --------------------------------------------------------------------------- checking


@dataclass(slots=True)
class GuestRow:
    """A row that passed every check: the guest (normalised as a check-in does) and stay."""

    row_number: int
    cells: list[str]
    guest: Guest
    checked_in_at: dt.datetime
    room: str
    expected_checkout: dt.date | None
    checked_out_at: dt.datetime | None
    purpose: str
    arrival_date: dt.date | None
    permit_number: str

    @property
    def key(self) -> tuple[str, str, dt.datetime]:
        """The stay's natural key at one lodging: passport, nationality, check-in time."""
        return (self.guest.document_number, self.guest.nationality, self.checked_in_at)


def _p(field: str, code: str, message_id: str, message_en: str) -> Problem:
    return Problem(field, code, message_id, message_en)


def problem_dict(problem: Problem) -> dict[str, str]:
    """How a reason is kept with a rejected row: the column header, both languages, and
    the message in the language of the upload."""
    column = COLUMN_BY_KEY.get(problem.field)
    return {"field": column.header if column else problem.field, "code": problem.code,
            "message": problem.message, "message_id": problem.message_id,
            "message_en": problem.message_en}


def reasons(errors: list[dict[str, str]], *, english: bool) -> list[tuple[str, str]]:
    """(column, message) of one rejected row, in the reader's language."""
    key = "message_en" if english else "message_id"
    return [(e.get("field", ""), e.get(key) or e.get("message", "")) for e in errors]


def reason_text(errors: list[dict[str, str]], *, english: bool) -> str:
    return "; ".join(f"{column}: {message}" for column, message in reasons(errors,
                                                                           english=english))


class GuestRowChecker:
    """Turns a file row into a :class:`GuestRow`, or raises :class:`RowErrors`."""

    def __init__(self, *, table: Table, now: dt.datetime):
        self.table = table
        self.now = now
        self.today = timezone.localtime(now).date()
        self.zone = timezone.get_default_timezone()
        self.index = {key: i for i, key in enumerate(table.keys) if key}

    def values(self, cells: list[str]) -> dict[str, str]:
        return {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(self.table.headers)}

    def check(self, row_number: int, cells: list[str]) -> GuestRow:
        problems: list[Problem] = []
        width = len(cells)
        present = {key: cells[i].strip() for key, i in self.index.items() if i < width}
        get = lambda key: present.get(key, "")

        def date(key: str, label_id: str, label_en: str) -> dt.date | None:
            value = get(key)
            if not value:
                return None
            try:
                return _date(value)
            except ValueError:
                problems.append(_p(
                    key, "invalid_date",
                    f"{label_id} '{value}' tidak valid (gunakan YYYY-MM-DD atau DD-MM-YYYY).",
                    f"{label_en} '{value}' is not a valid date (use YYYY-MM-DD or "
                    f"DD-MM-YYYY)."))
                return None

        def moment(key: str, default: dt.time, label_id: str,
                   label_en: str) -> dt.datetime | None:
            value = get(key)
            if not value:
                return None
            try:
                return parse_datetime(value, default_time=default, tz=self.zone)
            except ValueError:
                problems.append(_p(
                    key, "invalid_datetime",
                    f"{label_id} '{value}' tidak valid (gunakan YYYY-MM-DD HH:MM atau "
                    f"DD/MM/YYYY HH:MM).",
                    f"{label_en} '{value}' is not valid (use YYYY-MM-DD HH:MM or "
                    f"DD/MM/YYYY HH:MM)."))
                return None

        # -- the guest: parsed here, judged by the single check-in's rules
        nationality_raw = get("nationality")
        state_raw = get("issuing_state")
        sex_raw = get("sex")
        sex = SEX_VALUES.get(sex_raw.lower()) if sex_raw else "X"
        if sex is None:
            problems.append(_p("sex", "invalid_sex",
                               f"Jenis kelamin '{sex_raw}' tidak dikenal: isi L, P atau X.",
                               f"Unknown sex '{sex_raw}': use M, F or X (L or P)."))
            sex = "X"
        birth: tuple[int | None, int | None, int | None] = (None, None, None)
        try:
            birth = parse_birth(get("birth_date"))
        except ValueError:
            problems.append(_p("birth_date", "invalid_birth_date",
                               "Tanggal lahir tidak valid.", "The birth date is not valid."))
        surname, given_names = get("surname"), get("given_names")
        for key, value, limit, label_id, label_en in (
                ("surname", surname, 100, "Nama keluarga", "The surname"),
                ("given_names", given_names, 150, "Nama depan", "The given names")):
            if len(value) > limit:
                problems.append(_p(key, "too_long",
                                   f"{label_id} lebih dari {limit} karakter.",
                                   f"{label_en} is longer than {limit} characters."))
        guest = Guest(
            surname=surname, given_names=given_names,
            nationality=(_country(nationality_raw) or nationality_raw) if nationality_raw else "",
            document_number=get("document_number"),
            issuing_state=(_country(state_raw) or state_raw) if state_raw else "",
            sex=sex, birth_year=birth[0], birth_month=birth[1], birth_day=birth[2],
            document_expiry=date("document_expiry", "Tanggal berlaku paspor",
                                 "The passport expiry"),
        )
        guest, guest_problems = clean_guest(guest, today=self.today)
        for problem in guest_problems:
            if problem.field == "nationality" and not nationality_raw:
                problem = _p("nationality", "nationality_required",
                             "Kewarganegaraan wajib diisi.", "The nationality is required.")
            elif problem.field == "birth_date" and any(p.field == "birth_date"
                                                       for p in problems):
                continue
            problems.append(problem)

        # -- the stay
        checked_in = moment("checked_in_at", DEFAULT_CHECK_IN, "Waktu check-in",
                            "The check-in time")
        if not get("checked_in_at"):
            problems.append(_p("checked_in_at", "check_in_required",
                               "Waktu check-in wajib diisi.", "The check-in time is required."))
        checked_out = moment("checked_out_at", DEFAULT_CHECK_OUT, "Waktu check-out",
                             "The check-out time")
        expected_checkout = date("expected_checkout", "Rencana check-out",
                                 "The expected check-out")
        arrival_date = date("arrival_date", "Tanggal kedatangan", "The arrival date")
        details = None
        if checked_in is not None:
            details = StayDetails(
                checked_in_at=checked_in, room=get("room"), expected_checkout=expected_checkout,
                purpose=get("purpose"), arrival_date=arrival_date,
                permit_number=get("permit_number"))
            problems += clean_details(details, now=self.now)
            if checked_out is not None and checked_out < checked_in:
                problems.append(_p("checked_out_at", "checkout_before_checkin",
                                   "Waktu check-out sebelum waktu check-in.",
                                   "The check-out time is before the check-in time."))
        if checked_out is not None and checked_out > self.now + CLOCK_SKEW:
            problems.append(_p("checked_out_at", "checkout_in_future",
                               "Waktu check-out tidak boleh di masa depan.",
                               "The check-out time cannot be in the future."))
        if problems:
            raise RowErrors([problem_dict(p) for p in problems])
        # Cut to the stored lengths exactly as a single check-in records them.
        return GuestRow(
            row_number=row_number, cells=cells, guest=guest, checked_in_at=checked_in,
            room=details.room.strip()[:20], expected_checkout=expected_checkout,
            checked_out_at=checked_out, purpose=details.purpose.strip()[:100],
            arrival_date=arrival_date, permit_number=details.permit_number.strip().upper()[:40],
        )


# --------------------------------------------------------------------------- template


def template_headers() -> list[str]:
    return [c.header for c in COLUMNS]


def template_example(today: dt.date | None = None) -> list[str]:
    """One plausible guest, checked in yesterday, so the template uploads cleanly as is."""
    yesterday = (today or clock.today()) - dt.timedelta(days=1)
    example = {
        "document_number": "EA1234567", "issuing_state": "CHN", "nationality": "CHN",
        "surname": "WANG", "given_names": "XIAOMING", "sex": "L", "birth_date": "1985-03-21",
        "document_expiry": "2031-05-01", "room": "1204",
        "checked_in_at": f"{yesterday.isoformat()} 14:35",
        "expected_checkout": (yesterday + dt.timedelta(days=4)).isoformat(),
        "checked_out_at": "", "purpose": "bisnis",
        "arrival_date": yesterday.isoformat(), "permit_number": "",
    }
    return [example.get(c.key, "") for c in COLUMNS]


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(template_headers())
    writer.writerow(template_example())
    # With a byte-order mark Excel opens the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "daftar_tamu"
    sheet.append(template_headers())
    sheet.append(template_example())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = workbook.create_sheet(_("Instructions")[:31])
    guide.append([_("Column"), _("Required"), _("Meaning")])
    for column in COLUMNS:
        guide.append([column.header, _("yes") if column.required else _("no"),
                      str(column.help)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
