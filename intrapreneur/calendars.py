"""Calendars: iCalendar files (icalendar) and each person's private feed address.

The feed's address holds a secret token; only its hash is stored (``CalendarFeed``), as for
invitations and API tokens, so the address is shown once, when created. Creating a new one
revokes the previous one; a revoked or unknown address answers 404. What the feed lists is
built by the apps (``governance.services.calendar``): the core only writes the file.

Events are whole days (committees, tests and deadlines have a date, not an hour) with stable
identifiers (``committee-<pk>@intrapreneur``): a calendar fetching the feed again updates
the same events instead of adding copies.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from intrapreneur.models import CalendarFeed, User

UID_DOMAIN = "intrapreneur"
PRODID = "-//beta.gouv.fr//Intrapreneur//FR"
# DTSTAMP of an event whose object carries no time of its own.
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class CalendarEntry:
    """One event: a whole day."""

    uid: str
    summary: str
    day: datetime.date
    description: str = ""
    url: str = ""
    # When the object last changed (the event's DTSTAMP): stable between fetches.
    changed_at: datetime.datetime | None = None


def uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{UID_DOMAIN}"


def ics_calendar(entries: Iterable[CalendarEntry], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for entry in sorted(entries, key=lambda e: (e.day, e.uid)):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", (entry.changed_at or EPOCH).astimezone(datetime.UTC))
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + datetime.timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("transp", "TRANSPARENT")
        if entry.description:
            event.add("description", entry.description)
        if entry.url:
            event.add("url", entry.url)
        calendar.add_component(event)
    return calendar.to_ical()


def ics_response(content: bytes, *, filename: str) -> HttpResponse:
    """An iCalendar file: a download, never rendered by the browser, never cached."""
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- the private feed


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_active(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.active().filter(user=user).first()


@transaction.atomic
def calendar_feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new private address for the person (the previous one stops working); returns it
    with its token, which is never stored."""
    calendar_feed_revoke(user=user)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=feed_token_hash(token))
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> int:
    """Revoke the person's address; how many were active (0 or 1)."""
    return CalendarFeed.objects.active().filter(user=user).update(revoked_at=timezone.now())


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed of this token, with its person (active account), or None."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.active().select_related("user")
        .filter(token_hash=feed_token_hash(token), user__is_active=True).first()
    )
