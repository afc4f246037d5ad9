"""RGAA: every page, as every role that can open it, checked with axe-core in Chromium.

The pages come from the authorisation matrix (``tests/security/test_authorization_matrix.py``):
every URL name whose GET answers 200 to a role is opened as that role, in a world full of data
(lists with rows, tags, files, events, a phase history, Markdown in the product sheet) and,
for the list pages, also in an empty world (empty states). Then allauth's pages, the 403 and
404 pages and forms re-rendered with their errors.

Serious and critical violations fail; moderate and minor ones are listed at the end of the run
(``AXE_REPORT=path.json`` writes them).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from governance.models import InvestmentCommittee
from governance.services.committees import committee_snapshot_take
from governance.services.reports import report_create, report_send
from intrapreneur import services
from intrapreneur.calendars import calendar_feed_create
from intrapreneur.enums import EventKind, NotificationKind, Phase, Role
from investigations.enums import InsightStatus, InterviewKind
from products.enums import (
    FeedbackStatus,
    HypothesisStatus,
    ImpactLevel,
    PartnerStage,
    TestResult,
)
from tests.conftest import ROLES, World
from tests.e2e.conftest import axe_check, axe_violations_once, sign_in, sign_in_fast
from tests.governance.factories import (
    ActionItemFactory,
    CoachingSessionFactory,
    CommitteeConditionFactory,
    ExpenseFactory,
    FundingFactory,
    HealthStatusFactory,
    InteractionFactory,
    InvestmentCommitteeFactory,
    StaffingLineFactory,
    StakeholderFactory,
    StandardFactory,
)
from tests.intrapreneur.factories import (
    PASSWORD,
    CommentFactory,
    MembershipFactory,
    NotificationFactory,
    StartupFactory,
    UserFactory,
)
from tests.investigations.factories import (
    EvidenceFactory,
    InsightFactory,
    InterviewFactory,
    LaunchCommitteeFactory,
    ParticipantContactFactory,
    ParticipantFactory,
    ScenarioFactory,
)
from tests.products.factories import (
    ApiTokenFactory,
    FeedbackFactory,
    HypothesisFactory,
    IdeaFactory,
    IdeaVoteFactory,
    LearningFactory,
    MetricFactory,
    MetricValueFactory,
    PartnerFactory,
    ReleaseFactory,
    UserTestFactory,
)
from tests.security.test_authorization_matrix import (
    KWARGS,
    URLS,
    expected,
    named_patterns,
    png_1x1,
)

pytestmark = pytest.mark.e2e

# Answers that are not HTML pages: a file, JSON, an htmx fragment. Routes ending in a file
# extension (team/export.csv, export.md) are downloads too.
NOT_PAGES = {
    "attachment-download": "file download",
    "healthz": "JSON",
    "tag-autocomplete": "htmx fragment (checked inside the upload form's page)",
    "admin:index": "Django's admin: not our templates",
    "notification-count": "htmx fragment (the bell's badge, checked inside every header)",
}
ROUTES = named_patterns()
# Pages that list rows: also checked empty.
LIST_PAGES = {"home", "startup-overview", "startup-team", "activity-list", "tag-list",
              "attachment-list", "investigations:summary", "investigations:interview-list",
              "investigations:participant-list", "investigations:insight-list",
              "investigations:insight-board", "investigations:scenario-list",
              "investigations:committee-list", "products:feedback-list", "products:idea-list",
              "products:metric-list", "products:token-list", "public:stats", "public:landing",
              "products:home", "products:hypothesis-list", "products:test-list",
              "products:release-list", "products:learning-list", "products:partner-list",
              "products:partner-territories", "public:changelog",
              "governance:dashboard", "governance:home", "governance:budget",
              "governance:expense-list", "governance:committee-list",
              "governance:stakeholder-list", "governance:report-list", "portfolio:list",
              "governance:standard-list",
              "governance:coaching-list",
              "public:budget", "notification-list"}

# What a form re-rendered with its errors shows: a field's errors, or an alert for the form.
ERRORS = (
    "main :is(.errorlist, .fr-error-text, .fr-message--error, .fr-alert--error, "
    "[aria-invalid=true])"
)

MARKDOWN = """Les agents instruisent **400 dossiers** par mois, à la main.

- des pièces justificatives perdues ;
- des relances par courrier ;
- un délai moyen de *trois mois*.

Voir [l'étude d'impact](https://beta.gouv.fr/) et le `guide` interne.
"""


def fill(world: World, *, many_startups: bool = False) -> None:
    """Give the world what a startup has after a few months, written through the services.

    With ``many_startups``, everybody is also in 13 more startups (one archived): the home
    page paginates.
    """
    startup = world.startup
    intrapreneur = world.people["intrapreneur"]
    team = world.people["team"]
    services.startup_update(
        startup=startup, actor=intrapreneur, mission="Simplifier les aides aux agriculteurs.",
        context=MARKDOWN, problem=MARKDOWN, solution=MARKDOWN, objectives=MARKDOWN,
        website="https://example.gouv.fr/", repository="https://github.com/betagouv/exemple",
        contact="equipe@example.gouv.fr",
    )
    services.phase_change(
        startup=startup, phase=Phase.CONSTRUCTION, author=intrapreneur,
        reason="Comité d'investigation favorable.",
        date=timezone.localdate() - datetime.timedelta(days=3),
    )
    for kind, comment in (
        (EventKind.COMMITTEE, "Comité d'investigation"),
        (EventKind.PRODUCT_LAUNCH, "Ouverture aux premiers usagers"),
        (EventKind.FAST, "Financement FAST obtenu"),
    ):
        services.event_create(
            startup=startup, actor=intrapreneur, kind=kind, date=timezone.localdate(),
            comment=comment,
        )
    # A second intrapreneur, part-time: the overview warns about the share of the week.
    MembershipFactory(startup=startup, role=Role.INTRAPRENEUR, week_share=40)
    MembershipFactory(startup=startup, role=Role.TEAM, job_title="Chargée de déploiement")
    for name in ("entretien", "rapport", "comité", "usagers", "budget", "design"):
        services.tag_create(startup=startup, actor=team, name=name)
    for index, (tags, action) in enumerate(
        (
            (["rapport", "comité"], "view"),
            (["entretien", "usagers"], "view_research"),
            (["design"], "view"),
            ([], "view"),
            (["budget", "rapport"], "view"),
        )
    ):
        upload = SimpleUploadedFile(f"piece-{index}.png", png_1x1(), content_type="image/png")
        services.attachment_create(
            startup=startup, actor=team, upload=upload, name=f"Pièce {index}.png", tags=tags,
            required_action=action,
        )
    fill_investigation(world)
    fill_product(world)
    fill_governance(world)
    # Private calendar addresses: the profile shows an active one.
    for role in ("intrapreneur", "team", "sponsor"):
        calendar_feed_create(user=world.people[role])
    fill_notifications(world)
    if not many_startups:
        return
    for index in range(13):
        other = StartupFactory(
            incubator=startup.incubator, name=f"Service numérique {index}",
            phase=[Phase.INVESTIGATION, Phase.CONSTRUCTION, Phase.ACCELERATION][index % 3],
        )
        for role in (Role.SPONSOR, Role.COACH, Role.TEAM, Role.INTRAPRENEUR):
            MembershipFactory(startup=other, user=world.people[str(role)], role=role)
        if index == 0:
            services.startup_set_archived(startup=other, actor=intrapreneur, archived=True)


def fill_investigation(world: World) -> None:
    """Interviews with participants and tags, insights with evidence, a scenario, a committee."""
    startup = world.startup
    tags = list(startup.tags.all())
    participants = [ParticipantFactory(startup=startup) for _ in range(3)]
    ParticipantContactFactory(participant=participants[0])
    interviews = []
    for index, kind in enumerate(InterviewKind.values * 2):
        interview = InterviewFactory(
            startup=startup, kind=kind, participant=participants[index % 3], notes=MARKDOWN,
            date=timezone.localdate() - datetime.timedelta(days=3 * index),
        )
        interview.tags.set(tags[index % 3: index % 3 + 2])
        interview.interviewers.set([world.people["team"]])
        interviews.append(interview)
    for index, status in enumerate(InsightStatus.values):
        insight = InsightFactory(startup=startup, status=status)
        insight.tags.set(tags[index: index + 1])
        for interview in interviews[index: index + 3]:
            EvidenceFactory(insight=insight, interview=interview, quote="« On perd tout. »")
    ScenarioFactory(startup=startup).insights.set(startup.insights.all())
    LaunchCommitteeFactory(startup=startup, attendees=[world.people["intrapreneur"]])


def fill_product(world: World) -> None:
    """Feedback with tags and e-mails, ideas with votes, public and private metrics."""
    startup = world.startup
    tags = list(startup.tags.all())
    for index, status in enumerate(FeedbackStatus.values * 2):
        item = FeedbackFactory(
            startup=startup, status=status, author_email=f"usager{index}@example.fr",
            author_consents=True,
        )
        item.tags.set(tags[index % 3: index % 3 + 2])
    for index in range(4):
        idea = IdeaFactory(startup=startup, author=world.people["coach"])
        for voter in ("intrapreneur", "team", "sponsor")[: index]:
            IdeaVoteFactory(idea=idea, user=world.people[voter])
    for index, level in enumerate(ImpactLevel.values):
        metric = MetricFactory(
            startup=startup, impact_level=level, is_public=index % 2 == 0, target=100
        )
        for month in range(6):
            MetricValueFactory(
                metric=metric, value=10 * (month + index),
                date=timezone.localdate() - datetime.timedelta(days=30 * (6 - month)),
            )
    ApiTokenFactory(startup=startup)
    fill_build_learn(world)


def fill_build_learn(world: World) -> None:
    """Hypotheses in every status with tests over the weeks, releases answering feedback,
    learnings with their evidence, partners at every stage."""
    startup = world.startup
    today = timezone.localdate()
    feedback = list(startup.feedback.all()[:4])
    metric = startup.metrics.first()
    for index, status in enumerate(HypothesisStatus.values * 2):
        hypothesis = HypothesisFactory(
            startup=startup, status=status, priority=1 + index % 3, metric=metric,
            feedback=feedback[index % len(feedback)] if feedback else None,
        )
        for week in range(index % 3):
            UserTestFactory(
                startup=startup, hypothesis=hypothesis,
                date=today - datetime.timedelta(weeks=week + index % 4),
                result=TestResult.values[(index + week) % 3],
            )
    for index in range(4):
        ReleaseFactory(
            startup=startup, is_published=index < 3, notes=MARKDOWN,
            date=today - datetime.timedelta(weeks=index),
            published_at=timezone.now() if index < 3 else None,
            answers=feedback[index: index + 2],
        )
    tests = list(startup.user_tests.all()[:3])
    for index in range(3):
        learning = LearningFactory(startup=startup)
        learning.tests.set(tests[index:])
        learning.feedback.set(feedback[index:])
        if metric:
            learning.metrics.set([metric])
    for index, stage in enumerate(PartnerStage.values):
        PartnerFactory(
            startup=startup, stage=stage, territory=("Creuse", "Bretagne", "Lyon")[index % 3],
            next_step="Signer la convention",
            next_step_date=today + datetime.timedelta(days=7 * (index - 2)),
        )


def fill_governance(world: World) -> None:
    """A year of budget, a frozen committee with conditions and a planned one, stakeholders
    in every quadrant with interactions, a health status and a sent report."""
    startup, intrapreneur = world.startup, world.people["intrapreneur"]
    today = timezone.localdate()
    start = today.replace(day=1) - datetime.timedelta(days=300)
    FundingFactory(startup=startup, starts_on=start, ends_on=start + datetime.timedelta(400))
    FundingFactory(
        startup=startup, source="fast", tranche="Tranche 2",
        starts_on=today + datetime.timedelta(days=90),
    )
    for month in range(10):
        ExpenseFactory(
            startup=startup, date=start + datetime.timedelta(days=30 * month + 3),
            category=("hosting", "design", "tools", "communication")[month % 4],
        )
    ExpenseFactory(startup=startup, date=start, recurrence="monthly", category="hosting")
    StaffingLineFactory(startup=startup, starts_on=start)
    StaffingLineFactory(
        startup=startup, starts_on=start, ends_on=today - datetime.timedelta(days=20)
    )
    # Frozen, then decided (the world's startup is in investigation: no phase to move).
    decided = InvestmentCommitteeFactory(
        startup=startup, date=today - datetime.timedelta(days=60)
    )
    committee_snapshot_take(committee=decided, actor=intrapreneur)
    InvestmentCommittee.objects.filter(pk=decided.pk).update(
        decision="continue", decided_at=timezone.now(), decided_by=intrapreneur,
        amount_granted=200_000, duration_months=6,
        next_committee_on=today + datetime.timedelta(days=40),
    )
    for index in range(3):
        CommitteeConditionFactory(
            committee=decided, done_at=timezone.now() if index == 0 else None
        )
    InvestmentCommitteeFactory(startup=startup)
    for index, (interest, influence) in enumerate(
        [("high", "high"), ("low", "high"), ("high", "low"), ("low", "low")] * 2
    ):
        stakeholder = StakeholderFactory(
            startup=startup, interest=interest, influence=influence,
            kind=("person", "organisation")[index % 2],
        )
        for days in range(index % 3):
            InteractionFactory(
                stakeholder=stakeholder, date=today - datetime.timedelta(days=20 * days + 5),
                next_step="Envoyer le compte rendu",
                next_step_on=today + datetime.timedelta(days=7 * (days - 1)),
            )
    HealthStatusFactory(startup=startup, status="at_risk")
    # Standards: one late with its owner, one done, a homologation to renew, the rest empty.
    owner = startup.memberships.get(user=world.people["team"])
    StandardFactory(
        startup=startup, kind="accessibility", owner=owner, compliance="partial",
        audited_on=today - datetime.timedelta(days=90), due_on=today - datetime.timedelta(days=3),
        url="https://example.gouv.fr/accessibilite",
    )
    StandardFactory(startup=startup, kind="dsfr", status="done", owner=owner)
    StandardFactory(
        startup=startup, kind="security", status="done", owner=owner,
        homologated_on=today - datetime.timedelta(days=300),
        renewal_due_on=today + datetime.timedelta(days=400),
        url="https://monservice.securite.numerique.gouv.fr/",
    )
    report = report_create(
        startup=startup, actor=intrapreneur, as_of=today - datetime.timedelta(days=10),
        highlights=MARKDOWN, risks="- La convention se termine.", asks="Un appui.",
    )
    report_send(report=report, actor=intrapreneur, notify=False)
    report_create(startup=startup, actor=intrapreneur, as_of=today, highlights=MARKDOWN)
    # Coaching sessions over the topics, with action items open, late and done.
    for index, topic in enumerate(("product_management", "user_research", "growth", "other")):
        session = CoachingSessionFactory(
            startup=startup, topic=topic, notes=MARKDOWN,
            date=today - datetime.timedelta(days=14 * index),
            coach=world.people["coach"] if index % 2 else None,
        )
        for days in range(index % 3 + 1):
            ActionItemFactory(
                session=session, owner=world.people[("team", "intrapreneur")[days % 2]],
                due_on=today + datetime.timedelta(days=7 * (days - 1)),
                done_at=timezone.now() if days == 2 else None,
                done_by=intrapreneur if days == 2 else None,
            )


def fill_notifications(world: World) -> None:
    """Every kind of notification for each person, some read (more than a page for two)."""
    now = timezone.now()
    for role, person in world.people.items():
        if person is None:
            continue
        count = 23 if role in ("team", "coach") else len(NotificationKind.values)
        for index in range(count):
            kind = NotificationKind.values[index % len(NotificationKind.values)]
            NotificationFactory(
                recipient=person, startup=world.startup, kind=kind,
                actor=None if kind == "feedback" else world.people["intrapreneur"],
                label=f"Objet n° {index}", read_at=now if index % 3 == 0 else None,
                created_at=now - datetime.timedelta(hours=index),
            )


def roles_for(name: str) -> list[str]:
    """The roles whose GET of the URL answers 200, by the authorisation matrix."""
    return [role for role in ROLES if expected(name, role, "get", "")[0] == 200]


def is_a_page(name: str) -> bool:
    return name not in NOT_PAGES and not re.search(r"\.[a-z0-9]+$", ROUTES.get(name, ""))


# Pages swept in one test: the world is filled (and the database emptied) once per group
# rather than once per page, which was most of the sweep's time.
SWEEP_GROUP = 40
# A page is swept as the role that has the most controls on it, and as its least entitled
# reader when it has one: the sponsor's read-only dashboard, the citizen's public page.
BY_RIGHTS = ["intrapreneur", "team", "coach", "staff", "sponsor", "outsider", "anonymous"]
READERS = {"coach", "staff", "sponsor", "outsider", "anonymous"}


def swept_pages() -> list[str]:
    """The pages of the matrix some role may open."""
    return [name for name in URLS if is_a_page(name) and roles_for(name)]


def sweep_roles(name: str, data: str) -> list[str]:
    """The roles a page is swept as (an empty page: the one with the most controls)."""
    ranked = sorted(roles_for(name), key=BY_RIGHTS.index)
    if data == "full" and len(ranked) > 1 and ranked[-1] in READERS:
        return [ranked[0], ranked[-1]]
    return ranked[:1]


def page_cases() -> list:
    full = swept_pages()
    cases = []
    for data, names in (("full", full), ("empty", [n for n in full if n in LIST_PAGES])):
        for start in range(0, len(names), SWEEP_GROUP):
            group = names[start: start + SWEEP_GROUP]
            cases.append(pytest.param(data, group, id=f"{data}-{start // SWEEP_GROUP + 1}"))
    return cases


def test_every_page_is_swept():
    """Every page of the matrix is in one group, full, and the list pages empty too; as the
    role with the most controls, and the least entitled reader."""
    swept = [(case.values[0], name) for case in page_cases() for name in case.values[1]]
    assert len(swept) == len(set(swept))
    assert {name for data, name in swept if data == "full"} == set(swept_pages())
    assert {name for data, name in swept if data == "empty"} == LIST_PAGES
    assert sweep_roles("governance:dashboard", "full") == ["intrapreneur", "sponsor"]
    assert sweep_roles("public:landing", "full") == ["intrapreneur", "anonymous"]
    assert sweep_roles("portfolio:list", "full") == ["staff"]
    assert sweep_roles("governance:dashboard", "empty") == ["intrapreneur"]


@pytest.mark.parametrize(("data", "names"), page_cases())
def test_pages(page: Page, world: World, data: str, names: list[str]):
    """Each page as the roles of ``sweep_roles``, one browser session per role; axe and the
    keyboard check on each."""
    if data == "full":
        # Everybody is in 13 more startups: the home page and the portfolio paginate.
        fill(world, many_startups=True)
    allowed = {name: sweep_roles(name, data) for name in names}
    failures: list[str] = []
    checked: dict[int, str] = {}
    for role in ROLES:
        paths = [
            (name, reverse(name, kwargs=KWARGS[name](world)))
            for name in names if role in allowed[name]
        ]
        if not paths:
            continue
        page.context.clear_cookies()
        if world.people[role] is not None:
            sign_in_fast(page, world.people[role])
        for name, path in paths:
            response = page.goto(path)

            assert response.status == 200, f"GET {path} as {role}: {response.status}"
            assert response.headers["content-type"].startswith("text/html")
            failures += axe_violations_once(page, f"{name} as {role} ({data})", checked)
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


@pytest.mark.parametrize("name", ["home", "tag-list", "attachment-list", "activity-list"])
def test_list_filtered_live_to_nothing(page: Page, world: World, name: str):
    """The results swapped in by htmx, down to the empty state with its way back."""
    fill(world)
    sign_in_fast(page, world.people["team"])
    page.goto(reverse(name, kwargs=KWARGS[name](world)))

    # The list's own filter, not the startup's search box of the side menu.
    page.locator("main form:not(#startup-search)").get_by_role("searchbox").fill(
        "aucun-résultat-possible"
    )

    expect(page.locator("#list-results [role=status]")).to_contain_text("0 résultat")
    expect(page).to_have_url(re.compile(r"q=aucun"))
    axe_check(page, f"{name} filtered to nothing (htmx)")


@pytest.mark.parametrize("role", ["team", "sponsor"])
def test_search_results(page: Page, world: World, role: str):
    """The search across the startup with results in every kind the role may see, and with
    none."""
    fill(world)
    sign_in_fast(page, world.people[role])
    page.goto(reverse("startup-search", args=[world.startup.slug]) + "?q=mairie")
    expect(page.locator("#search-results section").first).to_be_visible()
    axe_check(page, f"search results as {role}")

    page.locator("#startup-search input[name=q]").fill("aucun-résultat-possible")
    page.locator("#startup-search button[type=submit]").click()
    expect(page.locator("#search-no-result")).to_be_visible()
    axe_check(page, f"search without result as {role}")


# ---------------------------------------------------------------- error pages


def test_403_page(page: Page, world: World, page_problems):
    page_problems.expect_status(403)
    sign_in_fast(page, world.people["sponsor"])

    response = page.goto(reverse("startup-edit", args=[world.startup.slug]))

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page, "403 as sponsor")


@pytest.mark.parametrize("path", ["/startups/{slug}/", "/cette-page-n-existe-pas/"])
def test_404_page(page: Page, world: World, page_problems, path):
    page_problems.expect_status(404)
    sign_in_fast(page, world.people["outsider"])

    response = page.goto(path.format(slug=world.startup.slug))

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page, "404 as outsider")


# ---------------------------------------------------------------- forms with their errors


def submit(page: Page) -> None:
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("startup-create", "outsider"),
        ("startup-edit", "intrapreneur"),
        ("startup-phase", "intrapreneur"),
        ("event-create", "intrapreneur"),
        ("member-edit", "intrapreneur"),
        ("attachment-create", "team"),
        ("tag-edit", "team"),
        ("governance:coaching-create", "coach"),
    ],
)
def test_form_with_errors(page: Page, world: World, name: str, role: str):
    path = reverse(name, kwargs=KWARGS[name](world))
    sign_in_fast(page, world.people[role])
    page.goto(path)
    for field in page.locator("main form[method=post] :is(input, textarea)").all():
        kind = field.get_attribute("type") or "text"
        if kind in {"text", "email", "url", "number", "date", "file"} or kind == "textarea":
            if kind != "file":
                field.fill("")
    if name == "member-edit":
        page.locator("input[name=week_share]").fill("250")

    submit(page)

    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.locator(ERRORS).first).to_be_visible()
    axe_check(page, f"{name} with errors as {role}")


def test_team_page_with_add_member_errors(page: Page, world: World):
    sign_in_fast(page, world.people["intrapreneur"])
    page.goto(reverse("startup-team", args=[world.startup.slug]))
    add_form = page.locator("form[action$='/team/add/']")
    add_form.locator("input[name=email]").fill("personne-inconnue@example.gouv.fr")

    add_form.locator("button[type=submit]").click()

    expect(page.locator(ERRORS).first).to_be_visible()
    axe_check(page, "team page, add member with errors")


def test_tag_list_with_create_errors(page: Page, world: World):
    services.tag_create(startup=world.startup, actor=world.people["team"], name="rapport")
    sign_in_fast(page, world.people["team"])
    page.goto(reverse("tag-list", args=[world.startup.slug]))
    page.locator("form[action$='/tags/new/'] input[name=name]").fill("Rapport")

    page.locator("form[action$='/tags/new/'] button[type=submit]").click()

    expect(page.locator(ERRORS).first).to_be_visible()
    axe_check(page, "tag create with errors")


def test_sign_in_with_a_wrong_password(page: Page, world: World):
    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(world.people["team"].email)
    page.locator("input[name=password]").fill("pas-le-bon-mot-de-passe")

    submit(page)

    expect(page.locator(ERRORS).first).to_be_visible()
    axe_check(page, "sign-in with errors")


# ---------------------------------------------------------------- allauth


@pytest.mark.parametrize(
    "name", ["account_login", "account_request_login_code", "account_reset_password"]
)
def test_allauth_page_signed_out(page: Page, db, name):
    page.goto(reverse(name))
    axe_check(page, name)


def test_allauth_login_code_confirmation(page: Page):
    user = UserFactory()
    page.goto(reverse("account_request_login_code"))
    page.locator("input[name=email]").fill(user.email)

    submit(page)

    expect(page).to_have_url(re.compile(re.escape(reverse("account_confirm_login_code"))))
    axe_check(page, "login code confirmation")
    page.locator("input[name=code]").fill("AAAA-BBBB")
    submit(page)
    expect(page.locator(ERRORS).first).to_be_visible()
    axe_check(page, "login code confirmation with errors")


@pytest.mark.parametrize(
    "name", ["account_change_password", "account_email", "mfa_index", "account_reauthenticate"]
)
def test_allauth_page_signed_in(page: Page, name):
    sign_in(page, UserFactory())

    response = page.goto(reverse(name))

    assert response.status == 200
    expect(page).to_have_url(re.compile(re.escape(reverse(name))))
    axe_check(page, name)


def test_allauth_totp_activation_after_reauthentication(page: Page):
    """Activating TOTP asks for the password again, then shows the QR code (a data: image)."""
    sign_in(page, UserFactory())
    page.goto(reverse("mfa_activate_totp"))
    expect(page).to_have_url(re.compile(re.escape(reverse("account_reauthenticate"))))
    page.locator("input[name=password]").fill(PASSWORD)

    submit(page)

    expect(page).to_have_url(re.compile(re.escape(reverse("mfa_activate_totp")) + "$"))
    expect(page.locator("main img").first).to_be_visible()
    axe_check(page, "mfa_activate_totp")
    page.locator("input[name=code]").fill("000000")
    submit(page)
    expect(page.locator(ERRORS).first).to_be_visible()
    axe_check(page, "mfa_activate_totp with errors")


def test_allauth_password_change_with_errors(page: Page):
    sign_in(page, UserFactory())
    page.goto(reverse("account_change_password"))
    page.locator("input[name=oldpassword]").fill("pas-le-bon")
    page.locator("input[name=password1]").fill("court")
    page.locator("input[name=password2]").fill("autre")

    submit(page)

    expect(page.locator(ERRORS).first).to_be_visible()
    axe_check(page, "password change with errors")


# ---------------------------------------------------------------- discussions and the bell

COMMENTABLE = {
    "investigations:insight-detail": InsightFactory,
    "investigations:committee-detail": LaunchCommitteeFactory,
    "products:hypothesis-detail": HypothesisFactory,
    "products:learning-detail": LearningFactory,
    "governance:committee-detail": InvestmentCommitteeFactory,
}


@pytest.mark.parametrize("name", COMMENTABLE)
def test_discussion(page: Page, world: World, name: str):
    """A discussion with threads, replies, Markdown, a deleted comment and one's own
    comments; then a comment published inline by htmx, and one refused."""
    target = COMMENTABLE[name](startup=world.startup)
    coach, team = world.people["coach"], world.people["team"]
    for index in range(3):
        thread = CommentFactory(target=target, author=coach, body=MARKDOWN)
        for author in (team, world.people["intrapreneur"])[: index + 1]:
            CommentFactory(target=target, parent=thread, author=author,
                           body=f"Réponse **{index}** de @{coach.email.split('@')[0]}")
    CommentFactory(target=target, author=team, body="", deleted_at=timezone.now())
    path = target.get_absolute_url()
    sign_in_fast(page, team)
    page.goto(path)
    page.locator("#comments details summary").first.click()
    axe_check(page, f"{name}: the discussion as team")

    page.locator("#comments > form textarea[name=body]").fill("Un avis **publié** en direct")
    page.locator("#comments > form button[type=submit]").click()

    new = page.locator("#comments article").filter(has_text="Un avis publié en direct")
    expect(new).to_be_focused()
    expect(page.locator("#comments-title")).to_contain_text("9 commentaires")
    expect(page.locator("#messages")).to_contain_text("Votre commentaire est publié.")
    page.locator("#comments > form button[type=submit]").click()
    expect(page.locator(
        "#comments :is(.fr-error-text, .fr-message--error, [aria-invalid=true])"
    ).first).to_be_visible()
    axe_check(page, f"{name}: the discussion with an error (htmx)")


def test_the_bell_shows_the_unread_count(page: Page, world: World):
    fill_notifications(world)
    sign_in_fast(page, world.people["team"])
    page.goto(reverse("home"))

    expect(page.locator("#notification-count")).to_contain_text("15")  # 23, a third read
    axe_check(page, "the header with the bell's count")
    page.locator("#notification-count").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("notification-list")) + "$"))
    page.locator("#list-results form button[type=submit]").first.click()
    expect(page.locator("#notification-count")).to_contain_text("14")
    expect(page.locator("#unread-summary")).to_contain_text("14 notifications non lues")
    axe_check(page, "notifications after marking one as read (htmx)")


def test_public_stats_with_their_tables_opened(page: Page):
    # Two years of daily values; the sweep sees the tables closed, here they are open.
    startup = StartupFactory(is_public=True)
    metric = MetricFactory(startup=startup, key="visites", name="Visites", unit="visites",
                           impact_level="utilise", is_public=True)
    first = datetime.date(2024, 1, 1)
    for n in range(0, 731, 7):
        MetricValueFactory(metric=metric, date=first + datetime.timedelta(days=n), value=n)
    page.goto(reverse("public:stats", kwargs={"slug": startup.slug}))
    page.locator("#metric-visites details.stats-table summary").click()

    expect(page.locator("#metric-visites .stats-table tbody tr")).to_have_count(24)
    axe_check(page, "public stats, a table opened")
