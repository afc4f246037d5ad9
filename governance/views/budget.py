"""The budget: the figures derived from the fundings, the expenses and the staffing plan, the
monthly chart and table, the expenses' list with its CSV import and export, and the public
budget page.

Reading needs ``view``; every write (fundings, expenses, staffing plan, import) ``manage``.
The public page answers only while the startup is public and not archived; it shows amounts
by source and by category, never a supplier, a person or a note.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from governance.charts import budget_chart, budget_description
from governance.enums import ExpenseCategory, FundingSource, Recurrence
from governance.forms.budget import (
    ExpenseFilterForm,
    ExpenseForm,
    ExpensesImportApplyForm,
    ExpensesImportForm,
    FundingForm,
    StaffingLineForm,
)
from governance.models import Expense, Funding, StaffingLine
from governance.services import budget as services
from governance.services.budget import BudgetSummary, budget_compute, euros_text
from intrapreneur.csv import csv_response
from intrapreneur.imports import import_page
from intrapreneur.lists import list_context, render_page
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, confirm_page, form_page, form_saved
from products.views.public import public_startup

# The newest expenses shown on the budget page (the others are in the list).
LATEST_EXPENSES = 8
# The months of the public page: the last twelve, the current one included.
PUBLIC_MONTHS = 12


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"governance:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _funding(request: AppRequest, pk: int) -> Funding:
    return get_object_or_404(
        Funding.objects.for_startup(request.startup).select_related("startup"), pk=pk
    )


def _expense(request: AppRequest, pk: int) -> Expense:
    return get_object_or_404(
        Expense.objects.for_startup(request.startup).select_related("startup"), pk=pk
    )


def _line(request: AppRequest, pk: int) -> StaffingLine:
    return get_object_or_404(
        StaffingLine.objects.for_startup(request.startup).select_related("startup"), pk=pk
    )


def _chart(summary: BudgetSummary, months, *, chart_id: str) -> dict:
    """The chart of ``months`` with its figures (the page's table)."""
    return {
        "months": months,
        "current_month": summary.today.replace(day=1),
        "svg": budget_chart(
            months=months, title=_("Money per month"), chart_id=chart_id,
            description=budget_description(months, summary.runway_text),
            today=summary.today,
        ) if months else "",
    }


# ---------------------------------------------------------------- the budget page


@require_GET
@startup_view(Action.VIEW)
def budget_home(request: AppRequest) -> HttpResponse:
    """The figures, the chart and its table, the fundings, the staffing plan and the latest
    expenses: three queries whatever their number."""
    startup = request.startup
    today = timezone.localdate()
    fundings = list(Funding.objects.for_startup(startup))
    expenses = list(Expense.objects.for_startup(startup))
    staffing = list(StaffingLine.objects.for_startup(startup))
    summary = budget_compute(fundings=fundings, expenses=expenses, staffing=staffing, today=today)
    for funding in fundings:
        funding.is_available = funding.starts_on <= today
    for line in staffing:
        line.monthly_cost = services.staffing_monthly_cost(line)
        line.is_over = line.ends_on is not None and line.ends_on < today
        line.is_to_come = line.starts_on > today
    active = [line for line in staffing if not line.is_over and not line.is_to_come]
    context = {
        "startup": startup,
        "summary": summary,
        "chart": _chart(summary, summary.months, chart_id="budget-chart"),
        "fundings": fundings,
        "fundings_total": sum((f.amount for f in fundings), Decimal(0)),
        "staffing": staffing,
        "staffing_active_total": sum((line.monthly_cost for line in active), Decimal(0)),
        "latest_expenses": expenses[:LATEST_EXPENSES],
        "expense_count": len(expenses),
    }
    return render(request, "governance/budget.html", context)


@require_GET
@startup_view(Action.VIEW)
def budget_export(request: AppRequest) -> HttpResponse:
    """The monthly table: one month a row, amounts in euros with a dot as decimal point."""
    summary = services.budget_summary(request.startup, today=timezone.localdate())
    header = (
        _("Month"), _("Funded (€)"), _("Spent (€)"), _("Forecast (€)"),
        _("Balance at the end of the month (€)"), _("Kind of month"),
    )
    current = summary.today.replace(day=1)
    rows = (
        (
            month.month.strftime("%Y-%m"), month.funded, month.spent, month.forecast,
            month.balance,
            _("forecast") if month.is_forecast
            else _("current") if month.month == current else _("past"),
        )
        for month in summary.months
    )
    return csv_response(f"{request.startup.slug}-budget.csv", header, rows)


# ---------------------------------------------------------------- fundings


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def funding_create(request: AppRequest) -> HttpResponse:
    form = FundingForm(request.POST or None)
    funding = form_saved(request, form, lambda: services.funding_create(
        startup=request.startup, actor=request.user, **form.service_data()
    ))
    if funding is not None:
        messages.success(
            request,
            _("The funding “%(name)s” of %(amount)s is recorded.")
            % {"name": funding, "amount": euros_text(funding.amount)},
        )
        return redirect(_url(request, "budget") + "#fundings")
    return form_page(
        request, form, title=_("Record a funding"), submit_label=_("Record"),
        cancel_url=_url(request, "budget"),
        intro=_("A convention or one of its tranches: record each tranche with the day its "
                "money becomes available."),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def funding_edit(request: AppRequest, pk: int) -> HttpResponse:
    funding = _funding(request, pk)
    # Said before the form is bound: validating it writes what was typed on the instance.
    title = _("Edit the funding “%(name)s”") % {"name": funding}
    form = FundingForm(request.POST or None, instance=funding)
    saved = form_saved(request, form, lambda: services.funding_update(
        funding=funding, actor=request.user, **form.service_data()
    ))
    if saved is not None:
        messages.success(request, _("The funding is saved."))
        return redirect(_url(request, "budget") + "#fundings")
    return form_page(
        request, form, title=title, submit_label=_("Save"), cancel_url=_url(request, "budget"),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def funding_delete(request: AppRequest, pk: int) -> HttpResponse:
    funding = _funding(request, pk)
    if request.method == "POST":
        services.funding_delete(funding=funding, actor=request.user)
        messages.success(request, _("The funding “%(name)s” is deleted.") % {"name": funding})
        return redirect(_url(request, "budget") + "#fundings")
    return confirm_page(
        request, obj=f"{funding} — {euros_text(funding.amount)}", title=_("Delete the funding"),
        warning=_("The budget, the balance and the runway are computed again without it."),
        cancel_url=_url(request, "budget"),
    )


# ---------------------------------------------------------------- expenses


def _expenses(request: AppRequest) -> QuerySet[Expense]:
    return Expense.objects.for_startup(request.startup)


def _filtered(request: AppRequest, form: ExpenseFilterForm) -> QuerySet[Expense]:
    """The expenses the list's filters and search select (unsorted)."""
    data = form.valid_data()
    return form.search(form.filter_queryset(_expenses(request), data), data.get("q", ""))


@require_GET
@startup_view(Action.VIEW)
def expense_list(request: AppRequest) -> HttpResponse:
    form = ExpenseFilterForm(request.GET or None)
    context = list_context(request, _expenses(request), form)
    totals = _filtered(request, form).order_by().aggregate(
        total=Sum("amount"), monthly=Count("pk", filter=Q(recurrence=Recurrence.MONTHLY))
    )
    query = request.GET.copy()
    query.pop("page", None)
    export_url = _url(request, "expense-export")
    context.update(
        startup=request.startup,
        # Quantized: SQLite sums decimals with more places than the column's.
        total=(totals["total"] or Decimal(0)).quantize(services.CENT),
        monthly_shown=totals["monthly"],
        export_url=f"{export_url}?{query.urlencode()}" if query else export_url,
    )
    return render_page(request, "governance/expense_list.html", context, part="results")


@require_GET
@startup_view(Action.VIEW)
def expense_export(request: AppRequest) -> HttpResponse:
    """The expenses the list's filters select, in the import's columns first."""
    form = ExpenseFilterForm(request.GET or None)
    expenses = form.order(_filtered(request, form), form.sort_key())
    header = tuple(str(label) for label in services.EXPORT_HEADERS.values())
    rows = (
        (
            expense.date.isoformat(), expense.get_category_display(), expense.supplier,
            expense.amount, expense.note, expense.get_recurrence_display(),
            expense.ends_on.isoformat() if expense.ends_on else "",
        )
        for expense in expenses.iterator(chunk_size=2000)
    )
    return csv_response(f"{request.startup.slug}-depenses.csv", header, rows)


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def expense_create(request: AppRequest) -> HttpResponse:
    form = ExpenseForm(request.POST or None)
    expense = form_saved(request, form, lambda: services.expense_create(
        startup=request.startup, actor=request.user, **form.service_data()
    ))
    if expense is not None:
        messages.success(
            request,
            _("The expense of %(amount)s is recorded.")
            % {"amount": euros_text(expense.amount)},
        )
        return redirect(_url(request, "expense-list"))
    return form_page(
        request, form, title=_("Record an expense"), submit_label=_("Record"),
        cancel_url=_url(request, "expense-list"),
        intro=_("What was paid, or will be on a known date. A cost that comes back every "
                "month (hosting, a licence) is recorded once, as monthly."),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def expense_edit(request: AppRequest, pk: int) -> HttpResponse:
    expense = _expense(request, pk)
    title = _("Edit the expense “%(name)s”") % {"name": expense}
    form = ExpenseForm(request.POST or None, instance=expense)
    saved = form_saved(request, form, lambda: services.expense_update(
        expense=expense, actor=request.user, **form.service_data()
    ))
    if saved is not None:
        messages.success(request, _("The expense is saved."))
        return redirect(_url(request, "expense-list"))
    return form_page(
        request, form, title=title, submit_label=_("Save"),
        cancel_url=_url(request, "expense-list"),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def expense_delete(request: AppRequest, pk: int) -> HttpResponse:
    expense = _expense(request, pk)
    if request.method == "POST":
        services.expense_delete(expense=expense, actor=request.user)
        messages.success(request, _("The expense “%(name)s” is deleted.") % {"name": expense})
        return redirect(_url(request, "expense-list"))
    warning = ""
    if expense.recurrence == Recurrence.MONTHLY:
        warning = _("It is a monthly expense: every month it stands for is deleted with it.")
    return confirm_page(
        request, obj=f"{expense} — {euros_text(expense.amount)}", title=_("Delete the expense"),
        warning=warning, cancel_url=_url(request, "expense-list"),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def expense_import(request: AppRequest) -> HttpResponse:
    """Upload → preview with a report per row → apply (all or nothing)."""
    return import_page(
        request,
        upload_form_class=ExpensesImportForm,
        apply_form_class=ExpensesImportApplyForm,
        apply=lambda text: services.expenses_import(
            startup=request.startup, actor=request.user, text=text
        ),
        success=lambda count: ngettext(
            "%(count)d expense is imported.", "%(count)d expenses are imported.", count
        ) % {"count": count},
        empty=services.IMPORT_EMPTY,
        template="governance/expense_import.html",
        context={"title": _("Import expenses"), "categories": ExpenseCategory.choices},
        list_url=_url(request, "expense-list"),
        upload_url=_url(request, "expense-import"),
    )


# ---------------------------------------------------------------- the staffing plan


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def staffing_create(request: AppRequest) -> HttpResponse:
    form = StaffingLineForm(request.POST or None)
    line = form_saved(request, form, lambda: services.staffing_create(
        startup=request.startup, actor=request.user, **form.service_data()
    ))
    if line is not None:
        messages.success(
            request, _("“%(person)s” is added to the staffing plan.") % {"person": line}
        )
        return redirect(_url(request, "budget") + "#staffing")
    return form_page(
        request, form, title=_("Add to the staffing plan"), submit_label=_("Add"),
        cancel_url=_url(request, "budget"),
        intro=_("A person or a role, the days a month and their daily rate over the "
                "contract: the forecast of the coming months is computed from them."),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def staffing_edit(request: AppRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    title = _("Edit the staffing plan line “%(person)s”") % {"person": line}
    form = StaffingLineForm(request.POST or None, instance=line)
    saved = form_saved(request, form, lambda: services.staffing_update(
        line=line, actor=request.user, **form.service_data()
    ))
    if saved is not None:
        messages.success(request, _("The staffing plan line is saved."))
        return redirect(_url(request, "budget") + "#staffing")
    return form_page(
        request, form, title=title, submit_label=_("Save"), cancel_url=_url(request, "budget"),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def staffing_delete(request: AppRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    if request.method == "POST":
        services.staffing_delete(line=line, actor=request.user)
        messages.success(
            request, _("“%(person)s” is removed from the staffing plan.") % {"person": line}
        )
        return redirect(_url(request, "budget") + "#staffing")
    return confirm_page(
        request, obj=line, title=_("Remove from the staffing plan"),
        warning=_("The forecast no longer counts this contract. Its past invoices, recorded "
                  "as expenses, stay."),
        action_label=_("Remove"), cancel_url=_url(request, "budget"),
    )


# ---------------------------------------------------------------- the public budget


@login_not_required
@require_GET
def public_budget(request: HttpRequest, slug: str) -> HttpResponse:
    """Granted by source, spent by category, the last twelve months and the runway: amounts
    only, no supplier, no person, no note."""
    startup = public_startup(slug)
    summary = services.budget_summary(startup, today=timezone.localdate())
    months = summary.past_months(PUBLIC_MONTHS)
    by_source = [
        (label, summary.granted_by_source[value])
        for value, label in FundingSource.choices if value in summary.granted_by_source
    ]
    by_category = [
        (label, summary.spent_by_category[value])
        for value, label in ExpenseCategory.choices if value in summary.spent_by_category
    ]
    context = {
        "startup": startup,
        "summary": summary,
        "by_source": by_source,
        "by_category": by_category,
        "chart": _chart(summary, months, chart_id="public-budget-chart"),
        "updated_on": formats.date_format(summary.today, "j F Y"),
    }
    return render(request, "governance/public_budget.html", context)
