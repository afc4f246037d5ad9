"""The product in the Django admin: staff read their incubators' rows, never personal data."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.intrapreneur.factories import StartupFactory
from tests.products.factories import (
    ApiTokenFactory,
    FeedbackFactory,
    HypothesisFactory,
    IdeaFactory,
    LearningFactory,
    MetricFactory,
    PartnerFactory,
    ReleaseFactory,
    UserTestFactory,
)

FACTORIES = {
    "feedback": (FeedbackFactory, "channel"),
    "idea": (IdeaFactory, "title"),
    "metric": (MetricFactory, "name"),
    "apitoken": (ApiTokenFactory, "name"),
    "hypothesis": (HypothesisFactory, "statement"),
    "usertest": (UserTestFactory, "users_profile"),
    "release": (ReleaseFactory, "version"),
    "learning": (LearningFactory, "learned"),
    "partner": (PartnerFactory, "organisation"),
}


@pytest.fixture
def admin_client(world):
    staff = world.people["staff"]
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="products"))
    return world.client_for("staff")


@pytest.mark.parametrize("model", FACTORIES)
def test_staff_read_their_incubators_rows_only(world, admin_client, model):
    factory, field = FACTORIES[model]
    value = "Ligne de notre incubateur" if field != "channel" else "phone"
    mine = factory(startup=world.startup, **{field: value})
    theirs = factory(startup=StartupFactory(), **{field: value})

    changelist = admin_client.get(reverse(f"admin:products_{model}_changelist"))

    mine_url = reverse(f"admin:products_{model}_change", args=[mine.pk])
    assertContains(changelist, f'href="{mine_url}"')
    assertNotContains(changelist, reverse(f"admin:products_{model}_change", args=[theirs.pk]))
    assertContains(admin_client.get(mine_url), value)
    other = admin_client.get(reverse(f"admin:products_{model}_change", args=[theirs.pk]))
    assert other.status_code == 302  # the admin's "not found" redirect
    # Written in the app, through the services: never added here.
    assert admin_client.get(reverse(f"admin:products_{model}_add")).status_code == 403


def test_the_admin_never_shows_feedback_texts_nor_authors(world, admin_client):
    """Staff have no ``view_research``: the inbox's texts stay out of the admin too."""
    item = FeedbackFactory(
        startup=world.startup, text="Le guichet de Guéret n'a pas de boucle magnétique",
        author_email="usagere@example.fr", author_consents=True,
    )
    for response in (
        admin_client.get(reverse("admin:products_feedback_change", args=[item.pk])),
        admin_client.get(reverse("admin:products_feedback_changelist")),
    ):
        assert response.status_code == 200
        assertNotContains(response, "boucle magnétique")
        assertNotContains(response, "usagere@example.fr")
