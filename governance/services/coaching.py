"""The coaching log: sessions with the beta.gouv.fr coach and their action items, followed
until done.

Only the members who may ``comment`` (intrapreneur, team, coach) read and write it: the
sponsor and incubator staff never see it. For that reason its writes are not recorded in
the startup's activity, which every member — the sponsor included — reads.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import ActionItem, CoachingSession
from intrapreneur.enums import Role
from intrapreneur.models import Membership, Startup, User

SESSION_FIELDS = ("date", "coach", "coach_name", "topic", "summary", "notes")
ACTION_ITEM_FIELDS = ("text", "owner", "due_on")
NOTES_MAX_LENGTH = 20_000
# The roles that read the coaching log, hence may own an action item.
COACHING_ROLES = (Role.INTRAPRENEUR, Role.TEAM, Role.COACH)


# ---------------------------------------------------------------- reads


def coaches_of(startup: Startup) -> QuerySet[User]:
    """The members with the coach role: whom a session may name as its coach."""
    return User.objects.filter(
        memberships__startup=startup, memberships__role=Role.COACH
    ).order_by("first_name", "last_name", "email")


def owners_of(startup: Startup) -> QuerySet[User]:
    """Who may own an action item: the members who read the coaching log."""
    return User.objects.filter(
        memberships__startup=startup, memberships__role__in=COACHING_ROLES
    ).distinct().order_by("first_name", "last_name", "email")


def sessions_for(startup: Startup) -> QuerySet[CoachingSession]:
    """The startup's sessions, newest first, with their coach and their counts of action
    items (open and all): one query per page."""
    return (
        CoachingSession.objects.for_startup(startup)
        .select_related("coach")
        .annotate(
            item_count=Count("action_items"),
            open_count=Count("action_items", filter=Q(action_items__done_at__isnull=True)),
        )
        .order_by("-date", "-pk")
    )


def open_items_for(startup: Startup) -> QuerySet[ActionItem]:
    """The action items not done yet, the soonest due first, with their session and owner."""
    return (
        ActionItem.objects.for_startup(startup).open()
        .select_related("owner", "session")
    )


def session_items(session: CoachingSession) -> list[ActionItem]:
    """A session's action items, the open ones first, then by due date."""
    return list(
        session.action_items.select_related("owner", "done_by")
        .order_by(F("done_at").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "pk")
    )


# ---------------------------------------------------------------- rules


def _check_people(
    startup: Startup, *, coach: User | None = None, owner: User | None = None
) -> None:
    if coach is not None and not Membership.objects.filter(
        startup=startup, user=coach, role=Role.COACH
    ).exists():
        raise ValidationError(_("The coach must be a member of the startup with the coach role."))
    if owner is not None and not Membership.objects.filter(
        startup=startup, user=owner, role__in=COACHING_ROLES
    ).exists():
        raise ValidationError(
            _("The owner must be a member who reads the coaching log: an intrapreneur, a "
              "team member or the coach.")
        )


def _session_values(startup: Startup, values: dict) -> dict:
    coach, coach_name = values.get("coach"), (values.get("coach_name") or "").strip()
    _check_people(startup, coach=coach)
    if coach is not None:
        coach_name = ""  # a member is named by their account
    elif not coach_name:
        raise ValidationError(_("Say who the coach is: a member of the startup or a name."))
    return {**values, "coach": coach, "coach_name": coach_name}


# ---------------------------------------------------------------- sessions


@transaction.atomic
def coaching_session_create(
    *, startup: Startup, actor: User, date: datetime.date, topic: str,
    coach: User | None = None, coach_name: str = "", summary: str = "", notes: str = "",
) -> CoachingSession:
    values = _session_values(
        startup, {"date": date, "topic": topic, "coach": coach, "coach_name": coach_name,
                  "summary": summary.strip(), "notes": notes},
    )
    return CoachingSession.objects.create(startup=startup, author=actor, **values)


@transaction.atomic
def coaching_session_update(*, session: CoachingSession, actor: User, **values) -> CoachingSession:
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Not a field of a coaching session: {sorted(unknown)}")
    current = {name: getattr(session, name) for name in SESSION_FIELDS}
    for name, value in _session_values(session.startup, {**current, **values}).items():
        setattr(session, name, value)
    session.save()
    return session


@transaction.atomic
def coaching_session_delete(*, session: CoachingSession, actor: User) -> None:
    session.delete()  # its action items go with it


# ---------------------------------------------------------------- action items


@transaction.atomic
def action_item_create(
    *, session: CoachingSession, actor: User, text: str, owner: User | None = None,
    due_on: datetime.date | None = None,
) -> ActionItem:
    _check_people(session.startup, owner=owner)
    return ActionItem.objects.create(
        startup=session.startup, session=session, text=text.strip(), owner=owner,
        due_on=due_on,
    )


@transaction.atomic
def action_item_toggle(*, item: ActionItem, actor: User, done: bool | None = None) -> ActionItem:
    """Tick an action item as done, or open it again; ``done`` None flips it. Asking for
    the state it already has changes nothing (a form sent twice)."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    is_done = item.done_at is not None
    wanted = not is_done if done is None else done
    if wanted == is_done:
        return item
    item.done_at, item.done_by = (timezone.now(), actor) if wanted else (None, None)
    item.save(update_fields=["done_at", "done_by"])
    return item


@transaction.atomic
def action_item_delete(*, item: ActionItem, actor: User) -> None:
    item.delete()
