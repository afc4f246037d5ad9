"""Forms of the hypotheses and the weekly user tests: what a contributor writes, the status
change of the board, and the filters of both lists."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from intrapreneur.forms import DATE_WIDGET
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import Startup
from investigations.models import Insight
from products.enums import HypothesisPriority, HypothesisStatus, TestResult
from products.models import Feedback, Hypothesis, Idea, Metric, UserTest
from products.services.hypotheses import (
    STATEMENT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    personal_data_error,
)

# The feedback offered in the hypothesis form's menu: the latest items (the inbox may hold
# thousands); any item of the startup is accepted, and the one chosen stays offered.
FEEDBACK_CHOICES = 50


class _LabelledChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, length: int = 90, **kwargs):
        super().__init__(*args, **kwargs)
        self.length = length

    def label_from_instance(self, obj) -> str:
        text = getattr(obj, "statement", None) or getattr(obj, "text", None) or str(obj)
        label = Truncator(" ".join(str(text).split())).chars(self.length)
        if isinstance(obj, Feedback):
            return f"{obj.date:%d/%m/%Y} — {label}"
        return label


class HypothesisForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Hypothesis
        fields = [
            "statement", "signal", "metric", "priority", "status", "idea", "insight", "feedback",
        ]
        field_classes = {
            "metric": _LabelledChoiceField,
            "idea": _LabelledChoiceField,
            "insight": _LabelledChoiceField,
            "feedback": _LabelledChoiceField,
        }
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 4}),
            "signal": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "statement": _(
                "What the team believes, in one or two sentences: “the town halls’ reception "
                "staff will describe their building in fifteen minutes if…”."
            ),
            "signal": _(
                "What we will see or measure if the hypothesis is right: “8 of the 10 agents "
                "tested finish the questionnaire without help”."
            ),
            "idea": _("The idea it comes from, if any."),
            "insight": _("The insight of the investigation it comes from, if any."),
            "feedback": _(
                "The feedback it comes from, if any: the latest items are offered; “Write a "
                "hypothesis from it” on a feedback item chooses that one."
            ),
        }

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.startup = startup
        fields = self.fields
        fields["metric"].queryset = Metric.objects.for_startup(startup).order_by("name")
        fields["metric"].empty_label = _("No metric")
        fields["idea"].queryset = Idea.objects.for_startup(startup).order_by("title")
        fields["idea"].empty_label = _("Not from an idea")
        fields["insight"].queryset = Insight.objects.for_startup(startup).order_by("statement")
        fields["insight"].empty_label = _("Not from an insight")
        feedback = Feedback.objects.for_startup(startup).defer("search")
        fields["feedback"].queryset = feedback
        fields["feedback"].empty_label = _("Not from feedback")
        # The menu offers the latest items and the one chosen (shown or typed).
        chosen = self._chosen_pk("feedback")
        offered = list(feedback.unmerged().order_by("-date", "-pk")[:FEEDBACK_CHOICES])
        if chosen and all(item.pk != chosen for item in offered):
            offered = list(feedback.filter(pk=chosen)) + offered
        field = fields["feedback"]
        field.widget.choices = [("", field.empty_label)] + [
            (item.pk, field.label_from_instance(item)) for item in offered
        ]
        fields["statement"].max_length = STATEMENT_MAX_LENGTH

    def _chosen_pk(self, name: str) -> int | None:
        if self.is_bound:
            value = self.data.get(self.add_prefix(name), "")
        else:
            value = self.initial.get(name) or getattr(self.instance, f"{name}_id", None)
        value = getattr(value, "pk", value)
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def clean_signal(self) -> str:
        signal = self.cleaned_data["signal"]
        if len(signal) > TEXT_MAX_LENGTH:
            raise forms.ValidationError(_("This text has 20,000 characters at most."))
        return signal


class HypothesisStatusForm(forms.Form):
    """The board's “Move” form: the new status and where to go back."""

    status = forms.ChoiceField(
        choices=HypothesisStatus.choices,
        error_messages={
            "required": _("Choose the status to move the hypothesis to."),
            "invalid_choice": _("“%(value)s” is not a status of a hypothesis."),
        },
    )
    next = forms.CharField(required=False, max_length=2000)


class UserTestForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = UserTest
        fields = [
            "date", "hypothesis", "protocol", "users_count", "users_profile", "observations",
            "result", "learning",
        ]
        field_classes = {"hypothesis": _LabelledChoiceField}
        widgets = {
            "date": DATE_WIDGET,
            "protocol": forms.Textarea(attrs={"rows": 4}),
            "observations": forms.Textarea(attrs={"rows": 6}),
            "learning": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "protocol": _(
                "What the users were asked to do, on what (prototype, live service), how long. "
                "Markdown is accepted."
            ),
            "users_profile": _(
                "Their situation (“agents d'accueil of rural town halls, wheelchair users”), "
                "never their names nor contacts: no e-mail address, no phone number."
            ),
            "observations": _("What happened, what they said and did. Markdown is accepted."),
            "result": _("Empty while the test is only planned."),
            "learning": _("What the team takes from it. Markdown is accepted."),
        }

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["hypothesis"]
        field.queryset = Hypothesis.objects.for_startup(startup)
        field.empty_label = _("No hypothesis (an exploratory test)")
        self.fields["result"].choices = [
            ("", _("None yet: the test is planned")), *TestResult.choices
        ]
        self.fields["users_count"].min_value = 0
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())

    def clean_users_profile(self) -> str:
        profile = self.cleaned_data["users_profile"]
        if message := personal_data_error(profile):
            raise forms.ValidationError(message)
        return profile

    def clean(self):
        data = super().clean()
        for name in ("protocol", "observations", "learning"):
            if len(data.get(name) or "") > TEXT_MAX_LENGTH:
                self.add_error(name, _("This text has 20,000 characters at most."))
        date: datetime.date | None = data.get("date")
        if data.get("result") and date and date > timezone.localdate():
            self.add_error(
                "result",
                _("A test dated in the future is only planned: leave its result empty."),
            )
        return data


# ---------------------------------------------------------------- filters

SOURCE_IDEA, SOURCE_INSIGHT, SOURCE_FEEDBACK, SOURCE_NONE = "idea", "insight", "feedback", "none"
SOURCES = {
    SOURCE_IDEA: Q(idea__isnull=False),
    SOURCE_INSIGHT: Q(insight__isnull=False),
    SOURCE_FEEDBACK: Q(feedback__isnull=False),
    SOURCE_NONE: Q(idea__isnull=True, insight__isnull=True, feedback__isnull=True),
}


class HypothesisFilterForm(ListFilterForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All: the board")), *HypothesisStatus.choices]
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), coerce=int,
        choices=[("", _("All priorities")), *HypothesisPriority.choices],
    )
    source = forms.ChoiceField(
        label=_("Comes from"),
        choices=[
            ("", _("Anywhere")),
            (SOURCE_IDEA, _("An idea")),
            (SOURCE_INSIGHT, _("An insight")),
            (SOURCE_FEEDBACK, _("Feedback")),
            (SOURCE_NONE, _("Nothing recorded")),
        ],
    )

    search_fields = ("statement", "signal")
    sorts = {
        "priority": (_("Priority"), ("priority", "-updated_at")),
        "updated": (_("Last change"), ("-updated_at",)),
        "created": (_("Written on"), ("-created_at",)),
    }
    default_sort = "priority"

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("priority"):
            queryset = queryset.filter(priority=data["priority"])
        if data.get("source"):
            queryset = queryset.filter(SOURCES[data["source"]])
        return queryset

    def ordering(self, key: str) -> tuple[str, ...]:
        """The ordering of ``key`` as field names (the board orders each column with it)."""
        expressions = self.sorts[key.lstrip("-")][1]
        if key.startswith("-"):
            expressions = tuple(e[1:] if e.startswith("-") else f"-{e}" for e in expressions)
        return (*expressions, "-pk" if key.startswith("-") else "pk")


PLANNED = "planned"


class UserTestFilterForm(ListFilterForm):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[("", _("All results")), *TestResult.choices, (PLANNED, _("Planned (no result)"))],
    )
    hypothesis = forms.ChoiceField(label=_("Hypothesis tested"))

    search_fields = ("protocol", "users_profile", "observations", "learning")
    sorts = {"date": (_("Date"), ("date",))}
    default_sort = "-date"

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        hypotheses = Hypothesis.objects.for_startup(startup).only("pk", "statement")
        self.fields["hypothesis"].choices = [
            ("", _("All hypotheses")),
            (SOURCE_NONE, _("No hypothesis")),
            *((str(h.pk), Truncator(h.statement).chars(70)) for h in hypotheses),
        ]

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        result = data.get("result")
        if result == PLANNED:
            queryset = queryset.filter(result="")
        elif result:
            queryset = queryset.filter(result=result)
        hypothesis = data.get("hypothesis")
        if hypothesis == SOURCE_NONE:
            queryset = queryset.filter(hypothesis__isnull=True)
        elif hypothesis:
            queryset = queryset.filter(hypothesis_id=int(hypothesis))
        return queryset
