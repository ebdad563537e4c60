"""The screening index each process keeps in memory, and the records both sides become.

Every active entry of every list is held in engine indexes: one for the shared lists and
one per office for its local lists, so that a person is compared only with the lists
that apply to them (the shared ones and their own office's). The process brings them up to
date when :class:`ListsVersion` has moved, reading that one row at most once a second;
with no entry at all, screening costs that read and nothing else. A change to a few
entries (an officer's edit, an import that changed up to :data:`CHANGED_MAX`) is applied to
the indexes entry by entry (:class:`ListsChange` names them); a change of a list's scope, a
larger import, a gap in the changes or an index built more than :data:`REBUILD_AFTER`
seconds ago builds them anew.

Entries that expire stop matching on their own: the engine skips, on the day screened,
any entry outside its validity (``Screener.screen(..., on=day)``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pora.core import clock
from pora.registry.models import Person
from pora.screening.engine.index import Index, Screener, match_order
from pora.screening.engine.records import (
    InvalidValue,
    PartialDate,
    Record,
    clean_document,
    country_alpha3,
    date_from_age,
    parse_date,
)
from pora.screening.engine.score import Match
from pora.screening.models import EntryStatus, ListsChange, ListsVersion, WatchlistEntry

CHECK_SECONDS = 1.0
# Changes applied entry by entry: beyond these, building the indexes anew costs less.
CHANGED_MAX = 2000
VERSIONS_MAX = 100
# A process builds its indexes anew on the first change this long after the last build,
# whatever changed: a bound on what entries written without a version move (an import
# whose worker was killed between two chunks) can miss.
REBUILD_AFTER = 6 * 3600.0
# Records screened per hold of the lock by Lists.screen_many: batched enough to pay
# numpy's per-call costs a few times less, few enough that a check-in screened meanwhile
# in another thread of the process is not held up long.
LOCKED_BATCH = 16
ENTRY_VALUES = (
    "id", "names", "sex", "birth_dates", "age", "age_recorded_on", "nationalities",
    "documents", "valid_from", "valid_until", "action", "fingerprint", "watchlist_id",
    "watchlist__office_id", "watchlist__shared", "watchlist__kind", "watchlist__name",
)


# --------------------------------------------------------------------------- records


def birth_date(text: str) -> PartialDate | None:
    """A stored birth date: ``"1980-05-12"``, ``"1980-05"``, ``"1980"`` or ``"~1980"``
    (a year of birth worked out from an age)."""
    text = (text or "").strip()
    if text.startswith("~"):
        year = text[1:]
        if not year.isdigit():
            raise InvalidValue("birth_dates", f"'{text}' is not an approximate year")
        return PartialDate(int(year), approximate=True)
    return parse_date(text, field="birth_dates")


def _birth_dates(values: Iterable[str], age: int | None,
                 age_recorded_on: dt.date | None) -> tuple[PartialDate, ...]:
    dates: list[PartialDate] = []
    for text in values or ():
        try:
            date = birth_date(text)
        except InvalidValue:
            continue  # checked when saved; an old value cannot stop screening
        if date is not None and date not in dates:
            dates.append(date)
    # An age stands in for a birth date the list does not give.
    if not dates and age is not None:
        dates.append(date_from_age(age, age_recorded_on or clock.today()))
    return tuple(dates)


def _entry_record(values: dict) -> Record:
    return Record(
        id=str(values["id"]),
        names=tuple(values["names"] or ()),
        birth_dates=_birth_dates(values["birth_dates"], values["age"],
                                 values["age_recorded_on"]),
        nationalities=tuple(values["nationalities"] or ()),
        documents=tuple(values["documents"] or ()),
        sex=values["sex"] if values["sex"] in {"M", "F"} else "",
        extra={
            "entry": values["id"], "watchlist": values["watchlist_id"],
            "office": values["watchlist__office_id"], "shared": values["watchlist__shared"],
            "kind": values["watchlist__kind"], "list": values["watchlist__name"],
            "action": values["action"], "fingerprint": values["fingerprint"],
            "valid_from": values["valid_from"], "valid_until": values["valid_until"],
            # Equals rank in the order of their ids, in every process (Index.add).
            "order": values["id"],
        },
    )


def entry_record(entry: WatchlistEntry) -> Record:
    """The entry as the engine compares it; ``extra`` carries what a hit needs back."""
    watchlist = entry.watchlist
    values = {name: getattr(entry, name) for name in ENTRY_VALUES if "__" not in name}
    values.update({"watchlist__office_id": watchlist.office_id,
                   "watchlist__shared": watchlist.shared, "watchlist__kind": watchlist.kind,
                   "watchlist__name": watchlist.name})
    return _entry_record(values)


def entry_fingerprint(*, names, birth_dates, age, nationalities, documents, sex) -> str:
    """Hash of the facts screening compares: a false positive stays quiet until it moves.

    Order does not count (aliases listed in another order compare the same).
    """
    facts = {
        "names": sorted(names or ()), "birth_dates": sorted(birth_dates or ()),
        "age": age, "nationalities": sorted(nationalities or ()),
        "documents": sorted(documents or ()), "sex": sex or "",
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


def person_record(person: Person) -> Record:
    """The foreigner as the engine compares them: given names then surname, the other
    spellings, the (possibly partial) birth date, nationality, documents and sex.

    Reads ``person.documents`` (prefetch it when screening many).
    """
    full = " ".join(part for part in (person.given_names, person.surname) if part)
    names = [full] if full else []
    names += [name for name in (person.other_names or []) if name and name not in names]
    birth: tuple[PartialDate, ...] = ()
    if person.birth_year:
        birth = (PartialDate(person.birth_year, person.birth_month,
                             person.birth_day if person.birth_month else None),)
    nationality = country_alpha3(person.nationality) or (person.nationality or "").upper()
    documents = tuple(dict.fromkeys(
        number for number in (clean_document(d.number) for d in person.documents.all())
        if number))
    return Record(id=str(person.pk), names=tuple(names), birth_dates=birth,
                  nationalities=(nationality,) if nationality else (),
                  documents=documents, sex=person.sex if person.sex in {"M", "F"} else "",
                  extra={"person": person.pk, "office": person.office_id})


def record_fingerprint(record: Record) -> str:
    """Hash of the compared facts of a screened person (see :func:`entry_fingerprint`)."""
    return entry_fingerprint(
        names=record.names, birth_dates=[str(d) for d in record.birth_dates], age=None,
        nationalities=record.nationalities, documents=record.documents, sex=record.sex)


# ---------------------------------------------------------------------- the lists


@dataclass
class Lists:
    """Every active entry, indexed by the scope it screens."""

    key: tuple = (0, None)
    shared: Screener | None = None
    local: dict[int, Screener] = field(default_factory=dict)
    size: int = 0
    # Entries removed or replaced since the build: their postings stay in the indexes.
    dead: int = 0
    built_at: float = field(default_factory=time.monotonic)
    # The engine's screener caches prepared entries in an ordered dict that threads must
    # not reorder at once, and changes are applied to the indexes under it; screening is
    # CPU-bound under the GIL, so this costs nothing.
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def __bool__(self) -> bool:
        return self.size > 0

    def file(self, rows: Iterable[dict]) -> None:
        """Add active entries (``_active_entries`` rows) to the index of the scope each
        screens, the shared lists' or its office's, and settle the indexes before threads
        look things up in them."""
        threshold = settings.PORA_SCREEN_THRESHOLD
        for values in rows:
            if not values["names"]:
                continue
            if values["watchlist__shared"]:
                if self.shared is None:
                    self.shared = Screener(Index(), threshold=threshold)
                screener = self.shared
            else:
                office = values["watchlist__office_id"]
                if office not in self.local:
                    self.local[office] = Screener(Index(), threshold=threshold)
                screener = self.local[office]
            screener.index.add(_entry_record(values))
        screeners = [s for s in (self.shared, *self.local.values()) if s is not None]
        for screener in screeners:
            screener.index.settle()
        self.size = sum(len(screener.index) for screener in screeners)

    def screen(self, record: Record, *, office_id: int | None, on: dt.date,
               limit: int = 20, threshold: int | None = None) -> list[Match]:
        """Matches of ``record`` against the shared lists and the local lists of
        ``office_id``, best first."""
        return self.screen_many([record], office_ids=[office_id], on=on, limit=limit,
                                threshold=threshold)[0]

    def screen_many(self, records: list[Record], *, office_ids: list[int | None],
                    on: dt.date, limit: int = 20, threshold: int | None = None
                    ) -> list[list[Match]]:
        """The matches of each record against the shared lists and the local lists of
        its office (``office_ids``, one per record), :data:`LOCKED_BATCH` records at a
        time (``Screener.screen_many``). Each batch is screened against the shared and
        the local lists under one hold of the lock: a person never meets two versions of
        the lists, and a check-in screened meanwhile in another thread waits for one
        batch at most."""
        found: list[list[Match]] = [[] for _ in records]
        if not self.size:
            return found
        threshold = threshold if threshold is not None else settings.PORA_SCREEN_THRESHOLD
        for start in range(0, len(records), LOCKED_BATCH):
            batch = range(start, min(start + LOCKED_BATCH, len(records)))
            by_office: dict[int, list[int]] = {}
            for at in batch:
                by_office.setdefault(office_ids[at], []).append(at)
            with self.lock:  # and no update either (_updated)
                groups = [(self.shared, list(batch))] + [
                    (self.local.get(office), positions)
                    for office, positions in by_office.items()]
                for screener, positions in groups:
                    if screener is None:
                        continue
                    screened = screener.screen_many([records[at] for at in positions],
                                                    threshold=threshold, limit=limit, on=on)
                    for at, (_record, matches) in zip(positions, screened, strict=True):
                        found[at].extend(matches)
        for matches in found:
            matches.sort(key=match_order)
            del matches[limit:]
        return found


_lock = threading.Lock()
_lists = Lists()
_next_check = 0.0


def _version_key() -> tuple:
    row = ListsVersion.objects.values_list("version", "changed_at").order_by("pk").first()
    # The time goes with the number: a rolled back change can leave the same number
    # behind with other entries (tests do that on every run).
    return tuple(row) if row else (0, None)


def _active_entries():
    # Expired entries never match again unless extended, which moves the version.
    return (WatchlistEntry.objects.filter(status=EntryStatus.ACTIVE)
            .exclude(valid_until__lt=clock.today()).values(*ENTRY_VALUES))


def _build(key: tuple) -> Lists:
    lists = Lists(key=key)
    # In one order everywhere: among equally scored namesakes, every process keeps the
    # same candidates and answers alike.
    lists.file(_active_entries().order_by("pk").iterator(chunk_size=5000))
    return lists


def _changed_entries(since: tuple, key: tuple) -> set[int] | None:
    """The entries changed from version ``since`` to ``key``; None when they cannot be
    applied one by one: a version of them changed everything, one is missing (pruned, or
    moved by other means), ``since`` was rolled back, or there are too many."""
    (old, old_at), (new, new_at) = since, key
    if old_at is None or not 0 < new - old <= VERSIONS_MAX:
        return None
    changes = list(ListsChange.objects.filter(version__gte=old, version__lte=new)
                   .order_by("version")
                   .values_list("version", "changed_at", "entries", "everything"))
    if ([c[0] for c in changes] != list(range(old, new + 1)) or changes[0][1] != old_at
            or changes[-1][1] != new_at or any(c[3] for c in changes[1:])):
        return None
    ids = {pk for change in changes[1:] for pk in change[2]}
    return ids if len(ids) <= CHANGED_MAX else None


def _updated(lists: Lists, key: tuple) -> Lists | None:
    """``lists`` brought to version ``key`` entry by entry, or None when they must be
    built anew (see :func:`_changed_entries`; also once removed entries, whose postings
    stay, would make up a tenth of the indexes, or :data:`REBUILD_AFTER` after the last
    build)."""
    if time.monotonic() - lists.built_at > REBUILD_AFTER:
        return None
    ids = _changed_entries(lists.key, key)
    if ids is None:
        return None
    rows = list(_active_entries().filter(pk__in=ids).order_by("pk"))
    with lists.lock:  # no thread screens meanwhile
        screeners = [lists.shared, *lists.local.values()]
        present = [str(pk) for pk in ids
                   if any(s is not None and str(pk) in s.index for s in screeners)]
        if lists.dead + len(present) > max(100, lists.size // 10):
            return None
        for entry_id in present:
            for screener in screeners:
                if screener is not None:
                    screener.index.remove(entry_id)
        lists.file(rows)
        lists.dead += len(present)
        lists.key = key
    return lists


def screeners(*, fresh: bool = False) -> Lists:
    """The current lists of this process; ``fresh`` reads the version now (a background
    job that must see a change committed a moment ago)."""
    global _lists, _next_check
    if not fresh and time.monotonic() < _next_check:
        return _lists
    # While one thread reads the version or rebuilds (seconds for a list of 100,000),
    # the others keep screening with the lists they have, unless they have none.
    if not _lock.acquire(blocking=fresh or not _lists):
        return _lists
    try:
        if not fresh and time.monotonic() < _next_check:
            return _lists
        key = _version_key()
        if key != _lists.key:
            updated = _updated(_lists, key)
            _lists = updated if updated is not None else _build(key)
        _next_check = time.monotonic() + CHECK_SECONDS
        return _lists
    finally:
        _lock.release()


def forget() -> None:
    """Read the version again on the next screening (this process changed an entry)."""
    global _next_check
    _next_check = 0.0


def reset() -> None:
    """Drop the index altogether (tests whose database is rolled back under it)."""
    global _lists, _next_check
    with _lock:
        _lists = Lists()
        _next_check = 0.0


def bump_version(*, entries: Iterable[int] | None = None) -> None:
    """Move the lists' version: every process brings its index up to date before
    screening again, applying the changed ``entries`` (their ids) one by one, or with
    ``entries=None`` (anything may have changed) building it anew.

    Called inside the transaction of the change; this process looks again at once and
    after the commit, others within a second. The version row stays locked until the
    commit, so versions follow the order their changes commit in.
    """
    now = timezone.now()
    if not ListsVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
        _row, created = ListsVersion.objects.get_or_create(pk=1, defaults={"version": 1})
        if not created:
            ListsVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now)
    version, changed_at = ListsVersion.objects.values_list("version", "changed_at").get(pk=1)
    ListsChange.objects.update_or_create(version=version, defaults={
        "changed_at": changed_at, "entries": sorted(set(entries or ())),
        "everything": entries is None})
    # A process further behind than VERSIONS_MAX builds anew: older changes go unread.
    ListsChange.objects.filter(version__lt=version - VERSIONS_MAX).delete()
    forget()
    transaction.on_commit(forget)
