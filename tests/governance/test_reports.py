"""Sponsor reports: written as drafts with the dashboard frozen in them, edited, deleted,
sent once to each sponsor through the outbox, then never changed again; who reads and who
writes."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from governance.models import SponsorReport
from governance.services import reports as services
from intrapreneur.enums import Role
from intrapreneur.models import Activity, OutboxMessage
from products.models import MetricValue
from tests.governance.factories import HealthStatusFactory, SponsorReportFactory
from tests.governance.test_dashboard import fill
from tests.intrapreneur.factories import MembershipFactory

pytestmark = pytest.mark.django_db

READERS = ["intrapreneur", "team", "coach", "sponsor", "staff"]
NOT_MANAGERS = [("team", 403), ("coach", 403), ("sponsor", 403), ("staff", 403),
                ("outsider", 404)]


def url(name, startup, **kwargs):
    return reverse(f"governance:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def listed(response):
    return [row.select_one("td a").get_text(strip=True)
            for row in soup(response).select("#report-table tbody tr")]


@pytest.fixture
def filled(world):
    return fill(world.startup)


@pytest.fixture
def draft(world, filled):
    return services.report_create(
        startup=world.startup, actor=world.people["intrapreneur"],
        as_of=timezone.localdate(), title="Rapport de novembre",
        highlights="**Trois mairies** pilotes utilisent le service.",
        risks="La convention n'est pas signée.", asks="Un appui auprès du ministère.",
    )


# ---------------------------------------------------------------- create


def test_the_form_proposes_today_and_the_month_as_title(world):
    response = world.client_for("intrapreneur").get(url("report-create", world.startup))
    assert response.status_code == 200
    form = response.context["form"]
    today = timezone.localdate()
    assert form.initial["as_of"] == today
    assert form.initial["title"] == services.report_default_title(today)
    assert "refresh" not in form.fields


def test_writing_a_report_freezes_the_dashboard_in_a_draft(world, filled):
    today = timezone.localdate()
    response = world.client_for("intrapreneur").post(url("report-create", world.startup), {
        "as_of": today.isoformat(), "title": "Rapport de novembre",
        "highlights": "Trois mairies pilotes.", "risks": "", "asks": "Une signature.",
    })
    report = SponsorReport.objects.get(startup=world.startup)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert (report.state, report.title, report.as_of) == ("draft", "Rapport de novembre", today)
    assert report.author == world.people["intrapreneur"]
    assert report.snapshot["as_of"] == today.isoformat()
    assert report.snapshot["kpis"][0]["value"] == "111"
    assert report.snapshot["health"]["current"]["reason"] == (
        "Trois mairies pilotes utilisent le service."
    )
    assert Activity.objects.filter(verb="report.created", target_id=report.pk).exists()


def test_an_empty_title_becomes_the_month_of_the_date(world):
    report = services.report_create(
        startup=world.startup, actor=world.people["intrapreneur"],
        as_of=datetime.date(2026, 10, 31), title="  ",
    )
    assert report.title == services.report_default_title(datetime.date(2026, 10, 31))
    assert "2026" in report.title


@pytest.mark.parametrize("as_of", ["", "pas une date", "2999-01-01"])
def test_a_bad_date_re_renders_the_form_with_what_was_typed(world, as_of):
    response = world.client_for("intrapreneur").post(url("report-create", world.startup), {
        "as_of": as_of, "title": "Mon rapport", "highlights": "Ce que j'ai écrit.",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["as_of"]
    assertContains(response, "Ce que j&#x27;ai écrit.")
    assert not SponsorReport.objects.exists()


# ---------------------------------------------------------------- edit and delete a draft


def test_editing_a_draft_keeps_its_figures_unless_refreshed(world, draft):
    client = world.client_for("intrapreneur")
    value = MetricValue.objects.filter(metric__startup=world.startup).latest("date")
    value.value = Decimal(150)
    value.save()
    data = {"as_of": draft.as_of.isoformat(), "title": "Rapport revu",
            "highlights": "Nouveau texte.", "risks": "", "asks": ""}
    response = client.post(url("report-edit", world.startup, pk=draft.pk), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.highlights) == ("Rapport revu", "Nouveau texte.")
    assert draft.snapshot["kpis"][0]["value"] == "111"
    client.post(url("report-edit", world.startup, pk=draft.pk), {**data, "refresh": "on"})
    draft.refresh_from_db()
    assert draft.snapshot["kpis"][0]["value"] == "150"
    assert Activity.objects.filter(verb="report.updated", target_id=draft.pk).count() == 2


def test_changing_the_date_takes_the_figures_at_the_new_date(world, draft):
    earlier = draft.as_of - datetime.timedelta(days=14)
    services.report_update(
        report=draft, actor=world.people["intrapreneur"], as_of=earlier, title=draft.title,
    )
    draft.refresh_from_db()
    assert draft.snapshot["as_of"] == earlier.isoformat()
    assert draft.snapshot["kpis"][0]["value"] == "110"


def test_an_empty_edit_changes_nothing(world, draft):
    response = world.client_for("intrapreneur").post(url("report-edit", world.startup, pk=draft.pk))
    assert response.status_code == 200
    assert response.context["form"].instance == draft
    draft.refresh_from_db()
    assert draft.title == "Rapport de novembre"
    response = world.client_for("intrapreneur").post(
        url("report-edit", world.startup, pk=draft.pk), {"title": "Sans date"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["as_of"]


def test_a_draft_is_deleted_after_confirmation(world, draft):
    client = world.client_for("intrapreneur")
    response = client.get(url("report-delete", world.startup, pk=draft.pk))
    assert response.status_code == 200
    assertContains(response, "Rapport de novembre")
    response = client.post(url("report-delete", world.startup, pk=draft.pk))
    assert response.status_code == 302 and response["Location"] == url("report-list", world.startup)
    assert not SponsorReport.objects.exists()
    assert Activity.objects.filter(verb="report.deleted", target_label="Rapport de novembre")


# ---------------------------------------------------------------- send


def test_sending_emails_each_active_sponsor_once(world, draft, django_capture_on_commit_callbacks):
    second = MembershipFactory(startup=world.startup, role=Role.SPONSOR).user
    gone = MembershipFactory(startup=world.startup, role=Role.SPONSOR).user
    gone.is_active = False
    gone.save()
    client = world.client_for("intrapreneur")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report-send", world.startup, pk=draft.pk))
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.state == "sent" and draft.sent_by == world.people["intrapreneur"]
    assert draft.sent_at is not None
    sponsors = sorted([world.people["sponsor"].email, second.email])
    assert sorted(message.to[0] for message in mail.outbox) == sponsors
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == {
        f"sponsor-report:{draft.pk}:{user.pk}" for user in (world.people["sponsor"], second)
    }
    message = next(m for m in mail.outbox if m.to == [second.email])
    assert world.startup.name in message.subject and "Rapport de novembre" in message.subject
    assert "**Trois mairies** pilotes utilisent le service." in message.body
    assert "La convention n'est pas signée." in message.body
    assert "Un appui auprès du ministère." in message.body
    assert "111 mairies" in message.body  # a key figure
    assert f"/startups/{world.startup.slug}/governance/reports/{draft.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "<strong>Trois mairies</strong>" in html
    assert Activity.objects.filter(verb="report.sent", target_id=draft.pk).exists()

    # Sending again: refused, nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report-send", world.startup, pk=draft.pk))
    assert response.status_code == 302 and messages_of(response)
    assert len(mail.outbox) == 2 and OutboxMessage.objects.count() == 2


def test_the_draft_page_says_who_will_receive_it(world, draft):
    response = world.client_for("intrapreneur").get(draft.get_absolute_url())
    assert response.context["sponsor_count"] == 1
    assert soup(response).select_one("#report-send") is not None
    sponsor_page = world.client_for("sponsor").get(draft.get_absolute_url())
    assert soup(sponsor_page).select_one("#report-send") is None


def test_a_sent_report_never_changes(world, draft):
    services.report_send(report=draft, actor=world.people["intrapreneur"])
    client = world.client_for("intrapreneur")
    for name in ("report-edit", "report-delete"):
        response = client.get(url(name, world.startup, pk=draft.pk))
        assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
        assert messages_of(response)
        response = client.post(url(name, world.startup, pk=draft.pk), {
            "as_of": draft.as_of.isoformat(), "title": "Changé", "highlights": "Changé",
        })
        assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.title == "Rapport de novembre" and draft.highlights.startswith("**Trois")
    page = client.get(draft.get_absolute_url())
    assert soup(page).select_one("#report-send") is None
    assertNotContains(page, url("report-edit", world.startup, pk=draft.pk))
    for write in (services.report_send, services.report_delete):
        with pytest.raises(ValidationError):
            write(report=draft, actor=world.people["intrapreneur"])
    with pytest.raises(ValidationError):
        services.report_update(report=draft, actor=None, as_of=draft.as_of, title="Changé")


def test_a_sponsor_who_joins_later_reads_the_report_in_the_app(world, draft):
    services.report_send(report=draft, actor=world.people["intrapreneur"])
    newcomer = MembershipFactory(startup=world.startup, role=Role.SPONSOR).user
    client = world.client_for("intrapreneur")
    client.force_login(newcomer)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, "Rapport de novembre")
    assert not OutboxMessage.objects.filter(to=newcomer.email).exists()


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("role", READERS)
def test_every_reader_reads_the_list_and_the_frozen_report(world, draft, role):
    services.report_send(report=draft, actor=world.people["intrapreneur"])
    client = world.client_for(role)
    response = client.get(url("report-list", world.startup))
    assert response.status_code == 200
    assert listed(response) == ["Rapport de novembre"]
    assert soup(response).select_one("#report-table [data-state]")["data-state"] == "sent"
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert soup(response).select_one("#report-highlights strong").get_text() == "Trois mairies"
    assert "111" in soup(response).select_one("#kpi-table tbody").get_text()
    # The frozen dashboard has no live form nor links to change things.
    assert soup(response).select_one("#health-form") is None
    assert response.context["live"] is False


@pytest.mark.parametrize("name", ["report-list", "report-detail", "report-pdf"])
def test_outsiders_read_no_report(world, draft, name):
    kwargs = {} if name == "report-list" else {"pk": draft.pk}
    response = world.client_for("outsider").get(url(name, world.startup, **kwargs))
    assert response.status_code == 404


def test_a_report_of_another_startup_is_not_found(world, draft):
    other = SponsorReportFactory()
    response = world.client_for("intrapreneur").get(url("report-detail", world.startup,
                                                         pk=other.pk))
    assert response.status_code == 404


@pytest.mark.parametrize(("role", "status"), NOT_MANAGERS)
def test_only_the_intrapreneur_writes_reports(world, draft, role, status):
    client = world.client_for(role)
    data = {"as_of": timezone.localdate().isoformat(), "title": "Piraté", "highlights": "X"}
    assert client.get(url("report-create", world.startup)).status_code == status
    assert client.post(url("report-create", world.startup), data).status_code == status
    for name in ("report-edit", "report-delete"):
        assert client.get(url(name, world.startup, pk=draft.pk)).status_code == status
        assert client.post(url(name, world.startup, pk=draft.pk), data).status_code == status
    assert client.post(url("report-send", world.startup, pk=draft.pk)).status_code == status
    draft.refresh_from_db()
    assert (draft.state, draft.title) == ("draft", "Rapport de novembre")
    assert SponsorReport.objects.count() == 1 and not OutboxMessage.objects.exists()


def test_the_list_is_newest_first_with_filters_and_an_empty_state(world):
    client = world.client_for("sponsor")
    response = client.get(url("report-list", world.startup))
    assert soup(response).select_one(".fr-callout") is not None
    assert listed(response) == []
    for month in (8, 10, 9):
        SponsorReportFactory(startup=world.startup, as_of=datetime.date(2026, month, 28),
                             title=f"Rapport {month}", snapshot={})
    sent = SponsorReport.objects.get(title="Rapport 9")
    services.report_send(report=sent, actor=None, notify=False)
    assert listed(client.get(url("report-list", world.startup))) == [
        "Rapport 10", "Rapport 9", "Rapport 8"
    ]
    response = client.get(url("report-list", world.startup), {"state": "sent"},
                          headers={"HX-Request": "true"})
    assert listed(response) == ["Rapport 9"]
    assert "<html" not in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_a_report_without_figures_still_reads(world):
    report = SponsorReportFactory(startup=world.startup, snapshot={})
    response = world.client_for("sponsor").get(report.get_absolute_url())
    assert response.status_code == 200
    assert soup(response).select_one("#report-no-figures") is not None


def test_the_health_frozen_in_a_report_is_the_one_of_its_date(world, draft):
    HealthStatusFactory(startup=world.startup, status="off_track", reason="Changé après.")
    response = world.client_for("sponsor").get(draft.get_absolute_url())
    assert soup(response).select_one("#health-reason").get_text() == (
        "Trois mairies pilotes utilisent le service."
    )


# ---------------------------------------------------------------- the demo


def test_the_demo_writes_three_sent_reports_and_a_health_history(world):
    from governance import demo_reports
    from governance.models import HealthStatus

    people = {role: world.people[role] for role in ("intrapreneur", "team", "coach", "sponsor")}
    demo_reports.seed(startup=world.startup, people=people)
    today = timezone.localdate()
    statuses = list(HealthStatus.objects.for_startup(world.startup).order_by("created_at"))
    assert [s.status for s in statuses] == ["on_track", "at_risk", "on_track"]
    assert all(s.created_at.date() <= today for s in statuses)
    reports = list(SponsorReport.objects.for_startup(world.startup).order_by("as_of"))
    assert len(reports) == 3 and all(r.is_sent for r in reports)
    first_of_month = today.replace(day=1)
    assert reports[-1].as_of == first_of_month - datetime.timedelta(days=1)
    for report in reports:
        assert (report.as_of + datetime.timedelta(days=1)).day == 1  # the end of a month
        assert report.sent_at.date() > report.as_of or report.sent_at.date() == today
        assert report.highlights and report.risks and report.asks
    # Each report froze the health of its month: at risk while the convention waited.
    assert [r.snapshot["health"]["current"]["status"] for r in reports] == [
        "on_track", "at_risk", "on_track"
    ]
    assert not OutboxMessage.objects.exists()  # recorded as sent, no e-mail
    response = world.client_for("sponsor").get(reports[1].get_absolute_url())
    assertContains(response, "La convention avec le ministère n&#x27;est pas signée")
