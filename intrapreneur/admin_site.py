"""The Django admin: staff only, and outside the DEBUG demo only with TOTP (allauth.mfa)."""

from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class IntrapreneurAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Intrapreneur administration")
    site_title = gettext_lazy("Intrapreneur")

    def has_permission(self, request) -> bool:
        if not super().has_permission(request):
            return False
        return settings.DEBUG or has_totp(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_active and user.is_staff and not has_totp(user):
            if not settings.DEBUG:
                messages.warning(
                    request,
                    _("The administration asks for two-factor authentication: "
                      "activate an authenticator app first."),
                )
                return redirect("mfa_activate_totp")
        return super().login(request, extra_context)
