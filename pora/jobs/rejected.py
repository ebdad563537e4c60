"""An upload job's rejected rows: listed on its page, downloaded to fix and upload again.

One view for every area's imports: the area's own view finds the job with its own access
check (an office's permit imports, a lodging's guest lists, the watchlist imports an
officer may see), then answers with :func:`rejected_rows_download`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from pora.core.audit import access_record
from pora.core.exports import rejected_rows_response

# Rejected rows listed on an import's page; the download has them all.
REJECTED_SHOWN = 200


def field_reasons(row) -> str:
    """A rejected row's problems as one cell: ``"field: message; field: message"``."""
    return "; ".join(f"{e['field']}: {e['message']}" for e in row.errors)


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


def rejected_rows_download(request, job, *, position, view: str, office: int | None = None,
                           reason_header: str = "alasan_penolakan",
                           reason: Callable = field_reasons) -> HttpResponse:
    """An upload job's rejected rows, as CSV or (``?format=xlsx``) XLSX, with ``reason(row)``
    in the ``reason_header`` column, ready to fix and upload again. The rows are the
    file's own (names, passports): the download is logged as ``view``, for ``office``
    (by default the user's). ``job`` has passed its area's access check."""
    access_record(request=request, persons=[RejectedRowsLabel(job)], view=view, office=office)
    return rejected_rows_response(
        list(job.rejected_rows.all()), filename=job.filename, position=position,
        reason_header=reason_header, reason=reason,
        as_xlsx=request.GET.get("format") == "xlsx", sheet_title=_("Rejected rows"))
