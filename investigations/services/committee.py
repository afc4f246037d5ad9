"""The launch committee: its dossier prepared by the team, its decision by the intrapreneur.

Also the reads the summary and the dossier share (top insights, readiness checklist).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intrapreneur.activity import activity_record
from intrapreneur.dates import WeekCount, last_weeks
from intrapreneur.enums import CommitteeKind, LaunchDecision, NotificationKind, Phase
from intrapreneur.models import Startup, User
from intrapreneur.notifications import notifications_fanout
from intrapreneur.permissions import Action
from intrapreneur.services import committee_apply_decision
from investigations.enums import InsightStatus, InterviewKind
from investigations.models import Insight, Interview, LaunchCommittee, Scenario

TOP_INSIGHTS = 5
SUMMARY_WEEKS = 12

# ---------------------------------------------------------------- reads


def top_insights(
    startup: Startup, *, statuses: Iterable[str] = (InsightStatus.CONFIRMED,),
    limit: int = TOP_INSIGHTS,
) -> list[Insight]:
    """The strongest insights (distinct participants behind them): statement and strength."""
    return list(
        Insight.objects.for_startup(startup)
        .with_strength()
        .filter(status__in=list(statuses))
        .order_by("-strength", "-evidence_count", "-created_at", "-pk")
        .only("pk", "statement", "status", "created_at")[:limit]
    )


def interviews_per_week(
    startup: Startup, *, today: datetime.date, weeks: int = SUMMARY_WEEKS
) -> list[WeekCount]:
    """The number of interviews of each ISO week, the last ``weeks`` weeks, oldest first."""
    return last_weeks(Interview.objects.for_startup(startup), today=today, weeks=weeks)


def interviews_by_kind(startup: Startup) -> list[tuple[str, str, int]]:
    """(kind, label, count) for every kind, zero included, in the enum's order."""
    counted = dict(
        Interview.objects.for_startup(startup)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("kind", "n")
    )
    return [(kind, label, counted.get(kind, 0)) for kind, label in InterviewKind.choices]


@dataclass(frozen=True)
class Readiness:
    problem_written: bool
    target_reached: bool
    confirmed_insight: bool
    scenario: bool

    @property
    def ready(self) -> bool:
        return all(
            (self.problem_written, self.target_reached, self.confirmed_insight, self.scenario)
        )


def readiness(startup: Startup, *, interview_count: int) -> Readiness:
    """What the launch committee expects of the investigation."""
    return Readiness(
        problem_written=bool(startup.problem.strip()),
        target_reached=interview_count >= startup.target_interviews,
        confirmed_insight=Insight.objects.for_startup(startup)
        .filter(status=InsightStatus.CONFIRMED)
        .exists(),
        scenario=Scenario.objects.for_startup(startup).exists(),
    )


def committees_for_list(startup: Startup) -> QuerySet[LaunchCommittee]:
    return (
        LaunchCommittee.objects.for_startup(startup)
        .select_related("decided_by")
        .prefetch_related("attendees")
    )


# ---------------------------------------------------------------- writes


def _check_attendees(startup: Startup, attendees: Iterable[User]) -> list[User]:
    attendees = list(attendees)
    members = set(startup.memberships.values_list("user_id", flat=True))
    if any(user.pk not in members for user in attendees):
        raise ValidationError(_("Only members of the startup can be listed as attending."))
    return attendees


def _clean_lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@transaction.atomic
def launch_committee_create(
    *,
    startup: Startup,
    actor: User,
    date: datetime.date,
    attendees: Iterable[User] = (),
    outside_attendees: str = "",
    problem: str = "",
    first_six_months: str = "",
) -> LaunchCommittee:
    """Prepare a launch committee: its date, who attends and the dossier's texts."""
    attendees = _check_attendees(startup, attendees)
    committee = LaunchCommittee.objects.create(
        startup=startup,
        date=date,
        outside_attendees=_clean_lines(outside_attendees),
        problem=problem.strip(),
        first_six_months=first_six_months.strip(),
    )
    committee.attendees.set(attendees)
    activity_record(startup=startup, actor=actor, verb="committee.prepared", target=committee)
    return committee


@transaction.atomic
def launch_committee_update(
    *,
    committee: LaunchCommittee,
    actor: User,
    date: datetime.date,
    attendees: Iterable[User] = (),
    outside_attendees: str = "",
    problem: str = "",
    first_six_months: str = "",
) -> LaunchCommittee:
    """Edit the dossier, as long as the committee has not decided."""
    committee = LaunchCommittee.objects.select_for_update().get(pk=committee.pk)
    if committee.decision:
        raise ValidationError(
            _("This committee has decided: its dossier can no longer change."),
            code="already_decided",
        )
    attendees = _check_attendees(committee.startup, attendees)
    committee.date = date
    committee.outside_attendees = _clean_lines(outside_attendees)
    committee.problem = problem.strip()
    committee.first_six_months = first_six_months.strip()
    committee.save()
    committee.attendees.set(attendees)
    activity_record(
        startup=committee.startup, actor=actor, verb="committee.prepared", target=committee
    )
    return committee


def decision_comment(decision: str, conditions: str) -> str:
    """The line the timeline keeps: the Event's comment and the phase change's reason."""
    text = _("Launch committee: %(decision)s.") % {"decision": LaunchDecision(decision).label}
    if conditions.strip():
        text += " " + _("Conditions: %(conditions)s") % {"conditions": conditions.strip()}
    return text


@transaction.atomic
def launch_committee_decide(
    *,
    committee: LaunchCommittee,
    actor: User,
    decision: str,
    conditions: str = "",
    minutes: str = "",
) -> LaunchCommittee:
    """Record the decision once; go and no-go move the phase through the phase service."""
    committee = (
        LaunchCommittee.objects.select_for_update().select_related("startup").get(pk=committee.pk)
    )
    startup = committee.startup
    if committee.decision:
        raise ValidationError(
            _("This committee already decided (%(decision)s): a decision is recorded once.")
            % {"decision": committee.get_decision_display()},
            code="already_decided",
        )
    if decision not in LaunchDecision.values:
        raise ValidationError(_("Unknown committee decision."))
    if committee.date > timezone.localdate():
        raise ValidationError(
            _("The committee meets on %(date)s: record its decision once it has met.")
            % {"date": committee.date.strftime("%d/%m/%Y")},
            code="not_met",
        )
    if startup.phase != Phase.INVESTIGATION:
        raise ValidationError(
            _("The startup is no longer in investigation: a launch committee cannot decide."),
            code="not_in_investigation",
        )
    last_change = startup.phase_changes.order_by("-date", "-created_at").first()
    if last_change is not None and committee.date < last_change.date:
        raise ValidationError(
            _(
                "The committee's date is before the startup's last phase change "
                "(%(date)s): correct the date first."
            )
            % {"date": last_change.date.strftime("%d/%m/%Y")},
            code="before_last_phase",
        )
    committee.decision = decision
    committee.conditions = conditions.strip()
    committee.minutes = minutes.strip()
    committee.decided_at = timezone.now()
    committee.decided_by = actor
    committee.save()
    committee_apply_decision(
        startup=startup,
        committee_kind=CommitteeKind.LAUNCH,
        decision=decision,
        author=actor,
        date=committee.date,
        comment=decision_comment(decision, committee.conditions),
        cause=committee,
    )
    activity_record(
        startup=startup, actor=actor, verb="committee.decided", target=committee,
        label=f"{committee} — {committee.get_decision_display()}",
    )
    notifications_fanout(
        startup=startup, kind=NotificationKind.DECISION, actor=actor, action=Action.VIEW,
        label=str(committee), detail=str(committee.get_decision_display()),
        url=reverse(
            "investigations:committee-detail", kwargs={"slug": startup.slug, "pk": committee.pk}
        ),
    )
    return committee
