"""The project's Celery app as the fault tests' workers run it (``celery -A
tests.faults.celery_app worker``): the same tasks and settings, plus

- a short broker visibility timeout, so that a message taken by a worker that died comes
  back in seconds (production waits an hour);
- every task run written to the file ``FAULT_RUNS`` (task id, name, what it returned): the
  test reads there that a task was delivered again;
- the fixed point of the kill test: with ``FAULT_KILL`` set, right after the first e-mail
  was delivered (sent to the SMTP server and marked sent in the outbox) and before its task
  is acknowledged, the worker is killed with SIGKILL — ``FAULT_KILL=child`` kills the pool
  process running the task, ``FAULT_KILL=worker`` the whole worker. The file
  ``FAULT_MARKER`` is written just before, so that it happens once.
"""

import os
import signal
from pathlib import Path

from celery.signals import task_postrun

from intrapreneur.celery import app

app.conf.broker_transport_options = {
    # Longer than any delivery here takes, even on a loaded machine: a message still being
    # worked on is not handed out again.
    "visibility_timeout": 5,
    "unacked_restore_interval": 0.5,
    "unacked_restore_throttle": 1,
}

DELIVER = "intrapreneur.tasks.outbox_deliver_task"


@task_postrun.connect
def record_and_kill(task_id=None, task=None, retval=None, **_kwargs):
    with open(os.environ["FAULT_RUNS"], "a") as runs:
        runs.write(f"{task_id} {task.name} {retval}\n")
    kill = os.environ.get("FAULT_KILL")
    marker = Path(os.environ.get("FAULT_MARKER", "/nonexistent/marker"))
    if kill and task.name == DELIVER and retval is True and not marker.exists():
        marker.write_text(str(os.getpid()))
        if kill == "worker":
            os.kill(os.getppid(), signal.SIGKILL)  # the main process, then this one
        os.kill(os.getpid(), signal.SIGKILL)
