from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pora.core.access import (
    admin_required,
    aggregates_required,
    personal_data_required,
    registry_write_required,
)
from pora.core.audit import access_record
from pora.core.countries import country_name
from pora.core.exports import xlsx_response
from pora.core.selectors import default_as_of, get_office_for_user
from pora.jobs.rejected import rejected_rows_download, shown_rejected_rows
from pora.jobs.services import fail_if_stalled
from pora.registry import selectors, services
from pora.registry.forms import (
    AsOfForm,
    ChangeReportForm,
    DepartureForm,
    PhotoForm,
    RuleSetForm,
    SearchForm,
    UploadForm,
    VisaIndexFilterForm,
    VisaIndexForm,
    parse_as_of,
)
from pora.registry.importing import COLUMNS, template_position
from pora.registry.models import PermitKind
from pora.registry.rules import permit_standing, person_standing
from pora.registry.services.imports import UploadError, permit_import_start

# ------------------------------------------------------------------------ dashboard


@aggregates_required
@require_GET
def dashboard(request):
    office = get_office_for_user(request.user)
    on, date_problem = parse_as_of(request.GET.get("on"), default_as_of())
    headline = selectors.headline_as_of(office, on)
    context = {"headline": headline, "form": AsOfForm(initial={"on": on}), "on": on,
               "date_problem": date_problem,
               "kinds": PermitKind.values}
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"pora-ringkasan-{on:%Y%m%d}",
            [_("Kecamatan"), "ITAS", "ITAP", "ITK", _("Total"), _("Expiring"), _("Overstaying")],
            [[row["area"].name if row["area"] else _("No address in jurisdiction"),
              row["ITAS"], row["ITAP"], row["ITK"], row["total"], row["expiring"],
              row["overstay"]] for row in headline.rows],
            sheet_title=_("Summary"),
            caption=_("Foreigners present in the jurisdiction of %(office)s as of %(date)s") % {
                "office": headline.office, "date": date_format(on, "j F Y")},
            total=[_("Total"), headline.by_kind.get("ITAS", 0), headline.by_kind.get("ITAP", 0),
                   headline.by_kind.get("ITK", 0), headline.total, headline.expiring,
                   headline.overstay],
        )
    template = "registry/_headline.html" if request.htmx else "registry/dashboard.html"
    return render(request, template, context)


# --------------------------------------------------------------------------- persons


def _search(request):
    data = request.GET.copy()
    date_problem = ""
    if data.get("on"):
        # A bad date does not void the other filters: the search runs on the date shown.
        on, date_problem = parse_as_of(data["on"], default_as_of())
        data["on"] = on.isoformat()
    form = SearchForm(data if request.GET else None, office=request.user.office)
    filters = selectors.SearchFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.SearchFilters(
            q=data["q"] or "", nationality=data["nationality"] or "", kind=data["kind"] or "",
            standing=data["standing"] or "",
            kelurahan=data["kelurahan"].pk if data["kelurahan"] else None,
            sponsor=data["sponsor"], on=data["on"],
        )
    result, scores = selectors.person_search(request.user, filters)
    return form, filters, result, scores, date_problem


@personal_data_required
@require_GET
def person_list(request):
    form, filters, result, scores, date_problem = _search(request)
    on = filters.on or default_as_of()
    if request.GET.get("export") == "xlsx":
        return _export_persons(request, result, on)
    page = Paginator(result, 25).get_page(request.GET.get("page"))
    ids = list(page.object_list) if isinstance(result, list) else [p.pk for p in page.object_list]
    persons = selectors.persons_by_ids(ids)
    assessments = selectors.assess_persons(persons, on)
    access_record(request=request, persons=persons, view="person_list")
    context = {
        "form": form, "page": page, "on": on, "date_problem": date_problem,
        "rows": [(p, assessments[p.pk], scores.get(p.pk)) for p in persons],
        "searched": bool(request.GET),
    }
    template = "registry/_person_results.html" if request.htmx else "registry/person_list.html"
    return render(request, template, context)


# Persons read per query while an export is built.
EXPORT_CHUNK = 2000


class _Exported:
    """A person as the access log records it, without the loaded permits."""

    def __init__(self, person) -> None:
        self.pk, self.label = person.pk, str(person)

    def __str__(self) -> str:
        return self.label


def _export_persons(request, result, on):
    ids = result if isinstance(result, list) else list(result.values_list("id", flat=True)[:200_000])
    rows, exported = [], []
    for start in range(0, len(ids), EXPORT_CHUNK):
        persons = selectors.persons_by_ids(ids[start:start + EXPORT_CHUNK])
        exported.extend(_Exported(p) for p in persons)
        assessments = selectors.assess_persons(persons, on)
        for person in persons:
            permit = max(person.permits.all(), key=lambda p: p.valid_from, default=None)
            assessment = assessments[person.pk]
            rows.append([
                person.surname, person.given_names, person.get_sex_display(),
                person.birth_date_display, person.nationality, country_name(person.nationality),
                permit.number if permit else "", permit.kind if permit else "",
                permit.valid_until if permit else None,
                assessment.label if assessment else "",
                assessment.overstay_days if assessment else "",
                person.kelurahan.name if person.kelurahan else "", person.street,
                permit.sponsor.name if permit and permit.sponsor else "",
            ])
    # One row per person exported (UU PDP Pasal 31), written in one statement.
    access_record(request=request, persons=exported, view="person_export")
    return xlsx_response(
        f"pora-orang-asing-{on:%Y%m%d}",
        [_("Surname"), _("Given names"), _("Sex"), _("Date of birth"), _("Nationality code"),
         _("Nationality"), _("Permit number"), _("Permit"), _("Valid until"), _("Status"),
         _("Days overstayed"), _("Kelurahan"), _("Address"), _("Sponsor")],
        rows, sheet_title=_("Foreigners"),
    )


def _person_page(request, person, *, change_form=None, status=200):
    """The person page, shown after a GET or a refused change report alike."""
    on, date_problem = parse_as_of(request.GET.get("on"), default_as_of())
    rules = selectors.rules_on(on)
    permits = list(person.permits.select_related("visa_index", "sponsor", "kelurahan"))
    writer = request.user.can_write_registry
    access_record(request=request, persons=[person], view="person_detail")
    return render(request, "registry/person_detail.html", {
        "person": person, "on": on, "date_problem": date_problem,
        "standing": person_standing(permits, on, rules),
        "permits": [(p, permit_standing(p, on, rules)) for p in permits],
        "documents": person.documents.all(),
        "timeline": selectors.person_timeline(person),
        "reports": selectors.change_reports_for(person),
        "watchlist_hits": person.watchlist_hits.select_related("entry__watchlist"),
        "change_form": change_form or (ChangeReportForm(user=request.user) if writer else None),
        "departure_form": DepartureForm() if writer else None,
        "photo_form": PhotoForm() if writer else None,
    }, status=status)


@registry_write_required
@require_POST
def person_photo_upload(request, pk: int):
    person = selectors.get_person_for_user(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.person_update(actor=request.user, person=person,
                               photo=form.cleaned_data["photo"])
        messages.success(request, _("Photo saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("registry:person_detail", pk=person.pk)


@personal_data_required
@require_GET
def person_photo(request, pk: int):
    """The photo, served only to those who may see the person, and logged like the page."""
    person = selectors.get_person_for_user(request.user, pk)
    if not person.photo:
        raise Http404
    access_record(request=request, persons=[person], view="person_photo")
    response = FileResponse(person.photo.open("rb"))
    response["Cache-Control"] = "private, no-store"
    return response


@personal_data_required
@require_GET
def person_detail(request, pk: int):
    return _person_page(request, selectors.get_person_for_user(request.user, pk))


@registry_write_required
@require_POST
def change_report_create(request, pk: int):
    person = selectors.get_person_for_user(request.user, pk)
    form = ChangeReportForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            report = services.change_report_create(actor=request.user, person=person,
                                                   **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if report.days_late:
                messages.warning(request, _("Change recorded. It was reported %(days)s days "
                                            "after the deadline (Pasal 71).")
                                 % {"days": report.days_late})
            else:
                messages.success(request, _("Change recorded."))
            return redirect("registry:person_detail", pk=person.pk)
    return _person_page(request, person, change_form=form, status=400)


@registry_write_required
@require_POST
def permit_departure(request, pk: int):
    """Record that the holder left Indonesia: the permit stops counting them as present."""
    permit = selectors.get_permit_for_user(request.user, pk)
    form = DepartureForm(request.POST)
    if form.is_valid():
        try:
            services.permit_record_departure(actor=request.user, permit=permit,
                                             departed_on=form.cleaned_data["departed_on"])
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(request, _("Departure recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("registry:person_detail", pk=permit.person_id)


# -------------------------------------------------------------------------- sponsors


@personal_data_required
@require_GET
def sponsor_list(request):
    q = request.GET.get("q", "").strip()
    sponsors = selectors.sponsor_rows(request.user, q=q, on=default_as_of())
    if request.GET.get("export") == "xlsx":
        return xlsx_response("pora-penjamin", [_("Sponsor"), _("Kind"), _("Contact"), _("Phone"),
                                                _("Foreigners present"), _("Overstaying")],
                             [[s.name, s.get_kind_display(), s.contact_name, s.phone, s.present,
                               s.overstay] for s in sponsors], sheet_title=_("Sponsors"))
    page = Paginator(sponsors, 25).get_page(request.GET.get("page"))
    template = "registry/_sponsor_results.html" if request.htmx else "registry/sponsor_list.html"
    return render(request, template, {"page": page, "q": q})


@personal_data_required
@require_GET
def sponsor_detail(request, pk: int):
    sponsor = selectors.get_sponsor_for_user(request.user, pk)
    on, date_problem = parse_as_of(request.GET.get("on"), default_as_of())
    persons = selectors.sponsor_persons(request.user, sponsor, on)
    assessments = selectors.assess_persons(persons, on)
    access_record(request=request, persons=persons, view="sponsor_detail")
    counts = selectors.standing_counts(assessments)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "pora-penjamin-orang-asing",
            [_("Surname"), _("Given names"), _("Nationality"), _("Status"), _("Days overstayed")],
            [[p.surname, p.given_names, p.nationality,
              assessments[p.pk].label if assessments[p.pk] else "",
              assessments[p.pk].overstay_days if assessments[p.pk] else ""] for p in persons],
            sheet_title=_("Foreigners"),
        )
    return render(request, "registry/sponsor_detail.html", {
        "sponsor": sponsor, "on": on, "counts": counts, "date_problem": date_problem,
        "rows": [(p, assessments[p.pk]) for p in persons],
    })


# --------------------------------------------------------------------------- imports


@registry_write_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = permit_import_start(actor=request.user, filename=upload.name,
                                      data=upload.read())
        except UploadError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("registry:import_detail", pk=job.pk)
    jobs = selectors.imports_for_user(request.user).select_related("created_by")
    if request.GET.get("export") == "xlsx":
        return xlsx_response("pora-impor", [_("File"), _("Uploaded"), _("By"), _("Status"),
                                            _("Rows"), _("Created"), _("Updated"), _("Unchanged"),
                                            _("Rejected")],
                             [[j.filename, j.created_at, j.created_by.username,
                               j.get_status_display(), j.total_rows, j.created_count,
                               j.updated_count, j.unchanged_count, j.rejected_count]
                              for j in jobs[:5000]], sheet_title=_("Imports"))
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    for job in page:
        fail_if_stalled(job)
    return render(request, "registry/import_list.html", {"form": form, "page": page,
                                                         "columns": COLUMNS})


@registry_write_required
@require_GET
def import_detail(request, pk: int):
    job = selectors.get_import_for_user(request.user, pk)
    fail_if_stalled(job)
    context = {"job": job, "rejected": shown_rejected_rows(job)}
    template = "registry/_import_progress.html" if request.htmx else "registry/import_detail.html"
    return render(request, template, context)


@registry_write_required
@require_GET
def import_rejected(request, pk: int):
    """The rejected rows in the file's own columns plus the reasons, to fix and upload."""
    return rejected_rows_download(request, selectors.get_import_for_user(request.user, pk),
                                  position=template_position, view="permit_import_rejected")


@registry_write_required
@require_GET
def import_template(request):
    example = {
        "number": "2C11AB0012345", "kind": "ITAS", "visa_index": "E23", "purpose": "kerja",
        "issue_date": "2024-01-10", "valid_from": "2024-01-15", "valid_until": "2025-01-14",
        "status": "aktif", "surname": "WANG", "given_names": "XIAOMING", "sex": "L",
        "birth_date": "1985-03-21", "nationality": "CHN", "passport_number": "EA1234567",
        "passport_state": "CHN", "passport_expiry": "2031-05-01", "kelurahan": "Pluit",
        "street": "Jl. Pluit Karang Ayu No. 5", "sponsor_name": "PT Samudra Logistik Nusantara",
        "sponsor_kind": "perusahaan", "sponsor_contact": "Budi Santoso",
        "sponsor_phone": "021-6601234", "employer": "PT Samudra Logistik Nusantara",
    }
    headers = [c.header for c in COLUMNS]
    row = [example.get(c.key, "") for c in COLUMNS]
    if request.GET.get("format") == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerow(row)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="templat-izin-tinggal.csv"'
        return response
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "izin_tinggal"
    sheet.append(headers)
    sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = workbook.create_sheet(_("Instructions")[:31])
    guide.append([_("Column"), _("Required"), _("Meaning")])
    for column in COLUMNS:
        guide.append([column.header, _("yes") if column.required else _("no"), str(column.help)])
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="templat-izin-tinggal.xlsx"'
    workbook.save(response)
    return response


# ------------------------------------------------------------------- reference data
# The administrator keeps the registry's reference tables here: visa index codes and the
# rule sets of the status engine (core keeps offices and agencies).


def _visa_index_values(data: dict) -> dict:
    return {k: data[k] for k in ("description", "description_en", "permit_kind", "valid_from",
                                 "valid_until", "replaces", "source")}


@admin_required
@require_http_methods(["GET", "POST"])
def visa_index_list(request):
    schemes = selectors.visa_index_schemes()
    filters = VisaIndexFilterForm(request.GET or None, schemes=schemes)
    shown = filters.cleaned_data if filters.is_valid() else {}
    codes = selectors.visa_index_list(q=shown.get("q", ""), scheme=shown.get("scheme", ""),
                                      status=shown.get("status", ""))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "pora-indeks-visa",
            [_("Code"), _("Scheme"), _("Permit kind"), _("Purpose (Indonesian)"),
             _("Purpose (English)"), _("In use from"), _("In use until"), _("Replaces codes"),
             _("Source"), _("Active")],
            ([v.code, v.scheme, v.permit_kind, v.description, v.description_en, v.valid_from,
              v.valid_until, v.replaces, v.source, _("yes") if v.is_active else _("no")]
             for v in codes), sheet_title=_("Visa index codes"))
    form = VisaIndexForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visa = services.visa_index_create(actor=request.user, code=data["code"],
                                              scheme=data["scheme"], **_visa_index_values(data))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Code %(code)s added.") % {"code": visa.code})
            return redirect("registry:visa_index_detail", pk=visa.pk)
    page = Paginator(codes, 50).get_page(request.GET.get("page"))
    return render(request, "registry/visa_index_list.html",
                  {"page": page, "filters": filters, "form": form})


@admin_required
@require_http_methods(["GET", "POST"])
def visa_index_detail(request, pk: int):
    visa = selectors.get_visa_index(pk)
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    if action in {"deactivate", "activate"}:
        services.visa_index_set_active(actor=request.user, visa=visa,
                                       active=action == "activate")
        text = (_("Code %(code)s activated.") if action == "activate"
                else _("Code %(code)s deactivated: imports now refuse it, permits keep it."))
        messages.success(request, text % {"code": visa.code})
        return redirect("registry:visa_index_detail", pk=visa.pk)
    if action == "delete":
        try:
            services.visa_index_delete(actor=request.user, visa=visa)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("registry:visa_index_detail", pk=visa.pk)
        messages.success(request, _("Code %(code)s deleted.") % {"code": visa.code})
        return redirect("registry:visa_index_list")
    initial = {"code": visa.code, "scheme": visa.scheme, **{
        k: getattr(visa, k) for k in ("description", "description_en", "permit_kind",
                                      "valid_from", "valid_until", "replaces", "source")}}
    form = VisaIndexForm(request.POST if action == "save" else None, initial=initial,
                         instance=visa)
    if action == "save" and form.is_valid():
        try:
            services.visa_index_update(actor=request.user, visa=visa,
                                       **_visa_index_values(form.cleaned_data))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("registry:visa_index_detail", pk=visa.pk)
    in_use = services.visa_index_in_use(visa)
    return render(request, "registry/visa_index_detail.html",
                  {"visa": visa, "form": form, "in_use": in_use})


@admin_required
@require_http_methods(["GET", "POST"])
def rule_set_list(request):
    form = RuleSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rules = services.rule_set_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Rule set in force from %(date)s added.")
                             % {"date": rules.valid_from.strftime("%d-%m-%Y")})
            return redirect("registry:rule_set_list")
    return render(request, "registry/rule_set_list.html",
                  {"rule_sets": selectors.rule_sets(), "form": form})
