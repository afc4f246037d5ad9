from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """beta.gouv.fr's phases, in the order of a startup's life."""

    INVESTIGATION = "investigation", _("Investigation")
    CONSTRUCTION = "construction", _("Construction")
    ACCELERATION = "acceleration", _("Acceleration")
    CONSOLIDATION = "consolidation", _("Consolidation")
    TRANSFERE = "transfere", _("Transferred")
    OPERE = "opere", _("Operated within the beta.gouv.fr network")
    ABANDON_INVESTIGATION = "abandon-investigation", _("Inconclusive investigation")
    ABANDON = "abandon", _("Stopped")


# Names used by older beta.gouv.fr pages, mapped on import.
LEGACY_PHASES = {
    "success": Phase.CONSOLIDATION,
    "transfer": Phase.TRANSFERE,
    "alumni": Phase.ABANDON,
    "perennisation": Phase.CONSOLIDATION,
}

# DSFR badge colour of each phase.
PHASE_BADGE = {
    Phase.INVESTIGATION: "fr-badge--purple-glycine",
    Phase.CONSTRUCTION: "fr-badge--blue-ecume",
    Phase.ACCELERATION: "fr-badge--green-emeraude",
    Phase.CONSOLIDATION: "fr-badge--green-archipel",
    Phase.TRANSFERE: "fr-badge--success",
    Phase.OPERE: "fr-badge--success",
    Phase.ABANDON_INVESTIGATION: "fr-badge--brown-cafe-creme",
    Phase.ABANDON: "fr-badge--brown-cafe-creme",
}


class EventKind(models.TextChoices):
    COMMITTEE = "committee", _("Committee")
    PRODUCT_LAUNCH = "product_launch", _("Product launch")
    NATIONAL_IMPACT = "national_impact", _("National impact")
    FAST = "fast", _("FAST funding")
    EIG = "eig", _("General interest entrepreneurs (EIG)")
    END = "end", _("End")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    INTRAPRENEUR = "intrapreneur", _("Intrapreneur")
    TEAM = "team", _("Team member")
    COACH = "coach", _("Coach")
    SPONSOR = "sponsor", _("Sponsor")


class CommitteeKind(models.TextChoices):
    LAUNCH = "launch", _("Launch committee")
    INVESTMENT = "investment", _("Investment committee")


class LaunchDecision(models.TextChoices):
    GO = "go", _("Go")
    NO_GO = "no_go", _("No go")
    POSTPONED = "postponed", _("Postponed")


class InvestmentDecision(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    ACCELERATE = "accelerate", _("Accelerate")
    CONSOLIDATE = "consolidate", _("Consolidate")
    TRANSFER = "transfer", _("Transfer")
    PIVOT = "pivot", _("Pivot")
    STOP = "stop", _("Stop")


# What each committee decision does to the phase (None: the phase stays).
COMMITTEE_PHASE = {
    (CommitteeKind.LAUNCH, LaunchDecision.GO): Phase.CONSTRUCTION,
    (CommitteeKind.LAUNCH, LaunchDecision.NO_GO): Phase.ABANDON_INVESTIGATION,
    (CommitteeKind.LAUNCH, LaunchDecision.POSTPONED): None,
    (CommitteeKind.INVESTMENT, InvestmentDecision.CONTINUE): None,
    (CommitteeKind.INVESTMENT, InvestmentDecision.ACCELERATE): Phase.ACCELERATION,
    (CommitteeKind.INVESTMENT, InvestmentDecision.CONSOLIDATE): Phase.CONSOLIDATION,
    (CommitteeKind.INVESTMENT, InvestmentDecision.TRANSFER): Phase.TRANSFERE,
    (CommitteeKind.INVESTMENT, InvestmentDecision.PIVOT): None,
    (CommitteeKind.INVESTMENT, InvestmentDecision.STOP): Phase.ABANDON,
}

# beta.gouv.fr asks the intrapreneur for at least this share of the week.
MIN_INTRAPRENEUR_WEEK_SHARE = 60


class LegalPageKind(models.TextChoices):
    """The legal pages every French public site carries, linked from the footer."""

    LEGAL_NOTICE = "legal-notice", _("Legal notice")
    PRIVACY = "privacy", _("Personal data")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")


class AccessibilityCompliance(models.TextChoices):
    """The compliance the footer states, as the RGAA words it."""

    NONE = "none", _("non compliant")
    PARTIAL = "partial", _("partially compliant")
    FULL = "full", _("fully compliant")


class NotificationKind(models.TextChoices):
    """What a member may be told about, in the application and in the weekly digest."""

    FEEDBACK = "feedback", _("New feedback")
    RELEASE = "release", _("Releases published")
    TEST = "test", _("User tests recorded")
    DECISION = "decision", _("Committee decisions")
    PHASE = "phase", _("Phase changes")
    MENTION = "mention", _("Mentions in comments")
    REPLY = "reply", _("Replies to my comments")
