"""ProConnect, end to end, against the small provider of ``tests/proconnect_provider.py``.

The provider runs on 127.0.0.1 and behaves like ProConnect; the test client plays the
browser between the two (the provider's redirections are followed with ``requests``).
"""

from __future__ import annotations

import html
import re
import secrets
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur import invitations
from intrapreneur.enums import Role
from intrapreneur.invitations import invitation_create
from intrapreneur.models import Invitation, Membership, User
from intrapreneur.settings import proconnect_providers
from tests.intrapreneur.factories import PASSWORD, MembershipFactory, UserFactory
from tests.proconnect_provider import (
    AGENT,
    CLIENT_ID,
    OTHER_KEY,
    FakeProConnect,
    proconnect_settings,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    fake = FakeProConnect().start()
    settings.SOCIALACCOUNT_PROVIDERS = proconnect_settings(fake)
    yield fake
    fake.stop()


REFRESH = re.compile(r'<meta http-equiv="refresh" content="0;url=([^"]+)">')


def handoff_url(response) -> str:
    """Where a page of ours sends the browser on (an immediate meta refresh, and a link)."""
    assert response.status_code == 200
    url = html.unescape(REFRESH.search(response.content.decode()).group(1))
    assertContains(response, f'href="{html.escape(url)}"')
    return url


def browse_to_provider(client, provider, next_url: str = ""):
    """Press the button, then let the provider answer as a browser would see it."""
    login = reverse("proconnect_login") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    url = handoff_url(client.post(login))
    assert url.startswith(provider.issuer + "/authorize?")
    answer = requests.get(url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def sign_in(client, provider, next_url: str = ""):
    callback = urlsplit(browse_to_provider(client, provider, next_url))
    assert callback.path == reverse("proconnect_callback")
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_user(client):
    return client.get(reverse("account-profile")).context["user"]


# ---------------------------------------------------------------- configuration


def test_without_the_variables_no_button_and_no_flow(client, settings, monkeypatch):
    for name in ("PROCONNECT_CLIENT_ID", "PROCONNECT_CLIENT_SECRET", "PROCONNECT_DOMAIN"):
        monkeypatch.delenv(name, raising=False)
    settings.SOCIALACCOUNT_PROVIDERS = proconnect_providers()
    assert settings.SOCIALACCOUNT_PROVIDERS == {}

    page = client.get(reverse("account_login"))
    assertNotContains(page, "ProConnect")
    assertContains(page, "Recevoir un code de connexion")
    assert client.post(reverse("proconnect_login")).status_code == 404
    callback = reverse("proconnect_callback") + "?code=x&state=" + "s" * 43
    assert client.get(callback).status_code == 404


def test_the_variables_configure_the_provider(monkeypatch):
    monkeypatch.setenv("PROCONNECT_CLIENT_ID", "mon-client")
    monkeypatch.setenv("PROCONNECT_CLIENT_SECRET", "mon-secret")
    monkeypatch.setenv("PROCONNECT_DOMAIN", "auth.agentconnect.gouv.fr")
    app = proconnect_providers()["proconnect"]["APPS"][0]
    assert app["client_id"] == "mon-client" and app["secret"] == "mon-secret"
    assert app["settings"]["server_url"] == "https://auth.agentconnect.gouv.fr/api/v2"
    assert app["settings"]["acr_values"] == "eidas1"
    assert app["settings"]["scope"] == [
        "openid", "email", "given_name", "usual_name", "siret", "uid"
    ]
    # A full address is kept as it is (the integration platform, a local provider…).
    monkeypatch.setenv("PROCONNECT_DOMAIN", "https://fca.integ01.dev-agentconnect.fr/api/v2/")
    app = proconnect_providers()["proconnect"]["APPS"][0]
    assert app["settings"]["server_url"] == "https://fca.integ01.dev-agentconnect.fr/api/v2"
    # One variable missing: not configured.
    monkeypatch.delenv("PROCONNECT_CLIENT_SECRET")
    assert proconnect_providers() == {}


def test_the_button_is_offered_when_configured(client, provider):
    page = client.get(reverse("account_login") + "?next=/startups/new/")
    assertContains(page, "S’identifier avec")
    assertContains(page, '<span class="fr-connect__brand">ProConnect</span>', html=True)
    assertContains(page, "Qu’est-ce que ProConnect ?")
    assertContains(page, 'action="/accounts/proconnect/login/?next=%2Fstartups%2Fnew%2F"')


def test_opening_the_sign_in_address_asks_to_confirm(client, provider):
    """A GET starts nothing (allauth's rule against sign-in by a forged link): a button."""
    page = client.get(reverse("proconnect_login"))
    assertContains(page, 'method="post"')
    assertContains(page, "Connexion via ProConnect")
    assert provider.authorize_requests == []


# ---------------------------------------------------------------- the flow


def test_the_authorisation_request_is_what_proconnect_accepts(client, provider):
    browse_to_provider(client, provider)
    request = provider.authorize_requests[-1]
    assert set(request) == {
        "response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "acr_values"
    }
    assert request["client_id"] == CLIENT_ID
    assert request["redirect_uri"] == "http://testserver/accounts/proconnect/login/callback/"
    assert set(request["scope"].split()) == {
        "openid", "email", "given_name", "usual_name", "siret", "uid"
    }
    assert request["acr_values"] == "eidas1"
    assert len(request["state"]) >= 32 and len(request["nonce"]) >= 32
    # A new state and nonce each time.
    browse_to_provider(client, provider)
    again = provider.authorize_requests[-1]
    assert again["state"] != request["state"] and again["nonce"] != request["nonce"]


@pytest.fixture
def invitation(world) -> Invitation:
    return invitation_create(
        startup=world.startup, actor=world.people["intrapreneur"], email=AGENT["email"].upper(),
        role=Role.TEAM, base_url="http://testserver",
    )


def test_invited_agent_signs_in_with_proconnect_and_joins(client, provider, world, invitation):
    response = sign_in(client, provider)

    assertRedirects(response, reverse("home"), fetch_redirect_response=False)
    user = User.objects.get(email=AGENT["email"])
    assert (user.first_name, user.last_name) == ("Camille Marie", "Durand")
    assert not user.has_usable_password()
    assert user.emailaddress_set.get().verified
    membership = Membership.objects.get(startup=world.startup, user=user)
    assert membership.role == Role.TEAM
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.accepted_by == user
    account = SocialAccount.objects.get(user=user, provider="proconnect")
    assert account.uid == "sub-0f6b2c"
    assert account.extra_data["siret"] == "13002526500013"
    assert account.extra_data["usual_name"] == "Durand"
    assert account.extra_data["acr"] == "eidas1"

    home = client.get(reverse("home"))
    assert home.context["user"] == user
    assertContains(home, f"Bienvenue dans « {world.startup.name} »")
    assertContains(home, world.startup.name)
    profile = client.get(reverse("account-profile"))
    assertContains(profile, "13002526500013")
    assertContains(profile, "Camille Marie")


def test_the_invitation_page_offers_proconnect(client, provider, world):
    """The link of the e-mail: signing in with ProConnect there accepts it, then the startup."""
    invitation = Invitation.objects.create(
        startup=world.startup, email=AGENT["email"], role=Role.TEAM,
        invited_by=world.people["intrapreneur"], token_hash=invitations.token_hash("jeton"),
        expires_at=timezone.now() + invitations.VALIDITY,
    )
    page = client.get(reverse("invitation-accept", kwargs={"token": "jeton"}))
    startup_url = world.startup.get_absolute_url()
    assertContains(page, f'action="/accounts/proconnect/login/?next={quote(startup_url, safe="")}"')

    response = sign_in(client, provider, next_url=startup_url)

    assertRedirects(response, startup_url, fetch_redirect_response=False)
    assert client.get(startup_url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_the_invitation_page_without_proconnect(client, world):
    Invitation.objects.create(
        startup=world.startup, email=AGENT["email"], role=Role.TEAM,
        token_hash=invitations.token_hash("jeton"),
        expires_at=timezone.now() + invitations.VALIDITY,
    )
    page = client.get(reverse("invitation-accept", kwargs={"token": "jeton"}))
    assertContains(page, "Accepter l’invitation")
    assertNotContains(page, "ProConnect")


def test_addresses_are_compared_in_lower_case(client, provider, invitation):
    provider.behaviour.claims["email"] = "Camille.Durand@Interieur.gouv.fr"
    sign_in(client, provider)
    assert signed_in_user(client).email == AGENT["email"]
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_the_next_page_is_kept(client, provider, invitation):
    response = sign_in(client, provider, next_url="/startups/new/")
    assertRedirects(response, "/startups/new/", fetch_redirect_response=False)


def test_an_existing_account_is_found_by_its_address(client, provider):
    existing = UserFactory(email=AGENT["email"], first_name="", last_name="")
    MembershipFactory(user=existing)

    sign_in(client, provider)

    assert signed_in_user(client) == existing
    assert User.objects.count() == 1
    assert SocialAccount.objects.get(provider="proconnect").user == existing
    existing.refresh_from_db()
    # Empty names are filled; a second sign-in finds the account by ProConnect's sub.
    assert (existing.first_name, existing.last_name) == ("Camille Marie", "Durand")
    client.logout()
    sign_in(client, provider)
    assert signed_in_user(client) == existing
    assert SocialAccount.objects.count() == 1


def test_a_verified_address_keeps_its_password_an_unverified_one_loses_it(client, provider):
    """allauth's guard against an account opened in advance with somebody else's address."""
    verified = UserFactory(email=AGENT["email"])
    EmailAddress.objects.create(user=verified, email=verified.email, verified=True, primary=True)
    sign_in(client, provider)
    verified.refresh_from_db()
    assert verified.check_password(PASSWORD)

    client.logout()
    SocialAccount.objects.all().delete()
    verified.delete()
    unverified = UserFactory(email=AGENT["email"])
    sign_in(client, provider)
    assert signed_in_user(client) == unverified
    unverified.refresh_from_db()
    assert not unverified.has_usable_password()


def test_names_chosen_by_the_person_are_kept(client, provider):
    existing = UserFactory(email=AGENT["email"], first_name="Cam", last_name="Durand-Roy")
    sign_in(client, provider)
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name) == ("Cam", "Durand-Roy")


def test_an_unknown_address_gets_no_account(client, provider):
    response = sign_in(client, provider)

    assertContains(response, "Aucun compte pour cette adresse", status_code=403)
    assertContains(response, AGENT["email"], status_code=403)
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    assert not client.get(reverse("account_login")).context["user"].is_authenticated


# ---------------------------------------------------------------- the sign-out


def test_sign_out_goes_through_proconnect(client, provider, invitation):
    sign_in(client, provider)

    response = client.post(reverse("account_logout"))

    assertRedirects(response, reverse("proconnect_logout"), fetch_redirect_response=False)
    # Signed out here already; a page sends the browser on to ProConnect, once.
    assert "_auth_user_id" not in client.session
    end_url = handoff_url(client.get(reverse("proconnect_logout")))
    assertRedirects(
        client.get(reverse("proconnect_logout")), reverse("account_login"),
        fetch_redirect_response=False,
    )
    end = urlsplit(end_url)
    assert f"{end.scheme}://{end.netloc}{end.path}" == provider.issuer + "/session/end"
    query = {k: v[0] for k, v in parse_qs(end.query).items()}
    assert query["id_token_hint"] == provider.issued_id_tokens[-1]
    assert len(query["state"]) >= 32
    assert query["post_logout_redirect_uri"] == (
        "http://testserver/accounts/proconnect/logout/callback/"
    )
    # ProConnect ends its session and sends the browser back with the state.
    back = requests.get(end_url, allow_redirects=False, timeout=5)
    assert back.status_code == 303
    returned = urlsplit(back.headers["Location"])
    page = client.get(f"{returned.path}?{returned.query}", follow=True)
    assertRedirects(page, reverse("account_login"))
    assertContains(page, "Vous êtes déconnecté")
    assertNotContains(page, "n’a pas pu être confirmée")
    assert provider.end_session_requests[-1]["state"] == query["state"]


def test_a_sign_out_return_with_another_state_is_flagged(client, provider, invitation):
    sign_in(client, provider)
    client.post(reverse("account_logout"))
    client.get(reverse("proconnect_logout"))

    page = client.get(reverse("proconnect_logout_callback") + "?state=" + "x" * 43, follow=True)

    assertRedirects(page, reverse("account_login"))
    assertContains(page, "La déconnexion de ProConnect n’a pas pu être confirmée")


def test_a_password_sign_out_stays_local(client, provider):
    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    response = client.post(reverse("account_logout"))

    assertRedirects(response, reverse("account_login"), fetch_redirect_response=False)
    assert provider.end_session_requests == []


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"nonce": "n" * 43}, "ne correspond pas à cette connexion (nonce)"),
        ({"nonce": ""}, "ne correspond pas à cette connexion (nonce)"),
        ({"id_token_key": OTHER_KEY}, "La signature du jeton d’identité"),
        ({"userinfo_key": OTHER_KEY}, "La signature de l’identité donnée par ProConnect"),
        ({"id_token_lifetime": -600}, "Le jeton d’identité de ProConnect a expiré"),
        ({"userinfo_as_json": True}, "ProConnect n’a pas signé l’identité"),
        ({"state_length": 16}, "La réponse de ProConnect n’a pas d’état valide"),
        ({"id_token_audience": "un-autre-service"}, "n’est pas valable pour ce service"),
        ({"userinfo_audience": "un-autre-service"}, "n’est pas valable pour ce service"),
        ({"sub": ""}, "n’est pas valable pour ce service"),
    ],
    ids=["wrong-nonce", "no-nonce", "id-token-signature", "userinfo-signature", "expired",
         "unsigned-userinfo", "short-state", "id-token-audience", "userinfo-audience",
         "no-sub"],
)
def test_refusals_sign_nobody_in(client, provider, invitation, change, reason):
    for name, value in change.items():
        setattr(provider.behaviour, name, value)

    response = sign_in(client, provider)

    assertContains(response, "La connexion a échoué", status_code=401)
    assertContains(response, reason, status_code=401)
    assertContains(response, "Vous n’êtes pas connecté", status_code=401)
    assert not client.get(reverse("account_login")).context["user"].is_authenticated
    assert not User.objects.filter(email=AGENT["email"]).exists()
    assert not SocialAccount.objects.exists()
    assert Invitation.objects.get().status == "pending"


def test_cancelled_at_proconnect(client, provider, invitation):
    provider.behaviour.error = "access_denied"
    response = sign_in(client, provider)
    assertRedirects(response, reverse("socialaccount_login_cancelled"))
    assertContains(client.get(response["Location"]), "Connexion annulée")
    assert not User.objects.filter(email=AGENT["email"]).exists()


def test_an_error_from_proconnect_is_said(client, provider, invitation):
    provider.behaviour.error = "login_required"
    response = sign_in(client, provider)
    assertContains(response, "ProConnect n’a pas pu vous connecter", status_code=401)
    assert provider.token_requests == []


def test_an_unknown_state_is_refused(client, provider, invitation):
    callback = urlsplit(browse_to_provider(client, provider))
    query = parse_qs(callback.query)
    forged = urlencode({"code": query["code"][0], "state": secrets.token_urlsafe(32)})

    response = client.get(f"{callback.path}?{forged}")

    assertContains(response, "Cette demande de connexion a expiré", status_code=401)
    assert not User.objects.filter(email=AGENT["email"]).exists()
    assert provider.token_requests == []


def test_a_replayed_callback_is_refused(client, provider, invitation):
    callback = urlsplit(browse_to_provider(client, provider))
    first = client.get(f"{callback.path}?{callback.query}")
    assert first.status_code == 302
    client.logout()

    again = client.get(f"{callback.path}?{callback.query}")

    assertContains(again, "Cette demande de connexion a expiré", status_code=401)


def test_an_unreachable_provider_is_said_so(client, provider, invitation):
    provider.stop()
    response = client.post(reverse("proconnect_login"))
    assertContains(response, "ProConnect ne répond pas", status_code=401)


def test_a_sign_out_when_proconnect_does_not_answer_stays_local(client, provider, invitation):
    sign_in(client, provider)
    provider.stop()

    response = client.post(reverse("account_logout"))

    assertRedirects(response, reverse("account_login"), fetch_redirect_response=False)
    assert "_auth_user_id" not in client.session
