"""Import of a spreadsheet of feedback: upload, preview with a report per row, apply — all
or nothing."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from intrapreneur.models import Activity, Tag
from products.models import Feedback
from products.services import feedback as services
from tests.intrapreneur.factories import StartupFactory, TagFactory
from tests.investigations.factories import member

pytestmark = pytest.mark.django_db


def url(name, startup):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def upload(text: str, name="retours.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def report(response):
    """Row number -> (status, [refusal codes]) as the preview shows them."""
    return {
        int(tr["data-row"]): (tr["data-status"], [li["data-code"] for li in tr.select("li")])
        for tr in soup(response).select("#import-report tbody tr")
    }


@pytest.fixture
def sheet(world):
    """A spreadsheet as a French team keeps it: semicolons, French headers and labels."""
    TagFactory(startup=world.startup, name="Carte")
    team = world.people["team"]
    return (
        "Date;Retour;Type;Origine;Canal;Statut;Étiquettes;Responsable;Courriel;"
        "Consentement;Remarque interne\n"
        "12/03/2025;\"Les mairies ne voient pas la carte.\nDeux fois ce mois-ci.\";Bug;"
        f"Usager;Formulaire;à traiter;carte|mobile;{team.email.upper()};"
        "camille@example.fr;oui;x\n"
        "2025-03-20;Merci pour l'export !;Félicitations;partenaire;Courriel;Terminé;;;;;\n"
        ";;;;;;;;;;\n"
        "21/03/2025;=SOMME(A1:A3) est-ce possible ?;question;;;;;;;non;\n"
    )


def test_upload_previews_every_row_then_apply_creates_them_all(world, sheet):
    startup = world.startup
    client = world.client_for("team")
    assert client.get(url("feedback-import", startup)).status_code == 200
    response = client.post(url("feedback-import", startup), {"file": upload(sheet)})
    assert response.status_code == 200
    # Rows as the spreadsheet numbers them: the empty row 4 is skipped.
    assert report(response) == {2: ("ok", []), 3: ("ok", []), 5: ("ok", [])}
    html = soup(response)
    assert "Remarque interne" in html.select_one("#import-ignored").text
    assert not Feedback.objects.exists()  # nothing written by the preview

    carried = html.select_one("#import-apply input[name=text]")["value"]
    response = client.post(url("feedback-import", startup), {"text": carried})
    assertRedirects(response, url("feedback-list", startup))

    first, second, third = Feedback.objects.for_startup(startup).order_by("date")
    assert (first.date, first.kind, first.source, first.channel, first.status) == (
        datetime.date(2025, 3, 12), "problem", "user", "form", "new"
    )
    assert first.text == "Les mairies ne voient pas la carte.\nDeux fois ce mois-ci."
    assert first.assignee == world.people["team"]
    assert (first.author_email, first.author_consents) == ("camille@example.fr", True)
    # The existing "Carte" reused (case-insensitive), "mobile" created.
    assert sorted(t.name for t in first.tags.all()) == ["Carte", "mobile"]
    assert Tag.objects.filter(startup=startup).count() == 2
    assert (second.kind, second.source, second.channel, second.status) == (
        "praise", "partner", "email", "done"
    )
    # Empty cells take the defaults; a formula stays text.
    assert (third.kind, third.source, third.channel, third.status) == (
        "question", "user", "other", "new"
    )
    assert third.text.startswith("=SOMME")
    activity = Activity.objects.get(verb="feedback.imported")
    assert activity.actor == world.people["team"]
    if connection.vendor == "postgresql":
        assert list(Feedback.objects.search_text("mairie")) == [first]


def test_one_bad_row_refuses_the_file_and_says_why(world, sheet):
    stranger = member(StartupFactory())
    future = (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    sheet += (
        "31/02/2025;Texte;problème;;;;;;;;\n"
        f"{future};;rumeur;voisin;pigeon;urgent;{'x' * 61};{stranger.email};pas-une-adresse;"
        "peut-être;\n"
        "01/01/2025;Il veut une réponse;;;;;;;;oui;\n"
    )
    client = world.client_for("team")
    response = client.post(url("feedback-import", world.startup), {"file": upload(sheet)})
    rows = report(response)
    assert rows[2] == ("ok", [])
    assert rows[6] == ("refused", ["date-invalid"])
    assert rows[7] == (
        "refused",
        ["date-future", "text-missing", "kind-unknown", "source-unknown", "channel-unknown",
         "status-unknown", "assignee-unknown", "email-invalid", "consent-unknown",
         "tag-long"],
    )
    assert rows[8] == ("refused", ["consent-without-email"])
    assert stranger.email in soup(response).select_one("tr[data-row='7']").text
    html = soup(response)
    assert html.select_one("#import-apply") is None
    assert html.select_one("#import-refused") and html.select_one("#import-upload")
    # Sending the text anyway writes nothing, and shows the report again.
    forced = client.post(url("feedback-import", world.startup), {"text": sheet})
    assert forced.status_code == 200
    assert report(forced)[7][0] == "refused"
    assert not Feedback.objects.exists()
    assert not Activity.objects.filter(verb="feedback.imported").exists()


def test_the_service_writes_nothing_when_a_row_is_refused(world, sheet):
    sheet += "01/01/2025;Texte;;;;;nouvelle étiquette;personne@ailleurs.fr;;;\n"
    with pytest.raises(ValidationError):
        services.feedback_import(startup=world.startup, actor=world.people["team"], text=sheet)
    assert not Feedback.objects.exists()
    assert not Tag.objects.filter(name="nouvelle étiquette").exists()


def test_comma_separated_english_file(world):
    text = (
        "date,text,kind,source,channel,status\n"
        '2025-01-05,"Slow, very slow",Problem,User,Phone,Triaged\n'
        "2025-01-06,Nice,praise,,,\n"
    )
    client = world.client_for("intrapreneur")
    response = client.post(url("feedback-import", world.startup), {"file": upload(text)})
    assert report(response) == {2: ("ok", []), 3: ("ok", [])}
    carried = soup(response).select_one("#import-apply input[name=text]")["value"]
    client.post(url("feedback-import", world.startup), {"text": carried})
    assert sorted(Feedback.objects.values_list("text", "channel", "status")) == [
        ("Nice", "other", "new"), ("Slow, very slow", "phone", "triaged"),
    ]


@pytest.mark.parametrize(
    "text",
    ["", "kind;source\nbug;usager\n", "\x00\x01binary"],
    ids=["empty", "missing-columns", "binary"],
)
def test_unreadable_files_are_refused(world, text):
    response = world.client_for("team").post(
        url("feedback-import", world.startup), {"file": upload(text)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Feedback.objects.exists()


def test_a_file_not_in_utf8_is_refused_clearly(world):
    text = "date;texte\n12/03/2025;Préfecture de l'Hérault\n"
    response = world.client_for("team").post(
        url("feedback-import", world.startup), {"file": upload(text, encoding="latin-1")}
    )
    assert "UTF-8" in response.context["form"].errors["file"][0]
    assert not Feedback.objects.exists()


def test_a_file_with_only_a_header_holds_nothing(world):
    response = world.client_for("team").post(
        url("feedback-import", world.startup), {"file": upload("date;texte\n;\n")}
    )
    assert soup(response).select_one("#import-error")
