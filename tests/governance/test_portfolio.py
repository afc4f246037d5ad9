"""The portfolio of incubator staff: who opens it, which startups each person sees, what a
row says (health, runway, tests, releases, committees), the filters, the sorts and the CSV."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertTemplateUsed

from intrapreneur.dates import month_first
from intrapreneur.models import Startup
from tests.governance.factories import (
    ExpenseFactory,
    FundingFactory,
    HealthStatusFactory,
    InvestmentCommitteeFactory,
    StaffingLineFactory,
)
from tests.intrapreneur.factories import (
    IncubatorFactory,
    MembershipFactory,
    StartupFactory,
    UserFactory,
)
from tests.products.factories import ReleaseFactory, UserTestFactory

pytestmark = pytest.mark.django_db

PATH = "/portfolio/"


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def names(response):
    return [row.select_one("th a").get_text(strip=True)
            for row in soup(response).select("#portfolio-table tbody tr")]


def cell(response, startup, column):
    """The text of one cell of a startup's row (columns as in the table's header)."""
    columns = ["startup", "incubator", "phase", "health", "runway", "last_test",
               "last_release", "next_committee", "standards_late"]
    row = soup(response).select_one(f"#startup-{startup.pk}")
    return row.select("th, td")[columns.index(column)].get_text(" ", strip=True)


def export_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def portfolio_world():
    """Two incubators followed by one staff member each, and a third nobody here follows."""
    alpha, beta, gamma = (IncubatorFactory(name=n) for n in ("Alpha", "Bêta", "Gamma"))
    anna = UserFactory(staff=True)
    alpha.staff.add(anna)
    beta.staff.add(anna)
    bruno = UserFactory(staff=True)
    gamma.staff.add(bruno)
    startups = {
        "accueil": StartupFactory(name="Accueil Accessible", incubator=alpha),
        "cantine": StartupFactory(name="Cantine Facile", incubator=beta, in_construction=True),
        "dossier": StartupFactory(name="Dossier Facile", incubator=gamma),
    }
    return {"incubators": (alpha, beta, gamma), "anna": anna, "bruno": bruno,
            "startups": startups}


def client_for(user):
    from tests.conftest import GuardedClient

    client = GuardedClient()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- who opens it


def test_anonymous_people_are_sent_to_sign_in(client):
    for path in (PATH, reverse("portfolio:export")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_member_who_is_not_staff_gets_the_403_page(world):
    startup = world.startup
    for role in ("intrapreneur", "team", "coach", "sponsor", "outsider"):
        client = world.client_for(role)
        response = client.get(PATH)
        assert response.status_code == 403
        assertTemplateUsed(response, "403.html")
        assert client.get(reverse("portfolio:export")).status_code == 403
    assert startup.name not in world.client_for("intrapreneur").get(PATH).content.decode()


def test_staff_see_the_startups_of_their_incubators_only(portfolio_world):
    anna, bruno = portfolio_world["anna"], portfolio_world["bruno"]
    # Anna is also a member of a startup of an incubator she does not follow.
    MembershipFactory(startup=portfolio_world["startups"]["dossier"], user=anna)
    response = client_for(anna).get(PATH)
    assert response.status_code == 200
    assert names(response) == ["Accueil Accessible", "Cantine Facile"]
    assert names(client_for(bruno).get(PATH)) == ["Dossier Facile"]
    lonely = UserFactory(staff=True)
    response = client_for(lonely).get(PATH)
    assert names(response) == []
    assert soup(response).select_one(".fr-callout") is not None


def test_superusers_see_every_startup(portfolio_world):
    root = UserFactory(superuser=True)
    response = client_for(root).get(PATH)
    assert names(response) == ["Accueil Accessible", "Cantine Facile", "Dossier Facile"]
    incubators = [o.get_text() for o in soup(response).select("select[name=incubator] option")]
    assert incubators[1:] == ["Alpha", "Bêta", "Gamma"]


def test_a_row_links_to_the_startup_and_names_its_incubator_and_phase(portfolio_world):
    accueil = portfolio_world["startups"]["accueil"]
    cantine = portfolio_world["startups"]["cantine"]
    response = client_for(portfolio_world["anna"]).get(PATH)
    row = soup(response).select_one(f"#startup-{accueil.pk}")
    assert row.select_one("th a")["href"] == accueil.get_absolute_url()
    assert cell(response, accueil, "incubator") == "Alpha"
    assert cell(response, cantine, "phase") == cantine.get_phase_display()
    # And staff open the startup they see.
    assert client_for(portfolio_world["anna"]).get(accueil.get_absolute_url()).status_code \
        == 200


# ---------------------------------------------------------------- what a row says


def test_the_health_is_the_latest_status_with_its_reason(portfolio_world):
    accueil = portfolio_world["startups"]["accueil"]
    cantine = portfolio_world["startups"]["cantine"]
    HealthStatusFactory(startup=accueil, status="on_track", reason="Tout va bien")
    HealthStatusFactory(startup=accueil, status="at_risk", reason="Financement incertain")
    response = client_for(portfolio_world["anna"]).get(PATH)
    text = cell(response, accueil, "health")
    assert "Financement incertain" in text
    assert "Tout va bien" not in text
    row = soup(response).select_one(f"#startup-{accueil.pk} [data-health]")
    assert row["data-health"] == "at_risk"
    assert soup(response).select_one(f"#startup-{cantine.pk} [data-health]")["data-health"] \
        == "none"


def test_the_runway_says_when_the_money_runs_out(portfolio_world):
    alpha = portfolio_world["incubators"][0]
    current = today().replace(day=1)
    lasting = StartupFactory(name="A — durable", incubator=alpha)
    FundingFactory(startup=lasting, amount=Decimal("100000"), starts_on=days(-30),
                   ends_on=None)
    running_out = StartupFactory(name="B — bientôt à court", incubator=alpha)
    FundingFactory(startup=running_out, amount=Decimal("15000"), starts_on=days(-30),
                   ends_on=None)
    # 10 000 € a month from the fourth month on: 5 000 € left after it, −5 000 € after the
    # next one.
    StaffingLineFactory(startup=running_out, days_per_month=Decimal("20"),
                        daily_rate=Decimal("500"), starts_on=month_first(current, 3),
                        ends_on=None)
    spent = StartupFactory(name="C — à sec", incubator=alpha)
    FundingFactory(startup=spent, amount=Decimal("1000"), starts_on=days(-60), ends_on=None)
    ExpenseFactory(startup=spent, amount=Decimal("2000"), date=today())
    nothing = StartupFactory(name="D — sans budget", incubator=alpha)
    response = client_for(portfolio_world["anna"]).get(PATH)
    horizon = date_format(month_first(current, 12), "F Y")
    assert horizon in cell(response, lasting, "runway")
    assert cell(response, running_out, "runway") == date_format(month_first(current, 4), "F Y")
    kinds = {
        s.pk: soup(response).select_one(f"#startup-{s.pk} [data-runway]")["data-runway"]
        for s in (lasting, running_out, spent, nothing)
    }
    assert kinds == {lasting.pk: "beyond", running_out.pk: "month", spent.pk: "spent",
                     nothing.pk: "none"}


def test_last_test_last_release_and_next_committee(portfolio_world):
    accueil = portfolio_world["startups"]["accueil"]
    cantine = portfolio_world["startups"]["cantine"]
    UserTestFactory(startup=accueil, date=days(-20))
    UserTestFactory(startup=accueil, date=days(-6))
    UserTestFactory(startup=accueil, date=days(7))  # planned: not done yet
    ReleaseFactory(startup=accueil, date=days(-40), is_published=True)
    ReleaseFactory(startup=accueil, date=days(-3), is_published=False)  # a draft
    # A planned committee wins over a decided one's next date.
    InvestmentCommitteeFactory(startup=accueil, date=days(45))
    InvestmentCommitteeFactory(startup=accueil, date=days(90))
    InvestmentCommitteeFactory(startup=accueil, date=days(-100), decision="continue",
                               next_committee_on=days(80))
    InvestmentCommitteeFactory(startup=cantine, date=days(-100), decision="continue",
                               next_committee_on=days(60))
    # A committee that met without its decision recorded is not the next one.
    InvestmentCommitteeFactory(startup=cantine, date=days(-5))
    response = client_for(portfolio_world["anna"]).get(PATH)
    row = response.context["page_obj"].object_list
    by_pk = {startup.pk: startup for startup in row}
    assert by_pk[accueil.pk].last_test_on == days(-6)
    assert by_pk[accueil.pk].last_release_on == days(-40)
    assert by_pk[accueil.pk].next_committee_on == days(45)
    assert by_pk[cantine.pk].next_committee_on == days(60)
    assert cell(response, accueil, "last_test") == date_format(days(-6), "j M Y")
    assert cell(response, accueil, "last_release") == date_format(days(-40), "j M Y")
    assert cell(response, accueil, "next_committee") == date_format(days(45), "j M Y")
    assert cell(response, cantine, "next_committee") == date_format(days(60), "j M Y")
    assert by_pk[cantine.pk].last_test_on is None
    assert by_pk[cantine.pk].last_release_on is None


# ---------------------------------------------------------------- filters and sorts


def test_filters_incubator_phase_health_archived_and_search(portfolio_world):
    alpha, beta, gamma = portfolio_world["incubators"]
    accueil = portfolio_world["startups"]["accueil"]
    cantine = portfolio_world["startups"]["cantine"]
    HealthStatusFactory(startup=cantine, status="off_track", reason="Équipe partie")
    archived = StartupFactory(name="Ancienne Startup", incubator=alpha)
    Startup.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    client = client_for(portfolio_world["anna"])
    assert names(client.get(PATH, {"incubator": beta.pk})) == ["Cantine Facile"]
    # An incubator the person does not follow is no filter at all: it shows nothing more.
    assert names(client.get(PATH, {"incubator": gamma.pk})) == [
        "Accueil Accessible", "Cantine Facile"
    ]
    assert names(client.get(PATH, {"phase": "construction"})) == ["Cantine Facile"]
    assert names(client.get(PATH, {"health": "off_track"})) == ["Cantine Facile"]
    assert names(client.get(PATH, {"health": "none"})) == ["Accueil Accessible"]
    assert names(client.get(PATH, {"archived": "on"})) == [
        "Accueil Accessible", "Ancienne Startup", "Cantine Facile"
    ]
    assert names(client.get(PATH, {"q": "cantine"})) == ["Cantine Facile"]
    assert accueil.name in names(client.get(PATH, {"q": "accueil", "incubator": alpha.pk}))


def test_sorts_by_health_runway_tests_and_committees(portfolio_world):
    alpha = portfolio_world["incubators"][0]
    accueil = portfolio_world["startups"]["accueil"]
    cantine = portfolio_world["startups"]["cantine"]
    extra = StartupFactory(name="Bâtiment Durable", incubator=alpha)
    HealthStatusFactory(startup=accueil, status="on_track", reason="Bien")
    HealthStatusFactory(startup=cantine, status="off_track", reason="Mal")
    UserTestFactory(startup=accueil, date=days(-2))
    UserTestFactory(startup=extra, date=days(-9))
    InvestmentCommitteeFactory(startup=extra, date=days(20))
    InvestmentCommitteeFactory(startup=cantine, date=days(50))
    # Runways: the extra startup runs out first, Accueil lasts, Cantine has no budget.
    FundingFactory(startup=accueil, amount=Decimal("500000"), starts_on=days(-10),
                   ends_on=None)
    FundingFactory(startup=extra, amount=Decimal("1000"), starts_on=days(-10), ends_on=None)
    StaffingLineFactory(startup=extra, days_per_month=Decimal("10"),
                        daily_rate=Decimal("500"),
                        starts_on=month_first(today().replace(day=1), 2), ends_on=None)
    client = client_for(portfolio_world["anna"])
    assert names(client.get(PATH, {"sort": "health"})) == [
        "Cantine Facile", "Accueil Accessible", "Bâtiment Durable"
    ]
    assert names(client.get(PATH, {"sort": "-health"})) == [
        "Accueil Accessible", "Cantine Facile", "Bâtiment Durable"
    ]
    assert names(client.get(PATH, {"sort": "runway"})) == [
        "Bâtiment Durable", "Accueil Accessible", "Cantine Facile"
    ]
    assert names(client.get(PATH, {"sort": "-runway"})) == [
        "Accueil Accessible", "Bâtiment Durable", "Cantine Facile"
    ]
    assert names(client.get(PATH, {"sort": "last_test"})) == [
        "Accueil Accessible", "Bâtiment Durable", "Cantine Facile"
    ]
    assert names(client.get(PATH, {"sort": "next_committee"})) == [
        "Bâtiment Durable", "Cantine Facile", "Accueil Accessible"
    ]
    assert names(client.get(PATH, {"sort": "-name"})) == [
        "Cantine Facile", "Bâtiment Durable", "Accueil Accessible"
    ]


def test_the_portfolio_is_paged_even_sorted_by_runway(portfolio_world):
    alpha = portfolio_world["incubators"][0]
    for n in range(30):
        startup = StartupFactory(name=f"Startup {n:02d}", incubator=alpha)
        FundingFactory(startup=startup, amount=Decimal(1000 * (n + 1)), starts_on=days(-10),
                       ends_on=None)
        StaffingLineFactory(startup=startup, days_per_month=Decimal("1"),
                            daily_rate=Decimal("500"), starts_on=days(1), ends_on=None)
    client = client_for(portfolio_world["anna"])
    first = client.get(PATH)
    assert len(names(first)) == 25
    assert first.context["page_obj"].paginator.count == 32
    assert len(names(client.get(PATH, {"page": 2}))) == 7
    by_runway = names(client.get(PATH, {"sort": "runway"}))
    assert by_runway[:3] == ["Startup 00", "Startup 01", "Startup 02"]
    last_page = names(client.get(PATH, {"sort": "runway", "page": 2}))
    # The two startups without a budget come last.
    assert last_page[-2:] == ["Accueil Accessible", "Cantine Facile"]


def test_htmx_gets_the_table_only(portfolio_world):
    response = client_for(portfolio_world["anna"]).get(
        PATH, {"q": "Cantine"}, headers={"HX-Request": "true"}
    )
    page = soup(response)
    assert page.h1 is None
    assert names(response) == ["Cantine Facile"]
    assert "q=Cantine" in page.select_one("#portfolio-export")["href"]
    assert "HX-Request" in response["Vary"]


# ---------------------------------------------------------------- CSV


def test_the_export_follows_the_filters_and_is_formula_safe(portfolio_world):
    alpha = portfolio_world["incubators"][0]
    accueil = portfolio_world["startups"]["accueil"]
    HealthStatusFactory(startup=accueil, status="at_risk", reason="=1+1")
    UserTestFactory(startup=accueil, date=days(-6))
    StartupFactory(name="=HYPERLINK(\"http://example.com\")", incubator=alpha)
    client = client_for(portfolio_world["anna"])
    response = client.get(reverse("portfolio:export"), {"incubator": alpha.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = export_rows(response)
    assert len(rows[0]) == 13
    body = {row[0]: row for row in rows[1:]}
    assert set(body) == {"Accueil Accessible", "'=HYPERLINK(\"http://example.com\")"}
    row = body["Accueil Accessible"]
    assert row[1].endswith(accueil.get_absolute_url())
    assert row[2] == "Alpha"
    assert row[6] == "'=1+1"
    assert row[9] == days(-6).isoformat()
    # Every row, not one page; and the page's filters.
    for n in range(30):
        StartupFactory(name=f"Startup {n:02d}", incubator=alpha)
    assert len(export_rows(client.get(reverse("portfolio:export")))) == 1 + 2 + 30 + 1
    rows = export_rows(client.get(reverse("portfolio:export"), {"q": "Cantine"}))
    assert [row[0] for row in rows[1:]] == ["Cantine Facile"]
