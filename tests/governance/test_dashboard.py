"""The sponsor's dashboard: one screen with the phase, the health, the impact KPIs, the
cadences, the feedback counts, the budget, the next committee, the top insights and latest
learnings — as each role sees it — and the governance home."""

import datetime
import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from governance.services.dashboard import dashboard_data, dashboard_display
from intrapreneur.models import Activity, PhaseChange
from tests.governance.factories import (
    CommitteeConditionFactory,
    ExpenseFactory,
    FundingFactory,
    HealthStatusFactory,
    InteractionFactory,
    InvestmentCommitteeFactory,
    SponsorReportFactory,
    StaffingLineFactory,
    StakeholderFactory,
)
from tests.investigations.factories import EvidenceFactory, InsightFactory
from tests.products.factories import (
    FeedbackFactory,
    LearningFactory,
    MetricFactory,
    MetricValueFactory,
    ReleaseFactory,
    UserTestFactory,
)

pytestmark = pytest.mark.django_db

VIEWERS = ["intrapreneur", "team", "coach", "sponsor", "staff"]
FEEDBACK_TEXT = "La secrétaire de mairie de Boussac ne trouve pas le formulaire"


def url(name, startup, **kwargs):
    return reverse(f"governance:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response, selector):
    found = soup(response).select_one(selector)
    assert found is not None, f"{selector} not in the page"
    return " ".join(found.get_text(" ").split())


def fill(startup, size: int = 1, *, today=None) -> dict:
    """A startup with ``size`` times the data of each block of the dashboard (each row with
    its related data), dated before ``today``."""
    today = today or timezone.localdate()
    day = datetime.timedelta(days=1)
    people = {}
    PhaseChange.objects.filter(startup=startup).update(date=today - 400 * day)
    for n in range(size):
        PhaseChange.objects.create(
            startup=startup, phase="construction", date=today - (300 - n) * day,
            reason=f"Comité d'investigation n° {n} : go.",
        )
    for n in range(size):
        metric = MetricFactory(
            startup=startup, name=f"Mairies actives {n}", unit="mairies", target=Decimal(200)
        )
        for week in range(12):
            MetricValueFactory(
                metric=metric, date=today - (12 - week) * 7 * day, value=Decimal(100 + week)
            )
    for n in range(3 * size):
        UserTestFactory(startup=startup, date=today - (7 * (n % 12)) * day)
        ReleaseFactory(
            startup=startup, date=today - (7 * (n % 12) + 1) * day, is_published=True,
            published_at=timezone.now(),
        )
    for n in range(5 * size):
        FeedbackFactory(
            startup=startup, date=today - (n * 11 % 170) * day,
            status="done" if n % 2 else "new", text=f"{FEEDBACK_TEXT} ({n}).",
        )
    for _n in range(size):
        FundingFactory(startup=startup, amount=Decimal("120000.00"),
                       starts_on=today - 200 * day, ends_on=today + 165 * day)
        ExpenseFactory(startup=startup, amount=Decimal("1500.00"), date=today - 20 * day)
        StaffingLineFactory(startup=startup, days_per_month=Decimal(10),
                            daily_rate=Decimal("500.00"), starts_on=today - 200 * day,
                            ends_on=today + 165 * day)
    for n in range(size):
        insight = InsightFactory(startup=startup, confirmed=True,
                                 statement=f"Les agents d'accueil manquent de repères ({n})")
        for _e in range(2):
            EvidenceFactory(insight=insight)
        LearningFactory(startup=startup, date=today - (n + 2) * day,
                        learned=f"Les mairies rurales remplissent le questionnaire le soir ({n}).")
        HealthStatusFactory(startup=startup, status="at_risk",
                            reason=f"La convention tarde à être signée ({n}).")
    decided = InvestmentCommitteeFactory(
        startup=startup, date=today - 60 * day, decision="continue",
        decided_at=timezone.now(), next_committee_on=today + 120 * day,
    )
    for n in range(size):
        CommitteeConditionFactory(committee=decided, text=f"Signer la convention ({n})",
                                  due_on=today + (10 - 20 * n) * day)
    planned = InvestmentCommitteeFactory(startup=startup, date=today + 45 * day)
    latest = HealthStatusFactory(startup=startup, status="on_track",
                                 reason="Trois mairies pilotes utilisent le service.")
    people["planned"] = planned
    people["health"] = latest
    return people


@pytest.fixture
def filled(world):
    return fill(world.startup)


# ---------------------------------------------------------------- the page, role by role


@pytest.mark.parametrize("role", VIEWERS)
def test_everyone_who_may_view_reads_the_whole_dashboard(world, filled, role):
    response = world.client_for(role).get(url("dashboard", world.startup))
    assert response.status_code == 200
    # Health, who set it.
    assert text_of(response, "#health-reason") == "Trois mairies pilotes utilisent le service."
    assert soup(response).select_one("#health-status")["data-status"] == "on_track"
    # Phase and its timeline.
    assert soup(response).select_one("#current-phase")["data-phase"] == "construction"
    assert "Comité d'investigation n° 0 : go." in text_of(response, "#phase-timeline")
    # KPIs: the last value and its trend in words.
    row = text_of(response, "#kpi-table tbody tr")
    assert "Mairies actives 0" in row and "111" in row and "200" in row
    assert soup(response).select_one("#kpi-table [data-trend]")["data-trend"] == "up"
    # Budget: spent and granted, the French way.
    assert "120 000,00" in text_of(response, "#budget-used").replace("\xa0", " ")
    assert text_of(response, "#budget-runway")
    # The next committee is the planned one.
    planned = filled["planned"]
    assert soup(response).select_one("#next-committee")["data-date"] == planned.date.isoformat()
    assert "Signer la convention (0)" in text_of(response, "#open-conditions")
    # Cadences, insights and learnings.
    assert soup(response).select_one("#dashboard-tests-table") is not None
    assert soup(response).select_one("#release-total")["data-total"] == "3"
    assert "Les agents d'accueil manquent de repères (0)" in text_of(response, "#top-insights")
    assert "le soir (0)" in text_of(response, "#latest-learnings")
    # Feedback: counts only, never a text.
    answered = soup(response).select_one("#feedback-answered")
    assert (answered["data-answered"], answered["data-total"]) == ("2", "5")
    assertNotContains(response, FEEDBACK_TEXT)


def test_outsiders_do_not_learn_that_the_dashboard_exists(world, filled):
    assert world.client_for("outsider").get(url("dashboard", world.startup)).status_code == 404
    response = world.client_for("anonymous").get(url("dashboard", world.startup))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_the_intrapreneur_gets_the_health_form(world, filled):
    for role in VIEWERS:
        response = world.client_for(role).get(url("dashboard", world.startup))
        has_form = soup(response).select_one("#health-form") is not None
        assert has_form is (role == "intrapreneur"), role


def test_an_empty_startup_shows_empty_states(world):
    response = world.client_for("sponsor").get(url("dashboard", world.startup))
    assert response.status_code == 200
    for selector in ("#health-status-none", "#kpis-none", "#budget-none",
                     "#next-committee-none", "#open-conditions-none", "#top-insights-none",
                     "#latest-learnings-none"):
        assert soup(response).select_one(selector) is not None, selector


def test_the_dashboard_writes_nothing(world, filled):
    activities = Activity.objects.count()
    world.client_for("intrapreneur").get(url("dashboard", world.startup))
    assert Activity.objects.count() == activities


# ---------------------------------------------------------------- the data


def test_the_data_is_plain_json_and_renders_the_same_once_frozen(world, filled):
    data = dashboard_data(world.startup, today=timezone.localdate())
    frozen = json.loads(json.dumps(data))  # no encoder needed: strings, numbers, lists
    assert frozen == data
    assert dashboard_display(frozen)["kpis"][0]["value"] == "111"
    assert frozen["budget"]["granted"] == "120000.00"


def test_the_feedback_counts_leave_merged_duplicates_out_of_the_share(world):
    today = timezone.localdate()
    original = FeedbackFactory(startup=world.startup, date=today, status="done")
    FeedbackFactory(startup=world.startup, date=today, status="new")
    FeedbackFactory(startup=world.startup, date=today, merged_into=original, status="new")
    FeedbackFactory(startup=world.startup, date=today - datetime.timedelta(days=40))
    FeedbackFactory(startup=world.startup, date=today + datetime.timedelta(days=1))  # after
    feedback = dashboard_data(world.startup, today=today)["feedback"]
    assert (feedback["answered"], feedback["total"]) == (1, 3)
    # Received: the duplicate too; the item 40 days ago is in the 30 days before.
    assert (feedback["last_days"], feedback["days_before"]) == (3, 1)
    assert feedback["months"][-1][0] == today.replace(day=1).isoformat()
    assert len(feedback["months"]) == 6
    assert sum(count for _month, count in feedback["months"]) == 4
    assert dashboard_display({"feedback": feedback})["feedback"]["answered_percent"] == 33


def test_the_data_as_of_a_past_date_ignores_what_came_after(world, filled):
    today = timezone.localdate()
    past = today - datetime.timedelta(days=30)
    metric = MetricFactory(startup=world.startup, name="Demandes traitées")
    MetricValueFactory(metric=metric, date=past - datetime.timedelta(days=7), value=10)
    MetricValueFactory(metric=metric, date=past, value=12)
    MetricValueFactory(metric=metric, date=today, value=99)
    data = dashboard_data(world.startup, today=past)
    kpi = next(row for row in data["kpis"] if row["name"] == "Demandes traitées")
    assert (kpi["value"], kpi["previous"], kpi["trend"]) == ("12", "10", "up")
    # The health statuses set today are not yet there.
    assert data["health"]["current"] is None
    assert data["as_of"] == past.isoformat()


def test_the_next_committee_is_the_date_the_last_decision_set_when_none_is_planned(world):
    today = timezone.localdate()
    InvestmentCommitteeFactory(
        startup=world.startup, date=today - datetime.timedelta(days=10), decision="continue",
        decided_at=timezone.now(), next_committee_on=today + datetime.timedelta(days=90),
    )
    response = world.client_for("sponsor").get(url("dashboard", world.startup))
    assert soup(response).select_one("#next-committee")["data-date"] == (
        today + datetime.timedelta(days=90)
    ).isoformat()


def test_an_overdue_condition_says_so_in_words(world):
    today = timezone.localdate()
    committee = InvestmentCommitteeFactory(
        startup=world.startup, date=today - datetime.timedelta(days=60), decision="continue",
        decided_at=timezone.now(),
    )
    CommitteeConditionFactory(committee=committee, text="Recruter une designer",
                              due_on=today - datetime.timedelta(days=1))
    CommitteeConditionFactory(committee=committee, text="Déjà fait", done_at=timezone.now())
    response = world.client_for("sponsor").get(url("dashboard", world.startup))
    conditions = soup(response).select("#open-conditions li")
    assert len(conditions) == 1
    assert "Recruter une designer" in conditions[0].get_text()
    assert conditions[0].select_one(".fr-badge--error") is not None


# ---------------------------------------------------------------- the governance home


@pytest.mark.parametrize("role", VIEWERS)
def test_the_governance_home_counts_and_links(world, role):
    startup = world.startup
    FundingFactory(startup=startup)
    ExpenseFactory.create_batch(2, startup=startup)
    InteractionFactory(stakeholder=StakeholderFactory(startup=startup))
    InvestmentCommitteeFactory(startup=startup)
    SponsorReportFactory(startup=startup)
    HealthStatusFactory(startup=startup, reason="Tout avance comme prévu.")
    response = world.client_for(role).get(url("home", startup))
    assert response.status_code == 200
    assert response.context["counts"] == {
        "fundings": 1, "expenses": 2, "staffing": 0, "committees": 1,
        "committees_planned": 1, "stakeholders": 1, "interactions": 1, "reports": 1,
        "reports_sent": 0,
    }
    assertContains(response, "Tout avance comme prévu.")
    for name in ("budget", "committee-list", "stakeholder-list", "report-list", "dashboard"):
        assertContains(response, f'href="{url(name, startup)}"')


def test_the_governance_home_is_hidden_from_outsiders(world):
    assert world.client_for("outsider").get(url("home", world.startup)).status_code == 404
