from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FundingSource(models.TextChoices):
    INCUBATOR = "incubator", _("Incubator")
    MINISTRY = "ministry", _("Ministry")
    FAST = "fast", _("FAST fund")
    DINUM = "dinum", _("DINUM")
    OTHER = "other", _("Other")


class ExpenseCategory(models.TextChoices):
    TEAM = "team", _("Team")
    DESIGN = "design", _("Design")
    HOSTING = "hosting", _("Hosting")
    TOOLS = "tools", _("Tools")
    COMMUNICATION = "communication", _("Communication")
    OTHER = "other", _("Other")


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    MONTHLY = "monthly", _("Every month")


class Health(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class Level(models.TextChoices):
    """A stakeholder's interest or influence: the two axes of the 2×2 grid."""

    HIGH = "high", pgettext_lazy("interest or influence", "High")
    LOW = "low", pgettext_lazy("interest or influence", "Low")


class StakeholderKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class ReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report", "Draft")
    SENT = "sent", pgettext_lazy("report", "Sent")


class StandardKind(models.TextChoices):
    """The State's standards a startup follows up, in the order of its standards page."""

    ACCESSIBILITY = "accessibility", _("Accessibility (RGAA)")
    SECURITY = "security", _("Security homologation")
    RISK_ANALYSIS = "risk_analysis", _("Risk analysis")
    DSFR = "dsfr", _("State design system (DSFR)")
    ECODESIGN = "ecodesign", _("Eco-design")
    DASHLORD = "dashlord", _("DashLord")
    STATS_PAGE = "stats_page", _("Public statistics page")
    BUDGET_PAGE = "budget_page", _("Public budget page")


class StandardStatus(models.TextChoices):
    TODO = "todo", pgettext_lazy("standard", "To do")
    IN_PROGRESS = "in_progress", pgettext_lazy("standard", "In progress")
    DONE = "done", pgettext_lazy("standard", "Done")
    NOT_APPLICABLE = "not_applicable", pgettext_lazy("standard", "Not applicable")


class RgaaCompliance(models.TextChoices):
    """The compliance an accessibility declaration states (RGAA)."""

    NONE = "none", _("Not compliant")
    PARTIAL = "partial", _("Partially compliant")
    FULL = "full", _("Fully compliant")
class CoachingTopic(models.TextChoices):
    """What a coaching session is about."""

    PRODUCT_MANAGEMENT = "product_management", _("Product management")
    USER_RESEARCH = "user_research", _("User research")
    MANAGEMENT = "management", _("Management")
    DIGITAL_SECURITY = "digital_security", _("Digital security")
    GROWTH = "growth", _("Growth")
    OTHER = "other", pgettext_lazy("coaching topic", "Other")
