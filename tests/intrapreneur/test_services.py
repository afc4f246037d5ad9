import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from intrapreneur import services
from intrapreneur.enums import (
    COMMITTEE_PHASE,
    CommitteeKind,
    EventKind,
    InvestmentDecision,
    LaunchDecision,
    Phase,
    Role,
)
from intrapreneur.models import Activity, Event, Membership, PhaseChange, Startup, Tag
from tests.intrapreneur.factories import (
    IncubatorFactory,
    MembershipFactory,
    StartupFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_startup_create_makes_the_creator_intrapreneur_in_investigation():
    creator = UserFactory()
    startup = services.startup_create(
        creator=creator, name="Aides Faciles", incubator=IncubatorFactory(), mission="Aider"
    )
    assert startup.slug == "aides-faciles"
    assert startup.phase == Phase.INVESTIGATION
    assert list(startup.phase_changes.values_list("phase", flat=True)) == ["investigation"]
    membership = Membership.objects.get(startup=startup)
    assert (membership.user, membership.role) == (creator, Role.INTRAPRENEUR)
    assert Activity.objects.get(startup=startup).verb == "startup.created"


def test_startup_slugs_stay_unique():
    incubator = IncubatorFactory()
    first = services.startup_create(creator=UserFactory(), name="Mon Service", incubator=incubator)
    second = services.startup_create(creator=UserFactory(), name="Mon service", incubator=incubator)
    assert (first.slug, second.slug) == ("mon-service", "mon-service-2")


@pytest.mark.parametrize("phase", [p for p in Phase.values if p != Phase.INVESTIGATION])
def test_manual_phase_change_to_every_phase(phase):
    startup = StartupFactory()
    author = UserFactory()
    change = services.phase_change(
        startup=startup, phase=phase, author=author, reason="Décision de l'incubateur"
    )
    startup.refresh_from_db()
    assert startup.phase == phase
    assert (change.phase, change.author) == (phase, author)
    assert change.reason == "Décision de l'incubateur"
    assert Activity.objects.filter(startup=startup, verb="phase.changed").count() == 1


def test_phase_change_needs_a_reason_and_a_new_phase():
    startup = StartupFactory()
    with pytest.raises(ValidationError):
        services.phase_change(startup=startup, phase=Phase.CONSTRUCTION, author=None, reason=" ")
    with pytest.raises(ValidationError):
        services.phase_change(startup=startup, phase=Phase.INVESTIGATION, author=None, reason="x")
    with pytest.raises(ValidationError):
        services.phase_change(startup=startup, phase="success", author=None, reason="x")
    startup.refresh_from_db()
    assert startup.phase == Phase.INVESTIGATION
    assert PhaseChange.objects.filter(startup=startup).count() == 1


def test_a_backdated_change_does_not_override_the_latest_phase():
    startup = StartupFactory()
    services.phase_change(startup=startup, phase=Phase.CONSTRUCTION, author=None, reason="Go")
    services.phase_change(
        startup=startup, phase=Phase.ACCELERATION, author=None, reason="Oubli",
        date=timezone.localdate() - datetime.timedelta(days=365),
    )
    startup.refresh_from_db()
    assert startup.phase == Phase.CONSTRUCTION


EXPECTED_COMMITTEE_PHASES = [
    # (kind, decision, starting phase, phase after) — ARCHITECTURE.md, written literally.
    (CommitteeKind.LAUNCH, LaunchDecision.GO, Phase.INVESTIGATION, Phase.CONSTRUCTION),
    (CommitteeKind.LAUNCH, LaunchDecision.NO_GO, Phase.INVESTIGATION, Phase.ABANDON_INVESTIGATION),
    (CommitteeKind.LAUNCH, LaunchDecision.POSTPONED, Phase.INVESTIGATION, Phase.INVESTIGATION),
    (CommitteeKind.INVESTMENT, InvestmentDecision.CONTINUE, Phase.CONSTRUCTION, Phase.CONSTRUCTION),
    (CommitteeKind.INVESTMENT, InvestmentDecision.ACCELERATE, Phase.CONSTRUCTION,
     Phase.ACCELERATION),
    (CommitteeKind.INVESTMENT, InvestmentDecision.CONSOLIDATE, Phase.ACCELERATION,
     Phase.CONSOLIDATION),
    (CommitteeKind.INVESTMENT, InvestmentDecision.TRANSFER, Phase.ACCELERATION, Phase.TRANSFERE),
    (CommitteeKind.INVESTMENT, InvestmentDecision.PIVOT, Phase.CONSTRUCTION, Phase.CONSTRUCTION),
    (CommitteeKind.INVESTMENT, InvestmentDecision.STOP, Phase.CONSTRUCTION, Phase.ABANDON),
]


def test_every_committee_decision_is_covered():
    assert {(k, d) for k, d, _, _ in EXPECTED_COMMITTEE_PHASES} == set(COMMITTEE_PHASE)


@pytest.mark.parametrize(("kind", "decision", "start", "after"), EXPECTED_COMMITTEE_PHASES)
def test_committee_decision_moves_the_phase(kind, decision, start, after):
    startup = StartupFactory(phase=start)
    committee_day = timezone.localdate() - datetime.timedelta(days=2)
    change = services.committee_apply_decision(
        startup=startup, committee_kind=kind, decision=decision, author=UserFactory(),
        date=committee_day, comment="Comité du trimestre",
    )
    startup.refresh_from_db()
    assert startup.phase == after
    event = Event.objects.get(startup=startup)
    assert (event.kind, event.date) == (EventKind.COMMITTEE, committee_day)
    if after == start:
        assert change is None
        assert startup.phase_changes.count() == 1
    else:
        assert (change.phase, change.date) == (after, committee_day)


def test_committee_decision_records_its_cause():
    startup = StartupFactory()
    cause = TagFactory(startup=startup)  # any model instance stands for the committee here
    change = services.committee_apply_decision(
        startup=startup, committee_kind=CommitteeKind.LAUNCH, decision=LaunchDecision.GO,
        author=None, date=timezone.localdate(), cause=cause,
    )
    assert change.cause == cause


def test_the_last_intrapreneur_cannot_be_removed_nor_demoted():
    startup = StartupFactory()
    owner = MembershipFactory(startup=startup, role=Role.INTRAPRENEUR)
    with pytest.raises(ValidationError):
        services.membership_remove(membership=owner, actor=owner.user)
    with pytest.raises(ValidationError):
        services.membership_update(
            membership=owner, actor=owner.user, role=Role.TEAM, job_title="", week_share=100
        )
    assert Membership.objects.get(pk=owner.pk).role == Role.INTRAPRENEUR
    second = MembershipFactory(startup=startup, role=Role.INTRAPRENEUR)
    services.membership_remove(membership=owner, actor=owner.user)
    assert list(startup.memberships.all()) == [second]
    assert Activity.objects.filter(startup=startup, verb="member.left").count() == 1


def test_membership_add_refuses_a_second_membership():
    startup = StartupFactory()
    member = MembershipFactory(startup=startup)
    with pytest.raises(ValidationError):
        services.membership_add(
            startup=startup, actor=member.user, user=member.user, role=Role.COACH
        )


def test_tags_resolve_reuses_existing_names_case_insensitively():
    startup = StartupFactory()
    existing = TagFactory(startup=startup, name="Usagers")
    other_startup_tag = TagFactory(name="Mairies")
    tags = services.tags_resolve(startup=startup, names=["usagers", " Mairies ", "MAIRIES", ""])
    assert tags[0] == existing
    assert tags[1].name == "Mairies" and tags[1] != other_startup_tag
    assert Tag.objects.filter(startup=startup).count() == 2


def test_tag_rename_refuses_a_clash():
    startup = StartupFactory()
    TagFactory(startup=startup, name="usagers")
    tag = TagFactory(startup=startup, name="agents")
    with pytest.raises(ValidationError):
        services.tag_rename(tag=tag, actor=UserFactory(), name="Usagers")


def test_archive_and_restore():
    startup = StartupFactory()
    actor = UserFactory()
    services.startup_set_archived(startup=startup, actor=actor, archived=True)
    assert Startup.objects.archived().get() == startup
    services.startup_set_archived(startup=startup, actor=actor, archived=False)
    assert Startup.objects.active().get() == startup
    verbs = list(Activity.objects.filter(startup=startup).values_list("verb", flat=True))
    assert sorted(verbs) == ["startup.archived", "startup.unarchived"]


def test_visible_to_follows_membership_staff_and_superuser():
    mine, theirs = StartupFactory(), StartupFactory()
    member = MembershipFactory(startup=mine).user
    staff = UserFactory(staff=True)
    theirs.incubator.staff.add(staff)
    superuser = UserFactory(superuser=True)
    assert list(Startup.objects.visible_to(member)) == [mine]
    assert list(Startup.objects.visible_to(staff)) == [theirs]
    assert set(Startup.objects.visible_to(superuser)) == {mine, theirs}
    assert not Startup.objects.visible_to(UserFactory()).exists()
