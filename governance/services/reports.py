"""Sponsor reports: the dashboard frozen at a date (its snapshot) with the intrapreneur's
highlights, risks and asks, sent to the startup's sponsors.

A draft can be edited (its figures refreshed on demand or when its date changes) and
deleted. Sending it e-mails each active sponsor once, through the outbox, and freezes it:
a sent report never changes again. A sponsor who joins later reads it in the app.

Each month, the beat sends the report of the month just ended for every followed startup
with a sponsor (``reports_monthly_send``): the intrapreneur's latest draft becomes it when
there is one, else an automatic report with the figures only. ``monthly_key`` (unique per
startup) and the outbox keys make a second run harmless.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from governance.enums import ReportState
from governance.models import SponsorReport
from governance.services.dashboard import dashboard_data, dashboard_display, key_figures
from intrapreneur.activity import activity_record
from intrapreneur.enums import Role
from intrapreneur.models import Membership, OutboxMessage, Startup, User
from intrapreneur.outbox import outbox_enqueue

logger = logging.getLogger(__name__)

TEXT_MAX_LENGTH = 20_000
TITLE_MAX_LENGTH = 200
# The beat sends the report of the past month during the first days of a month only.
MONTHLY_WINDOW_DAYS = 7


def report_default_title(as_of: datetime.date) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Report of %(month)s") % {"month": formats.date_format(as_of, "F Y")}


def _actor(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def _clean(
    *, as_of: datetime.date, title: str, highlights: str, risks: str, asks: str
) -> dict:
    title = " ".join(title.split()) or report_default_title(as_of)
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            _("The title has %(max)d characters at most.") % {"max": TITLE_MAX_LENGTH}
        )
    texts = {"highlights": highlights.strip(), "risks": risks.strip(), "asks": asks.strip()}
    if any(len(text) > TEXT_MAX_LENGTH for text in texts.values()):
        raise ValidationError(
            _("Each text has %(max)d characters at most.") % {"max": TEXT_MAX_LENGTH}
        )
    return {"as_of": as_of, "title": title, **texts}


def _check_draft(report: SponsorReport) -> None:
    if report.is_sent:
        raise ValidationError(
            _("This report was sent to the sponsors: it no longer changes.")
        )


def _locked(report: SponsorReport) -> SponsorReport:
    return SponsorReport.objects.select_for_update().select_related("startup").get(pk=report.pk)


def report_sponsors(startup: Startup) -> list[User]:
    """The active users who sponsor the startup, the ones a report is sent to."""
    return [
        membership.user
        for membership in Membership.objects.filter(
            startup=startup, role=Role.SPONSOR, user__is_active=True
        ).select_related("user").order_by("user_id")
    ]


# ---------------------------------------------------------------- writes


@transaction.atomic
def report_create(
    *,
    startup: Startup,
    actor: User | None,
    as_of: datetime.date,
    title: str = "",
    highlights: str = "",
    risks: str = "",
    asks: str = "",
    monthly_key: str = "",
) -> SponsorReport:
    """Write a draft report with the dashboard as of ``as_of`` frozen in it."""
    fields = _clean(as_of=as_of, title=title, highlights=highlights, risks=risks, asks=asks)
    report = SponsorReport.objects.create(
        startup=startup, snapshot=dashboard_data(startup, today=as_of),
        monthly_key=monthly_key, author=_actor(actor), **fields,
    )
    activity_record(startup=startup, actor=actor, verb="report.created", target=report)
    return report


@transaction.atomic
def report_update(
    *,
    report: SponsorReport,
    actor: User | None,
    as_of: datetime.date,
    title: str = "",
    highlights: str = "",
    risks: str = "",
    asks: str = "",
    refresh: bool = False,
) -> SponsorReport:
    """Save a draft; its figures are taken again when asked or when its date changes."""
    locked = _locked(report)
    _check_draft(locked)
    fields = _clean(as_of=as_of, title=title, highlights=highlights, risks=risks, asks=asks)
    if refresh or as_of != locked.as_of:
        locked.snapshot = dashboard_data(locked.startup, today=as_of)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    activity_record(startup=locked.startup, actor=actor, verb="report.updated", target=locked)
    return locked


@transaction.atomic
def report_delete(*, report: SponsorReport, actor: User | None) -> None:
    """Delete a draft; a sent report stays."""
    locked = _locked(report)
    _check_draft(locked)
    activity_record(
        startup=locked.startup, actor=actor, verb="report.deleted", label=str(locked)
    )
    locked.delete()


def _sponsor_key(report: SponsorReport, user: User) -> str:
    return f"sponsor-report:{report.pk}:{user.pk}"


def _notify(report: SponsorReport, base_url: str) -> int:
    """One e-mail per sponsor, once per report and person; returns how many were new."""
    sponsors = report_sponsors(report.startup)
    keys = [_sponsor_key(report, user) for user in sponsors]
    already = set(OutboxMessage.objects.filter(key__in=keys).values_list("key", flat=True))
    url = f"{base_url}{report.get_absolute_url()}"
    with translation.override(settings.LANGUAGE_CODE):
        figures = key_figures(dashboard_display(report.snapshot))
    created = 0
    for user, key in zip(sponsors, keys, strict=True):
        if key in already:
            continue
        outbox_enqueue(
            key=key, kind="sponsor-report", to=user.email, template="sponsor_report",
            context={
                "report": report, "startup": report.startup, "user": user, "url": url,
                "figures": figures,
            },
        )
        created += 1
    return created


@transaction.atomic
def report_send(
    *,
    report: SponsorReport,
    actor: User | None,
    base_url: str | None = None,
    notify: bool = True,
) -> int:
    """Send a draft to the sponsors: it is frozen, and each active sponsor gets one e-mail
    (through the outbox) with a link to the report. Returns how many e-mails were queued.

    ``notify=False`` records the report as sent without e-mailing anyone (the demo's past
    reports)."""
    locked = _locked(report)
    _check_draft(locked)
    locked.state = ReportState.SENT
    locked.sent_at = timezone.now()
    locked.sent_by = _actor(actor)
    locked.save(update_fields=["state", "sent_at", "sent_by", "updated_at"])
    activity_record(startup=locked.startup, actor=actor, verb="report.sent", target=locked)
    report.state, report.sent_at, report.sent_by = locked.state, locked.sent_at, locked.sent_by
    if not notify:
        return 0
    return _notify(locked, settings.SITE_URL if base_url is None else base_url)


# ---------------------------------------------------------------- the monthly report


def monthly_period(today: datetime.date) -> tuple[datetime.date, str]:
    """The last day of the month before ``today``'s, and its key ("2026-10")."""
    as_of = today.replace(day=1) - datetime.timedelta(days=1)
    return as_of, f"{as_of:%Y-%m}"


def startups_for_monthly(*, as_of: datetime.date, key: str):
    """The followed startups with an active sponsor and no report for that month yet: none
    written by the beat (``key``), none sent by hand dated in the month."""
    sponsors = Membership.objects.filter(
        startup=OuterRef("pk"), role=Role.SPONSOR, user__is_active=True
    )
    reported = SponsorReport.objects.filter(startup=OuterRef("pk")).filter(
        Q(monthly_key=key)
        | Q(state=ReportState.SENT, as_of__gte=as_of.replace(day=1), as_of__lte=as_of)
    )
    return (
        Startup.objects.active()
        .filter(Exists(sponsors))
        .exclude(Exists(reported))
        .order_by("pk")
    )


def _monthly_report(startup: Startup, *, as_of: datetime.date, key: str) -> SponsorReport:
    """The intrapreneur's latest draft written for that month becomes the month's report
    (its figures taken at the month's end); a draft for another month is left alone.
    Without one, an automatic report with the figures only."""
    draft = (
        SponsorReport.objects.select_for_update()
        .filter(
            startup=startup, state=ReportState.DRAFT, monthly_key="",
            as_of__gte=as_of.replace(day=1), as_of__lte=as_of,
        )
        .order_by("-as_of", "-pk").first()
    )
    if draft is None:
        with translation.override(settings.LANGUAGE_CODE):
            highlights = _(
                "Automatic report: the intrapreneur wrote no highlights this month. The "
                "figures below are those of the dashboard at the end of the month."
            )
        return report_create(
            startup=startup, actor=None, as_of=as_of, title=report_default_title(as_of),
            highlights=highlights, monthly_key=key,
        )
    draft.as_of = as_of
    draft.monthly_key = key
    draft.snapshot = dashboard_data(startup, today=as_of)
    draft.save(update_fields=["as_of", "monthly_key", "snapshot", "updated_at"])
    return draft


def reports_monthly_send(*, today: datetime.date | None = None) -> int:
    """In the first days of a month, send the report of the month just ended to the
    sponsors of each followed startup that has none; returns how many reports were sent.
    Running it twice sends nothing more."""
    today = today or timezone.localdate()
    if today.day > MONTHLY_WINDOW_DAYS:
        return 0
    as_of, key = monthly_period(today)
    sent = 0
    for startup in startups_for_monthly(as_of=as_of, key=key):
        try:
            with transaction.atomic():
                report = _monthly_report(startup, as_of=as_of, key=key)
                report_send(report=report, actor=None)
        except IntegrityError:
            # Another run wrote this month's report at the same time: it sends it.
            logger.info("monthly report of %s already written", startup.slug)
            continue
        sent += 1
    return sent
