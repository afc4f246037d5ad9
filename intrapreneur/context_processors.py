from django.conf import settings
from django.utils.translation import gettext_lazy as _

SKIPLINKS = [
    {"link": "#content", "label": _("Content")},
    {"link": "#main-navigation", "label": _("Menu")},
    {"link": "#footer", "label": _("Footer")},
]


def site(request) -> dict:
    return {"SITE_NAME": settings.SITE_NAME, "skiplinks": SKIPLINKS}
