from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class HypothesisStatus(models.TextChoices):
    TO_TEST = "to_test", _("To test")
    TESTING = "testing", _("Testing")
    VALIDATED = "validated", _("Validated")
    INVALIDATED = "invalidated", _("Invalidated")
    ABANDONED = "abandoned", _("Abandoned")


class HypothesisPriority(models.IntegerChoices):
    HIGH = 1, pgettext_lazy("priority", "High")
    MEDIUM = 2, pgettext_lazy("priority", "Medium")
    LOW = 3, pgettext_lazy("priority", "Low")


class TestResult(models.TextChoices):
    """What a user test says of its hypothesis; empty while the test is only planned."""

    __test__ = False  # not a pytest class

    VALIDATES = "validates", _("Validates")
    INVALIDATES = "invalidates", _("Invalidates")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


# The hypothesis status a test result leads to (the service applies it).
RESULT_HYPOTHESIS_STATUS = {
    TestResult.VALIDATES: HypothesisStatus.VALIDATED,
    TestResult.INVALIDATES: HypothesisStatus.INVALIDATED,
    TestResult.INCONCLUSIVE: HypothesisStatus.TESTING,
}


class PartnerKind(models.TextChoices):
    COLLECTIVITE = "collectivite", _("Local authority")
    OPERATEUR = "operateur", _("Public operator")
    ADMINISTRATION = "administration", _("Administration")
    ASSOCIATION = "association", _("Association")
    COMPANY = "entreprise", _("Company")
    OTHER = "other", _("Other")


class PartnerStage(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    DISCUSSION = "discussion", _("In discussion")
    SIGNED = "signed", _("Agreement signed")
    ONBOARDING = "onboarding", _("Onboarding")
    DEPLOYED = "deployed", _("Deployed")
    LOST = "lost", _("Lost")
