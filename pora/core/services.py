"""Writes on accounts (second factor, users, personal API tokens) and on the working-day
calendar. Each audited in its own transaction."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from pora.core.audit import audit_record
from pora.core.models import AuditEvent, Office, Role, User, UserToken, WorkingDayOverride
from pora.core.rows import Columns, cache_related, fetch


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
    audit_record(actor=user, event=AuditEvent.SECOND_FACTOR, obj=user,
                 changes={"totp": [False, True]})
    return True


@transaction.atomic
def totp_device_remove(*, user: User) -> None:
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        audit_record(actor=user, event=AuditEvent.SECOND_FACTOR, obj=user,
                     changes={"totp": [True, False]})


@transaction.atomic
def user_create(*, actor: User | None, username: str, password: str, role: str,
                office=None, agency=None, email: str = "", first_name: str = "") -> User:
    user = User(username=username, role=role, office=office, agency=agency, email=email,
                first_name=first_name, is_staff=False, is_superuser=False)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, event=AuditEvent.CREATE, obj=user,
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
        audit_record(actor=actor, event=AuditEvent.UPDATE, obj=user,
                     office=user.office_id, changes=changed)
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> None:
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, event=AuditEvent.UPDATE, obj=user, office=user.office_id,
                 changes={"password": ["…", "…"]},
                 note=gettext("Password set by an administrator"))


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """Lift a login lockout (django-axes) for this username."""
    from axes.utils import reset

    count = reset(username=user.get_username()) or 0
    audit_record(actor=actor, event=AuditEvent.UPDATE, obj=user, office=user.office_id,
                 changes={"lockout": [count, 0]}, note=gettext("Login lockout lifted."))
    return count


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
    audit_record(actor=actor, event=AuditEvent.CREATE, obj=token, office=user.office_id,
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
        audit_record(actor=actor, event=AuditEvent.UPDATE, obj=token,
                     office=token.user.office_id,
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
    audit_record(actor=actor, event=AuditEvent.CALENDAR_CHANGE, obj=override,
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
        audit_record(actor=actor, event=AuditEvent.CALENDAR_CHANGE, obj=override,
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
    audit_record(actor=actor, event=AuditEvent.CALENDAR_CHANGE, obj=override,
                 office=override.office_id,
                 changes={k: [v, None] for k, v in snapshot(override, OVERRIDE_FIELDS).items()},
                 note=gettext("Working-day override removed"))
    override.delete()
    forget_overrides()
