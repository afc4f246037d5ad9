"""Celery tasks of the governance app: thin wrappers that call a service."""

import datetime

from celery import shared_task

from governance.services import reports as report_services


@shared_task(acks_late=True, ignore_result=True)
def reports_monthly_task(today: str | None = None) -> int:
    """The first days of each month (beat): send the sponsor report of the month just
    ended, once per startup. ``today`` (ISO date) replays a given day."""
    day = datetime.date.fromisoformat(today) if today else None
    return report_services.reports_monthly_send(today=day)


@shared_task(acks_late=True, ignore_result=True)
def committee_reminders_task() -> int:
    """Every day (beat): the committees helper's reminders before a convention ends."""
    from governance.services.committees import committee_reminders_send

    return committee_reminders_send()


@shared_task(acks_late=True, ignore_result=True)
def standard_reminders_task(today: str | None = None) -> int:
    """Every day (beat): remind the owners of the standards whose deadline comes (14 and 3
    days before) or passed, each reminder once. ``today`` (ISO date) replays a given day."""
    from governance.services.standards import standard_reminders_send

    day = datetime.date.fromisoformat(today) if today else None
    return standard_reminders_send(today=day)
