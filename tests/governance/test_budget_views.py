"""The budget pages as their readers see them: figures, chart and tables, fundings, expenses
and the staffing plan written by the intrapreneur only, the expenses' list and the exports."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from governance import demo_budget
from governance.models import Expense, Funding, StaffingLine
from governance.services import budget as services
from intrapreneur.models import Activity
from tests.governance.factories import ExpenseFactory, FundingFactory, StaffingLineFactory
from tests.intrapreneur.factories import StartupFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
READERS = ["sponsor", "coach", "team", "intrapreneur", "staff"]
REFUSED = ["sponsor", "coach", "team", "staff"]


def url(name, startup, **kwargs):
    return reverse(f"governance:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def euros(text: str) -> str:
    return text.replace(" ", NBSP) + f"{NBSP}€"


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def budget(world):
    """Figures that do not depend on the day of the month: 100 000 € available, a tranche
    of 50 000 € beyond the horizon, 2 500 € spent, 1 000 € committed (a one-off expense in
    ten days), a contract over."""
    startup = world.startup
    available = FundingFactory(
        startup=startup, amount=Decimal("100000.00"), starts_on=days(-200), ends_on=None,
        tranche="Tranche 1", source="incubator",
    )
    later = FundingFactory(
        startup=startup, amount=Decimal("50000.00"), starts_on=days(500), ends_on=None,
        tranche="Tranche 2", source="fast",
    )
    paid = ExpenseFactory(
        startup=startup, date=days(-3), amount=Decimal("2500.00"), category="design",
        supplier="Atelier Typo", note="Maquettes du formulaire",
    )
    planned = ExpenseFactory(
        startup=startup, date=days(10), amount=Decimal("1000.00"), category="communication",
        supplier="Imprimerie du Centre",
    )
    over = StaffingLineFactory(
        startup=startup, person="Designer", days_per_month=Decimal("10.0"),
        daily_rate=Decimal("550.00"), starts_on=days(-300), ends_on=days(-100),
    )
    return {"fundings": [available, later], "expenses": [paid, planned], "line": over}


# ---------------------------------------------------------------- the budget page


@pytest.mark.parametrize("role", READERS)
def test_every_reader_sees_the_figures(world, budget, role):
    response = world.client_for(role).get(url("budget", world.startup))

    assert response.status_code == 200
    page = soup(response)
    figures = {
        li["data-figure"]: li["data-value"] for li in page.select("#budget-figures [data-figure]")
    }
    assert figures == {
        "granted": "150000.00", "available": "100000.00", "spent": "2500.00",
        "committed": "1000.00", "remaining": "146500.00",
        # The one-off expense in ten days falls this month or the next one.
        "monthly_burn": "1000.00" if days(10).month != timezone.localdate().month else "0.00",
    }
    assertContains(response, euros("150 000,00"))
    # The tranche comes after the horizon: the money lasts beyond it.
    assert page.select_one("#budget-runway")["data-runway"] == "beyond"
    assert page.select_one("#budget-chart-figure svg[role=img] title").string
    assert page.select("#budget-months tbody tr")
    assert len(page.select("#funding-table tbody tr")) == 2
    assert page.select_one(f"#staffing-{budget['line'].pk}")["data-monthly-cost"] == "5500.00"
    assert len(page.select("#expenses .expense-table tbody tr")) == 2
    assertContains(response, "Atelier Typo")
    # Only the intrapreneur gets the writing buttons.
    writes = page.select(f'a[href="{url("funding-create", world.startup)}"]')
    edit_links = page.select("a[href*='/edit/']")
    if role == "intrapreneur":
        assert writes and edit_links
    else:
        assert not writes and not edit_links


def test_the_runway_month_is_said_when_the_money_runs_out(world):
    startup = world.startup
    FundingFactory(startup=startup, amount=Decimal("1000.00"), starts_on=days(-30), ends_on=None)
    StaffingLineFactory(
        startup=startup, days_per_month=Decimal("20.0"), daily_rate=Decimal("500.00"),
        starts_on=days(-30), ends_on=None,
    )
    response = world.client_for("sponsor").get(url("budget", startup))

    runway = soup(response).select_one("#budget-runway")
    # 10 000 € a month against 1 000 €: this month or the next one at the latest.
    this_month = timezone.localdate().replace(day=1)
    next_month = (this_month + datetime.timedelta(days=32)).replace(day=1)
    assert runway["data-runway"] in (this_month.strftime("%Y-%m"), next_month.strftime("%Y-%m"))
    assert "fr-alert--warning" in runway["class"] or "fr-alert--error" in runway["class"]


def test_the_money_already_spent_is_an_error(world):
    startup = world.startup
    FundingFactory(startup=startup, amount=Decimal("1000.00"), starts_on=days(-60), ends_on=None)
    ExpenseFactory(startup=startup, date=days(-5), amount=Decimal("1500.00"))
    response = world.client_for("coach").get(url("budget", startup))

    runway = soup(response).select_one("#budget-runway")
    assert "fr-alert--error" in runway["class"]
    assert soup(response).select_one('[data-figure="remaining"]')["data-value"] == "-500.00"
    assert soup(response).select_one("#budget-overspent") is not None


def test_an_empty_budget_says_what_to_record(world):
    response = world.client_for("intrapreneur").get(url("budget", world.startup))

    page = soup(response)
    assert page.select_one("#budget-runway")["data-runway"] == "none"
    assert page.select_one("#budget-figures") is None
    for empty in ("#fundings-empty", "#staffing-empty", "#expenses-empty"):
        assert page.select_one(empty) is not None


def test_outsiders_get_404_and_anonymous_people_the_login(world, budget):
    assert world.client_for("outsider").get(url("budget", world.startup)).status_code == 404
    response = world.client_for("anonymous").get(url("budget", world.startup))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_budget_export_gives_the_monthly_table(world, budget):
    response = world.client_for("sponsor").get(url("budget-export", world.startup))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert len(header) == 6
    months = [row[0] for row in body]
    assert months[0] == days(-200).strftime("%Y-%m")
    assert timezone.localdate().strftime("%Y-%m") in months
    funded = {row[0]: row[1] for row in body}
    assert funded[days(-200).strftime("%Y-%m")] == "100000.00"
    # Decimals with a dot; the last balance is granted within the horizon − spent − forecast.
    assert body[-1][4] == "96500.00"


# ---------------------------------------------------------------- writes: who may


def write_urls(world, budget):
    startup = world.startup
    funding, expense, line = budget["fundings"][0], budget["expenses"][0], budget["line"]
    return [
        url("funding-create", startup),
        url("funding-edit", startup, pk=funding.pk),
        url("funding-delete", startup, pk=funding.pk),
        url("expense-create", startup),
        url("expense-import", startup),
        url("expense-edit", startup, pk=expense.pk),
        url("expense-delete", startup, pk=expense.pk),
        url("staffing-create", startup),
        url("staffing-edit", startup, pk=line.pk),
        url("staffing-delete", startup, pk=line.pk),
    ]


@pytest.mark.parametrize("role", REFUSED)
def test_only_the_intrapreneur_writes_the_budget(world, budget, role):
    client = world.client_for(role)
    for path in write_urls(world, budget):
        assert client.get(path).status_code == 403, path
        assert client.post(path, {"amount": "1", "person": "X"}).status_code == 403, path
    assert Funding.objects.count() == 2
    assert Expense.objects.count() == 2
    assert StaffingLine.objects.count() == 1


def test_outsiders_get_404_on_every_write(world, budget):
    client = world.client_for("outsider")
    for path in write_urls(world, budget):
        assert client.get(path).status_code == 404, path
        assert client.post(path).status_code == 404, path


def test_the_intrapreneur_opens_every_write_form(world, budget):
    client = world.client_for("intrapreneur")
    for path in write_urls(world, budget):
        response = client.get(path)
        assert response.status_code == 200, path
        assert len(soup(response).find_all("h1")) == 1


def test_another_startups_rows_are_404(world):
    other = StartupFactory()
    funding = FundingFactory(startup=other)
    expense = ExpenseFactory(startup=other)
    line = StaffingLineFactory(startup=other)
    client = world.client_for("intrapreneur")
    startup = world.startup
    for path in (
        url("funding-edit", startup, pk=funding.pk),
        url("funding-delete", startup, pk=funding.pk),
        url("expense-edit", startup, pk=expense.pk),
        url("expense-delete", startup, pk=expense.pk),
        url("staffing-edit", startup, pk=line.pk),
        url("staffing-delete", startup, pk=line.pk),
    ):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    assert (Funding.objects.count(), Expense.objects.count(), StaffingLine.objects.count()) == (
        1, 1, 1,
    )


# ---------------------------------------------------------------- fundings


def test_record_edit_and_delete_a_funding(world):
    client = world.client_for("intrapreneur")
    startup = world.startup
    response = client.post(
        url("funding-create", startup),
        {
            "source": "fast", "amount": "45 000,50", "starts_on": "2026-04-01",
            "ends_on": "2026-12-31", "tranche": "  Tranche   unique ", "reference": "FAST-12",
            "note": "Fonds d'accélération",
        },
    )

    assertRedirects(response, url("budget", startup) + "#fundings", fetch_redirect_response=False)
    funding = Funding.objects.get()
    assert (funding.startup, funding.source, funding.amount) == (
        startup, "fast", Decimal("45000.50")
    )
    assert funding.tranche == "Tranche unique"
    assert Activity.objects.filter(verb="funding.created", startup=startup).exists()

    edit = url("funding-edit", startup, pk=funding.pk)
    form = soup(client.get(edit)).select_one("#id_amount")
    assert form["value"] == "45 000,50"
    response = client.post(
        edit, {"source": "fast", "amount": "46000", "starts_on": "2026-04-01"}
    )
    assertRedirects(response, url("budget", startup) + "#fundings", fetch_redirect_response=False)
    funding.refresh_from_db()
    assert (funding.amount, funding.ends_on) == (Decimal("46000.00"), None)

    delete = url("funding-delete", startup, pk=funding.pk)
    assert client.get(delete).status_code == 200
    assert Funding.objects.exists()
    assertRedirects(client.post(delete), url("budget", startup) + "#fundings",
                    fetch_redirect_response=False)
    assert not Funding.objects.exists()
    assert Activity.objects.filter(verb="funding.deleted").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": "-100"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "douze"}, "amount"),
        ({"amount": "10,555"}, "amount"),
        ({"starts_on": "2026-06-01", "ends_on": "2026-05-31"}, "ends_on"),
        ({"source": "banque"}, "source"),
    ],
)
def test_funding_form_errors_keep_what_was_typed(world, data, field):
    typed = {"source": "incubator", "amount": "1 000", "starts_on": "2026-01-01", **data}
    response = world.client_for("intrapreneur").post(url("funding-create", world.startup), typed)

    assert response.status_code == 200
    assert soup(response).select_one(f"#id_{field}-desc-error") is not None
    if field == "amount":
        assert soup(response).select_one("#id_amount")["value"] == data["amount"]
    assert not Funding.objects.exists()


# ---------------------------------------------------------------- expenses


def test_record_a_monthly_expense_the_french_way(world):
    client = world.client_for("intrapreneur")
    startup = world.startup
    response = client.post(
        url("expense-create", startup),
        {
            "date": "2026-01-31", "category": "hosting", "supplier": "Scalingo",
            "amount": "1 234,56", "recurrence": "monthly", "ends_on": "2026-12-31",
            "note": "Hébergement de production",
        },
    )

    assertRedirects(response, url("expense-list", startup), fetch_redirect_response=False)
    expense = Expense.objects.get()
    assert (expense.amount, expense.recurrence, expense.ends_on) == (
        Decimal("1234.56"), "monthly", datetime.date(2026, 12, 31)
    )
    assert Activity.objects.filter(verb="expense.created", startup=startup).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": "-12,50"}, "amount"),
        ({"amount": ""}, "amount"),
        ({"recurrence": "monthly", "ends_on": "2026-01-30"}, "ends_on"),
        ({"recurrence": "once", "ends_on": "2026-06-30"}, "ends_on"),
        ({"category": "cadeaux"}, "category"),
    ],
)
def test_expense_form_errors(world, data, field):
    typed = {
        "date": "2026-01-31", "category": "tools", "amount": "50", "recurrence": "once",
        **data,
    }
    response = world.client_for("intrapreneur").post(url("expense-create", world.startup), typed)

    assert response.status_code == 200
    assert soup(response).select_one(f"#id_{field}-desc-error") is not None
    assert not Expense.objects.exists()


def test_edit_and_delete_an_expense(world, budget):
    client = world.client_for("intrapreneur")
    startup = world.startup
    expense = budget["expenses"][0]
    edit = url("expense-edit", startup, pk=expense.pk)
    assert soup(client.get(edit)).select_one("#id_amount")["value"] == "2 500,00"
    response = client.post(
        edit,
        {"date": expense.date.isoformat(), "category": "design", "supplier": "Atelier Typo",
         "amount": "2600", "recurrence": "once"},
    )
    assertRedirects(response, url("expense-list", startup), fetch_redirect_response=False)
    expense.refresh_from_db()
    assert expense.amount == Decimal("2600.00")

    delete = url("expense-delete", startup, pk=expense.pk)
    assertContains(client.get(delete), "Atelier Typo")
    client.post(delete)
    assert not Expense.objects.filter(pk=expense.pk).exists()
    assert Activity.objects.filter(verb="expense.deleted").exists()


# ---------------------------------------------------------------- the staffing plan


def test_add_edit_and_remove_a_staffing_line(world):
    client = world.client_for("intrapreneur")
    startup = world.startup
    response = client.post(
        url("staffing-create", startup),
        {"person": "Chargée de déploiement", "days_per_month": "8,5", "daily_rate": "480",
         "starts_on": "2026-02-01", "ends_on": ""},
    )
    assertRedirects(response, url("budget", startup) + "#staffing", fetch_redirect_response=False)
    line = StaffingLine.objects.get()
    assert (line.days_per_month, line.daily_rate, line.ends_on) == (
        Decimal("8.5"), Decimal("480.00"), None
    )
    page = soup(client.get(url("budget", startup)))
    assert page.select_one(f"#staffing-{line.pk}")["data-monthly-cost"] == "4080.00"

    edit = url("staffing-edit", startup, pk=line.pk)
    assert soup(client.get(edit)).select_one("#id_days_per_month")["value"] == "8,5"
    client.post(edit, {"person": "Chargée de déploiement", "days_per_month": "10",
                       "daily_rate": "0", "starts_on": "2026-02-01", "ends_on": "2026-07-15"})
    line.refresh_from_db()
    assert (line.days_per_month, line.daily_rate, line.ends_on) == (
        Decimal("10.0"), Decimal("0.00"), datetime.date(2026, 7, 15)
    )
    client.post(url("staffing-delete", startup, pk=line.pk))
    assert not StaffingLine.objects.exists()
    assert [a.verb for a in Activity.objects.filter(startup=startup).order_by("pk")][-3:] == [
        "staffing.created", "staffing.updated", "staffing.deleted",
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"days_per_month": "32"}, "days_per_month"),
        ({"days_per_month": "-2"}, "days_per_month"),
        ({"days_per_month": "0"}, "days_per_month"),
        ({"daily_rate": "-500"}, "daily_rate"),
        ({"starts_on": "2026-06-01", "ends_on": "2026-05-01"}, "ends_on"),
        ({"person": ""}, "person"),
    ],
)
def test_staffing_form_errors(world, data, field):
    typed = {"person": "Développeur", "days_per_month": "18", "daily_rate": "600",
             "starts_on": "2026-01-01", **data}
    response = world.client_for("intrapreneur").post(url("staffing-create", world.startup), typed)

    assert response.status_code == 200
    assert soup(response).select_one(f"#id_{field}-desc-error") is not None
    assert not StaffingLine.objects.exists()


# ---------------------------------------------------------------- the expenses' list


@pytest.fixture
def expenses(world):
    startup = world.startup
    rows = [
        ExpenseFactory(startup=startup, date=datetime.date(2026, 1, 10), category="hosting",
                       supplier="Scalingo", amount=Decimal("300.00"), recurrence="monthly"),
        ExpenseFactory(startup=startup, date=datetime.date(2026, 2, 3), category="design",
                       supplier="Atelier Typo", amount=Decimal("4200.00"),
                       note="Refonte du parcours"),
        ExpenseFactory(startup=startup, date=datetime.date(2026, 2, 20), category="tools",
                       supplier="=HYPERLINK(\"http://x\")", amount=Decimal("49.90")),
        ExpenseFactory(startup=startup, date=datetime.date(2026, 3, 1), category="design",
                       supplier="Studio Nord", amount=Decimal("1800.00")),
    ]
    ExpenseFactory(startup=StartupFactory(), supplier="Ailleurs", amount=Decimal("9.99"))
    return rows


def row_ids(response) -> list[int]:
    return [int(tr["id"].removeprefix("expense-"))
            for tr in soup(response).select(".expense-table tbody tr")]


def test_the_list_filters_sorts_and_totals(world, expenses):
    client = world.client_for("sponsor")
    path = url("expense-list", world.startup)
    hosting, design, tools, studio = expenses

    response = client.get(path)
    assert row_ids(response) == [studio.pk, tools.pk, design.pk, hosting.pk]
    assert soup(response).select_one("#expense-totals")["data-total"] == "6349.90"
    assertNotContains(response, "Ailleurs")

    response = client.get(path, {"category": "design"})
    assert row_ids(response) == [studio.pk, design.pk]
    assert soup(response).select_one("#expense-totals")["data-total"] == "6000.00"

    response = client.get(path, {"date_from": "2026-02-01", "date_to": "2026-02-28",
                                 "sort": "amount"})
    assert row_ids(response) == [design.pk, tools.pk]
    response = client.get(path, {"sort": "-amount"})
    assert row_ids(response) == [tools.pk, hosting.pk, studio.pk, design.pk]

    response = client.get(path, {"q": "refonte"}, headers={"HX-Request": "true"})
    assert row_ids(response) == [design.pk]
    assert "<h1" not in response.content.decode()  # the results part only
    assert "HX-Request" in response["Vary"]

    response = client.get(path, {"q": "introuvable"})
    assert row_ids(response) == []
    assert soup(response).select_one(".fr-callout") is not None


def test_the_list_shows_the_writing_links_to_the_intrapreneur_only(world, expenses):
    path = url("expense-list", world.startup)
    import_link = f'href="{url("expense-import", world.startup)}"'
    assertContains(world.client_for("intrapreneur").get(path), import_link)
    assertNotContains(world.client_for("team").get(path), import_link)
    assert world.client_for("outsider").get(path).status_code == 404


def test_the_export_follows_the_filters_and_is_formula_safe(world, expenses):
    client = world.client_for("coach")
    response = client.get(url("expense-export", world.startup), {"category": "tools"})

    rows = read_csv(response)
    assert len(rows) == 2
    assert rows[1][0] == "2026-02-20"
    assert rows[1][2] == "'=HYPERLINK(\"http://x\")"
    assert rows[1][3] == "49.90"

    rows = read_csv(client.get(url("expense-export", world.startup)))
    assert [row[3] for row in rows[1:]] == ["1800.00", "49.90", "4200.00", "300.00"]
    # The list's export link carries its filters.
    page = soup(client.get(url("expense-list", world.startup), {"category": "design"}))
    assert page.select_one("#expense-export-link")["href"].endswith("?category=design")


# ---------------------------------------------------------------- the demo


def test_the_demo_budget_is_recorded_through_the_services(world):
    demo_budget.seed(startup=world.startup, people={"intrapreneur": world.people["intrapreneur"]})

    assert Funding.objects.for_startup(world.startup).count() == 3
    assert StaffingLine.objects.for_startup(world.startup).count() == 5
    assert Expense.objects.for_startup(world.startup).filter(recurrence="monthly").count() == 3
    assert Activity.objects.filter(startup=world.startup, verb="expense.created").count() == (
        Expense.objects.for_startup(world.startup).count()
    )
    # No supplier is a private person: companies and organisations only.
    suppliers = set(Expense.objects.values_list("supplier", flat=True))
    assert "Scalingo" in suppliers and "Studio Accès" in suppliers
    page = soup(world.client_for("sponsor").get(url("budget", world.startup)))
    runway = page.select_one("#budget-runway")
    assert "fr-alert--warning" in runway["class"]
    this_month = timezone.localdate().replace(day=1)
    in_three_months = this_month
    for _i in range(3):
        in_three_months = (in_three_months + datetime.timedelta(days=32)).replace(day=1)
    assert runway["data-runway"] == in_three_months.strftime("%Y-%m")


# ---------------------------------------------------------------- empty POSTs


@pytest.mark.parametrize(
    ("name", "with_pk", "status"),
    [
        ("budget", None, 405),
        ("budget-export", None, 405),
        ("expense-list", None, 405),
        ("expense-export", None, 405),
        ("funding-create", None, 200),
        ("expense-create", None, 200),
        ("staffing-create", None, 200),
        ("expense-import", None, 200),
        ("funding-edit", "funding", 200),
        ("expense-edit", "expense", 200),
        ("staffing-edit", "line", 200),
        ("funding-delete", "funding", 302),
        ("expense-delete", "expense", 302),
        ("staffing-delete", "line", 302),
    ],
)
def test_an_empty_post_writes_nothing_but_a_deletion(world, budget, name, with_pk,
                                                                  status):
    objects = {
        "funding": budget["fundings"][0], "expense": budget["expenses"][0], "line": budget["line"],
    }
    kwargs = {"pk": objects[with_pk].pk} if with_pk else {}
    response = world.client_for("intrapreneur").post(url(name, world.startup, **kwargs))

    assert response.status_code == status
    if with_pk and status == 302:
        assert not type(objects[with_pk]).objects.filter(pk=objects[with_pk].pk).exists()
    else:
        # Nothing is written: an empty form is shown again (an unbound form, as a GET).
        assert (Funding.objects.count(), Expense.objects.count(), StaffingLine.objects.count()) \
            == (2, 2, 1)


def test_the_services_refuse_what_the_forms_refuse(world):
    startup, actor = world.startup, world.people["intrapreneur"]
    with pytest.raises(ValidationError):
        services.funding_create(startup=startup, actor=actor, source="fast",
                                amount=Decimal("-1"), starts_on=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.funding_create(startup=startup, actor=actor, source="fast",
                                amount=Decimal("10"), starts_on=datetime.date(2026, 2, 1),
                                ends_on=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.expense_create(startup=startup, actor=actor, date=datetime.date(2026, 2, 1),
                                amount=Decimal("10"), recurrence="monthly",
                                ends_on=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.staffing_create(startup=startup, actor=actor, person="Dev",
                                 days_per_month=Decimal("40"), daily_rate=Decimal("500"),
                                 starts_on=datetime.date(2026, 1, 1))
    # A one-off expense never repeats: its end is dropped.
    expense = services.expense_create(
        startup=startup, actor=actor, date=datetime.date(2026, 2, 1), amount=Decimal("10"),
        ends_on=datetime.date(2026, 6, 1),
    )
    assert expense.ends_on is None
    assert (Funding.objects.count(), Expense.objects.count(), StaffingLine.objects.count()) == (
        0, 1, 0,
    )
