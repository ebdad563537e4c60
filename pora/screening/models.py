"""Watchlists (wanted persons, bans, notices, persons of interest) and their hits.

A ban or a wanted-person notice is a list entry; screening compares the registry's
foreigners with every entry valid that day and keeps each comparison above the threshold
as a :class:`Hit` for an officer to review.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pora.core import clock
from pora.core.models import Office
from pora.jobs.models import JobStatus, RejectedRowBase, UploadJob, WorkerJob
from pora.registry.models import Person


class ListKind(models.TextChoices):
    WANTED = "wanted", _("Wanted person (DPO)")
    # UU 6/2011 Pasal 91 ff. (pencegahan): up to 6 months, extendable by 6.
    EXIT_BAN = "exit_ban", _("Exit ban (pencegahan)")
    # UU 6/2011 Pasal 102 ff. (penangkalan), as amended: up to 10 years, extendable by 10.
    ENTRY_BAN = "entry_ban", _("Entry ban (penangkalan)")
    NOTICE = "notice", _("International notice")
    INTEREST = "interest", _("Local person of interest")


class Action(models.TextChoices):
    """What an officer does on a confirmed hit (Permenimipas 2/2025: a person found on a
    ban list or wanted may be checked in the field before the surveillance order)."""

    ARREST = "arrest", _("Arrest / secure the person")
    REPORT = "report", _("Report to the head of office")
    DISCREET = "discreet", _("Discreet check, do not alert the person")
    REFUSE_PERMIT = "refuse_permit", _("Refuse or hold any permit application")


class Watchlist(models.Model):
    """A list kept by an office; a shared list screens the foreigners of every office."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="watchlists",
                               verbose_name=_("office"))
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=ListKind.choices)
    shared = models.BooleanField(
        _("shared with every office"), default=True,
        help_text=_("A shared list screens foreigners in every office's jurisdiction."))
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("Who publishes the list, e.g. Polda Metro Jaya."))
    default_action = models.CharField(_("action on a hit"), max_length=16,
                                      choices=Action.choices, default=Action.REPORT)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("watchlist")
        verbose_name_plural = _("watchlists")
        constraints = [models.UniqueConstraint(fields=["office", "name"],
                                               name="watchlist_unique_per_office")]

    def __str__(self) -> str:
        return self.name


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WatchlistEntry(models.Model):
    """One listed person, as the source describes them.

    Names, birth dates, nationalities and documents are lists: sources give aliases in
    several scripts, several possible birth dates and more than one passport.
    """

    watchlist = models.ForeignKey(Watchlist, on_delete=models.PROTECT, related_name="entries",
                                  verbose_name=_("watchlist"))
    # The source's own identifier: a re-import updates the entry with the same one.
    source_id = models.CharField(_("source id"), max_length=200)
    names = models.JSONField(_("names and aliases"), default=list)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    # "1980-05-12", "1980-05" or "1980"; an age becomes "~1979" with age_recorded_on.
    birth_dates = models.JSONField(_("birth dates"), default=list, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    age_recorded_on = models.DateField(_("age recorded on"), null=True, blank=True)
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    documents = models.JSONField(_("document numbers"), default=list, blank=True)
    photo = models.ImageField(_("photo"), upload_to="watchlists/%Y/%m/", blank=True)
    reason = models.TextField(_("reason for listing"), blank=True)
    source = models.CharField(_("source document"), max_length=300, blank=True)
    action = models.CharField(_("action on a hit"), max_length=16, choices=Action.choices)
    legal_reference = models.CharField(_("legal reference"), max_length=300, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EntryStatus.choices,
                              default=EntryStatus.ACTIVE)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Hash of the compared facts: a false positive comes back only when it changes.
    fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["watchlist", "id"]
        verbose_name = _("watchlist entry")
        verbose_name_plural = _("watchlist entries")
        constraints = [
            models.UniqueConstraint(fields=["watchlist", "source_id"],
                                    name="entry_unique_source_id"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True)
                                   | Q(valid_from__isnull=True)
                                   | Q(valid_until__gte=models.F("valid_from")),
                                   name="entry_validity_ordered"),
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return self.primary_name

    @property
    def primary_name(self) -> str:
        return self.names[0] if self.names else f"#{self.pk}"

    def is_valid_on(self, day: dt.date) -> bool:
        """Active and inside its validity: expired entries stop matching on their own."""
        return (self.status == EntryStatus.ACTIVE
                and (self.valid_from is None or self.valid_from <= day)
                and (self.valid_until is None or day <= self.valid_until))


class EntryValidity(models.Model):
    """Each validity period an entry has had: the first listing and every extension."""

    entry = models.ForeignKey(WatchlistEntry, on_delete=models.CASCADE,
                              related_name="validity_history")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]


class ImportFormat(models.TextChoices):
    TABLE = "table", _("CSV or Excel template")
    FTM = "ftm", _("FollowTheMoney JSON lines")


class WatchlistImport(UploadJob):
    """One uploaded list file; entries missing from a full re-import are withdrawn."""

    watchlist = models.ForeignKey(Watchlist, on_delete=models.PROTECT, related_name="imports")
    file = models.FileField(upload_to="watchlist-imports/%Y/%m/")
    format = models.CharField(_("format"), max_length=8, choices=ImportFormat.choices)
    # A full list replaces the previous one (entries it no longer carries are withdrawn);
    # a partial file only adds and updates.
    full = models.BooleanField(_("complete list"), default=True)
    withdrawn_count = models.PositiveIntegerField(_("withdrawn"), default=0)

    # Entries are keyed by the list's own ids: a file applied again changes nothing twice.
    RUN_TASK = "pora.screening.services.imports.run_watchlist_import"

    class Meta(UploadJob.Meta):
        verbose_name = _("watchlist import")
        verbose_name_plural = _("watchlist imports")

    def owning_office_id(self) -> int | None:
        return self.watchlist.office_id

    def after_stalled(self) -> None:
        # Chunks it committed changed entries that no version move has named: every
        # process builds its indexes anew.
        from pora.screening.index_cache import bump_version

        bump_version()


class WatchlistRejectedRow(RejectedRowBase):
    job = models.ForeignKey(WatchlistImport, on_delete=models.CASCADE,
                            related_name="rejected_rows")


class HitStatus(models.TextChoices):
    NEW = "new", _("To review")
    CONFIRMED = "confirmed", _("Confirmed")
    FALSE_POSITIVE = "false_positive", _("False positive")
    UNSURE = "unsure", _("Unsure")
    # Not decided by anyone: a new scorer no longer ranks the pair above the threshold.
    CLEARED = "cleared", _("Cleared by a new scorer")


class AlertRule(models.TextChoices):
    """Screening's rule in the alerts queue (registered in ScreeningConfig.ready)."""

    WATCHLIST = "watchlist", _("Watchlist hit")


class Trigger(models.TextChoices):
    PERSON = "person", _("Foreigner recorded or changed")
    CHECK_IN = "check_in", _("Lodging check-in")
    PERMIT = "permit", _("Stay permit")
    IMPORT = "import", _("Bulk import")
    RESCREEN = "rescreen", _("Watchlist changed")
    TIP = "tip", _("Public tip")


class Hit(models.Model):
    """A foreigner who resembles a list entry above the threshold, with the reasons."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="watchlist_hits",
                               verbose_name=_("foreigner"))
    entry = models.ForeignKey(WatchlistEntry, on_delete=models.CASCADE, related_name="hits",
                              verbose_name=_("watchlist entry"))
    score = models.PositiveSmallIntegerField(_("score"))
    # [{"code", "points", "params", "text"}] from the engine; rendered in the reader's
    # language from code and params.
    reasons = models.JSONField(default=list)
    # The version of the scorer (engine.score.SCORER_VERSION) that gave score and reasons.
    scorer_version = models.PositiveSmallIntegerField(_("scorer version"), default=1)
    trigger = models.CharField(_("found by"), max_length=10, choices=Trigger.choices)
    # Where it was found: {"stay": id} for a check-in, {"permit": id}, {"job": id} …
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=HitStatus.choices,
                              default=HitStatus.NEW)
    note = models.TextField(_("note"), blank=True)
    # The compared facts of both sides when last raised or decided.
    person_fingerprint = models.CharField(max_length=64)
    entry_fingerprint = models.CharField(max_length=64)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The office's calendar, not the wall clock: the demo's day in the demo.
    first_seen = models.DateTimeField(_("first seen"), default=clock.now)
    last_seen = models.DateTimeField(_("last seen"), default=clock.now)
    times_seen = models.PositiveIntegerField(_("times seen"), default=1)

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = _("watchlist hit")
        verbose_name_plural = _("watchlist hits")
        constraints = [models.UniqueConstraint(fields=["person", "entry"],
                                               name="hit_once_per_person_entry")]
        indexes = [models.Index(fields=["office", "status", "-last_seen"])]

    def __str__(self) -> str:
        return f"{self.person} ~ {self.entry} ({self.score})"


class RescreenJob(WorkerJob):
    """Everyone present in an office's jurisdiction screened again after a list changed."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    watchlist = models.ForeignKey(Watchlist, on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # Set when a new scorer version rescores the office's hits (services.rescore_start).
    scorer_version = models.PositiveSmallIntegerField(_("scorer version"), null=True,
                                                      blank=True)
    total = models.PositiveIntegerField(_("foreigners"), default=0)
    processed = models.PositiveIntegerField(_("screened"), default=0)
    hits_raised = models.PositiveIntegerField(_("hits raised"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Screening a foreigner again keeps the hits already recorded.
    RUN_TASK = "pora.screening.services.screening.run_rescreen"
    STALLED_ERROR = _("The rescreen stopped without finishing: its worker ended. The "
                      "foreigners counted as screened were screened. Start it again to "
                      "finish.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def owning_office_id(self) -> int | None:
        return self.office_id

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, int(self.processed * 100 / self.total)) if self.total else 0


class ListsVersion(models.Model):
    """One row whose number goes up on every change to any entry: each process keeps its
    in-memory index and brings it up to date when this number moves."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)


class ListsChange(models.Model):
    """What one move of :class:`ListsVersion` changed: some entries, or anything at all.

    A process whose index stands at the version before applies the changes after it to
    its index entry by entry, instead of building it again from every entry. Versions
    are numbered in the order their changes commit: the version row stays locked from
    the move until the commit.
    """

    version = models.PositiveBigIntegerField(primary_key=True)
    # The version's time, as ListsVersion had it: tells a version from one rolled back.
    changed_at = models.DateTimeField()
    entries = models.JSONField(default=list)
    # Not entry by entry (a list's scope, a large import): every process builds anew.
    everything = models.BooleanField(default=False)
