"""Exact query counts of the release pages, the same with 3 and 30 releases (or answered
items), each release answering several feedback items."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from products.models import Release
from tests.products.factories import FeedbackFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def fill(startup, size: int) -> list[Release]:
    """``size`` published releases over the last weeks, each answering three items."""
    today = timezone.localdate()
    releases = []
    for n in range(size):
        answers = [FeedbackFactory(startup=startup, status="done") for _i in range(3)]
        releases.append(ReleaseFactory(
            startup=startup, version=f"1.{n}.0", date=today - datetime.timedelta(days=3 * n),
            is_published=True, published_at=timezone.now(), answers=answers,
            notes=f"- **Nouveau** : la version {n}.\n- Corrections.",
        ))
    return releases


@pytest.mark.parametrize("size", SIZES)
def test_list_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    client = world.client_for("team")
    path = reverse("products:release-list", kwargs={"slug": world.startup.slug})
    # session, user, startup, membership; the count; the rows with their answer counts;
    # the releases per week.
    with django_assert_num_queries(7):
        response = client.get(path)
    assert len(response.context["page_obj"].object_list) == min(size, 20)
    with django_assert_num_queries(7):
        response = client.get(path, {"q": "Nouveau", "status": "published", "sort": "version"},
                              headers={"HX-Request": "true"})
    assert response.context["page_obj"].paginator.count == size


@pytest.mark.parametrize("size", SIZES)
def test_detail_query_count(world, django_assert_num_queries, size):
    startup = world.startup
    answers = [FeedbackFactory(startup=startup) for _i in range(size)]
    release = ReleaseFactory(startup=startup, answers=answers, author=world.people["team"])
    path = release.get_absolute_url()
    team, sponsor = world.client_for("team"), world.client_for("sponsor")
    # session, user, startup, membership; the release (author); the answered items.
    with django_assert_num_queries(6):
        response = team.get(path)
    assert len(response.context["answers"]) == size
    # Without view_research: their count instead of the items.
    with django_assert_num_queries(6):
        response = sponsor.get(path)
    assert response.context["answer_count"] == size


@pytest.mark.parametrize("size", SIZES)
def test_public_changelog_query_count(world, client, django_assert_num_queries, size):
    startup = world.startup
    startup.is_public = True
    startup.save(update_fields=["is_public"])
    fill(startup, size)
    path = reverse("public:changelog", kwargs={"slug": startup.slug})
    # the startup (incubator); the count; the page's releases.
    with django_assert_num_queries(3):
        response = client.get(path)
    assert len(response.context["page_obj"].object_list) == min(size, 20)


@pytest.mark.parametrize("size", SIZES)
def test_feed_query_count(world, client, django_assert_num_queries, size):
    startup = world.startup
    startup.is_public = True
    startup.save(update_fields=["is_public"])
    fill(startup, size)
    path = reverse("public:changelog-feed", kwargs={"slug": startup.slug})
    # the startup (incubator); the releases.
    with django_assert_num_queries(2):
        response = client.get(path)
    assert response.content.count(b"<entry>") == size
