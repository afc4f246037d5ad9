"""A real Celery worker for the task tests: the suite's Redis, a worker subprocess on its own
queue, an SMTP server on 127.0.0.1 that receives what it sends.

The fixtures are made available to every test module by tests/conftest.py; a module that
uses ``worker`` marks its tests ``django_db(transaction=True)`` (the worker sees committed
rows only).
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection
from kombu import pools as kombu_pools

from intrapreneur.celery import app as celery_app
from tests.smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def reset_broker_connections() -> None:
    """Forget the connections made with the previous broker settings — kombu's own
    registry too: it hands the same (closed) pool to the next module's worker otherwise."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu_pools.reset()


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
