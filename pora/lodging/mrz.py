"""Parse the machine readable zone (MRZ) of a passport or identity card.

Hotels report foreign guests by pasting the MRZ, typed or sent by a keyboard-wedge
passport reader. :func:`parse_mrz` accepts the three ICAO Doc 9303 layouts

* TD3 — passport booklet, 2 lines × 44 characters (Doc 9303 part 4),
* TD2 — 2 lines × 36 characters (part 6),
* TD1 — identity card, 3 lines × 30 characters (part 5),

verifies every check digit (part 3, section 4.9) and returns an immutable :class:`MRZ`.
Anything wrong raises :class:`MRZError`, which names the offending field and carries a
sentence in Bahasa Indonesia and one in English for the person at the front desk.

The module is pure Python: no Django, no database, no clock unless ``today`` is omitted
(callers inside Django should pass ``timezone.localdate()``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["MRZ", "MRZError", "check_digit", "parse_mrz"]

MRZFormat = Literal["TD1", "TD2", "TD3"]

FILLER = "<"
_WEIGHTS = (7, 3, 1)
_VALID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")

# (number of lines, characters per line) of each layout.
_SHAPES: dict[MRZFormat, tuple[int, int]] = {"TD3": (2, 44), "TD2": (2, 36), "TD1": (3, 30)}
_LINE_LENGTHS = frozenset(length for _, length in _SHAPES.values())
# A keyboard-wedge reader may send every line run together: total length -> line length.
_CONCATENATED = {lines * length: length for lines, length in _SHAPES.values()}

_SEX = {"M": "M", "F": "F", "X": "X", FILLER: "X"}
_WHITESPACE = re.compile(r"\s+")

# An expiry date is read in the century that puts it at most this many years ahead.
EXPIRY_WINDOW_YEARS = 50


class MRZError(ValueError):
    """The MRZ could not be read or failed a check.

    ``field`` is one of ``"format"``, ``"characters"``, ``"document_number"``,
    ``"birth_date"``, ``"expiry_date"``, ``"optional_data"``, ``"composite"`` or
    ``"dates"``; ``message_id`` and ``message_en`` say the same thing in Bahasa Indonesia
    and in English.
    """

    def __init__(self, field: str, message_id: str, message_en: str) -> None:
        super().__init__(field, message_id, message_en)
        self.field = field
        self.message_id = message_id
        self.message_en = message_en

    def __str__(self) -> str:
        return self.message_en


@dataclass(frozen=True)
class MRZ:
    """What a valid machine readable zone says, fillers removed.

    ``optional_data`` is the optional data field of TD3 (the personal number) and TD2, and
    the line-1 optional data of TD1 (after any document number continuation);
    ``optional_data_2`` is TD1's line-2 optional data and empty for the other layouts.
    ``birth_date`` is ``None`` when day or month is printed as fillers (unknown);
    ``birth_date_raw`` always keeps the six characters as printed. Likewise
    ``expiry_date`` is ``None`` only for an all-filler expiry field.
    """

    format: MRZFormat
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: dt.date | None
    birth_date_raw: str
    expiry_date: dt.date | None
    expiry_date_raw: str
    sex: str
    optional_data: str
    optional_data_2: str
    raw_lines: tuple[str, ...]


# --------------------------------------------------------------------------- check digits


def _char_value(char: str) -> int:
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == FILLER:
        return 0
    raise MRZError(
        "characters",
        f"Karakter '{char}' tidak boleh ada di MRZ. Hanya huruf A–Z, angka 0–9, dan '<' "
        "yang diperbolehkan.",
        f"Character '{char}' is not allowed in an MRZ. Only letters A–Z, digits 0–9 and "
        "'<' are allowed.",
    )


def check_digit(value: str) -> str:
    """The Doc 9303 check digit of ``value``: weights 7, 3, 1 repeating, modulo 10.

    Digits count as their value, ``A``–``Z`` as 10–35 and the filler ``<`` as 0.
    """
    total = sum(_char_value(char) * _WEIGHTS[i % 3] for i, char in enumerate(value))
    return str(total % 10)


_CHECK_FAILURES = {
    "document_number": ("nomor dokumen", "document number"),
    "birth_date": ("tanggal lahir", "date of birth"),
    "expiry_date": ("tanggal habis berlaku", "date of expiry"),
    "optional_data": ("data opsional (nomor pribadi)", "optional data (personal number)"),
    "composite": ("gabungan", "composite"),
}


def _verify(field: str, value: str, printed: str) -> None:
    if check_digit(value) != printed:
        what_id, what_en = _CHECK_FAILURES[field]
        raise MRZError(
            field,
            f"Digit pemeriksa {what_id} tidak cocok. Periksa kembali MRZ atau pindai ulang "
            "dokumen.",
            f"The {what_en} check digit does not match. Check the MRZ or scan the document again.",
        )


# --------------------------------------------------------------------------- normalising


def _ascii_upper(text: str) -> str:
    # str.upper() would turn "ß" into "SS" and change the line length; only a–z are
    # letters an MRZ can contain, everything else is left for the character check.
    return "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in text)


def _compact_if_valid(line: str, valid_lengths: frozenset[int]) -> str:
    """Drop whitespace inside ``line`` only when that is what makes its length valid."""
    if len(line) in valid_lengths:
        return line
    compact = _WHITESPACE.sub("", line)
    return compact if len(compact) in valid_lengths else line


def _format_error(lines: list[str]) -> MRZError:
    lengths = ", ".join(str(len(line)) for line in lines) or "0"
    return MRZError(
        "format",
        f"Format MRZ tidak dikenali: terbaca {len(lines)} baris dengan panjang {lengths} "
        "karakter. Yang diharapkan 2 baris × 44 karakter (paspor), 2 baris × 36 karakter, "
        "atau 3 baris × 30 karakter (kartu identitas).",
        f"Unrecognised MRZ format: read {len(lines)} line(s) of {lengths} characters. "
        "Expected 2 lines × 44 characters (passport), 2 lines × 36 characters, or "
        "3 lines × 30 characters (identity card).",
    )


def _normalise(text: str) -> tuple[MRZFormat, tuple[str, ...]]:
    lines = [line.strip() for line in _ascii_upper(text).splitlines()]
    lines = [line for line in lines if line]
    if len(lines) == 1:
        line = _compact_if_valid(lines[0], frozenset(_CONCATENATED))
        if len(line) in _CONCATENATED:
            width = _CONCATENATED[len(line)]
            lines = [line[i : i + width] for i in range(0, len(line), width)]
    else:
        lines = [_compact_if_valid(line, _LINE_LENGTHS) for line in lines]

    shape = (len(lines), len(lines[0]) if lines else 0)
    formats = [name for name, expected in _SHAPES.items() if expected == shape]
    if not formats or any(len(line) != shape[1] for line in lines):
        raise _format_error(lines)

    for row, line in enumerate(lines, start=1):
        for column, char in enumerate(line, start=1):
            if char not in _VALID_CHARS:
                shown = repr(char)[1:-1] if not char.isprintable() else char
                raise MRZError(
                    "characters",
                    f"MRZ berisi karakter tidak sah '{shown}' pada baris {row}, posisi "
                    f"{column}. Hanya huruf A–Z, angka 0–9, dan '<' yang diperbolehkan.",
                    f"The MRZ contains an invalid character '{shown}' on line {row}, "
                    f"position {column}. Only letters A–Z, digits 0–9 and '<' are allowed.",
                )
    return formats[0], tuple(lines)


# --------------------------------------------------------------------------- fields


def _strip_fillers(value: str) -> str:
    return value.strip(FILLER)


def _name(field: str) -> tuple[str, str]:
    """Primary and secondary identifier: ``<<`` separates them, ``<`` is a space."""
    primary, _, secondary = field.rstrip(FILLER).partition(FILLER * 2)
    surname = " ".join(part for part in primary.split(FILLER) if part)
    given_names = " ".join(part for part in secondary.split(FILLER) if part)
    return surname, given_names


def _long_document_number(principal: str, optional: str) -> tuple[str, str]:
    """Doc 9303 parts 5 and 6: a document number longer than nine characters.

    The nine principal characters are followed by a filler instead of a check digit; the
    rest of the number opens the optional data field, followed by the check digit over the
    whole number and a filler. Returns (document number, remaining optional data).
    """
    end = optional.find(FILLER)
    if end == -1:
        end = len(optional)
    continuation = optional[:end]
    if len(continuation) < 2:
        raise MRZError(
            "document_number",
            "Nomor dokumen terpotong, tetapi lanjutan nomor dan digit pemeriksanya tidak "
            "ditemukan di data opsional.",
            "The document number is marked as truncated, but its continuation and check "
            "digit are missing from the optional data.",
        )
    number = principal + continuation[:-1]
    _verify("document_number", number, continuation[-1])
    return number, optional[end + 1 :]


def _sex(char: str) -> str:
    if char not in _SEX:
        raise MRZError(
            "format",
            f"Kode jenis kelamin '{char}' tidak dikenal; yang sah adalah M, F, atau '<'.",
            f"Unknown sex code '{char}'; valid codes are M, F or '<'.",
        )
    return _SEX[char]


def _date_error(what_id: str, what_en: str, raw: str, reason_id: str, reason_en: str) -> MRZError:
    return MRZError(
        "dates",
        f"{what_id} '{raw}' tidak valid: {reason_id}.",
        f"The {what_en} '{raw}' is not valid: {reason_en}.",
    )


def _split_date(raw: str, what_id: str, what_en: str) -> tuple[int, int, int] | None:
    """YYMMDD as numbers; ``None`` if any pair is fillers (unknown)."""
    pairs = [raw[0:2], raw[2:4], raw[4:6]]
    if not all(pair.isdigit() or pair == FILLER * 2 for pair in pairs):
        raise _date_error(
            what_id,
            what_en,
            raw,
            "setiap bagian YY, MM, dan DD harus berupa angka atau '<<'",
            "each of YY, MM and DD must be digits or '<<'",
        )
    if any(pair == FILLER * 2 for pair in pairs):
        month, day = pairs[1], pairs[2]
        if month.isdigit() and not 1 <= int(month) <= 12:
            raise _date_error(what_id, what_en, raw, "bulan di luar 01–12", "month outside 01–12")
        if day.isdigit() and not 1 <= int(day) <= 31:
            raise _date_error(what_id, what_en, raw, "hari di luar 01–31", "day outside 01–31")
        return None
    year, month, day = (int(pair) for pair in pairs)
    if not 1 <= month <= 12:
        raise _date_error(what_id, what_en, raw, "bulan di luar 01–12", "month outside 01–12")
    if not 1 <= day <= 31:
        raise _date_error(what_id, what_en, raw, "hari di luar 01–31", "day outside 01–31")
    return year, month, day


def _no_such_day(what_id: str, what_en: str, raw: str) -> MRZError:
    return _date_error(
        what_id,
        what_en,
        raw,
        "tanggal tersebut tidak ada di kalender",
        "no such day in the calendar",
    )


def _birth_date(raw: str, today: dt.date) -> dt.date | None:
    """The latest date with these YYMMDD that is not after ``today``."""
    parts = _split_date(raw, "Tanggal lahir", "date of birth")
    if parts is None:
        return None
    yy, month, day = parts
    century = today.year // 100 * 100
    exists = False
    for year in (century + yy, century - 100 + yy):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        exists = True
        if candidate <= today:
            return candidate
    if not exists:
        raise _no_such_day("Tanggal lahir", "date of birth", raw)
    raise _date_error(
        "Tanggal lahir",
        "date of birth",
        raw,
        "tanggal lahir di masa depan",
        "the date of birth is in the future",
    )


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def _expiry_date(raw: str, today: dt.date) -> dt.date | None:
    """YYMMDD in the century that puts it no more than :data:`EXPIRY_WINDOW_YEARS` ahead
    of ``today`` and less than that behind: 20YY, or 19YY when 20YY is too far ahead."""
    if raw == FILLER * 6:
        return None
    parts = _split_date(raw, "Tanggal habis berlaku", "date of expiry")
    if parts is None:
        raise _date_error(
            "Tanggal habis berlaku",
            "date of expiry",
            raw,
            "hanya boleh lengkap atau seluruhnya '<'",
            "it must be complete or entirely '<'",
        )
    yy, month, day = parts
    earliest = _add_years(today, -EXPIRY_WINDOW_YEARS)
    latest = _add_years(today, EXPIRY_WINDOW_YEARS)
    century = today.year // 100 * 100
    for year in (century + yy, century - 100 + yy, century + 100 + yy):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # 29 February of a common year
            continue
        if earliest < candidate <= latest:
            return candidate
    raise _no_such_day("Tanggal habis berlaku", "date of expiry", raw)


# --------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class _Fields:
    """The printed fields of any layout, located but not yet interpreted."""

    document_code: str
    issuing_state: str
    name: str
    document_number: str
    document_number_check: str
    nationality: str
    birth: str
    birth_check: str
    sex: str
    expiry: str
    expiry_check: str
    optional: str
    optional_2: str
    composite_value: str
    composite_check: str


def _locate(fmt: MRZFormat, lines: tuple[str, ...]) -> _Fields:
    if fmt == "TD1":  # Doc 9303 part 5, 4.2.2
        one, two, three = lines
        return _Fields(
            document_code=one[0:2],
            issuing_state=one[2:5],
            name=three,
            document_number=one[5:14],
            document_number_check=one[14],
            nationality=two[15:18],
            birth=two[0:6],
            birth_check=two[6],
            sex=two[7],
            expiry=two[8:14],
            expiry_check=two[14],
            optional=one[15:30],
            optional_2=two[18:29],
            composite_value=one[5:30] + two[0:7] + two[8:15] + two[18:29],
            composite_check=two[29],
        )
    # TD3 (part 4, 4.2.2) and TD2 (part 6, 4.2.2) share line 2 up to the optional data.
    one, two = lines
    width = len(one)
    return _Fields(
        document_code=one[0:2],
        issuing_state=one[2:5],
        name=one[5:width],
        document_number=two[0:9],
        document_number_check=two[9],
        nationality=two[10:13],
        birth=two[13:19],
        birth_check=two[19],
        sex=two[20],
        expiry=two[21:27],
        expiry_check=two[27],
        # TD3: personal number 29–42 plus its check digit at 43; TD2: optional data 29–35.
        optional=two[28 : width - 1],
        optional_2="",
        composite_value=two[0:10] + two[13:20] + two[21 : width - 1],
        composite_check=two[width - 1],
    )


def parse_mrz(text: str, today: dt.date | None = None) -> MRZ:
    """Read and verify a TD1, TD2 or TD3 machine readable zone.

    ``text`` may hold the lines separated by any line break, with surrounding whitespace
    and in lower case, or all lines run together as a keyboard-wedge reader sends them.
    ``today`` anchors the two-digit years (default: the system date).
    """
    if today is None:
        today = dt.date.today()
    fmt, lines = _normalise(text)
    f = _locate(fmt, lines)

    if f.document_code.startswith("V"):
        raise MRZError(
            "format",
            "Ini MRZ visa (MRV), bukan paspor atau kartu identitas; masukkan MRZ dari "
            "halaman data paspor.",
            "This is a visa MRZ (MRV), not a passport or identity card; enter the MRZ from "
            "the passport data page.",
        )

    optional = f.optional
    optional_check = None
    if fmt == "TD3":
        optional, optional_check = f.optional[:-1], f.optional[-1]

    # Check digits first: a misread character is likelier than an impossible date, and
    # the field it names is more useful than "composite".
    if fmt != "TD3" and f.document_number_check == FILLER:
        document_number, optional = _long_document_number(f.document_number, optional)
    else:
        _verify("document_number", f.document_number, f.document_number_check)
        document_number = f.document_number
    _verify("birth_date", f.birth, f.birth_check)
    _verify("expiry_date", f.expiry, f.expiry_check)
    # TD3 personal number: the check digit may be a filler when the field is all fillers.
    if optional_check is not None and not (
        optional_check == FILLER and optional == FILLER * len(optional)
    ):
        _verify("optional_data", optional, optional_check)
    _verify("composite", f.composite_value, f.composite_check)

    sex = _sex(f.sex)
    birth_date = _birth_date(f.birth, today)
    expiry_date = _expiry_date(f.expiry, today)
    surname, given_names = _name(f.name)

    return MRZ(
        format=fmt,
        document_code=_strip_fillers(f.document_code),
        issuing_state=_strip_fillers(f.issuing_state),
        surname=surname,
        given_names=given_names,
        document_number=document_number.replace(FILLER, ""),
        nationality=_strip_fillers(f.nationality),
        birth_date=birth_date,
        birth_date_raw=f.birth,
        expiry_date=expiry_date,
        expiry_date_raw=f.expiry,
        sex=sex,
        optional_data=_strip_fillers(optional),
        optional_data_2=_strip_fillers(f.optional_2),
        raw_lines=lines,
    )
