import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur import services
from intrapreneur.enums import Phase, Role
from intrapreneur.models import Activity, Attachment, Membership, PhaseChange, Startup, Tag
from tests.intrapreneur.factories import (
    IncubatorFactory,
    MembershipFactory,
    StartupFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def url(name, startup, **kwargs):
    return reverse(name, kwargs={"slug": startup.slug, **kwargs})


# ---------------------------------------------------------------- home


def test_home_lists_my_startups_as_cards_with_their_phase(client):
    member = UserFactory()
    mine = StartupFactory(name="Aides Faciles", in_construction=True)
    MembershipFactory(startup=mine, user=member)
    StartupFactory(name="Pas la mienne")
    client.force_login(member)
    response = client.get("/")
    assertContains(response, "Aides Faciles")
    assertContains(response, "Construction")
    assertNotContains(response, "Pas la mienne")


def test_home_filters_with_htmx_returns_only_the_results(client):
    member = UserFactory()
    for name, phase in (("Alpha", Phase.INVESTIGATION), ("Bêta", Phase.CONSTRUCTION)):
        MembershipFactory(startup=StartupFactory(name=name, phase=phase), user=member)
    client.force_login(member)
    response = client.get("/", {"phase": "construction"}, headers={"HX-Request": "true"})
    assertContains(response, "Bêta")
    assertNotContains(response, "Alpha")
    assertNotContains(response, "<html")
    assert "HX-Request" in response["Vary"]
    # The same address without htmx is the whole page, and so is a history restore.
    assertContains(client.get("/", {"phase": "construction"}), "<html")
    restore = client.get(
        "/", {"phase": "construction"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assertContains(restore, "<html")


def test_home_hides_archived_startups_unless_asked(client):
    member = UserFactory()
    startup = StartupFactory(name="Ancienne", archived_at=timezone.now())
    MembershipFactory(startup=startup, user=member)
    client.force_login(member)
    assertNotContains(client.get("/"), "Ancienne")
    assertContains(client.get("/", {"archived": "on"}), "Ancienne")


def test_home_search_sort_and_paginate(client):
    member = UserFactory()
    for i in range(14):
        MembershipFactory(startup=StartupFactory(name=f"Service {i:02d}"), user=member)
    client.force_login(member)
    first = client.get("/", {"sort": "-name"})
    assertContains(first, "Service 13")
    assertNotContains(first, "Service 01")  # 12 a page
    assertContains(first, "14 résultats")
    second = client.get("/", {"sort": "-name", "page": 2})
    assertContains(second, "Service 01")
    searched = client.get("/", {"q": "service 07"})
    assertContains(searched, "1 résultat")


def test_home_empty_state(client):
    client.force_login(UserFactory())
    assertContains(client.get("/"), "Vous ne faites encore partie d’aucune startup")


# ---------------------------------------------------------------- create


def test_create_a_startup(client):
    creator = UserFactory()
    incubator = IncubatorFactory(name="Fabrique numérique")
    client.force_login(creator)
    response = client.post(
        "/startups/new/", {"name": "Mon Guichet", "incubator": incubator.pk, "mission": "Aider"},
        follow=True,
    )
    startup = Startup.objects.get(name="Mon Guichet")
    assertRedirects(response, f"/startups/{startup.slug}/")
    assert Membership.objects.get(startup=startup).role == Role.INTRAPRENEUR
    assertContains(response, "La startup « Mon Guichet » est créée.")


def test_create_keeps_what_was_typed_on_error(client):
    client.force_login(UserFactory())
    response = client.post("/startups/new/", {"name": "", "mission": "Ma mission précieuse"})
    assert response.status_code == 200
    assertContains(response, "Ma mission précieuse")
    assertContains(response, "fr-input-group--error")
    assert not Startup.objects.exists()


# ---------------------------------------------------------------- overview


def test_overview_as_the_intrapreneur_offers_the_manage_actions(client, world):
    client.force_login(world.people["intrapreneur"])
    response = client.get(url("startup-overview", world.startup))
    assertContains(response, world.startup.name)
    assertContains(response, url("startup-phase", world.startup))
    assertContains(response, url("startup-edit", world.startup))


@pytest.mark.parametrize("role", ["team", "coach", "sponsor", "staff"])
def test_overview_as_others_shows_no_manage_action(client, world, role):
    client.force_login(world.people[role])
    response = client.get(url("startup-overview", world.startup))
    assertContains(response, world.startup.name)
    assertNotContains(response, url("startup-phase", world.startup))


def test_overview_shows_timeline_events_team_and_activity(client, world):
    startup = world.startup
    intrapreneur = world.people["intrapreneur"]
    services.phase_change(
        startup=startup, phase=Phase.CONSTRUCTION, author=intrapreneur, reason="Comité de go"
    )
    services.event_create(
        startup=startup, actor=intrapreneur, kind="product_launch",
        date=timezone.localdate(), comment="Ouverture à Lyon",
    )
    client.force_login(world.people["sponsor"])
    response = client.get(url("startup-overview", startup))
    for text in ("Comité de go", "Ouverture à Lyon", "Lancement du produit",
                 str(intrapreneur), "a changé la phase en"):
        assertContains(response, text)


def test_overview_warns_when_the_intrapreneur_gives_less_than_60_percent(client, world):
    Membership.objects.filter(role=Role.INTRAPRENEUR).update(week_share=40)
    client.force_login(world.people["team"])
    assertContains(client.get(url("startup-overview", world.startup)), "au moins 60 %")
    Membership.objects.filter(role=Role.INTRAPRENEUR).update(week_share=60)
    assertNotContains(client.get(url("startup-overview", world.startup)), "au moins 60 %")


def test_product_sheet_markdown_is_rendered(client, world):
    services.startup_update(
        startup=world.startup, actor=None, problem="Les **mairies** attendent\n\n- six mois"
    )
    client.force_login(world.people["coach"])
    response = client.get(url("startup-overview", world.startup))
    assertContains(response, "<strong>mairies</strong>", html=False)
    assertContains(response, "<li>six mois</li>", html=False)


# ---------------------------------------------------------------- manage


def test_edit_the_product_sheet(client, world):
    client.force_login(world.people["intrapreneur"])
    response = client.post(
        url("startup-edit", world.startup),
        {"name": "Nouveau nom", "mission": "M", "problem": "Un problème", "contact": "",
         "target_interviews": 25},
    )
    assertRedirects(response, url("startup-overview", world.startup))
    world.startup.refresh_from_db()
    assert (world.startup.name, world.startup.problem) == ("Nouveau nom", "Un problème")
    assert world.startup.target_interviews == 25


def test_phase_change_through_the_form(client, world):
    client.force_login(world.people["intrapreneur"])
    today = timezone.localdate().isoformat()
    response = client.post(
        url("startup-phase", world.startup),
        {"phase": "construction", "date": today, "reason": "Le comité a dit go"},
    )
    assertRedirects(response, url("startup-overview", world.startup))
    world.startup.refresh_from_db()
    assert world.startup.phase == Phase.CONSTRUCTION
    assert PhaseChange.objects.filter(startup=world.startup, reason="Le comité a dit go").exists()


def test_phase_change_without_reason_keeps_the_input(client, world):
    client.force_login(world.people["intrapreneur"])
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        url("startup-phase", world.startup), {"phase": "construction", "date": future}
    )
    assert response.status_code == 200
    assertContains(response, "La date ne peut pas être dans le futur.")
    assertContains(response, 'value="construction" selected')
    world.startup.refresh_from_db()
    assert world.startup.phase == Phase.INVESTIGATION


def test_archive_then_restore(client, world):
    client.force_login(world.people["intrapreneur"])
    assertContains(client.get(url("startup-archive", world.startup)), "Archiver la startup")
    client.post(url("startup-archive", world.startup))
    world.startup.refresh_from_db()
    assert world.startup.is_archived
    client.post(url("startup-archive", world.startup))
    world.startup.refresh_from_db()
    assert not world.startup.is_archived


def test_event_create_and_delete_with_confirmation(client, world):
    client.force_login(world.people["intrapreneur"])
    response = client.post(
        url("event-create", world.startup),
        {"kind": "national_impact", "date": timezone.localdate().isoformat(), "comment": "ok"},
    )
    assertRedirects(response, url("startup-overview", world.startup))
    event = world.startup.events.get()
    delete_url = url("event-delete", world.startup, pk=event.pk)
    assertContains(client.get(delete_url), "Supprimer l’événement")
    assert world.startup.events.exists()
    client.post(delete_url)
    assert not world.startup.events.exists()


# ---------------------------------------------------------------- team


def test_team_add_an_existing_user(client, world):
    newcomer = UserFactory(email="nouvelle@example.gouv.fr")
    client.force_login(world.people["intrapreneur"])
    response = client.post(
        url("member-add", world.startup),
        {"email": "Nouvelle@example.gouv.fr", "role": "team", "job_title": "Designer",
         "week_share": 80},
    )
    assertRedirects(response, url("startup-team", world.startup))
    membership = Membership.objects.get(startup=world.startup, user=newcomer)
    assert (membership.role, membership.job_title) == ("team", "Designer")
    assert membership.week_share == 80
    assert Activity.objects.filter(startup=world.startup, verb="member.added").exists()


def test_team_add_unknown_address_explains(client, world):
    client.force_login(world.people["intrapreneur"])
    response = client.post(
        url("member-add", world.startup),
        {"email": "inconnue@example.gouv.fr", "role": "team", "job_title": "Dev",
         "week_share": 100},
    )
    assertContains(response, "Aucun compte n’utilise cette adresse")
    assertContains(response, "inconnue@example.gouv.fr")


def test_team_change_role(client, world):
    coach = Membership.objects.get(startup=world.startup, role=Role.COACH)
    client.force_login(world.people["intrapreneur"])
    response = client.post(
        url("member-edit", world.startup, pk=coach.pk),
        {"role": "team", "job_title": "Développeur", "week_share": 100},
    )
    assertRedirects(response, url("startup-team", world.startup))
    coach.refresh_from_db()
    assert coach.role == Role.TEAM


def test_the_last_intrapreneur_cannot_step_down_or_leave(client, world):
    owner = Membership.objects.get(startup=world.startup, role=Role.INTRAPRENEUR)
    client.force_login(owner.user)
    response = client.post(
        url("member-edit", world.startup, pk=owner.pk),
        {"role": "team", "job_title": "", "week_share": 100},
    )
    assertContains(response, "au moins un intrapreneur")
    response = client.post(url("team-leave", world.startup), follow=True)
    assertContains(response, "au moins un intrapreneur")
    assert Membership.objects.filter(pk=owner.pk, role=Role.INTRAPRENEUR).exists()


def test_remove_a_member_after_confirmation(client, world):
    team = Membership.objects.get(startup=world.startup, role=Role.TEAM)
    client.force_login(world.people["intrapreneur"])
    remove_url = url("member-remove", world.startup, pk=team.pk)
    assertContains(client.get(remove_url), "Retirer")
    assert Membership.objects.filter(pk=team.pk).exists()
    assertRedirects(client.post(remove_url), url("startup-team", world.startup))
    assert not Membership.objects.filter(pk=team.pk).exists()


def test_a_member_leaves(client, world):
    client.force_login(world.people["coach"])
    response = client.post(url("team-leave", world.startup))
    assertRedirects(response, "/")
    assert not Membership.objects.filter(startup=world.startup, role=Role.COACH).exists()


def test_team_export_csv(client, world):
    client.force_login(world.people["sponsor"])
    response = client.get(url("team-export", world.startup))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "Nom;E-mail;Rôle;Fonction;Part de la semaine (%)"
    assert world.people["intrapreneur"].email in body


# ---------------------------------------------------------------- activity and tags


def test_activity_filters_by_action(client, world):
    intrapreneur = world.people["intrapreneur"]
    services.tag_create(startup=world.startup, actor=intrapreneur, name="usagers")
    services.event_create(
        startup=world.startup, actor=intrapreneur, kind="other", date=timezone.localdate()
    )
    client.force_login(world.people["team"])
    response = client.get(url("activity-list", world.startup), {"verb": "tag.created"})
    assert [activity.verb for activity in response.context["page_obj"]] == ["tag.created"]
    assertContains(response, "<td>a créé l’étiquette</td>", html=True)
    assertNotContains(response, "<td>a enregistré l’événement</td>", html=True)


def test_tag_create_rename_delete(client, world):
    client.force_login(world.people["team"])
    client.post(url("tag-create", world.startup), {"name": "usagers"})
    tag = Tag.objects.get(startup=world.startup)
    client.post(url("tag-edit", world.startup, pk=tag.pk), {"name": "Usagers finaux"})
    tag.refresh_from_db()
    assert tag.name == "Usagers finaux"
    response = client.post(url("tag-create", world.startup), {"name": "usagers FINAUX"})
    assertContains(response, "Cette étiquette existe déjà.")
    client.post(url("tag-delete", world.startup, pk=tag.pk))
    assert not Tag.objects.filter(startup=world.startup).exists()


def test_tag_autocomplete_suggests_this_startups_tags_only(client, world):
    TagFactory(startup=world.startup, name="mairies")
    TagFactory(startup=world.startup, name="usagers")
    TagFactory(name="mairies rurales")  # another startup's
    client.force_login(world.people["team"])
    response = client.get(
        url("tag-autocomplete", world.startup), {"tags": "usagers, mai"},
        headers={"HX-Request": "true"},
    )
    assertContains(response, 'data-tag-suggestion="mairies"')
    assertNotContains(response, "rurales")
    assertNotContains(response, 'data-tag-suggestion="usagers"')


# ---------------------------------------------------------------- files


def upload(client, startup, name, content, tags=""):
    return client.post(
        url("attachment-create", startup),
        {"file": SimpleUploadedFile(name, content), "name": "", "tags": tags},
    )


def test_upload_then_download_as_attachment(client, world):
    client.force_login(world.people["team"])
    response = upload(client, world.startup, "maquette.png", PNG, tags="maquettes, Usagers")
    assertRedirects(response, url("attachment-list", world.startup))
    attachment = Attachment.objects.get(startup=world.startup)
    assert attachment.content_type == "image/png"
    assert sorted(attachment.tags.values_list("name", flat=True)) == ["Usagers", "maquettes"]
    client.force_login(world.people["sponsor"])
    download = client.get(url("attachment-download", world.startup, pk=attachment.pk))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PNG


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("dessin.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
         "Ce type de fichier n’est pas accepté"),
        ("page.html", b"<html><script>alert(1)</script></html>",
         "Ce type de fichier n’est pas accepté"),
        ("photo.pdf", PNG, "ne correspond pas à son contenu"),
        ("programme.exe", b"MZ\x90\x00" + b"\x00" * 64, "Ce type de fichier n’est pas accepté"),
    ],
)
def test_upload_refuses_bad_files(client, world, name, content, message):
    client.force_login(world.people["team"])
    response = upload(client, world.startup, name, content)
    assertContains(response, message)
    assert not Attachment.objects.exists()


def test_upload_refuses_files_over_10_mb(client, world, settings):
    settings.MAX_UPLOAD_SIZE = 1024
    client.force_login(world.people["team"])
    response = upload(client, world.startup, "grand.png", PNG + b"\x00" * 2048)
    assertContains(response, "la limite est de 1,0")
    assert not Attachment.objects.exists()


def test_a_file_needing_research_rights_is_refused_to_the_sponsor(client, world):
    attachment = services.attachment_create(
        startup=world.startup, actor=world.people["team"],
        upload=SimpleUploadedFile("notes.png", PNG, content_type="image/png"),
        required_action="view_research",
    )
    download_url = url("attachment-download", world.startup, pk=attachment.pk)
    client.force_login(world.people["sponsor"])
    assert client.get(download_url).status_code == 403
    assertNotContains(client.get(url("attachment-list", world.startup)), "notes.png")
    client.force_login(world.people["coach"])
    assert client.get(download_url).status_code == 200


def test_files_of_another_startup_are_not_found(client, world):
    other = StartupFactory()
    attachment = services.attachment_create(
        startup=other, actor=None,
        upload=SimpleUploadedFile("x.png", PNG, content_type="image/png"),
    )
    client.force_login(world.people["intrapreneur"])
    response = client.get(url("attachment-download", world.startup, pk=attachment.pk))
    assert response.status_code == 404
