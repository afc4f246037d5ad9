"""Scenarios and their mock-ups."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.models import Activity, Attachment
from investigations.models import Insight, Scenario
from investigations.services import insights as services
from tests.intrapreneur.factories import StartupFactory
from tests.intrapreneur.test_views import PNG
from tests.investigations.factories import (
    EvidenceFactory,
    InsightFactory,
    InterviewFactory,
    ScenarioFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def url(name, startup, **kwargs):
    return reverse(f"investigations:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def upload(client, scenario, filename, content, **data):
    return client.post(
        url("scenario-file-add", scenario.startup, pk=scenario.pk),
        {"file": SimpleUploadedFile(filename, content), **data},
    )


# ---------------------------------------------------------------- create, edit, delete


def test_team_creates_a_scenario_answering_insights(world):
    startup = world.startup
    answered = InsightFactory(startup=startup, statement="Les agents ressaisissent tout")
    InsightFactory(startup=startup, statement="Autre constat")
    foreign = InsightFactory(startup=StartupFactory(), statement="Constat d'ailleurs")
    client = world.client_for("team")
    form = client.get(url("scenario-create", startup))
    assertContains(form, "Les agents ressaisissent tout")
    assertNotContains(form, "Constat d&#x27;ailleurs")
    # An insight of another startup is not a choice.
    refused = client.post(
        url("scenario-create", startup), {"title": "Registre", "insights": [foreign.pk]}
    )
    assert refused.status_code == 200
    assert soup(refused).select_one("#id_title")["value"] == "Registre"
    assert not Scenario.objects.exists()
    response = client.post(
        url("scenario-create", startup),
        {"title": "Registre numérique", "description": "1. Photo", "insights": [answered.pk]},
    )
    scenario = Scenario.objects.get(startup=startup)
    assertRedirects(response, url("scenario-detail", startup, pk=scenario.pk))
    assert list(scenario.insights.all()) == [answered]
    assert Activity.objects.filter(verb="scenario.created", target_id=scenario.pk).exists()


def test_empty_scenario_form_shows_its_errors(world):
    response = world.client_for("intrapreneur").post(url("scenario-create", world.startup), {})
    assert response.status_code == 200
    assert soup(response).select_one("#id_title").find_parent(class_="fr-input-group--error")


def test_edit_and_delete_with_confirmation(world):
    startup = world.startup
    scenario = ScenarioFactory(startup=startup, title="Avant")
    insight = InsightFactory(startup=startup)
    client = world.client_for("intrapreneur")
    assert client.get(url("scenario-edit", startup, pk=scenario.pk)).status_code == 200
    response = client.post(
        url("scenario-edit", startup, pk=scenario.pk),
        {"title": "Après", "description": "", "insights": [insight.pk]},
    )
    assertRedirects(response, url("scenario-detail", startup, pk=scenario.pk))
    scenario.refresh_from_db()
    assert scenario.title == "Après" and list(scenario.insights.all()) == [insight]

    upload(client, scenario, "maquette.png", PNG)
    stored = Attachment.objects.get().file
    assert stored.storage.exists(stored.name)
    confirm = client.get(url("scenario-delete", startup, pk=scenario.pk))
    assert confirm.status_code == 200
    assert Scenario.objects.filter(pk=scenario.pk).exists()
    response = client.post(url("scenario-delete", startup, pk=scenario.pk))
    assertRedirects(response, url("scenario-list", startup))
    assert not Scenario.objects.filter(pk=scenario.pk).exists()
    assert not Attachment.objects.exists()  # its files go with it
    assert Insight.objects.filter(pk=insight.pk).exists()  # the insights stay


def test_delete_removes_the_stored_files_once_committed(world, django_capture_on_commit_callbacks):
    scenario = ScenarioFactory(startup=world.startup)
    attachment = services.scenario_file_add(
        scenario=scenario, actor=world.people["team"],
        upload=SimpleUploadedFile("maquette.png", PNG, content_type="image/png"),
    )
    stored = attachment.file
    with django_capture_on_commit_callbacks(execute=True):
        services.scenario_delete(scenario=scenario, actor=world.people["team"])
    assert not stored.storage.exists(stored.name)


# ---------------------------------------------------------------- detail and files


def test_detail_renders_safe_markdown_insights_and_files(world):
    startup = world.startup
    insight = InsightFactory(startup=startup, statement="Les agents ressaisissent tout")
    EvidenceFactory(insight=insight, interview=InterviewFactory(startup=startup), quote="Secret")
    scenario = ScenarioFactory(
        startup=startup, description="# Parcours\n\n**Photo** du registre <script>x()</script>"
    )
    scenario.insights.add(insight)
    services.scenario_file_add(
        scenario=scenario, actor=world.people["team"], name="Maquette accueil.png",
        upload=SimpleUploadedFile("m.png", PNG, content_type="image/png"),
    )
    response = world.client_for("sponsor").get(url("scenario-detail", startup, pk=scenario.pk))
    page = soup(response)
    markdown = page.select_one(".markdown")
    assert markdown.select_one("h2").text == "Parcours"  # the page keeps its only h1
    assert markdown.select_one("strong").text == "Photo"
    assert not markdown.select("script")
    assertContains(response, "Les agents ressaisissent tout")
    assert page.select_one("#insights-title + ul [data-strength]")["data-strength"] == "1"
    assertNotContains(response, "Secret")
    link = page.select_one("#files a[download]")
    assert link.text == "Maquette accueil.png"
    # The sponsor downloads the mock-up through the checked view, and changes nothing.
    download = world.client_for("sponsor").get(link["href"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    # Nothing to change: the only form is the startup's search box (a GET).
    assert [f.get("id") for f in page.select("main form")] == ["startup-search"]
    assertNotContains(response, url("scenario-edit", startup, pk=scenario.pk))


@pytest.mark.parametrize(("name", "content"), [("maquette.png", PNG), ("parcours.pdf", PDF)])
def test_upload_an_image_or_a_pdf(world, name, content):
    scenario = ScenarioFactory(startup=world.startup)
    response = upload(world.client_for("team"), scenario, name, content)
    detail_url = url("scenario-detail", world.startup, pk=scenario.pk)
    assertRedirects(response, f"{detail_url}#files", fetch_redirect_response=False)
    attachment = Attachment.objects.get()
    assert attachment.owner == scenario
    assert (attachment.name, attachment.required_action) == (name, "view")
    assert list(scenario.files.all()) == [attachment]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("dessin.svg", SVG),
        ("notes.txt", b"Des notes en texte"),  # accepted for files, not for mock-ups
        ("photo.pdf", PNG),  # the name does not match the content
    ],
)
def test_refused_files_go_back_to_the_detail_with_the_error(world, name, content):
    scenario = ScenarioFactory(startup=world.startup, title="Registre numérique")
    response = upload(world.client_for("team"), scenario, name, content, name="Mon fichier")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("h1").text == "Registre numérique"
    assert page.select_one("#id_file").find_parent(class_="fr-input-group--error")
    assert page.select_one("#id_name")["value"] == "Mon fichier"
    assert not Attachment.objects.exists()


def test_sponsor_and_coach_cannot_write(world):
    scenario = ScenarioFactory(startup=world.startup)
    for role in ("sponsor", "coach", "staff"):
        client = world.client_for(role)
        assert client.get(url("scenario-create", world.startup)).status_code == 403
        assert upload(client, scenario, "m.png", PNG).status_code == 403
        assert client.post(url("scenario-delete", world.startup, pk=scenario.pk)).status_code == 403
    assert Scenario.objects.filter(pk=scenario.pk).exists()


def test_scenario_of_another_startup_is_not_found(world):
    other = ScenarioFactory(startup=StartupFactory())
    client = world.client_for("intrapreneur")
    for name in ("scenario-detail", "scenario-edit", "scenario-delete"):
        assert client.get(url(name, world.startup, pk=other.pk)).status_code == 404
    assert upload(client, other, "m.png", PNG).status_code == 404


# ---------------------------------------------------------------- list


def test_list_searches_filters_sorts_and_paginates(world):
    startup = world.startup
    insight = InsightFactory(startup=startup)
    answering = ScenarioFactory(startup=startup, title="Zeta registre", description="Un kiosque")
    answering.insights.add(insight)
    for i in range(13):
        ScenarioFactory(startup=startup, title=f"Parcours {i:02d}")
    client = world.client_for("coach")

    def titles(**params):
        page = soup(client.get(url("scenario-list", startup), params))
        return [a.text for a in page.select("#list-results h3 a")]

    first = titles()
    assert len(first) == 12 and first[0] == "Parcours 00"
    assert titles(page=2) == ["Parcours 12", "Zeta registre"]
    assert titles(sort="-title")[0] == "Zeta registre"
    assert titles(q="kiosque") == ["Zeta registre"]
    assert titles(insight=insight.pk) == ["Zeta registre"]
    part = client.get(
        url("scenario-list", startup), {"q": "kiosque"}, headers={"HX-Request": "true"}
    )
    assertNotContains(part, "<html")
    assertContains(part, "Zeta registre")
    assert "HX-Request" in part["Vary"]


def test_empty_list_invites_to_create(world):
    response = world.client_for("team").get(url("scenario-list", world.startup))
    assertContains(response, "fr-callout")
    assertContains(response, url("scenario-create", world.startup))


# ---------------------------------------------------------------- query counts

SIZES = [3, 30]


def fill(startup, actor, size):
    """`size` scenarios; each answers more insights and holds more files as the size grows."""
    per_row = 1 + size // 10
    insights = [InsightFactory(startup=startup) for _ in range(per_row)]
    for _ in range(size):
        scenario = ScenarioFactory(startup=startup)
        scenario.insights.set(insights)
        for j in range(per_row):
            services.scenario_file_add(
                scenario=scenario, actor=actor,
                upload=SimpleUploadedFile(f"m{j}.png", PNG, content_type="image/png"),
            )


@pytest.mark.parametrize("size", SIZES)
def test_list_query_count(world, django_assert_num_queries, size):
    fill(world.startup, world.people["team"], size)
    client = world.client_for("team")
    # session, user, startup, membership, insight filter, count, page, insights, files
    with django_assert_num_queries(9):
        response = client.get(url("scenario-list", world.startup))
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_detail_query_count(world, django_assert_num_queries, size):
    fill(world.startup, world.people["team"], size)
    scenario = Scenario.objects.first()
    client = world.client_for("team")
    # session, user, startup, membership, scenario, insights, their tags, files
    with django_assert_num_queries(8):
        response = client.get(url("scenario-detail", world.startup, pk=scenario.pk))
    assert response.status_code == 200
