"""E-mails that must not be lost: written in the database first, then delivered by Celery.

``outbox_enqueue`` writes the message (once per key) and queues its delivery after the
transaction commits (with the broker down, the message simply waits: the request that wrote
it still succeeds); ``outbox_deliver`` sends it at most once, under a row lock, and marks
it; ``outbox_sweep`` (beat) re-queues what was never delivered (Redis down, worker killed).
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerError

from intrapreneur.models import OutboxMessage, OutboxState

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
SWEEP_AFTER = datetime.timedelta(minutes=2)


def mail_render(template: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML of ``templates/emails/<template>.{subject.txt,txt,html}``."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}.subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return " ".join(subject.split()), text, html


def outbox_enqueue(*, key: str, kind: str, to: str, template: str, context: dict) -> OutboxMessage:
    """Record an e-mail (once per ``key``) and deliver it after the transaction commits."""
    from intrapreneur.tasks import outbox_deliver_task

    subject, text, html = mail_render(template, context)
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind, "to": to, "subject": subject, "body_text": text, "body_html": html,
        },
    )
    if created:
        transaction.on_commit(partial(_queue_delivery, outbox_deliver_task, message.pk))
    return message


def _queue_delivery(task, message_id: int) -> None:
    """Queue a delivery; when the broker is unreachable the sweep queues it later."""
    try:
        task.delay(message_id)
    except BrokerError as error:
        logger.warning("outbox: message %s not queued, left for the sweep: %s", message_id, error)


def outbox_deliver(message_id: int) -> bool:
    """Send one message unless already sent; True when this call sent it."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.state != OutboxState.PENDING:
            return False
        email = EmailMultiAlternatives(
            subject=message.subject, body=message.body_text, to=[message.to],
            from_email=settings.DEFAULT_FROM_EMAIL,
            headers={"X-Intrapreneur-Message": message.key},
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        message.attempts += 1
        try:
            email.send()
        except Exception as error:
            message.last_error = f"{error.__class__.__name__}: {error}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.state = OutboxState.FAILED
            message.save(update_fields=["attempts", "last_error", "state"])
            logger.warning("outbox: message %s not delivered: %s", message.pk, error)
            return False
        message.state = OutboxState.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "last_error", "state", "sent_at"])
        return True


def outbox_sweep() -> int:
    """Re-queue the messages left undelivered for a while; returns how many."""
    from intrapreneur.tasks import outbox_deliver_task

    limit = timezone.now() - SWEEP_AFTER
    waiting = OutboxMessage.objects.undelivered().filter(created_at__lte=limit)
    ids = list(waiting.values_list("pk", flat=True))
    for message_id in ids:
        outbox_deliver_task.delay(message_id)
    return len(ids)


def oldest_undelivered_age() -> float | None:
    """Seconds since the oldest undelivered message was written (None: nothing waits)."""
    oldest = OutboxMessage.objects.undelivered().order_by("created_at").first()
    if oldest is None:
        return None
    return (timezone.now() - oldest.created_at).total_seconds()
