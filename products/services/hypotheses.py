"""Hypotheses (“We believe that … We will know when …”) and the weekly user tests.

A test's result moves its hypothesis (``RESULT_HYPOTHESIS_STATUS``): validates → validated,
invalidates → invalidated, inconclusive → testing; a test recorded without a result (planned
or under way) moves a hypothesis still “to test” to “testing”. Every status change goes
through ``hypothesis_set_status``, which records ``hypothesis.status`` only when the status
really changes.

The cadence (``usertest_cadence``) is plain data for the tests page and the product home page:
the last weeks, tested or not, and the streak of weeks with at least one test.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from intrapreneur.activity import activity_record
from intrapreneur.dates import WeekCount, counts_by_week, week_start
from intrapreneur.enums import NotificationKind
from intrapreneur.lists import BoardColumn, board_columns
from intrapreneur.models import Startup, User
from intrapreneur.notifications import notifications_fanout
from intrapreneur.permissions import Action
from investigations.models import Insight
from products.enums import (
    RESULT_HYPOTHESIS_STATUS,
    HypothesisPriority,
    HypothesisStatus,
    TestResult,
)
from products.models import Feedback, Hypothesis, Idea, Metric, UserTest

STATEMENT_MAX_LENGTH = 5_000
TEXT_MAX_LENGTH = 20_000
CADENCE_WEEKS = 12

# ---------------------------------------------------------------- reads


def _tests_of_each() -> dict[str, Subquery]:
    """Per hypothesis: its number of tests, the date and result of its latest test."""
    tests = UserTest.objects.filter(hypothesis=OuterRef("pk"))
    latest = tests.order_by("-date", "-pk")
    return {
        "test_count": Coalesce(
            Subquery(
                tests.order_by().values("hypothesis").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        "last_test_date": Subquery(latest.values("date")[:1]),
        "last_test_result": Subquery(latest.values("result")[:1]),
    }


def hypotheses_for(*, startup: Startup) -> QuerySet[Hypothesis]:
    """The startup's hypotheses with what a card shows: source, metric, tests (no N+1)."""
    return (
        Hypothesis.objects.for_startup(startup)
        .select_related("insight", "feedback", "idea", "metric")
        .defer("feedback__search")
        .annotate(**_tests_of_each())
    )


def hypothesis_board(
    queryset: QuerySet[Hypothesis], *, order: tuple[str, ...], per_column: int
) -> list[BoardColumn]:
    """One column per status holding its first ``per_column`` cards in ``order`` and the
    column's total: one query, whatever the number of hypotheses."""
    return board_columns(
        queryset, field="status", choices=HypothesisStatus.choices, order=order,
        per_column=per_column,
    )


# ---------------------------------------------------------------- hypotheses: writes


def _clean_statement(statement: str) -> str:
    statement = statement.strip()
    if not statement:
        raise ValidationError({"statement": _("Say what the team believes.")})
    if len(statement) > STATEMENT_MAX_LENGTH:
        raise ValidationError(
            {"statement": _("The hypothesis has 5,000 characters at most.")}
        )
    return statement


def _check_same_startup(
    startup: Startup,
    *,
    metric: Metric | None = None,
    insight: Insight | None = None,
    feedback: Feedback | None = None,
    idea: Idea | None = None,
    hypothesis: Hypothesis | None = None,
) -> None:
    """Refuse anything that belongs to another startup."""
    errors = {}
    for name, obj in (
        ("metric", metric), ("insight", insight), ("feedback", feedback), ("idea", idea),
        ("hypothesis", hypothesis),
    ):
        if obj is not None and obj.startup_id != startup.pk:
            errors[name] = _("Choose one of this startup's.")
    if errors:
        raise ValidationError(errors)


def _check_status(status: str) -> HypothesisStatus:
    if status not in HypothesisStatus.values:
        raise ValidationError(
            {"status": _("“%(status)s” is not a status of a hypothesis.") % {"status": status}}
        )
    return HypothesisStatus(status)


@transaction.atomic
def hypothesis_create(
    *,
    startup: Startup,
    actor: User | None,
    statement: str,
    signal: str = "",
    metric: Metric | None = None,
    insight: Insight | None = None,
    feedback: Feedback | None = None,
    idea: Idea | None = None,
    status: str = HypothesisStatus.TO_TEST,
    priority: int = HypothesisPriority.MEDIUM,
) -> Hypothesis:
    _check_same_startup(startup, metric=metric, insight=insight, feedback=feedback, idea=idea)
    hypothesis = Hypothesis.objects.create(
        startup=startup,
        statement=_clean_statement(statement),
        signal=signal.strip(),
        metric=metric,
        insight=insight,
        feedback=feedback,
        idea=idea,
        status=_check_status(status),
        priority=HypothesisPriority(priority),
        author=actor,
    )
    activity_record(startup=startup, actor=actor, verb="hypothesis.created", target=hypothesis)
    return hypothesis


@transaction.atomic
def hypothesis_update(
    *,
    hypothesis: Hypothesis,
    actor: User | None,
    statement: str,
    signal: str = "",
    metric: Metric | None = None,
    insight: Insight | None = None,
    feedback: Feedback | None = None,
    idea: Idea | None = None,
    priority: int = HypothesisPriority.MEDIUM,
    status: str | None = None,
) -> Hypothesis:
    """Edit the hypothesis; a new ``status`` goes through ``hypothesis_set_status``."""
    startup = hypothesis.startup
    _check_same_startup(startup, metric=metric, insight=insight, feedback=feedback, idea=idea)
    hypothesis.statement = _clean_statement(statement)
    hypothesis.signal = signal.strip()
    hypothesis.metric, hypothesis.insight = metric, insight
    hypothesis.feedback, hypothesis.idea = feedback, idea
    hypothesis.priority = HypothesisPriority(priority)
    hypothesis.save()
    activity_record(startup=startup, actor=actor, verb="hypothesis.updated", target=hypothesis)
    if status is not None:
        hypothesis_set_status(hypothesis=hypothesis, actor=actor, status=status)
    return hypothesis


@transaction.atomic
def hypothesis_set_status(*, hypothesis: Hypothesis, actor: User | None, status: str) -> bool:
    """Move the hypothesis to ``status``; True when it changed (and only then recorded)."""
    status = _check_status(status)
    if hypothesis.status == status:
        return False
    hypothesis.status = status
    hypothesis.save(update_fields=["status", "updated_at"])
    activity_record(
        startup=hypothesis.startup, actor=actor, verb="hypothesis.status", target=hypothesis
    )
    return True


@transaction.atomic
def hypothesis_delete(*, hypothesis: Hypothesis, actor: User | None) -> None:
    """Delete the hypothesis; its tests stay, with no hypothesis."""
    activity_record(
        startup=hypothesis.startup, actor=actor, verb="hypothesis.deleted",
        label=str(hypothesis),
    )
    hypothesis.delete()


_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|\*)")


def idea_statement(idea: Idea) -> str:
    """The statement a hypothesis starts from: the idea's title and its description."""
    parts = [idea.title.strip(), _MARKDOWN_EMPHASIS.sub("", idea.description).strip()]
    return "\n\n".join(part for part in parts if part)


@transaction.atomic
def hypothesis_from_idea(*, idea: Idea, actor: User | None) -> tuple[Hypothesis, bool]:
    """Turn an idea into a hypothesis to test, in one step. An idea already turned into a
    hypothesis gives that one back: ``(hypothesis, created)``.

    The idea's row is locked so that two clicks at once do not make two hypotheses.
    """
    Idea.objects.select_for_update().filter(pk=idea.pk).first()
    existing = idea.hypotheses.order_by("created_at", "pk").first()
    if existing is not None:
        return existing, False
    hypothesis = hypothesis_create(
        startup=idea.startup, actor=actor, statement=idea_statement(idea), idea=idea,
        status=HypothesisStatus.TO_TEST,
    )
    return hypothesis, True


# ---------------------------------------------------------------- user tests: writes

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A French or international phone number: ten digits (06 12 34 56 78, 06.12.34.56.78,
# 0612345678) or +33 6 12 34 56 78 / 0033 …
PHONE = re.compile(
    r"(?<![\d])(?:(?:\+|00)\d{2,3}[\s.-]?(?:\(0\)[\s.-]?)?\d|0\d)(?:[\s.-]?\d{2}){4}(?![\d])"
)


def personal_data_error(text: str) -> str:
    """Why ``text`` may not be stored as a profile (an e-mail, a phone number), or ""."""
    if EMAIL.search(text):
        return _(
            "Remove the e-mail address: the profile describes the users' situation, never "
            "their contacts."
        )
    if PHONE.search(text):
        return _(
            "Remove the phone number: the profile describes the users' situation, never "
            "their contacts."
        )
    return ""


def _clean_test(
    *,
    startup: Startup,
    hypothesis: Hypothesis | None,
    users_count: int,
    users_profile: str,
    result: str,
) -> None:
    _check_same_startup(startup, hypothesis=hypothesis)
    errors = {}
    if users_count < 0:
        errors["users_count"] = _("The number of users cannot be negative.")
    if message := personal_data_error(users_profile):
        errors["users_profile"] = message
    if result and result not in TestResult.values:
        errors["result"] = _("“%(result)s” is not a result of a test.") % {"result": result}
    if errors:
        raise ValidationError(errors)


def _move_hypothesis(test: UserTest, actor: User | None) -> None:
    """What the test says of its hypothesis: its result, or “testing” while planned."""
    hypothesis = test.hypothesis
    if hypothesis is None:
        return
    if test.result:
        status = RESULT_HYPOTHESIS_STATUS[TestResult(test.result)]
        hypothesis_set_status(hypothesis=hypothesis, actor=actor, status=status)
    elif hypothesis.status == HypothesisStatus.TO_TEST:
        hypothesis_set_status(hypothesis=hypothesis, actor=actor, status=HypothesisStatus.TESTING)


@transaction.atomic
def usertest_create(
    *,
    startup: Startup,
    actor: User | None,
    date: datetime.date,
    hypothesis: Hypothesis | None = None,
    protocol: str = "",
    users_count: int = 0,
    users_profile: str = "",
    observations: str = "",
    result: str = "",
    learning: str = "",
) -> UserTest:
    """Record a user test (or plan it: no result); its hypothesis moves accordingly."""
    users_profile = " ".join(users_profile.split())
    _clean_test(
        startup=startup, hypothesis=hypothesis, users_count=users_count,
        users_profile=users_profile, result=result,
    )
    test = UserTest.objects.create(
        startup=startup, date=date, hypothesis=hypothesis, protocol=protocol.strip(),
        users_count=users_count, users_profile=users_profile,
        observations=observations.strip(), result=result, learning=learning.strip(),
        author=actor,
    )
    activity_record(startup=startup, actor=actor, verb="test.recorded", target=test)
    notifications_fanout(
        startup=startup, kind=NotificationKind.TEST, actor=actor, action=Action.VIEW,
        label=str(test), url=test.get_absolute_url(),
    )
    _move_hypothesis(test, actor)
    return test


@transaction.atomic
def usertest_update(
    *,
    test: UserTest,
    actor: User | None,
    date: datetime.date,
    hypothesis: Hypothesis | None = None,
    protocol: str = "",
    users_count: int = 0,
    users_profile: str = "",
    observations: str = "",
    result: str = "",
    learning: str = "",
) -> UserTest:
    """Edit a test. Its hypothesis moves only when the result or the hypothesis changes:
    editing the observations does not undo a status the team set by hand since."""
    users_profile = " ".join(users_profile.split())
    _clean_test(
        startup=test.startup, hypothesis=hypothesis, users_count=users_count,
        users_profile=users_profile, result=result,
    )
    moves = result != test.result or (hypothesis.pk if hypothesis else None) != test.hypothesis_id
    test.date, test.hypothesis, test.protocol = date, hypothesis, protocol.strip()
    test.users_count, test.users_profile = users_count, users_profile
    test.observations, test.result, test.learning = observations.strip(), result, learning.strip()
    test.save()
    activity_record(startup=test.startup, actor=actor, verb="test.updated", target=test)
    if moves:
        _move_hypothesis(test, actor)
    return test


@transaction.atomic
def usertest_delete(*, test: UserTest, actor: User | None) -> None:
    """Delete the test; its hypothesis keeps its status."""
    activity_record(startup=test.startup, actor=actor, verb="test.deleted", label=str(test))
    test.delete()


# ---------------------------------------------------------------- the weekly cadence


@dataclass(frozen=True)
class Cadence:
    """The last weeks, oldest first (the current one last), and the streak: consecutive
    weeks with at least one test, counted back from the current week — or from last week
    while the current one has no test yet (Monday morning does not break the streak)."""

    weeks: list[WeekCount]
    streak: int

    @property
    def current(self) -> WeekCount:
        return self.weeks[-1]

    @property
    def tested_weeks(self) -> int:
        return sum(1 for week in self.weeks if week.count)


def usertest_cadence(
    startup: Startup, today: datetime.date, *, weeks: int = CADENCE_WEEKS
) -> Cadence:
    """The tests per ISO week up to ``today``'s week, in one query (one row per week that
    has tests: a few hundred at most over a startup's life, the streak may be long)."""
    counts = counts_by_week(UserTest.objects.for_startup(startup), until=today)
    monday = week_start(today)
    strip = [
        WeekCount(start, counts.get(start, 0))
        for start in (monday - datetime.timedelta(weeks=back) for back in range(weeks - 1, -1, -1))
    ]
    streak = 0
    start = monday if counts.get(monday) else monday - datetime.timedelta(weeks=1)
    while counts.get(start):
        streak += 1
        start -= datetime.timedelta(weeks=1)
    return Cadence(weeks=strip, streak=streak)
