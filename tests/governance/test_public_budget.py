"""The public budget page of a public startup: amounts by source and by category, the last
twelve months and the runway; never a supplier, a person or a note."""

import datetime
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from intrapreneur.dates import month_first
from tests.governance.factories import ExpenseFactory, FundingFactory, StaffingLineFactory
from tests.intrapreneur.factories import MembershipFactory, StartupFactory

pytestmark = pytest.mark.django_db


def path(startup):
    return reverse("public:budget", kwargs={"slug": startup.slug})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def startup(db):
    startup = StartupFactory(name="Accueil Accessible", is_public=True)
    FundingFactory(startup=startup, source="incubator", amount=Decimal("120000.00"),
                   starts_on=days(-500), ends_on=None, note="Convention secrète n° 42")
    FundingFactory(startup=startup, source="fast", amount=Decimal("30000.00"),
                   starts_on=days(-100), ends_on=None)
    FundingFactory(startup=startup, source="incubator", amount=Decimal("60000.00"),
                   starts_on=days(60), ends_on=None, tranche="Tranche 2")
    ExpenseFactory(startup=startup, date=days(-400), category="team",
                   supplier="Jeanne Martin, freelance", amount=Decimal("9000.00"),
                   note="Facture personnelle")
    ExpenseFactory(startup=startup, date=days(-20), category="hosting", supplier="Scalingo",
                   amount=Decimal("300.00"))
    ExpenseFactory(startup=startup, date=days(-10), category="design", supplier="Atelier Typo",
                   amount=Decimal("2500.00"))
    StaffingLineFactory(startup=startup, person="Lucie Bernard", starts_on=days(-30),
                        ends_on=None)
    return startup


def test_anonymous_people_read_the_public_budget(client, startup):
    response = client.get(path(startup))

    assert response.status_code == 200
    page = soup(response)
    assert re.fullmatch(r".+ — Accueil Accessible — Intrapreneur", page.title.string)
    assert len(page.find_all("h1")) == 1
    sources = [tr["data-amount"] for tr in page.select("#public-sources tbody tr")]
    assert sources == ["180000.00", "30000.00"]  # incubator (both tranches), FAST
    categories = [tr["data-amount"] for tr in page.select("#public-categories tbody tr")]
    assert categories == ["9000.00", "2500.00", "300.00"]  # team, design, hosting
    assert page.select_one("#public-runway .fr-callout__title").get_text(strip=True)


def test_the_public_page_shows_no_supplier_no_person_no_note(client, startup):
    html = client.get(path(startup)).content.decode()

    for private in ("Jeanne Martin", "Facture personnelle", "Scalingo", "Atelier Typo",
                    "Lucie Bernard", "Convention secrète"):
        assert private not in html


def test_the_months_are_the_last_twelve(client, startup):
    page = soup(client.get(path(startup)))

    months = [tr["data-month"] for tr in page.select("#budget-months tbody tr")]
    this_month = timezone.localdate().replace(day=1)
    assert months == [month_first(this_month, n).strftime("%Y-%m") for n in range(-11, 1)]
    svg = page.select_one("#budget-chart-figure svg[role=img]")
    assert svg.select_one("title").string and svg.select_one("desc").string


def test_a_public_startup_without_budget_says_so(client):
    startup = StartupFactory(is_public=True)
    page = soup(client.get(path(startup)))

    assert page.select_one("#public-budget-empty") is not None
    assert page.select_one("#budget-months") is None


def test_the_landing_links_the_budget(client, startup):
    page = soup(client.get(reverse("public:landing", kwargs={"slug": startup.slug})))

    assert page.select_one(f'#public-links a[href="{path(startup)}"]') is not None


@pytest.mark.parametrize("kind", ["private", "archived"])
def test_404_unless_public_and_not_archived(client, kind):
    if kind == "private":
        startup = StartupFactory(is_public=False)
    else:
        startup = StartupFactory(is_public=True, archived_at=timezone.now())
    FundingFactory(startup=startup)
    assert client.get(path(startup)).status_code == 404
    # Members too: the public page of a private or archived startup does not exist.
    client.force_login(MembershipFactory(startup=startup, role="intrapreneur").user)
    assert client.get(path(startup)).status_code == 404


def test_404_for_an_unknown_startup(client):
    assert client.get("/public/inconnue/budget/").status_code == 404


def test_the_budget_page_links_its_public_page_when_public(world):
    budget = reverse("governance:budget", kwargs={"slug": world.startup.slug})
    client = world.client_for("sponsor")
    assert soup(client.get(budget)).select_one("#public-budget-link") is None
    world.startup.is_public = True
    world.startup.save(update_fields=["is_public"])
    link = soup(client.get(budget)).select_one("#public-budget-link")
    assert link["href"] == path(world.startup)
