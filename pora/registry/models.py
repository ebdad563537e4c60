"""Foreigners, their travel documents, stay permits, sponsors and reported changes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pora.core.models import AdministrativeArea, Office
from pora.jobs.models import RejectedRowBase, UploadJob


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNSPECIFIED = "X", _("Unspecified")


class Person(models.Model):
    """A foreign national as written in the passport (surname, then given names)."""

    surname = models.CharField(_("surname"), max_length=100, blank=True)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    other_names = models.JSONField(
        _("other spellings"), default=list, blank=True,
        help_text=_("Other romanisations or aliases, one per entry."),
    )
    # Lower-case, accent-free "given surname other …" kept by the service for fuzzy search.
    # Searched through the inverted word index (NameToken), not a b-tree.
    name_search = models.CharField(max_length=600, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNSPECIFIED)
    # Passports may carry only a year, or a year and month, of birth.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3)
    photo = models.ImageField(_("photo"), upload_to="persons/%Y/%m/", blank=True)
    # Office and kelurahan are reference data: the application never deletes them
    # (PROTECT) and every writer checks the id against the loaded reference table. The
    # database does not re-check them on each row: PostgreSQL runs one deferred trigger per
    # foreign key and row at commit, which for a 100,000-row import costs seconds.
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="persons", verbose_name=_("office"),
        db_index=False,  # served by the (office, surname, given_names) index
        db_constraint=False,
    )
    kelurahan = models.ForeignKey(
        AdministrativeArea, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("kelurahan"), db_constraint=False,
    )
    street = models.CharField(_("street address"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["surname", "given_names", "id"]
        verbose_name = _("foreigner")
        verbose_name_plural = _("foreigners")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_month__isnull=False),
                name="person_birth_day_needs_month",
            ),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_year__isnull=False),
                name="person_birth_month_needs_year",
            ),
            models.CheckConstraint(
                condition=~Q(surname="", given_names=""), name="person_has_a_name"
            ),
        ]
        indexes = [
            models.Index(fields=["office", "surname", "given_names"]),
            # Lodging reports link a guest by nationality and birth date, then name.
            models.Index(fields=["nationality", "birth_year", "birth_month", "birth_day"],
                         name="person_birth_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        if self.surname and self.given_names:
            return f"{self.surname}, {self.given_names}"
        return self.surname or self.given_names

    @property
    def birth_date_display(self) -> str:
        if self.birth_year is None:
            return ""
        if self.birth_month is None:
            return f"{self.birth_year}"
        if self.birth_day is None:
            return f"{self.birth_month:02d}/{self.birth_year}"
        return f"{self.birth_day:02d}/{self.birth_month:02d}/{self.birth_year}"

    @property
    def birth_date(self) -> dt.date | None:
        if self.birth_year and self.birth_month and self.birth_day:
            return dt.date(self.birth_year, self.birth_month, self.birth_day)
        return None


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    TRAVEL_DOCUMENT = "travel_document", _("Travel document")
    ID_CARD = "id_card", _("Identity card")


class TravelDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.PASSPORT
    )
    # Stored upper-case without spaces, as printed in the machine readable zone.
    number = models.CharField(_("document number"), max_length=20)
    issuing_state = models.CharField(_("issuing state"), max_length=3)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)

    class Meta:
        ordering = ["-expiry_date", "number"]
        verbose_name = _("travel document")
        verbose_name_plural = _("travel documents")
        constraints = [
            models.UniqueConstraint(
                fields=["number", "issuing_state"], name="document_unique_per_state"
            )
        ]
        # The unique (number, issuing_state) index also serves lookups by number alone.

    def __str__(self) -> str:
        return f"{self.number} ({self.issuing_state})"


class SponsorKind(models.TextChoices):
    COMPANY = "company", _("Company")
    PERSON = "person", _("Individual")


class Sponsor(models.Model):
    """The penjamin responsible for a foreigner (Pasal 63)."""

    kind = models.CharField(_("kind"), max_length=10, choices=SponsorKind.choices)
    name = models.CharField(_("name"), max_length=200)
    # Normalised name: the natural key when imports mention a sponsor by name only.
    name_key = models.CharField(max_length=200, unique=True, editable=False)
    registration_number = models.CharField(_("business / ID number"), max_length=40, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    kelurahan = models.ForeignKey(
        AdministrativeArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    street = models.CharField(_("street address"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")

    def __str__(self) -> str:
        return self.name


class PermitKind(models.TextChoices):
    ITK = "ITK", _("ITK (visit)")
    ITAS = "ITAS", _("ITAS (limited stay)")
    ITAP = "ITAP", _("ITAP (permanent stay)")


class VisaIndex(models.Model):
    """Versioned visa index codes: one row per code and scheme, with the dates the code
    itself was in use (the 2025 scheme cut 133 codes to 110).

    Loaded from ``pora/registry/data/visa_index.csv`` (migration 0008) and kept by the
    administrator's pages. A row that permits refer to is never deleted: it is made
    inactive, and imports then refuse the code.
    """

    code = models.CharField(_("code"), max_length=10)
    scheme = models.CharField(_("scheme"), max_length=20)
    description = models.CharField(_("purpose (Indonesian)"), max_length=200)
    description_en = models.CharField(_("purpose (English)"), max_length=200, blank=True)
    # Empty: the code leads to no ITK, ITAS or ITAP (e.g. diplomatic and service visas).
    permit_kind = models.CharField(_("permit kind"), max_length=4, choices=PermitKind.choices,
                                   blank=True)
    valid_from = models.DateField(_("valid from"))
    # Empty: still in use. Permits issued after this day may not carry the code.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    replaces = models.CharField(_("replaces"), max_length=200, blank=True,
                                help_text=_("Earlier codes this code took over, separated "
                                            "by spaces."))
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code", "-valid_from"]
        verbose_name = _("visa index code")
        verbose_name_plural = _("visa index codes")
        constraints = [
            models.UniqueConstraint(fields=["code", "scheme"], name="visa_index_unique_per_scheme"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="visa_index_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.description}"


class PermitPurpose(models.TextChoices):
    TOURISM = "tourism", _("Tourism")
    BUSINESS = "business", _("Business visit")
    WORK = "work", _("Work")
    INVESTMENT = "investment", _("Investment")
    FAMILY = "family", _("Family")
    STUDY = "study", _("Study")
    RESEARCH = "research", _("Research")
    RELIGIOUS = "religious", _("Religious work")
    RETIREMENT = "retirement", _("Retirement")
    REMOTE_WORK = "remote_work", _("Remote work")
    OTHER = "other", _("Other")


class PermitStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXTENDED = "extended", _("Extended")
    CANCELLED = "cancelled", _("Cancelled")
    CONVERTED = "converted", _("Converted")


class StayPermit(models.Model):
    number = models.CharField(_("permit number"), max_length=40, unique=True)
    # Foreign keys whose lookups a composite index below already serves skip their own
    # index: every index is paid for on each of an import's hundred thousand rows.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="permits",
                               db_index=False)
    kind = models.CharField(_("kind"), max_length=4, choices=PermitKind.choices)
    # Reference-data keys without a database constraint: see Person.office.
    visa_index = models.ForeignKey(
        VisaIndex, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("visa index"), db_index=False, db_constraint=False,
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=PermitPurpose.choices)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=PermitStatus.choices, default=PermitStatus.ACTIVE
    )
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    # Set by the service when the person's next permit takes over on that date.
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    # The first day the person is no longer here under this permit: departure or
    # succession, whichever is first. Kept by the service so the as-of headline is one
    # range scan instead of a per-person computation.
    stay_ends_on = models.DateField(null=True, blank=True, editable=False)
    sponsor = models.ForeignKey(
        Sponsor, on_delete=models.PROTECT, null=True, blank=True, related_name="permits",
        verbose_name=_("sponsor"), db_index=False,
    )
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="permits",
                               db_index=False, db_constraint=False)
    kelurahan = models.ForeignKey(
        AdministrativeArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("kelurahan"), db_index=False, db_constraint=False,
    )
    street = models.CharField(_("street address"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("stay permit")
        verbose_name_plural = _("stay permits")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="permit_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_on__isnull=False),
                name="permit_cancelled_has_date",
            ),
        ]
        indexes = [
            # Covers the as-of headline: presence window, kind, place and expiry.
            models.Index(
                fields=["office", "valid_from", "stay_ends_on", "kind", "kelurahan", "valid_until",
                        "cancelled_on"],
                name="permit_presence_idx",
            ),
            models.Index(fields=["person", "valid_from"]),
            models.Index(fields=["sponsor", "valid_from"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}"

    @property
    def effective_until(self) -> dt.date:
        if self.cancelled_on and self.cancelled_on <= self.valid_until:
            return self.cancelled_on - dt.timedelta(days=1)
        return self.valid_until


class RuleSet(models.Model):
    """Legal thresholds and rates, each row in force from its date (PP 45/2024 may change them)."""

    valid_from = models.DateField(_("in force from"), unique=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    expiring_within_days = models.PositiveIntegerField(_("expiring within (days)"), default=30)
    # Pasal 78(1)-(2): a fee per day under the threshold.
    overstay_fee_per_day = models.PositiveBigIntegerField(
        _("overstay fee per day (Rp)"), default=1_000_000
    )
    # Pasal 78(3): at or past this many days, deportation and entry ban.
    overstay_deportation_days = models.PositiveIntegerField(
        _("overstay days for deportation"), default=60
    )
    # Pasal 71: civil-status and other changes reported within this many days.
    change_report_days = models.PositiveIntegerField(_("days to report a change"), default=60)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self) -> str:
        return f"{self.legal_basis} ({self.valid_from:%d-%m-%Y})"


class ChangeKind(models.TextChoices):
    ADDRESS = "address", _("Address")
    CIVIL_STATUS = "civil_status", _("Civil status")
    EMPLOYER = "employer", _("Employer / job")
    SPONSOR = "sponsor", _("Sponsor")
    NATIONALITY = "nationality", _("Nationality")


class Reporter(models.TextChoices):
    FOREIGNER = "foreigner", _("The foreigner")
    SPONSOR = "sponsor", _("The sponsor")


class ChangeReport(models.Model):
    """A change the foreigner or sponsor must report (Pasal 63, Pasal 71)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="change_reports")
    kind = models.CharField(_("what changed"), max_length=20, choices=ChangeKind.choices)
    event_date = models.DateField(_("date of the change"))
    reported_on = models.DateField(_("reported on"))
    reported_by = models.CharField(_("reported by"), max_length=10, choices=Reporter.choices)
    description = models.TextField(_("description"), blank=True)
    new_kelurahan = models.ForeignKey(
        AdministrativeArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("new kelurahan"),
    )
    new_street = models.CharField(_("new street address"), max_length=200, blank=True)
    new_employer = models.CharField(_("new employer"), max_length=200, blank=True)
    new_sponsor = models.ForeignKey(
        Sponsor, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("new sponsor"),
    )
    new_nationality = models.CharField(_("new nationality"), max_length=3, blank=True)
    deadline = models.DateField(_("deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-event_date", "-id"]
        verbose_name = _("change report")
        verbose_name_plural = _("change reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_on__gte=models.F("event_date")),
                name="change_reported_after_event",
            )
        ]

    @property
    def days_late(self) -> int:
        return max(0, (self.reported_on - self.deadline).days)


class PermitImport(UploadJob):
    """One uploaded permit file and what became of each of its rows."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="imports/%Y/%m/")

    # A permit's number is its key: a file applied again changes nothing it already changed.
    RUN_TASK = "pora.registry.services.imports.run_permit_import"

    class Meta(UploadJob.Meta):
        verbose_name = _("permit import")
        verbose_name_plural = _("permit imports")

    def owning_office_id(self) -> int | None:
        return self.office_id


class RejectedRow(RejectedRowBase):
    permit_import = models.ForeignKey(
        PermitImport, on_delete=models.CASCADE, related_name="rejected_rows"
    )


class NameWord(models.Model):
    """Every distinct word of every foreigner's name: the vocabulary typos are matched in.

    A misspelt query word is first matched against these few hundred thousand words
    (trigram index on PostgreSQL), then the persons carrying the matched words are found
    through :class:`NameToken` — never by comparing a query with a million names.
    """

    word = models.CharField(max_length=60, unique=True)
    # How many persons carry the word: rare words weigh more when ranking candidates.
    persons = models.PositiveIntegerField(default=0)


class NameToken(models.Model):
    """One word of one person's name, with the person's office: the search's inverted index.

    Derived from ``Person.name_search`` by :mod:`pora.registry.search_index` and rebuilt
    whenever a name or the supervising office changes; no foreign-key checks, as with the
    other bulk-written derived data.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+",
                               db_constraint=False)
    office_id = models.BigIntegerField()
    word = models.CharField(max_length=60)

    class Meta:
        # Covering: a posting list is read from the index alone.
        indexes = [models.Index(fields=["office_id", "word", "person"],
                                name="name_token_lookup")]


class PresenceCube(models.Model):
    """Stay permits counted by everything the as-of headline asks of them.

    Permits sharing office, kind, kelurahan and their dates collapse into one row, so the
    headline for any date sums a few hundred thousand rows instead of scanning millions
    of permits. Kept by triggers (migration 0004) in the same transaction as the permits:
    statement-level with transition tables on PostgreSQL, row-level on SQLite. Missing
    dates are stored as 9999-12-31 ("never") so every key is comparable.
    """

    office_id = models.BigIntegerField()
    kind = models.CharField(max_length=4)
    kelurahan_id = models.BigIntegerField()  # 0: no address
    valid_from = models.DateField()
    valid_until = models.DateField()
    stay_ends_on = models.DateField()
    cancelled_on = models.DateField()
    superseded = models.BooleanField()
    permits = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office_id", "valid_from", "stay_ends_on", "kind", "kelurahan_id",
                        "valid_until", "cancelled_on", "superseded"],
                name="presence_cube_key",
            )
        ]
