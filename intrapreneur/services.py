"""Writes of the core: every write with a rule, or more than one row, lives here."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from intrapreneur.activity import activity_record
from intrapreneur.enums import COMMITTEE_PHASE, EventKind, NotificationKind, Phase, Role
from intrapreneur.models import (
    Attachment,
    Event,
    Incubator,
    Membership,
    PhaseChange,
    Startup,
    Tag,
    User,
)
from intrapreneur.notifications import notifications_fanout
from intrapreneur.permissions import Action

# ---------------------------------------------------------------- startups


def unique_startup_slug(name: str) -> str:
    base = slugify(name)[:70] or "startup"
    slug, n = base, 2
    while Startup.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def startup_create(
    *, creator: User, name: str, incubator: Incubator, date: datetime.date | None = None, **fields
) -> Startup:
    """Create a startup in investigation; its creator becomes its intrapreneur."""
    startup = Startup.objects.create(
        name=name, slug=fields.pop("slug", None) or unique_startup_slug(name),
        incubator=incubator, **fields,
    )
    PhaseChange.objects.create(
        startup=startup, phase=Phase.INVESTIGATION, date=date or timezone.localdate(),
        reason=_("Startup created"), author=creator,
    )
    Membership.objects.create(startup=startup, user=creator, role=Role.INTRAPRENEUR)
    activity_record(startup=startup, actor=creator, verb="startup.created", target=startup)
    return startup


@transaction.atomic
def startup_update(*, startup: Startup, actor: User, **fields) -> Startup:
    for name, value in fields.items():
        setattr(startup, name, value)
    startup.save()
    activity_record(startup=startup, actor=actor, verb="startup.updated", target=startup)
    return startup


@transaction.atomic
def startup_set_archived(*, startup: Startup, actor: User, archived: bool) -> Startup:
    startup.archived_at = timezone.now() if archived else None
    startup.save(update_fields=["archived_at", "updated_at"])
    verb = "startup.archived" if archived else "startup.unarchived"
    activity_record(startup=startup, actor=actor, verb=verb, target=startup)
    return startup


# ---------------------------------------------------------------- phases


@transaction.atomic
def phase_change(
    *,
    startup: Startup,
    phase: str,
    author: User | None,
    reason: str,
    date: datetime.date | None = None,
    cause: models.Model | None = None,
) -> PhaseChange:
    """The only writer of ``Startup.phase``: records the change and the new stored phase."""
    if phase not in Phase.values:
        raise ValidationError(_("Unknown phase."))
    if phase == startup.phase:
        raise ValidationError(_("The startup is already in this phase."))
    if cause is None and not reason.strip():
        raise ValidationError(_("Give the reason for this phase change."))
    change = PhaseChange.objects.create(
        startup=startup,
        phase=phase,
        date=date or timezone.localdate(),
        reason=reason.strip(),
        author=author,
        cause_type=ContentType.objects.get_for_model(cause) if cause is not None else None,
        cause_id=cause.pk if cause is not None else None,
    )
    latest = startup.phase_changes.order_by("-date", "-created_at").first()
    Startup.objects.filter(pk=startup.pk).update(phase=latest.phase, updated_at=timezone.now())
    startup.phase = latest.phase
    activity_record(
        startup=startup, actor=author, verb="phase.changed", target=change,
        label=str(change.get_phase_display()),
    )
    if cause is None:
        # A committee's decision is told by its own notification (the decision kind).
        notifications_fanout(
            startup=startup, kind=NotificationKind.PHASE, actor=author, action=Action.VIEW,
            label=str(startup), detail=str(change.get_phase_display()),
            url=reverse("startup-overview", kwargs={"slug": startup.slug}),
        )
    return change


@transaction.atomic
def committee_apply_decision(
    *,
    startup: Startup,
    committee_kind: str,
    decision: str,
    author: User | None,
    date: datetime.date,
    comment: str = "",
    cause: models.Model | None = None,
) -> PhaseChange | None:
    """A committee's decision: an Event always, a phase change when the decision moves it."""
    if (committee_kind, decision) not in COMMITTEE_PHASE:
        raise ValidationError(_("Unknown committee decision."))
    Event.objects.create(startup=startup, kind=EventKind.COMMITTEE, date=date, comment=comment)
    target = COMMITTEE_PHASE[(committee_kind, decision)]
    if target is None or target == startup.phase:
        return None
    return phase_change(
        startup=startup, phase=target, author=author, reason=comment, date=date, cause=cause
    )


# ---------------------------------------------------------------- events


@transaction.atomic
def event_create(*, startup: Startup, actor: User, kind: str, date, comment: str = "") -> Event:
    event = Event.objects.create(startup=startup, kind=kind, date=date, comment=comment)
    activity_record(startup=startup, actor=actor, verb="event.created", target=event)
    return event


@transaction.atomic
def event_delete(*, event: Event, actor: User) -> None:
    activity_record(startup=event.startup, actor=actor, verb="event.deleted", label=str(event))
    event.delete()


# ---------------------------------------------------------------- team


def _ensure_other_intrapreneur(membership: Membership) -> None:
    if membership.role != Role.INTRAPRENEUR:
        return
    others = Membership.objects.intrapreneurs().filter(startup_id=membership.startup_id)
    if not others.exclude(pk=membership.pk).exists():
        raise ValidationError(
            _("A startup keeps at least one intrapreneur: name another one first.")
        )


@transaction.atomic
def membership_add(
    *, startup: Startup, actor: User, user: User, role: str, job_title: str = "",
    week_share: int = 100,
) -> Membership:
    if Membership.objects.filter(startup=startup, user=user).exists():
        raise ValidationError(_("This person is already in the team."))
    membership = Membership.objects.create(
        startup=startup, user=user, role=role, job_title=job_title, week_share=week_share
    )
    activity_record(startup=startup, actor=actor, verb="member.added", target=user)
    return membership


@transaction.atomic
def membership_update(
    *, membership: Membership, actor: User, role: str, job_title: str, week_share: int
) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role != membership.role:
        _ensure_other_intrapreneur(membership)
    role_changed = role != membership.role
    membership.role, membership.job_title, membership.week_share = role, job_title, week_share
    membership.save()
    if role_changed:
        activity_record(
            startup=membership.startup, actor=actor, verb="member.role_changed",
            target=membership.user, label=f"{membership.user} ({membership.get_role_display()})",
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove someone from the team, or let them leave (actor == the member)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _ensure_other_intrapreneur(membership)
    verb = "member.left" if actor.pk == membership.user_id else "member.removed"
    activity_record(
        startup=membership.startup, actor=actor, verb=verb, target=membership.user
    )
    membership.delete()


# ---------------------------------------------------------------- tags


def tags_resolve(*, startup: Startup, names: list[str]) -> list[Tag]:
    """The startup's tags of these names, creating the missing ones (case-insensitive)."""
    wanted: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())[:60]
        if name:
            wanted.setdefault(name.lower(), name)
    if not wanted:
        return []
    existing = {
        tag.name.lower(): tag
        for tag in Tag.objects.filter(startup=startup).filter(
            models.Q(*[models.Q(name__iexact=n) for n in wanted.values()], _connector=models.Q.OR)
        )
    }
    tags = []
    for key, name in wanted.items():
        tag = existing.get(key)
        if tag is None:
            tag, _created = Tag.objects.get_or_create(startup=startup, name=name)
        tags.append(tag)
    return tags


@transaction.atomic
def tag_create(*, startup: Startup, actor: User, name: str) -> Tag:
    name = " ".join(name.split())
    if Tag.objects.filter(startup=startup, name__iexact=name).exists():
        raise ValidationError(_("This tag already exists."))
    tag = Tag.objects.create(startup=startup, name=name)
    activity_record(startup=startup, actor=actor, verb="tag.created", target=tag)
    return tag


@transaction.atomic
def tag_rename(*, tag: Tag, actor: User, name: str) -> Tag:
    name = " ".join(name.split())
    clash = Tag.objects.filter(startup_id=tag.startup_id, name__iexact=name).exclude(pk=tag.pk)
    if clash.exists():
        raise ValidationError(_("Another tag already has this name."))
    old = tag.name
    tag.name = name
    tag.save(update_fields=["name"])
    activity_record(
        startup=tag.startup, actor=actor, verb="tag.renamed", target=tag, label=f"{old} → {name}"
    )
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag, actor: User) -> None:
    activity_record(startup=tag.startup, actor=actor, verb="tag.deleted", label=tag.name)
    tag.delete()


# ---------------------------------------------------------------- files


@transaction.atomic
def attachment_create(
    *, startup: Startup, actor: User, upload, name: str = "", tags: list[str] | None = None,
    owner: models.Model | None = None, required_action: str = "view",
) -> Attachment:
    attachment = Attachment.objects.create(
        startup=startup,
        file=upload,
        name=(name or upload.name)[:255],
        content_type=upload.content_type,
        size=upload.size,
        required_action=required_action,
        owner_type=ContentType.objects.get_for_model(owner) if owner is not None else None,
        owner_id=owner.pk if owner is not None else None,
        uploaded_by=actor,
    )
    if tags:
        attachment.tags.set(tags_resolve(startup=startup, names=tags))
    # The activity log is read with `view`: a research file's name stays out of it.
    public = required_action == "view"
    activity_record(
        startup=startup, actor=actor, verb="file.uploaded", target=attachment if public else None
    )
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    public = attachment.required_action == "view"
    activity_record(
        startup=attachment.startup, actor=actor, verb="file.deleted",
        label=attachment.name if public else "",
    )
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


# ---------------------------------------------------------------- accounts


def startups_needing(user: User) -> list[Startup]:
    """The startups of which this person is the last intrapreneur."""
    owned = Membership.objects.intrapreneurs().filter(user=user).values("startup")
    others = (
        Membership.objects.intrapreneurs()
        .filter(startup__in=owned)
        .exclude(user=user)
        .values("startup")
    )
    return list(Startup.objects.filter(pk__in=owned).exclude(pk__in=others))


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete an account, unless it leaves a startup without intrapreneur."""
    if startups_needing(user):
        raise ValidationError(
            _("Name another intrapreneur of your startups before deleting your account.")
        )
    user.delete()
