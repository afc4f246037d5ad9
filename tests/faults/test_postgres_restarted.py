"""PostgreSQL restarted under load: the app served by gunicorn keeps answering.

The test's own PostgreSQL cluster holds a copy of the test database (a startup, its
intrapreneur and a signed-in session); gunicorn serves the project on it with the
production database settings — persistent connections (``CONN_MAX_AGE``) and
``CONN_HEALTH_CHECKS``. Clients request the startup's overview and ``/healthz`` in a loop
while the cluster restarts. Requests may fail only while it restarts; every request made
once it is back succeeds, on the same gunicorn workers: the app recovered by itself. Then
the cluster restarts while nobody asks, leaving each worker a dead persistent connection:
the next requests succeed all the same (the health check replaces it).
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.faults.processes import HOST, database_url, stop_process
from tests.intrapreneur.factories import MembershipFactory
from tests.smtp import free_port
from tests.worker import ROOT, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 4


@dataclass
class Answer:
    started: float
    ended: float
    path: str
    status: int | None  # None: no HTTP answer at all
    body: bytes = b""


def get(port: int, path: str, cookie: str) -> Answer:
    started = time.monotonic()
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        return Answer(started, time.monotonic(), path, response.status, response.read())
    except OSError:
        return Answer(started, time.monotonic(), path, None)
    finally:
        connection.close()


def copy_test_database(cluster) -> str:
    """The test database (with what the test wrote) copied into the cluster; its URL."""
    cluster.psql("postgres", "CREATE DATABASE intrapreneur")
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--no-privileges", database_url(connection.settings_dict)],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    cluster.psql("intrapreneur", stdin=dump)
    return cluster.url("intrapreneur")


def serve(database: str, port: int, log) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=database, DEBUG="0", SECRET_KEY=settings.SECRET_KEY)
    env.pop("REDIS_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "intrapreneur.wsgi:application", "--bind",
         f"{HOST}:{port}", "--workers", "2", "--timeout", "30", "--error-logfile", "-"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )


def test_the_app_recovers_by_itself_from_a_postgres_restart(fault_postgres, tmp_path):
    membership = MembershipFactory(role="intrapreneur")
    client = Client()
    client.force_login(membership.user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    overview = membership.startup.get_absolute_url()
    database = copy_test_database(fault_postgres)
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log:
        server = serve(database, port, log)
    answers: list[Answer] = []
    stop = threading.Event()

    def load(index: int) -> None:
        paths = (overview, "/healthz")
        while not stop.is_set():
            answers.append(get(port, paths[index % 2], cookie))
            index += 1

    threads = [threading.Thread(target=load, args=(i,)) for i in range(CLIENTS)]
    try:
        wait_until(lambda: get(port, "/healthz", cookie).status == 200, timeout=60)
        first = get(port, overview, cookie)
        assert first.status == 200 and membership.startup.name.encode() in first.body
        for thread in threads:
            thread.start()
        wait_until(lambda: sum(a.status == 200 for a in answers) >= 20, timeout=60)

        restart_began = time.monotonic()
        fault_postgres.restart()
        restart_ended = time.monotonic()

        wait_until(lambda: sum(a.started > restart_ended for a in answers) >= 20, timeout=60)
        stop.set()
        for thread in threads:
            thread.join(timeout=40)

        # Restarted again while nobody asks: each worker keeps a connection that is now
        # dead. The health check at the start of the next request replaces it.
        fault_postgres.restart()
        idle = [get(port, (overview, "/healthz")[i % 2], cookie) for i in range(20)]
        assert server.poll() is None, "gunicorn died"
    finally:
        stop.set()
        stop_process(server)

    before = [a for a in answers if a.ended < restart_began]
    after = [a for a in answers if a.started > restart_ended]
    assert before and after
    assert {a.status for a in before} == {200}
    assert [(a.path, a.status) for a in after if a.status != 200] == []
    assert all(membership.startup.name.encode() in a.body for a in after if a.path == overview)
    assert [(a.path, a.status) for a in idle if a.status != 200] == []
    # The same two workers served throughout: none was restarted.
    assert log_path.read_text().count("Booting worker") == 2
