"""No open redirect through ``next``: wherever the site honours it, a hostile value sends
the person to a page of the site, never elsewhere.

The hostile values are the usual ones: another site, a scheme-relative address (``//``),
the backslash that browsers read as a slash (``/\\``), a ``javascript:`` URL, a scheme
without slashes, leading blanks. A redirect is safe when its address, read as a browser
reads it (backslashes as slashes, leading blanks and controls dropped), stays on this host.

The sign-in (password and code), the sign-out and the signed-in visit of the sign-in page
are tried with every value; every URL of the authorisation matrix is then tried with a
backslashed ``next`` in its query and in its POST body, so that a view that starts
honouring ``next`` later is covered without touching this file.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.intrapreneur.factories import PASSWORD, UserFactory
from tests.security.test_authorization_matrix import URLS, url_for

HOSTILE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\\/evil.example/",
    "https:/\\evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    " //evil.example/",
    "\t//evil.example/",
    "/%2F/evil.example/",
    "https://testserver@evil.example/",
]
BLANKS = re.compile(r"^[\x00-\x20]+")


def stays_here(location: str) -> bool:
    """Whether a browser following ``location`` from this site stays on it."""
    as_browser = BLANKS.sub("", location).replace("\\", "/")
    if as_browser.startswith("//"):
        return False  # browsers skip any number of slashes to the host: ///evil.example
    parts = urlsplit(as_browser)
    if parts.scheme or parts.netloc:
        # ``http:evil.example`` is relative on an http page but leaves an https one.
        return parts.scheme in {"http", "https"} and parts.netloc == "testserver"
    return urlsplit(urljoin("http://testserver/start/", as_browser)).netloc == "testserver"


def test_the_detector_catches_every_hostile_value():
    assert not any(stays_here(value) for value in HOSTILE if value != "/%2F/evil.example/")
    assert stays_here("/startups/x/") and stays_here("?page=2") and stays_here("/%2F/x")


def assert_safe(response, where: str) -> None:
    assert response.status_code in (301, 302, 303), f"{where}: {response.status_code}"
    assert stays_here(response["Location"]), f"{where} sends to {response['Location']!r}"


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_by_password_stays_on_the_site(db, target):
    user = UserFactory()
    client = Client()
    response = client.post(
        reverse("account_login") + "?" + f"next={target}",
        {"login": user.email, "password": PASSWORD, "next": target},
    )
    assert_safe(response, f"sign-in with next={target!r}")
    assert client.get(reverse("home")).context["user"] == user


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_by_code_stays_on_the_site(db, target):
    user = UserFactory()
    client = Client()
    response = client.post(
        reverse("account_request_login_code"), {"email": user.email, "next": target}
    )
    assert_safe(response, "code request")
    code = mail.outbox[-1].body.split("\n\n")[2].strip()
    response = client.post(response["Location"], {"code": code, "next": target})
    assert_safe(response, f"code sign-in with next={target!r}")
    assert client.get(reverse("home")).context["user"] == user


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_page_and_sign_out_stay_on_the_site(db, target):
    client = Client()
    client.force_login(UserFactory())
    response = client.get(reverse("account_login"), {"next": target})
    assert_safe(response, f"signed-in visit of the sign-in page with next={target!r}")
    response = client.post(reverse("account_logout"), {"next": target})
    assert_safe(response, f"sign-out with next={target!r}")


@pytest.mark.parametrize("name", list(URLS))
def test_no_page_of_the_matrix_redirects_elsewhere(world, name):
    client = Client()
    client.force_login(world.people["intrapreneur"])
    path = url_for(name, world)
    # The backslash: what a check of "starts with /" lets through.
    target = "/\\evil.example/"
    for method, response in (
        ("GET", client.get(path, {"next": target})),
        ("POST", client.post(path, {"next": target})),
    ):
        if response.status_code in (301, 302, 303):
            assert_safe(response, f"{method} {path} with next={target!r}")
