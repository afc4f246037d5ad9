"""Notifications: who is told what, the bell, the page, the choices, the weekly digest."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur import services
from intrapreneur.enums import NotificationKind, Phase, Role
from intrapreneur.models import Notification, NotificationPreference, OutboxMessage
from intrapreneur.notifications import digests_send, notification_preferences_set
from intrapreneur.outbox import outbox_enqueue
from intrapreneur.tasks import notifications_digest_task
from investigations.services.committee import launch_committee_decide
from products.services.feedback import feedback_create
from products.services.hypotheses import usertest_create
from products.services.public import feedback_receive
from products.services.releases import release_publish
from tests.governance.factories import InvestmentCommitteeFactory
from tests.intrapreneur.factories import (
    MembershipFactory,
    NotificationFactory,
    StartupFactory,
    UserFactory,
)
from tests.investigations.factories import LaunchCommitteeFactory
from tests.products.factories import ReleaseFactory

ROLES = (Role.INTRAPRENEUR, Role.TEAM, Role.COACH, Role.SPONSOR)


@pytest.fixture
def team(db):
    """A startup with one person of each role, and its incubator's staff."""
    startup = StartupFactory(name="Carte Vitale Plus")
    people = {role: MembershipFactory(startup=startup, role=role).user for role in ROLES}
    staff = UserFactory(staff=True)
    startup.incubator.staff.add(staff)
    people["staff"] = staff
    people["outsider"] = UserFactory()
    return startup, people


def told(kind):
    """Who was told about ``kind``: the recipients' e-mails."""
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def emails(people, *roles):
    return {people[role].email for role in roles}


# ---------------------------------------------------------------- who is told


def test_new_feedback_tells_who_reads_the_inbox_but_the_author(team):
    startup, people = team
    feedback_create(startup=startup, actor=people[Role.TEAM], text="Le formulaire plante")

    # The inbox is `view_research`: not the sponsor, not staff; never the one who acted.
    assert told(NotificationKind.FEEDBACK) == emails(people, Role.INTRAPRENEUR, Role.COACH)
    notification = Notification.objects.get(recipient=people[Role.COACH])
    assert notification.startup == startup
    assert notification.text == (
        f"{people[Role.TEAM]} a enregistré un nouveau retour : « Le formulaire plante »"
    )
    assert notification.url.startswith(f"/startups/{startup.slug}/product/feedback/")


def test_feedback_from_the_public_form_tells_the_team(team):
    startup, people = team
    feedback_receive(startup=startup, text="Merci pour ce service")

    assert told(NotificationKind.FEEDBACK) == emails(
        people, Role.INTRAPRENEUR, Role.TEAM, Role.COACH
    )
    notification = Notification.objects.filter(kind=NotificationKind.FEEDBACK).first()
    assert notification.text == (
        "Un usager a enregistré un nouveau retour : « Merci pour ce service »"
    )


def test_a_published_release_and_a_user_test_tell_every_member(team):
    startup, people = team
    release = ReleaseFactory(startup=startup, version="v2.0")
    release_publish(release=release, actor=people[Role.INTRAPRENEUR])
    usertest_create(
        startup=startup, actor=people[Role.TEAM], date=timezone.localdate(), users_count=3,
        users_profile="Agents d'accueil", result="",
    )

    assert told(NotificationKind.RELEASE) == emails(people, Role.TEAM, Role.COACH, Role.SPONSOR)
    assert told(NotificationKind.TEST) == emails(
        people, Role.INTRAPRENEUR, Role.COACH, Role.SPONSOR
    )
    sponsor = Notification.objects.get(recipient=people[Role.SPONSOR], kind="release")
    assert sponsor.text == f"{people[Role.INTRAPRENEUR]} a publié la version v2.0"
    assert sponsor.url == release.get_absolute_url()


def test_a_launch_decision_is_told_once_not_also_as_a_phase_change(team):
    startup, people = team
    committee = LaunchCommitteeFactory(
        startup=startup, date=timezone.localdate() - datetime.timedelta(days=1)
    )
    launch_committee_decide(committee=committee, actor=people[Role.INTRAPRENEUR], decision="go")

    startup.refresh_from_db()
    assert startup.phase == Phase.CONSTRUCTION
    assert told(NotificationKind.DECISION) == emails(
        people, Role.TEAM, Role.COACH, Role.SPONSOR
    )
    assert told(NotificationKind.PHASE) == set()
    notification = Notification.objects.get(recipient=people[Role.SPONSOR])
    assert notification.text.startswith("comité de lancement ")
    assert notification.text.endswith(": décision « Go »")


def test_an_investment_decision_and_a_manual_phase_change_are_told(team):
    startup, people = team
    services.phase_change(
        startup=startup, phase=Phase.CONSTRUCTION, author=people[Role.INTRAPRENEUR],
        reason="Comité passé hors outil", date=timezone.localdate() - datetime.timedelta(days=3),
    )
    assert told(NotificationKind.PHASE) == emails(people, Role.TEAM, Role.COACH, Role.SPONSOR)
    assert Notification.objects.filter(kind="phase").first().text == (
        f"{people[Role.INTRAPRENEUR]} a changé la phase en « Construction »"
    )

    from governance.services.committees import committee_decide

    committee = InvestmentCommitteeFactory(
        startup=startup, date=timezone.localdate() - datetime.timedelta(days=1)
    )
    committee_decide(committee=committee, actor=people[Role.INTRAPRENEUR], decision="accelerate")
    assert told(NotificationKind.DECISION) == emails(
        people, Role.TEAM, Role.COACH, Role.SPONSOR
    )
    assert Notification.objects.filter(kind="phase").count() == 3  # only the manual one


def test_inactive_members_are_not_told(team):
    startup, people = team
    people[Role.COACH].is_active = False
    people[Role.COACH].save()
    feedback_receive(startup=startup, text="Bonjour")
    assert told(NotificationKind.FEEDBACK) == emails(people, Role.INTRAPRENEUR, Role.TEAM)


# ---------------------------------------------------------------- choices


def test_a_kind_switched_off_is_not_shown_or_not_written(team):
    startup, people = team
    notification_preferences_set(
        user=people[Role.TEAM], in_app=[], email=[NotificationKind.FEEDBACK]
    )
    notification_preferences_set(user=people[Role.COACH], in_app=[], email=[])
    feedback_receive(startup=startup, text="Bonjour")

    team_row = Notification.objects.get(recipient=people[Role.TEAM])
    assert (team_row.in_app, team_row.in_digest) == (False, True)  # digest only
    assert not Notification.objects.filter(recipient=people[Role.COACH]).exists()
    intrapreneur_row = Notification.objects.get(recipient=people[Role.INTRAPRENEUR])
    assert (intrapreneur_row.in_app, intrapreneur_row.in_digest) == (True, True)  # defaults


def test_the_account_page_switches_kinds_off(client, team):
    _startup, people = team
    client.force_login(people[Role.TEAM])
    page = client.get(reverse("account-profile"))
    # Every kind, both channels, on by default.
    for kind in NotificationKind.values:
        assertContains(page, f'name="notifications-in_app_{kind}"')
        assertContains(page, f'name="notifications-email_{kind}"')
    assert page.content.decode().count("checked") >= 2 * len(NotificationKind.values)
    assertContains(page, "Nouveaux retours : dans l’application")

    data = {"form": "notifications", "notifications-in_app_release": "on",
            **{f"notifications-email_{k}": "on" for k in NotificationKind.values if k != "test"}}
    response = client.post(reverse("account-profile"), data, follow=True)

    assertRedirects(response, reverse("account-profile") + "#notification-settings")
    assertContains(response, "Vos choix de notifications sont enregistrés.")
    prefs = {
        p.kind: (p.in_app, p.email)
        for p in NotificationPreference.objects.filter(user=people[Role.TEAM])
    }
    assert prefs["release"] == (True, True)
    assert prefs["test"] == (False, False)
    assert prefs["feedback"] == (False, True)
    # The profile form is untouched by this post.
    people[Role.TEAM].refresh_from_db()
    assert people[Role.TEAM].first_name


# ---------------------------------------------------------------- the bell and the page


def test_the_bell_counts_unread_notifications(client, team):
    startup, people = team
    user = people[Role.TEAM]
    NotificationFactory.create_batch(3, recipient=user, startup=startup)
    NotificationFactory(recipient=user, startup=startup, read_at=timezone.now())
    NotificationFactory(recipient=user, startup=startup, in_app=False)
    NotificationFactory(recipient=people[Role.COACH], startup=startup)
    client.force_login(user)

    page = client.get(reverse("home"))
    # The header asks htmx for the count, on load and every minute, in a live region.
    assertContains(page, 'hx-get="/notifications/count/"')
    assertContains(page, 'hx-trigger="load, every 60s"')
    assertContains(page, 'aria-live="polite" hx-get="/notifications/count/"')

    response = client.get(reverse("notification-count"), headers={"HX-Request": "true"})
    assertContains(response, '>3<span class="fr-sr-only"> notifications non lues</span>')
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_bell_says_nothing_when_all_is_read_or_signed_out(client, team):
    _startup, people = team
    client.force_login(people[Role.TEAM])
    assert client.get(reverse("notification-count")).content.strip() == b""
    client.logout()
    response = client.get(reverse("notification-count"))
    assert response.status_code == 200
    assert response.content.strip() == b""


def test_the_page_lists_marks_and_links(client, team):
    startup, people = team
    user = people[Role.TEAM]
    feedback_receive(startup=startup, text="Le bouton ne marche pas")
    old = NotificationFactory(recipient=user, startup=startup, label="v0.9",
                              read_at=timezone.now())
    other_startup = StartupFactory()  # a startup the person left: not shown
    NotificationFactory(recipient=user, startup=other_startup, label="v-ancienne")
    client.force_login(user)

    page = client.get(reverse("notification-list"))

    assertContains(page, "1 notification non lue")
    assertContains(page, "Un usager a enregistré un nouveau retour : « Le bouton ne marche pas »")
    assertContains(page, "v0.9")
    assertNotContains(page, "v-ancienne")
    assertContains(page, "Carte Vitale Plus")
    new = Notification.objects.get(recipient=user, kind="feedback")
    assertContains(page, f'href="{new.url}"')
    assertContains(page, reverse("notification-read", args=[new.pk]))
    assertNotContains(page, reverse("notification-read", args=[old.pk]))

    unread = client.get(reverse("notification-list"), {"state": "unread"})
    assertNotContains(unread, "v0.9")
    assertContains(unread, "Le bouton ne marche pas")

    # htmx: the row comes back read, the bell and the summary with it.
    response = client.post(
        reverse("notification-read", args=[new.pk]), headers={"HX-Request": "true"}
    )
    assertContains(response, f'id="notification-{new.pk}"')
    assertNotContains(response, "Non lue")
    assertContains(response, 'id="notification-count" hx-swap-oob="innerHTML"')
    assertContains(response, "0 notification non lue")
    new.refresh_from_db()
    assert new.read_at is not None


def test_marking_without_javascript_and_all_at_once(client, team):
    startup, people = team
    user = people[Role.TEAM]
    first, second, third = NotificationFactory.create_batch(3, recipient=user, startup=startup)
    mine_elsewhere = NotificationFactory(recipient=people[Role.COACH], startup=startup)
    client.force_login(user)

    response = client.post(reverse("notification-read", args=[first.pk]),
                           {"next": "/notifications/?page=1"})
    assertRedirects(response, "/notifications/?page=1", fetch_redirect_response=False)
    response = client.post(reverse("notification-read", args=[second.pk]),
                           {"next": "https://ailleurs.example/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/notifications/"
    assertContains(response, "La notification est marquée comme lue.")
    # Somebody else's notification is not found, and stays unread.
    assert client.post(reverse("notification-read", args=[mine_elsewhere.pk])).status_code == 404

    response = client.post(reverse("notifications-read-all"), follow=True)
    assertContains(response, "Toutes les notifications sont marquées comme lues.")
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=mine_elsewhere.pk).read_at is None
    third.refresh_from_db()
    assert third.read_at is not None
    response = client.post(reverse("notifications-read-all"), follow=True)
    assertContains(response, "Aucune notification n’était non lue.")


def test_the_page_paginates_and_says_when_empty(client, team):
    startup, people = team
    user = people[Role.TEAM]
    client.force_login(user)
    assertContains(client.get(reverse("notification-list")), "Aucune notification pour l’instant")
    NotificationFactory.create_batch(25, recipient=user, startup=startup)
    page = client.get(reverse("notification-list"))
    assertContains(page, "25 résultats")
    assert page.content.decode().count('class="notification ') == 20
    second = client.get(reverse("notification-list"), {"page": 2})
    assert second.content.decode().count('class="notification ') == 5


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_has_a_fixed_query_count(db, client, django_assert_num_queries, size):
    user = UserFactory()
    for i in range(size):
        startup = StartupFactory()
        MembershipFactory(startup=startup, user=user)
        NotificationFactory(recipient=user, startup=startup, read_at=None if i % 2 else
                            timezone.now())
    client.force_login(user)
    # session, user, the paginator's count, the page's rows, the unread count.
    with django_assert_num_queries(5):
        response = client.get(reverse("notification-list"))
    assert response.status_code == 200
    with django_assert_num_queries(3):  # session, user, the count
        client.get(reverse("notification-count"))


# ---------------------------------------------------------------- the weekly digest

MONDAY = datetime.date(2026, 11, 30)  # the digest of week 48: 23 to 29 November


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_the_digest_tells_the_week_before_once(team, django_capture_on_commit_callbacks):
    startup, people = team
    user = people[Role.TEAM]
    other = StartupFactory(name="Aides Agri")
    MembershipFactory(startup=other, user=user, role=Role.COACH)
    NotificationFactory(recipient=user, startup=startup, label="v3.1",
                        created_at=at(datetime.date(2026, 11, 24)))
    NotificationFactory(recipient=user, startup=startup, kind="feedback", actor=None,
                        label="Impossible de payer", created_at=at(datetime.date(2026, 11, 29), 23))
    NotificationFactory(recipient=user, startup=other, kind="test", label="Test du parcours",
                        created_at=at(datetime.date(2026, 11, 23), 0))
    # Read in the application already: still in the digest (a summary of the week).
    NotificationFactory(recipient=user, startup=startup, label="v3.0", read_at=timezone.now(),
                        created_at=at(datetime.date(2026, 11, 25)))
    # Outside the week, or not for the digest.
    NotificationFactory(recipient=user, startup=startup, label="v-avant",
                        created_at=at(datetime.date(2026, 11, 22), 23))
    NotificationFactory(recipient=user, startup=startup, label="v-ce-lundi", created_at=at(MONDAY))
    NotificationFactory(recipient=user, startup=startup, label="v-sans-mail", in_digest=False,
                        created_at=at(datetime.date(2026, 11, 24)))

    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(today=MONDAY) == 1
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "Votre semaine dans Intrapreneur : 4 nouvelles"
    text = message.body
    assert "semaine 48 (du 23 novembre au 29 novembre 2026)" in text
    assert "== Aides Agri ==" in text and "== Carte Vitale Plus ==" in text
    assert text.index("Aides Agri") < text.index("Carte Vitale Plus")
    assert "Tests utilisateurs enregistrés" in text
    assert "Un usager a enregistré un nouveau retour : « Impossible de payer »" in text
    assert "v3.1" in text and "v3.0" in text
    for absent in ("v-avant", "v-ce-lundi", "v-sans-mail"):
        assert absent not in text
    html = message.alternatives[0].content
    assert "<h2>Carte Vitale Plus</h2>" in html
    assert "<h3>Versions publiées</h3>" in html
    assert "#notification-settings" in html

    # The beat firing twice, a second run later the week: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(today=MONDAY) == 0
        assert digests_send(today=MONDAY + datetime.timedelta(days=3)) == 0
    assert len(mail.outbox) == 1


def test_no_digest_when_nothing_happened_or_switched_off(team, django_capture_on_commit_callbacks):
    startup, people = team
    week_day = at(datetime.date(2026, 11, 25))
    NotificationFactory(recipient=people[Role.COACH], startup=startup, created_at=week_day)
    NotificationFactory(recipient=people[Role.TEAM], startup=startup, created_at=week_day)
    NotificationFactory(recipient=people[Role.TEAM], startup=startup, kind="test",
                        created_at=week_day)
    # The coach switched the digest off for releases (after the notification was written).
    notification_preferences_set(user=people[Role.COACH], in_app=NotificationKind.values,
                                 email=[k for k in NotificationKind.values if k != "release"])
    notification_preferences_set(user=people[Role.TEAM], in_app=NotificationKind.values,
                                 email=["release"])

    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(today=MONDAY) == 1
    [message] = mail.outbox
    assert message.to == [people[Role.TEAM].email]
    assert message.subject == "Votre semaine dans Intrapreneur : 1 nouvelle"
    assert "Tests utilisateurs" not in message.body
    # An empty week: nothing at all.
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(today=MONDAY + datetime.timedelta(days=14)) == 0
    assert len(mail.outbox) == 1


def test_the_digest_task_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-digest"]
    assert entry["task"] == "intrapreneur.tasks.notifications_digest_task"
    assert entry["schedule"].day_of_week == {1}


@pytest.mark.django_db(transaction=True)
def test_the_digest_goes_once_through_the_worker(worker, mail_to_smtp):
    startup = StartupFactory(name="Carte Vitale Plus")
    people = {role: MembershipFactory(startup=startup, role=role).user for role in ROLES}
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    for role in (Role.TEAM, Role.COACH):
        NotificationFactory(recipient=people[role], startup=startup, label="v4.2",
                            created_at=at(last_week))
    notification_preferences_set(user=people[Role.COACH], in_app=NotificationKind.values,
                                 email=[])

    notifications_digest_task.delay()
    notifications_digest_task.delay()  # the beat fired twice
    [received] = mail_to_smtp.wait_for(1, to=people[Role.TEAM].email)
    assert str(received["Subject"]) == "Votre semaine dans Intrapreneur : 1 nouvelle"
    assert "v4.2" in mail_to_smtp.body(received)
    # A marker queued after both runs: once it arrived, both runs are over.
    outbox_enqueue(
        key="digest-marker", kind="test", to="temoin@example.gouv.fr",
        template="notifications_digest",
        context={"user": people[Role.SPONSOR], "week": 1, "week_start": last_week,
                 "week_end": last_week, "sections": [], "count": 0, "site_url": ""},
    )
    mail_to_smtp.wait_for(1, to="temoin@example.gouv.fr")
    assert len(mail_to_smtp.received(to=people[Role.TEAM].email)) == 1
    assert mail_to_smtp.received(to=people[Role.COACH].email) == []  # switched off
    for role in (Role.INTRAPRENEUR, Role.SPONSOR):  # nothing happened for them
        assert mail_to_smtp.received(to=people[role].email) == []
    assert OutboxMessage.objects.filter(kind="digest").count() == 1
