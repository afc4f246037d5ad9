"""Participants, privacy first: pseudonyms for all, contacts for few, erased on time."""

import datetime
import json

import pytest
from allauth.mfa.models import Authenticator
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.dates import add_months
from intrapreneur.enums import Role
from intrapreneur.models import Activity
from investigations.enums import RETENTION_MONTHS, UserType
from investigations.models import Interview, Participant, ParticipantContact
from investigations.services import interviews as interview_services
from investigations.tasks import participants_purge_task
from tests.intrapreneur.factories import MembershipFactory, StartupFactory, TagFactory
from tests.investigations.factories import (
    InterviewFactory,
    ParticipantContactFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Josiane Balasko", "josiane.balasko@example.fr", "06 12 34 56 78"


def url(name, startup, **kwargs):
    return reverse(f"investigations:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def listed(response):
    return [tr["id"] for tr in soup(response).select("tbody tr")]


@pytest.fixture
def known(world):
    """P-017, with a contact and an interview."""
    participant = ParticipantFactory(
        startup=world.startup, number=17, profile="Secrétaire de mairie",
        organisation="Mairie de Guéret", territory="Creuse",
    )
    ParticipantContactFactory(
        participant=participant, name=NAME, email=EMAIL, phone=PHONE,
        consent_date=days_ago(40),
    )
    interview_services.interview_create(
        startup=world.startup, actor=None, kind="user", participant=participant,
        date=days_ago(30), place="Visio", notes="Registre **papier**",
    )
    return participant


# ---------------------------------------------------------------- who sees what


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 200), ("sponsor", 403), ("staff", 403),
     ("outsider", 404)],
)
def test_participant_pages_by_role(world, known, role, status):
    client = world.client_for(role)
    assert client.get(url("participant-list", world.startup)).status_code == status
    assert client.get(
        url("participant-detail", world.startup, pk=known.pk)
    ).status_code == status


@pytest.mark.parametrize("role", ["intrapreneur", "team"])
def test_members_with_view_personal_see_the_contact(world, known, role):
    response = world.client_for(role).get(url("participant-detail", world.startup, pk=known.pk))
    contact = soup(response).select_one("#participant-contact")
    for value in (NAME, EMAIL, PHONE):
        assert value in contact.text
    retention = soup(response).select_one("#participant-retention")
    assert retention["data-date"] == add_months(days_ago(30), RETENTION_MONTHS).isoformat()


def test_the_coach_sees_the_profile_never_the_contact(world, known):
    client = world.client_for("coach")
    response = client.get(url("participant-detail", world.startup, pk=known.pk))
    assertContains(response, "P-017")
    assertContains(response, "Secrétaire de mairie")
    assert response.context["contact"] is None
    for value in (NAME, EMAIL, PHONE):
        assertNotContains(response, value)
    assert soup(response).select_one("#participant-contact") is None
    assert client.get(url("participant-edit", world.startup, pk=known.pk)).status_code == 403
    assert client.get(url("participant-create", world.startup)).status_code == 403
    # Searching by name finds nothing for the coach: the contact is not searched.
    search = client.get(url("participant-list", world.startup), {"q": "Balasko"})
    assert listed(search) == []


def test_the_list_stays_pseudonymous_even_for_the_team(world, known):
    client = world.client_for("team")
    response = client.get(url("participant-list", world.startup))
    assert listed(response) == [f"participant-{known.pk}"]
    row = soup(response).select_one(f"#participant-{known.pk}")
    assert "P-017" in row.text and "Secrétaire de mairie" in row.text and "Creuse" in row.text
    assert "1" in row.select("td")[5].text
    assert row.select("td")[6].text.strip() != "—"
    for value in (NAME, EMAIL, PHONE):
        assertNotContains(response, value)
    # The team finds a participant by name, without the name being shown.
    assert listed(client.get(url("participant-list", world.startup), {"q": "balasko"})) == [
        f"participant-{known.pk}"
    ]


def test_the_team_member_form_has_the_contact_part(world, known):
    response = world.client_for("team").get(url("participant-edit", world.startup, pk=known.pk))
    html = soup(response)
    assert html.select_one("#contact-fieldset input[name=email]")["value"] == EMAIL
    # The retention date was not set by hand: the field is empty (the default applies).
    assert not html.select_one("input[name=retention_until]").get("value")


# ---------------------------------------------------------------- create and edit


def test_create_takes_the_next_free_number_and_the_default_retention(world):
    startup = world.startup
    ParticipantFactory(startup=startup, number=4)
    ParticipantFactory(startup=StartupFactory(), number=90)  # another startup's numbers
    response = world.client_for("team").post(
        url("participant-create", startup),
        {
            "usertype": UserType.ETAT, "profile": "Agent d'accueil en préfecture",
            "organisation": "Préfecture du Nord", "territory": "Nord",
            "name": NAME, "email": EMAIL, "phone": PHONE,
            "consent_date": days_ago(3).isoformat(), "retention_until": "",
        },
    )
    participant = Participant.objects.get(startup=startup, number=5)
    assertRedirects(response, url("participant-detail", startup, pk=participant.pk))
    assert participant.pseudonym == "P-005"
    contact = participant.contact
    assert (contact.name, contact.email, contact.phone) == (NAME, EMAIL, PHONE)
    # No interview yet: 24 months after the consent.
    assert contact.retention_until == add_months(days_ago(3), RETENTION_MONTHS)
    assert not contact.retention_set_by_hand
    assert Activity.objects.filter(verb="participant.created", target_id=participant.pk).exists()


def test_create_keeps_what_was_typed_on_error(world):
    response = world.client_for("team").post(
        url("participant-create", world.startup),
        {"usertype": "", "profile": "Profil tapé", "email": "pas-une-adresse"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"usertype", "email"}
    assertContains(response, "Profil tapé")
    assert not Participant.objects.exists()


def test_edit_sets_the_retention_by_hand_then_back_to_the_default(world, known):
    path = url("participant-edit", world.startup, pk=known.pk)
    data = {
        "usertype": known.usertype, "profile": "Secrétaire générale", "organisation": "",
        "territory": "Creuse", "name": NAME, "email": EMAIL, "phone": "",
        "consent_date": days_ago(40).isoformat(), "retention_until": "2031-01-31",
    }
    client = world.client_for("intrapreneur")
    assertRedirects(client.post(path, data), url("participant-detail", world.startup, pk=known.pk))
    contact = ParticipantContact.objects.get(participant=known)
    assert (contact.retention_until, contact.retention_set_by_hand) == (
        datetime.date(2031, 1, 31), True
    )
    assert contact.phone == ""
    known.refresh_from_db()
    assert known.profile == "Secrétaire générale"
    # A new interview does not move a date set by hand.
    interview_services.interview_create(
        startup=world.startup, actor=None, kind="user", date=days_ago(1), participant=known
    )
    contact.refresh_from_db()
    assert contact.retention_until == datetime.date(2031, 1, 31)
    # Emptied: back to 24 months after the last interview.
    client.post(path, {**data, "retention_until": ""})
    contact.refresh_from_db()
    assert contact.retention_until == add_months(days_ago(1), RETENTION_MONTHS)
    assert not contact.retention_set_by_hand


def test_retention_follows_the_last_interview(world, known):
    contact = known.contact
    interview = interview_services.interview_create(
        startup=world.startup, actor=None, kind="user", date=days_ago(2), participant=known
    )
    contact.refresh_from_db()
    assert contact.retention_until == add_months(days_ago(2), RETENTION_MONTHS)
    interview_services.interview_update(
        interview=interview, actor=None, kind="user", date=days_ago(10), participant=known
    )
    contact.refresh_from_db()
    assert contact.retention_until == add_months(days_ago(10), RETENTION_MONTHS)
    interview_services.interview_delete(interview=interview, actor=None)
    contact.refresh_from_db()
    assert contact.retention_until == add_months(days_ago(30), RETENTION_MONTHS)


def test_add_months_keeps_the_day_or_the_last_of_the_month():
    assert add_months(datetime.date(2024, 2, 29), 24) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2025, 11, 30), 3) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2025, 1, 15), 24) == datetime.date(2027, 1, 15)


# ---------------------------------------------------------------- list


def test_list_filters_and_sorts(world, known):
    startup = world.startup
    other = ParticipantFactory(
        startup=startup, number=3, usertype=UserType.ETAT, territory="Nord",
        profile="Agent de préfecture",
    )
    never = ParticipantFactory(startup=startup, number=9, territory="Nord", profile="Élu")
    InterviewFactory(startup=startup, participant=other, date=days_ago(2))
    InterviewFactory(startup=startup, participant=other, date=days_ago(5))
    client = world.client_for("coach")
    path = url("participant-list", startup)

    def ids(params):
        return [int(i.removeprefix("participant-")) for i in listed(client.get(path, params))]

    assert ids({}) == [other.pk, never.pk, known.pk]  # P-003, P-009, P-017
    assert ids({"usertype": UserType.ETAT}) == [other.pk]
    assert ids({"territory": "Nord"}) == [other.pk, never.pk]
    assert ids({"q": "préfecture"}) == [other.pk]
    assert ids({"q": "guéret"}) == [known.pk]  # the organisation
    assert ids({"sort": "interviews"}) == [other.pk, known.pk, never.pk]
    assert ids({"sort": "last"}) == [other.pk, known.pk, never.pk]
    options = soup(client.get(path)).select("select[name=territory] option")
    territories = [o["value"] for o in options]
    assert territories == ["", "Creuse", "Nord"]
    part = client.get(path, {"territory": "Nord"}, headers={"HX-Request": "true"})
    assertNotContains(part, "<html")
    assertContains(part, "P-009")


def test_list_empty_state(world):
    response = world.client_for("team").get(url("participant-list", world.startup))
    assert listed(response) == []
    assert soup(response).select_one(".fr-callout__text")


# ---------------------------------------------------------------- export and erasure


def test_the_intrapreneur_exports_the_data_as_json(world, known):
    path = url("participant-export", world.startup, pk=known.pk)
    client = world.client_for("intrapreneur")
    assert client.get(path).status_code == 405
    response = client.post(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="participant-P-017.json"'
    data = json.loads(response.content)
    assert data["pseudonym"] == "P-017"
    assert data["profile"]["profile"] == "Secrétaire de mairie"
    assert data["profile"]["organisation"] == "Mairie de Guéret"
    assert data["contact"] == {"name": NAME, "email": EMAIL, "phone": PHONE}
    assert data["consent_date"] == days_ago(40).isoformat()
    assert data["retention_until"] == known.contact.retention_until.isoformat()
    [interview] = data["interviews"]
    assert interview.pop("kind_label")
    assert interview == {
        "date": days_ago(30).isoformat(), "kind": "user", "place": "Visio",
        "notes": "Registre **papier**",
    }
    activity = Activity.objects.get(verb="participant.exported")
    assert (activity.actor, activity.target_id) == (world.people["intrapreneur"], known.pk)


@pytest.mark.parametrize("role", ["team", "coach", "sponsor"])
def test_only_the_intrapreneur_exports_and_erases(world, known, role):
    client = world.client_for(role)
    assert client.post(url("participant-export", world.startup, pk=known.pk)).status_code == 403
    assert client.post(url("participant-erase", world.startup, pk=known.pk)).status_code == 403
    assert ParticipantContact.objects.filter(participant=known).exists()


def test_erase_through_the_interface(world, known):
    client = world.client_for("intrapreneur")
    detail = url("participant-detail", world.startup, pk=known.pk)
    path = url("participant-erase", world.startup, pk=known.pk)
    assert soup(client.get(detail)).select_one(f"a[href='{path}']")
    confirm = client.get(path)
    assert confirm.status_code == 200
    assert ParticipantContact.objects.filter(participant=known).exists()
    response = client.post(path, follow=True)
    assertRedirects(response, detail)
    assertContains(response, "P-017")
    assertNotContains(response, NAME)
    assert soup(response).select_one("#participant-erased")
    known.refresh_from_db()
    assert known.erased_at is not None
    assert not ParticipantContact.objects.filter(participant=known).exists()
    # The pseudonymous profile and the interviews stay.
    assert known.profile == "Secrétaire de mairie"
    assert Interview.objects.filter(participant=known).count() == 1
    activity = Activity.objects.get(verb="participant.erased")
    assert activity.actor == world.people["intrapreneur"]
    # The form no longer offers the contact: erased for good.
    edit = client.get(url("participant-edit", world.startup, pk=known.pk))
    assert soup(edit).select_one("#contact-fieldset") is None
    # A second erasure changes nothing.
    client.post(path)
    assert Activity.objects.filter(verb="participant.erased").count() == 1


def test_the_daily_task_erases_only_what_is_due(world):
    startup = world.startup
    due = ParticipantFactory(startup=startup, number=1)
    ParticipantContactFactory(participant=due, retention_until=days_ago(1), name=NAME)
    kept = ParticipantFactory(startup=startup, number=2)
    ParticipantContactFactory(participant=kept, retention_until=timezone.localdate())
    later = ParticipantFactory(startup=startup, number=3)
    ParticipantContactFactory(participant=later, retention_until=days_ago(-300))
    interview = InterviewFactory(startup=startup, participant=due, date=days_ago(800))

    assert participants_purge_task() == 1

    due.refresh_from_db()
    assert due.erased_at is not None
    assert not ParticipantContact.objects.filter(participant=due).exists()
    assert ParticipantContact.objects.filter(participant__in=[kept, later]).count() == 2
    assert Interview.objects.get(pk=interview.pk).participant == due
    activity = Activity.objects.get(verb="participant.erased")
    assert (activity.actor, activity.target_id, activity.startup) == (None, due.pk, startup)
    # Run again: nothing left to erase, nothing recorded twice.
    assert participants_purge_task() == 0
    assert Activity.objects.filter(verb="participant.erased").count() == 1


def test_the_task_is_scheduled_daily():
    schedule = settings.CELERY_BEAT_SCHEDULE["participants-purge"]
    assert schedule["task"] == participants_purge_task.name
    assert schedule["schedule"].hour == {3}


# ---------------------------------------------------------------- the admin


@pytest.fixture
def admin_client(world):
    staff = world.people["staff"]
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="investigations")
    )
    return world.client_for("staff")


def test_the_admin_never_shows_contacts_nor_notes(world, known, admin_client):
    assert ParticipantContact not in admin.site._registry
    interview = Interview.objects.get(participant=known)
    for name, obj in (("participant", known), ("interview", interview)):
        response = admin_client.get(reverse(f"admin:investigations_{name}_change", args=[obj.pk]))
        assert response.status_code == 200
        for secret in (NAME, EMAIL, PHONE, "Registre"):
            assertNotContains(response, secret)
    changelist = admin_client.get(reverse("admin:investigations_participant_changelist"))
    assertContains(changelist, "P-017")


def test_the_admin_shows_staff_their_incubators_only(world, known, admin_client):
    elsewhere = ParticipantFactory(startup=StartupFactory(), number=42)
    response = admin_client.get(reverse("admin:investigations_participant_changelist"))
    assertContains(response, "P-017")
    assertNotContains(response, "P-042")
    other = reverse("admin:investigations_participant_change", args=[elsewhere.pk])
    assert admin_client.get(other).status_code == 302  # the admin's "not found" redirect


# ---------------------------------------------------------------- query counts

SIZES = [2, 12]


@pytest.mark.parametrize("size", SIZES)
def test_list_query_count(world, django_assert_num_queries, size):
    startup = world.startup
    tags = [TagFactory(startup=startup) for _ in range(1 + size // 5)]
    people = [MembershipFactory(startup=startup, role=Role.TEAM).user for _ in range(size // 5)]
    for i in range(size):
        participant = ParticipantFactory(startup=startup, number=i + 1, territory=f"T{i}")
        ParticipantContactFactory(participant=participant)
        for _j in range(1 + size // 5):
            interview = InterviewFactory(startup=startup, participant=participant)
            interview.tags.set(tags)
            interview.interviewers.set(people)
    client = world.client_for("team")
    path = url("participant-list", startup)
    # session, user, startup, membership; territories; count; rows.
    with django_assert_num_queries(7):
        response = client.get(path)
    assert len(listed(response)) == size


@pytest.mark.parametrize("size", SIZES)
def test_detail_query_count(world, django_assert_num_queries, size, known):
    tags = [TagFactory(startup=world.startup) for _ in range(1 + size // 5)]
    for _i in range(size):
        InterviewFactory(startup=world.startup, participant=known).tags.set(tags)
    client = world.client_for("team")
    path = url("participant-detail", world.startup, pk=known.pk)
    # session, user, startup, membership; participant; contact; interviews; their tags.
    with django_assert_num_queries(8):
        response = client.get(path)
    assert len(response.context["interviews"]) == size + 1


def test_no_contact_row_when_nothing_personal_is_given(world):
    world.client_for("team").post(
        url("participant-create", world.startup),
        {"usertype": UserType.PARTICULIER, "profile": "Usager du guichet"},
    )
    participant = Participant.objects.get()
    assert not ParticipantContact.objects.filter(participant=participant).exists()
    response = world.client_for("team").get(
        url("participant-detail", world.startup, pk=participant.pk)
    )
    assert soup(response).select_one("#participant-contact")
    assert soup(response).select_one("#participant-retention") is None


def test_a_past_retention_date_is_refused(world, known):
    response = world.client_for("team").post(
        url("participant-edit", world.startup, pk=known.pk),
        {"usertype": known.usertype, "name": NAME, "retention_until": days_ago(1).isoformat()},
    )
    assert response.status_code == 200
    assert "retention_until" in response.context["form"].errors
    assert ParticipantContact.objects.get(participant=known).name == NAME
