"""The feedback services: bulk writes, merging, the full-text index, and the demo."""

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from intrapreneur.enums import Role
from intrapreneur.models import Activity, Tag
from products import demo_feedback
from products.enums import FeedbackKind, FeedbackSource, FeedbackStatus
from products.models import Feedback
from products.services import feedback as services
from tests.intrapreneur.factories import MembershipFactory, StartupFactory, UserFactory
from tests.products.factories import FeedbackFactory

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def test_bulk_create_writes_items_tags_and_index_at_once(world):
    startup = world.startup
    items = [
        services.FeedbackItem(
            text="Les mairies attendent l'export", date=datetime.date(2025, 1, 2),
            tags=["export", "Mairies"],
        ),
        services.FeedbackItem(text="Merci !", date=datetime.date(2025, 1, 3),
                              kind=FeedbackKind.PRAISE, tags=["EXPORT"],
                              assignee=world.people["team"]),
    ]
    created = services.feedback_bulk_create(
        startup=startup, actor=world.people["team"], items=items
    )
    assert [f.pk is not None for f in created] == [True, True]
    first, second = created
    assert sorted(t.name for t in first.tags.all()) == ["Mairies", "export"]
    assert [t.name for t in second.tags.all()] == ["export"]
    assert Tag.objects.filter(startup=startup).count() == 2
    assert Activity.objects.get(verb="feedback.imported").actor == world.people["team"]
    if POSTGRES:
        assert list(Feedback.objects.search_text("mairie")) == [first]


def test_bulk_create_refuses_an_assignee_from_elsewhere(world):
    with pytest.raises(ValidationError):
        services.feedback_bulk_create(
            startup=world.startup, actor=None,
            items=[services.FeedbackItem(text="x", date=datetime.date(2025, 1, 1),
                                         assignee=UserFactory())],
        )
    assert not Feedback.objects.exists()


def test_create_refuses_an_assignee_from_elsewhere(world):
    with pytest.raises(ValidationError):
        services.feedback_create(
            startup=world.startup, actor=world.people["team"], text="x", assignee=UserFactory()
        )


def test_merge_follows_chains_and_refuses_what_it_cannot_do(world):
    actor = world.people["team"]
    a, b, c, d = (FeedbackFactory(startup=world.startup) for _i in range(4))
    services.feedback_merge(feedback=b, actor=actor, duplicates=[c])
    # Merging b into a brings c along: a chain never grows.
    assert services.feedback_merge(feedback=a, actor=actor, duplicates=[b]) == 2
    c.refresh_from_db()
    assert c.merged_into_id == a.pk
    for duplicates in ([], [a], [c], [FeedbackFactory(startup=StartupFactory())]):
        with pytest.raises(ValidationError):
            services.feedback_merge(feedback=a, actor=actor, duplicates=duplicates)
    with pytest.raises(ValidationError):
        services.feedback_merge(feedback=c, actor=actor, duplicates=[d])
    assert Feedback.objects.count() == 5


def test_bulk_status_ignores_other_startups(world):
    mine = FeedbackFactory(startup=world.startup)
    theirs = FeedbackFactory(startup=StartupFactory())
    count = services.feedback_bulk_set_status(
        startup=world.startup, actor=world.people["team"], ids=[mine.pk, theirs.pk],
        status=FeedbackStatus.DONE,
    )
    assert count == 1
    theirs.refresh_from_db()
    assert theirs.status == "new"
    with pytest.raises(ValidationError):
        services.feedback_bulk_set_status(
            startup=world.startup, actor=world.people["team"], ids=[mine.pk], status="lost"
        )


def test_demo_seed_creates_a_varied_year_of_feedback():
    startup = StartupFactory()
    people = {
        str(role): MembershipFactory(startup=startup, role=role).user
        for role in (Role.INTRAPRENEUR, Role.TEAM, Role.COACH, Role.SPONSOR)
    }
    started = time.perf_counter()
    demo_feedback.seed(startup=startup, people=people)
    elapsed = time.perf_counter() - started
    print(f"\ndemo_feedback.seed: {elapsed * 1000:.0f} ms for {demo_feedback.COUNT} items")
    items = Feedback.objects.for_startup(startup)
    assert items.count() == 400
    assert items.values("text").distinct().count() == 400
    dates = sorted(items.values_list("date", flat=True))
    assert (dates[-1] - dates[0]).days > 300
    for field, values in (
        ("kind", FeedbackKind.values), ("source", FeedbackSource.values),
        ("status", FeedbackStatus.values),
    ):
        assert set(items.values_list(field, flat=True)) == set(values), field
    assert items.filter(channel="form").count() > items.filter(channel="phone").count()
    with_email = items.exclude(author_email="")
    assert with_email.count() > 20
    addresses = with_email.values_list("author_email", flat=True)
    assert all(address.endswith("@example.fr") for address in addresses)
    assert 0 < items.filter(author_consents=True).count() < with_email.count()
    assert not items.filter(author_consents=True, author_email="").exists()
    assert Tag.objects.filter(startup=startup).count() >= 12
    assert items.filter(tags__isnull=True).count() == 0
    assert set(items.exclude(assignee=None).values_list("assignee", flat=True)) <= {
        people["intrapreneur"].pk, people["team"].pk
    }
    merged = items.filter(merged_into__isnull=False)
    assert 5 <= merged.count() <= 10
    assert Activity.objects.filter(startup=startup, verb="feedback.merged").count() == 5
    if POSTGRES:
        assert not items.filter(search__isnull=True).exists()
        assert items.search_text("mairie").exists()
