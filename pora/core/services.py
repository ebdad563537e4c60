"""Writes on accounts (second factor, users, personal API tokens) and on the working-day
calendar. Each audited in its own transaction."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import task

from pora.core.audit import audit_record
from pora.core.models import (
    AdministrativeArea,
    Agency,
    AuditEvent,
    Office,
    Role,
    User,
    UserToken,
    WorkingDayOverride,
)
from pora.core.rows import Columns, cache_related, fetch
from pora.core.selectors import users_for_password_reset


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed device whose secret the user scans; replaces an earlier unconfirmed one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="PORA", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, token: str) -> bool:
    device = (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    )
    if device is None or not device.verify_token(token.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, event=AuditEvent.SECOND_FACTOR, action="user.second_factor_on",
                 obj=user, changes={"totp": [False, True]})
    return True


@transaction.atomic
def totp_device_remove(*, user: User) -> None:
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        audit_record(actor=user, event=AuditEvent.SECOND_FACTOR,
                     action="user.second_factor_off", obj=user, changes={"totp": [True, False]})


@transaction.atomic
def user_create(*, actor: User | None, username: str, password: str, role: str,
                office=None, agency=None, email: str = "", first_name: str = "") -> User:
    user = User(username=username, role=role, office=office, agency=agency, email=email,
                first_name=first_name, is_staff=False, is_superuser=False)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, event=AuditEvent.CREATE, action="user.created", obj=user,
                 office=office.pk if office else None,
                 changes={"username": [None, username], "role": [None, role],
                          "office": [None, office.pk if office else None],
                          "agency": [None, agency.pk if agency else None]})
    return user


USER_FIELDS = ("username", "first_name", "email", "role", "office", "agency", "is_active")


@transaction.atomic
def user_update(*, actor: User, user: User, role: str, office=None, agency=None,
                first_name: str = "", email: str = "", is_active: bool = True) -> User:
    from pora.core.audit import diff, snapshot

    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, USER_FIELDS)
    user.role, user.office, user.agency = role, office, agency
    user.first_name, user.email, user.is_active = first_name, email, is_active
    user.full_clean(exclude=["password"])
    changed = diff(before, snapshot(user, USER_FIELDS))
    if changed:
        user.save(update_fields=["role", "office", "agency", "first_name", "email",
                                 "is_active"])
        audit_record(actor=actor, event=AuditEvent.UPDATE, action="user.changed", obj=user,
                     office=user.office_id, changes=changed)
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> None:
    validate_password(password, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, event=AuditEvent.UPDATE, action="user.password_set", obj=user,
                 office=user.office_id, changes={"password": ["…", "…"]},
                 note=gettext("Password set by an administrator"))


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """Lift a login lockout (django-axes) for this username."""
    from axes.utils import reset

    count = reset(username=user.get_username()) or 0
    audit_record(actor=actor, event=AuditEvent.UPDATE, action="user.unlocked", obj=user,
                 office=user.office_id, changes={"lockout": [count, 0]}, note=gettext("Login lockout lifted."))
    return count


# ------------------------------------------------------------------ own password

# Changing or resetting a password ends the user's other sessions: Django keeps a hash of
# the password in each session and refuses a session whose hash no longer matches. The
# view that changed it renews the hash of its own session only.


@transaction.atomic
def password_change(*, user: User, password: str, ip: str | None = None) -> User:
    """The user sets a new password (the current one checked by the caller)."""
    validate_password(password, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, event=AuditEvent.PASSWORD_CHANGE, action="user.password_changed",
                 obj=user,
                 office=user.office_id, note=ip or "")
    return user


class ResetLinkInvalid(ValueError):
    """The link was used already, has expired or is not this user's."""


@transaction.atomic
def password_reset_complete(*, user: User, token: str, password: str,
                            ip: str | None = None) -> User:
    """The holder of a reset link sets a new password.

    The token is checked again with the row locked: of two submissions of one link, the
    second finds the password changed, which invalidates the token. Neither the second
    factor nor a login lockout is touched: the next login still needs both.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active or not default_token_generator.check_token(user, token):
        raise ResetLinkInvalid
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, event=AuditEvent.PASSWORD_RESET, action="user.password_reset",
                 obj=user,
                 office=user.office_id, note=ip or "")
    return user


def password_reset_request(*, email: str, base_url: str, ip: str | None = None) -> None:
    """Mail a reset link to the accounts with this address, in the background.

    The request only queues the work: its answer and its timing are then the same whether
    the address has an account or not (a lookup and a mail sent in the request would tell).
    """
    send_password_reset_links.enqueue(
        email=email.strip()[:254], base_url=base_url, ip=ip or "",
        language=translation.get_language() or settings.LANGUAGE_CODE)


@task()
def send_password_reset_links(email: str, base_url: str, ip: str = "",
                              language: str = "id") -> int:
    sent = 0
    with translation.override(language):
        for user in users_for_password_reset(email):
            with transaction.atomic():
                audit_record(actor=None, event=AuditEvent.PASSWORD_RESET_LINK,
                             action="user.password_reset_link", obj=user,
                             office=user.office_id, note=ip)
            link = base_url.rstrip("/") + reverse("core:password_reset_confirm", kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user)})
            send_mail(
                subject=gettext("PORA: choose a new password"),
                message=gettext(
                    "Someone, hopefully you, asked to reset the password of the PORA account "
                    "%(username)s. Open this link to choose a new password:\n\n%(link)s\n\n"
                    "The link works once and for %(minutes)s minutes. If you did not ask for "
                    "it, ignore this email: your password stays as it is.") % {
                    "username": user.get_username(), "link": link,
                    "minutes": settings.PASSWORD_RESET_TIMEOUT // 60},
                from_email=None, recipient_list=[user.email])
            sent += 1
    return sent


# ------------------------------------------------------------------ personal API tokens

# Distinct from the lodging tokens' "pora_", so that an API refuses the wrong kind of
# token without a lookup in the other table.
USER_TOKEN_PREFIX = "porau_"
# Writing "last used" on every call would make each API call a second write.
USER_TOKEN_LAST_USED_RESOLUTION = 60  # seconds


def user_token_digest(raw: str) -> str:
    # 256 random bits: a fast hash cannot be brute-forced, a slow one would cost every call.
    return hashlib.sha256(raw.encode()).hexdigest()


def may_hold_token(user: User) -> bool:
    """Office staff only: a token acts for its user with the user's office and role."""
    return user.is_active and user.office_id is not None


@transaction.atomic
def user_token_create(*, actor: User | None, user: User, name: str) -> tuple[UserToken, str]:
    """A new token for ``user``; the raw value is returned once and never stored."""
    if not may_hold_token(user):
        raise PermissionError("only active office staff hold personal API tokens")
    if actor is not None and actor.pk != user.pk:
        raise PermissionError("a personal token is created by its user (or on the server)")
    raw = USER_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = UserToken.objects.create(user=user, name=name.strip()[:100] or "API",
                                     prefix=raw[:14], digest=user_token_digest(raw))
    audit_record(actor=actor, event=AuditEvent.CREATE, action="user_token.created", obj=token,
                 office=user.office_id,
                 changes={"user": [None, user.get_username()], "name": [None, token.name],
                          "prefix": [None, token.prefix]})
    return token, raw


@transaction.atomic
def user_token_revoke(*, actor: User | None, token: UserToken) -> UserToken:
    """Its user, an administrator or the server (``actor=None``) revokes a token."""
    if actor is not None and actor.pk != token.user_id and actor.role != Role.ADMIN:
        raise PermissionError("only the token's user or an administrator revokes it")
    token = UserToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, event=AuditEvent.UPDATE, action="user_token.revoked",
                     obj=token, office=token.user.office_id,
                     changes={"revoked_at": [None, token.revoked_at]})
    return token


# Every API call with a personal token reads it with its user: written as SQL once (the ORM
# compiles a select_related query anew each time); the digest is unique.
_TOKEN = Columns(UserToken, "t")
_USER = Columns(User, "u")
_TOKEN_SQL = (
    f"SELECT {_TOKEN.sql}, {_USER.sql} FROM {UserToken._meta.db_table} t "
    f"JOIN {User._meta.db_table} u ON u.id = t.user_id "
    "WHERE t.digest = %s AND t.revoked_at IS NULL")


def user_token_authenticate(raw: str, *, ip: str | None = None) -> UserToken | None:
    """The active token with this value and an active user (loaded); None otherwise."""
    if not raw.startswith(USER_TOKEN_PREFIX) or len(raw) > 100:
        return None
    rows = fetch(_TOKEN_SQL, [user_token_digest(raw)])
    if not rows:
        return None
    token = _TOKEN.load(rows[0])
    cache_related(token, "user", _USER.load(rows[0], _TOKEN.width))
    if not token.user.is_active:
        return None
    now = timezone.now()
    if (token.last_used_at is None or token.last_used_ip != ip
            or (now - token.last_used_at).total_seconds() > USER_TOKEN_LAST_USED_RESOLUTION):
        UserToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
        token.last_used_at, token.last_used_ip = now, ip
    return token


# ------------------------------------------------------------------ offices and agencies


def areas_from_codes(text: str) -> list[AdministrativeArea]:
    """The areas named by Kemendagri codes separated by spaces or commas; every code must
    exist (ValidationError naming the unknown ones)."""
    from django.core.exceptions import ValidationError

    codes = list(dict.fromkeys(text.replace(",", " ").split()))
    if len(codes) > 200:
        raise ValidationError(gettext("At most 200 area codes."))
    areas = list(AdministrativeArea.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {a.code for a in areas})
    if unknown:
        raise ValidationError(gettext("Unknown area codes: %(codes)s")
                              % {"codes": ", ".join(unknown[:10])})
    return sorted(areas, key=lambda a: a.code)


OFFICE_FIELDS = ("code", "name")


@transaction.atomic
def office_create(*, actor: User, code: str, name: str,
                  jurisdiction: list[AdministrativeArea]) -> Office:
    office = Office(code=code.strip(), name=name.strip())
    office.full_clean()
    office.save()
    office.jurisdiction.set(jurisdiction)
    audit_record(actor=actor, event=AuditEvent.CREATE, action="office.created", obj=office,
                 office=office,
                 changes={"code": [None, office.code], "name": [None, office.name],
                          "jurisdiction": [None, [a.code for a in jurisdiction]]},
                 note=gettext("Office added"))
    return office


@transaction.atomic
def office_update(*, actor: User, office: Office, name: str,
                  jurisdiction: list[AdministrativeArea]) -> Office:
    """Rename an office or change its jurisdiction; its code (used in links) stays."""
    from pora.core.audit import diff, snapshot

    office = Office.objects.select_for_update().get(pk=office.pk)
    before = snapshot(office, ("name",))
    before_areas = sorted(office.jurisdiction.values_list("code", flat=True))
    office.name = name.strip()
    office.full_clean()
    changed = diff(before, snapshot(office, ("name",)))
    after_areas = [a.code for a in jurisdiction]
    if after_areas != before_areas:
        changed["jurisdiction"] = [before_areas, after_areas]
        office.jurisdiction.set(jurisdiction)
    if changed:
        office.save(update_fields=["name"])
        audit_record(actor=actor, event=AuditEvent.UPDATE, action="office.changed",
                     obj=office, office=office,
                     changes=changed, note=gettext("Office changed"))
    return office


AGENCY_FIELDS = ("name", "kind", "office", "area")


@transaction.atomic
def agency_create(*, actor: User, name: str, kind: str, office: Office,
                  area: AdministrativeArea | None = None) -> Agency:
    agency = Agency(name=name.strip(), kind=kind, office=office, area=area)
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, event=AuditEvent.CREATE, action="agency.created", obj=agency,
                 office=office,
                 changes={"name": [None, agency.name], "kind": [None, kind],
                          "office": [None, office.pk], "area": [None, area.pk if area else None]},
                 note=gettext("Partner agency added"))
    return agency


@transaction.atomic
def agency_update(*, actor: User, agency: Agency, name: str, kind: str, office: Office,
                  area: AdministrativeArea | None = None) -> Agency:
    from pora.core.audit import diff, snapshot

    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = snapshot(agency, AGENCY_FIELDS)
    agency.name, agency.kind, agency.office, agency.area = name.strip(), kind, office, area
    agency.full_clean()
    changed = diff(before, snapshot(agency, AGENCY_FIELDS))
    if changed:
        agency.save(update_fields=list(changed))
        audit_record(actor=actor, event=AuditEvent.UPDATE, action="agency.changed",
                     obj=agency, office=office,
                     changes=changed, note=gettext("Partner agency changed"))
    return agency


# ------------------------------------------------------------------ working-day calendar


OVERRIDE_FIELDS = ("date", "is_working", "name", "office", "note")


def _override_clean(override: WorkingDayOverride) -> None:
    from django.core.exceptions import ValidationError

    from pora.core.deadlines import FIRST_YEAR, LAST_YEAR

    override.name = override.name.strip()
    override.note = override.note.strip()
    if override.date is not None and not FIRST_YEAR <= override.date.year <= LAST_YEAR:
        raise ValidationError({"date": gettext(
            "The working-day calendar covers the years %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}})
    # Also checks the one-override-per-(office, date) constraints, with their messages.
    override.full_clean(exclude=["created_by", "updated_by"])


@transaction.atomic
def working_day_override_create(*, actor: User, date, is_working: bool, name: str,
                                office: Office | None = None,
                                note: str = "") -> WorkingDayOverride:
    """A day made a working day or a day off, nationally or for ``office`` (Perpres
    21/2023: offices may depart from the national calendar on single days)."""
    from pora.core.audit import snapshot
    from pora.core.deadlines import forget_overrides

    override = WorkingDayOverride(date=date, is_working=is_working, name=name, office=office,
                                  note=note, created_by=actor, updated_by=actor)
    _override_clean(override)
    override.save()
    audit_record(actor=actor, event=AuditEvent.CALENDAR_CHANGE, action="calendar.day_added",
                 obj=override,
                 office=override.office_id,
                 changes={k: [None, v] for k, v in snapshot(override, OVERRIDE_FIELDS).items()},
                 note=gettext("Working-day override added"))
    forget_overrides()
    return override


@transaction.atomic
def working_day_override_update(*, actor: User, override: WorkingDayOverride, date,
                                is_working: bool, name: str, office: Office | None = None,
                                note: str = "") -> WorkingDayOverride:
    from pora.core.audit import diff, snapshot
    from pora.core.deadlines import forget_overrides

    # No ordering: the default one joins offices, and PostgreSQL locks no outer join.
    override = WorkingDayOverride.objects.select_for_update().order_by().get(pk=override.pk)
    before = snapshot(override, OVERRIDE_FIELDS)
    override.date, override.is_working, override.name = date, is_working, name
    override.office, override.note = office, note
    _override_clean(override)
    changed = diff(before, snapshot(override, OVERRIDE_FIELDS))
    if changed:
        override.updated_by = actor
        override.save(update_fields=[*OVERRIDE_FIELDS, "updated_by", "updated_at"])
        # Both offices' heads see a move from one office to another.
        audit_record(actor=actor, event=AuditEvent.CALENDAR_CHANGE, action="calendar.day_changed",
                 obj=override,
                     office=override.office_id or before["office"], changes=changed,
                     note=gettext("Working-day override changed"))
        forget_overrides()
    return override


@transaction.atomic
def working_day_override_delete(*, actor: User, override: WorkingDayOverride) -> None:
    from pora.core.audit import snapshot
    from pora.core.deadlines import forget_overrides

    override = (WorkingDayOverride.objects.select_for_update().order_by()
                .filter(pk=override.pk).first())
    if override is None:
        return
    audit_record(actor=actor, event=AuditEvent.CALENDAR_CHANGE, action="calendar.day_removed",
                 obj=override,
                 office=override.office_id,
                 changes={k: [v, None] for k, v in snapshot(override, OVERRIDE_FIELDS).items()},
                 note=gettext("Working-day override removed"))
    override.delete()
    forget_overrides()
