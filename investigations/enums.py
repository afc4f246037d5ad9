from django.db import models
from django.utils.translation import gettext_lazy as _


class InterviewKind(models.TextChoices):
    EXPERT = "expert", _("Expert interview")
    USER = "user", _("User interview")
    OBSERVATION = "observation", _("Field observation")
    WORKSHOP = "workshop", _("Workshop with users")


class UserType(models.TextChoices):
    """beta.gouv.fr's usertypes."""

    PARTICULIER = "particulier", _("Private individual")
    ETAT = "etat", _("State administration")
    COLLECTIVITE = "collectivite-territoriale", _("Local authority")
    PARLEMENT = "parlement", _("Parliament")
    ENTREPRISE = "entreprise", _("Company")
    ASSOCIATION = "association", _("Association")
    ETABLISSEMENT_SCOLAIRE = "etablissement-scolaire", _("School")


class InsightStatus(models.TextChoices):
    TO_CONFIRM = "to_confirm", _("To confirm")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUTED = "refuted", _("Refuted")


# Personal data is kept this long after the participant's last interview.
RETENTION_MONTHS = 24
DEFAULT_TARGET_INTERVIEWS = 20
