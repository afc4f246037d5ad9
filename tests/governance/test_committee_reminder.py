"""The reminder before the convention ends: the intrapreneurs of a startup whose latest
convention ends within 45 days, with no committee planned, get one e-mail per convention
end, through the outbox."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from governance.services.committees import committee_reminders_send, startups_to_remind
from intrapreneur.enums import Role
from intrapreneur.models import OutboxMessage
from tests.governance.factories import FundingFactory, InvestmentCommitteeFactory
from tests.intrapreneur.factories import MembershipFactory, StartupFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 2)


def days(n):
    return TODAY + datetime.timedelta(days=n)


def startup_ending_in(n, name, **kwargs):
    startup = StartupFactory(name=name, in_construction=True, **kwargs)
    FundingFactory(startup=startup, starts_on=days(-300), ends_on=days(n))
    return startup


def team(startup):
    return {
        role: MembershipFactory(startup=startup, role=role).user
        for role in (Role.INTRAPRENEUR, Role.TEAM, Role.COACH, Role.SPONSOR)
    }


def test_which_startups_are_reminded():
    startup_ending_in(30, "Dans trente jours")
    startup_ending_in(45, "Dans quarante-cinq jours")
    startup_ending_in(0, "Aujourd'hui")
    startup_ending_in(46, "Trop tard pour en parler")
    startup_ending_in(-1, "Déjà finie")
    planned = startup_ending_in(20, "Comité prévu")
    InvestmentCommitteeFactory(startup=planned, date=days(10))
    # A committee already decided, or one whose day passed without a decision, plans
    # nothing to come.
    decided = startup_ending_in(20, "Comité passé")
    InvestmentCommitteeFactory(startup=decided, date=days(-5), decision="continue")
    InvestmentCommitteeFactory(startup=decided, date=days(-1))
    # The latest convention counts: a new one ending later pushes the reminder back.
    renewed = startup_ending_in(10, "Renouvelée")
    FundingFactory(startup=renewed, starts_on=days(11), ends_on=days(300))
    archived = startup_ending_in(10, "Archivée")
    archived.archived_at = timezone.now()
    archived.save()
    StartupFactory(name="Sans convention")
    FundingFactory(startup=StartupFactory(name="Sans date de fin"), ends_on=None)
    reminded = {s.name: s.convention_end for s in startups_to_remind(today=TODAY)}
    assert reminded == {
        "Dans trente jours": days(30), "Dans quarante-cinq jours": days(45),
        "Aujourd'hui": TODAY, "Comité passé": days(20),
    }


def test_the_intrapreneurs_are_emailed_once_per_convention_end(
    django_capture_on_commit_callbacks,
):
    startup = startup_ending_in(30, "Accueil Accessible")
    people = team(startup)
    second = MembershipFactory(startup=startup, role=Role.INTRAPRENEUR).user
    team(startup_ending_in(200, "Plus tard"))
    with django_capture_on_commit_callbacks(execute=True):
        assert committee_reminders_send(today=TODAY) == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [people[Role.INTRAPRENEUR].email, second.email]
    )
    message = mail.outbox[0]
    assert "Accueil Accessible" in message.subject
    assert "2 décembre 2026" in message.subject
    assert f"/startups/{startup.slug}/governance/committees/new/" in message.body
    assert "30" in message.body
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == {
        f"committee-reminder:{startup.pk}:{days(30).isoformat()}:{user.pk}"
        for user in (people[Role.INTRAPRENEUR], second)
    }

    # The beat firing twice, or the next days: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert committee_reminders_send(today=TODAY) == 0
        assert committee_reminders_send(today=days(5)) == 0
    assert len(mail.outbox) == 2

    # The convention is extended to a new end that comes close too: a new reminder.
    FundingFactory(startup=startup, starts_on=days(31), ends_on=days(70))
    with django_capture_on_commit_callbacks(execute=True):
        assert committee_reminders_send(today=days(40)) == 2
    assert len(mail.outbox) == 4


def test_a_planned_committee_means_no_reminder(django_capture_on_commit_callbacks):
    startup = startup_ending_in(30, "Comité prévu")
    team(startup)
    InvestmentCommitteeFactory(startup=startup, date=days(25))
    with django_capture_on_commit_callbacks(execute=True):
        assert committee_reminders_send(today=TODAY) == 0
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()


def test_inactive_intrapreneurs_are_not_emailed(django_capture_on_commit_callbacks):
    startup = startup_ending_in(30, "Accueil Accessible")
    people = team(startup)
    people[Role.INTRAPRENEUR].is_active = False
    people[Role.INTRAPRENEUR].save()
    with django_capture_on_commit_callbacks(execute=True):
        assert committee_reminders_send(today=TODAY) == 0
    assert mail.outbox == []


def test_the_default_day_is_today(django_capture_on_commit_callbacks):
    startup = StartupFactory(in_construction=True)
    FundingFactory(
        startup=startup, starts_on=timezone.localdate() - datetime.timedelta(days=300),
        ends_on=timezone.localdate() + datetime.timedelta(days=12),
    )
    MembershipFactory(startup=startup, role=Role.INTRAPRENEUR)
    with django_capture_on_commit_callbacks(execute=True):
        assert committee_reminders_send() == 1
    assert "12" in mail.outbox[0].body
