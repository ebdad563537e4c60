from __future__ import annotations

from django.db.models import QuerySet

from pora.core.models import AdministrativeArea, AreaLevel, Office, User
from pora.core.rows import Columns, fetch


def kelurahan_office_map() -> dict[int, int]:
    """kelurahan id → id of the office whose jurisdiction covers it."""
    mapping: dict[int, int] = {}
    for office in Office.objects.prefetch_related("jurisdiction"):
        for kelurahan_id in office.kelurahan_queryset().values_list("id", flat=True):
            mapping.setdefault(kelurahan_id, office.id)
    return mapping


def office_for_kelurahan(kelurahan: AdministrativeArea | None) -> Office | None:
    """The office whose jurisdiction covers the kelurahan (the first by name), one query.

    A jurisdiction names areas at any level, and codes nest ("31.72.01.1001" lies in
    "31.72.01", "31.72" and "31"), so the kelurahan's code and every prefix of it are the
    areas a covering jurisdiction may name (as :meth:`Office.kelurahan_queryset` reads).
    """
    if kelurahan is None or kelurahan.level != AreaLevel.KELURAHAN:
        return None
    parts = kelurahan.code.split(".")
    prefixes = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    # Every new foreigner a lodging reports asks this: SQL written once (the ORM's join
    # through the jurisdiction table compiles anew each time, a millisecond of CPU).
    rows = fetch(_OFFICE_FOR_AREAS_SQL.format(
        codes=", ".join(["%s"] * len(prefixes))), prefixes)
    return _OFFICE.load(rows[0]) if rows else None


_OFFICE = Columns(Office, "o")
_JURISDICTION = Office.jurisdiction.through._meta
_OFFICE_FOR_AREAS_SQL = (
    f"SELECT {_OFFICE.sql} FROM {Office._meta.db_table} o "
    f"WHERE o.id IN (SELECT j.{_JURISDICTION.get_field('office').column} "
    f"FROM {_JURISDICTION.db_table} j "
    f"JOIN {AdministrativeArea._meta.db_table} a "
    f"ON a.id = j.{_JURISDICTION.get_field('administrativearea').column} "
    "WHERE a.code IN ({codes})) ORDER BY o.name ASC, o.id ASC LIMIT 1")


def kelurahan_lookup() -> dict[str, AdministrativeArea]:
    """Kelurahan by code and by folded name, for imports that name either."""
    from pora.names.folding import fold

    out: dict[str, AdministrativeArea] = {}
    for area in AdministrativeArea.objects.filter(level=AreaLevel.KELURAHAN):
        out[area.code] = area
        out.setdefault(fold(area.name), area)
    return out


def default_as_of():
    """The date figures open on: today (the demo's day in the demo, see pora.core.clock)."""
    from pora.core import clock

    return clock.today()


def get_office_for_user(user):
    """The office whose figures the user may see (their own, or their agency's team)."""
    from django.core.exceptions import PermissionDenied

    office = Office.objects.filter(pk=user.scope_office_id).first()
    if office is None:
        raise PermissionDenied
    return office


def users_for_password_reset(email: str) -> list[User]:
    """Active accounts with this address (any case) that log in with a password."""
    if not email or len(email) > 254:
        return []
    return [user for user in User.objects.filter(email__iexact=email, is_active=True)
            .select_related("office")[:20] if user.has_usable_password()]


# ------------------------------------------------------------------- reference data


def office_list():
    from django.db.models import Count

    return Office.objects.annotate(areas=Count("jurisdiction", distinct=True),
                                   agency_count=Count("agencies", distinct=True)).order_by("name")


def agency_list(*, q: str = "", office_id: int | None = None):
    from pora.core.models import Agency

    agencies = Agency.objects.select_related("office", "area").order_by("office__name", "name")
    if q.strip():
        agencies = agencies.filter(name__icontains=q.strip())
    if office_id is not None:
        agencies = agencies.filter(office_id=office_id)
    return agencies


def working_day_overrides(year: int):
    """The overrides of ``year`` with their office and last editor, by date."""
    from pora.core.models import WorkingDayOverride

    return (WorkingDayOverride.objects.filter(date__year=year)
            .select_related("office", "updated_by").order_by("date", "office__name", "id"))


def get_working_day_override(pk: int):
    """One override (404 when there is none); only administrators reach the callers."""
    from django.http import Http404

    from pora.core.models import WorkingDayOverride

    override = WorkingDayOverride.objects.select_related("office").filter(pk=pk).first()
    if override is None:
        raise Http404
    return override


# ----------------------------------------------------------------- accounts and devices


def second_factor_devices(user: User):
    """The user's confirmed TOTP device (or None) and one still being set up (or None)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = list(TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id"))
    confirmed = next((d for d in devices if d.confirmed), None)
    pending = next((d for d in devices if not d.confirmed), None)
    return confirmed, pending


def get_own_token(user: User, pk: str):
    """One of the user's own personal tokens; 404 for any other, so that ids reveal nothing."""
    from django.http import Http404

    from pora.core.models import UserToken

    token = (UserToken.objects.filter(user=user, pk=int(pk)).first()
             if pk.isdecimal() and pk.isascii() and len(pk) < 19 else None)
    if token is None:
        raise Http404
    return token


def username_exists(username: str) -> bool:
    return User.objects.filter(username=username).exists()


def office_usernames(office_id: int | None) -> list[str]:
    return list(User.objects.filter(office_id=office_id).order_by("username")
                .values_list("username", flat=True))


def user_list():
    return User.objects.select_related("office", "agency").order_by("username")


def get_user_for_admin(pk: int) -> User:
    """Any account, for the administrator's pages (the views let only administrators in)."""
    from django.http import Http404

    user = User.objects.select_related("office", "agency").filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def is_locked_out(user: User) -> bool:
    """Whether the login lockout (django-axes) holds failed attempts for the account."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(username=user.username).exists()


def get_office_for_admin(pk: int) -> Office:
    from django.http import Http404

    office = Office.objects.filter(pk=pk).first()
    if office is None:
        raise Http404
    return office


def offices_by_name():
    return Office.objects.order_by("name")


def office_names() -> dict[int, str]:
    return dict(Office.objects.values_list("id", "name"))


def get_agency_for_admin(pk: int):
    from django.http import Http404

    from pora.core.models import Agency

    agency = Agency.objects.select_related("office", "area").filter(pk=pk).first()
    if agency is None:
        raise Http404
    return agency


def audit_trail_of(obj) -> QuerySet:
    """The audit rows of one object, oldest first (a hit's history, a permit's changes)."""
    from pora.core.models import AuditLog

    return AuditLog.objects.filter(object_type=obj._meta.label,
                                   object_id=str(obj.pk)).order_by("at", "id")
