from __future__ import annotations

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from intrapreneur.forms import DATE_WIDGET, TagsField
from intrapreneur.imports import ImportApplyForm, ImportForm
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import Startup, Tag
from products.enums import FeedbackChannel, FeedbackKind, FeedbackSource, FeedbackStatus
from products.models import Feedback
from products.services.feedback import TEXT_MAX_LENGTH, feedback_parse, startup_members


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.email


class FeedbackForm(DsfrBaseForm):
    text = forms.CharField(
        label=_("What was said"), max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The author's words, as close as possible to what they said or wrote."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices)
    source = forms.ChoiceField(label=_("Source"), choices=FeedbackSource.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=FeedbackChannel.choices)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    status = forms.ChoiceField(label=_("Status"), choices=FeedbackStatus.choices)
    assignee = MemberChoiceField(label=_("Assignee"), queryset=None, required=False)
    tags = TagsField()
    author_email = forms.EmailField(
        label=_("Author's e-mail"), required=False,
        help_text=_("Only when the author wants an answer; personal data."),
    )
    author_consents = forms.BooleanField(
        label=_("The author agrees to be answered at this address"), required=False
    )

    def __init__(
        self, *args, startup: Startup, personal: bool, autocomplete_url: str = "", **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = startup_members(startup)
        self.fields["assignee"].empty_label = _("Nobody")
        self.fields["tags"].set_autocomplete_url(autocomplete_url)
        if not personal:
            # Without `view_personal`, the address is neither shown nor sent.
            del self.fields["author_email"]
            del self.fields["author_consents"]
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("status", FeedbackStatus.NEW)

    @staticmethod
    def initial_for(feedback: Feedback) -> dict:
        return {
            "text": feedback.text,
            "kind": feedback.kind,
            "source": feedback.source,
            "channel": feedback.channel,
            "date": feedback.date,
            "status": feedback.status,
            "assignee": feedback.assignee,
            "tags": [tag.name for tag in feedback.tags.all()],
            "author_email": feedback.author_email,
            "author_consents": feedback.author_consents,
        }

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date

    def clean(self):
        data = super().clean()
        if data.get("author_consents") and not data.get("author_email"):
            self.add_error(
                "author_email", _("Give the address at which the author agrees to be answered.")
            )
        return data


# ---------------------------------------------------------------- the inbox

PERIODS: dict[str, int] = {"7": 7, "30": 30, "90": 90, "365": 365}
OPEN = "open"
UNASSIGNED = "none"


class FeedbackFilterForm(ListFilterForm):
    status = forms.ChoiceField(label=_("Status"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *FeedbackKind.choices]
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("All sources")), *FeedbackSource.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All channels")), *FeedbackChannel.choices]
    )
    tag = forms.ChoiceField(label=_("Tag"))
    assignee = forms.ChoiceField(label=_("Assignee"))
    period = forms.ChoiceField(
        label=_("Received"),
        choices=[
            ("", _("Any time")),
            ("7", _("In the last 7 days")),
            ("30", _("In the last 30 days")),
            ("90", _("In the last 3 months")),
            ("365", _("In the last 12 months")),
        ],
    )
    merged = forms.BooleanField(label=_("Show merged duplicates"))

    sorts = {
        "date": (_("Date"), ("-date",)),
        "kind": (_("Kind"), ("kind", "-date")),
        "source": (_("Source"), ("source", "-date")),
    }
    # No sort chosen: newest first, or the most relevant first when searching.
    default_sort = ""
    per_page = 50

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("All statuses")), (OPEN, _("Open (not done)")), *FeedbackStatus.choices
        ]
        # The startup's tags, read once: the tag filter and the bulk form's suggestions.
        self.tags = list(Tag.objects.filter(startup=startup).order_by("name"))
        self.fields["tag"].choices = [
            ("", _("All tags")), *((str(tag.pk), tag.name) for tag in self.tags)
        ]
        self.fields["assignee"].choices = [
            ("", _("Everyone")), (UNASSIGNED, _("Nobody")),
            *((str(u.pk), u.get_full_name() or u.email) for u in startup_members(startup)),
        ]

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        status = data.get("status")
        if status == OPEN:
            queryset = queryset.open()
        elif status:
            queryset = queryset.filter(status=status)
        for name in ("kind", "source", "channel"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data.get("tag"):
            queryset = queryset.filter(tags__pk=int(data["tag"]))
        assignee = data.get("assignee")
        if assignee == UNASSIGNED:
            queryset = queryset.filter(assignee__isnull=True)
        elif assignee:
            queryset = queryset.filter(assignee_id=int(assignee))
        if data.get("period"):
            since = timezone.localdate() - datetime.timedelta(days=PERIODS[data["period"]])
            queryset = queryset.filter(date__gt=since)
        if not data.get("merged"):
            queryset = queryset.unmerged()
        return queryset

    def search(self, queryset: QuerySet, text: str) -> QuerySet:
        return queryset.search_text(text)

    def without_status(self, queryset: QuerySet) -> QuerySet:
        """Every filter and the search but the status: what the status counts count."""
        data = {k: v for k, v in self.valid_data().items() if k != "status"}
        return self.search(self.filter_queryset(queryset, data), data.get("q", ""))


class IdsField(forms.Field):
    """The ids of the selected rows; what is not a number is ignored."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return sorted({int(v) for v in values if str(v).isdigit() and len(str(v)) < 12})

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


SET_STATUS = "status:"
ADD_TAG = "add_tag"
REMOVE_TAG = "remove_tag"


class FeedbackBulkForm(DsfrBaseForm):
    ids = IdsField(error_messages={"required": _("Select at least one item.")})
    action = forms.ChoiceField(label=_("Action"), required=False)
    tag = forms.CharField(label=_("Tag (to add or remove)"), required=False, max_length=60)
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            ("", _("Choose an action")),
            (
                _("Set the status"),
                [(f"{SET_STATUS}{value}", label) for value, label in FeedbackStatus.choices],
            ),
            (_("Tags"), [(ADD_TAG, _("Add the tag")), (REMOVE_TAG, _("Remove the tag"))]),
        ]
        self.fields["tag"].widget.attrs.update(
            {"list": "feedback-tag-names", "autocomplete": "off"}
        )

    def clean(self):
        data = super().clean()
        if not data.get("action"):
            self.add_error("action", _("Choose what to do with the selected items."))
        elif data["action"] in (ADD_TAG, REMOVE_TAG) and not data.get("tag", "").strip():
            self.add_error("tag", _("Give the tag to add or remove."))
        return data

    @property
    def status(self) -> str:
        action = self.cleaned_data["action"]
        return action.removeprefix(SET_STATUS) if action.startswith(SET_STATUS) else ""


class FeedbackMergeForm(DsfrBaseForm):
    duplicates = forms.ModelMultipleChoiceField(
        label=_("Duplicates"), queryset=None, widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Choose at least one duplicate."),
            "invalid_choice": _(
                "One of the chosen items cannot be merged: it was deleted or merged meanwhile."
            ),
            "invalid_pk_value": _("One of the chosen items cannot be merged."),
        },
    )

    def __init__(self, *args, feedback: Feedback, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicates"].queryset = merge_candidates(feedback)


def merge_candidates(feedback: Feedback) -> QuerySet[Feedback]:
    """The items that may be merged into this one: the startup's other unmerged items."""
    return (
        Feedback.objects.for_startup(feedback.startup_id)
        .unmerged()
        .exclude(pk=feedback.pk)
    )


# ---------------------------------------------------------------- import


class FeedbackImportForm(ImportForm):
    parse = staticmethod(feedback_parse)
    help_text = _(
        "CSV in UTF-8, separated by semicolons or commas, 2 MB at most. First line: "
        "date; text; kind; source; channel; status; tags; assignee; author email; consent."
    )


class FeedbackImportApplyForm(ImportApplyForm):
    parse = staticmethod(feedback_parse)
