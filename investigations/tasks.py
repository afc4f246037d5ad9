"""Celery tasks of the investigation: thin wrappers that call a service."""

from celery import shared_task

from investigations.services import participants


@shared_task(acks_late=True, ignore_result=True)
def participants_purge_task() -> int:
    """Daily: erase the participants' contacts kept past their retention date."""
    return participants.participants_purge()
