"""A lodging's guest-list uploads: the form, the progress, the rejected rows, the template.

Only front-desk users (role "lodging" with a LodgingStaff row) reach these pages, and
they see their own lodging's uploads only: another lodging's upload answers 404.
"""

from __future__ import annotations

import functools

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pora.core import clock
from pora.core.exports import XLSX
from pora.jobs.rejected import rejected_rows_download, shown_rejected_rows
from pora.jobs.services import fail_if_stalled
from pora.lodging import selectors
from pora.lodging.guest_list_rows import (
    COLUMNS,
    REASON_HEADER,
    reason_text,
    reasons,
    template_csv,
    template_position,
    template_xlsx,
)
from pora.lodging.models import GuestListImport
from pora.lodging.selectors import lodging_for_user
from pora.lodging.services.guest_lists import UploadError, guest_list_start


class GuestListForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Guest list (.csv or .xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PORA_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.PORA_MAX_UPLOAD_MB})
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


def _lodging_or_refuse(request):
    """(lodging, None), or (None, the response that sends a visitor to log in).

    Users who do not report for a lodging are refused (403).
    """
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    lodging = lodging_for_user(request.user)
    if lodging is None:
        raise PermissionDenied
    return lodging, None


def _job(lodging, pk: int) -> GuestListImport:
    return selectors.get_upload_of_lodging(lodging, pk)


@require_http_methods(["GET", "POST"])
def upload_list(request):
    lodging, refused = _lodging_or_refuse(request)
    if refused is not None:
        return refused
    form = None
    status = 200
    if lodging.can_report:
        form = GuestListForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = guest_list_start(actor=request.user, lodging=lodging,
                                       filename=upload.name, data=upload.read())
            except UploadError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("lodging:upload_detail", pk=job.pk)
    elif request.method == "POST":
        status = 403
    jobs = selectors.uploads_of(lodging)
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    for job in page:
        fail_if_stalled(job)
    return render(request, "lodging/upload_list.html", {
        "lodging": lodging, "form": form, "page": page, "columns": COLUMNS,
        "max_mb": settings.PORA_MAX_UPLOAD_MB,
    }, status=status)


@require_GET
def upload_detail(request, pk: int):
    lodging, refused = _lodging_or_refuse(request)
    if refused is not None:
        return refused
    job = _job(lodging, pk)
    fail_if_stalled(job)
    english = (get_language() or "id").startswith("en")
    rejected = shown_rejected_rows(job, functools.partial(reasons, english=english))
    context = {"job": job, "rejected": rejected}
    template = "lodging/_upload_progress.html" if request.htmx else "lodging/upload_detail.html"
    return render(request, template, context)


@require_GET
def upload_rejected(request, pk: int):
    """The rejected rows in the file's own columns plus the reasons, to fix and upload."""
    lodging, refused = _lodging_or_refuse(request)
    if refused is not None:
        return refused
    job = _job(lodging, pk)
    english = (get_language() or "id").startswith("en")
    return rejected_rows_download(
        request, job, position=template_position, view="lodging_upload_rejected",
        office=lodging.office_id, reason_header=REASON_HEADER,
        reason=lambda row: reason_text(row.errors, english=english))


@require_GET
def upload_template(request):
    _lodging, refused = _lodging_or_refuse(request)
    if refused is not None:
        return refused
    today = clock.today()
    if request.GET.get("format") == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="templat-daftar-tamu.csv"'
        return response
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="templat-daftar-tamu-{today:%Y%m%d}.xlsx"')
    return response
