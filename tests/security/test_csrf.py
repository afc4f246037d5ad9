"""CSRF: every URL that accepts a POST refuses one without the token.

The URLs come from the authorisation matrix: each row whose POST is not refused with 405
(allauth's sign-in and sign-out included). The requests are made as the intrapreneur, who
may do everything, so a 403 can only come from the CSRF check.

The refusals use Django's plain test client: what the refusal page looks like is the one
concern of ``test_the_refusal_page_is_the_sites_own``, which keeps the suite's guard.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import GuardedClient
from tests.security.test_authorization_matrix import URLS, db_state, url_for

# The API authenticates each request by its token, not by a session: it is exempt.
CSRF_EXEMPT = {"api:metric-values"}
POST_URLS = [
    name for name, (_action, _get, post) in URLS.items()
    if post != 405 and name not in CSRF_EXEMPT
]


def test_the_sign_in_and_sign_out_are_covered():
    assert {"account_login", "account_logout"} <= set(POST_URLS)


def csrf_client(world, client_class: type[Client] = GuardedClient) -> Client:
    client = client_class(enforce_csrf_checks=True)
    client.force_login(world.people["intrapreneur"])
    return client


def csrf_token(client: Client) -> str:
    """The token a browser would hold after opening a page of the site."""
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return client.cookies["csrftoken"].value


@pytest.mark.parametrize("name", POST_URLS)
def test_post_without_token_is_refused(world, name, caplog):
    client = csrf_client(world, Client)
    path = url_for(name, world)
    csrf_token(client)  # the cookie alone is not enough: the form's token is missing
    before = db_state()

    response = client.post(path)

    assert response.status_code == 403
    assert "403.html" not in {t.name for t in response.templates}, "a permission 403"
    assert any(r.name == "django.security.csrf" for r in caplog.records)
    assert db_state() == before


@pytest.mark.parametrize("name", POST_URLS)
def test_post_with_token_goes_through(world, name):
    client = csrf_client(world)
    path = url_for(name, world)

    response = client.post(path, {"csrfmiddlewaretoken": csrf_token(client)})

    # Not refused by the CSRF check; the body (the token alone) may bind a form this time.
    assert response.status_code != 403
    assert response.status_code < 500


def test_htmx_header_token_goes_through(world):
    """htmx sends the token in the X-CSRFToken header (hx-headers on <body>)."""
    client = csrf_client(world)
    path = url_for("tag-create", world)

    response = client.post(
        path, {"name": "Entretiens"}, headers={"X-CSRFToken": csrf_token(client)}
    )

    assert response.status_code == 302


def test_token_of_another_session_is_refused(world):
    other = Client(enforce_csrf_checks=True)
    other.force_login(world.people["team"])
    stolen = csrf_token(other)
    client = csrf_client(world, Client)
    client.get(reverse("home"))
    path = url_for("tag-create", world)

    response = client.post(path, {"name": "Entretiens", "csrfmiddlewaretoken": stolen})

    assert response.status_code == 403


def test_the_refusal_page_is_the_sites_own(world):
    """A person whose form went stale reads a page of the site, in French, under the CSP.

    Django's fallback page (no ``403_csrf.html`` in the project) carries an inline <style>,
    which the CSP blocks and the suite's guard refuses.
    """
    client = csrf_client(world)  # GuardedClient: fails on inline code

    response = client.post(url_for("tag-create", world), {"name": "Entretiens"})

    assert response.status_code == 403
    assert "base.html" in {t.name for t in response.templates}


def test_the_api_is_exempt_but_answers_401_without_a_token(world):
    client = csrf_client(world)
    response = client.post(url_for("api:metric-values", world), {"value": 1})
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
