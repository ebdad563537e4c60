from __future__ import annotations

import itertools

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from pora.core import clock, logs, selectors, services
from pora.core.access import admin_required, authenticated_required, head_required
from pora.core.audit import client_ip
from pora.core.exports import csv_stream_response, xlsx_response
from pora.core.forms import (
    AgencyForm,
    NewPasswordForm,
    OfficeForm,
    OwnPasswordChangeForm,
    PasswordResetRequestForm,
    UserForm,
    WorkingDayOverrideForm,
)
from pora.core.models import (
    AuditLog,
    Role,
)
from pora.core.passwords import reset_request_allowed


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


# ------------------------------------------------------------------ own password


@authenticated_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = OwnPasswordChangeForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = services.password_change(user=request.user,
                                        password=form.cleaned_data["new_password1"],
                                        ip=client_ip(request))
        # This session goes on; the user's other sessions end (their password hash is old).
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed. Your other sessions "
                                    "have been logged out."))
        return redirect("core:account")
    return render(request, "core/password_change.html", {"form": form})


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not reset_request_allowed(email=email, ip=client_ip(request)):
            form.add_error(None, _("Too many requests for a new password. Try again in an "
                                   "hour, or ask your administrator."))
            return render(request, "core/password_reset.html", {"form": form}, status=429)
        services.password_reset_request(email=email, base_url=request.build_absolute_uri("/"),
                                        ip=client_ip(request))
        return redirect("core:password_reset_sent")
    return render(request, "core/password_reset.html", {"form": form})


def password_reset_sent(request):
    return render(request, "core/password_reset_sent.html",
                  {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the email: Django's view checks the link and hides the token from the
    address bar; the new password is set by ``services.password_reset_complete``, which
    checks the token again with the account locked."""

    template_name = "core/password_reset_confirm.html"
    form_class = NewPasswordForm
    reset_url_token = "baru"
    success_url = reverse_lazy("core:password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # Someone logged in as another account is not in this account's reset.
        if (user is not None and self.request.user.is_authenticated
                and self.request.user.pk != user.pk):
            return None
        return user

    def form_valid(self, form):
        token = self.request.session.get(auth_views.INTERNAL_RESET_SESSION_TOKEN, "")
        try:
            services.password_reset_complete(user=self.user, token=token,
                                             password=form.cleaned_data["new_password1"],
                                             ip=client_ip(self.request))
        except services.ResetLinkInvalid:
            self.validlink = False
            return self.render_to_response(self.get_context_data(form=None))
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.success_url)


def password_reset_complete(request):
    return render(request, "core/password_reset_complete.html")


def home(request):
    if not request.user.is_authenticated:
        return redirect("core:login")
    if request.user.can_see_aggregates:
        return redirect("registry:dashboard")
    if request.user.role == Role.ADMIN:
        return redirect("core:user_list")
    if request.user.role == Role.LODGING:
        return redirect("lodging:home")
    return redirect("core:account")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )


@authenticated_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    if request.user.is_verified() or not user_has_device(request.user, confirmed=True):
        return redirect("core:home")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                   require_https=request.is_secure()):
                target = "core:home"
            return redirect(target or "core:home")
        form.add_error("token", _("The code is wrong or has expired. Try the current code."))
    return render(request, "core/otp.html", {"form": form})


@authenticated_required
@require_http_methods(["GET", "POST"])
def account(request):
    user = request.user
    device, pending = selectors.second_factor_devices(user)
    confirmed = device is not None
    form = TokenForm(request.POST if request.POST.get("action") == "confirm" else None)
    token_form, raw_token = None, ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start" and not confirmed:
            services.totp_device_start(user=user)
            return redirect("core:account")
        if action == "confirm" and pending is not None and form.is_valid():
            if services.totp_device_confirm(user=user, token=form.cleaned_data["token"]):
                otp_login(request, selectors.second_factor_devices(user)[0])
                messages.success(request, _("Two-step sign-in is now on."))
                return redirect("core:account")
            form.add_error("token", _("The code is wrong or has expired. Try the current code."))
        if action == "remove" and confirmed:
            services.totp_device_remove(user=user)
            messages.success(request, _("Two-step sign-in is now off."))
            return redirect("core:account")
        if action == "token_revoke" and services.may_hold_token(user):
            token = selectors.get_own_token(user, request.POST.get("token", ""))
            services.user_token_revoke(actor=user, token=token)
            messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
            return redirect("core:account")
        if action == "token_create" and services.may_hold_token(user):
            token_form = UserTokenForm(request.POST)
            if token_form.is_valid():
                # Shown in this response only: a redirect would carry the secret through
                # the session's message storage.
                _token, raw_token = services.user_token_create(
                    actor=user, user=user, name=token_form.cleaned_data["name"])
                token_form = None
    qr_svg = None
    if pending is not None:
        qr_svg = segno.make(pending.config_url, error="m").svg_inline(scale=4)
    tokens = list(user.api_tokens.all()[:50]) if services.may_hold_token(user) else None
    return render(request, "core/account.html", {
        "confirmed": confirmed, "pending": pending, "qr_svg": qr_svg, "form": form,
        "suggest_totp": user.role in {Role.OFFICER, Role.HEAD},
        "tokens": tokens, "token_form": token_form or UserTokenForm(), "raw_token": raw_token,
    })


class UserTokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What the token is for"), max_length=100)




def _log_context(request, filters, page, **extra):
    return {"page": page, "filters": filters.query(), "filter_errors": filters.errors,
            "persons_found": filters.persons, "first_page": "?" + _without(request, "cursor"),
            **extra}


def _without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _log_render(request, template: str, context: dict):
    # The filters ask with htmx for the results only; a bookmark gets the whole page.
    if request.htmx and not (request.htmx.boosted or request.htmx.history_restore_request):
        template = template.replace("core/", "core/_", 1)
    return render(request, template, context)


@head_required
@require_GET
def audit_log(request):
    filters = logs.parse_filters(request.GET)
    rows = logs.audit_rows(request.user, filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return _audit_export(request, rows, export)
    page = logs.page_of(rows.select_related("actor"), request.GET.get("cursor", ""))
    logs.describe(page.object_list)
    users = selectors.office_usernames(request.user.office_id)
    return _log_render(request, "core/audit_log.html", _log_context(
        request, filters, page, users=users, choices=logs.audit_choices()))


def _audit_export(request, rows, export: str):
    headers = [_("Time"), _("User"), _("Action"), _("What happened"), _("Object type"),
               _("Object"), _("Person number"), _("Person"), _("Changes"), _("Note")]
    fields = ["actor_id", "actor_label", "event", "action", "object_type", "object_id",
              "object_label", "person_id", "changes", "note"]

    def lines():
        chunk = []
        for values in logs.iterate(rows, fields):
            chunk.append(AuditLog(**values))
            if len(chunk) == 500:
                yield from _audit_lines(chunk)
                chunk = []
        yield from _audit_lines(chunk)

    if export == "csv":
        return csv_stream_response("pora-log-audit", headers, lines())
    return xlsx_response("pora-log-audit", headers,
                         itertools.islice(lines(), settings.PORA_EXPORT_MAX_ROWS),
                         sheet_title=_("Audit log"))


def _audit_lines(rows):
    for e in logs.describe(rows):
        yield [e.at, e.actor_label, e.action_label, e.sentence, e.object_type,
               e.object_label, e.person_id, e.person_name, e.changes_text, e.note]


@head_required
@require_GET
def access_log(request):
    filters = logs.parse_filters(request.GET)
    rows = logs.access_rows(request.user, filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return _access_export(rows, export)
    page = logs.page_of(rows.select_related("user"), request.GET.get("cursor", ""))
    users = selectors.office_usernames(request.user.office_id)
    readers = logs.outside_readers(request.user.office_id, set(users))
    return _log_render(request, "core/access_log.html", _log_context(
        request, filters, page, users=[*users, *sorted(readers)],
        choices=logs.access_choices()))


def _access_export(rows, export: str):
    headers = [_("Time"), _("User"), _("Person number"), _("Person"), _("What was viewed"),
               _("Address"), _("IP address")]
    # Plain values, not model objects: a year's log is millions of rows.
    lines = ([r["at"], r["reader"] or r["user__username"] or "", r["person_id"],
              r["person_label"], logs.access_view_label(r["view"]), r["path"],
              r["ip_address"]]
             for r in logs.iterate(rows, ["reader", "user__username", "person_id",
                                          "person_label", "view", "path", "ip_address"]))
    if export == "csv":
        return csv_stream_response("pora-log-akses", headers, lines)
    return xlsx_response("pora-log-akses", headers,
                         itertools.islice(lines, settings.PORA_EXPORT_MAX_ROWS),
                         sheet_title=_("Access log"))


# ------------------------------------------------------------------ user management


@admin_required
@require_http_methods(["GET", "POST"])
def user_list(request):
    users = selectors.user_list()
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(username__icontains=q)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "pora-pengguna", [_("Username"), _("Name"), _("Role"), _("Office"),
                              _("Partner agency"), _("Active"), _("Last login")],
            ([u.username, u.first_name, u.get_role_display(), str(u.office or ""),
              str(u.agency or ""), _("yes") if u.is_active else _("no"), u.last_login]
             for u in users), sheet_title=_("Users"))
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        from django.core.exceptions import ValidationError

        try:
            user = services.user_create(
                actor=request.user, username=data["username"], password=data["password"],
                role=data["role"], office=data["office"], agency=data["agency"],
                email=data["email"], first_name=data["first_name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect("core:user_list")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "core/user_list.html", {"page": page, "form": form, "q": q})


@admin_required
@require_http_methods(["GET", "POST"])
def user_detail(request, pk: int):
    user = selectors.get_user_for_admin(pk)
    initial = {"username": user.username, "first_name": user.first_name, "email": user.email,
               "role": user.role, "office": user.office, "agency": user.agency,
               "is_active": user.is_active}
    if request.method == "POST" and request.POST.get("action") == "unlock":
        services.user_unlock(actor=request.user, user=user)
        messages.success(request, _("Login lockout lifted."))
        return redirect("core:user_detail", pk=user.pk)
    form = UserForm(request.POST or None, instance=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if user.pk == request.user.pk and (not data["is_active"] or data["role"] != Role.ADMIN):
            form.add_error(None, _("You cannot take away your own administrator access."))
        else:
            services.user_update(actor=request.user, user=user, role=data["role"],
                                 office=data["office"], agency=data["agency"],
                                 first_name=data["first_name"], email=data["email"],
                                 is_active=data["is_active"])
            if data["password"]:
                services.user_set_password(actor=request.user, user=user,
                                           password=data["password"])
            messages.success(request, _("Changes saved."))
            return redirect("core:user_detail", pk=user.pk)
    locked = selectors.is_locked_out(user)
    return render(request, "core/user_detail.html", {"subject": user, "form": form,
                                                     "locked": locked})


# ------------------------------------------------------------------ reference data

# The administrator's reference tables. Each app serves the pages of its own tables; this
# index only links them by URL name, so core imports no app.
REFERENCE_SECTIONS = [
    ("registry:visa_index_list", gettext_lazy("Visa index codes"),
     gettext_lazy("Codes of the visa classification, current and older, with their dates.")),
    ("registry:rule_set_list", gettext_lazy("Rule sets"),
     gettext_lazy("Thresholds and rates of the permit status engine, from the date they "
                  "take force.")),
    ("core:office_list", gettext_lazy("Immigration offices"),
     gettext_lazy("Offices and the areas of their jurisdiction.")),
    ("core:agency_list", gettext_lazy("Partner agencies"),
     gettext_lazy("TIMPORA member agencies of each office.")),
    ("core:working_days", gettext_lazy("Working days"),
     gettext_lazy("Holidays and cuti bersama of each year, and the days an office or the "
                  "whole country works or rests otherwise.")),
]


@admin_required
@require_GET
def reference_index(request):
    from django.urls import NoReverseMatch, reverse

    sections = []
    for name, label, help_text in REFERENCE_SECTIONS:
        try:
            sections.append((reverse(name), label, help_text))
        except NoReverseMatch:  # an app not installed in this deployment
            continue
    return render(request, "core/reference_index.html", {"sections": sections})


@admin_required
@require_http_methods(["GET", "POST"])
def office_list(request):
    form = OfficeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        from django.core.exceptions import ValidationError

        try:
            office = services.office_create(actor=request.user, code=data["code"],
                                            name=data["name"], jurisdiction=data["jurisdiction"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Office %(name)s added.") % {"name": office.name})
            return redirect("core:office_list")
    return render(request, "core/office_list.html",
                  {"offices": selectors.office_list(), "form": form})


@admin_required
@require_http_methods(["GET", "POST"])
def office_detail(request, pk: int):
    office = selectors.get_office_for_admin(pk)
    initial = {"code": office.code, "name": office.name,
               "jurisdiction": " ".join(office.jurisdiction.order_by("code")
                                        .values_list("code", flat=True))}
    form = OfficeForm(request.POST or None, initial=initial, instance=office)
    if request.method == "POST" and form.is_valid():
        from django.core.exceptions import ValidationError

        try:
            services.office_update(actor=request.user, office=office,
                                   name=form.cleaned_data["name"],
                                   jurisdiction=form.cleaned_data["jurisdiction"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("core:office_detail", pk=office.pk)
    return render(request, "core/office_detail.html", {"office": office, "form": form})


@admin_required
@require_http_methods(["GET", "POST"])
def agency_list(request):
    q = request.GET.get("q", "").strip()[:100]
    office = request.GET.get("office", "")
    office_id = int(office) if office.isdecimal() and len(office) < 19 else None
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from django.core.exceptions import ValidationError

        try:
            agency = services.agency_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Partner agency %(name)s added.") % {"name": agency.name})
            return redirect("core:agency_list")
    page = Paginator(selectors.agency_list(q=q, office_id=office_id), 50).get_page(
        request.GET.get("page"))
    return render(request, "core/agency_list.html", {
        "page": page, "form": form, "q": q, "office_id": office_id,
        "offices": selectors.offices_by_name()})


@admin_required
@require_http_methods(["GET", "POST"])
def agency_detail(request, pk: int):
    agency = selectors.get_agency_for_admin(pk)
    initial = {"name": agency.name, "kind": agency.kind, "office": agency.office,
               "area": agency.area.code if agency.area else ""}
    form = AgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        from django.core.exceptions import ValidationError

        try:
            services.agency_update(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("core:agency_detail", pk=agency.pk)
    return render(request, "core/agency_detail.html", {"agency": agency, "form": form})


# ------------------------------------------------------------------ working-day calendar


def _calendar_year(request) -> int:
    """The year asked for in the query string; anything unreadable gives this year."""
    from pora.core.deadlines import FIRST_YEAR, LAST_YEAR

    value = request.GET.get("year", "").strip()
    if value.isdecimal() and value.isascii() and len(value) == 4:
        year = int(value)
        if FIRST_YEAR <= year <= LAST_YEAR:
            return year
    return clock.today().year


def _override_saved(form: WorkingDayOverrideForm, save) -> bool:
    """Call the service ``save`` with the form's data; its refusals go on the form."""
    from django.core.exceptions import ValidationError

    data = form.cleaned_data
    try:
        save(date=data["date"], is_working=data["is_working"], name=data["name"],
             office=data["office"], note=data["note"])
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    return True


@admin_required
@require_http_methods(["GET", "POST"])
def working_days(request):
    """The year's holidays from the ``holidays`` package beside the overrides, and a form
    to add an override (Perpres 21/2023)."""
    from pora.core import deadlines, selectors

    year = _calendar_year(request)
    days = deadlines.year_calendar(year)
    offices = selectors.office_names()
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"pora-hari-kerja-{year}",
            [_("Date"), _("Day"), _("Holiday or cuti bersama"), _("National override"),
             _("Nationally"), _("Office overrides")],
            ([d.date, date_format(d.date, "l"), _holidays_text(d),
              _override_text(d.national_override),
              _("working day") if d.national_working else _("day off"),
              "; ".join(f"{offices.get(o, o)}: {_override_text(v)}"
                        for o, v in d.office_overrides.items())]
             for d in days),
            sheet_title=_("Working days %(year)s") % {"year": year})
    form = WorkingDayOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _override_saved(form, lambda **data: services.working_day_override_create(
            actor=request.user, **data))
        if saved:
            messages.success(request, _("Override for %(date)s saved.") % {
                "date": date_format(form.cleaned_data["date"], "j F Y")})
            return redirect(f"{reverse('core:working_days')}?year={form.cleaned_data['date'].year}")
    rows = [(d, [(offices.get(o, o), v) for o, v in d.office_overrides.items()]) for d in days]
    return render(request, "core/working_days.html", {
        "year": year, "rows": rows, "form": form,
        "overrides": selectors.working_day_overrides(year),
        "estimated": any(h.estimated for d in days for h in d.holidays),
        "years": [y for y in (year - 1, year + 1)
                  if deadlines.FIRST_YEAR <= y <= deadlines.LAST_YEAR],
    })


def _holidays_text(day) -> str:
    return "; ".join(f"{h.name} ({h.kind_label}{', ' + _('estimated') if h.estimated else ''})"
                     for h in day.holidays)


def _override_text(override) -> str:
    if override is None:
        return ""
    status = _("working day") if override.is_working else _("day off")
    return f"{status}: {override.name}"


@admin_required
@require_http_methods(["GET", "POST"])
def working_day_override_detail(request, pk: int):
    from pora.core import selectors

    override = selectors.get_working_day_override(pk)
    back = f"{reverse('core:working_days')}?year={override.date.year}"
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.working_day_override_delete(actor=request.user, override=override)
        messages.success(request, _("Override for %(date)s removed.") % {
            "date": date_format(override.date, "j F Y")})
        return redirect(back)
    form = WorkingDayOverrideForm(request.POST or None, initial={
        "date": override.date, "is_working": "1" if override.is_working else "0",
        "name": override.name, "office": override.office, "note": override.note})
    if request.method == "POST" and form.is_valid():
        saved = _override_saved(form, lambda **data: services.working_day_override_update(
            actor=request.user, override=override, **data))
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect(f"{reverse('core:working_days')}?year={form.cleaned_data['date'].year}")
    return render(request, "core/working_day_override.html", {
        "override": override, "form": form, "back": back})
