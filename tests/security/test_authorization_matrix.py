"""The authorisation matrix: every URL of the project × every role × GET and POST.

The expectations are written here literally, from ARCHITECTURE.md: the action table below is
copied from its rights table, never read back from ``intrapreneur.permissions``. Each URL
says which action it needs and what an allowed person gets; what everybody else gets follows
from the rules of ARCHITECTURE.md:

- anonymous: 302 to the sign-in page (``LoginRequiredMiddleware``), whatever the method;
- signed in, not a member (outsider): 404 — the startup's existence is not leaked;
- a member (or staff) without the action: 403 with the project's 403 page;
- a view that does not accept the method: 405 for every signed-in person, before any check
  (``@require_GET``/``@require_POST`` are the outermost decorators).

A URL added later without its row in ``URLS`` fails ``test_every_url_has_a_row``.
"""

from __future__ import annotations

import datetime
import functools
import secrets
import struct
import zlib
from collections.abc import Callable
from urllib.parse import quote

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from intrapreneur.calendars import calendar_feed_create, calendar_feed_revoke
from intrapreneur.invitations import token_hash
from intrapreneur.models import Invitation, Membership, Startup
from intrapreneur.services import attachment_create
from tests.conftest import ROLES, World
from tests.governance.factories import (
    ActionItemFactory,
    CoachingSessionFactory,
    CommitteeConditionFactory,
    ExpenseFactory,
    FundingFactory,
    InteractionFactory,
    InvestmentCommitteeFactory,
    SponsorReportFactory,
    StaffingLineFactory,
    StakeholderFactory,
    StandardFactory,
)
from tests.intrapreneur.factories import (
    CommentFactory,
    EventFactory,
    IncubatorFactory,
    NotificationFactory,
    StartupFactory,
    TagFactory,
    UserFactory,
)
from tests.investigations.factories import (
    EvidenceFactory,
    InsightFactory,
    InterviewFactory,
    LaunchCommitteeFactory,
    ParticipantContactFactory,
    ParticipantFactory,
    ScenarioFactory,
)
from tests.products.factories import (
    ApiTokenFactory,
    FeedbackFactory,
    HypothesisFactory,
    IdeaFactory,
    LearningFactory,
    MetricFactory,
    MetricValueFactory,
    PartnerFactory,
    ReleaseFactory,
    UserTestFactory,
)

# ---------------------------------------------------------------- the rights table

# ARCHITECTURE.md, "Who uses it": action -> the roles that have it, in every startup.
# Incubator staff (not members) have `view` only.
ACTIONS: dict[str, frozenset[str]] = {
    "view": frozenset({"intrapreneur", "team", "coach", "sponsor", "staff"}),
    "view_research": frozenset({"intrapreneur", "team", "coach"}),
    "view_personal": frozenset({"intrapreneur", "team"}),
    "contribute": frozenset({"intrapreneur", "team"}),
    "propose": frozenset({"intrapreneur", "team", "coach", "sponsor"}),
    "comment": frozenset({"intrapreneur", "team", "coach"}),
    "manage": frozenset({"intrapreneur"}),
}

# Pseudo-actions of the pages that belong to no startup.
PUBLIC = "public"  # login_not_required: everybody, anonymous included, gets the same answer
SIGNED_IN = "signed-in"  # any signed-in person; anonymous people go to the sign-in page
SIGNED_OUT = "signed-out"  # allauth's sign-in page: signed-in people are sent home (302 to /)
# The Django admin: staff with a TOTP authenticator (outside DEBUG); anybody else goes to the
# admin's sign-in, which sends staff on to activate TOTP. The world's staff has no TOTP:
# ``test_admin_needs_staff_with_totp`` covers the allowed case.
ADMIN = "admin"
# Incubator staff's pages (the portfolio): staff and superusers; any other signed-in person
# gets the 403 page.
STAFF = "staff"

LOGIN_URL = "/accounts/login/"
ADMIN_LOGIN_URL = "/admin/login/"

# ---------------------------------------------------------------- the URLs

# url name -> (action required, status of a GET when allowed, status of a POST when allowed).
# POSTs send an empty body: a form re-renders with its errors (200); a confirmation page
# (archive, delete, remove, leave) acts on the POST and redirects (302).
URLS: dict[str, tuple[str, int, int]] = {
    "home": (SIGNED_IN, 200, 405),
    "startup-create": (SIGNED_IN, 200, 200),
    "startup-import": (SIGNED_IN, 200, 200),
    "startup-overview": ("view", 200, 405),
    "startup-page-import": ("manage", 200, 200),
    "startup-page-export": ("view", 200, 405),
    "startup-edit": ("manage", 200, 200),
    "startup-phase": ("manage", 200, 200),
    "startup-archive": ("manage", 200, 302),
    "startup-download": ("manage", 200, 200),
    "event-create": ("manage", 200, 200),
    "event-delete": ("manage", 200, 302),
    "startup-team": ("view", 200, 405),
    "member-add": ("manage", 405, 200),
    "team-leave": ("view", 200, 302),
    "team-export": ("view", 200, 405),
    "invitation-create": ("manage", 405, 200),
    "invitation-resend": ("manage", 405, 302),
    "invitation-revoke": ("manage", 200, 302),
    "member-edit": ("manage", 200, 200),
    "member-remove": ("manage", 200, 302),
    "startup-search": ("view", 200, 405),
    "activity-list": ("view", 200, 405),
    "tag-list": ("view", 200, 405),
    "tag-create": ("contribute", 405, 200),
    "tag-autocomplete": ("view", 200, 405),
    "tag-edit": ("contribute", 200, 200),
    "tag-delete": ("contribute", 200, 302),
    "attachment-list": ("view", 200, 405),
    "attachment-create": ("contribute", 200, 200),
    "attachment-download": ("view", 200, 405),
    "attachment-delete": ("contribute", 200, 302),
    "healthz": (PUBLIC, 200, 405),
    # The legal pages linked from every footer: for everybody, signed in or not.
    "legal-notice": (PUBLIC, 200, 405),
    "legal-privacy": (PUBLIC, 200, 405),
    "legal-accessibility": (PUBLIC, 200, 405),
    # The link of an invitation e-mail: the token is the right. Accepting signs the invited
    # person in by code (302); signed-in people see who it is for (see SPECIAL).
    "invitation-accept": (PUBLIC, 200, 302),
    # My account: the profile form (an empty body leaves it unbound: re-rendered); deleting
    # the account signs out (see SPECIAL for the last intrapreneur).
    "account-profile": (SIGNED_IN, 200, 200),
    "account-delete": (SIGNED_IN, 200, 302),
    # My private calendar address: a confirmation, then created and shown once (200);
    # revoked after a confirmation (302 to the profile).
    "calendar-feed-create": (SIGNED_IN, 200, 200),
    "calendar-feed-revoke": (SIGNED_IN, 200, 302),
    # The feed itself: no session, the secret token in the address is the right (like an
    # invitation's link); unknown or revoked, 404 (see test_a_revoked_calendar_feed).
    "calendar-feed": (PUBLIC, 200, 405),
    # Notifications: each person's own. The bell's count answers everybody (nothing when
    # signed out: htmx must not swap the sign-in page into the header).
    "notification-list": (SIGNED_IN, 200, 405),
    "notification-count": (PUBLIC, 200, 405),
    "notifications-read-all": (SIGNED_IN, 405, 302),
    # The intrapreneur's notification: anybody else gets 404 (see SPECIAL).
    "notification-read": (SIGNED_IN, 405, 302),
    # Comments (`comment`: intrapreneur, team, coach); an empty comment re-renders the form.
    "comment-create": ("comment", 405, 200),
    # The intrapreneur's comment: the team and the coach may comment, not edit it (SPECIAL).
    "comment-edit": ("comment", 200, 200),
    "comment-delete": ("comment", 200, 302),
    # allauth: the sign-in page answers anonymous people (an empty POST re-renders with its
    # errors); the sign-out page asks for confirmation on GET and signs out on POST.
    "account_login": (SIGNED_OUT, 200, 200),
    "account_logout": (SIGNED_IN, 200, 302),
    # ProConnect (intrapreneur.proconnect): public, as any sign-in. The suite runs without
    # its variables, so its sign-in and callback answer 404 to everybody (nothing is
    # offered); configured, they are tested end to end in tests/intrapreneur/test_proconnect.py.
    # The sign-out's page on to ProConnect's end of session (nothing to do without one: to
    # the sign-in); the return from it checks its state and goes to the sign-in.
    "proconnect_login": (PUBLIC, 404, 404),
    "proconnect_callback": (PUBLIC, 404, 404),
    "proconnect_logout": (PUBLIC, 302, 405),
    "proconnect_logout_callback": (PUBLIC, 302, 405),
    # The Django admin's index, for incubator staff.
    "admin:index": (ADMIN, 200, 200),
    # The investigation (investigations app): ARCHITECTURE.md's table — interviews and
    # participants are `view_research`, insights' statements and strength `view`.
    "investigations:summary": ("view", 200, 405),
    "investigations:interview-list": ("view_research", 200, 405),
    "investigations:interview-create": ("contribute", 200, 200),
    "investigations:notes-preview": ("contribute", 405, 200),
    "investigations:interview-import": ("contribute", 200, 200),
    "investigations:interview-export": ("view_research", 200, 405),
    # Reading an interview is research; its POST (uploading a file) is `contribute`.
    "investigations:interview-detail": ("view_research", 200, 200),
    "investigations:interview-edit": ("contribute", 200, 200),
    "investigations:interview-delete": ("contribute", 200, 302),
    "investigations:participant-list": ("view_research", 200, 405),
    "investigations:participant-create": ("contribute", 200, 200),
    "investigations:participant-detail": ("view_research", 200, 405),
    "investigations:participant-edit": ("contribute", 200, 200),
    # The export is recorded in the activity: a POST.
    "investigations:participant-export": ("manage", 405, 200),
    "investigations:participant-erase": ("manage", 200, 302),
    "investigations:insight-list": ("view", 200, 405),
    "investigations:insight-board": ("view", 200, 405),
    "investigations:insight-create": ("contribute", 200, 200),
    "investigations:insight-export": ("view", 200, 405),
    "investigations:insight-detail": ("view", 200, 405),
    "investigations:insight-edit": ("contribute", 200, 200),
    "investigations:insight-delete": ("contribute", 200, 302),
    # Moving a card with nothing to move: back to the board with an error, nothing written.
    "investigations:insight-move": ("contribute", 405, 302),
    "investigations:evidence-add": ("contribute", 405, 200),
    "investigations:evidence-delete": ("contribute", 200, 302),
    "investigations:scenario-list": ("view", 200, 405),
    "investigations:scenario-create": ("contribute", 200, 200),
    "investigations:scenario-detail": ("view", 200, 405),
    "investigations:scenario-edit": ("contribute", 200, 200),
    "investigations:scenario-delete": ("contribute", 200, 302),
    "investigations:scenario-file-add": ("contribute", 405, 200),
    "investigations:committee-list": ("view", 200, 405),
    "investigations:committee-create": ("contribute", 200, 200),
    "investigations:committee-detail": ("view", 200, 405),
    "investigations:committee-edit": ("contribute", 200, 200),
    "investigations:committee-decide": ("manage", 200, 200),
    "investigations:committee-ics": ("view", 200, 405),
    # The product (products app): the feedback inbox is `view_research` (the authors'
    # e-mails `view_personal`, inside the pages); ideas `propose`; metrics `view`.
    "products:feedback-list": ("view_research", 200, 405),
    "products:feedback-create": ("contribute", 200, 200),
    # An empty bulk change: back to the inbox with an error, nothing written.
    "products:feedback-bulk": ("contribute", 405, 302),
    "products:feedback-import": ("contribute", 200, 200),
    "products:feedback-export": ("view_research", 200, 405),
    "products:feedback-detail": ("view_research", 200, 405),
    "products:feedback-edit": ("contribute", 200, 200),
    "products:feedback-delete": ("contribute", 200, 302),
    "products:feedback-merge": ("contribute", 200, 200),
    "products:idea-list": ("view", 200, 405),
    "products:idea-create": ("propose", 200, 200),
    "products:idea-detail": ("view", 200, 405),
    "products:idea-edit": ("contribute", 200, 200),
    "products:idea-delete": ("contribute", 200, 302),
    # An empty POST toggles the person's vote.
    "products:idea-vote": ("propose", 405, 302),
    "products:metric-list": ("view", 200, 405),
    "products:metric-create": ("contribute", 200, 200),
    "products:metric-import": ("contribute", 200, 200),
    "products:metric-detail": ("view", 200, 405),
    "products:metric-edit": ("contribute", 200, 200),
    "products:metric-delete": ("contribute", 200, 302),
    # Values are entered on the metric's page: a GET goes back there.
    "products:value-add": ("contribute", 302, 200),
    "products:value-delete": ("contribute", 200, 302),
    # Reading a metric without an address: back to its page with a message, nothing written.
    "products:metric-pull": ("contribute", 405, 302),
    "products:token-list": ("manage", 200, 200),
    "products:token-revoke": ("manage", 200, 302),
    # The build–learn loop: read by everyone who may `view`, written by `contribute`.
    "products:home": ("view", 200, 405),
    "products:hypothesis-list": ("view", 200, 405),
    "products:hypothesis-create": ("contribute", 200, 200),
    "products:hypothesis-detail": ("view", 200, 405),
    "products:hypothesis-edit": ("contribute", 200, 200),
    "products:hypothesis-delete": ("contribute", 200, 302),
    "products:hypothesis-status": ("contribute", 405, 302),
    # An idea becomes a hypothesis in one step: the empty POST is the step.
    "products:idea-hypothesis": ("contribute", 405, 302),
    "products:test-list": ("view", 200, 405),
    "products:test-create": ("contribute", 200, 200),
    "products:test-detail": ("view", 200, 405),
    "products:test-edit": ("contribute", 200, 200),
    "products:test-delete": ("contribute", 200, 302),
    "products:release-list": ("view", 200, 405),
    "products:release-create": ("contribute", 200, 200),
    "products:release-detail": ("view", 200, 405),
    "products:release-edit": ("contribute", 200, 200),
    "products:release-delete": ("contribute", 200, 302),
    "products:release-publish": ("contribute", 405, 302),
    "products:learning-list": ("view", 200, 405),
    "products:learning-create": ("contribute", 200, 200),
    "products:learning-detail": ("view", 200, 405),
    "products:learning-edit": ("contribute", 200, 200),
    "products:learning-delete": ("contribute", 200, 302),
    "products:partner-list": ("view", 200, 405),
    "products:partner-territories": ("view", 200, 405),
    "products:partner-create": ("contribute", 200, 200),
    "products:partner-detail": ("view", 200, 405),
    "products:partner-edit": ("contribute", 200, 200),
    "products:partner-delete": ("contribute", 200, 302),
    "products:partner-stage": ("contribute", 405, 302),
    # The public pages of a public startup (the builders make the world's startup public).
    "public:landing": (PUBLIC, 200, 405),
    "public:feedback": (PUBLIC, 200, 200),
    "public:feedback-thanks": (PUBLIC, 200, 405),
    "public:stats": (PUBLIC, 200, 405),
    "public:stats-csv": (PUBLIC, 200, 405),
    "public:stats-json": (PUBLIC, 200, 405),
    "public:changelog": (PUBLIC, 200, 405),
    "public:changelog-feed": (PUBLIC, 200, 405),
    "public:budget": (PUBLIC, 200, 405),
    # Governance: read by everyone who may `view`; the budget, decisions, the health status
    # and the reports are `manage`; stakeholders and committee dossiers `contribute`.
    "governance:dashboard": ("view", 200, 405),
    "governance:health-set": ("manage", 405, 302),
    "governance:home": ("view", 200, 405),
    "governance:budget": ("view", 200, 405),
    "governance:budget-export": ("view", 200, 405),
    "governance:funding-create": ("manage", 200, 200),
    "governance:funding-edit": ("manage", 200, 200),
    "governance:funding-delete": ("manage", 200, 302),
    "governance:expense-list": ("view", 200, 405),
    "governance:expense-create": ("manage", 200, 200),
    "governance:expense-import": ("manage", 200, 200),
    "governance:expense-export": ("view", 200, 405),
    "governance:expense-edit": ("manage", 200, 200),
    "governance:expense-delete": ("manage", 200, 302),
    "governance:staffing-create": ("manage", 200, 200),
    "governance:staffing-edit": ("manage", 200, 200),
    "governance:staffing-delete": ("manage", 200, 302),
    "governance:committee-list": ("view", 200, 405),
    "governance:committee-create": ("contribute", 200, 200),
    "governance:committee-detail": ("view", 200, 405),
    "governance:committee-edit": ("contribute", 200, 200),
    "governance:committee-delete": ("contribute", 200, 302),
    "governance:committee-snapshot": ("contribute", 405, 302),
    "governance:committee-pdf": ("view", 200, 405),
    "governance:committee-ics": ("view", 200, 405),
    "governance:committee-decide": ("manage", 200, 200),
    "governance:committee-file-add": ("contribute", 405, 200),
    "governance:condition-toggle": ("contribute", 405, 302),
    "governance:stakeholder-list": ("view", 200, 405),
    "governance:stakeholder-create": ("contribute", 200, 200),
    "governance:stakeholder-detail": ("view", 200, 405),
    "governance:stakeholder-edit": ("contribute", 200, 200),
    "governance:stakeholder-delete": ("contribute", 200, 302),
    "governance:interaction-create": ("contribute", 405, 200),
    "governance:interaction-delete": ("contribute", 200, 302),
    # The coaching log: `comment` (intrapreneur, team, coach), never the sponsor nor staff.
    "governance:coaching-list": ("comment", 200, 405),
    "governance:coaching-create": ("comment", 200, 200),
    "governance:coaching-detail": ("comment", 200, 405),
    "governance:coaching-edit": ("comment", 200, 200),
    "governance:coaching-delete": ("comment", 200, 302),
    "governance:action-item-create": ("comment", 405, 200),
    # An empty POST flips the action item (done, or open again).
    "governance:action-item-toggle": ("comment", 405, 302),
    "governance:action-item-delete": ("comment", 200, 302),
    "governance:report-list": ("view", 200, 405),
    "governance:report-create": ("manage", 200, 200),
    "governance:report-detail": ("view", 200, 405),
    "governance:report-edit": ("manage", 200, 200),
    "governance:report-delete": ("manage", 200, 302),
    "governance:report-send": ("manage", 405, 302),
    "governance:report-pdf": ("view", 200, 405),
    # The State's standards: read by `view`, filled in by `contribute` (the team's work).
    "governance:standard-list": ("view", 200, 405),
    "governance:standard-edit": ("contribute", 200, 200),
    # The portfolio of incubator staff.
    "portfolio:list": (STAFF, 200, 405),
    "portfolio:export": (STAFF, 200, 405),
    # The API: a token, not a session; without one, 401 in JSON, whoever is signed in.
    "api:metric-values": (PUBLIC, 405, 401),
}

# Answers that differ from the rules above, each for a reason.
SPECIAL: dict[tuple[str, str, str], int] = {
    # Leaving needs a membership: staff read the startup (`view`) but have nothing to leave.
    ("team-leave", "staff", "get"): 403,
    ("team-leave", "staff", "post"): 403,
    # The last intrapreneur cannot delete their account: the page lists the startups.
    ("account-delete", "intrapreneur", "post"): 200,
    # A coach reads an interview (view_research) but may not upload to it (contribute).
    ("investigations:interview-detail", "coach", "post"): 403,
    # The invitation is for another address than the signed-in person's: not accepted.
    **{("invitation-accept", role, "post"): 200 for role in ROLES if role != "anonymous"},
    # Somebody else's notification is not found.
    **{("notification-read", role, "post"): 404
       for role in ROLES if role not in ("anonymous", "intrapreneur")},
    # Only its author edits or deletes a comment.
    **{(name, role, method): 403
       for name in ("comment-edit", "comment-delete") for role in ("team", "coach")
       for method in ("get", "post")},
}

# Allowed POSTs that act even with an empty body: confirmations, resending, accepting.
# Every other allowed POST re-renders its form with the errors.
ACTS_ON_EMPTY_POST = {
    "startup-archive", "startup-download", "event-delete", "team-leave", "member-remove",
    "tag-delete", "attachment-delete", "invitation-resend", "invitation-revoke",
    "invitation-accept", "account-delete", "calendar-feed-create", "calendar-feed-revoke",
    "investigations:interview-delete", "investigations:participant-export",
    "investigations:participant-erase", "investigations:insight-delete",
    "investigations:evidence-delete", "investigations:scenario-delete",
    "products:feedback-delete", "products:idea-delete", "products:idea-vote",
    "products:metric-delete", "products:value-delete", "products:token-revoke",
    "products:idea-hypothesis", "products:release-publish", "products:hypothesis-delete",
    "products:test-delete", "products:release-delete", "products:learning-delete",
    "products:partner-delete",
    "governance:funding-delete", "governance:expense-delete", "governance:staffing-delete",
    "governance:committee-delete", "governance:committee-snapshot",
    "governance:condition-toggle", "governance:stakeholder-delete",
    "governance:interaction-delete", "governance:report-delete", "governance:report-send",
    "governance:health-set",
    "governance:coaching-delete", "governance:action-item-toggle",
    "governance:action-item-delete",
    "notifications-read-all", "notification-read", "comment-delete",
}
# ... except when refused with a message and a redirect: nothing is written.
REFUSED_WITH_REDIRECT = {
    ("team-leave", "intrapreneur"),  # the last intrapreneur cannot leave
    ("products:feedback-bulk", "intrapreneur"),  # nothing selected
    ("products:feedback-bulk", "team"),
    ("products:metric-pull", "intrapreneur"),  # the metric has no address to read
    ("products:metric-pull", "team"),
    # No status or stage chosen: back to the board with an error, nothing moved.
    *((name, role) for name in ("products:hypothesis-status", "products:partner-stage")
      for role in ("intrapreneur", "team")),
    ("governance:health-set", "intrapreneur"),  # no status chosen
    # Nothing to move: the board says so.
    *(("investigations:insight-move", role) for role in ("intrapreneur", "team")),
}

# Where anonymous people are sent when it is not the sign-in page with ?next=.
ANONYMOUS_REDIRECTS: dict[str, str] = {
    # allauth's sign-out view is login_not_required: signed out already, back to sign-in.
    "account_logout": LOGIN_URL,
}

# Patterns the matrix leaves to their own library, by name prefix, except the rows above.
EXCLUDED_PREFIXES: dict[str, str] = {
    # Django's admin: every view goes through AdminSite.admin_view (is_staff, then the
    # ModelAdmin's model permissions); its index is the row above.
    "admin:": "Django admin, guarded by AdminSite.admin_view",
    # allauth's own account pages (password, e-mail, reauthentication, reset by key): each
    # is login_required or checks its one-time key; sign-in and sign-out are rows above.
    "account_": "allauth, guarded by allauth itself",
    # allauth.mfa's pages (TOTP, recovery codes): login_required, reauthentication inside.
    "mfa_": "allauth.mfa, guarded by allauth itself",
    # allauth.socialaccount's pages (sign-in cancelled or failed, the social sign-up form,
    # the connected accounts): public information pages or login_required, guarded by
    # allauth; ProConnect's own URLs are rows above.
    "socialaccount_": "allauth.socialaccount, guarded by allauth itself",
}

# ---------------------------------------------------------------- URL arguments


def png_1x1() -> bytes:
    """A real 1×1 grey PNG: the file field checks the content, not the name."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def _slug(world: World) -> dict:
    return {"slug": world.startup.slug}


def _event(world: World) -> dict:
    return {**_slug(world), "pk": EventFactory(startup=world.startup).pk}


def _team_membership(world: World) -> dict:
    membership = Membership.objects.get(startup=world.startup, user=world.people["team"])
    return {**_slug(world), "pk": membership.pk}


def _tag(world: World) -> dict:
    return {**_slug(world), "pk": TagFactory(startup=world.startup).pk}


def _attachment(world: World) -> dict:
    upload = SimpleUploadedFile("pixel.png", png_1x1(), content_type="image/png")
    attachment = attachment_create(
        startup=world.startup, actor=world.people["intrapreneur"], upload=upload
    )
    return {**_slug(world), "pk": attachment.pk}


def _invitation(world: World) -> dict:
    return {**_slug(world), "pk": make_invitation(world).pk}


def _invitation_token(world: World) -> dict:
    token = f"jeton-{secrets.token_urlsafe(16)}"
    make_invitation(world, token=token)
    return {"token": token}


def make_invitation(world: World, *, token: str = "", **fields) -> Invitation:
    """A pending invitation of the world's startup to a new address."""
    fields = {
        "email": f"invite-{secrets.token_hex(4)}@example.org",
        "role": "team",
        "invited_by": world.people["intrapreneur"],
        "expires_at": timezone.now() + datetime.timedelta(days=7),
        **fields,
    }
    return Invitation.objects.create(
        startup=world.startup, token_hash=token_hash(token or secrets.token_urlsafe(32)),
        **fields,
    )


def _none(world: World) -> dict:
    return {}


def _participant(world: World) -> dict:
    participant = ParticipantFactory(startup=world.startup)
    ParticipantContactFactory(participant=participant)
    return {**_slug(world), "pk": participant.pk}


def _interview(world: World) -> dict:
    participant = ParticipantFactory(startup=world.startup)
    return {**_slug(world), "pk": InterviewFactory(startup=world.startup,
                                                   participant=participant).pk}


def _insight(world: World) -> dict:
    return {**_slug(world), "pk": InsightFactory(startup=world.startup).pk}


def _evidence(world: World) -> dict:
    insight = InsightFactory(startup=world.startup)
    interview = InterviewFactory(startup=world.startup)
    evidence = EvidenceFactory(insight=insight, interview=interview)
    return {**_slug(world), "pk": insight.pk, "evidence_pk": evidence.pk}


def _scenario(world: World) -> dict:
    return {**_slug(world), "pk": ScenarioFactory(startup=world.startup).pk}


def _feedback(world: World) -> dict:
    return {**_slug(world), "pk": FeedbackFactory(startup=world.startup).pk}


def _idea(world: World) -> dict:
    """An idea proposed by someone outside the world (so nobody edits it as its author)."""
    return {**_slug(world), "pk": IdeaFactory(startup=world.startup).pk}


def _metric(world: World) -> dict:
    return {**_slug(world), "pk": MetricFactory(startup=world.startup).pk}


def _metric_value(world: World) -> dict:
    value = MetricValueFactory(metric=MetricFactory(startup=world.startup))
    return {**_slug(world), "pk": value.metric_id, "value_pk": value.pk}


def _token(world: World) -> dict:
    return {**_slug(world), "pk": ApiTokenFactory(startup=world.startup).pk}


def _hypothesis(world: World) -> dict:
    return {**_slug(world), "pk": HypothesisFactory(startup=world.startup).pk}


def _user_test(world: World) -> dict:
    return {**_slug(world), "pk": UserTestFactory(startup=world.startup).pk}


def _release(world: World) -> dict:
    """A draft answering a feedback item: publishing it closes the item."""
    release = ReleaseFactory(
        startup=world.startup, answers=[FeedbackFactory(startup=world.startup)]
    )
    return {**_slug(world), "pk": release.pk}


def _learning(world: World) -> dict:
    return {**_slug(world), "pk": LearningFactory(startup=world.startup).pk}


def _partner(world: World) -> dict:
    return {**_slug(world), "pk": PartnerFactory(startup=world.startup).pk}


def _funding(world: World) -> dict:
    return {**_slug(world), "pk": FundingFactory(startup=world.startup).pk}


def _expense(world: World) -> dict:
    return {**_slug(world), "pk": ExpenseFactory(startup=world.startup).pk}


def _staffing(world: World) -> dict:
    return {**_slug(world), "pk": StaffingLineFactory(startup=world.startup).pk}


def _investment(world: World) -> dict:
    """A committee in preparation, dated yesterday: it can be decided."""
    committee = InvestmentCommitteeFactory(
        startup=world.startup, date=timezone.localdate() - datetime.timedelta(days=1)
    )
    return {**_slug(world), "pk": committee.pk}


def _condition(world: World) -> dict:
    condition = CommitteeConditionFactory(
        committee=InvestmentCommitteeFactory(startup=world.startup)
    )
    return {**_slug(world), "pk": condition.committee_id, "condition_pk": condition.pk}


def _stakeholder(world: World) -> dict:
    return {**_slug(world), "pk": StakeholderFactory(startup=world.startup).pk}


def _interaction(world: World) -> dict:
    interaction = InteractionFactory(stakeholder=StakeholderFactory(startup=world.startup))
    return {**_slug(world), "pk": interaction.stakeholder_id, "interaction_pk": interaction.pk}


def _coaching_session(world: World) -> dict:
    return {**_slug(world), "pk": CoachingSessionFactory(startup=world.startup).pk}


def _action_item(world: World) -> dict:
    item = ActionItemFactory(session=CoachingSessionFactory(startup=world.startup))
    return {**_slug(world), "pk": item.session_id, "item_pk": item.pk}


def _report(world: World) -> dict:
    """A draft report: it can be edited, sent, deleted."""
    return {**_slug(world), "pk": SponsorReportFactory(startup=world.startup).pk}


def _standard(world: World) -> dict:
    """A standard already filled in; its URL names its kind, not an object's pk."""
    StandardFactory(startup=world.startup, kind="accessibility")
    return {**_slug(world), "kind": "accessibility"}


def _calendar_feeds(world: World) -> dict:
    """Everybody of the world has a private calendar address: each may revoke theirs."""
    for person in world.people.values():
        if person is not None:
            calendar_feed_create(user=person)
    return {}


def _calendar_feed_token(world: World) -> dict:
    """The intrapreneur's private calendar address."""
    _feed, token = calendar_feed_create(user=world.people["intrapreneur"])
    return {"token": token}


def _public(world: World) -> dict:
    """The public pages answer for a public startup only: the world's becomes public."""
    Startup.objects.filter(pk=world.startup.pk).update(is_public=True)
    return _slug(world)


def _api_metric(world: World) -> dict:
    return {**_slug(world), "key": MetricFactory(startup=world.startup).key}


def _notifications(world: World) -> dict:
    """An unread notification for each person of the world: marking all as read writes."""
    for person in world.people.values():
        if person is not None:
            NotificationFactory(recipient=person, startup=world.startup)
    return {}


def _notification(world: World) -> dict:
    """The intrapreneur's unread notification."""
    notification = NotificationFactory(
        recipient=world.people["intrapreneur"], startup=world.startup
    )
    return {"pk": notification.pk}


def _comment_target(world: World) -> dict:
    return {**_slug(world), "kind": "insight",
            "object_pk": InsightFactory(startup=world.startup).pk}


def _comment(world: World) -> dict:
    """The intrapreneur's comment on an insight."""
    comment = CommentFactory(
        target=InsightFactory(startup=world.startup), author=world.people["intrapreneur"]
    )
    return {**_slug(world), "pk": comment.pk}


def _committee(world: World) -> dict:
    """A committee in preparation, dated yesterday: it can be decided."""
    committee = LaunchCommitteeFactory(
        startup=world.startup, date=timezone.localdate() - datetime.timedelta(days=1)
    )
    return {**_slug(world), "pk": committee.pk}


# url name -> the URL's kwargs, built in the test's own world (fresh objects).
KWARGS: dict[str, Callable[[World], dict]] = {
    "home": _none,
    "startup-create": _none,
    "startup-import": _none,
    "startup-overview": _slug,
    "startup-page-import": _slug,
    "startup-page-export": _slug,
    "startup-edit": _slug,
    "startup-phase": _slug,
    "startup-archive": _slug,
    "startup-download": _slug,
    "event-create": _slug,
    "event-delete": _event,
    "startup-team": _slug,
    "member-add": _slug,
    "team-leave": _slug,
    "team-export": _slug,
    "member-edit": _team_membership,
    "member-remove": _team_membership,
    "startup-search": _slug,
    "activity-list": _slug,
    "tag-list": _slug,
    "tag-create": _slug,
    "tag-autocomplete": _slug,
    "tag-edit": _tag,
    "tag-delete": _tag,
    "attachment-list": _slug,
    "attachment-create": _slug,
    "attachment-download": _attachment,
    "attachment-delete": _attachment,
    "healthz": _none,
    "legal-notice": _none,
    "legal-privacy": _none,
    "legal-accessibility": _none,
    "invitation-create": _slug,
    "invitation-resend": _invitation,
    "invitation-revoke": _invitation,
    "invitation-accept": _invitation_token,
    "account-profile": _none,
    "account-delete": _none,
    "calendar-feed-create": _none,
    "calendar-feed-revoke": _calendar_feeds,
    "calendar-feed": _calendar_feed_token,
    "notification-list": _none,
    "notification-count": _none,
    "notifications-read-all": _notifications,
    "notification-read": _notification,
    "comment-create": _comment_target,
    "comment-edit": _comment,
    "comment-delete": _comment,
    "account_login": _none,
    "account_logout": _none,
    "proconnect_login": _none,
    "proconnect_callback": _none,
    "proconnect_logout": _none,
    "proconnect_logout_callback": _none,
    "admin:index": _none,
    "investigations:summary": _slug,
    "investigations:interview-list": _slug,
    "investigations:interview-create": _slug,
    "investigations:notes-preview": _slug,
    "investigations:interview-import": _slug,
    "investigations:interview-export": _slug,
    "investigations:interview-detail": _interview,
    "investigations:interview-edit": _interview,
    "investigations:interview-delete": _interview,
    "investigations:participant-list": _slug,
    "investigations:participant-create": _slug,
    "investigations:participant-detail": _participant,
    "investigations:participant-edit": _participant,
    "investigations:participant-export": _participant,
    "investigations:participant-erase": _participant,
    "investigations:insight-list": _slug,
    "investigations:insight-board": _slug,
    "investigations:insight-create": _slug,
    "investigations:insight-export": _slug,
    "investigations:insight-detail": _insight,
    "investigations:insight-edit": _insight,
    "investigations:insight-delete": _insight,
    "investigations:insight-move": _insight,
    "investigations:evidence-add": _insight,
    "investigations:evidence-delete": _evidence,
    "investigations:scenario-list": _slug,
    "investigations:scenario-create": _slug,
    "investigations:scenario-detail": _scenario,
    "investigations:scenario-edit": _scenario,
    "investigations:scenario-delete": _scenario,
    "investigations:scenario-file-add": _scenario,
    "investigations:committee-list": _slug,
    "investigations:committee-create": _slug,
    "investigations:committee-detail": _committee,
    "investigations:committee-edit": _committee,
    "investigations:committee-decide": _committee,
    "investigations:committee-ics": _committee,
    "products:feedback-list": _slug,
    "products:feedback-create": _slug,
    "products:feedback-bulk": _slug,
    "products:feedback-import": _slug,
    "products:feedback-export": _slug,
    "products:feedback-detail": _feedback,
    "products:feedback-edit": _feedback,
    "products:feedback-delete": _feedback,
    "products:feedback-merge": _feedback,
    "products:idea-list": _slug,
    "products:idea-create": _slug,
    "products:idea-detail": _idea,
    "products:idea-edit": _idea,
    "products:idea-delete": _idea,
    "products:idea-vote": _idea,
    "products:metric-list": _slug,
    "products:metric-create": _slug,
    "products:metric-import": _slug,
    "products:metric-detail": _metric,
    "products:metric-edit": _metric,
    "products:metric-delete": _metric,
    "products:value-add": _metric,
    "products:value-delete": _metric_value,
    "products:metric-pull": _metric,
    "products:token-list": _slug,
    "products:token-revoke": _token,
    "products:home": _slug,
    "products:hypothesis-list": _slug,
    "products:hypothesis-create": _slug,
    "products:hypothesis-detail": _hypothesis,
    "products:hypothesis-edit": _hypothesis,
    "products:hypothesis-delete": _hypothesis,
    "products:hypothesis-status": _hypothesis,
    "products:idea-hypothesis": _idea,
    "products:test-list": _slug,
    "products:test-create": _slug,
    "products:test-detail": _user_test,
    "products:test-edit": _user_test,
    "products:test-delete": _user_test,
    "products:release-list": _slug,
    "products:release-create": _slug,
    "products:release-detail": _release,
    "products:release-edit": _release,
    "products:release-delete": _release,
    "products:release-publish": _release,
    "products:learning-list": _slug,
    "products:learning-create": _slug,
    "products:learning-detail": _learning,
    "products:learning-edit": _learning,
    "products:learning-delete": _learning,
    "products:partner-list": _slug,
    "products:partner-territories": _slug,
    "products:partner-create": _slug,
    "products:partner-detail": _partner,
    "products:partner-edit": _partner,
    "products:partner-delete": _partner,
    "products:partner-stage": _partner,
    "public:changelog": _public,
    "public:changelog-feed": _public,
    "public:budget": _public,
    "governance:dashboard": _slug,
    "governance:health-set": _slug,
    "governance:home": _slug,
    "governance:budget": _slug,
    "governance:budget-export": _slug,
    "governance:funding-create": _slug,
    "governance:funding-edit": _funding,
    "governance:funding-delete": _funding,
    "governance:expense-list": _slug,
    "governance:expense-create": _slug,
    "governance:expense-import": _slug,
    "governance:expense-export": _slug,
    "governance:expense-edit": _expense,
    "governance:expense-delete": _expense,
    "governance:staffing-create": _slug,
    "governance:staffing-edit": _staffing,
    "governance:staffing-delete": _staffing,
    "governance:committee-list": _slug,
    "governance:committee-create": _slug,
    "governance:committee-detail": _investment,
    "governance:committee-edit": _investment,
    "governance:committee-delete": _investment,
    "governance:committee-snapshot": _investment,
    "governance:committee-pdf": _investment,
    "governance:committee-ics": _investment,
    "governance:committee-decide": _investment,
    "governance:committee-file-add": _investment,
    "governance:condition-toggle": _condition,
    "governance:stakeholder-list": _slug,
    "governance:stakeholder-create": _slug,
    "governance:stakeholder-detail": _stakeholder,
    "governance:stakeholder-edit": _stakeholder,
    "governance:stakeholder-delete": _stakeholder,
    "governance:interaction-create": _stakeholder,
    "governance:interaction-delete": _interaction,
    "governance:coaching-list": _slug,
    "governance:coaching-create": _slug,
    "governance:coaching-detail": _coaching_session,
    "governance:coaching-edit": _coaching_session,
    "governance:coaching-delete": _coaching_session,
    "governance:action-item-create": _coaching_session,
    "governance:action-item-toggle": _action_item,
    "governance:action-item-delete": _action_item,
    "governance:report-list": _slug,
    "governance:report-create": _slug,
    "governance:report-detail": _report,
    "governance:report-edit": _report,
    "governance:report-delete": _report,
    "governance:report-send": _report,
    "governance:report-pdf": _report,
    "governance:standard-list": _slug,
    "governance:standard-edit": _standard,
    "portfolio:list": _none,
    "portfolio:export": _none,
    "public:landing": _public,
    "public:feedback": _public,
    "public:feedback-thanks": _public,
    "public:stats": _public,
    "public:stats-csv": _public,
    "public:stats-json": _public,
    "api:metric-values": _api_metric,
}


def url_for(name: str, world: World) -> str:
    return reverse(name, kwargs=KWARGS[name](world))


# ---------------------------------------------------------------- expectations


def login_redirect(path: str) -> str:
    return f"{LOGIN_URL}?next={quote(path, safe='/')}"


def is_allowed(name: str, role: str) -> bool:
    """Whether the role has what the URL requires (the method aside)."""
    action = URLS[name][0]
    if action == PUBLIC:
        return True
    if action == ADMIN:
        return False  # none of the world's people has TOTP
    if action == SIGNED_OUT:
        return role == "anonymous"
    if role == "anonymous":
        return False
    if action == SIGNED_IN:
        return True
    if action == STAFF:
        return role == "staff"
    return role in ACTIONS[action]


def expected(name: str, role: str, method: str, path: str) -> tuple[int, str | None]:
    """(status, Location or None) of ``method`` on ``path`` (a URL named ``name``) by ``role``."""
    action, on_get, on_post = URLS[name]
    allowed = on_get if method == "get" else on_post
    if (name, role, method) in SPECIAL:
        return SPECIAL[name, role, method], None
    if action == PUBLIC:
        return allowed, None
    if action == ADMIN:
        return 302, f"{ADMIN_LOGIN_URL}?next={quote(path, safe='/')}"
    if action == SIGNED_OUT:
        return (allowed, None) if role == "anonymous" else (302, "/")
    if role == "anonymous":
        return 302, ANONYMOUS_REDIRECTS.get(name, login_redirect(path))
    if action == SIGNED_IN or allowed == 405:
        return allowed, None
    if action == STAFF:
        return (allowed, None) if role == "staff" else (403, None)
    if role == "outsider":
        return 404, None
    if role not in ACTIONS[action]:
        return 403, None
    return allowed, None


def expects_a_write(name: str, role: str, method: str) -> bool:
    """Whether this request, allowed and acting, must change the database."""
    if method != "post" or name not in ACTS_ON_EMPTY_POST or not is_allowed(name, role):
        return False
    if (name, role) in REFUSED_WITH_REDIRECT:
        return False
    return expected(name, role, method, "")[0] == URLS[name][2]


@functools.cache
def _digests_sql() -> tuple[str, list[str]]:
    """The query of ``db_state`` and its parameters: the tables are those the migrations made,
    the same for the whole run."""
    ignored = {Session._meta.db_table, "django_migrations"}
    tables = sorted(set(connection.introspection.table_names()) - ignored)
    sql = " UNION ALL ".join(
        f"SELECT %s, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) "
        f"FROM {connection.ops.quote_name(table)} r"
        for table in tables
    )
    return sql, tables


def db_state() -> dict[str, str]:
    """A digest of every row of every table (sessions aside: signing out is not a write of the
    app), taken by PostgreSQL in one query: each table's rows as text, sorted, hashed."""
    with connection.cursor() as cursor:
        cursor.execute(*_digests_sql())
        return dict(cursor.fetchall())


def template_names(response) -> set[str]:
    return {t.name for t in response.templates if t.name}


# ---------------------------------------------------------------- the matrix

CASES = [
    pytest.param(name, role, method, id=f"{name}-{role}-{method}")
    for name in URLS
    for role in ROLES
    for method in ("get", "post")
]


@pytest.mark.parametrize(("name", "role", "method"), CASES)
def test_access(world, name, role, method):
    path = url_for(name, world)
    client = world.client_for(role)
    before = db_state()

    response = getattr(client, method)(path)

    status, location = expected(name, role, method, path)
    assert response.status_code == status, (
        f"{method.upper()} {path} as {role}: {response.status_code}, expected {status}"
    )
    if location is not None:
        assert response["Location"] == location
    if status == 403:
        assert "403.html" in template_names(response)
    if status == 404:
        assert "404.html" in template_names(response)
    if expects_a_write(name, role, method):
        assert db_state() != before, f"POST {path} as {role} answered {status} but wrote nothing"
    else:
        assert db_state() == before, f"{method.upper()} {path} as {role} wrote to the database"


# ---------------------------------------------------------------- completeness


def named_patterns(resolver=None, namespace: str = "", prefix: str = "") -> dict[str, str]:
    """Every named URL pattern of the project, namespaced (``admin:index``) -> its route."""
    resolver = resolver or get_resolver()
    found: dict[str, str] = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(named_patterns(pattern, inner, prefix + str(pattern.pattern)))
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[f"{namespace}{pattern.name}"] = prefix + str(pattern.pattern)
    return found


def unnamed_patterns(resolver=None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    found: list[str] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            found += unnamed_patterns(pattern, prefix + str(pattern.pattern))
        elif not pattern.name:
            found.append(prefix + str(pattern.pattern))
    return found


def is_excluded(name: str) -> bool:
    return name not in URLS and name.startswith(tuple(EXCLUDED_PREFIXES))


def test_every_url_has_a_row():
    names = {name for name in named_patterns() if not is_excluded(name)}
    assert names - set(URLS) == set(), "URLs without a row in the authorisation matrix"
    assert set(URLS) - names == set(), "rows of the matrix for URLs that no longer exist"
    assert set(KWARGS) == set(URLS)


def test_every_url_is_named():
    """An unnamed pattern would slip through the completeness check above."""
    unnamed = [
        route for route in unnamed_patterns()
        if not route.startswith(("admin/", "accounts/"))
    ]
    assert unnamed == []


def test_the_exclusions_only_cover_the_libraries():
    for name, route in named_patterns().items():
        if is_excluded(name):
            library_route = route.startswith("admin/" if name.startswith("admin:") else "accounts/")
            assert library_route, f"{name} ({route}) is not a route of the library excluded"


# ---------------------------------------------------------------- beyond the world's roles


def test_superuser_reads_any_startup_without_membership(world):
    superuser = UserFactory(superuser=True)
    client = world.client_for("anonymous")
    client.force_login(superuser)

    assert client.get(url_for("startup-overview", world)).status_code == 200
    assert client.get(url_for("startup-team", world)).status_code == 200
    # As staff of every incubator: `view` only.
    response = client.get(url_for("startup-edit", world))
    assert response.status_code == 403
    assert "403.html" in template_names(response)


@pytest.mark.parametrize("name", ["startup-overview", "startup-team", "team-export"])
def test_staff_of_another_incubator_gets_404(world, name):
    other_staff = UserFactory(staff=True)
    IncubatorFactory().staff.add(other_staff)
    client = world.client_for("anonymous")
    client.force_login(other_staff)

    response = client.get(url_for(name, world))

    assert response.status_code == 404
    assert "404.html" in template_names(response)


def test_incubator_staff_without_is_staff_gets_404(world):
    """The incubator's staff list counts only people who are staff (`is_staff`)."""
    former = UserFactory()
    world.startup.incubator.staff.add(former)
    client = world.client_for("anonymous")
    client.force_login(former)

    assert client.get(url_for("startup-overview", world)).status_code == 404


def test_member_of_another_startup_gets_404(world):
    elsewhere = StartupFactory(incubator=world.startup.incubator)
    intrapreneur = world.people["intrapreneur"]
    client = world.client_for("anonymous")
    client.force_login(intrapreneur)

    assert client.get(reverse("startup-overview", args=[elsewhere.slug])).status_code == 404
    assert client.get(reverse("startup-overview", args=["does-not-exist"])).status_code == 404


# Objects come through the startup of the URL: another startup's object is not found, even
# for the intrapreneur of the startup in the URL. (A standard's URL names a kind, which every
# startup has: no object of another startup to reach.)
OBJECT_URLS = [
    name for name, build in KWARGS.items()
    # A notification belongs to a person, not a startup: test_notifications covers others'.
    if build not in (
        _slug, _none, _invitation_token, _public, _api_metric, _standard, _calendar_feeds,
        _calendar_feed_token, _notifications, _notification,
    )
]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", OBJECT_URLS)
def test_objects_of_another_startup_are_not_found(world, other_world, name, method):
    foreign = {**KWARGS[name](other_world), "slug": world.startup.slug}
    path = reverse(name, kwargs=foreign)
    client = world.client_for("intrapreneur")
    before = db_state()

    response = getattr(client, method)(path)

    allowed = URLS[name][1 if method == "get" else 2]
    assert response.status_code == (405 if allowed == 405 else 404)
    assert db_state() == before


# ---------------------------------------------------------------- the admin


def with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("superuser", 200), ("member", 302), ("staff without TOTP", 302)],
)
def test_admin_needs_staff_with_totp(world, who, status):
    user = {
        "staff": lambda: with_totp(world.people["staff"]),
        "superuser": lambda: with_totp(UserFactory(superuser=True)),
        "member": lambda: with_totp(world.people["intrapreneur"]),
        "staff without TOTP": lambda: world.people["staff"],
    }[who]()
    client = world.client_for("anonymous")
    client.force_login(user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == status
    if status == 302:
        assert response["Location"] == f"{ADMIN_LOGIN_URL}?next=/admin/"


def test_staff_without_totp_are_asked_to_activate_it(world):
    client = world.client_for("staff")

    response = client.get(f"{ADMIN_LOGIN_URL}?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# ---------------------------------------------------------------- special cases


@pytest.mark.parametrize(
    ("state", "status"), [("unknown", 404), ("revoked", 410), ("accepted", 410), ("expired", 410)]
)
def test_an_unusable_invitation_link(world, state, status):
    token = "jeton-inutilisable"
    fields = {
        "unknown": None,
        "revoked": {"revoked_at": timezone.now()},
        "accepted": {"accepted_at": timezone.now()},
        "expired": {"expires_at": timezone.now() - datetime.timedelta(days=1)},
    }[state]
    if fields is not None:
        make_invitation(world, token=token, **fields)
    clients = [world.client_for(role) for role in ("anonymous", "outsider")]
    before = db_state()

    for client in clients:
        assert client.get(reverse("invitation-accept", args=[token])).status_code == status
        assert client.post(reverse("invitation-accept", args=[token])).status_code == status
    assert db_state() == before


def test_an_invitation_of_another_startup_is_not_found(world, other_world):
    invitation = make_invitation(other_world)
    client = world.client_for("intrapreneur")
    for name in ("invitation-resend", "invitation-revoke"):
        path = reverse(name, args=[world.startup.slug, invitation.pk])
        assert client.post(path).status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_a_member_leaves_and_goes_home(world):
    client = world.client_for("team")
    response = client.post(url_for("team-leave", world), follow=True)

    assert response.redirect_chain[0] == (reverse("home"), 302)
    assert not Membership.objects.filter(startup=world.startup, user=world.people["team"]).exists()


def test_the_last_intrapreneur_cannot_leave(world):
    client = world.client_for("intrapreneur")
    team_url = reverse("startup-team", args=[world.startup.slug])

    response = client.post(url_for("team-leave", world), follow=True)

    assert response.redirect_chain[0] == (team_url, 302)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert Membership.objects.filter(
        startup=world.startup, user=world.people["intrapreneur"]
    ).exists()


def test_research_files_need_view_research(world):
    """A file may require more than `view`: the download checks it, the list hides it."""
    upload = SimpleUploadedFile("pixel.png", png_1x1(), content_type="image/png")
    attachment = attachment_create(
        startup=world.startup, actor=world.people["intrapreneur"], upload=upload,
        name="entretien-usager.png", required_action="view_research",
    )
    download = reverse("attachment-download", args=[world.startup.slug, attachment.pk])
    listing = reverse("attachment-list", args=[world.startup.slug])
    for role in ("sponsor", "coach", "team", "intrapreneur", "staff"):
        client = world.client_for(role)
        allowed = role in ACTIONS["view_research"]
        assert client.get(download).status_code == (200 if allowed else 403), role
        assert ("entretien-usager.png" in client.get(listing).content.decode()) is allowed, role


# ---------------------------------------------------------------- lists never leak


@pytest.mark.parametrize(
    ("role", "listed"),
    [("outsider", False), ("sponsor", True), ("intrapreneur", True), ("staff", True)],
)
def test_home_lists_the_startups_one_may_open(world, other_world, role, listed):
    client = world.client_for(role)

    for query in ({}, {"q": world.startup.name}, {"q": other_world.startup.name}):
        page = client.get(reverse("home"), query).content.decode()
        shown = reverse("startup-overview", args=[world.startup.slug]) in page
        assert shown is (listed and query.get("q") != other_world.startup.name)
        assert reverse("startup-overview", args=[other_world.startup.slug]) not in page


def test_tag_suggestions_never_cross_startups(world, other_world):
    TagFactory(startup=world.startup, name="Entretiens usagers")
    TagFactory(startup=other_world.startup, name="Entretiens confidentiels")
    client = world.client_for("team")

    response = client.get(
        reverse("tag-autocomplete", args=[world.startup.slug]), {"tags": "Entretiens"}
    )

    assert "Entretiens usagers" in response.content.decode()
    assert "confidentiels" not in response.content.decode()


def test_evidence_of_another_insight_is_not_found(world):
    """The evidence's own insight must be the one in the URL, itself of the URL's startup."""
    mine = InsightFactory(startup=world.startup)
    elsewhere = _evidence(world)["evidence_pk"]
    path = reverse(
        "investigations:evidence-delete",
        kwargs={"slug": world.startup.slug, "pk": mine.pk, "evidence_pk": elsewhere},
    )
    client = world.client_for("intrapreneur")
    before = db_state()
    response = client.post(path)
    assert response.status_code == 404
    assert db_state() == before


@pytest.mark.parametrize("state", ["unknown", "revoked", "replaced", "inactive account"])
def test_an_unusable_calendar_feed(world, state):
    """The feed's address answers 404 to everybody once unknown, revoked, replaced by a new
    one, or when its person's account is deactivated; and reading it writes nothing."""
    intrapreneur = world.people["intrapreneur"]
    _feed, token = calendar_feed_create(user=intrapreneur)
    if state == "unknown":
        token = "jeton-inconnu"
    elif state == "revoked":
        calendar_feed_revoke(user=intrapreneur)
    elif state == "replaced":
        calendar_feed_create(user=intrapreneur)
    else:
        intrapreneur.is_active = False
        intrapreneur.save()
    clients = [world.client_for(role) for role in ("anonymous", "outsider", "intrapreneur")]
    before = db_state()
    for client in clients:
        assert client.get(reverse("calendar-feed", args=[token])).status_code == 404
    assert db_state() == before
