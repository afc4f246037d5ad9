from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from intrapreneur.enums import LaunchDecision
from intrapreneur.models import Attachment, ForStartupQuerySet, Startup, Tag
from investigations.enums import InsightStatus, InterviewKind, UserType


class ParticipantQuerySet(ForStartupQuerySet):
    def with_last_interview(self) -> ParticipantQuerySet:
        return self.annotate(
            last_interview=Max("interviews__date"), interview_count=Count("interviews")
        )


class Participant(models.Model):
    """Someone met during the investigation: a pseudonym and a profile, everywhere."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="participants", verbose_name=_("startup")
    )
    number = models.PositiveIntegerField(_("number"))
    usertype = models.CharField(_("user type"), max_length=30, choices=UserType.choices)
    profile = models.CharField(
        _("profile"), max_length=300, blank=True,
        help_text=_("What matters about them, without identifying them: “front-desk agent”."),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    erased_at = models.DateTimeField(_("personal data erased on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "number"], name="participant_number"),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def pseudonym(self) -> str:
        return f"P-{self.number:03d}"


class ParticipantContact(models.Model):
    """Name and contact, apart from the profile: `view_personal` only, erased at the end."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="contact", primary_key=True
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent_date = models.DateField(_("consent given on"), null=True, blank=True)
    retention_until = models.DateField(
        _("keep until"), null=True, blank=True,
        help_text=_("24 months after the last interview unless you set another date."),
    )
    retention_set_by_hand = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("participant's contact")
        verbose_name_plural = _("participants' contacts")

    def __str__(self) -> str:
        return str(self.participant)


class InterviewQuerySet(ForStartupQuerySet):
    def for_list(self) -> InterviewQuerySet:
        return self.select_related("participant").prefetch_related("tags", "interviewers")


class Interview(models.Model):
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("startup")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InterviewKind.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("place or channel"), max_length=200, blank=True)
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("interviewers"), blank=True,
        related_name="+",
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="interviews",
    )
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="interviews"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["startup", "-date"], name="interview_startup_date")]

    def __str__(self) -> str:
        who = f" — {self.participant}" if self.participant_id else ""
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}{who}"

    def get_absolute_url(self) -> str:
        return reverse(
            "investigations:interview-detail",
            kwargs={"slug": self.startup.slug, "pk": self.pk},
        )


class InsightQuerySet(ForStartupQuerySet):
    def with_strength(self) -> InsightQuerySet:
        """Strength: the number of distinct participants behind the insight."""
        return self.annotate(
            strength=Count("evidence__interview__participant", distinct=True),
            evidence_count=Count("evidence", distinct=True),
        )


class Insight(models.Model):
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="insights", verbose_name=_("startup")
    )
    statement = models.TextField(_("statement"))
    status = models.CharField(
        _("status"), max_length=20, choices=InsightStatus.choices,
        default=InsightStatus.TO_CONFIRM,
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="insights")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InsightQuerySet.as_manager()

    class Meta:
        verbose_name = _("insight")
        verbose_name_plural = _("insights")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.statement[:120]

    def get_absolute_url(self) -> str:
        return reverse(
            "investigations:insight-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )


class Evidence(models.Model):
    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="evidence")
    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("interview")
    )
    quote = models.TextField(_("quote"), blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["interview__date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["insight", "interview"], name="evidence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.insight} ← {self.interview}"


class Scenario(models.Model):
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="scenarios", verbose_name=_("startup")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    insights = models.ManyToManyField(
        Insight, verbose_name=_("insights answered"), blank=True, related_name="scenarios"
    )
    # Its mock-ups: attachments whose owner is the scenario.
    files = GenericRelation(
        Attachment, content_type_field="owner_type", object_id_field="owner_id"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ForStartupQuerySet.as_manager()

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "investigations:scenario-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )


class LaunchCommittee(models.Model):
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="launch_committees",
        verbose_name=_("startup"),
    )
    date = models.DateField(_("date"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members attending"), blank=True,
        related_name="+",
    )
    outside_attendees = models.TextField(
        _("other attendees"), blank=True, help_text=_("One per line: name and organisation.")
    )
    problem = models.TextField(_("the problem"), blank=True)
    first_six_months = models.TextField(_("what the first six months will try"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=LaunchDecision.choices, blank=True
    )
    conditions = models.TextField(_("conditions"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ForStartupQuerySet.as_manager()

    class Meta:
        verbose_name = _("launch committee")
        verbose_name_plural = _("launch committees")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse(
            "investigations:committee-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )


# A participant whose contact was kept past this date is due for erasure.
def contacts_due(today) -> models.QuerySet[ParticipantContact]:
    return ParticipantContact.objects.filter(
        Q(retention_until__lt=today), participant__erased_at__isnull=True
    )
