"""Exact query counts of the dashboard, the governance home and the report pages: the same
with ten times more data (tests, releases, metrics and their values, feedback, fundings,
expenses and staffing, phases, insights with evidence, learnings, health statuses,
committee conditions; reports)."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.services import reports as services
from tests.governance.factories import SponsorReportFactory
from tests.governance.test_dashboard import fill

pytestmark = pytest.mark.django_db

SIZES = [1, 10]
# session, user, startup (incubator), membership; phase changes; health statuses (authors);
# metrics, their values; user tests per week; releases per week; the feedback counts; the
# budget's fundings, expenses, staffing lines; the next committee; the open conditions
# (committees); top insights; latest learnings.
DASHBOARD_QUERIES = 18


def url(name, startup, **kwargs):
    return reverse(f"governance:{name}", kwargs={"slug": startup.slug, **kwargs})


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    path = url("dashboard", world.startup)
    for role in ("intrapreneur", "sponsor"):
        client = world.client_for(role)
        started = time.perf_counter()
        with django_assert_num_queries(DASHBOARD_QUERIES):
            response = client.get(path)
        elapsed = time.perf_counter() - started
        assert len(response.context["dash"]["kpis"]) == size
        assert len(response.context["dash"]["conditions"]) == size
    print(f"\ndashboard at {size}×: {elapsed * 1000:.0f} ms")
    # Incubator staff: one more, their incubator's staff list.
    staff = world.client_for("staff")
    with django_assert_num_queries(DASHBOARD_QUERIES + 1):
        staff.get(path)


@pytest.mark.parametrize("size", SIZES)
def test_governance_home_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    SponsorReportFactory.create_batch(size, startup=world.startup)
    # session, user, startup, membership; the counts; the current health; the next
    # committee.
    team = world.client_for("team")
    with django_assert_num_queries(7):
        response = team.get(url("home", world.startup))
    assert response.context["counts"]["reports"] == size


@pytest.mark.parametrize("size", [3, 30])
def test_report_list_query_count(world, django_assert_num_queries, size):
    author = world.people["intrapreneur"]
    for n in range(size):
        report = SponsorReportFactory(startup=world.startup, author=author, snapshot={})
        if n % 2:
            services.report_send(report=report, actor=author, notify=False)
    client = world.client_for("sponsor")
    path = url("report-list", world.startup)
    # session, user, startup, membership; the count; the page's reports (authors, senders).
    with django_assert_num_queries(6):
        response = client.get(path)
    assert len(response.context["page_obj"].object_list) == min(size, 20)
    with django_assert_num_queries(6):
        response = client.get(path, {"state": "sent", "q": "Rapport", "sort": "title"},
                              headers={"HX-Request": "true"})
    assert response.context["page_obj"].paginator.count == size // 2


@pytest.mark.parametrize("size", SIZES)
def test_report_detail_query_count(world, django_assert_num_queries, size):
    fill(world.startup, size)
    author = world.people["intrapreneur"]
    report = services.report_create(
        startup=world.startup, actor=author, as_of=timezone.localdate(), title="Rapport",
        highlights="Des **faits**.",
    )
    intrapreneur, sponsor = world.client_for("intrapreneur"), world.client_for("sponsor")
    # session, user, startup, membership; the report (author, sender); the sponsors to
    # e-mail (a draft, for the intrapreneur who may send it).
    with django_assert_num_queries(6):
        response = intrapreneur.get(report.get_absolute_url())
    assert len(response.context["dash"]["kpis"]) == size
    services.report_send(report=report, actor=author, notify=False)
    # Sent, or read by a sponsor: the report only.
    with django_assert_num_queries(5):
        intrapreneur.get(report.get_absolute_url())
    with django_assert_num_queries(5):
        sponsor.get(report.get_absolute_url())
