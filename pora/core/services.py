"""Writes on accounts: second factor set-up. Each audited in its own transaction."""

from __future__ import annotations

from django.db import transaction
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
