"""Excel downloads of any list a user can see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from pora.core.audit import access_record
from pora.core.cells import csv_cell, formula_like

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence],
                  *, sheet_title: str = "Data") -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = _text_cell(sheet, str(header))  # an uploaded file's own headers are kept
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
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


def field_reasons(row) -> str:
    """A rejected row's problems as one cell: ``"field: message; field: message"``."""
    return "; ".join(f"{e['field']}: {e['message']}" for e in row.errors)


# Rejected rows listed on an import's page; the download has them all.
REJECTED_SHOWN = 200


def _field_messages(errors: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(e["field"], e["message"]) for e in errors]


def shown_rejected_rows(job, reasons: Callable[[list[dict]], list[tuple[str, str]]]
                        = _field_messages) -> list[tuple[int, list[tuple[str, str]]]]:
    """The first :data:`REJECTED_SHOWN` rejected rows of a finished job, as the progress
    fragment (``core/_upload_progress.html``) lists them: (row number, ``reasons`` of its
    errors: [(field, message), …])."""
    if not job.is_finished or not job.rejected_count:
        return []
    return [(row.row_number, reasons(row.errors))
            for row in job.rejected_rows.all()[:REJECTED_SHOWN]]


class RejectedRowsLabel:
    """An import's rejected rows as the access log names them (the import's number)."""

    def __init__(self, job) -> None:
        self.pk = job.pk
        self.label = f"{job.filename} ({job.rejected_count})"

    def __str__(self) -> str:
        return self.label


def job_rejected_rows(request, job, *, position, view: str, office: int | None = None,
                      reason_header: str = "alasan_penolakan",
                      reason: Callable = field_reasons) -> HttpResponse:
    """An upload job's rejected rows, as CSV or (``?format=xlsx``) XLSX, with ``reason(row)``
    in the ``reason_header`` column, ready to fix and upload again. The rows are the
    file's own (names, passports): the download is logged as ``view``, for ``office``
    (by default the user's)."""
    access_record(request=request, persons=[RejectedRowsLabel(job)], view=view, office=office)
    return rejected_rows_response(
        list(job.rejected_rows.all()), filename=job.filename, position=position,
        reason_header=reason_header, reason=reason,
        as_xlsx=request.GET.get("format") == "xlsx", sheet_title=_("Rejected rows"))
