"""Logging in: the login page, lockout after repeated failures, the audit trail, two-step
sign-in with TOTP, security headers and CSRF."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pora.conftest import PASSWORD, login
from pora.core.models import AuditEvent, AuditLog
from pora.registry.models import ChangeReport


def log_in(client: Client, username: str, password: str = PASSWORD, **kwargs):
    return client.post(reverse("core:login"), {"username": username, "password": password},
                       **kwargs)


def logged_in_user_id(client: Client):
    return client.session.get("_auth_user_id")


# ---------------------------------------------------------------------------- login page


def test_login_page_is_in_indonesian_by_default(anonymous):
    response = anonymous.get(reverse("core:login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="id">' in page
    assert 'name="username"' in page and 'name="password"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert response["Content-Language"] == "id"


def test_login_page_follows_the_browser_asking_for_english(anonymous):
    response = anonymous.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()


def test_login_page_ignores_a_language_we_do_not_offer(anonymous):
    response = anonymous.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="id">' in response.content.decode()


def test_good_login_lands_on_the_dashboard(officer):
    client = Client()
    response = log_in(client, officer.username, follow=True)
    assert response.redirect_chain == [(reverse("core:home"), 302),
                                       (reverse("registry:dashboard"), 302)]
    assert response.status_code == 200
    assert logged_in_user_id(client) == str(officer.pk)


def test_login_returns_to_the_page_asked_for(officer):
    client = Client()
    target = reverse("registry:person_list")
    response = client.post(reverse("core:login") + f"?next={target}",
                           {"username": officer.username, "password": PASSWORD, "next": target})
    assert response.url == target


def test_login_refuses_to_send_the_user_to_another_site(officer):
    response = Client().post(reverse("core:login"), {
        "username": officer.username, "password": PASSWORD, "next": "https://evil.example/"})
    assert response.url == reverse("core:home")


def test_wrong_password_shows_the_form_again_and_logs_nobody_in(officer):
    client = Client()
    response = log_in(client, officer.username, "not-the-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert logged_in_user_id(client) is None


# ------------------------------------------------------------------------------ lockout


def test_account_is_locked_after_the_failure_limit_even_with_the_right_password(officer):
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _attempt in range(limit - 1):
        assert log_in(client, officer.username, "wrong-password").status_code == 200
    locking = log_in(client, officer.username, "wrong-password")
    assert locking.status_code == 429
    response = log_in(client, officer.username)
    assert response.status_code == 429
    assert "core/locked_out.html" in [t.name for t in response.templates]
    assert logged_in_user_id(client) is None
    # Another client from the same address is locked out of this account too.
    assert log_in(Client(), officer.username).status_code == 429


def test_failures_below_the_limit_do_not_lock_the_account(officer):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, officer.username, "wrong-password")
    response = log_in(client, officer.username)
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(officer.pk)


def test_lockout_of_one_account_leaves_another_account_alone(officer, head):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, officer.username, "wrong-password")
    assert log_in(client, head.username).status_code == 302


# ------------------------------------------------------------------------ audit of login


def test_login_leaves_an_audit_row(officer):
    log_in(Client(), officer.username, REMOTE_ADDR="10.1.2.3")
    [row] = AuditLog.objects.filter(event=AuditEvent.LOGIN)
    assert (row.actor_id, row.actor_label, row.office_id) == (
        officer.pk, officer.username, officer.office_id)
    assert row.note == "10.1.2.3"


def test_failed_login_leaves_an_audit_row_naming_the_account(officer):
    log_in(Client(), officer.username, "wrong-password", REMOTE_ADDR="10.9.8.7")
    [row] = AuditLog.objects.filter(event=AuditEvent.LOGIN_FAILED)
    # Nobody acted as the officer: the account is the object, in the officer's office.
    assert (row.actor_id, row.object_id, row.object_label, row.office_id, row.note) == (
        None, str(officer.pk), officer.username, officer.office_id, "10.9.8.7")
    assert not AuditLog.objects.filter(event=AuditEvent.LOGIN).exists()


def test_failed_login_for_an_unknown_name_is_recorded_without_an_actor(db):
    log_in(Client(), "nobody_here", "whatever")
    [row] = AuditLog.objects.filter(event=AuditEvent.LOGIN_FAILED)
    assert (row.actor_id, row.actor_label, row.object_label) == (None, "system", "nobody_here")


def test_logout_leaves_an_audit_row(officer):
    client = login(officer)
    client.post(reverse("core:logout"))
    assert AuditLog.objects.filter(event=AuditEvent.LOGOUT, actor=officer).count() == 1
    assert logged_in_user_id(client) is None


# ------------------------------------------------------------------------- two-step TOTP


def token_at(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_token(device: TOTPDevice) -> str:
    near = {token_at(device, steps_ahead=n) for n in range(-2, 3)}
    return next(code for code in ("123456", "654321", "111111") if code not in near)


@pytest.fixture
def officer_with_totp(officer):
    """The officer sets up an authenticator app on the account page."""
    client = login(officer)
    assert client.post(reverse("core:account"), {"action": "start"}).status_code == 302
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    used = token_at(device)
    response = client.post(reverse("core:account"), {"action": "confirm", "token": used})
    assert response.url == reverse("core:account")
    device.refresh_from_db()
    assert device.confirmed
    return SimpleNamespace(officer=officer, device=device, used_token=used)


def test_starting_totp_shows_a_qr_code_to_scan(officer):
    client = login(officer)
    client.post(reverse("core:account"), {"action": "start"})
    response = client.get(reverse("core:account"))
    assert response.context["pending"] is not None
    assert "<svg" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


def test_confirming_totp_with_a_wrong_code_keeps_it_off(officer):
    client = login(officer)
    client.post(reverse("core:account"), {"action": "start"})
    device = TOTPDevice.objects.get(user=officer)
    response = client.post(reverse("core:account"),
                           {"action": "confirm", "token": wrong_token(device)})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    device.refresh_from_db()
    assert not device.confirmed


def test_turning_totp_on_is_audited(officer_with_totp):
    officer = officer_with_totp.officer
    [row] = AuditLog.objects.filter(event=AuditEvent.SECOND_FACTOR, actor=officer)
    assert row.changes == {"totp": [False, True]}


def test_after_totp_setup_a_fresh_login_must_give_the_code(officer_with_totp):
    officer = officer_with_totp.officer
    client = Client()
    response = log_in(client, officer.username)
    assert logged_in_user_id(client) == str(officer.pk)
    for name in ("core:home", "registry:dashboard", "registry:person_list", "core:account"):
        page = client.get(reverse(name))
        assert (page.status_code, page.url) == (302, reverse("core:otp")), name
    # The API answers a machine-readable 401 instead of redirecting to a form.
    api = client.get("/api/v1/persons")
    assert api.status_code == 401
    assert api.json()["code"] == "second_factor_required"
    assert response.status_code == 302
    form = client.get(reverse("core:otp"))
    assert form.status_code == 200
    assert 'autocomplete="one-time-code"' in form.content.decode()


def test_a_wrong_code_shows_an_error_and_keeps_the_door_shut(officer_with_totp):
    officer, device = officer_with_totp.officer, officer_with_totp.device
    client = Client()
    log_in(client, officer.username)
    response = client.post(reverse("core:otp"), {"token": wrong_token(device)})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert 'class="errorlist' in response.content.decode()
    assert client.get(reverse("registry:dashboard")).url == reverse("core:otp")


def test_the_right_code_opens_the_dashboard(officer_with_totp):
    officer, device = officer_with_totp.officer, officer_with_totp.device
    client = Client()
    log_in(client, officer.username)
    # The set-up used this step's code; a code is good once, so give the next step's.
    response = client.post(reverse("core:otp"), {"token": token_at(device, steps_ahead=1)})
    assert response.url == reverse("core:home")
    assert client.get(reverse("registry:dashboard")).status_code == 200


def test_a_used_code_cannot_be_replayed(officer_with_totp):
    officer = officer_with_totp.officer
    client = Client()
    log_in(client, officer.username)
    response = client.post(reverse("core:otp"), {"token": officer_with_totp.used_token})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get(reverse("registry:dashboard")).url == reverse("core:otp")


def test_logout_is_reachable_before_the_code(officer_with_totp):
    officer = officer_with_totp.officer
    client = Client()
    log_in(client, officer.username)
    response = client.post(reverse("core:logout"))
    assert response.url == reverse("core:login")
    assert logged_in_user_id(client) is None


# ---------------------------------------------------------------------- security headers


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("page", ["core:login", "registry:dashboard"])
def test_pages_carry_the_security_headers(officer, page):
    client = Client() if page == "core:login" else login(officer)
    response = client.get(reverse(page))
    assert response.status_code == 200
    csp = csp_directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_use_no_inline_scripts(officer, wang):
    for url in (reverse("core:login"), reverse("registry:person_detail", args=[wang.pk])):
        client = Client() if url == reverse("core:login") else login(officer)
        page = client.get(url).content.decode()
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page, flags=re.DOTALL)
        assert scripts and all(body.strip() == "" for body in scripts), url
        assert not re.search(r"\son[a-z]+=", page), url


# -------------------------------------------------------------------------------- CSRF


def test_login_without_a_csrf_token_is_refused(officer):
    client = Client(enforce_csrf_checks=True)
    response = log_in(client, officer.username)
    assert response.status_code == 403
    assert logged_in_user_id(client) is None
    assert not AuditLog.objects.filter(event=AuditEvent.LOGIN).exists()


def test_login_with_the_csrf_token_from_the_form_works(officer):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("core:login")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(reverse("core:login"), {
        "username": officer.username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(officer.pk)


def test_a_logged_in_post_without_a_csrf_token_is_refused(officer, wang):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(reverse("registry:change_report_create", args=[wang.pk]), {
        "kind": "civil_status", "event_date": "2024-01-10", "reported_on": "2024-01-20",
        "reported_by": "foreigner"})
    assert response.status_code == 403
    assert not ChangeReport.objects.exists()
    assert client.post(reverse("core:logout")).status_code == 403
    assert logged_in_user_id(client) == str(officer.pk)
