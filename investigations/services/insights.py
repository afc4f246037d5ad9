"""Writes of insights, their evidence, the affinity board and scenarios."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from intrapreneur.activity import activity_record
from intrapreneur.models import Attachment, Startup, Tag, User
from intrapreneur.services import attachment_create, attachment_delete, tags_resolve
from investigations.enums import InsightStatus
from investigations.models import Evidence, Insight, Interview, Scenario

# ---------------------------------------------------------------- insights


def _check_interview(*, startup: Startup, interview: Interview) -> None:
    if interview.startup_id != startup.pk:
        raise ValidationError(_("This interview belongs to another startup."))


def _check_tags(*, startup: Startup, tags: list[Tag | None]) -> None:
    if any(tag is not None and tag.startup_id != startup.pk for tag in tags):
        raise ValidationError(_("This tag belongs to another startup."))


@transaction.atomic
def insight_create(
    *,
    startup: Startup,
    actor: User,
    statement: str,
    status: str = InsightStatus.TO_CONFIRM,
    tags: list[str] | None = None,
    interview: Interview | None = None,
    quote: str = "",
) -> Insight:
    """A new insight, with its tags and, when given, its first piece of evidence."""
    if status not in InsightStatus.values:
        raise ValidationError(_("Unknown status."))
    insight = Insight.objects.create(startup=startup, statement=statement.strip(), status=status)
    if tags:
        insight.tags.set(tags_resolve(startup=startup, names=tags))
    if interview is not None:
        _check_interview(startup=startup, interview=interview)
        Evidence.objects.create(insight=insight, interview=interview, quote=quote.strip())
    activity_record(startup=startup, actor=actor, verb="insight.created", target=insight)
    return insight


@transaction.atomic
def insight_update(
    *, insight: Insight, actor: User, statement: str, status: str, tags: list[str]
) -> Insight:
    if status not in InsightStatus.values:
        raise ValidationError(_("Unknown status."))
    insight.statement, insight.status = statement.strip(), status
    insight.save(update_fields=["statement", "status", "updated_at"])
    insight.tags.set(tags_resolve(startup=insight.startup, names=tags))
    activity_record(
        startup=insight.startup, actor=actor, verb="insight.updated", target=insight
    )
    return insight


@transaction.atomic
def insight_delete(*, insight: Insight, actor: User) -> None:
    activity_record(
        startup=insight.startup, actor=actor, verb="insight.deleted", label=str(insight)
    )
    insight.delete()


@transaction.atomic
def insight_move(
    *, insight: Insight, actor: User, from_tag: Tag | None, to_tag: Tag | None
) -> Insight:
    """Move a card of the affinity board: leave ``from_tag``, join ``to_tag``.

    ``None`` is the "without tag" group: moving from it only adds, moving to it only removes.
    """
    if from_tag == to_tag:
        raise ValidationError(_("The insight is already in this group: choose another one."))
    _check_tags(startup=insight.startup, tags=[from_tag, to_tag])
    if from_tag is not None:
        insight.tags.remove(from_tag)
    if to_tag is not None:
        insight.tags.add(to_tag)
    insight.save(update_fields=["updated_at"])
    activity_record(
        startup=insight.startup, actor=actor, verb="insight.updated", target=insight
    )
    return insight


@transaction.atomic
def evidence_add(
    *, insight: Insight, actor: User, interview: Interview, quote: str = ""
) -> Evidence:
    _check_interview(startup=insight.startup, interview=interview)
    if Evidence.objects.filter(insight=insight, interview=interview).exists():
        raise ValidationError(_("This interview already backs the insight."))
    evidence = Evidence.objects.create(insight=insight, interview=interview, quote=quote.strip())
    activity_record(
        startup=insight.startup, actor=actor, verb="insight.updated", target=insight
    )
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor: User) -> None:
    insight = evidence.insight
    evidence.delete()
    activity_record(
        startup=insight.startup, actor=actor, verb="insight.updated", target=insight
    )


# ---------------------------------------------------------------- scenarios


def _check_insights(*, startup: Startup, insights) -> list[Insight]:
    insights = list(insights or [])
    if any(insight.startup_id != startup.pk for insight in insights):
        raise ValidationError(_("This insight belongs to another startup."))
    return insights


@transaction.atomic
def scenario_create(
    *, startup: Startup, actor: User, title: str, description: str = "", insights=None
) -> Scenario:
    insights = _check_insights(startup=startup, insights=insights)
    scenario = Scenario.objects.create(
        startup=startup, title=title.strip(), description=description
    )
    scenario.insights.set(insights)
    activity_record(startup=startup, actor=actor, verb="scenario.created", target=scenario)
    return scenario


@transaction.atomic
def scenario_update(
    *, scenario: Scenario, actor: User, title: str, description: str, insights
) -> Scenario:
    insights = _check_insights(startup=scenario.startup, insights=insights)
    scenario.title, scenario.description = title.strip(), description
    scenario.save(update_fields=["title", "description", "updated_at"])
    scenario.insights.set(insights)
    activity_record(
        startup=scenario.startup, actor=actor, verb="scenario.updated", target=scenario
    )
    return scenario


@transaction.atomic
def scenario_delete(*, scenario: Scenario, actor: User) -> None:
    """Delete the scenario and its files (rows now, stored files once committed)."""
    for attachment in scenario.files.all():
        attachment_delete(attachment=attachment, actor=actor)
    activity_record(
        startup=scenario.startup, actor=actor, verb="scenario.deleted", label=str(scenario)
    )
    scenario.delete()


@transaction.atomic
def scenario_file_add(*, scenario: Scenario, actor: User, upload, name: str = "") -> Attachment:
    """A mock-up of the scenario: an attachment every member who may view can download."""
    return attachment_create(
        startup=scenario.startup, actor=actor, upload=upload, name=name, owner=scenario,
        required_action="view",
    )
