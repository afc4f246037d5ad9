"""Redis stopped: the site keeps working, and what it had to send waits in the outbox.

The test's own Redis is the broker. It is stopped: every page the intrapreneur may open
still renders, and an invitation sent meanwhile is written in the outbox (the person is
told it is sent) though it cannot be queued. Redis comes back on the same port: the beat's
sweep re-queues what waited and the worker — a real one, which kept running through the
outage — delivers it, once.
"""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from intrapreneur.models import OutboxMessage, OutboxState
from intrapreneur.outbox import SWEEP_AFTER
from intrapreneur.tasks import outbox_sweep_task
from tests.faults.processes import database_url, start_worker, stop_worker
from tests.security.test_authorization_matrix import URLS, is_allowed, url_for
from tests.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

# Every page of the matrix the intrapreneur opens (200 when all runs).
PAGES = [
    name for name, (_action, on_get, _post) in URLS.items()
    if is_allowed(name, "intrapreneur") and on_get == 200
]


def test_every_page_renders_while_redis_is_stopped(world, queue, fault_redis):
    client = world.client_for("intrapreneur")
    paths = {name: url_for(name, world) for name in PAGES}  # their objects made beforehand
    fault_redis.stop()

    for name, path in paths.items():
        response = client.get(path)
        if name == "healthz":  # the health check says what is down
            assert response.status_code == 503
            assert response.json()["redis"].startswith("error")
        else:
            assert response.status_code == 200, f"GET {path} with Redis stopped"
    assert len(paths) > 50


def test_an_invitation_sent_while_redis_is_stopped_is_delivered_when_it_is_back(
    world, queue, fault_redis, smtp, tmp_path
):
    smtp.clear()
    worker = start_worker(
        app="tests.faults.celery_app", redis_url=fault_redis.url, queue=queue,
        database=database_url(connection.settings_dict), smtp=smtp,
        log=tmp_path / "worker.log", env={"FAULT_RUNS": str(tmp_path / "runs.txt")},
    )
    try:
        client = world.client_for("intrapreneur")
        team = reverse("startup-team", kwargs={"slug": world.startup.slug})
        fault_redis.stop()

        response = client.post(
            reverse("invitation-create", kwargs={"slug": world.startup.slug}),
            {"email": "pendant-la-panne@example.gouv.fr", "role": "team"}, follow=True,
        )

        assert response.redirect_chain == [(team, 302)]
        assert "Une invitation est envoyée à pendant-la-panne@example.gouv.fr" in (
            response.content.decode()
        )
        message = OutboxMessage.objects.get(to="pendant-la-panne@example.gouv.fr")
        assert message.state == OutboxState.PENDING

        fault_redis.start()
        assert smtp.received() == []
        # The beat's next sweep, once the message has waited long enough.
        OutboxMessage.objects.filter(pk=message.pk).update(
            created_at=timezone.now() - SWEEP_AFTER - datetime.timedelta(seconds=1)
        )
        outbox_sweep_task.delay()
        [mail] = smtp.wait_for(1, to="pendant-la-panne@example.gouv.fr", timeout=60)
        wait_until(lambda: OutboxMessage.objects.get(pk=message.pk).state == OutboxState.SENT)
    finally:
        stop_worker(worker)

    assert world.startup.name in str(mail["Subject"])
    assert len(smtp.received()) == 1
