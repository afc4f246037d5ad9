from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntrapreneurConfig(AppConfig):
    name = "intrapreneur"
    verbose_name = _("Intrapreneur")
    default_auto_field = "django.db.models.BigAutoField"
