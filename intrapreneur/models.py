from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intrapreneur.enums import EventKind, LegalPageKind, NotificationKind, Phase, Role


class ForStartupQuerySet(models.QuerySet):
    """The rows of one startup: every per-startup model's queryset builds on this."""

    def for_startup(self, startup: Startup):
        return self.filter(startup=startup)

    def count_by(self, field: str, values: Iterable) -> dict:
        """How many rows hold each of ``values`` in ``field``, zero included, in the order
        of ``values``: one query."""
        values = list(values)
        counts = self.order_by().aggregate(
            **{f"n{i}": Count("pk", filter=Q(**{field: v})) for i, v in enumerate(values)}
        )
        return {v: counts[f"n{i}"] for i, v in enumerate(values)}


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: signs in with an e-mail address; roles are per startup (Membership)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("incubator staff"),
        default=False,
        help_text=_("Incubator staff can sign in to the admin and read their incubators."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Incubator(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        related_name="incubators",
        blank=True,
        limit_choices_to={"is_staff": True},
    )

    class Meta:
        verbose_name = _("incubator")
        verbose_name_plural = _("incubators")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StartupQuerySet(models.QuerySet["Startup"]):
    def visible_to(self, user) -> StartupQuerySet:
        """Startups a person may open: as a member, as staff of its incubator, or superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        condition = Q(memberships__user=user)
        if user.is_staff:
            condition |= Q(incubator__staff=user)
        return self.filter(
            pk__in=Startup.objects.filter(condition).values("pk")
        )

    def active(self) -> StartupQuerySet:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> StartupQuerySet:
        return self.filter(archived_at__isnull=False)


class Startup(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    mission = models.CharField(_("mission"), max_length=500, blank=True)
    incubator = models.ForeignKey(
        Incubator, verbose_name=_("incubator"), on_delete=models.PROTECT, related_name="startups"
    )
    sponsor_organisation = models.CharField(_("sponsor organisation"), max_length=300, blank=True)
    # The product sheet (Markdown).
    context = models.TextField(_("context"), blank=True)
    problem = models.TextField(_("problem"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    objectives = models.TextField(_("six-month objectives"), blank=True)
    website = models.URLField(_("website"), blank=True)
    repository = models.URLField(_("source code repository"), blank=True)
    contact = models.EmailField(_("contact e-mail"), blank=True)
    # From the beta.gouv.fr page (import and export): lists of the site's identifiers.
    sponsors = models.JSONField(_("sponsors (beta.gouv.fr identifiers)"), default=list, blank=True)
    usertypes = models.JSONField(_("user types"), default=list, blank=True)
    thematiques = models.JSONField(_("themes"), default=list, blank=True)
    stats_url = models.URLField(_("public statistics page"), blank=True)
    budget_url = models.URLField(_("public budget page"), blank=True)
    impact_url = models.URLField(_("impact page"), blank=True)
    dashlord_url = models.URLField(_("DashLord page"), blank=True)
    target_interviews = models.PositiveSmallIntegerField(
        _("target number of interviews"), default=20
    )
    is_public = models.BooleanField(
        _("public pages"),
        default=False,
        help_text=_("Publishes the public pages (stats, changelog, feedback form)."),
    )
    # Written only by intrapreneur.services.phase_change.
    phase = models.CharField(
        _("phase"), max_length=30, choices=Phase.choices, default=Phase.INVESTIGATION,
        editable=False,
    )
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    objects = StartupQuerySet.as_manager()

    class Meta:
        verbose_name = _("startup")
        verbose_name_plural = _("startups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("startup-overview", kwargs={"slug": self.slug})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class PhaseChange(models.Model):
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="phase_changes", verbose_name=_("startup")
    )
    phase = models.CharField(_("phase"), max_length=30, choices=Phase.choices)
    date = models.DateField(_("date"))
    # beta.gouv.fr's optional end of a phase.
    end = models.DateField(_("end"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    # What caused the change (a committee decision…), when it is not a manual change.
    cause_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cause_id = models.PositiveBigIntegerField(null=True, blank=True)
    cause = GenericForeignKey("cause_type", "cause_id")
    created_at = models.DateTimeField(_("recorded on"), auto_now_add=True)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["date", "created_at"]

    def __str__(self) -> str:
        return f"{self.startup} → {self.get_phase_display()} ({self.date:%d/%m/%Y})"


class Event(models.Model):
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="events", verbose_name=_("startup")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    date = models.DateField(_("date"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def intrapreneurs(self) -> MembershipQuerySet:
        return self.filter(role=Role.INTRAPRENEUR)


class Membership(models.Model):
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("startup")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    week_share = models.PositiveSmallIntegerField(
        _("share of the week (%)"), default=100, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["role", "user__first_name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "user"], name="membership_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.startup})"


class Tag(models.Model):
    """A label of one startup: tags never cross startups."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="tags", verbose_name=_("startup")
    )
    name = models.CharField(_("name"), max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "startup", name="tag_unique_name_per_startup"),
        ]

    def __str__(self) -> str:
        return self.name


class ActivityQuerySet(ForStartupQuerySet):
    pass


class Activity(models.Model):
    """What happened in a startup: actor, verb, target, time."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="activities", verbose_name=_("startup")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    verb = models.CharField(_("action"), max_length=50)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # A snapshot of the target's name: the line stays readable after a deletion.
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["startup", "-created_at"], name="activity_startup_time")]

    def __str__(self) -> str:
        return f"{self.actor or '—'} {self.description} {self.target_label}"

    @property
    def description(self) -> str:
        from intrapreneur.activity import verb_label

        return str(verb_label(self.verb))


class AttachmentQuerySet(ForStartupQuerySet):
    pass


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"startups/{instance.startup_id}/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    """An uploaded file of a startup, served only through the download view."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("startup")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    # The action of intrapreneur.permissions a person needs to download it.
    required_action = models.CharField(max_length=30, default="view")
    owner_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    owner_id = models.PositiveBigIntegerField(null=True, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded on"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name



class OutboxState(models.TextChoices):
    PENDING = "pending", _("To deliver")
    SENT = "sent", _("Delivered")
    FAILED = "failed", _("Given up")


class OutboxQuerySet(models.QuerySet["OutboxMessage"]):
    def undelivered(self) -> OutboxQuerySet:
        return self.filter(state=OutboxState.PENDING)


class OutboxMessage(models.Model):
    """An e-mail that must not be lost: written first, delivered by a task, marked once sent."""

    kind = models.CharField(_("kind"), max_length=50)
    # Same key, same message: an event never produces a second message.
    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("delivered on"), null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"], name="outbox_pending",
                condition=Q(state="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mail invited into a startup with a role; the link holds a token stored hashed."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("startup")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.SET_NULL,
        null=True, related_name="+",
    )
    created_at = models.DateTimeField(_("invited on"), auto_now_add=True)
    sent_count = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(_("expires on"))
    accepted_at = models.DateTimeField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.startup}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class LegalPage(models.Model):
    """The text of a legal page, written by staff in the admin; without a row, the page
    shows its default text (``templates/intrapreneur/legal/``)."""

    kind = models.CharField(_("page"), max_length=20, choices=LegalPageKind.choices, unique=True)
    body = models.TextField(
        _("text"), help_text=_("Markdown. The page's title is added above it.")
    )
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse(LEGAL_PAGE_URLS[self.kind])


# The URL name of each legal page.
LEGAL_PAGE_URLS: dict[str, str] = {
    LegalPageKind.LEGAL_NOTICE: "legal-notice",
    LegalPageKind.PRIVACY: "legal-privacy",
    LegalPageKind.ACCESSIBILITY: "legal-accessibility",
}


class CalendarFeedQuerySet(models.QuerySet["CalendarFeed"]):
    def active(self) -> CalendarFeedQuerySet:
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A person's private calendar address: the token is in the URL, only its hash here.
    Creating a new one revokes the previous one; a revoked address answers 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds",
        verbose_name=_("person"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%d/%m/%Y})"


# ---------------------------------------------------------------- notifications


class NotificationQuerySet(models.QuerySet["Notification"]):
    def shown_to(self, user) -> NotificationQuerySet:
        """The person's in-app notifications, of the startups they still belong to."""
        return self.filter(recipient=user, in_app=True, startup__memberships__user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a member is told about: in the application (the bell) and in the weekly
    digest. Written by ``intrapreneur.notifications.notifications_fanout`` only."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("recipient"),
    )
    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("startup")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    # Snapshots: the notification stays readable after the object changes or goes.
    label = models.CharField(_("object"), max_length=300)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    url = models.CharField(_("address"), max_length=500)
    # The person's choices when it was written: shown in the application, in the digest.
    in_app = models.BooleanField(default=True)
    in_digest = models.BooleanField(default=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read on"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
            models.Index(fields=["created_at"], name="notification_digest",
                         condition=Q(in_digest=True)),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        from intrapreneur.notifications import notification_text

        return notification_text(self)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's choice for one kind; without a row, both channels are on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
        related_name="notification_preferences", verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    in_app = models.BooleanField(_("in the application"), default=True)
    email = models.BooleanField(_("in the weekly e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}"


# ---------------------------------------------------------------- comments


class CommentQuerySet(ForStartupQuerySet):
    def on(self, target: models.Model) -> CommentQuerySet:
        # By the content type's natural key: a join, never a query of its own (the page's
        # query count does not depend on ContentType's cache).
        meta = target._meta.concrete_model._meta
        return self.filter(
            target_type__app_label=meta.app_label, target_type__model=meta.model_name,
            target_id=target.pk,
        )


class Comment(models.Model):
    """A member's comment on an object of a startup (insight, hypothesis, committee…);
    a reply has a parent, itself a comment without one (one level of replies)."""

    startup = models.ForeignKey(
        Startup, on_delete=models.CASCADE, related_name="comments", verbose_name=_("startup")
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies",
        verbose_name=_("in reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written on"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited on"), null=True, blank=True)
    # A comment deleted while it has replies stays as a placeholder, its text erased.
    deleted_at = models.DateTimeField(_("deleted on"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="comment_target")]

    def __str__(self) -> str:
        return self.body[:80] or str(_("Deleted comment"))
