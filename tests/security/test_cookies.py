"""Cookies as production sets them: ``Secure`` (HTTPS only), ``HttpOnly`` (out of reach
of scripts) and ``SameSite=Lax`` (not sent by another site's forms) — the session, the
CSRF token and the flash messages.

The production values are read from the settings module itself, in a process started
with a production-like environment (DEBUG off, a real secret, allowed hosts); then a real
sign-in and a real action are made over HTTPS with those values, and the ``Set-Cookie``
headers the browser receives are read.
"""

import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.intrapreneur.factories import PASSWORD, UserFactory
from tests.test_settings import PRODUCTION, run

NAMES = [
    f"{prefix}_COOKIE_{flag}"
    for prefix in ("SESSION", "CSRF")
    for flag in ("SECURE", "HTTPONLY", "SAMESITE")
]


@pytest.fixture(scope="module")
def production_cookie_settings() -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {NAMES!r}}}))"
    )
    result = run(PRODUCTION, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_protect_the_cookies(production_cookie_settings):
    assert production_cookie_settings == {
        "SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True, "CSRF_COOKIE_HTTPONLY": True, "CSRF_COOKIE_SAMESITE": "Lax",
    }


def flags(morsel) -> tuple[bool, bool, str]:
    return bool(morsel["secure"]), bool(morsel["httponly"]), morsel["samesite"]


@pytest.mark.django_db
def test_the_browser_receives_protected_cookies(production_cookie_settings):
    user = UserFactory()
    # Over HTTPS, Django's CSRF check also wants the page the form came from.
    client = Client(enforce_csrf_checks=True, headers={"Referer": "https://testserver/"})
    received = {}
    with override_settings(**production_cookie_settings):
        page = client.get(reverse("account_login"), secure=True)
        received["csrftoken"] = page.cookies["csrftoken"]
        signed_in = client.post(
            reverse("account_login"),
            {"login": user.email, "password": PASSWORD,
             "csrfmiddlewaretoken": page.context["csrf_token"]},
            secure=True,
        )
        assert signed_in.status_code == 302
        received["sessionid"] = signed_in.cookies["sessionid"]
        profile = client.get(reverse("account-profile"), secure=True)
        saved = client.post(
            reverse("account-profile"),
            {"first_name": "Camille", "last_name": "Durand",
             "csrfmiddlewaretoken": profile.context["csrf_token"]},
            secure=True,
        )
        assert saved.status_code == 302
        received["messages"] = saved.cookies["messages"]  # "Your profile is saved."

    assert {name: flags(morsel) for name, morsel in received.items()} == {
        "csrftoken": (True, True, "Lax"),
        "sessionid": (True, True, "Lax"),
        "messages": (True, True, "Lax"),
    }
