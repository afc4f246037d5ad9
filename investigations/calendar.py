"""The launch committee as a calendar event (its own .ics, and the members' feeds)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from intrapreneur.calendars import CalendarEntry, uid
from investigations.models import LaunchCommittee


def launch_committee_entry(committee: LaunchCommittee, *, base_url: str) -> CalendarEntry:
    """The committee's day; its decision once taken (``committee.startup`` is read)."""
    startup = committee.startup
    path = reverse(
        "investigations:committee-detail", kwargs={"slug": startup.slug, "pk": committee.pk}
    )
    description = (
        _("Decision: %(decision)s") % {"decision": committee.get_decision_display()}
        if committee.decision else _("In preparation.")
    )
    return CalendarEntry(
        uid=uid("launch-committee", committee.pk),
        summary=_("Launch committee — %(name)s") % {"name": startup.name},
        day=committee.date, description=description, url=f"{base_url}{path}",
        changed_at=committee.decided_at or committee.created_at,
    )
