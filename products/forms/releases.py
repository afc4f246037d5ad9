from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from intrapreneur.forms import DATE_WIDGET
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import Startup
from products.models import Feedback, Release
from products.services.releases import NOTES_MAX_LENGTH, answerable_feedback

PUBLISHED = "published"
DRAFT = "draft"


class FeedbackAnswerField(forms.ModelMultipleChoiceField):
    """The feedback a release answers: a compact list (number, kind, date, the text cut
    short), usable with hundreds of open items."""

    def label_from_instance(self, obj: Feedback) -> str:
        number = _("no. %(number)d") % {"number": obj.pk}
        text = Truncator(" ".join(obj.text.split())).chars(110)
        return f"{number} · {obj.get_kind_display()} · {obj.date:%d/%m/%Y} — {text}"


class ReleaseForm(DsfrBaseForm, forms.ModelForm):
    answers = FeedbackAnswerField(
        label=_("Feedback it answers"), queryset=Feedback.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_(
            "The startup's open feedback, the newest first. Hold Ctrl (⌘ on a Mac) to choose "
            "several. Once the release is published, they are marked done and their authors "
            "who asked for an answer get an e-mail."
        ),
    )

    class Meta:
        model = Release
        fields = ["version", "date", "notes", "answers", "is_published"]
        widgets = {"date": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "version": _("A number such as 1.4.0, or a name."),
            "notes": _(
                "What changes for the users, in their words. Markdown is accepted; published, "
                "the notes are public in the changelog."
            ),
            "is_published": _(
                "A published release appears in the public changelog and its feedback is "
                "marked done. Leave it unchecked to keep a draft."
            ),
        }
        labels = {"is_published": _("Published")}

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.startup = startup
        release = self.instance if self.instance.pk else None
        self.fields["answers"].queryset = answerable_feedback(startup, release)

    def clean_version(self) -> str:
        version = " ".join(self.cleaned_data["version"].split())
        others = Release.objects.for_startup(self.startup).filter(version__iexact=version)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("The release “%(version)s” already exists.") % {"version": version}
            )
        return version

    def clean_notes(self) -> str:
        notes = self.cleaned_data["notes"]
        if len(notes) > NOTES_MAX_LENGTH:
            raise forms.ValidationError(
                _("The notes have %(max)d characters at most.") % {"max": NOTES_MAX_LENGTH}
            )
        return notes


class ReleaseFilterForm(ListFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All releases")), (PUBLISHED, _("Published")), (DRAFT, _("Drafts"))],
    )

    search_fields = ("version", "notes")
    sorts = {
        "date": (_("Date"), ("-date", "-pk")),
        "version": (_("Version"), ("version",)),
    }
    default_sort = "date"

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        status = data.get("status")
        if status == PUBLISHED:
            queryset = queryset.filter(is_published=True)
        elif status == DRAFT:
            queryset = queryset.filter(is_published=False)
        return queryset
