from __future__ import annotations

import datetime
import re
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intrapreneur.dates import week_start
from intrapreneur.models import ForStartupQuerySet, Startup, Tag
from investigations.models import Insight
from products.enums import (
    AarriStep,
    FeedbackChannel,
    FeedbackKind,
    FeedbackSource,
    FeedbackStatus,
    HypothesisPriority,
    HypothesisStatus,
    ImpactLevel,
    MetricDirection,
    PartnerKind,
    PartnerStage,
    TestResult,
)


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
        # Not its text: the text is research (``view_research``), and this label goes where
        # others read it (the activity log, the admin).
        return _("feedback n° %(number)s") % {"number": self.pk}

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


class HypothesisQuerySet(ForStartupQuerySet):
    def active(self) -> HypothesisQuerySet:
        """Still to be settled: to test or being tested."""
        return self.filter(status__in=[HypothesisStatus.TO_TEST, HypothesisStatus.TESTING])


class Hypothesis(models.Model):
    """“We believe that … We will know when …”: a bet to test with real users."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="hypotheses", verbose_name=_("startup")
    )
    statement = models.TextField(
        _("we believe that"), help_text=_("What the team believes, in one or two sentences.")
    )
    signal = models.TextField(
        _("we will know when"), blank=True,
        help_text=_("What we will see or measure if the hypothesis is right."),
    )
    metric = models.ForeignKey(
        Metric, on_delete=models.SET_NULL, null=True, blank=True, related_name="hypotheses",
        verbose_name=_("metric that would prove it"),
    )
    # Where it comes from: an insight of the investigation, a feedback item, an idea.
    insight = models.ForeignKey(
        Insight, on_delete=models.SET_NULL, null=True, blank=True, related_name="hypotheses",
        verbose_name=_("from the insight"),
    )
    feedback = models.ForeignKey(
        Feedback, on_delete=models.SET_NULL, null=True, blank=True, related_name="hypotheses",
        verbose_name=_("from the feedback"),
    )
    idea = models.ForeignKey(
        Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="hypotheses",
        verbose_name=_("from the idea"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=HypothesisStatus.choices,
        default=HypothesisStatus.TO_TEST, db_index=True,
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=HypothesisPriority.choices, default=HypothesisPriority.MEDIUM
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("written on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    objects = HypothesisQuerySet.as_manager()

    class Meta:
        verbose_name = _("hypothesis")
        verbose_name_plural = _("hypotheses")
        ordering = ["priority", "-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.statement[:120]

    def get_absolute_url(self) -> str:
        return reverse(
            "products:hypothesis-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )


class UserTestQuerySet(ForStartupQuerySet):
    def in_week(self, day: datetime.date) -> UserTestQuerySet:
        """The tests dated in ``day``'s ISO week."""
        monday = week_start(day)
        return self.filter(date__gte=monday, date__lt=monday + datetime.timedelta(days=7))


class UserTest(models.Model):
    """One session of the weekly test with real users (no personal data: a count and a
    profile)."""

    __test__ = False  # not a pytest class

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="user_tests", verbose_name=_("startup")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    hypothesis = models.ForeignKey(
        Hypothesis, on_delete=models.SET_NULL, null=True, blank=True, related_name="tests",
        verbose_name=_("hypothesis tested"),
    )
    protocol = models.TextField(_("protocol"), blank=True)
    users_count = models.PositiveSmallIntegerField(_("number of users met"), default=0)
    users_profile = models.CharField(
        _("profile of the users met"), max_length=300, blank=True,
        help_text=_("Their situation, never their names nor contacts."),
    )
    observations = models.TextField(_("what happened"), blank=True)
    result = models.CharField(
        _("result"), max_length=20, choices=TestResult.choices, blank=True,
        help_text=_("Empty while the test is only planned."),
    )
    learning = models.TextField(_("what we learned"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserTestQuerySet.as_manager()

    class Meta:
        verbose_name = _("user test")
        verbose_name_plural = _("user tests")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["startup", "-date"], name="usertest_by_date")]

    def __str__(self) -> str:
        label = self.hypothesis.statement[:80] if self.hypothesis_id else _("user test")
        return f"{self.date:%d/%m/%Y} — {label}"

    def get_absolute_url(self) -> str:
        return reverse("products:test-detail", kwargs={"slug": self.startup.slug, "pk": self.pk})


class ReleaseQuerySet(ForStartupQuerySet):
    def published(self) -> ReleaseQuerySet:
        return self.filter(is_published=True)


class Release(models.Model):
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="releases", verbose_name=_("startup")
    )
    # The Atom entry's id: never changes, whatever is renamed.
    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    version = models.CharField(_("version or name"), max_length=100)
    date = models.DateField(_("date"), default=timezone.localdate)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Markdown."))
    answers = models.ManyToManyField(
        Feedback, blank=True, related_name="releases", verbose_name=_("feedback it answers")
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.version

    def get_absolute_url(self) -> str:
        return reverse(
            "products:release-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )


class Learning(models.Model):
    """One entry of the plan revision log: what we learned, on what evidence, and what we
    change and stop because of it."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="learnings", verbose_name=_("startup")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    learned = models.TextField(_("what we learned"))
    evidence_notes = models.TextField(_("other evidence"), blank=True)
    tests = models.ManyToManyField(
        UserTest, blank=True, related_name="learnings", verbose_name=_("user tests")
    )
    insights = models.ManyToManyField(
        Insight, blank=True, related_name="learnings", verbose_name=_("insights")
    )
    metrics = models.ManyToManyField(
        Metric, blank=True, related_name="learnings", verbose_name=_("metrics")
    )
    feedback = models.ManyToManyField(
        Feedback, blank=True, related_name="learnings", verbose_name=_("feedback")
    )
    changes = models.TextField(_("what we change in the plan"), blank=True)
    stops = models.TextField(_("what we stop"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ForStartupQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning")
        verbose_name_plural = _("learnings")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.learned[:120]

    def get_absolute_url(self) -> str:
        return reverse(
            "products:learning-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )


class PartnerQuerySet(ForStartupQuerySet):
    def in_progress(self) -> PartnerQuerySet:
        return self.exclude(stage=PartnerStage.LOST)


class Partner(models.Model):
    """An organisation the service is deployed with, and where the deployment stands."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="partners", verbose_name=_("startup")
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.COLLECTIVITE
    )
    territory = models.CharField(
        _("territory"), max_length=120, blank=True,
        help_text=_("A commune, a département, a région… or “national”."),
    )
    contact = models.CharField(
        _("contact"), max_length=200, blank=True,
        help_text=_("The professional contact at the organisation: name, role, work e-mail."),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=PartnerStage.choices,
        default=PartnerStage.IDENTIFIED, db_index=True,
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_date = models.DateField(_("next step on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["organisation", "pk"]

    def __str__(self) -> str:
        return self.organisation

    def get_absolute_url(self) -> str:
        return reverse(
            "products:partner-detail", kwargs={"slug": self.startup.slug, "pk": self.pk}
        )
