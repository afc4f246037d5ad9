"""Real processes for the fault tests, each on its own spare port, never the suite's services.

- ``RedisServer``: a redis-server of its own (no persistence), stopped and started again by
  the test;
- ``PostgresCluster``: a throwaway PostgreSQL cluster made with initdb in a temporary
  directory (run as the ``postgres`` user when the tests run as root, as in CI), restarted
  by the test;
- ``start_worker``: a Celery worker of the project on a given Redis, its log in a file.

Every wait polls with a deadline (``wait_until``); every process is stopped by the fixture
that started it, even when the test fails.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from tests.smtp import free_port
from tests.worker import ROOT, wait_until

HOST = "127.0.0.1"


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    """Terminate a process the test started (kill it when it does not stop in time)."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


class RedisServer:
    """A redis-server on a free port of 127.0.0.1, in a temporary directory."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        self.directory = Path(tempfile.mkdtemp(prefix="fault-redis-"))
        self.process: subprocess.Popen | None = None

    def ping(self) -> bool:
        try:
            return redis.Redis(host=HOST, port=self.port, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def start(self) -> RedisServer:
        """Start it on its port (the same port again after ``stop``)."""
        binary = shutil.which("redis-server")
        assert binary, "redis-server is missing: bash scripts/services installs it"
        self.process = subprocess.Popen(
            [binary, "--bind", HOST, "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: self.ping() or self.process.poll() is not None, timeout=20)
        assert self.process.poll() is None, f"redis-server did not start on {self.port}"
        return self

    def stop(self) -> None:
        """Stop the server at once (SIGKILL: as when it crashes or its machine goes)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
        wait_until(lambda: not self.ping(), timeout=10)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def _postgres_bin(name: str) -> str:
    """A PostgreSQL server program: on the PATH, else the newest of Debian's versions."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    assert candidates, f"{name} is missing: bash scripts/services installs PostgreSQL"
    return str(candidates[-1])


class PostgresCluster:
    """A PostgreSQL cluster of its own on a free port, trusting 127.0.0.1 (throwaway)."""

    USER = "intrapreneur"

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="fault-postgres-"))
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        # initdb refuses to run as root: as root (CI), the server runs as ``postgres``
        # (``nobody`` where PostgreSQL's own user does not exist).
        self.run_as = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
                self.run_as = "postgres"
            except KeyError:
                self.run_as = "nobody"
            shutil.chown(self.directory, user=self.run_as)
        self.started = False

    def url(self, database: str = "postgres") -> str:
        return f"postgres://{self.USER}@{HOST}:{self.port}/{database}"

    def _run(self, *command: str, timeout: float = 60) -> subprocess.CompletedProcess:
        if self.run_as:
            command = ("runuser", "-u", self.run_as, "--", *command)
        return subprocess.run(
            command, cwd="/", capture_output=True, text=True, timeout=timeout, check=True
        )

    def _pg_ctl(self, action: str, *options: str) -> None:
        self._run(_postgres_bin("pg_ctl"), action, "-D", str(self.data), "-l", str(self.log),
                  "-w", "-t", "30", *options)

    def init(self) -> PostgresCluster:
        self._run(
            _postgres_bin("initdb"), "-D", str(self.data), "-U", self.USER, "-E", "UTF8",
            "--locale=C.UTF-8", "--auth=trust", "--no-sync",
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nlisten_addresses = '{HOST}'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.directory}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        return self

    def start(self) -> None:
        self._pg_ctl("start")
        self.started = True

    def restart(self) -> None:
        """Stop the server (fast: open connections are cut), then start it again."""
        self._pg_ctl("restart", "-m", "fast")

    def psql(self, database: str, sql: str = "", stdin: str | None = None) -> str:
        command = [_postgres_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                   self.url(database)]
        if sql:
            command += ["-c", sql]
        result = subprocess.run(command, input=stdin, capture_output=True, text=True,
                                timeout=120, check=True)
        return result.stdout

    def close(self) -> None:
        if self.started:
            try:
                self._pg_ctl("stop", "-m", "immediate")
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.directory, ignore_errors=True)


def database_url(settings_dict: dict) -> str:
    """DATABASE_URL of a Django connection (the test database the worker must see)."""
    db = settings_dict
    if db["ENGINE"].endswith("postgresql"):
        return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def start_worker(
    *,
    app: str,
    redis_url: str,
    queue: str,
    database: str,
    smtp,
    log: Path,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.Popen:
    """A Celery worker (prefork, one process) of ``app`` on ``queue``, ready to consume."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    environment.update(
        DATABASE_URL=database, REDIS_URL=redis_url, CELERY_QUEUE=queue, DEBUG="0",
        SECRET_KEY="fault-test-key-" + "x" * 40, EMAIL_HOST=smtp.host,
        EMAIL_PORT=str(smtp.port), EMAIL_USE_TLS="0",
        DEFAULT_FROM_EMAIL="Intrapreneur <test@example.gouv.fr>", **(env or {}),
    )
    with open(log, "a") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", app, "worker", "--pool", "prefork",
             "--concurrency", "1", "-Q", queue, "-n", f"{queue}-{time.monotonic_ns()}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,  # its pool process is stopped with it
        )
    try:
        wait_until(lambda: "ready." in log.read_text() or process.poll() is not None,
                   timeout=timeout)
    except TimeoutError:
        stop_worker(process)
        raise
    assert process.poll() is None, f"the worker did not start:\n{log.read_text()[-3000:]}"
    return process


def stop_worker(process: subprocess.Popen) -> None:
    """Stop a worker and its pool process (its own process group)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    try:  # an orphaned pool process left by a killed main process
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
