"""Notifications: one service writes them, the bell and the weekly digest read them.

``notifications_fanout`` is called by the services where something happens (new feedback,
a release published, a user test, a committee decision, a phase change, a mention or a
reply in a comment). It tells the members of the startup whose role may see the object
(``intrapreneur.permissions``), never the person who acted, each as their preferences say:
a kind switched off in both channels writes nothing for that person.

``digests_send`` (beat, Mondays) e-mails each member what happened in their startups the
week before, through the outbox: the key holds the person and the ISO week, so the digest
goes once, however many times the task runs.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intrapreneur.dates import week_start
from intrapreneur.enums import NotificationKind
from intrapreneur.models import (
    Notification,
    NotificationPreference,
    OutboxMessage,
    Startup,
    User,
)
from intrapreneur.outbox import outbox_enqueue
from intrapreneur.permissions import ROLE_ACTIONS, Action

# How each kind reads; %(actor)s, %(label)s (the object) and %(detail)s are filled in.
TEXTS = {
    NotificationKind.FEEDBACK: _("%(actor)s recorded new feedback: “%(label)s”"),
    NotificationKind.RELEASE: _("%(actor)s published the release %(label)s"),
    NotificationKind.TEST: _("%(actor)s recorded the user test “%(label)s”"),
    NotificationKind.DECISION: _("%(label)s: decision “%(detail)s”"),
    NotificationKind.PHASE: _("%(actor)s changed the phase to “%(detail)s”"),
    NotificationKind.MENTION: _("%(actor)s mentioned you in a comment on “%(label)s”"),
    NotificationKind.REPLY: _("%(actor)s replied to your comment on “%(label)s”"),
}
# Who acted when nobody signed in did (the public feedback form, a task).
NO_ACTOR = {
    NotificationKind.FEEDBACK: _("A user"),
}
DEFAULT_NO_ACTOR = _("Someone")


def notification_text(notification: Notification) -> str:
    kind = NotificationKind(notification.kind)
    actor = notification.actor or NO_ACTOR.get(kind, DEFAULT_NO_ACTOR)
    return str(TEXTS[kind]) % {
        "actor": actor, "label": notification.label, "detail": notification.detail,
    }


def excerpt(text: str, length: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# ---------------------------------------------------------------- preferences


def preferences_of(users: Iterable[User], kind: str) -> dict[int, tuple[bool, bool]]:
    """user id -> (in the application, in the digest) for one kind; both on by default."""
    ids = [user.pk for user in users]
    chosen = {
        pref.user_id: (pref.in_app, pref.email)
        for pref in NotificationPreference.objects.filter(user_id__in=ids, kind=kind)
    }
    return {pk: chosen.get(pk, (True, True)) for pk in ids}


def preferences_for_user(user: User) -> dict[str, tuple[bool, bool]]:
    """kind -> (in the application, in the digest) of one person, every kind."""
    chosen = {
        pref.kind: (pref.in_app, pref.email)
        for pref in NotificationPreference.objects.filter(user=user)
    }
    return {kind: chosen.get(kind, (True, True)) for kind in NotificationKind.values}


@transaction.atomic
def notification_preferences_set(
    *, user: User, in_app: Iterable[str], email: Iterable[str]
) -> None:
    """Save the kinds a person wants in the application and in the digest (the others off)."""
    in_app, email = set(in_app), set(email)
    for kind in NotificationKind.values:
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"in_app": kind in in_app, "email": kind in email}
        )


# ---------------------------------------------------------------- writing


def members_who_may(startup: Startup, action: Action) -> QuerySet[User]:
    """The active members of the startup whose role has ``action``."""
    roles = [role for role, actions in ROLE_ACTIONS.items() if action in actions]
    return User.objects.filter(
        memberships__startup=startup, memberships__role__in=roles, is_active=True
    )


def notifications_fanout(
    *,
    startup: Startup,
    kind: str,
    actor: User | None,
    action: Action,
    label: str,
    url: str,
    detail: str = "",
    recipients: Iterable[User] | None = None,
) -> int:
    """Tell the members who may ``action`` (only ``recipients`` among them when given) —
    never ``actor`` — as their preferences for ``kind`` say. Returns how many were told."""
    allowed = members_who_may(startup, action)
    if recipients is not None:
        allowed = allowed.filter(pk__in=[user.pk for user in recipients])
    if actor is not None and actor.is_authenticated:
        allowed = allowed.exclude(pk=actor.pk)
    people = list(allowed.order_by("pk"))
    if not people:
        return 0
    choices = preferences_of(people, kind)
    now = timezone.now()
    rows = [
        Notification(
            recipient=person, startup=startup, kind=kind,
            actor=actor if actor is not None and actor.is_authenticated else None,
            label=excerpt(label, 300), detail=excerpt(detail, 300), url=url,
            in_app=choices[person.pk][0], in_digest=choices[person.pk][1], created_at=now,
        )
        for person in people
        if any(choices[person.pk])
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    return (
        Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True)
        .update(read_at=timezone.now())
    )


# ---------------------------------------------------------------- the weekly digest


@dataclass
class DigestSection:
    """One startup's part of a digest: its notifications, kind by kind."""

    startup: Startup
    kinds: dict[str, list[Notification]] = field(default_factory=dict)

    @property
    def groups(self) -> list[tuple[str, list[Notification]]]:
        return [
            (str(NotificationKind(kind).label), self.kinds[kind])
            for kind in NotificationKind.values if kind in self.kinds
        ]


def digest_key(user_id: int, monday: datetime.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"digest:{user_id}:{year}-W{week:02d}"


def digests_send(*, today: datetime.date | None = None) -> int:
    """E-mail each member the week before's notifications of their startups, once a week
    (the kinds they switched off in the digest left out); returns how many were new."""
    today = today or timezone.localdate()
    monday = week_start(today) - datetime.timedelta(days=7)
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    end = start + datetime.timedelta(days=7)
    notifications = (
        Notification.objects.filter(
            in_digest=True, created_at__gte=start, created_at__lt=end,
            recipient__is_active=True, startup__memberships__user_id=F("recipient_id"),
        )
        .select_related("startup", "actor", "recipient")
        .order_by("recipient_id", "startup__name", "startup_id", "created_at", "pk")
    )
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for notification in notifications:
        by_person[notification.recipient_id].append(notification)
    if not by_person:
        return 0
    sent = set(
        OutboxMessage.objects.filter(
            key__in=[digest_key(pk, monday) for pk in by_person]
        ).values_list("key", flat=True)
    )
    muted = {
        (pref.user_id, pref.kind)
        for pref in NotificationPreference.objects.filter(user_id__in=by_person, email=False)
    }
    created = 0
    for person_id, rows in by_person.items():
        key = digest_key(person_id, monday)
        rows = [n for n in rows if (person_id, n.kind) not in muted]
        if key in sent or not rows:
            continue
        sections: dict[int, DigestSection] = {}
        for notification in rows:
            section = sections.setdefault(
                notification.startup_id, DigestSection(startup=notification.startup)
            )
            section.kinds.setdefault(notification.kind, []).append(notification)
        person = rows[0].recipient
        outbox_enqueue(
            key=key, kind="digest", to=person.email, template="notifications_digest",
            context={
                "user": person, "week": monday.isocalendar()[1], "week_start": monday,
                "week_end": monday + datetime.timedelta(days=6),
                "sections": list(sections.values()), "count": len(rows),
                "site_url": settings.SITE_URL,
            },
        )
        created += 1
    return created

