"""Personal API tokens of office users: created once and shown once, stored hashed, audited,
revoked by their user, listed and revoked on the account page and by ``pora token``."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from pora.conftest import login, make_user
from pora.core import services
from pora.core.models import AuditEvent, AuditLog, Role, UserToken
from pora.lodging.models import ApiToken


def test_a_token_is_stored_only_as_its_hash_and_audited(officer):
    token, raw = services.user_token_create(actor=officer, user=officer, name="screening")
    assert raw.startswith("porau_") and len(raw) > 40
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in (token.prefix, token.digest) and raw.startswith(token.prefix)
    row = AuditLog.objects.get(object_type="core.UserToken", object_id=str(token.pk))
    assert (row.actor, row.event, row.office_id) == (officer, AuditEvent.CREATE,
                                                     officer.office_id)
    assert row.changes["name"] == [None, "screening"]
    assert raw not in str(row.changes)


def test_authenticate_finds_the_user_and_notes_the_use_once_a_minute(officer, monkeypatch):
    token, raw = services.user_token_create(actor=officer, user=officer, name="client")
    found = services.user_token_authenticate(raw, ip="10.0.0.7")
    assert found.pk == token.pk and found.user == officer
    first_use = UserToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None
    services.user_token_authenticate(raw, ip="10.0.0.7")
    assert UserToken.objects.get(pk=token.pk).last_used_at == first_use
    later = timezone.now() + dt.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    services.user_token_authenticate(raw, ip="10.0.0.7")
    assert UserToken.objects.get(pk=token.pk).last_used_at == later


@pytest.mark.parametrize("raw", ["", "porau_", "porau_unknown", "pora_" + "x" * 43,
                                 "porau_" + "x" * 200])
def test_unknown_values_authenticate_nobody(officer, raw):
    services.user_token_create(actor=officer, user=officer, name="client")
    assert services.user_token_authenticate(raw) is None


def test_a_revoked_token_or_a_deactivated_user_authenticates_nobody(officer, head):
    token, raw = services.user_token_create(actor=officer, user=officer, name="client")
    _other, other_raw = services.user_token_create(actor=head, user=head, name="client")
    services.user_token_revoke(actor=officer, token=token)
    assert services.user_token_authenticate(raw) is None
    row = AuditLog.objects.filter(object_type="core.UserToken", object_id=str(token.pk),
                                  event=AuditEvent.UPDATE).get()
    assert row.actor == officer and "revoked_at" in row.changes
    head.is_active = False
    head.save(update_fields=["is_active"])
    assert services.user_token_authenticate(other_raw) is None


def test_only_office_staff_hold_tokens(hotel_operator, police_partner, analyst):
    for user in (hotel_operator, police_partner):
        with pytest.raises(PermissionError):
            services.user_token_create(actor=user, user=user, name="x")
    token, _raw = services.user_token_create(actor=analyst, user=analyst, name="x")
    assert token.user == analyst


def test_nobody_creates_or_revokes_a_token_of_someone_else(officer, other_officer):
    with pytest.raises(PermissionError):
        services.user_token_create(actor=other_officer, user=officer, name="x")
    token, raw = services.user_token_create(actor=officer, user=officer, name="x")
    with pytest.raises(PermissionError):
        services.user_token_revoke(actor=other_officer, token=token)
    assert services.user_token_authenticate(raw) is not None
    admin = make_user("admin_pora", Role.ADMIN)
    services.user_token_revoke(actor=admin, token=token)
    assert services.user_token_authenticate(raw) is None


# --------------------------------------------------------------------------- account page


def test_officer_creates_a_token_on_the_account_page_and_sees_it_once(officer):
    client = login(officer)
    response = client.post(reverse("core:account"), {"action": "token_create",
                                                    "name": "Aplikasi bandara"})
    assert response.status_code == 200
    raw = response.context["raw_token"]
    token = UserToken.objects.get(user=officer)
    assert token.name == "Aplikasi bandara" and raw.startswith(token.prefix)
    assert raw in response.content.decode()
    again = client.get(reverse("core:account"))
    page = again.content.decode()
    assert token.prefix in page and "Aplikasi bandara" in page
    assert raw not in page


def test_officer_revokes_their_token_on_the_account_page(officer):
    token, raw = services.user_token_create(actor=officer, user=officer, name="x")
    client = login(officer)
    response = client.post(reverse("core:account"), {"action": "token_revoke",
                                                     "token": token.pk})
    assert response.status_code == 302
    assert services.user_token_authenticate(raw) is None
    page = client.get(reverse("core:account"), headers={"Accept-Language": "en"})
    assert f"Revoked {timezone.localtime(UserToken.objects.get().revoked_at):%-d %b %Y}" \
        in page.content.decode()


def test_another_officer_cannot_revoke_my_token_by_its_number(officer, other_officer):
    token, raw = services.user_token_create(actor=officer, user=officer, name="x")
    response = login(other_officer).post(reverse("core:account"),
                                         {"action": "token_revoke", "token": token.pk})
    assert response.status_code == 404
    assert services.user_token_authenticate(raw) is not None


def test_account_page_offers_tokens_to_office_staff_only(officer, hotel_operator,
                                                          police_partner):
    assert login(officer).get(reverse("core:account")).context["tokens"] == []
    for user in (hotel_operator, police_partner):
        client = login(user)
        assert client.get(reverse("core:account")).context["tokens"] is None
        client.post(reverse("core:account"), {"action": "token_create", "name": "x"})
    assert not UserToken.objects.exists()


def test_an_empty_token_name_is_refused_on_the_page(officer):
    response = login(officer).post(reverse("core:account"), {"action": "token_create",
                                                            "name": "  "})
    assert response.context["token_form"].errors["name"]
    assert not UserToken.objects.exists()


# -------------------------------------------------------------------------- pora token


def run(*args) -> str:
    out = io.StringIO()
    call_command("token", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_creates_lists_and_revokes_a_personal_token(officer):
    raw = run("create", "--user", officer.username, "--name", "skrining").strip()
    token = services.user_token_authenticate(raw)
    assert token.user == officer and token.name == "skrining"
    listing = run("list", "--user", officer.username)
    assert f"{token.prefix}…\tuser {officer.username}\tskrining\t" in listing
    assert raw not in listing
    assert run("revoke", token.prefix) == f"revoked {token.prefix}…\n"
    assert services.user_token_authenticate(raw) is None
    assert "revoked" in run("list")


def test_the_command_refuses_a_token_for_a_hotel_user(hotel_operator):
    with pytest.raises(CommandError):
        run("create", "--user", hotel_operator.username)
    with pytest.raises(CommandError):
        run("create", "--user", "nobody")


def test_the_command_still_creates_and_revokes_lodging_tokens(hotel, officer):
    raw = run("create", "--lodging", hotel.name, "--label", "PMS").strip()
    assert raw.startswith("pora_") and not raw.startswith("porau_")
    token = ApiToken.objects.get(lodging=hotel)
    assert f"{token.prefix}…\t{hotel.name}\tPMS" in run("list", "--lodging", hotel.name)
    with pytest.raises(CommandError):
        run("revoke", token.prefix)  # a lodging's token needs the revoking officer
    run("revoke", token.prefix, "--user", officer.username)
    token.refresh_from_db()
    assert token.revoked_at is not None
