"""What a member's private calendar lists, for every startup they are still a member of
(archived startups aside): the investment and launch committees, the user tests planned
(dated today or later), the partners' next steps that have a date, and the standards'
deadlines. Everything here is what every role may ``view``: no research data (interviews,
participants, feedback) ever goes into a feed.

Each event's identifier names its object (``committee-<pk>@intrapreneur``…), so it stays
the same from one fetch to the next.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from governance.enums import StandardStatus
from governance.models import InvestmentCommittee, Standard
from intrapreneur.calendars import CalendarEntry, uid
from intrapreneur.models import Membership, Startup, User
from intrapreneur.permissions import ROLE_ACTIONS, Action
from investigations.calendar import launch_committee_entry
from investigations.models import LaunchCommittee
from products.models import Partner, UserTest


def investment_committee_entry(
    committee: InvestmentCommittee, *, base_url: str
) -> CalendarEntry:
    """The committee's day; its decision once taken (``committee.startup`` is read)."""
    startup = committee.startup
    path = reverse(
        "governance:committee-detail", kwargs={"slug": startup.slug, "pk": committee.pk}
    )
    description = (
        _("Decision: %(decision)s") % {"decision": committee.get_decision_display()}
        if committee.decision else _("In preparation.")
    )
    return CalendarEntry(
        uid=uid("committee", committee.pk),
        summary=_("Investment committee — %(name)s") % {"name": startup.name},
        day=committee.date, description=description, url=f"{base_url}{path}",
        changed_at=committee.updated_at,
    )


def user_test_entry(test: UserTest, *, base_url: str) -> CalendarEntry:
    startup = test.startup
    path = reverse("products:test-detail", kwargs={"slug": startup.slug, "pk": test.pk})
    description = (
        _("Hypothesis tested: %(statement)s") % {"statement": test.hypothesis.statement}
        if test.hypothesis_id else ""
    )
    return CalendarEntry(
        uid=uid("user-test", test.pk),
        summary=_("User test — %(name)s") % {"name": startup.name},
        day=test.date, description=description, url=f"{base_url}{path}",
        changed_at=test.updated_at,
    )


def partner_entry(partner: Partner, *, base_url: str) -> CalendarEntry:
    startup = partner.startup
    path = reverse("products:partner-detail", kwargs={"slug": startup.slug, "pk": partner.pk})
    return CalendarEntry(
        uid=uid("partner-next-step", partner.pk),
        summary=_("%(partner)s: %(step)s — %(name)s") % {
            "partner": partner.organisation,
            "step": partner.next_step or _("next step"), "name": startup.name,
        },
        day=partner.next_step_date, url=f"{base_url}{path}", changed_at=partner.updated_at,
    )


def standard_entry(standard: Standard, *, base_url: str) -> CalendarEntry:
    startup = standard.startup
    path = reverse("governance:standard-list", kwargs={"slug": startup.slug})
    renewal = standard.status == StandardStatus.DONE
    label = _("Renewal") if renewal else _("Deadline")
    owner = (
        _("Owner: %(person)s") % {"person": standard.owner.user} if standard.owner_id else ""
    )
    return CalendarEntry(
        uid=uid("standard", standard.pk),
        summary=_("%(label)s: %(standard)s — %(name)s") % {
            "label": label, "standard": standard.get_kind_display(), "name": startup.name,
        },
        day=standard.deadline, description=owner,
        url=f"{base_url}{path}#standard-{standard.kind}", changed_at=standard.updated_at,
    )


def member_startups(user: User) -> dict[int, Startup]:
    """The active startups the person is a member of, with a role that may ``view``."""
    memberships = (
        Membership.objects.filter(user=user, startup__archived_at__isnull=True)
        .select_related("startup").order_by("startup__name")
    )
    return {
        membership.startup_id: membership.startup for membership in memberships
        if Action.VIEW in ROLE_ACTIONS[membership.role]
    }


def member_calendar_entries(
    user: User, *, today: datetime.date, base_url: str
) -> list[CalendarEntry]:
    """Every event of the person's feed: one query per kind, whatever the startups."""
    startups = member_startups(user)
    ids = list(startups)

    def attach(rows):
        for row in rows:
            row.startup = startups[row.startup_id]
            yield row

    entries: list[CalendarEntry] = []
    entries += [
        investment_committee_entry(c, base_url=base_url)
        for c in attach(InvestmentCommittee.objects.filter(startup_id__in=ids))
    ]
    entries += [
        launch_committee_entry(c, base_url=base_url)
        for c in attach(LaunchCommittee.objects.filter(startup_id__in=ids))
    ]
    entries += [
        user_test_entry(t, base_url=base_url)
        for t in attach(
            UserTest.objects.filter(startup_id__in=ids, date__gte=today)
            .select_related("hypothesis")
        )
    ]
    entries += [
        partner_entry(p, base_url=base_url)
        for p in attach(Partner.objects.filter(startup_id__in=ids, next_step_date__isnull=False))
    ]
    entries += [
        standard_entry(s, base_url=base_url)
        for s in attach(Standard.objects.filter(startup_id__in=ids).select_related("owner__user"))
        if s.deadline is not None
    ]
    return entries
