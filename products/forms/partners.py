from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from intrapreneur.forms import DATE_WIDGET
from intrapreneur.lists import ListFilterForm
from products.enums import PartnerKind, PartnerStage
from products.models import Partner
from products.services.partners import NOTES_MAX_LENGTH, PARTNER_FIELDS


class PartnerForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Partner
        fields = list(PARTNER_FIELDS)
        widgets = {
            "next_step_date": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "organisation": _("Town hall of Guéret, Département de la Creuse, APF France "
                              "handicap…"),
            "next_step": _("What is to be done next, and by whom."),
            "notes": _("What was agreed, the people met, the difficulties. Markdown is "
                       "accepted. No personal data beyond the professional contact."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes"].max_length = NOTES_MAX_LENGTH
        self.fields["notes"].widget.attrs["maxlength"] = NOTES_MAX_LENGTH

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PARTNER_FIELDS}


class PartnerStageForm(forms.Form):
    """The board's small form: the stage to move to, and where to go back."""

    stage = forms.ChoiceField(
        label=_("Stage"), choices=PartnerStage.choices,
        error_messages={
            "required": _("Choose the stage to move the partner to."),
            "invalid_choice": _("“%(value)s” is not a stage of the pipeline: choose one of "
                                "the list."),
        },
    )
    next = forms.CharField(required=False, max_length=2000)


class PartnerFilterForm(ListFilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *PartnerKind.choices]
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All stages")), *PartnerStage.choices]
    )

    search_fields = ("organisation", "territory", "contact")
    # A stage shown alone (“and N more”) is paged by this many cards.
    per_page = 30

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("stage"):
            queryset = queryset.filter(stage=data["stage"])
        return queryset

    def without_stage(self, queryset: QuerySet) -> QuerySet:
        """Every filter and the search but the stage: what the columns count."""
        data = {k: v for k, v in self.valid_data().items() if k != "stage"}
        return self.search(self.filter_queryset(queryset, data), data.get("q", ""))


class TerritoryFilterForm(ListFilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *PartnerKind.choices]
    )

    # Territories per page.
    per_page = 30

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        return queryset

    def search(self, queryset: QuerySet, text: str) -> QuerySet:
        """A territory whose name matches keeps all its partners."""
        for word in text.split():
            queryset = queryset.filter(
                Q(territory__icontains=word) | Q(organisation__icontains=word)
            )
        return queryset
