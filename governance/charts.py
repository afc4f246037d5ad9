"""The budget's monthly chart: an SVG drawn on the server (no JavaScript).

One bar a month: what was spent (solid), what is forecast (hatched, outlined in dashes) on
top of it; the balance at the end of each month as a line with a dot a month (a square when
it is below zero); the zero line; the current month marked. The chart has an accessible
name and description (``role="img"`` + ``aria-labelledby``); the page puts the same figures
in a table. Colours are attributes and classes, never ``style=`` (the CSP allows none); the
legend says each mark in words and shapes, not colours only.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from governance.services.budget import BudgetMonth, euros_text
from products.charts import SVG_NS, format_number, y_ticks

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 80, 16, 44, 40
# Month labels on the axis: at most this many.
MAX_LABELS = 7

SPENT_COLOUR = "#000091"
FORECAST_COLOUR = "#cacafb"
BALANCE_COLOUR = "#18753c"
NEGATIVE_COLOUR = "#ce0500"


def _c(value: float) -> str:
    return f"{value:.1f}"


def _label_indexes(count: int) -> set[int]:
    """Which months carry a label: evenly spread, the last one always."""
    if count <= MAX_LABELS:
        return set(range(count))
    step = -(-count // MAX_LABELS)  # ceiling division
    return {count - 1 - i * step for i in range(MAX_LABELS) if count - 1 - i * step >= 0}


def budget_description(months: Sequence[BudgetMonth], runway_text: str) -> str:
    """The chart said in one sentence: its accessible description."""
    if not months:
        return _("No month to show.")
    first, last = months[0], months[-1]
    return _(
        "From %(start)s to %(end)s: %(spent)s spent, %(forecast)s forecast; balance at the "
        "end of %(end)s: %(balance)s. %(runway)s"
    ) % {
        "start": formats.date_format(first.month, "F Y"),
        "end": formats.date_format(last.month, "F Y"),
        "spent": euros_text(sum((m.spent for m in months), Decimal(0))),
        "forecast": euros_text(sum((m.forecast for m in months), Decimal(0))),
        "balance": euros_text(last.balance),
        "runway": runway_text,
    }


def budget_chart(
    *,
    months: Sequence[BudgetMonth],
    title: str,
    chart_id: str,
    description: str,
    today: datetime.date,
) -> SafeString:
    """The monthly chart of ``months`` (oldest first): costs as bars, the balance as a line."""
    values = [0.0]
    for month in months:
        values += [float(month.spent + month.forecast), float(month.balance)]
    ticks = y_ticks(values)
    low, high = float(ticks[0]), float(ticks[-1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_h

    def y_of(value: float) -> float:
        return TOP + plot_h - (value - low) / (high - low) * plot_h

    parts: list[SafeString] = [
        format_html(
            '<defs><pattern id="{}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="{}"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="{}" stroke-width="2"/></pattern></defs>',
            chart_id, FORECAST_COLOUR, SPENT_COLOUR,
        )
    ]
    for tick in ticks:
        y = _c(y_of(float(tick)))
        parts.append(format_html(
            '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dddddd" '
            'stroke-width="1"/>'
            '<text class="chart-label" x="{}" y="{}" text-anchor="end" '
            'dominant-baseline="middle" font-size="12" fill="#3a3a3a">{}</text>',
            LEFT, WIDTH - RIGHT, y, y, LEFT - 8, y, format_number(tick),
        ))
    zero = _c(y_of(0.0))
    parts.append(format_html(
        '<line class="chart-axis budget-zero" x1="{}" x2="{}" y1="{}" y2="{}" '
        'stroke="#666666" stroke-width="1.5"/>'
        '<text class="chart-axis-title" x="{}" y="14" text-anchor="start" font-size="12" '
        'fill="#3a3a3a">{}</text>',
        LEFT, WIDTH - RIGHT, zero, zero, 4, _("Euros"),
    ))
    parts.append(_legend(chart_id))
    slot = plot_w / max(len(months), 1)
    gap = min(8.0, slot * 0.3)
    current = today.replace(day=1)
    labels = _label_indexes(len(months))
    points: list[tuple[float, float, bool]] = []
    for index, month in enumerate(months):
        x = LEFT + index * slot
        left, width = x + gap / 2, max(slot - gap, 1.0)
        spent_top = y_of(float(month.spent))
        if month.spent:
            parts.append(format_html(
                '<rect class="budget-spent" x="{}" y="{}" width="{}" height="{}" fill="{}" '
                'data-month="{}"/>',
                _c(left), _c(spent_top), _c(width), _c(y_of(0.0) - spent_top), SPENT_COLOUR,
                month.month.isoformat(),
            ))
        if month.forecast:
            top = y_of(float(month.spent + month.forecast))
            parts.append(format_html(
                '<rect class="budget-forecast" x="{}" y="{}" width="{}" height="{}" '
                'fill="url(#{}-hatch)" stroke="{}" stroke-width="1" stroke-dasharray="3 2" '
                'data-month="{}"/>',
                _c(left), _c(top), _c(width), _c(spent_top - top), chart_id, SPENT_COLOUR,
                month.month.isoformat(),
            ))
        if month.month == current:
            parts.append(format_html(
                '<line class="budget-today" x1="{x}" x2="{x}" y1="{top}" y2="{bottom}" '
                'stroke="#666666" stroke-width="1" stroke-dasharray="2 3"/>'
                '<text class="chart-label" x="{x}" y="{label_y}" text-anchor="{anchor}" '
                'font-size="11" fill="#3a3a3a">{label}</text>',
                x=_c(x + slot / 2), top=TOP, bottom=_c(bottom), label_y=TOP - 4,
                label=_("today"), anchor=_edge_anchor(index, len(months)),
            ))
        if index in labels:
            parts.append(format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="{}" font-size="11" '
                'fill="#3a3a3a">{}</text>',
                _c(x + slot / 2), _c(bottom + 16), _edge_anchor(index, len(months)),
                formats.date_format(month.month, "M Y"),
            ))
        points.append((x + slot / 2, y_of(float(month.balance)), month.balance < 0))
    if points:
        parts.append(format_html(
            '<polyline class="budget-balance" points="{}" fill="none" stroke="{}" '
            'stroke-width="2.5" stroke-linejoin="round"/>',
            " ".join(f"{_c(x)},{_c(y)}" for x, y, _negative in points), BALANCE_COLOUR,
        ))
        parts.append(format_html_join(
            "", "{}", ((_balance_mark(x, y, negative),) for x, y, negative in points)
        ))
    return format_html(
        '<svg xmlns="{ns}" class="metric-chart budget-chart" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'preserveAspectRatio="xMidYMid meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{body}</svg>",
        ns=SVG_NS, w=WIDTH, h=HEIGHT, id=chart_id, title=title, desc=description,
        body=mark_safe("".join(parts)),  # noqa: S308 - each part is built by format_html
    )


def _edge_anchor(index: int, count: int) -> str:
    """Labels of the first and last slots stay inside the drawing."""
    if count > 2 and index == 0:
        return "start"
    if count > 2 and index == count - 1:
        return "end"
    return "middle"


def _balance_mark(x: float, y: float, negative: bool) -> SafeString:
    """A dot for a month's balance; a square (and red) when it is below zero."""
    if negative:
        return format_html(
            '<rect class="budget-balance-negative" x="{}" y="{}" width="8" height="8" '
            'fill="{}"/>',
            _c(x - 4), _c(y - 4), NEGATIVE_COLOUR,
        )
    return format_html(
        '<circle class="budget-balance-dot" cx="{}" cy="{}" r="3.5" fill="{}"/>',
        _c(x), _c(y), BALANCE_COLOUR,
    )


def _legend(chart_id: str) -> SafeString:
    y = 14
    return format_html(
        '<g class="budget-legend" font-size="12" fill="#3a3a3a">'
        '<rect x="{x1}" y="{ry}" width="12" height="12" fill="{spent}"/>'
        '<text x="{t1}" y="{y}">{spent_label}</text>'
        '<rect x="{x2}" y="{ry}" width="12" height="12" fill="url(#{id}-hatch)" stroke="{spent}" '
        'stroke-dasharray="3 2"/>'
        '<text x="{t2}" y="{y}">{forecast_label}</text>'
        '<line x1="{x3}" x2="{x3e}" y1="{ly}" y2="{ly}" stroke="{balance}" stroke-width="2.5"/>'
        '<circle cx="{x3c}" cy="{ly}" r="3.5" fill="{balance}"/>'
        '<text x="{t3}" y="{y}">{balance_label}</text>'
        '<rect x="{x4}" y="{ny}" width="8" height="8" fill="{negative}"/>'
        '<text x="{t4}" y="{y}">{negative_label}</text>'
        "</g>",
        id=chart_id, y=y + 10, ry=y, ly=y + 6, ny=y + 2,
        x1=LEFT + 60, t1=LEFT + 76, x2=LEFT + 160, t2=LEFT + 176,
        x3=LEFT + 270, x3e=LEFT + 290, x3c=LEFT + 280, t3=LEFT + 296,
        x4=LEFT + 420, t4=LEFT + 434,
        spent=SPENT_COLOUR, balance=BALANCE_COLOUR, negative=NEGATIVE_COLOUR,
        spent_label=_("Spent"), forecast_label=_("Forecast"), balance_label=_("Balance"),
        negative_label=_("Balance below zero"),
    )
