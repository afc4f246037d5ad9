"""Suite-wide fixtures and guards.

Guards, on every test: a response with an inline script or event handler fails the test
(CSP allows none), and so does an undefined variable in one of the project's own templates.
"""

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.test import Client

from intrapreneur.enums import Role
from intrapreneur.models import Startup, User
from tests.intrapreneur.factories import (
    IncubatorFactory,
    MembershipFactory,
    StartupFactory,
    UserFactory,
)
from tests.worker import mail_to_smtp, smtp, worker  # noqa: F401 - fixtures for every module

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
# An attribute named on…= or style= in a tag; quoted attribute values are skipped, so an
# escaped user text such as value="&quot;&gt;&lt;img onerror=…" is not taken for one.
_TAG_ATTRIBUTES = (
    r"""<[a-z][a-z0-9-]*(?:\s+[^\s"'>=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*?"""
)
EVENT_HANDLER = re.compile(_TAG_ATTRIBUTES + r"\s+on[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|" + _TAG_ATTRIBUTES + r"\s+style\s*=", re.I)


class UndefinedVariableHandler(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.missing: list[str] = []

    def emit(self, record):
        variable, template = record.args[0], record.args[1]
        if template and (TEMPLATES_DIR / str(template)).is_file():
            self.missing.append(f"{variable} in {template}")


@pytest.fixture(autouse=True)
def _no_undefined_template_variables():
    handler = UndefinedVariableHandler()
    logger = logging.getLogger("django.template")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG)
    # Only this handler hears them: django-dsfr's own templates miss variables on every
    # render, and the console would print (and format) a traceback for each.
    logger.propagate = False
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    logger.setLevel(level)
    logger.propagate = propagate
    assert not handler.missing, f"undefined template variables: {handler.missing}"


def assert_no_inline_code(response) -> None:
    if "text/html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode()
    if response.wsgi_request.path.startswith("/admin/"):
        return  # Django's admin is not ours: it keeps its own inline style attributes
    for pattern, what in (
        (INLINE_SCRIPT, "inline script"),
        (EVENT_HANDLER, "inline event handler"),
        (INLINE_STYLE, "inline style"),
    ):
        match = pattern.search(html)
        assert match is None, f"{what} in {response.wsgi_request.path}: {match.group(0)[:120]}"


class GuardedClient(Client):
    """The test client, failing on any response that carries inline code."""

    def request(self, **request):
        response = super().request(**request)
        assert_no_inline_code(response)
        return response


@pytest.fixture
def client():
    return GuardedClient()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _sql_flush_by_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """Empty the tables with DELETE rather than TRUNCATE, after a test that committed.

    On a PostgreSQL that syncs to disk, TRUNCATE gives each table new files: 1.5 s for the
    project's tables, rows or no rows, after every ``transactional_db`` test (the browser
    tests, the worker's). DELETE of the few rows a test wrote takes a tenth of that. Django
    runs the flush in one transaction and its foreign keys are deferred to the commit, so
    the order of the tables does not matter."""
    if reset_sequences:
        return _SQL_FLUSH_BY_TRUNCATE(self, style, tables, reset_sequences=True,
                                      allow_cascade=allow_cascade)
    return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables]


_SQL_FLUSH_BY_TRUNCATE = PostgresOperations.sql_flush


@pytest.fixture(autouse=True, scope="session")
def _flush_by_delete():
    PostgresOperations.sql_flush = _sql_flush_by_delete
    yield
    PostgresOperations.sql_flush = _SQL_FLUSH_BY_TRUNCATE


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


ROLES = ["anonymous", "outsider", "sponsor", "coach", "team", "intrapreneur", "staff"]


@dataclass
class World:
    """A startup with one person of each role, its incubator's staff and an outsider."""

    startup: Startup
    people: dict[str, User | None]

    def client_for(self, role: str) -> Client:
        client = GuardedClient()
        if self.people[role] is not None:
            client.force_login(self.people[role])
        return client


@pytest.fixture
def world(db) -> World:
    incubator = IncubatorFactory()
    startup = StartupFactory(incubator=incubator)
    people: dict[str, User | None] = {"anonymous": None, "outsider": UserFactory()}
    for role in (Role.SPONSOR, Role.COACH, Role.TEAM, Role.INTRAPRENEUR):
        people[str(role)] = MembershipFactory(startup=startup, role=role).user
    staff = UserFactory(staff=True)
    incubator.staff.add(staff)
    people["staff"] = staff
    return World(startup=startup, people=people)


@pytest.fixture
def smtp_server(settings):
    """An SMTP server on 127.0.0.1 receiving this process's mail (``.port`` for a worker)."""
    from tests.smtp import SMTPServer

    server = SMTPServer().start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": server.host, "port": server.port, "use_tls": False, "timeout": 5,
            },
        }
    }
    yield server
    server.stop()
