from __future__ import annotations

from django import forms
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from governance.enums import Health
from governance.services.portfolio import NOT_SET, portfolio_incubators
from intrapreneur.enums import Phase
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import User

RUNWAY = "runway"


class PortfolioFilterForm(ListFilterForm):
    q = forms.CharField(
        label=_("Search a startup"), required=False, max_length=200, widget=forms.SearchInput
    )
    incubator = forms.ModelChoiceField(label=_("Incubator"), queryset=None)
    phase = forms.ChoiceField(label=_("Phase"), choices=[("", _("All phases")), *Phase.choices])
    health = forms.ChoiceField(
        label=_("Health"),
        choices=[("", _("Any health")), *Health.choices, (NOT_SET, _("Not set"))],
    )
    archived = forms.BooleanField(label=_("Show archived startups"))

    search_fields = ("name",)
    # Key -> (label, (annotation or field, descending?) pairs); nulls always come last.
    sorts = {
        "name": (_("Startup"), (("name", False),)),
        "phase": (_("Phase"), (("phase_rank", False), ("name", False))),
        "health": (_("Health"), (("health_rank", False), ("name", False))),
        RUNWAY: (_("Runway"), ()),  # computed in Python: see the view
        "last_test": (_("Last user test"), (("last_test_on", True), ("name", False))),
        "last_release": (_("Last release"), (("last_release_on", True), ("name", False))),
        "next_committee": (
            _("Next committee"), (("next_committee_on", False), ("name", False))
        ),
    }
    default_sort = "name"
    per_page = 25

    def __init__(self, data=None, *, user: User, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["incubator"].queryset = portfolio_incubators(user)
        self.fields["incubator"].empty_label = _("All my incubators")

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("incubator"):
            queryset = queryset.filter(incubator=data["incubator"])
        if data.get("phase"):
            queryset = queryset.filter(phase=data["phase"])
        if data.get("health") == NOT_SET:
            queryset = queryset.filter(health_status__isnull=True)
        elif data.get("health"):
            queryset = queryset.filter(health_status=data["health"])
        return queryset if data.get("archived") else queryset.active()

    def order(self, queryset: QuerySet, key: str) -> QuerySet:
        name = key.lstrip("-")
        if not name or name == RUNWAY:
            return queryset.order_by("name", "pk")
        flip = key.startswith("-")
        expressions = [
            F(field).desc(nulls_last=True) if descending != flip
            else F(field).asc(nulls_last=True)
            for field, descending in self.sorts[name][1]
        ]
        return queryset.order_by(*expressions, "-pk" if flip else "pk")

    @property
    def sorts_by_runway(self) -> bool:
        return self.sort_key().lstrip("-") == RUNWAY
