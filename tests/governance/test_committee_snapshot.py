"""The dossier's figures: what the app knows of the six months before a committee, the KPIs
and the budget at its date; live until frozen, then never changed again."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from governance.models import InvestmentCommittee
from governance.services import committees as services
from intrapreneur.enums import Phase
from intrapreneur.models import PhaseChange, Startup
from products.models import MetricValue
from tests.governance.factories import ExpenseFactory, FundingFactory, InvestmentCommitteeFactory
from tests.products.factories import (
    LearningFactory,
    MetricFactory,
    MetricValueFactory,
    ReleaseFactory,
    UserTestFactory,
)

pytestmark = pytest.mark.django_db


def days(n, base=None):
    return (base or timezone.localdate()) + datetime.timedelta(days=n)


def build(startup):
    Startup.objects.filter(pk=startup.pk).update(phase=Phase.CONSTRUCTION)
    PhaseChange.objects.filter(startup=startup).update(phase=Phase.CONSTRUCTION)
    startup.phase = Phase.CONSTRUCTION
    return startup


def kpi_value(response, key):
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return page.select_one(f'#committee-kpis tr[data-kpi="{key}"] .kpi-value strong').get_text()


def frozen_flag(response):
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return page.select_one("#figures-status")["data-frozen"]


@pytest.fixture
def history(world):
    """A committee that met ten days ago, with what happened before it, in its window and
    after it."""
    startup = build(world.startup)
    date = days(-10)
    tests = [
        UserTestFactory(startup=startup, date=days(-3, date), result="validates", users_count=5),
        UserTestFactory(startup=startup, date=days(-5, date), result="validates", users_count=4),
        UserTestFactory(startup=startup, date=days(-60, date), result="invalidates",
                        users_count=6),
        UserTestFactory(startup=startup, date=days(-90, date), result="", users_count=0),
    ]
    UserTestFactory(startup=startup, date=days(-200, date), result="validates")  # too old
    UserTestFactory(startup=startup, date=days(2, date), result="validates")  # after
    ReleaseFactory(startup=startup, version="2.1", date=days(-7, date), is_published=True)
    ReleaseFactory(startup=startup, version="2.0", date=days(-100, date), is_published=True)
    ReleaseFactory(startup=startup, version="2.2-brouillon", date=days(-2, date))
    ReleaseFactory(startup=startup, version="3.0", date=days(3, date), is_published=True)
    LearningFactory(startup=startup, date=days(-20, date), learned="Les mairies déclarent le soir.",
                    changes="Le formulaire passe sur mobile.")
    LearningFactory(startup=startup, date=days(-250, date), learned="Trop ancien.")
    metric = MetricFactory(startup=startup, key="demarches", unit="démarches", target=200)
    MetricValueFactory(metric=metric, date=days(-40, date), value=Decimal("1000"))
    MetricValueFactory(metric=metric, date=days(-5, date), value=Decimal("1234.5"))
    MetricValueFactory(metric=metric, date=days(5, date), value=Decimal("1500"))
    FundingFactory(startup=startup, amount=Decimal("120000.00"), starts_on=days(-150, date),
                   ends_on=days(200, date))
    ExpenseFactory(startup=startup, date=days(-30, date), amount=Decimal("2500.00"))
    ExpenseFactory(startup=startup, date=days(3, date), amount=Decimal("900.00"))
    committee = InvestmentCommitteeFactory(startup=startup, date=date)
    return {"startup": startup, "committee": committee, "metric": metric, "tests": tests}


def test_the_dossier_collects_the_six_months_before_the_committee(history):
    committee = history["committee"]
    data = services.dossier_collect(history["startup"], as_of=committee.date)
    assert data["as_of"] == committee.date.isoformat()
    assert data["since"] == services.dossier_since(committee.date).isoformat()
    assert data["tests"] == {
        "count": 4,
        "users_met": 15,
        "weeks": len({t.date - datetime.timedelta(days=t.date.weekday())
                      for t in history["tests"]}),
        "results": {"validates": 2, "invalidates": 1, "inconclusive": 0, "": 1},
    }
    assert [r["version"] for r in data["releases"]] == ["2.1", "2.0"]
    assert [item["learned"] for item in data["learnings"]] == ["Les mairies déclarent le soir."]
    assert data["learnings"][0]["changes"] == "Le formulaire passe sur mobile."
    [kpi] = data["kpis"]
    assert (kpi["key"], kpi["value"], kpi["previous"], kpi["trend"]) == (
        "demarches", "1234.5", "1000", "up"
    )
    assert kpi["date"] == days(-5, committee.date).isoformat()
    budget = data["budget"]
    assert (budget["granted"], budget["spent"]) == ("120000.00", "2500.00")
    assert budget["committed"] == "900.00"  # the expense dated after the committee
    assert budget["remaining"] == "116600.00"
    assert budget["has_data"] is True


def test_live_figures_until_frozen_then_frozen_for_good(history, world):
    committee, metric = history["committee"], history["metric"]
    client = world.client_for("sponsor")
    response = client.get(committee.get_absolute_url())
    assert frozen_flag(response) == "false"
    assert kpi_value(response, "demarches") == "1\xa0234,5"
    # Live: a corrected value shows at once.
    MetricValue.objects.filter(metric=metric, value=Decimal("1234.5")).update(
        value=Decimal("1300")
    )
    assert kpi_value(client.get(committee.get_absolute_url()), "demarches") == "1\xa0300"

    team = world.client_for("team")
    snapshot = reverse(
        "governance:committee-snapshot", kwargs={"slug": committee.startup.slug, "pk": committee.pk}
    )
    assert team.post(snapshot).status_code == 302
    committee.refresh_from_db()
    frozen = committee.snapshot
    # Frozen: a value changed afterwards leaves the dossier as it was.
    MetricValue.objects.filter(metric=metric, value=Decimal("1300")).update(
        value=Decimal("9999")
    )
    response = client.get(committee.get_absolute_url())
    assert frozen_flag(response) == "true"
    assert kpi_value(response, "demarches") == "1\xa0300"
    committee.refresh_from_db()
    assert committee.snapshot == frozen

    # Refreshed before the decision: collected again.
    assert team.post(snapshot).status_code == 302
    assert kpi_value(client.get(committee.get_absolute_url()), "demarches") == "9\xa0999"


def test_the_decision_freezes_a_dossier_nobody_froze(history, world):
    committee, metric = history["committee"], history["metric"]
    services.committee_decide(
        committee=committee, actor=world.people["intrapreneur"], decision="continue"
    )
    committee.refresh_from_db()
    assert committee.snapshot_at is not None
    assert committee.snapshot["kpis"][0]["value"] == "1234.5"
    taken = (committee.snapshot_at, committee.snapshot)
    MetricValue.objects.filter(metric=metric).update(value=Decimal("1"))
    response = world.client_for("coach").get(committee.get_absolute_url())
    assert kpi_value(response, "demarches") == "1\xa0234,5"
    # Never changed after the decision: the refresh is refused with a message.
    team = world.client_for("team")
    snapshot = reverse(
        "governance:committee-snapshot", kwargs={"slug": committee.startup.slug, "pk": committee.pk}
    )
    response = team.post(snapshot, follow=True)
    assert response.redirect_chain[-1][0].startswith(committee.get_absolute_url())
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    committee.refresh_from_db()
    assert (committee.snapshot_at, committee.snapshot) == taken
    with pytest.raises(services.ValidationError):
        services.committee_snapshot_take(committee=committee, actor=world.people["team"])


def test_a_snapshot_taken_before_the_decision_is_the_one_kept(history, world):
    committee, metric = history["committee"], history["metric"]
    services.committee_snapshot_take(committee=committee, actor=world.people["team"])
    committee.refresh_from_db()
    taken = (committee.snapshot_at, committee.snapshot)
    MetricValue.objects.filter(metric=metric).update(value=Decimal("7"))
    services.committee_decide(
        committee=committee, actor=world.people["intrapreneur"], decision="continue"
    )
    committee.refresh_from_db()
    assert (committee.snapshot_at, committee.snapshot) == taken


def test_the_snapshot_is_plain_json(history):
    committee = history["committee"]
    committee.snapshot = services.dossier_collect(history["startup"], as_of=committee.date)
    committee.snapshot_at = timezone.now()
    committee.save()
    stored = InvestmentCommittee.objects.values_list("snapshot", flat=True).get(pk=committee.pk)
    figures = services.dossier_figures(stored, frozen=True)
    assert figures.budget.granted == Decimal("120000.00")
    assert figures.kpis[0].value == Decimal("1234.5")
    assert figures.releases[0].version == "2.1"
    assert [(r.result, r.count) for r in figures.results] == [
        ("validates", 2), ("invalidates", 1), ("inconclusive", 0), ("", 1),
    ]


def test_a_committee_to_come_sees_the_budget_of_today(world):
    """The figures are those of the committee's date, but money not yet spent is not
    counted as spent: the budget of a committee to come is today's."""
    startup = world.startup
    today = timezone.localdate()
    FundingFactory(startup=startup, amount=Decimal("50000.00"), starts_on=days(-60),
                   ends_on=days(300))
    ExpenseFactory(startup=startup, date=days(-10), amount=Decimal("1000.00"))
    ExpenseFactory(startup=startup, date=days(10), amount=Decimal("4000.00"))
    committee = InvestmentCommitteeFactory(startup=startup, date=days(20))
    data = services.dossier_collect(startup, as_of=committee.date)
    assert data["as_of"] == committee.date.isoformat()
    assert data["budget"]["as_of"] == today.isoformat()
    assert (data["budget"]["spent"], data["budget"]["committed"]) == ("1000.00", "4000.00")
    page = BeautifulSoup(
        world.client_for("team").get(committee.get_absolute_url()).content.decode(),
        "html.parser",
    )
    caption = page.select_one("#committee-budget caption").get_text()
    assert date_format(today, "j F Y") in caption
    assert date_format(committee.date, "j F Y") not in caption


def test_moving_the_committee_lets_go_of_figures_frozen_at_the_old_date(history, world):
    committee = history["committee"]
    services.committee_snapshot_take(committee=committee, actor=world.people["team"])
    committee.refresh_from_db()
    assert committee.snapshot_at is not None
    dossier = {
        "period_start": committee.period_start, "period_end": committee.period_end,
        "team_requested": committee.team_requested,
        "envelope_requested": committee.envelope_requested, "hypotheses": [],
        "problem": committee.problem, "strategy": committee.strategy,
        "success_criteria": committee.success_criteria,
    }

    # Same date: the snapshot stays.
    services.committee_update(
        committee=committee, actor=world.people["team"], date=committee.date, **dossier
    )
    committee.refresh_from_db()
    assert committee.snapshot_at is not None

    # Another date: the figures frozen for the old one go, the decision takes new ones.
    services.committee_update(
        committee=committee, actor=world.people["team"], date=days(-2), **dossier
    )
    committee.refresh_from_db()
    assert (committee.snapshot, committee.snapshot_at) == ({}, None)
    services.committee_decide(
        committee=committee, actor=world.people["intrapreneur"], decision="continue"
    )
    committee.refresh_from_db()
    assert committee.snapshot["as_of"] == days(-2).isoformat()
