"""Reads about lodgings and stays, each scoped to what the asking user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from pora.core.models import AdministrativeArea, AreaLevel, User
from pora.lodging.models import ApiToken, GuestListImport, Lodging, LodgingStaff, Stay


def lodging_for_user(user: User) -> Lodging | None:
    """The lodging a front-desk user reports for (None for everybody else)."""
    if not (user.is_authenticated and user.is_active and user.role == "lodging"):
        return None
    staff = LodgingStaff.objects.select_related("lodging", "lodging__office",
                                                "lodging__kelurahan").filter(user=user).first()
    return staff.lodging if staff else None


def password_words(user: User) -> list[str]:
    """Names a password of this lodging's staff may not be built from (its name, its
    kelurahan): registered as a source of pora.core.passwords."""
    if user.pk is None or user.role != "lodging":
        return []
    staff = (LodgingStaff.objects.select_related("lodging__kelurahan").filter(user=user)
             .first())
    return [staff.lodging.name, staff.lodging.kelurahan.name] if staff else []


def is_manager(user: User, lodging: Lodging) -> bool:
    return LodgingStaff.objects.filter(user=user, lodging=lodging, is_manager=True).exists()


def stays_for_lodging(lodging: Lodging) -> QuerySet[Stay]:
    return Stay.objects.filter(lodging=lodging).order_by("-checked_in_at", "-id")


def stays_for_officer(user: User) -> QuerySet[Stay]:
    """Stays at lodgings in the officer's office (personal data: officers and heads)."""
    if not user.can_see_personal_data:
        return Stay.objects.none()
    return Stay.objects.filter(office_id=user.office_id)


def get_stay_for_user(user: User, pk: int) -> Stay:
    lodging = lodging_for_user(user)
    if lodging is not None:
        base = stays_for_lodging(lodging)
    else:
        base = stays_for_officer(user)
    stay = base.select_related("lodging", "lodging__kelurahan", "person", "office").filter(
        pk=pk).first()
    if stay is None:
        raise Http404
    return stay


def lodgings_for_officer(user: User) -> QuerySet[Lodging]:
    if user.scope_office_id is None:
        return Lodging.objects.none()
    return Lodging.objects.filter(office_id=user.scope_office_id)


def get_lodging_for_officer(user: User, pk: int) -> Lodging:
    lodging = lodgings_for_officer(user).select_related("kelurahan", "office").filter(
        pk=pk).first()
    if lodging is None:
        raise Http404
    return lodging


# A guest search reads at most this many words (a pasted paragraph is not a name).
GUEST_QUERY_WORDS = 5


def stays_matching(stays: QuerySet[Stay], query: str) -> QuerySet[Stay]:
    """The stays whose guest carries every word of ``query`` in the surname or given names
    (names are stored in capitals), or whose passport number holds it (spaces left out)
    or whose receipt number it is."""
    words = query.upper().split()[:GUEST_QUERY_WORDS]
    if not words:
        return stays
    by_name = Q()
    for word in words:
        by_name &= Q(surname__contains=word) | Q(given_names__contains=word)
    compact = "".join(words)
    return stays.filter(by_name | Q(document_number__contains=compact)
                        | Q(receipt_number=compact))


def current_stays(office_id: int) -> QuerySet[Stay]:
    return Stay.objects.filter(office_id=office_id, checked_out_at__isnull=True)


@dataclass
class PlaceCount:
    id: int
    name: str
    latitude: float | None
    longitude: float | None
    guests: int
    overdue: int = 0


def guests_by_place(office_id: int, today: dt.date) -> tuple[list[PlaceCount], list[PlaceCount]]:
    """Current guests per kelurahan and per lodging: the live picture and the map's markers."""
    overdue = Q(expected_checkout__lt=today)
    by_lodging = (current_stays(office_id).values(
        "lodging_id", "lodging__name", "lodging__latitude", "lodging__longitude",
        "lodging__kelurahan_id")
        .annotate(n=Count("id"), late=Count("id", filter=overdue)).order_by("-n"))
    lodgings, per_kelurahan = [], defaultdict(lambda: [0, 0])
    for row in by_lodging:
        lodgings.append(PlaceCount(
            row["lodging_id"], row["lodging__name"],
            float(row["lodging__latitude"]) if row["lodging__latitude"] is not None else None,
            float(row["lodging__longitude"]) if row["lodging__longitude"] is not None else None,
            row["n"], row["late"]))
        per_kelurahan[row["lodging__kelurahan_id"]][0] += row["n"]
        per_kelurahan[row["lodging__kelurahan_id"]][1] += row["late"]
    areas = AdministrativeArea.objects.filter(pk__in=per_kelurahan, level=AreaLevel.KELURAHAN)
    kelurahan = [PlaceCount(a.pk, a.name,
                            float(a.latitude) if a.latitude is not None else None,
                            float(a.longitude) if a.longitude is not None else None,
                            *per_kelurahan[a.pk]) for a in areas]
    kelurahan.sort(key=lambda p: (-p.guests, p.name))
    return kelurahan, lodgings


@dataclass
class ComplianceRow:
    lodging: Lodging
    months: dict[str, int]
    reports: int
    late: int
    last_report: dt.datetime | None
    current: int

    @property
    def late_rate(self) -> float | None:
        return round(100 * self.late / self.reports, 1) if self.reports else None

    def silent_days(self, now: dt.datetime) -> int | None:
        return (now - self.last_report).days if self.last_report else None


def compliance(office_id: int, *, now: dt.datetime, months: int = 6,
               late_hours: int = 24) -> tuple[list[str], list[ComplianceRow]]:
    """Per lodging: reports per month, the share reported late, days since the last one."""
    local = timezone.localtime(now)
    first = local.year * 12 + local.month - 1 - (months - 1)
    start = local.replace(year=first // 12, month=first % 12 + 1, day=1, hour=0, minute=0,
                          second=0, microsecond=0)
    labels = []
    for index in range(months):
        year, month = divmod(first + index, 12)
        labels.append(f"{year}-{month + 1:02d}")
    lodgings = list(Lodging.objects.filter(office_id=office_id).select_related("kelurahan"))
    stays = Stay.objects.filter(office_id=office_id, reported_at__gte=start,
                                reported_at__lte=now)
    per_month = defaultdict(dict)
    for row in (stays.annotate(month=TruncMonth("reported_at")).values("lodging_id", "month")
                .annotate(n=Count("id"))):
        per_month[row["lodging_id"]][timezone.localtime(row["month"]).strftime("%Y-%m")
                                     if timezone.is_aware(row["month"])
                                     else row["month"].strftime("%Y-%m")] = row["n"]
    totals = {row["lodging_id"]: row for row in stays.values("lodging_id").annotate(
        n=Count("id"),
        late=Count("id", filter=Q(reported_at__gt=models_late_expression(late_hours))))}
    last = dict(Stay.objects.filter(office_id=office_id, reported_at__lte=now)
                .values("lodging_id")
                .annotate(last=Max("reported_at")).values_list("lodging_id", "last"))
    current = dict(current_stays(office_id).values("lodging_id").annotate(n=Count("id"))
                   .values_list("lodging_id", "n"))
    rows = [ComplianceRow(
        lodging=lodging, months={m: per_month[lodging.pk].get(m, 0) for m in labels},
        reports=totals.get(lodging.pk, {}).get("n", 0),
        late=totals.get(lodging.pk, {}).get("late", 0),
        last_report=last.get(lodging.pk), current=current.get(lodging.pk, 0),
    ) for lodging in lodgings]
    return labels, rows


def models_late_expression(hours: int) -> ExpressionWrapper:
    """The moment a report became late: check-in plus the allowed hours (Pasal 72 practice)."""
    return ExpressionWrapper(F("checked_in_at") + dt.timedelta(hours=hours),
                             output_field=DateTimeField())


# ---------------------------------------------------------------- a lodging's own things


def get_token_of_lodging(lodging: Lodging, pk: int) -> ApiToken:
    """One of the lodging's API tokens; another lodging's is a 404 like an unknown one."""
    token = ApiToken.objects.filter(lodging=lodging, pk=pk).first()
    if token is None:
        raise Http404
    return token


def staff_of(lodging: Lodging) -> QuerySet[LodgingStaff]:
    return LodgingStaff.objects.filter(lodging=lodging).select_related("user")


def receipt_to_verify(number: str) -> Stay | None:
    """Public check of a receipt: its number and date only, nothing personal."""
    return Stay.objects.filter(receipt_number=number.strip().upper()).only(
        "receipt_number", "reported_at").first()


def uploads_of(lodging: Lodging) -> QuerySet[GuestListImport]:
    return GuestListImport.objects.filter(lodging=lodging).select_related("created_by")


def get_upload_of_lodging(lodging: Lodging, pk: int) -> GuestListImport:
    job = uploads_of(lodging).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
