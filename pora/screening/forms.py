"""Forms of the screening pages: lists, entries, uploads, the review queue and decisions.

Forms only read and check what was typed; every write goes through
:mod:`pora.screening.services`.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pora.core.countries import country_choices
from pora.core.images import check_photo
from pora.registry.forms import DateInput
from pora.screening.models import Action, Hit, HitStatus, ListKind, Watchlist, WatchlistEntry
from pora.screening.services.imports import UPLOAD_SUFFIXES


class WatchlistForm(forms.Form):
    name = forms.CharField(label=_("Name of the list"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=ListKind.choices)
    shared = forms.BooleanField(
        label=_("Shared with every office"), required=False, initial=True,
        help_text=_("A shared list screens foreigners in every office's jurisdiction."))
    source = forms.CharField(label=_("Source"), max_length=200, required=False,
                             help_text=_("Who publishes the list, e.g. Polda Metro Jaya."))
    default_action = forms.ChoiceField(label=_("Action on a hit"), choices=Action.choices,
                                       initial=Action.REPORT)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def for_watchlist(cls, watchlist: Watchlist, data=None) -> WatchlistForm:
        return cls(data, initial={name: getattr(watchlist, name) for name in cls.base_fields})

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class EntryForm(forms.Form):
    """A listed person typed by hand; names one per line, in any script."""

    names = forms.CharField(
        label=_("Names and aliases"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, the main name first. Any script: write them as the "
                    "source does."))
    source_id = forms.CharField(
        label=_("Reference in the source"), max_length=200, required=False,
        help_text=_("The source's own number for this person (letter or notice number). "
                    "Left empty, PORA gives one."))
    sex = forms.ChoiceField(label=_("Sex"), required=False,
                            choices=[("", _("Unknown")), ("M", _("Male")), ("F", _("Female"))])
    birth_dates = forms.CharField(
        label=_("Dates of birth"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: YYYY-MM-DD, YYYY-MM or only the year."))
    age = forms.IntegerField(label=_("Age (when no date of birth is known)"), required=False,
                             min_value=0, max_value=130)
    nationalities = forms.MultipleChoiceField(
        label=_("Nationalities"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}))
    documents = forms.CharField(
        label=_("Passport or document numbers"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One per line."))
    photo = forms.ImageField(label=_("Photo"), required=False)
    reason = forms.CharField(label=_("Reason for listing"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label=_("Source document"), max_length=300, required=False)
    action = forms.ChoiceField(label=_("Action on a hit"), choices=Action.choices)
    legal_reference = forms.CharField(label=_("Legal reference"), max_length=300,
                                      required=False)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationalities"].choices = country_choices()

    @classmethod
    def for_watchlist(cls, watchlist: Watchlist, data=None, files=None) -> EntryForm:
        return cls(data, files, initial={"action": watchlist.default_action})

    @classmethod
    def for_entry(cls, entry: WatchlistEntry, data=None, files=None) -> EntryForm:
        initial = {
            "names": "\n".join(entry.names), "source_id": entry.source_id, "sex": entry.sex,
            "birth_dates": "\n".join(entry.birth_dates), "age": entry.age,
            "nationalities": entry.nationalities, "documents": "\n".join(entry.documents),
            "reason": entry.reason, "source": entry.source, "action": entry.action,
            "legal_reference": entry.legal_reference, "valid_from": entry.valid_from,
            "valid_until": entry.valid_until,
        }
        return cls(data, files, initial=initial)

    def clean_source_id(self) -> str:
        return self.cleaned_data["source_id"].strip()

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            check_photo(photo)
        return photo


class ExtendForm(forms.Form):
    valid_until = forms.DateField(label=_("New end of validity"), widget=DateInput())
    note = forms.CharField(label=_("Basis of the extension"), max_length=300,
                           help_text=_("The decision or letter that extends the listing."))


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Why the entry is withdrawn"), max_length=300,
                           help_text=_("For example the letter that lifts the ban."))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("List file (.csv, .xlsx or FollowTheMoney .json lines)"))
    full = forms.BooleanField(
        label=_("This file is the complete list"), required=False, initial=True,
        help_text=_("Entries of this list that the file no longer holds are withdrawn. "
                    "Untick it to only add and update entries."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PORA_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB."), params={"mb": settings.PORA_MAX_UPLOAD_MB})
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(
                _("Upload a .csv or .xlsx file made from the template, or FollowTheMoney "
                  "JSON lines (.json)."))
        return upload


class EntryFilterForm(forms.Form):
    EXPIRED = "expired"

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Any status")), ("active", _("Active")), (EXPIRED, _("Expired")),
        ("withdrawn", _("Withdrawn"))])


class HitFilterForm(forms.Form):
    ALL = "all"

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[*HitStatus.choices, (ALL, _("Any status"))])
    kind = forms.ChoiceField(label=_("Kind of list"), required=False,
                             choices=[("", _("Any list")), *ListKind.choices])
    q = forms.CharField(label=_("Name, passport or list"), required=False, max_length=100)

    def filters(self) -> dict:
        """The queue's filters; an untouched form shows the hits still to review."""
        if not self.is_bound:
            return {"status": HitStatus.NEW, "kind": None, "q": ""}
        if not self.is_valid():
            return {"status": HitStatus.NEW, "kind": None, "q": ""}
        data = self.cleaned_data
        status = data["status"] or HitStatus.NEW
        return {"status": None if status == self.ALL else status,
                "kind": data["kind"] or None, "q": data["q"].strip()}


DECISIONS = [(value, label) for value, label in HitStatus.choices if value != HitStatus.NEW]


class HitDecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), choices=DECISIONS,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Added to the notes already on the hit."))

    def __init__(self, *args, hit: Hit, **kwargs):
        super().__init__(*args, **kwargs)
        self.hit = hit

    def clean(self):
        data = super().clean()
        if (data.get("status") == HitStatus.FALSE_POSITIVE
                and not data.get("note", "").strip() and not self.hit.note):
            # The note is what the next officer reads when the same pair comes back after
            # a change of the person's or the entry's facts.
            self.add_error("note", _("Write why this is not the listed person."))
        return data
