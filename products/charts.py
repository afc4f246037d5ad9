"""Charts that read without JavaScript: SVG drawn on the server.

``line_chart`` draws a metric's values over time with its target as a dashed line, its axes
and their labels, an accessible name (``role="img"`` + ``aria-labelledby`` on its
``<title>`` and ``<desc>``); the page puts a data table beside it. ``sparkline`` is the tiny
decorative curve of a list row (``aria-hidden``: the row says the last value and the trend
in text). Every text is escaped (``format_html``); colours are attributes and CSS classes,
never ``style=`` (the CSP allows no inline style).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SVG_NS = "http://www.w3.org/2000/svg"

# The line chart's drawing area, in viewBox units (the CSS scales the whole).
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 28, 44
# Sparklines of the list rows.
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 32, 3
# Dots on the line only while they stay readable.
MAX_DOTS = 60


@dataclass(frozen=True)
class Point:
    date: datetime.date
    value: Decimal


# The data table beside a line chart: one row a month, the most recent months.
TABLE_MONTHS = 24


def monthly_points(points: Sequence[Point], months: int = TABLE_MONTHS) -> list[Point]:
    """The last point of each month of ``points`` (in date order), the ``months`` most
    recent months only: the bounded table of a chart whatever the length of its series."""
    last_of_month: dict[tuple[int, int], Point] = {}
    for point in points:
        last_of_month[(point.date.year, point.date.month)] = point
    return list(last_of_month.values())[-months:]


def format_number(value: Decimal | float | int | None) -> str:
    """A value as a French reader writes it: 1 234,5 (no useless trailing zero)."""
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    else:
        value = value.normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _coord(value: float) -> str:
    return f"{value:.1f}"


def _nice_step(span: float, count: int) -> float:
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * magnitude >= raw:
            return multiple * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def y_ticks(values: Sequence[float], count: int = 4) -> list[Decimal]:
    """Round graduations covering ``values`` (and zero when the values are counts)."""
    low, high = min(values), max(values)
    if low >= 0 and low <= high * 0.5:
        low = 0.0
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = _nice_step(high - low, count)
    decimals = max(0, -math.floor(math.log10(step)) + (1 if step * 10 % 10 else 0))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [
        Decimal(str(round(n * step, decimals + 1))) for n in range(first, last + 1)
    ]


def _date_label(date: datetime.date) -> str:
    return formats.date_format(date, "M Y")


def _x_label_indexes(count: int, wanted: int = 5) -> list[int]:
    if count <= wanted:
        return list(range(count))
    step = (count - 1) / (wanted - 1)
    return sorted({round(i * step) for i in range(wanted)})


def chart_summary(points: Sequence[Point], *, unit: str = "", target: Decimal | None = None) -> str:
    """The chart said in one sentence: its accessible description."""
    if not points:
        return _("No value yet.")
    first, last = points[0], points[-1]
    sentence = ngettext(
        "%(count)d value from %(start)s to %(end)s; last value %(value)s on %(end)s.",
        "%(count)d values from %(start)s to %(end)s; last value %(value)s on %(end)s.",
        len(points),
    ) % {
        "count": len(points),
        "start": formats.date_format(first.date, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(last.date, "SHORT_DATE_FORMAT"),
        "value": f"{format_number(last.value)} {unit}".strip(),
    }
    if target is not None:
        sentence += " " + _("Target: %(target)s.") % {
            "target": f"{format_number(target)} {unit}".strip()
        }
    return sentence


def line_chart(
    *,
    points: Sequence[Point],
    title: str,
    chart_id: str,
    target: Decimal | None = None,
    unit: str = "",
) -> SafeString:
    """An SVG line chart of ``points`` (in date order), the target dashed, axes labelled."""
    values = [float(p.value) for p in points]
    scale_values = [*values, float(target)] if target is not None else values
    ticks = y_ticks(scale_values or [0.0])
    low, high = float(ticks[0]), float(ticks[-1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return TOP + plot_h - (value - low) / (high - low) * plot_h

    if points:
        start, end = points[0].date.toordinal(), points[-1].date.toordinal()
        days = end - start

        def x_of(date: datetime.date) -> float:
            if days == 0:
                return LEFT + plot_w / 2
            return LEFT + (date.toordinal() - start) / days * plot_w
    parts: list[SafeString] = []
    # Horizontal graduations and their labels.
    for tick in ticks:
        y = _coord(y_of(float(tick)))
        parts.append(format_html(
            '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dddddd" '
            'stroke-width="1"/>'
            '<text class="chart-label" x="{}" y="{}" text-anchor="end" '
            'dominant-baseline="middle" font-size="12" fill="#3a3a3a">{}</text>',
            LEFT, WIDTH - RIGHT, y, y, LEFT - 8, y, format_number(tick),
        ))
    # Axes and their titles.
    parts.append(format_html(
        '<line class="chart-axis" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" '
        'stroke="#666666" stroke-width="1"/>'
        '<line class="chart-axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" '
        'stroke="#666666" stroke-width="1"/>'
        '<text class="chart-axis-title" x="{left}" y="14" text-anchor="start" font-size="12" '
        'fill="#3a3a3a">{y_title}</text>',
        left=LEFT, right=WIDTH - RIGHT, top=TOP, bottom=TOP + plot_h,
        y_title=unit or _("Value"),
    ))
    if points:
        indexes = _x_label_indexes(len(points))
        for index in indexes:
            point = points[index]
            x = _coord(x_of(point.date))
            # The first and last labels stay inside the drawing.
            anchor = "middle"
            if len(indexes) > 1 and index == indexes[0]:
                anchor = "start"
            elif len(indexes) > 1 and index == indexes[-1]:
                anchor = "end"
            parts.append(format_html(
                '<line class="chart-axis" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#666666" '
                'stroke-width="1"/>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="{}" font-size="12" '
                'fill="#3a3a3a">{}</text>',
                x, x, TOP + plot_h, TOP + plot_h + 5, x, TOP + plot_h + 20, anchor,
                _date_label(point.date),
            ))
    parts.append(format_html(
        '<text class="chart-axis-title" x="{}" y="{}" text-anchor="end" font-size="12" '
        'fill="#3a3a3a">{}</text>',
        WIDTH - RIGHT, HEIGHT - 4, _("Date"),
    ))
    # The target, dashed, labelled at its left end: values move towards their target, so
    # the oldest ones, on the left, are usually the farthest from it.
    if target is not None:
        y = _coord(y_of(float(target)))
        parts.append(format_html(
            '<line class="chart-target" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ce0500" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
            '<text class="chart-target-label" x="{}" y="{}" text-anchor="start" font-size="12" '
            'fill="#ce0500">{}</text>',
            LEFT, WIDTH - RIGHT, y, y, LEFT + 6, _coord(float(y) - 6),
            _("Target: %(target)s") % {"target": format_number(target)},
        ))
    # The values: the line, then a dot for each while they stay readable.
    if points:
        coords = [(x_of(p.date), y_of(float(p.value))) for p in points]
        parts.append(format_html(
            '<polyline class="chart-line" points="{}" fill="none" stroke="#000091" '
            'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>',
            " ".join(f"{_coord(x)},{_coord(y)}" for x, y in coords),
        ))
        if len(points) <= MAX_DOTS:
            parts.append(format_html_join(
                "", '<circle class="chart-dot" cx="{}" cy="{}" r="3.5" fill="#000091"/>',
                ((_coord(x), _coord(y)) for x, y in coords),
            ))
    return format_html(
        '<svg xmlns="{ns}" class="metric-chart" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'preserveAspectRatio="xMidYMid meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{body}</svg>",
        ns=SVG_NS, w=WIDTH, h=HEIGHT, id=chart_id, title=title,
        desc=chart_summary(points, unit=unit, target=target),
        body=mark_safe("".join(parts)),  # noqa: S308 - each part is built by format_html
    )


def sparkline(points: Sequence[Point]) -> SafeString:
    """A tiny decorative curve (hidden from assistive technologies); empty under 2 values."""
    if len(points) < 2:
        return mark_safe("")
    values = [float(p.value) for p in points]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    inner_w = SPARK_WIDTH - 2 * SPARK_PAD
    inner_h = SPARK_HEIGHT - 2 * SPARK_PAD
    step = inner_w / (len(values) - 1)
    coords = [
        (SPARK_PAD + i * step, SPARK_PAD + inner_h - (v - low) / span * inner_h)
        if high != low else (SPARK_PAD + i * step, SPARK_HEIGHT / 2)
        for i, v in enumerate(values)
    ]
    last_x, last_y = coords[-1]
    return format_html(
        '<svg xmlns="{}" class="sparkline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'aria-hidden="true" focusable="false">'
        '<polyline points="{}" fill="none" stroke="#000091" stroke-width="1.5" '
        'stroke-linejoin="round"/>'
        '<circle cx="{}" cy="{}" r="2.5" fill="#000091"/></svg>',
        SVG_NS,
        " ".join(f"{_coord(x)},{_coord(y)}" for x, y in coords),
        _coord(last_x), _coord(last_y),
        w=SPARK_WIDTH, h=SPARK_HEIGHT,
    )


# Weekly bar charts (a count per ISO week), small enough to sit beside a list.
BAR_WIDTH, BAR_HEIGHT = 360, 200
BAR_LEFT, BAR_RIGHT, BAR_TOP, BAR_BOTTOM = 36, 8, 16, 36


def _count_ticks(high: int, count: int = 4) -> list[int]:
    """Whole graduations from 0 covering ``high`` (at least 0 and 1)."""
    step = max(1, math.ceil(high / count))
    return list(range(0, max(high, 1) + step, step))


def week_bar_chart(
    *,
    weeks: Sequence[tuple[datetime.date, int]],
    title: str,
    chart_id: str,
    description: str,
) -> SafeString:
    """An SVG bar chart of a count per week (``weeks``: Monday, count; oldest first).

    Its accessible name is ``title`` and its description ``description`` (say the figures in
    a sentence); the page also puts the counts in a table beside it. Every third week is
    labelled with its Monday, ending on the last one.
    """
    counts = [count for _monday, count in weeks]
    ticks = _count_ticks(max(counts, default=0))
    high = ticks[-1]
    plot_w, plot_h = BAR_WIDTH - BAR_LEFT - BAR_RIGHT, BAR_HEIGHT - BAR_TOP - BAR_BOTTOM
    bottom = BAR_TOP + plot_h

    def y_of(value: float) -> float:
        return bottom - value / high * plot_h

    parts: list[SafeString] = []
    for tick in ticks:
        y = _coord(y_of(tick))
        parts.append(format_html(
            '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dddddd" '
            'stroke-width="1"/>'
            '<text class="chart-label" x="{}" y="{}" text-anchor="end" '
            'dominant-baseline="middle" font-size="11" fill="#3a3a3a">{}</text>',
            BAR_LEFT, BAR_WIDTH - BAR_RIGHT, y, y, BAR_LEFT - 6, y, tick,
        ))
    slot = plot_w / max(len(weeks), 1)
    gap = min(6.0, slot * 0.25)
    for index, (monday, count) in enumerate(weeks):
        x = BAR_LEFT + index * slot
        if count:
            parts.append(format_html(
                # ``chart-dot`` gives the bars the theme colour of the charts' dots.
                '<rect class="chart-bar chart-dot" x="{}" y="{}" width="{}" height="{}" '
                'fill="#000091" data-week="{}" data-count="{}"/>',
                _coord(x + gap / 2), _coord(y_of(count)), _coord(slot - gap),
                _coord(count / high * plot_h), monday.isoformat(), count,
            ))
        if (len(weeks) - 1 - index) % 3 == 0:
            parts.append(format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle" font-size="11" '
                'fill="#3a3a3a">{}</text>',
                _coord(x + slot / 2), bottom + 16, formats.date_format(monday, "d/m"),
            ))
    parts.append(format_html(
        '<line class="chart-axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" '
        'stroke="#666666" stroke-width="1"/>'
        '<text class="chart-axis-title" x="{right}" y="{h}" text-anchor="end" font-size="11" '
        'fill="#3a3a3a">{x_title}</text>',
        left=BAR_LEFT, right=BAR_WIDTH - BAR_RIGHT, bottom=_coord(bottom), h=BAR_HEIGHT - 3,
        x_title=_("Week of"),
    ))
    return format_html(
        '<svg xmlns="{ns}" class="metric-chart week-bar-chart" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'preserveAspectRatio="xMidYMid meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{body}</svg>",
        ns=SVG_NS, w=BAR_WIDTH, h=BAR_HEIGHT, id=chart_id, title=title, desc=description,
        body=mark_safe("".join(parts)),  # noqa: S308 - each part is built by format_html
    )


def releases_described(total: int) -> str:
    return ngettext(
        "%(count)d release published over the last %(weeks)d weeks.",
        "%(count)d releases published over the last %(weeks)d weeks.", total,
    )


def tests_described(total: int) -> str:
    return ngettext(
        "%(count)d user test over the last %(weeks)d weeks.",
        "%(count)d user tests over the last %(weeks)d weeks.", total,
    )


def week_chart(
    weeks: Sequence[tuple[datetime.date, int]], *, title: str, chart_id: str,
    describe: Callable[[int], str],
) -> dict:
    """A count per week as a page shows it: the weeks, their total and the bar chart
    (described in a sentence, ``describe(total)``); no chart without weeks."""
    total = sum(count for _monday, count in weeks)
    description = describe(total) % {"count": total, "weeks": len(weeks)}
    return {
        "weeks": weeks,
        "total": total,
        "svg": week_bar_chart(
            weeks=weeks, title=title, chart_id=chart_id, description=description
        ) if weeks else "",
    }
