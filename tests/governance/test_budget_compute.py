"""budget_compute: the derived figures on in-memory rows (no database), exact decimals.

Today is Sunday 15 March 2026 in every test: the horizon is March 2027 (12 months after the
current one), "tomorrow" is 16 March, and March has 31 days.
"""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from governance.demo_budget import plan
from governance.models import Expense, Funding, StaffingLine
from governance.services.budget import (
    BudgetSummary,
    budget_compute,
    euros_text,
    occurrences,
    runway_sentence,
    staffing_cost,
)
from intrapreneur.dates import month_first

TODAY = datetime.date(2026, 3, 15)
D = Decimal


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def funding(amount, starts_on, source="incubator", **kwargs) -> Funding:
    return Funding(amount=D(amount), starts_on=day(starts_on), source=source, **kwargs)


def expense(amount, date, *, monthly=False, ends_on=None, category="hosting") -> Expense:
    return Expense(
        amount=D(amount), date=day(date), category=category,
        recurrence="monthly" if monthly else "once",
        ends_on=day(ends_on) if ends_on else None,
    )


def line(days, rate, starts_on, ends_on=None) -> StaffingLine:
    return StaffingLine(
        person="Développeuse", days_per_month=D(days), daily_rate=D(rate),
        starts_on=day(starts_on), ends_on=day(ends_on) if ends_on else None,
    )


def compute(fundings=(), expenses=(), staffing=(), today=TODAY) -> BudgetSummary:
    return budget_compute(
        fundings=list(fundings), expenses=list(expenses), staffing=list(staffing), today=today
    )


def by_month(summary: BudgetSummary) -> dict[str, tuple[Decimal, Decimal, Decimal, Decimal]]:
    """"2026-03" -> (funded, spent, forecast, balance)."""
    return {
        m.month.strftime("%Y-%m"): (m.funded, m.spent, m.forecast, m.balance)
        for m in summary.months
    }


def balances(summary: BudgetSummary) -> dict[str, Decimal]:
    return {m.month.strftime("%Y-%m"): m.balance for m in summary.months}


# ---------------------------------------------------------------- nothing, no expense


def test_a_startup_with_nothing():
    summary = compute()

    assert not summary.has_data
    assert (summary.granted, summary.available, summary.spent) == (D(0), D(0), D(0))
    assert (summary.committed, summary.remaining, summary.monthly_burn) == (D(0), D(0), D(0))
    assert summary.runway_month is None
    assert not summary.exhausted
    assert summary.horizon == day("2027-03-01")
    # The months of the forecast, from the current one to the horizon, all empty.
    assert [m.month for m in summary.months][0] == day("2026-03-01")
    assert len(summary.months) == 13
    assert all(m.cost == 0 and m.balance == 0 for m in summary.months)


def test_no_expense_at_all_and_no_plan_keeps_the_money():
    summary = compute(fundings=[funding("100000.00", "2026-01-01")])

    assert summary.granted == summary.available == D("100000.00")
    assert summary.spent == summary.committed == D("0.00")
    assert summary.remaining == D("100000.00")
    assert summary.runway_month is None
    assert set(balances(summary).values()) == {D("100000.00")}
    assert summary.months[0].month == day("2026-01-01")
    assert summary.months[0].is_forecast is False
    assert summary.months[-1].is_forecast is True


def test_no_expense_but_an_open_ended_contract_runs_the_money_out():
    # 20 days × 500 € = 10 000 € a month, open-ended: counted up to the horizon.
    summary = compute(
        fundings=[funding("100000.00", "2026-01-01")],
        staffing=[line("20", "500.00", "2026-01-01")],
    )

    # The plan never counts before tomorrow: nothing was recorded as spent.
    assert summary.spent == D("0.00")
    # 16 → 31 March: 16/31 of a month (5 161,29 €), then 12 whole months to March 2027.
    assert summary.committed == D("5161.29") + 12 * D("10000.00")
    assert summary.remaining == D("100000.00") - D("125161.29")
    assert summary.overspent
    assert summary.monthly_burn == D("10000.00")
    months = by_month(summary)
    assert months["2026-01"] == (D("100000.00"), D("0.00"), D("0.00"), D("100000.00"))
    assert months["2026-02"] == (D("0.00"), D("0.00"), D("0.00"), D("100000.00"))
    assert months["2026-03"] == (D("0.00"), D("0.00"), D("5161.29"), D("94838.71"))
    assert months["2026-12"][3] == D("4838.71")
    assert months["2027-01"][3] == D("-5161.29")
    assert summary.runway_month == day("2027-01-01")
    assert not summary.exhausted
    # Open-ended: the forecast stops at the horizon, March 2027.
    assert list(months)[-1] == "2027-03"
    assert months["2027-03"][2] == D("10000.00")


# ---------------------------------------------------------------- exhausted


def test_money_already_exhausted():
    summary = compute(
        fundings=[funding("10000.00", "2026-01-01")],
        expenses=[expense("6000.00", "2026-01-20"), expense("5000.00", "2026-02-10")],
    )

    assert summary.spent == D("11000.00")
    assert summary.cash == D("-1000.00")
    assert summary.remaining == D("-1000.00")
    assert balances(summary)["2026-01"] == D("4000.00")
    assert balances(summary)["2026-02"] == D("-1000.00")
    # The current month is the first, from today, below zero: the money is gone.
    assert summary.runway_month == day("2026-03-01")
    assert summary.exhausted
    assert runway_sentence(summary) == translation.gettext("The money is spent.")


def test_a_dip_in_the_past_refilled_since_is_not_a_runway():
    summary = compute(
        fundings=[funding("10000.00", "2026-01-01"), funding("20000.00", "2026-02-01")],
        expenses=[expense("12000.00", "2026-01-20")],
    )

    assert balances(summary)["2026-01"] == D("-2000.00")
    assert balances(summary)["2026-02"] == D("18000.00")
    assert summary.months[0].is_negative
    assert summary.runway_month is None
    assert not summary.exhausted


def test_without_funding_the_costs_are_not_covered():
    summary = compute(staffing=[line("10", "400.00", "2026-03-01", "2026-06-30")])

    assert summary.granted == D("0")
    assert summary.runway_month == day("2026-03-01")
    assert runway_sentence(summary) == translation.gettext(
        "No funding is recorded: nothing pays for the costs."
    )


# ---------------------------------------------------------------- a tranche to come


def plan_with_tranche(second_tranche_on: str) -> BudgetSummary:
    return compute(
        fundings=[
            funding("30000.00", "2026-01-01", tranche="Tranche 1"),
            funding("30000.00", second_tranche_on, tranche="Tranche 2"),
        ],
        # The invoices of January and February: the past is what was paid.
        expenses=[
            expense("10000.00", "2026-01-31", category="team"),
            expense("10000.00", "2026-02-28", category="team"),
        ],
        staffing=[line("20", "500.00", "2026-01-01", "2026-12-31")],
    )


def test_a_tranche_to_come_is_granted_but_not_available_and_the_money_runs_out_before_it():
    summary = plan_with_tranche("2026-07-01")

    assert summary.granted == D("60000.00")
    assert summary.available == D("30000.00")
    assert summary.spent == D("20000.00")
    # 16/31 of March, then April to December.
    assert summary.committed == D("5161.29") + 9 * D("10000.00")
    assert summary.remaining == D("60000.00") - D("20000.00") - D("95161.29")
    months = by_month(summary)
    assert months["2026-01"] == (D("30000.00"), D("10000.00"), D("0.00"), D("20000.00"))
    assert months["2026-03"] == (D("0.00"), D("0.00"), D("5161.29"), D("4838.71"))
    # The balance dips in April, three months before the tranche arrives in July.
    assert months["2026-04"][3] == D("-5161.29")
    assert months["2026-07"] == (D("30000.00"), D("0.00"), D("10000.00"), D("-5161.29"))
    assert summary.runway_month == day("2026-04-01")
    assert not summary.exhausted
    # The contract ends in December: nothing is forecast after it.
    assert months["2027-01"][2] == D("0.00")


def test_a_tranche_arriving_in_time_pushes_the_runway_back():
    summary = plan_with_tranche("2026-04-01")

    assert balances(summary)["2026-04"] == D("24838.71")
    assert balances(summary)["2026-06"] == D("4838.71")
    assert summary.runway_month == day("2026-07-01")


def test_a_tranche_starting_later_this_month_counts_in_this_month_but_is_not_available():
    summary = compute(
        fundings=[funding("5000.00", "2026-03-20")],
        expenses=[expense("1000.00", "2026-03-02")],
    )

    assert summary.available == D("0")
    assert summary.cash == D("-1000.00")
    assert summary.exhausted
    assert balances(summary)["2026-03"] == D("4000.00")
    assert summary.runway_month is None


# ---------------------------------------------------------------- prorated contracts


def test_a_contract_ending_mid_month_is_prorated():
    # 20 days × 600 € = 12 000 € a month, until 10 April.
    summary = compute(
        fundings=[funding("50000.00", "2026-01-01")],
        staffing=[line("20", "600.00", "2026-01-01", "2026-04-10")],
    )

    months = by_month(summary)
    assert months["2026-03"][2] == D("6193.55")  # 16/31 × 12 000 = 6 193,548…
    assert months["2026-04"][2] == D("4000.00")  # 10/30 × 12 000
    assert months["2026-05"][2] == D("0.00")
    assert summary.committed == D("10193.55")
    assert summary.monthly_burn == D("4000.00")
    assert summary.remaining == D("39806.45")


def test_a_contract_starting_mid_month_is_prorated():
    summary = compute(staffing=[line("10", "450.00", "2026-06-16", "2026-08-31")])

    months = by_month(summary)
    assert months["2026-05"][2] == D("0.00")
    assert months["2026-06"][2] == D("2250.00")  # 15/30 × 4 500
    assert months["2026-07"][2] == D("4500.00")
    assert summary.committed == D("11250.00")


def test_prorating_rounds_each_month_to_the_cent_half_up():
    one_day = line("1", "100.00", "2026-01-01", "2026-04-01")
    # 1/30 of 100 € = 3,333… → 3,33; a 2-decimal rate × 1 decimal a month stays exact.
    assert staffing_cost(
        one_day, day("2026-04-01"), day("2026-04-30"), bound=day("2027-03-31")
    ) == D("3.33")
    half = line("0.5", "33.33", "2026-01-01")
    # 0,5 × 33,33 = 16,665 → 16,67 a whole month.
    assert staffing_cost(
        half, day("2026-05-01"), day("2026-06-30"), bound=day("2027-03-31")
    ) == D("33.34")


def test_a_contract_with_an_end_beyond_the_horizon_is_committed_to_its_end():
    summary = compute(staffing=[line("10", "500.00", "2026-04-01", "2027-06-30")])

    # April 2026 → June 2027: 15 months, of which 12 (April → March) in the table.
    assert summary.committed == 15 * D("5000.00")
    assert sum(m.forecast for m in summary.months) == 12 * D("5000.00")


# ---------------------------------------------------------------- recurring costs


def test_a_monthly_cost_repeats_on_its_day_until_the_horizon():
    # The 31st: the last day of the shorter months.
    hosting = expense("300.00", "2026-01-31", monthly=True)
    summary = compute(fundings=[funding("10000.00", "2026-01-01")], expenses=[hosting])

    assert summary.spent == D("600.00")  # 31 January, 28 February
    # 31 March (after today) → 31 March 2027: 13 occurrences.
    assert summary.committed == 13 * D("300.00")
    months = by_month(summary)
    assert months["2026-02"] == (D("0.00"), D("300.00"), D("0.00"), D("9400.00"))
    assert months["2026-03"] == (D("0.00"), D("0.00"), D("300.00"), D("9100.00"))
    assert summary.monthly_burn == D("300.00")
    assert summary.spent_by_category == {"hosting": D("600.00")}


def test_a_monthly_cost_with_an_end_stops_on_it():
    tools = expense("120.00", "2026-01-31", monthly=True, ends_on="2026-06-15")
    summary = compute(expenses=[tools])

    # 31 March, 30 April, 31 May: 30 June is after the end.
    assert summary.committed == 3 * D("120.00")
    assert by_month(summary)["2026-06"][2] == D("0.00")


def test_an_occurrence_on_today_is_spent_not_forecast():
    licence = expense("100.00", "2026-01-15", monthly=True, ends_on="2026-05-15")
    summary = compute(expenses=[licence])

    assert summary.spent == D("300.00")  # 15 January, 15 February, 15 March
    assert summary.committed == D("200.00")  # 15 April, 15 May
    assert by_month(summary)["2026-03"][1:3] == (D("100.00"), D("0.00"))


def test_occurrences_counts_the_months_between_two_days():
    hosting = expense("1.00", "2025-10-31", monthly=True)
    bound = day("2027-03-31")
    assert occurrences(hosting, day("2025-01-01"), day("2026-03-15"), bound=bound) == 5
    assert occurrences(hosting, day("2026-02-28"), day("2026-02-28"), bound=bound) == 1
    assert occurrences(hosting, day("2026-03-16"), datetime.date.max, bound=bound) == 13
    once = expense("1.00", "2026-05-10")
    assert occurrences(once, day("2026-03-16"), day("2026-05-10"), bound=bound) == 1
    assert occurrences(once, day("2026-05-11"), day("2026-06-10"), bound=bound) == 0


def test_one_off_expenses_after_today_are_committed_in_their_month():
    summary = compute(
        expenses=[
            expense("2000.00", "2026-05-10", category="design"),
            expense("800.00", "2026-03-20", category="communication"),
            expense("500.00", "2028-01-01", category="other"),  # beyond the horizon
        ]
    )

    assert summary.spent == D("0")
    assert summary.committed == D("3300.00")
    months = by_month(summary)
    assert months["2026-03"][2] == D("800.00")
    assert months["2026-05"][2] == D("2000.00")
    assert sum(m.forecast for m in summary.months) == D("2800.00")


# ---------------------------------------------------------------- consistency


def test_the_months_add_up_to_the_figures():
    summary = compute(
        fundings=[
            funding("80000.00", "2025-11-01", source="incubator"),
            funding("40000.00", "2026-09-01", source="fast"),
        ],
        expenses=[
            expense("350.00", "2025-11-05", monthly=True),
            expense("4200.00", "2026-02-12", category="design"),
            expense("9000.00", "2026-02-27", category="team"),
            expense("1500.00", "2026-04-02", category="communication"),
        ],
        staffing=[
            line("18", "620.00", "2025-11-01", "2026-07-15"),
            line("8", "550.00", "2026-01-05"),
        ],
    )

    assert sum(m.spent for m in summary.months) == summary.spent
    assert sum(m.forecast for m in summary.months) == summary.committed
    assert sum(m.funded for m in summary.months) == summary.granted
    assert summary.months[-1].balance == summary.remaining
    assert summary.spent_by_category == {
        "hosting": 5 * D("350.00"), "design": D("4200.00"), "team": D("9000.00"),
    }
    assert summary.granted_by_source == {"incubator": D("80000.00"), "fast": D("40000.00")}
    assert summary.past_months(3)[-1].month == day("2026-03-01")
    assert [m.month.month for m in summary.past_months(3)] == [1, 2, 3]


def test_the_summary_as_json_for_snapshots():
    data = plan_with_tranche("2026-07-01").as_json()

    assert data["granted"] == "60000.00"
    assert data["runway_month"] == "2026-04-01"
    assert data["months"][0] == {
        "month": "2026-01-01", "funded": "30000.00", "spent": "10000.00", "forecast": "0.00",
        "balance": "20000.00", "is_forecast": False,
    }


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("12345.67", "12\u00a0345,67\u00a0€"),
        ("0", "0,00\u00a0€"),
        ("1000000", "1\u00a0000\u00a0000,00\u00a0€"),
        ("-5161.29", "-5\u00a0161,29\u00a0€"),
        ("999.995", "1\u00a0000,00\u00a0€"),
    ],
)
def test_euros_text(amount, text):
    assert euros_text(D(amount)) == text


# ---------------------------------------------------------------- the demo's budget


@pytest.mark.parametrize(
    "today", [datetime.date(2026, 1, 1), datetime.date(2026, 3, 15), datetime.date(2026, 8, 31),
              datetime.date(2027, 2, 28)],
)
def test_the_demo_money_runs_out_in_three_months_before_the_second_tranche(today):
    demo = plan(today)
    summary = compute(demo.fundings, demo.expenses, demo.staffing, today=today)

    current = today.replace(day=1)
    assert summary.runway_month == month_first(current, 3)
    second_tranche = next(f for f in demo.fundings if f.tranche == "Tranche 2")
    assert summary.runway_month < second_tranche.starts_on
    assert summary.available < summary.granted
    assert not summary.exhausted
    assert len(demo.staffing) == 5
    ended = [line for line in demo.staffing if line.ends_on and line.ends_on < today]
    assert [line.ends_on.day for line in ended] == [15]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("1234.5"), "1\u00a0234,50\u00a0€"),
        (250, "250,00\u00a0€"),
        ("99.99", "99,99\u00a0€"),
        (None, ""),
        ("", ""),
        ("douze", ""),
    ],
)
def test_the_euros_template_filter(value, text):
    rendered = Template("{% load governance %}{{ value|euros }}").render(Context({"value": value}))
    assert rendered == text


def test_a_runway_ending_this_month_is_not_money_already_spent():
    """Money still at hand that runs out before the month ends: "this month", not spent."""
    summary = compute(
        fundings=[funding("1000.00", "2026-01-01")],
        expenses=[expense("400.00", "2026-03-02")],
        staffing=[line("10", "200.00", "2026-01-01")],
    )

    assert summary.cash == D("600.00")
    assert summary.runway_month == day("2026-03-01")
    assert not summary.exhausted
    assert runway_sentence(summary) == translation.gettext(
        "The money runs out this month (%(month)s)."
    ) % {"month": "mars 2026"}
