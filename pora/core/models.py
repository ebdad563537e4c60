"""Offices, their jurisdiction, partner agencies, users and the two immutable logs."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City / regency")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")


class AdministrativeArea(models.Model):
    """An area with its Kemendagri code: 31 (DKI) > 31.72 (Jakarta Utara) > 31.72.01 > …"""

    code = models.CharField(_("Kemendagri code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True)
                | (~Q(level="province") & Q(parent__isnull=False)),
                name="area_parent_matches_level",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kecamatan(self) -> AdministrativeArea | None:
        if self.level == AreaLevel.KELURAHAN:
            return self.parent
        if self.level == AreaLevel.KECAMATAN:
            return self
        return None


class Office(models.Model):
    """A Kantor Imigrasi. Its jurisdiction is a set of areas at any level."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150, unique=True)
    jurisdiction = models.ManyToManyField(
        AdministrativeArea, related_name="offices", verbose_name=_("jurisdiction")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("immigration office")
        verbose_name_plural = _("immigration offices")

    def __str__(self) -> str:
        return self.name

    def kelurahan_queryset(self) -> models.QuerySet[AdministrativeArea]:
        prefixes = list(self.jurisdiction.values_list("code", flat=True))
        condition = Q(pk__in=[])
        for prefix in prefixes:
            condition |= Q(code=prefix) | Q(code__startswith=prefix + ".")
        return AdministrativeArea.objects.filter(condition, level=AreaLevel.KELURAHAN)

    def kecamatan_queryset(self) -> models.QuerySet[AdministrativeArea]:
        return AdministrativeArea.objects.filter(
            level=AreaLevel.KECAMATAN, children__in=self.kelurahan_queryset()
        ).distinct()


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police (Polres/Polsek)")
    MILITARY = "military", _("Military (Kodim/Koramil)")
    KESBANGPOL = "kesbangpol", _("Kesbangpol")
    SATPOL_PP = "satpol_pp", _("Satpol PP")
    MANPOWER = "manpower", _("Manpower office (Disnaker)")
    CIVIL_REGISTRY = "civil_registry", _("Civil registry (Dukcapil)")
    INTELLIGENCE = "intelligence", _("Intelligence (BIN)")
    PROSECUTOR = "prosecutor", _("Prosecutor (Kejari)")
    LOCAL_GOVERNMENT = "local_government", _("Kecamatan / kelurahan office")
    OTHER = "other", _("Other")


class Agency(models.Model):
    """A TIMPORA member agency, attached to the office whose team it sits in (Pasal 69)."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("office")
    )
    area = models.ForeignKey(
        AdministrativeArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("partner agency")
        verbose_name_plural = _("partner agencies")
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="agency_unique_per_office")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICER = "officer", _("Immigration officer")
    HEAD = "head", _("Head of office")
    ANALYST = "analyst", _("Analyst")
    PARTNER = "partner", _("Partner agency")
    LODGING = "lodging", _("Lodging operator")
    ADMIN = "admin", _("Administrator")


# Roles that may read a foreigner's personal data in their own office's jurisdiction.
PERSONAL_DATA_ROLES = frozenset({Role.OFFICER, Role.HEAD})
# Roles that may see office-level aggregate figures.
AGGREGATE_ROLES = frozenset({Role.OFFICER, Role.HEAD, Role.ANALYST, Role.PARTNER})
# Roles that may change registry records (imports, change reports).
REGISTRY_WRITE_ROLES = frozenset({Role.OFFICER, Role.HEAD})


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["officer", "head", "analyst"]) | Q(office__isnull=False),
                name="office_staff_have_office",
            ),
            models.CheckConstraint(
                condition=~Q(role="partner") | Q(agency__isnull=False),
                name="partner_has_agency",
            ),
        ]

    @property
    def can_see_personal_data(self) -> bool:
        return self.is_active and self.role in PERSONAL_DATA_ROLES and self.office_id is not None

    @property
    def can_see_aggregates(self) -> bool:
        return self.is_active and self.role in AGGREGATE_ROLES and self.scope_office_id is not None

    @property
    def can_write_registry(self) -> bool:
        return self.is_active and self.role in REGISTRY_WRITE_ROLES and self.office_id is not None

    @property
    def is_head(self) -> bool:
        return self.is_active and self.role == Role.HEAD and self.office_id is not None

    @property
    def scope_office_id(self) -> int | None:
        """The office whose figures this user may see: their own, or their agency's team."""
        if self.office_id:
            return self.office_id
        if self.agency_id:
            return self.agency.office_id
        return None


class UserToken(models.Model):
    """A personal bearer token for an office user's own software (e.g. a screening client).

    It acts as the user, with the user's current role and office: demoting or deactivating
    the user takes its rights away at once. Only the SHA-256 hash is stored.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal API token")
        verbose_name_plural = _("personal API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WorkingDayOverride(models.Model):
    """A day whose working status differs from the ``holidays`` package's calendar.

    Perpres 21/2023: working days are Monday–Friday less national holidays and cuti bersama;
    the government moves days (a Saturday worked in exchange, a cuti bersama decreed late)
    and the package only estimates future Islamic and Chinese dates. Without an office the
    override is national; an office's own override wins over the national one for it.
    Read through :mod:`pora.core.deadlines`, written through the services.
    """

    date = models.DateField(_("date"))
    is_working = models.BooleanField(
        _("working day"), help_text=_("Ticked: a working day (e.g. a Saturday worked in "
                                      "exchange). Not ticked: a day off."))
    name = models.CharField(_("name"), max_length=100)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("office"), help_text=_("Empty: the whole country."))
    note = models.CharField(_("note"), max_length=300, blank=True,
                            help_text=_("E.g. the decree that sets the day."))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("changed by"))
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["date", "office__name", "id"]
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        constraints = [
            # Two constraints: a unique (office, date) alone lets NULL offices repeat.
            models.UniqueConstraint(fields=["date"], condition=Q(office__isnull=True),
                                    name="working_day_override_national_unique",
                                    violation_error_message=_(
                                        "There is already a national override for this day.")),
            models.UniqueConstraint(fields=["office", "date"], condition=Q(office__isnull=False),
                                    name="working_day_override_office_unique",
                                    violation_error_message=_(
                                        "This office already has an override for this day.")),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"


class AuditEvent(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    IMPORT = "import", _("Imported")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logged out")
    SECOND_FACTOR = "second_factor", _("Second factor changed")
    DEMO_LOAD = "demo_load", _("Demo data loaded")
    PASSWORD_CHANGE = "password_change", _("Password changed")
    PASSWORD_RESET_LINK = "password_reset_link", _("Password reset link sent")
    PASSWORD_RESET = "password_reset", _("Password reset")
    CALENDAR_CHANGE = "calendar_change", _("Working-day calendar changed")


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("log rows are never changed")

    def delete(self):
        raise PermissionError("log rows are never deleted")


class ImmutableRow(models.Model):
    """Append-only: the application can add rows, never change or remove them.

    On PostgreSQL triggers (migrations 0003 and 0007) refuse UPDATE, DELETE and TRUNCATE
    as well, so not even a raw query from the application role can rewrite history.

    Each row is also a link of a hash chain (``pora.core.chain``): written without one,
    it is sealed shortly after it commits — ``chain_seq`` its place in the log's chain,
    ``chain_hash`` the hash of the previous link and of this row's content. Sealing is
    the one change the triggers let through, and only from unsealed to sealed with the
    content unchanged. ``pora audit verify`` recomputes the chain.
    """

    chain_seq = models.BigIntegerField(null=True, blank=True, editable=False)
    chain_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Any id at all, not only a loaded row: Django saves a new object that carries an
        # existing id as an UPDATE, which would rewrite history.
        if self.pk is not None:
            raise PermissionError("log rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("log rows are never deleted")


class AuditLog(ImmutableRow):
    """Who changed what, when, with the values before and after (UU PDP Pasal 31)."""

    at = models.DateTimeField(_("time"), auto_now_add=True)
    # The (office, -at) and (actor, -at) indexes serve these keys' lookups. No database
    # constraint either: a log is written in bulk (an import writes one row per permit),
    # PostgreSQL checks every deferred foreign key at commit, and users and offices are
    # never deleted (PROTECT), so the check would only cost time.
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_index=False, db_constraint=False,
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_index=False, db_constraint=False,
    )
    event = models.CharField(_("event"), max_length=20, choices=AuditEvent.choices)
    # What happened in the area's own words ("permit.cancelled"), declared by the area
    # (``pora.core.actions``). NULL on rows written before actions existed, and where
    # ``event`` says it all: the hash chain leaves NULL columns out, so those rows' links
    # stay as they were sealed.
    action = models.CharField(_("action"), max_length=40, null=True, blank=True)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    person_id = models.BigIntegerField(_("person"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["office", "-at"]), models.Index(fields=["actor", "-at"]),
                   # The log page's person and action filters, newest first.
                   models.Index(fields=["office", "person_id", "-at"],
                                name="core_auditlog_office_person"),
                   models.Index(fields=["office", "action", "-at"],
                                name="core_auditlog_office_action"),
                   # The sealer's queue: small, as rows leave it seconds after they commit.
                   models.Index(fields=["id"], condition=models.Q(chain_seq__isnull=True),
                                name="core_auditlog_unsealed")]
        constraints = [models.UniqueConstraint(fields=["chain_seq"],
                                               condition=models.Q(chain_seq__isnull=False),
                                               name="core_auditlog_chain_seq")]

    @property
    def object_display(self) -> str:
        """The object for people: its kind in the current language, then its label."""
        from django.apps import apps
        from django.utils.text import capfirst

        try:
            kind = capfirst(str(apps.get_model(self.object_type)._meta.verbose_name))
        except (LookupError, ValueError):
            kind = self.object_type
        if self.object_label.casefold().startswith(kind.casefold()):
            return self.object_label
        return f"{kind} {self.object_label}".strip()


# What ``AccessLog.view`` codes mean, for the access log page.
ACCESS_VIEW_LABELS = {
    "person_list": _("Foreigner search results"),
    "person_export": _("Foreigner list download (Excel)"),
    "person_detail": _("Foreigner details"),
    "sponsor_detail": _("Sponsor's foreigners"),
    "api_persons": _("API: foreigner search"),
    "api_person": _("API: foreigner details"),
    # The person number of these rows is the watchlist entry's (0: nothing matched).
    "api_screen": _("API: watchlist screening"),
    "person_photo": _("Foreigner's photo"),
    "lodging_home": _("Lodging: current guests"),
    "lodging_stay": _("Lodging: guest report"),
    "lodging_receipt": _("Lodging: receipt"),
    "lodging_check_out": _("Lodging: check-out"),
    "lodging_guests": _("Guests staying now"),
    "lodging_stay_officer": _("Guest report (officer)"),
    "lodging_alerts": _("Lodging alerts"),
    "lodging_alert": _("Lodging alert"),
    "lodging_upload_rejected": _("Lodging: guest-list rows rejected (download)"),
    "api_lodging_guests": _("API: lodging's current guests"),
    "api_lodging_check_out": _("API: lodging check-out"),
    "api_lodging_receipt": _("API: lodging receipt"),
    "screening_hits": _("Watchlist hits to review"),
    "screening_hits_export": _("Watchlist hits download (Excel)"),
    "screening_hit": _("Watchlist hit"),
    # The person number of these rows is the watchlist entry's.
    "watchlist_entries": _("Watchlist entries"),
    "watchlist_entry": _("Watchlist entry"),
    "watchlist_entry_photo": _("Watchlist entry's photo"),
    "watchlist_export": _("Watchlist download (Excel)"),
    # The person number of these rows is the import's.
    "permit_import_rejected": _("Permit import: rejected rows"),
    "watchlist_import_rejected": _("Watchlist import: rejected rows"),
}


# Views whose rows number something other than a foreigner of the registry: a watchlist
# entry (0 for a screen that matched nothing) or an import. Their numbers are not person
# numbers: the person filter leaves them out and the page does not link them as such.
ACCESS_VIEWS_NOT_OF_PERSONS = frozenset({
    "api_screen", "watchlist_entries", "watchlist_entry", "watchlist_entry_photo",
    "watchlist_export", "permit_import_rejected", "watchlist_import_rejected",
    "lodging_upload_rejected",
})


class AccessLog(ImmutableRow):
    """Who looked at whose personal data, when and from where (UU PDP Pasal 31)."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # No user for a client of the API that holds a lodging's token, not a login.
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    # Who read: the username, or the token that did ("API token ab12cd… (Hotel X)").
    reader = models.CharField(_("read by"), max_length=200, blank=True, default="")
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person_id = models.BigIntegerField(_("person"), db_index=True)
    person_label = models.CharField(_("person"), max_length=200)
    view = models.CharField(_("what was viewed"), max_length=100)
    path = models.CharField(_("address"), max_length=300)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data access log")
        indexes = [models.Index(fields=["office", "-at"]), models.Index(fields=["user", "-at"]),
                   # The log page's filters at a year of reads (millions of rows): each
                   # reads its newest rows in order from one of these, never sorting.
                   models.Index(fields=["office", "person_id", "-at"],
                                name="core_accesslog_office_person"),
                   models.Index(fields=["office", "reader", "-at"],
                                name="core_accesslog_office_reader"),
                   models.Index(fields=["office", "view", "-at"],
                                name="core_accesslog_office_view"),
                   models.Index(fields=["id"], condition=models.Q(chain_seq__isnull=True),
                                name="core_accesslog_unsealed")]
        constraints = [models.UniqueConstraint(fields=["chain_seq"],
                                               condition=models.Q(chain_seq__isnull=False),
                                               name="core_accesslog_chain_seq")]

    @property
    def of_person(self) -> bool:
        """Whether ``person_id`` is a foreigner's number (see ACCESS_VIEWS_NOT_OF_PERSONS)."""
        return self.view not in ACCESS_VIEWS_NOT_OF_PERSONS

    @property
    def reader_label(self) -> str:
        """The reader as recorded; rows from before ``reader`` existed name the user."""
        return self.reader or (self.user.username if self.user_id else "")

    @property
    def view_label(self) -> str:
        label = ACCESS_VIEW_LABELS.get(self.view)
        return str(label) if label is not None else self.view


class DemoDataset(models.Model):
    """Marks a database that holds the synthetic demo, and the date its figures are for."""

    loaded_at = models.DateTimeField(auto_now_add=True)
    reference_date = models.DateField()
    persons = models.PositiveIntegerField()
    permits = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("demo data set")


class IdempotencyKey(models.Model):
    """A client's retry key and the answer it got: the same key and body answer again
    with the first response (:mod:`pora.core.idempotency`).

    ``caller`` names who sent it with the kind of its credentials ("lodging:12" for a
    lodging's token, "user:5" for an officer), so that two callers never share a key.
    """

    caller = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    body_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotency_key_per_caller")
        ]
