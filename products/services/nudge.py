"""The Monday nudge: a team that met no user the week before is reminded, once a week.

Startups building their service (construction, acceleration, consolidation) and still
followed are concerned. Each member of the team (intrapreneurs and team members) gets one
e-mail per startup and ISO week: the outbox key holds the week, so a beat that fires twice,
a retried task or a second run by hand sends nothing more.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from intrapreneur.dates import week_start
from intrapreneur.enums import Phase, Role
from intrapreneur.models import Membership, OutboxMessage, Startup
from intrapreneur.outbox import outbox_enqueue
from products.models import UserTest

NUDGED_PHASES = (Phase.CONSTRUCTION, Phase.ACCELERATION, Phase.CONSOLIDATION)


def startups_to_nudge(*, today: datetime.date) -> QuerySet[Startup]:
    """The startups building their service that recorded no user test last ISO week."""
    monday = week_start(today)
    tested = UserTest.objects.filter(
        date__gte=monday - datetime.timedelta(days=7), date__lt=monday
    ).values("startup")
    return (
        Startup.objects.active()
        .filter(phase__in=NUDGED_PHASES)
        .exclude(pk__in=tested)
        .order_by("pk")
    )


def teams_nudge(*, today: datetime.date | None = None) -> int:
    """E-mail the team of every startup to nudge; returns how many e-mails were new."""
    today = today or timezone.localdate()
    last_week = week_start(today) - datetime.timedelta(days=7)
    year, week, _day = last_week.isocalendar()
    startups = list(startups_to_nudge(today=today))
    members = list(
        Membership.objects.filter(
            startup__in=startups, role__in=[Role.INTRAPRENEUR, Role.TEAM], user__is_active=True
        )
        .select_related("user", "startup")
        .order_by("startup_id", "user_id")
    )

    def key(membership: Membership) -> str:
        return f"tests-nudge:{membership.startup_id}:{year}-W{week:02d}:{membership.user_id}"

    sent = set(
        OutboxMessage.objects.filter(key__in=[key(m) for m in members]).values_list(
            "key", flat=True
        )
    )
    created = 0
    for membership in members:
        if key(membership) in sent:
            continue
        startup = membership.startup
        path = reverse("products:test-create", kwargs={"slug": startup.slug})
        outbox_enqueue(
            key=key(membership), kind="tests-nudge", to=membership.user.email,
            template="tests_nudge",
            context={
                "startup": startup, "user": membership.user, "week": week,
                "week_start": last_week, "week_end": last_week + datetime.timedelta(days=6),
                "url": f"{settings.SITE_URL}{path}",
            },
        )
        created += 1
    return created
