import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.conftest import GuardedClient
from tests.intrapreneur.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_by_password(client):
    user = UserFactory(email="agent@example.gouv.fr")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == user


def test_sign_in_by_code(client):
    user = UserFactory(email="agent@example.gouv.fr")
    response = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert response.url.startswith(reverse("account_confirm_login_code"))
    code = mail.outbox[-1].body.split("\n\n")[2].strip()
    assert len(code) == 9
    client.post(response.url, {"code": code})
    assert client.get("/").context["user"] == user


def test_no_open_sign_up(client):
    response = client.get(reverse("account_signup"))
    assertContains(response, "Inscriptions fermées", status_code=200)
    client.post(reverse("account_signup"), {"email": "x@example.gouv.fr", "password1": "a" * 12,
                                            "password2": "a" * 12})
    from intrapreneur.models import User

    assert not User.objects.filter(email="x@example.gouv.fr").exists()


def test_sign_in_codes_are_rate_limited_per_address(db):
    user = UserFactory(email="agent@example.gouv.fr")
    url = reverse("account_request_login_code")
    responses = [GuardedClient().post(url, {"email": user.email}) for _ in range(4)]
    assert [r.status_code for r in responses[:3]] == [302, 302, 302]
    assertContains(responses[3], "Trop de tentatives de connexion")
    assert len(mail.outbox) == 3


def test_rate_limits_see_the_client_behind_the_trusted_proxy(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory(email="agent@example.gouv.fr")
    url = reverse("account_login")

    def limited(address: str, login: str) -> bool:
        response = client.post(
            url, {"login": login, "password": "mauvais"},
            # A client may forge the start of the header; the proxy appends the real address.
            headers={"X-Forwarded-For": f"192.0.2.1, {address}"},
        )
        return "Trop de tentatives de connexion" in response.content.decode()

    # Ten failures from one client (on ten addresses): the eleventh is refused...
    assert not any(limited("198.51.100.7", f"inconnu{n}@example.gouv.fr") for n in range(10))
    assert limited("198.51.100.7", "encore@example.gouv.fr")
    # ...while another client, behind the same proxy, is not.
    assert not limited("203.0.113.9", user.email)
