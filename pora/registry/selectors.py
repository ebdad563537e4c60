"""Reads of the registry: access checks, search, the as-of headline, timelines."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from pora.core.bulk import filter_in
from pora.core.models import AdministrativeArea, AreaLevel, Office, User
from pora.names.folding import fold
from pora.names.similarity import name_similarity
from pora.registry.models import (
    ChangeReport,
    PermitImport,
    PermitKind,
    Person,
    PresenceCube,
    RuleSet,
    Sponsor,
    StayPermit,
    TravelDocument,
    VisaIndex,
)
from pora.registry.rules import Assessment, Standing, person_standing
from pora.registry.search_index import candidate_ids

# ---------------------------------------------------------------------------- rules


def rules_on(on: dt.date) -> RuleSet:
    """The rule set in force on ``on`` (the earliest one for dates before all of them)."""
    rules = RuleSet.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    rules = rules or RuleSet.objects.order_by("valid_from").first()
    if rules is None:
        return RuleSet(valid_from=dt.date(2011, 5, 5), legal_basis="default")
    return rules


# --------------------------------------------------------------------------- access


def persons_for_user(user: User) -> QuerySet[Person]:
    if not user.can_see_personal_data:
        return Person.objects.none()
    return Person.objects.filter(office_id=user.office_id)


def get_person_for_user(user: User, pk: int) -> Person:
    """The person, or 404 when it does not exist or lies outside the user's office."""
    person = persons_for_user(user).select_related("kelurahan__parent", "office").filter(
        pk=pk
    ).first()
    if person is None:
        raise Http404
    return person


def imports_for_user(user: User) -> QuerySet[PermitImport]:
    if not user.can_write_registry:
        return PermitImport.objects.none()
    return PermitImport.objects.filter(office_id=user.office_id)


def get_import_for_user(user: User, pk: int) -> PermitImport:
    job = imports_for_user(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def get_permit_for_user(user: User, pk: int) -> StayPermit:
    permit = StayPermit.objects.filter(pk=pk, person__in=persons_for_user(user)).first()
    if permit is None:
        raise Http404
    return permit


def sponsors_for_user(user: User) -> QuerySet[Sponsor]:
    if not user.can_see_personal_data:
        return Sponsor.objects.none()
    return Sponsor.objects.filter(
        Exists(StayPermit.objects.filter(sponsor=OuterRef("pk"), office_id=user.office_id))
    )


def get_sponsor_for_user(user: User, pk: int) -> Sponsor:
    sponsor = sponsors_for_user(user).filter(pk=pk).first()
    if sponsor is None:
        raise Http404
    return sponsor


# ------------------------------------------------------------------------- standing


def present_q(on: dt.date, prefix: str = "") -> Q:
    """Permits under which someone is here on ``on`` (valid or overstaying)."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}stay_ends_on__isnull": True}) | Q(**{f"{prefix}stay_ends_on__gt": on})
    )


# Other evidence that a foreigner is here, added by the areas that hold it from their
# AppConfig.ready() (lodging: a guest checked in and not yet out). Each gives an
# expression over OuterRef("pk"), a foreigner.
PRESENCE_SOURCES: list[Callable[[], Exists]] = []


def present_persons(office: Office | int, on: dt.date) -> QuerySet[Person]:
    """Foreigners present in the office's jurisdiction on ``on``, as far as PORA knows.

    "Present" means supervised by the office (the person's office) and either holding a
    permit under which they are here that day (it has started and the stay has not ended,
    overstayers included) or present by another area's evidence (:data:`PRESENCE_SOURCES`,
    e.g. checked in at a lodging and not checked out). Foreigners who left, or of whom PORA
    holds neither, are screened again when they next report or apply.
    """
    office_id = office.pk if isinstance(office, Office) else office
    present = Q(Exists(StayPermit.objects.filter(present_q(on), person_id=OuterRef("pk"))))
    for source in PRESENCE_SOURCES:
        present |= Q(source())
    return Person.objects.filter(office_id=office_id).filter(present)


def valid_q(on: dt.date, prefix: str = "") -> Q:
    # Mirrors rules.effective_until: a cancellation ends validity the day before.
    return Q(**{f"{prefix}valid_until__gte": on}) & (
        Q(**{f"{prefix}cancelled_on__isnull": True}) | Q(**{f"{prefix}cancelled_on__gt": on})
    )


def expiring_q(on: dt.date, days: int, prefix: str = "", *, cube: bool = False) -> Q:
    limit = on + dt.timedelta(days=days)
    no_successor = Q(superseded=False) if cube else Q(**{f"{prefix}superseded_on__isnull": True})
    return valid_q(on, prefix) & no_successor & (
        Q(**{f"{prefix}valid_until__lte": limit})
        | Q(**{f"{prefix}cancelled_on__lte": limit + dt.timedelta(days=1)})
    )


def deport_q(on: dt.date, days: int, prefix: str = "") -> Q:
    # Pasal 78(3): the last valid day lies ``days`` or more days before ``on``.
    last_allowed = on - dt.timedelta(days=days)
    return ~valid_q(on, prefix) & (
        Q(**{f"{prefix}valid_until__lte": last_allowed})
        | Q(**{f"{prefix}cancelled_on__lte": last_allowed + dt.timedelta(days=1)})
    )


STANDING_FILTERS = {
    "valid": lambda on, r: valid_q(on),
    "expiring": lambda on, r: expiring_q(on, r.expiring_within_days),
    "overstay": lambda on, r: ~valid_q(on),
    "overstay_deport": lambda on, r: deport_q(on, r.overstay_deportation_days),
}


@dataclass
class Headline:
    office: Office
    on: dt.date
    by_kind: dict[str, int] = field(default_factory=dict)
    expiring: int = 0
    overstay: int = 0
    overstay_deport: int = 0
    rows: list[dict] = field(default_factory=list)  # one per kecamatan

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def headline_as_of(office: Office, on: dt.date) -> Headline:
    """Foreigners present on ``on`` by permit kind, expiring and overstaying, by kecamatan.

    Counts permits under which someone is here on that day: permits valid on a date minus
    those whose holders left, not permits issued (see DOMAIN: reconciliation).
    """
    rules = rules_on(on)
    # The trigger-kept cube: the permits' predicates on a fraction of the rows.

    def count(condition):
        return Coalesce(Sum("permits", filter=condition), 0)

    source = PresenceCube.objects.filter(office_id=office.pk)
    aggregates = {
        "valid": count(valid_q(on)),
        "expiring": count(expiring_q(on, rules.expiring_within_days, cube=True)),
        "overstay": count(~valid_q(on)),
        "deport": count(deport_q(on, rules.overstay_deportation_days)),
    }
    grouped = (
        source.filter(present_q(on))
        .values("kind", "kelurahan_id")
        .annotate(**aggregates)
        .order_by()
    )
    kelurahan_parent = dict(
        AdministrativeArea.objects.filter(level=AreaLevel.KELURAHAN).values_list("id", "parent_id")
    )
    kecamatan = {k.id: k for k in office.kecamatan_queryset()}
    result = Headline(office=office, on=on, by_kind={k: 0 for k in PermitKind.values})
    per_kecamatan: dict[int | None, dict] = defaultdict(
        lambda: {**{k: 0 for k in PermitKind.values}, "expiring": 0, "overstay": 0}
    )
    for row in grouped:
        result.by_kind[row["kind"]] += row["valid"]
        result.expiring += row["expiring"]
        result.overstay += row["overstay"]
        result.overstay_deport += row["deport"]
        bucket = per_kecamatan[kelurahan_parent.get(row["kelurahan_id"])]
        bucket[row["kind"]] += row["valid"]
        bucket["expiring"] += row["expiring"]
        bucket["overstay"] += row["overstay"]
    for kecamatan_id, area in sorted(kecamatan.items(), key=lambda item: item[1].code):
        bucket = per_kecamatan.pop(kecamatan_id, None) or per_kecamatan.default_factory()
        result.rows.append({"area": area, **bucket})
    for bucket in per_kecamatan.values():  # addresses missing or outside the jurisdiction
        result.rows.append({"area": None, **bucket})
    for row in result.rows:
        row["total"] = sum(row[k] for k in PermitKind.values)
    return result


def assess_persons(persons: list[Person], on: dt.date) -> dict[int, Assessment | None]:
    rules = rules_on(on)
    return {p.pk: person_standing(list(p.permits.all()), on, rules) for p in persons}


# --------------------------------------------------------------------------- search

_DOCUMENT_NUMBER = re.compile(r"^[A-Z0-9<]{5,20}$")
# Permit numbers as offices write them ("2C11AA0000001", some with / . or -).
_PERMIT_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9/.\-]{3,39}$")
# A part of a passport number: shorter parts match too many passports to mean one.
DOCUMENT_PART_MIN = 4
SEARCH_LIMIT = 500
SHORTLIST = 100
PREFILTER_MIN = 55
NAME_MATCH_MIN = 75


@dataclass
class SearchFilters:
    q: str = ""
    nationality: str = ""
    kind: str = ""
    standing: str = ""
    kelurahan: int | None = None
    sponsor: int | None = None
    on: dt.date | None = None


def _rank_by_name(query: str, candidates: list[tuple[int, str]]) -> list[tuple[int, float]]:
    """Rank candidates by :func:`matching.name_similarity`.

    rapidfuzz's C loop first keeps the keys sharing enough of the query's letters in any
    order; only those get the token-by-token comparison, which costs more per name.
    """
    if not candidates:
        return []
    keys = [key.replace("|", " ") for _pk, key in candidates]
    shortlist = process.extract(query, keys, scorer=fuzz.token_set_ratio, limit=SHORTLIST,
                                score_cutoff=PREFILTER_MIN)
    scored = []
    for _key, _prefilter, index in shortlist:
        pk, key = candidates[index]
        score = name_similarity(query, key)
        if score >= NAME_MATCH_MIN:
            scored.append((pk, round(score, 1)))
    return sorted(scored, key=lambda item: (-item[1], item[0]))


def _name_candidates(user: User, base: QuerySet[Person], query: str) -> list[tuple[int, str]]:
    """Shortlist from the inverted name index, then the keys of those the filters keep."""
    ids = candidate_ids(user.office_id, query)
    if not ids:
        return []
    return list(filter_in(base, "id", ids).values_list("id", "name_search"))


def person_search(user: User, filters: SearchFilters) -> tuple[QuerySet[Person] | list[int], dict]:
    """Persons the user may see that match the filters.

    Returns either a queryset in name order, or a list of ids ranked by name similarity,
    plus the scores by id.
    """
    from pora.core.selectors import default_as_of

    base = persons_for_user(user)
    on = filters.on or default_as_of()
    if filters.nationality:
        base = base.filter(nationality=filters.nationality)
    if filters.kelurahan:
        base = base.filter(kelurahan_id=filters.kelurahan)
    if filters.kind or filters.standing or filters.sponsor:
        sub = StayPermit.objects.filter(present_q(on), person=OuterRef("pk"))
        if filters.kind:
            sub = sub.filter(kind=filters.kind)
        if filters.sponsor:
            sub = sub.filter(sponsor_id=filters.sponsor)
        if filters.standing == "departed":
            # Left on or before the date, and not back under another permit since.
            departed = StayPermit.objects.filter(person=OuterRef("pk"), departed_on__lte=on)
            if filters.kind:
                departed = departed.filter(kind=filters.kind)
            if filters.sponsor:
                departed = departed.filter(sponsor_id=filters.sponsor)
            base = base.filter(Exists(departed)).exclude(
                Exists(StayPermit.objects.filter(present_q(on), person=OuterRef("pk"))))
        else:
            if filters.standing in STANDING_FILTERS:
                sub = sub.filter(STANDING_FILTERS[filters.standing](on, rules_on(on)))
            base = base.filter(Exists(sub))
    query = filters.q.strip()
    if not query:
        return base.order_by("surname", "given_names", "id"), {}
    compact = "".join(query.upper().split())
    if any(ch.isdigit() for ch in compact):
        # Names hold no digits: a number is a passport or a permit, or a part of one.
        found = _by_number(base, compact)
        if found:
            return found
    folded = fold(query)
    ranked = _rank_by_name(folded, _name_candidates(user, base, folded))[:SEARCH_LIMIT]
    return [pk for pk, _score in ranked], dict(ranked)


def _by_number(base: QuerySet[Person], compact: str) -> tuple[list[int], dict] | None:
    """Persons by a whole passport or permit number, else by a part of a passport number
    (each scored 100: no name was compared); ``compact`` is the query in capitals without
    spaces."""
    exact = Q()
    if _DOCUMENT_NUMBER.match(compact):
        exact |= Exists(TravelDocument.objects.filter(person=OuterRef("pk"), number=compact))
    if _PERMIT_NUMBER.match(compact):
        exact |= Exists(StayPermit.objects.filter(person=OuterRef("pk"), number=compact))
    if exact:
        ids = list(base.filter(exact).order_by("surname", "given_names", "id")
                   .values_list("id", flat=True)[:SEARCH_LIMIT])
        if ids:
            return ids, dict.fromkeys(ids, 100.0)
    if len(compact) >= DOCUMENT_PART_MIN and compact.isalnum():
        # On PostgreSQL the trigram index on document numbers serves the LIKE '%…%'.
        holders = TravelDocument.objects.filter(number__contains=compact).values("person_id")
        ids = list(base.filter(pk__in=holders).order_by("surname", "given_names", "id")
                   .values_list("id", flat=True)[:SEARCH_LIMIT])
        if ids:
            return ids, dict.fromkeys(ids, 100.0)
    return None


def person_names(ids) -> dict[int, str]:
    """{id: "SURNAME, GIVEN NAMES"} of these persons, for the head's log pages."""
    return {pk: f"{surname}, {given}" if surname and given else surname or given
            for pk, surname, given in filter_in(Person.objects.order_by(), "id", set(ids))
            .values_list("id", "surname", "given_names")}


# A name finds the rows of its best matches only: a log filter is for one person.
LOG_PERSONS_LIMIT = 20


def persons_named(user: User, query: str) -> list[int]:
    """The persons ``user`` may see that the registry's search finds for ``query`` (a name,
    or a passport or permit number), best first: the log pages' person filter."""
    if not query.strip():
        return []
    found, _scores = person_search(user, SearchFilters(q=query))
    if isinstance(found, list):
        return found[:LOG_PERSONS_LIMIT]
    return list(found.values_list("id", flat=True)[:LOG_PERSONS_LIMIT])


def persons_by_ids(ids: list[int]) -> list[Person]:
    by_id = Person.objects.select_related("kelurahan").prefetch_related(
        Prefetch("permits", queryset=StayPermit.objects.select_related("sponsor"))
    ).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


# ------------------------------------------------------------------------- timeline


@dataclass
class TimelineEntry:
    on: dt.date
    kind: str
    title: str
    detail: str = ""
    url: str = ""


def person_timeline(person: Person) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for permit in person.permits.select_related("visa_index", "sponsor"):
        entries.append(TimelineEntry(
            permit.valid_from, "permit",
            _("%(kind)s %(number)s in force") % {"kind": permit.kind, "number": permit.number},
            _("valid until %(date)s") % {"date": permit.valid_until.strftime("%d-%m-%Y")},
        ))
        if permit.cancelled_on:
            entries.append(TimelineEntry(permit.cancelled_on, "cancel",
                                         _("Permit %(number)s cancelled") % {"number": permit.number}))
        if permit.departed_on:
            entries.append(TimelineEntry(permit.departed_on, "departure", _("Departed Indonesia")))
    for report in person.change_reports.select_related("new_kelurahan", "new_sponsor"):
        late = report.days_late
        entries.append(TimelineEntry(
            report.event_date, "change",
            _("Change reported: %(kind)s") % {"kind": report.get_kind_display()},
            (_("reported %(days)s days late") % {"days": late}) if late else _("reported on time"),
        ))
    # Lodging reports (Pasal 72): every stay, where and how long.
    from django.urls import reverse
    from django.utils import timezone

    for stay in person.stays.select_related("lodging", "lodging__kelurahan"):
        until = (timezone.localtime(stay.checked_out_at).strftime("%d-%m-%Y")
                 if stay.checked_out_at else _("still staying"))
        entries.append(TimelineEntry(
            timezone.localtime(stay.checked_in_at).date(), "stay",
            _("Stayed at %(lodging)s") % {"lodging": stay.lodging.name},
            _("%(kelurahan)s, until %(until)s, reported %(reported)s") % {
                "kelurahan": stay.lodging.kelurahan.name, "until": until,
                "reported": timezone.localtime(stay.reported_at).strftime("%d-%m-%Y %H:%M")},
            reverse("lodging:officer_stay", args=[stay.pk]),
        ))
    return sorted(entries, key=lambda e: e.on, reverse=True)


def sponsor_persons(user: User, sponsor: Sponsor, on: dt.date) -> list[Person]:
    ids = list(
        persons_for_user(user).filter(permits__sponsor=sponsor).values_list("id", flat=True)
        .distinct()
    )
    return sorted(persons_by_ids(ids), key=lambda p: (p.surname, p.given_names))


def change_reports_for(person: Person) -> QuerySet[ChangeReport]:
    return person.change_reports.select_related("new_kelurahan", "new_sponsor", "created_by")


def standing_counts(assessments: dict[int, Assessment | None]) -> dict[str, int]:
    counts = {"present": 0, "expired": 0, "overstay": 0, "departed": 0}
    for assessment in assessments.values():
        if assessment is None:
            continue
        if assessment.present:
            counts["present"] += 1
        if assessment.overstaying:
            counts["overstay"] += 1
            counts["expired"] += 1
        if assessment.standing == Standing.DEPARTED:
            counts["departed"] += 1
    return counts


def sponsor_rows(user: User, *, q: str, on: dt.date) -> QuerySet[Sponsor]:
    """Sponsors of the user's office with how many of their foreigners are here and overstay."""
    rules_on(on)
    sponsors = sponsors_for_user(user)
    if q:
        sponsors = sponsors.filter(name_key__contains=fold(q))
    here = present_q(on, "permits__") & Q(permits__office_id=user.office_id)
    return sponsors.annotate(
        present=Count("permits__person", filter=here, distinct=True),
        overstay=Count("permits__person", filter=here & ~valid_q(on, "permits__"), distinct=True),
    ).order_by("-present", "name")


# ------------------------------------------------------------------- reference data


def visa_index_list(*, q: str = "", scheme: str = "", status: str = "") -> QuerySet[VisaIndex]:
    """Visa index codes for the administrator, filtered by code or purpose."""
    codes = VisaIndex.objects.order_by("code", "-valid_from")
    q = q.strip()
    if q:
        codes = codes.filter(Q(code__icontains=q) | Q(description__icontains=q)
                             | Q(description_en__icontains=q) | Q(replaces__icontains=q))
    if scheme:
        codes = codes.filter(scheme=scheme)
    if status in {"active", "inactive"}:
        codes = codes.filter(is_active=status == "active")
    return codes


def visa_index_schemes() -> list[str]:
    return sorted(set(VisaIndex.objects.values_list("scheme", flat=True)), reverse=True)


def get_visa_index(pk: int) -> VisaIndex:
    visa = VisaIndex.objects.filter(pk=pk).first()
    if visa is None:
        raise Http404
    return visa


def rule_sets() -> QuerySet[RuleSet]:
    return RuleSet.objects.order_by("-valid_from")
