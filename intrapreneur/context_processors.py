from django.conf import settings
from django.utils.translation import gettext_lazy as _

from intrapreneur.enums import AccessibilityCompliance

SKIPLINKS = [
    {"link": "#content", "label": _("Content")},
    {"link": "#main-navigation", "label": _("Menu")},
    {"link": "#footer", "label": _("Footer")},
]


def site(request) -> dict:
    match = getattr(request, "resolver_match", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "ACCESSIBILITY_COMPLIANCE": AccessibilityCompliance(
            settings.ACCESSIBILITY_COMPLIANCE
        ).label,
        "skiplinks": SKIPLINKS,
        # The current page's URL name and namespace ("" on a 404): menus mark the current
        # entry with both (products:home and governance:home are different pages).
        "url_name": match.url_name if match else "",
        "url_namespace": match.namespace if match else "",
    }
