from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class IntrapreneurConfig(AppConfig):
    default = True
    name = "intrapreneur"
    verbose_name = _("Intrapreneur")
    default_auto_field = "django.db.models.BigAutoField"


class IntrapreneurAdminConfig(admin_apps.AdminConfig):
    """The admin with Intrapreneur's site (staff need TOTP outside the DEBUG demo)."""

    default = False
    default_site = "intrapreneur.admin_site.IntrapreneurAdminSite"
