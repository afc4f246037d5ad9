"""The sponsor's dashboard: one screen read in a minute.

``dashboard_data(startup, today=…)`` gathers it as plain JSON-ready data (strings for
decimals and dates, numbers, lists, enum *values*): the live page renders it, and a sponsor
report stores it as its frozen snapshot. ``dashboard_display(data)`` turns that data, live
or frozen, into what the templates print — labels translated at render time, numbers the
French way, the SVG charts — so a report renders its snapshot with the same includes as the
live dashboard, whatever the language or the code of the day.

The figures are read as of ``today``: phases, health statuses, metric values, cadences and
feedback up to that date, the budget computed at it. The insights and learnings are the
current ones (a report takes its snapshot when it is written).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.enums import Health, ReportState
from governance.models import (
    Expense,
    Funding,
    HealthStatus,
    Interaction,
    InvestmentCommittee,
    SponsorReport,
    StaffingLine,
    Stakeholder,
)
from governance.services.budget import budget_summary, euros_text
from governance.services.committees import next_committee, open_conditions
from governance.services.kpis import kpi_snapshot
from intrapreneur.dates import WeekCount, month_first
from intrapreneur.enums import PHASE_BADGE, Phase
from intrapreneur.models import PhaseChange, Startup
from investigations.services.committee import top_insights
from products.charts import (
    Point,
    format_number,
    releases_described,
    sparkline,
    tests_described,
    week_chart,
)
from products.enums import FeedbackStatus, ImpactLevel
from products.models import Feedback
from products.services.hypotheses import usertest_cadence
from products.services.learnings import latest_learnings
from products.services.releases import releases_per_week

SNAPSHOT_VERSION = 1
CADENCE_WEEKS = 12
FEEDBACK_MONTHS = 6
FEEDBACK_WINDOW_DAYS = 30
HEALTH_HISTORY = 10

HEALTH_BADGE = {
    Health.ON_TRACK: "fr-badge--success",
    Health.AT_RISK: "fr-badge--warning",
    Health.OFF_TRACK: "fr-badge--error",
}

# ---------------------------------------------------------------- data (frozen as is)


def _iso(day: datetime.date | datetime.datetime | None) -> str | None:
    return day.isoformat() if day is not None else None


def _person(user) -> str:
    return str(user) if user is not None else ""


def _phases(startup: Startup, today: datetime.date) -> dict:
    changes = list(
        PhaseChange.objects.filter(startup=startup, date__lte=today).order_by("date", "created_at")
    )
    return {
        "current": changes[-1].phase if changes else startup.phase,
        "changes": [
            {"phase": change.phase, "date": _iso(change.date), "reason": change.reason}
            for change in changes
        ],
    }


def _health(startup: Startup, today: datetime.date) -> dict:
    statuses = list(
        HealthStatus.objects.for_startup(startup).filter(created_at__date__lte=today)
        .select_related("author").order_by("-created_at", "-pk")[: HEALTH_HISTORY + 1]
    )
    rows = [
        {
            "status": status.status, "reason": status.reason,
            "author": _person(status.author), "at": _iso(status.created_at),
        }
        for status in statuses
    ]
    return {"current": rows[0] if rows else None, "history": rows[1:]}


def _cadences(startup: Startup, today: datetime.date) -> dict:
    tests = usertest_cadence(startup, today, weeks=CADENCE_WEEKS)
    releases = releases_per_week(startup, today, CADENCE_WEEKS)
    return {
        "tests": [[_iso(week.monday), week.count] for week in tests.weeks],
        "tests_streak": tests.streak,
        "releases": [[_iso(week.monday), week.count] for week in releases],
    }


def _feedback(startup: Startup, today: datetime.date) -> dict:
    """Counts only (no text: sponsors have no ``view_research``), in one query: the items
    received each of the last months and in the last 30 days against the 30 before, and the
    share answered (done among all, merged duplicates left out)."""
    months = [month_first(today, -back) for back in range(FEEDBACK_MONTHS - 1, -1, -1)]
    bounds = [*months[1:], today + datetime.timedelta(days=1)]
    window = today - datetime.timedelta(days=FEEDBACK_WINDOW_DAYS - 1)
    before = window - datetime.timedelta(days=FEEDBACK_WINDOW_DAYS)
    unmerged = Q(merged_into__isnull=True)
    counts = Feedback.objects.for_startup(startup).filter(date__lte=today).aggregate(
        **{
            f"month_{index}": Count("pk", filter=Q(date__gte=start, date__lt=end))
            for index, (start, end) in enumerate(zip(months, bounds, strict=True))
        },
        last_days=Count("pk", filter=Q(date__gte=window)),
        days_before=Count("pk", filter=Q(date__gte=before, date__lt=window)),
        total=Count("pk", filter=unmerged),
        answered=Count("pk", filter=unmerged & Q(status=FeedbackStatus.DONE)),
    )
    return {
        "months": [[_iso(month), counts[f"month_{index}"]] for index, month in enumerate(months)],
        "last_days": counts["last_days"],
        "days_before": counts["days_before"],
        "window_days": FEEDBACK_WINDOW_DAYS,
        "total": counts["total"],
        "answered": counts["answered"],
    }


def _budget(startup: Startup, today: datetime.date) -> dict:
    summary = budget_summary(startup, today=today)
    used = None
    if summary.granted > 0:
        used = int((summary.spent / summary.granted * 100).quantize(Decimal(1)))
    return {
        "granted": str(summary.granted),
        "available": str(summary.available),
        "spent": str(summary.spent),
        "committed": str(summary.committed),
        "remaining": str(summary.remaining),
        "monthly_burn": str(summary.monthly_burn),
        "runway_month": _iso(summary.runway_month),
        # Frozen as the budget page words it (in the site's language) on the day it is taken.
        "runway_text": str(summary.runway_text),
        "exhausted": summary.exhausted,
        "used_percent": used,
    }


def upcoming_committee(startup: Startup, *, today: datetime.date) -> dict | None:
    """The next investment committee as plain data: a planned one (its pk), else the date
    the last decision set; None when neither exists."""
    upcoming = next_committee(startup, today=today)
    if upcoming is None:
        return None
    return {
        "pk": upcoming.committee.pk if upcoming.committee is not None else None,
        "date": _iso(upcoming.date),
        "planned": upcoming.is_planned,
    }


def _committees(startup: Startup, today: datetime.date) -> dict:
    """The next committee and the committee conditions still open, set up to ``today``."""
    conditions = open_conditions(startup).filter(committee__date__lte=today)
    return {
        "next": upcoming_committee(startup, today=today),
        "open_conditions": [
            {
                "text": condition.text, "due_on": _iso(condition.due_on),
                "committee_pk": condition.committee_id,
                "committee_date": _iso(condition.committee.date),
            }
            for condition in conditions
        ],
    }


def dashboard_data(startup: Startup, *, today: datetime.date) -> dict:
    """Everything the dashboard shows as of ``today``, as JSON-ready plain data."""
    return {
        "version": SNAPSHOT_VERSION,
        "as_of": _iso(today),
        "phase": _phases(startup, today),
        "health": _health(startup, today),
        "kpis": kpi_snapshot(startup, as_of=today),
        "cadence": _cadences(startup, today),
        "feedback": _feedback(startup, today),
        "budget": _budget(startup, today),
        "committee": _committees(startup, today),
        "insights": [
            {"pk": insight.pk, "statement": insight.statement, "strength": insight.strength}
            for insight in top_insights(startup)
        ],
        "learnings": [
            {
                "pk": learning.pk, "date": _iso(learning.date), "learned": learning.learned,
                "changes": learning.changes,
            }
            for learning in latest_learnings(startup)
        ],
    }


# ---------------------------------------------------------------- display (never stored)


def _date(text: str | None) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _datetime(text: str | None) -> datetime.datetime | None:
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return None


def _decimal(text: Any) -> Decimal | None:
    if text is None or text == "":
        return None
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


def euros(value: Decimal | str | None) -> str:
    """12 345,67 € — euros with two decimals, the French way."""
    amount = _decimal(value)
    if amount is None:
        return ""
    return euros_text(amount)


def _choice_label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _health_row(row: dict | None) -> dict | None:
    if not row:
        return None
    status = row.get("status", "")
    return {
        "status": status,
        "label": _choice_label(Health, status),
        "badge": HEALTH_BADGE.get(status, ""),
        "reason": row.get("reason", ""),
        "author": row.get("author", ""),
        "at": _datetime(row.get("at")),
    }


TREND_ARROWS = {"up": "↗", "down": "↘", "stable": "→"}


def _trend_label(trend: str) -> str:
    return {"up": _("rising"), "down": _("falling"), "stable": _("stable")}.get(trend, "")


def _kpi(row: dict) -> dict:
    trend, is_good = row.get("trend") or "", row.get("is_good")
    value, previous = _decimal(row.get("value")), _decimal(row.get("previous"))
    change = value - previous if value is not None and previous is not None else None
    points = [
        Point(day, amount)
        for day, amount in (
            (_date(point[0]), _decimal(point[1])) for point in row.get("points") or []
        )
        if day is not None and amount is not None
    ]
    quality = ""
    if is_good is True:
        quality = _("a good trend")
    elif is_good is False:
        quality = _("a bad trend")
    return {
        "name": row.get("name", ""),
        "unit": row.get("unit", ""),
        "impact_level": _choice_label(ImpactLevel, row["impact_level"])
        if row.get("impact_level") else "",
        "value": format_number(value) if value is not None else "",
        "date": _date(row.get("date")),
        "trend": trend,
        "trend_label": _trend_label(trend),
        "arrow": TREND_ARROWS.get(trend, ""),
        "change": (("+" if change > 0 else "") + format_number(change)) if change else "",
        "quality": quality,
        "badge": "" if is_good is None else ("fr-badge--success" if is_good else "fr-badge--error"),
        "target": format_number(_decimal(row.get("target"))) if row.get("target") else "",
        "target_reached": row.get("target_reached"),
        "sparkline": sparkline(points),
    }


def _weeks(rows: list) -> list[WeekCount]:
    weeks = []
    for monday, count in rows or []:
        day = _date(monday)
        if day is not None:
            weeks.append(WeekCount(day, int(count)))
    return weeks


def _feedback_display(data: dict) -> dict:
    months = [
        {"month": _date(month), "count": count} for month, count in data.get("months") or []
    ]
    total, answered = data.get("total", 0), data.get("answered", 0)
    last, before = data.get("last_days", 0), data.get("days_before", 0)
    if last > before:
        comparison = _("more than the %(days)d days before (%(before)d)")
    elif last < before:
        comparison = _("fewer than the %(days)d days before (%(before)d)")
    else:
        comparison = _("as many as the %(days)d days before")
    days = data.get("window_days", FEEDBACK_WINDOW_DAYS)
    return {
        "months": months,
        "last_days": last,
        "days_before": before,
        "window_days": days,
        "comparison": comparison % {"days": days, "before": before},
        "total": total,
        "answered": answered,
        "answered_percent": round(answered * 100 / total) if total else None,
    }


def _budget_display(data: dict | None) -> dict | None:
    if not data:
        return None
    runway = _date(data.get("runway_month"))
    granted = _decimal(data.get("granted")) or Decimal(0)
    return {
        "has_funding": granted > 0,
        "granted": euros(data.get("granted")),
        "available": euros(data.get("available")),
        "spent": euros(data.get("spent")),
        "committed": euros(data.get("committed")),
        "remaining": euros(data.get("remaining")),
        "monthly_burn": euros(data.get("monthly_burn")),
        "used_percent": data.get("used_percent"),
        "runway_month": runway,
        "runway_text": data.get("runway_text", ""),
        "exhausted": bool(data.get("exhausted")),
    }


def next_committee_display(nxt: dict | None) -> dict | None:
    """``upcoming_committee``'s data with its date as a date."""
    if not nxt:
        return None
    return {"pk": nxt.get("pk"), "date": _date(nxt.get("date")), "planned": nxt.get("planned")}


def dashboard_display(data: dict) -> dict:
    """What the dashboard includes print, from live or frozen ``dashboard_data``."""
    as_of = _date(data.get("as_of"))
    phase = data.get("phase") or {}
    current_phase = phase.get("current", "")
    health = data.get("health") or {}
    cadence = data.get("cadence") or {}
    committee = data.get("committee") or {}
    tests = week_chart(
        _weeks(cadence.get("tests")), title=_("User tests per week"),
        chart_id="dashboard-tests-chart", describe=tests_described,
    )
    releases = week_chart(
        _weeks(cadence.get("releases")), title=_("Releases per week"),
        chart_id="dashboard-releases-chart", describe=releases_described,
    )
    streak = cadence.get("tests_streak", 0)
    nxt = committee.get("next")
    conditions = [
        {
            "text": row.get("text", ""),
            "due_on": _date(row.get("due_on")),
            "overdue": bool(as_of and _date(row.get("due_on")) and _date(row["due_on"]) < as_of),
            "committee_pk": row.get("committee_pk"),
            "committee_date": _date(row.get("committee_date")),
        }
        for row in committee.get("open_conditions") or []
    ]
    return {
        "as_of": as_of,
        "phase": {
            "value": current_phase,
            "label": _choice_label(Phase, current_phase),
            "badge": PHASE_BADGE.get(current_phase, ""),
        },
        "phases": [
            {
                "label": _choice_label(Phase, row.get("phase", "")),
                "badge": PHASE_BADGE.get(row.get("phase", ""), ""),
                "date": _date(row.get("date")),
                "reason": row.get("reason", ""),
            }
            for row in phase.get("changes") or []
        ],
        "health": _health_row(health.get("current")),
        "health_history": [_health_row(row) for row in health.get("history") or []],
        "kpis": [_kpi(row) for row in data.get("kpis") or []],
        "tests": {
            **tests,
            "streak": streak,
            "streak_text": ngettext(
                "%(count)d week in a row with at least one user test.",
                "%(count)d weeks in a row with at least one user test.", streak,
            ) % {"count": streak} if streak else _("No streak: no user test the week before."),
        },
        "releases": releases,
        "feedback": _feedback_display(data.get("feedback") or {}),
        "budget": _budget_display(data.get("budget")),
        "next_committee": next_committee_display(nxt),
        "conditions": conditions,
        "insights": [
            {"pk": row.get("pk"), "statement": row.get("statement", ""),
             "strength": row.get("strength", 0)}
            for row in data.get("insights") or []
        ],
        "learnings": [
            {"pk": row.get("pk"), "date": _date(row.get("date")),
             "learned": row.get("learned", ""), "changes": row.get("changes", "")}
            for row in data.get("learnings") or []
        ],
    }


def key_figures(display: dict) -> list[tuple[str, str]]:
    """The few figures an e-mail repeats: (label, text), from ``dashboard_display``."""
    figures: list[tuple[str, str]] = []
    health = display.get("health")
    if health:
        figures.append((_("Health"), f"{health['label']} — {health['reason']}"))
    figures.append((_("Phase"), display["phase"]["label"]))
    budget = display.get("budget")
    if budget and budget["has_funding"]:
        figures.append((
            _("Budget"),
            _("%(spent)s spent of %(granted)s granted; %(remaining)s remaining.") % budget,
        ))
        figures.append((_("Runway"), budget["runway_text"]))
    for kpi in display.get("kpis", [])[:5]:
        if not kpi["value"]:
            continue
        text = f"{kpi['value']} {kpi['unit']}".strip()
        if kpi["trend_label"]:
            text += f" ({kpi['trend_label']}{', ' + kpi['change'] if kpi['change'] else ''})"
        figures.append((kpi["name"], text))
    feedback = display["feedback"]
    if feedback["answered_percent"] is not None:
        figures.append((
            _("Feedback answered"),
            _("%(percent)d %% (%(answered)d of %(total)d)") % {
                "percent": feedback["answered_percent"], "answered": feedback["answered"],
                "total": feedback["total"],
            },
        ))
    nxt = display.get("next_committee")
    if nxt and nxt["date"]:
        figures.append((_("Next committee"), formats.date_format(nxt["date"], "j F Y")))
    return figures


# ---------------------------------------------------------------- the governance home


def _count_of(queryset) -> Coalesce:
    """A scalar subquery counting the rows of ``queryset`` (filtered on the outer startup)."""
    counted = queryset.order_by().values("startup").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def governance_counts(startup: Startup) -> dict[str, int]:
    """How many fundings, expenses, staffing lines, committees, stakeholders, interactions
    and reports the startup has: one query."""
    outer = OuterRef("pk")
    committees = InvestmentCommittee.objects.filter(startup=outer)
    reports = SponsorReport.objects.filter(startup=outer)
    counted = {
        "fundings": Funding.objects.filter(startup=outer),
        "expenses": Expense.objects.filter(startup=outer),
        "staffing": StaffingLine.objects.filter(startup=outer),
        "committees": committees,
        "committees_planned": committees.filter(decision=""),
        "stakeholders": Stakeholder.objects.filter(startup=outer),
        "interactions": Interaction.objects.filter(startup=outer),
        "reports": reports,
        "reports_sent": reports.filter(state=ReportState.SENT),
    }
    # Annotation names apart from the startup's own relations (``fundings``…).
    row = Startup.objects.filter(pk=startup.pk).annotate(
        **{f"count_{name}": _count_of(queryset) for name, queryset in counted.items()}
    ).values(*(f"count_{name}" for name in counted)).get()
    return {name: row[f"count_{name}"] for name in counted}
