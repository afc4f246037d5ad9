"""Forms of insights, their evidence, the affinity board and scenarios."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from intrapreneur.files import CheckedFileField
from intrapreneur.forms import TagsField
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import Startup, Tag
from investigations.enums import InsightStatus
from investigations.models import Evidence, Insight, Interview, Scenario

# Mock-ups: images and PDF only, recognised from their content.
SCENARIO_FILE_TYPES: dict[str, tuple[str, ...]] = {
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/pdf": ("pdf",),
}


def interview_choices(startup: Startup):
    return Interview.objects.for_startup(startup).select_related("participant")


class InsightForm(DsfrBaseForm, forms.ModelForm):
    """Statement, status and tags; on creation, an optional first piece of evidence."""

    tags = TagsField(help_text=_("Separate tags with commas. Each tag is a group of the board."))
    interview = forms.ModelChoiceField(
        label=_("First evidence: the interview"), queryset=Interview.objects.none(),
        required=False, help_text=_("Optional: you can add evidence later."),
    )
    quote = forms.CharField(
        label=_("Quote"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the participant said, word for word."),
    )

    class Meta:
        model = Insight
        fields = ["statement", "status"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "statement": _("What you learnt, in one sentence: “Agents re-type each form twice”."),
        }

    def __init__(self, *args, startup: Startup, autocomplete_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].set_autocomplete_url(autocomplete_url)
        if self.instance.pk:
            del self.fields["interview"], self.fields["quote"]
            self.initial.setdefault(
                "tags", sorted(tag.name for tag in self.instance.tags.all())
            )
        else:
            self.fields["interview"].queryset = interview_choices(startup)
            self.fields["interview"].empty_label = _("No evidence yet")

    def clean(self):
        data = super().clean()
        if data.get("quote", "").strip() and not data.get("interview"):
            self.add_error("interview", _("Choose the interview this quote comes from."))
        return data


class EvidenceForm(DsfrBaseForm):
    interview = forms.ModelChoiceField(label=_("Interview"), queryset=Interview.objects.none())
    quote = forms.CharField(
        label=_("Quote"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what the participant said, word for word."),
    )

    def __init__(self, *args, insight: Insight, **kwargs):
        super().__init__(*args, **kwargs)
        self.insight = insight
        self.fields["interview"].queryset = interview_choices(insight.startup)
        self.fields["interview"].empty_label = _("Choose an interview")

    def clean_interview(self) -> Interview:
        interview = self.cleaned_data["interview"]
        if Evidence.objects.filter(insight=self.insight, interview=interview).exists():
            raise forms.ValidationError(_("This interview already backs the insight."))
        return interview


class InsightMoveForm(forms.Form):
    """Move a card of the board: remove ``from_tag``, add ``to_tag`` (empty: without tag)."""

    from_tag = forms.ModelChoiceField(queryset=Tag.objects.none(), required=False)
    to_tag = forms.ModelChoiceField(queryset=Tag.objects.none(), required=False)

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("from_tag", "to_tag"):
            self.fields[name].queryset = Tag.objects.filter(startup=startup)

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("from_tag") == data.get("to_tag"):
            raise forms.ValidationError(
                _("The insight is already in this group: choose another one.")
            )
        return data


STATUS_RANK = Case(
    When(status=InsightStatus.TO_CONFIRM, then=Value(0)),
    When(status=InsightStatus.CONFIRMED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class InsightFilterForm(ListFilterForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *InsightStatus.choices]
    )
    tag = forms.ModelChoiceField(label=_("Tag"), queryset=Tag.objects.none())

    # The statement only: searching quotes would reveal them to who may not read them.
    search_fields = ("statement",)
    sorts = {
        "strength": (_("Strength"), ("-strength", "-evidence_count", "-created_at")),
        "date": (_("Date"), ("-created_at",)),
        "status": (_("Status"), ("status_rank", "-strength")),
    }
    default_sort = "strength"

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = (
            Tag.objects.filter(startup=startup, insights__isnull=False).distinct().order_by("name")
        )
        self.fields["tag"].empty_label = _("All tags")

    def filter_queryset(self, queryset, data):
        queryset = queryset.annotate(status_rank=STATUS_RANK)
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("tag"):
            queryset = queryset.filter(tags=data["tag"])
        return queryset


# ---------------------------------------------------------------- scenarios


class ScenarioForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ["title", "description", "insights"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "insights": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "description": _("The journey you imagine, step by step. Markdown is accepted."),
            "insights": _("The insights this scenario answers."),
        }

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insights"].queryset = Insight.objects.for_startup(startup).order_by(
            "statement"
        )


class ScenarioFileForm(DsfrBaseForm):
    file = CheckedFileField(label=_("Mock-up"), types=SCENARIO_FILE_TYPES)
    name = forms.CharField(
        label=_("Name"), max_length=255, required=False,
        help_text=_("Leave empty to keep the file's name."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An image (PNG, JPEG, GIF, WebP) or a PDF; %(size)s at most."
        ) % {"size": filesizeformat(settings.MAX_UPLOAD_SIZE)}


class ScenarioFilterForm(ListFilterForm):
    insight = forms.ModelChoiceField(
        label=_("Answers the insight"), queryset=Insight.objects.none()
    )

    search_fields = ("title", "description")
    sorts = {
        "title": (_("Title"), ("title",)),
        "date": (_("Last update"), ("-updated_at",)),
    }
    default_sort = "title"
    per_page = 12

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insight"].queryset = Insight.objects.for_startup(startup).filter(
            scenarios__isnull=False
        ).distinct().order_by("statement")
        self.fields["insight"].empty_label = _("All insights")

    def filter_queryset(self, queryset, data):
        if data.get("insight"):
            queryset = queryset.filter(insights=data["insight"])
        return queryset
