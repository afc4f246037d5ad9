from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from governance.enums import CoachingTopic
from governance.models import ActionItem, CoachingSession
from governance.services.coaching import (
    ACTION_ITEM_FIELDS,
    NOTES_MAX_LENGTH,
    SESSION_FIELDS,
    coaches_of,
    owners_of,
)
from intrapreneur.forms import DATE_WIDGET
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import Startup


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class CoachingSessionForm(DsfrBaseForm, forms.ModelForm):
    """A session: the coach is a member with the coach role, or a name when there is none."""

    class Meta:
        model = CoachingSession
        fields = list(SESSION_FIELDS)
        field_classes = {"coach": PersonChoiceField}
        widgets = {"date": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "coach": _("A member of the startup with the coach role."),
            "notes": _("What was worked on, what was advised. Markdown is accepted."),
        }

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        coaches = coaches_of(startup)
        self.fields["coach"].queryset = coaches
        self.fields["coach"].empty_label = _("Not a member: type the name below")
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate()
            if self.initial.get("coach") is None and len(coaches) == 1:
                self.initial["coach"] = coaches[0].pk
        if not coaches:
            # Nobody has the coach role: the name is typed.
            del self.fields["coach"]
            self.fields["coach_name"].required = True
            self.fields["coach_name"].help_text = _(
                "Nobody in the startup has the coach role: type the coach's name."
            )
        self.fields["notes"].max_length = NOTES_MAX_LENGTH
        self.fields["notes"].widget.attrs["maxlength"] = NOTES_MAX_LENGTH

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in SESSION_FIELDS if name in self.fields}
        data.setdefault("coach", None)
        return data


class ActionItemForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = list(ACTION_ITEM_FIELDS)
        field_classes = {"owner": PersonChoiceField}
        widgets = {"due_on": DATE_WIDGET}
        help_texts = {"text": _("What is to be done, in a sentence.")}

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners_of(startup)
        self.fields["owner"].empty_label = _("Nobody in particular")

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ACTION_ITEM_FIELDS}


class CoachingFilterForm(ListFilterForm):
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("All topics")), *CoachingTopic.choices]
    )

    search_fields = ("summary", "notes", "coach_name")
    per_page = 20

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("topic"):
            queryset = queryset.filter(topic=data["topic"])
        return queryset
