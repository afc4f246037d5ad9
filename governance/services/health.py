"""The health status: on track, at risk or off track, with a one-line reason. The
intrapreneur sets it; the latest row is current, the older ones are its history.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.enums import Health
from governance.models import HealthStatus
from intrapreneur.activity import activity_record
from intrapreneur.models import Startup, User

REASON_MAX_LENGTH = 200


@transaction.atomic
def health_set(*, startup: Startup, actor: User | None, status: str, reason: str) -> HealthStatus:
    """Record the startup's health now; it becomes the current one."""
    if status not in Health.values:
        raise ValidationError(_("Choose on track, at risk or off track."))
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Say in one line why."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("The reason has %(max)d characters at most.") % {"max": REASON_MAX_LENGTH}
        )
    health = HealthStatus.objects.create(
        startup=startup, status=status, reason=reason,
        author=actor if actor is not None and actor.is_authenticated else None,
    )
    activity_record(startup=startup, actor=actor, verb="health.set", target=health)
    return health
