import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError
from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from requests import RequestException

from intrapreneur.proconnect import views as proconnect

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: accounts are created by staff or by an invitation."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None and sociallogin.account.provider == "proconnect":
            from intrapreneur.proconnect.services import proconnect_sign_in_complete

            # The ID token names the ProConnect session to end when signing out.
            request.session[proconnect.ID_TOKEN_SESSION_KEY] = sociallogin.state.get("id_token")
            accepted = proconnect_sign_in_complete(
                user=user, claims=sociallogin.account.extra_data
            )
            for invitation in accepted:
                messages.success(
                    request, _("Welcome to “%(name)s”.") % {"name": invitation.startup}
                )
        return response

    def get_logout_redirect_url(self, request) -> str:
        """Signed in with ProConnect: out through its end of session, back to the sign-in."""
        return proconnect.logout_redirect_url(request) or super().get_logout_redirect_url(request)

    def logout(self, request) -> None:
        super().logout(request)
        proconnect.remember_logout_state(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """ProConnect finds people by their verified address: an account, or an invitation."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        from intrapreneur.proconnect.services import pending_invitations_for

        verified = [address.email for address in sociallogin.email_addresses if address.verified]
        if any(pending_invitations_for(email).exists() for email in verified):
            return True
        raise ImmediateHttpResponse(render(
            request, "proconnect/no_account.html",
            {"email": verified[0] if verified else ""}, status=403,
        ))

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """Say in French what went wrong (the error page shows ``reason``)."""
        if isinstance(exception, proconnect.ProConnectError):
            reason = exception.message
        elif isinstance(exception, RequestException | ValueError):
            reason = _("ProConnect does not answer: try again in a few minutes.")
        elif extra_context is not None and "state_id" in extra_context:
            reason = _("This sign-in request has expired or was not started from this "
                       "browser: start again.")
        elif error == AuthError.DENIED:
            reason = _("ProConnect refused the sign-in.")
        else:
            reason = _("ProConnect could not sign you in.")
        logger.warning("ProConnect sign-in refused (%s): %r", error, exception)
        if extra_context is not None:
            extra_context["reason"] = reason
