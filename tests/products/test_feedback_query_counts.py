"""The inbox's exact query count, the same with 100 items of one tag and 10,000 items of
three tags; the time of a full-text search over 10,000 items (printed, not asserted)."""

import time

import pytest
from django.db import connection
from django.urls import reverse

from intrapreneur.models import Tag
from products.demo_feedback import generate
from products.models import Feedback
from products.services import feedback as services
from tests.intrapreneur.factories import TagFactory
from tests.products.factories import FeedbackFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

SIZES = [(100, 1), (10_000, 3)]


def fill(world, size: int, tags_per_item: int) -> None:
    """``size`` items written in bulk (varied French texts), each with ``tags_per_item``
    tags out of twelve, a third assigned; then their full-text index (PostgreSQL)."""
    startup = world.startup
    tags = [TagFactory(startup=startup, name=f"thème {i}") for i in range(12)]
    assignees = [world.people["team"], world.people["intrapreneur"]]
    items = Feedback.objects.bulk_create(
        [
            Feedback(
                startup=startup, text=item.text, date=item.date, kind=item.kind,
                source=item.source, channel=item.channel, status=item.status,
                assignee=assignees[i % 2] if i % 3 == 0 else None,
                author_email=item.author_email,
            )
            for i, item in enumerate(generate(size, seed=size))
        ],
        batch_size=2000,
    )
    through = Feedback.tags.through
    through.objects.bulk_create(
        [
            through(feedback_id=feedback.pk, tag_id=tags[(i + j) % len(tags)].pk)
            for i, feedback in enumerate(items)
            for j in range(tags_per_item)
        ],
        batch_size=5000,
    )
    services.feedback_index(Feedback.objects.for_startup(startup))


@pytest.mark.parametrize(("size", "tags_per_item"), SIZES, ids=["100", "10000"])
def test_inbox_query_count(world, django_assert_num_queries, size, tags_per_item):
    fill(world, size, tags_per_item)
    client = world.client_for("team")
    path = reverse("products:feedback-list", kwargs={"slug": world.startup.slug})
    # session, user, startup, membership; the filter form's tags and members; the counts
    # per status (which give the paginator its count: no COUNT(*)); the rows (with
    # assignees); their tags.
    with django_assert_num_queries(9):
        response = client.get(path)
    page = response.context["page_obj"]
    assert len(page.object_list) == 50
    assert all(len(item.tags.all()) == tags_per_item for item in page.object_list)
    # Filtered, searched, with htmx: the same queries.
    tag = Tag.objects.filter(startup=world.startup).first()
    with django_assert_num_queries(9):
        response = client.get(
            path, {"q": "mairie", "status": "open", "tag": tag.pk},
            headers={"HX-Request": "true"},
        )
    paginator = response.context["page_obj"].paginator
    expected = (
        Feedback.objects.for_startup(world.startup).open().unmerged()
        .filter(tags=tag).search_text("mairie").count()
    )
    assert paginator.count == expected > 0


@pytest.mark.parametrize(("size", "tags_per_item"), SIZES, ids=["100", "10000"])
def test_bulk_change_query_count(world, django_assert_num_queries, size, tags_per_item):
    fill(world, size, tags_per_item)
    ids = list(Feedback.objects.values_list("pk", flat=True)[:50])
    client = world.client_for("team")
    path = reverse("products:feedback-bulk", kwargs={"slug": world.startup.slug})
    # session, user, startup, membership; savepoint, update, the authors to tell (none:
    # planned), activity, release; then the list as above but the session and its user.
    with django_assert_num_queries(14):
        client.post(path, {"ids": ids, "action": "status:planned"},
                    headers={"HX-Request": "true"})
    assert Feedback.objects.filter(status="planned", pk__in=ids).count() == 50


@pytest.mark.parametrize("size", [3, 30])
def test_detail_query_count(world, django_assert_num_queries, size):
    startup = world.startup
    kept = FeedbackFactory(startup=startup, tags=[TagFactory(startup=startup)])
    duplicates = [
        FeedbackFactory(startup=startup, assignee=world.people["team"]) for _i in range(size)
    ]
    services.feedback_merge(feedback=kept, actor=world.people["team"], duplicates=duplicates)
    for _i in range(size):
        ReleaseFactory(startup=startup, answers=[kept])
    client = world.client_for("team")
    # session, user, startup, membership; the item (assignee, merged into); its tags; the
    # duplicates; the releases that answer it.
    with django_assert_num_queries(8):
        response = client.get(kept.get_absolute_url())
    assert len(response.context["duplicates"]) == size


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full text is PostgreSQL's")
def test_full_text_search_time_over_10000_items(world):
    fill(world, 10_000, 3)
    client = world.client_for("team")
    path = reverse("products:feedback-list", kwargs={"slug": world.startup.slug})
    client.get(path)  # warm up
    timings = {}
    for query in ("mairie", "export tableur", '"page reste blanche"', "connexion -ProConnect"):
        started = time.perf_counter()
        response = client.get(path, {"q": query})
        count = response.context["page_obj"].paginator.count
        timings[query] = (time.perf_counter() - started, count)
        queryset = Feedback.objects.for_startup(world.startup).search_text(query)
        started = time.perf_counter()
        list(queryset[:50])
        timings[query] += (time.perf_counter() - started,)
    print("\nFull-text search over 10,000 items (PostgreSQL):")
    for query, (page, count, rows) in timings.items():
        print(f"  q={query!r}: {count} matches; page {page * 1000:.0f} ms, "
              f"first 50 ranked rows {rows * 1000:.1f} ms")
    assert all(count > 0 for _page, count, _rows in timings.values())
