"""Learnings: the plan revision log. Each entry says what the team learned, on what evidence
(user tests, insights, metrics, feedback of the same startup, free notes), and what it
changes and stops in the plan because of it.

``learning_create`` needs no request: the governance app records a learning when an
investment committee decides to pivot.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from intrapreneur.activity import activity_record
from intrapreneur.models import Startup, User
from investigations.models import Insight
from products.models import Feedback, Learning, Metric, UserTest

LEARNED_MAX_LENGTH = 10_000

# ---------------------------------------------------------------- reads


def learnings_with_evidence(startup: Startup, *, feedback_text: bool) -> QuerySet[Learning]:
    """The startup's learnings, newest first, with their author and their evidence of each
    kind prefetched in display order (one query per kind). Without ``feedback_text`` (people
    without ``view_research``) the feedback items are fetched without their text: the page
    only counts them."""
    feedback = Feedback.objects.order_by("-date", "-pk")
    if not feedback_text:
        feedback = feedback.only("pk", "date")
    return (
        Learning.objects.for_startup(startup)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "tests",
                queryset=UserTest.objects.select_related("hypothesis").order_by("-date", "-pk"),
            ),
            Prefetch("insights", queryset=Insight.objects.order_by("-created_at", "-pk")),
            Prefetch("metrics", queryset=Metric.objects.order_by("name", "pk")),
            Prefetch("feedback", queryset=feedback),
        )
        .order_by("-date", "-pk")
    )


def latest_learnings(startup: Startup, limit: int = 3) -> list[Learning]:
    """The ``limit`` most recent learnings (the product home shows them): one query."""
    return list(
        Learning.objects.for_startup(startup).select_related("author").order_by("-date", "-pk")[
            :limit
        ]
    )


# ---------------------------------------------------------------- writes


def _clean_text(text: str, *, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError(_("Say what you learned."))
    if len(text) > LEARNED_MAX_LENGTH:
        raise ValidationError(
            _("A text has %(max)d characters at most.") % {"max": LEARNED_MAX_LENGTH}
        )
    return text


def _check_evidence(startup: Startup, *groups: Iterable[models.Model] | None) -> None:
    """Every evidence object must belong to the startup."""
    for group in groups:
        for obj in group or ():
            if obj.startup_id != startup.pk:
                raise ValidationError(_("Some of the evidence does not belong to this startup."))


def _check_date(date: datetime.date) -> datetime.date:
    if date > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    return date


@transaction.atomic
def learning_create(
    *,
    startup: Startup,
    actor: User | None,
    learned: str,
    date: datetime.date | None = None,
    tests: Iterable[UserTest] | None = None,
    insights: Iterable[Insight] | None = None,
    metrics: Iterable[Metric] | None = None,
    feedback: Iterable[Feedback] | None = None,
    evidence_notes: str = "",
    changes: str = "",
    stops: str = "",
) -> Learning:
    """Record a learning; the evidence lists are optional, each must be the startup's."""
    tests, insights = list(tests or []), list(insights or [])
    metrics, feedback = list(metrics or []), list(feedback or [])
    _check_evidence(startup, tests, insights, metrics, feedback)
    learning = Learning.objects.create(
        startup=startup,
        date=_check_date(date or timezone.localdate()),
        learned=_clean_text(learned, required=True),
        evidence_notes=_clean_text(evidence_notes),
        changes=_clean_text(changes),
        stops=_clean_text(stops),
        author=actor if actor is not None and actor.is_authenticated else None,
    )
    learning.tests.set(tests)
    learning.insights.set(insights)
    learning.metrics.set(metrics)
    learning.feedback.set(feedback)
    activity_record(startup=startup, actor=actor, verb="learning.recorded", target=learning)
    return learning


@transaction.atomic
def learning_update(
    *,
    learning: Learning,
    actor: User | None,
    learned: str,
    date: datetime.date,
    tests: Iterable[UserTest] | None = None,
    insights: Iterable[Insight] | None = None,
    metrics: Iterable[Metric] | None = None,
    feedback: Iterable[Feedback] | None = None,
    evidence_notes: str = "",
    changes: str = "",
    stops: str = "",
) -> Learning:
    """Save the learning. An evidence list left to None stays as it is (a person without
    ``view_research`` neither sees nor sends the feedback)."""
    startup = learning.startup
    groups = {"tests": tests, "insights": insights, "metrics": metrics, "feedback": feedback}
    groups = {name: list(group) for name, group in groups.items() if group is not None}
    _check_evidence(startup, *groups.values())
    learning.date = _check_date(date)
    learning.learned = _clean_text(learned, required=True)
    learning.evidence_notes = _clean_text(evidence_notes)
    learning.changes = _clean_text(changes)
    learning.stops = _clean_text(stops)
    learning.save()
    for name, group in groups.items():
        getattr(learning, name).set(group)
    activity_record(startup=startup, actor=actor, verb="learning.updated", target=learning)
    return learning


@transaction.atomic
def learning_delete(*, learning: Learning, actor: User | None) -> None:
    """Delete the entry; its evidence stays (only the links go)."""
    activity_record(
        startup=learning.startup, actor=actor, verb="learning.deleted", label=str(learning)
    )
    learning.delete()
