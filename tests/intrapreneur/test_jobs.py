"""Background jobs with real parts: the suite's Redis, a Celery worker process, an SMTP server.

The worker (tests/worker.py) is a subprocess on its own queue; it sees the test database's
committed rows (`transactional_db`) and delivers mail to the SMTP server the test reads.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from intrapreneur.models import OutboxMessage, OutboxState, User
from intrapreneur.outbox import outbox_enqueue
from intrapreneur.tasks import outbox_deliver_task, outbox_sweep_task
from tests.intrapreneur.factories import StartupFactory
from tests.smtp import SMTPServer
from tests.worker import wait_until

LINK = re.compile(r"https?://[^/\s]+(/invitations/[^/\s]+/)")
CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.M)

pytestmark = pytest.mark.django_db(transaction=True)


def test_invitation_end_to_end_through_the_worker(worker, mail_to_smtp, world, client):
    client.force_login(world.people["intrapreneur"])
    client.post(
        reverse("invitation-create", kwargs={"slug": world.startup.slug}),
        {"email": "arrivee@example.gouv.fr", "role": "team"},
    )
    [invitation_mail] = mail_to_smtp.wait_for(1, to="arrivee@example.gouv.fr")
    assert world.startup.name in str(invitation_mail["Subject"])
    path = LINK.search(SMTPServer.body(invitation_mail)).group(1)
    wait_until(lambda: OutboxMessage.objects.get().state == OutboxState.SENT)

    client.logout()
    response = client.post(path)
    assert response.url.startswith(reverse("account_confirm_login_code"))
    [_, code_mail] = mail_to_smtp.wait_for(2, to="arrivee@example.gouv.fr")
    code = CODE.search(SMTPServer.body(code_mail)).group(1)
    landed = client.post(response.url, {"code": code}, follow=True)
    assertRedirects(landed, world.startup.get_absolute_url())
    assert landed.context["user"] == User.objects.get(email="arrivee@example.gouv.fr")


def test_a_message_whose_task_runs_twice_is_delivered_once(worker, mail_to_smtp):
    startup = StartupFactory()
    message = outbox_enqueue(  # committed at once (no atomic block): its task is queued
        key="twice", kind="test", to="une-fois@example.gouv.fr", template="invitation",
        context={"startup": startup, "inviter": None, "role": "coach", "url": "https://x",
                 "expires_at": startup.created_at},
    )
    outbox_deliver_task.delay(message.pk)
    outbox_deliver_task.delay(message.pk)
    mail_to_smtp.wait_for(1, to="une-fois@example.gouv.fr")
    # A marker message queued after the three tasks: once it arrives, all three have run.
    marker = outbox_enqueue(
        key="marker", kind="test", to="temoin@example.gouv.fr", template="invitation",
        context={"startup": startup, "inviter": None, "role": "coach", "url": "https://x",
                 "expires_at": startup.created_at},
    )
    mail_to_smtp.wait_for(1, to="temoin@example.gouv.fr")
    assert len(mail_to_smtp.received(to="une-fois@example.gouv.fr")) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.SENT, 1)
    assert marker.pk != message.pk


def test_the_sweep_delivers_what_was_never_queued(worker, mail_to_smtp):
    OutboxMessage.objects.create(
        kind="test", key="lost", to="oublie@example.gouv.fr", subject="Perdu",
        body_text="Jamais mis en file",
    )
    OutboxMessage.objects.filter(key="lost").update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    outbox_sweep_task.delay()
    [received] = mail_to_smtp.wait_for(1, to="oublie@example.gouv.fr")
    assert str(received["Subject"]) == "Perdu"
    wait_until(lambda: OutboxMessage.objects.get(key="lost").state == OutboxState.SENT)
