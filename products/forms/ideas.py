from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from intrapreneur.lists import ListFilterForm
from products.models import Idea


class IdeaForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Idea
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "title": _("In a few words: what the product could do."),
            "description": _("Why, for whom, what it would change. Markdown is accepted."),
        }

    def clean_description(self) -> str:
        description = self.cleaned_data["description"]
        if len(description) > 20_000:
            raise forms.ValidationError(_("The description has 20,000 characters at most."))
        return description


class IdeaVoteForm(forms.Form):
    """The vote button: ``vote`` says what the person wants (add/remove); empty toggles."""

    vote = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")], required=False)
    next = forms.CharField(required=False, max_length=2000)

    def wanted(self) -> bool | None:
        if not self.is_valid():
            return None
        return {"add": True, "remove": False}.get(self.cleaned_data["vote"])


class IdeaFilterForm(ListFilterForm):
    mine = forms.BooleanField(label=_("Only the ideas I proposed"))

    search_fields = ("title", "description")
    sorts = {
        "votes": (_("Votes"), ("-vote_count", "-created_at")),
        "date": (_("Date"), ("-created_at",)),
        "title": (_("Title"), ("title",)),
    }
    default_sort = "votes"

    def __init__(self, *args, user, can_propose: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not can_propose:
            del self.fields["mine"]  # people who may not propose have proposed nothing

    def filter_queryset(self, queryset, data):
        if data.get("mine"):
            queryset = queryset.filter(author_id=self.user.pk)
        return queryset
