"""What a ProConnect sign-in does on our side, once allauth has found or created the user."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from intrapreneur.invitations import invitation_accept
from intrapreneur.models import Invitation, User


def pending_invitations_for(email: str):
    return Invitation.objects.pending().filter(email__iexact=email).select_related("startup")


@transaction.atomic
def proconnect_sign_in_complete(*, user: User, claims: dict) -> list[Invitation]:
    """Fill the names left empty, and accept the invitations sent to the verified address.

    ProConnect vouches for the address, as the link of the invitation e-mail does: a person
    signed in with the invited address is the invited person. Returns the accepted ones.
    """
    fields = []
    for field, claim in (("first_name", "given_name"), ("last_name", "usual_name")):
        if not getattr(user, field) and claims.get(claim):
            setattr(user, field, claims[claim][:150])
            fields.append(field)
    if fields:
        user.save(update_fields=fields)
    email = (claims.get("email") or "").strip()
    if not email or email.lower() != user.email.lower():
        return []
    accepted = []
    for invitation in pending_invitations_for(email):
        try:
            invitation_accept(invitation=invitation, user=user)
        except ValidationError:
            continue
        accepted.append(invitation)
    return accepted
