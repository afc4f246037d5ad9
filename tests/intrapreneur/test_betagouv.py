"""beta.gouv.fr pages in and out: parsing, the import service, the export, the commands,
the pages (upload → preview → apply) and the admin's import.

The fixtures are pages written for these tests, in the site's format, each with its own
oddities (legacy phase names, phase ends, bold headings, level-1 sections, no body…).
"""

import datetime
import io
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.betagouv import (
    PageError,
    PageEvent,
    PagePhase,
    export_page,
    page_changes,
    page_slug,
    parse_page,
    startup_page_apply,
)
from intrapreneur.enums import Phase, Role
from intrapreneur.models import Activity, Event, Incubator, Membership, PhaseChange, Startup
from tests.intrapreneur.factories import (
    EventFactory,
    IncubatorFactory,
    MembershipFactory,
    StartupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "betagouv"
GOOD = [
    "carnet-de-bord.md",
    "ancien-parcours.md",
    "phases-datees.md",
    "titres-gras.md",
    "minimal.md",
    "sections-niveau-un.md",
]
BAD = {
    "sans-entete.md": "no_front_matter",
    "yaml-casse.md": "bad_yaml",
    "phase-inconnue.md": "unknown_phase",
    "evenement-inconnu.md": "unknown_event",
    "date-impossible.md": "bad_date",
    "date-invalide.md": "bad_date",
    "sans-titre.md": "missing_title",
    "sans-phase.md": "missing_phases",
}
SHEET = ["context", "problem", "solution", "objectives"]
FIELDS = [
    "name", "mission", "sponsors", "website", "repository", "contact", "stats_url",
    "budget_url", "impact_url", "dashlord_url", "usertypes", "thematiques", *SHEET,
]
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def page_file(name: str, text: str | None = None) -> SimpleUploadedFile:
    content = (read(name) if text is None else text).encode()
    return SimpleUploadedFile(name, content, content_type="text/markdown")


def snapshot(startup: Startup) -> dict:
    """Everything a page holds, as stored."""
    startup = Startup.objects.select_related("incubator").get(pk=startup.pk)
    return {
        **{field: getattr(startup, field) for field in FIELDS},
        "incubator": startup.incubator.slug,
        "phase": startup.phase,
        "phases": [
            (c.phase, c.date, c.end, c.reason)
            for c in startup.phase_changes.order_by("date", "pk")
        ],
        "events": [(e.kind, e.date, e.comment) for e in startup.events.order_by("date", "pk")],
    }


# ---------------------------------------------------------------- parsing


def test_a_full_page_fills_every_field():
    page = parse_page(read("carnet-de-bord.md"))
    assert page.name == "Carnet de bord"
    assert page.mission.startswith("Aider les intrapreneurs")
    assert page.sponsors == ["/organisations/dinum", "/organisations/dgafp"]
    assert page.incubator == "dinum"
    assert page.website == "https://carnet-de-bord.beta.gouv.fr"
    assert page.repository == "https://github.com/betagouv/carnet-de-bord"
    assert page.contact == "equipe@carnet-de-bord.beta.gouv.fr"
    assert page.stats_url == "https://carnet-de-bord.beta.gouv.fr/stats"
    assert page.budget_url == "https://carnet-de-bord.beta.gouv.fr/budget"
    assert page.impact_url == "https://docs.numerique.gouv.fr/docs/carnet-impact/"
    assert page.dashlord_url.startswith("https://dashlord.incubateur.net/")
    assert page.usertypes == ["etat", "collectivite-territoriale"]
    assert page.thematiques == ["Numérique", "Administration"]
    assert page.phases == [
        PagePhase("investigation", datetime.date(2022, 10, 3)),
        PagePhase("construction", datetime.date(2023, 1, 9)),
        PagePhase("acceleration", datetime.date(2024, 2, 1)),
    ]
    assert page.phase == Phase.ACCELERATION
    assert page.events == [
        PageEvent("committee", datetime.date(2023, 6, 20), "Comité d'investissement favorable"),
        PageEvent("product_launch", datetime.date(2023, 9, 4)),
        PageEvent("fast", datetime.date(2024, 1, 15), "150 000 € pour la promotion 12"),
    ]
    assert page.context.startswith("Les startups d'État tiennent leur carnet de bord")
    assert page.problem.startswith("* Les sponsors découvrent")
    # A deeper heading stays in its section.
    assert page.solution == (
        "Un carnet unique : entretiens, hypothèses, indicateurs et comités au même endroit."
        "\n\n### Pour qui ?\n\nLes intrapreneurs, leurs équipes et leurs sponsors."
    )
    assert page.objectives.startswith("1. 40 startups actives")


def test_legacy_phase_names_are_mapped_and_a_body_without_headings_is_the_context():
    page = parse_page(read("ancien-parcours.md"))
    assert [p.phase for p in page.phases] == [
        "investigation", "construction", "consolidation", "transfere", "abandon",
    ]
    assert page.phase == Phase.ABANDON
    assert page.context.startswith("Signalement Voirie est né d'une question simple")
    assert page.context.endswith("puis arrêté en 2021.")
    assert page.problem == page.solution == page.objectives == ""


def test_phase_ends_comments_quoted_dates_and_strategy():
    page = parse_page(read("phases-datees.md"))
    assert page.name == "Aide Juridictionnelle : simulateur"
    assert page.incubator == "Fabrique-Justice"
    assert page.phases == [
        PagePhase(
            "investigation", datetime.date(2020, 9, 1), datetime.date(2020, 12, 18),
            "Investigation menée avec deux tribunaux pilotes",
        ),
        PagePhase("construction", datetime.date(2021, 1, 4), datetime.date(2022, 6, 30)),
        PagePhase(
            "abandon", datetime.date(2022, 7, 1), datetime.date(2023, 3, 31),
            "Arrêt : le service est intégré au portail justice.fr",
        ),
    ]
    # Events come in date order, whatever the file's order; a quoted date is a date.
    assert [(e.kind, e.date) for e in page.events] == [
        ("eig", datetime.date(2021, 1, 11)),
        ("other", datetime.date(2021, 10, 4)),
        ("end", datetime.date(2023, 3, 31)),
    ]
    assert page.events[0].comment.endswith("\nPromotion 5.")
    assert page.website == "" and page.usertypes == [] and page.thematiques == []
    assert page.objectives == (
        "Simuler l'éligibilité avant la demande, puis pré-remplir le formulaire."
    )
    assert page.solution == ""


def test_bold_accented_headings_comments_code_blocks_and_other_sections():
    page = parse_page(read("titres-gras.md"))
    # Phases listed out of order are put in order; the current phase started last.
    assert [p.phase for p in page.phases] == ["investigation", "construction"]
    assert page.phase == Phase.CONSTRUCTION
    assert "StartFragment" not in page.context + page.objectives
    # The text before the first section opens the context; the other sections close it,
    # their heading kept.
    assert page.context == (
        "Un service lancé avec trois communes pilotes.\n\n"
        "Les jardins partagés se multiplient, mais **les listes d'attente** restent sur papier."
        "\n\n## Service à impact national 2025\n\n"
        "Mon Jardin Partagé a été nommé service à impact.\n\n#### Les chiffres\n\n"
        "1 500 jardiniers inscrits."
    )
    # A heading in a code block is not a section.
    assert page.problem.startswith("Les habitants ne savent pas où s'inscrire.")
    assert "## Problème\nCe bloc de code n'est pas une section." in page.problem
    # A heading that says more than its section is kept.
    assert page.solution == (
        "### **La solution en construction**\n\n"
        "Une carte des jardins et une inscription en ligne."
    )
    assert page.objectives == "- 30 communes ;\n- 2 000 inscriptions."


def test_level_one_sections_and_a_single_sponsor():
    page = parse_page(read("sections-niveau-un.md"))
    assert page.sponsors == ["/organisations/departement-oise"]
    assert page.context == (
        "Le département finance 120 lieux d'accompagnement.\n\n### Les lieux\n\n"
        "Des médiathèques, des France services, des associations.\n\n"
        "## Prochaines étapes\n\nOuvrir le registre à deux autres départements."
    )
    assert page.problem == "Personne ne sait qui accompagne qui."
    assert page.solution == "Un registre tenu par les structures elles-mêmes."


def test_a_minimal_page_has_no_body():
    page = parse_page(read("minimal.md"))
    assert (page.name, page.incubator, page.mission) == ("Minimal", "beta-sante", "")
    assert page.phases == [PagePhase("investigation", datetime.date(2025, 5, 12))]
    assert page.events == [] and page.sponsors == []
    assert all(getattr(page, field) == "" for field in SHEET)


@pytest.mark.parametrize(("name", "code"), BAD.items())
def test_a_bad_page_says_what_is_wrong(name, code):
    with pytest.raises(PageError) as caught:
        parse_page(read(name))
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert str(caught.value)


def test_the_error_names_the_culprit():
    messages = {name: str(_error(name)) for name in BAD}
    assert _error("yaml-casse.md").params == {"line": 7}  # the line in the file
    assert "hibernation" in messages["phase-inconnue.md"]
    assert "hackathon" in messages["evenement-inconnu.md"]
    assert "2024-02-30" in messages["date-impossible.md"]
    assert "bientôt" in messages["date-invalide.md"]


def _error(name: str) -> PageError:
    try:
        parse_page(read(name))
    except PageError as error:
        return error
    raise AssertionError(name)


def test_a_bad_link_or_address_is_refused():
    text = read("minimal.md").replace("title: Minimal", "title: Minimal\ncontact: pas-une-adresse")
    with pytest.raises(PageError) as caught:
        parse_page(text)
    assert caught.value.code == "bad_value" and "contact" in str(caught.value)


def test_slug_of_a_file():
    assert page_slug("a-just.md", "A-JUST") == "a-just"
    assert page_slug("1000.jours.md", "1000 premiers jours") == "1000-jours"
    assert page_slug("....md", "Mon Service") == "mon-service"


# ---------------------------------------------------------------- the import service


def test_import_creates_the_startup_with_its_history():
    dinum = IncubatorFactory(slug="dinum", name="Incubateur de la DINUM")
    actor = UserFactory()
    page = parse_page(read("carnet-de-bord.md"))
    startup, changes = startup_page_apply(page=page, actor=actor, slug="carnet-de-bord")
    assert {c.field for c in changes} == {*FIELDS, "incubator", "phases", "events"}
    startup.refresh_from_db()
    assert startup.slug == "carnet-de-bord"
    assert startup.incubator == dinum
    assert startup.phase == Phase.ACCELERATION
    for field in FIELDS:
        assert getattr(startup, field) == getattr(page, field), field
    assert [
        (c.phase, c.date, c.end, c.reason, c.author)
        for c in startup.phase_changes.order_by("date")
    ] == [
        ("investigation", datetime.date(2022, 10, 3), None, "", actor),
        ("construction", datetime.date(2023, 1, 9), None, "", actor),
        ("acceleration", datetime.date(2024, 2, 1), None, "", actor),
    ]
    assert [(e.kind, e.date) for e in startup.events.order_by("date")] == [
        ("committee", datetime.date(2023, 6, 20)),
        ("product_launch", datetime.date(2023, 9, 4)),
        ("fast", datetime.date(2024, 1, 15)),
    ]
    assert Membership.objects.get(startup=startup).user == actor
    assert Membership.objects.get(startup=startup).role == Role.INTRAPRENEUR
    activity = Activity.objects.get(startup=startup)
    assert (activity.verb, activity.actor) == ("startup.imported", actor)


def test_import_without_actor_creates_the_missing_incubator_and_no_membership():
    startup, _changes = startup_page_apply(page=parse_page(read("minimal.md")), actor=None)
    assert startup.slug == "minimal"
    incubator = Incubator.objects.get(slug="beta-sante")
    assert incubator.name == "Beta-sante"
    assert startup.incubator == incubator
    assert not Membership.objects.filter(startup=startup).exists()
    assert Activity.objects.get(startup=startup).actor is None


@pytest.mark.parametrize("slug", ["minimal", "new", "import"])
def test_import_refuses_a_slug_in_use_or_reserved(slug):
    StartupFactory(slug="minimal")
    with pytest.raises(ValidationError):
        startup_page_apply(page=parse_page(read("minimal.md")), actor=None, slug=slug)
    assert Startup.objects.count() == 1


def test_import_replaces_the_phase_history_and_the_events(world):
    startup = world.startup
    incubator = startup.incubator
    EventFactory(startup=startup, kind="other", comment="Ancien événement")
    text = read("carnet-de-bord.md").replace("incubator: dinum", f"incubator: {incubator.slug}")
    page = parse_page(text)
    before = Activity.objects.count()
    updated, changes = startup_page_apply(page=page, actor=world.people["intrapreneur"],
                                          startup=startup)
    changed = {c.field for c in changes}
    assert {"name", "phases", "events", "context"} <= changed
    assert "incubator" not in changed
    assert snapshot(updated)["phases"] == [
        (p.phase, p.start, p.end, p.comment) for p in page.phases
    ]
    assert not Event.objects.filter(startup=startup, comment="Ancien événement").exists()
    assert Startup.objects.get(pk=startup.pk).phase == Phase.ACCELERATION
    # The intrapreneur is already a member: no second membership.
    assert Membership.objects.filter(startup=startup).count() == 4
    assert Activity.objects.count() == before + 1
    # The same page again changes nothing and writes nothing.
    assert page_changes(page, updated) == []
    assert startup_page_apply(page=page, actor=None, startup=updated)[1] == []
    assert Activity.objects.count() == before + 1


def test_changes_show_phases_and_events_as_lists(world):
    startup = world.startup
    text = read("phases-datees.md").replace(
        "incubator: Fabrique-Justice", f"incubator: {startup.incubator.slug}"
    )
    changes = {c.field: c for c in page_changes(parse_page(text), startup)}
    assert changes["phases"].is_list
    assert len(changes["phases"].old) == 1 and len(changes["phases"].new) == 3
    assert "18/12/2020" in changes["phases"].new[0]
    assert "Investigation menée avec deux tribunaux pilotes" in changes["phases"].new[0]
    assert changes["events"].old == [] and len(changes["events"].new) == 3
    assert changes["name"].old == startup.name
    assert changes["name"].new == "Aide Juridictionnelle : simulateur"
    assert not changes["name"].is_list


# ---------------------------------------------------------------- export, round trip


@pytest.mark.parametrize("name", GOOD)
def test_export_then_import_changes_nothing(name):
    page = parse_page(read(name))
    startup, _changes = startup_page_apply(page=page, actor=None, slug="original")
    before = snapshot(startup)
    exported = export_page(startup)
    again = parse_page(exported)
    assert again == page
    assert page_changes(again, startup) == []
    # Imported into a fresh startup, the export gives the same startup.
    copy, _changes = startup_page_apply(page=again, actor=None, slug="copie")
    assert snapshot(copy) == before
    # And its own export is the same file.
    assert export_page(copy) == exported


def test_export_writes_the_front_matter_of_beta_gouv_fr():
    IncubatorFactory(slug="dinum")
    startup, _changes = startup_page_apply(
        page=parse_page(read("carnet-de-bord.md")), actor=None, slug="carnet-de-bord"
    )
    text = export_page(startup)
    front, body = text.removeprefix("---\n").split("\n---\n", 1)
    data = yaml.safe_load(front)
    assert list(data) == [
        "title", "mission", "sponsors", "incubator", "link", "repository", "contact",
        "stats_url", "budget_url", "impact_url", "dashlord_url", "usertypes", "thematiques",
        "events", "phases",
    ]
    assert "  - name: investigation\n    start: 2022-10-03\n" in front  # a YAML date
    assert data["phases"][0]["start"] == datetime.date(2022, 10, 3)
    assert "thematiques:\n  - Numérique\n" in front
    assert [line for line in body.splitlines() if line.startswith("## ")] == [
        "## Contexte", "## Problème", "## Solution", "## Objectifs",
    ]


def test_export_keeps_headings_written_in_the_product_sheet_in_their_section():
    startup, _changes = startup_page_apply(page=parse_page(read("minimal.md")), actor=None)
    Startup.objects.filter(pk=startup.pk).update(
        problem="Un constat.\r\n\r\n## Contexte du problème\r\n\r\nDes détails.",
        solution="# Solution\n\nUne réponse.",
    )
    startup.refresh_from_db()
    page = parse_page(export_page(startup))
    assert page.problem == "Un constat.\n\n### Contexte du problème\n\nDes détails."
    assert page.solution == "### Solution\n\nUne réponse."
    assert page.context == ""


# ---------------------------------------------------------------- commands


def test_import_command_creates_reports_then_finds_no_change():
    out = io.StringIO()
    files = [str(FIXTURES / "carnet-de-bord.md"), str(FIXTURES / "ancien-parcours.md")]
    call_command("import_startup_page", *files, stdout=out)
    assert set(Startup.objects.values_list("slug", flat=True)) == {
        "carnet-de-bord", "ancien-parcours",
    }
    output = out.getvalue()
    assert "carnet-de-bord.md" in output and "ancien-parcours.md" in output
    assert "Nom : — → Carnet de bord" in output  # the field's label from the catalogue
    assert "Signalement Voirie" in output
    activities = Activity.objects.count()

    again = io.StringIO()
    call_command("import_startup_page", *files, stdout=again)
    lines = again.getvalue().splitlines()
    assert len(lines) == 2 and "→" not in again.getvalue()
    assert Activity.objects.count() == activities


def test_import_command_updates_the_startup_of_the_file_stem():
    startup = StartupFactory(slug="minimal", name="Ancien nom", incubator__slug="beta-sante")
    out = io.StringIO()
    call_command("import_startup_page", str(FIXTURES / "minimal.md"), stdout=out)
    startup.refresh_from_db()
    assert startup.name == "Minimal"
    assert "Ancien nom → Minimal" in out.getvalue()
    assert Startup.objects.count() == 1


def test_import_command_goes_on_after_a_bad_file_and_fails_at_the_end():
    out, err = io.StringIO(), io.StringIO()
    files = [
        str(FIXTURES / "phase-inconnue.md"),
        str(FIXTURES / "minimal.md"),
        str(FIXTURES / "absent.md"),
    ]
    with pytest.raises(CommandError):
        call_command("import_startup_page", *files, stdout=out, stderr=err)
    assert Startup.objects.filter(slug="minimal").exists()
    assert not Startup.objects.filter(slug="phase-inconnue").exists()
    errors = err.getvalue().splitlines()
    assert len(errors) == 2
    assert "phase-inconnue.md" in errors[0] and "hibernation" in errors[0]
    assert "absent.md" in errors[1]


def test_export_command_writes_the_page():
    startup, _changes = startup_page_apply(
        page=parse_page(read("titres-gras.md")), actor=None, slug="titres-gras"
    )
    out = io.StringIO()
    call_command("export_startup_page", "titres-gras", stdout=out)
    assert out.getvalue() == export_page(startup)
    with pytest.raises(CommandError):
        call_command("export_startup_page", "inconnue", stdout=io.StringIO())


# ---------------------------------------------------------------- pages


def _world_page(world, name="carnet-de-bord.md") -> str:
    text = read(name)
    incubator = parse_page(text).incubator
    return text.replace(f"incubator: {incubator}", f"incubator: {world.startup.incubator.slug}")


def _cell(response, field: str, which: str) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    row = soup.select_one(f'#page-changes tr[data-field="{field}"]')
    assert row is not None, field
    return row.select_one(f"td.page-change-{which}").get_text(" ", strip=True)


def test_intrapreneur_previews_then_applies_the_page(world):
    startup = world.startup
    old_name, old_slug = startup.name, startup.slug
    client = world.client_for("intrapreneur")
    url = reverse("startup-page-import", kwargs={"slug": startup.slug})
    assertContains(client.get(startup.get_absolute_url()), f'href="{url}"')
    assert client.get(url).status_code == 200

    text = _world_page(world)
    response = client.post(url, {"file": page_file("carnet-de-bord.md", text)})
    assert response.status_code == 200
    assert _cell(response, "name", "old") == old_name
    assert _cell(response, "name", "new") == "Carnet de bord"
    assert "Accélération — 01/02/2024" in _cell(response, "phases", "new")
    assert "Comité d'investissement favorable" in _cell(response, "events", "new")
    # Nothing is written before the second step.
    startup.refresh_from_db()
    assert startup.name == old_name
    assert startup.phase_changes.count() == 1
    assert not Activity.objects.filter(verb="startup.imported").exists()

    hidden = response.context["form"]["text"].value()
    response = client.post(url, {"text": hidden, "slug": "carnet-de-bord"})
    assertRedirects(response, startup.get_absolute_url())
    startup.refresh_from_db()
    assert startup.name == "Carnet de bord"
    assert startup.phase == Phase.ACCELERATION
    assert startup.phase_changes.count() == 3
    assert startup.slug == old_slug  # an update keeps the startup's address
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def test_the_page_of_another_incubator_is_refused_to_the_intrapreneur(world):
    client = world.client_for("intrapreneur")
    url = reverse("startup-page-import", kwargs={"slug": world.startup.slug})
    response = client.post(url, {"file": page_file("carnet-de-bord.md")})  # incubator: dinum
    assertContains(response, 'id="page-import-error"')
    assertContains(response, "dinum")
    assertNotContains(response, 'id="page-changes"')
    response = client.post(url, {"text": read("carnet-de-bord.md")})
    assertContains(response, 'id="page-import-error"')
    assert Startup.objects.get(pk=world.startup.pk).name == world.startup.name


@pytest.mark.parametrize("role", ["sponsor", "team", "staff"])
def test_only_the_intrapreneur_imports(world, role):
    client = world.client_for(role)
    url = reverse("startup-page-import", kwargs={"slug": world.startup.slug})
    assert client.get(url).status_code == 403
    response = client.post(url, {"text": _world_page(world)})
    assert response.status_code == 403
    assert Startup.objects.get(pk=world.startup.pk).name == world.startup.name
    assertNotContains(client.get(world.startup.get_absolute_url()), f'href="{url}"')


def test_a_bad_upload_keeps_the_page_with_its_error(world):
    client = world.client_for("intrapreneur")
    url = reverse("startup-page-import", kwargs={"slug": world.startup.slug})
    response = client.post(url, {"file": page_file("phase-inconnue.md")})
    assert response.status_code == 200
    assertContains(response, "hibernation")
    assertContains(response, 'enctype="multipart/form-data"')
    assertNotContains(response, 'id="page-changes"')
    response = client.post(url, {"file": SimpleUploadedFile("page.md", PNG)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    response = client.post(url, {"file": page_file("yaml-casse.md")})
    assert response.context["form"].errors["file"]
    assert world.startup.phase_changes.count() == 1


def test_a_page_that_changes_nothing_has_nothing_to_apply(world):
    client = world.client_for("intrapreneur")
    url = reverse("startup-page-import", kwargs={"slug": world.startup.slug})
    text = export_page(world.startup)
    response = client.post(url, {"file": page_file("page.md", text)})
    assertContains(response, 'id="page-no-change"')
    assertNotContains(response, 'id="page-changes"')


def test_anyone_signed_in_creates_a_startup_from_its_page(world):
    outsider = world.people["outsider"]
    client = world.client_for("outsider")
    assertContains(client.get(reverse("home")), f'href="{reverse("startup-import")}"')
    url = reverse("startup-import")
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": page_file("phases-datees.md")})
    assert response.status_code == 200
    assertContains(response, "/startups/phases-datees/")
    assert _cell(response, "name", "new") == "Aide Juridictionnelle : simulateur"
    assert not Startup.objects.filter(slug="phases-datees").exists()

    hidden = response.context["form"]["text"].value()
    response = client.post(url, {"text": hidden, "slug": "phases-datees"}, follow=True)
    startup = Startup.objects.get(slug="phases-datees")
    assertRedirects(response, startup.get_absolute_url())
    assertContains(response, "La startup « Aide Juridictionnelle : simulateur » est créée.")
    assert Membership.objects.get(startup=startup, user=outsider).role == Role.INTRAPRENEUR
    assert startup.phase == Phase.ABANDON
    assert startup.incubator.slug == "Fabrique-Justice"


def test_creating_from_a_page_whose_startup_exists_links_to_it(world):
    existing = StartupFactory(slug="carnet-de-bord", name="Déjà là")
    # A member of that startup gets a link to it…
    member = MembershipFactory(startup=existing).user
    client = world.client_for("outsider")
    client.force_login(member)
    url = reverse("startup-import")
    response = client.post(url, {"file": page_file("carnet-de-bord.md")})
    assertContains(response, 'id="page-import-error"')
    assertContains(response, f'href="{existing.get_absolute_url()}"')
    assertNotContains(response, 'id="page-changes"')
    # …somebody else only learns that the address is taken.
    response = world.client_for("outsider").post(url, {"file": page_file("carnet-de-bord.md")})
    assertContains(response, 'id="page-import-error"')
    assertNotContains(response, "Déjà là")
    # A file named after a page of the site cannot take its address.
    reserved = page_file("import.md", read("minimal.md"))
    response = world.client_for("outsider").post(url, {"file": reserved})
    assertContains(response, 'id="page-import-error"')
    # Nor can the second step be forced.
    response = world.client_for("outsider").post(
        url, {"text": read("carnet-de-bord.md"), "slug": "carnet-de-bord"}
    )
    assertContains(response, 'id="page-import-error"')
    assert Startup.objects.get(slug="carnet-de-bord").name == "Déjà là"
    assert Startup.objects.count() == 2


@pytest.mark.parametrize("role", ["sponsor", "coach", "staff", "intrapreneur"])
def test_everybody_who_sees_the_startup_downloads_its_page(world, role):
    startup = world.startup
    client = world.client_for(role)
    url = reverse("startup-page-export", kwargs={"slug": startup.slug})
    assertContains(client.get(startup.get_absolute_url()), f'href="{url}"')
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{startup.slug}.md"'
    page = parse_page(response.content.decode())
    assert page.name == startup.name
    assert page_changes(page, startup) == []


def test_outsiders_do_not_download_the_page(world):
    url = reverse("startup-page-export", kwargs={"slug": world.startup.slug})
    assert world.client_for("outsider").get(url).status_code == 404


# ---------------------------------------------------------------- admin


@pytest.fixture
def admin_staff(world):
    from allauth.mfa.models import Authenticator

    staff = world.people["staff"]
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="intrapreneur",
            codename__in=["view_startup", "add_startup", "change_startup"],
        )
    )
    client = world.client_for("staff")
    return client


def test_staff_import_a_page_of_their_incubator_in_the_admin(world, admin_staff):
    startup = world.startup
    changelist = admin_staff.get(reverse("admin:intrapreneur_startup_changelist"))
    url = reverse("admin:intrapreneur_startup_import")
    assertContains(changelist, f'href="{url}"')
    assert admin_staff.get(url).status_code == 200

    text = _world_page(world, "phases-datees.md")
    response = admin_staff.post(url, {"file": page_file(f"{startup.slug}.md", text)})
    assertContains(response, 'id="page-changes"')
    assertContains(response, startup.name)
    assert Startup.objects.get(pk=startup.pk).name == startup.name

    response = admin_staff.post(url, {
        "text": response.context["form"]["text"].value(), "slug": startup.slug,
    })
    assertRedirects(
        response, reverse("admin:intrapreneur_startup_change", args=[startup.pk]),
        fetch_redirect_response=False,
    )
    startup.refresh_from_db()
    assert startup.name == "Aide Juridictionnelle : simulateur"
    assert startup.phase == Phase.ABANDON
    assert not Membership.objects.filter(startup=startup, user=world.people["staff"]).exists()
    assert LogEntry.objects.filter(object_id=str(startup.pk)).exists()

    # A new startup in the staff's incubator: created, nobody added to its team.
    response = admin_staff.post(url, {"text": text, "slug": "nouvelle"})
    created = Startup.objects.get(slug="nouvelle")
    assert created.incubator == startup.incubator
    assert not created.memberships.exists()


def test_staff_cannot_import_into_another_incubator(world, admin_staff):
    other = StartupFactory(name="Hors de mon incubateur")
    url = reverse("admin:intrapreneur_startup_import")
    text = read("minimal.md").replace("beta-sante", other.incubator.slug)
    response = admin_staff.post(url, {"file": page_file(f"{other.slug}.md", text)})
    assertContains(response, 'id="page-import-error"')
    assertNotContains(response, 'id="page-changes"')
    response = admin_staff.post(url, {"text": text, "slug": other.slug})
    assertContains(response, 'id="page-import-error"')
    assert Startup.objects.get(pk=other.pk).name == "Hors de mon incubateur"
    # Nor create a startup in an incubator they do not staff (or that does not exist).
    response = admin_staff.post(url, {"text": read("minimal.md"), "slug": "minimal"})
    assertContains(response, 'id="page-import-error"')
    assert not Startup.objects.filter(slug="minimal").exists()
    assert not Incubator.objects.filter(slug="beta-sante").exists()
    assert PhaseChange.objects.filter(startup=other).count() == 1


def test_staff_without_the_permissions_have_no_import(world):
    from allauth.mfa.models import Authenticator

    staff = world.people["staff"]
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    response = world.client_for("staff").get(reverse("admin:intrapreneur_startup_import"))
    assert response.status_code == 403
