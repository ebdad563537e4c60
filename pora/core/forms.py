from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from pora.core.models import AdministrativeArea, Agency, AgencyKind, Office, Role, User

OFFICE_ROLES = {Role.OFFICER, Role.HEAD, Role.ANALYST}


class UserForm(forms.Form):
    username = forms.RegexField(label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$")
    first_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.all(),
                                    required=False)
    agency = forms.ModelChoiceField(label=_("Partner agency"),
                                    queryset=Agency.objects.select_related("office"),
                                    required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    password = forms.CharField(label=_("Password"), required=False, strip=False,
                               widget=forms.PasswordInput(render_value=False),
                               help_text=_("Leave empty to keep the current password."))

    def __init__(self, *args, instance: User | None = None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["username"].disabled = True
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean_username(self):
        username = self.cleaned_data["username"]
        if self.instance is None and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in OFFICE_ROLES and not data.get("office"):
            self.add_error("office", _("Office staff need an office."))
        if role == Role.PARTNER and not data.get("agency"):
            self.add_error("agency", _("A partner user needs an agency."))
        if role not in OFFICE_ROLES:
            data["office"] = None
        if role != Role.PARTNER:
            data["agency"] = None
        password = data.get("password")
        if password:
            # A new account is judged with the office, agency and names it is given.
            user = self.instance or User(
                username=data.get("username", ""), email=data.get("email", ""),
                first_name=data.get("first_name", ""), office=data.get("office"),
                agency=data.get("agency"))
            try:
                validate_password(password, user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


def _label_password_fields(form: forms.Form) -> None:
    form.fields["new_password1"].label = _("New password")
    form.fields["new_password2"].label = _("New password again")


class NewPasswordForm(auth_forms.SetPasswordForm):
    """New password twice (the reset link's page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_password_fields(self)


class OwnPasswordChangeForm(auth_forms.PasswordChangeForm):
    """Current password, new password twice."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        _label_password_fields(self)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        # Through authenticate(), as at the login page: a wrong current password counts
        # towards the lockout (django-axes), so a stolen session cannot try passwords on.
        if authenticate(self.request, username=self.user.get_username(),
                        password=old_password) is None:
            raise forms.ValidationError(self.error_messages["password_incorrect"],
                                        code="password_incorrect")
        return old_password


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("Email address of your account"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email",
                                                            "autofocus": True}))


class OfficeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40,
                           help_text=_("Short name in links, e.g. jakarta-utara."))
    name = forms.CharField(label=_("Name"), max_length=150)
    jurisdiction = forms.CharField(
        label=_("Jurisdiction"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kemendagri codes of the areas it covers, separated by spaces, "
                    "e.g. 31.72 for all of Jakarta Utara."))

    def __init__(self, *args, instance: Office | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["code"].disabled = True
            self.fields["code"].required = False

    def clean_jurisdiction(self):
        from django.core.exceptions import ValidationError

        from pora.core.services import areas_from_codes

        try:
            areas = areas_from_codes(self.cleaned_data["jurisdiction"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        if not areas:
            raise forms.ValidationError(_("Name at least one area."))
        return areas


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices)
    office = forms.ModelChoiceField(label=_("Office (TIMPORA team)"),
                                    queryset=Office.objects.order_by("name"))
    area = forms.CharField(label=_("Area (Kemendagri code)"), max_length=13, required=False,
                           help_text=_("Optional, e.g. 31.72.01 for a Polsek's kecamatan."))

    def clean_area(self):
        code = self.cleaned_data["area"].strip()
        if not code:
            return None
        area = AdministrativeArea.objects.filter(code=code).first()
        if area is None:
            raise forms.ValidationError(_("Unknown area code %(code)s.") % {"code": code})
        return area


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class WorkingDayOverrideForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=_DateInput())
    is_working = forms.TypedChoiceField(
        label=_("The day becomes"), coerce=lambda v: v == "1",
        choices=[("0", _("A day off")), ("1", _("A working day"))])
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("E.g. \"Cuti bersama Idulfitri\" or \"Saturday worked in "
                                       "exchange\"."))
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.all(),
                                    required=False, empty_label=_("National (every office)"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           help_text=_("E.g. the decree that sets the day."))

    def clean_date(self):
        from pora.core.deadlines import FIRST_YEAR, LAST_YEAR

        value = self.cleaned_data["date"]
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("The working-day calendar covers the years %(first)s to %(last)s."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR})
        return value
