"""ProConnect as an allauth provider: OpenID Connect with the State's own requirements.

What ProConnect asks beyond plain OpenID Connect, and allauth's generic provider does not do:
``state`` and ``nonce`` of at least 32 characters (the nonce checked in the ID token), an
``acr_values``, a userinfo answer that is a signed JWT, names as ``given_name`` and
``usual_name``, a ``siret``, and a sign-out through its ``end_session_endpoint``.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from intrapreneur.proconnect.views import ProConnectOAuth2Adapter, handoff, random_token

DEFAULT_SCOPE = ["openid", "email", "given_name", "usual_name", "siret", "uid"]
# Claims kept on the social account (extra_data): who the agent is, and where they work.
KEPT_CLAIMS = (
    "sub", "email", "given_name", "usual_name", "uid", "siret", "siren",
    "organizational_unit", "belonging_population", "phone", "idp_id", "acr",
)


def _email(data: dict) -> str:
    """The address as accounts store it (``UserManager`` keeps them in lower case)."""
    return str(data.get("email") or "").strip().lower()


class ProConnectAccount(ProviderAccount):
    def to_str(self) -> str:
        data = self.account.extra_data or {}
        return data.get("email") or super().to_str()

    @property
    def siret(self) -> str:
        return (self.account.extra_data or {}).get("siret", "")


class ProConnectProvider(OAuth2Provider):
    id = "proconnect"
    name = "ProConnect"
    account_class = ProConnectAccount
    oauth2_adapter_class = ProConnectOAuth2Adapter

    @property
    def server_url(self) -> str:
        return self.app.settings["server_url"].rstrip("/")

    def get_default_scope(self) -> list[str]:
        return list(DEFAULT_SCOPE)

    def get_auth_params(self) -> dict:
        params = super().get_auth_params()
        acr_values = self.app.settings.get("acr_values", "eidas1")
        if acr_values:
            params["acr_values"] = acr_values
        return params

    def get_auth_params_from_request(self, request: HttpRequest, action) -> dict:
        # ProConnect refuses any parameter it does not know: none comes from the request.
        return self.get_auth_params()

    def get_scope_from_request(self, request: HttpRequest) -> list[str]:
        return self.get_scope()

    def redirect(
        self, request: HttpRequest, process, next_url=None, data=None, **kwargs
    ) -> HttpResponse:
        """To the authorisation endpoint, with a long state and a nonce kept for the callback.

        Through a page of ours (``handoff``), not a redirection: the POST of the button would
        otherwise carry ProConnect, and the identity providers it redirects to, under the
        CSP's ``form-action 'self'``, which browsers apply to a form's redirections.
        """
        adapter = self.get_oauth2_adapter(request)
        kwargs.pop("scope", None)
        kwargs.pop("auth_params", None)
        nonce = random_token()
        state_id = self.stash_redirect_state(
            request, process, next_url, data, state_id=random_token(), nonce=nonce, **kwargs
        )
        try:
            client = adapter.get_client(request, self.app)
            client.state = state_id
            params = {**self.get_auth_params(), "nonce": nonce}
            url = client.get_redirect_url(adapter.authorize_url, self.get_scope(), params)
            return handoff(request, url, title=_("Sign-in with ProConnect"))
        except (OAuth2Error, *adapter.network_errors) as error:
            return render_authentication_error(
                request, self, exception=error, extra_context={"state_id": state_id}
            )

    def extract_uid(self, data: dict) -> str:
        return str(data["sub"])

    def extract_common_fields(self, data: dict) -> dict:
        return {
            "email": _email(data),
            "first_name": data.get("given_name") or "",
            "last_name": data.get("usual_name") or data.get("family_name") or "",
        }

    def extract_email_addresses(self, data: dict) -> list[EmailAddress]:
        # ProConnect's identity providers vouch for the professional address they give.
        email = _email(data)
        return [EmailAddress(email=email, verified=True, primary=True)] if email else []

    def extract_extra_data(self, data: dict) -> dict:
        return {key: data[key] for key in KEPT_CLAIMS if data.get(key) not in (None, "")}


provider_classes = [ProConnectProvider]
