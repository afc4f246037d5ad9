"""Interviews as each role sees them: list, filters, record, notes preview, files, export."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.dates import add_months
from intrapreneur.enums import Role
from intrapreneur.models import Activity, Attachment, Startup
from investigations.enums import RETENTION_MONTHS, InterviewKind
from investigations.models import Interview, ParticipantContact
from investigations.services import interviews as services
from tests.intrapreneur.factories import MembershipFactory, StartupFactory, TagFactory
from tests.intrapreneur.test_views import PNG
from tests.investigations.factories import (
    EvidenceFactory,
    InterviewFactory,
    ParticipantContactFactory,
    ParticipantFactory,
    member,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)


def url(name, startup, **kwargs):
    return reverse(f"investigations:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def rows(response):
    """The pks of the interviews listed, in order."""
    return [int(tr["id"].removeprefix("interview-")) for tr in soup(response).select("tbody tr")]


# ---------------------------------------------------------------- who sees what


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 200), ("sponsor", 403), ("staff", 403),
     ("outsider", 404)],
)
def test_interview_pages_by_role(world, role, status):
    interview = InterviewFactory(startup=world.startup)
    client = world.client_for(role)
    for name, kwargs in (
        ("interview-list", {}), ("interview-detail", {"pk": interview.pk}),
        ("interview-export", {}),
    ):
        assert client.get(url(name, world.startup, **kwargs)).status_code == status, name


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 403), ("sponsor", 403), ("staff", 403)],
)
def test_writing_pages_need_contribute(world, role, status):
    interview = InterviewFactory(startup=world.startup)
    client = world.client_for(role)
    for name, kwargs in (
        ("interview-create", {}), ("interview-import", {}),
        ("interview-edit", {"pk": interview.pk}), ("interview-delete", {"pk": interview.pk}),
    ):
        assert client.get(url(name, world.startup, **kwargs)).status_code == status, name


def test_coach_reads_the_interview_without_any_write_action(world):
    interview = InterviewFactory(startup=world.startup, notes="Elle tient un **registre**.")
    client = world.client_for("coach")
    response = client.get(interview.get_absolute_url())
    assertContains(response, "<strong>registre</strong>", html=True)
    assertNotContains(response, url("interview-edit", world.startup, pk=interview.pk))
    assertNotContains(response, 'enctype="multipart/form-data"')
    listing = client.get(url("interview-list", world.startup))
    assertNotContains(listing, url("interview-create", world.startup))
    assertNotContains(listing, url("interview-import", world.startup))
    # Uploading on the detail page needs contribute.
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    assert client.post(interview.get_absolute_url(), {"file": upload}).status_code == 403
    assert not Attachment.objects.exists()


def test_an_interview_of_another_startup_is_not_found(world):
    other = InterviewFactory(startup=StartupFactory())
    client = world.client_for("intrapreneur")
    assert client.get(url("interview-detail", world.startup, pk=other.pk)).status_code == 404
    assert client.get(url("interview-edit", world.startup, pk=other.pk)).status_code == 404


# ---------------------------------------------------------------- record, edit, delete


def form_data(**values):
    data = {"kind": "user", "date": days_ago(2).isoformat(), "place": "Mairie d'Arras",
            "notes": "", "tags": ""}
    data.update(values)
    return data


def test_record_an_interview(world):
    startup = world.startup
    participant = ParticipantFactory(startup=startup, number=17, profile="Agente d'accueil")
    ParticipantContactFactory(participant=participant, consent_date=days_ago(30))
    team = world.people["team"]
    client = world.client_for("intrapreneur")
    form = client.get(url("interview-create", startup))
    html = soup(form)
    # The interviewers are the startup's members, the participants its own.
    choices = {int(i["value"]) for i in html.select("input[name=interviewers]")}
    assert choices == set(startup.memberships.values_list("user", flat=True))
    assert html.select_one(f"select[name=participant] option[value='{participant.pk}']").text == (
        "P-017 — Agente d'accueil"
    )
    notes = html.select_one("textarea[name=notes]")
    assert notes["hx-post"] == url("notes-preview", startup)
    assert notes["hx-trigger"] == "input changed delay:500ms"
    assert html.select_one("[name=tags]")["hx-get"] == reverse(
        "tag-autocomplete", kwargs={"slug": startup.slug}
    )

    response = client.post(
        url("interview-create", startup),
        form_data(interviewers=[team.pk], participant=participant.pk,
                  notes="Le registre est **papier**.", tags="registre, accueil"),
    )
    interview = Interview.objects.get()
    assertRedirects(response, interview.get_absolute_url())
    assert interview.startup == startup
    assert list(interview.interviewers.all()) == [team]
    assert sorted(t.name for t in interview.tags.all()) == ["accueil", "registre"]
    assert Activity.objects.filter(verb="interview.created", target_id=interview.pk).exists()
    # The participant's retention follows their last interview.
    contact = ParticipantContact.objects.get(participant=participant)
    assert contact.retention_until == add_months(interview.date, RETENTION_MONTHS)


def test_bad_input_keeps_what_was_typed(world):
    client = world.client_for("team")
    outsider = member(StartupFactory())
    foreign = ParticipantFactory(startup=StartupFactory())
    response = client.post(
        url("interview-create", world.startup),
        form_data(date=(timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
                  notes="Mes notes précieuses", interviewers=[outsider.pk],
                  participant=foreign.pk),
    )
    assert response.status_code == 200
    assertContains(response, "Mes notes précieuses")
    form = response.context["form"]
    assert set(form.errors) == {"date", "interviewers", "participant"}
    assert not Interview.objects.exists()


def test_edit_moves_the_retention_of_both_participants(world):
    startup = world.startup
    first = ParticipantFactory(startup=startup)
    second = ParticipantFactory(startup=startup)
    for participant in (first, second):
        ParticipantContactFactory(participant=participant, consent_date=days_ago(400))
    InterviewFactory(startup=startup, participant=first, date=days_ago(300))
    interview = services.interview_create(
        startup=startup, actor=world.people["team"], kind="user", date=days_ago(10),
        participant=first,
    )
    assert first.contact.retention_until == add_months(days_ago(10), RETENTION_MONTHS)
    client = world.client_for("team")
    edit = client.get(url("interview-edit", startup, pk=interview.pk))
    assert soup(edit).select_one("input[name=date]")["value"] == days_ago(10).isoformat()
    response = client.post(
        url("interview-edit", startup, pk=interview.pk),
        form_data(date=days_ago(5).isoformat(), participant=second.pk, kind="expert"),
    )
    assertRedirects(response, interview.get_absolute_url())
    interview.refresh_from_db()
    assert (interview.kind, interview.participant) == ("expert", second)
    first.contact.refresh_from_db()
    second.contact.refresh_from_db()
    # The first participant's last interview is now the older one.
    assert first.contact.retention_until == add_months(days_ago(300), RETENTION_MONTHS)
    assert second.contact.retention_until == add_months(days_ago(5), RETENTION_MONTHS)


def test_delete_asks_then_deletes_and_recomputes_the_retention(world):
    startup = world.startup
    participant = ParticipantFactory(startup=startup)
    ParticipantContactFactory(participant=participant, consent_date=days_ago(100))
    older = services.interview_create(
        startup=startup, actor=None, kind="user", date=days_ago(60), participant=participant
    )
    newer = services.interview_create(
        startup=startup, actor=None, kind="user", date=days_ago(6), participant=participant
    )
    EvidenceFactory(interview=newer, insight__startup=startup)
    client = world.client_for("intrapreneur")
    path = url("interview-delete", startup, pk=newer.pk)
    confirm = client.get(path)
    assertContains(confirm, 'method="post"')
    assert Interview.objects.filter(pk=newer.pk).exists()
    assertRedirects(client.post(path), url("interview-list", startup))
    assert list(Interview.objects.all()) == [older]
    participant.contact.refresh_from_db()
    assert participant.contact.retention_until == add_months(days_ago(60), RETENTION_MONTHS)
    assert Activity.objects.filter(verb="interview.deleted").exists()


def test_the_retention_set_by_hand_is_kept(world):
    participant = ParticipantFactory(startup=world.startup)
    ParticipantContactFactory(
        participant=participant, retention_until=datetime.date(2030, 1, 1),
        retention_set_by_hand=True,
    )
    services.interview_create(
        startup=world.startup, actor=None, kind="user", date=days_ago(1),
        participant=participant,
    )
    participant.contact.refresh_from_db()
    assert participant.contact.retention_until == datetime.date(2030, 1, 1)


# ---------------------------------------------------------------- notes


def test_notes_preview_renders_sanitised_markdown_for_htmx(world):
    client = world.client_for("team")
    response = client.post(
        url("notes-preview", world.startup),
        {"notes": "# Constat\n\n**Registre** papier <script>alert(1)</script>"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>Constat</h2>" in html
    assert "<strong>Registre</strong>" in html
    assert "<script" not in html
    assert "<html" not in html
    # Empty notes: an empty preview.
    empty = client.post(url("notes-preview", world.startup), {"notes": "  "})
    assert "markdown" not in empty.content.decode()


@pytest.mark.parametrize(("role", "status"), [("coach", 403), ("sponsor", 403)])
def test_notes_preview_needs_contribute(world, role, status):
    response = world.client_for(role).post(url("notes-preview", world.startup), {"notes": "x"})
    assert response.status_code == status


def test_notes_preview_is_post_only(world):
    assert world.client_for("team").get(url("notes-preview", world.startup)).status_code == 405


# ---------------------------------------------------------------- files


def test_upload_a_file_on_the_interview(world):
    interview = InterviewFactory(startup=world.startup)
    client = world.client_for("team")
    upload = SimpleUploadedFile("photo-registre.png", PNG, content_type="image/png")
    response = client.post(
        interview.get_absolute_url(), {"file": upload, "name": "", "tags": "photo"}
    )
    assertRedirects(response, interview.get_absolute_url())
    attachment = Attachment.objects.get()
    assert attachment.owner == interview
    assert attachment.required_action == "view_research"
    download = reverse(
        "attachment-download", kwargs={"slug": world.startup.slug, "pk": attachment.pk}
    )
    page = world.client_for("coach").get(interview.get_absolute_url())
    assert soup(page).select_one("#interview-files a")["href"] == download
    assert world.client_for("coach").get(download).status_code == 200
    # The sponsor cannot download a research file, nor see it among the files.
    assert world.client_for("sponsor").get(download).status_code == 403
    files = world.client_for("sponsor").get(
        reverse("attachment-list", kwargs={"slug": world.startup.slug})
    )
    assertNotContains(files, "photo-registre.png")


def test_an_empty_upload_shows_the_error(world):
    interview = InterviewFactory(startup=world.startup, notes="Les notes restent")
    response = world.client_for("team").post(interview.get_absolute_url(), {})
    assert response.status_code == 200
    assert "file" in response.context["upload_form"].errors
    assertContains(response, "Les notes restent")


def test_deleting_the_interview_deletes_its_files(world):
    interview = InterviewFactory(startup=world.startup)
    world.client_for("team").post(
        interview.get_absolute_url(),
        {"file": SimpleUploadedFile("p.png", PNG, content_type="image/png")},
    )
    assert Attachment.objects.count() == 1
    world.client_for("team").post(url("interview-delete", world.startup, pk=interview.pk))
    assert not Attachment.objects.exists()


# ---------------------------------------------------------------- list


@pytest.fixture
def listed(world):
    """Interviews of every kind, with tags, interviewers and participants."""
    startup = world.startup
    team, intra = world.people["team"], world.people["intrapreneur"]
    registre = TagFactory(startup=startup, name="registre")
    secretary = ParticipantFactory(startup=startup, profile="Secrétaire de mairie")
    agent = ParticipantFactory(startup=startup, profile="Agent de préfecture")
    made = {
        "expert": InterviewFactory(startup=startup, kind="expert", date=days_ago(40),
                                   participant=agent, place="Préfecture", notes="Délais"),
        "user": InterviewFactory(startup=startup, kind="user", date=days_ago(20),
                                 participant=secretary, place="Visio", notes="Registre papier"),
        "observation": InterviewFactory(startup=startup, kind="observation", date=days_ago(10),
                                        participant=None, place="Guichet", notes="File"),
        "workshop": InterviewFactory(startup=startup, kind="workshop", date=days_ago(5),
                                     participant=secretary, place="Mairie", notes="Atelier"),
    }
    made["user"].tags.add(registre)
    made["workshop"].tags.add(registre)
    made["user"].interviewers.add(team)
    made["expert"].interviewers.add(intra)
    InterviewFactory(startup=StartupFactory(), kind="user")  # elsewhere
    return made, registre


def test_list_shows_rows_counts_and_progress(world, listed):
    made, _tag = listed
    Startup.objects.filter(pk=world.startup.pk).update(target_interviews=20)
    response = world.client_for("coach").get(url("interview-list", world.startup))
    html = soup(response)
    assert rows(response) == [made[k].pk for k in ("workshop", "observation", "user", "expert")]
    assert html.select_one("#interview-progress").text.strip() == "4 / 20"
    assert html.select_one("progress")["value"] == "20"
    counts = {p["data-kind"]: p.text for p in html.select("#interview-kind-counts [data-kind]")}
    assert set(counts) == set(InterviewKind.values)
    assert all(text.strip().endswith(": 1") for text in counts.values())
    row = html.select_one(f"#interview-{made['user'].pk}")
    assert "Secrétaire de mairie" in row.text
    assert str(world.people["team"]) in row.text
    assert "registre" in row.text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "expert"}, ["expert"]),
        ({"tag": "TAG"}, ["workshop", "user"]),
        ({"interviewer": "TEAM"}, ["user"]),
        ({"date_from": 25, "date_to": 8}, ["observation", "user"]),
        ({"q": "papier"}, ["user"]),
        ({"q": "guichet"}, ["observation"]),
        ({"q": "préfecture"}, ["expert"]),  # the participant's profile
        ({"sort": "kind"}, ["expert", "observation", "user", "workshop"]),
        ({"sort": "-date"}, ["expert", "user", "observation", "workshop"]),
    ],
)
def test_list_filters_and_sorts(world, listed, params, expected):
    made, tag = listed
    params = dict(params)
    if params.get("tag") == "TAG":
        params["tag"] = tag.pk
    if params.get("interviewer") == "TEAM":
        params["interviewer"] = world.people["team"].pk
    for key in ("date_from", "date_to"):
        if key in params:
            params[key] = days_ago(params[key]).isoformat()
    response = world.client_for("team").get(url("interview-list", world.startup), params)
    assert rows(response) == [made[k].pk for k in expected]


def test_list_counts_follow_the_filters_and_htmx_gets_the_part(world, listed):
    client = world.client_for("team")
    path = url("interview-list", world.startup)
    response = client.get(path, {"kind": "user"}, headers={"HX-Request": "true"})
    assertNotContains(response, "<html")
    assert "HX-Request" in response["Vary"]
    html = soup(response)
    counts = {p["data-kind"]: p.text.strip() for p in html.select("[data-kind]")}
    assert counts["user"].endswith(": 1") and counts["expert"].endswith(": 0")
    export = html.select_one(f"a[href^='{url('interview-export', world.startup)}']")
    assert export["href"].endswith("?kind=user")
    # The same address without htmx, or on a history restore, is the whole page.
    assertContains(client.get(path, {"kind": "user"}), "<html")
    restore = client.get(
        path, {"kind": "user"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assertContains(restore, "<html")


def test_list_filters_push_the_address(world):
    response = world.client_for("team").get(url("interview-list", world.startup))
    form = soup(response).select_one("form.list-filters")
    assert form["hx-push-url"] == "true"
    assert {f["name"] for f in form.select("[name]")} >= {
        "q", "kind", "tag", "interviewer", "date_from", "date_to"
    }


def test_list_paginates(world):
    for i in range(23):
        InterviewFactory(startup=world.startup, date=days_ago(i + 1), participant=None)
    client = world.client_for("team")
    first = client.get(url("interview-list", world.startup))
    assert len(rows(first)) == 20
    assertContains(first, "23 résultats")
    assert len(rows(client.get(url("interview-list", world.startup), {"page": 2}))) == 3


def test_list_empty_state(world):
    response = world.client_for("team").get(url("interview-list", world.startup))
    assert rows(response) == []
    assert soup(response).select_one(".fr-callout__text")
    assert soup(response).select_one("#interview-progress").text.strip() == "0 / 20"
    filtered = world.client_for("team").get(url("interview-list", world.startup), {"q": "zzz"})
    assertContains(filtered, "Aucun résultat ne correspond à ces filtres")


# ---------------------------------------------------------------- export


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_export_has_no_personal_data_and_is_formula_safe(world):
    startup = world.startup
    participant = ParticipantFactory(startup=startup, number=17, profile="Secrétaire")
    ParticipantContactFactory(
        participant=participant, name="Josiane Balasko", email="josiane@example.fr",
        phone="06 12 34 56 78",
    )
    interview = InterviewFactory(
        startup=startup, participant=participant, place="=HYPERLINK(\"http://x\")",
        notes="-2+3 factures", date=datetime.date(2025, 3, 4),
    )
    interview.interviewers.add(world.people["team"])
    interview.tags.add(TagFactory(startup=startup, name="factures"))
    response = world.client_for("coach").get(url("interview-export", startup))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8-sig")
    for secret in ("Josiane", "josiane@example.fr", "06 12 34 56 78",
                   world.people["team"].email):
        assert secret not in body
    header, row = read_csv(response)
    assert len(header) == 8
    assert row[0] == "2025-03-04"
    assert row[3:5] == ["P-017", "Secrétaire"]
    assert row[5] == world.people["team"].get_full_name()
    assert row[6] == "factures"
    assert row[2] == "'=HYPERLINK(\"http://x\")"
    assert row[7] == "'-2+3 factures"


def test_export_follows_the_filters(world, listed):
    response = world.client_for("team").get(
        url("interview-export", world.startup), {"kind": "expert"}
    )
    assert len(read_csv(response)) == 2


# ---------------------------------------------------------------- query counts

SIZES = [2, 12]


def fill(startup, size):
    """`size` interviews, each with more tags and interviewers as the size grows."""
    per_row = 1 + size // 5
    tags = [TagFactory(startup=startup) for _ in range(per_row)]
    people = [MembershipFactory(startup=startup, role=Role.TEAM).user for _ in range(per_row)]
    for _i in range(size):
        interview = InterviewFactory(startup=startup)
        interview.tags.set(tags)
        interview.interviewers.set(people)


@pytest.mark.parametrize("size", SIZES)
def test_list_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    client = world.client_for("team")
    path = url("interview-list", world.startup)
    # session, user, startup, membership; count (the progress too); counts by kind; filter
    # form's tag and interviewer choices; rows; tags; interviewers.
    with django_assert_num_queries(11):
        response = client.get(path)
    assert len(rows(response)) == size
    with django_assert_num_queries(10):
        client.get(path, {"kind": "user"}, headers={"HX-Request": "true"})


@pytest.mark.parametrize("size", SIZES)
def test_detail_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    interview = Interview.objects.first()
    for _i in range(size):
        EvidenceFactory(interview=interview, insight__startup=world.startup)
    client = world.client_for("team")
    path = interview.get_absolute_url()
    # session, user, startup, membership; the interview, its tags, interviewers; files;
    # evidence with their insights.
    with django_assert_num_queries(9):
        response = client.get(path)
    assert len(response.context["evidence"]) == size
