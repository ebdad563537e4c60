from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from pora.core import clock
from pora.core.countries import country_choices
from pora.core.images import check_photo
from pora.core.models import AdministrativeArea, AreaLevel
from pora.registry.models import ChangeKind, PermitKind, Reporter, Sponsor

STANDING_CHOICES = [
    ("", _("Any status")),
    ("valid", _("Valid permit")),
    ("expiring", _("Expiring soon")),
    ("overstay", _("Overstaying")),
    ("overstay_deport", _("Overstaying 60 days or more")),
    ("departed", _("Departed")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def as_of_field() -> forms.DateField:
    from django.core.validators import MaxValueValidator, MinValueValidator

    return forms.DateField(label=_("As of"), required=False, widget=DateInput(),
                           validators=[MinValueValidator(dt.date(1950, 1, 1)),
                                       MaxValueValidator(dt.date(2100, 12, 31))])


class AsOfForm(forms.Form):
    on = as_of_field()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, passport or permit number"), required=False,
                        max_length=100)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    kind = forms.ChoiceField(label=_("Permit"), required=False,
                             choices=[("", _("Any permit")), *PermitKind.choices])
    standing = forms.ChoiceField(label=_("Status"), required=False, choices=STANDING_CHOICES)
    kelurahan = forms.ModelChoiceField(label=_("Kelurahan"), required=False,
                                       queryset=AdministrativeArea.objects.none(),
                                       empty_label=_("Any kelurahan"))
    sponsor = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1,
                                 max_value=2**63 - 1)
    on = as_of_field()

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", _("Any nationality")), *country_choices()]
        if office is not None:
            self.fields["kelurahan"].queryset = office.kelurahan_queryset().select_related("parent")


class ChangeReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What changed"), choices=ChangeKind.choices)
    event_date = forms.DateField(label=_("Date of the change"), widget=DateInput())
    reported_on = forms.DateField(label=_("Reported on"), widget=DateInput(),
                                  initial=clock.today)
    reported_by = forms.ChoiceField(label=_("Reported by"), choices=Reporter.choices)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    new_kelurahan = forms.ModelChoiceField(
        label=_("New kelurahan"), required=False,
        queryset=AdministrativeArea.objects.filter(level=AreaLevel.KELURAHAN),
    )
    new_street = forms.CharField(label=_("New street address"), required=False, max_length=200)
    new_employer = forms.CharField(label=_("New employer"), required=False, max_length=200)
    new_sponsor = forms.ModelChoiceField(label=_("New sponsor"), required=False,
                                         queryset=Sponsor.objects.all())
    new_nationality = forms.ChoiceField(label=_("New nationality"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_nationality"].choices = [("", "—"), *country_choices()]
        # Only sponsors the officer's office already deals with; others are not theirs
        # to see (an individual sponsor is personal data).
        from pora.registry.selectors import sponsors_for_user

        self.fields["new_sponsor"].queryset = (
            sponsors_for_user(user).order_by("name") if user is not None
            else Sponsor.objects.none()
        )

    def clean(self):
        data = super().clean()
        event, reported = data.get("event_date"), data.get("reported_on")
        if event and reported and reported < event:
            self.add_error("reported_on", _("A change cannot be reported before it happens."))
        if reported and reported > clock.today():
            self.add_error("reported_on", _("The report date cannot be in the future."))
        return data


class DepartureForm(forms.Form):
    departed_on = forms.DateField(label=_("Departed on"), widget=DateInput())

    def clean_departed_on(self):
        value = self.cleaned_data["departed_on"]
        if value > clock.today():
            raise forms.ValidationError(_("The departure date cannot be in the future."))
        return value


class PhotoForm(forms.Form):
    photo = forms.ImageField(label=_("Photo (JPEG or PNG, up to 5 MB)"))

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        if photo.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The photo is larger than 5 MB."))
        if getattr(photo, "image", None) is not None and photo.image.format not in {"JPEG", "PNG"}:
            raise forms.ValidationError(_("Upload a JPEG or PNG photo."))
        check_photo(photo)
        return photo


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Permit file (.csv or .xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PORA_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.PORA_MAX_UPLOAD_MB}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


EARLIEST = dt.date(1950, 1, 1)
LATEST = dt.date(2100, 12, 31)


def parse_as_of(value: str | None, default: dt.date) -> tuple[dt.date, str]:
    """A date from the query string (``?on=``), and what to tell the user if it was not
    usable: an unreadable or absurd date gives the default, named in the message, never
    silently."""
    if not value:
        return default, ""
    shown = value[:40]
    used = date_format(default, "j F Y")
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        return default, _("“%(value)s” is not a date (write it as YYYY-MM-DD, e.g. 2024-02-01): "
                          "showing %(used)s instead.") % {"value": shown, "used": used}
    if not EARLIEST <= parsed <= LATEST:
        return default, _("%(value)s is outside the dates PORA shows (%(earliest)s to "
                          "%(latest)s): showing %(used)s instead.") % {
            "value": date_format(parsed, "j F Y"), "used": used,
            "earliest": date_format(EARLIEST, "j F Y"),
            "latest": date_format(LATEST, "j F Y")}
    return parsed, ""


# ------------------------------------------------------------------- reference data


def _reference_date(label, *, required=True) -> forms.DateField:
    from django.core.validators import MaxValueValidator, MinValueValidator

    return forms.DateField(label=label, required=required, widget=DateInput(),
                           validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)])


class VisaIndexFilterForm(forms.Form):
    q = forms.CharField(label=_("Code or purpose"), required=False, max_length=100)
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All")), ("active", _("Active")), ("inactive", _("Inactive"))])

    def __init__(self, *args, schemes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [("", _("All")), *((s, s) for s in schemes)]


class VisaIndexForm(forms.Form):
    code = forms.RegexField(label=_("Code"), max_length=10, regex=r"^\s*[A-Za-z0-9]+\s*$",
                            error_messages={"invalid": _("Letters and digits only.")})
    scheme = forms.CharField(label=_("Scheme"), max_length=20,
                             help_text=_("e.g. 2025 for the current classification"))
    permit_kind = forms.ChoiceField(label=_("Permit kind it leads to"), required=False,
                                    choices=[("", _("None (no ITK, ITAS or ITAP)")),
                                             *PermitKind.choices])
    description = forms.CharField(label=_("Purpose (Indonesian)"), max_length=200)
    description_en = forms.CharField(label=_("Purpose (English)"), max_length=200,
                                     required=False)
    valid_from = _reference_date(_("In use from"))
    valid_until = _reference_date(_("In use until"), required=False)
    replaces = forms.CharField(label=_("Replaces codes"), max_length=200, required=False,
                               help_text=_("Earlier codes, separated by spaces."))
    source = forms.CharField(label=_("Source"), max_length=300, required=False,
                             help_text=_("The decree or page the entry comes from."))

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance is not None:
            # Permits refer to the row: its identity does not change.
            for name in ("code", "scheme"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The last day of use is before the first."))
        return data


class RuleSetForm(forms.Form):
    valid_from = _reference_date(_("In force from"))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=200)
    expiring_within_days = forms.IntegerField(label=_("Expiring within (days)"), min_value=0,
                                              max_value=365)
    overstay_fee_per_day = forms.IntegerField(label=_("Overstay fee per day (Rp)"),
                                              min_value=0, max_value=1_000_000_000)
    overstay_deportation_days = forms.IntegerField(label=_("Overstay days for deportation"),
                                                   min_value=1, max_value=3650)
    change_report_days = forms.IntegerField(label=_("Days to report a change"), min_value=1,
                                            max_value=365)
