"""Lodging reports (Pasal 72): who reports, which guests stayed where, and what it showed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pora.core.models import AdministrativeArea, Office
from pora.jobs.models import RejectedRowBase, UploadJob
from pora.registry.models import Person, Sex


class ReporterKind(models.TextChoices):
    LODGING = "lodging", _("Lodging")
    COMPANY = "company", _("Company")
    INDIVIDUAL = "individual", _("Individual")


class LodgingType(models.TextChoices):
    HOTEL = "hotel", _("Hotel")
    APARTMENT = "apartment", _("Apartment")
    GUESTHOUSE = "guesthouse", _("Guesthouse")
    KOS = "kos", _("Boarding house (kos)")
    VILLA = "villa", _("Villa")
    COMPANY_MESS = "company_mess", _("Company mess")
    HOME = "home", _("Private home")


class ReporterStatus(models.TextChoices):
    EMAIL_PENDING = "email_pending", _("Email not yet confirmed")
    PENDING = "pending", _("Awaiting officer verification")
    VERIFIED = "verified", _("Verified")
    SUSPENDED = "suspended", _("Suspended")


class Lodging(models.Model):
    """A place whose owner reports foreign guests: a hotel, a company's mess, a private home.

    Companies and individuals who house foreigners register the same way, with
    ``kind`` telling them apart; their reports count as verified once an officer has
    verified the account.
    """

    kind = models.CharField(_("reporter kind"), max_length=10, choices=ReporterKind.choices,
                            default=ReporterKind.LODGING)
    name = models.CharField(_("name"), max_length=150)
    lodging_type = models.CharField(_("type of lodging"), max_length=15,
                                    choices=LodgingType.choices, default=LodgingType.HOTEL)
    licence_number = models.CharField(_("business licence number (NIB)"), max_length=40,
                                      blank=True)
    kelurahan = models.ForeignKey(AdministrativeArea, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("kelurahan"))
    street = models.CharField(_("street address"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5,
                                   null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5,
                                    null=True, blank=True)
    person_in_charge = models.CharField(_("person in charge"), max_length=150)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"))
    # The office whose jurisdiction holds the address receives the reports.
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="lodgings",
                               verbose_name=_("office"))
    status = models.CharField(_("status"), max_length=15, choices=ReporterStatus.choices,
                              default=ReporterStatus.EMAIL_PENDING)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("lodging")
        verbose_name_plural = _("lodgings")
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="lodging_unique_per_office"),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="lodging_verified_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == ReporterStatus.VERIFIED

    @property
    def can_report(self) -> bool:
        """Reports are accepted once the email is confirmed; they count when verified."""
        return self.status in {ReporterStatus.PENDING, ReporterStatus.VERIFIED}


class LodgingStaff(models.Model):
    """A user who reports for a lodging; a lodging may have several."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="lodging_staff")
    lodging = models.ForeignKey(Lodging, on_delete=models.CASCADE, related_name="staff")
    is_manager = models.BooleanField(_("manages the account"), default=False)

    class Meta:
        verbose_name = _("lodging staff member")
        verbose_name_plural = _("lodging staff")

    def __str__(self) -> str:
        return f"{self.user} @ {self.lodging}"


class ApiToken(models.Model):
    """A bearer token for a lodging's own software. Only its SHA-256 hash is stored."""

    lodging = models.ForeignKey(Lodging, on_delete=models.CASCADE, related_name="tokens")
    label = models.CharField(_("label"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.label})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Source(models.TextChoices):
    TYPED = "typed", _("Typed")
    MRZ = "mrz", _("Machine readable zone")
    PHOTO = "photo", _("Passport photo")
    API = "api", _("API")
    BULK = "bulk", _("Guest list upload")


class LinkMethod(models.TextChoices):
    DOCUMENT = "document", _("Same document, nationality and birth date")
    NAME = "name", _("Similar name, same birth date and nationality")
    NEW = "new", _("No match: new foreigner")
    OFFICER = "officer", _("Set by an officer")


class Stay(models.Model):
    """One guest's stay at a lodging, as reported, linked to a foreigner in the registry.

    The guest's identity is kept exactly as reported, so that an officer who corrects the
    link can see what the lodging wrote.
    """

    # Indexes: stay_natural_key starts with lodging, (person, checked_in_at) serves person,
    # (office, …) serves office. Office and person are checked by the services that write
    # stays (the office is the lodging's; the person is found or created in the same
    # transaction) rather than by a deferred trigger per row: a 100,000-row guest list
    # would spend seconds in them (as the registry's permits do, see registry.models).
    lodging = models.ForeignKey(Lodging, on_delete=models.PROTECT, related_name="stays",
                                db_index=False)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+",
                               db_index=False, db_constraint=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="stays",
                               verbose_name=_("foreigner"), db_index=False,
                               db_constraint=False)
    link_method = models.CharField(_("linked by"), max_length=10, choices=LinkMethod.choices)
    # What the link rested on (document, score, the conflicts seen), shown to officers.
    link_facts = models.JSONField(_("why linked"), default=dict)
    # As reported.
    surname = models.CharField(_("surname"), max_length=100, blank=True)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNSPECIFIED)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3)
    document_number = models.CharField(_("document number"), max_length=20)
    issuing_state = models.CharField(_("issuing state"), max_length=3)
    document_expiry = models.DateField(_("document expiry"), null=True, blank=True)
    # The stay.
    room = models.CharField(_("room"), max_length=20, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"))
    expected_checkout = models.DateField(_("expected check-out"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    purpose = models.CharField(_("purpose of visit"), max_length=100, blank=True)
    arrival_date = models.DateField(_("arrival in Indonesia"), null=True, blank=True)
    permit_number = models.CharField(_("visa or permit number"), max_length=40, blank=True)
    # The report.
    source = models.CharField(_("reported by"), max_length=10, choices=Source.choices)
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+", db_index=False,
                                    db_constraint=False)
    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", db_index=False, db_constraint=False)
    # Unique by a constraint, not unique=True: receipts are looked up by equality only,
    # and PostgreSQL would add a second (LIKE) index for unique=True.
    receipt_number = models.CharField(_("receipt number"), max_length=24)
    checked_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+",
                                       db_index=False, db_constraint=False)

    class Meta:
        ordering = ["-checked_in_at", "-id"]
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        constraints = [
            # One guest, one lodging, one check-in time: a re-sent report is the same stay.
            models.UniqueConstraint(
                fields=["lodging", "document_number", "nationality", "checked_in_at"],
                name="stay_natural_key",
            ),
            models.UniqueConstraint(fields=["receipt_number"], name="stay_receipt_unique"),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="stay_checkout_after_checkin",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "checked_in_at"]),
            models.Index(fields=["office", "checked_out_at", "checked_in_at"]),
            models.Index(fields=["lodging", "reported_at"]),
        ]

    def __str__(self) -> str:
        name = f"{self.surname}, {self.given_names}" if self.given_names else self.surname
        return f"{name} @ {self.lodging_id}"

    @property
    def guest_name(self) -> str:
        if self.surname and self.given_names:
            return f"{self.surname}, {self.given_names}"
        return self.surname or self.given_names

    @property
    def birth_date_display(self) -> str:
        return Person.birth_date_display.fget(self)

    @property
    def is_current(self) -> bool:
        return self.checked_out_at is None

    def is_overdue(self, today) -> bool:
        """Past the expected check-out and not checked out: flagged, never closed silently."""
        return (self.checked_out_at is None and self.expected_checkout is not None
                and self.expected_checkout < today)

    @property
    def passport_expired(self) -> bool:
        """The passport shown had expired before the day of check-in (reported anyway)."""
        return (self.document_expiry is not None and self.checked_in_at is not None
                and self.document_expiry < timezone.localtime(self.checked_in_at).date())

    @property
    def link_explanation(self) -> str:
        from pora.lodging.linking import explain_link

        return explain_link(self.link_method, self.link_facts)

    @property
    def report_delay(self):
        return self.reported_at - self.checked_in_at


class AlertRule(models.TextChoices):
    """Lodging's detection rules (registered with the alerts app in LodgingConfig.ready)."""

    LATE_REPORT = "late_report", _("Reported late")
    OVERLAPPING = "overlapping", _("At two lodgings at once")
    HOPPING = "hopping", _("Many lodgings in a short time")
    NO_VALID_PERMIT = "no_valid_permit", _("No valid stay permit")
    SILENT_LODGING = "silent_lodging", _("Lodging stopped reporting")
    EXPIRED_PASSPORT = "expired_passport", _("Expired passport")


class GuestListImport(UploadJob):
    """One uploaded guest list (CSV/XLSX) and what became of each row."""

    lodging = models.ForeignKey(Lodging, on_delete=models.PROTECT, related_name="imports")
    file = models.FileField(upload_to="guest-lists/%Y/%m/")

    # A guest's passport and check-in time are the key: a list applied again adds only
    # the guests it had not yet recorded.
    RUN_TASK = "pora.lodging.services.guest_lists.run_guest_list"

    class Meta(UploadJob.Meta):
        verbose_name = _("guest list upload")
        verbose_name_plural = _("guest list uploads")

    def owning_office_id(self) -> int | None:
        return self.lodging.office_id


class GuestListRejectedRow(RejectedRowBase):
    guest_import = models.ForeignKey(GuestListImport, on_delete=models.CASCADE,
                                     related_name="rejected_rows")
