"""Template helpers of the metrics: numbers the French way, charts, sparklines.

``{% load metrics %}`` then ``{{ value|number }}``, ``{% metric_chart summary %}``,
``{% metric_sparkline summary %}``.
"""

from django import template
from django.utils.safestring import SafeString

from products.charts import format_number, line_chart, sparkline
from products.services.metrics import MetricSummary

register = template.Library()


@register.filter
def number(value) -> str:
    """``{{ value|number }}``: 1 234,5 — no useless trailing zero; "" for no value."""
    if value is None or value == "":
        return ""
    return format_number(value)


@register.simple_tag
def metric_chart(summary: MetricSummary, prefix: str = "chart") -> SafeString:
    """The metric's line chart, with its target; "" when it has no value yet."""
    if not summary.points:
        return SafeString("")
    metric = summary.metric
    return line_chart(
        points=summary.points, title=metric.name, chart_id=f"{prefix}-{metric.pk}",
        target=metric.target, unit=metric.unit,
    )


@register.simple_tag
def metric_sparkline(summary: MetricSummary) -> SafeString:
    return sparkline(summary.points)
