from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from governance.enums import ReportState
from governance.models import SponsorReport
from governance.services.reports import TEXT_MAX_LENGTH
from intrapreneur.forms import DATE_WIDGET
from intrapreneur.lists import ListFilterForm

REPORT_FIELDS = ("as_of", "title", "highlights", "risks", "asks")


class ReportForm(DsfrBaseForm, forms.ModelForm):
    """A draft report: its date (the figures are frozen as of it) and the intrapreneur's
    words. On an existing draft, ``refresh`` takes the figures again."""

    refresh = forms.BooleanField(
        label=_("Refresh the figures"), required=False,
        help_text=_("Take the dashboard's figures again as of the report's date. They are "
                    "taken again anyway when the date changes."),
    )

    class Meta:
        model = SponsorReport
        fields = list(REPORT_FIELDS)
        widgets = {
            "as_of": DATE_WIDGET,
            "highlights": forms.Textarea(attrs={"rows": 6}),
            "risks": forms.Textarea(attrs={"rows": 5}),
            "asks": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "as_of": _("The dashboard's figures are frozen as of this date."),
            "title": _("Left empty: “Report of” and the month of the date."),
            "highlights": _("What went well, what the team learned. Markdown is accepted."),
            "risks": _("What could go wrong, and what the team does about it."),
            "asks": _("What the team needs from the sponsor: a decision, an introduction, "
                      "a signature."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        for name in ("highlights", "risks", "asks"):
            self.fields[name].max_length = TEXT_MAX_LENGTH
        if not self.instance.pk:
            del self.fields["refresh"]

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(
                _("The figures cannot be taken at a future date: choose today or a past day.")
            )
        return as_of

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in REPORT_FIELDS}
        if "refresh" in self.fields:
            data["refresh"] = self.cleaned_data["refresh"]
        return data


class ReportFilterForm(ListFilterForm):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All reports")), *ReportState.choices]
    )

    search_fields = ("title", "highlights", "risks", "asks")
    sorts = {
        "as_of": (_("Date"), ("-as_of", "-pk")),
        "title": (_("Title"), ("title",)),
    }
    default_sort = "as_of"

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        return queryset
