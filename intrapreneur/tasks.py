"""Celery tasks of the core: thin wrappers that load by id and call a service."""

from celery import shared_task

from intrapreneur import outbox


@shared_task(acks_late=True, ignore_result=True)
def outbox_deliver_task(message_id: int) -> bool:
    return outbox.outbox_deliver(message_id)


@shared_task(acks_late=True, ignore_result=True)
def outbox_sweep_task() -> int:
    return outbox.outbox_sweep()
