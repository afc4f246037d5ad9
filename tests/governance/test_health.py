"""The health status: the intrapreneur sets it from the dashboard (on track, at risk, off
track, with a one-line reason); the latest is current, the others its history."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.models import HealthStatus
from governance.services.health import health_set
from intrapreneur.models import Activity
from tests.governance.factories import HealthStatusFactory

pytestmark = pytest.mark.django_db


def dashboard_url(startup):
    return reverse("governance:dashboard", kwargs={"slug": startup.slug})


def health_url(startup):
    return reverse("governance:health-set", kwargs={"slug": startup.slug})


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_the_intrapreneur_sets_the_health_and_everyone_reads_it(world):
    client = world.client_for("intrapreneur")
    response = client.post(
        health_url(world.startup),
        {"status": "at_risk", "reason": "  La convention   n'est pas signée. "},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{dashboard_url(world.startup)}#health"
    health = HealthStatus.objects.get(startup=world.startup)
    assert (health.status, health.reason) == ("at_risk", "La convention n'est pas signée.")
    assert health.author == world.people["intrapreneur"]
    activity = Activity.objects.get(startup=world.startup, verb="health.set")
    assert activity.actor == world.people["intrapreneur"]

    page = world.client_for("sponsor").get(dashboard_url(world.startup))
    assert soup(page).select_one("#health-status")["data-status"] == "at_risk"
    assert soup(page).select_one("#health-reason").get_text() == "La convention n'est pas signée."
    assert str(world.people["intrapreneur"]) in soup(page).select_one("#health-set-by").get_text()


def test_the_history_is_a_click_away(world):
    HealthStatusFactory(startup=world.startup, status="on_track", reason="Démarrage.")
    HealthStatusFactory(startup=world.startup, status="at_risk", reason="Recrutement en retard.")
    client = world.client_for("intrapreneur")
    client.post(health_url(world.startup), {"status": "on_track", "reason": "Équipe au complet."})
    page = client.get(dashboard_url(world.startup))
    assert soup(page).select_one("#health-reason").get_text() == "Équipe au complet."
    history = soup(page).select("#health-history li")
    assert [li["data-status"] for li in history] == ["at_risk", "on_track"]
    assert "Recrutement en retard." in history[0].get_text()


@pytest.mark.parametrize(
    "data",
    [{}, {"status": "on_track"}, {"status": "great", "reason": "Super."},
     {"status": "on_track", "reason": "x" * 201}],
)
def test_a_bad_status_is_refused_with_a_message_and_nothing_is_written(world, data):
    response = world.client_for("intrapreneur").post(health_url(world.startup), data)
    assert response.status_code == 302
    assert response["Location"].startswith(dashboard_url(world.startup))
    assert messages_of(response)
    assert not HealthStatus.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("team", 403), ("coach", 403), ("sponsor", 403), ("staff", 403), ("outsider", 404)],
)
def test_only_the_intrapreneur_sets_the_health(world, role, status):
    response = world.client_for(role).post(
        health_url(world.startup), {"status": "off_track", "reason": "Tout va mal."}
    )
    assert response.status_code == status
    assert not HealthStatus.objects.exists()


def test_the_health_is_set_by_post_only(world):
    assert world.client_for("intrapreneur").get(health_url(world.startup)).status_code == 405


def test_the_service_checks_the_status_and_the_reason(world):
    actor = world.people["intrapreneur"]
    with pytest.raises(ValidationError):
        health_set(startup=world.startup, actor=actor, status="unknown", reason="Pourquoi pas.")
    with pytest.raises(ValidationError):
        health_set(startup=world.startup, actor=actor, status="at_risk", reason="   ")
    health = health_set(
        startup=world.startup, actor=actor, status="off_track", reason="Plus de budget."
    )
    assert HealthStatus.objects.latest_for(world.startup) == health
