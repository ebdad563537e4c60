"""Hostile upload files built in the test, a few kilobytes each: spreadsheets that declare
far more than they hold, and gzip files that unpack far beyond the cap."""

from __future__ import annotations

import io
import zipfile
import zlib
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(reference: str, value: object) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row_xml(number: int, values: list, *, extra: str = "") -> str:
    cells = "".join(cell(f"{column_letters(i)}{number}", v)
                    for i, v in enumerate(values, start=1) if v not in (None, ""))
    return f'<row r="{number}">{cells}{extra}</row>'


def workbook(sheet_data: str, *, dimension: str | None = None,
             sheet_size: int | None = None) -> bytes:
    """An .xlsx whose first sheet holds ``sheet_data`` (the ``<row>`` elements).

    ``sheet_size`` declares the sheet part that many bytes long in the zip's directory
    (a lie the zip format allows; the reader must not trust it beyond its cap)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'{dim}<sheetData>{sheet_data}</sheetData></worksheet>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def table_workbook(headers: list[str], rows: list[list], *, dimension: str | None = None,
                   last_row_at: int | None = None) -> bytes:
    """Headers and rows as a sheet; ``last_row_at`` moves the last row to that number."""
    xml = [row_xml(1, headers)]
    for number, values in enumerate(rows, start=2):
        if last_row_at and number == len(rows) + 1:
            number = last_row_at
        xml.append(row_xml(number, values))
    return workbook("".join(xml), dimension=dimension)


def gzip_bomb(unpacked_bytes: int, line: bytes = b" " * 1023 + b"\n") -> bytes:
    """A gzip file of ``unpacked_bytes`` (made of ``line`` repeated), compressed as it is
    built so the test never holds it unpacked."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = line * (1024 * 1024 // len(line))
    parts = []
    written = 0
    while written < unpacked_bytes:
        parts.append(packer.compress(block))
        written += len(block)
    parts.append(packer.flush())
    return b"".join(parts)
