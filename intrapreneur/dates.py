"""Calendar rules of the app, in one place: ISO weeks (the Monday of a date, and how many
rows fall in each of the last weeks — the cadences of interviews, user tests, releases…,
counted in one query, every week present, the oldest first) and months (their first and
last days, a date some months later).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator
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
    """{Monday: count} of the rows whose ``field`` (a date) falls from ``since``'s week
    (the beginning when None) to ``until`` itself — a row dated later in ``until``'s week
    (planned) is not counted yet —, weeks without rows absent. One query."""
    rows = queryset.filter(**{f"{field}__lte": until})
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


# ---------------------------------------------------------------- months


def month_first(day: datetime.date, shift: int = 0) -> datetime.date:
    """The first day of the month ``shift`` months after ``day``'s (before when negative)."""
    index = day.year * 12 + day.month - 1 + shift
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    """The first days of the months from ``first``'s to ``last``'s, both included."""
    month = month_first(first)
    while month <= last:
        yield month
        month = month_first(month, 1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month = month_first(day, months)
    return month.replace(day=min(day.day, month_end(month).day))
