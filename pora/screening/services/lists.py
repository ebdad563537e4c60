"""Watchlists and their entries, kept by hand: create, change, extend, withdraw.

Every change moves the lists' version (each process rebuilds its index) and, when it can
change who matches, queues a rescreen of the offices the list screens.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from pora.core import clock
from pora.core.audit import audit_record, diff, snapshot
from pora.core.images import photo_copy
from pora.core.models import AuditEvent, Office, User
from pora.screening.engine.records import (
    InvalidValue,
    clean_document,
    clean_sex,
    country_alpha3,
)
from pora.screening.index_cache import birth_date, bump_version, entry_fingerprint
from pora.screening.models import (
    Action,
    EntryStatus,
    EntryValidity,
    ListKind,
    Watchlist,
    WatchlistEntry,
)
from pora.screening.services.screening import rescreen_for_list

WATCHLIST_FIELDS = ("name", "kind", "shared", "source", "default_action", "description")
ENTRY_FIELDS = (
    "source_id", "names", "sex", "birth_dates", "age", "age_recorded_on", "nationalities",
    "documents", "photo", "reason", "source", "action", "legal_reference", "topics",
    "valid_from", "valid_until",
)
# What screening compares or filters on: a change to any of them can raise or drop hits.
SCREENED_FIELDS = {"names", "sex", "birth_dates", "age", "age_recorded_on", "nationalities",
                   "documents", "valid_from", "valid_until", "status"}
MAX_NAME = 200


def check_manager(actor: User | None, watchlist: Watchlist) -> None:
    """Only officers and heads of the list's office keep it (the system may, too)."""
    if actor is None:
        return
    if not actor.can_write_registry or actor.office_id != watchlist.office_id:
        raise PermissionDenied


# ---------------------------------------------------------------------- watchlists


def _clean_watchlist(fields: dict) -> dict:
    unknown = set(fields) - set(WATCHLIST_FIELDS)
    if unknown:
        raise TypeError(f"unknown watchlist fields: {sorted(unknown)}")
    out = dict(fields)
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"]:
            raise ValidationError({"name": _("Give the list a name.")})
    if "kind" in out and out["kind"] not in ListKind.values:
        raise ValidationError({"kind": _("Choose the kind of list.")})
    if "default_action" in out and out["default_action"] not in Action.values:
        raise ValidationError({"default_action": _("Choose the action on a hit.")})
    for name in ("source", "description"):
        if name in out:
            out[name] = (out[name] or "").strip()
    return out


def _unique_name(office_id: int, name: str, exclude: int | None = None) -> None:
    others = Watchlist.objects.filter(office_id=office_id, name=name)
    if exclude:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ValidationError({"name": _("Your office already has a list named “%(name)s”.")
                               % {"name": name}})


@transaction.atomic
def watchlist_create(*, actor: User | None, office: Office, **fields) -> Watchlist:
    values = _clean_watchlist(fields)
    watchlist = Watchlist(office=office, **values)
    if actor is not None and (not actor.can_write_registry or actor.office_id != office.pk):
        raise PermissionDenied
    _unique_name(office.pk, watchlist.name)
    watchlist.full_clean()
    watchlist.save()
    audit_record(actor=actor, event=AuditEvent.CREATE, action="watchlist.created",
                 obj=watchlist, office=office.pk,
                 changes={k: [None, v] for k, v in
                          snapshot(watchlist, ("office", *WATCHLIST_FIELDS)).items()})
    return watchlist


@transaction.atomic
def watchlist_update(*, actor: User | None, watchlist: Watchlist, **fields) -> Watchlist:
    check_manager(actor, watchlist)
    watchlist = Watchlist.objects.select_for_update().get(pk=watchlist.pk)
    values = _clean_watchlist(fields)
    before = snapshot(watchlist, WATCHLIST_FIELDS)
    for name, value in values.items():
        setattr(watchlist, name, value)
    if "name" in values:
        _unique_name(watchlist.office_id, watchlist.name, exclude=watchlist.pk)
    watchlist.full_clean()
    changed = diff(before, snapshot(watchlist, WATCHLIST_FIELDS))
    if not changed:
        return watchlist
    watchlist.save(update_fields=[*changed, "updated_at"])
    audit_record(actor=actor, event=AuditEvent.UPDATE, action="watchlist.changed",
                 obj=watchlist,
                 office=watchlist.office_id, changes=changed)
    # Hits carry the list's name and kind; sharing changes whom the list screens.
    bump_version()
    if "shared" in changed:
        rescreen_for_list(watchlist, actor=actor,
                          reason=_("List “%(name)s” changed") % {"name": watchlist.name})
    return watchlist


# ------------------------------------------------------------------------ entries


def _strings(values) -> list[str]:
    if isinstance(values, str):
        values = values.splitlines()
    return list(dict.fromkeys(v.strip() for v in (values or ()) if v and v.strip()))


def clean_entry_fields(fields: dict, *, watchlist: Watchlist,
                       today: dt.date | None = None) -> dict:
    """Check and normalise what an officer typed; every problem at once, translated."""
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown entry fields: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    out = dict(fields)
    if "names" in out:
        names = _strings(out["names"])
        if not names:
            errors.setdefault("names", []).append(_("Give at least one name."))
        elif any(len(name) > MAX_NAME for name in names):
            errors.setdefault("names", []).append(
                _("A name is longer than %(limit)s characters.") % {"limit": MAX_NAME})
        out["names"] = names
    if "birth_dates" in out:
        dates = []
        for value in _strings(out["birth_dates"]):
            try:
                date = birth_date(value)
            except InvalidValue:
                errors.setdefault("birth_dates", []).append(
                    _("“%(value)s” is not a date. Write YYYY-MM-DD, YYYY-MM or only the "
                      "year.") % {"value": value})
                continue
            if date is not None and str(date) not in dates:
                dates.append(str(date))
        out["birth_dates"] = dates
    if "nationalities" in out:
        codes = []
        for value in _strings(out["nationalities"]):
            code = country_alpha3(value)
            if code is None:
                errors.setdefault("nationalities", []).append(
                    _("“%(value)s” is not a known country code.") % {"value": value})
            elif code not in codes:
                codes.append(code)
        out["nationalities"] = codes
    if "documents" in out:
        out["documents"] = list(dict.fromkeys(
            number for number in map(clean_document, _strings(out["documents"])) if number))
    if "sex" in out:
        out["sex"] = clean_sex(out["sex"] or "")
    if "age" in out and out["age"] is not None:
        try:
            age = int(out["age"])
        except (TypeError, ValueError):
            age = -1
        if not 0 <= age <= 130:
            errors.setdefault("age", []).append(_("An age is a number of years from 0 to 130."))
        out["age"] = age
        if out.get("age_recorded_on") is None:
            out["age_recorded_on"] = today or clock.today()
    if "action" in out:
        out["action"] = out["action"] or watchlist.default_action
        if out["action"] not in Action.values:
            errors.setdefault("action", []).append(_("Choose the action on a hit."))
    if "topics" in out:
        out["topics"] = _strings(out["topics"])
    for name in ("source_id", "reason", "source", "legal_reference"):
        if name in out:
            out[name] = (out[name] or "").strip()
    start, end = out.get("valid_from"), out.get("valid_until")
    if start and end and end < start:
        errors.setdefault("valid_until", []).append(
            _("The end of validity comes before its start."))
    if errors:
        raise ValidationError(errors)
    return out


def _fingerprint(entry: WatchlistEntry) -> str:
    return entry_fingerprint(names=entry.names, birth_dates=entry.birth_dates, age=entry.age,
                             nationalities=entry.nationalities, documents=entry.documents,
                             sex=entry.sex)


def _entry_label(entry: WatchlistEntry) -> str:
    return f"{entry.primary_name} ({entry.watchlist.name})"[:200]


@transaction.atomic
def entry_save(*, actor: User | None, watchlist: Watchlist, entry: WatchlistEntry | None = None,
               note: str = "", **fields) -> WatchlistEntry:
    """Create an entry, or change ``entry``; ``note`` goes with a new validity period."""
    check_manager(actor, watchlist)
    values = clean_entry_fields(fields, watchlist=watchlist)
    created = entry is None
    if created:
        if "names" not in values:
            raise ValidationError({"names": _("Give at least one name.")})
        values.setdefault("action", watchlist.default_action)
        values["source_id"] = values.get("source_id") or f"pora-{uuid.uuid4().hex[:12]}"
        entry = WatchlistEntry(watchlist=watchlist)
        before: dict = {}
        old_validity = None
    else:
        entry = (WatchlistEntry.objects.select_for_update(of=("self",))
                 .select_related("watchlist").get(pk=entry.pk))
        if entry.watchlist_id != watchlist.pk:
            raise PermissionDenied
        if values.get("source_id") == "":
            values.pop("source_id")
        before = snapshot(entry, ENTRY_FIELDS)
        old_validity = (entry.valid_from, entry.valid_until)
    photo = values.pop("photo", None)
    for name, value in values.items():
        setattr(entry, name, value)
    if photo and not isinstance(photo, FieldFile):
        # Stored resized: an upload may declare far more pixels than a page shows.
        entry.photo = photo_copy(photo, "foto")
    elif photo:
        entry.photo = photo
    if "source_id" in values and WatchlistEntry.objects.filter(
            watchlist=watchlist, source_id=entry.source_id).exclude(pk=entry.pk).exists():
        raise ValidationError({"source_id": _(
            "This list already has an entry with the reference “%(id)s”.")
            % {"id": entry.source_id}})
    entry.fingerprint = _fingerprint(entry)
    entry.full_clean(exclude=["photo", "watchlist", "fingerprint"])
    after = snapshot(entry, ENTRY_FIELDS)
    changed = diff(before, after) if not created else {
        k: [None, v] for k, v in after.items() if v not in (None, "", [])}
    if not created and not changed:
        return entry
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # the same reference saved a moment ago by someone else
        raise ValidationError({"source_id": _(
            "This list already has an entry with the reference “%(id)s”.")
            % {"id": entry.source_id}}) from None
    validity = (entry.valid_from, entry.valid_until)
    if validity != old_validity:
        EntryValidity.objects.create(entry=entry, valid_from=entry.valid_from,
                                     valid_until=entry.valid_until, note=note.strip()[:300],
                                     recorded_by=actor)
    audit_record(actor=actor, event=AuditEvent.CREATE if created else AuditEvent.UPDATE,
                 action="entry.added" if created else "entry.changed", obj=entry, office=watchlist.office_id, object_label=_entry_label(entry),
                 changes=changed, note=note)
    bump_version(entries=[entry.pk])
    if entry.status == EntryStatus.ACTIVE and (created or changed.keys() & SCREENED_FIELDS):
        rescreen_for_list(watchlist, actor=actor, reason=_(
            "Entry “%(name)s” of list “%(list)s” saved")
            % {"name": entry.primary_name, "list": watchlist.name})
    return entry


@transaction.atomic
def entry_extend(*, actor: User | None, entry: WatchlistEntry, valid_until: dt.date,
                 note: str) -> WatchlistEntry:
    """Extend an entry's validity (UU 6/2011 Pasal 97 and 102, as amended: an exit ban
    for another 6 months, an entry ban for another 10 years, each by a new decision)."""
    entry = (WatchlistEntry.objects.select_for_update(of=("self",))
             .select_related("watchlist").get(pk=entry.pk))
    check_manager(actor, entry.watchlist)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if entry.status != EntryStatus.ACTIVE:
        errors["valid_until"] = [_("A withdrawn entry cannot be extended.")]
    elif entry.valid_until is None:
        errors["valid_until"] = [_("This entry has no end of validity to extend.")]
    elif valid_until <= entry.valid_until:
        errors["valid_until"] = [_(
            "An extension ends after the current end of validity (%(date)s).")
            % {"date": entry.valid_until.strftime("%d-%m-%Y")}]
    elif entry.valid_from and valid_until < entry.valid_from:
        errors["valid_until"] = [_("The end of validity comes before its start.")]
    if not note:
        errors["note"] = [_("Give the decision or letter that extends the listing.")]
    if errors:
        raise ValidationError(errors)
    old = entry.valid_until
    entry.valid_until = valid_until
    entry.save(update_fields=["valid_until", "updated_at"])
    EntryValidity.objects.create(entry=entry, valid_from=entry.valid_from,
                                 valid_until=valid_until, note=note[:300], recorded_by=actor)
    audit_record(actor=actor, event=AuditEvent.UPDATE, action="entry.extended", obj=entry,
                 office=entry.watchlist.office_id, object_label=_entry_label(entry),
                 changes={"valid_until": [old, valid_until]}, note=note)
    bump_version(entries=[entry.pk])
    # An entry that had expired matches again.
    rescreen_for_list(entry.watchlist, actor=actor, reason=_(
        "Entry “%(name)s” of list “%(list)s” extended")
        % {"name": entry.primary_name, "list": entry.watchlist.name})
    return entry


@transaction.atomic
def entry_withdraw(*, actor: User | None, entry: WatchlistEntry, note: str) -> WatchlistEntry:
    """Take an entry off its list (the ban was lifted, the person found); its hits stay
    as they were decided, and it raises no more."""
    entry = (WatchlistEntry.objects.select_for_update(of=("self",))
             .select_related("watchlist").get(pk=entry.pk))
    check_manager(actor, entry.watchlist)
    note = (note or "").strip()
    if entry.status == EntryStatus.WITHDRAWN:
        raise ValidationError({"note": _("This entry is already withdrawn.")})
    if not note:
        raise ValidationError({"note": _("Say why the entry is withdrawn.")})
    entry.status, entry.withdrawn_at = EntryStatus.WITHDRAWN, clock.now()
    entry.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit_record(actor=actor, event=AuditEvent.UPDATE, action="entry.withdrawn", obj=entry,
                 office=entry.watchlist.office_id, object_label=_entry_label(entry),
                 changes={"status": [EntryStatus.ACTIVE, EntryStatus.WITHDRAWN]}, note=note)
    bump_version(entries=[entry.pk])
    return entry
