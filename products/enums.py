from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackSource(models.TextChoices):
    USER = "user", _("User")
    TEAM = "team", _("Team")
    PARTNER = "partner", _("Partner")
    SPONSOR = "sponsor", _("Sponsor")
    OTHER = "other", _("Other")


class FeedbackChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    FORM = "form", _("Form")
    INTERVIEW = "interview", _("Interview")
    SUPPORT = "support", _("Support")
    IN_PERSON = "in_person", _("In person")
    OTHER = "other", _("Other")


class FeedbackKind(models.TextChoices):
    PROBLEM = "problem", _("Problem")
    IDEA = "idea", _("Idea")
    PRAISE = "praise", _("Praise")
    QUESTION = "question", _("Question")


class FeedbackStatus(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    WONT_DO = "wont_do", _("Won't do")


class MetricDirection(models.TextChoices):
    UP = "up", _("Up is good")
    DOWN = "down", _("Down is good")


class ImpactLevel(models.TextChoices):
    """beta.gouv.fr's impact matrix."""

    UTILISABLE = "utilisable", _("Usable")
    UTILISE = "utilise", _("Used")
    UTILE = "utile", _("Useful")
    IMPACTANT = "impactant", _("Impactful")
    EFFICIENT = "efficient", _("Efficient")


class AarriStep(models.TextChoices):
    ACQUISITION = "acquisition", _("Acquisition")
    ACTIVATION = "activation", _("Activation")
    RETENTION = "retention", _("Retention")
    RECOMMANDATION = "recommandation", _("Referral")
    IMPACT = "impact", _("Impact")
