"""The budget: fundings, expenses and the staffing plan are typed; everything else is
derived here, never stored — granted, spent, committed, remaining, the monthly burn and the
runway.

THE CONTRACT (other modules rely on it; the implementation may change, not these names):
``budget_summary(startup, *, today)`` loads the three lists (three queries) and calls
``budget_compute(fundings=…, expenses=…, staffing=…, today=…)``, a pure function over
in-memory rows that a page listing many startups (the portfolio) calls with prefetched rows.

THE RULES (exact decimals, euros and cents):

- *granted*: every funding, tranches to come included; *available*: the fundings whose
  ``starts_on`` is today or before.
- An expense happens on its date; a *monthly* expense happens again every month on the same
  day (the last day of a shorter month) until its ``ends_on`` included, or forever.
- *spent*: every occurrence dated today or before. The past is what was really paid: the
  staffing plan never counts before tomorrow (the team's invoices are recorded as expenses,
  category "team"). That is the rule that never counts the same money twice: up to today
  the expenses, from tomorrow the plan.
- *committed*: what is engaged after today — the staffing plan from tomorrow to each
  contract's end, the occurrences of monthly expenses after today up to their end, the
  one-off expenses dated after today. What has no end (an open-ended contract, a monthly
  expense without ``ends_on``) counts up to the end of the forecast *horizon*: the
  ``HORIZON_MONTHS`` months after the current one.
- *remaining* = granted − spent − committed; negative means the engagements exceed the money.
- The cost of a staffing line in a month is days a month × daily rate, *prorated by calendar
  days* when the contract (or the forecast, from tomorrow) covers part of the month, rounded
  to the cent per line and month (half up).
- *The months*, from the first month with a funding or an expense (or the current one) to the
  horizon: ``funded`` the fundings starting in the month (a tranche counts from its month),
  ``spent`` the occurrences up to today (past and current months), ``forecast`` the staffing
  plan and the occurrences after today (current and future months; for the current month,
  from tomorrow to its end), ``balance`` the money left at the end of the month.
- *runway_month*: the first month, from the current one, whose balance ends below zero
  (a dip before a tranche arrives counts: the money runs out before it); None when the money
  lasts beyond the horizon. A dip in a past month, refilled since, is history, not a runway.
- *monthly_burn*: the forecast of the next calendar month (a whole month).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from governance.enums import ExpenseCategory, FundingSource, Recurrence
from governance.models import Expense, Funding, StaffingLine
from intrapreneur.activity import activity_record
from intrapreneur.dates import month_end, month_first, months_between
from intrapreneur.imports import ImportReport, ImportRow, import_date, import_key, import_table
from products.services.metrics import parse_decimal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from intrapreneur.models import Startup, User

HORIZON_MONTHS = 12
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ONE_DAY = datetime.timedelta(days=1)
NBSP = "\u00a0"


@dataclass(frozen=True)
class BudgetMonth:
    """One calendar month of the chart and the table."""

    month: datetime.date  # its first day
    funded: Decimal  # fundings becoming available this month
    spent: Decimal  # expenses dated in the month (past and current months)
    forecast: Decimal  # the staffing plan and recurring costs (current and future months)
    balance: Decimal  # the money left at the end of the month, all months before included
    is_forecast: bool  # a month after today's

    @property
    def cost(self) -> Decimal:
        """What the month costs: spent and forecast together."""
        return self.spent + self.forecast

    @property
    def is_negative(self) -> bool:
        return self.balance < 0


@dataclass(frozen=True)
class BudgetSummary:
    today: datetime.date
    granted: Decimal  # every funding, tranches to come included
    available: Decimal  # the fundings available by today
    spent: Decimal  # the expenses up to today
    committed: Decimal  # what the staffing plan and recurring costs will cost after today
    remaining: Decimal  # granted - spent - committed
    monthly_burn: Decimal  # the forecast cost of the coming month
    runway_month: datetime.date | None  # first month whose balance goes below zero; None:
    #                                     the money lasts beyond the forecast
    months: list[BudgetMonth]
    # Added by the budget: the last month of the forecast (its first day).
    horizon: datetime.date | None = None
    # Source -> granted, category -> spent (up to today): the public page's figures.
    granted_by_source: dict[str, Decimal] = field(default_factory=dict)
    spent_by_category: dict[str, Decimal] = field(default_factory=dict)
    # Whether anything is recorded (a funding, an expense or a staffing line).
    has_data: bool = False

    @property
    def exhausted(self) -> bool:
        """The money at hand is already spent (a runway ending this month is not: it is
        said as "runs out this month")."""
        return self.cash < 0

    @property
    def overspent(self) -> bool:
        """What is spent and engaged exceeds what is granted."""
        return self.remaining < 0

    @property
    def cash(self) -> Decimal:
        """The money at hand today: available − spent."""
        return self.available - self.spent

    def past_months(self, count: int = 12) -> list[BudgetMonth]:
        """The last ``count`` months up to the current one (fewer for a young startup)."""
        current = month_first(self.today)
        past = [m for m in self.months if m.month <= current]
        return past[-count:]

    @property
    def runway_text(self) -> str:
        """The runway in words: when the money runs out, or that it lasts."""
        return runway_sentence(self)

    def as_json(self) -> dict:
        """The figures as JSON-ready data (amounts as strings with a dot): snapshots."""
        return {
            "today": self.today.isoformat(),
            "granted": str(self.granted),
            "available": str(self.available),
            "spent": str(self.spent),
            "committed": str(self.committed),
            "remaining": str(self.remaining),
            "monthly_burn": str(self.monthly_burn),
            "runway_month": self.runway_month.isoformat() if self.runway_month else None,
            "horizon": self.horizon.isoformat() if self.horizon else None,
            "exhausted": self.exhausted,
            "runway_text": str(self.runway_text),
            "months": [
                {
                    "month": m.month.isoformat(), "funded": str(m.funded),
                    "spent": str(m.spent), "forecast": str(m.forecast),
                    "balance": str(m.balance), "is_forecast": m.is_forecast,
                }
                for m in self.months
            ],
        }


# ---------------------------------------------------------------- calendar helpers


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _occurrence(expense_day: int, index: int) -> datetime.date:
    """The occurrence of a monthly expense in the month ``index``: its day, or the month's
    last day when the month is shorter."""
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(expense_day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------- the primitives


def _is_monthly(expense: Expense) -> bool:
    return expense.recurrence == Recurrence.MONTHLY


def expense_last_day(expense: Expense, bound: datetime.date) -> datetime.date:
    """The last day an expense may happen: its own date (once), its ``ends_on`` (never
    before its date), or ``bound`` when it repeats forever."""
    if not _is_monthly(expense):
        return expense.date
    if expense.ends_on is None:
        return bound
    return max(expense.ends_on, expense.date)


def occurrences(
    expense: Expense, first: datetime.date, last: datetime.date, *, bound: datetime.date
) -> int:
    """How many times ``expense`` happens from ``first`` to ``last`` (both included);
    ``bound`` ends an expense that repeats forever."""
    last = min(last, expense_last_day(expense, bound))
    first = max(first, expense.date)
    if first > last:
        return 0
    if not _is_monthly(expense):
        return 1
    low, high = _month_index(first), _month_index(last)
    if _occurrence(expense.date.day, low) < first:
        low += 1
    if _occurrence(expense.date.day, high) > last:
        high -= 1
    return max(0, high - low + 1)


def occurrence_dates(
    expense: Expense, first: datetime.date, last: datetime.date, *, bound: datetime.date
) -> list[datetime.date]:
    """The dates on which ``expense`` happens from ``first`` to ``last``."""
    last = min(last, expense_last_day(expense, bound))
    first = max(first, expense.date)
    if first > last:
        return []
    if not _is_monthly(expense):
        return [expense.date]
    dates = (
        _occurrence(expense.date.day, index)
        for index in range(_month_index(first), _month_index(last) + 1)
    )
    return [day for day in dates if first <= day <= last]


def staffing_monthly_cost(line: StaffingLine) -> Decimal:
    """A whole month of the line: days a month × daily rate, to the cent."""
    return _cents(line.days_per_month * line.daily_rate)


def _month_share(monthly: Decimal, first: datetime.date, last: datetime.date) -> Decimal:
    """The part of a month's cost for the days from ``first`` to ``last`` (one month)."""
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    covered = (last - first).days + 1
    if covered == days_in_month:
        return _cents(monthly)
    return _cents(monthly * covered / days_in_month)


def staffing_cost(
    line: StaffingLine, first: datetime.date, last: datetime.date, *, bound: datetime.date
) -> Decimal:
    """What the line costs from ``first`` to ``last`` (both included), prorated by calendar
    days in the months the contract covers in part; ``bound`` ends an open-ended contract."""
    first = max(first, line.starts_on)
    last = min(last, line.ends_on if line.ends_on is not None else bound)
    if first > last:
        return ZERO
    monthly = line.days_per_month * line.daily_rate
    if month_first(first) == month_first(last):
        return _month_share(monthly, first, last)
    total = _month_share(monthly, first, month_end(first))
    total += _month_share(monthly, month_first(last), last)
    full_months = _month_index(last) - _month_index(first) - 1
    return total + full_months * _cents(monthly)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _sum(values) -> Decimal:
    return sum(values, ZERO)


# ---------------------------------------------------------------- the computation


def budget_compute(
    *,
    fundings: Sequence[Funding],
    expenses: Sequence[Expense],
    staffing: Sequence[StaffingLine],
    today: datetime.date,
) -> BudgetSummary:
    """Every figure of the budget from the typed rows (see the module's rules). Pure: no
    query, the same rows and day give the same summary."""
    current = month_first(today)
    horizon = month_first(current, HORIZON_MONTHS)
    horizon_end = month_end(horizon)
    tomorrow = today + ONE_DAY

    granted = _sum(f.amount for f in fundings)
    available = _sum(f.amount for f in fundings if f.starts_on <= today)
    granted_by_source: dict[str, Decimal] = {}
    for funding in fundings:
        granted_by_source[funding.source] = (
            granted_by_source.get(funding.source, ZERO) + funding.amount
        )

    # Expenses by month: what was spent (up to today) and what is forecast (after today),
    # within the months of the table.
    first_month = min(
        [current]
        + [month_first(f.starts_on) for f in fundings]
        + [month_first(e.date) for e in expenses]
    )
    spent_by_month: dict[datetime.date, Decimal] = {}
    forecast_by_month: dict[datetime.date, Decimal] = {}
    spent_by_category: dict[str, Decimal] = {}
    for expense in expenses:
        for day in occurrence_dates(expense, expense.date, horizon_end, bound=horizon_end):
            bucket = spent_by_month if day <= today else forecast_by_month
            bucket[month_first(day)] = bucket.get(month_first(day), ZERO) + expense.amount
            if day <= today:
                spent_by_category[expense.category] = (
                    spent_by_category.get(expense.category, ZERO) + expense.amount
                )
    spent = _sum(spent_by_category.values())

    # Engaged after today, each row up to its own end (the horizon for what has none).
    committed = _sum(
        staffing_cost(line, tomorrow, datetime.date.max, bound=horizon_end) for line in staffing
    ) + _sum(
        expense.amount
        * occurrences(expense, tomorrow, datetime.date.max, bound=horizon_end)
        for expense in expenses
    )

    funded_by_month: dict[datetime.date, Decimal] = {}
    for funding in fundings:
        key = month_first(funding.starts_on)
        funded_by_month[key] = funded_by_month.get(key, ZERO) + funding.amount

    months: list[BudgetMonth] = []
    balance = ZERO
    runway_month = None
    for month in months_between(first_month, horizon):
        forecast = ZERO
        if month >= current:
            start = max(month, tomorrow)
            end = month_end(month)
            forecast = forecast_by_month.get(month, ZERO) + _sum(
                staffing_cost(line, start, end, bound=horizon_end) for line in staffing
            )
        funded = funded_by_month.get(month, ZERO)
        month_spent = spent_by_month.get(month, ZERO)
        balance += funded - month_spent - forecast
        months.append(
            BudgetMonth(
                month=month, funded=funded, spent=month_spent, forecast=forecast,
                balance=balance, is_forecast=month > current,
            )
        )
        if runway_month is None and month >= current and balance < 0:
            runway_month = month

    next_month = month_first(current, 1)
    monthly_burn = next(
        (m.forecast for m in months if m.month == next_month), ZERO
    )
    return BudgetSummary(
        today=today,
        granted=granted,
        available=available,
        spent=spent,
        committed=committed,
        remaining=granted - spent - committed,
        monthly_burn=monthly_burn,
        runway_month=runway_month,
        months=months,
        horizon=horizon,
        granted_by_source=granted_by_source,
        spent_by_category=spent_by_category,
        has_data=bool(fundings or expenses or staffing),
    )


def budget_summary(startup: Startup, *, today: datetime.date) -> BudgetSummary:
    """The startup's budget as of ``today``: three queries."""
    return budget_compute(
        fundings=list(Funding.objects.for_startup(startup)),
        expenses=list(Expense.objects.for_startup(startup)),
        staffing=list(StaffingLine.objects.for_startup(startup)),
        today=today,
    )


def runway_sentence(summary: BudgetSummary) -> str:
    """“The money runs out in March 2027.”, “The money lasts beyond March 2027.”, “The
    money is spent.”: the runway as the budget page, the dashboard and the reports say it."""
    if not summary.has_data:
        return _("No budget is recorded yet.")
    if summary.granted == 0:
        return _("No funding is recorded: nothing pays for the costs.")
    if summary.cash < 0:
        return _("The money is spent.")
    if summary.runway_month is not None:
        month = formats.date_format(summary.runway_month, "F Y")
        if summary.runway_month <= month_first(summary.today):
            return _("The money runs out this month (%(month)s).") % {"month": month}
        return _("The money runs out in %(month)s.") % {"month": month}
    return _("The money lasts beyond %(month)s.") % {
        "month": formats.date_format(summary.horizon, "F Y")
    }


# ---------------------------------------------------------------- writes

FUNDING_FIELDS = ("source", "amount", "starts_on", "ends_on", "tranche", "reference", "note")
EXPENSE_FIELDS = ("date", "category", "supplier", "amount", "recurrence", "ends_on", "note")
STAFFING_FIELDS = ("person", "days_per_month", "daily_rate", "starts_on", "ends_on")
# The largest amount the columns store (12 digits, 2 decimals).
AMOUNT_LIMIT = Decimal("10000000000")
MAX_DAYS_PER_MONTH = Decimal("31")
SUPPLIER_MAX_LENGTH = Expense._meta.get_field("supplier").max_length
NOTE_MAX_LENGTH = Expense._meta.get_field("note").max_length


def euros_text(amount: Decimal) -> str:
    """An amount as a French reader writes it: 12 345,67 € (non-breaking spaces)."""
    value = _cents(Decimal(amount))
    sign = "-" if value < 0 else ""
    units, cents = f"{abs(value):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{NBSP.join(groups)},{cents}{NBSP}€"


def check_amount(value: Decimal | None, *, allow_zero: bool = False) -> str:
    """The refusal of an amount of euros, or "" when it is acceptable."""
    if value is None or not value.is_finite():
        return _("Give an amount in euros, e.g. 1 234,56.")
    if value < 0 or (value == 0 and not allow_zero):
        return (
            _("The amount cannot be negative.") if value < 0
            else _("The amount must be greater than zero.")
        )
    if value != value.quantize(CENT):
        return _("Give the amount in euros and cents: two decimals at most.")
    if value >= AMOUNT_LIMIT:
        return _("The amount is too large.")
    return ""


def _check_period(
    first: datetime.date | None, last: datetime.date | None, message: str
) -> None:
    if first is not None and last is not None and last < first:
        raise ValidationError(message)


def _fields(given: dict, allowed: tuple[str, ...], what: str) -> dict:
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown {what} fields: {', '.join(sorted(unknown))}")
    data = dict(given)
    for name in ("tranche", "reference", "supplier", "person"):
        if name in data:
            data[name] = " ".join((data[name] or "").split())
    if "note" in data:
        data["note"] = (data["note"] or "").strip()
    return data


def _clean_funding(fields: dict) -> dict:
    data = _fields(fields, FUNDING_FIELDS, "funding")
    if "source" in data and data["source"] not in FundingSource.values:
        raise ValidationError(_("Unknown source of funding."))
    if "amount" in data and (refusal := check_amount(data["amount"])):
        raise ValidationError(refusal)
    _check_period(
        data.get("starts_on"), data.get("ends_on"),
        _("The convention cannot end before it starts."),
    )
    return data


def _clean_expense(fields: dict) -> dict:
    data = _fields(fields, EXPENSE_FIELDS, "expense")
    if "category" in data and data["category"] not in ExpenseCategory.values:
        raise ValidationError(_("Unknown category of expense."))
    if "recurrence" in data and data["recurrence"] not in Recurrence.values:
        raise ValidationError(_("Unknown recurrence."))
    if "amount" in data and (refusal := check_amount(data["amount"])):
        raise ValidationError(refusal)
    if data.get("recurrence") == Recurrence.ONCE:
        data["ends_on"] = None  # only a monthly expense repeats until a date
    _check_period(
        data.get("date"), data.get("ends_on"),
        _("A monthly expense cannot stop repeating before its first date."),
    )
    return data


def _clean_staffing(fields: dict) -> dict:
    data = _fields(fields, STAFFING_FIELDS, "staffing")
    if "person" in data and not data["person"]:
        raise ValidationError(_("Give the person or the role."))
    days = data.get("days_per_month")
    if days is not None and not (0 < days <= MAX_DAYS_PER_MONTH):
        raise ValidationError(_("Give between 0,5 and 31 days a month."))
    if "daily_rate" in data and (refusal := check_amount(data["daily_rate"], allow_zero=True)):
        raise ValidationError(refusal)
    _check_period(
        data.get("starts_on"), data.get("ends_on"),
        _("The contract cannot end before it starts."),
    )
    return data


def _funding_label(funding: Funding) -> str:
    return f"{funding} — {euros_text(funding.amount)}"


def _expense_label(expense: Expense) -> str:
    return f"{expense} — {euros_text(expense.amount)}"


@transaction.atomic
def funding_create(
    *,
    startup: Startup,
    actor: User | None,
    source: str,
    amount: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    tranche: str = "",
    reference: str = "",
    note: str = "",
) -> Funding:
    data = _clean_funding(
        {
            "source": source, "amount": amount, "starts_on": starts_on, "ends_on": ends_on,
            "tranche": tranche, "reference": reference, "note": note,
        }
    )
    funding = Funding.objects.create(startup=startup, **data)
    activity_record(
        startup=startup, actor=actor, verb="funding.created", target=funding,
        label=_funding_label(funding),
    )
    return funding


@transaction.atomic
def funding_update(*, funding: Funding, actor: User | None, **fields) -> Funding:
    data = _clean_funding(fields)
    _check_period(
        data.get("starts_on", funding.starts_on), data.get("ends_on", funding.ends_on),
        _("The convention cannot end before it starts."),
    )
    for name, value in data.items():
        setattr(funding, name, value)
    funding.save()
    activity_record(
        startup=funding.startup, actor=actor, verb="funding.updated", target=funding,
        label=_funding_label(funding),
    )
    return funding


@transaction.atomic
def funding_delete(*, funding: Funding, actor: User | None) -> None:
    activity_record(
        startup=funding.startup, actor=actor, verb="funding.deleted",
        label=_funding_label(funding),
    )
    funding.delete()


@transaction.atomic
def expense_create(
    *,
    startup: Startup,
    actor: User | None,
    date: datetime.date,
    amount: Decimal,
    category: str = ExpenseCategory.OTHER,
    supplier: str = "",
    recurrence: str = Recurrence.ONCE,
    ends_on: datetime.date | None = None,
    note: str = "",
) -> Expense:
    data = _clean_expense(
        {
            "date": date, "category": category, "supplier": supplier, "amount": amount,
            "recurrence": recurrence, "ends_on": ends_on, "note": note,
        }
    )
    expense = Expense.objects.create(startup=startup, **data)
    activity_record(
        startup=startup, actor=actor, verb="expense.created", target=expense,
        label=_expense_label(expense),
    )
    return expense


@transaction.atomic
def expense_update(*, expense: Expense, actor: User | None, **fields) -> Expense:
    data = _clean_expense(fields)
    for name, value in data.items():
        setattr(expense, name, value)
    if expense.recurrence == Recurrence.ONCE:
        expense.ends_on = None
    _check_period(
        expense.date, expense.ends_on,
        _("A monthly expense cannot stop repeating before its first date."),
    )
    expense.save()
    activity_record(
        startup=expense.startup, actor=actor, verb="expense.updated", target=expense,
        label=_expense_label(expense),
    )
    return expense


@transaction.atomic
def expense_delete(*, expense: Expense, actor: User | None) -> None:
    activity_record(
        startup=expense.startup, actor=actor, verb="expense.deleted",
        label=_expense_label(expense),
    )
    expense.delete()


@transaction.atomic
def staffing_create(
    *,
    startup: Startup,
    actor: User | None,
    person: str,
    days_per_month: Decimal,
    daily_rate: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> StaffingLine:
    data = _clean_staffing(
        {
            "person": person, "days_per_month": days_per_month, "daily_rate": daily_rate,
            "starts_on": starts_on, "ends_on": ends_on,
        }
    )
    line = StaffingLine.objects.create(startup=startup, **data)
    activity_record(startup=startup, actor=actor, verb="staffing.created", target=line)
    return line


@transaction.atomic
def staffing_update(*, line: StaffingLine, actor: User | None, **fields) -> StaffingLine:
    data = _clean_staffing(fields)
    _check_period(
        data.get("starts_on", line.starts_on), data.get("ends_on", line.ends_on),
        _("The contract cannot end before it starts."),
    )
    for name, value in data.items():
        setattr(line, name, value)
    line.save()
    activity_record(
        startup=line.startup, actor=actor, verb="staffing.updated", target=line
    )
    return line


@transaction.atomic
def staffing_delete(*, line: StaffingLine, actor: User | None) -> None:
    activity_record(
        startup=line.startup, actor=actor, verb="staffing.deleted", label=str(line)
    )
    line.delete()


# ---------------------------------------------------------------- CSV import of expenses

IMPORT_MAX_ROWS = 5000
IMPORT_EMPTY = gettext_lazy("The file holds no expense.")
# Column -> the names a spreadsheet may give it (English and French), compared with
# import_key.
IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "jour", "date de la depense", "date de paiement", "date de facture"),
    "category": ("category", "categorie", "poste", "nature", "type"),
    "supplier": ("supplier", "fournisseur", "prestataire", "beneficiaire", "tiers"),
    "amount": (
        "amount", "montant", "montant (eur)", "montant (€)", "montant ttc", "montant ht",
        "amount (€)", "amount (eur)", "somme", "cout",
    ),
    "note": (
        "note", "notes", "commentaire", "commentaires", "remarque", "remarques", "libelle",
        "description", "objet",
    ),
}
# The export's columns, read back by the import in any language of the interface.
EXPORT_HEADERS: dict[str, str] = {
    "date": gettext_lazy("Date"),
    "category": gettext_lazy("Category"),
    "supplier": gettext_lazy("Supplier"),
    "amount": gettext_lazy("Amount (€)"),
    "note": gettext_lazy("Note"),
    "recurrence": gettext_lazy("Recurrence"),
    "ends_on": gettext_lazy("Repeats until"),
}
IMPORT_REQUIRED = ("date", "amount")
# French names of the categories, besides their codes and labels.
CATEGORY_ALIASES: dict[str, str] = {
    "equipe": ExpenseCategory.TEAM, "personnel": ExpenseCategory.TEAM,
    "prestation": ExpenseCategory.TEAM, "prestations": ExpenseCategory.TEAM,
    "salaires": ExpenseCategory.TEAM, "rh": ExpenseCategory.TEAM,
    "conception": ExpenseCategory.DESIGN, "ux": ExpenseCategory.DESIGN,
    "hebergement": ExpenseCategory.HOSTING, "serveurs": ExpenseCategory.HOSTING,
    "infrastructure": ExpenseCategory.HOSTING, "cloud": ExpenseCategory.HOSTING,
    "outils": ExpenseCategory.TOOLS, "outil": ExpenseCategory.TOOLS,
    "logiciels": ExpenseCategory.TOOLS, "licences": ExpenseCategory.TOOLS,
    "abonnements": ExpenseCategory.TOOLS,
    "com": ExpenseCategory.COMMUNICATION, "evenement": ExpenseCategory.COMMUNICATION,
    "evenements": ExpenseCategory.COMMUNICATION,
    "autre": ExpenseCategory.OTHER, "autres": ExpenseCategory.OTHER,
    "divers": ExpenseCategory.OTHER,
}


def import_columns() -> dict[str, tuple[str, ...]]:
    """The names of each column: the usual ones and the export's, in English and French."""
    columns = {column: list(names) for column, names in IMPORT_COLUMNS.items()}
    for language in ("en", "fr"):
        with translation.override(language):
            for column in IMPORT_COLUMNS:
                columns[column].append(str(EXPORT_HEADERS[column]))
    return {column: tuple(names) for column, names in columns.items()}


def category_aliases() -> dict[str, str]:
    """Every way a cell may name a category: its code, its label (en, fr), French names."""
    names = {import_key(k): v for k, v in CATEGORY_ALIASES.items()}
    for language in ("en", "fr"):
        with translation.override(language):
            for value, label in ExpenseCategory.choices:
                names[import_key(str(label))] = value
    names.update({import_key(value): value for value in ExpenseCategory.values})
    return names


def parse_amount(text: str) -> Decimal | None:
    """An amount as spreadsheets write it: 1 234,56 · 1234.56 · 1.234,56 · 1 234,56 €."""
    text = str(text).replace("€", "").replace("EUR", "").replace("eur", "")
    try:
        return parse_decimal(text)
    except (ArithmeticError, ValueError):
        return None


@dataclass
class ExpenseImportRow(ImportRow):
    date: datetime.date | None = None
    category: str = ""
    supplier: str = ""
    amount: Decimal | None = None
    note: str = ""


def expenses_parse(*, startup: Startup, text: str) -> ImportReport:
    """Read a CSV of expenses (date; category; supplier; amount; note): every row checked,
    nothing written. Raises ImportFileError when the file as a whole cannot be read.

    An expense already recorded with the same date, category, supplier and amount is
    refused: sending the same file twice does not count the money twice.
    """
    table = import_table(
        text, columns=import_columns(), required=IMPORT_REQUIRED, max_rows=IMPORT_MAX_ROWS,
        missing=_(
            "The first line must name the columns; missing: %(missing)s. Expected "
            "columns: date; category; supplier; amount; note."
        ),
    )
    aliases = category_aliases()
    rows: list[ExpenseImportRow] = []
    for number, cells in table.rows:
        row = ExpenseImportRow(line=number, cells=cells)
        _check_expense_row(row, aliases)
        rows.append(row)
    dates = {row.date for row in rows if row.date is not None}
    if dates:
        stored = {
            (e.date, e.category, e.supplier.casefold(), e.amount)
            for e in Expense.objects.for_startup(startup).filter(date__in=dates)
        }
        for row in rows:
            key = (row.date, row.category, row.supplier.casefold(), row.amount)
            if row.ok and key in stored:
                row.refuse(
                    "expense-recorded",
                    _("This expense is already recorded (same date, category, supplier and "
                      "amount)."),
                )
    return ImportReport(rows=rows, ignored_columns=table.ignored_columns)


def _check_expense_row(row: ExpenseImportRow, aliases: dict[str, str]) -> None:
    cells = row.cells
    if not cells["date"]:
        row.refuse("date-missing", _("The date is missing."))
    else:
        row.date = import_date(cells["date"])
        if row.date is None:
            row.refuse(
                "date-invalid",
                _("“%(value)s” is not a date: write it as 31/12/2025 or 2025-12-31.")
                % {"value": cells["date"]},
            )
    row.category = ExpenseCategory.OTHER
    if cells["category"]:
        row.category = aliases.get(import_key(cells["category"]), "")
        if not row.category:
            row.refuse(
                "category-unknown",
                _("“%(value)s” is not a known category; expected one of: %(values)s.")
                % {
                    "value": cells["category"],
                    "values": ", ".join(str(label) for label in ExpenseCategory.labels),
                },
            )
    if not cells["amount"]:
        row.refuse("amount-missing", _("The amount is missing."))
    else:
        row.amount = parse_amount(cells["amount"])
        refusal = check_amount(row.amount)
        if row.amount is None:
            row.refuse(
                "amount-invalid",
                _("“%(value)s” is not an amount (write 1 234,56 or 1234.56).")
                % {"value": cells["amount"]},
            )
        elif refusal:
            row.refuse("amount-invalid", refusal)
        else:
            row.amount = _cents(row.amount)
    row.supplier = " ".join(cells["supplier"].split())
    if len(row.supplier) > SUPPLIER_MAX_LENGTH:
        row.refuse(
            "supplier-long",
            _("The supplier has %(max)d characters at most.") % {"max": SUPPLIER_MAX_LENGTH},
        )
    row.note = cells["note"].strip()
    if len(row.note) > NOTE_MAX_LENGTH:
        row.refuse(
            "note-long", _("The note has %(max)d characters at most.") % {"max": NOTE_MAX_LENGTH}
        )


@transaction.atomic
def expenses_import(*, startup: Startup, actor: User | None, text: str) -> int:
    """Record every expense of the file, or none: a refused row refuses the file."""
    report = expenses_parse(startup=startup, text=text)
    report.ensure_ok(empty=IMPORT_EMPTY)
    Expense.objects.bulk_create(
        [
            Expense(
                startup=startup, date=row.date, category=row.category, supplier=row.supplier,
                amount=row.amount, recurrence=Recurrence.ONCE, note=row.note,
            )
            for row in report.rows
        ]
    )
    count = len(report.rows)
    activity_record(
        startup=startup, actor=actor, verb="expense.imported",
        label=ngettext("%(count)d expense", "%(count)d expenses", count) % {"count": count},
    )
    return count
