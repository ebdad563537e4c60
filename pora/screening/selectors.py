"""Reads of the screening app, with their access rules.

Watchlists, entries and hits are personal data: only officers and heads of an office see
them. They see the lists of their own office and the shared lists, and the hits of the
foreigners their office supervises; they keep (change, upload, withdraw) their own
office's lists only. Anything else is a 404, as in the registry.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from pora.core import clock
from pora.core.models import User
from pora.names.folding import fold
from pora.registry.models import Person
from pora.screening.models import (
    EntryStatus,
    Hit,
    HitStatus,
    RescreenJob,
    Watchlist,
    WatchlistEntry,
    WatchlistImport,
)
from pora.screening.reasons import reason_text

EXPIRED = "expired"


# ---------------------------------------------------------------------- watchlists


def visible_watchlists(user: User) -> QuerySet[Watchlist]:
    """The user's own office's lists and every shared list."""
    if not user.can_see_personal_data:
        return Watchlist.objects.none()
    return Watchlist.objects.filter(Q(shared=True) | Q(office_id=user.office_id)
                                    ).select_related("office")


def may_create_watchlist(user: User) -> bool:
    """Officers and heads keep their office's lists (a partner or analyst never does)."""
    return user.can_write_registry


def can_manage(user: User, watchlist: Watchlist) -> bool:
    return user.can_write_registry and user.office_id == watchlist.office_id


def get_watchlist_for_user(user: User, pk: int) -> Watchlist:
    watchlist = visible_watchlists(user).filter(pk=pk).first()
    if watchlist is None:
        raise Http404
    return watchlist


def get_managed_watchlist(user: User, pk: int) -> Watchlist:
    """A list the user may change; another office's list is a 404 like an unknown one."""
    watchlist = get_watchlist_for_user(user, pk)
    if not can_manage(user, watchlist):
        raise Http404
    return watchlist


def watchlist_rows(user: User) -> QuerySet[Watchlist]:
    """Visible lists with their count of active entries."""
    return visible_watchlists(user).annotate(
        active_entries=Count("entries", filter=Q(entries__status=EntryStatus.ACTIVE)))


# ------------------------------------------------------------------------ entries


def entries_of(watchlist: Watchlist, *, q: str = "", status: str = "",
               on: dt.date | None = None) -> QuerySet[WatchlistEntry]:
    """A list's entries; ``status`` is active (valid that day), expired or withdrawn."""
    on = on or clock.today()
    entries = watchlist.entries.all()
    if status == EntryStatus.ACTIVE:
        entries = entries.filter(status=EntryStatus.ACTIVE).exclude(valid_until__lt=on)
    elif status == EXPIRED:
        entries = entries.filter(status=EntryStatus.ACTIVE, valid_until__lt=on)
    elif status == EntryStatus.WITHDRAWN:
        entries = entries.filter(status=EntryStatus.WITHDRAWN)
    q = q.strip()
    if q:
        entries = entries.filter(Q(names__icontains=q) | Q(source_id__icontains=q)
                                 | Q(documents__icontains=q.upper().replace(" ", "")))
    return entries


def get_entry_for_user(user: User, pk: int) -> WatchlistEntry:
    entry = (WatchlistEntry.objects.filter(pk=pk, watchlist__in=visible_watchlists(user))
             .select_related("watchlist", "watchlist__office").first())
    if entry is None:
        raise Http404
    return entry


def get_managed_entry(user: User, pk: int) -> WatchlistEntry:
    entry = get_entry_for_user(user, pk)
    if not can_manage(user, entry.watchlist):
        raise Http404
    return entry


# ---------------------------------------------------------------------------- hits


def hits_for_user(user: User) -> QuerySet[Hit]:
    """Hits of the foreigners the user's office supervises."""
    if not user.can_see_personal_data:
        return Hit.objects.none()
    return Hit.objects.filter(office_id=user.office_id)


def hits_queue(user: User, status: str | None = None, kind: str | None = None,
               q: str = "") -> QuerySet[Hit]:
    """The review queue: by status (all when None) and kind of list, searched by the
    foreigner's name or passport, or the list's name.

    Hits still to review on an entry since withdrawn are left out: there is nothing to
    decide about a listing that no longer stands.
    """
    hits = hits_for_user(user).select_related("person", "entry", "entry__watchlist")
    if status:
        hits = hits.filter(status=status)
    if status == HitStatus.NEW:
        hits = hits.filter(entry__status=EntryStatus.ACTIVE).order_by("-score", "-last_seen",
                                                                      "-id")
    if kind:
        hits = hits.filter(entry__watchlist__kind=kind)
    q = q.strip()
    if q:
        folded = fold(q)
        hits = hits.filter(
            Q(person__name_search__icontains=folded)
            | Q(person__documents__number=q.upper().replace(" ", ""))
            | Q(entry__watchlist__name__icontains=q)
            | Q(entry__names__icontains=q)
        ).distinct()
    return hits


def hit_counts(user: User) -> dict[str, int]:
    """Hits of the user's office by status (hits on withdrawn entries left out of "new")."""
    rows = (hits_for_user(user).exclude(status=HitStatus.NEW, entry__status=EntryStatus.WITHDRAWN)
            .values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return dict(rows)


def get_hit_for_user(user: User, pk: int) -> Hit:
    hit = (hits_for_user(user).filter(pk=pk)
           .select_related("person", "person__office", "entry", "entry__watchlist",
                           "entry__watchlist__office", "decided_by").first())
    if hit is None:
        raise Http404
    return hit


def hits_for_person(person: Person) -> QuerySet[Hit]:
    return (Hit.objects.filter(person=person).select_related("entry", "entry__watchlist")
            .order_by("-last_seen", "-id"))


def reason_texts(hit: Hit) -> list[str]:
    """The hit's reasons as sentences in the active language."""
    return [reason_text(reason) for reason in hit.reasons or []]


# ------------------------------------------------------------------- background jobs


def imports_of(watchlist: Watchlist) -> QuerySet[WatchlistImport]:
    return watchlist.imports.select_related("created_by").order_by("-created_at", "-id")


def get_import_for_user(user: User, pk: int) -> WatchlistImport:
    """An upload of a list the user keeps."""
    job = WatchlistImport.objects.filter(pk=pk).select_related("watchlist").first()
    if job is None or not user.can_see_personal_data or not can_manage(user, job.watchlist):
        raise Http404
    return job


def rescreens_for_user(user: User) -> QuerySet[RescreenJob]:
    if not user.can_see_personal_data:
        return RescreenJob.objects.none()
    return RescreenJob.objects.filter(office_id=user.office_id).select_related("watchlist")


def get_rescreen_for_user(user: User, pk: int) -> RescreenJob:
    job = rescreens_for_user(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def watchlists_with_counts(watchlists: QuerySet[Watchlist],
                           today: dt.date) -> QuerySet[Watchlist]:
    """Each list with its current, expired and withdrawn entries and its last import."""
    current = Q(entries__status=EntryStatus.ACTIVE) & (
        Q(entries__valid_until__isnull=True) | Q(entries__valid_until__gte=today))
    expired = Q(entries__status=EntryStatus.ACTIVE, entries__valid_until__lt=today)
    last = WatchlistImport.objects.filter(watchlist=OuterRef("pk")).order_by("-created_at", "-id")
    return watchlists.annotate(
        active_count=Count("entries", filter=current),
        expired_count=Count("entries", filter=expired),
        withdrawn_count=Count("entries", filter=Q(entries__status=EntryStatus.WITHDRAWN)),
        last_import_at=Subquery(last.values("created_at")[:1]),
        last_import_status=Subquery(last.values("status")[:1]),
    )
