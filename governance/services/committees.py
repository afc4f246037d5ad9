"""Investment committees: the dossier built from what the app knows, its frozen snapshot, the
decision through the phase service, the conditions checklist and the reminder sent before
the convention ends.

The dossier follows beta.gouv.fr's agenda. What the team writes (the problem, the strategy,
the hypotheses chosen, the success criteria) lives in the committee's fields; what the app
knows — the last six months of user tests, releases and learnings, the impact KPIs, the
budget — is collected as plain JSON by ``dossier_collect`` and frozen in
``committee.snapshot``: by hand ("Freeze the dossier"), or at the decision when nobody did.
After the decision the snapshot never changes again, so a KPI corrected later leaves the
dossier and its PDF as the committee read them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.models import CommitteeCondition, InvestmentCommittee
from governance.services.budget import BudgetSummary, budget_summary
from governance.services.kpis import kpi_snapshot
from intrapreneur.activity import activity_record
from intrapreneur.dates import add_months, week_start
from intrapreneur.enums import (
    COMMITTEE_PHASE,
    CommitteeKind,
    InvestmentDecision,
    NotificationKind,
    Phase,
)
from intrapreneur.models import Attachment, Membership, OutboxMessage, Startup, User
from intrapreneur.notifications import notifications_fanout
from intrapreneur.outbox import outbox_enqueue
from intrapreneur.permissions import Action
from intrapreneur.services import attachment_create, attachment_delete, committee_apply_decision
from products.enums import ImpactLevel, TestResult
from products.models import Hypothesis, Learning, Release, UserTest
from products.services.learnings import learning_create

# The dossier looks back this many months before the committee's date.
DOSSIER_MONTHS = 6
# The intrapreneurs are reminded this many days before the convention ends.
REMINDER_DAYS = 45
SNAPSHOT_VERSION = 1
# What the snapshot's budget holds (BudgetSummary's attributes), in this order.
BUDGET_FIELDS = ("granted", "available", "spent", "committed", "remaining", "monthly_burn")
# An investment committee decides on a startup building its service.
INVESTMENT_PHASES = (Phase.CONSTRUCTION, Phase.ACCELERATION, Phase.CONSOLIDATION)
CONDITION_MAX_LENGTH = 500
MAX_CONDITIONS = 30
TEXT_MAX_LENGTH = 20_000

# ---------------------------------------------------------------- reads


def committees_for_list(startup: Startup) -> QuerySet[InvestmentCommittee]:
    """The startup's committees with their conditions counted (open ones apart)."""
    return InvestmentCommittee.objects.for_startup(startup).annotate(
        condition_count=Count("conditions"),
        open_condition_count=Count("conditions", filter=Q(conditions__done_at__isnull=True)),
    )


def open_conditions(startup: Startup) -> QuerySet[CommitteeCondition]:
    """The conditions set by the startup's committees and not met yet, the oldest committee
    first, each with its committee."""
    return (
        CommitteeCondition.objects.filter(committee__startup=startup, done_at__isnull=True)
        .select_related("committee")
        .order_by("committee__date", "committee_id", "pk")
    )


@dataclass(frozen=True)
class NextCommittee:
    """The next investment committee: a planned one (``committee``), or only the date the
    last decided committee set (``committee`` is None)."""

    date: datetime.date
    committee: InvestmentCommittee | None

    @property
    def is_planned(self) -> bool:
        return self.committee is not None

    def days_left(self, today: datetime.date) -> int:
        return (self.date - today).days


def next_committee(
    startup: Startup, *, today: datetime.date | None = None
) -> NextCommittee | None:
    """The next planned committee (not decided, dated today or later), else the
    ``next_committee_on`` date the last decided one set; None when neither exists."""
    today = today or timezone.localdate()
    planned = InvestmentCommittee.objects.for_startup(startup).upcoming(today).first()
    if planned is not None:
        return NextCommittee(date=planned.date, committee=planned)
    last = (
        InvestmentCommittee.objects.for_startup(startup).decided()
        .order_by("-date", "-pk").only("pk", "next_committee_on").first()
    )
    if last is not None and last.next_committee_on is not None:
        return NextCommittee(date=last.next_committee_on, committee=None)
    return None


def dossier_since(as_of: datetime.date) -> datetime.date:
    """The first day the dossier looks at: six months before ``as_of`` (excluded)."""
    return add_months(as_of, -DOSSIER_MONTHS)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _budget_data(summary: BudgetSummary) -> dict:
    data: dict = {name: _text(getattr(summary, name)) for name in BUDGET_FIELDS}
    data["runway_month"] = summary.runway_month.isoformat() if summary.runway_month else None
    data["exhausted"] = summary.exhausted
    # The runway in words, as the budget page said it that day.
    data["runway_text"] = str(summary.runway_text)
    data["has_data"] = summary.has_data
    data["as_of"] = summary.today.isoformat()
    return data


def dossier_collect(
    startup: Startup, *, as_of: datetime.date, today: datetime.date | None = None
) -> dict:
    """What the app knows for a committee dated ``as_of``, as JSON-ready data: the user
    tests, published releases and learnings of the six months before, every KPI at that
    date, and the budget seen from that date — from today when the committee is still to
    come (the budget would count the costs forecast until then as spent)."""
    since = dossier_since(as_of)
    budget_day = min(as_of, today or timezone.localdate())
    in_window = {"date__gt": since, "date__lte": as_of}
    tests = list(
        UserTest.objects.for_startup(startup).filter(**in_window)
        .values_list("date", "result", "users_count")
    )
    results = {result: 0 for result in TestResult.values}
    results[""] = 0
    for _date, result, _users in tests:
        results[result] = results.get(result, 0) + 1
    releases = (
        Release.objects.for_startup(startup).published().filter(**in_window)
        .order_by("-date", "-pk").values_list("version", "date")
    )
    learnings = (
        Learning.objects.for_startup(startup).filter(**in_window)
        .order_by("-date", "-pk").values_list("date", "learned", "changes")
    )
    return {
        "version": SNAPSHOT_VERSION,
        "as_of": as_of.isoformat(),
        "since": since.isoformat(),
        "tests": {
            "count": len(tests),
            "users_met": sum(users for _date, _result, users in tests),
            "weeks": len({week_start(date) for date, _result, _users in tests}),
            "results": results,
        },
        "releases": [
            {"version": version, "date": date.isoformat()} for version, date in releases
        ],
        "learnings": [
            {"date": date.isoformat(), "learned": learned, "changes": changes}
            for date, learned, changes in learnings
        ],
        "kpis": kpi_snapshot(startup, as_of=as_of),
        "budget": _budget_data(budget_summary(startup, today=budget_day)),
    }


# ---------------------------------------------------------------- the figures, for reading


def _decimal(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _date(value: str | None) -> datetime.date | None:
    return parse_date(value) if value else None


@dataclass(frozen=True)
class KpiFigure:
    name: str
    key: str
    unit: str
    impact_level: str
    value: Decimal | None
    date: datetime.date | None
    previous: Decimal | None
    trend: str
    is_good: bool | None
    target: Decimal | None
    target_reached: bool | None

    @property
    def impact_label(self) -> str:
        labels = dict(ImpactLevel.choices)
        return str(labels[self.impact_level]) if self.impact_level in labels else ""

    @property
    def trend_label(self) -> str:
        return {
            "up": _("rising"), "down": _("falling"), "stable": _("stable"),
        }.get(self.trend, "")

    @property
    def trend_badge(self) -> str:
        if self.is_good is None:
            return ""
        return "fr-badge--success" if self.is_good else "fr-badge--error"

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class ReleaseFigure:
    version: str
    date: datetime.date


@dataclass(frozen=True)
class LearningFigure:
    date: datetime.date
    learned: str
    changes: str


@dataclass(frozen=True)
class ResultFigure:
    result: str
    label: str
    count: int


@dataclass(frozen=True)
class BudgetFigures:
    granted: Decimal
    available: Decimal
    spent: Decimal
    committed: Decimal
    remaining: Decimal
    monthly_burn: Decimal
    runway_month: datetime.date | None
    exhausted: bool
    runway_text: str
    has_data: bool
    as_of: datetime.date | None


@dataclass(frozen=True)
class DossierFigures:
    """The dossier's figures as a template reads them, from a snapshot or collected live."""

    as_of: datetime.date
    since: datetime.date
    tests_count: int
    users_met: int
    weeks_tested: int
    results: list[ResultFigure]
    releases: list[ReleaseFigure]
    learnings: list[LearningFigure]
    kpis: list[KpiFigure]
    budget: BudgetFigures | None
    # Frozen in the committee's snapshot (taken at ``taken_at``), or live figures.
    frozen: bool
    taken_at: datetime.datetime | None


def dossier_figures(
    data: dict, *, frozen: bool, taken_at: datetime.datetime | None = None
) -> DossierFigures:
    """Read a snapshot (or live data of the same shape) back into typed figures."""
    tests = data.get("tests", {})
    counts = tests.get("results", {})
    labels = {**dict(TestResult.choices), "": _("No result yet")}
    results = [
        ResultFigure(result=result, label=str(label), count=counts.get(result, 0))
        for result, label in labels.items()
    ]
    budget = data.get("budget")
    return DossierFigures(
        as_of=_date(data["as_of"]),
        since=_date(data["since"]),
        tests_count=tests.get("count", 0),
        users_met=tests.get("users_met", 0),
        weeks_tested=tests.get("weeks", 0),
        results=results,
        releases=[
            ReleaseFigure(version=item["version"], date=_date(item["date"]))
            for item in data.get("releases", [])
        ],
        learnings=[
            LearningFigure(
                date=_date(item["date"]), learned=item["learned"], changes=item.get("changes", "")
            )
            for item in data.get("learnings", [])
        ],
        kpis=[
            KpiFigure(
                name=item["name"], key=item.get("key", ""), unit=item.get("unit", ""),
                impact_level=item.get("impact_level", ""), value=_decimal(item.get("value")),
                date=_date(item.get("date")), previous=_decimal(item.get("previous")),
                trend=item.get("trend", ""), is_good=item.get("is_good"),
                target=_decimal(item.get("target")),
                target_reached=item.get("target_reached"),
            )
            for item in data.get("kpis", [])
        ],
        budget=None if budget is None else BudgetFigures(
            **{name: _decimal(budget.get(name)) or Decimal(0) for name in BUDGET_FIELDS},
            runway_month=_date(budget.get("runway_month")),
            exhausted=bool(budget.get("exhausted")),
            runway_text=budget.get("runway_text", ""),
            has_data=budget.get("has_data", True),
            as_of=_date(budget.get("as_of")),
        ),
        frozen=frozen,
        taken_at=taken_at,
    )


def committee_figures(committee: InvestmentCommittee) -> DossierFigures:
    """The committee's figures: its snapshot when taken, else collected now as of its date
    (marked as not frozen)."""
    if committee.snapshot_at is not None and committee.snapshot:
        return dossier_figures(committee.snapshot, frozen=True, taken_at=committee.snapshot_at)
    return dossier_figures(
        dossier_collect(committee.startup, as_of=committee.date), frozen=False
    )


# ---------------------------------------------------------------- writes: the dossier


def _already_decided(committee: InvestmentCommittee) -> ValidationError:
    return ValidationError(
        _("This committee has decided (%(decision)s): its dossier can no longer change.")
        % {"decision": committee.get_decision_display()},
        code="already_decided",
    )


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("A text has %(max)d characters at most.") % {"max": TEXT_MAX_LENGTH}
        )
    return text


def _check_dossier(
    startup: Startup, *, period_start: datetime.date, period_end: datetime.date,
    envelope_requested: Decimal | None, hypotheses: Iterable[Hypothesis],
) -> list[Hypothesis]:
    if period_end <= period_start:
        raise ValidationError(
            _("The period asked for must end after it starts."), code="period"
        )
    if envelope_requested is not None and envelope_requested < 0:
        raise ValidationError(_("The envelope requested cannot be negative."))
    hypotheses = list(hypotheses)
    if any(hypothesis.startup_id != startup.pk for hypothesis in hypotheses):
        raise ValidationError(_("Some of the hypotheses do not belong to this startup."))
    return hypotheses


@transaction.atomic
def committee_create(
    *,
    startup: Startup,
    actor: User,
    date: datetime.date,
    period_start: datetime.date,
    period_end: datetime.date,
    team_requested: str = "",
    envelope_requested: Decimal | None = None,
    problem: str = "",
    strategy: str = "",
    hypotheses: Iterable[Hypothesis] = (),
    success_criteria: str = "",
) -> InvestmentCommittee:
    """Prepare an investment committee: its date, what is asked, the dossier's texts."""
    hypotheses = _check_dossier(
        startup, period_start=period_start, period_end=period_end,
        envelope_requested=envelope_requested, hypotheses=hypotheses,
    )
    committee = InvestmentCommittee.objects.create(
        startup=startup,
        date=date,
        period_start=period_start,
        period_end=period_end,
        team_requested=_clean_text(team_requested),
        envelope_requested=envelope_requested,
        problem=_clean_text(problem),
        strategy=_clean_text(strategy),
        success_criteria=_clean_text(success_criteria),
    )
    committee.hypotheses.set(hypotheses)
    activity_record(startup=startup, actor=actor, verb="investment.prepared", target=committee)
    return committee


@transaction.atomic
def committee_update(
    *,
    committee: InvestmentCommittee,
    actor: User,
    date: datetime.date,
    period_start: datetime.date,
    period_end: datetime.date,
    team_requested: str = "",
    envelope_requested: Decimal | None = None,
    problem: str = "",
    strategy: str = "",
    hypotheses: Iterable[Hypothesis] = (),
    success_criteria: str = "",
) -> InvestmentCommittee:
    """Edit the dossier, as long as the committee has not decided. A snapshot already
    taken stays as it was — unless the date moves: the figures were frozen as of the old
    date, so they go, and are taken again at the new date (by hand or at the decision)."""
    committee = (
        InvestmentCommittee.objects.select_for_update().select_related("startup")
        .get(pk=committee.pk)
    )
    if committee.is_decided:
        raise _already_decided(committee)
    hypotheses = _check_dossier(
        committee.startup, period_start=period_start, period_end=period_end,
        envelope_requested=envelope_requested, hypotheses=hypotheses,
    )
    if date != committee.date:
        committee.snapshot, committee.snapshot_at = {}, None
    committee.date = date
    committee.period_start = period_start
    committee.period_end = period_end
    committee.team_requested = _clean_text(team_requested)
    committee.envelope_requested = envelope_requested
    committee.problem = _clean_text(problem)
    committee.strategy = _clean_text(strategy)
    committee.success_criteria = _clean_text(success_criteria)
    committee.save()
    committee.hypotheses.set(hypotheses)
    activity_record(
        startup=committee.startup, actor=actor, verb="investment.updated", target=committee
    )
    return committee


@transaction.atomic
def committee_delete(*, committee: InvestmentCommittee, actor: User) -> None:
    """Delete a committee that has not decided, with its documents."""
    committee = (
        InvestmentCommittee.objects.select_for_update().select_related("startup")
        .get(pk=committee.pk)
    )
    if committee.is_decided:
        raise ValidationError(
            _("This committee has decided: it stays in the startup's history."),
            code="already_decided",
        )
    for attachment in committee.attachments.all():
        attachment_delete(attachment=attachment, actor=actor)
    activity_record(
        startup=committee.startup, actor=actor, verb="investment.deleted", label=str(committee)
    )
    committee.delete()


def _snapshot_write(committee: InvestmentCommittee) -> None:
    committee.snapshot = dossier_collect(committee.startup, as_of=committee.date)
    committee.snapshot_at = timezone.now()


@transaction.atomic
def committee_snapshot_take(
    *, committee: InvestmentCommittee, actor: User
) -> InvestmentCommittee:
    """Freeze the dossier's figures as of the committee's date (or refresh them), until
    the committee decides."""
    committee = (
        InvestmentCommittee.objects.select_for_update().select_related("startup")
        .get(pk=committee.pk)
    )
    if committee.is_decided:
        raise ValidationError(
            _("This committee has decided: its snapshot is frozen for good."),
            code="already_decided",
        )
    _snapshot_write(committee)
    committee.save(update_fields=["snapshot", "snapshot_at", "updated_at"])
    activity_record(
        startup=committee.startup, actor=actor, verb="investment.updated", target=committee
    )
    return committee


class DocumentKind(models.TextChoices):
    """What a committee's document is: its label heads the file's name in the list."""

    CONVENTION = "convention", gettext_lazy("Convention")
    DECK = "deck", gettext_lazy("Presentation deck")
    MINUTES = "minutes", gettext_lazy("Minutes")
    OTHER = "other", gettext_lazy("Other document")


@transaction.atomic
def committee_file_add(
    *, committee: InvestmentCommittee, actor: User, upload, name: str = "", kind: str = ""
) -> Attachment:
    """A document of the committee (convention, deck, minutes…): every member who may view
    the committee can download it. The minutes come after the decision: documents can be
    added whatever the committee's state."""
    name = (name or upload.name or "").strip()
    if kind in DocumentKind.values and kind != DocumentKind.OTHER:
        name = f"{DocumentKind(kind).label} — {name}"
    return attachment_create(
        startup=committee.startup, actor=actor, upload=upload, name=name, owner=committee,
        required_action="view",
    )


# ---------------------------------------------------------------- writes: the decision


def decision_comment(decision: str, comment: str) -> str:
    """The line the timeline keeps: the Event's comment and the phase change's reason."""
    text = _("Investment committee: %(decision)s.") % {
        "decision": InvestmentDecision(decision).label
    }
    if comment.strip():
        text += " " + comment.strip()
    return text


def condition_lines(text: str) -> list[str]:
    """One condition per non-empty line, list markers (-, *, •, 1.) removed."""
    lines = []
    for line in (text or "").splitlines():
        line = line.strip()
        for marker in ("- ", "* ", "• "):
            if line.startswith(marker):
                line = line[len(marker):].strip()
        head, dot, rest = line.partition(". ")
        if dot and head.isdigit():
            line = rest.strip()
        if line:
            lines.append(line)
    return lines


def _check_conditions(conditions: Iterable[str]) -> list[str]:
    texts = [" ".join(text.split()) for text in conditions if text and text.strip()]
    if len(texts) > MAX_CONDITIONS:
        raise ValidationError(
            _("A committee sets %(max)d conditions at most.") % {"max": MAX_CONDITIONS}
        )
    if any(len(text) > CONDITION_MAX_LENGTH for text in texts):
        raise ValidationError(
            _("A condition has %(max)d characters at most.") % {"max": CONDITION_MAX_LENGTH}
        )
    return texts


@transaction.atomic
def committee_decide(
    *,
    committee: InvestmentCommittee,
    actor: User,
    decision: str,
    comment: str = "",
    amount_granted: Decimal | None = None,
    duration_months: int | None = None,
    next_committee_on: datetime.date | None = None,
    conditions: Iterable[str] = (),
    today: datetime.date | None = None,
) -> InvestmentCommittee:
    """Record the committee's decision, once: the snapshot is frozen (taken now as of the
    committee's date if nobody did), the conditions are written, the phase service records
    the Event and, for accelerate, consolidate, transfer and stop, the phase change; a
    pivot records a learning."""
    today = today or timezone.localdate()
    committee = (
        InvestmentCommittee.objects.select_for_update().select_related("startup")
        .get(pk=committee.pk)
    )
    startup = committee.startup
    if committee.is_decided:
        raise ValidationError(
            _("This committee already decided (%(decision)s): a decision is recorded once.")
            % {"decision": committee.get_decision_display()},
            code="already_decided",
        )
    if decision not in InvestmentDecision.values:
        raise ValidationError(_("Unknown committee decision."), code="unknown_decision")
    if committee.date > today:
        raise ValidationError(
            _("The committee meets on %(date)s: record its decision once it has met.")
            % {"date": committee.date.strftime("%d/%m/%Y")},
            code="not_met",
        )
    if startup.phase not in INVESTMENT_PHASES:
        raise ValidationError(
            _(
                "An investment committee decides on a startup in construction, acceleration "
                "or consolidation; this one is in phase “%(phase)s”."
            )
            % {"phase": startup.get_phase_display()},
            code="wrong_phase",
        )
    target = COMMITTEE_PHASE[(CommitteeKind.INVESTMENT, decision)]
    if target is not None and target != startup.phase:
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
    if amount_granted is not None and amount_granted < 0:
        raise ValidationError(_("The amount granted cannot be negative."))
    if duration_months is not None and duration_months < 1:
        raise ValidationError(_("The duration granted is one month at least."))
    if next_committee_on is not None and next_committee_on <= committee.date:
        raise ValidationError(
            _("The next committee comes after this one."), code="next_before"
        )
    texts = _check_conditions(conditions)
    comment = _clean_text(comment)

    if committee.snapshot_at is None:
        _snapshot_write(committee)
    committee.decision = decision
    committee.decision_comment = comment
    committee.amount_granted = amount_granted
    committee.duration_months = duration_months
    committee.next_committee_on = next_committee_on
    committee.decided_at = timezone.now()
    committee.decided_by = actor
    committee.save()
    CommitteeCondition.objects.bulk_create(
        CommitteeCondition(committee=committee, text=text) for text in texts
    )
    committee_apply_decision(
        startup=startup,
        committee_kind=CommitteeKind.INVESTMENT,
        decision=decision,
        author=actor,
        date=committee.date,
        comment=decision_comment(decision, comment),
        cause=committee,
    )
    if decision == InvestmentDecision.PIVOT:
        learning_create(
            startup=startup,
            actor=actor,
            learned=_("The investment committee of %(date)s decided to pivot.")
            % {"date": committee.date.strftime("%d/%m/%Y")},
            changes=comment,
            date=committee.date,
        )
    activity_record(
        startup=startup, actor=actor, verb="investment.decided", target=committee,
        label=f"{committee} — {committee.get_decision_display()}",
    )
    notifications_fanout(
        startup=startup, kind=NotificationKind.DECISION, actor=actor, action=Action.VIEW,
        label=str(committee), detail=str(committee.get_decision_display()),
        url=committee.get_absolute_url(),
    )
    return committee


@transaction.atomic
def condition_toggle(
    *, condition: CommitteeCondition, actor: User, done: bool | None = None
) -> CommitteeCondition:
    """Tick a condition as met, or reopen it; ``done`` None flips it. Setting the state it
    already has changes nothing (a form sent twice)."""
    condition = (
        CommitteeCondition.objects.select_for_update().select_related("committee__startup")
        .get(pk=condition.pk)
    )
    is_done = condition.done_at is not None
    wanted = not is_done if done is None else done
    if wanted == is_done:
        return condition
    if wanted:
        condition.done_at, condition.done_by = timezone.now(), actor
        verb = "condition.done"
    else:
        condition.done_at, condition.done_by = None, None
        verb = "condition.reopened"
    condition.save(update_fields=["done_at", "done_by"])
    activity_record(
        startup=condition.committee.startup, actor=actor, verb=verb, target=condition
    )
    return condition


# ---------------------------------------------------------------- the reminder


def startups_to_remind(*, today: datetime.date) -> QuerySet[Startup]:
    """The active startups whose latest convention ends within ``REMINDER_DAYS`` days (today
    included) and that have no committee planned; each annotated with ``convention_end``."""
    planned = (
        InvestmentCommittee.objects.planned().filter(date__gte=today).values("startup")
    )
    return (
        Startup.objects.active()
        .annotate(convention_end=Max("fundings__ends_on"))
        .filter(
            convention_end__gte=today,
            convention_end__lte=today + datetime.timedelta(days=REMINDER_DAYS),
        )
        .exclude(pk__in=planned)
        .order_by("pk")
    )


def committee_reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail the intrapreneurs of every startup to remind (once per person and convention
    end, through the outbox); returns how many e-mails were new."""
    today = today or timezone.localdate()
    ends = {startup.pk: startup.convention_end for startup in startups_to_remind(today=today)}
    members = list(
        Membership.objects.intrapreneurs()
        .filter(startup_id__in=list(ends), user__is_active=True)
        .select_related("user", "startup")
        .order_by("startup_id", "user_id")
    )

    def key(membership: Membership) -> str:
        ends_on = ends[membership.startup_id]
        return (
            f"committee-reminder:{membership.startup_id}:{ends_on.isoformat()}:"
            f"{membership.user_id}"
        )

    sent = set(
        OutboxMessage.objects.filter(key__in=[key(m) for m in members]).values_list(
            "key", flat=True
        )
    )
    created = 0
    for membership in members:
        if key(membership) in sent:
            continue
        startup, ends_on = membership.startup, ends[membership.startup_id]
        path = reverse("governance:committee-create", kwargs={"slug": startup.slug})
        outbox_enqueue(
            key=key(membership), kind="committee-reminder", to=membership.user.email,
            template="committee_reminder",
            context={
                "startup": startup, "user": membership.user, "ends_on": ends_on,
                "days_left": (ends_on - today).days, "url": f"{settings.SITE_URL}{path}",
            },
        )
        created += 1
    return created

