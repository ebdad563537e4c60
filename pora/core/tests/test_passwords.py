"""Own passwords: every persona changes theirs, a forgotten one is reset by an emailed
link, and the policy refuses what an attacker guesses first. Lockout, the second factor
and the audit trail hold throughout."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from pora.conftest import PASSWORD, login, make_user
from pora.core import services
from pora.core.models import AuditEvent, AuditLog, Role, User

NEW_PASSWORD = "kuda-lumping-sore-hari"
WEAK = ["Hotel2024", "jakarta1", "password12345"]


@pytest.fixture(autouse=True)
def _fresh_limits():
    # The reset limits count in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def administrator(db):
    return make_user("admin_pusat", Role.ADMIN)


def with_email(user: User, email: str) -> User:
    user.email = email
    user.save(update_fields=["email"])
    return user


def log_in(client: Client, username: str, password: str):
    return client.post(reverse("core:login"), {"username": username, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def change(client: Client, old: str, new: str, again: str | None = None, **kwargs):
    return client.post(reverse("core:password_change"), {
        "old_password": old, "new_password1": new,
        "new_password2": new if again is None else again}, **kwargs)


def ask_reset(client: Client, email: str, **kwargs):
    return client.post(reverse("core:password_reset"), {"email": email}, **kwargs)


def page_text(response) -> str:
    """The page without what differs between any two visitors (their CSRF tokens)."""
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1",
                  response.content.decode())


def link_in(mail) -> str:
    return re.search(r"http://testserver(/\S+)", mail.body).group(1)


def reset_with(client: Client, link: str, password: str):
    """Open the link (Django moves the token into the session) and post the new password."""
    opened = client.get(link)
    assert opened.status_code == 302, opened
    form_url = opened.url
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def link_for(user: User, token: str | None = None) -> str:
    return reverse("core:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": token or default_token_generator.make_token(user)})


# -------------------------------------------------------------------------- the policy


@pytest.mark.parametrize("password", WEAK + [
    "Imigrasi#2024!", "H0tel-Jakarta-99", "123456789012", "PORA-timpora-2024",
    "katasandi2024", "Qwerty-12345678",
])
def test_policy_refuses_guessable_passwords(db, password):
    with pytest.raises(ValidationError):
        validate_password(password, User(username="petugas_baru"))


@pytest.mark.parametrize("password", [
    NEW_PASSWORD, "Melati-2024-kamar", "bunga-kopi-hujan-93", "ikan asin di pasar pagi",
])
def test_policy_accepts_long_unrelated_words(db, password):
    validate_password(password, User(username="petugas_baru"))


def test_policy_refuses_the_users_own_office_and_lodging_names(officer, hotel_operator):
    with pytest.raises(ValidationError):
        validate_password("JakartaUtara-2024", officer)  # Kantor Imigrasi Jakarta Utara
    with pytest.raises(ValidationError):
        validate_password("PluitBay!2024", hotel_operator)  # Hotel Pluit Bay
    # Another user's lodging is not this officer's word.
    validate_password("PluitBay-Senja-Cerah", officer)


def test_policy_messages_are_in_bahasa_indonesia(officer):
    with pytest.raises(ValidationError) as refused:
        validate_password("Hotel2024", officer)
    text = " ".join(refused.value.messages)
    assert "terlalu pendek" in text and "12 karakter" in text
    assert "mudah ditebak" in text


def test_lodging_registration_refuses_a_password_made_of_the_lodgings_name(anonymous, jakut):
    from pora.conftest import kelurahan

    response = anonymous.post(reverse("lodging:register"), {
        "kind": "lodging", "name": "Kos Melati", "lodging_type": "kos",
        "licence_number": "9120009876543", "kelurahan": kelurahan("Pluit").pk,
        "street": "Jl. Melati 7", "person_in_charge": "Siti Rahma",
        "email": "siti@example.test", "username": "pengelola_01",
        "password": "Melati#Kos#2024"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="pengelola_01").exists()


def test_lodging_manager_cannot_give_a_colleague_the_lodgings_name_as_password(hotel_operator):
    client = login(hotel_operator)
    response = client.post(reverse("lodging:staff"), {
        "full_name": "Dewi", "username": "fo_dewi", "email": "dewi@example.test",
        "password": "Pluit-Bay-2024"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="fo_dewi").exists()


def test_admin_cannot_give_a_new_officer_the_offices_name_as_password(administrator, jakut):
    response = login(administrator).post(reverse("core:user_list"), {
        "username": "petugas_baru", "role": Role.OFFICER, "office": jakut.pk,
        "password": "Khusus-Kelas-2024", "is_active": "on"})  # its office: Kelas I Khusus
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="petugas_baru").exists()


def test_accounts_created_on_the_server_follow_the_policy_too(jakut):
    with pytest.raises(ValidationError):
        services.user_create(actor=None, username="lemah", password="jakarta1",
                             role=Role.OFFICER, office=jakut)
    assert not User.objects.filter(username="lemah").exists()


def test_the_demo_password_meets_the_policy(db):
    from pora.demo.management.commands.demo import DEMO_PASSWORD, USERS

    for username, role, first_name in USERS:
        validate_password(DEMO_PASSWORD, User(username=username, role=role,
                                              first_name=first_name))


# ------------------------------------------------------------------- change own password


@pytest.fixture(params=["officer", "head", "analyst", "police_partner", "hotel_operator",
                        "administrator"])
def persona(request, db) -> User:
    # ``db`` named here: pytest-django orders tests by the database fixtures it can see,
    # and one fetched by name at run time would let these run after the browser tests,
    # which empty the database.
    return request.getfixturevalue(request.param)


def test_every_persona_finds_change_password_in_the_header_menu(persona):
    client = login(persona)
    page = client.get(reverse("core:account"))
    assert page.status_code == 200
    target = reverse("core:password_change")
    assert (target, "Ganti kata sandi") in page.context["nav_items"]
    assert f'href="{target}"' in page.content.decode()
    form = client.get(target)
    assert form.status_code == 200
    assert "Ganti kata sandi" in form.content.decode()


def test_every_persona_changes_their_password(persona):
    client = login(persona)
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302, response.context["form"].errors
    persona.refresh_from_db()
    assert persona.check_password(NEW_PASSWORD)


def test_a_visitor_is_sent_to_log_in_for_the_change_page(anonymous):
    response = anonymous.get(reverse("core:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login"))


def test_change_keeps_this_session_and_ends_the_others(officer):
    here, elsewhere = login(officer), login(officer)
    assert elsewhere.get(reverse("core:account")).status_code == 200
    response = change(here, PASSWORD, NEW_PASSWORD, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:account")
    assert "Kata sandi Anda sudah diganti" in response.content.decode()
    assert here.get(reverse("core:account")).status_code == 200
    gone = elsewhere.get(reverse("core:account"))
    assert gone.status_code == 302 and gone.url.startswith(reverse("core:login"))
    # The old password no longer opens the account; the new one does.
    assert log_in(Client(), officer.username, PASSWORD).status_code == 200
    assert log_in(Client(), officer.username, NEW_PASSWORD).status_code == 302


def test_change_is_audited_with_its_own_event(officer):
    change(login(officer), PASSWORD, NEW_PASSWORD, REMOTE_ADDR="10.1.2.3")
    [row] = AuditLog.objects.filter(event=AuditEvent.PASSWORD_CHANGE)
    assert (row.actor_id, row.object_id, row.office_id, row.note) == (
        officer.pk, str(officer.pk), officer.office_id, "10.1.2.3")
    assert "pora-test" not in str(row.changes) + row.note


@pytest.mark.parametrize("password", WEAK)
def test_change_refuses_weak_passwords_in_indonesian(officer, password):
    response = change(login(officer), PASSWORD, password)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "Kata sandi" in errors or "kata sandi" in errors
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert not AuditLog.objects.filter(event=AuditEvent.PASSWORD_CHANGE).exists()


def test_change_needs_the_new_password_twice_alike(officer):
    response = change(login(officer), PASSWORD, NEW_PASSWORD, again=NEW_PASSWORD + "x")
    assert response.context["form"].errors["new_password2"]
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_change_with_a_wrong_current_password_is_refused(officer):
    response = change(login(officer), "not-my-password", NEW_PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_wrong_current_passwords_count_towards_the_lockout(officer):
    client = login(officer)
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert change(client, "not-my-password", NEW_PASSWORD).status_code == 200
    assert change(client, "not-my-password", NEW_PASSWORD).status_code == 429
    # Locked: not even the right current password changes it now, nor logs in.
    assert change(client, PASSWORD, NEW_PASSWORD).status_code == 429
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert log_in(Client(), officer.username, PASSWORD).status_code == 429
    assert AuditLog.objects.filter(event=AuditEvent.LOGIN_FAILED,
                                   object_id=str(officer.pk)).count() >= 1


# ------------------------------------------------------------------- reset: the request


def test_login_page_offers_the_forgotten_password_link(anonymous):
    page = anonymous.get(reverse("core:login")).content.decode()
    assert f'href="{reverse("core:password_reset")}"' in page
    assert "Lupa kata sandi?" in page


def test_reset_request_mails_a_one_time_link_in_indonesian(officer, mailoutbox):
    with_email(officer, "petugas@imigrasi.example")
    response = ask_reset(Client(), "Petugas@Imigrasi.example", REMOTE_ADDR="10.5.5.5")
    assert (response.status_code, response.url) == (302, reverse("core:password_reset_sent"))
    [mail] = mailoutbox
    assert mail.to == ["petugas@imigrasi.example"]
    assert "kata sandi" in mail.subject.lower()
    assert officer.username in mail.body and "60 menit" in mail.body
    [row] = AuditLog.objects.filter(event=AuditEvent.PASSWORD_RESET_LINK)
    assert (row.actor_id, row.object_id, row.office_id, row.note) == (
        None, str(officer.pk), officer.office_id, "10.5.5.5")


def test_reset_request_answers_the_same_whether_or_not_the_address_exists(officer,
                                                                          mailoutbox):
    with_email(officer, "petugas@imigrasi.example")
    known = ask_reset(Client(), "petugas@imigrasi.example", follow=True)
    unknown = ask_reset(Client(), "nobody@imigrasi.example", follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert page_text(known) == page_text(unknown)
    assert len(mailoutbox) == 1
    assert AuditLog.objects.filter(event=AuditEvent.PASSWORD_RESET_LINK).count() == 1


def test_reset_request_sends_nothing_for_an_inactive_account(officer, mailoutbox):
    with_email(officer, "petugas@imigrasi.example")
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert ask_reset(Client(), "petugas@imigrasi.example").status_code == 302
    assert mailoutbox == []


def test_reset_requests_are_limited_per_address(officer, mailoutbox, settings):
    settings.PORA_PASSWORD_RESET_PER_ADDRESS = 2
    with_email(officer, "petugas@imigrasi.example")
    for n in range(2):
        assert ask_reset(Client(), "petugas@imigrasi.example",
                         REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    refused = ask_reset(Client(), "PETUGAS@imigrasi.example", REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.content.decode()
    assert len(mailoutbox) == 2
    # An address without an account is limited alike: the limit tells nothing either.
    for n in range(2):
        ask_reset(Client(), "nobody@imigrasi.example", REMOTE_ADDR=f"10.0.1.{n}")
    assert ask_reset(Client(), "nobody@imigrasi.example",
                     REMOTE_ADDR="10.0.1.9").status_code == 429


def test_reset_requests_are_limited_per_network_address(officer, mailoutbox, settings):
    settings.PORA_PASSWORD_RESET_PER_IP = 3
    with_email(officer, "petugas@imigrasi.example")
    for n in range(3):
        assert ask_reset(Client(), f"orang{n}@example.test",
                         REMOTE_ADDR="10.7.7.7").status_code == 302
    assert ask_reset(Client(), "petugas@imigrasi.example",
                     REMOTE_ADDR="10.7.7.7").status_code == 429
    assert mailoutbox == []
    assert ask_reset(Client(), "petugas@imigrasi.example",
                     REMOTE_ADDR="10.7.7.8").status_code == 302
    assert len(mailoutbox) == 1


# ------------------------------------------------------------------- reset: the link


def test_reset_link_sets_a_new_password_and_is_audited(officer, mailoutbox):
    with_email(officer, "petugas@imigrasi.example")
    ask_reset(Client(), "petugas@imigrasi.example")
    client = Client()
    response = reset_with(client, link_in(mailoutbox[0]), NEW_PASSWORD)
    assert (response.status_code, response.url) == (
        302, reverse("core:password_reset_complete"))
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    # The reset logs nobody in: the next login goes through the login page.
    assert not logged_in(client)
    [row] = AuditLog.objects.filter(event=AuditEvent.PASSWORD_RESET)
    assert (row.actor_id, row.object_id, row.office_id) == (
        officer.pk, str(officer.pk), officer.office_id)
    assert log_in(Client(), officer.username, NEW_PASSWORD).status_code == 302


def test_reset_link_hides_the_token_from_the_address_bar(officer):
    link = link_for(officer)
    opened = Client().get(link)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in opened.url


@pytest.mark.parametrize("password", WEAK)
def test_reset_refuses_weak_passwords(officer, password):
    response = reset_with(Client(), link_for(officer), password)
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_a_used_link_cannot_be_used_again(officer):
    link = link_for(officer)
    assert reset_with(Client(), link, NEW_PASSWORD).status_code == 302
    again = Client().get(link)
    assert again.status_code == 200 and again.context["validlink"] is False
    assert "tidak dapat dipakai" in again.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert AuditLog.objects.filter(event=AuditEvent.PASSWORD_RESET).count() == 1


def test_a_link_opened_twice_sets_the_password_only_once(officer):
    """Two tabs opened from one link: the second submission finds the token spent."""
    link = link_for(officer)
    first, second = Client(), Client()
    first_form, second_form = first.get(link).url, second.get(link).url
    for client, form_url in ((first, first_form), (second, second_form)):
        client.get(form_url)
    first.post(first_form, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    late = second.post(second_form, {"new_password1": "bunga-kopi-hujan-93",
                                      "new_password2": "bunga-kopi-hujan-93"})
    assert late.status_code == 200 and late.context["validlink"] is False
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused(officer):
    timeout = dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    made_at = dt.datetime.now() - timeout - dt.timedelta(minutes=1)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=made_at):
        old_token = default_token_generator.make_token(officer)
    response = Client().get(link_for(officer, old_token))
    assert response.status_code == 200 and response.context["validlink"] is False
    # Just inside its time, the link still works.
    made_at = dt.datetime.now() - timeout + dt.timedelta(minutes=1)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=made_at):
        recent_token = default_token_generator.make_token(officer)
    assert reset_with(Client(), link_for(officer, recent_token), NEW_PASSWORD).status_code == 302


def test_a_link_works_only_for_the_account_it_was_made_for(officer, head):
    officers_token = default_token_generator.make_token(officer)
    # The officer's token with the head's account number.
    swapped = reverse("core:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(head.pk)), "token": officers_token})
    response = Client().get(swapped, follow=True)
    assert response.context["validlink"] is False
    head.refresh_from_db()
    assert head.check_password(PASSWORD)


def test_someone_logged_in_as_another_account_cannot_use_the_link(officer, head):
    link = link_for(officer)
    as_head = login(head)
    opened = as_head.get(link, follow=True)
    assert opened.context["validlink"] is False
    token_path = link.rsplit("/", 2)[0] + "/baru/"
    as_head.post(token_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert not AuditLog.objects.filter(event=AuditEvent.PASSWORD_RESET).exists()


def test_a_changed_password_spends_an_earlier_link(officer):
    link = link_for(officer)
    change(login(officer), PASSWORD, NEW_PASSWORD)
    assert Client().get(link, follow=True).context["validlink"] is False


def test_reset_ends_every_session_of_the_account(officer):
    session = login(officer)
    assert session.get(reverse("core:account")).status_code == 200
    reset_with(Client(), link_for(officer), NEW_PASSWORD)
    gone = session.get(reverse("core:account"))
    assert gone.status_code == 302 and gone.url.startswith(reverse("core:login"))


def test_reset_does_not_skip_the_second_factor(officer):
    device = TOTPDevice.objects.create(user=officer, name="PORA", confirmed=True)
    reset_with(Client(), link_for(officer), NEW_PASSWORD)
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    client = Client()
    assert log_in(client, officer.username, NEW_PASSWORD).status_code == 302
    page = client.get(reverse("registry:dashboard"))
    assert (page.status_code, page.url) == (302, reverse("core:otp"))


def test_reset_does_not_lift_a_lockout_and_failures_still_count(officer):
    attacker = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(attacker, officer.username, "guessing")
    assert log_in(Client(), officer.username, PASSWORD).status_code == 429
    # The locked-out user may still reset the password …
    assert reset_with(Client(), link_for(officer), NEW_PASSWORD).status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    # … but the lock stays until it runs out or an administrator lifts it,
    assert log_in(Client(), officer.username, NEW_PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get(username=officer.username)
    before = attempt.failures_since_start
    log_in(Client(), officer.username, "guessing-again")
    attempt.refresh_from_db()
    assert attempt.failures_since_start >= before
    # and once lifted, the new password opens the account.
    AccessAttempt.objects.all().delete()
    assert log_in(Client(), officer.username, NEW_PASSWORD).status_code == 302


def test_a_lodging_user_resets_through_the_same_flow(hotel_operator, mailoutbox):
    with_email(hotel_operator, "fo@pluitbay.example")
    ask_reset(Client(), "fo@pluitbay.example")
    response = reset_with(Client(), link_in(mailoutbox[0]), "PluitBay-2024!")
    assert response.context["form"].errors["new_password2"]  # the lodging's own name
    response = reset_with(Client(), link_in(mailoutbox[0]), NEW_PASSWORD)
    assert response.status_code == 302
    hotel_operator.refresh_from_db()
    assert hotel_operator.check_password(NEW_PASSWORD)


def test_two_accounts_with_one_address_each_get_their_own_link(jakut, mailoutbox):
    first = with_email(make_user("fo_satu", Role.LODGING), "fo@kos.example")
    second = with_email(make_user("fo_dua", Role.LODGING), "fo@kos.example")
    ask_reset(Client(), "fo@kos.example")
    assert sorted(("fo_satu" in m.body, "fo_dua" in m.body) for m in mailoutbox) == [
        (False, True), (True, False)]
    links = {link_in(m) for m in mailoutbox}
    assert len(links) == 2
    for link in links:
        assert reset_with(Client(), link, NEW_PASSWORD).status_code == 302
    for user in (first, second):
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
