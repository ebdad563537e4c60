"""Reading uploaded files at bounded memory: spreadsheets, gzip, row limits.

Every import (permits, guest lists, watchlists) reads its files through here, so a hostile
file is refused the same way everywhere. An upload is at most ``PORA_MAX_UPLOAD_MB`` on
the wire, but a zip or gzip member can unpack a thousand times larger, and a worksheet
may declare a size (``<dimension ref="A1:XFD8000"/>``) or a row number (``r="1048576"``)
that has nothing to do with its content. So:

* an XLSX worksheet is parsed as a stream of XML events, never padded to its declared
  dimension: only cells that hold a value are kept, at most :data:`MAX_COLUMNS` columns,
  a cell at most :data:`MAX_CELL_CHARS` characters; the parts read whole (shared strings,
  styles) and the zip's directory are checked against limits before they are read;
* gzip is unpacked as a stream and stops at :data:`MAX_UNPACKED_BYTES`;
* the number of rows is counted while reading and refused as soon as it passes the
  import's limit, before anything is written.

Messages are English message ids with their parameters, translated by the caller
(``exc.translated(gettext)``) so a background job answers in the uploader's language.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO
from xml.parsers import expat

MAX_COLUMNS = 256  # Excel 2003's width; every import template has fewer than 30 columns
MAX_CELL_CHARS = 32_767  # the most Excel itself lets a cell hold
MAX_SHEET_ROWS = 1_048_576  # Excel's last row: a larger row number is not a spreadsheet
MAX_SHEET_COLUMNS = 16_384  # Excel's last column (XFD)
MAX_ZIP_ENTRIES = 1_000  # a workbook has a few dozen parts
MAX_PART_BYTES = 64 * 1024 * 1024  # a part read whole: shared strings, styles, workbook
MAX_SHEET_BYTES = 1024 * 1024 * 1024  # the worksheet is streamed: this bounds time only
MAX_TOKEN_BYTES = 1024 * 1024  # a tag or comment the XML parser would have to buffer
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # gzip
MAX_LINE_BYTES = 4 * 1024 * 1024  # one line of a text file unpacked from gzip
_CHUNK = 64 * 1024


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; the caller translates it."""
    return message


class UploadRefused(ValueError):
    """The file as a whole cannot be used; nothing in it is imported."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % params)

    def translated(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.template) % self.params


def _not_xlsx() -> UploadRefused:
    return UploadRefused(gettext_noop("The file is not a readable Excel (.xlsx) workbook."))


# -------------------------------------------------------------------------- row limits


def row_limit(rows: Iterable, max_rows: int,
              is_empty: Callable[[object], bool]) -> Iterator:
    """``rows`` as they come, refused as soon as more than ``max_rows`` follow the header
    (the first row that is not empty): a file too long is known before it is all read."""
    seen = 0
    for row in rows:
        if not is_empty(row):
            seen += 1
            if seen > max_rows + 1:
                raise UploadRefused(gettext_noop("The file has more than %(max)s rows; split "
                                                 "it."), max=max_rows)
        yield row


# ------------------------------------------------------------------------------- gzip


class _Capped(io.RawIOBase):
    """A decompressing stream that stops with :class:`UploadRefused` past ``limit`` bytes."""

    def __init__(self, stream: BinaryIO, limit: int):
        self.stream = stream
        self.limit = limit
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self.stream.read(min(len(buffer), _CHUNK))
        except (OSError, EOFError, zlib.error):
            raise UploadRefused(gettext_noop(
                "The compressed file is damaged and cannot be unpacked.")) from None
        self.total += len(data)
        if self.total > self.limit:
            raise UploadRefused(gettext_noop(
                "The file unpacks to more than %(mb)s MB; split it into smaller files."),
                mb=self.limit // (1024 * 1024))
        buffer[:len(data)] = data
        return len(data)


def gunzip_stream(data: bytes, limit: int | None = None) -> BinaryIO:
    """The gzip file ``data`` unpacked as it is read, never more than ``limit`` bytes
    (:data:`MAX_UNPACKED_BYTES` by default)."""
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    return io.BufferedReader(_Capped(gzip.GzipFile(fileobj=io.BytesIO(data)), limit),
                             buffer_size=_CHUNK)


def read_lines(stream: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[bytes]:
    """The stream's lines with their newline; a line longer than ``limit`` is refused
    before it is held whole."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            raise UploadRefused(gettext_noop(
                "Line %(line)s is longer than %(mb)s MB; the file is not a list of records."),
                line=number, mb=max(1, limit // (1024 * 1024)))
        yield line


# ------------------------------------------------------------------------------- XLSX


def _zip_entries(data: bytes) -> int | None:
    """How many entries the zip's end record announces, read before :mod:`zipfile` loads
    its whole directory into memory (None when there is no such record)."""
    tail = data[-(65_535 + 22):]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    return struct.unpack("<H", tail[at + 10:at + 12])[0]


def _check_parts(data: bytes) -> None:
    entries = _zip_entries(data)
    if entries is None:
        raise _not_xlsx()
    if entries > MAX_ZIP_ENTRIES:  # 0xFFFF (zip64) too: no workbook needs it
        raise UploadRefused(gettext_noop(
            "The workbook has more than %(max)s parts; it is not a spreadsheet to import."),
            max=MAX_ZIP_ENTRIES)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_xlsx() from None
    for info in infos:
        # zipfile never unpacks more than a part's declared size, so checking the
        # declared sizes bounds what is read.
        sheet = info.filename.startswith("xl/worksheets/")
        if info.file_size > (MAX_SHEET_BYTES if sheet else MAX_PART_BYTES):
            raise UploadRefused(gettext_noop(
                "The workbook unpacks to more than %(mb)s MB; split it into smaller files."),
                mb=(MAX_SHEET_BYTES if sheet else MAX_PART_BYTES) // (1024 * 1024))


_COLUMN = re.compile(r"([A-Za-z]{1,3})")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _column_number(reference: str) -> int:
    match = _COLUMN.match(reference)
    if not match:
        return 0
    number = 0
    for letter in match.group(1).upper():
        number = number * 26 + ord(letter) - 64
    return number


def _clean(text: str) -> str:
    """Text as it may be stored: Excel's ``_x0000_`` escapes undone, and NUL removed (no
    database text column can hold it, and no name or number contains it)."""
    if "_x" in text:
        text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text.replace("\x00", "") if "\x00" in text else text


class _SheetParser:
    """Streams a worksheet's rows as ``(row number, values)``: only cells holding a value,
    the row as long as its last such cell; the declared dimension is never read."""

    def __init__(self, strings: list[str], date_styles: set[int], duration_styles: set[int],
                 epoch: dt.datetime):
        self.strings = strings
        self.date_styles = date_styles
        self.duration_styles = duration_styles
        self.epoch = epoch
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = False
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        # Entities are the classic XML bomb; a worksheet has no reason to declare any.
        self.parser.StartDoctypeDeclHandler = self.refuse_doctype
        self.parser.EntityDeclHandler = self.refuse_doctype
        self.ready: list[tuple[int, list]] = []
        self.row_number = 0
        self.rows_seen = 0
        self.cells: dict[int, object] = {}
        self.cells_seen = 0
        self.column = 0
        self.cell: tuple[str, str, int] | None = None  # reference, type, style
        self.value: str | None = None
        self.inline: list[str] = []
        self.formula = False
        self.capture: list[str] | None = None
        self.captured = 0
        self.in_inline = self.in_phonetic = False
        self.last_event = 0

    def refuse_doctype(self, *args) -> None:
        raise _not_xlsx()

    def rows(self, stream: BinaryIO) -> Iterator[tuple[int, list]]:
        fed = 0
        while True:
            chunk = stream.read(_CHUNK)
            try:
                self.parser.Parse(chunk, not chunk)
            except expat.ExpatError:
                raise _not_xlsx() from None
            fed += len(chunk)
            # Text is handed over piece by piece; only a tag, a comment or the like is
            # held whole by the parser, and none in a real worksheet is this long.
            if fed - self.last_event > MAX_TOKEN_BYTES:
                raise _not_xlsx()
            if self.ready:
                yield from self.ready
                self.ready.clear()
            if not chunk:
                return

    def start(self, name: str, attrs: dict) -> None:
        self.last_event = self.parser.CurrentByteIndex
        name = name.rpartition(":")[2]
        if name == "c":
            self.cells_seen += 1
            if self.cells_seen > MAX_SHEET_COLUMNS:
                raise _not_xlsx()
            reference = attrs.get("r", "")
            self.column = _column_number(reference) if reference else self.column + 1
            if not 1 <= self.column <= MAX_SHEET_COLUMNS:
                raise _not_xlsx()
            try:
                style = int(attrs.get("s", 0))
            except ValueError:
                style = 0
            self.cell = (reference, attrs.get("t", "n"), style)
            self.value = None
            self.inline = []
            self.formula = False
        elif name == "row":
            self.rows_seen += 1
            try:
                number = int(attrs["r"]) if "r" in attrs else self.row_number + 1
            except ValueError:
                raise _not_xlsx() from None
            if not 1 <= number <= MAX_SHEET_ROWS or self.rows_seen > MAX_SHEET_ROWS:
                raise _not_xlsx()
            self.row_number = number
            self.cells = {}
            self.cells_seen = 0
            self.column = 0
        elif self.cell is not None:
            if name == "v":
                self.capture, self.captured = [], 0
            elif name == "f":
                self.formula = True
            elif name == "is":
                self.in_inline = True
            elif name == "rPh":
                self.in_phonetic = True
            elif name == "t" and self.in_inline and not self.in_phonetic:
                self.capture, self.captured = [], 0

    def text(self, data: str) -> None:
        self.last_event = self.parser.CurrentByteIndex
        if self.capture is not None:
            self.captured += len(data)
            if self.captured > MAX_CELL_CHARS:
                raise UploadRefused(gettext_noop(
                    "A cell in row %(row)s holds more than %(max)s characters."),
                    row=self.row_number, max=MAX_CELL_CHARS)
            self.capture.append(data)

    def end(self, name: str) -> None:
        self.last_event = self.parser.CurrentByteIndex
        name = name.rpartition(":")[2]
        if name == "v" and self.capture is not None:
            self.value = "".join(self.capture)
            self.capture = None
        elif name == "t" and self.capture is not None:
            self.inline.append("".join(self.capture))
            self.capture = None
        elif name == "rPh":
            self.in_phonetic = False
        elif name == "is":
            self.in_inline = False
        elif name == "c" and self.cell is not None:
            value = self.cell_value()
            self.cell = None
            if value is None or value == "":
                return
            if self.column > MAX_COLUMNS:
                raise UploadRefused(gettext_noop(
                    "Row %(row)s has a value beyond column %(max)s; an import file has at "
                    "most %(max)s columns."), row=self.row_number, max=MAX_COLUMNS)
            self.cells[self.column] = value
        elif name == "row" and self.cells:
            values = [None] * max(self.cells)
            for column, value in self.cells.items():
                values[column - 1] = value
            self.ready.append((self.row_number, values))
            self.cells = {}

    def cell_value(self) -> object:
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        reference, kind, style = self.cell
        text = self.value
        if kind == "inlineStr":
            return _clean("".join(self.inline))
        if text is None or (self.formula and not text and kind != "str"):
            if self.formula:
                # Only what Excel computed and saved can be read; a file written by a
                # program that left the result out would otherwise read as empty cells.
                raise UploadRefused(gettext_noop(
                    "Cell %(cell)s holds a formula whose result was not saved. Open the file "
                    "in Excel and save it again, or paste the values instead of formulas."),
                    cell=reference or f"#{self.row_number}")
            return None
        if kind == "s":
            try:
                return _clean(self.strings[int(text)])
            except (ValueError, IndexError):
                raise _not_xlsx() from None
        if kind == "b":
            return text.strip() == "1"
        if kind in ("str", "e"):
            return _clean(text)
        if kind == "d":
            try:
                return from_ISO8601(text.strip())
            except ValueError:
                return _clean(text)
        try:
            number: int | float = (float(text) if any(c in text for c in ".eE")
                                   else int(text))
        except ValueError:
            return _clean(text)
        if style in self.date_styles:
            try:
                return from_excel(number, self.epoch,
                                  timedelta=style in self.duration_styles)
            except (OverflowError, ValueError, TypeError):
                return number
        return number


def xlsx_rows(data: bytes) -> Iterator[tuple[int, list]]:
    """The first worksheet's rows that hold a value, as ``(row number, values)``: text,
    numbers, booleans, dates as Excel saved them (a formula's saved result); None for
    an empty cell before the row's last value.

    Raises :class:`UploadRefused` at once for a file that is not a workbook or unpacks
    too large, and while iterating for a worksheet that turns out unreadable.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_parts(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError,
            TypeError, expat.ExpatError, SyntaxError):
        raise _not_xlsx() from None
    try:
        if not workbook.worksheets:
            raise _not_xlsx()
        sheet = workbook.worksheets[0]
        path = getattr(sheet, "_worksheet_path", None)
        if path is None:  # a chartsheet first: no cells
            raise _not_xlsx()
        parser = _SheetParser(getattr(sheet, "_shared_strings", None) or [],
                              set(getattr(workbook, "_date_formats", ()) or ()),
                              set(getattr(workbook, "_timedelta_formats", ()) or ()),
                              workbook.epoch)
    finally:
        workbook.close()

    def rows() -> Iterator[tuple[int, list]]:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path) as stream:
                yield from parser.rows(stream)
        except (KeyError, zipfile.BadZipFile, zlib.error, EOFError):
            raise _not_xlsx() from None

    return rows()
