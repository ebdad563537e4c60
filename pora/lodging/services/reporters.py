"""Reporter accounts: registration, email confirmation, officer verification, staff, tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pora.core import clock
from pora.core.audit import audit_record, snapshot
from pora.core.models import AdministrativeArea, AuditEvent, Office, Role, User
from pora.core.rows import Columns, cache_related, fetch
from pora.core.selectors import office_for_kelurahan
from pora.lodging.models import ApiToken, Lodging, LodgingStaff, ReporterStatus

LODGING_FIELDS = ("kind", "name", "lodging_type", "licence_number", "kelurahan", "street",
                  "latitude", "longitude", "person_in_charge", "phone", "email", "office",
                  "status")
_EMAIL_SALT = "pora.lodging.email"
TOKEN_PREFIX = "pora_"


class RegistrationError(ValueError):
    pass


@dataclass(frozen=True)
class Registration:
    kind: str
    name: str
    lodging_type: str
    licence_number: str
    kelurahan: AdministrativeArea
    street: str
    person_in_charge: str
    email: str
    phone: str = ""
    latitude: object = None
    longitude: object = None


@transaction.atomic
def lodging_register(*, data: Registration, username: str, password: str,
                     base_url: str = "") -> tuple[Lodging, User]:
    """Create the account unconfirmed and mail the link that confirms the address."""
    office = office_for_kelurahan(data.kelurahan)
    if office is None:
        raise RegistrationError(_("No immigration office in PORA covers this kelurahan."))
    lodging = Lodging(**data.__dict__, office=office, status=ReporterStatus.EMAIL_PENDING)
    lodging.full_clean()
    lodging.save()
    user = User(username=username, email=data.email, role=Role.LODGING,
                first_name=data.person_in_charge[:150])
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    LodgingStaff.objects.create(user=user, lodging=lodging, is_manager=True)
    audit_record(actor=user, event=AuditEvent.CREATE, action="lodging.registered", obj=lodging,
                 office=office,
                 changes={k: [None, v] for k, v in snapshot(lodging, LODGING_FIELDS).items()},
                 note="registration")
    transaction.on_commit(lambda: send_confirmation(lodging, base_url=base_url))
    return lodging, user


def confirmation_token(lodging: Lodging) -> str:
    return signing.dumps({"lodging": lodging.pk, "email": lodging.email}, salt=_EMAIL_SALT)


def send_confirmation(lodging: Lodging, *, base_url: str = "") -> None:
    link = base_url.rstrip("/") + reverse("lodging:confirm_email",
                                          args=[confirmation_token(lodging)])
    send_mail(
        subject=_("PORA: confirm the email address of %(name)s") % {"name": lodging.name},
        message=_("Open this link to confirm the email address of your PORA reporter "
                  "account:\n\n%(link)s\n\nThe link is valid for %(days)s days. An "
                  "immigration officer then verifies the account.") % {
            "link": link, "days": settings.PORA_EMAIL_CONFIRM_DAYS},
        from_email=None, recipient_list=[lodging.email],
    )


@transaction.atomic
def lodging_confirm_email(token: str) -> Lodging:
    """The link from the email: raises ``signing.BadSignature`` when forged or expired."""
    data = signing.loads(token, salt=_EMAIL_SALT,
                         max_age=settings.PORA_EMAIL_CONFIRM_DAYS * 86400)
    lodging = Lodging.objects.select_for_update().get(pk=data["lodging"])
    if lodging.email != data["email"]:
        raise signing.BadSignature("address changed since the link was sent")
    if lodging.status == ReporterStatus.EMAIL_PENDING:
        lodging.status = ReporterStatus.PENDING
        lodging.email_confirmed_at = clock.now()
        lodging.save(update_fields=["status", "email_confirmed_at"])
        audit_record(actor=None, event=AuditEvent.UPDATE, action="lodging.email_confirmed",
                     obj=lodging, office=lodging.office_id,
                     changes={"status": [ReporterStatus.EMAIL_PENDING, lodging.status]},
                     note="email confirmed")
    return lodging


@transaction.atomic
def lodging_set_status(*, actor: User, lodging: Lodging, status: str, note: str = "") -> Lodging:
    """An officer of the lodging's office verifies or suspends the account."""
    if not (actor.can_write_registry and actor.office_id == lodging.office_id):
        raise PermissionError("only the supervising office decides on a reporter account")
    lodging = Lodging.objects.select_for_update().get(pk=lodging.pk)
    before = lodging.status
    if before == status:
        return lodging
    lodging.status = status
    fields = ["status"]
    if status == ReporterStatus.VERIFIED:
        lodging.verified_at, lodging.verified_by = clock.now(), actor
        fields += ["verified_at", "verified_by"]
    lodging.save(update_fields=fields)
    action = {ReporterStatus.VERIFIED: "lodging.verified",
              ReporterStatus.SUSPENDED: "lodging.suspended"}.get(status, "lodging.status_changed")
    audit_record(actor=actor, event=AuditEvent.UPDATE, action=action, obj=lodging,
                 office=lodging.office_id, changes={"status": [before, status]}, note=note)
    return lodging


@transaction.atomic
def staff_add(*, actor: User, lodging: Lodging, username: str, email: str,
              password: str, full_name: str = "") -> User:
    """A manager of the lodging adds a front-desk colleague."""
    if not LodgingStaff.objects.filter(user=actor, lodging=lodging, is_manager=True).exists():
        raise PermissionError("only the lodging's manager adds staff")
    user = User(username=username, email=email, role=Role.LODGING, first_name=full_name[:150])
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    LodgingStaff.objects.create(user=user, lodging=lodging)
    audit_record(actor=actor, event=AuditEvent.CREATE, action="lodging.staff_added", obj=user,
                 office=lodging.office_id,
                 changes={"username": [None, username], "lodging": [None, lodging.pk]},
                 note="lodging staff")
    return user


# --------------------------------------------------------------------------- tokens


def token_digest(raw: str) -> str:
    # Tokens carry 256 random bits: a fast hash cannot be brute-forced, a slow one would
    # cost every API call.
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: User | None, lodging: Lodging, label: str) -> tuple[ApiToken, str]:
    """A new token; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(lodging=lodging, label=label.strip()[:100] or "API",
                                    prefix=raw[:12], digest=token_digest(raw), created_by=actor)
    audit_record(actor=actor, event=AuditEvent.CREATE, action="lodging_token.created",
                 obj=token, office=lodging.office_id,
                 changes={"label": [None, token.label], "prefix": [None, token.prefix]})
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, event=AuditEvent.UPDATE, action="lodging_token.revoked",
                     obj=token, office=token.lodging.office_id,
                     changes={"revoked_at": [None, token.revoked_at]})
    return token


# Writing "last used" on every call would make each API call a second write.
LAST_USED_RESOLUTION = 60  # seconds


# Every API call reads its token: the lodging comes with it, and its office and kelurahan,
# which a report of a new foreigner records as their address. Written as SQL once (the
# ORM compiles a select_related query anew each time); the digest is unique.
_TOKEN = Columns(ApiToken, "t")
_LODGING = Columns(Lodging, "l")
_OFFICE = Columns(Office, "o")
_KELURAHAN = Columns(AdministrativeArea, "k")
_TOKEN_SQL = (
    f"SELECT {_TOKEN.sql}, {_LODGING.sql}, {_OFFICE.sql}, {_KELURAHAN.sql} "
    f"FROM {ApiToken._meta.db_table} t "
    f"JOIN {Lodging._meta.db_table} l ON l.id = t.lodging_id "
    f"JOIN {Office._meta.db_table} o ON o.id = l.office_id "
    f"JOIN {AdministrativeArea._meta.db_table} k ON k.id = l.kelurahan_id "
    "WHERE t.digest = %s")


def _token_with_lodging(digest: str) -> ApiToken | None:
    """``ApiToken.objects.select_related("lodging", "lodging__office",
    "lodging__kelurahan").get(digest=digest)``, None when there is none."""
    rows = fetch(_TOKEN_SQL, [digest])
    if not rows:
        return None
    row = rows[0]
    token = _TOKEN.load(row)
    at = _TOKEN.width
    lodging = _LODGING.load(row, at)
    at += _LODGING.width
    cache_related(lodging, "office", _OFFICE.load(row, at))
    cache_related(lodging, "kelurahan", _KELURAHAN.load(row, at + _OFFICE.width))
    cache_related(token, "lodging", lodging)
    return token


def token_authenticate(raw: str, *, ip: str | None = None) -> ApiToken | None:
    """The active token with this value, its lodging loaded; None if unknown or revoked."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = _token_with_lodging(token_digest(raw))
    if token is None:
        return None
    if token.revoked_at is not None:
        return None
    now = timezone.now()
    if (token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION
            or token.last_used_ip != ip):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
        token.last_used_at, token.last_used_ip = now, ip
    return token
