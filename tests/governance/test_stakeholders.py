"""Stakeholders and their interactions as each role sees them: the 2×2 grid and the table,
one stakeholder's page and its timeline, the writes and who may make them, the demo."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pytest_django.asserts import assertRedirects, assertTemplateUsed

from governance import demo_stakeholders
from governance.models import Interaction, Stakeholder
from governance.services import stakeholders as services
from intrapreneur.enums import Role
from intrapreneur.models import Activity
from tests.governance.factories import InteractionFactory, StakeholderFactory
from tests.intrapreneur.factories import MembershipFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def url(name, startup, **kwargs):
    return reverse(f"governance:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def days(n):
    return TODAY() + datetime.timedelta(days=n)


def grid_names(response, quadrant):
    section = soup(response).select_one(f"#quadrant-{quadrant}")
    return [a.get_text(strip=True) for a in section.select("li a")]


def grid_count(response, quadrant):
    return int(soup(response).select_one(f"#quadrant-{quadrant} [data-count]")["data-count"])


def table_names(response):
    return [
        row.select_one("td a").get_text(strip=True)
        for row in soup(response).select("#stakeholder-table tbody tr")
    ]


FIELDS = {
    "name": "Hélène Marchetti",
    "kind": "person",
    "organisation": "Délégation ministérielle à l'accessibilité",
    "role": "Déléguée ministérielle",
    "interest": "high",
    "influence": "low",
    "contact": "secretariat@example.gouv.fr",
    "notes": "Attend des **chiffres**.",
}


# ---------------------------------------------------------------- who may do what


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 200), ("sponsor", 200), ("staff", 200),
     ("outsider", 404)],
)
def test_every_role_reads_the_stakeholders(world, role, status):
    stakeholder = StakeholderFactory(startup=world.startup)
    InteractionFactory(stakeholder=stakeholder)
    client = world.client_for(role)
    for name, kwargs in (("stakeholder-list", {}), ("stakeholder-detail", {"pk": stakeholder.pk})):
        assert client.get(url(name, world.startup, **kwargs)).status_code == status


def test_anonymous_people_are_sent_to_sign_in(world):
    response = world.client_for("anonymous").get(url("stakeholder-list", world.startup))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 403), ("sponsor", 403), ("staff", 403),
     ("outsider", 404)],
)
def test_only_contributors_write(world, role, status):
    stakeholder = StakeholderFactory(startup=world.startup, name="Préfecture du Cantal")
    interaction = InteractionFactory(stakeholder=stakeholder)
    client = world.client_for(role)
    pages = (
        ("stakeholder-create", {}),
        ("stakeholder-edit", {"pk": stakeholder.pk}),
        ("stakeholder-delete", {"pk": stakeholder.pk}),
        ("interaction-delete", {"pk": stakeholder.pk, "interaction_pk": interaction.pk}),
    )
    for name, kwargs in pages:
        assert client.get(url(name, world.startup, **kwargs)).status_code == status
    if status == 200:
        return
    posts = (
        ("stakeholder-create", {}, FIELDS),
        ("stakeholder-edit", {"pk": stakeholder.pk}, FIELDS),
        ("stakeholder-delete", {"pk": stakeholder.pk}, {}),
        ("interaction-create", {"pk": stakeholder.pk},
         {"date": TODAY().isoformat(), "subject": "Appel"}),
        ("interaction-delete", {"pk": stakeholder.pk, "interaction_pk": interaction.pk}, {}),
    )
    for name, kwargs, data in posts:
        assert client.post(url(name, world.startup, **kwargs), data).status_code == status
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Préfecture du Cantal"
    assert Stakeholder.objects.count() == 1
    assert list(Interaction.objects.all()) == [interaction]


def test_the_write_controls_are_shown_to_contributors_only(world):
    stakeholder = StakeholderFactory(startup=world.startup)
    InteractionFactory(stakeholder=stakeholder)
    for role, shown in (("team", True), ("intrapreneur", True), ("coach", False),
                        ("sponsor", False), ("staff", False)):
        client = world.client_for(role)
        page = soup(client.get(url("stakeholder-detail", world.startup, pk=stakeholder.pk)))
        assert (page.select_one("#interaction-form") is not None) is shown
        assert bool(page.select('a[href*="/delete/"]')) is shown
        listing = client.get(url("stakeholder-list", world.startup)).content.decode()
        assert (url("stakeholder-create", world.startup) in listing) is shown


def test_another_startups_stakeholder_or_interaction_is_404(world):
    other = StakeholderFactory(name="Ailleurs")
    foreign = InteractionFactory(stakeholder=other)
    mine = StakeholderFactory(startup=world.startup)
    client = world.client_for("intrapreneur")
    for name in ("stakeholder-detail", "stakeholder-edit", "stakeholder-delete"):
        assert client.get(url(name, world.startup, pk=other.pk)).status_code == 404
    assert client.post(url("stakeholder-delete", world.startup, pk=other.pk)).status_code == 404
    response = client.post(
        url("interaction-create", world.startup, pk=other.pk),
        {"date": TODAY().isoformat(), "subject": "Intrusion"},
    )
    assert response.status_code == 404
    # Another startup's interaction, through this startup's stakeholder or its own.
    for pk in (mine.pk, other.pk):
        path = url("interaction-delete", world.startup, pk=pk, interaction_pk=foreign.pk)
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    # Another stakeholder's interaction of the same startup.
    neighbour = InteractionFactory(stakeholder=StakeholderFactory(startup=world.startup))
    path = url("interaction-delete", world.startup, pk=mine.pk, interaction_pk=neighbour.pk)
    assert client.post(path).status_code == 404
    assert Stakeholder.objects.filter(pk=other.pk).exists()
    assert Interaction.objects.filter(pk__in=[foreign.pk, neighbour.pk]).count() == 2
    assert not Interaction.objects.filter(subject="Intrusion").exists()


@pytest.mark.parametrize("name", ["stakeholder-list", "stakeholder-create", "stakeholder-detail",
                                  "stakeholder-edit", "stakeholder-delete"])
def test_every_stakeholder_page_has_one_h1_and_its_title(world, name):
    kwargs = {} if name in ("stakeholder-list", "stakeholder-create") else {
        "pk": StakeholderFactory(startup=world.startup).pk
    }
    response = world.client_for("team").get(url(name, world.startup, **kwargs))
    page = soup(response)
    assert len(page.find_all("h1")) == 1
    assert page.title.string.startswith(page.h1.get_text(strip=True))


# ---------------------------------------------------------------- the grid


def test_each_stakeholder_sits_in_its_quadrant(world):
    startup = world.startup
    StakeholderFactory(startup=startup, name="Déléguée", influence="high", interest="high")
    StakeholderFactory(startup=startup, name="DINUM", influence="high", interest="low")
    StakeholderFactory(startup=startup, name="Maire pilote", influence="low", interest="high")
    StakeholderFactory(startup=startup, name="Éditeur", influence="low", interest="low")
    StakeholderFactory(startup=startup, name="APF", influence="high", interest="high")
    StakeholderFactory(name="D'une autre startup", influence="high", interest="high")
    response = world.client_for("sponsor").get(url("stakeholder-list", startup))
    page = soup(response)
    sections = page.select("#stakeholder-grid section[data-quadrant]")
    assert [s["data-quadrant"] for s in sections] == ["manage", "satisfy", "inform", "monitor"]
    # The quadrant names are the headings, in words.
    headings = [s.select_one("h3").get_text(" ", strip=True) for s in sections]
    for heading, label in zip(headings, services.Quadrant.labels, strict=True):
        assert heading.startswith(str(label))
    assert grid_names(response, "manage") == ["APF", "Déléguée"]
    assert grid_names(response, "satisfy") == ["DINUM"]
    assert grid_names(response, "inform") == ["Maire pilote"]
    assert grid_names(response, "monitor") == ["Éditeur"]
    assert [grid_count(response, q) for q in services.Quadrant.values] == [2, 1, 1, 1]


def test_a_grid_name_shows_its_role_last_interaction_and_next_step(world):
    startup = world.startup
    late = StakeholderFactory(startup=startup, name="DGCL", role="Cheffe de bureau",
                              organisation="Direction générale des collectivités locales")
    InteractionFactory(stakeholder=late, date=days(-40), next_step="Ancienne étape",
                       next_step_on=days(-35))
    InteractionFactory(stakeholder=late, date=days(-20), subject="Circulaire",
                       next_step="Rédiger le paragraphe", next_step_on=days(-3))
    soon = StakeholderFactory(startup=startup, name="Maire")
    InteractionFactory(stakeholder=soon, date=days(-2), next_step="Congrès des maires",
                       next_step_on=days(5))
    InteractionFactory(stakeholder=soon, date=days(-30), next_step="Plus ancienne",
                       next_step_on=days(-25))
    never = StakeholderFactory(startup=startup, name="Jamais vu")
    response = world.client_for("coach").get(url("stakeholder-list", startup))
    item = soup(response).select_one(f"#grid-stakeholder-{late.pk}").get_text(" ", strip=True)
    assert "Cheffe de bureau" in item
    assert "Direction générale des collectivités locales" in item
    assert date_format(days(-20), "j M Y") in item
    assert "Rédiger le paragraphe" in item
    assert "Ancienne étape" not in item
    assert _("Overdue") in item
    item = soup(response).select_one(f"#grid-stakeholder-{soon.pk}")
    assert "Congrès des maires" in item.get_text()
    assert item.select_one("[data-overdue]") is None
    item = soup(response).select_one(f"#grid-stakeholder-{never.pk}").get_text(" ", strip=True)
    assert _("No interaction yet") in item


def test_a_full_quadrant_links_to_the_rest_in_the_table(world, monkeypatch):
    monkeypatch.setattr(services, "GRID_LIMIT", 3)
    for n in range(5):
        StakeholderFactory(startup=world.startup, name=f"Mairie {n}", influence="low",
                           interest="high")
    response = world.client_for("team").get(url("stakeholder-list", world.startup))
    assert grid_names(response, "inform") == ["Mairie 0", "Mairie 1", "Mairie 2"]
    assert grid_count(response, "inform") == 5
    more = soup(response).select_one("#quadrant-inform [data-more]")
    assert more["data-more"] == "2"
    assert "quadrant=inform" in more["href"]


def test_with_no_stakeholder_the_page_says_what_to_do(world):
    response = world.client_for("team").get(url("stakeholder-list", world.startup))
    page = soup(response)
    assert page.select_one("#stakeholder-empty") is not None
    assert page.select("#stakeholder-grid section[data-quadrant]") == []
    assert page.select_one("#stakeholder-table") is None


# ---------------------------------------------------------------- the table


def test_the_table_filters_by_quadrant_kind_and_search(world):
    startup = world.startup
    StakeholderFactory(startup=startup, name="DINUM", kind="organisation", influence="high",
                       interest="low")
    StakeholderFactory(startup=startup, name="Préfecture", kind="organisation",
                       influence="high", interest="high", role="Secrétaire général")
    StakeholderFactory(startup=startup, name="Nadia Benali", kind="person", influence="high",
                       interest="high", role="Maire pilote")
    client = world.client_for("sponsor")
    path = url("stakeholder-list", startup)
    assert table_names(client.get(path)) == ["DINUM", "Nadia Benali", "Préfecture"]
    assert table_names(client.get(path, {"quadrant": "manage"})) == ["Nadia Benali",
                                                                   "Préfecture"]
    assert table_names(client.get(path, {"quadrant": "manage", "kind": "organisation"})) == [
        "Préfecture"
    ]
    assert table_names(client.get(path, {"q": "maire"})) == ["Nadia Benali"]
    response = client.get(path, {"quadrant": "monitor"})
    assert table_names(response) == []
    assert soup(response).select_one('.fr-callout a[href="?"]') is not None


def test_the_table_sorts_by_last_interaction_never_met_last(world):
    startup = world.startup
    old = StakeholderFactory(startup=startup, name="Ancien")
    InteractionFactory(stakeholder=old, date=days(-90))
    recent = StakeholderFactory(startup=startup, name="Récent")
    InteractionFactory(stakeholder=recent, date=days(-90))
    InteractionFactory(stakeholder=recent, date=days(-1))
    StakeholderFactory(startup=startup, name="Aucun")
    client = world.client_for("team")
    path = url("stakeholder-list", startup)
    assert table_names(client.get(path, {"sort": "last"})) == ["Récent", "Ancien", "Aucun"]
    assert table_names(client.get(path, {"sort": "-last"})) == ["Ancien", "Récent", "Aucun"]
    assert table_names(client.get(path, {"sort": "-name"})) == ["Récent", "Aucun", "Ancien"]


def test_the_table_shows_the_quadrant_in_words_and_the_overdue_step(world):
    stakeholder = StakeholderFactory(startup=world.startup, influence="low", interest="low")
    InteractionFactory(stakeholder=stakeholder, date=days(-10), next_step="Relancer",
                       next_step_on=days(-1))
    response = world.client_for("team").get(url("stakeholder-list", world.startup))
    row = soup(response).select_one(f"#stakeholder-{stakeholder.pk}").get_text(" ", strip=True)
    assert str(services.Quadrant.MONITOR.label) in row
    assert "Relancer" in row
    assert _("Overdue") in row


def test_htmx_gets_the_table_only(world):
    StakeholderFactory(startup=world.startup, name="DINUM")
    response = world.client_for("team").get(
        url("stakeholder-list", world.startup), {"q": "DINUM"}, headers={"HX-Request": "true"}
    )
    page = soup(response)
    assert page.select_one("#stakeholder-table") is not None
    assert page.select_one("#stakeholder-grid") is None
    assert page.h1 is None
    assert "HX-Request" in response["Vary"]


def test_the_table_is_paged(world):
    for n in range(25):
        StakeholderFactory(startup=world.startup, name=f"Mairie {n:02d}")
    client = world.client_for("team")
    path = url("stakeholder-list", world.startup)
    assert len(table_names(client.get(path))) == 20
    assert table_names(client.get(path, {"page": 2})) == [f"Mairie {n}" for n in range(20, 25)]


# ---------------------------------------------------------------- writes


def test_a_contributor_adds_a_stakeholder(world):
    client = world.client_for("team")
    response = client.post(url("stakeholder-create", world.startup), FIELDS)
    stakeholder = Stakeholder.objects.get()
    assertRedirects(response, stakeholder.get_absolute_url())
    assert stakeholder.startup == world.startup
    assert (stakeholder.influence, stakeholder.interest) == ("low", "high")
    assert Activity.objects.filter(
        verb="stakeholder.created", target_id=stakeholder.pk, actor=world.people["team"]
    ).exists()
    page = soup(client.get(stakeholder.get_absolute_url()))
    assert page.h1.get_text(strip=True) == "Hélène Marchetti"
    assert page.select_one("#stakeholder-quadrant")["data-quadrant"] == "inform"
    assert page.select_one(".markdown strong").get_text() == "chiffres"


def test_a_stakeholder_without_a_name_is_refused_with_what_was_typed(world):
    response = world.client_for("team").post(
        url("stakeholder-create", world.startup), {**FIELDS, "name": "  "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert 'value="Déléguée ministérielle"' in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_editing_moves_a_stakeholder_to_another_quadrant(world):
    stakeholder = StakeholderFactory(startup=world.startup, influence="high", interest="high")
    client = world.client_for("intrapreneur")
    response = client.post(
        url("stakeholder-edit", world.startup, pk=stakeholder.pk),
        {**FIELDS, "influence": "high", "interest": "low"},
    )
    assertRedirects(response, stakeholder.get_absolute_url())
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Hélène Marchetti"
    listing = client.get(url("stakeholder-list", world.startup))
    assert grid_names(listing, "satisfy") == ["Hélène Marchetti"]
    assert grid_names(listing, "manage") == []
    assert Activity.objects.filter(verb="stakeholder.updated", target_id=stakeholder.pk).exists()


def test_deleting_asks_then_deletes_the_interactions_too(world):
    stakeholder = StakeholderFactory(startup=world.startup, name="Éditeur")
    InteractionFactory(stakeholder=stakeholder)
    client = world.client_for("team")
    path = url("stakeholder-delete", world.startup, pk=stakeholder.pk)
    response = client.get(path)
    assert response.status_code == 200
    assertTemplateUsed(response, "intrapreneur/confirm_delete.html")
    assert Stakeholder.objects.exists()
    response = client.post(path)
    assertRedirects(response, url("stakeholder-list", world.startup))
    assert not Stakeholder.objects.exists()
    assert not Interaction.objects.exists()
    assert Activity.objects.filter(verb="stakeholder.deleted", target_label="Éditeur").exists()


# ---------------------------------------------------------------- interactions


def test_recording_an_interaction_from_the_page(world):
    stakeholder = StakeholderFactory(startup=world.startup, name="DINUM")
    client = world.client_for("team")
    response = client.post(
        url("interaction-create", world.startup, pk=stakeholder.pk),
        {
            "date": days(-1).isoformat(), "subject": "Revue du portefeuille",
            "outcome": "Le service est *cité*.", "next_step": "Envoyer la synthèse",
            "next_step_on": days(10).isoformat(),
        },
    )
    assertRedirects(
        response, url("stakeholder-detail", world.startup, pk=stakeholder.pk) + "#timeline-title"
    )
    interaction = Interaction.objects.get()
    assert interaction.startup == world.startup
    assert interaction.author == world.people["team"]
    assert (interaction.date, interaction.next_step_on) == (days(-1), days(10))
    assert Activity.objects.filter(
        verb="interaction.created", target_id=stakeholder.pk, target_label="DINUM"
    ).exists()
    page = soup(client.get(stakeholder.get_absolute_url()))
    entry = page.select_one(f"#interaction-{interaction.pk}").get_text(" ", strip=True)
    assert "Revue du portefeuille" in entry
    assert "Envoyer la synthèse" in entry
    assert page.select_one(f"#interaction-{interaction.pk} em").get_text() == "cité"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"date": ""}, "date"),
        ({"date": days(3).isoformat()}, "date"),
        ({"next_step": "", "next_step_on": days(5).isoformat()}, "next_step"),
        ({"next_step_on": days(-30).isoformat()}, "next_step_on"),
    ],
)
def test_a_wrong_interaction_shows_the_page_again_with_errors_and_what_was_typed(
    world, data, field
):
    stakeholder = StakeholderFactory(startup=world.startup)
    earlier = InteractionFactory(stakeholder=stakeholder, subject="Premier échange")
    typed = {
        "date": days(-2).isoformat(), "subject": "Appel au bureau",
        "outcome": "Résultat tapé avant l'erreur", "next_step": "Rappeler",
        "next_step_on": days(4).isoformat(), **data,
    }
    response = world.client_for("team").post(
        url("interaction-create", world.startup, pk=stakeholder.pk), typed
    )
    assert response.status_code == 200
    assertTemplateUsed(response, "governance/stakeholder_detail.html")
    assert list(response.context["interaction_form"].errors) == [field]
    page = soup(response)
    assert page.select_one("#interaction-form-errors") is not None
    assert page.select_one("#interaction-form textarea").get_text().strip() == (
        "Résultat tapé avant l'erreur"
    )
    if typed["subject"]:
        assert page.select_one("#interaction-form input[name=subject]")["value"] == typed[
            "subject"
        ]
    # The rest of the page is there: the timeline with the earlier interaction.
    assert page.select_one(f"#interaction-{earlier.pk}") is not None
    assert list(Interaction.objects.all()) == [earlier]


def test_the_interaction_form_only_posts(world):
    stakeholder = StakeholderFactory(startup=world.startup)
    response = world.client_for("team").get(
        url("interaction-create", world.startup, pk=stakeholder.pk)
    )
    assert response.status_code == 405


def test_the_timeline_is_newest_first_and_flags_only_the_current_overdue_step(world):
    stakeholder = StakeholderFactory(startup=world.startup)
    oldest = InteractionFactory(stakeholder=stakeholder, date=days(-60), next_step="Ancienne",
                                next_step_on=days(-50))
    latest = InteractionFactory(stakeholder=stakeholder, date=days(-10), next_step="Courante",
                                next_step_on=days(-2))
    middle = InteractionFactory(stakeholder=stakeholder, date=days(-30))
    response = world.client_for("sponsor").get(stakeholder.get_absolute_url())
    page = soup(response)
    entries = page.select("#interaction-timeline > li")
    assert [e["id"] for e in entries] == [
        f"interaction-{i.pk}" for i in (latest, middle, oldest)
    ]
    assert entries[0].select_one("[data-overdue]") is not None
    assert entries[2].select_one("[data-overdue]") is None
    assert page.select_one("h1 + ul [data-overdue]") is not None
    assert "Courante" in page.select_one("#stakeholder-next-step").get_text()


def test_a_new_interaction_replaces_the_overdue_step(world):
    stakeholder = StakeholderFactory(startup=world.startup)
    InteractionFactory(stakeholder=stakeholder, date=days(-10), next_step="Relancer",
                       next_step_on=days(-2))
    client = world.client_for("team")
    client.post(url("interaction-create", world.startup, pk=stakeholder.pk),
                {"date": TODAY().isoformat(), "subject": "Relance faite"})
    page = soup(client.get(stakeholder.get_absolute_url()))
    assert page.select("[data-overdue]") == []
    assert page.select_one("#stakeholder-next-step").get_text(strip=True) == _("No next step")


def test_deleting_an_interaction_asks_then_deletes(world):
    stakeholder = StakeholderFactory(startup=world.startup, name="APF")
    kept = InteractionFactory(stakeholder=stakeholder)
    interaction = InteractionFactory(stakeholder=stakeholder)
    client = world.client_for("intrapreneur")
    path = url("interaction-delete", world.startup, pk=stakeholder.pk,
               interaction_pk=interaction.pk)
    response = client.get(path)
    assert response.status_code == 200
    assertTemplateUsed(response, "intrapreneur/confirm_delete.html")
    assert Interaction.objects.count() == 2
    response = client.post(path)
    assertRedirects(response, stakeholder.get_absolute_url())
    assert list(Interaction.objects.all()) == [kept]
    assert Activity.objects.filter(verb="interaction.deleted", target_id=stakeholder.pk).exists()


def test_the_timeline_is_paged(world):
    stakeholder = StakeholderFactory(startup=world.startup)
    for n in range(23):
        InteractionFactory(stakeholder=stakeholder, date=days(-n))
    client = world.client_for("team")
    first = soup(client.get(stakeholder.get_absolute_url()))
    assert len(first.select("#interaction-timeline > li")) == 20
    second = soup(client.get(stakeholder.get_absolute_url(), {"page": 2}))
    assert len(second.select("#interaction-timeline > li")) == 3


# ---------------------------------------------------------------- services


def test_the_services_refuse_what_the_form_would(world):
    from django.core.exceptions import ValidationError

    stakeholder = StakeholderFactory(startup=world.startup)
    with pytest.raises(ValidationError):
        services.stakeholder_create(startup=world.startup, actor=None, name=" ")
    with pytest.raises(ValidationError):
        services.stakeholder_create(startup=world.startup, actor=None, name="X",
                                    interest="medium")
    with pytest.raises(ValidationError):
        services.interaction_create(stakeholder=stakeholder, actor=None, date=TODAY(),
                                    subject="Appel", next_step_on=days(3))
    with pytest.raises(ValidationError):
        services.interaction_create(stakeholder=stakeholder, actor=None, date=TODAY(),
                                    subject="Appel", next_step="Plus tôt",
                                    next_step_on=days(-3))
    assert not Interaction.objects.exists()


# ---------------------------------------------------------------- the demo


def test_the_demo_spreads_ten_stakeholders_over_the_grid():
    startup = StartupFactory(slug="accueil-accessible", name="Accueil Accessible")
    people = {}
    for role in (Role.INTRAPRENEUR, Role.TEAM, Role.SPONSOR):
        people[str(role)] = MembershipFactory(startup=startup, role=role,
                                              user=UserFactory()).user
    demo_stakeholders.seed(startup=startup, people=people)
    stakeholders = list(services.stakeholders_for(startup))
    assert len(stakeholders) == 10
    quadrants = {s.quadrant for s in stakeholders}
    assert quadrants == set(services.Quadrant.values)
    assert all(1 <= s.interaction_count <= 4 for s in stakeholders)
    today = TODAY()
    assert all(s.last_interaction_on <= today for s in stakeholders)
    overdue = [s.name for s in stakeholders if services.next_step_overdue(s, today)]
    assert len(overdue) == 1
    upcoming = [s for s in stakeholders
                if s.current_next_step_on is not None and s.current_next_step_on >= today]
    assert len(upcoming) >= 3
    assert Interaction.objects.filter(author__isnull=True).count() == 0
    assert Activity.objects.filter(startup=startup, verb="interaction.created").count() == (
        Interaction.objects.filter(startup=startup).count()
    )
