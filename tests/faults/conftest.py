"""Fixtures of the fault tests: their own Redis, this process sending tasks to it, a worker
log directory. Every process started here is stopped here, whatever the test's outcome."""

import uuid

import pytest

from intrapreneur.celery import app as celery_app
from tests.faults.processes import PostgresCluster, RedisServer
from tests.worker import reset_broker_connections


@pytest.fixture
def fault_redis():
    server = RedisServer().start()
    yield server
    server.close()


@pytest.fixture
def queue(fault_redis, settings):
    """A queue on the fault Redis; this process's tasks go there (not run eagerly)."""
    name = f"fault-{uuid.uuid4().hex[:8]}"
    previous = {k: celery_app.conf[k] for k in
                ("broker_url", "task_always_eager", "task_default_queue")}
    celery_app.conf.update(broker_url=fault_redis.url, task_always_eager=False,
                           task_default_queue=name)
    reset_broker_connections()
    settings.REDIS_URL = fault_redis.url
    yield name
    celery_app.conf.update(previous)
    reset_broker_connections()


@pytest.fixture
def fault_postgres():
    """A PostgreSQL cluster of the test's own, started; removed afterwards."""
    cluster = PostgresCluster().init()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()
