from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from pora.core.models import Agency, Office, Role, User

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
            try:
                validate_password(password, self.instance)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


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
