from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intrapreneur.models import Startup, Tag
from products.enums import (
    AarriStep,
    FeedbackChannel,
    FeedbackKind,
    FeedbackSource,
    FeedbackStatus,
    ImpactLevel,
    MetricDirection,
)


class ForStartupQuerySet(models.QuerySet):
    def for_startup(self, startup: Startup):
        return self.filter(startup=startup)


class FeedbackQuerySet(ForStartupQuerySet):
    def open(self) -> FeedbackQuerySet:
        return self.exclude(status__in=[FeedbackStatus.DONE, FeedbackStatus.WONT_DO])

    def untriaged(self) -> FeedbackQuerySet:
        return self.filter(status=FeedbackStatus.NEW)

    def unmerged(self) -> FeedbackQuerySet:
        """The inbox as shown by default: duplicates merged into another item are hidden."""
        return self.filter(merged_into__isnull=True)

    def search_text(self, text: str) -> FeedbackQuerySet:
        """Full text in French on PostgreSQL (stemmed, ranked by relevance, ``rank``; the
        websearch syntax: "a phrase", -excluded, or); elsewhere every word must appear in
        the text and a -word must not (no stemming, no ranking)."""
        text = text.strip()
        if not text:
            return self
        if connections[self.db].vendor == "postgresql":
            query = SearchQuery(text, config="french", search_type="websearch")
            return (
                self.filter(search=query)
                .annotate(rank=SearchRank(models.F("search"), query))
                .order_by("-rank", "-date", "-pk")
            )
        queryset = self
        for word in text.replace('"', " ").split():
            if word.startswith("-") and len(word) > 1:
                queryset = queryset.exclude(text__icontains=word[1:])
            elif word.lower() != "or":
                queryset = queryset.filter(text__icontains=word)
        return queryset

    def similar_to(self, text: str) -> FeedbackQuerySet | None:
        """The items sharing words with ``text``, the closest first (PostgreSQL); None where
        full text is not available."""
        if connections[self.db].vendor != "postgresql":
            return None
        words = list(dict.fromkeys(re.findall(r"\w{4,}", text.lower())))[:20]
        if not words:
            return self.none()
        return self.search_text(" or ".join(words))


class Feedback(models.Model):
    """What users, partners or the team said: one item of the inbox."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("startup")
    )
    source = models.CharField(
        _("source"), max_length=20, choices=FeedbackSource.choices, default=FeedbackSource.USER
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=FeedbackChannel.choices,
        default=FeedbackChannel.EMAIL,
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=FeedbackKind.choices, default=FeedbackKind.PROBLEM
    )
    text = models.TextField(_("text"))
    date = models.DateField(_("date"), default=timezone.localdate)
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="feedback"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW,
        db_index=True,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    # Personal data (view_personal): the author may leave an address to be answered.
    author_email = models.EmailField(_("author's e-mail"), blank=True)
    author_consents = models.BooleanField(_("agrees to be answered"), default=False)
    # Duplicates merged into another item keep their text here and point to it.
    merged_into = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="duplicates",
        verbose_name=_("merged into"),
    )
    # PostgreSQL full-text search (French), kept up to date by the services; unused on SQLite.
    search = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["startup", "status", "-date"], name="feedback_inbox"),
        ]
        # The GIN index on `search` is created on PostgreSQL only, by a migration.

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse(
            "products:feedback-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )


class IdeaQuerySet(ForStartupQuerySet):
    def with_votes(self) -> IdeaQuerySet:
        return self.annotate(vote_count=Count("votes", distinct=True))


class Idea(models.Model):
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("startup")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.SET_NULL,
        null=True, related_name="+",
    )
    created_at = models.DateTimeField(_("proposed on"), auto_now_add=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class IdeaVote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="idea_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea}"


class MetricQuerySet(ForStartupQuerySet):
    def public(self) -> MetricQuerySet:
        return self.filter(is_public=True)

    def pulled(self) -> MetricQuerySet:
        """Metrics read every day from a JSON address, in startups still followed."""
        return self.exclude(pull_url="").filter(startup__archived_at__isnull=True)


class Metric(models.Model):
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="metrics", verbose_name=_("startup")
    )
    name = models.CharField(_("name"), max_length=200)
    key = models.SlugField(
        _("key"), max_length=60, help_text=_("The metric's name in the API and the CSV files.")
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    direction = models.CharField(
        _("direction"), max_length=4, choices=MetricDirection.choices, default=MetricDirection.UP
    )
    target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    impact_level = models.CharField(
        _("impact matrix"), max_length=20, choices=ImpactLevel.choices, blank=True
    )
    aarri_step = models.CharField(
        _("AARRI step"), max_length=20, choices=AarriStep.choices, blank=True
    )
    is_public = models.BooleanField(_("public"), default=False)
    # A JSON export (Matomo, Metabase…) read every day; its last error is shown to the team.
    pull_url = models.URLField(_("JSON address to read every day"), blank=True)
    pull_path = models.CharField(
        _("where the value is in the JSON"), max_length=200, blank=True,
        help_text=_("Keys separated by dots, e.g. “data.0.value”; empty: the whole answer."),
    )
    last_pulled_at = models.DateTimeField(_("last read on"), null=True, blank=True)
    last_pull_error = models.TextField(_("last reading error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MetricQuerySet.as_manager()

    class Meta:
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "key"], name="metric_key_per_startup"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "products:metric-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )


class MetricValue(models.Model):
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="values")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("metric value")
        verbose_name_plural = _("metric values")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "date"], name="metric_value_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.date:%d/%m/%Y}: {self.value}"


class ApiTokenQuerySet(ForStartupQuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A per-startup token for the API; only its hash is stored."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("startup")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
