from __future__ import annotations

import datetime

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from intrapreneur.forms import DATE_WIDGET
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import Startup
from investigations.models import Insight
from products.models import Feedback, Learning, Metric, UserTest
from products.services.learnings import LEARNED_MAX_LENGTH

# The feedback a learning may cite: the latest unmerged items (plus those already cited),
# so that the list stays usable with an inbox of hundreds of items.
FEEDBACK_CHOICES = 200


class TestChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: UserTest) -> str:
        what = (
            Truncator(obj.hypothesis.statement).chars(90) if obj.hypothesis_id
            else _("no hypothesis")
        )
        return f"{obj.date:%d/%m/%Y} — {what}"


class InsightChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Insight) -> str:
        return Truncator(obj.statement).chars(110)


class FeedbackChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Feedback) -> str:
        return f"{obj.date:%d/%m/%Y} — {Truncator(obj.text).chars(100)}"


def _multiple(size: int = 6) -> forms.SelectMultiple:
    return forms.SelectMultiple(attrs={"size": size})


class LearningForm(DsfrBaseForm, forms.ModelForm):
    tests = TestChoiceField(
        label=_("User tests"), queryset=UserTest.objects.none(), required=False,
        widget=_multiple(),
        help_text=_("The tests that taught it, newest first. Ctrl or Cmd + click: several."),
    )
    insights = InsightChoiceField(
        label=_("Insights"), queryset=Insight.objects.none(), required=False,
        widget=_multiple(),
        help_text=_("The insights of the investigation behind it."),
    )
    metrics = forms.ModelMultipleChoiceField(
        label=_("Metrics"), queryset=Metric.objects.none(), required=False,
        widget=_multiple(4),
        help_text=_("The impact metrics whose values show it."),
    )
    feedback = FeedbackChoiceField(
        label=_("Feedback"), queryset=Feedback.objects.none(), required=False,
        widget=_multiple(8),
    )

    class Meta:
        model = Learning
        fields = [
            "date", "learned", "tests", "insights", "metrics", "feedback", "evidence_notes",
            "changes", "stops",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "learned": forms.Textarea(attrs={"rows": 4}),
            "evidence_notes": forms.Textarea(attrs={"rows": 3}),
            "changes": forms.Textarea(attrs={"rows": 4}),
            "stops": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "learned": _("In a few sentences: what the team now knows. Markdown is accepted."),
            "evidence_notes": _("What else shows it: a study, an interview outside the tool…"),
            "changes": _("What the plan does differently from now on."),
            "stops": _("What the team gives up because of it."),
        }

    def __init__(self, *args, startup: Startup, research: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tests"].queryset = (
            UserTest.objects.for_startup(startup).select_related("hypothesis")
            .order_by("-date", "-pk")
        )
        self.fields["insights"].queryset = (
            Insight.objects.for_startup(startup).order_by("-created_at", "-pk")
        )
        self.fields["metrics"].queryset = Metric.objects.for_startup(startup).order_by("name")
        if research:
            self.fields["feedback"].queryset = self.feedback_choices(startup, self.instance)
            # The bound field (made by DsfrBaseForm's __init__) keeps its own copy.
            self["feedback"].help_text = self.fields["feedback"].help_text = _(
                "The %(count)d latest feedback items (duplicates merged apart) and those "
                "already cited."
            ) % {"count": FEEDBACK_CHOICES}
        else:
            # Without `view_research`, the feedback is neither shown nor sent.
            del self.fields["feedback"]
        for name in ("learned", "evidence_notes", "changes", "stops"):
            self.fields[name].max_length = LEARNED_MAX_LENGTH
            self.fields[name].widget.attrs["maxlength"] = LEARNED_MAX_LENGTH
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("date", timezone.localdate())

    @staticmethod
    def feedback_choices(startup: Startup, learning: Learning | None) -> QuerySet[Feedback]:
        latest = (
            Feedback.objects.for_startup(startup).unmerged().order_by("-date", "-pk")
            .values("pk")[:FEEDBACK_CHOICES]
        )
        wanted = Q(pk__in=latest)
        if learning is not None and learning.pk is not None:
            wanted |= Q(learnings=learning)
        return Feedback.objects.for_startup(startup).filter(wanted).distinct().order_by(
            "-date", "-pk"
        )

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date

    def service_data(self) -> dict:
        """The cleaned data as the services take it."""
        return {name: self.cleaned_data[name] for name in self.fields}


HAS_CHANGES = "changes"
HAS_STOPS = "stops"
EVIDENCE_KINDS = {
    "tests": Learning.tests.through,
    "insights": Learning.insights.through,
    "metrics": Learning.metrics.through,
    "feedback": Learning.feedback.through,
}


class LearningFilterForm(ListFilterForm):
    has = forms.ChoiceField(
        label=_("Consequence"),
        choices=[
            ("", _("Any")),
            (HAS_CHANGES, _("Changes the plan")),
            (HAS_STOPS, _("Stops something")),
        ],
    )
    evidence = forms.ChoiceField(
        label=_("Evidence"),
        choices=[
            ("", _("Any evidence")),
            ("tests", _("User tests")),
            ("insights", _("Insights")),
            ("metrics", _("Metrics")),
            ("feedback", _("Feedback")),
            ("notes", _("Other evidence")),
            ("none", _("No evidence")),
        ],
    )

    search_fields = ("learned", "changes", "stops", "evidence_notes")
    per_page = 20

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("has") == HAS_CHANGES:
            queryset = queryset.exclude(changes="")
        elif data.get("has") == HAS_STOPS:
            queryset = queryset.exclude(stops="")
        evidence = data.get("evidence")
        if evidence in EVIDENCE_KINDS:
            queryset = queryset.filter(Exists(self._links(evidence)))
        elif evidence == "notes":
            queryset = queryset.exclude(evidence_notes="")
        elif evidence == "none":
            for kind in EVIDENCE_KINDS:
                queryset = queryset.exclude(Exists(self._links(kind)))
            queryset = queryset.filter(evidence_notes="")
        return queryset

    @staticmethod
    def _links(kind: str) -> QuerySet:
        return EVIDENCE_KINDS[kind].objects.filter(learning_id=OuterRef("pk"))
