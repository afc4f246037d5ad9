"""Each page's exact query count, the same at two data sizes with richer rows (no N+1)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from intrapreneur import services
from intrapreneur.enums import Role
from intrapreneur.models import Invitation
from tests.intrapreneur.factories import MembershipFactory, StartupFactory, UserFactory
from tests.intrapreneur.test_views import PNG

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def fill(startup, actor, size):
    """`size` rows of everything, each row carrying more related data as size grows."""
    for i in range(size):
        member = MembershipFactory(startup=startup, role=Role.TEAM).user
        tags = [f"étiquette {i}-{j}" for j in range(1 + size // 10)]
        services.attachment_create(
            startup=startup, actor=member, tags=tags,
            upload=SimpleUploadedFile(f"f{i}.png", PNG, content_type="image/png"),
        )
        services.event_create(startup=startup, actor=member, kind="other",
                              date=timezone.localdate())
        Invitation.objects.create(
            startup=startup, email=f"invitee{i}@example.gouv.fr", role=Role.COACH,
            token_hash=f"{startup.pk}-{i}", invited_by=member,
            expires_at=timezone.now() + datetime.timedelta(days=3),
        )


@pytest.fixture
def member_client(client):
    def make(size):
        user = UserFactory()
        startup = StartupFactory(slug="mesuree")
        MembershipFactory(startup=startup, user=user, role=Role.INTRAPRENEUR)
        fill(startup, user, size)
        for _ in range(size):
            MembershipFactory(startup=StartupFactory(), user=user)
        client.force_login(user)
        return client
    return make


# page -> exact number of queries (session, user, then the page's own).
PAGES = {
    "home": ("/", 4),
    "overview": ("startup-overview", 10),  # the standards panel and the coaching count
    "team": ("startup-team", 6),
    "activity": ("activity-list", 7),
    "tags": ("tag-list", 6),
    "files": ("attachment-list", 8),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", PAGES)
def test_page_query_count(member_client, django_assert_num_queries, page, size):
    client = member_client(size)
    name, expected = PAGES[page]
    path = name if name.startswith("/") else reverse(name, kwargs={"slug": "mesuree"})
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert response.status_code == 200
