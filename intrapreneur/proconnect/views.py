"""ProConnect's OAuth2 adapter (discovery, tokens, signed userinfo) and its three views."""

from __future__ import annotations

import hmac
import logging
import secrets
from functools import cached_property
from urllib.parse import urlencode

import jwt
import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialApp, SocialLogin, SocialToken
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# ProConnect refuses a state or a nonce shorter than this; we refuse its answers likewise.
MIN_RANDOM_LENGTH = 32
# Signatures accepted for the ID token and the userinfo JWT (asymmetric only: the keys come
# from the provider's JWKS, so a token signed with the client secret is refused).
ALGORITHMS = ("RS256", "ES256")
# Clock difference tolerated between ProConnect and us, in seconds.
LEEWAY = 30
ID_TOKEN_SESSION_KEY = "proconnect_id_token"
LOGOUT_STATE_SESSION_KEY = "proconnect_logout_state"
END_SESSION_SESSION_KEY = "proconnect_end_session_url"


def random_token() -> str:
    """A URL-safe random string of 43 characters (32 random bytes)."""
    return secrets.token_urlsafe(MIN_RANDOM_LENGTH)


class ProConnectError(OAuth2Error):
    """A refusal of what ProConnect sent, with the sentence shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ProConnectOAuth2Adapter(OAuth2Adapter):
    provider_id = "proconnect"
    # ProConnect takes the client secret in the body (client_secret_post).
    basic_auth = False
    network_errors = (requests.RequestException, ValueError)

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request)
        # The stashed state of this sign-in (with its nonce), set by the callback view.
        self.state: dict | None = None

    # ---------------------------------------------------------------- discovery

    def _get_json(self, url: str) -> dict:
        with get_adapter().get_requests_session() as session:
            response = session.get(url)
            response.raise_for_status()
            return response.json()

    @cached_property
    def openid_config(self) -> dict:
        provider = self.get_provider()
        return self._get_json(provider.server_url + "/.well-known/openid-configuration")

    @property
    def authorize_url(self) -> str:
        return self.openid_config["authorization_endpoint"]

    @property
    def access_token_url(self) -> str:
        return self.openid_config["token_endpoint"]

    @property
    def profile_url(self) -> str:
        return self.openid_config["userinfo_endpoint"]

    @cached_property
    def jwks(self) -> jwt.PyJWKSet:
        return jwt.PyJWKSet.from_dict(self._get_json(self.openid_config["jwks_uri"]))

    # ---------------------------------------------------------------- JWTs

    def _signing_key(self, token: str, bad_signature: str):
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise ProConnectError(bad_signature) from error
        algorithm = header.get("alg")
        if algorithm not in ALGORITHMS:
            raise ProConnectError(bad_signature)
        kid = header.get("kid")
        keys = [key for key in self.jwks.keys if kid is None or key.key_id == kid]
        if len(keys) != 1:
            raise ProConnectError(bad_signature)
        return keys[0].key, algorithm

    def decode_jwt(self, token: str, *, bad_signature: str, audience: bool) -> dict:
        """Verify a JWT's signature with the provider's keys, its issuer, audience and dates."""
        key, algorithm = self._signing_key(token, bad_signature)
        client_id = self.get_provider().app.client_id
        try:
            claims = jwt.decode(
                token, key=key, algorithms=[algorithm], issuer=self.openid_config["issuer"],
                audience=client_id if audience else None, leeway=LEEWAY,
                options={
                    "require": ["iss", "sub"] + (["aud", "exp", "iat"] if audience else []),
                    "verify_aud": audience,
                },
            )
        except jwt.InvalidSignatureError as error:
            raise ProConnectError(bad_signature) from error
        except jwt.ExpiredSignatureError as error:
            raise ProConnectError(_("The identity token from ProConnect has expired.")) from error
        except jwt.PyJWTError as error:
            logger.warning("ProConnect token refused: %s", error)
            raise ProConnectError(
                _("The identity token from ProConnect is not valid for this service.")
            ) from error
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise ProConnectError(
                _("The identity token from ProConnect is not valid for this service.")
            )
        return claims

    # ---------------------------------------------------------------- the sign-in

    def complete_login(
        self, request: HttpRequest, app: SocialApp, token: SocialToken, **kwargs
    ) -> SocialLogin:
        raw_id_token = kwargs["response"].get("id_token")
        if not raw_id_token:
            raise ProConnectError(_("ProConnect sent no identity token."))
        id_token = self.decode_jwt(
            raw_id_token, audience=True,
            bad_signature=_("The signature of the identity token from ProConnect is not valid."),
        )
        expected_nonce = (self.state or {}).get("nonce") or ""
        nonce = str(id_token.get("nonce", ""))
        if not expected_nonce or not hmac.compare_digest(nonce, expected_nonce):
            raise ProConnectError(
                _("The identity token from ProConnect does not belong to this sign-in (nonce).")
            )
        userinfo = self.fetch_userinfo(token.token)
        if userinfo.get("sub") != id_token["sub"]:
            raise ProConnectError(
                _("The identity given by ProConnect does not match its identity token.")
            )
        # Kept with the state so that the sign-out can name the session to end.
        self.state["id_token"] = raw_id_token
        data = {**userinfo, "acr": id_token.get("acr"), "idp_id": userinfo.get("idp_id")}
        return self.get_provider().sociallogin_from_response(request, data)

    def fetch_userinfo(self, access_token: str) -> dict:
        """The userinfo endpoint answers a JWT signed with the provider's keys."""
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.profile_url, headers={"Authorization": f"Bearer {access_token}"}
            )
            response.raise_for_status()
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type != "application/jwt":
            raise ProConnectError(
                _("ProConnect did not sign the identity it gave: it is refused.")
            )
        claims = self.decode_jwt(
            response.text.strip(), audience=False,
            bad_signature=_("The signature of the identity given by ProConnect is not valid."),
        )
        # Its audience, when it names one, is this service.
        audience = claims.get("aud")
        if audience is not None:
            audiences = [audience] if isinstance(audience, str) else list(audience)
            if self.get_provider().app.client_id not in audiences:
                raise ProConnectError(
                    _("The identity token from ProConnect is not valid for this service.")
                )
        return claims


class ProConnectCallbackView(OAuth2CallbackView):
    def _get_state(self, request: HttpRequest, provider):
        state_id = request.GET.get("state", "")
        if len(state_id) < MIN_RANDOM_LENGTH:
            return None, render_authentication_error(
                request, provider,
                exception=ProConnectError(_("ProConnect's answer has no valid state.")),
            )
        state, response = super()._get_state(request, provider)
        self.adapter.state = state
        return state, response


def _unless_configured(view):
    """A 404 when ProConnect is not configured (no app), as allauth's OpenID Connect does."""

    @login_not_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SocialApp.DoesNotExist as error:
            raise Http404 from error

    return wrapped


oauth2_login = _unless_configured(OAuth2LoginView.adapter_view(ProConnectOAuth2Adapter))
oauth2_callback = _unless_configured(ProConnectCallbackView.adapter_view(ProConnectOAuth2Adapter))


def handoff(request: HttpRequest, url: str, *, title: str) -> HttpResponse:
    """A page that sends the browser on to ProConnect (see ``ProConnectProvider.redirect``)."""
    response = render(request, "proconnect/handoff.html", {"url": url, "title": title})
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- the sign-out


def logout_redirect_url(request: HttpRequest) -> str | None:
    """Where to send a person signed in with ProConnect so that it signs them out too.

    Returns None when the session did not come from ProConnect (or the provider is not
    reachable: the sign-out then stays local). The address and its state are kept on the
    request for ``remember_logout_state`` to put in the new session, once the old one is
    flushed; the sign-out goes to ``logout_handoff``, which sends the browser on.
    """
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not id_token:
        return None
    try:
        adapter = ProConnectOAuth2Adapter(request)
        endpoint = adapter.openid_config["end_session_endpoint"]
    except (SocialApp.DoesNotExist, KeyError, *ProConnectOAuth2Adapter.network_errors):
        logger.warning("ProConnect end_session_endpoint unavailable: signed out locally only")
        return None
    state = random_token()
    request.proconnect_logout_state = state
    query = urlencode({
        "id_token_hint": id_token,
        "state": state,
        "post_logout_redirect_uri": request.build_absolute_uri(
            reverse("proconnect_logout_callback")
        ),
    })
    request.proconnect_end_session_url = f"{endpoint}?{query}"
    return reverse("proconnect_logout")


def remember_logout_state(request: HttpRequest) -> None:
    state = getattr(request, "proconnect_logout_state", None)
    if state:
        request.session[LOGOUT_STATE_SESSION_KEY] = state
        request.session[END_SESSION_SESSION_KEY] = request.proconnect_end_session_url


@login_not_required
@require_GET
def logout_handoff(request: HttpRequest) -> HttpResponse:
    """Right after the sign-out here: on to ProConnect's end of session (once)."""
    url = request.session.pop(END_SESSION_SESSION_KEY, None)
    if not url:
        return redirect(resolve_url(settings.ACCOUNT_LOGOUT_REDIRECT_URL))
    return handoff(request, url, title=_("Sign-out from ProConnect"))


@login_not_required
@require_GET
def logout_callback(request: HttpRequest) -> HttpResponse:
    """ProConnect sends the person back here once its own session is ended."""
    expected = request.session.pop(LOGOUT_STATE_SESSION_KEY, "")
    state = request.GET.get("state", "")
    if not (expected and hmac.compare_digest(state, expected)):
        messages.warning(
            request, _("ProConnect's sign-out could not be confirmed: close your browser to "
                       "be sure to be signed out of ProConnect.")
        )
    return redirect(resolve_url(settings.ACCOUNT_LOGOUT_REDIRECT_URL))
