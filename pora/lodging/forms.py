from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pora.alerts import rules as alert_rules
from pora.alerts.models import AlertStatus
from pora.core import clock
from pora.core.countries import country_choices
from pora.core.models import AdministrativeArea, AreaLevel, Office, User
from pora.lodging.models import LodgingType, ReporterKind
from pora.registry.models import Sex


def covered_kelurahan():
    """Kelurahan some office in PORA supervises: only those may register."""
    ids = set()
    for office in Office.objects.prefetch_related("jurisdiction"):
        ids.update(office.kelurahan_queryset().values_list("id", flat=True))
    return AdministrativeArea.objects.filter(pk__in=ids, level=AreaLevel.KELURAHAN).order_by(
        "parent__name", "name")


class KelurahanChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.parent.name}" if obj.parent_id else obj.name


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(label=_("I report as"), choices=ReporterKind.choices)
    name = forms.CharField(label=_("Name of the lodging, company or person"), max_length=150)
    lodging_type = forms.ChoiceField(label=_("Type of lodging"), choices=LodgingType.choices)
    licence_number = forms.CharField(label=_("Business licence number (NIB)"), max_length=40,
                                     required=False,
                                     help_text=_("Required for lodgings and companies."))
    kelurahan = KelurahanChoice(label=_("Kelurahan"), queryset=AdministrativeArea.objects.none())
    street = forms.CharField(label=_("Street address"), max_length=200)
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=8, decimal_places=5,
                                  min_value=-11, max_value=6, required=False)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=8, decimal_places=5,
                                   min_value=95, max_value=141, required=False)
    person_in_charge = forms.CharField(label=_("Person in charge"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"))
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput,
                               strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelurahan"].queryset = covered_kelurahan().select_related("parent")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        User.username_validator(username)
        return username

    def clean(self):
        data = super().clean()
        if data.get("kind") in {ReporterKind.LODGING, ReporterKind.COMPANY} and not data.get(
                "licence_number"):
            self.add_error("licence_number", _("A lodging or company gives its NIB."))
        if data.get("kind") == ReporterKind.INDIVIDUAL and data.get("lodging_type") not in {
                LodgingType.HOME, LodgingType.KOS, LodgingType.VILLA}:
            data["lodging_type"] = LodgingType.HOME
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        if data.get("password"):
            try:
                user = User(username=data.get("username", ""), email=data.get("email", ""),
                            first_name=data.get("person_in_charge", ""))
                # The lodging does not exist yet: its name comes from the form.
                user.password_context = [data.get("name", "")]
                validate_password(data["password"], user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class StaffForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def __init__(self, *args, lodging=None, **kwargs):
        self.lodging = lodging
        super().__init__(*args, **kwargs)

    def clean_password(self):
        data = self.cleaned_data
        user = User(username=data.get("username", ""), email=data.get("email", ""),
                    first_name=data.get("full_name", ""))
        user.password_context = [self.lodging.name] if self.lodging is not None else []
        validate_password(data["password"], user)
        return data["password"]


class MODE:
    TYPED = "typed"
    MRZ = "mrz"


class CheckInForm(forms.Form):
    """Passport data typed or as the machine readable zone, and the stay."""

    mode = forms.ChoiceField(choices=[(MODE.MRZ, _("Machine readable zone")),
                                      (MODE.TYPED, _("Type the data"))],
                             widget=forms.HiddenInput, initial=MODE.MRZ)
    mrz = forms.CharField(
        label=_("Machine readable zone (the 2 or 3 lines at the bottom of the data page)"),
        required=False, max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off",
                                     "class": "mrz", "autocapitalize": "characters"}))
    surname = forms.CharField(label=_("Surname"), max_length=100, required=False)
    given_names = forms.CharField(label=_("Given names"), max_length=150, required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNSPECIFIED,
                            required=False)
    birth_date = forms.CharField(label=_("Date of birth"), max_length=10, required=False,
                                 help_text=_("YYYY-MM-DD; YYYY-MM or YYYY if the passport "
                                             "shows only that."))
    document_number = forms.CharField(label=_("Passport number"), max_length=30,
                                      required=False)
    issuing_state = forms.ChoiceField(label=_("Issuing state"), required=False)
    document_expiry = forms.DateField(label=_("Passport valid until"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    room = forms.CharField(label=_("Room"), max_length=20, required=False)
    checked_in_at = forms.DateTimeField(
        label=_("Check-in time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    expected_checkout = forms.DateField(label=_("Expected check-out"), required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))
    purpose = forms.CharField(label=_("Purpose of visit"), max_length=100, required=False)
    arrival_date = forms.DateField(label=_("Arrival in Indonesia"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    permit_number = forms.CharField(label=_("Visa or stay permit number, if known"),
                                    max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = [("", "—"), *country_choices()]
        self.fields["nationality"].choices = countries
        self.fields["issuing_state"].choices = countries
        if not self.is_bound:
            self.initial.setdefault("checked_in_at", timezone.localtime(clock.now()).replace(
                second=0, microsecond=0))


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo of the passport data page"),
                            widget=forms.ClearableFileInput(attrs={
                                "accept": "image/jpeg,image/png,image/webp",
                                "capture": "environment"}))

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        limit = settings.PORA_PHOTO_MAX_MB * 1024 * 1024
        if photo.size > limit:
            raise forms.ValidationError(_("The photo is larger than %(mb)s MB.") % {
                "mb": settings.PORA_PHOTO_MAX_MB})
        return photo


class CheckOutForm(forms.Form):
    checked_out_at = forms.DateTimeField(
        label=_("Check-out time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("checked_out_at", timezone.localtime(clock.now()).replace(
                second=0, microsecond=0))


class TokenForm(forms.Form):
    label = forms.CharField(label=_("What the token is for"), max_length=100,
                            initial=_("Property management system"))


class GuestFilterForm(forms.Form):
    q = forms.CharField(label=_("Guest name or passport number"), required=False,
                        max_length=100)
    kelurahan = forms.ModelChoiceField(label=_("Kelurahan"), required=False,
                                       queryset=AdministrativeArea.objects.none())
    lodging = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    overdue = forms.BooleanField(label=_("Past expected check-out only"), required=False)

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        if office is not None:
            self.fields["kelurahan"].queryset = office.kelurahan_queryset().order_by("name")


class AlertFilterForm(forms.Form):
    rule = forms.ChoiceField(label=_("Rule"), required=False,
                             choices=lambda: [("", _("All rules")), *alert_rules.choices()])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *AlertStatus.choices])
    lodging = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    since = forms.DateField(label=_("Seen since"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))


class AlertUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AlertStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RelinkForm(forms.Form):
    person = forms.IntegerField(label=_("Foreigner number (from the foreigner's page)"),
                                required=False, min_value=1)
    new_person = forms.BooleanField(label=_("Record the guest as a new foreigner"),
                                    required=False)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("new_person"):
            raise forms.ValidationError(_("Give a foreigner number or choose a new foreigner."))
        return data


def local_datetime(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value
