"""A member's private calendar feed: /calendar/<token>.ics, no session — the secret token in
the address is the right. Unknown or revoked: 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from governance.services.calendar import member_calendar_entries
from intrapreneur.calendars import calendar_feed_for_token, ics_calendar, ics_response
from intrapreneur.views import site_url


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    entries = member_calendar_entries(
        feed.user, today=timezone.localdate(), base_url=site_url(request)
    )
    name = _("Intrapreneur — %(person)s") % {"person": feed.user}
    return ics_response(ics_calendar(entries, name=name), filename="intrapreneur.ics")
