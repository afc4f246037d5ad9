"""Exact query counts of the portfolio and its export, the same with 3 and 30 startups, each
with fundings, expenses, staffing lines, user tests, releases, committees and health
statuses."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import GuardedClient
from tests.governance.factories import (
    ExpenseFactory,
    FundingFactory,
    HealthStatusFactory,
    InvestmentCommitteeFactory,
    StaffingLineFactory,
    StandardFactory,
)
from tests.intrapreneur.factories import IncubatorFactory, StartupFactory, UserFactory
from tests.products.factories import ReleaseFactory, UserTestFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def fill(size: int):
    """``size`` startups over two incubators followed by one staff member, each with a full
    budget and history; and a startup of an incubator the person does not follow."""
    today = timezone.localdate()
    incubators = [IncubatorFactory(), IncubatorFactory()]
    staff = UserFactory(staff=True)
    for incubator in incubators:
        incubator.staff.add(staff)
    for n in range(size):
        startup = StartupFactory(name=f"Startup {n:02d}", incubator=incubators[n % 2])
        for months in (6, 1):
            FundingFactory(startup=startup, amount=Decimal("60000"),
                           starts_on=today - datetime.timedelta(days=30 * months))
        for days in (3, 40, 70):
            ExpenseFactory(startup=startup, date=today - datetime.timedelta(days=days))
        ExpenseFactory(startup=startup, recurrence="monthly", date=today.replace(day=1),
                       ends_on=None)
        for person in ("Développeuse", "Designer"):
            StaffingLineFactory(startup=startup, person=person,
                                starts_on=today - datetime.timedelta(days=60), ends_on=None)
        for days in (2, 9):
            UserTestFactory(startup=startup, date=today - datetime.timedelta(days=days))
            ReleaseFactory(startup=startup, date=today - datetime.timedelta(days=days),
                           is_published=True)
        InvestmentCommitteeFactory(startup=startup)
        InvestmentCommitteeFactory(
            startup=startup, date=today - datetime.timedelta(days=100), decision="continue",
            next_committee_on=today + datetime.timedelta(days=80),
        )
        for status in ("on_track", "at_risk"):
            HealthStatusFactory(startup=startup, status=status)
        # Two standards late, one on time.
        for kind in ("accessibility", "dsfr"):
            StandardFactory(startup=startup, kind=kind, due_on=today - datetime.timedelta(days=5))
        StandardFactory(startup=startup, kind="ecodesign")
    StartupFactory()  # another incubator's
    return staff, incubators


def client_for(user):
    client = GuardedClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("size", SIZES)
def test_portfolio_query_count(django_assert_num_queries, size):
    staff, incubators = fill(size)
    client = client_for(staff)
    # session, user; the count; the page's rows (incubator, health, last test and release,
    # next committee as annotations); their fundings, expenses and staffing lines; the
    # incubators of the filter.
    with django_assert_num_queries(8):
        response = client.get("/portfolio/")
    rows = response.context["page_obj"].object_list
    assert len(rows) == min(size, 25)
    assert all(row.runway.kind != "none" for row in rows)
    assert [row.standards_late for row in rows] == [2] * len(rows)
    # Filtered, sorted in SQL, htmx: the chosen incubator is read to validate the filter;
    # the list of incubators is not drawn (the part has no filter form).
    with django_assert_num_queries(8):
        response = client.get(
            "/portfolio/",
            {"incubator": incubators[0].pk, "phase": "investigation", "health": "at_risk",
             "q": "Startup", "sort": "-next_committee"},
            headers={"HX-Request": "true"},
        )
    assert response.context["page_obj"].paginator.count == len(range(0, size, 2))


@pytest.mark.parametrize("size", SIZES)
def test_portfolio_by_runway_query_count(django_assert_num_queries, size):
    staff, _incubators = fill(size)
    client = client_for(staff)
    # session, user; every row (the sort needs them all), their fundings, expenses and
    # staffing lines; the incubators of the filter. No count: the page cuts a list.
    with django_assert_num_queries(7):
        response = client.get("/portfolio/", {"sort": "runway"})
    assert len(response.context["page_obj"].object_list) == min(size, 25)
    assert response.context["page_obj"].paginator.count == size


@pytest.mark.parametrize("size", SIZES)
def test_superuser_portfolio_query_count(django_assert_num_queries, size):
    fill(size)
    client = client_for(UserFactory(superuser=True))
    with django_assert_num_queries(8):
        response = client.get("/portfolio/")
    assert response.context["page_obj"].paginator.count == size + 1


@pytest.mark.parametrize("size", SIZES)
def test_export_query_count(django_assert_num_queries, size):
    staff, _incubators = fill(size)
    client = client_for(staff)
    # session, user; the rows; their fundings, expenses and staffing lines.
    with django_assert_num_queries(6):
        response = client.get(reverse("portfolio:export"))
    assert response.content.decode("utf-8-sig").count("\r\n") == size + 1
