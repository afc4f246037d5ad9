"""The list pattern every list page reuses: filters, search, sort, pagination, htmx parts.

A page declares a ``ListFilterForm`` subclass (its filters, search fields and sorts) and
calls ``list_context``; its template includes ``components/list_filters.html`` and puts the
results in ``{% partialdef results inline %}``. The same URL answers a plain GET (whole page)
and htmx (the results part only, pushed to the address bar).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.expressions import OrderBy
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


class ListFilterForm(DsfrBaseForm):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.SearchInput
    )

    # Fields searched by `q`, every word must match one of them.
    search_fields: tuple[str, ...] = ()
    # Sort key -> (label, order_by expressions). "-key" sorts the other way.
    sorts: dict[str, tuple[Any, tuple[str, ...]]] = {}
    default_sort: str = ""
    per_page: int = 20

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for field in self.fields.values():
            field.required = False

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        """Apply the page's own filters; ``data`` holds the valid values only."""
        return queryset

    def search(self, queryset: QuerySet, text: str) -> QuerySet:
        words = text.split()
        if not words or not self.search_fields:
            return queryset
        for word in words:
            queryset = queryset.filter(
                reduce(operator.or_, (Q(**{f"{f}__icontains": word}) for f in self.search_fields))
            )
        return queryset

    def valid_data(self) -> dict:
        """The values that validate; a bad value in one filter does not drop the others."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}

    def sort_key(self) -> str:
        wanted = self.data.get("sort", "") if self.is_bound else ""
        return wanted if wanted.lstrip("-") in self.sorts else self.default_sort

    def order(self, queryset: QuerySet, key: str) -> QuerySet:
        if not key:
            return queryset
        expressions = self.sorts[key.lstrip("-")][1]
        if key.startswith("-"):
            expressions = tuple(e[1:] if e.startswith("-") else f"-{e}" for e in expressions)
        return queryset.order_by(*expressions, "-pk" if key.startswith("-") else "pk")

    @property
    def active_filters(self) -> int:
        return len([k for k in self.valid_data() if k != "q"])


class CountedPaginator(Paginator):
    """A paginator given the number of rows, already counted by the page (the feedback
    inbox's counts per status): no COUNT(*) over a large table a second time."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count


def list_context(
    request: HttpRequest, queryset: QuerySet, form: ListFilterForm, *, count: int | None = None
) -> dict:
    """The page of rows the filters, search and sort give; ``count``: how many rows they
    give, when the page already knows it (else the paginator counts them)."""
    data = form.valid_data()
    queryset = form.filter_queryset(queryset, data)
    queryset = form.search(queryset, data.get("q", ""))
    sort = form.sort_key()
    queryset = form.order(queryset, sort)
    paginator = (
        Paginator(queryset, form.per_page) if count is None
        else CountedPaginator(queryset, form.per_page, count=count)
    )
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return {
        "filter_form": form,
        "page_obj": page,
        "sort": sort,
        "is_filtered": bool(data),
    }


def render_page(
    request: HttpRequest, template: str, context: dict, *, part: str | None = None
) -> HttpResponse:
    """Render a page, or only its ``part`` when htmx asks for it (never on a history restore)."""
    htmx = getattr(request, "htmx", None)
    if part and htmx and not htmx.history_restore_request:
        template = f"{template}#{part}"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------- boards


@dataclass
class BoardColumn:
    """One column of a board (a status, a stage): its first cards and how many it holds."""

    value: str
    label: str
    cards: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.cards)


def board_columns(
    queryset: QuerySet, *, field: str, choices: Sequence[tuple[str, Any]],
    order: Sequence[str | OrderBy], per_column: int,
) -> list[BoardColumn]:
    """One column per choice of ``field`` holding its first ``per_column`` rows in
    ``order`` (names, "-name", or expressions) and the column's total: one query, however
    many rows (a window per value)."""
    expressions = [
        name if not isinstance(name, str)
        else F(name[1:]).desc() if name.startswith("-") else F(name).asc()
        for name in order
    ]
    rows = (
        queryset.annotate(
            board_position=Window(RowNumber(), partition_by=[F(field)], order_by=expressions),
            board_total=Window(Count("pk"), partition_by=[F(field)]),
        )
        .filter(board_position__lte=per_column)
        .order_by(field, "board_position")
    )
    cards: dict[str, list] = {value: [] for value, _label in choices}
    for row in rows:
        cards[getattr(row, field)].append(row)
    return [
        BoardColumn(
            value=value, label=str(label), cards=cards[value],
            total=cards[value][0].board_total if cards[value] else 0,
        )
        for value, label in choices
    ]
