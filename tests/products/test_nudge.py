"""The Monday nudge: the teams that met no user the week before get one e-mail a week."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from intrapreneur.enums import Role
from intrapreneur.models import OutboxMessage
from intrapreneur.outbox import outbox_enqueue
from products.services.nudge import startups_to_nudge, teams_nudge
from products.tasks import teams_nudge_task
from tests.intrapreneur.factories import MembershipFactory, StartupFactory
from tests.products.factories import UserTestFactory

MONDAY = datetime.date(2026, 11, 30)  # week 49; the week before runs from 23 to 29 November


def _team(startup, roles=(Role.INTRAPRENEUR, Role.TEAM, Role.COACH, Role.SPONSOR)):
    return {role: MembershipFactory(startup=startup, role=role).user for role in roles}


@pytest.fixture
def startups(db):
    untested = StartupFactory(in_construction=True, name="Sans test")
    tested = StartupFactory(in_acceleration=True, name="Testée dimanche")
    UserTestFactory(startup=tested, date=datetime.date(2026, 11, 29))  # last week's Sunday
    only_this_week = StartupFactory(in_construction=True, name="Testée ce lundi")
    UserTestFactory(startup=only_this_week, date=MONDAY)
    UserTestFactory(startup=only_this_week, date=datetime.date(2026, 11, 22))  # 2 weeks ago
    investigating = StartupFactory(name="En investigation")
    archived = StartupFactory(in_construction=True, name="Archivée")
    archived.archived_at = timezone.now()
    archived.save()
    return {
        "untested": untested, "tested": tested, "only_this_week": only_this_week,
        "investigating": investigating, "archived": archived,
    }


def test_the_startups_building_without_a_test_last_week_are_nudged(startups):
    nudged = set(startups_to_nudge(today=MONDAY).values_list("name", flat=True))
    assert nudged == {"Sans test", "Testée ce lundi"}
    # Any day of the week looks at the same week before.
    assert set(startups_to_nudge(today=MONDAY + datetime.timedelta(days=6))) == set(
        startups_to_nudge(today=MONDAY)
    )


def test_the_team_is_emailed_once_per_week(startups, django_capture_on_commit_callbacks):
    team = _team(startups["untested"])
    _team(startups["tested"])
    with django_capture_on_commit_callbacks(execute=True):
        assert teams_nudge(today=MONDAY) == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [team[Role.INTRAPRENEUR].email, team[Role.TEAM].email]
    )
    message = mail.outbox[0]
    assert message.subject == "Sans test : aucun test utilisateur la semaine dernière"
    assert "semaine 48 (du 23 novembre au 29 novembre 2026)" in message.body
    assert f"/startups/{startups['untested'].slug}/product/tests/new/" in message.body

    # Later the same week, or the beat firing twice: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert teams_nudge(today=MONDAY) == 0
        assert teams_nudge(today=MONDAY + datetime.timedelta(days=2)) == 0
    assert len(mail.outbox) == 2
    # Still no test the next week: a new reminder; the startup tested two weeks ago is now
    # reminded too.
    with django_capture_on_commit_callbacks(execute=True):
        assert teams_nudge(today=MONDAY + datetime.timedelta(days=7)) == 4
    assert len(mail.outbox) == 6


def test_inactive_members_are_not_emailed(startups, django_capture_on_commit_callbacks):
    team = _team(startups["untested"], roles=(Role.INTRAPRENEUR, Role.TEAM))
    team[Role.TEAM].is_active = False
    team[Role.TEAM].save()
    with django_capture_on_commit_callbacks(execute=True):
        teams_nudge(today=MONDAY)
    assert [message.to for message in mail.outbox] == [[team[Role.INTRAPRENEUR].email]]


@pytest.mark.django_db(transaction=True)
def test_the_monday_task_emails_each_team_once_through_the_worker(worker, mail_to_smtp):
    untested = StartupFactory(in_construction=True, name="Sans test")
    team = _team(untested, roles=(Role.INTRAPRENEUR, Role.TEAM, Role.SPONSOR))
    tested = StartupFactory(in_acceleration=True, name="Testée")
    UserTestFactory(startup=tested, date=timezone.localdate() - datetime.timedelta(days=7))
    tested_team = _team(tested, roles=(Role.INTRAPRENEUR,))

    teams_nudge_task.delay()
    teams_nudge_task.delay()  # the beat fired twice
    for role in (Role.INTRAPRENEUR, Role.TEAM):
        [received] = mail_to_smtp.wait_for(1, to=team[role].email)
        assert str(received["Subject"]).startswith("Sans test")
    # A marker queued after both runs: once it arrived, both runs are over.
    outbox_enqueue(
        key="marker", kind="test", to="temoin@example.gouv.fr", template="tests_nudge",
        context={"startup": untested, "user": team[Role.SPONSOR], "week": 1,
                 "week_start": MONDAY, "week_end": MONDAY, "url": "/"},
    )
    mail_to_smtp.wait_for(1, to="temoin@example.gouv.fr")
    for role in (Role.INTRAPRENEUR, Role.TEAM):
        assert len(mail_to_smtp.received(to=team[role].email)) == 1
    assert mail_to_smtp.received(to=team[Role.SPONSOR].email) == []
    assert mail_to_smtp.received(to=tested_team[Role.INTRAPRENEUR].email) == []
    assert OutboxMessage.objects.filter(kind="tests-nudge").count() == 2
