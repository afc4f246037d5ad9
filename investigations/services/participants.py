"""Participants: a pseudonym and a profile for everyone, the contact apart and erased on time.

The pseudonym's number is the next free one in the startup. The contact (name, e-mail,
phone) lives in ``ParticipantContact`` with the consent and retention dates; the retention
date defaults to ``RETENTION_MONTHS`` after the participant's last interview and is
recomputed whenever one of their interviews changes, unless it was set by hand.
``participant_erase`` is the one code path of an erasure, asked for or due.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from intrapreneur.activity import activity_record
from intrapreneur.dates import add_months
from intrapreneur.models import Startup, User
from investigations.enums import RETENTION_MONTHS
from investigations.models import Interview, Participant, ParticipantContact, contacts_due


@dataclass(frozen=True)
class ContactData:
    """What a person with ``view_personal`` types in the contact part of the form."""

    name: str = ""
    email: str = ""
    phone: str = ""
    consent_date: datetime.date | None = None
    # A date typed by hand; None: RETENTION_MONTHS after the last interview.
    retention_until: datetime.date | None = None


# ---------------------------------------------------------------- reads


def contact_of(participant: Participant) -> ParticipantContact | None:
    """The participant's contact, None when there is none (erased, or never given)."""
    try:
        return participant.contact
    except ParticipantContact.DoesNotExist:
        return None


def retention_default(
    participant: Participant, consent_date: datetime.date | None = None
) -> datetime.date:
    """RETENTION_MONTHS after the last interview (else the consent, else today)."""
    last = Interview.objects.filter(participant=participant).aggregate(last=Max("date"))["last"]
    start = last or consent_date or timezone.localdate()
    return add_months(start, RETENTION_MONTHS)


def participant_export_data(participant: Participant) -> dict:
    """Everything the startup holds about one participant, for their right of access."""
    contact = contact_of(participant)
    interviews = Interview.objects.filter(participant=participant).order_by("date", "pk")
    return {
        "pseudonym": participant.pseudonym,
        "startup": participant.startup.name,
        "profile": {
            "user_type": participant.usertype,
            "user_type_label": str(participant.get_usertype_display()),
            "profile": participant.profile,
            "organisation": participant.organisation,
            "territory": participant.territory,
        },
        "contact": (
            {"name": contact.name, "email": contact.email, "phone": contact.phone}
            if contact else None
        ),
        "consent_date": _iso(contact.consent_date) if contact else None,
        "retention_until": _iso(contact.retention_until) if contact else None,
        "personal_data_erased_at": _iso(participant.erased_at),
        "created_at": _iso(participant.created_at),
        "interviews": [
            {
                "date": _iso(interview.date),
                "kind": interview.kind,
                "kind_label": str(interview.get_kind_display()),
                "place": interview.place,
                "notes": interview.notes,
            }
            for interview in interviews
        ],
    }


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# ---------------------------------------------------------------- writes


def next_number(startup: Startup) -> int:
    """The next free pseudonym number of the startup (P-001, P-002…)."""
    last = Participant.objects.filter(startup=startup).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def _locked_next_number(startup: Startup) -> int:
    # The startup's row lock serialises two creations in the same startup.
    Startup.objects.select_for_update().filter(pk=startup.pk).first()
    return next_number(startup)


def _contact_save(participant: Participant, data: ContactData) -> None:
    contact = contact_of(participant)
    if contact is None and data == ContactData():
        return  # nothing personal given: no contact row to keep, nor to erase
    contact = contact or ParticipantContact(participant=participant)
    contact.name, contact.email, contact.phone = data.name, data.email, data.phone
    contact.consent_date = data.consent_date
    contact.retention_set_by_hand = data.retention_until is not None
    contact.retention_until = data.retention_until or retention_default(
        participant, data.consent_date
    )
    contact.save()
    participant.contact = contact


@transaction.atomic
def participant_create(
    *,
    startup: Startup,
    actor: User,
    usertype: str,
    profile: str = "",
    organisation: str = "",
    territory: str = "",
    contact: ContactData | None = None,
) -> Participant:
    """A new participant under the next free pseudonym; a contact when one is given."""
    participant = Participant.objects.create(
        startup=startup, number=_locked_next_number(startup), usertype=usertype, profile=profile,
        organisation=organisation, territory=territory,
    )
    if contact is not None:
        _contact_save(participant, contact)
    activity_record(startup=startup, actor=actor, verb="participant.created", target=participant)
    return participant


@transaction.atomic
def participant_update(
    *,
    participant: Participant,
    actor: User,
    usertype: str,
    profile: str = "",
    organisation: str = "",
    territory: str = "",
    contact: ContactData | None = None,
) -> Participant:
    """Edit the profile; the contact too when given (None: left as it is).

    An erased participant gets no contact again: their personal data is gone for good.
    """
    participant.usertype, participant.profile = usertype, profile
    participant.organisation, participant.territory = organisation, territory
    participant.save(update_fields=["usertype", "profile", "organisation", "territory"])
    if contact is not None and participant.erased_at is None:
        _contact_save(participant, contact)
    activity_record(
        startup=participant.startup, actor=actor, verb="participant.updated", target=participant
    )
    return participant


def participant_retention_refresh(*, participant: Participant | None) -> None:
    """Recompute the retention date after an interview changed (unless set by hand)."""
    if participant is None:
        return
    contact = ParticipantContact.objects.filter(
        participant=participant, retention_set_by_hand=False
    ).first()
    if contact is None:
        return
    contact.retention_until = retention_default(participant, contact.consent_date)
    contact.save(update_fields=["retention_until"])
    participant.contact = contact


@transaction.atomic
def participant_export(*, participant: Participant, actor: User) -> dict:
    """The participant's data for their right of access; the export stays in the activity."""
    data = participant_export_data(participant)
    activity_record(
        startup=participant.startup, actor=actor, verb="participant.exported", target=participant
    )
    return data


@transaction.atomic
def participant_erase(*, participant: Participant, actor: User | None) -> bool:
    """Erase the personal data: the contact goes, the pseudonymous profile and the
    interviews stay. ``actor`` None: the retention purge. False when nothing was left."""
    erased_at = (
        Participant.objects.select_for_update().filter(pk=participant.pk)
        .values_list("erased_at", flat=True).get()
    )
    deleted, _rows = ParticipantContact.objects.filter(participant=participant).delete()
    if erased_at is not None and not deleted:
        return False
    participant.erased_at = erased_at or timezone.now()
    if erased_at is None:
        Participant.objects.filter(pk=participant.pk).update(erased_at=participant.erased_at)
    contact_relation = Participant._meta.get_field("contact")
    if contact_relation.is_cached(participant):
        contact_relation.delete_cached_value(participant)
    activity_record(
        startup=participant.startup, actor=actor, verb="participant.erased", target=participant
    )
    return True


def participants_purge(*, today: datetime.date | None = None) -> int:
    """Erase every contact kept past its retention date; returns how many were erased.

    Each erasure is its own transaction: one failure does not keep the others' data.
    """
    today = today or timezone.localdate()
    due = Participant.objects.filter(
        pk__in=contacts_due(today).values("participant")
    ).select_related("startup")
    return sum(participant_erase(participant=p, actor=None) for p in due)
