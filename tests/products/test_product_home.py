"""The product home: what is tested this week, the cadences, the hypotheses, learnings,
partners, feedback waiting for triage and the ideas on top — for everyone who may view."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from products.enums import FeedbackStatus
from tests.products.factories import (
    FeedbackFactory,
    HypothesisFactory,
    IdeaFactory,
    IdeaVoteFactory,
    LearningFactory,
    PartnerFactory,
    ReleaseFactory,
    UserTestFactory,
)

pytestmark = pytest.mark.django_db


def path(world) -> str:
    return reverse("products:home", kwargs={"slug": world.startup.slug})


def fill(world, size: int) -> None:
    """``size`` of everything: hypotheses with tests over the weeks, releases, learnings,
    partners, untriaged feedback, ideas with votes."""
    startup, today = world.startup, timezone.localdate()
    for index in range(size):
        hypothesis = HypothesisFactory(
            startup=startup, status=("to_test", "testing", "validated")[index % 3]
        )
        UserTestFactory(
            startup=startup, hypothesis=hypothesis,
            date=today - datetime.timedelta(weeks=index % 6), result="validates",
        )
        ReleaseFactory(
            startup=startup, is_published=True, published_at=timezone.now(),
            date=today - datetime.timedelta(weeks=index % 12),
        )
        ReleaseFactory(startup=startup, answers=[FeedbackFactory(startup=startup)])
        LearningFactory(startup=startup)
        PartnerFactory(startup=startup, stage=("identified", "deployed")[index % 2])
        FeedbackFactory(startup=startup, status=FeedbackStatus.NEW)
        idea = IdeaFactory(startup=startup)
        IdeaVoteFactory(idea=idea, user=world.people["coach"])


def test_the_home_shows_where_the_loop_stands(world):
    startup, today = world.startup, timezone.localdate()
    hypothesis = HypothesisFactory(
        startup=startup, statement="Les mairies déclarent seules si le formulaire est court",
        status="testing",
    )
    UserTestFactory(startup=startup, hypothesis=hypothesis, date=today)
    UserTestFactory(startup=startup, hypothesis=hypothesis, date=today - datetime.timedelta(7))
    HypothesisFactory(startup=startup, status="validated")
    ReleaseFactory(startup=startup, is_published=True, date=today, published_at=timezone.now())
    ReleaseFactory(startup=startup, is_published=False, date=today)  # a draft: not counted
    LearningFactory(startup=startup, learned="Les agents préfèrent le téléphone le matin")
    PartnerFactory(startup=startup, stage="deployed", organisation="Mairie de Guéret")
    FeedbackFactory(startup=startup, text="Le bouton d'envoi est introuvable", status="new")
    FeedbackFactory(startup=startup, text="Merci pour le service", status="done")
    idea = IdeaFactory(startup=startup, title="Rappeler les usagers par SMS")
    IdeaVoteFactory(idea=idea, user=world.people["sponsor"])

    response = world.client_for("team").get(path(world))

    assert response.status_code == 200
    assertContains(response, "Les mairies déclarent seules si le formulaire est court")
    cadence = response.context["cadence"]
    assert (cadence.streak, cadence.weeks[-1].count, cadence.weeks[-2].count) == (2, 1, 1)
    assert response.context["chart"]["total"] == 1
    assert dict((s, c) for s, _l, c in response.context["hypotheses"]) == {
        "to_test": 0, "testing": 1, "validated": 1, "invalidated": 0, "abandoned": 0,
    }
    assertContains(response, "Les agents préfèrent le téléphone le matin")
    assert response.context["partner_count"] == 1
    assertContains(response, "1 retour en attente.")
    assertContains(response, "Le bouton d&#x27;envoi est introuvable")
    assertContains(response, "Rappeler les usagers par SMS")
    assertContains(response, reverse("products:test-create", kwargs={"slug": startup.slug}))


def test_the_sponsor_reads_the_home_without_the_feedback_texts(world):
    FeedbackFactory(startup=world.startup, text="Le bouton d'envoi est introuvable")

    response = world.client_for("sponsor").get(path(world))

    assert response.status_code == 200
    assertContains(response, "1 retour en attente.")
    assertNotContains(response, "introuvable")
    slug = {"slug": world.startup.slug}
    assertNotContains(response, reverse("products:feedback-list", kwargs=slug))
    assertNotContains(response, reverse("products:test-create", kwargs=slug))


def test_an_empty_startup_gets_a_guiding_home(world):
    response = world.client_for("coach").get(path(world))
    assert response.status_code == 200
    assertContains(response, "Aucun test utilisateur cette semaine")
    assert response.context["cadence"].streak == 0


def test_outsiders_get_404(world):
    assert world.client_for("outsider").get(path(world)).status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_query_count(world, django_assert_num_queries, size):
    fill(world, size)
    client = world.client_for("team")
    # session, user, startup, membership; hypotheses per status; untriaged count and rows;
    # partners per stage; this week's tests; the cadence; releases per week; the latest
    # learnings; the drafts to publish; the top ideas.
    with django_assert_num_queries(14):
        response = client.get(path(world))
    assert response.status_code == 200


def test_a_draft_published_from_the_home_comes_back_to_the_home(world):
    startup = world.startup
    answered = [FeedbackFactory(startup=startup, status=FeedbackStatus.NEW) for _ in range(2)]
    FeedbackFactory(startup=startup, status=FeedbackStatus.NEW)
    draft = ReleaseFactory(startup=startup, version="2.1", answers=answered)
    client = world.client_for("team")
    page = client.get(path(world))
    assertContains(page, "Versions prêtes à publier")
    assertContains(page, "répond à 2 retours")
    assertContains(page, "3 retours en attente.")

    response = client.post(
        reverse("products:release-publish", args=[startup.slug, draft.pk]),
        {"next": path(world)}, follow=True,
    )

    assert response.redirect_chain[-1][0] == path(world)
    assertNotContains(response, "Versions prêtes à publier")
    assertContains(response, "1 retour en attente.")
    draft.refresh_from_db()
    assert draft.is_published


def test_the_sponsor_sees_no_draft_to_publish(world):
    ReleaseFactory(startup=world.startup, version="2.1")
    assertNotContains(world.client_for("sponsor").get(path(world)), "Versions prêtes à publier")
