"""Governance: the money (fundings, expenses, the staffing plan), the investment committees,
the stakeholders, the health status and the sponsor reports.

Amounts are exact decimals in euros. What a committee or a report shows of the startup is a
*snapshot*: a JSON document written once by a service (at the committee's date, when the
report is sent) and never recomputed, so later changes leave it as it was.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.enums import (
    CoachingTopic,
    ExpenseCategory,
    FundingSource,
    Health,
    Level,
    Recurrence,
    ReportState,
    RgaaCompliance,
    StakeholderKind,
    StandardKind,
    StandardStatus,
)
from intrapreneur.enums import InvestmentDecision
from intrapreneur.models import Attachment, ForStartupQuerySet, Membership, Startup

POSITIVE = [MinValueValidator(Decimal("0"))]


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2, validators=POSITIVE, **kwargs
    )


# ---------------------------------------------------------------- budget


class Funding(models.Model):
    """Money granted to the startup: a convention or one of its tranches."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="fundings", verbose_name=_("startup")
    )
    source = models.CharField(
        _("source"), max_length=20, choices=FundingSource.choices, default=FundingSource.INCUBATOR
    )
    amount = money_field(_("amount (€)"))
    starts_on = models.DateField(
        _("available from"), help_text=_("The start of the convention or of the tranche.")
    )
    ends_on = models.DateField(_("convention ends on"), null=True, blank=True)
    tranche = models.CharField(_("tranche"), max_length=60, blank=True)
    reference = models.CharField(
        _("reference"), max_length=120, blank=True,
        help_text=_("The convention's or the order's number."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ForStartupQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        label = self.get_source_display()
        return f"{label} {self.tranche}".strip() if self.tranche else str(label)


class Expense(models.Model):
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="expenses", verbose_name=_("startup")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    category = models.CharField(
        _("category"), max_length=20, choices=ExpenseCategory.choices,
        default=ExpenseCategory.OTHER,
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    amount = money_field(_("amount (€)"))
    # A recurring cost (hosting, a licence) repeats every month from its date until ends_on.
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    ends_on = models.DateField(_("repeats until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ForStartupQuerySet.as_manager()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["startup", "-date"], name="expense_by_date")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.supplier or self.get_category_display()}"


class StaffingLine(models.Model):
    """A person or a role of the staffing plan: days a month at a daily rate, over a
    contract. The burn forecast is derived from these lines."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="staffing", verbose_name=_("startup")
    )
    person = models.CharField(_("person or role"), max_length=200)
    days_per_month = models.DecimalField(
        _("days a month"), max_digits=4, decimal_places=1, validators=POSITIVE
    )
    daily_rate = money_field(_("daily rate (€)"))
    starts_on = models.DateField(_("contract starts on"))
    ends_on = models.DateField(_("contract ends on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ForStartupQuerySet.as_manager()

    class Meta:
        verbose_name = _("staffing plan line")
        verbose_name_plural = _("staffing plan")
        ordering = ["starts_on", "person", "pk"]

    def __str__(self) -> str:
        return self.person


# ---------------------------------------------------------------- investment committees


class InvestmentCommitteeQuerySet(ForStartupQuerySet):
    def planned(self) -> InvestmentCommitteeQuerySet:
        return self.filter(decision="")

    def upcoming(self, today: datetime.date) -> InvestmentCommitteeQuerySet:
        """Planned and still to come: the next committee is the first of these."""
        return self.planned().filter(date__gte=today).order_by("date", "pk")

    def decided(self) -> InvestmentCommitteeQuerySet:
        return self.exclude(decision="")


class InvestmentCommittee(models.Model):
    """An investment committee: the dossier prepared from what the app knows, the KPI
    snapshot frozen at its date, and the decision taken through the phase service."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="investment_committees",
        verbose_name=_("startup"),
    )
    date = models.DateField(_("date"))
    period_start = models.DateField(_("period asked from"))
    period_end = models.DateField(_("period asked until"))
    team_requested = models.TextField(_("team requested"), blank=True)
    envelope_requested = money_field(_("envelope requested (€)"), null=True, blank=True)
    # The dossier, following beta.gouv.fr's agenda (what the app knows is in the snapshot).
    problem = models.TextField(_("the problem"), blank=True)
    strategy = models.TextField(_("strategy for the next six months"), blank=True)
    hypotheses = models.ManyToManyField(
        "products.Hypothesis", blank=True, related_name="investment_committees",
        verbose_name=_("hypotheses for the next six months"),
    )
    success_criteria = models.TextField(_("success criteria"), blank=True)
    snapshot = models.JSONField(
        _("snapshot"), default=dict, blank=True, encoder=DjangoJSONEncoder, editable=False
    )
    snapshot_at = models.DateTimeField(_("snapshot taken on"), null=True, blank=True)
    # The decision.
    decision = models.CharField(
        _("decision"), max_length=20, choices=InvestmentDecision.choices, blank=True
    )
    decision_comment = models.TextField(_("decision comment"), blank=True)
    amount_granted = money_field(_("amount granted (€)"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration granted (months)"), null=True, blank=True
    )
    next_committee_on = models.DateField(_("next committee on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decision recorded by"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    attachments = GenericRelation(
        Attachment, content_type_field="owner_type", object_id_field="owner_id"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InvestmentCommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("investment committee")
        verbose_name_plural = _("investment committees")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{_('Investment committee')} {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:committee-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)


class CommitteeCondition(models.Model):
    """A condition set by a committee, followed afterwards as a checklist."""

    committee = models.ForeignKey(
        InvestmentCommittee, on_delete=models.CASCADE, related_name="conditions",
        verbose_name=_("committee"),
    )
    text = models.CharField(_("condition"), max_length=500)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("met on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("committee condition")
        verbose_name_plural = _("committee conditions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


# ---------------------------------------------------------------- stakeholders


class Stakeholder(models.Model):
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="stakeholders", verbose_name=_("startup")
    )
    name = models.CharField(_("person or organisation"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=StakeholderKind.choices, default=StakeholderKind.PERSON
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    interest = models.CharField(
        _("interest"), max_length=4, choices=Level.choices, default=Level.HIGH
    )
    influence = models.CharField(
        _("influence"), max_length=4, choices=Level.choices, default=Level.HIGH
    )
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("A professional contact.")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ForStartupQuerySet.as_manager()

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:stakeholder-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )


class Interaction(models.Model):
    """A meeting, a call, a message with a stakeholder: the mediation work."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="interactions", verbose_name=_("startup")
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="interactions",
        verbose_name=_("stakeholder"),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    subject = models.CharField(_("subject"), max_length=300)
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ForStartupQuerySet.as_manager()

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.subject}"


# ---------------------------------------------------------------- health and reports


class HealthStatusQuerySet(ForStartupQuerySet):
    def latest_for(self, startup: Startup) -> HealthStatus | None:
        return self.for_startup(startup).order_by("-created_at", "-pk").first()


class HealthStatus(models.Model):
    """The health the intrapreneur gives the startup, with a one-line reason; the last one
    is current, the others its history."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="health_statuses",
        verbose_name=_("startup"),
    )
    status = models.CharField(_("health"), max_length=20, choices=Health.choices)
    reason = models.CharField(_("reason"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("set on"), auto_now_add=True)

    objects = HealthStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("health status")
        verbose_name_plural = _("health statuses")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} — {self.reason}"


class SponsorReport(models.Model):
    """The dashboard frozen at a date with the intrapreneur's highlights, risks and asks;
    sent to the sponsors, it never changes again."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="sponsor_reports",
        verbose_name=_("startup"),
    )
    as_of = models.DateField(_("as of"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=200)
    highlights = models.TextField(_("highlights"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    asks = models.TextField(_("asks"), blank=True)
    snapshot = models.JSONField(
        _("snapshot"), default=dict, blank=True, encoder=DjangoJSONEncoder, editable=False
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # The month a monthly report was written for by the beat ("2026-11"): once a month.
    monthly_key = models.CharField(max_length=7, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ForStartupQuerySet.as_manager()

    class Meta:
        verbose_name = _("sponsor report")
        verbose_name_plural = _("sponsor reports")
        ordering = ["-as_of", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["startup", "monthly_key"], condition=~models.Q(monthly_key=""),
                name="sponsor_report_once_a_month",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:report-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )

    @property
    def is_sent(self) -> bool:
        return self.state == ReportState.SENT


# ---------------------------------------------------------------- the State's standards

OPEN_STANDARD = (StandardStatus.TODO, StandardStatus.IN_PROGRESS)


def standard_late(today: datetime.date) -> Q:
    """A standard is late when its deadline passed and it is not done — or, for a security
    homologation already given, when its renewal deadline passed (``Standard.deadline``)."""
    return Q(status__in=OPEN_STANDARD, due_on__lt=today) | Q(
        kind=StandardKind.SECURITY, status=StandardStatus.DONE, renewal_due_on__lt=today
    )


class StandardQuerySet(ForStartupQuerySet):
    def late(self, today: datetime.date) -> StandardQuerySet:
        return self.filter(standard_late(today))


class Standard(models.Model):
    """Where a startup stands on one of the State's standards (accessibility, security,
    DSFR…): a status, a member who owns it, a deadline, a link, and what the kind asks more
    (the RGAA compliance and audit, the homologation and its renewal). One row per startup
    and kind, written the first time somebody fills it in; until then the page shows the
    kind empty (``governance.services.standards.standards_for``)."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="standards", verbose_name=_("startup")
    )
    kind = models.CharField(_("standard"), max_length=20, choices=StandardKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=StandardStatus.choices, default=StandardStatus.TODO
    )
    owner = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Accessibility
    compliance = models.CharField(
        _("RGAA compliance"), max_length=10, choices=RgaaCompliance.choices, blank=True
    )
    audited_on = models.DateField(_("last audit on"), null=True, blank=True)
    # Security homologation
    homologated_on = models.DateField(_("homologated on"), null=True, blank=True)
    renewal_due_on = models.DateField(_("renewal deadline"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("updated by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["startup", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "kind"], name="standard_once_per_kind"),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:standard-list", kwargs={"slug": self.startup.slug}
        ) + f"#standard-{self.kind}"

    @property
    def deadline(self) -> datetime.date | None:
        """The date that matters now: the deadline while open, the renewal once a security
        homologation is given, none once done or not applicable."""
        if self.status in OPEN_STANDARD:
            return self.due_on
        if self.kind == StandardKind.SECURITY and self.status == StandardStatus.DONE:
            return self.renewal_due_on
        return None

    def is_late(self, today: datetime.date) -> bool:
        deadline = self.deadline
        return deadline is not None and deadline < today
# ---------------------------------------------------------------- coaching


class CoachingSession(models.Model):
    """A session with the beta.gouv.fr coach: its topic, its notes, its action items.

    Read and written by the members who may ``comment`` (intrapreneur, team, coach), never
    by the sponsor nor by incubator staff.
    """

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="coaching_sessions",
        verbose_name=_("startup"),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("coach"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    coach_name = models.CharField(
        _("coach's name"), max_length=200, blank=True,
        help_text=_("When the coach is not a member of the startup."),
    )
    topic = models.CharField(
        _("topic"), max_length=30, choices=CoachingTopic.choices,
        default=CoachingTopic.PRODUCT_MANAGEMENT,
    )
    summary = models.CharField(
        _("in one sentence"), max_length=200, blank=True,
        help_text=_("What the session was about, as the list of sessions shows it."),
    )
    notes = models.TextField(_("notes"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ForStartupQuerySet.as_manager()

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_topic_display()}"

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:coaching-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )

    @property
    def coach_label(self) -> str:
        """Who coached: the member, or the name typed."""
        return str(self.coach) if self.coach_id else self.coach_name


class ActionItemQuerySet(ForStartupQuerySet):
    def open(self) -> ActionItemQuerySet:
        return self.filter(done_at__isnull=True)


class ActionItem(models.Model):
    """Something to do after a coaching session, followed until done."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="action_items",
        verbose_name=_("startup"),
    )
    session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, related_name="action_items",
        verbose_name=_("coaching session"),
    )
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]

    def __str__(self) -> str:
        return self.text

    def is_overdue(self, today: datetime.date) -> bool:
        return self.done_at is None and self.due_on is not None and self.due_on < today
