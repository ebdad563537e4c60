"""Watchlist pages: the lists, their entries and uploads, the review queue of hits.

Only officers and heads of an office see any of it. Index and management pages refuse
other roles with 403 (that such pages exist is no secret); a given entry or hit answers
404 to whoever may not see it, like the registry's person pages, so that an outsider
learns nothing, not even that a person is listed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pora.core import clock
from pora.core.access import officer_required, personal_data_required
from pora.core.audit import access_record
from pora.core.exports import XLSX, xlsx_response
from pora.core.selectors import audit_trail_of
from pora.jobs.rejected import rejected_rows_download, shown_rejected_rows
from pora.jobs.services import fail_if_stalled
from pora.registry.services.imports import UploadError
from pora.screening import selectors
from pora.screening.engine.readers import watchlist_template_headers
from pora.screening.forms import (
    EntryFilterForm,
    EntryForm,
    ExtendForm,
    HitDecisionForm,
    HitFilterForm,
    UploadForm,
    WatchlistForm,
    WithdrawForm,
)
from pora.screening.models import (
    EntryStatus,
    Hit,
    HitStatus,
    WatchlistEntry,
)
from pora.screening.reasons import reason_text
from pora.screening.services import lists as list_services
from pora.screening.services.imports import watchlist_import_start, watchlist_template
from pora.screening.services.screening import hit_decide, rescreen_start

# Officers and heads; others get 403 (lists and the queue) rather than 404.

ENTRIES_PER_PAGE = 50
HITS_PER_PAGE = 50


# --------------------------------------------------------------------------- access


class _Listed:
    """A watchlist entry as the access log names it (its own number, its main name)."""

    def __init__(self, entry: WatchlistEntry):
        self.pk = entry.pk
        self.label = _("Watchlist") + f": {entry.primary_name}"

    def __str__(self) -> str:
        return self.label


def _log_entries(request, entries, view: str) -> None:
    access_record(request=request, persons=[_Listed(e) for e in entries], view=view)


def _service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# ------------------------------------------------------------------------ watchlists


@officer_required
@require_GET
def watchlist_list(request):
    today = clock.today()
    visible = selectors.visible_watchlists(request.user).select_related("office")
    watchlists = list(selectors.watchlists_with_counts(visible, today))
    return render(request, "screening/watchlist_list.html", {
        "rows": [(w, selectors.can_manage(request.user, w)) for w in watchlists],
        "today": today, "can_create": selectors.may_create_watchlist(request.user)})


@officer_required
@require_http_methods(["GET", "POST"])
def watchlist_create(request):
    if not selectors.may_create_watchlist(request.user):
        raise PermissionDenied
    form = WatchlistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            watchlist = list_services.watchlist_create(
                actor=request.user, office=request.user.office, **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("List “%(name)s” created.") % {"name": watchlist.name})
            return redirect("screening:watchlist_detail", pk=watchlist.pk)
    return render(request, "screening/watchlist_form.html", {"form": form, "watchlist": None},
                  status=400 if form.errors else 200)


@officer_required
@require_http_methods(["GET", "POST"])
def watchlist_edit(request, pk: int):
    watchlist = selectors.get_managed_watchlist(request.user, pk)
    form = WatchlistForm.for_watchlist(watchlist, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            list_services.watchlist_update(actor=request.user, watchlist=watchlist,
                                           **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("List saved."))
            return redirect("screening:watchlist_detail", pk=watchlist.pk)
    return render(request, "screening/watchlist_form.html",
                  {"form": form, "watchlist": watchlist}, status=400 if form.errors else 200)


def _entries(watchlist, form: EntryFilterForm, today):
    q, status = ("", "")
    if form.is_valid():
        q, status = form.cleaned_data["q"], form.cleaned_data["status"]
    return selectors.entries_of(watchlist, q=q, status=status, on=today).order_by("status", "id")


def _watchlist_page(request, watchlist, *, upload_form=None, status=200):
    today = clock.today()
    form = EntryFilterForm(request.GET or None)
    entries = _entries(watchlist, form, today)
    manage = selectors.can_manage(request.user, watchlist)
    if request.GET.get("export") == "xlsx":
        return _export_entries(request, watchlist, entries)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    _log_entries(request, page, "watchlist_entries")
    counts = selectors.watchlists_with_counts(
        selectors.visible_watchlists(request.user).filter(pk=watchlist.pk), today).get()
    rescreen = selectors.rescreens_for_user(request.user).filter(watchlist=watchlist).first()
    if rescreen is not None:
        fail_if_stalled(rescreen)
    imports = selectors.imports_of(watchlist)[:20] if manage else []
    for job in imports:
        fail_if_stalled(job)
    context = {
        "watchlist": watchlist, "form": form, "page": page, "today": today, "manage": manage,
        "counts": counts, "rescreen": rescreen,
        "upload_form": (upload_form or UploadForm()) if manage else None,
        "imports": imports,
        "htmx_target": "#entries",
    }
    template = ("screening/_entries.html" if request.htmx and not upload_form
                else "screening/watchlist_detail.html")
    return render(request, template, context, status=status)


def _export_entries(request, watchlist, entries):
    rows = []
    for start in range(0, 200_000, 2000):
        chunk = list(entries[start:start + 2000])
        if not chunk:
            break
        _log_entries(request, chunk, "watchlist_export")
        rows += [[e.source_id, e.primary_name, "; ".join(e.names[1:]), e.sex,
                  "; ".join(e.birth_dates), "; ".join(e.nationalities),
                  "; ".join(e.documents), e.get_action_display(), e.reason,
                  e.legal_reference, e.valid_from, e.valid_until, e.get_status_display()]
                 for e in chunk]
    return xlsx_response(
        f"pora-daftar-{watchlist.pk}",
        [_("Reference"), _("Name"), _("Aliases"), _("Sex"), _("Dates of birth"),
         _("Nationalities"), _("Documents"), _("Action on a hit"), _("Reason"),
         _("Legal reference"), _("Valid from"), _("Valid until"), _("Status")],
        rows, sheet_title=watchlist.name)


@officer_required
@require_GET
def watchlist_detail(request, pk: int):
    return _watchlist_page(request, selectors.get_watchlist_for_user(request.user, pk))


@officer_required
@require_POST
def watchlist_upload(request, pk: int):
    watchlist = selectors.get_managed_watchlist(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = watchlist_import_start(actor=request.user, watchlist=watchlist,
                                         filename=upload.name, data=upload.read(),
                                         full=form.cleaned_data["full"])
        except UploadError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("screening:import_detail", pk=job.pk)
    return _watchlist_page(request, watchlist, upload_form=form, status=400)


@officer_required
@require_GET
def watchlist_template_download(request):
    if request.GET.get("format") == "csv":
        response = HttpResponse(watchlist_template("csv"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="templat-daftar-pengawasan.csv"'
        return response
    response = HttpResponse(watchlist_template("xlsx"), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-daftar-pengawasan.xlsx"'
    return response


# --------------------------------------------------------------------------- imports


@officer_required
@require_GET
def import_detail(request, pk: int):
    job = selectors.get_import_for_user(request.user, pk)
    fail_if_stalled(job)
    context = {"job": job, "rejected": shown_rejected_rows(job)}
    template = "screening/_import_progress.html" if request.htmx else "screening/import_detail.html"
    return render(request, template, context)


def _template_position(header: str) -> int:
    headers = list(watchlist_template_headers())
    return headers.index(header) if header in headers else len(headers)


@officer_required
@require_GET
def import_rejected(request, pk: int):
    """The rejected rows in the file's own columns plus the reasons, to fix and upload."""
    return rejected_rows_download(request, selectors.get_import_for_user(request.user, pk),
                                  position=_template_position, view="watchlist_import_rejected")


# -------------------------------------------------------------------------- rescreen


@officer_required
@require_POST
def rescreen_create(request, pk: int):
    """Screen the office's foreigners again against this list (after a change in it)."""
    watchlist = selectors.get_watchlist_for_user(request.user, pk)
    job = rescreen_start(office=request.user.office, watchlist=watchlist, actor=request.user,
                         reason=_("Requested on the list page"))
    return redirect("screening:rescreen_detail", pk=job.pk)


@officer_required
@require_GET
def rescreen_detail(request, pk: int):
    job = selectors.get_rescreen_for_user(request.user, pk)
    fail_if_stalled(job)
    template = ("screening/_rescreen_progress.html" if request.htmx
                else "screening/rescreen_detail.html")
    return render(request, template, {"rescreen": job})


# --------------------------------------------------------------------------- entries


@officer_required
@require_http_methods(["GET", "POST"])
def entry_create(request, pk: int):
    watchlist = selectors.get_managed_watchlist(request.user, pk)
    form = EntryForm.for_watchlist(watchlist, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = list_services.entry_save(actor=request.user, watchlist=watchlist,
                                             **_entry_fields(form.cleaned_data))
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Entry saved. The office's foreigners are screened "
                                        "against it now."))
            return redirect("screening:entry_detail", pk=entry.pk)
    return render(request, "screening/entry_form.html",
                  {"form": form, "watchlist": watchlist, "entry": None},
                  status=400 if form.errors else 200)


def _entry_fields(data: dict) -> dict:
    fields = dict(data)
    if not fields.get("photo"):
        fields.pop("photo", None)  # keep the photo on file unless a new one is uploaded
    if not fields.get("source_id"):
        fields.pop("source_id", None)
    return fields


@officer_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk: int):
    entry = selectors.get_managed_entry(request.user, pk)
    form = EntryForm.for_entry(entry, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            list_services.entry_save(actor=request.user, watchlist=entry.watchlist, entry=entry,
                                     **_entry_fields(form.cleaned_data))
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Entry saved."))
            return redirect("screening:entry_detail", pk=entry.pk)
    _log_entries(request, [entry], "watchlist_entry")
    return render(request, "screening/entry_form.html",
                  {"form": form, "watchlist": entry.watchlist, "entry": entry},
                  status=400 if form.errors else 200)


def _entry_page(request, entry, *, extend_form=None, withdraw_form=None, status=200):
    manage = selectors.can_manage(request.user, entry.watchlist)
    hits = (entry.hits.filter(office_id=request.user.office_id)
            .select_related("person").order_by("-last_seen"))
    _log_entries(request, [entry], "watchlist_entry")
    active = entry.status == EntryStatus.ACTIVE
    return render(request, "screening/entry_detail.html", {
        "entry": entry, "watchlist": entry.watchlist, "manage": manage, "hits": hits,
        "history": entry.validity_history.select_related("recorded_by"),
        "today": clock.today(), "valid_today": entry.is_valid_on(clock.today()),
        "extend_form": (extend_form or ExtendForm()) if manage and active else None,
        "withdraw_form": (withdraw_form or WithdrawForm()) if manage and active else None,
    }, status=status)


@personal_data_required
@require_GET
def entry_detail(request, pk: int):
    return _entry_page(request, selectors.get_entry_for_user(request.user, pk))


@personal_data_required
@require_GET
def entry_photo(request, pk: int):
    """The listed person's photo, served only to those who may see the entry, and logged."""
    entry = selectors.get_entry_for_user(request.user, pk)
    if not entry.photo:
        raise Http404
    _log_entries(request, [entry], "watchlist_entry_photo")
    response = FileResponse(entry.photo.open("rb"))
    response["Cache-Control"] = "private, no-store"
    return response


@officer_required
@require_POST
def entry_extend(request, pk: int):
    entry = selectors.get_managed_entry(request.user, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            list_services.entry_extend(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Validity extended."))
            return redirect("screening:entry_detail", pk=entry.pk)
    return _entry_page(request, entry, extend_form=form, status=400)


@officer_required
@require_POST
def entry_withdraw(request, pk: int):
    entry = selectors.get_managed_entry(request.user, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            list_services.entry_withdraw(actor=request.user, entry=entry,
                                         note=form.cleaned_data["note"])
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Entry withdrawn: it no longer screens anyone."))
            return redirect("screening:entry_detail", pk=entry.pk)
    return _entry_page(request, entry, withdraw_form=form, status=400)


# ------------------------------------------------------------------------------ hits


@officer_required
@require_GET
def hit_list(request):
    form = HitFilterForm(request.GET or None)
    filters = form.filters()
    hits = selectors.hits_queue(request.user, **filters)
    if request.GET.get("export") == "xlsx":
        return _export_hits(request, hits)
    page = Paginator(hits, HITS_PER_PAGE).get_page(request.GET.get("page"))
    access_record(request=request, persons=[h.person for h in page], view="screening_hits")
    template = "screening/_hits.html" if request.htmx else "screening/hit_list.html"
    return render(request, template, {"form": form, "page": page, "filters": filters,
                                      "htmx_target": "#hits",
                                      "heading": _hit_list_heading(filters["status"])})


def _hit_list_heading(status: str | None) -> str:
    """The heading says which hits are listed: only the queue's default is 'to review'."""
    if status == HitStatus.NEW:
        return _("Watchlist hits to review")
    if status is None:
        return _("All watchlist hits")
    return _("Watchlist hits: %(status)s") % {"status": HitStatus(status).label}


def _export_hits(request, hits):
    hits = list(hits[:20_000])
    access_record(request=request, persons=[h.person for h in hits], view="screening_hits_export")
    return xlsx_response(
        "pora-temuan-pengawasan",
        [_("Last seen"), _("Status"), _("Score"), _("Foreigner"), _("Nationality"),
         _("Watchlist"), _("Kind"), _("Listed name"), _("Action on a hit"), _("Found by"),
         _("Times seen")],
        [[h.last_seen, h.get_status_display(), h.score, h.person.full_name,
          h.person.nationality, h.entry.watchlist.name, h.entry.watchlist.get_kind_display(),
          h.entry.primary_name, h.entry.get_action_display(), h.get_trigger_display(),
          h.times_seen] for h in hits],
        sheet_title=_("Watchlist hits"))


def _decisions(hit: Hit) -> list[dict]:
    """The hit's history from the audit trail: raised, decided, decided anew."""
    labels = dict(HitStatus.choices)
    rows = []
    for row in audit_trail_of(hit):
        status = row.changes.get("status")
        before, after = status if isinstance(status, list) and len(status) == 2 else (None, None)
        note = row.changes.get("note")
        rows.append({
            # No actor: screening ran by itself (a check-in, a rescreen, the nightly run).
            "at": row.at, "actor": row.actor_label if row.actor_id else _("PORA (automatic)"),
            "event": row.get_event_display(),
            "before": labels.get(before, before), "after": labels.get(after, after),
            "note": row.note or (note[1] if isinstance(note, list) and len(note) == 2 else ""),
        })
    return rows


def _reasons(hit: Hit) -> list[tuple[str, int | None]]:
    """Each stored reason as a sentence in the reader's language, with its points."""
    return [(reason_text(reason), reason.get("points")) for reason in hit.reasons]


def _hit_page(request, hit, *, form=None, status=200):
    access_record(request=request, persons=[hit.person], view="screening_hit")
    _log_entries(request, [hit.entry], "watchlist_entry")
    person = hit.person
    return render(request, "screening/hit_detail.html", {
        "hit": hit, "person": person, "entry": hit.entry,
        "documents": person.documents.all(), "reasons": _reasons(hit),
        "form": form or HitDecisionForm(hit=hit, initial={
            "status": hit.status if hit.status != HitStatus.NEW else None}),
        "history": _decisions(hit), "stay_id": (hit.context or {}).get("stay"),
        "valid_today": hit.entry.is_valid_on(clock.today()),
    }, status=status)


def _refused_key(pk: int) -> str:
    return f"pora:hit_decision_refused:{pk}"


@personal_data_required
@require_GET
def hit_detail(request, pk: int):
    hit = selectors.get_hit_for_user(request.user, pk)
    refused = request.session.pop(_refused_key(hit.pk), None)
    if refused is None:
        return _hit_page(request, hit)
    # A refused decision came back here by redirect (a reload must not send it again):
    # the form shows what the officer chose and wrote, with the reasons it was refused.
    form = HitDecisionForm(refused["data"], hit=hit)
    form.is_valid()
    for field, errors in refused["errors"].items():
        name = field if field in form.fields else None
        for error in errors:
            if error not in form.errors.get(field if name else "__all__", []):
                form.add_error(name, error)
    return _hit_page(request, hit, form=form)


@officer_required
@require_POST
def hit_decision(request, pk: int):
    hit = selectors.get_hit_for_user(request.user, pk)
    form = HitDecisionForm(request.POST, hit=hit)
    if form.is_valid():
        try:
            hit = hit_decide(actor=request.user, hit=hit, status=form.cleaned_data["status"],
                             note=form.cleaned_data["note"].strip())
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Decision saved: %(status)s.") % {
                "status": hit.get_status_display()})
            return redirect("screening:hit_detail", pk=hit.pk)
    request.session[_refused_key(hit.pk)] = {
        "data": {"status": request.POST.get("status", "")[:40],
                 "note": request.POST.get("note", "")[:2000]},
        "errors": {field: [str(e) for e in errors] for field, errors in form.errors.items()},
    }
    messages.error(request, _("The decision was not saved."))
    return redirect("screening:hit_detail", pk=hit.pk)
