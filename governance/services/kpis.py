"""The impact KPIs as plain data: what the dashboard shows live and what a committee or a
report freezes in its snapshot (JSON: decimals and dates as strings)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Prefetch

from intrapreneur.models import Startup
from products.models import Metric, MetricValue
from products.services.metrics import MetricSummary, impact_rank, value_plain

SPARK_POINTS = 12


def kpi_summaries(startup: Startup, *, as_of: datetime.date) -> list[MetricSummary]:
    """Every metric of the startup, in the impact matrix's order, with its last
    ``SPARK_POINTS`` values up to ``as_of`` (all a snapshot shows): two queries, whatever
    the years of daily values behind them."""
    metrics = (
        Metric.objects.for_startup(startup)
        .annotate(impact_rank=impact_rank()).order_by("impact_rank", "name", "pk")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=MetricValue.objects.filter(date__lte=as_of).order_by("-date")[
                    :SPARK_POINTS
                ],
                to_attr="recent_values",
            )
        )
    )
    return [MetricSummary.of(metric, metric.recent_values) for metric in metrics]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value_plain(value))


def kpi_snapshot(startup: Startup, *, as_of: datetime.date) -> list[dict]:
    """The KPIs at ``as_of`` as JSON-ready data: each metric's last value on that date, the
    one before, the trend, the target and the last points of its sparkline."""
    snapshot = []
    for summary in kpi_summaries(startup, as_of=as_of):
        metric = summary.metric
        snapshot.append({
            "key": metric.key,
            "name": metric.name,
            "unit": metric.unit,
            "impact_level": metric.impact_level,
            "aarri_step": metric.aarri_step,
            "direction": metric.direction,
            "target": _text(metric.target),
            "value": _text(summary.last.value) if summary.last else None,
            "date": summary.last.date.isoformat() if summary.last else None,
            "previous": _text(summary.previous.value) if summary.previous else None,
            "trend": summary.trend,
            "is_good": summary.is_good,
            "target_reached": summary.target_reached,
            "points": [
                [point.date.isoformat(), _text(point.value)]
                for point in summary.points[-SPARK_POINTS:]
            ],
        })
    return snapshot
