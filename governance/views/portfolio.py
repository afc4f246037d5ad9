"""The portfolio of incubator staff (/portfolio/): one row per startup of their incubators
(every startup for a superuser), filtered, sorted, paged, and its CSV export.

Only staff (``is_staff``) and superusers open it: anybody else signed in gets the 403 page.

Sorting by runway: the runway is computed in Python (``budget_compute`` over prefetched
rows), so that sort computes the budgets of every startup the filters keep, orders them,
then cuts the page — the same number of queries, more rows read. Every other sort is SQL
and computes the budgets of the page's startups only.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from governance.enums import Health
from governance.forms.portfolio import PortfolioFilterForm
from governance.services import portfolio as services
from intrapreneur.csv import csv_response
from intrapreneur.lists import render_page
from intrapreneur.views import AppRequest, site_url


def _form(request: AppRequest) -> PortfolioFilterForm:
    if not services.can_see_portfolio(request.user):
        raise PermissionDenied(_("The portfolio is for incubator staff."))
    return PortfolioFilterForm(request.GET or None, user=request.user)


def _rows(request: AppRequest, form: PortfolioFilterForm, today: datetime.date):
    data = form.valid_data()
    startups = services.portfolio_startups(request.user, today=today)
    startups = form.search(form.filter_queryset(startups, data), data.get("q", ""))
    return form.order(startups, form.sort_key()), data


def _runway_sorted(rows, form: PortfolioFilterForm, today: datetime.date) -> list:
    """Every row with its runway, sorted by it (all the rows: the sort needs them)."""
    startups = services.attach_runways(services.with_budget_rows(rows), today=today)
    return services.sort_by_runway(startups, descending=form.sort_key().startswith("-"))


@require_GET
def portfolio(request: AppRequest) -> HttpResponse:
    form = _form(request)
    today = timezone.localdate()
    rows, data = _rows(request, form, today)
    if form.sorts_by_runway:
        paginator = Paginator(_runway_sorted(rows, form, today), form.per_page)
        page = paginator.get_page(request.GET.get("page"))
    else:
        paginator = Paginator(services.with_budget_rows(rows), form.per_page)
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = services.attach_runways(page.object_list, today=today)
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    query = request.GET.copy()
    query.pop("page", None)
    export_url = reverse("portfolio:export")
    context = {
        "filter_form": form,
        "page_obj": page,
        "sort": form.sort_key(),
        "is_filtered": bool(data),
        "today": today,
        "health_labels": dict(Health.choices),
        "export_url": f"{export_url}?{query.urlencode()}" if query else export_url,
    }
    return render_page(request, "governance/portfolio.html", context, part="results")


@require_GET
def portfolio_export(request: AppRequest) -> HttpResponse:
    """The rows the portfolio's filters keep, all of them, in the page's order."""
    form = _form(request)
    today = timezone.localdate()
    rows, _data = _rows(request, form, today)
    if form.sorts_by_runway:
        startups = _runway_sorted(rows, form, today)
    else:
        startups = services.attach_runways(services.with_budget_rows(rows), today=today)
    base = site_url(request)
    header = (
        _("Startup"), _("Address"), _("Incubator"), _("Phase"), _("Archived"), _("Health"),
        _("Health reason"), _("Runway"), _("Runway month"), _("Last user test"),
        _("Last release"), _("Next committee"), _("Late standards"),
    )

    def iso(day: datetime.date | None) -> str:
        return day.isoformat() if day else ""

    rows_out = (
        (
            startup.name,
            base + startup.get_absolute_url(),
            startup.incubator.name,
            startup.get_phase_display(),
            _("yes") if startup.is_archived else _("no"),
            Health(startup.health_status).label if startup.health_status
            else _("Not set"),
            startup.health_reason or "",
            startup.runway.label,
            startup.runway.month.strftime("%Y-%m") if startup.runway.month else "",
            iso(startup.last_test_on),
            iso(startup.last_release_on),
            iso(startup.next_committee_on),
            startup.standards_late,
        )
        for startup in startups
    )
    return csv_response(f"portefeuille-{today.isoformat()}.csv", header, rows_out)
