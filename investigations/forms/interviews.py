from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from intrapreneur.forms import DATE_WIDGET, TagsField
from intrapreneur.imports import ImportApplyForm, ImportForm
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import Startup, Tag
from investigations.enums import InterviewKind
from investigations.models import Interview, Participant
from investigations.services.interviews import interviews_parse, startup_members

NOTES_MAX_LENGTH = 100_000


class NotesTextarea(forms.Textarea):
    """The notes, followed by the place where htmx puts their live preview."""

    template_name = "investigations/includes/interview_notes_input.html"

    def __init__(self, *, preview_url: str = "", attrs: dict | None = None):
        attrs = {"rows": 14, **(attrs or {})}
        if preview_url:
            attrs.update(
                {
                    "hx-post": preview_url,
                    "hx-trigger": "input changed delay:500ms",
                    "hx-target": "next .notes-preview",
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:replace",
                }
            )
        super().__init__(attrs)


class CheckboxList(forms.CheckboxSelectMultiple):
    """DSFR checkboxes (Django's own option template would win over django-dsfr's)."""

    option_template_name = "investigations/includes/interview_checkbox_option.html"


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Participant) -> str:
        return f"{obj.pseudonym} — {obj.profile}" if obj.profile else obj.pseudonym


class InterviewForm(DsfrBaseForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=InterviewKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    place = forms.CharField(
        label=_("Place or channel"), max_length=200, required=False,
        help_text=_("Town hall of Arras, video call, phone…"),
    )
    interviewers = forms.ModelMultipleChoiceField(
        label=_("Interviewers"), queryset=None, required=False,
        widget=CheckboxList,
    )
    participant = ParticipantChoiceField(
        label=_("Participant"), queryset=None, required=False,
        help_text=_("Their pseudonym and profile; create the participant first if needed."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=NOTES_MAX_LENGTH, strip=False,
        help_text=_("Markdown is accepted. Write what was seen and said, not who said it."),
    )
    tags = TagsField()

    def __init__(
        self, *args, startup: Startup, autocomplete_url: str = "", preview_url: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = startup_members(startup)
        self.fields["participant"].queryset = Participant.objects.for_startup(startup)
        self.fields["participant"].empty_label = _("No participant")
        self.fields["notes"].widget = NotesTextarea(preview_url=preview_url)
        self.fields["tags"].set_autocomplete_url(autocomplete_url)
        if not self.is_bound and "date" not in self.initial:
            self.initial["date"] = timezone.localdate()

    @staticmethod
    def initial_for(interview: Interview) -> dict:
        return {
            "kind": interview.kind,
            "date": interview.date,
            "place": interview.place,
            "interviewers": list(interview.interviewers.all()),
            "participant": interview.participant,
            "notes": interview.notes,
            "tags": [tag.name for tag in interview.tags.all()],
        }

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Record an interview once it has taken place."))
        return date


class NotesPreviewForm(forms.Form):
    notes = forms.CharField(required=False, max_length=NOTES_MAX_LENGTH, strip=False)


# ---------------------------------------------------------------- import


class InterviewImportForm(ImportForm):
    parse = staticmethod(interviews_parse)
    help_text = _(
        "CSV in UTF-8, separated by semicolons or commas, 2 MB at most. First line: "
        "date; kind; place; participant; interviewers; tags; notes."
    )


class InterviewImportApplyForm(ImportApplyForm):
    parse = staticmethod(interviews_parse)


# ---------------------------------------------------------------- list


class InterviewFilterForm(ListFilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *InterviewKind.choices]
    )
    tag = forms.ModelChoiceField(label=_("Tag"), queryset=Tag.objects.none())
    interviewer = forms.ModelChoiceField(label=_("Interviewer"), queryset=None)
    date_from = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), widget=DATE_WIDGET)

    search_fields = ("notes", "place", "participant__profile")
    sorts = {
        "date": (_("Date"), ("-date",)),
        "kind": (_("Kind"), ("kind", "-date")),
    }
    default_sort = "date"

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = Tag.objects.filter(startup=startup).order_by("name")
        self.fields["tag"].empty_label = _("All tags")
        self.fields["interviewer"].queryset = startup_members(startup)
        self.fields["interviewer"].empty_label = _("Everyone")

    def filter_queryset(self, queryset, data):
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("tag"):
            queryset = queryset.filter(tags=data["tag"])
        if data.get("interviewer"):
            queryset = queryset.filter(interviewers=data["interviewer"])
        if data.get("date_from"):
            queryset = queryset.filter(date__gte=data["date_from"])
        if data.get("date_to"):
            queryset = queryset.filter(date__lte=data["date_to"])
        return queryset
