import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from intrapreneur.enums import Role
from intrapreneur.models import Startup
from investigations.enums import InsightStatus, InterviewKind
from investigations.services.committee import interviews_per_week
from tests.intrapreneur.factories import MembershipFactory, StartupFactory, UserFactory
from tests.investigations.factories import (
    EvidenceFactory,
    InsightFactory,
    InterviewFactory,
    LaunchCommitteeFactory,
    ParticipantFactory,
    ScenarioFactory,
)

pytestmark = pytest.mark.django_db


def summary_url(startup):
    return reverse("investigations:summary", kwargs={"slug": startup.slug})


def monday(weeks_ago=0):
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday(), weeks=weeks_ago)


def readiness_item(html, key):
    """The data-done value of a checklist item."""
    marker = f'data-readiness="{key}" data-done="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)] == "true"


def section(html, title_id):
    return html.split(f'id="{title_id}"')[1].split("</section>")[0]


@pytest.mark.parametrize("role", ["intrapreneur", "team", "coach", "sponsor", "staff"])
def test_every_member_with_view_reads_the_summary(world, role):
    response = world.client_for(role).get(summary_url(world.startup))
    assert response.status_code == 200
    assertContains(response, "<h1", count=1)
    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert title.endswith(f"— {world.startup.name} — Intrapreneur")


def test_outsider_gets_404(world):
    assert world.client_for("outsider").get(summary_url(world.startup)).status_code == 404


def test_counts_by_kind_and_progress_against_the_target(world):
    startup = world.startup
    Startup.objects.filter(pk=startup.pk).update(target_interviews=8)
    for kind, n in ((InterviewKind.USER, 3), (InterviewKind.EXPERT, 1),
                    (InterviewKind.OBSERVATION, 2)):
        for _ in range(n):
            InterviewFactory(startup=startup, kind=kind)
    InterviewFactory(startup=StartupFactory(), kind=InterviewKind.WORKSHOP)
    response = world.client_for("sponsor").get(summary_url(startup))
    by_kind = {kind: count for kind, _label, count in response.context["by_kind"]}
    assert by_kind == {"user": 3, "expert": 1, "observation": 2, "workshop": 0}
    assert response.context["interview_count"] == 6
    assert response.context["target"] == 8
    assert response.context["progress"] == 75
    assertContains(response, 'value="75"')
    table = section(response.content.decode(), "interviews-by-kind")
    assert '<tr data-kind="user"><th scope="row">' in table
    assert "<td>3</td>" in table and "<td>6</td>" in table


def test_interviews_per_iso_week_over_the_last_twelve_weeks(world):
    startup = world.startup
    for weeks_ago, days, n in ((0, 0, 2), (1, 3, 1), (11, 6, 4), (12, 0, 5)):
        for _ in range(n):
            InterviewFactory(
                startup=startup, date=monday(weeks_ago) + datetime.timedelta(days=days)
            )
    weeks = interviews_per_week(startup, today=timezone.localdate())
    assert len(weeks) == 12
    assert weeks[0].monday == monday(11) and weeks[-1].monday == monday(0)
    counts = {w.monday: w.count for w in weeks}
    assert counts[monday(0)] == 2
    assert counts[monday(1)] == 1
    assert counts[monday(11)] == 4
    assert sum(counts.values()) == 7  # the interviews of 12 weeks ago are out
    assert weeks[-1].number == monday(0).isocalendar().week

    response = world.client_for("sponsor").get(summary_url(startup))
    html = response.content.decode()
    table = section(html, "interviews-per-week")
    assert table.count("<tr data-week=") == 12
    assertContains(response, "<caption>", count=2)
    row = table.split(f'data-week="{monday(11):%Y-%m-%d}"')[1].split("</tr>")[0]
    assert "<td>4</td>" in row
    assert 'max="4" value="4"' in row


def test_sponsor_reads_counts_and_statements_but_no_research(world):
    startup = world.startup
    participant = ParticipantFactory(startup=startup, profile="PROFIL-CONFIDENTIEL")
    interview = InterviewFactory(
        startup=startup, participant=participant, notes="NOTES-CONFIDENTIELLES"
    )
    insight = InsightFactory(startup=startup, statement="Les registres sont incomplets",
                             status=InsightStatus.CONFIRMED)
    EvidenceFactory(insight=insight, interview=interview, quote="CITATION-CONFIDENTIELLE")
    sponsor = world.client_for("sponsor").get(summary_url(startup))
    html = sponsor.content.decode()
    main = html.split('id="content"')[1]
    assert sponsor.context["participant_count"] is None
    assertContains(sponsor, "Les registres sont incomplets")
    for secret in ("NOTES-CONFIDENTIELLES", "CITATION-CONFIDENTIELLE", "PROFIL-CONFIDENTIEL"):
        assert secret not in html
    progress = section(main, "progress-title")
    assert "/interviews/" not in progress and "/participants/" not in progress
    assert "P-0" not in html

    coach = world.client_for("coach").get(summary_url(startup))
    progress = section(coach.content.decode(), "progress-title")
    assert reverse("investigations:interview-list", kwargs={"slug": startup.slug}) in progress
    assert reverse("investigations:participant-list", kwargs={"slug": startup.slug}) in progress
    assert reverse("investigations:interview-create", kwargs={"slug": startup.slug}) not in progress
    assert coach.context["participant_count"] == 1
    for secret in ("NOTES-CONFIDENTIELLES", "CITATION-CONFIDENTIELLE"):
        assertNotContains(coach, secret)
    team = world.client_for("team").get(summary_url(startup))
    progress = section(team.content.decode(), "progress-title")
    assert reverse("investigations:interview-create", kwargs={"slug": startup.slug}) in progress


def test_top_insights_by_strength_without_refuted_ones(world):
    startup = world.startup
    strong = InsightFactory(startup=startup, statement="Constat fort")
    for _ in range(3):
        EvidenceFactory(insight=strong, interview=InterviewFactory(startup=startup))
    weak = InsightFactory(startup=startup, statement="Constat faible", confirmed=True)
    EvidenceFactory(insight=weak, interview=InterviewFactory(startup=startup))
    InsightFactory(startup=startup, statement="Constat réfuté", refuted=True)
    response = world.client_for("sponsor").get(summary_url(startup))
    assert [(i.statement, i.strength) for i in response.context["insights"]] == [
        ("Constat fort", 3), ("Constat faible", 1)
    ]
    assertNotContains(response, "Constat réfuté")


def test_empty_investigation_shows_empty_states_and_an_unready_checklist(world):
    response = world.client_for("team").get(summary_url(world.startup))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["interview_count"] == 0
    assert all(w.count == 0 for w in response.context["weeks"])
    assert "fr-callout" in section(html, "insights-title")
    assert not response.context["readiness"].ready
    for key in ("problem", "target", "insight", "scenario"):
        assert readiness_item(html, key) is False


def test_each_checklist_item_flips_when_its_condition_is_met(world):
    startup = world.startup
    Startup.objects.filter(pk=startup.pk).update(target_interviews=2)
    client = world.client_for("intrapreneur")

    def done():
        html = client.get(summary_url(startup)).content.decode()
        return {k: readiness_item(html, k) for k in ("problem", "target", "insight", "scenario")}

    assert done() == dict.fromkeys(("problem", "target", "insight", "scenario"), False)

    Startup.objects.filter(pk=startup.pk).update(problem="Les échéances passent inaperçues.")
    assert done() == {"problem": True, "target": False, "insight": False, "scenario": False}

    InterviewFactory(startup=startup)
    assert done()["target"] is False
    InterviewFactory(startup=startup)
    assert done() == {"problem": True, "target": True, "insight": False, "scenario": False}

    insight = InsightFactory(startup=startup)
    InsightFactory(startup=StartupFactory(), confirmed=True)  # another startup's
    assert done()["insight"] is False
    insight.status = InsightStatus.CONFIRMED
    insight.save()
    assert done() == {"problem": True, "target": True, "insight": True, "scenario": False}

    ScenarioFactory(startup=StartupFactory())
    assert done()["scenario"] is False
    ScenarioFactory(startup=startup)
    assert done() == dict.fromkeys(("problem", "target", "insight", "scenario"), True)
    response = client.get(summary_url(startup))
    assert response.context["readiness"].ready
    assertContains(response, "fr-alert--success")


def test_checklist_links_to_where_to_act_by_rights(world):
    slug = world.startup.slug
    intra = world.client_for("intrapreneur").get(summary_url(world.startup)).content.decode()
    checklist = section(intra, "readiness-title")
    assert reverse("startup-edit", kwargs={"slug": slug}) in checklist
    assert reverse("investigations:interview-create", kwargs={"slug": slug}) in checklist
    assert reverse("investigations:insight-list", kwargs={"slug": slug}) in checklist
    assert reverse("investigations:scenario-create", kwargs={"slug": slug}) in checklist

    sponsor = world.client_for("sponsor").get(summary_url(world.startup)).content.decode()
    checklist = section(sponsor, "readiness-title")
    assert reverse("startup-edit", kwargs={"slug": slug}) not in checklist
    assert reverse("startup-overview", kwargs={"slug": slug}) in checklist
    assert "/interviews/" not in checklist
    assert reverse("investigations:scenario-list", kwargs={"slug": slug}) in checklist


def test_latest_launch_committee_is_shown(world):
    LaunchCommitteeFactory(startup=world.startup, date=timezone.localdate().replace(day=1))
    latest = LaunchCommitteeFactory(startup=world.startup, date=timezone.localdate())
    response = world.client_for("sponsor").get(summary_url(world.startup))
    assert response.context["committee"] == latest
    assertContains(
        response,
        reverse("investigations:committee-detail",
                kwargs={"slug": world.startup.slug, "pk": latest.pk}),
    )


def test_staff_of_another_incubator_gets_404():
    startup = StartupFactory()
    MembershipFactory(startup=startup, role=Role.INTRAPRENEUR)
    from tests.conftest import GuardedClient

    client = GuardedClient()
    client.force_login(UserFactory(staff=True))
    assert client.get(summary_url(startup)).status_code == 404


# ---------------------------------------------------------------- query counts


def fill(startup, size):
    """`size` rows of everything, each insight backed by more interviews as size grows."""
    kinds = list(InterviewKind.values)
    for i in range(size):
        participant = ParticipantFactory(startup=startup)
        InterviewFactory(
            startup=startup, participant=participant, kind=kinds[i % len(kinds)],
            date=timezone.localdate() - datetime.timedelta(days=3 * i),
        )
        insight = InsightFactory(startup=startup, confirmed=bool(i % 2))
        for _ in range(1 + size // 10):
            EvidenceFactory(insight=insight, interview=InterviewFactory(startup=startup))
        ScenarioFactory(startup=startup)
        LaunchCommitteeFactory(startup=startup, date=timezone.localdate() - datetime.timedelta(i))


# session, user, startup, membership; kinds, weeks, participants (research only), insights,
# confirmed insight, scenario, latest committee.
SUMMARY_QUERIES = {"intrapreneur": 11, "sponsor": 10}


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("role", SUMMARY_QUERIES)
def test_summary_query_count(world, django_assert_num_queries, role, size):
    fill(world.startup, size)
    client = world.client_for(role)
    with django_assert_num_queries(SUMMARY_QUERIES[role]):
        response = client.get(summary_url(world.startup))
    assert response.status_code == 200
    assert response.context["interview_count"] == size * (2 + size // 10)
