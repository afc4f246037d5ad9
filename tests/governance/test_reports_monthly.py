"""The monthly report: in the first days of a month, each followed startup with a sponsor
sends the report of the month just ended — the intrapreneur's latest draft when there is
one, else an automatic report — and each sponsor receives it once, even when the beat fires
twice. Through the services, then through a real Celery worker."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from governance.models import SponsorReport
from governance.services.reports import (
    MONTHLY_WINDOW_DAYS,
    report_create,
    report_send,
    reports_monthly_send,
)
from governance.tasks import reports_monthly_task
from intrapreneur.enums import Role
from intrapreneur.models import OutboxMessage
from intrapreneur.outbox import outbox_enqueue
from tests.governance.factories import SponsorReportFactory
from tests.intrapreneur.factories import MembershipFactory, StartupFactory

FIRST = datetime.date(2026, 12, 1)
END_OF_NOVEMBER = datetime.date(2026, 11, 30)


def _team(startup, roles=(Role.INTRAPRENEUR, Role.SPONSOR)):
    return {role: MembershipFactory(startup=startup, role=role).user for role in roles}


@pytest.fixture
def startups(db):
    followed = StartupFactory(in_construction=True, name="Suivie")
    followed_team = _team(followed)
    with_draft = StartupFactory(in_acceleration=True, name="Avec brouillon")
    draft_team = _team(with_draft)
    no_sponsor = StartupFactory(in_construction=True, name="Sans sponsor")
    _team(no_sponsor, roles=(Role.INTRAPRENEUR, Role.TEAM))
    inactive = StartupFactory(in_construction=True, name="Sponsor parti")
    gone = _team(inactive)[Role.SPONSOR]
    gone.is_active = False
    gone.save()
    archived = StartupFactory(in_construction=True, name="Archivée")
    _team(archived)
    archived.archived_at = timezone.now()
    archived.save()
    return {
        "followed": followed, "followed_team": followed_team, "with_draft": with_draft,
        "draft_team": draft_team,
    }


@pytest.mark.django_db
def test_each_followed_startup_with_a_sponsor_sends_last_months_report_once(
    startups, django_capture_on_commit_callbacks
):
    followed, with_draft = startups["followed"], startups["with_draft"]
    draft = SponsorReportFactory(
        startup=with_draft, as_of=datetime.date(2026, 11, 20), title="Mon brouillon",
        highlights="La Creuse rejoint le pilote.", author=startups["draft_team"][Role.INTRAPRENEUR],
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_monthly_send(today=FIRST) == 2

    automatic = SponsorReport.objects.get(startup=followed)
    assert (automatic.monthly_key, automatic.as_of, automatic.state) == (
        "2026-11", END_OF_NOVEMBER, "sent"
    )
    assert automatic.highlights  # says it is an automatic report
    assert automatic.snapshot["as_of"] == END_OF_NOVEMBER.isoformat()
    assert automatic.author is None and automatic.sent_by is None
    # The draft became the month's report, its figures taken at the month's end.
    draft.refresh_from_db()
    assert (draft.monthly_key, draft.as_of, draft.state, draft.title) == (
        "2026-11", END_OF_NOVEMBER, "sent", "Mon brouillon"
    )
    assert draft.highlights == "La Creuse rejoint le pilote."
    assert draft.snapshot["as_of"] == END_OF_NOVEMBER.isoformat()
    assert SponsorReport.objects.filter(startup=with_draft).count() == 1

    sponsors = {startups["followed_team"][Role.SPONSOR].email,
                startups["draft_team"][Role.SPONSOR].email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(sponsors)
    message = next(m for m in mail.outbox if m.to[0] == startups["draft_team"][Role.SPONSOR].email)
    assert "La Creuse rejoint le pilote." in message.body

    # The beat fires again, later in the window: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_monthly_send(today=FIRST) == 0
        assert reports_monthly_send(today=FIRST + datetime.timedelta(days=3)) == 0
    assert len(mail.outbox) == 2
    assert SponsorReport.objects.count() == 2


@pytest.mark.django_db
def test_a_draft_written_for_the_new_month_is_left_to_its_author(startups):
    """A draft about December, started on the 1st, is not sent as November's report."""
    with_draft = startups["with_draft"]
    december = SponsorReportFactory(startup=with_draft, as_of=FIRST, title="Décembre")
    assert reports_monthly_send(today=FIRST) == 2
    december.refresh_from_db()
    assert (december.state, december.monthly_key, december.as_of) == ("draft", "", FIRST)
    november = SponsorReport.objects.get(startup=with_draft, monthly_key="2026-11")
    assert november.pk != december.pk and november.state == "sent"


@pytest.mark.django_db
def test_nothing_is_sent_after_the_first_days_of_the_month(startups):
    late = FIRST + datetime.timedelta(days=MONTHLY_WINDOW_DAYS)
    assert reports_monthly_send(today=late) == 0
    assert not SponsorReport.objects.exists()


@pytest.mark.django_db
def test_a_report_sent_by_hand_for_the_month_is_enough(startups):
    followed = startups["followed"]
    report = report_create(
        startup=followed, actor=startups["followed_team"][Role.INTRAPRENEUR],
        as_of=datetime.date(2026, 11, 28), title="Novembre", highlights="Écrit à la main.",
    )
    report_send(report=report, actor=None, notify=False)
    assert reports_monthly_send(today=FIRST) == 1  # the other startup only
    assert SponsorReport.objects.filter(startup=followed).count() == 1


@pytest.mark.django_db
def test_the_next_month_brings_the_next_report(startups):
    assert reports_monthly_send(today=FIRST) == 2
    assert reports_monthly_send(today=datetime.date(2027, 1, 2)) == 2
    keys = set(SponsorReport.objects.filter(startup=startups["followed"])
               .values_list("monthly_key", flat=True))
    assert keys == {"2026-11", "2026-12"}


@pytest.mark.django_db(transaction=True)
def test_the_monthly_task_emails_each_sponsor_once_through_the_worker(worker, mail_to_smtp):
    startup = StartupFactory(in_construction=True, name="Accueil Accessible")
    team = _team(startup, roles=(Role.INTRAPRENEUR, Role.TEAM, Role.SPONSOR))
    second_sponsor = MembershipFactory(startup=startup, role=Role.SPONSOR).user
    sponsors = [team[Role.SPONSOR], second_sponsor]

    reports_monthly_task.delay(FIRST.isoformat())
    reports_monthly_task.delay(FIRST.isoformat())  # the beat fired twice
    for sponsor in sponsors:
        [received] = mail_to_smtp.wait_for(1, to=sponsor.email)
        assert str(received["Subject"]).startswith("Accueil Accessible")
    # A marker queued after both runs: once it arrived, both runs are over.
    outbox_enqueue(
        key="marker", kind="test", to="temoin@example.gouv.fr", template="tests_nudge",
        context={"startup": startup, "user": sponsors[0], "week": 1, "week_start": FIRST,
                 "week_end": FIRST, "url": "/"},
    )
    mail_to_smtp.wait_for(1, to="temoin@example.gouv.fr")
    for sponsor in sponsors:
        assert len(mail_to_smtp.received(to=sponsor.email)) == 1
    for member in (team[Role.INTRAPRENEUR], team[Role.TEAM]):
        assert mail_to_smtp.received(to=member.email) == []
    report = SponsorReport.objects.get(startup=startup)
    assert (report.monthly_key, report.state) == ("2026-11", "sent")
    assert OutboxMessage.objects.filter(kind="sponsor-report").count() == 2
