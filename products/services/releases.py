"""Releases close the feedback loop: publishing one marks the feedback it answers as done
and tells the authors who asked to be answered (once per item, through the outbox).

A draft touches nothing: its feedback stays as it is until the release is published — at
creation, by editing it, or with the publish button. Unpublishing or deleting a published
release does not reopen its feedback.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from intrapreneur.activity import activity_record
from intrapreneur.dates import WeekCount, last_weeks
from intrapreneur.enums import NotificationKind
from intrapreneur.models import OutboxMessage, Startup, User
from intrapreneur.notifications import notifications_fanout
from intrapreneur.permissions import Action
from products.enums import FeedbackStatus
from products.models import Feedback, Release
from products.services.feedback import feedback_notify_answered

VERSION_MAX_LENGTH = 100
NOTES_MAX_LENGTH = 50_000

# ---------------------------------------------------------------- reads


def releases_per_week(
    startup: Startup, today: datetime.date, weeks: int = 12
) -> list[WeekCount]:
    """How many releases were published in each of the last ``weeks`` ISO weeks, this week
    included, by their date: (Monday of the week, count), the oldest week first. One query.
    """
    return last_weeks(
        Release.objects.for_startup(startup).published(), today=today, weeks=weeks
    )


def answerable_feedback(startup: Startup, release: Release | None = None) -> QuerySet[Feedback]:
    """The items a release may answer: the startup's open items that are not merged
    duplicates, and those it already answers (done since, perhaps)."""
    condition = Q(merged_into__isnull=True) & ~Q(
        status__in=[FeedbackStatus.DONE, FeedbackStatus.WONT_DO]
    )
    if release is not None and release.pk is not None:
        attached = Release.answers.through.objects.filter(release=release)
        condition |= Q(pk__in=attached.values("feedback_id"))
    return Feedback.objects.for_startup(startup).filter(condition).order_by("-date", "-pk")


# ---------------------------------------------------------------- writes


@dataclass(frozen=True)
class Closure:
    """What publishing did to the feedback: items moved to done, authors to be told."""

    closed: int = 0
    told: int = 0


def _clean(startup: Startup, version: str, answers: Iterable[Feedback]) -> tuple[str, list]:
    version = " ".join(version.split())
    if not version:
        raise ValidationError(_("Give the release a version number or a name."))
    if len(version) > VERSION_MAX_LENGTH:
        raise ValidationError(
            _("The version has %(max)d characters at most.") % {"max": VERSION_MAX_LENGTH}
        )
    answers = list(answers)
    if any(item.startup_id != startup.pk for item in answers):
        raise ValidationError(_("A release answers only the feedback of its own startup."))
    return version, answers


def _answered_keys(pks: Iterable[int]) -> list[str]:
    # The key ``feedback_notify_answered`` gives each author's message (one per item).
    return [f"feedback-answered:{pk}" for pk in pks]


def _close_answers(release: Release) -> Closure:
    """Mark the items a published release answers as done (merged duplicates follow their
    item and stay as they are) and tell their authors who asked, once per item."""
    to_close = release.answers.filter(merged_into__isnull=True).exclude(
        status=FeedbackStatus.DONE
    )
    pks = list(to_close.values_list("pk", flat=True))
    if not pks:
        return Closure()
    closed = Feedback.objects.filter(pk__in=pks)
    count = closed.update(status=FeedbackStatus.DONE, updated_at=timezone.now())
    keys = _answered_keys(pks)
    already = OutboxMessage.objects.filter(key__in=keys).count()
    feedback_notify_answered(closed)
    told = OutboxMessage.objects.filter(key__in=keys).count() - already
    return Closure(closed=count, told=told)


def _publish(release: Release, actor: User | None) -> Closure:
    release.is_published = True
    release.published_at = timezone.now()
    release.save(update_fields=["is_published", "published_at", "updated_at"])
    activity_record(
        startup=release.startup, actor=actor, verb="release.published", target=release
    )
    notifications_fanout(
        startup=release.startup, kind=NotificationKind.RELEASE, actor=actor,
        action=Action.VIEW, label=str(release), url=release.get_absolute_url(),
    )
    return _close_answers(release)


@transaction.atomic
def release_create(
    *,
    startup: Startup,
    actor: User | None,
    version: str,
    date: datetime.date | None = None,
    notes: str = "",
    answers: Iterable[Feedback] = (),
    is_published: bool = False,
) -> tuple[Release, Closure]:
    """Write a release (a draft unless ``is_published``); published, it closes its
    feedback. Returns the release and what publishing did."""
    version, answers = _clean(startup, version, answers)
    release = Release.objects.create(
        startup=startup, version=version, date=date or timezone.localdate(),
        notes=notes.strip(),
        author=actor if actor is not None and actor.is_authenticated else None,
    )
    release.answers.set(answers)
    activity_record(startup=startup, actor=actor, verb="release.created", target=release)
    closure = _publish(release, actor) if is_published else Closure()
    return release, closure


@transaction.atomic
def release_update(
    *,
    release: Release,
    actor: User | None,
    version: str,
    date: datetime.date,
    notes: str = "",
    answers: Iterable[Feedback] = (),
    is_published: bool | None = None,
) -> tuple[Release, Closure]:
    """Save the release. Published now (or still published with new answers), it closes
    the feedback it answers; back to draft, it leaves the public changelog but reopens
    nothing. ``is_published=None`` keeps the state."""
    version, answers = _clean(release.startup, version, answers)
    release.version, release.date, release.notes = version, date, notes.strip()
    was_published = release.is_published
    if is_published is False and was_published:
        release.is_published, release.published_at = False, None
    release.save()
    release.answers.set(answers)
    activity_record(
        startup=release.startup, actor=actor, verb="release.updated", target=release
    )
    closure = Closure()
    if is_published and not was_published:
        closure = _publish(release, actor)
    elif was_published and release.is_published:
        closure = _close_answers(release)
    return release, closure


@transaction.atomic
def release_publish(*, release: Release, actor: User | None) -> Closure:
    """Publish a draft: it enters the public changelog and its feedback is done."""
    locked = Release.objects.select_for_update().get(pk=release.pk)
    if locked.is_published:
        raise ValidationError(_("This release is already published."))
    closure = _publish(release, actor)
    return closure


@transaction.atomic
def release_delete(*, release: Release, actor: User) -> None:
    """Delete the release; the feedback it closed stays done."""
    activity_record(
        startup=release.startup, actor=actor, verb="release.deleted", label=str(release)
    )
    release.delete()
