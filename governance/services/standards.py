"""The State's standards a startup follows up: accessibility (RGAA), the security
homologation, the risk analysis, the DSFR, eco-design, DashLord, the public statistics and
budget pages.

Every startup shows every standard: a kind nobody filled in yet is an unsaved ``Standard``
(status “to do”, no owner, no deadline) until the first save writes its row. Each has an
owner (a member of the startup) and a deadline; it is *late* when the deadline passed and it
is not done (``governance.models.standard_late``). The owner is e-mailed before the deadline
— 14 days, then 3 days before — and once it is late, each reminder once (the outbox key).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.enums import RgaaCompliance, StandardKind, StandardStatus
from governance.models import OPEN_STANDARD, Standard, standard_late
from intrapreneur.activity import activity_record
from intrapreneur.models import Membership, OutboxMessage, Startup, User
from intrapreneur.outbox import outbox_enqueue

COMMON_FIELDS = ("status", "owner", "due_on", "url", "notes")
# What each kind asks beyond the common fields.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    StandardKind.ACCESSIBILITY: ("compliance", "audited_on"),
    StandardKind.SECURITY: ("homologated_on", "renewal_due_on"),
}
ALL_FIELDS = COMMON_FIELDS + tuple(name for names in KIND_FIELDS.values() for name in names)
NOTES_MAX_LENGTH = 5_000
# The owner is reminded this many days before the deadline (then once it is late).
REMINDER_DAYS = (14, 3)
LATE = "late"


def fields_of(kind: str) -> tuple[str, ...]:
    return COMMON_FIELDS + KIND_FIELDS.get(kind, ())


# ---------------------------------------------------------------- reads


def _new(startup: Startup, kind: str) -> Standard:
    return Standard(startup=startup, kind=kind)


def standards_for(startup: Startup) -> list[Standard]:
    """Every standard of the startup, in the order of ``StandardKind``: the saved ones with
    their owner, an empty one for each kind not filled in yet (one query)."""
    saved = {
        standard.kind: standard
        for standard in Standard.objects.for_startup(startup).select_related("owner__user")
    }
    rows = []
    for kind in StandardKind.values:
        standard = saved.get(kind) or _new(startup, kind)
        standard.startup = startup
        rows.append(standard)
    return rows


def standard_for(startup: Startup, kind: str) -> Standard:
    """The startup's standard of this kind, saved or not yet."""
    if kind not in StandardKind.values:
        raise Standard.DoesNotExist
    standard = (
        Standard.objects.for_startup(startup).select_related("owner__user")
        .filter(kind=kind).first()
    )
    return standard or _new(startup, kind)


@dataclass
class StandardsSummary:
    """What the overview shows: how many are done, and the late ones."""

    total: int
    done: int
    late: list[Standard]


def standards_summary(startup: Startup, *, today: datetime.date) -> StandardsSummary:
    rows = standards_for(startup)
    return StandardsSummary(
        total=len(rows),
        done=sum(1 for s in rows if s.status in (StandardStatus.DONE,
                                                 StandardStatus.NOT_APPLICABLE)),
        late=[s for s in rows if s.is_late(today)],
    )


def late_standards_count(*, today: datetime.date) -> Coalesce:
    """An annotation of startups: how many of their standards are late (a subquery)."""
    late = (
        Standard.objects.filter(startup=OuterRef("pk")).filter(standard_late(today))
        .order_by().values("startup").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(late), Value(0))


# ---------------------------------------------------------------- writes


def _clean(startup: Startup, kind: str, fields: dict) -> dict:
    unknown = set(fields) - set(fields_of(kind))
    if unknown:
        raise TypeError(f"Unknown fields for {kind}: {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    if "status" in cleaned and cleaned["status"] not in StandardStatus.values:
        raise ValidationError(_("Unknown status."))
    owner = cleaned.get("owner")
    if owner is not None and owner.startup_id != startup.pk:
        raise ValidationError(_("The owner must be a member of the startup."))
    if cleaned.get("compliance") and cleaned["compliance"] not in RgaaCompliance.values:
        raise ValidationError(_("Unknown RGAA compliance."))
    cleaned["url"] = (cleaned.get("url") or "").strip()
    cleaned["notes"] = (cleaned.get("notes") or "").strip()
    if len(cleaned["notes"]) > NOTES_MAX_LENGTH:
        raise ValidationError(
            _("The notes have %(max)d characters at most.") % {"max": NOTES_MAX_LENGTH}
        )
    if kind == StandardKind.SECURITY:
        given, renewal = cleaned.get("homologated_on"), cleaned.get("renewal_due_on")
        if cleaned.get("status") == StandardStatus.DONE and not given:
            raise ValidationError(_("Give the date of the homologation to mark it done."))
        if given and renewal and renewal <= given:
            raise ValidationError(_("The renewal deadline comes after the homologation."))
    return cleaned


@transaction.atomic
def standard_save(*, startup: Startup, kind: str, actor: User | None, **fields) -> Standard:
    """Write the startup's standard of this kind (its row is created the first time)."""
    if kind not in StandardKind.values:
        raise ValidationError(_("Unknown standard."))
    cleaned = _clean(startup, kind, fields)
    author = actor if actor is not None and actor.is_authenticated else None
    standard, _created = Standard.objects.update_or_create(
        startup=startup, kind=kind, defaults={**cleaned, "updated_by": author},
    )
    activity_record(startup=startup, actor=actor, verb="standard.updated", target=standard)
    return standard


# ---------------------------------------------------------------- reminders


def reminder_stage(deadline: datetime.date, today: datetime.date) -> str | None:
    """Which reminder is due: "14" up to 14 days before, "3" up to 3 days before, "late"
    once the deadline passed; None further away."""
    days = (deadline - today).days
    if days < 0:
        return LATE
    for limit in sorted(REMINDER_DAYS):
        if days <= limit:
            return str(limit)
    return None


def standards_to_remind(*, today: datetime.date) -> QuerySet[Standard]:
    """The standards with an owner whose deadline is within the first reminder or past, in
    the active startups."""
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    near = Q(status__in=OPEN_STANDARD, due_on__lte=horizon) | Q(
        kind=StandardKind.SECURITY, status=StandardStatus.DONE, renewal_due_on__lte=horizon
    )
    return (
        Standard.objects.filter(near, owner__isnull=False, owner__user__is_active=True,
                                startup__archived_at__isnull=True)
        .select_related("startup", "owner__user")
        .order_by("pk")
    )


def reminder_key(standard: Standard, deadline: datetime.date, stage: str) -> str:
    return (
        f"standard-reminder:{standard.pk}:{deadline.isoformat()}:{stage}:"
        f"{standard.owner.user_id}"
    )


def standard_reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail each owner the reminder due for their standard, through the outbox: once per
    standard, deadline, stage and owner. Returns how many e-mails were new."""
    today = today or timezone.localdate()
    due = []
    for standard in standards_to_remind(today=today):
        deadline = standard.deadline
        stage = reminder_stage(deadline, today) if deadline else None
        if stage is not None:
            due.append((standard, deadline, stage, reminder_key(standard, deadline, stage)))
    sent = set(
        OutboxMessage.objects.filter(key__in=[key for *_rest, key in due])
        .values_list("key", flat=True)
    )
    created = 0
    for standard, deadline, stage, key in due:
        if key in sent:
            continue
        user = standard.owner.user
        path = reverse("governance:standard-list", kwargs={"slug": standard.startup.slug})
        outbox_enqueue(
            key=key, kind="standard-reminder", to=user.email, template="standard_reminder",
            context={
                "startup": standard.startup, "user": user, "standard": standard,
                "deadline": deadline, "late": stage == LATE,
                "days_left": (deadline - today).days,
                "days_late": (today - deadline).days,
                "renewal": standard.status == StandardStatus.DONE,
                "url": f"{settings.SITE_URL}{path}#standard-{standard.kind}",
            },
        )
        created += 1
    return created


def owner_choices(startup: Startup) -> QuerySet[Membership]:
    return startup.memberships.select_related("user").order_by(
        "user__first_name", "user__last_name", "user__email"
    )
