"""Hypotheses as each role sees them: the board by status, one hypothesis with its tests,
writing one (from an idea, a feedback item, an insight), moving it in place, deleting it."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.models import Activity
from products.enums import HypothesisPriority, HypothesisStatus
from products.models import Hypothesis, UserTest
from products.services import hypotheses as services
from tests.investigations.factories import InsightFactory
from tests.products.factories import (
    FeedbackFactory,
    HypothesisFactory,
    IdeaFactory,
    MetricFactory,
    UserTestFactory,
)

pytestmark = pytest.mark.django_db

READERS = ["intrapreneur", "team", "coach", "sponsor", "staff"]
CONTRIBUTORS = ["intrapreneur", "team"]
REFUSED = ["coach", "sponsor", "staff"]


def url(name, startup, **kwargs):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def column(response, status):
    """The pks of the cards of a column, in order, and the count in its heading."""
    section = soup(response).select_one(f"#column-{status}")
    cards = [int(div["id"].removeprefix("hypothesis-")) for div in section.select(".fr-card")]
    count = int(section.select_one("h3 [data-column-count]")["data-column-count"])
    return cards, count


def messages_of(response):
    return [m.message for m in response.context["messages"]] if response.context else []


# ---------------------------------------------------------------- who may do what


@pytest.mark.parametrize("role", READERS)
def test_every_role_reads_the_board_and_a_hypothesis(world, role):
    hypothesis = HypothesisFactory(startup=world.startup, statement="Les agents décrivent")
    client = world.client_for(role)
    response = client.get(url("hypothesis-list", world.startup))
    assert response.status_code == 200
    assertContains(response, "Les agents décrivent")
    response = client.get(url("hypothesis-detail", world.startup, pk=hypothesis.pk))
    assert response.status_code == 200
    assert soup(response).h1.get_text(strip=True) == "Les agents décrivent"


def test_an_outsider_gets_404_and_anonymous_people_sign_in(world):
    hypothesis = HypothesisFactory(startup=world.startup)
    outsider = world.client_for("outsider")
    for name, kwargs in (
        ("hypothesis-list", {}), ("hypothesis-create", {}),
        ("hypothesis-detail", {"pk": hypothesis.pk}), ("hypothesis-edit", {"pk": hypothesis.pk}),
        ("hypothesis-delete", {"pk": hypothesis.pk}),
    ):
        assert outsider.get(url(name, world.startup, **kwargs)).status_code == 404
    status_url = url("hypothesis-status", world.startup, pk=hypothesis.pk)
    assert outsider.post(status_url, {"status": "testing"}).status_code == 404
    response = world.client_for("anonymous").get(url("hypothesis-list", world.startup))
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", REFUSED)
def test_only_contributors_write(world, role):
    hypothesis = HypothesisFactory(startup=world.startup)
    idea = IdeaFactory(startup=world.startup)
    client = world.client_for(role)
    for name, kwargs in (
        ("hypothesis-create", {}), ("hypothesis-edit", {"pk": hypothesis.pk}),
        ("hypothesis-delete", {"pk": hypothesis.pk}),
    ):
        assert client.get(url(name, world.startup, **kwargs)).status_code == 403
        assert client.post(url(name, world.startup, **kwargs),
                           {"statement": "X", "priority": 2, "status": "to_test"}
                           ).status_code == 403
    response = client.post(url("hypothesis-status", world.startup, pk=hypothesis.pk),
                           {"status": "validated"})
    assert response.status_code == 403
    assert client.post(url("idea-hypothesis", world.startup, pk=idea.pk)).status_code == 403
    hypothesis.refresh_from_db()
    assert hypothesis.status == "to_test"
    assert Hypothesis.objects.count() == 1
    # Nor do they see the buttons or the move forms.
    board = client.get(url("hypothesis-list", world.startup))
    assertNotContains(board, url("hypothesis-create", world.startup))
    assertNotContains(board, url("hypothesis-status", world.startup, pk=hypothesis.pk))
    detail = client.get(url("hypothesis-detail", world.startup, pk=hypothesis.pk))
    assertNotContains(detail, url("hypothesis-edit", world.startup, pk=hypothesis.pk))
    assertNotContains(detail, url("test-create", world.startup))
    assertNotContains(client.get(url("idea-detail", world.startup, pk=idea.pk)),
                      url("idea-hypothesis", world.startup, pk=idea.pk))


def test_a_hypothesis_of_another_startup_is_404(world):
    other = HypothesisFactory()
    client = world.client_for("intrapreneur")
    for name in ("hypothesis-detail", "hypothesis-edit", "hypothesis-delete"):
        assert client.get(url(name, world.startup, pk=other.pk)).status_code == 404
    response = client.post(url("hypothesis-status", world.startup, pk=other.pk),
                           {"status": "validated"})
    assert response.status_code == 404
    other_idea = IdeaFactory()
    assert client.post(url("idea-hypothesis", world.startup, pk=other_idea.pk)).status_code == 404
    other.refresh_from_db()
    assert other.status == "to_test"


@pytest.mark.parametrize("name", ["hypothesis-list", "hypothesis-create", "hypothesis-detail",
                                  "hypothesis-edit", "hypothesis-delete"])
def test_every_page_has_one_h1(world, name):
    kwargs = {} if name in ("hypothesis-list", "hypothesis-create") else {
        "pk": HypothesisFactory(startup=world.startup).pk
    }
    response = world.client_for("team").get(url(name, world.startup, **kwargs))
    page = soup(response)
    assert len(page.find_all("h1")) == 1
    assert page.title.string.endswith(f" — {world.startup.name} — Intrapreneur")


# ---------------------------------------------------------------- the board


def test_the_board_has_one_column_per_status_with_its_count(world):
    startup = world.startup
    to_test = [HypothesisFactory(startup=startup, priority=p) for p in (3, 1)]
    validated = HypothesisFactory(startup=startup, status="validated")
    HypothesisFactory()  # another startup's
    response = world.client_for("coach").get(url("hypothesis-list", startup))
    assert column(response, "to_test") == ([to_test[1].pk, to_test[0].pk], 2)
    assert column(response, "validated") == ([validated.pk], 1)
    assert column(response, "testing") == ([], 0)
    headings = [h3.get_text(" ", strip=True) for h3 in soup(response).select("section h3")]
    assert headings[0].startswith(f"{HypothesisStatus.TO_TEST.label} 2")
    assert soup(response).select_one("#hypothesis-count").get_text(strip=True) == ngettext(
        "%(counter)s hypothesis", "%(counter)s hypotheses", 3) % {"counter": 3}


def test_a_card_shows_its_priority_source_and_tests(world):
    startup = world.startup
    idea = IdeaFactory(startup=startup, title="Rappel par SMS")
    hypothesis = HypothesisFactory(startup=startup, idea=idea, priority=1, status="testing")
    UserTestFactory(startup=startup, hypothesis=hypothesis, date=datetime.date(2026, 1, 5),
                    result="invalidates")
    UserTestFactory(startup=startup, hypothesis=hypothesis, date=datetime.date(2026, 2, 3),
                    result="inconclusive")
    response = world.client_for("sponsor").get(url("hypothesis-list", startup))
    card = soup(response).select_one(f"#hypothesis-{hypothesis.pk}")
    text = card.get_text(" ", strip=True)
    assert card.select_one("[data-priority]").get_text() == _("%(priority)s priority") % {
        "priority": HypothesisPriority.HIGH.label}
    assert card.select_one(f'a[href="{url("idea-detail", startup, pk=idea.pk)}"]').get_text() == (
        "Rappel par SMS"
    )
    assert card.select_one("[data-test-count]")["data-test-count"] == "2"
    assert date_format(datetime.date(2026, 2, 3), "j M Y") in text
    assert _("inconclusive") in text


def test_a_feedback_source_is_read_only_by_who_may_read_the_inbox(world):
    feedback = FeedbackFactory(startup=world.startup, text="Le lecteur d'écran bute")
    hypothesis = HypothesisFactory(startup=world.startup, feedback=feedback)
    detail = url("hypothesis-detail", world.startup, pk=hypothesis.pk)
    feedback_url = url("feedback-detail", world.startup, pk=feedback.pk)
    team = world.client_for("team").get(detail)
    assertContains(team, feedback_url)
    assertContains(team, "Le lecteur d&#x27;écran bute")
    sponsor = world.client_for("sponsor").get(detail)
    assertNotContains(sponsor, feedback_url)
    assertNotContains(sponsor, "lecteur")
    assertContains(sponsor, _("From a feedback item (read by the team)"))


def test_the_board_stays_bounded_and_links_to_the_list_of_a_status(world):
    startup = world.startup
    for _i in range(23):
        HypothesisFactory(startup=startup, status="testing")
    client = world.client_for("team")
    response = client.get(url("hypothesis-list", startup))
    cards, count = column(response, "testing")
    assert (len(cards), count) == (20, 23)
    more = soup(response).select_one("#column-testing a[data-more]")
    assert more["data-more"] == "3"
    assert " 3 " in more.get_text()
    assert more["href"] == "?status=testing"
    # The list of that status: plain, paginated.
    listed = client.get(url("hypothesis-list", startup) + more["href"])
    assert response.context["board"] is not None
    assert listed.context["board"] is None
    assert len(soup(listed).select("#hypothesis-table tbody tr")) == 20
    second = client.get(url("hypothesis-list", startup), {"status": "testing", "page": 2})
    assert len(soup(second).select("#hypothesis-table tbody tr")) == 3
    assertContains(second, "23 résultats")


def test_the_board_filters_by_text_priority_and_source(world):
    startup = world.startup
    from_idea = HypothesisFactory(startup=startup, statement="Un SMS la veille",
                                  idea=IdeaFactory(startup=startup), priority=1)
    from_insight = HypothesisFactory(startup=startup, statement="Une photo de l'entrée",
                                     insight=InsightFactory(startup=startup), priority=3)
    alone = HypothesisFactory(startup=startup, statement="Une carte", status="abandoned")
    client = world.client_for("coach")
    board = url("hypothesis-list", startup)

    def shown(params):
        response = client.get(board, params)
        return {card.pk for column in response.context["board"] for card in column.cards}

    assert shown({"q": "photo"}) == {from_insight.pk}
    assert shown({"priority": 1}) == {from_idea.pk}
    assert shown({"source": "idea"}) == {from_idea.pk}
    assert shown({"source": "insight"}) == {from_insight.pk}
    assert shown({"source": "none"}) == {alone.pk}
    response = client.get(board, {"q": "introuvable"})
    assertContains(response, "Aucun résultat ne correspond à ces filtres.")


def test_the_board_sorts_the_cards_of_each_column(world):
    startup = world.startup
    old_high = HypothesisFactory(startup=startup, priority=1)
    new_low = HypothesisFactory(startup=startup, priority=3)
    client = world.client_for("team")
    assert column(client.get(url("hypothesis-list", startup)), "to_test")[0] == [
        old_high.pk, new_low.pk
    ]
    response = client.get(url("hypothesis-list", startup), {"sort": "created"})
    assert column(response, "to_test")[0] == [new_low.pk, old_high.pk]


def test_the_empty_board_invites_to_write_one(world):
    response = world.client_for("team").get(url("hypothesis-list", world.startup))
    assert soup(response).select_one("#list-results .fr-callout") is not None
    assertContains(response, url("hypothesis-create", world.startup))


def test_the_board_answers_htmx_with_its_results_only(world):
    HypothesisFactory(startup=world.startup, statement="Un SMS la veille")
    client = world.client_for("team")
    response = client.get(url("hypothesis-list", world.startup), {"q": "sms"},
                          headers={"HX-Request": "true"})
    assertContains(response, "Un SMS la veille")
    assertNotContains(response, "<html")
    assert "HX-Request" in response["Vary"]
    restore = client.get(url("hypothesis-list", world.startup),
                         headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assertContains(restore, "<html")


# ---------------------------------------------------------------- moving a card


def test_htmx_moves_a_card_and_answers_the_board(world):
    startup = world.startup
    hypothesis = HypothesisFactory(startup=startup)
    client = world.client_for("team")
    board = url("hypothesis-list", startup) + "?priority=2"
    response = client.post(
        url("hypothesis-status", startup, pk=hypothesis.pk),
        {"status": "validated", "next": board}, headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assertNotContains(response, "<html")
    hypothesis.refresh_from_db()
    assert hypothesis.status == "validated"
    assert column(response, "validated") == ([hypothesis.pk], 1)
    assert column(response, "to_test") == ([], 0)
    page = soup(response)
    # The card keeps the focus; the message comes out of band; the board keeps its filters.
    assert page.select_one(f"#hypothesis-{hypothesis.pk} a[data-board-focus]") is not None
    assert page.select_one("#messages")["hx-swap-oob"] == "innerHTML"
    assert _("“%(hypothesis)s” moved to “%(status)s”.") % {
        "hypothesis": Truncator(hypothesis.statement).chars(80),
        "status": HypothesisStatus.VALIDATED.label,
    } in page.select_one("#messages").get_text()
    assert page.select_one("input[name=next]")["value"] == board
    activity = Activity.objects.get(verb="hypothesis.status")
    assert activity.actor == world.people["team"]


def test_htmx_refuses_an_unknown_or_missing_status_with_400(world):
    hypothesis = HypothesisFactory(startup=world.startup)
    client = world.client_for("team")
    status_url = url("hypothesis-status", world.startup, pk=hypothesis.pk)
    for data, error in (
        ({"status": "done"}, _("“%(value)s” is not a status of a hypothesis.") % {"value": "done"}),
        ({}, _("Choose the status to move the hypothesis to.")),
    ):
        response = client.post(status_url, data, headers={"HX-Request": "true"})
        assert response.status_code == 400
        messages = soup(response).select_one("#messages")
        assert messages.select_one(".fr-alert--error").get_text(strip=True) == error
        assert column(response, "to_test") == ([hypothesis.pk], 1)
    hypothesis.refresh_from_db()
    assert hypothesis.status == "to_test"
    assert not Activity.objects.filter(verb="hypothesis.status").exists()


def test_without_javascript_the_move_redirects_back_with_a_message(world):
    hypothesis = HypothesisFactory(startup=world.startup)
    client = world.client_for("intrapreneur")
    status_url = url("hypothesis-status", world.startup, pk=hypothesis.pk)
    board = url("hypothesis-list", world.startup) + "?q=mairie"
    response = client.post(status_url, {"status": "testing", "next": board})
    assertRedirects(response, f"{board}#hypothesis-{hypothesis.pk}",
                    fetch_redirect_response=False)
    hypothesis.refresh_from_db()
    assert hypothesis.status == "testing"
    assert messages_of(client.get(board)) == [
        _("“%(hypothesis)s” moved to “%(status)s”.")
        % {"hypothesis": Truncator(hypothesis.statement).chars(80),
           "status": HypothesisStatus.TESTING.label}
    ]
    # From the detail page, back to it; never elsewhere.
    detail = url("hypothesis-detail", world.startup, pk=hypothesis.pk)
    response = client.post(status_url, {"status": "abandoned", "next": detail})
    assertRedirects(response, f"{detail}#hypothesis-{hypothesis.pk}",
                    fetch_redirect_response=False)
    for elsewhere in ("https://evil.example/", "//evil.example/", "/startups/"):
        response = client.post(status_url, {"status": "abandoned", "next": elsewhere})
        assertRedirects(response, f"{url('hypothesis-list', world.startup)}#hypothesis-"
                        f"{hypothesis.pk}", fetch_redirect_response=False)


def test_without_javascript_an_empty_post_redirects_with_an_error(world):
    hypothesis = HypothesisFactory(startup=world.startup, status="testing")
    client = world.client_for("team")
    response = client.post(url("hypothesis-status", world.startup, pk=hypothesis.pk))
    assert response.status_code == 302
    board = client.get(response["Location"])
    assertContains(board, "fr-alert--error")
    assertContains(board, _("Choose the status to move the hypothesis to."))
    hypothesis.refresh_from_db()
    assert hypothesis.status == "testing"
    assert client.get(url("hypothesis-status", world.startup, pk=hypothesis.pk)).status_code == (
        405
    )


def test_the_detail_page_moves_with_a_plain_form(world):
    hypothesis = HypothesisFactory(startup=world.startup)
    response = world.client_for("team").get(url("hypothesis-detail", world.startup,
                                                 pk=hypothesis.pk))
    form = soup(response).select_one("form.hypothesis-move")
    assert form["action"] == url("hypothesis-status", world.startup, pk=hypothesis.pk)
    assert not form.has_attr("hx-post")
    board = world.client_for("team").get(url("hypothesis-list", world.startup))
    assert soup(board).select_one("form.hypothesis-move")["hx-post"] == form["action"]


# ---------------------------------------------------------------- writing


def test_a_contributor_writes_a_hypothesis(world):
    startup = world.startup
    metric = MetricFactory(startup=startup)
    client = world.client_for("team")
    response = client.post(url("hypothesis-create", startup), {
        "statement": "  Les agents décriront leur accueil en quinze minutes. ",
        "signal": "8 agents sur 10 terminent seuls.",
        "metric": metric.pk, "priority": 1, "status": "to_test",
    })
    hypothesis = Hypothesis.objects.get(startup=startup)
    assertRedirects(response, url("hypothesis-detail", startup, pk=hypothesis.pk))
    assert hypothesis.statement == "Les agents décriront leur accueil en quinze minutes."
    assert hypothesis.author == world.people["team"]
    assert hypothesis.metric == metric
    assert Activity.objects.filter(verb="hypothesis.created", actor=world.people["team"]).exists()
    detail = client.get(url("hypothesis-detail", startup, pk=hypothesis.pk))
    assertContains(detail, url("metric-detail", startup, pk=metric.pk))
    assertContains(detail, "8 agents sur 10 terminent seuls.")


def test_a_hypothesis_without_statement_keeps_what_was_typed(world):
    response = world.client_for("team").post(url("hypothesis-create", world.startup), {
        "statement": "", "signal": "Signal gardé", "priority": 2, "status": "to_test",
    })
    assert response.status_code == 200
    assertContains(response, "fr-input-group--error")
    assertContains(response, "Signal gardé")
    assert not Hypothesis.objects.exists()


def test_the_sources_offered_are_the_startups_only(world):
    startup = world.startup
    mine = IdeaFactory(startup=startup, title="Mon idée")
    theirs = IdeaFactory(title="Leur idée")
    other_metric = MetricFactory()
    client = world.client_for("team")
    form = client.get(url("hypothesis-create", startup))
    assertContains(form, "Mon idée")
    assertNotContains(form, "Leur idée")
    response = client.post(url("hypothesis-create", startup), {
        "statement": "Croyance", "priority": 2, "status": "to_test", "idea": theirs.pk,
        "metric": other_metric.pk,
    })
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"idea", "metric"}
    assert not Hypothesis.objects.exists()
    # The service refuses them too.
    with pytest.raises(ValidationError):
        services.hypothesis_create(startup=startup, actor=None, statement="X", idea=theirs)
    assert mine.pk


@pytest.mark.parametrize("source", ["idea", "feedback", "insight"])
def test_the_form_starts_from_an_idea_a_feedback_item_or_an_insight(world, source):
    startup = world.startup
    obj = {
        "idea": lambda: IdeaFactory(startup=startup, title="Contraste renforcé",
                                    description="Un **réglage** visible."),
        "feedback": lambda: FeedbackFactory(startup=startup),
        "insight": lambda: InsightFactory(startup=startup),
    }[source]()
    client = world.client_for("intrapreneur")
    response = client.get(url("hypothesis-create", startup), {source: obj.pk})
    form = response.context["form"]
    assert form[source].value() == obj.pk
    selected = soup(response).select_one(f"select[name={source}] option[selected]")
    assert selected["value"] == str(obj.pk)
    if source == "idea":
        assert form["statement"].value() == "Contraste renforcé\n\nUn réglage visible."
    # Another startup's is not taken.
    other = {"idea": IdeaFactory, "feedback": FeedbackFactory, "insight": InsightFactory}[source]()
    response = client.get(url("hypothesis-create", startup), {source: other.pk})
    assert response.context["form"][source].value() is None


def test_feedback_and_insight_pages_link_to_a_new_hypothesis(world):
    feedback = FeedbackFactory(startup=world.startup)
    insight = InsightFactory(startup=world.startup)
    client = world.client_for("team")
    assertContains(client.get(url("feedback-detail", world.startup, pk=feedback.pk)),
                   f'{url("hypothesis-create", world.startup)}?feedback={feedback.pk}')
    insight_url = reverse("investigations:insight-detail",
                          kwargs={"slug": world.startup.slug, "pk": insight.pk})
    assertContains(client.get(insight_url),
                   f'{url("hypothesis-create", world.startup)}?insight={insight.pk}')
    assertNotContains(world.client_for("coach").get(insight_url),
                      url("hypothesis-create", world.startup))


def test_an_edit_changes_the_status_through_the_service(world):
    hypothesis = HypothesisFactory(startup=world.startup)
    client = world.client_for("team")
    edit = url("hypothesis-edit", world.startup, pk=hypothesis.pk)
    assertContains(client.get(edit), hypothesis.statement)
    response = client.post(edit, {"statement": "Revue", "signal": "", "priority": 3,
                                  "status": "abandoned"})
    assertRedirects(response, url("hypothesis-detail", world.startup, pk=hypothesis.pk))
    hypothesis.refresh_from_db()
    assert (hypothesis.statement, hypothesis.priority, hypothesis.status) == (
        "Revue", 3, "abandoned")
    assert Activity.objects.filter(verb="hypothesis.updated").count() == 1
    assert Activity.objects.filter(verb="hypothesis.status").count() == 1
    client.post(edit, {"statement": "Revue encore", "priority": 3, "status": "abandoned"})
    assert Activity.objects.filter(verb="hypothesis.status").count() == 1


def test_delete_asks_then_deletes_and_keeps_its_tests(world):
    hypothesis = HypothesisFactory(startup=world.startup)
    tests = [UserTestFactory(startup=world.startup, hypothesis=hypothesis) for _ in range(2)]
    client = world.client_for("team")
    delete = url("hypothesis-delete", world.startup, pk=hypothesis.pk)
    confirm = client.get(delete)
    assertContains(confirm, ngettext(
        "Its %(count)d user test is kept, with no hypothesis.",
        "Its %(count)d user tests are kept, with no hypothesis.", 2) % {"count": 2})
    assert Hypothesis.objects.filter(pk=hypothesis.pk).exists()
    assertRedirects(client.post(delete), url("hypothesis-list", world.startup))
    assert not Hypothesis.objects.exists()
    assert set(UserTest.objects.values_list("pk", "hypothesis")) == {(t.pk, None) for t in tests}
    assert Activity.objects.filter(verb="hypothesis.deleted",
                                   target_label=hypothesis.statement[:120]).exists()


# ---------------------------------------------------------------- the detail page


def test_the_detail_lists_its_tests_newest_first_and_offers_to_record_one(world):
    startup = world.startup
    insight = InsightFactory(startup=startup, statement="Les usagers appellent avant")
    hypothesis = HypothesisFactory(startup=startup, insight=insight, status="validated")
    old = UserTestFactory(startup=startup, hypothesis=hypothesis,
                          date=datetime.date(2026, 1, 6), result="inconclusive",
                          learning="Trop tôt pour conclure")
    new = UserTestFactory(startup=startup, hypothesis=hypothesis,
                          date=datetime.date(2026, 2, 10), result="validates")
    UserTestFactory(startup=startup)  # another hypothesis'
    client = world.client_for("team")
    response = client.get(url("hypothesis-detail", startup, pk=hypothesis.pk))
    rows = [tr["id"] for tr in soup(response).select("#hypothesis-tests tbody tr")]
    assert rows == [f"test-{new.pk}", f"test-{old.pk}"]
    assertContains(response, "Trop tôt pour conclure")
    results = [p["data-result"] for p in soup(response).select("#hypothesis-tests [data-result]")]
    assert results == ["validates", "inconclusive"]
    assertContains(response, reverse("investigations:insight-detail",
                                     kwargs={"slug": startup.slug, "pk": insight.pk}))
    assertContains(response, f'{url("test-create", startup)}?hypothesis={hypothesis.pk}')


# ---------------------------------------------------------------- an idea in one step


def test_an_idea_becomes_a_hypothesis_in_one_step_and_only_once(world):
    startup = world.startup
    idea = IdeaFactory(startup=startup, title="Version FALC",
                       description="Relue par des personnes concernées.")
    client = world.client_for("team")
    detail = client.get(url("idea-detail", startup, pk=idea.pk))
    form = soup(detail).select_one("#idea-hypothesis-form")
    assert form["action"] == url("idea-hypothesis", startup, pk=idea.pk)
    response = client.post(form["action"])
    hypothesis = Hypothesis.objects.get(idea=idea)
    assertRedirects(response, url("hypothesis-detail", startup, pk=hypothesis.pk),
                    fetch_redirect_response=False)
    assert hypothesis.statement == "Version FALC\n\nRelue par des personnes concernées."
    assert (hypothesis.status, hypothesis.author) == ("to_test", world.people["team"])
    page = client.get(response["Location"])
    assertContains(page, "fr-alert--success")
    # A second time: the same hypothesis, with an information.
    again = client.post(form["action"])
    assertRedirects(again, url("hypothesis-detail", startup, pk=hypothesis.pk),
                    fetch_redirect_response=False)
    assert Hypothesis.objects.count() == 1
    assert messages_of(client.get(again["Location"])) == [
        _("The idea “%(idea)s” is already a hypothesis: here it is.") % {"idea": idea}
    ]
    assert client.get(form["action"]).status_code == 405


# ---------------------------------------------------------------- services


def test_the_status_service_records_only_real_changes(world):
    hypothesis = HypothesisFactory(startup=world.startup)
    actor = world.people["team"]
    assert services.hypothesis_set_status(hypothesis=hypothesis, actor=actor,
                                          status="testing") is True
    assert services.hypothesis_set_status(hypothesis=hypothesis, actor=actor,
                                          status="testing") is False
    assert Activity.objects.filter(verb="hypothesis.status").count() == 1
    with pytest.raises(ValidationError):
        services.hypothesis_set_status(hypothesis=hypothesis, actor=actor, status="done")
    hypothesis.refresh_from_db()
    assert hypothesis.status == "testing"


def test_the_service_refuses_another_startups_sources(world):
    with pytest.raises(ValidationError) as error:
        services.hypothesis_create(
            startup=world.startup, actor=None, statement="X",
            feedback=FeedbackFactory(), insight=InsightFactory(),
        )
    assert set(error.value.message_dict) == {"feedback", "insight"}
    hypothesis = HypothesisFactory(startup=world.startup)
    with pytest.raises(ValidationError):
        services.hypothesis_update(hypothesis=hypothesis, actor=None, statement="X",
                                   metric=MetricFactory())
    assert not Hypothesis.objects.filter(statement="X").exists()


def test_an_empty_post_re_renders_the_forms(world):
    hypothesis = HypothesisFactory(startup=world.startup)
    client = world.client_for("team")
    for name, kwargs in (("hypothesis-create", {}), ("hypothesis-edit", {"pk": hypothesis.pk})):
        response = client.post(url(name, world.startup, **kwargs))
        assert response.status_code == 200
        assert response.context["form"] is not None  # the form again, nothing written
    assert Hypothesis.objects.count() == 1
    assert not Activity.objects.exists()
