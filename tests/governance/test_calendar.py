"""Calendars: a member's private feed (a secret, revocable address made from the profile
page) with the committees, planned user tests, partners' next steps and standards'
deadlines of their startups, each event with a stable identifier; and the .ics of one
committee, of both kinds."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from intrapreneur import services
from intrapreneur.enums import Role
from intrapreneur.models import CalendarFeed
from tests.conftest import GuardedClient
from tests.governance.factories import InvestmentCommitteeFactory, StandardFactory
from tests.intrapreneur.factories import MembershipFactory, StartupFactory
from tests.investigations.factories import InterviewFactory, LaunchCommitteeFactory
from tests.products.factories import PartnerFactory, UserTestFactory

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def client_for(user):
    client = GuardedClient()
    client.force_login(user)
    return client


def events(response) -> dict[str, dict]:
    """The feed's events by UID: their day, summary and description."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["uid"]): {
            "day": event.decoded("dtstart"),
            "summary": str(event["summary"]),
            "description": str(event.get("description", "")),
        }
        for event in calendar.walk("VEVENT")
    }


def create_feed(user) -> str:
    """Create the person's feed as they would, from the profile page; its path."""
    response = client_for(user).post(reverse("calendar-feed-create"))
    url = soup(response).select_one("#calendar-feed-url")["value"]
    return url.removeprefix("http://testserver")


@pytest.fixture
def member():
    """A team member of “Accueil Accessible”, with something of every kind in it."""
    startup = StartupFactory(name="Accueil Accessible")
    membership = MembershipFactory(startup=startup, role=Role.TEAM)
    objects = {
        "investment": InvestmentCommitteeFactory(startup=startup, date=days(30)),
        "decided": InvestmentCommitteeFactory(
            startup=startup, date=days(-100), decision="continue"
        ),
        "launch": LaunchCommitteeFactory(startup=startup, date=days(-200)),
        "test": UserTestFactory(startup=startup, date=days(7)),
        "test_today": UserTestFactory(startup=startup, date=days(0), hypothesis=None),
        "past_test": UserTestFactory(startup=startup, date=days(-7)),
        "partner": PartnerFactory(startup=startup, next_step="Signer la convention",
                                  next_step_date=days(12)),
        "partner_undated": PartnerFactory(startup=startup, next_step="Rappeler"),
        "standard": StandardFactory(startup=startup, kind="accessibility", due_on=days(20),
                                    owner=membership),
        "renewal": StandardFactory(startup=startup, kind="security", status="done",
                                   homologated_on=days(-300), renewal_due_on=days(400)),
        "undated_standard": StandardFactory(startup=startup, kind="dsfr", due_on=None),
    }
    return membership, objects


def test_the_feed_lists_the_events_of_the_members_startups(member):
    membership, o = member
    # Another startup, where the person is no member: nothing of it.
    elsewhere = StartupFactory(name="Cantine Facile")
    InvestmentCommitteeFactory(startup=elsewhere, date=days(5))
    UserTestFactory(startup=elsewhere, date=days(5))

    listed = events(GuardedClient().get(create_feed(membership.user)))

    assert {uid: event["day"] for uid, event in listed.items()} == {
        f"committee-{o['investment'].pk}@intrapreneur": days(30),
        f"committee-{o['decided'].pk}@intrapreneur": days(-100),
        f"launch-committee-{o['launch'].pk}@intrapreneur": days(-200),
        f"user-test-{o['test'].pk}@intrapreneur": days(7),
        f"user-test-{o['test_today'].pk}@intrapreneur": days(0),
        f"partner-next-step-{o['partner'].pk}@intrapreneur": days(12),
        f"standard-{o['standard'].pk}@intrapreneur": days(20),
        f"standard-{o['renewal'].pk}@intrapreneur": days(400),
    }
    summaries = {uid: event["summary"] for uid, event in listed.items()}
    assert summaries[f"committee-{o['investment'].pk}@intrapreneur"] == (
        "Comité d'investissement — Accueil Accessible"
    )
    assert summaries[f"launch-committee-{o['launch'].pk}@intrapreneur"] == (
        "Comité de lancement — Accueil Accessible"
    )
    assert summaries[f"user-test-{o['test'].pk}@intrapreneur"] == (
        "Test utilisateur — Accueil Accessible"
    )
    assert summaries[f"partner-next-step-{o['partner'].pk}@intrapreneur"] == (
        f"{o['partner'].organisation} : Signer la convention — Accueil Accessible"
    )
    assert summaries[f"standard-{o['standard'].pk}@intrapreneur"] == (
        "Échéance : Accessibilité (RGAA) — Accueil Accessible"
    )
    assert summaries[f"standard-{o['renewal'].pk}@intrapreneur"] == (
        "Renouvellement : Homologation de sécurité — Accueil Accessible"
    )
    decided = listed[f"committee-{o['decided'].pk}@intrapreneur"]
    assert decided["description"] == "Décision : Poursuivre"
    assert o["test"].hypothesis.statement in (
        listed[f"user-test-{o['test'].pk}@intrapreneur"]["description"]
    )


def test_the_feed_carries_no_research_data(member):
    membership, o = member
    InterviewFactory(startup=membership.startup, date=days(3), notes="Notes confidentielles")
    content = GuardedClient().get(create_feed(membership.user)).content.decode()
    assert "confidentielles" not in content
    assert o["test"].observations not in content
    assert "interview" not in content.lower()


def test_ids_are_stable_between_fetches(member):
    membership, o = member
    path = create_feed(membership.user)
    first = GuardedClient().get(path)
    second = GuardedClient().get(path)
    assert first.content == second.content
    # The committee moves: the same event, at its new date.
    o["investment"].date = days(45)
    o["investment"].save()
    moved = events(GuardedClient().get(path))
    assert moved[f"committee-{o['investment'].pk}@intrapreneur"]["day"] == days(45)
    assert set(moved) == set(events(first))


def test_a_removed_member_sees_nothing_of_that_startup(member):
    membership, o = member
    path = create_feed(membership.user)
    other = MembershipFactory(user=membership.user, role=Role.SPONSOR)
    kept = InvestmentCommitteeFactory(startup=other.startup, date=days(9))
    intrapreneur = MembershipFactory(startup=membership.startup, role=Role.INTRAPRENEUR)
    assert len(events(GuardedClient().get(path))) == 9

    services.membership_remove(membership=membership, actor=intrapreneur.user)

    assert set(events(GuardedClient().get(path))) == {f"committee-{kept.pk}@intrapreneur"}


def test_an_archived_startup_leaves_the_feed(member):
    membership, _o = member
    path = create_feed(membership.user)
    membership.startup.archived_at = timezone.now()
    membership.startup.save()
    assert events(GuardedClient().get(path)) == {}


def test_the_feed_is_made_and_revoked_from_the_profile(member):
    membership, o = member
    user = membership.user
    client = client_for(user)
    profile = soup(client.get(reverse("account-profile")))
    section = profile.select_one("#calendar-feed")
    assert "Vous n'avez pas d'adresse d'agenda privée." in section.get_text()
    assert section.select_one(f"a[href='{reverse('calendar-feed-create')}']")

    confirm = soup(client.get(reverse("calendar-feed-create")))
    assert confirm.select_one("main form[method=post] button").get_text(strip=True) == (
        "Créer l'adresse"
    )
    response = client.post(reverse("calendar-feed-create"))
    page = soup(response)
    assert "Copiez-la maintenant : elle n'est montrée qu'une fois." in page.get_text()
    url = page.select_one("#calendar-feed-url")["value"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert url.startswith("http://testserver/calendar/")
    # Only the token's hash is kept.
    feed = CalendarFeed.objects.get(user=user)
    assert token not in feed.token_hash and len(feed.token_hash) == 64
    path = url.removeprefix("http://testserver")
    assert GuardedClient().get(path).status_code == 200

    profile = soup(client.get(reverse("account-profile")))
    assert profile.select_one("#calendar-feed [data-calendar-active]") is not None
    confirm = soup(client.get(reverse("calendar-feed-revoke")))
    assert "cessent de recevoir" in confirm.get_text()
    response = client.post(reverse("calendar-feed-revoke"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("account-profile")
    assert "Votre adresse d'agenda privée est révoquée" in soup(response).get_text()
    assert GuardedClient().get(path).status_code == 404
    assert CalendarFeed.objects.active().count() == 0
    # Nothing left to revoke: said, nothing written.
    response = client.post(reverse("calendar-feed-revoke"), follow=True)
    assert "Vous n'avez pas d'adresse d'agenda privée à révoquer." in soup(response).get_text()


def test_a_new_address_replaces_the_old_one(member):
    membership, _o = member
    old = create_feed(membership.user)
    confirm = soup(client_for(membership.user).get(reverse("calendar-feed-create")))
    assert "L'adresse actuelle cesse de fonctionner" in confirm.get_text()
    new = create_feed(membership.user)
    assert old != new
    assert GuardedClient().get(old).status_code == 404
    assert GuardedClient().get(new).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_feed_query_count(member, django_assert_num_queries, size):
    """The feed, the memberships, then one query per kind: the same with more startups."""
    membership, _o = member
    path = create_feed(membership.user)
    for _ in range(size):
        other = MembershipFactory(user=membership.user, role=Role.COACH).startup
        InvestmentCommitteeFactory(startup=other)
        LaunchCommitteeFactory(startup=other)
        UserTestFactory(startup=other, date=days(3))
        PartnerFactory(startup=other, next_step_date=days(4))
        StandardFactory(startup=other, due_on=days(5),
                        owner=MembershipFactory(startup=other, role=Role.TEAM))
    client = GuardedClient()
    with django_assert_num_queries(7):
        response = client.get(path)
    assert len(events(response)) == 8 + 5 * size


# ---------------------------------------------------------------- one committee


@pytest.mark.parametrize("kind", ["governance", "investigations"])
def test_one_committee_as_an_ics_file(member, kind):
    membership, o = member
    committee = o["investment"] if kind == "governance" else o["launch"]
    detail = reverse(f"{kind}:committee-detail", args=[membership.startup.slug, committee.pk])
    ics = reverse(f"{kind}:committee-ics", args=[membership.startup.slug, committee.pk])
    sponsor = MembershipFactory(startup=membership.startup, role=Role.SPONSOR).user
    client = client_for(sponsor)
    link = soup(client.get(detail)).select_one("#committee-ics-link")
    assert link["href"] == ics

    response = client.get(ics)

    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.ics"')
    listed = events(response)
    prefix = "committee" if kind == "governance" else "launch-committee"
    assert list(listed) == [f"{prefix}-{committee.pk}@intrapreneur"]
    assert listed[f"{prefix}-{committee.pk}@intrapreneur"]["day"] == committee.date
    # The same event as in the member's feed: a calendar holding both keeps one.
    assert f"{prefix}-{committee.pk}@intrapreneur" in events(
        GuardedClient().get(create_feed(membership.user))
    )
