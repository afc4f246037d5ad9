"""The public pages of a public startup: landing, feedback form (honeypot, rate limit)."""

import re
import time

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.models import Activity
from products.enums import FeedbackChannel, FeedbackSource, FeedbackStatus
from products.models import Feedback
from tests.conftest import GuardedClient
from tests.intrapreneur.factories import MembershipFactory, StartupFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Le lien du rendez-vous ne marche pas sur mon téléphone."


def url(name, startup):
    return reverse(f"public:{name}", kwargs={"slug": startup.slug})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def startup(db):
    return StartupFactory(
        name="Rendez-vous Facile", is_public=True, website="https://rdv.beta.gouv.fr",
        mission="Prendre rendez-vous en mairie sans attendre au téléphone.",
    )


def post(client, startup, follow=False, **data):
    return client.post(
        url("feedback", startup), {"text": MESSAGE, **data}, follow=follow, **client.extra
    )


@pytest.fixture
def client():
    client = GuardedClient()
    client.extra = {}
    return client


# ---------------------------------------------------------------- who sees the pages


@pytest.mark.parametrize("name", ["landing", "feedback", "feedback-thanks"])
def test_public_pages_answer_anonymous_people_when_the_startup_is_public(client, startup, name):
    response = client.get(url(name, startup))
    assert response.status_code == 200
    title = soup(response).title.string
    assert re.fullmatch(r".+ — Rendez-vous Facile — Intrapreneur", title), title
    assert len(soup(response).find_all("h1")) == 1


@pytest.mark.parametrize("name", ["landing", "feedback", "feedback-thanks"])
def test_public_pages_are_404_when_the_startup_is_not_public(client, name):
    private = StartupFactory(is_public=False)
    assert client.get(url(name, private)).status_code == 404
    assert client.post(url("feedback", private), {"text": MESSAGE}).status_code == 404
    # Members too: the public page of a private startup does not exist.
    member = MembershipFactory(startup=private).user
    client.force_login(member)
    assert client.get(url(name, private)).status_code == 404
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("name", ["landing", "feedback", "feedback-thanks"])
def test_public_pages_are_404_for_an_archived_or_unknown_startup(client, name):
    archived = StartupFactory(is_public=True, archived_at=timezone.now())
    assert client.get(url(name, archived)).status_code == 404
    assert client.get(f"/public/inconnue/{'' if name == 'landing' else 'feedback/'}").status_code \
        == 404


def test_landing_shows_the_startup_and_links_its_public_pages(client, startup):
    response = client.get(url("landing", startup))
    assertContains(response, "Rendez-vous Facile")
    assertContains(response, "Prendre rendez-vous en mairie sans attendre au téléphone.")
    assertContains(response, 'href="https://rdv.beta.gouv.fr"')
    links = [a["data-page"] for a in soup(response).select("#public-links a[data-page]")]
    assert links == ["public:feedback", "public:stats", "public:changelog", "public:budget"]
    assertContains(response, f'href="{url("feedback", startup)}"')
    assertContains(response, f'href="{url("stats", startup)}"')


def test_landing_shows_no_member_navigation_to_anonymous_people(client, startup):
    response = client.get(url("landing", startup))
    assertNotContains(response, reverse("startup-create"))
    assertNotContains(response, reverse("startup-overview", kwargs={"slug": startup.slug}))
    assertNotContains(response, "fr-sidemenu")


def test_landing_never_links_a_javascript_website(client):
    startup = StartupFactory(is_public=True, website="javascript:alert(1)")
    assertNotContains(client.get(url("landing", startup)), "javascript:")


# ---------------------------------------------------------------- the form


def test_the_form_is_a_csrf_protected_form_with_a_hidden_honeypot(client, startup):
    response = client.get(url("feedback", startup))
    page = soup(response)
    form = page.select_one(f'form[action="{url("feedback", startup)}"]')
    assert form["method"] == "post"
    assert form.select_one('input[name="csrfmiddlewaretoken"]') is not None
    honeypot = form.select_one('input[name="website"]')
    assert honeypot.find_parent(class_="honeypot") is not None
    assert honeypot["tabindex"] == "-1"
    assert page.select_one('label[for="id_website"]') is not None
    # CSRF stays on: a post without the token is refused.
    strict = GuardedClient(enforce_csrf_checks=True)
    assert strict.post(url("feedback", startup), {"text": MESSAGE}).status_code == 403
    assert not Feedback.objects.exists()


def test_a_message_lands_in_the_inbox_as_new_and_is_recorded(client, startup):
    response = post(client, startup, email="lea@example.fr", consents="on")
    assertRedirects(response, url("feedback-thanks", startup))
    feedback = Feedback.objects.for_startup(startup).untriaged().get()
    assert feedback.text == MESSAGE
    assert feedback.status == FeedbackStatus.NEW
    assert feedback.source == FeedbackSource.USER
    assert feedback.channel == FeedbackChannel.FORM
    assert feedback.author_email == "lea@example.fr"
    assert feedback.author_consents is True
    activity = Activity.objects.get(startup=startup, verb="feedback.received")
    assert activity.actor is None
    assert activity.target_id == feedback.pk


def test_an_anonymous_message_keeps_no_address(client, startup):
    assertRedirects(post(client, startup, email="", consents="on"), url("feedback-thanks", startup))
    feedback = Feedback.objects.get()
    assert feedback.author_email == ""
    assert feedback.author_consents is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full text is PostgreSQL's")
def test_a_received_message_is_found_by_the_full_text_search(client, startup):
    from django.contrib.postgres.search import SearchQuery

    post(client, startup)
    assert Feedback.objects.filter(search=SearchQuery("téléphones", config="french")).exists()


def test_an_address_without_consent_is_refused_and_what_was_typed_kept(client, startup):
    response = post(client, startup, email="lea@example.fr")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("textarea[name=text]").string.strip() == MESSAGE
    assert page.select_one("input[name=email]")["value"] == "lea@example.fr"
    assert page.select_one("#id_email-desc-error") is not None
    assert not Feedback.objects.exists()


def test_an_empty_message_is_refused(client, startup):
    response = client.post(url("feedback", startup), {"text": "  ", "email": "a@example.fr",
                                                      "consents": "on"})
    assert response.status_code == 200
    assertContains(response, "fr-input-group--error")
    assert soup(response).select_one("input[name=email]")["value"] == "a@example.fr"
    assert not Feedback.objects.exists()


def test_a_filled_honeypot_is_dropped_silently(client, startup):
    response = post(client, startup, website="https://spam.example")
    assertRedirects(response, url("feedback-thanks", startup))
    assert not Feedback.objects.exists()
    assert not Activity.objects.filter(verb="feedback.received").exists()


def test_the_thank_you_page_leads_back(client, startup):
    response = post(client, startup, follow=True)
    assert response.redirect_chain == [(url("feedback-thanks", startup), 302)]
    assert soup(response).select_one("#feedback-thanks") is not None
    assertContains(response, f'href="{url("landing", startup)}"')
    assertContains(response, f'href="{url("feedback", startup)}"')


# ---------------------------------------------------------------- rate limit


def test_the_sixth_post_in_a_minute_is_refused_with_what_was_typed(client, startup):
    for _ in range(5):
        assert post(client, startup).status_code == 302
    response = client.post(url("feedback", startup), {"text": "Mon sixième message"})
    assert response.status_code == 429
    page = soup(response)
    assert page.select_one("#feedback-rate-limited") is not None
    assert page.select_one("textarea[name=text]").string.strip() == "Mon sixième message"
    assert Feedback.objects.count() == 5
    # A honeypot or an invalid post counts as well, and is refused the same way.
    assert post(client, startup, website="x").status_code == 429


def test_the_limit_counts_invalid_posts_too(client, startup):
    for _ in range(5):
        assert client.post(url("feedback", startup), {"text": ""}).status_code == 200
    assert post(client, startup).status_code == 429
    assert not Feedback.objects.exists()


def test_the_limit_ends_after_the_minute(client, startup, monkeypatch):
    for _ in range(6):
        post(client, startup)
    assert Feedback.objects.count() == 5
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert post(client, startup).status_code == 302
    assert Feedback.objects.count() == 6


def test_the_limit_is_per_client_address(client, startup):
    client.extra = {"REMOTE_ADDR": "192.0.2.1"}
    for _ in range(5):
        post(client, startup)
    assert post(client, startup).status_code == 429
    client.extra = {"REMOTE_ADDR": "192.0.2.2"}
    assert post(client, startup).status_code == 302


def test_behind_the_trusted_proxy_two_clients_are_counted_apart(client, startup, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # Every post comes from the proxy's address; the proxy appends the client's own.
    first = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    second = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    client.extra = first
    for _ in range(5):
        assert post(client, startup).status_code == 302
    assert post(client, startup).status_code == 429
    client.extra = second
    for _ in range(5):
        assert post(client, startup).status_code == 302
    assert post(client, startup).status_code == 429
    assert Feedback.objects.count() == 10


def test_behind_the_proxy_a_forged_forwarded_address_does_not_escape(client, startup, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for i in range(5):
        client.extra = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{i}, 203.0.113.5"}
        assert post(client, startup).status_code == 302
    client.extra = {"HTTP_X_FORWARDED_FOR": "192.0.2.99, 203.0.113.5"}
    assert post(client, startup).status_code == 429


def test_without_the_proxy_header_the_address_is_the_connection(client, startup, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2  # a header shorter than the proxy chain
    client.extra = {"REMOTE_ADDR": "192.0.2.8", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for _ in range(5):
        assert post(client, startup).status_code == 302
    assert post(client, startup).status_code == 429
