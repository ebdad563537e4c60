from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from pora.core import services
from pora.core.access import authenticated_required, head_required
from pora.core.models import AccessLog, AuditLog, Role, User


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


def home(request):
    if not request.user.is_authenticated:
        return redirect("core:login")
    if request.user.can_see_aggregates:
        return redirect("registry:dashboard")
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
            return redirect(request.GET.get("next") or "core:home")
        form.add_error("token", _("The code is wrong or has expired. Try the current code."))
    return render(request, "core/otp.html", {"form": form})


@authenticated_required
@require_http_methods(["GET", "POST"])
def account(request):
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    form = TokenForm(request.POST if request.POST.get("action") == "confirm" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start" and not confirmed:
            services.totp_device_start(user=user)
            return redirect("core:account")
        if action == "confirm" and pending is not None and form.is_valid():
            if services.totp_device_confirm(user=user, token=form.cleaned_data["token"]):
                device = TOTPDevice.objects.get(user=user, confirmed=True)
                otp_login(request, device)
                messages.success(request, _("Two-step sign-in is now on."))
                return redirect("core:account")
            form.add_error("token", _("The code is wrong or has expired. Try the current code."))
        if action == "remove" and confirmed:
            services.totp_device_remove(user=user)
            messages.success(request, _("Two-step sign-in is now off."))
            return redirect("core:account")
    qr_svg = None
    if pending is not None:
        qr_svg = segno.make(pending.config_url, error="m").svg_inline(scale=4)
    return render(request, "core/account.html", {
        "confirmed": confirmed, "pending": pending, "qr_svg": qr_svg, "form": form,
        "suggest_totp": user.role in {Role.OFFICER, Role.HEAD},
    })


def _log_filters(request, queryset, *, person_field: str, user_field: str):
    person = request.GET.get("person", "").strip()
    username = request.GET.get("user", "").strip()
    if person.isdigit():
        queryset = queryset.filter(**{person_field: int(person)})
    if username:
        queryset = queryset.filter(**{f"{user_field}__username": username})
    return queryset, {"person": person, "user": username}


@head_required
def audit_log(request):
    queryset = AuditLog.objects.filter(office_id=request.user.office_id).select_related("actor")
    queryset, filters = _log_filters(request, queryset, person_field="person_id",
                                     user_field="actor")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {
        "page": page, "filters": filters,
        "users": User.objects.filter(office_id=request.user.office_id).order_by("username"),
    })


@head_required
def access_log(request):
    queryset = AccessLog.objects.filter(office_id=request.user.office_id).select_related("user")
    queryset, filters = _log_filters(request, queryset, person_field="person_id",
                                     user_field="user")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "core/access_log.html", {
        "page": page, "filters": filters,
        "users": User.objects.filter(office_id=request.user.office_id).order_by("username"),
    })
