"""Writes on accounts: second factor set-up. Each audited in its own transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from pora.core.audit import audit_record
from pora.core.models import AuditEvent, User


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
