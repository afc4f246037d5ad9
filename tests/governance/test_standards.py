"""The State's standards of a startup: every kind shown (empty until filled in), edited by
the team, red when late on the page, the overview and the portfolio; the owner reminded 14
and 3 days before the deadline and once it is late, each reminder once — through the
services, then through a real Celery worker."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.enums import StandardKind
from governance.models import Standard
from governance.services.standards import (
    reminder_stage,
    standard_reminders_send,
    standard_save,
    standards_for,
)
from governance.tasks import standard_reminders_task
from intrapreneur.enums import Role
from intrapreneur.models import Activity, Membership, OutboxMessage
from intrapreneur.outbox import outbox_enqueue
from tests.conftest import GuardedClient
from tests.governance.factories import StandardFactory
from tests.intrapreneur.factories import (
    IncubatorFactory,
    MembershipFactory,
    StartupFactory,
    UserFactory,
)

TODAY = datetime.date(2026, 11, 2)


def days(n, today=TODAY):
    return today + datetime.timedelta(days=n)


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def client_for(user):
    client = GuardedClient()
    client.force_login(user)
    return client


def list_url(startup):
    return reverse("governance:standard-list", args=[startup.slug])


def edit_url(startup, kind):
    return reverse("governance:standard-edit", args=[startup.slug, kind])


# ---------------------------------------------------------------- the rules


@pytest.mark.django_db
def test_every_kind_is_shown_empty_until_filled_in():
    startup = StartupFactory()
    StandardFactory(startup=startup, kind="dsfr", status="done")
    rows = standards_for(startup)
    assert [row.kind for row in rows] == StandardKind.values
    by_kind = {row.kind: row for row in rows}
    assert by_kind["dsfr"].pk is not None and by_kind["dsfr"].status == "done"
    empty = by_kind["accessibility"]
    assert (empty.pk, empty.status, empty.owner, empty.deadline) == (None, "todo", None, None)
    assert Standard.objects.count() == 1  # reading writes nothing


@pytest.mark.django_db
def test_late_means_deadline_past_and_not_done():
    startup = StartupFactory()
    today = timezone.localdate()
    cases = {
        # kind: (fields, late?)
        "accessibility": ({"status": "in_progress", "due_on": days(-1, today)}, True),
        "dsfr": ({"status": "todo", "due_on": today}, False),  # due today: not yet late
        "ecodesign": ({"status": "done", "due_on": days(-30, today)}, False),
        "risk_analysis": ({"status": "not_applicable", "due_on": days(-30, today)}, False),
        # A homologation given, its renewal past: late again.
        "security": ({"status": "done", "homologated_on": days(-800, today),
                      "renewal_due_on": days(-2, today), "due_on": days(-900, today)}, True),
        "dashlord": ({"status": "todo", "due_on": None}, False),
    }
    for kind, (fields, _late) in cases.items():
        StandardFactory(startup=startup, kind=kind, **fields)
    rows = {row.kind: row for row in standards_for(startup)}
    assert {kind: rows[kind].is_late(today) for kind in cases} == {
        kind: late for kind, (_f, late) in cases.items()
    }
    # The SQL says the same as Python (the portfolio counts with it).
    assert set(Standard.objects.late(today).values_list("kind", flat=True)) == {
        "accessibility", "security"
    }


def test_reminder_stages():
    assert reminder_stage(days(15), TODAY) is None
    assert reminder_stage(days(14), TODAY) == "14"
    assert reminder_stage(days(4), TODAY) == "14"
    assert reminder_stage(days(3), TODAY) == "3"
    assert reminder_stage(TODAY, TODAY) == "3"
    assert reminder_stage(days(-1), TODAY) == "late"


@pytest.mark.django_db
def test_the_owner_must_be_a_member_of_the_startup():
    startup = StartupFactory()
    elsewhere = MembershipFactory()
    with pytest.raises(ValidationError):
        standard_save(startup=startup, kind="dsfr", actor=None, status="todo",
                      owner=elsewhere, due_on=None, url="", notes="")
    assert not Standard.objects.exists()


@pytest.mark.django_db
def test_a_homologation_done_needs_its_date():
    startup = StartupFactory()
    fields = {"status": "done", "owner": None, "due_on": None, "url": "", "notes": "",
              "homologated_on": None, "renewal_due_on": None}
    with pytest.raises(ValidationError):
        standard_save(startup=startup, kind="security", actor=None, **fields)
    fields.update(homologated_on=TODAY, renewal_due_on=days(-1))
    with pytest.raises(ValidationError):
        standard_save(startup=startup, kind="security", actor=None, **fields)
    fields.update(renewal_due_on=days(730))
    standard = standard_save(startup=startup, kind="security", actor=None, **fields)
    assert standard.deadline == days(730)


# ---------------------------------------------------------------- the pages


@pytest.fixture
def team(db):
    startup = StartupFactory(name="Accueil Accessible")
    people = {
        role: MembershipFactory(startup=startup, role=role)
        for role in (Role.INTRAPRENEUR, Role.TEAM, Role.COACH, Role.SPONSOR)
    }
    return startup, people


def test_the_page_lists_every_standard_with_empty_states(team):
    startup, people = team
    response = client_for(people[Role.SPONSOR].user).get(list_url(startup))
    assert response.status_code == 200
    page = soup(response)
    rows = page.select("#standard-table tbody tr")
    assert [row["data-kind"] for row in rows] == StandardKind.values
    assert all(row["data-status"] == "todo" for row in rows)
    assert "Pas encore renseigné." in rows[0].get_text()
    assert "Personne pour l'instant" in rows[0].get_text()
    # The sponsor reads, does not edit.
    assert not page.select(f"a[href='{edit_url(startup, 'accessibility')}']")
    assert page.select_one("#standards-late") is None


def test_a_team_member_fills_in_the_accessibility(team):
    startup, people = team
    client = client_for(people[Role.TEAM].user)
    page = soup(client.get(edit_url(startup, "accessibility")))
    assert page.select_one("select[name=compliance]") is not None
    assert page.select_one("input[name=homologated_on]") is None  # security only
    owners = [o.get_text() for o in page.select("select[name=owner] option")]
    assert len(owners) == 1 + 4  # nobody, and the four members

    response = client.post(edit_url(startup, "accessibility"), {
        "status": "in_progress", "owner": people[Role.TEAM].pk, "due_on": "2027-03-31",
        "url": "https://accueil.beta.gouv.fr/accessibilite", "notes": "Audit en janvier.",
        "compliance": "partial", "audited_on": "2026-10-15",
    }, follow=True)

    assert response.redirect_chain[-1][0] == list_url(startup) + "#standard-accessibility"
    assert "« Accessibilité (RGAA) » est enregistré." in response.content.decode()
    standard = Standard.objects.get(startup=startup, kind="accessibility")
    assert (standard.status, standard.owner, standard.due_on, standard.compliance,
            standard.audited_on, standard.updated_by) == (
        "in_progress", people[Role.TEAM], datetime.date(2027, 3, 31), "partial",
        datetime.date(2026, 10, 15), people[Role.TEAM].user,
    )
    row = soup(response).select_one("#standard-accessibility")
    text = row.get_text(" ", strip=True)
    assert "Partiellement conforme" in text and "audit du 15 octobre 2026" in text
    assert "31 mars 2027" in text
    assert row.select_one("a[href='https://accueil.beta.gouv.fr/accessibilite']").get_text(
        " ", strip=True).startswith("Déclaration d'accessibilité")
    assert Activity.objects.filter(startup=startup, verb="standard.updated").count() == 1


def test_a_bad_form_shows_its_errors_and_keeps_what_was_typed(team):
    startup, people = team
    client = client_for(people[Role.INTRAPRENEUR].user)
    response = client.post(edit_url(startup, "security"), {
        "status": "done", "due_on": "", "url": "pas une adresse", "notes": "Notes gardées",
        "homologated_on": "", "renewal_due_on": "",
    })
    assert response.status_code == 200
    content = response.content.decode()
    assert "Notes gardées" in content
    assert "Saisissez une URL valide." in content
    assert not Standard.objects.exists()
    response = client.post(edit_url(startup, "security"), {
        "status": "done", "url": "", "notes": "", "homologated_on": "", "renewal_due_on": "",
    })
    assert "Donnez la date de l'homologation pour la marquer faite." in soup(response).get_text()


def test_an_unknown_kind_is_not_found(team):
    startup, people = team
    client = client_for(people[Role.INTRAPRENEUR].user)
    assert client.get(edit_url(startup, "inconnu")).status_code == 404


def test_the_startups_own_links_are_offered(team):
    startup, people = team
    startup.stats_url = "https://accueil.beta.gouv.fr/stats"
    startup.save()
    page = soup(client_for(people[Role.TEAM].user).get(edit_url(startup, "stats_page")))
    assert page.select_one("input[name=url]")["value"] == "https://accueil.beta.gouv.fr/stats"


def test_late_standards_are_red_on_the_page_and_the_overview(team):
    startup, people = team
    today = timezone.localdate()
    StandardFactory(startup=startup, kind="accessibility", due_on=days(-3, today),
                    owner=people[Role.TEAM])
    StandardFactory(startup=startup, kind="dsfr", due_on=days(10, today))
    client = client_for(people[Role.COACH].user)

    page = soup(client.get(list_url(startup)))
    late = page.select_one("#standard-accessibility")
    assert late.has_attr("data-late")
    assert late.select_one("[data-late-badge]").get_text(strip=True) == "En retard"
    assert "fr-badge--error" in late.select_one("[data-late-badge]")["class"]
    assert not page.select_one("#standard-dsfr").has_attr("data-late")
    assert "1 norme est en retard." in page.select_one("#standards-late").get_text()

    overview = soup(client.get(reverse("startup-overview", args=[startup.slug])))
    panel = overview.select_one("#overview-standards")
    assert [li["data-late"] for li in panel.select("li[data-late]")] == ["accessibility"]
    assert str(people[Role.TEAM].user) in panel.get_text()
    assert panel.select_one(".fr-alert--error") is not None
    assert "0 sur 8 normes faites ou non applicables." in panel.get_text(" ", strip=True)


def test_the_overview_says_when_nothing_is_late(team):
    startup, people = team
    overview = soup(client_for(people[Role.SPONSOR].user).get(
        reverse("startup-overview", args=[startup.slug])
    ))
    panel = overview.select_one("#overview-standards")
    assert "Aucune norme n'est en retard." in panel.get_text()
    assert panel.select_one(".fr-alert--error") is None


@pytest.mark.django_db
def test_the_portfolio_counts_late_standards_per_startup():
    incubator = IncubatorFactory()
    staff = UserFactory(staff=True)
    incubator.staff.add(staff)
    today = timezone.localdate()
    late = StartupFactory(incubator=incubator, name="En retard")
    for kind in ("accessibility", "security", "dsfr"):
        StandardFactory(startup=late, kind=kind, due_on=days(-1, today))
    StandardFactory(startup=late, kind="ecodesign", status="done", due_on=days(-1, today))
    on_time = StartupFactory(incubator=incubator, name="À l'heure")
    StandardFactory(startup=on_time, kind="dsfr", due_on=days(5, today))

    page = soup(client_for(staff).get("/portfolio/"))
    late_cell = page.select_one(f"#startup-{late.pk} [data-standards-late]")
    assert late_cell["data-standards-late"] == "3"
    assert late_cell.select_one(".fr-badge--error").get_text(strip=True) == "3 en retard"
    on_time_cell = page.select_one(f"#startup-{on_time.pk} [data-standards-late]")
    assert on_time_cell.get_text(strip=True) == "Aucune en retard"


# ---------------------------------------------------------------- query counts


@pytest.mark.parametrize("size", [1, 8])
def test_list_query_count(team, django_assert_num_queries, size):
    """session, user, startup, membership; the standards with their owners."""
    startup, people = team
    for kind in StandardKind.values[:size]:
        StandardFactory(startup=startup, kind=kind,
                        owner=MembershipFactory(startup=startup, role=Role.TEAM))
    client = client_for(people[Role.INTRAPRENEUR].user)
    with django_assert_num_queries(5):
        response = client.get(list_url(startup))
    assert len(soup(response).select("#standard-table tbody tr")) == 8


# ---------------------------------------------------------------- reminders


def _owned(startup, kind, due_on, **fields):
    owner = MembershipFactory(startup=startup, role=Role.TEAM)
    return StandardFactory(startup=startup, kind=kind, due_on=due_on, owner=owner, **fields)


@pytest.mark.django_db
def test_owners_are_reminded_14_and_3_days_before_and_once_late(
    django_capture_on_commit_callbacks,
):
    startup = StartupFactory(name="Accueil Accessible")
    standard = _owned(startup, "accessibility", days(14))
    owner = standard.owner.user
    StandardFactory(startup=startup, kind="dsfr", due_on=days(5))  # nobody owns it
    _owned(startup, "ecodesign", days(100))  # too far
    _owned(startup, "risk_analysis", days(-5), status="done")  # done: no reminder

    def run(today):
        with django_capture_on_commit_callbacks(execute=True):
            return standard_reminders_send(today=today)

    assert run(TODAY) == 1
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert message.subject == (
        "Accueil Accessible : « Accessibilité (RGAA) » est à faire pour le 16 novembre 2026"
    )
    assert "dans 14 jours" in message.body
    assert f"/startups/{startup.slug}/governance/standards/#standard-accessibility" in (
        message.body
    )
    # The beat again the same day and the next days: nothing more until 3 days before.
    assert run(TODAY) == 0
    assert run(days(5)) == 0
    assert run(days(11)) == 1
    assert "dans 3 jours" in mail.outbox[-1].body
    assert run(days(13)) == 0
    assert run(days(15)) == 1
    assert mail.outbox[-1].subject == (
        "Accueil Accessible : « Accessibilité (RGAA) » est en retard (prévu le 16 novembre 2026)"
    )
    assert run(days(30)) == 0
    assert len(mail.outbox) == 3
    assert OutboxMessage.objects.filter(kind="standard-reminder").count() == 3

    # A new deadline: new reminders; once done, none.
    Standard.objects.filter(pk=standard.pk).update(due_on=days(40))
    assert run(days(30)) == 1
    Standard.objects.filter(pk=standard.pk).update(status="done")
    assert run(days(38)) == 0


@pytest.mark.django_db
def test_a_homologation_renewal_is_reminded(django_capture_on_commit_callbacks):
    startup = StartupFactory()
    _owned(startup, "security", None, status="done", homologated_on=days(-700),
           renewal_due_on=days(3))
    with django_capture_on_commit_callbacks(execute=True):
        assert standard_reminders_send(today=TODAY) == 1
    assert "L'homologation de sécurité doit être renouvelée" in mail.outbox[0].body


@pytest.mark.django_db
def test_archived_startups_and_inactive_owners_are_not_reminded(
    django_capture_on_commit_callbacks,
):
    archived = StartupFactory(archived_at=timezone.now())
    _owned(archived, "dsfr", days(3))
    gone = _owned(StartupFactory(), "dsfr", days(3)).owner.user
    gone.is_active = False
    gone.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert standard_reminders_send(today=TODAY) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_removed_owner_is_not_reminded(django_capture_on_commit_callbacks):
    standard = _owned(StartupFactory(), "dsfr", days(3))
    Membership.objects.filter(pk=standard.owner_id).delete()
    standard.refresh_from_db()
    assert standard.owner is None
    with django_capture_on_commit_callbacks(execute=True):
        assert standard_reminders_send(today=TODAY) == 0


@pytest.mark.django_db(transaction=True)
def test_the_task_reminds_each_owner_once_through_the_worker(worker, mail_to_smtp):
    startup = StartupFactory(name="Accueil Accessible")
    first = _owned(startup, "accessibility", days(3)).owner.user
    second = _owned(startup, "security", days(-2)).owner.user
    bystander = MembershipFactory(startup=startup, role=Role.INTRAPRENEUR).user

    standard_reminders_task.delay(TODAY.isoformat())
    standard_reminders_task.delay(TODAY.isoformat())  # the beat fired twice
    [to_first] = mail_to_smtp.wait_for(1, to=first.email)
    [to_second] = mail_to_smtp.wait_for(1, to=second.email)
    assert "Accessibilité (RGAA)" in str(to_first["Subject"])
    assert "en retard" in str(to_second["Subject"])
    # A marker queued after both runs: once it arrived, both runs are over.
    outbox_enqueue(
        key="marker-standards", kind="test", to="temoin@example.gouv.fr",
        template="tests_nudge",
        context={"startup": startup, "user": first, "week": 1, "week_start": TODAY,
                 "week_end": TODAY, "url": "/"},
    )
    mail_to_smtp.wait_for(1, to="temoin@example.gouv.fr")
    assert len(mail_to_smtp.received(to=first.email)) == 1
    assert len(mail_to_smtp.received(to=second.email)) == 1
    assert mail_to_smtp.received(to=bystander.email) == []
    assert OutboxMessage.objects.filter(kind="standard-reminder", state="sent").count() == 2


@pytest.mark.parametrize("size", [1, 8])
def test_overview_query_count_with_late_standards(team, django_assert_num_queries, size):
    """The overview's standards panel is one query, whatever the standards and owners."""
    startup, people = team
    today = timezone.localdate()
    for kind in StandardKind.values[:size]:
        StandardFactory(startup=startup, kind=kind, due_on=days(-2, today),
                        owner=MembershipFactory(startup=startup, role=Role.TEAM))
    client = client_for(people[Role.INTRAPRENEUR].user)
    # 9, and the coaching count: the intrapreneur reads the coaching log.
    with django_assert_num_queries(10):
        response = client.get(reverse("startup-overview", args=[startup.slug]))
    assert len(soup(response).select("#overview-standards li[data-late]")) == size
