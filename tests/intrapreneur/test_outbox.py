import datetime

import pytest
from django.core import mail
from django.utils import timezone

from intrapreneur import outbox
from intrapreneur.models import OutboxMessage, OutboxState
from tests.intrapreneur.factories import StartupFactory
from tests.smtp import free_port

pytestmark = pytest.mark.django_db


def make_message(key="k1", **extra) -> OutboxMessage:
    fields = {
        "kind": "test", "key": key, "to": "x@example.gouv.fr", "subject": "Sujet",
        "body_text": "Texte", "body_html": "<p>Texte</p>",
    }
    return OutboxMessage.objects.create(**{**fields, **extra})


def test_deliver_sends_once_and_marks_it():
    message = make_message()
    assert outbox.outbox_deliver(message.pk) is True
    assert outbox.outbox_deliver(message.pk) is False
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.SENT, 1)
    assert mail.outbox[0].alternatives[0].content == "<p>Texte</p>"


def test_enqueue_twice_with_one_key_writes_one_message(django_capture_on_commit_callbacks):
    context = {"startup": StartupFactory(), "invitation": None, "inviter": None,
               "role": "coach", "url": "https://x", "expires_at": timezone.now()}
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.outbox_enqueue(key="same", kind="t", to="a@b.fr",
                                      template="invitation", context=context)
        second = outbox.outbox_enqueue(key="same", kind="t", to="a@b.fr",
                                       template="invitation", context=context)
    assert first.pk == second.pk
    assert len(mail.outbox) == 1


def test_a_failed_delivery_is_kept_with_its_error(settings):
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
    }}
    message = make_message()
    assert outbox.outbox_deliver(message.pk) is False
    message.refresh_from_db()
    assert message.state == OutboxState.PENDING
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=outbox.MAX_ATTEMPTS - 1)
    outbox.outbox_deliver(message.pk)
    message.refresh_from_db()
    assert message.state == OutboxState.FAILED


def test_sweep_requeues_only_old_undelivered_messages():
    old = make_message("old")
    make_message("recent")
    make_message("done", state=OutboxState.SENT)
    OutboxMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    assert outbox.outbox_sweep() == 1  # eager here: delivered in-process
    assert [m.to for m in mail.outbox] == [["x@example.gouv.fr"]]
    assert OutboxMessage.objects.get(key="old").state == OutboxState.SENT
    assert OutboxMessage.objects.get(key="recent").state == OutboxState.PENDING


def test_healthz_reports_the_oldest_waiting_message(client):
    assert client.get("/healthz").json()["outbox_oldest_seconds"] is None
    message = make_message()
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    age = client.get("/healthz").json()["outbox_oldest_seconds"]
    assert 299 < age < 400


def test_healthz_reports_redis_when_configured(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"].startswith("error")
