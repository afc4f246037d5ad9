from __future__ import annotations

from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from governance.enums import StakeholderKind
from governance.models import Interaction, Stakeholder
from governance.services.stakeholders import (
    INTERACTION_FIELDS,
    NOTES_MAX_LENGTH,
    STAKEHOLDER_FIELDS,
    Quadrant,
    quadrant_filter,
)
from intrapreneur.forms import DATE_WIDGET
from intrapreneur.lists import ListFilterForm


class StakeholderForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = list(STAKEHOLDER_FIELDS)
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "name": _("Délégué ministériel, DGCL, APF France handicap, the mayor of a pilot "
                      "town…"),
            "interest": _("How much the service matters to them."),
            "influence": _("How much they can help or block the service."),
            "contact": _("A professional contact (e-mail, telephone of the office): never a "
                         "personal one."),
            "notes": _("What they expect, how to work with them. Markdown is accepted."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes"].max_length = NOTES_MAX_LENGTH
        self.fields["notes"].widget.attrs["maxlength"] = NOTES_MAX_LENGTH

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in STAKEHOLDER_FIELDS}


class InteractionForm(DsfrBaseForm, forms.ModelForm):
    """A meeting, a call, a message: recorded from the stakeholder's page."""

    class Meta:
        model = Interaction
        fields = list(INTERACTION_FIELDS)
        widgets = {
            "date": DATE_WIDGET,
            "next_step_on": DATE_WIDGET,
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "subject": _("A meeting, a call, a message: what it was about."),
            "outcome": _("What was said and agreed. Markdown is accepted."),
            "next_step": _("What is to be done next, and by whom. It replaces the previous "
                           "next step of this stakeholder."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["outcome"].max_length = NOTES_MAX_LENGTH
        self.fields["outcome"].widget.attrs["maxlength"] = NOTES_MAX_LENGTH

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(
                _("An interaction is recorded once it happened: plan the next one as the "
                  "next step.")
            )
        return date

    def clean(self) -> dict:
        data = super().clean()
        next_step, next_step_on = data.get("next_step"), data.get("next_step_on")
        if next_step_on and not (next_step or "").strip():
            self.add_error(
                "next_step", _("Say what the next step is, or leave its date empty.")
            )
        date = data.get("date")
        if next_step_on and date and next_step_on < date:
            self.add_error(
                "next_step_on", _("The next step cannot come before the interaction.")
            )
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in INTERACTION_FIELDS}


LAST_INTERACTION = "last"


class StakeholderFilterForm(ListFilterForm):
    quadrant = forms.ChoiceField(
        label=_("Quadrant"), choices=[("", _("All quadrants")), *Quadrant.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *StakeholderKind.choices]
    )

    search_fields = ("name", "organisation", "role")
    sorts = {
        "name": (_("Name"), ("name",)),
        LAST_INTERACTION: (_("Last interaction"), ("-last_interaction_on",)),
    }
    default_sort = "name"
    per_page = 20

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("quadrant"):
            queryset = queryset.filter(quadrant_filter(data["quadrant"]))
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        return queryset

    def order(self, queryset: QuerySet, key: str) -> QuerySet:
        """The latest interaction first; stakeholders never met come last either way."""
        if key.lstrip("-") != LAST_INTERACTION:
            return super().order(queryset, key)
        if key.startswith("-"):
            return queryset.order_by(
                F("last_interaction_on").asc(nulls_last=True), "name", "pk"
            )
        return queryset.order_by(F("last_interaction_on").desc(nulls_last=True), "name", "pk")
