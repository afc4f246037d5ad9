from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProConnectConfig(AppConfig):
    """ProConnect's allauth provider: no models of its own (allauth's SocialAccount holds it)."""

    name = "intrapreneur.proconnect"
    label = "proconnect"
    verbose_name = _("ProConnect")
