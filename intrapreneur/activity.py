"""The activity log: one function records, one registry says how each verb reads."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from intrapreneur.models import Activity, Startup

_VERBS: dict[str, str] = {
    "startup.created": _("created the startup"),
    "startup.updated": _("edited the product sheet"),
    "startup.archived": _("archived the startup"),
    "startup.unarchived": _("restored the startup"),
    "phase.changed": _("changed the phase to"),
    "event.created": _("recorded the event"),
    "event.deleted": _("deleted the event"),
    "member.added": _("added to the team"),
    "member.role_changed": _("changed the role of"),
    "member.removed": _("removed from the team"),
    "member.left": _("left the team"),
    "tag.created": _("created the tag"),
    "tag.renamed": _("renamed the tag"),
    "tag.deleted": _("deleted the tag"),
    "file.uploaded": _("uploaded the file"),
    "file.deleted": _("deleted the file"),
    "startup.imported": _("imported the beta.gouv.fr page"),
    "invitation.sent": _("invited"),
    "invitation.resent": _("sent the invitation again to"),
    "invitation.revoked": _("revoked the invitation of"),
    "member.joined": _("joined the team"),
    "startup.exported": _("downloaded the startup's archive, without personal data"),
    "startup.exported_personal": _("downloaded the startup's archive, with personal data"),
    "startup.restored": _("imported the startup from an archive of"),
}


def register_verbs(verbs: dict[str, str]) -> None:
    """Apps add their own verbs (from their AppConfig.ready)."""
    _VERBS.update(verbs)


def verb_label(verb: str) -> str:
    return _VERBS.get(verb, verb)


def verb_choices() -> list[tuple[str, str]]:
    return sorted(((key, str(label)) for key, label in _VERBS.items()), key=lambda c: c[1])


def activity_record(
    *, startup: Startup, actor, verb: str, target: models.Model | None = None, label: str = ""
) -> Activity:
    return Activity.objects.create(
        startup=startup,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        target_label=(label or str(target or ""))[:300],
    )
