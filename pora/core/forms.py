from __future__ import annotations

from django import forms
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
            try:
                validate_password(password, self.instance)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


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
