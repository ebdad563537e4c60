"""Excel downloads of any list a user can see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from pora.core.cells import csv_cell, formula_like

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence],
                  *, sheet_title: str = "Data", caption: str = "",
                  total: Sequence | None = None) -> HttpResponse:
    """``caption`` (e.g. what the figures are and as of when) goes above the headers, so the
    sheet says it once printed or forwarded; ``total`` is a bold last row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    bold = Font(bold=True)
    if caption:
        cell = WriteOnlyCell(sheet, value=caption)
        cell.font = bold
        sheet.append([cell])
        sheet.append([])
    header_cells = []
    for header in headers:
        cell = _text_cell(sheet, str(header))  # an uploaded file's own headers are kept
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
    if total is not None:
        cells = [_cell(sheet, v) for v in total]
        for index, value in enumerate(cells):
            if not hasattr(value, "font"):
                cells[index] = WriteOnlyCell(sheet, value=value)
            cells[index].font = bold
        sheet.append(cells)
    response = HttpResponse(content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    workbook.save(response)
    return response


class _Line:
    """A file-like that hands back what the CSV writer writes: one line at a time."""

    def write(self, text: str) -> str:
        return text


def csv_stream_response(filename: str, headers: Sequence[str],
                        rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A CSV download written while it is read: any number of rows at flat memory.
    Formula-like text is neutralised (``pora.core.cells``); times are local."""
    import csv

    from django.utils.http import content_disposition_header

    writer = csv.writer(_Line())

    def lines():
        yield "\ufeff" + writer.writerow([csv_cell(str(h)) for h in headers])
        for row in rows:
            yield writer.writerow([_csv_value(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{filename}-{stamp}.csv")
    return response


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return csv_cell(value if isinstance(value, str | int | float) else str(value))


def _text_cell(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    if formula_like(text):
        # Text from uploads must never become a live formula in the officer's Excel.
        cell.data_type = "s"
    return cell


def _cell(sheet, value):
    if value is None:
        return ""
    if formula_like(value):
        return _text_cell(sheet, value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, str | int | float | dt.date):
        return value
    return str(value)


def rejected_rows_response(rows, *, filename: str, position, reason_header: str, reason,
                           as_xlsx: bool, sheet_title: str) -> HttpResponse:
    """An import's rejected rows in the file's own columns plus the reasons, to fix and upload.

    ``rows`` carry ``values`` (header → cell as uploaded); ``position`` orders headers as
    the template does (PostgreSQL's jsonb does not keep key order; extra columns last);
    ``reason(row)`` is the text of the reason column.
    """
    import csv
    import io

    from django.utils.http import content_disposition_header

    headers: list[str] = []
    for row in rows:
        for header in row.values:
            if header not in headers:
                headers.append(header)
    headers.sort(key=position)
    data = [[*(row.values.get(h, "") for h in headers), reason(row)] for row in rows]
    stem = filename.rsplit(".", 1)[0]
    if as_xlsx:
        return xlsx_response(f"{stem}-ditolak"[:80], [*headers, reason_header], data,
                             sheet_title=sheet_title)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # A CSV cell has no type: formula-like text is written behind an apostrophe.
    writer.writerow([csv_cell(h) for h in [*headers, reason_header]])
    writer.writerows([csv_cell(v) for v in row] for row in data)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}-ditolak.csv")
    return response
