"""The public changelog and its Atom feed: published releases only, newest first, no
account needed, 404 unless the startup is public and not archived."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from products.services import releases as services
from tests.conftest import GuardedClient
from tests.intrapreneur.factories import MembershipFactory, StartupFactory
from tests.products.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def url(name, startup):
    return reverse(f"public:{name}", kwargs={"slug": startup.slug})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def startup(db):
    return StartupFactory(
        name="Accueil Accessible", slug="accueil-accessible", is_public=True,
        mission="Savoir avant de se déplacer si un accueil est accessible.",
    )


@pytest.fixture
def client():
    return GuardedClient()


def published(startup, version, day, **kwargs):
    return ReleaseFactory(
        startup=startup, version=version, date=day, is_published=True,
        published_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))),
        **kwargs,
    )


def entries(response):
    """(id, title, link, updated, content) of each entry of the feed, in order."""
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [
        {
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "content": entry.findtext(f"{ATOM}content"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


# ---------------------------------------------------------------- the page


def test_the_landing_page_links_to_the_changelog(client, startup):
    response = client.get(url("landing", startup))
    link = soup(response).select_one('#public-links a[data-page="public:changelog"]')
    assert link["href"] == url("changelog", startup)


def test_the_changelog_lists_the_published_releases_newest_first(client, startup):
    day = datetime.date(2026, 2, 2)
    first = published(startup, "1.0.0", day, notes="- **Nouveau** : la carte des accueils.")
    same_day = published(startup, "1.0.1", day)
    last = published(startup, "1.1.0", day + datetime.timedelta(days=7),
                     notes="Correctif <script>alert(1)</script> [lien](javascript:alert(1))")
    ReleaseFactory(startup=startup, version="2.0-brouillon", date=day + datetime.timedelta(9))
    ReleaseFactory(version="9.9", is_published=True)  # another startup's
    response = client.get(url("changelog", startup))
    assert response.status_code == 200
    page = soup(response)
    articles = page.select("#changelog article")
    assert [a["id"] for a in articles] == [
        f"release-{last.uuid}", f"release-{same_day.uuid}", f"release-{first.uuid}"
    ]
    assert [a.h2.get_text(strip=True) for a in articles] == ["1.1.0", "1.0.1", "1.0.0"]
    assertContains(response, "<strong>Nouveau</strong>", html=True)
    assertNotContains(response, "<script>alert")
    assertNotContains(response, "javascript:")
    assertNotContains(response, "2.0-brouillon")
    assertNotContains(response, "9.9")
    assert page.select_one("#changelog-feed-link")["href"] == url("changelog-feed", startup)
    assert page.title.string.startswith(f"{page.h1.get_text(strip=True)} — Accueil Accessible")


def test_the_changelog_shows_twenty_releases_a_page(client, startup):
    start = datetime.date(2025, 1, 6)
    for n in range(23):
        published(startup, f"1.{n}", start + datetime.timedelta(weeks=n))
    page_one = soup(client.get(url("changelog", startup)))
    assert len(page_one.select("#changelog article")) == 20
    assert page_one.select("#changelog h2")[0].get_text(strip=True) == "1.22"
    page_two = soup(client.get(url("changelog", startup), {"page": 2}))
    assert [h.get_text(strip=True) for h in page_two.select("#changelog h2")] == [
        "1.2", "1.1", "1.0"]


def test_an_empty_changelog_says_so(client, startup):
    response = client.get(url("changelog", startup))
    assertContains(response, "L’équipe n’a encore publié aucune version.")


@pytest.mark.parametrize("name", ["changelog", "changelog-feed"])
def test_no_changelog_for_a_private_or_archived_startup(client, startup, name):
    published(startup, "1.0", datetime.date(2026, 1, 5))
    private = StartupFactory(is_public=False)
    published(private, "1.0", datetime.date(2026, 1, 5))
    assert client.get(url(name, private)).status_code == 404
    # Not even to its members.
    member = GuardedClient()
    member.force_login(MembershipFactory(startup=private).user)
    assert member.get(url(name, private)).status_code == 404
    startup.archived_at = timezone.now()
    startup.save(update_fields=["archived_at"])
    assert client.get(url(name, startup)).status_code == 404
    assert client.get(reverse(f"public:{name}", kwargs={"slug": "inconnue"})).status_code == 404


# ---------------------------------------------------------------- the feed


def test_the_feed_lists_the_published_releases_newest_first(client, startup):
    day = datetime.date(2026, 2, 2)
    first = published(startup, "1.0.0", day, notes="- **Nouveau** : la carte.")
    same_day = published(startup, "1.0.1", day)
    last = published(startup, "1.1.0", day + datetime.timedelta(days=7),
                     notes="<script>alert(1)</script>Plus rapide.")
    ReleaseFactory(startup=startup, version="2.0-brouillon", date=day + datetime.timedelta(9))
    ReleaseFactory(version="9.9", is_published=True)
    response = client.get(url("changelog-feed", startup))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    listed = entries(response)
    assert [e["id"] for e in listed] == [
        f"urn:uuid:{last.uuid}", f"urn:uuid:{same_day.uuid}", f"urn:uuid:{first.uuid}"
    ]
    assert [e["title"] for e in listed] == [
        "Accueil Accessible 1.1.0", "Accueil Accessible 1.0.1", "Accueil Accessible 1.0.0"
    ]
    changelog = f"http://testserver{url('changelog', startup)}"
    assert listed[0]["link"] == f"{changelog}#release-{last.uuid}"
    assert listed[0]["updated"] == "2026-02-09T10:00:00+01:00"
    assert "<script>" not in listed[0]["content"]
    assert "Plus rapide." in listed[0]["content"]
    assert "<strong>Nouveau</strong>" in listed[2]["content"]
    root = ET.fromstring(response.content)
    assert root.findtext(f"{ATOM}updated") == "2026-02-09T10:00:00+01:00"
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == f"http://testserver{url('changelog-feed', startup)}"


def test_the_feed_keeps_its_ids_across_an_edit_and_drops_unpublished_releases(
    client, startup
):
    actor = MembershipFactory(startup=startup).user
    old, _closure = services.release_create(
        startup=startup, actor=actor, version="1.0", date=datetime.date(2026, 1, 5),
        is_published=True,
    )
    new, _closure = services.release_create(
        startup=startup, actor=actor, version="1.1", date=datetime.date(2026, 1, 12),
        is_published=True,
    )
    before = entries(client.get(url("changelog-feed", startup)))
    services.release_update(
        release=old, actor=actor, version="1.0 « Carte »", date=datetime.date(2026, 1, 6),
        notes="Renommée.",
    )
    after = entries(client.get(url("changelog-feed", startup)))
    assert [e["id"] for e in after] == [e["id"] for e in before] == [
        f"urn:uuid:{new.uuid}", f"urn:uuid:{old.uuid}"
    ]
    assert after[1]["title"] == "Accueil Accessible 1.0 « Carte »"
    services.release_update(
        release=new, actor=actor, version="1.1", date=new.date, is_published=False
    )
    assert [e["id"] for e in entries(client.get(url("changelog-feed", startup)))] == [
        f"urn:uuid:{old.uuid}"
    ]


def test_the_feed_holds_the_fifty_latest_releases_linked_to_their_page(client, startup):
    start = datetime.date(2025, 1, 6)
    releases = [published(startup, f"0.{n}", start + datetime.timedelta(days=n))
                for n in range(55)]
    listed = entries(client.get(url("changelog-feed", startup)))
    assert [e["title"] for e in listed] == [
        f"Accueil Accessible 0.{n}" for n in range(54, 4, -1)
    ]
    changelog = f"http://testserver{url('changelog', startup)}"
    assert listed[19]["link"] == f"{changelog}#release-{releases[35].uuid}"
    assert listed[20]["link"] == f"{changelog}?page=2#release-{releases[34].uuid}"
    # The link leads to the page that shows the entry.
    page = soup(client.get(url("changelog", startup), {"page": 2}))
    assert page.select_one(f"#release-{releases[34].uuid}") is not None


def test_an_empty_feed_is_valid(client, startup):
    response = client.get(url("changelog-feed", startup))
    assert response.status_code == 200
    assert entries(response) == []
