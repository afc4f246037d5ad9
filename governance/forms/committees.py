"""Forms of the investment committees: the dossier, the decision, a document, the list's
filters."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from governance.models import InvestmentCommittee
from governance.services.committees import (
    CONDITION_MAX_LENGTH,
    MAX_CONDITIONS,
    TEXT_MAX_LENGTH,
    DocumentKind,
    condition_lines,
)
from intrapreneur.enums import InvestmentDecision
from intrapreneur.files import CheckedFileField
from intrapreneur.forms import DATE_WIDGET
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import Startup
from investigations.forms.committee import RadioList
from investigations.forms.interviews import CheckboxList
from products.models import Hypothesis

PLANNED = "planned"
TEXT_FIELDS = ("team_requested", "problem", "strategy", "success_criteria")


class HypothesisChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Hypothesis) -> str:
        statement = Truncator(" ".join(obj.statement.split())).chars(160)
        return f"{statement} ({obj.get_status_display()})"


class InvestmentCommitteeForm(DsfrBaseForm, forms.ModelForm):
    """The dossier the team prepares, following beta.gouv.fr's agenda."""

    hypotheses = HypothesisChoiceField(
        label=_("Hypotheses for the next six months"), queryset=Hypothesis.objects.none(),
        required=False, widget=CheckboxList,
        help_text=_("The hypotheses still to settle (to test or being tested)."),
    )

    class Meta:
        model = InvestmentCommittee
        fields = [
            "date", "period_start", "period_end", "team_requested", "envelope_requested",
            "problem", "strategy", "hypotheses", "success_criteria",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "team_requested": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 6}),
            "strategy": forms.Textarea(attrs={"rows": 6}),
            "success_criteria": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "date": _("The day the committee meets."),
            "team_requested": _("The people or roles the next period needs."),
            "envelope_requested": _("In euros, for the period asked for."),
            "problem": _(
                "Starts from the product sheet's problem: adjust it for the committee. "
                "Markdown is accepted."
            ),
            "strategy": _("What the next six months will do, and why. Markdown is accepted."),
            "success_criteria": _(
                "What will show, at the next committee, that the period succeeded. Markdown "
                "is accepted."
            ),
        }

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.startup = startup
        hypotheses = Hypothesis.objects.for_startup(startup)
        # The active hypotheses, and those the dossier already chose (settled since, perhaps).
        offered = Q(pk__in=hypotheses.active().values("pk"))
        if self.instance.pk is not None:
            offered |= Q(pk__in=self.instance.hypotheses.values("pk"))
        self.fields["hypotheses"].queryset = hypotheses.filter(offered).order_by(
            "priority", "-updated_at", "-pk"
        )
        for name in TEXT_FIELDS:
            self.fields[name].max_length = TEXT_MAX_LENGTH
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("problem", startup.problem)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", _("The period asked for must end after it starts."))
        return data


class CommitteeDecisionForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=InvestmentDecision.choices, widget=RadioList,
        help_text=_(
            "Continue and pivot keep the phase (a pivot is also recorded as a learning); "
            "accelerate, consolidate, transfer and stop change it."
        ),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the committee said. Markdown is accepted."),
    )
    amount_granted = forms.DecimalField(
        label=_("Amount granted (€)"), required=False, min_value=Decimal(0), max_digits=12,
        decimal_places=2,
    )
    duration_months = forms.IntegerField(
        label=_("Duration granted (months)"), required=False, min_value=1, max_value=60
    )
    next_committee_on = forms.DateField(
        label=_("Next committee on"), required=False, widget=DATE_WIDGET
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False,
        max_length=MAX_CONDITIONS * (CONDITION_MAX_LENGTH + 2),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One condition per line; each becomes an item of the checklist."),
    )

    def __init__(self, *args, committee: InvestmentCommittee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        if not self.is_bound:
            self.initial.setdefault("amount_granted", committee.envelope_requested)
            months = _months_between(committee.period_start, committee.period_end)
            if months:
                self.initial.setdefault("duration_months", months)

    def clean_conditions(self) -> list[str]:
        lines = condition_lines(self.cleaned_data["conditions"])
        if len(lines) > MAX_CONDITIONS:
            raise forms.ValidationError(
                _("A committee sets %(max)d conditions at most.") % {"max": MAX_CONDITIONS}
            )
        if any(len(line) > CONDITION_MAX_LENGTH for line in lines):
            raise forms.ValidationError(
                _("A condition has %(max)d characters at most.") % {"max": CONDITION_MAX_LENGTH}
            )
        return lines

    def clean_next_committee_on(self) -> datetime.date | None:
        day = self.cleaned_data["next_committee_on"]
        if day is not None and day <= self.committee.date:
            raise forms.ValidationError(_("The next committee comes after this one."))
        return day


def _months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from ``start`` to ``end``, rounded (a period of 182 days: 6)."""
    return max(0, round((end - start).days / 30.44))


class CommitteeFileForm(DsfrBaseForm):
    kind = forms.ChoiceField(
        label=_("Kind of document"), choices=DocumentKind.choices, initial=DocumentKind.DECK
    )
    file = CheckedFileField(label=_("File"))
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False,
        help_text=_("Leave empty to keep the file's name."),
    )


class CommitteeFilterForm(ListFilterForm):
    decision = forms.ChoiceField(label=_("Decision"))

    search_fields = ("problem", "strategy", "success_criteria", "decision_comment",
                     "team_requested")
    sorts = {"date": (_("Date"), ("-date",))}
    default_sort = "date"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            ("", _("All committees")),
            (PLANNED, _("Not decided yet")),
            *InvestmentDecision.choices,
        ]

    def filter_queryset(self, queryset, data):
        decision = data.get("decision")
        if decision == PLANNED:
            queryset = queryset.filter(decision="")
        elif decision:
            queryset = queryset.filter(decision=decision)
        return queryset
