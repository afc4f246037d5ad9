"""Invitations: the intrapreneur invites an e-mail with a role; the link brings them in."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intrapreneur.activity import activity_record
from intrapreneur.models import Invitation, Membership, Startup, User
from intrapreneur.outbox import outbox_enqueue

VALIDITY = datetime.timedelta(days=14)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("startup", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def _send(invitation: Invitation, *, base_url: str) -> None:
    """Give the invitation a fresh token and queue its e-mail (the older link stops working)."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.expires_at = timezone.now() + VALIDITY
    invitation.sent_count += 1
    invitation.save(update_fields=["token_hash", "expires_at", "sent_count"])
    outbox_enqueue(
        key=f"invitation:{invitation.pk}:{invitation.sent_count}",
        kind="invitation",
        to=invitation.email,
        template="invitation",
        context={
            "invitation": invitation,
            "startup": invitation.startup,
            "inviter": invitation.invited_by,
            "role": invitation.get_role_display(),
            "url": base_url + reverse("invitation-accept", kwargs={"token": token}),
            "expires_at": invitation.expires_at,
        },
    )


@transaction.atomic
def invitation_create(
    *, startup: Startup, actor: User, email: str, role: str, base_url: str
) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(startup=startup, user__email__iexact=email).exists():
        raise ValidationError(_("This person is already in the team."))
    if startup.invitations.pending().filter(email__iexact=email).exists():
        raise ValidationError(
            _("An invitation is already waiting for this address: send it again from the list.")
        )
    invitation = Invitation.objects.create(
        startup=startup, email=email, role=role, invited_by=actor,
        token_hash=token_hash(secrets.token_urlsafe(32)), expires_at=timezone.now() + VALIDITY,
    )
    _send(invitation, base_url=base_url)
    activity_record(startup=startup, actor=actor, verb="invitation.sent", label=email)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User, base_url: str) -> Invitation:
    if invitation.status in {"accepted", "revoked"}:
        raise ValidationError(_("This invitation can no longer be sent."))
    _send(invitation, base_url=base_url)
    activity_record(
        startup=invitation.startup, actor=actor, verb="invitation.resent", label=invitation.email
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    if invitation.status != "accepted":
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        activity_record(
            startup=invitation.startup, actor=actor, verb="invitation.revoked",
            label=invitation.email,
        )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User | None = None) -> User:
    """Bring the invited person in: their account (verified address) and their membership."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != "pending":
        raise ValidationError(_("This invitation can no longer be used."))
    if user is None:
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User.objects.create_user(invitation.email)
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another address."))
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=invitation.email,
        defaults={"email": invitation.email, "primary": not user.emailaddress_set.exists()},
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    if not Membership.objects.filter(startup=invitation.startup, user=user).exists():
        Membership.objects.create(startup=invitation.startup, user=user, role=invitation.role)
        activity_record(startup=invitation.startup, actor=user, verb="member.joined")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user
