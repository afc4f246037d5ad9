"""Partners and deployment: the organisations the service is deployed with, and where each
deployment stands (identified → in discussion → agreement signed → onboarding → deployed,
or lost).

A stage change is an activity of its own (``partner.stage``), recorded only when the stage
really changes: a double submission leaves one trace.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from intrapreneur.activity import activity_record
from intrapreneur.models import Startup, User
from products.enums import PartnerKind, PartnerStage
from products.models import Partner

PARTNER_FIELDS = (
    "organisation", "kind", "territory", "contact", "stage", "next_step", "next_step_date",
    "notes",
)
NOTES_MAX_LENGTH = 20_000

# ---------------------------------------------------------------- reads


def stage_counts(queryset: QuerySet[Partner]) -> dict[str, int]:
    """How many partners at each stage (every stage, in the pipeline's order): one query."""
    return queryset.count_by("stage", PartnerStage.values)


def partners_by_stage(startup: Startup) -> dict[str, int]:
    """The startup's partners counted per stage, every stage present: one query."""
    return stage_counts(Partner.objects.for_startup(startup))


def is_overdue(partner: Partner, today: datetime.date | None = None) -> bool:
    """A next step whose date is past, for a partner still followed (not lost)."""
    today = today or timezone.localdate()
    return (
        partner.next_step_date is not None
        and partner.next_step_date < today
        and partner.stage != PartnerStage.LOST
    )


def territory_key(territory: str) -> tuple[int, str]:
    """Sort territories alphabetically whatever their accents and case; empty last."""
    folded = unicodedata.normalize("NFKD", territory).encode("ascii", "ignore").decode()
    return (0 if territory else 1, folded.casefold())


@dataclass
class Territory:
    """One territory of the territories page: its counts and its partners."""

    name: str
    total: int
    deployed: int
    partners: list[Partner] = field(default_factory=list)


def territories(queryset: QuerySet[Partner]) -> list[Territory]:
    """Every territory of these partners with its counts, sorted by name (one query); the
    partners themselves are read for one page of territories by ``territories_fill``."""
    rows = (
        queryset.order_by()
        .values("territory")
        .annotate(
            total=Count("pk"), deployed=Count("pk", filter=Q(stage=PartnerStage.DEPLOYED))
        )
    )
    found = [Territory(row["territory"], row["total"], row["deployed"]) for row in rows]
    return sorted(found, key=lambda t: territory_key(t.name))


def territories_fill(queryset: QuerySet[Partner], page: list[Territory]) -> None:
    """Attach their partners (by organisation) to these territories: one query."""
    by_name = {territory.name: territory for territory in page}
    if not by_name:
        return
    partners = queryset.filter(territory__in=list(by_name)).order_by("organisation", "pk")
    for partner in partners.only("pk", "organisation", "territory", "stage", "kind"):
        by_name[partner.territory].partners.append(partner)


# ---------------------------------------------------------------- writes


def _clean(fields: dict) -> dict:
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown partner fields: {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    for name in ("organisation", "territory", "contact", "next_step"):
        if name in cleaned:
            cleaned[name] = " ".join((cleaned[name] or "").split())
    if "notes" in cleaned:
        cleaned["notes"] = (cleaned["notes"] or "").strip()
        if len(cleaned["notes"]) > NOTES_MAX_LENGTH:
            raise ValidationError(
                _("The notes have %(max)d characters at most.") % {"max": NOTES_MAX_LENGTH}
            )
    if "organisation" in cleaned and not cleaned["organisation"]:
        raise ValidationError(_("Give the organisation's name."))
    if "kind" in cleaned and cleaned["kind"] not in PartnerKind.values:
        raise ValidationError(_("Unknown kind of partner."))
    if "stage" in cleaned:
        _check_stage(cleaned["stage"])
    return cleaned


def _check_stage(stage: str) -> None:
    if stage not in PartnerStage.values:
        raise ValidationError(_("Unknown stage: choose one of the pipeline's stages."))


@transaction.atomic
def partner_create(
    *,
    startup: Startup,
    actor: User | None,
    organisation: str,
    kind: str = PartnerKind.COLLECTIVITE,
    territory: str = "",
    contact: str = "",
    stage: str = PartnerStage.IDENTIFIED,
    next_step: str = "",
    next_step_date: datetime.date | None = None,
    notes: str = "",
) -> Partner:
    data = _clean(
        {
            "organisation": organisation, "kind": kind, "territory": territory,
            "contact": contact, "stage": stage, "next_step": next_step,
            "next_step_date": next_step_date, "notes": notes,
        }
    )
    partner = Partner.objects.create(startup=startup, **data)
    activity_record(startup=startup, actor=actor, verb="partner.created", target=partner)
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, actor: User | None, **fields) -> Partner:
    """Save the given fields; a changed stage is also recorded as a stage change."""
    data = _clean(fields)
    # The stored stage, not the instance's: a bound ModelForm has already written on it.
    previous_stage = (
        Partner.objects.select_for_update().filter(pk=partner.pk)
        .values_list("stage", flat=True).get()
    )
    for name, value in data.items():
        setattr(partner, name, value)
    partner.save()
    activity_record(
        startup=partner.startup, actor=actor, verb="partner.updated", target=partner
    )
    if partner.stage != previous_stage:
        _record_stage(partner, actor)
    return partner


def _record_stage(partner: Partner, actor: User | None) -> None:
    activity_record(
        startup=partner.startup, actor=actor, verb="partner.stage", target=partner,
        label=f"{partner} → {partner.get_stage_display()}",
    )


@transaction.atomic
def partner_set_stage(*, partner: Partner, actor: User | None, stage: str) -> bool:
    """Move the partner to ``stage``. Returns whether the stage changed (the activity is
    recorded only then)."""
    _check_stage(stage)
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    if locked.stage == stage:
        partner.stage = stage
        return False
    partner.stage = stage
    partner.updated_at = timezone.now()
    Partner.objects.filter(pk=partner.pk).update(stage=stage, updated_at=partner.updated_at)
    _record_stage(partner, actor)
    return True


@transaction.atomic
def partner_delete(*, partner: Partner, actor: User | None) -> None:
    activity_record(
        startup=partner.startup, actor=actor, verb="partner.deleted", label=str(partner)
    )
    partner.delete()
