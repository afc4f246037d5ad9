"""Ideas as each role sees them: propose, vote once, sort by votes, edit, delete."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.models import Activity
from products.demo_ideas import seed
from products.models import Idea, IdeaVote
from products.services import ideas as services
from tests.intrapreneur.factories import MembershipFactory, UserFactory
from tests.products.factories import IdeaFactory, IdeaVoteFactory

pytestmark = pytest.mark.django_db


def url(name, startup, **kwargs):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def listed(response):
    """The pks of the ideas listed, in order."""
    return [int(tr["id"].removeprefix("idea-")) for tr in soup(response).select("tbody tr")]


def vote_count(response, idea):
    return int(soup(response).select_one(f"#idea-{idea.pk}-vote [data-vote-count]")[
        "data-vote-count"])


def with_votes(startup, count, **kwargs):
    idea = IdeaFactory(startup=startup, **kwargs)
    for _ in range(count):
        IdeaVoteFactory(idea=idea)
    return idea


# ---------------------------------------------------------------- who may do what


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 200), ("sponsor", 200), ("staff", 200),
     ("outsider", 404)],
)
def test_ideas_are_read_by_every_role(world, role, status):
    idea = IdeaFactory(startup=world.startup)
    client = world.client_for(role)
    assert client.get(url("idea-list", world.startup)).status_code == status
    assert client.get(url("idea-detail", world.startup, pk=idea.pk)).status_code == status


@pytest.mark.parametrize("name", ["idea-list", "idea-create", "idea-detail", "idea-edit",
                                  "idea-delete"])
def test_every_idea_page_has_one_h1_and_its_title(world, name):
    startup = world.startup
    kwargs = {} if name in ("idea-list", "idea-create") else {
        "pk": IdeaFactory(startup=startup).pk
    }
    response = world.client_for("intrapreneur").get(url(name, startup, **kwargs))
    page = soup(response)
    assert len(page.find_all("h1")) == 1
    assert page.title.string.endswith(f" — {startup.name} — Intrapreneur")
    assert page.title.string.startswith(page.h1.get_text(strip=True))


def test_anonymous_people_go_to_sign_in(world):
    response = world.client_for("anonymous").get(url("idea-list", world.startup))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["intrapreneur", "team", "coach", "sponsor"])
def test_every_role_that_may_propose_sees_the_buttons(world, role):
    idea = IdeaFactory(startup=world.startup)
    response = world.client_for(role).get(url("idea-list", world.startup))
    assertContains(response, url("idea-create", world.startup))
    assertContains(response, f'action="{url("idea-vote", world.startup, pk=idea.pk)}"')


def test_staff_read_the_ideas_but_cannot_propose_or_vote(world):
    idea = with_votes(world.startup, 2)
    client = world.client_for("staff")
    response = client.get(url("idea-list", world.startup))
    assert vote_count(response, idea) == 2
    assertNotContains(response, url("idea-create", world.startup))
    assertNotContains(response, url("idea-vote", world.startup, pk=idea.pk))
    assert soup(response).select_one("input[name=mine]") is None
    assert client.get(url("idea-create", world.startup)).status_code == 403
    assert client.post(url("idea-create", world.startup), {"title": "X"}).status_code == 403
    assert client.post(url("idea-vote", world.startup, pk=idea.pk)).status_code == 403
    assert IdeaVote.objects.filter(idea=idea).count() == 2
    assert not Idea.objects.filter(title="X").exists()


def test_an_idea_of_another_startup_is_404(world):
    other = IdeaFactory()
    client = world.client_for("intrapreneur")
    for name in ("idea-detail", "idea-edit", "idea-delete"):
        assert client.get(url(name, world.startup, pk=other.pk)).status_code == 404
    assert client.post(url("idea-vote", world.startup, pk=other.pk)).status_code == 404
    assert not IdeaVote.objects.exists()


# ---------------------------------------------------------------- propose


def test_a_sponsor_proposes_an_idea(world):
    client = world.client_for("sponsor")
    response = client.post(
        url("idea-create", world.startup),
        {"title": "  Rappel   par SMS ", "description": "La **veille** du rendez-vous."},
    )
    idea = Idea.objects.get(startup=world.startup)
    assertRedirects(response, url("idea-detail", world.startup, pk=idea.pk))
    assert idea.title == "Rappel par SMS"
    assert idea.author == world.people["sponsor"]
    activity = Activity.objects.get(startup=world.startup, verb="idea.proposed")
    assert activity.actor == world.people["sponsor"]
    detail = client.get(url("idea-detail", world.startup, pk=idea.pk))
    assertContains(detail, "<strong>veille</strong>", html=True)


def test_a_proposal_without_title_keeps_what_was_typed(world):
    client = world.client_for("coach")
    response = client.post(
        url("idea-create", world.startup), {"title": "", "description": "Ma description"}
    )
    assert response.status_code == 200
    assertContains(response, "fr-input-group--error")
    assertContains(response, "Ma description")
    assert not Idea.objects.exists()


def test_the_description_is_sanitised(world):
    idea = IdeaFactory(
        startup=world.startup, description='<img src=x onerror="alert(1)"> [lien](javascript:x)'
    )
    response = world.client_for("staff").get(url("idea-detail", world.startup, pk=idea.pk))
    assertNotContains(response, "onerror")
    assertNotContains(response, "javascript:")


# ---------------------------------------------------------------- vote


def test_a_person_votes_once_and_a_second_vote_withdraws_it(world):
    idea = IdeaFactory(startup=world.startup)
    client = world.client_for("sponsor")
    vote_url = url("idea-vote", world.startup, pk=idea.pk)
    response = client.post(vote_url)
    assertRedirects(response, f"{url('idea-list', world.startup)}#idea-{idea.pk}",
                    fetch_redirect_response=False)
    assert list(IdeaVote.objects.values_list("user", flat=True)) == [world.people["sponsor"].pk]
    client.post(vote_url)
    assert not IdeaVote.objects.exists()


def test_the_vote_button_says_what_it_wants_so_a_double_post_stays_one_vote(world):
    idea = IdeaFactory(startup=world.startup)
    client = world.client_for("coach")
    vote_url = url("idea-vote", world.startup, pk=idea.pk)
    client.post(vote_url, {"vote": "add"})
    client.post(vote_url, {"vote": "add"})
    assert IdeaVote.objects.filter(idea=idea).count() == 1
    client.post(vote_url, {"vote": "remove"})
    client.post(vote_url, {"vote": "remove"})
    assert not IdeaVote.objects.exists()


def test_each_person_has_one_vote(world):
    idea = IdeaFactory(startup=world.startup)
    for role in ("intrapreneur", "team", "coach", "sponsor"):
        world.client_for(role).post(url("idea-vote", world.startup, pk=idea.pk), {"vote": "add"})
    response = world.client_for("staff").get(url("idea-detail", world.startup, pk=idea.pk))
    assert vote_count(response, idea) == 4
    voters = [li.get_text() for li in soup(response).select("#idea-voters li")]
    assert sorted(voters) == sorted(
        str(world.people[r]) for r in ("intrapreneur", "team", "coach", "sponsor")
    )


def test_voting_with_htmx_swaps_the_button_in_place(world):
    idea = with_votes(world.startup, 2)
    client = world.client_for("team")
    list_url = url("idea-list", world.startup) + "?sort=date"
    response = client.post(
        url("idea-vote", world.startup, pk=idea.pk), {"vote": "add", "next": list_url},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assertNotContains(response, "<html")
    fragment = soup(response)
    assert fragment.select_one(f"#idea-{idea.pk}-vote [data-vote-count]")["data-vote-count"] == "3"
    button = fragment.select_one(f"#idea-{idea.pk}-vote-button")
    assert button["aria-pressed"] == "true"
    assert fragment.select_one("input[name=vote]")["value"] == "remove"
    assert fragment.select_one("input[name=next]")["value"] == list_url
    # No message waits for the next page: the button said it.
    assertNotContains(client.get(url("idea-list", world.startup)), "fr-alert--success")


def test_without_javascript_the_vote_returns_where_it_came_from(world):
    idea = IdeaFactory(startup=world.startup)
    client = world.client_for("team")
    vote_url = url("idea-vote", world.startup, pk=idea.pk)
    back = url("idea-list", world.startup) + "?sort=date&page=1"
    response = client.post(vote_url, {"vote": "add", "next": back})
    assertRedirects(response, f"{back}#idea-{idea.pk}", fetch_redirect_response=False)
    assertContains(client.get(back), "fr-alert--success")  # the message says it is counted
    detail = url("idea-detail", world.startup, pk=idea.pk)
    response = client.post(vote_url, {"vote": "remove", "next": detail})
    assertRedirects(response, f"{detail}#idea-{idea.pk}", fetch_redirect_response=False)
    # Never elsewhere.
    for elsewhere in ("https://evil.example/", "//evil.example/", "/startups/"):
        response = client.post(vote_url, {"next": elsewhere})
        assertRedirects(response, f"{url('idea-list', world.startup)}#idea-{idea.pk}",
                        fetch_redirect_response=False)


def test_the_detail_page_votes_with_a_plain_form(world):
    idea = IdeaFactory(startup=world.startup)
    response = world.client_for("sponsor").get(url("idea-detail", world.startup, pk=idea.pk))
    form = soup(response).select_one(f"#idea-{idea.pk}-vote form")
    assert form["action"] == url("idea-vote", world.startup, pk=idea.pk)
    assert not form.has_attr("hx-post")


# ---------------------------------------------------------------- list


def test_ideas_sort_by_votes_by_default_then_by_date(world):
    startup = world.startup
    now = timezone.now()
    few = with_votes(startup, 1)
    many = with_votes(startup, 3)
    none = with_votes(startup, 0)
    for idea, days in ((few, 3), (many, 2), (none, 1)):
        Idea.objects.filter(pk=idea.pk).update(created_at=now - datetime.timedelta(days=days))
    client = world.client_for("coach")
    assert listed(client.get(url("idea-list", startup))) == [many.pk, few.pk, none.pk]
    assert listed(client.get(url("idea-list", startup), {"sort": "-votes"})) == [
        none.pk, few.pk, many.pk
    ]
    assert listed(client.get(url("idea-list", startup), {"sort": "date"})) == [
        none.pk, many.pk, few.pk
    ]


def test_ideas_filter_by_text_and_by_author(world):
    startup = world.startup
    sms = IdeaFactory(startup=startup, title="Rappel par SMS", author=world.people["coach"])
    IdeaFactory(startup=startup, title="FranceConnect", description="Connexion simple")
    client = world.client_for("coach")
    assert listed(client.get(url("idea-list", startup), {"q": "sms"})) == [sms.pk]
    assert listed(client.get(url("idea-list", startup), {"mine": "on"})) == [sms.pk]
    response = client.get(url("idea-list", startup), {"q": "introuvable"})
    assertContains(response, "Aucun résultat ne correspond à ces filtres.")


def test_the_list_answers_htmx_with_its_results_only(world):
    IdeaFactory(startup=world.startup, title="Rappel par SMS")
    client = world.client_for("team")
    response = client.get(url("idea-list", world.startup), {"q": "sms"},
                          headers={"HX-Request": "true"})
    assertContains(response, "Rappel par SMS")
    assertNotContains(response, "<html")
    assert "HX-Request" in response["Vary"]
    restore = client.get(
        url("idea-list", world.startup), {"q": "sms"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assertContains(restore, "<html")
    # The filter form pushes its address: the same results as a plain GET.
    form = soup(client.get(url("idea-list", world.startup))).select_one("form[role=search]")
    assert form["hx-push-url"] == "true"


def test_the_list_is_paginated(world):
    for i in range(25):
        IdeaFactory(startup=world.startup, title=f"Idée {i:02d}")
    client = world.client_for("team")
    first = client.get(url("idea-list", world.startup), {"sort": "title"})
    assert len(listed(first)) == 20
    assertContains(first, "25 résultats")
    second = client.get(url("idea-list", world.startup), {"sort": "title", "page": 2})
    assert [Idea.objects.get(pk=pk).title for pk in listed(second)] == [
        f"Idée {i:02d}" for i in range(20, 25)
    ]


def test_the_empty_list_invites_to_propose(world):
    response = world.client_for("sponsor").get(url("idea-list", world.startup))
    assert listed(response) == []
    assert soup(response).select_one("#list-results .fr-callout") is not None
    assertContains(response, url("idea-create", world.startup))


# ---------------------------------------------------------------- edit and delete


def test_the_author_edits_their_idea(world):
    idea = IdeaFactory(startup=world.startup, author=world.people["sponsor"])
    client = world.client_for("sponsor")
    edit = url("idea-edit", world.startup, pk=idea.pk)
    assertContains(client.get(url("idea-detail", world.startup, pk=idea.pk)), edit)
    response = client.post(edit, {"title": "Titre revu", "description": ""})
    assertRedirects(response, url("idea-detail", world.startup, pk=idea.pk))
    idea.refresh_from_db()
    assert idea.title == "Titre revu"
    assert Activity.objects.filter(verb="idea.updated", actor=world.people["sponsor"]).exists()


@pytest.mark.parametrize(("role", "status"), [
    ("intrapreneur", 200), ("team", 200), ("coach", 403), ("sponsor", 403), ("staff", 403),
])
def test_others_edit_only_with_contribute(world, role, status):
    idea = IdeaFactory(startup=world.startup, author=UserFactory())
    client = world.client_for(role)
    edit = url("idea-edit", world.startup, pk=idea.pk)
    assert client.get(edit).status_code == status
    if status == 403:
        assertNotContains(client.get(url("idea-detail", world.startup, pk=idea.pk)), edit)


def test_an_edit_with_errors_keeps_what_was_typed(world):
    idea = IdeaFactory(startup=world.startup)
    response = world.client_for("team").post(
        url("idea-edit", world.startup, pk=idea.pk), {"title": "", "description": "Gardé"}
    )
    assert response.status_code == 200
    assertContains(response, "Gardé")
    idea.refresh_from_db()
    assert idea.title != ""


def test_delete_asks_for_confirmation_then_deletes_with_the_votes(world):
    idea = with_votes(world.startup, 3)
    client = world.client_for("team")
    delete = url("idea-delete", world.startup, pk=idea.pk)
    confirm = client.get(delete)
    assert confirm.status_code == 200
    assert soup(confirm).select_one('form[method=post] button[type=submit]') is not None
    assert Idea.objects.filter(pk=idea.pk).exists()
    assertRedirects(client.post(delete), url("idea-list", world.startup))
    assert not Idea.objects.exists()
    assert not IdeaVote.objects.exists()
    assert Activity.objects.filter(verb="idea.deleted", target_label=idea.title).exists()


@pytest.mark.parametrize("role", ["coach", "sponsor", "staff"])
def test_only_contribute_deletes(world, role):
    idea = IdeaFactory(startup=world.startup, author=world.people.get(role))
    client = world.client_for(role)
    assert client.get(url("idea-delete", world.startup, pk=idea.pk)).status_code == 403
    assert client.post(url("idea-delete", world.startup, pk=idea.pk)).status_code == 403
    assert Idea.objects.filter(pk=idea.pk).exists()


# ---------------------------------------------------------------- service


def test_the_vote_service_toggles_or_sets(world):
    idea = IdeaFactory(startup=world.startup)
    person = world.people["coach"]
    assert services.idea_vote(idea=idea, user=person) is True
    assert services.idea_vote(idea=idea, user=person, vote=True) is True
    assert IdeaVote.objects.count() == 1
    assert services.idea_vote(idea=idea, user=person) is False
    assert services.idea_vote(idea=idea, user=person, vote=False) is False
    assert not IdeaVote.objects.exists()


# ---------------------------------------------------------------- query counts

SIZES = [3, 30]


def fill(startup, size):
    """`size` ideas, each supported by more people as the size grows."""
    voters = [MembershipFactory(startup=startup).user for _ in range(1 + size // 5)]
    for i in range(size):
        idea = IdeaFactory(startup=startup, author=voters[i % len(voters)])
        for voter in voters:
            IdeaVote.objects.create(idea=idea, user=voter)
    return Idea.objects.filter(startup=startup).first()


@pytest.mark.parametrize("size", SIZES)
def test_idea_list_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    client = world.client_for("sponsor")
    # session, user, startup, membership, count, page of ideas.
    with django_assert_num_queries(6):
        response = client.get(url("idea-list", world.startup))
    assert len(listed(response)) == min(size, 20)


@pytest.mark.parametrize("size", SIZES)
def test_idea_detail_query_count(world, django_assert_num_queries, size):
    idea = fill(world.startup, size)
    client = world.client_for("sponsor")
    # session, user, startup, membership, the idea, its voters.
    with django_assert_num_queries(6):
        response = client.get(url("idea-detail", world.startup, pk=idea.pk))
    assert vote_count(response, idea) == 1 + size // 5


# ---------------------------------------------------------------- demo


def test_the_demo_seeds_thirty_ideas_with_varied_votes(world):
    ideas = seed(startup=world.startup, people=world.people)
    assert len(ideas) == 30
    assert Idea.objects.for_startup(world.startup).count() == 30
    counts = set(
        Idea.objects.for_startup(world.startup).with_votes().values_list("vote_count", flat=True)
    )
    assert counts == {0, 1, 2, 3, 4}
    assert Activity.objects.filter(startup=world.startup, verb="idea.proposed").count() == 30
    staff = world.people["staff"]
    assert not IdeaVote.objects.filter(user=staff).exists()
    assert not Idea.objects.filter(author=staff).exists()
