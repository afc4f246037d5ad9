"""The portfolio of incubator staff: every startup they follow, one row each — its phase,
its health, how long its money lasts, when it last met users and shipped, when its next
committee sits.

Everything but the runway is read by SQL (annotations: one query for a page of rows). The
runway is ``budget_compute`` over the rows' fundings, expenses and staffing lines, prefetched
in three queries whatever the number of startups.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from governance.enums import Health
from governance.models import HealthStatus, InvestmentCommittee
from governance.services.budget import budget_compute
from governance.services.standards import late_standards_count
from intrapreneur.enums import Phase
from intrapreneur.models import Incubator, Startup, User
from products.models import Release, UserTest

# The worst health first.
HEALTH_RANK = {Health.OFF_TRACK: 0, Health.AT_RISK: 1, Health.ON_TRACK: 2}
NOT_SET = "none"


def can_see_portfolio(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def portfolio_incubators(user: User) -> QuerySet[Incubator]:
    """The incubators whose startups the person follows: every one for a superuser."""
    if user.is_superuser:
        return Incubator.objects.order_by("name")
    if not user.is_staff:
        return Incubator.objects.none()
    return user.incubators.order_by("name")


def portfolio_startups(user: User, *, today: datetime.date) -> QuerySet[Startup]:
    """The startups of the person's incubators (every startup for a superuser), each with
    its latest health status, its last user test and release, its next committee date, how
    many of its standards are late."""
    if user.is_superuser:
        startups = Startup.objects.all()
    elif user.is_staff:
        startups = Startup.objects.filter(incubator__staff=user)
    else:
        startups = Startup.objects.none()
    health = HealthStatus.objects.filter(startup=OuterRef("pk")).order_by("-created_at", "-pk")
    planned = InvestmentCommittee.objects.upcoming(today).filter(startup=OuterRef("pk"))
    decided = (
        InvestmentCommittee.objects.decided().filter(startup=OuterRef("pk"))
        .order_by("-date", "-pk")
    )
    return (
        startups.select_related("incubator")
        .annotate(
            health_status=Subquery(health.values("status")[:1]),
            health_reason=Subquery(health.values("reason")[:1]),
            last_test_on=Subquery(
                UserTest.objects.filter(startup=OuterRef("pk"), date__lte=today)
                .order_by("-date", "-pk").values("date")[:1]
            ),
            last_release_on=Subquery(
                Release.objects.published().filter(startup=OuterRef("pk"))
                .order_by("-date", "-pk").values("date")[:1]
            ),
            next_committee_on=Coalesce(
                Subquery(planned.values("date")[:1]),
                Subquery(decided.values("next_committee_on")[:1]),
            ),
            standards_late=late_standards_count(today=today),
        )
        .annotate(
            health_rank=Case(
                *(When(health_status=status, then=Value(rank))
                  for status, rank in HEALTH_RANK.items()),
                default=None, output_field=IntegerField(),
            ),
            phase_rank=Case(
                *(When(phase=phase, then=Value(rank)) for rank, phase in enumerate(Phase.values)),
                default=Value(len(Phase.values)), output_field=IntegerField(),
            ),
        )
    )


def with_budget_rows(startups: QuerySet[Startup]) -> QuerySet[Startup]:
    """The rows with what ``budget_compute`` needs: three queries for any number of rows."""
    return startups.prefetch_related("fundings", "expenses", "staffing")


class RunwayKind(StrEnum):
    SPENT = "spent"  # the money is already spent
    MONTH = "month"  # the money runs out in ``month``
    BEYOND = "beyond"  # the money lasts beyond ``month``, the end of the forecast
    NONE = "none"  # nothing typed in the budget


@dataclass(frozen=True)
class Runway:
    kind: RunwayKind
    month: datetime.date | None = None

    @property
    def label(self) -> str:
        if self.kind == RunwayKind.NONE:
            return _("No budget")
        if self.kind == RunwayKind.SPENT:
            return _("Money spent")
        month = date_format(self.month, "F Y")
        if self.kind == RunwayKind.BEYOND:
            return _("Beyond %(month)s") % {"month": month}
        return month

    def sort_key(self) -> tuple[int, datetime.date]:
        """The most urgent first: spent, then the earliest month, then beyond (the nearest
        horizon first); no budget is not ranked (see ``sort_by_runway``)."""
        order = {RunwayKind.SPENT: 0, RunwayKind.MONTH: 1, RunwayKind.BEYOND: 2}
        return order.get(self.kind, 3), self.month or datetime.date.min


def runway_of(startup: Startup, *, today: datetime.date) -> Runway:
    """The runway from the startup's prefetched fundings, expenses and staffing lines."""
    fundings = list(startup.fundings.all())
    expenses = list(startup.expenses.all())
    staffing = list(startup.staffing.all())
    if not (fundings or expenses or staffing):
        return Runway(RunwayKind.NONE)
    summary = budget_compute(
        fundings=fundings, expenses=expenses, staffing=staffing, today=today
    )
    if summary.exhausted:
        return Runway(RunwayKind.SPENT)
    if summary.runway_month is not None:
        return Runway(RunwayKind.MONTH, summary.runway_month)
    horizon = summary.horizon or (
        summary.months[-1].month if summary.months else today.replace(day=1)
    )
    return Runway(RunwayKind.BEYOND, horizon)


def attach_runways(startups: Iterable[Startup], *, today: datetime.date) -> list[Startup]:
    rows = list(startups)
    for startup in rows:
        startup.runway = runway_of(startup, today=today)
    return rows


def sort_by_runway(rows: Sequence[Startup], *, descending: bool = False) -> list[Startup]:
    """The most urgent first (or last when ``descending``); startups without a budget last
    either way, then by name."""
    by_name = sorted(rows, key=lambda s: (s.name.casefold(), s.pk))
    ranked = [s for s in by_name if s.runway.kind != RunwayKind.NONE]
    unranked = [s for s in by_name if s.runway.kind == RunwayKind.NONE]
    ranked.sort(key=lambda s: s.runway.sort_key(), reverse=descending)
    return ranked + unranked
