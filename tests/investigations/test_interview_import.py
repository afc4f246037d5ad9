"""Import of a spreadsheet of interviews: upload, preview with a report per row, apply —
all or nothing."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from intrapreneur.dates import add_months
from intrapreneur.models import Activity, Tag
from investigations.enums import RETENTION_MONTHS
from investigations.models import Interview
from investigations.services import interviews as services
from tests.intrapreneur.factories import StartupFactory, TagFactory
from tests.investigations.factories import (
    ParticipantContactFactory,
    ParticipantFactory,
    member,
)

pytestmark = pytest.mark.django_db


def url(name, startup):
    return reverse(f"investigations:{name}", kwargs={"slug": startup.slug})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def upload(text: str, name="entretiens.csv", encoding="utf-8"):
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
    startup = world.startup
    participant = ParticipantFactory(startup=startup, number=17)
    ParticipantContactFactory(participant=participant, consent_date=datetime.date(2024, 1, 1))
    TagFactory(startup=startup, name="Registre")
    team, intra = world.people["team"], world.people["intrapreneur"]
    text = (
        "Date;Type;Lieu;Participant;Enquêteurs;Étiquettes;Notes;Commentaire\n"
        f"12/03/2025;Entretien usager;Mairie de Guéret;P-017;{team.email}|{intra.email};"
        "registre|accueil;\"Elle tient le registre **à la main**.\nDeux classeurs.\";x\n"
        "2025-03-20;expert;Visio;;;;Un expert des concessions;\n"
        f";;;;;;;\n"
        f"21/03/2025;Workshop with users;Salle des fêtes;p17;{team.email.upper()};;;\n"
    )
    return text, participant


def test_upload_previews_every_row_then_apply_creates_them_all(world, sheet):
    text, participant = sheet
    startup = world.startup
    client = world.client_for("team")
    assert client.get(url("interview-import", startup)).status_code == 200
    response = client.post(url("interview-import", startup), {"file": upload(text)})
    assert response.status_code == 200
    # Rows as the spreadsheet numbers them: the header is row 1; the empty row 4 is skipped.
    assert report(response) == {2: ("ok", []), 3: ("ok", []), 5: ("ok", [])}
    html = soup(response)
    assert "Commentaire" in html.select_one("#import-ignored").text
    assert not Interview.objects.exists()  # nothing written by the preview

    apply = html.select_one("#import-apply")
    carried = apply.select_one("input[name=text]")["value"]
    response = client.post(url("interview-import", startup), {"text": carried})
    assertRedirects(response, url("interview-list", startup))

    interviews = list(Interview.objects.for_startup(startup).order_by("date"))
    assert [(i.date, i.kind, i.place) for i in interviews] == [
        (datetime.date(2025, 3, 12), "user", "Mairie de Guéret"),
        (datetime.date(2025, 3, 20), "expert", "Visio"),
        (datetime.date(2025, 3, 21), "workshop", "Salle des fêtes"),
    ]
    first, second, third = interviews
    assert first.participant == participant and third.participant == participant
    assert second.participant is None
    assert set(first.interviewers.all()) == {world.people["team"], world.people["intrapreneur"]}
    assert list(third.interviewers.all()) == [world.people["team"]]
    # Tags: the existing "Registre" reused (case-insensitive), "accueil" created.
    assert sorted(t.name for t in first.tags.all()) == ["Registre", "accueil"]
    assert Tag.objects.filter(startup=startup).count() == 2
    assert first.notes == "Elle tient le registre **à la main**.\nDeux classeurs."
    activity = Activity.objects.get(verb="interview.imported")
    assert activity.actor == world.people["team"]
    assert not Activity.objects.filter(verb="interview.created").exists()
    # The participant's retention follows their last imported interview.
    participant.contact.refresh_from_db()
    assert participant.contact.retention_until == add_months(
        datetime.date(2025, 3, 21), RETENTION_MONTHS
    )


def test_comma_separated_english_file(world):
    text = (
        "date,kind,place,participant,interviewers,tags,notes\n"
        '2025-01-05,user,"Lille, gare",,,,"Notes, with a comma"\n'
        "2025-01-06,Field observation,Guichet,,,,\n"
    )
    client = world.client_for("intrapreneur")
    response = client.post(url("interview-import", world.startup), {"file": upload(text)})
    assert report(response) == {2: ("ok", []), 3: ("ok", [])}
    carried = soup(response).select_one("#import-apply input[name=text]")["value"]
    client.post(url("interview-import", world.startup), {"text": carried})
    places = sorted(Interview.objects.values_list("place", "kind"))
    assert places == [("Guichet", "observation"), ("Lille, gare", "user")]


def test_one_bad_row_refuses_the_file_and_says_why(world, sheet):
    text, _participant = sheet
    stranger = member(StartupFactory())
    future = (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    text += (
        "31/02/2025;user;;;;;\n"
        f"{future};interview;;P-099;{stranger.email}|pas-une-adresse;;\n"
    )
    client = world.client_for("team")
    response = client.post(url("interview-import", world.startup), {"file": upload(text)})
    rows = report(response)
    assert rows[2] == ("ok", [])
    assert rows[6] == ("refused", ["date-invalid"])
    assert rows[7] == (
        "refused",
        ["date-future", "kind-unknown", "participant-unknown", "interviewer-unknown",
         "interviewer-invalid"],
    )
    row = soup(response).select_one("#import-report tr[data-row='7']")
    assert "P-099" in row.text and stranger.email in row.text
    assert "31/02/2025" in soup(response).select_one("tr[data-row='6']").text
    # No apply button: only a corrected file can go on.
    assert soup(response).select_one("#import-apply") is None
    assert soup(response).select_one("#import-refused")
    assert soup(response).select_one("#import-upload")

    # Sending the text anyway writes nothing, and shows the report again.
    forced = client.post(url("interview-import", world.startup), {"text": text})
    assert forced.status_code == 200
    assert report(forced)[7][0] == "refused"
    assert not Interview.objects.exists()
    assert not Activity.objects.filter(verb="interview.imported").exists()


def test_the_service_writes_nothing_when_a_row_is_refused(world, sheet):
    text, _participant = sheet
    text += "01/01/2025;user;;P-404;;nouvelle étiquette;\n"
    with pytest.raises(ValidationError):
        services.interview_import(startup=world.startup, actor=world.people["team"], text=text)
    assert not Interview.objects.exists()
    assert not Tag.objects.filter(name="nouvelle étiquette").exists()


def test_a_file_not_in_utf8_is_refused_clearly(world):
    text = "date;kind;place\n12/03/2025;user;Préfecture de l'Hérault\n"
    response = world.client_for("team").post(
        url("interview-import", world.startup), {"file": upload(text, encoding="latin-1")}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert "UTF-8" in errors[0]
    assert "UTF-8" in soup(response).select_one("#import-upload").text
    assert report(response) == {}
    assert not Interview.objects.exists()


@pytest.mark.parametrize(
    "text",
    ["", "place;notes\nVisio;rien\n", "\x00\x01binary"],
    ids=["empty", "missing-columns", "binary"],
)
def test_unreadable_files_are_refused(world, text):
    response = world.client_for("team").post(
        url("interview-import", world.startup), {"file": upload(text)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Interview.objects.exists()


def test_a_file_with_only_a_header_holds_nothing(world):
    response = world.client_for("team").post(
        url("interview-import", world.startup), {"file": upload("date;kind\n;\n")}
    )
    assert soup(response).select_one("#import-error")
    assert soup(response).select_one("#import-apply") is None
    assert soup(response).select_one("#import-ready") is None


def test_an_empty_post_shows_the_form_again(world):
    response = world.client_for("team").post(url("interview-import", world.startup))
    assert response.status_code == 200
    assert soup(response).select_one("#import-upload")


@pytest.mark.parametrize("role", ["coach", "sponsor", "staff"])
def test_import_needs_contribute(world, role):
    client = world.client_for(role)
    path = url("interview-import", world.startup)
    assert client.get(path).status_code == 403
    response = client.post(path, {"text": "date;kind\n2025-01-01;user\n"})
    assert response.status_code == 403
    assert not Interview.objects.exists()


def test_participants_of_another_startup_are_unknown(world):
    ParticipantFactory(startup=StartupFactory(), number=8)
    response = world.client_for("team").post(
        url("interview-import", world.startup),
        {"file": upload("date;kind;participant\n2025-01-01;user;P-008\n")},
    )
    assert report(response) == {2: ("refused", ["participant-unknown"])}
