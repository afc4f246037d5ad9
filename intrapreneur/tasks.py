"""Celery tasks of the core: thin wrappers that load by id and call a service."""

from celery import shared_task

from intrapreneur import notifications, outbox


@shared_task(acks_late=True, ignore_result=True)
def outbox_deliver_task(message_id: int) -> bool:
    return outbox.outbox_deliver(message_id)


@shared_task(acks_late=True, ignore_result=True)
def outbox_sweep_task() -> int:
    return outbox.outbox_sweep()


@shared_task(acks_late=True, ignore_result=True)
def notifications_digest_task() -> int:
    """Every Monday (beat): each member's digest of the week before, once."""
    return notifications.digests_send()
