"""ISO weeks: the Monday of a date, and how many rows fall in each of the last weeks.

The one place for the weekly cadences of the app (interviews, user tests, releases…):
counted in one query, every week present (zero included), the oldest first.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s ISO week."""
    return day - datetime.timedelta(days=day.weekday())


class WeekCount(NamedTuple):
    """An ISO week (its Monday) and how many rows are dated in it: ``monday, count = w``."""

    monday: datetime.date
    count: int

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week

    @property
    def end(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)


def counts_by_week(
    queryset: QuerySet, *, until: datetime.date, since: datetime.date | None = None,
    field: str = "date",
) -> dict[datetime.date, int]:
    """{Monday: count} of the rows whose ``field`` (a date) falls in the weeks from
    ``since``'s (the beginning when None) to ``until``'s, weeks without rows absent. One
    query."""
    rows = queryset.filter(**{f"{field}__lt": week_start(until) + datetime.timedelta(weeks=1)})
    if since is not None:
        rows = rows.filter(**{f"{field}__gte": week_start(since)})
    counted = (
        rows.annotate(week=TruncWeek(field)).order_by().values("week")
        .annotate(n=Count("pk")).values_list("week", "n")
    )
    # TruncWeek gives a date on a DateField (a datetime on some backends): key by the date.
    return {
        (week.date() if isinstance(week, datetime.datetime) else week): n for week, n in counted
    }


def last_weeks(
    queryset: QuerySet, *, today: datetime.date, weeks: int, field: str = "date"
) -> list[WeekCount]:
    """The last ``weeks`` ISO weeks up to ``today``'s, oldest first, with their counts."""
    first = week_start(today) - datetime.timedelta(weeks=weeks - 1)
    counts = counts_by_week(queryset, since=first, until=today, field=field)
    mondays = [first + datetime.timedelta(weeks=i) for i in range(weeks)]
    return [WeekCount(monday, counts.get(monday, 0)) for monday in mondays]
