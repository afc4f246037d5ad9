from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from intrapreneur.enums import LaunchDecision
from intrapreneur.forms import DATE_WIDGET
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import Startup, User
from investigations.forms.interviews import CheckboxList
from investigations.models import LaunchCommittee

PENDING = "pending"


class RadioList(forms.RadioSelect):
    """DSFR radio buttons (Django's own option template would win over django-dsfr's)."""

    option_template_name = "investigations/includes/radio_option.html"


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class LaunchCommitteeForm(DsfrBaseForm, forms.ModelForm):
    """The dossier the team prepares: date, who attends, the problem, the first six months."""

    attendees = MemberChoiceField(
        label=_("Members attending"), queryset=User.objects.none(), required=False,
        widget=CheckboxList,
    )

    class Meta:
        model = LaunchCommittee
        fields = ["date", "attendees", "outside_attendees", "problem", "first_six_months"]
        widgets = {
            "date": DATE_WIDGET,
            "outside_attendees": forms.Textarea(attrs={"rows": 4}),
            "problem": forms.Textarea(attrs={"rows": 6}),
            "first_six_months": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "outside_attendees": _(
                "One per line: name and organisation (the sponsor, the incubator, experts…)."
            ),
            "problem": _(
                "Starts from the product sheet's problem: adjust it for the committee. "
                "Markdown is accepted."
            ),
            "first_six_months": _(
                "The first hypotheses the service will test and how. Markdown is accepted."
            ),
        }

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.startup = startup
        self.fields["attendees"].queryset = (
            User.objects.filter(memberships__startup=startup).order_by(
                "first_name", "last_name", "email"
            )
        )
        self.fields["outside_attendees"].max_length = 4000
        self.fields["problem"].max_length = 20000
        self.fields["first_six_months"].max_length = 20000
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("problem", startup.problem)


class LaunchDecisionForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=LaunchDecision.choices, widget=RadioList,
        help_text=_(
            "Go: the startup moves to construction. No go: the investigation ends. "
            "Postponed: the phase stays."
        ),
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the committee asks for, if anything."),
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was said. Markdown is accepted."),
    )


class CommitteeFilterForm(ListFilterForm):
    decision = forms.ChoiceField(label=_("Decision"))

    search_fields = ("problem", "first_six_months", "outside_attendees", "minutes")
    sorts = {"date": (_("Date"), ("-date",))}
    default_sort = "date"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            ("", _("All committees")),
            (PENDING, _("Not decided yet")),
            *LaunchDecision.choices,
        ]

    def filter_queryset(self, queryset, data):
        decision = data.get("decision")
        if decision == PENDING:
            queryset = queryset.filter(decision="")
        elif decision:
            queryset = queryset.filter(decision=decision)
        return queryset
