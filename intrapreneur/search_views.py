"""The search box of a startup: ``/startups/<slug>/search/?q=…``."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from dsfr.forms import DsfrBaseForm

from intrapreneur.permissions import Action, startup_view
from intrapreneur.search import PER_KIND, startup_search
from intrapreneur.views import AppRequest


class SearchForm(DsfrBaseForm):
    q = forms.CharField(
        label=_("Search the startup"), required=False, max_length=200,
        widget=forms.SearchInput,
        help_text=_('Words, "an exact phrase", -a word to leave out.'),
    )


@require_GET
@startup_view(Action.VIEW)
def startup_search_view(request: AppRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    groups = startup_search(request.startup, text, request.can.actions) if text else []
    return render(request, "intrapreneur/search.html", {
        "startup": request.startup,
        "form": form,
        "q": text,
        "groups": groups,
        "total": sum(group.total for group in groups),
        "per_kind": PER_KIND,
    })
