"""The quick start as `make run` does it, on SQLite, in fresh processes."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def manage(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=timeout, check=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def sqlite_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "REDIS_URL"}}
    env.update(
        DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    env.pop("SECRET_KEY", None)
    return env


def test_quick_start_on_sqlite(sqlite_env):
    manage(sqlite_env, "migrate", "--noinput")
    first = manage(sqlite_env, "seed_demo").stdout
    assert "intrapreneur@demo.intrapreneur.fr" in first
    manage(sqlite_env, "seed_demo")  # idempotent: a second run must not fail

    # The demo intrapreneur signs in with the printed password and sees the demo startups.
    check = manage(
        sqlite_env, "shell", "-c",
        "from django.test import Client\n"
        "from intrapreneur.management.commands.seed_demo import DEMO_PASSWORD\n"
        "from intrapreneur.models import Startup\n"
        "c = Client(HTTP_HOST='localhost')\n"
        "r = c.post('/accounts/login/', {'login': 'intrapreneur@demo.intrapreneur.fr',"
        " 'password': DEMO_PASSWORD})\n"
        "assert r.status_code == 302, r.status_code\n"
        "page = c.get('/').content.decode()\n"
        "names = list(Startup.objects.values_list('name', flat=True))\n"
        "assert len(names) == 3 and all(n in page for n in names), names\n"
        # The search across a startup, without PostgreSQL's full text: icontains.
        "found = c.get('/startups/concessio/search/', {'q': 'mairie'}).content.decode()\n"
        "assert 'id=\"search-interviews\"' in found, found[-3000:]\n"
        "found = c.get('/startups/accueil-accessible/search/', {'q': 'mairies'})\n"
        "assert 'id=\"search-hypotheses\"' in found.content.decode(), found.status_code\n"
        "print('ok', len(names))\n",
    )
    assert check.stdout.strip().endswith("ok 3")

    # runserver serves the sign-in page, in French.
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=sqlite_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as r:
                    body = r.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert '<html lang="fr"' in body
        assert "Se connecter" in body
    finally:
        server.terminate()
        server.wait(timeout=10)
