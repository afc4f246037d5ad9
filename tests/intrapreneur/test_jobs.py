"""Background jobs with real parts: the suite's Redis, a Celery worker process, an SMTP server.

The worker is a subprocess on its own queue; it sees the test database's committed rows
(`transactional_db`) and delivers mail to the SMTP server the test reads.
"""

import datetime
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from intrapreneur.celery import app as celery_app
from intrapreneur.models import OutboxMessage, OutboxState, User
from intrapreneur.outbox import outbox_enqueue
from intrapreneur.tasks import outbox_deliver_task, outbox_sweep_task
from tests.intrapreneur.factories import StartupFactory
from tests.smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LINK = re.compile(r"https?://[^/\s]+(/invitations/[^/\s]+/)")
CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.M)

pytestmark = pytest.mark.django_db(transaction=True)


def reset_broker_connections() -> None:
    """Forget the connections made with the previous broker settings."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(scope="module")
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, smtp):
    """A real Celery worker on its own queue, and this process sending to it through Redis."""
    redis.Redis.from_url(REDIS_URL).ping()  # the suite's Redis must run (make test starts it)
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        DATABASE_URL=(
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
            if db["ENGINE"].endswith("postgresql") else f"sqlite:///{db['NAME']}"
        ),
        REDIS_URL=REDIS_URL, CELERY_QUEUE=queue, SECRET_KEY="worker-test-key-" + "x" * 40,
        DEBUG="0", EMAIL_HOST=smtp.host, EMAIL_PORT=str(smtp.port), EMAIL_USE_TLS="0",
        DEFAULT_FROM_EMAIL="Intrapreneur <test@example.gouv.fr>",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "intrapreneur", "worker", "--pool", "solo",
         "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-l", "info"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 60
    for line in process.stdout:
        if "ready." in line:
            break
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("the Celery worker did not start")
    previous = {k: celery_app.conf[k] for k in
                ("broker_url", "task_always_eager", "task_default_queue")}
    celery_app.conf.update(broker_url=REDIS_URL, task_always_eager=False,
                           task_default_queue=queue)
    reset_broker_connections()
    yield process
    celery_app.conf.update(previous)
    reset_broker_connections()
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    redis.Redis.from_url(REDIS_URL).delete(queue)


@pytest.fixture
def mail_to_smtp(settings, smtp):
    """This process's own mail (allauth's sign-in codes) goes to the same SMTP server."""
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": smtp.host, "port": smtp.port, "use_tls": False, "timeout": 5},
    }}
    smtp.clear()
    return smtp


def wait_until(check, timeout=20):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.1)


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
