import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.enums import EventKind, LaunchDecision, Phase, Role
from intrapreneur.models import Activity, Event, PhaseChange, Startup
from investigations.models import LaunchCommittee
from investigations.services.committee import (
    launch_committee_create,
    launch_committee_decide,
    launch_committee_update,
)
from tests.intrapreneur.factories import (
    MembershipFactory,
    StartupFactory,
    UserFactory,
    comment_threads,
)
from tests.investigations.factories import (
    EvidenceFactory,
    InsightFactory,
    InterviewFactory,
    LaunchCommitteeFactory,
    ParticipantFactory,
    ScenarioFactory,
)

pytestmark = pytest.mark.django_db


def url(name, startup, **kwargs):
    return reverse(f"investigations:{name}", kwargs={"slug": startup.slug, **kwargs})


def past(days):
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def committee(world):
    return LaunchCommitteeFactory(
        startup=world.startup, date=past(1),
        attendees=[world.people["intrapreneur"], world.people["sponsor"]],
    )


# ---------------------------------------------------------------- rights

# role -> expected GET status of list, create, detail, edit, decide.
GET_STATUS = {
    "intrapreneur": (200, 200, 200, 200, 200),
    "team": (200, 200, 200, 200, 403),
    "coach": (200, 403, 200, 403, 403),
    "sponsor": (200, 403, 200, 403, 403),
    "staff": (200, 403, 200, 403, 403),
    "outsider": (404, 404, 404, 404, 404),
}


@pytest.mark.parametrize("role", GET_STATUS)
def test_each_role_gets_what_the_rights_table_says(world, committee, role):
    client = world.client_for(role)
    pages = [
        url("committee-list", world.startup),
        url("committee-create", world.startup),
        url("committee-detail", world.startup, pk=committee.pk),
        url("committee-edit", world.startup, pk=committee.pk),
        url("committee-decide", world.startup, pk=committee.pk),
    ]
    assert tuple(client.get(page).status_code for page in pages) == GET_STATUS[role]


def test_anonymous_is_sent_to_sign_in(world, committee):
    response = world.client_for("anonymous").get(url("committee-list", world.startup))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_committee_of_another_startup_is_not_found(world):
    other = LaunchCommitteeFactory(startup=StartupFactory())
    client = world.client_for("intrapreneur")
    for name in ("committee-detail", "committee-edit", "committee-decide"):
        assert client.get(url(name, world.startup, pk=other.pk)).status_code == 404


# ---------------------------------------------------------------- list


def test_list_shows_committees_newest_first_with_their_decision(world):
    LaunchCommitteeFactory(startup=world.startup, date=past(200), decision=LaunchDecision.POSTPONED)
    LaunchCommitteeFactory(startup=world.startup, date=past(10))
    LaunchCommitteeFactory(startup=StartupFactory(), date=past(5))
    response = world.client_for("sponsor").get(url("committee-list", world.startup))
    assert response.status_code == 200
    dates = [c.date for c in response.context["page_obj"].object_list]
    assert dates == [past(10), past(200)]
    assertContains(response, "fr-badge--warning")  # postponed
    # A sponsor neither prepares nor decides.
    assertNotContains(response, url("committee-create", world.startup))
    assertNotContains(response, "/decide/")


def test_list_offers_preparation_to_the_team_and_decision_to_the_intrapreneur(world, committee):
    team = world.client_for("team").get(url("committee-list", world.startup))
    assertContains(team, url("committee-create", world.startup))
    assertContains(team, url("committee-edit", world.startup, pk=committee.pk))
    assertNotContains(team, url("committee-decide", world.startup, pk=committee.pk))
    intra = world.client_for("intrapreneur").get(url("committee-list", world.startup))
    assertContains(intra, url("committee-decide", world.startup, pk=committee.pk))


def test_list_empty_state(world):
    response = world.client_for("team").get(url("committee-list", world.startup))
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assertContains(response, "fr-callout")


def test_list_filters_by_decision_with_htmx_and_plain_get(world):
    LaunchCommitteeFactory(startup=world.startup, date=past(100), decision=LaunchDecision.NO_GO)
    pending = LaunchCommitteeFactory(startup=world.startup, date=past(3))
    client = world.client_for("coach")
    path = url("committee-list", world.startup)
    response = client.get(path, {"decision": "pending"}, headers={"HX-Request": "true"})
    assert [c.pk for c in response.context["page_obj"].object_list] == [pending.pk]
    assertNotContains(response, "<html")
    assert "HX-Request" in response["Vary"]
    whole = client.get(path, {"decision": "no_go"})
    assertContains(whole, "<html")
    assert [c.decision for c in whole.context["page_obj"].object_list] == ["no_go"]
    oldest_first = client.get(path, {"sort": "-date"})
    assert [c.date for c in oldest_first.context["page_obj"].object_list] == [past(100), past(3)]


def test_list_paginates(world):
    for i in range(23):
        LaunchCommitteeFactory(startup=world.startup, date=past(i))
    client = world.client_for("team")
    first = client.get(url("committee-list", world.startup))
    assert len(first.context["page_obj"].object_list) == 20
    second = client.get(url("committee-list", world.startup), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 3


# ---------------------------------------------------------------- create and edit


def test_create_form_starts_from_the_product_sheet_problem_and_lists_members(world):
    Startup.objects.filter(pk=world.startup.pk).update(problem="Les registres sont sur papier.")
    response = world.client_for("team").get(url("committee-create", world.startup))
    assert response.status_code == 200
    assertContains(response, "Les registres sont sur papier.")
    form = response.context["form"]
    members = {world.people[r] for r in ("intrapreneur", "team", "coach", "sponsor")}
    assert set(form.fields["attendees"].queryset) == members
    assertContains(response, 'type="checkbox"', count=4)
    assert response.context["title"]
    assertContains(response, "<title>")


def test_team_prepares_a_committee(world):
    intra, sponsor = world.people["intrapreneur"], world.people["sponsor"]
    client = world.client_for("team")
    response = client.post(
        url("committee-create", world.startup),
        {
            "date": past(-10).isoformat(),
            "attendees": [intra.pk, sponsor.pk],
            "outside_attendees": "Jeanne Dupont, DGCL\n\n  Paul Martin, incubateur  ",
            "problem": "Les échéances ne sont pas suivies.",
            "first_six_months": "Numériser trois registres.",
        },
    )
    committee = LaunchCommittee.objects.get(startup=world.startup)
    assertRedirects(response, url("committee-detail", world.startup, pk=committee.pk))
    assert set(committee.attendees.all()) == {intra, sponsor}
    assert committee.outside_attendees == "Jeanne Dupont, DGCL\nPaul Martin, incubateur"
    assert committee.problem == "Les échéances ne sont pas suivies."
    assert committee.decision == ""
    activity = Activity.objects.get(startup=world.startup, verb="committee.prepared")
    assert activity.actor == world.people["team"]
    assert activity.target_id == committee.pk


def test_bad_input_re_renders_with_errors_and_what_was_typed(world):
    response = world.client_for("team").post(
        url("committee-create", world.startup),
        {"date": "pas une date", "problem": "Mon problème tapé", "attendees": [999999]},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"date", "attendees"}
    assertContains(response, "Mon problème tapé")
    assertContains(response, "pas une date")
    assert not LaunchCommittee.objects.exists()


def test_an_outsider_cannot_be_ticked_as_a_member_attending(world):
    stranger = UserFactory()
    response = world.client_for("team").post(
        url("committee-create", world.startup),
        {"date": past(1).isoformat(), "attendees": [stranger.pk]},
    )
    assert response.status_code == 200
    assert "attendees" in response.context["form"].errors
    with pytest.raises(ValidationError):
        launch_committee_create(
            startup=world.startup, actor=world.people["team"], date=past(1),
            attendees=[stranger],
        )


def test_team_edits_the_dossier(world, committee):
    client = world.client_for("team")
    page = client.get(url("committee-edit", world.startup, pk=committee.pk))
    assertContains(page, committee.problem)
    response = client.post(
        url("committee-edit", world.startup, pk=committee.pk),
        {
            "date": past(2).isoformat(),
            "attendees": [world.people["coach"].pk],
            "problem": "Problème reformulé",
            "first_six_months": "Autre plan",
        },
    )
    assertRedirects(response, url("committee-detail", world.startup, pk=committee.pk))
    committee.refresh_from_db()
    assert committee.problem == "Problème reformulé"
    assert committee.date == past(2)
    assert committee.outside_attendees == ""
    assert list(committee.attendees.all()) == [world.people["coach"]]


def test_a_decided_committee_can_no_longer_be_edited(world, committee):
    LaunchCommittee.objects.filter(pk=committee.pk).update(decision=LaunchDecision.POSTPONED)
    client = world.client_for("team")
    detail = url("committee-detail", world.startup, pk=committee.pk)
    assertRedirects(client.get(url("committee-edit", world.startup, pk=committee.pk)), detail)
    response = client.post(
        url("committee-edit", world.startup, pk=committee.pk),
        {"date": past(2).isoformat(), "problem": "Changé"},
    )
    assertRedirects(response, detail)
    committee.refresh_from_db()
    assert committee.problem != "Changé"
    with pytest.raises(ValidationError) as error:
        launch_committee_update(
            committee=committee, actor=world.people["team"], date=past(1), problem="Changé"
        )
    assert error.value.code == "already_decided"


# ---------------------------------------------------------------- decide


def decide(world, committee, decision, **extra):
    return world.client_for("intrapreneur").post(
        url("committee-decide", world.startup, pk=committee.pk),
        {"decision": decision, "conditions": "", "minutes": "", **extra},
    )


def test_go_moves_the_startup_to_construction_with_an_event_and_a_phase_change(
    world, committee
):
    response = decide(
        world, committee, "go", conditions="Revenir avec 3 communes pilotes",
        minutes="Le comité salue la qualité des entretiens.",
    )
    assertRedirects(response, url("committee-detail", world.startup, pk=committee.pk))
    world.startup.refresh_from_db()
    assert world.startup.phase == Phase.CONSTRUCTION
    committee.refresh_from_db()
    assert committee.decision == LaunchDecision.GO
    assert committee.decided_by == world.people["intrapreneur"]
    assert committee.decided_at is not None
    assert committee.conditions == "Revenir avec 3 communes pilotes"
    change = PhaseChange.objects.get(startup=world.startup, phase=Phase.CONSTRUCTION)
    assert change.date == committee.date
    assert change.author == world.people["intrapreneur"]
    assert change.cause_type == ContentType.objects.get_for_model(LaunchCommittee)
    assert change.cause_id == committee.pk
    assert change.cause == committee
    assert "Revenir avec 3 communes pilotes" in change.reason
    event = Event.objects.get(startup=world.startup)
    assert event.kind == EventKind.COMMITTEE
    assert event.date == committee.date
    assert event.comment == change.reason
    assert Activity.objects.filter(
        startup=world.startup, verb="committee.decided", target_id=committee.pk
    ).exists()
    detail_url = url("committee-detail", world.startup, pk=committee.pk)
    detail = world.client_for("sponsor").get(detail_url)
    assertContains(detail, "Le comité salue la qualité des entretiens.")
    assertContains(detail, 'id="decision"')
    assertNotContains(detail, url("committee-decide", world.startup, pk=committee.pk))


def test_no_go_ends_the_investigation(world, committee):
    decide(world, committee, "no_go")
    world.startup.refresh_from_db()
    assert world.startup.phase == Phase.ABANDON_INVESTIGATION
    change = PhaseChange.objects.get(startup=world.startup, phase=Phase.ABANDON_INVESTIGATION)
    assert change.cause == committee
    assert Event.objects.filter(startup=world.startup, kind=EventKind.COMMITTEE).count() == 1


def test_postponed_keeps_the_phase_but_records_the_event(world, committee):
    changes = PhaseChange.objects.filter(startup=world.startup).count()
    decide(world, committee, "postponed")
    world.startup.refresh_from_db()
    assert world.startup.phase == Phase.INVESTIGATION
    assert PhaseChange.objects.filter(startup=world.startup).count() == changes
    assert Event.objects.filter(startup=world.startup, kind=EventKind.COMMITTEE).count() == 1
    committee.refresh_from_db()
    assert committee.decision == LaunchDecision.POSTPONED


def test_deciding_twice_is_refused(world, committee):
    decide(world, committee, "postponed")
    # Through the page: sent back to the dossier, nothing changes.
    response = decide(world, committee, "go")
    assertRedirects(response, url("committee-detail", world.startup, pk=committee.pk))
    page = world.client_for("intrapreneur").get(
        url("committee-decide", world.startup, pk=committee.pk), follow=True
    )
    assert any(m.level_tag == "error" for m in page.context["messages"])
    world.startup.refresh_from_db()
    assert world.startup.phase == Phase.INVESTIGATION
    committee.refresh_from_db()
    assert committee.decision == LaunchDecision.POSTPONED
    assert Event.objects.filter(startup=world.startup).count() == 1
    # Through the service: a clear error.
    with pytest.raises(ValidationError) as error:
        launch_committee_decide(
            committee=committee, actor=world.people["intrapreneur"], decision="go"
        )
    assert error.value.code == "already_decided"


def test_empty_decision_re_renders_the_form(world, committee):
    response = world.client_for("intrapreneur").post(
        url("committee-decide", world.startup, pk=committee.pk), {"minutes": "Mes notes"}
    )
    assert response.status_code == 200
    assert "decision" in response.context["form"].errors
    assertContains(response, "Mes notes")
    committee.refresh_from_db()
    assert committee.decision == ""


def test_a_committee_that_has_not_met_cannot_decide(world):
    future = LaunchCommitteeFactory(startup=world.startup, date=past(-7))
    response = decide(world, future, "go")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    world.startup.refresh_from_db()
    assert world.startup.phase == Phase.INVESTIGATION
    assert not Event.objects.filter(startup=world.startup).exists()


def test_a_startup_out_of_investigation_cannot_hold_a_launch_decision(world):
    startup = StartupFactory(in_acceleration=True)
    intra = MembershipFactory(startup=startup, role=Role.INTRAPRENEUR).user
    committee = LaunchCommitteeFactory(startup=startup, date=past(1))
    with pytest.raises(ValidationError) as error:
        launch_committee_decide(committee=committee, actor=intra, decision="go")
    assert error.value.code == "not_in_investigation"
    startup.refresh_from_db()
    assert startup.phase == Phase.ACCELERATION


def test_a_date_before_the_last_phase_change_is_refused(world):
    # The world's startup entered investigation 30 days ago.
    committee = LaunchCommitteeFactory(startup=world.startup, date=past(60))
    with pytest.raises(ValidationError) as error:
        launch_committee_decide(
            committee=committee, actor=world.people["intrapreneur"], decision="go"
        )
    assert error.value.code == "before_last_phase"
    world.startup.refresh_from_db()
    assert world.startup.phase == Phase.INVESTIGATION


# ---------------------------------------------------------------- the dossier


def insight_with_strength(startup, statement, strength, **kwargs):
    insight = InsightFactory(startup=startup, statement=statement, **kwargs)
    for i in range(strength):
        participant = ParticipantFactory(startup=startup)
        # Two interviews of the same participant count once.
        for _ in range(2 if i == 0 else 1):
            EvidenceFactory(
                insight=insight,
                interview=InterviewFactory(startup=startup, participant=participant),
                quote=f"CITATION-SECRETE-{statement}-{i}",
            )
    return insight


def test_the_dossier_lists_the_top_insights_by_strength_without_quotes(world, committee):
    startup = world.startup
    for n, strength in enumerate([1, 4, 2, 6, 3, 5]):
        insight_with_strength(startup, f"Constat {n}", strength, confirmed=True)
    insight_with_strength(startup, "Constat réfuté", 9, refuted=True)
    insight_with_strength(startup, "Constat à confirmer", 8)
    ScenarioFactory(startup=startup, title="Registre en ligne", description="Une **piste**")
    ScenarioFactory(startup=StartupFactory(), title="Scénario d'ailleurs")
    for role in ("sponsor", "intrapreneur"):
        response = world.client_for(role).get(url("committee-detail", startup, pk=committee.pk))
        assert response.status_code == 200
        insights = response.context["insights"]
        assert [i.statement for i in insights] == [
            "Constat 3", "Constat 5", "Constat 1", "Constat 4", "Constat 2"
        ]
        assert [i.strength for i in insights] == [6, 5, 4, 3, 2]
        html = response.content.decode()
        dossier = html.split('<article class="dossier"')[1].split("</article>")[0]
        assert dossier.index("Constat 3") < dossier.index("Constat 5") < dossier.index("Constat 2")
        assert "Constat 0" not in dossier
        assert "Constat réfuté" not in html
        assert "Constat à confirmer" not in html
        assert "CITATION-SECRETE" not in html
        assertContains(response, "Registre en ligne")
        assertContains(response, "<strong>piste</strong>", html=True)
        assertNotContains(response, "Scénario d'ailleurs")
        assertContains(response, committee.problem)
        assertContains(response, committee.first_six_months)
        assertContains(response, str(world.people["sponsor"]))
        assertContains(response, "Jeanne Dupont, DGCL")
        # Links to the research never appear in the dossier (the side menu is not ours).
        assert "/interviews/" not in dossier
        assert "/participants/" not in dossier


def test_the_dossier_prints_from_a_button_without_inline_code(world, committee):
    detail_url = url("committee-detail", world.startup, pk=committee.pk)
    response = world.client_for("sponsor").get(detail_url)
    assertContains(response, "data-print")
    assertContains(response, 'class="dossier"')
    assertContains(response, "<h1", count=1)
    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert title.endswith(f"— {world.startup.name} — Intrapreneur")


def test_the_dossier_renders_markdown_sanitised(world):
    committee = LaunchCommitteeFactory(
        startup=world.startup, problem="**Gras** <script>alert(1)</script>"
    )
    detail_url = url("committee-detail", world.startup, pk=committee.pk)
    response = world.client_for("coach").get(detail_url)
    assertContains(response, "<strong>Gras</strong>", html=True)
    assertNotContains(response, "<script>alert(1)")


# ---------------------------------------------------------------- query counts


def fill_committees(startup, size):
    """`size` committees, each with more attendees as size grows, half of them decided."""
    people = [MembershipFactory(startup=startup).user for _ in range(1 + size // 10)]
    for i in range(size):
        LaunchCommitteeFactory(
            startup=startup, date=past(i), attendees=people,
            decision=LaunchDecision.GO if i % 2 else "",
            decided_by=people[0] if i % 2 else None,
            decided_at=timezone.now() if i % 2 else None,
        )
    ScenarioFactory(startup=startup)
    for _i in range(size):
        insight = InsightFactory(startup=startup, confirmed=True)
        for _ in range(1 + size // 10):
            EvidenceFactory(insight=insight, interview=InterviewFactory(startup=startup))
        ScenarioFactory(startup=startup)
    comment_threads(LaunchCommittee.objects.filter(startup=startup).latest("pk"), size)


# page -> exact number of queries: session, user, startup, membership, then the page's own
# (the detail's include its comments and their replies).
COMMITTEE_PAGES = {"committee-list": 7, "committee-detail": 10}


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("page", COMMITTEE_PAGES)
def test_query_count(world, django_assert_num_queries, page, size):
    fill_committees(world.startup, size)
    client = world.client_for("intrapreneur")
    kwargs = {}
    if page == "committee-detail":
        kwargs["pk"] = LaunchCommittee.objects.filter(startup=world.startup).latest("pk").pk
    with django_assert_num_queries(COMMITTEE_PAGES[page]):
        response = client.get(url(page, world.startup, **kwargs))
    assert response.status_code == 200
