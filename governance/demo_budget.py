"""Demo budget of Accueil Accessible: ten months of a startup d'État's money.

An incubator convention in two tranches (the second one still to come), a FAST funding, a
staffing plan of five people (the first designer's contract ended mid-month, a back-end
developer joined, a second designer is coming), the team's monthly invoices, hosting and
tools every month, design and communication costs. At this pace the money runs out a few
months ahead, before the second tranche arrives: what the next investment committee must
address.

``seed(*, startup, people)`` is called once, when the demo startup is created; every row
goes through the budget's services, dated relative to today. ``plan(today)`` is the same
budget as plain data (no database).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from governance.enums import ExpenseCategory, FundingSource, Recurrence
from governance.services.budget import (
    expense_create,
    funding_create,
    staffing_cost,
    staffing_create,
)
from intrapreneur.dates import month_end, month_first
from intrapreneur.models import Startup, User

D = Decimal


@dataclass(frozen=True)
class DemoFunding:
    source: str
    amount: Decimal
    starts_on: datetime.date
    ends_on: datetime.date | None
    tranche: str
    reference: str
    note: str = ""


@dataclass(frozen=True)
class DemoExpense:
    date: datetime.date
    category: str
    supplier: str
    amount: Decimal
    recurrence: str = Recurrence.ONCE
    ends_on: datetime.date | None = None
    note: str = ""


@dataclass(frozen=True)
class DemoLine:
    person: str
    days_per_month: Decimal
    daily_rate: Decimal
    starts_on: datetime.date
    ends_on: datetime.date | None
    # The company that invoices the days, every month.
    supplier: str


@dataclass(frozen=True)
class DemoBudget:
    fundings: list[DemoFunding]
    expenses: list[DemoExpense]
    staffing: list[DemoLine]


def plan(today: datetime.date) -> DemoBudget:
    """The demo budget as of ``today``: the convention started ten months ago."""
    start = month_first(today, -10)  # the first day of the month, ten months ago

    def month(offset: int, day: int = 1) -> datetime.date:
        first = month_first(start, offset)
        return first.replace(day=min(day, month_end(first).day))

    convention_end = month(24) - datetime.timedelta(days=1)
    fundings = [
        DemoFunding(
            FundingSource.INCUBATOR, D("260000.00"), start, convention_end, "Tranche 1",
            "CONV-INC-2025-031",
            "Convention avec l'incubateur du ministère : construction et premiers "
            "déploiements.",
        ),
        DemoFunding(
            FundingSource.INCUBATOR, D("150000.00"), month(15), convention_end, "Tranche 2",
            "CONV-INC-2025-031",
            "Versée après le comité d'investissement, si les objectifs d'usage sont atteints.",
        ),
        DemoFunding(
            FundingSource.FAST, D("60000.00"), month(4), None, "",
            "FAST-2025-118",
            "Fonds d'accélération des startups d'État : le déploiement dans trois "
            "départements pilotes.",
        ),
    ]
    staffing = [
        DemoLine("Développeuse full-stack", D("18.0"), D("650.00"), start, None,
                 "Coopérative Numérique Ouverte"),
        # The first designer's contract ended in the middle of a month, six months ago.
        DemoLine("Designer UX/UI", D("10.0"), D("600.00"), start, month(4, 15),
                 "Studio Accès"),
        DemoLine("Chargée de déploiement", D("15.0"), D("550.00"), month(4), None,
                 "Atelier du Déploiement"),
        DemoLine("Développeur back-end", D("12.0"), D("620.00"), month(8, 16), month(18) -
                 datetime.timedelta(days=1), "Coopérative Numérique Ouverte"),
        DemoLine("Designer UX/UI (relève)", D("8.0"), D("600.00"), month(11), month(19) -
                 datetime.timedelta(days=1), "Studio Accès"),
    ]
    expenses = [
        DemoExpense(start.replace(day=5), ExpenseCategory.HOSTING, "Scalingo", D("420.00"),
                    Recurrence.MONTHLY, note="Hébergement de production et de recette."),
        DemoExpense(month(1, 12), ExpenseCategory.TOOLS, "Suite collaborative", D("89.00"),
                    Recurrence.MONTHLY, note="Licences de l'équipe."),
        DemoExpense(month(2, 3), ExpenseCategory.TOOLS, "Outil de questionnaires",
                    D("39.00"), Recurrence.MONTHLY, ends_on=month(7, 3),
                    note="Résilié : remplacé par le questionnaire du service."),
        DemoExpense(month(3, 18), ExpenseCategory.DESIGN, "Studio Accès", D("3200.00"),
                    note="Atelier de tests avec des personnes en situation de handicap."),
        DemoExpense(month(5, 9), ExpenseCategory.OTHER, "Cabinet d'audit RGAA",
                    D("6500.00"), note="Audit d'accessibilité du service."),
        DemoExpense(month(7, 21), ExpenseCategory.DESIGN, "Illustrations Claires",
                    D("1800.00"), note="Pictogrammes des fiches d'accueil."),
        DemoExpense(month(8, 6), ExpenseCategory.COMMUNICATION, "Imprimerie du Centre",
                    D("2400.00"), note="Guides papier pour les agents d'accueil des mairies."),
        DemoExpense(month(12, 14), ExpenseCategory.COMMUNICATION, "Salon des maires",
                    D("3500.00"), note="Stand au salon des maires et des collectivités."),
    ]
    # The team's invoices: one a month and a line for every month before the current one.
    current = today.replace(day=1)
    for line in staffing:
        for offset in range(10):
            first = month_first(start, offset)
            if first >= current:
                break
            last = month_end(first)
            amount = staffing_cost(line, first, last, bound=last)
            if amount:
                expenses.append(DemoExpense(
                    last, ExpenseCategory.TEAM, line.supplier, amount,
                    note=f"{line.person} — {first:%m/%Y}",
                ))
    return DemoBudget(fundings=fundings, expenses=expenses, staffing=staffing)


def seed(
    *, startup: Startup, people: dict[str, User], today: datetime.date | None = None
) -> None:
    """Record the demo budget through the services (no e-mail is sent)."""
    budget = plan(today or timezone.localdate())
    actor = people.get("intrapreneur")
    for funding in budget.fundings:
        funding_create(
            startup=startup, actor=actor, source=funding.source, amount=funding.amount,
            starts_on=funding.starts_on, ends_on=funding.ends_on, tranche=funding.tranche,
            reference=funding.reference, note=funding.note,
        )
    for line in budget.staffing:
        staffing_create(
            startup=startup, actor=actor, person=line.person,
            days_per_month=line.days_per_month, daily_rate=line.daily_rate,
            starts_on=line.starts_on, ends_on=line.ends_on,
        )
    for expense in sorted(budget.expenses, key=lambda e: e.date):
        expense_create(
            startup=startup, actor=actor, date=expense.date, category=expense.category,
            supplier=expense.supplier, amount=expense.amount, recurrence=expense.recurrence,
            ends_on=expense.ends_on, note=expense.note,
        )
