"""Exact query counts of the budget pages, the same with 3 and 30 fundings, expenses (half
of them monthly) and staffing lines."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.governance.factories import ExpenseFactory, FundingFactory, StaffingLineFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def fill(startup, size: int) -> None:
    today = timezone.localdate()
    for n in range(size):
        FundingFactory(
            startup=startup, amount=Decimal("10000.00") + n, tranche=f"Tranche {n}",
            starts_on=today + datetime.timedelta(days=40 * n - 400), ends_on=None,
        )
        ExpenseFactory(
            startup=startup, date=today - datetime.timedelta(days=11 * n), amount=Decimal("250.00"),
            category=["hosting", "tools", "design"][n % 3], supplier=f"Fournisseur {n}",
            recurrence="monthly" if n % 2 else "once", note=f"Note {n}",
        )
        StaffingLineFactory(
            startup=startup, person=f"Personne {n}",
            starts_on=today - datetime.timedelta(days=30 * n),
            ends_on=None if n % 2 else today + datetime.timedelta(days=20 * n),
        )


@pytest.mark.parametrize("size", SIZES)
def test_budget_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    client = world.client_for("intrapreneur")
    path = reverse("governance:budget", kwargs={"slug": world.startup.slug})
    # session, user, startup, membership; the fundings, the expenses, the staffing plan.
    with django_assert_num_queries(7):
        response = client.get(path)
    assert len(response.context["fundings"]) == size
    assert len(response.context["staffing"]) == size
    # The CSV of the months: the same three lists.
    with django_assert_num_queries(7):
        client.get(reverse("governance:budget-export", kwargs={"slug": world.startup.slug}))


@pytest.mark.parametrize("size", SIZES)
def test_expense_list_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    client = world.client_for("sponsor")
    path = reverse("governance:expense-list", kwargs={"slug": world.startup.slug})
    # session, user, startup, membership; the count; the page's rows; the totals.
    with django_assert_num_queries(7):
        response = client.get(path)
    assert len(response.context["page_obj"].object_list) == min(size, 30)
    with django_assert_num_queries(7):
        response = client.get(
            path, {"q": "Fournisseur", "category": "hosting", "sort": "-amount"},
            headers={"HX-Request": "true"},
        )
    assert response.context["page_obj"].paginator.count == len(range(0, size, 3))


@pytest.mark.parametrize("size", SIZES)
def test_public_budget_query_count(world, client, django_assert_num_queries, size):
    startup = world.startup
    startup.is_public = True
    startup.save(update_fields=["is_public"])
    fill(startup, size)
    path = reverse("public:budget", kwargs={"slug": startup.slug})
    # the startup (incubator); the fundings, the expenses, the staffing plan.
    with django_assert_num_queries(4):
        response = client.get(path)
    assert response.context["summary"].has_data
