"""Insights: strength, evidence, the list, the affinity board, the CSV — as each role sees them."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.models import Activity, Tag
from investigations.enums import InsightStatus
from investigations.models import Evidence, Insight, Interview
from investigations.services import insights as services
from tests.intrapreneur.factories import StartupFactory, TagFactory, comment_threads
from tests.investigations.factories import (
    EvidenceFactory,
    InsightFactory,
    InterviewFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db

QUOTE = "On recopie chaque dossier deux fois, tous les jours."


def url(name, startup, **kwargs):
    return reverse(f"investigations:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def strength_of(insight):
    return Insight.objects.with_strength().get(pk=insight.pk).strength


@pytest.fixture
def researched(world):
    """An insight backed by a quote from an interview with a participant."""
    startup = world.startup
    insight = InsightFactory(startup=startup, statement="Les agents ressaisissent tout")
    interview = InterviewFactory(startup=startup)
    evidence = EvidenceFactory(insight=insight, interview=interview, quote=QUOTE)
    return insight, evidence


# ---------------------------------------------------------------- strength


def test_strength_counts_distinct_participants(world):
    startup = world.startup
    insight = InsightFactory(startup=startup)
    participant = ParticipantFactory(startup=startup)
    first = InterviewFactory(startup=startup, participant=participant)
    second = InterviewFactory(startup=startup, participant=participant)
    # Two interviews of the same participant: one participant.
    EvidenceFactory(insight=insight, interview=first)
    EvidenceFactory(insight=insight, interview=second)
    assert strength_of(insight) == 1
    # An interview without participant (a workshop, an observation) counts no one.
    EvidenceFactory(insight=insight, interview=InterviewFactory(startup=startup, participant=None))
    assert strength_of(insight) == 1
    EvidenceFactory(insight=insight, interview=InterviewFactory(startup=startup))
    annotated = Insight.objects.with_strength().get(pk=insight.pk)
    assert (annotated.strength, annotated.evidence_count) == (2, 4)
    # Tags do not multiply anything.
    insight.tags.set([TagFactory(startup=startup), TagFactory(startup=startup)])
    response = world.client_for("sponsor").get(url("insight-list", startup))
    cell = soup(response).select_one(f"#insight-{insight.pk} td[data-strength]")
    assert cell["data-strength"] == "2"


def test_list_sorts_by_strength_date_and_status(world):
    startup = world.startup
    weak = InsightFactory(startup=startup, statement="Faible", confirmed=True)
    strong = InsightFactory(startup=startup, statement="Forte", refuted=True)
    middle = InsightFactory(startup=startup, statement="Moyenne")
    for _ in range(3):
        EvidenceFactory(insight=strong, interview=InterviewFactory(startup=startup))
    EvidenceFactory(insight=middle, interview=InterviewFactory(startup=startup))
    client = world.client_for("staff")

    def order(**params):
        rows = soup(client.get(url("insight-list", startup), params)).select("tbody tr")
        return [row["id"] for row in rows]

    ids = {i: f"insight-{i.pk}" for i in (weak, strong, middle)}
    by_strength = [ids[strong], ids[middle], ids[weak]]
    assert order() == by_strength  # strongest first by default
    assert order(sort="strength") == by_strength
    assert order(sort="-strength") == by_strength[::-1]
    assert order(sort="-date") == [ids[weak], ids[strong], ids[middle]]
    # Status: to confirm, confirmed, refuted.
    assert order(sort="status") == [ids[middle], ids[weak], ids[strong]]


def test_list_filters_by_status_tag_and_text_with_htmx(world):
    startup = world.startup
    tag = TagFactory(startup=startup, name="Formulaires")
    tagged = InsightFactory(startup=startup, statement="Formulaires en double", confirmed=True)
    tagged.tags.add(tag)
    InsightFactory(startup=startup, statement="Accueil téléphonique saturé")
    InsightFactory(startup=startup, statement="Formulaires papier", refuted=True)
    client = world.client_for("coach")
    page = client.get(url("insight-list", startup), {"status": "confirmed"})
    assertContains(page, "Formulaires en double")
    assertNotContains(page, "Formulaires papier")
    assertContains(page, "<html")
    part = client.get(
        url("insight-list", startup), {"tag": tag.pk}, headers={"HX-Request": "true"}
    )
    assertContains(part, "Formulaires en double")
    assertNotContains(part, "Accueil")
    assertNotContains(part, "<html")
    assert "HX-Request" in part["Vary"]
    text = client.get(url("insight-list", startup), {"q": "formulaires"})
    assert len(soup(text).select("tbody tr")) == 2


def test_list_search_never_looks_into_quotes(world, researched):
    response = world.client_for("sponsor").get(url("insight-list", world.startup), {"q": "recopie"})
    assert not soup(response).select("tbody tr")


def test_list_paginates(world):
    InsightFactory.create_batch(23, startup=world.startup)
    client = world.client_for("team")
    assert len(soup(client.get(url("insight-list", world.startup))).select("tbody tr")) == 20
    second = client.get(url("insight-list", world.startup), {"page": 2})
    assert len(soup(second).select("tbody tr")) == 3


def test_empty_list_and_board_invite_to_write_the_first_insight(world):
    client = world.client_for("intrapreneur")
    for name in ("insight-list", "insight-board"):
        response = client.get(url(name, world.startup))
        assert response.status_code == 200
        assertContains(response, "fr-callout")
        assertContains(response, url("insight-create", world.startup))


# ---------------------------------------------------------------- who sees what


@pytest.mark.parametrize("role", ["sponsor", "staff"])
def test_sponsor_and_staff_read_statement_and_strength_never_quotes(world, researched, role):
    insight, evidence = researched
    startup = world.startup
    client = world.client_for(role)
    interview_url = url("interview-detail", startup, pk=evidence.interview_id)
    pseudonym = evidence.interview.participant.pseudonym
    pages = [
        client.get(url("insight-detail", startup, pk=insight.pk)),
        client.get(url("insight-list", startup)),
        client.get(url("insight-board", startup)),
    ]
    for response in pages:
        assert response.status_code == 200
        assertContains(response, "Les agents ressaisissent tout")
        for secret in (QUOTE, "recopie", interview_url, pseudonym):
            assertNotContains(response, secret)
    detail = soup(pages[0])
    assert detail.select_one("h1 + ul [data-strength]")["data-strength"] == "1"
    # Neither evidence nor edit forms: the only form is the startup's search box (a GET).
    assert [f.get("id") for f in detail.select("main form")] == ["startup-search"]
    export = client.get(url("insight-export", startup))
    assert export.status_code == 200
    text = export.content.decode()
    assert "Les agents ressaisissent tout" in text
    assert "recopie" not in text and pseudonym not in text


def test_coach_reads_the_evidence_but_changes_nothing(world, researched):
    insight, evidence = researched
    response = world.client_for("coach").get(url("insight-detail", world.startup, pk=insight.pk))
    assertContains(response, QUOTE)
    assertContains(response, url("interview-detail", world.startup, pk=evidence.interview_id))
    assertNotContains(response, url("evidence-add", world.startup, pk=insight.pk))
    assertNotContains(response, url("insight-edit", world.startup, pk=insight.pk))
    assert world.client_for("coach").post(
        url("evidence-add", world.startup, pk=insight.pk)
    ).status_code == 403


def test_objects_of_another_startup_are_not_found(world):
    other = InsightFactory(startup=StartupFactory())
    client = world.client_for("intrapreneur")
    for name in ("insight-detail", "insight-edit", "insight-delete"):
        assert client.get(url(name, world.startup, pk=other.pk)).status_code == 404
    assert client.post(url("insight-move", world.startup, pk=other.pk)).status_code == 404
    assert world.client_for("outsider").get(url("insight-list", world.startup)).status_code == 404


# ---------------------------------------------------------------- create, edit, delete


def test_team_records_an_insight_with_tags_and_a_first_evidence(world):
    startup = world.startup
    interview = InterviewFactory(startup=startup)
    TagFactory(startup=startup, name="Formulaires")
    client = world.client_for("team")
    form = soup(client.get(url("insight-create", startup)))
    assert form.select_one("#id_tags")["hx-get"] == reverse(
        "tag-autocomplete", kwargs={"slug": startup.slug}
    )
    assert [o["value"] for o in form.select("#id_interview option")] == ["", str(interview.pk)]
    response = client.post(
        url("insight-create", startup),
        {
            "statement": "Les agents ressaisissent tout",
            "status": InsightStatus.TO_CONFIRM,
            "tags": "formulaires, Outils",
            "interview": interview.pk,
            "quote": QUOTE,
        },
    )
    insight = Insight.objects.get(startup=startup)
    assertRedirects(response, url("insight-detail", startup, pk=insight.pk))
    assert sorted(insight.tags.values_list("name", flat=True)) == ["Formulaires", "Outils"]
    assert Tag.objects.filter(startup=startup).count() == 2  # "formulaires" reused the tag
    assert insight.evidence.get().quote == QUOTE
    assert Activity.objects.filter(verb="insight.created", target_id=insight.pk).exists()


def test_bad_insight_input_shows_the_errors_and_keeps_what_was_typed(world):
    client = world.client_for("team")
    response = client.post(
        url("insight-create", world.startup),
        {"statement": "", "status": "confirmed", "tags": "Accueil", "quote": "Sans entretien"},
    )
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#id_statement").find_parent(class_="fr-input-group--error")
    assert page.select_one("#id_interview-desc-error")
    assert page.select_one("#id_tags")["value"] == "Accueil"
    assert "Sans entretien" in page.select_one("#id_quote").text
    assert not Insight.objects.exists()


def test_edit_replaces_statement_status_and_tags(world):
    insight = InsightFactory(startup=world.startup, statement="Avant")
    insight.tags.add(TagFactory(startup=world.startup, name="Ancienne"))
    client = world.client_for("intrapreneur")
    form = soup(client.get(url("insight-edit", world.startup, pk=insight.pk)))
    assert form.select_one("#id_tags")["value"] == "Ancienne"
    assert not form.select("#id_interview")
    response = client.post(
        url("insight-edit", world.startup, pk=insight.pk),
        {"statement": "Après", "status": "confirmed", "tags": "Nouvelle"},
    )
    assertRedirects(response, url("insight-detail", world.startup, pk=insight.pk))
    insight.refresh_from_db()
    assert (insight.statement, insight.status) == ("Après", "confirmed")
    assert list(insight.tags.values_list("name", flat=True)) == ["Nouvelle"]


def test_delete_asks_for_confirmation_first(world, researched):
    insight, evidence = researched
    client = world.client_for("team")
    confirm = client.get(url("insight-delete", world.startup, pk=insight.pk))
    assert confirm.status_code == 200
    assert Insight.objects.filter(pk=insight.pk).exists()
    response = client.post(url("insight-delete", world.startup, pk=insight.pk))
    assertRedirects(response, url("insight-list", world.startup))
    assert not Insight.objects.filter(pk=insight.pk).exists()
    assert Interview.objects.filter(pk=evidence.interview_id).exists()  # the interview stays


# ---------------------------------------------------------------- evidence


def test_evidence_add_and_remove(world):
    startup = world.startup
    insight = InsightFactory(startup=startup)
    interview = InterviewFactory(startup=startup)
    client = world.client_for("team")
    detail_url = url("insight-detail", startup, pk=insight.pk)
    response = client.post(
        url("evidence-add", startup, pk=insight.pk), {"interview": interview.pk, "quote": QUOTE}
    )
    assertRedirects(response, f"{detail_url}#evidence", fetch_redirect_response=False)
    evidence = Evidence.objects.get(insight=insight)
    assert (evidence.interview, evidence.quote) == (interview, QUOTE)
    assertContains(client.get(detail_url), QUOTE)

    delete_url = url("evidence-delete", startup, pk=insight.pk, evidence_pk=evidence.pk)
    assert client.get(delete_url).status_code == 200
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    response = client.post(delete_url)
    assertRedirects(response, f"{detail_url}#evidence", fetch_redirect_response=False)
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_bad_evidence_goes_back_to_the_detail_with_the_error(world, researched):
    insight, evidence = researched
    client = world.client_for("team")
    add_url = url("evidence-add", world.startup, pk=insight.pk)
    # No interview chosen: the detail page, with the error and the typed quote.
    response = client.post(add_url, {"quote": "Une citation orpheline"})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("h1").text == insight.statement
    assert page.select_one("#id_interview-desc-error")
    assert "Une citation orpheline" in page.select_one("#id_quote").text
    # The same interview twice, or an interview of another startup: refused.
    assert client.post(add_url, {"interview": evidence.interview_id}).status_code == 200
    foreign = InterviewFactory(startup=StartupFactory())
    assert client.post(add_url, {"interview": foreign.pk}).status_code == 200
    assert list(insight.evidence.all()) == [evidence]


def test_evidence_of_another_insight_is_not_found(world, researched):
    insight, evidence = researched
    other = InsightFactory(startup=world.startup)
    response = world.client_for("team").get(
        url("evidence-delete", world.startup, pk=other.pk, evidence_pk=evidence.pk)
    )
    assert response.status_code == 404


# ---------------------------------------------------------------- board


@pytest.fixture
def board(world):
    startup = world.startup
    tags = {name: TagFactory(startup=startup, name=name) for name in ("Outils", "Accueil")}
    loose = InsightFactory(startup=startup, statement="Sans étiquette")
    both = InsightFactory(startup=startup, statement="Deux groupes")
    both.tags.set(tags.values())
    EvidenceFactory(insight=both, interview=InterviewFactory(startup=startup), quote=QUOTE)
    TagFactory(startup=startup, name="Inutilisée")
    return tags, loose, both


def columns(response):
    return {
        section.select_one("h2").contents[0].strip(): [
            a.text for a in section.select("h3 a")
        ]
        for section in soup(response).select("section.insight-board__column")
    }


def test_board_groups_insights_by_tag_ordered_by_name(world, board):
    response = world.client_for("coach").get(url("insight-board", world.startup))
    grouped = columns(response)
    assert list(grouped)[:2] == ["Accueil", "Outils"]
    assert grouped["Accueil"] == ["Deux groupes"] and grouped["Outils"] == ["Deux groupes"]
    assert list(grouped.values())[-1] == ["Sans étiquette"]
    assert "Inutilisée" not in grouped  # a tag no insight uses is a target, not a column
    assert not soup(response).select("form.board-move")  # coaches read the board only


def test_sponsor_sees_the_board_read_only(world, board):
    response = world.client_for("sponsor").get(url("insight-board", world.startup))
    assertContains(response, "Deux groupes")
    assert soup(response).select_one("#insight-board [data-strength]")["data-strength"] == "1"
    assertNotContains(response, "insight-move")
    assertNotContains(response, "/move/")
    assertNotContains(response, QUOTE)


def test_board_move_without_javascript(world, board):
    tags, loose, both = board
    client = world.client_for("team")
    page = soup(client.get(url("insight-board", world.startup)))
    form = page.select_one(f"form[action='{url('insight-move', world.startup, pk=loose.pk)}']")
    assert form.select_one("button[type=submit]")  # keyboard and no-JS: a plain form
    assert form.select_one("select[name=to_tag]")["id"] == f"move-none-{loose.pk}"
    assert form.select_one("label")["for"] == f"move-none-{loose.pk}"
    response = client.post(
        url("insight-move", world.startup, pk=loose.pk),
        {"from_tag": "", "to_tag": tags["Outils"].pk},
    )
    board_url = url("insight-board", world.startup)
    assertRedirects(response, f"{board_url}#group-{tags['Outils'].pk}")
    assert list(loose.tags.all()) == [tags["Outils"]]
    # From one tag to another: one removed, one added; then out to "without tag".
    client.post(
        url("insight-move", world.startup, pk=both.pk),
        {"from_tag": tags["Outils"].pk, "to_tag": ""},
    )
    assert list(both.tags.all()) == [tags["Accueil"]]
    client.post(
        url("insight-move", world.startup, pk=loose.pk),
        {"from_tag": tags["Outils"].pk, "to_tag": tags["Accueil"].pk},
    )
    assert list(loose.tags.all()) == [tags["Accueil"]]
    assert Activity.objects.filter(verb="insight.updated", target_id=loose.pk).count() == 2


def test_board_move_with_htmx_returns_the_columns(world, board):
    tags, loose, both = board
    response = world.client_for("intrapreneur").post(
        url("insight-move", world.startup, pk=loose.pk),
        {"from_tag": "", "to_tag": tags["Accueil"].pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assertNotContains(response, "<html")
    grouped = columns(response)
    assert grouped["Accueil"] == ["Deux groupes", "Sans étiquette"]
    assert list(grouped.values())[-1] == []
    page = soup(response)
    focused = page.select_one("[data-board-focus]")
    assert focused.text == "Sans étiquette"
    assert focused.find_parent("section")["id"] == f"group-{tags['Accueil'].pk}"
    # The confirmation reaches the page's messages out of band.
    messages = page.select_one("#messages[hx-swap-oob]")
    assert "Sans étiquette" in messages.text


def test_board_move_refuses_the_same_group_and_foreign_tags(world, board):
    tags, loose, both = board
    client = world.client_for("team")
    move_url = url("insight-move", world.startup, pk=both.pk)
    response = client.post(move_url, {"from_tag": tags["Outils"].pk, "to_tag": tags["Outils"].pk})
    assert response.status_code == 302
    foreign = TagFactory(startup=StartupFactory())
    response = client.post(
        move_url, {"from_tag": tags["Outils"].pk, "to_tag": foreign.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert soup(response).select_one("#messages .fr-alert--error")
    assert set(both.tags.all()) == set(tags.values())
    assert not foreign.insights.exists()
    assert client.post(move_url).status_code == 302  # nothing chosen: nothing moves
    assert world.client_for("coach").post(move_url).status_code == 403


def test_insight_move_service_refuses_a_tag_of_another_startup(world, board):
    tags, loose, both = board
    with pytest.raises(ValidationError):
        services.insight_move(
            insight=loose, actor=world.people["team"], from_tag=None,
            to_tag=TagFactory(startup=StartupFactory()),
        )


# ---------------------------------------------------------------- CSV


def test_export_is_formula_safe_and_follows_the_filters(world, researched):
    insight, _evidence = researched
    insight.tags.add(TagFactory(startup=world.startup, name="Outils"))
    InsightFactory(startup=world.startup, statement="=HYPERLINK(\"http://x\")", refuted=True)
    response = world.client_for("sponsor").get(url("insight-export", world.startup))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows[0]) == 5
    assert rows[1][0] == "Les agents ressaisissent tout"
    assert rows[1][2:] == ["1", "Outils", "1"]  # strength, tags, number of evidence
    assert rows[2][0] == "'=HYPERLINK(\"http://x\")"
    filtered = world.client_for("sponsor").get(
        url("insight-export", world.startup), {"status": "refuted"}
    )
    assert len(filtered.content.decode("utf-8-sig").strip().splitlines()) == 2


# ---------------------------------------------------------------- query counts

SIZES = [3, 30]


def fill(startup, size):
    """`size` insights; each carries more tags and evidence as the size grows."""
    per_row = 1 + size // 10
    tags = [TagFactory(startup=startup) for _ in range(per_row)]
    for _ in range(size):
        insight = InsightFactory(startup=startup)
        insight.tags.set(tags)
        for _ in range(per_row):
            EvidenceFactory(insight=insight, interview=InterviewFactory(startup=startup))


# page -> exact number of queries (session, user, startup, membership, then the page's own).
PAGES = {
    "insight-list": 8,
    "insight-board": 7,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", PAGES)
def test_page_query_count(world, django_assert_num_queries, page, size):
    fill(world.startup, size)
    client = world.client_for("team")
    with django_assert_num_queries(PAGES[page]):
        response = client.get(url(page, world.startup))
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_detail_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    insight = Insight.objects.first()
    comment_threads(insight, size)
    client = world.client_for("team")
    # ... and the comments (authors), their replies (authors).
    with django_assert_num_queries(12):
        response = client.get(url("insight-detail", world.startup, pk=insight.pk))
    assert response.status_code == 200
