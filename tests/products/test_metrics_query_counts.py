"""Exact query counts of the metrics pages, the same at two data sizes where each metric
carries more values (no N+1)."""

import datetime

import pytest
from django.urls import reverse

from intrapreneur.enums import Role
from products.services import metrics as services
from tests.intrapreneur.factories import MembershipFactory, StartupFactory, UserFactory
from tests.products.factories import MetricFactory, MetricValueFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def fill(startup, size):
    """``size`` metrics with ``size`` values each, and ``size`` API tokens."""
    for i in range(size):
        metric = MetricFactory(startup=startup, impact_level=["utilise", "utile", ""][i % 3],
                               is_public=bool(i % 2), target=i or None)
        for n in range(size):
            MetricValueFactory(metric=metric, date=datetime.date(2024, 1, 1)
                               + datetime.timedelta(weeks=n), value=n * i)
        services.token_create(startup=startup, actor=None, name=f"Jeton {i}")
    return metric


@pytest.fixture
def member_client(client):
    def make(size):
        user = UserFactory()
        startup = StartupFactory(slug="mesuree", is_public=True)
        MembershipFactory(startup=startup, user=user, role=Role.INTRAPRENEUR)
        metric = fill(startup, size)
        client.force_login(user)
        return client, metric
    return make


# page -> exact number of queries: session, user, startup, membership, then the page's own.
PAGES = {
    # count, metrics of the page, their latest values (one prefetch)
    "metric-list": (None, 7),
    # the metric, all its values
    "metric-detail": ("metric", 6),
    # the metrics' keys
    "metric-import": (None, 5),
    # the tokens with their authors, a metric key for the example
    "token-list": (None, 6),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", PAGES)
def test_page_query_count(member_client, django_assert_num_queries, page, size):
    client, metric = member_client(size)
    needs, expected = PAGES[page]
    kwargs = {"slug": "mesuree"}
    if needs == "metric":
        kwargs["pk"] = metric.pk
    with django_assert_num_queries(expected):
        response = client.get(reverse(f"products:{page}", kwargs=kwargs))
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_htmx_list_query_count(member_client, django_assert_num_queries, size):
    client, _metric = member_client(size)
    with django_assert_num_queries(7):
        response = client.get(
            reverse("products:metric-list", kwargs={"slug": "mesuree"}), {"sort": "name"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
