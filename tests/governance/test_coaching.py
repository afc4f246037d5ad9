"""The coaching log: sessions with the coach, their notes and action items followed until
done — read and written by the intrapreneur, the team and the coach, never the sponsor."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from governance.models import ActionItem, CoachingSession
from intrapreneur.enums import Role
from tests.governance.factories import ActionItemFactory, CoachingSessionFactory

pytestmark = pytest.mark.django_db


def url(name, startup, **kwargs):
    return reverse(f"governance:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------- who sees it


@pytest.mark.parametrize("role", ["intrapreneur", "team", "coach"])
def test_members_who_comment_read_the_log_and_its_menu_entry(world, role):
    CoachingSessionFactory(startup=world.startup, topic="growth")
    client = world.client_for(role)

    response = client.get(url("coaching-list", world.startup))

    assertContains(response, "Croissance")
    menu = soup(client.get(reverse("startup-overview", args=[world.startup.slug])))
    assert menu.select_one(f"nav a[href='{url('coaching-list', world.startup)}']") is not None


@pytest.mark.parametrize("role", ["sponsor", "staff"])
def test_the_sponsor_and_staff_get_403_and_no_menu_entry(world, role):
    session = CoachingSessionFactory(startup=world.startup)
    client = world.client_for(role)

    for path in (url("coaching-list", world.startup),
                 url("coaching-detail", world.startup, pk=session.pk)):
        assert client.get(path).status_code == 403
    overview = client.get(reverse("startup-overview", args=[world.startup.slug]))
    assertNotContains(overview, url("coaching-list", world.startup))
    assertNotContains(overview, 'id="overview-coaching"')


# ---------------------------------------------------------------- sessions


def test_record_a_session_with_the_coach_member(world):
    coach = world.people["coach"]
    client = world.client_for("intrapreneur")
    form = client.get(url("coaching-create", world.startup))
    # The only coach of the startup is chosen already.
    selected = soup(form).select_one("select[name=coach] option[selected]")
    assert selected["value"] == str(coach.pk)

    response = client.post(url("coaching-create", world.startup), {
        "date": "2026-11-20", "coach": coach.pk, "coach_name": "ignoré",
        "topic": "user_research", "summary": "Recruter pour les entretiens",
        "notes": "## Entretiens\n\nRecruter **hors Paris**.",
    }, follow=True)

    session = CoachingSession.objects.get()
    assertRedirects(response, url("coaching-detail", world.startup, pk=session.pk))
    assert messages_of(response) == ["La séance de coaching du 20/11/2026 est enregistrée."]
    assert (session.coach, session.coach_name, session.author) == (
        coach, "", world.people["intrapreneur"]
    )
    page = soup(response)
    assert page.select_one("#session-coach").get_text() == str(coach)
    assert page.select_one("#session-summary").get_text() == "Recruter pour les entretiens"
    assert page.select_one("#session-topic").get_text() == "Recherche utilisateur"
    assert page.select_one("#session-notes h2").get_text() == "Entretiens"
    assert page.select_one("#session-notes strong").get_text() == "hors Paris"


def test_without_a_coach_member_the_name_is_typed(world):
    # The world's coach leaves: nobody has the role.
    world.startup.memberships.filter(role=Role.COACH).delete()
    client = world.client_for("team")
    form = soup(client.get(url("coaching-create", world.startup)))
    assert form.select_one("select[name=coach]") is None

    response = client.post(url("coaching-create", world.startup), {
        "date": "2026-11-20", "topic": "management", "coach_name": "",
    })
    assert response.status_code == 200
    assert CoachingSession.objects.count() == 0
    assert soup(response).select_one("input[name=coach_name][aria-invalid=true]") is not None

    client.post(url("coaching-create", world.startup), {
        "date": "2026-11-20", "topic": "management", "coach_name": "Dominique Mentor",
    })
    assert CoachingSession.objects.get().coach_label == "Dominique Mentor"


def test_a_session_needs_a_coach_member_or_a_name(world):
    client = world.client_for("coach")
    response = client.post(url("coaching-create", world.startup), {
        "date": "2026-11-20", "topic": "growth", "coach": "", "coach_name": "  ",
    })
    assertContains(response, "Indiquez qui est le coach : un membre de la startup ou un nom.")
    assert CoachingSession.objects.count() == 0


def test_the_coach_list_offers_only_coaches_of_the_startup(world):
    client = world.client_for("intrapreneur")
    form = soup(client.get(url("coaching-create", world.startup)))
    offered = {o["value"] for o in form.select("select[name=coach] option") if o["value"]}
    assert offered == {str(world.people["coach"].pk)}

    response = client.post(url("coaching-create", world.startup), {
        "date": "2026-11-20", "topic": "growth", "coach": world.people["sponsor"].pk,
    })
    assert response.status_code == 200
    assert CoachingSession.objects.count() == 0


def test_edit_a_session(world):
    session = CoachingSessionFactory(startup=world.startup, topic="growth", notes="Avant.")
    client = world.client_for("coach")

    response = client.post(url("coaching-edit", world.startup, pk=session.pk), {
        "date": "2026-11-21", "coach": world.people["coach"].pk, "topic": "digital_security",
        "notes": "Homologation à préparer.",
    }, follow=True)

    assertRedirects(response, url("coaching-detail", world.startup, pk=session.pk))
    assert messages_of(response) == ["La séance de coaching est enregistrée."]
    session.refresh_from_db()
    assert (session.topic, session.notes, session.coach, session.coach_name) == (
        "digital_security", "Homologation à préparer.", world.people["coach"], ""
    )
    assertContains(response, "Sécurité numérique")


def test_delete_a_session_after_confirmation(world):
    session = CoachingSessionFactory(startup=world.startup, date=datetime.date(2026, 11, 3))
    ActionItemFactory(session=session)
    client = world.client_for("team")
    path = url("coaching-delete", world.startup, pk=session.pk)

    confirm = client.get(path)
    assertContains(confirm, "Ses notes et ses actions sont supprimées avec elle.")
    assert CoachingSession.objects.count() == 1

    response = client.post(path, follow=True)
    assertRedirects(response, url("coaching-list", world.startup))
    assert messages_of(response) == ["La séance de coaching du 03/11/2026 est supprimée."]
    assert (CoachingSession.objects.count(), ActionItem.objects.count()) == (0, 0)


# ---------------------------------------------------------------- the list


def test_the_list_is_newest_first_and_filters_by_topic(world):
    today = timezone.localdate()
    old = CoachingSessionFactory(startup=world.startup, topic="growth",
                                 date=today - datetime.timedelta(days=30))
    new = CoachingSessionFactory(startup=world.startup, topic="management", date=today)
    middle = CoachingSessionFactory(startup=world.startup, topic="growth",
                                    date=today - datetime.timedelta(days=10))
    CoachingSessionFactory()  # another startup's
    client = world.client_for("team")

    rows = soup(client.get(url("coaching-list", world.startup))).select("#coaching-table tbody tr")
    assert [r["id"] for r in rows] == [f"session-{s.pk}" for s in (new, middle, old)]

    response = client.get(url("coaching-list", world.startup), {"topic": "growth"},
                          headers={"HX-Request": "true"})
    fragment = soup(response)
    assert "<html" not in response.content.decode()
    assert [r["id"] for r in fragment.select("#coaching-table tbody tr")] == [
        f"session-{middle.pk}", f"session-{old.pk}"
    ]
    assert "2 résultats" in fragment.select_one("[role=status]").get_text()


def test_the_list_paginates(world):
    for n in range(23):
        CoachingSessionFactory(startup=world.startup,
                               date=timezone.localdate() - datetime.timedelta(days=n))
    client = world.client_for("team")
    first = soup(client.get(url("coaching-list", world.startup)))
    second = soup(client.get(url("coaching-list", world.startup), {"page": 2}))
    assert len(first.select("#coaching-table tbody tr")) == 20
    assert len(second.select("#coaching-table tbody tr")) == 3


def test_empty_states(world):
    client = world.client_for("team")
    page = soup(client.get(url("coaching-list", world.startup)))
    assert "Aucune séance de coaching pour l’instant." in page.get_text()
    assert page.select_one("#no-open-item") is not None
    CoachingSessionFactory(startup=world.startup, topic="management")
    filtered = soup(client.get(url("coaching-list", world.startup), {"topic": "growth"}))
    assert filtered.select_one("#coaching-table") is None
    assert filtered.select_one(".fr-callout a[href='?']") is not None


def test_open_items_are_listed_with_their_owner_and_due_date(world):
    today = timezone.localdate()
    session = CoachingSessionFactory(startup=world.startup)
    late = ActionItemFactory(session=session, text="Relancer la DSI",
                             owner=world.people["team"], due_on=today - datetime.timedelta(1))
    soon = ActionItemFactory(session=session, text="Écrire la fiche produit",
                             due_on=today + datetime.timedelta(days=7))
    ActionItemFactory(session=session, text="Déjà faite", done_at=timezone.now())
    ActionItemFactory(text="Ailleurs")  # another startup's
    client = world.client_for("coach")

    page = soup(client.get(url("coaching-list", world.startup)))

    section = page.select_one("#open-items")
    assert section.h2.get_text() == "2 actions ouvertes"
    items = section.select("li")
    assert [li["id"] for li in items] == [f"open-item-{late.pk}", f"open-item-{soon.pk}"]
    assert str(world.people["team"]) in items[0].get_text()
    assert items[0].select_one("[data-overdue]") is not None
    assert items[1].select_one("[data-overdue]") is None
    link = items[0].a["href"]
    assert link == url("coaching-detail", world.startup, pk=session.pk) + f"#action-item-{late.pk}"
    row = page.select_one(f"#session-{session.pk}")
    assert "2 ouvertes sur 3" in row.get_text()


def test_the_overview_counts_the_open_items(world):
    session = CoachingSessionFactory(startup=world.startup)
    ActionItemFactory.create_batch(2, session=session)
    ActionItemFactory(session=session, done_at=timezone.now())
    page = soup(world.client_for("coach").get(reverse("startup-overview",
                                                      args=[world.startup.slug])))
    line = page.select_one("#overview-coaching")
    assert line.get_text(strip=True) == "2 actions de coaching ouvertes"
    assert line.a["href"] == url("coaching-list", world.startup)


# ---------------------------------------------------------------- action items


def test_add_an_action_item(world):
    session = CoachingSessionFactory(startup=world.startup)
    client = world.client_for("coach")
    detail = soup(client.get(url("coaching-detail", world.startup, pk=session.pk)))
    owners = {o["value"] for o in detail.select("select[name=owner] option") if o["value"]}
    assert owners == {str(world.people[r].pk) for r in ("intrapreneur", "team", "coach")}

    response = client.post(url("action-item-create", world.startup, pk=session.pk), {
        "text": "Tester le formulaire avec trois agents", "owner": world.people["team"].pk,
        "due_on": "2026-12-15",
    }, follow=True)

    item = ActionItem.objects.get()
    assert response.redirect_chain[-1][0] == (
        url("coaching-detail", world.startup, pk=session.pk) + "#action-items"
    )
    assert messages_of(response) == [
        "L’action « Tester le formulaire avec trois agents » est ajoutée."
    ]
    assert (item.session, item.startup, item.owner, item.due_on) == (
        session, world.startup, world.people["team"], datetime.date(2026, 12, 15)
    )
    shown = soup(response).select_one(f"#action-item-{item.pk}")
    assert "15 décembre 2026" in shown.get_text()
    assert "À faire" in shown.get_text()


def test_an_action_item_with_errors_keeps_what_was_typed(world):
    session = CoachingSessionFactory(startup=world.startup)
    client = world.client_for("team")
    response = client.post(url("action-item-create", world.startup, pk=session.pk), {
        "text": "", "due_on": "pas une date",
    })
    assert response.status_code == 200
    assertContains(response, "L’action n’est pas ajoutée : corrigez les champs ci-dessous.")
    assert soup(response).select_one("input[name=due_on]")["value"] == "pas une date"
    assert ActionItem.objects.count() == 0


def test_the_sponsor_cannot_own_an_action_item(world):
    session = CoachingSessionFactory(startup=world.startup)
    response = world.client_for("team").post(
        url("action-item-create", world.startup, pk=session.pk),
        {"text": "Valider", "owner": world.people["sponsor"].pk},
    )
    assert response.status_code == 200
    assert ActionItem.objects.count() == 0


def test_toggle_without_javascript(world):
    item = ActionItemFactory(session=CoachingSessionFactory(startup=world.startup),
                             text="Relancer la DSI")
    client = world.client_for("coach")
    path = url("action-item-toggle", world.startup, pk=item.session_id, item_pk=item.pk)

    response = client.post(path, {"done": "1"}, follow=True)

    item.refresh_from_db()
    assert item.done_at is not None and item.done_by == world.people["coach"]
    assert messages_of(response) == ["L’action « Relancer la DSI » est faite."]
    li = soup(response).select_one(f"#action-item-{item.pk}")
    assert li["data-done"] == "1" and "Faite" in li.get_text()
    # Sent twice: still done, nothing changes.
    response = client.post(path, {"done": "1"}, follow=True)
    assert ActionItem.objects.get().done_at == item.done_at
    assert messages_of(response) == ["L’action « Relancer la DSI » est faite."]

    response = client.post(path, {"done": "0"}, follow=True)
    assert ActionItem.objects.get().done_at is None
    assert messages_of(response) == ["L’action « Relancer la DSI » est rouverte."]


def test_toggle_with_htmx_answers_the_list_only(world):
    session = CoachingSessionFactory(startup=world.startup)
    first = ActionItemFactory(session=session, text="Première")
    second = ActionItemFactory(session=session, text="Seconde")
    path = url("action-item-toggle", world.startup, pk=session.pk, item_pk=second.pk)

    response = world.client_for("team").post(path, {"done": "1"},
                                             headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    section = soup(response).select_one("section#action-items")
    assert section.select_one("[role=status]").get_text() == "L’action « Seconde » est faite."
    done = section.select_one(f"#action-item-{second.pk}")
    assert done["data-done"] == "1"
    assert done.select_one("[data-focus-after-swap]") is not None
    assert section.select_one(f"#action-item-{first.pk}")["data-done"] == "0"
    # Open items come first.
    assert [li["id"] for li in section.select("li")] == [
        f"action-item-{first.pk}", f"action-item-{second.pk}"
    ]


def test_delete_an_action_item_after_confirmation(world):
    item = ActionItemFactory(session=CoachingSessionFactory(startup=world.startup),
                             text="Obsolète")
    client = world.client_for("intrapreneur")
    path = url("action-item-delete", world.startup, pk=item.session_id, item_pk=item.pk)
    assertContains(client.get(path), "Obsolète")
    response = client.post(path, follow=True)
    assert messages_of(response) == ["L’action « Obsolète » est supprimée."]
    assert ActionItem.objects.count() == 0


def test_an_item_of_another_session_is_not_found(world):
    mine = CoachingSessionFactory(startup=world.startup)
    other = ActionItemFactory(session=CoachingSessionFactory(startup=world.startup))
    path = url("action-item-toggle", world.startup, pk=mine.pk, item_pk=other.pk)
    assert world.client_for("team").post(path).status_code == 404
    assert ActionItem.objects.get().done_at is None


# ---------------------------------------------------------------- query counts


@pytest.mark.parametrize("size", [3, 30])
def test_list_query_count(world, django_assert_num_queries, size):
    coach = world.people["coach"]
    for n in range(size):
        session = CoachingSessionFactory(
            startup=world.startup, coach=coach if n % 2 else None,
            date=timezone.localdate() - datetime.timedelta(days=n),
        )
        for k in range(1 + n % 3):
            ActionItemFactory(session=session, owner=world.people["team"],
                              done_at=timezone.now() if k == 0 else None)
    client = world.client_for("team")
    path = url("coaching-list", world.startup)
    # session, user, startup, membership; the sessions' count and page; the open items and
    # their count.
    with django_assert_num_queries(8):
        response = client.get(path)
    assert len(response.context["page_obj"].object_list) == min(size, 20)
    # The table only (htmx): no open items.
    with django_assert_num_queries(6):
        client.get(path, {"topic": "product_management"}, headers={"HX-Request": "true"})


@pytest.mark.parametrize("size", [3, 30])
def test_detail_query_count(world, django_assert_num_queries, size):
    session = CoachingSessionFactory(startup=world.startup, coach=world.people["coach"])
    for n in range(size):
        ActionItemFactory(session=session, owner=world.people["team"],
                          done_at=timezone.now() if n % 2 else None,
                          done_by=world.people["coach"] if n % 2 else None)
    client = world.client_for("team")
    # session, user, startup, membership; the session; its items; the owners offered.
    with django_assert_num_queries(7):
        response = client.get(url("coaching-detail", world.startup, pk=session.pk))
    assert len(response.context["items"]) == size
