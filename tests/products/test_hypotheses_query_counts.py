"""Exact query counts of the hypotheses board, the tests list and a hypothesis' page, the
same at two data sizes where each hypothesis also carries more tests and sources."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from products.enums import HypothesisStatus, TestResult
from products.models import Hypothesis
from tests.intrapreneur.factories import comment_threads
from tests.investigations.factories import InsightFactory
from tests.products.factories import (
    FeedbackFactory,
    HypothesisFactory,
    IdeaFactory,
    MetricFactory,
    UserTestFactory,
)

pytestmark = pytest.mark.django_db

SIZES = [3, 30]
RESULTS = ["", TestResult.VALIDATES, TestResult.INVALIDATES, TestResult.INCONCLUSIVE]


def url(name, startup, **kwargs):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug, **kwargs})


def fill(startup, size: int) -> None:
    """``size`` hypotheses of each status, each from an idea, an insight and a feedback
    item, with a metric, and tested ``1 + size // 10`` times."""
    metric = MetricFactory(startup=startup)
    day = datetime.date(2026, 1, 5)
    for status in HypothesisStatus.values:
        for i in range(size):
            hypothesis = HypothesisFactory(
                startup=startup, status=status, priority=1 + i % 3, metric=metric,
                idea=IdeaFactory(startup=startup), insight=InsightFactory(startup=startup),
                feedback=FeedbackFactory(startup=startup),
            )
            for j in range(1 + size // 10):
                UserTestFactory(
                    startup=startup, hypothesis=hypothesis,
                    date=day + datetime.timedelta(days=i + j), result=RESULTS[j % 4],
                )


@pytest.mark.parametrize("size", SIZES)
def test_board_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    client = world.client_for("team")
    # session, user, startup, membership; the board (a window per status: the first cards
    # of each column with their sources, test counts and last tests, and each column's
    # total).
    with django_assert_num_queries(5):
        response = client.get(url("hypothesis-list", world.startup))
    board = response.context["board"]
    assert [column.total for column in board] == [size] * 5
    assert all(len(column.cards) == min(size, 20) for column in board)
    assert all(card.test_count == 1 + size // 10 for column in board for card in column.cards)
    # Searched and filtered, with htmx: the same.
    with django_assert_num_queries(5):
        response = client.get(
            url("hypothesis-list", world.startup), {"q": "Hypothèse", "priority": 1,
                                                     "source": "idea", "sort": "updated"},
            headers={"HX-Request": "true"},
        )
    assert response.context["board_total"] == 5 * len(range(0, size, 3))


@pytest.mark.parametrize("size", SIZES)
def test_list_of_one_status_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    client = world.client_for("sponsor")
    # session, user, startup, membership; the count, the page.
    with django_assert_num_queries(6):
        response = client.get(url("hypothesis-list", world.startup), {"status": "testing"})
    assert response.context["page_obj"].paginator.count == size
    assert len(response.context["page_obj"].object_list) == min(size, 20)


@pytest.mark.parametrize("size", SIZES)
def test_status_change_with_htmx_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    hypothesis = world.startup.hypotheses.filter(status="to_test").first()
    ContentType.objects.get_for_model(Hypothesis)  # cached, as in a running server
    client = world.client_for("team")
    # session, user, startup, membership, the hypothesis; savepoint, update, activity,
    # release; the board.
    with django_assert_num_queries(10):
        response = client.post(
            url("hypothesis-status", world.startup, pk=hypothesis.pk),
            {"status": "testing", "next": url("hypothesis-list", world.startup)},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    assert response.context["board"][1].total == size + 1


@pytest.mark.parametrize("size", SIZES)
def test_test_list_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    client = world.client_for("coach")
    # session, user, startup, membership; the hypotheses of the filter; the cadence; the
    # count; the page (with the hypotheses).
    with django_assert_num_queries(8):
        response = client.get(url("test-list", world.startup))
    tests = 5 * size * (1 + size // 10)
    assert response.context["page_obj"].paginator.count == tests
    assert len(response.context["page_obj"].object_list) == min(tests, 20)
    assert len(response.context["cadence"].weeks) == 12


@pytest.mark.parametrize("size", SIZES)
def test_hypothesis_detail_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    hypothesis = world.startup.hypotheses.first()
    for i in range(size):
        UserTestFactory(startup=world.startup, hypothesis=hypothesis,
                        author=world.people["team"], date=datetime.date(2025, 6, 1 + i % 28))
    comment_threads(hypothesis, size)
    client = world.client_for("team")
    # session, user, startup, membership; the hypothesis (sources, metric, author); its
    # tests (authors); the comments (authors), their replies (authors).
    with django_assert_num_queries(8):
        response = client.get(url("hypothesis-detail", world.startup, pk=hypothesis.pk))
    assert len(response.context["tests"]) == size + 1 + size // 10


@pytest.mark.parametrize("size", SIZES)
def test_test_detail_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    test = world.startup.user_tests.first()
    client = world.client_for("sponsor")
    # session, user, startup, membership; the test (hypothesis, author).
    with django_assert_num_queries(5):
        client.get(url("test-detail", world.startup, pk=test.pk))
