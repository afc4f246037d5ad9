"""Exact query counts of the stakeholder pages, the same with 3 and 30 stakeholders (each
with several interactions) or 3 and 30 interactions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.governance.factories import InteractionFactory, StakeholderFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]
LEVELS = [("high", "high"), ("high", "low"), ("low", "high"), ("low", "low")]


def fill(startup, size: int) -> None:
    """``size`` stakeholders over the four quadrants, each met three times (the latest with
    a next step)."""
    today = timezone.localdate()
    for n in range(size):
        influence, interest = LEVELS[n % 4]
        stakeholder = StakeholderFactory(
            startup=startup, name=f"Partie prenante {n:02d}", influence=influence,
            interest=interest, role="Cheffe de bureau",
        )
        for days_ago in (60, 30, n % 10):
            InteractionFactory(
                stakeholder=stakeholder, date=today - datetime.timedelta(days=days_ago),
                next_step="Relancer", next_step_on=today + datetime.timedelta(days=5 - n % 10),
            )


@pytest.mark.parametrize("size", SIZES)
def test_list_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    client = world.client_for("team")
    path = reverse("governance:stakeholder-list", kwargs={"slug": world.startup.slug})
    # session, user, startup, membership; the table's count and rows (quadrant, last
    # interaction, next step as annotations); the grid's counts and names.
    with django_assert_num_queries(8):
        response = client.get(path)
    assert len(response.context["page_obj"].object_list) == min(size, 20)
    assert sum(quadrant.count for quadrant in response.context["grid"]) == size
    # The table only, filtered and sorted (htmx): no grid.
    with django_assert_num_queries(6):
        response = client.get(
            path, {"q": "Partie", "quadrant": "manage", "kind": "person", "sort": "last"},
            headers={"HX-Request": "true"},
        )
    assert response.context["page_obj"].paginator.count == len(range(0, size, 4))


@pytest.mark.parametrize("size", SIZES)
def test_detail_query_count(world, django_assert_num_queries, size):
    stakeholder = StakeholderFactory(startup=world.startup)
    today = timezone.localdate()
    for n in range(size):
        InteractionFactory(
            stakeholder=stakeholder, date=today - datetime.timedelta(days=n),
            author=world.people["team"], next_step="Rappeler",
            next_step_on=today + datetime.timedelta(days=1),
        )
    path = stakeholder.get_absolute_url()
    # session, user, startup, membership; the stakeholder (with its annotations); the
    # interactions' count and page (with their authors).
    for role in ("team", "sponsor"):
        client = world.client_for(role)
        with django_assert_num_queries(7):
            response = client.get(path)
        assert len(response.context["interactions_page"].object_list) == min(size, 20)
