"""Search across a startup: one box, every kind the person may see, grouped by kind."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from products.models import Feedback
from products.services.feedback import feedback_index
from tests.governance.factories import StakeholderFactory
from tests.intrapreneur.factories import StartupFactory
from tests.investigations.factories import (
    EvidenceFactory,
    InsightFactory,
    InterviewFactory,
    ParticipantContactFactory,
    ParticipantFactory,
)
from tests.products.factories import (
    FeedbackFactory,
    HypothesisFactory,
    LearningFactory,
    PartnerFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db

ALL_KINDS = ["interviews", "insights", "feedback", "hypotheses", "releases", "learnings",
             "partners", "stakeholders"]


def search(client, startup, q=None):
    query = {} if q is None else {"q": q}
    return client.get(reverse("startup-search", args=[startup.slug]), query)


def groups(response) -> dict[str, list[tuple[str, str]]]:
    """kind -> [(title, href)] as the page shows them."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return {
        section["id"].removeprefix("search-"): [
            (a.get_text(strip=True), a["href"]) for a in section.select("ul a")
        ]
        for section in soup.select("#search-results section")
    }


def count_line(response) -> str:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return soup.select_one("#search-count").get_text(strip=True)


def one_of_each(startup, word: str) -> dict:
    """An object of every kind mentioning ``word`` (in one of its searched fields)."""
    participant = ParticipantFactory(startup=startup, profile="Gardien de cimetière")
    objects = {
        "interviews": InterviewFactory(
            startup=startup, participant=participant, notes=f"Le registre des {word} brûle."
        ),
        "insights": InsightFactory(startup=startup, statement=f"Les {word} manquent de place"),
        "feedback": FeedbackFactory(startup=startup, text=f"Où déclarer les {word} ?"),
        "hypotheses": HypothesisFactory(startup=startup, statement=f"Les {word} en ligne"),
        "releases": ReleaseFactory(startup=startup, version="v2.0", notes=f"Carte des {word}"),
        "learnings": LearningFactory(startup=startup, learned=f"Les {word} d'abord"),
        "partners": PartnerFactory(startup=startup, organisation="Mairie", notes=f"{word}"),
        "stakeholders": StakeholderFactory(startup=startup, name="Préfecture",
                                           notes=f"Suit les {word}"),
    }
    feedback_index(Feedback.objects.filter(startup=startup))
    return objects


def test_one_query_finds_every_kind_grouped_with_links(world):
    found = one_of_each(world.startup, "concessions")
    one_of_each(StartupFactory(), "concessions")  # another startup's: never shown
    InsightFactory(startup=world.startup, statement="Sans rapport")

    response = search(world.client_for("intrapreneur"), world.startup, "concession")

    shown = groups(response)
    assert list(shown) == ALL_KINDS
    slug = world.startup.slug
    assert shown["interviews"][0][1] == f"/startups/{slug}/investigation/interviews/" \
        f"{found['interviews'].pk}/"
    assert shown["insights"] == [("Les concessions manquent de place",
                                  f"/startups/{slug}/investigation/insights/"
                                  f"{found['insights'].pk}/")]
    assert shown["feedback"] == [("Où déclarer les concessions ?",
                                  f"/startups/{slug}/product/feedback/{found['feedback'].pk}/")]
    assert shown["releases"] == [("v2.0", f"/startups/{slug}/product/releases/"
                                          f"{found['releases'].pk}/")]
    assert shown["stakeholders"] == [("Préfecture", f"/startups/{slug}/governance/"
                                                    f"stakeholders/{found['stakeholders'].pk}/")]
    assert all(len(hits) == 1 for hits in shown.values())
    # “concession” found “concessions”: French stemming on PostgreSQL.
    assert count_line(response) == "8 résultats pour « concession »"


@pytest.mark.parametrize("role", ["sponsor", "staff"])
def test_without_view_research_no_interview_feedback_nor_quote(world, role):
    one_of_each(world.startup, "concessions")
    quoted = InsightFactory(startup=world.startup, statement="Les familles appellent")
    EvidenceFactory(insight=quoted, quote="« Les concessions échues, on les découvre tard »")

    shown = groups(search(world.client_for(role), world.startup, "concessions"))

    assert list(shown) == ["insights", "hypotheses", "releases", "learnings", "partners",
                           "stakeholders"]
    assert [title for title, _href in shown["insights"]] == ["Les concessions manquent de place"]


def test_with_view_research_quotes_are_searched(world):
    quoted = InsightFactory(startup=world.startup, statement="Les familles appellent")
    EvidenceFactory(insight=quoted, quote="« Les concessions échues, on les découvre tard »")
    EvidenceFactory(insight=quoted, quote="« Les concessions, encore »")

    shown = groups(search(world.client_for("coach"), world.startup, "concessions"))

    assert [title for title, _href in shown["insights"]] == ["Les familles appellent"]


def test_personal_data_is_never_searched(world):
    participant = ParticipantFactory(startup=world.startup)
    ParticipantContactFactory(participant=participant, name="Bernadette Soubirous",
                              email="bernadette@example.fr")
    InterviewFactory(startup=world.startup, participant=participant, notes="Rien de plus.")
    FeedbackFactory(startup=world.startup, text="Merci.", author_email="soubirous@example.fr")
    PartnerFactory(startup=world.startup, contact="Mme Soubirous, DGS")
    StakeholderFactory(startup=world.startup, contact="soubirous@example.gouv.fr")
    feedback_index(Feedback.objects.filter(startup=world.startup))

    for role in ("intrapreneur", "team"):  # they may read personal data, still not here
        response = search(world.client_for(role), world.startup, "Soubirous")
        assert groups(response) == {}
        assert count_line(response) == "Aucun résultat pour « Soubirous »."


def test_a_group_shows_five_and_links_to_the_list_filtered(world):
    for n in range(7):
        HypothesisFactory(startup=world.startup, statement=f"Les registres papier {n}")
    HypothesisFactory(startup=world.startup, statement="Sans rapport")
    LearningFactory(startup=world.startup, learned="Les registres, une fois")

    response = search(world.client_for("team"), world.startup, "registres")

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    section = soup.select_one("#search-hypotheses")
    assert len(section.select("ul li")) == 5
    assert section["data-total"] == "7"
    assert "7" in section.h2.get_text()
    more = section.select_one("a[data-more]")
    assert more["href"] == f"/startups/{world.startup.slug}/product/hypotheses/?q=registres"
    assert more.get_text(strip=True) == "Voir les 7 hypothèses"
    # The list it links to does filter by the query.
    listing = world.client_for("team").get(more["href"]).content.decode()
    assert all(f"Les registres papier {n}" in listing for n in range(7))
    assert "Sans rapport" not in listing
    # A group that shows everything has no such link.
    assert soup.select_one("#search-learnings a[data-more]") is None


def test_empty_query_and_no_result(world):
    client = world.client_for("team")
    page = BeautifulSoup(search(client, world.startup).content.decode(), "html.parser")
    assert page.select_one("#search-empty-query") is not None
    assert page.select_one("#search-count") is None

    blank = BeautifulSoup(search(client, world.startup, "   ").content.decode(), "html.parser")
    assert blank.select_one("#search-empty-query") is not None

    response = search(client, world.startup, "introuvable")
    assert count_line(response) == "Aucun résultat pour « introuvable »."
    assert BeautifulSoup(response.content.decode(), "html.parser").select_one(
        "#search-no-result") is not None


def test_the_search_box_is_on_every_page_of_the_startup(world):
    client = world.client_for("sponsor")
    for name in ("startup-overview", "startup-team", "startup-search"):
        soup = BeautifulSoup(
            client.get(reverse(name, args=[world.startup.slug])).content.decode(), "html.parser"
        )
        box = soup.select_one("nav form#startup-search")
        assert box["action"] == f"/startups/{world.startup.slug}/search/"
        assert box.select_one("input[type=search][name=q]") is not None
        assert box.select_one("label[for=startup-search-q]") is not None


def test_the_query_is_kept_in_the_box(world):
    soup = BeautifulSoup(
        search(world.client_for("team"), world.startup, '"les mairies" -Paris').content.decode(),
        "html.parser",
    )
    assert soup.select_one("#search-form input[name=q]")["value"] == '"les mairies" -Paris'


def test_websearch_syntax_phrase_and_exclusion(world):
    HypothesisFactory(startup=world.startup, statement="Les mairies rurales déclarent")
    HypothesisFactory(startup=world.startup, statement="Les mairies de Paris déclarent")
    client = world.client_for("team")
    titles = [t for t, _h in groups(search(client, world.startup, "mairies -Paris"))
              ["hypotheses"]]
    assert titles == ["Les mairies rurales déclarent"]


@pytest.mark.parametrize("size", [2, 12])
def test_query_count_is_constant(world, django_assert_num_queries, size):
    for n in range(size):
        one_of_each(world.startup, "cimetières")
        EvidenceFactory(insight=InsightFactory(startup=world.startup, statement="Autre"),
                        quote=f"cimetières {n}")
    client = world.client_for("intrapreneur")
    # session, user, startup, membership; then one query per kind (its first hits and
    # their total together).
    with django_assert_num_queries(4 + len(ALL_KINDS)):
        response = search(client, world.startup, "cimetières")
    assert sum(int(g["data-total"]) for g in BeautifulSoup(
        response.content.decode(), "html.parser").select("#search-results section")
    ) == 9 * size
