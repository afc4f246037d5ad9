"""A Celery worker killed with SIGKILL while it delivers a sponsor report.

The report goes to two sponsors: one e-mail each, written in the outbox, one delivery task
each. The worker is killed at a fixed point (tests/faults/celery_app.py): right after the
first e-mail reached the SMTP server and was marked sent, before its task was acknowledged.
The task comes back — at once when only the pool process died (``reject_on_worker_lost``),
after the broker's visibility timeout when the whole worker died and another one took its
place — and finds the e-mail already sent: each sponsor receives the report exactly once.
"""

import datetime
import signal

import pytest
from django.db import connection

from governance.services.reports import report_send
from intrapreneur.enums import Role
from intrapreneur.models import OutboxMessage, OutboxState
from tests.faults.processes import database_url, start_worker, stop_worker
from tests.governance.factories import SponsorReportFactory
from tests.intrapreneur.factories import MembershipFactory, StartupFactory
from tests.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

DELIVER = "intrapreneur.tasks.outbox_deliver_task"


def runs(path) -> list[tuple[str, str, str]]:
    """(task id, name, returned) of every task run the workers recorded."""
    if not path.exists():
        return []
    return [tuple(line.split(" ", 2)) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("killed", ["child", "worker"])
def test_a_killed_worker_sends_the_report_once_to_each_sponsor(
    killed, queue, fault_redis, smtp, tmp_path
):
    smtp.clear()
    startup = StartupFactory()
    sponsors = [
        MembershipFactory(startup=startup, role=Role.SPONSOR, user__email=email).user
        for email in ("marraine@example.gouv.fr", "parrain@example.gouv.fr")
    ]
    report = SponsorReportFactory(startup=startup, as_of=datetime.date(2026, 10, 31))
    run_log, marker = tmp_path / "runs.txt", tmp_path / "killed"
    env = {"FAULT_RUNS": str(run_log), "FAULT_MARKER": str(marker), "FAULT_KILL": killed}
    common = dict(app="tests.faults.celery_app", redis_url=fault_redis.url, queue=queue,
                  database=database_url(connection.settings_dict), smtp=smtp)
    workers = [start_worker(log=tmp_path / "worker-1.log", env=env, **common)]
    try:
        assert report_send(report=report, actor=None, base_url="https://intra.example") == 2

        # The fixed point: the first e-mail is out and recorded, then the kill.
        wait_until(marker.exists, timeout=30)
        killed_task, _name, sent = runs(run_log)[0]
        assert sent == "True"
        smtp.wait_for(1)
        if killed == "worker":
            workers[0].wait(timeout=20)
            assert workers[0].returncode == -signal.SIGKILL
            # Its replacement (systemd, the PaaS…) takes the unacknowledged messages back.
            workers.append(start_worker(log=tmp_path / "worker-2.log", env=env, **common))
        else:
            assert workers[0].poll() is None  # the main process saw its pool process die
            wait_until(lambda: "WorkerLostError" in (tmp_path / "worker-1.log").read_text())

        # The killed task is delivered again, and the other sponsor's e-mail goes out.
        wait_until(lambda: [r[0] for r in runs(run_log)].count(killed_task) >= 2, timeout=60)
        wait_until(lambda: not OutboxMessage.objects.undelivered().exists(), timeout=60)
    finally:
        for worker in workers:
            stop_worker(worker)

    deliveries = [r for r in runs(run_log) if r[1] == DELIVER]
    # The killed task ran again and found its e-mail sent: it sent nothing more.
    assert [r[2] for r in deliveries if r[0] == killed_task][:2] == ["True", "False"]
    # Two runs sent an e-mail, one per sponsor; any other run found it already sent.
    assert sorted(r[2] for r in deliveries).count("True") == 2
    assert len({r[0] for r in deliveries}) == 2
    for sponsor in sponsors:
        [message] = smtp.received(to=sponsor.email)
        assert report.title in str(message["Subject"])
    assert len(smtp.received()) == 2
    assert sorted(OutboxMessage.objects.values_list("to", "state", "attempts")) == [
        (sponsor.email, OutboxState.SENT, 1) for sponsor in sorted(sponsors, key=lambda u: u.email)
    ]
