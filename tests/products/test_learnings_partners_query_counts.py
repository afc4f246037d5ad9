"""Exact query counts of the learnings' timeline and entry, the partners' board and the
territories, the same at two data sizes where each row carries more related data."""

import datetime

import pytest
from django.urls import reverse

from investigations.models import Insight
from products.enums import PartnerStage
from products.models import Feedback, Learning, Metric, Partner
from tests.intrapreneur.factories import comment_threads
from tests.products.factories import HypothesisFactory, UserTestFactory

pytestmark = pytest.mark.django_db


def url(name, startup, **kwargs):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug, **kwargs})


def learnings(world, count: int, per_kind: int) -> list[Learning]:
    """``count`` learnings, each citing ``per_kind`` tests, insights, metrics and feedback."""
    startup = world.startup
    hypothesis = HypothesisFactory(startup=startup)
    tests = [UserTestFactory(startup=startup, hypothesis=hypothesis) for _ in range(per_kind)]
    insights = Insight.objects.bulk_create(
        [Insight(startup=startup, statement=f"Constat {i}") for i in range(per_kind)]
    )
    metrics = Metric.objects.bulk_create(
        [Metric(startup=startup, name=f"Indicateur {i}", key=f"k{i}") for i in range(per_kind)]
    )
    feedback = Feedback.objects.bulk_create(
        [Feedback(startup=startup, text=f"Retour {i}") for i in range(per_kind)]
    )
    rows = Learning.objects.bulk_create([
        Learning(
            startup=startup, date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 200),
            learned=f"Apprentissage {i}", changes="Changer", stops="Arrêter",
            author=world.people["team"],
        )
        for i in range(count)
    ])
    for learning in rows:
        learning.tests.set(tests)
        learning.insights.set(insights)
        learning.metrics.set(metrics)
        learning.feedback.set(feedback)
    return rows


@pytest.mark.parametrize(("count", "per_kind"), [(3, 2), (30, 5)])
@pytest.mark.parametrize("role", ["team", "sponsor"])
def test_learning_list_query_count(world, django_assert_num_queries, count, per_kind, role):
    learnings(world, count, per_kind)
    client = world.client_for(role)
    # session, user, startup, membership; the count; the page of learnings (with their
    # author); their tests (with hypotheses), insights, metrics, feedback.
    with django_assert_num_queries(10):
        response = client.get(url("learning-list", world.startup))
    page = response.context["page_obj"]
    assert len(page.object_list) == min(count, 20)
    assert all(len(item.tests.all()) == per_kind for item in page.object_list)
    with django_assert_num_queries(10):
        client.get(url("learning-list", world.startup), {"evidence": "tests", "q": "App"},
                   headers={"HX-Request": "true"})


@pytest.mark.parametrize("per_kind", [2, 12])
def test_learning_detail_query_count(world, django_assert_num_queries, per_kind):
    (learning,) = learnings(world, 1, per_kind)
    comment_threads(learning, per_kind)
    client = world.client_for("team")
    # session, user, startup, membership; the learning (with its author); its tests (with
    # hypotheses), insights, metrics, feedback; the comments (authors), their replies.
    with django_assert_num_queries(11):
        response = client.get(url("learning-detail", world.startup, pk=learning.pk))
    assert len(response.context["learning"].feedback.all()) == per_kind


def partners(world, count: int) -> None:
    stages = PartnerStage.values
    Partner.objects.bulk_create([
        Partner(
            startup=world.startup, organisation=f"Commune {i}", territory=f"Territoire {i % 45}",
            stage=stages[i % len(stages)],
            next_step="Relancer", next_step_date=datetime.date(2026, 1, 1 + i % 28),
        )
        for i in range(count)
    ])


@pytest.mark.parametrize("count", [3, 300])
def test_partner_board_query_count(world, django_assert_num_queries, count):
    partners(world, count)
    client = world.client_for("team")
    # session, user, startup, membership; the counts per stage; the first cards of each
    # stage.
    with django_assert_num_queries(6):
        response = client.get(url("partner-list", world.startup))
    shown = sum(len(c.cards) for c in response.context["columns"])
    assert shown == min(count, 30 * len(PartnerStage.values))
    # One stage alone (paged): the paginator's count replaces nothing else.
    with django_assert_num_queries(7):
        client.get(url("partner-list", world.startup), {"stage": "identified", "q": "commune"})


@pytest.mark.parametrize("count", [3, 300])
def test_partner_territories_query_count(world, django_assert_num_queries, count):
    partners(world, count)
    client = world.client_for("team")
    # session, user, startup, membership; the territories with their counts; the partners
    # of the page's territories.
    with django_assert_num_queries(6):
        response = client.get(url("partner-territories", world.startup))
    page = response.context["page_obj"]
    assert len(page.object_list) == min(count, 30)
    assert sum(len(t.partners) for t in page.object_list) == sum(
        t.total for t in page.object_list
    )
