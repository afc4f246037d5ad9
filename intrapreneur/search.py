"""Search across a startup: one query, every kind of object the person may see.

The apps register what can be found (``register_search`` from their AppConfig.ready): the
kind's objects in a startup, the text fields searched, the action needed to see them (and
fields searched only with more rights, an insight's quotes for instance), the page of one
object and the list that takes ``?q=``. Core knows none of the apps' models.

``text_filter`` is the one place that decides how text matches: French full-text search on
PostgreSQL (stemmed, the websearch syntax: "a phrase", -excluded, or), every word in one of
the fields (``icontains``) elsewhere — the SQLite quick start. Personal data (participants'
names and contacts, feedback authors' e-mails) is never searched nor shown here.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Count, Q, QuerySet, Window
from django.urls import reverse

from intrapreneur.models import Startup

# Objects shown per kind; the others are behind “see all”.
PER_KIND = 5


@dataclass(frozen=True)
class SearchKind:
    key: str
    label: str
    action: str
    # The startup's objects of this kind, with what their title needs (select_related).
    queryset: Callable[[Startup], QuerySet]
    fields: tuple[str, ...]
    detail_url: str
    # The list page that filters by ``?q=``, if any.
    list_url: str = ""
    # Fields searched only for those who have the action (an insight's quotes…).
    fields_for: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A stored vector (a SearchVectorField kept current by the services) over ``fields``.
    vector_field: str = ""
    title: Callable[[object], str] = str


_KINDS: list[SearchKind] = []


def register_search(kind: SearchKind) -> None:
    if any(k.key == kind.key for k in _KINDS):
        raise ValueError(f"Search kind {kind.key!r} is registered twice")
    _KINDS.append(kind)


def search_kinds() -> list[SearchKind]:
    return list(_KINDS)


def text_filter(
    queryset: QuerySet, text: str, *, fields: tuple[str, ...], vector_field: str = ""
) -> QuerySet:
    """The rows of ``queryset`` whose ``fields`` match ``text`` (see the module)."""
    text = text.strip()
    if not text or not fields:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(text, config="french", search_type="websearch")
        if vector_field:
            return queryset.filter(**{vector_field: query})
        return queryset.annotate(
            search_vector=SearchVector(*fields, config="french")
        ).filter(search_vector=query)
    for word in text.replace('"', " ").split():
        if word.lower() == "or":
            continue
        exclude = word.startswith("-") and len(word) > 1
        condition = reduce(
            operator.or_, (Q(**{f"{name}__icontains": word.lstrip("-")}) for name in fields)
        )
        queryset = queryset.exclude(condition) if exclude else queryset.filter(condition)
    return queryset


@dataclass
class SearchHit:
    title: str
    url: str


@dataclass
class SearchGroup:
    kind: SearchKind
    hits: list[SearchHit]
    total: int
    more_url: str

    @property
    def more(self) -> int:
        return self.total - len(self.hits)


def startup_search(startup: Startup, text: str, actions: frozenset) -> list[SearchGroup]:
    """The kinds the person may see, each with its first hits and its total: one query per
    kind, whatever the number of objects. Kinds with no hit are left out."""
    groups = []
    for kind in _KINDS:
        if kind.action not in actions:
            continue
        fields = kind.fields + tuple(
            name for action, extra in kind.fields_for.items() if action in actions
            for name in extra
        )
        base = kind.queryset(startup)
        # The stored vector covers the kind's own fields only.
        vector_field = kind.vector_field if fields == kind.fields else ""
        matching = text_filter(
            base.model.objects.all(), text, fields=fields, vector_field=vector_field
        )
        rows = list(
            base.filter(pk__in=matching.values("pk"))
            .annotate(search_total=Window(Count("pk")))[:PER_KIND]
        )
        if not rows:
            continue
        total = rows[0].search_total
        more_url = ""
        if kind.list_url and total > len(rows):
            more_url = reverse(kind.list_url, kwargs={"slug": startup.slug})
        groups.append(SearchGroup(
            kind=kind,
            hits=[
                SearchHit(
                    title=kind.title(row),
                    url=reverse(kind.detail_url, kwargs={"slug": startup.slug, "pk": row.pk}),
                )
                for row in rows
            ],
            total=total,
            more_url=more_url,
        ))
    return groups
