"""Stakeholders and the interactions with them: the mediation work of the intrapreneur.

A stakeholder sits in one quadrant of the 2×2 grid (influence × interest): “manage closely”
(high influence, high interest), “keep satisfied” (high, low), “keep informed” (low, high)
and “monitor” (low, low). Each interaction says what was agreed and what comes next: the
stakeholder's *current* next step is the one of its latest interaction — recording a new
interaction replaces it —, overdue once its date is past.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.enums import Level, StakeholderKind
from governance.models import Interaction, Stakeholder
from intrapreneur.activity import activity_record
from intrapreneur.models import Startup, User

STAKEHOLDER_FIELDS = (
    "name", "kind", "organisation", "role", "interest", "influence", "contact", "notes",
)
INTERACTION_FIELDS = ("date", "subject", "outcome", "next_step", "next_step_on")
NOTES_MAX_LENGTH = 20_000
# Names shown per quadrant of the grid; the others are behind “and N more”.
GRID_LIMIT = 30


class Quadrant(models.TextChoices):
    """The four quadrants of the grid, in the order the page reads them."""

    MANAGE_CLOSELY = "manage", gettext_lazy("Manage closely")
    KEEP_SATISFIED = "satisfy", gettext_lazy("Keep satisfied")
    KEEP_INFORMED = "inform", gettext_lazy("Keep informed")
    MONITOR = "monitor", gettext_lazy("Monitor")


# (influence, interest) of each quadrant.
QUADRANT_LEVELS: dict[str, tuple[str, str]] = {
    Quadrant.MANAGE_CLOSELY: (Level.HIGH, Level.HIGH),
    Quadrant.KEEP_SATISFIED: (Level.HIGH, Level.LOW),
    Quadrant.KEEP_INFORMED: (Level.LOW, Level.HIGH),
    Quadrant.MONITOR: (Level.LOW, Level.LOW),
}

QUADRANT_HINTS: dict[str, str] = {
    Quadrant.MANAGE_CLOSELY: gettext_lazy("High influence, high interest"),
    Quadrant.KEEP_SATISFIED: gettext_lazy("High influence, low interest"),
    Quadrant.KEEP_INFORMED: gettext_lazy("Low influence, high interest"),
    Quadrant.MONITOR: gettext_lazy("Low influence, low interest"),
}


def quadrant_of(*, influence: str, interest: str) -> Quadrant:
    for quadrant, levels in QUADRANT_LEVELS.items():
        if levels == (influence, interest):
            return Quadrant(quadrant)
    raise ValueError(f"No quadrant for influence={influence!r}, interest={interest!r}")


def quadrant_filter(quadrant: str) -> Q:
    influence, interest = QUADRANT_LEVELS[quadrant]
    return Q(influence=influence, interest=interest)


def _quadrant_expression() -> Case:
    return Case(
        *(
            When(quadrant_filter(quadrant), then=Value(str(quadrant)))
            for quadrant in Quadrant.values
        ),
        output_field=models.CharField(),
    )


# ---------------------------------------------------------------- reads


def stakeholders_for(startup: Startup) -> QuerySet[Stakeholder]:
    """The startup's stakeholders with what the pages show of each: its quadrant, its
    number of interactions, the date of the latest one and its next step (no N+1)."""
    latest = Interaction.objects.filter(stakeholder=OuterRef("pk")).order_by("-date", "-pk")
    counted = (
        Interaction.objects.filter(stakeholder=OuterRef("pk")).order_by()
        .values("stakeholder").annotate(n=Count("pk")).values("n")
    )
    return Stakeholder.objects.for_startup(startup).annotate(
        quadrant=_quadrant_expression(),
        interaction_count=Coalesce(
            Subquery(counted, output_field=models.IntegerField()), Value(0)
        ),
        last_interaction_on=Subquery(latest.values("date")[:1]),
        last_interaction_pk=Subquery(latest.values("pk")[:1]),
        current_next_step=Subquery(latest.values("next_step")[:1]),
        current_next_step_on=Subquery(latest.values("next_step_on")[:1]),
    )


def next_step_overdue(stakeholder: Stakeholder, today: datetime.date | None = None) -> bool:
    """The current next step (an annotation of ``stakeholders_for``) is dated in the past."""
    today = today or timezone.localdate()
    return bool(
        stakeholder.current_next_step
        and stakeholder.current_next_step_on is not None
        and stakeholder.current_next_step_on < today
    )


@dataclass
class GridQuadrant:
    """One quadrant of the grid: its count and the names shown."""

    key: str
    label: str
    hint: str
    count: int
    stakeholders: list[Stakeholder] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.stakeholders)


def stakeholder_grid(startup: Startup, *, today: datetime.date | None = None) -> list[GridQuadrant]:
    """The four quadrants, each with its count (one query) and its first names, by name
    (one query)."""
    today = today or timezone.localdate()
    base = stakeholders_for(startup)
    counts = Stakeholder.objects.for_startup(startup).aggregate(
        **{key: Count("pk", filter=quadrant_filter(key)) for key in Quadrant.values}
    )
    grid = {
        key: GridQuadrant(key, str(label), str(QUADRANT_HINTS[key]), counts[key])
        for key, label in Quadrant.choices
    }
    order = (F("name").asc(), F("pk").asc())
    rows = (
        base.annotate(
            position=Window(
                RowNumber(), partition_by=[F("influence"), F("interest")], order_by=order
            )
        )
        .filter(position__lte=GRID_LIMIT)
        .order_by(*order)
    )
    for stakeholder in rows:
        stakeholder.overdue = next_step_overdue(stakeholder, today)
        grid[stakeholder.quadrant].stakeholders.append(stakeholder)
    return list(grid.values())


def is_overdue(interaction: Interaction, *, latest_pk: int | None, today: datetime.date) -> bool:
    """An interaction's next step is overdue when it is still the current one (the latest
    interaction) and its date is past."""
    return bool(
        interaction.pk == latest_pk
        and interaction.next_step
        and interaction.next_step_on is not None
        and interaction.next_step_on < today
    )


# ---------------------------------------------------------------- writes


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def _clean_stakeholder(fields: dict) -> dict:
    unknown = set(fields) - set(STAKEHOLDER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown stakeholder fields: {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    for name in ("name", "organisation", "role", "contact"):
        if name in cleaned:
            cleaned[name] = _squash(cleaned[name])
    if "notes" in cleaned:
        cleaned["notes"] = (cleaned["notes"] or "").strip()
        if len(cleaned["notes"]) > NOTES_MAX_LENGTH:
            raise ValidationError(
                _("The notes have %(max)d characters at most.") % {"max": NOTES_MAX_LENGTH}
            )
    if "name" in cleaned and not cleaned["name"]:
        raise ValidationError(_("Give the stakeholder's name."))
    if "kind" in cleaned and cleaned["kind"] not in StakeholderKind.values:
        raise ValidationError(_("Unknown kind of stakeholder."))
    for name in ("interest", "influence"):
        if name in cleaned and cleaned[name] not in Level.values:
            raise ValidationError(_("Interest and influence are high or low."))
    return cleaned


@transaction.atomic
def stakeholder_create(
    *,
    startup: Startup,
    actor: User | None,
    name: str,
    kind: str = StakeholderKind.PERSON,
    organisation: str = "",
    role: str = "",
    interest: str = Level.HIGH,
    influence: str = Level.HIGH,
    contact: str = "",
    notes: str = "",
) -> Stakeholder:
    data = _clean_stakeholder(
        {
            "name": name, "kind": kind, "organisation": organisation, "role": role,
            "interest": interest, "influence": influence, "contact": contact, "notes": notes,
        }
    )
    stakeholder = Stakeholder.objects.create(startup=startup, **data)
    activity_record(
        startup=startup, actor=actor, verb="stakeholder.created", target=stakeholder
    )
    return stakeholder


@transaction.atomic
def stakeholder_update(*, stakeholder: Stakeholder, actor: User | None, **fields) -> Stakeholder:
    data = _clean_stakeholder(fields)
    for name, value in data.items():
        setattr(stakeholder, name, value)
    stakeholder.save()
    activity_record(
        startup=stakeholder.startup, actor=actor, verb="stakeholder.updated",
        target=stakeholder,
    )
    return stakeholder


@transaction.atomic
def stakeholder_delete(*, stakeholder: Stakeholder, actor: User | None) -> None:
    """Delete the stakeholder and its interactions."""
    activity_record(
        startup=stakeholder.startup, actor=actor, verb="stakeholder.deleted",
        label=str(stakeholder),
    )
    stakeholder.delete()


@transaction.atomic
def interaction_create(
    *,
    stakeholder: Stakeholder,
    actor: User | None,
    date: datetime.date,
    subject: str,
    outcome: str = "",
    next_step: str = "",
    next_step_on: datetime.date | None = None,
) -> Interaction:
    subject = _squash(subject)
    next_step = _squash(next_step)
    outcome = (outcome or "").strip()
    if not subject:
        raise ValidationError(_("Give the interaction's subject."))
    if len(outcome) > NOTES_MAX_LENGTH:
        raise ValidationError(
            _("The outcome has %(max)d characters at most.") % {"max": NOTES_MAX_LENGTH}
        )
    if next_step_on is not None and not next_step:
        raise ValidationError(_("Say what the next step is, or leave its date empty."))
    if next_step_on is not None and next_step_on < date:
        raise ValidationError(_("The next step cannot come before the interaction."))
    interaction = Interaction.objects.create(
        startup=stakeholder.startup, stakeholder=stakeholder, date=date, subject=subject,
        outcome=outcome, next_step=next_step, next_step_on=next_step_on,
        author=actor if actor is not None and actor.is_authenticated else None,
    )
    activity_record(
        startup=stakeholder.startup, actor=actor, verb="interaction.created",
        target=stakeholder,
    )
    return interaction


@transaction.atomic
def interaction_delete(*, interaction: Interaction, actor: User | None) -> None:
    stakeholder = interaction.stakeholder
    activity_record(
        startup=interaction.startup, actor=actor, verb="interaction.deleted",
        target=stakeholder,
    )
    interaction.delete()
