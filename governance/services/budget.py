"""The budget: fundings, expenses and the staffing plan are typed; everything else is
derived here, never stored — granted, spent, committed, remaining, the monthly burn and the
runway.

THE CONTRACT (other modules rely on it; the implementation may change, not these names):
``budget_summary(startup, *, today)`` loads the three lists (three queries) and calls
``budget_compute(fundings=…, expenses=…, staffing=…, today=…)``, a pure function over
in-memory rows that a page listing many startups (the portfolio) calls with prefetched rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from governance.models import Expense, Funding, StaffingLine
    from intrapreneur.models import Startup


@dataclass(frozen=True)
class BudgetMonth:
    """One calendar month of the chart and the table."""

    month: datetime.date  # its first day
    funded: Decimal  # fundings becoming available this month
    spent: Decimal  # expenses dated in the month (past and current months)
    forecast: Decimal  # the staffing plan and recurring costs (current and future months)
    balance: Decimal  # the money left at the end of the month, all months before included
    is_forecast: bool  # a month after today's


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

    @property
    def exhausted(self) -> bool:
        """The money is already spent."""
        return self.available - self.spent < 0 or (
            self.runway_month is not None and self.runway_month <= self.today.replace(day=1)
        )


def budget_compute(
    *,
    fundings: Sequence[Funding],
    expenses: Sequence[Expense],
    staffing: Sequence[StaffingLine],
    today: datetime.date,
) -> BudgetSummary:
    raise NotImplementedError  # the budget helper writes it


def budget_summary(startup: Startup, *, today: datetime.date) -> BudgetSummary:
    raise NotImplementedError  # the budget helper writes it
