import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains

from governance.enums import ReportState
from governance.models import (
    ActionItem,
    CoachingSession,
    CommitteeCondition,
    Expense,
    Funding,
    HealthStatus,
    Interaction,
    InvestmentCommittee,
    SponsorReport,
    StaffingLine,
    Stakeholder,
)
from governance.services.budget import budget_summary
from intrapreneur.dates import week_start
from intrapreneur.enums import Phase, Role
from intrapreneur.management.commands.seed_demo import DEMO_PASSWORD
from intrapreneur.models import (
    Activity,
    Event,
    Incubator,
    Membership,
    PhaseChange,
    Startup,
    Tag,
    User,
)
from investigations.enums import InsightStatus, InterviewKind
from investigations.models import (
    Evidence,
    Insight,
    Interview,
    LaunchCommittee,
    Participant,
    ParticipantContact,
    Scenario,
)
from products.enums import FeedbackStatus
from products.models import (
    ApiToken,
    Feedback,
    Hypothesis,
    Idea,
    IdeaVote,
    Learning,
    Metric,
    MetricValue,
    Partner,
    Release,
    UserTest,
)

DEMO_EMAILS = {
    "intrapreneur": "intrapreneur@demo.intrapreneur.fr",
    "team": "equipe@demo.intrapreneur.fr",
    "coach": "coach@demo.intrapreneur.fr",
    "sponsor": "sponsor@demo.intrapreneur.fr",
    "staff": "staff@demo.intrapreneur.fr",
    "admin": "admin@demo.intrapreneur.fr",
}
COUNTED = (
    Startup, Membership, PhaseChange, Event, Activity, Tag, User, Incubator,
    Participant, ParticipantContact, Interview, Insight, Evidence, Scenario, LaunchCommittee,
    Feedback, Idea, IdeaVote, Metric, MetricValue, ApiToken,
    Hypothesis, UserTest, Release, Learning, Partner,
    Funding, Expense, StaffingLine, InvestmentCommittee, CommitteeCondition, Stakeholder,
    Interaction, HealthStatus, SponsorReport, CoachingSession, ActionItem,
)


@pytest.mark.django_db
def test_the_public_startup_gets_the_products_demo():
    seed()
    startup = Startup.objects.get(is_public=True)
    assert Feedback.objects.for_startup(startup).count() == 400
    assert Idea.objects.for_startup(startup).count() == 30
    assert Metric.objects.for_startup(startup).filter(is_public=True).count() >= 6
    assert MetricValue.objects.filter(metric__startup=startup).count() > 8 * 12
    assert not Feedback.objects.exclude(startup=startup).exists()


@pytest.mark.django_db
def test_the_public_startup_gets_the_build_learn_loop(client):
    seed()
    startup = Startup.objects.get(is_public=True)
    assert Hypothesis.objects.for_startup(startup).count() == 15
    assert Learning.objects.for_startup(startup).count() == 8
    assert Partner.objects.for_startup(startup).count() == 10
    releases = Release.objects.for_startup(startup)
    assert releases.count() == 20
    assert releases.published().filter(answers__isnull=False).distinct().count() >= 15
    assert not Feedback.objects.filter(releases__is_published=True).exclude(
        status=FeedbackStatus.DONE
    ).exists()
    # Six months of weekly tests, with a gap or two.
    today = timezone.localdate()
    tested = {
        week_start(date) for date in UserTest.objects.for_startup(startup).filter(
            date__gt=today - datetime.timedelta(weeks=26)
        ).values_list("date", flat=True)
    }
    assert 20 <= len(tested) < 26
    # The coach reads the product home with all of it.
    client.force_login(User.objects.get(email=DEMO_EMAILS["coach"]))
    home = client.get(f"/startups/{startup.slug}/product/")
    assert home.status_code == 200
    assert home.context["cadence"].streak >= 1
    assert home.context["partner_count"] == 10
    assert sum(count for _status, _label, count in home.context["hypotheses"]) == 15


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def roles_of(email: str) -> dict[str, str]:
    return dict(
        Membership.objects.filter(user__email=email).values_list("startup__slug", "role")
    )


@pytest.mark.django_db
def test_the_public_startup_gets_its_governance(client):
    seed()
    startup = Startup.objects.get(is_public=True)
    summary = budget_summary(startup, today=timezone.localdate())
    assert summary.granted > summary.spent > 0
    assert summary.runway_month is not None  # the next committee has something to decide
    committees = InvestmentCommittee.objects.for_startup(startup)
    assert committees.decided().count() == 2
    assert all(c.snapshot and c.snapshot_at for c in committees.decided())
    assert committees.planned().count() == 1
    assert startup.phase == Phase.ACCELERATION
    stakeholders = Stakeholder.objects.for_startup(startup)
    assert stakeholders.count() == 10
    assert not stakeholders.filter(interactions__isnull=True).exists()
    reports = SponsorReport.objects.for_startup(startup)
    assert reports.filter(state=ReportState.SENT).count() == 3
    assert HealthStatus.objects.latest_for(startup) is not None
    # The coach reads the dashboard with all of it.
    client.force_login(User.objects.get(email=DEMO_EMAILS["coach"]))
    dashboard = client.get(f"/startups/{startup.slug}/dashboard/")
    assert dashboard.status_code == 200
    assertContains(dashboard, startup.name)


@pytest.mark.django_db
def test_the_public_startup_gets_its_coaching_log(client):
    seed()
    startup = Startup.objects.get(is_public=True)
    coach = User.objects.get(email=DEMO_EMAILS["coach"])
    sessions = CoachingSession.objects.for_startup(startup)
    assert sessions.count() == 4
    assert set(sessions.values_list("coach", flat=True)) == {coach.pk}
    items = ActionItem.objects.for_startup(startup)
    assert items.open().count() == 3 and items.filter(done_at__isnull=False).count() == 3
    client.force_login(coach)
    page = client.get(f"/startups/{startup.slug}/governance/coaching/")
    assertContains(page, "Prioriser le parcours de dépôt")
    assertContains(page, "3 actions ouvertes")


@pytest.mark.django_db
def test_refuses_when_debug_is_off_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Startup.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_runs_without_force_when_debug_is_on(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert Startup.objects.count() == 3


@pytest.mark.django_db
def test_seeds_three_startups_with_a_consistent_history():
    seed()
    startups = list(Startup.objects.all())
    assert len(startups) == 3
    assert {s.phase for s in startups} == {
        Phase.INVESTIGATION, Phase.CONSTRUCTION, Phase.ACCELERATION
    }
    for startup in startups:
        latest = startup.phase_changes.order_by("-date", "-created_at").first()
        assert latest is not None and latest.phase == startup.phase
        first = startup.phase_changes.order_by("date", "created_at").first()
        assert first.phase == Phase.INVESTIGATION
        assert startup.mission and startup.context and startup.problem
        assert startup.solution and startup.objectives and startup.sponsor_organisation
        assert startup.tags.count() >= 3
        assert startup.events.exists()
        assert Activity.objects.for_startup(startup).exists()
        assert startup.memberships.filter(role=Role.TEAM).count() >= 2
        assert startup.incubator.slug == "dinum"
    assert [s.slug for s in startups if s.is_public] == ["accueil-accessible"]

    accelerated = Startup.objects.get(phase=Phase.ACCELERATION)
    assert list(accelerated.phase_changes.order_by("date").values_list("phase", flat=True)) == [
        Phase.INVESTIGATION, Phase.CONSTRUCTION, Phase.ACCELERATION
    ]
    kinds = set(accelerated.events.values_list("kind", flat=True))
    assert {"committee", "product_launch", "national_impact"} <= kinds
    # The activity is backdated along the history, not all stamped at the time of the run.
    times = Activity.objects.for_startup(accelerated).values_list("created_at", flat=True)
    assert (max(times) - min(times)).days > 365


@pytest.mark.django_db
def test_demo_people_hold_their_roles():
    output = seed()
    all_three = {"accueil-accessible", "signal-logement", "concessio"}
    assert roles_of(DEMO_EMAILS["intrapreneur"]) == dict.fromkeys(all_three, Role.INTRAPRENEUR)
    assert roles_of(DEMO_EMAILS["team"]) == {
        "accueil-accessible": Role.TEAM, "signal-logement": Role.TEAM
    }
    assert roles_of(DEMO_EMAILS["coach"]) == dict.fromkeys(all_three, Role.COACH)
    assert roles_of(DEMO_EMAILS["sponsor"]) == {
        "signal-logement": Role.SPONSOR, "concessio": Role.SPONSOR
    }
    shares = sorted(
        Membership.objects.filter(user__email=DEMO_EMAILS["intrapreneur"]).values_list(
            "week_share", flat=True
        )
    )
    assert shares == [50, 80, 80]
    assert Membership.objects.get(
        user__email=DEMO_EMAILS["team"], startup__slug="signal-logement"
    ).job_title == "Développeuse"

    staff = User.objects.get(email=DEMO_EMAILS["staff"])
    assert staff.is_staff and not staff.is_superuser
    assert staff.incubators.filter(slug="dinum").exists()
    assert not staff.memberships.exists()
    admin = User.objects.get(email=DEMO_EMAILS["admin"])
    assert admin.is_superuser and admin.is_staff

    for email in DEMO_EMAILS.values():
        user = User.objects.get(email=email)
        assert user.first_name and user.last_name
        assert user.check_password(DEMO_PASSWORD)
        assert email in output
    assert DEMO_PASSWORD in output
    assert "http://127.0.0.1:8000/accounts/login/" in output
    others = User.objects.exclude(email__in=DEMO_EMAILS.values())
    assert others.exists()
    assert not any(user.has_usable_password() for user in others)


@pytest.mark.django_db
def test_second_run_changes_nothing():
    first = seed()
    before = counts()
    phases = dict(Startup.objects.values_list("slug", "phase"))
    second = seed()
    assert counts() == before
    assert dict(Startup.objects.values_list("slug", "phase")) == phases
    assert "déjà présentes" in second
    for email in DEMO_EMAILS.values():
        assert email in first and email in second


@pytest.mark.django_db
def test_demo_intrapreneur_signs_in_and_sees_the_three_startups(client):
    seed()
    response = client.post(
        "/accounts/login/",
        {"login": DEMO_EMAILS["intrapreneur"], "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    response = client.get("/")
    for name in ("Accueil Accessible", "Signal Logement", "Concessio"):
        assertContains(response, name)


@pytest.mark.django_db
def test_overviews_render_and_warn_about_the_part_time_intrapreneur(client):
    seed()
    client.force_login(User.objects.get(email=DEMO_EMAILS["intrapreneur"]))
    for slug in ("accueil-accessible", "signal-logement", "concessio"):
        response = client.get(f"/startups/{slug}/")
        assert response.status_code == 200
        warned = [str(m.user) for m in response.context["low_share"]]
        assert warned == (["Claire Martin"] if slug == "concessio" else [])


@pytest.mark.django_db
def test_the_startup_in_investigation_has_its_research():
    seed()
    startup = Startup.objects.get(slug="concessio")
    assert startup.phase == Phase.INVESTIGATION
    today = timezone.localdate()

    interviews = Interview.objects.for_startup(startup)
    assert interviews.count() == 30
    assert set(interviews.values_list("kind", flat=True)) == set(InterviewKind.values)
    dates = list(interviews.values_list("date", flat=True))
    assert min(dates) >= today - datetime.timedelta(weeks=8) and max(dates) <= today
    assert len({d.isocalendar()[:2] for d in dates}) >= 8
    members = set(startup.memberships.values_list("user_id", flat=True))
    for interview in interviews.prefetch_related("interviewers", "tags"):
        assert interview.notes and interview.place
        assert interview.interviewers.exists()
        assert {u.pk for u in interview.interviewers.all()} <= members
        assert interview.tags.exists()
        assert timezone.localtime(interview.created_at).date() == interview.date  # backdated
    # The restitution of the 18 first interviews, 30 days ago, holds.
    assert interviews.filter(date__lt=today - datetime.timedelta(days=30)).count() == 18

    participants = Participant.objects.for_startup(startup)
    assert participants.count() == 12
    assert [p.number for p in participants] == list(range(1, 13))
    assert len(set(participants.values_list("usertype", flat=True))) >= 4
    assert all(p.profile and p.territory for p in participants)
    contacts = ParticipantContact.objects.filter(participant__startup=startup)
    assert 0 < contacts.count() < 12
    assert all(c.consent_date and c.retention_until for c in contacts)

    insights = Insight.objects.for_startup(startup).with_strength()
    assert insights.count() == 10
    assert {i.status for i in insights} == set(InsightStatus.values)
    assert all(i.strength >= 1 for i in insights)
    evidence = Evidence.objects.filter(insight__startup=startup)
    assert evidence.count() >= 20
    assert not evidence.exclude(interview__startup=startup).exists()
    assert all(e.quote for e in evidence)

    assert Scenario.objects.for_startup(startup).count() == 2
    assert all(s.insights.exists() for s in Scenario.objects.for_startup(startup))

    committee = LaunchCommittee.objects.get(startup=startup)
    assert committee.decision == ""
    assert committee.date > today
    assert committee.problem == startup.problem
    assert committee.attendees.count() >= 3
    assert startup.target_interviews == 30
    verbs = set(Activity.objects.for_startup(startup).values_list("verb", flat=True))
    assert {"interview.created", "insight.created", "committee.prepared"} <= verbs
    # The other startups have no research.
    assert not Interview.objects.exclude(startup=startup).exists()


@pytest.mark.django_db
def test_investigation_pages_of_the_demo_render(client):
    seed()
    client.force_login(User.objects.get(email=DEMO_EMAILS["sponsor"]))
    summary = client.get("/startups/concessio/investigation/")
    assert summary.status_code == 200
    assert summary.context["interview_count"] == 30
    assert summary.context["readiness"].ready
    committee = LaunchCommittee.objects.get(startup__slug="concessio")
    dossier = client.get(f"/startups/concessio/investigation/launch-committee/{committee.pk}/")
    assert dossier.status_code == 200
    assert len(dossier.context["insights"]) == 5
    for quote in Evidence.objects.values_list("quote", flat=True):
        assert escape(quote) not in summary.content.decode()
        assert escape(quote) not in dossier.content.decode()
