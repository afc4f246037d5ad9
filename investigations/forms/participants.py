from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from intrapreneur.forms import DATE_WIDGET
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import Startup
from investigations.enums import UserType
from investigations.models import Participant
from investigations.services.participants import ContactData, contact_of

PROFILE_FIELDS = ("usertype", "profile", "organisation", "territory")
CONTACT_FIELDS = ("name", "email", "phone", "consent_date", "retention_until")


class ParticipantForm(DsfrBaseForm):
    """The profile for everyone who contributes; the contact part only with ``personal``."""

    usertype = forms.ChoiceField(label=_("User type"), choices=UserType.choices)
    profile = forms.CharField(
        label=_("Profile"), max_length=300, required=False,
        help_text=_("What matters about them, without identifying them: “front-desk agent”."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    territory = forms.CharField(
        label=_("Territory"), max_length=200, required=False,
        help_text=_("Département, region or town: “Pas-de-Calais”."),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    consent_date = forms.DateField(
        label=_("Consent given on"), required=False, widget=DATE_WIDGET,
        help_text=_("The day they agreed that the startup keeps their contact."),
    )
    retention_until = forms.DateField(
        label=_("Keep until"), required=False, widget=DATE_WIDGET,
        help_text=_(
            "Leave empty: 24 months after their last interview. The contact is erased "
            "automatically on that date."
        ),
    )

    def __init__(self, *args, personal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.personal = personal
        if not personal:
            for name in CONTACT_FIELDS:
                del self.fields[name]

    @staticmethod
    def initial_for(participant: Participant, *, personal: bool) -> dict:
        initial = {name: getattr(participant, name) for name in PROFILE_FIELDS}
        contact = contact_of(participant) if personal else None
        if contact is not None:
            initial.update(
                name=contact.name, email=contact.email, phone=contact.phone,
                consent_date=contact.consent_date,
                retention_until=contact.retention_until if contact.retention_set_by_hand
                else None,
            )
        return initial

    def clean_retention_until(self):
        until = self.cleaned_data["retention_until"]
        if until and until < timezone.localdate():
            raise forms.ValidationError(
                _("This date is past: erase their personal data instead.")
            )
        return until

    def clean(self):
        data = super().clean()
        consent, until = data.get("consent_date"), data.get("retention_until")
        if consent and until and until < consent:
            self.add_error(
                "retention_until", _("The contact cannot be kept until before the consent.")
            )
        return data

    @property
    def profile_fields(self) -> list:
        return [self[name] for name in PROFILE_FIELDS]

    @property
    def contact_fields(self) -> list:
        return [self[name] for name in CONTACT_FIELDS if name in self.fields]

    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}

    def contact_data(self) -> ContactData | None:
        """The contact typed, or None when this person may not see it (left untouched)."""
        if not self.personal:
            return None
        return ContactData(**{name: self.cleaned_data[name] for name in CONTACT_FIELDS})


class ParticipantFilterForm(ListFilterForm):
    usertype = forms.ChoiceField(
        label=_("User type"), choices=[("", _("All user types")), *UserType.choices]
    )
    territory = forms.ChoiceField(label=_("Territory"))

    search_fields = ("profile", "organisation", "territory")
    sorts = {
        "pseudonym": (_("Pseudonym"), ("number",)),
        "interviews": (_("Interviews"), ("-interview_count", "number")),
        # last_sort: the last interview's date, annotated by the view.
        "last": (_("Last interview"), ("-last_sort", "number")),
    }
    default_sort = "pseudonym"

    def __init__(self, *args, startup: Startup, personal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        territories = (
            Participant.objects.for_startup(startup).exclude(territory="")
            .order_by("territory").values_list("territory", flat=True).distinct()
        )
        self.fields["territory"].choices = [
            ("", _("All territories")), *((t, t) for t in territories)
        ]
        if personal:
            # Those who may read the contacts find a participant by name or address too.
            self.search_fields = (*self.search_fields, "contact__name", "contact__email")

    def filter_queryset(self, queryset, data):
        if data.get("usertype"):
            queryset = queryset.filter(usertype=data["usertype"])
        if data.get("territory"):
            queryset = queryset.filter(territory=data["territory"])
        return queryset
