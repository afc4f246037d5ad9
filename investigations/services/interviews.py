"""Interviews: recorded one by one or imported from a spreadsheet, all or nothing.

Each write recomputes the retention date of the participants it touches. The import parses
the CSV into a report (every row with what is refused and why); ``interview_import`` writes
the rows only when no row is refused, in one transaction.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intrapreneur.activity import activity_record
from intrapreneur.imports import (
    ImportReport,
    ImportRow,
    import_date,
    import_key,
    import_split,
    import_table,
)
from intrapreneur.models import Attachment, Startup, User
from intrapreneur.services import attachment_delete, tags_resolve
from investigations.enums import InterviewKind
from investigations.models import Interview, Participant
from investigations.services.participants import participant_retention_refresh

# ---------------------------------------------------------------- reads


def startup_members(startup: Startup):
    """The people who may be named as interviewers: the startup's members."""
    return User.objects.filter(memberships__startup=startup).order_by(
        "first_name", "last_name", "email"
    )


def interview_attachments(interview: Interview):
    # Through the content type's natural key: no separate query, whatever is cached.
    return Attachment.objects.filter(
        startup_id=interview.startup_id, owner_id=interview.pk,
        owner_type__app_label=Interview._meta.app_label,
        owner_type__model=Interview._meta.model_name,
    )


# ---------------------------------------------------------------- writes


@transaction.atomic
def interview_create(
    *,
    startup: Startup,
    actor: User,
    kind: str,
    date: datetime.date,
    place: str = "",
    interviewers: Iterable[User] = (),
    participant: Participant | None = None,
    notes: str = "",
    tags: list[str] | None = None,
    record: bool = True,
) -> Interview:
    if participant is not None and participant.startup_id != startup.pk:
        raise ValidationError(_("This participant belongs to another startup."))
    interview = Interview.objects.create(
        startup=startup, kind=kind, date=date, place=place, participant=participant, notes=notes
    )
    interview.interviewers.set(list(interviewers))
    interview.tags.set(tags_resolve(startup=startup, names=tags or []))
    participant_retention_refresh(participant=participant)
    if record:
        activity_record(startup=startup, actor=actor, verb="interview.created", target=interview)
    return interview


@transaction.atomic
def interview_update(
    *,
    interview: Interview,
    actor: User,
    kind: str,
    date: datetime.date,
    place: str = "",
    interviewers: Iterable[User] = (),
    participant: Participant | None = None,
    notes: str = "",
    tags: list[str] | None = None,
) -> Interview:
    startup = interview.startup
    if participant is not None and participant.startup_id != startup.pk:
        raise ValidationError(_("This participant belongs to another startup."))
    before = interview.participant
    interview.kind, interview.date, interview.place = kind, date, place
    interview.participant, interview.notes = participant, notes
    interview.save()
    interview.interviewers.set(list(interviewers))
    interview.tags.set(tags_resolve(startup=startup, names=tags or []))
    participant_retention_refresh(participant=participant)
    if before is not None and before != participant:
        participant_retention_refresh(participant=before)
    activity_record(startup=startup, actor=actor, verb="interview.updated", target=interview)
    return interview


@transaction.atomic
def interview_delete(*, interview: Interview, actor: User) -> None:
    """Delete the interview, its files and the evidence it gave to insights."""
    participant = interview.participant
    for attachment in interview_attachments(interview):
        attachment_delete(attachment=attachment, actor=actor)
    activity_record(
        startup=interview.startup, actor=actor, verb="interview.deleted", label=str(interview)
    )
    interview.delete()
    participant_retention_refresh(participant=participant)


# ---------------------------------------------------------------- import

IMPORT_MAX_ROWS = 2000
IMPORT_EMPTY = gettext_lazy("The file holds no interview.")
PARTICIPANT_RE = re.compile(r"^p\s*-?\s*0*(\d{1,9})$", re.IGNORECASE)

# Column -> the names a spreadsheet may give it (English and French), compared with
# import_key.
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date",),
    "kind": ("kind", "type", "type d'entretien", "nature"),
    "place": ("place", "channel", "place or channel", "lieu", "canal", "lieu ou canal"),
    "participant": ("participant", "pseudonym", "pseudonyme"),
    "interviewers": (
        "interviewers", "interviewer", "members", "enqueteurs", "enqueteur", "enqueteurs/rices",
        "intervieweurs", "membres",
    ),
    "tags": ("tags", "tag", "etiquettes", "etiquette"),
    "notes": ("notes", "note", "compte rendu", "compte-rendu"),
}
REQUIRED_COLUMNS = ("date", "kind")

# Extra French names of the kinds, besides their codes and their labels in each language.
KIND_ALIASES: dict[str, str] = {
    "entretien expert": InterviewKind.EXPERT,
    "entretien d'expert": InterviewKind.EXPERT,
    "expert": InterviewKind.EXPERT,
    "experte": InterviewKind.EXPERT,
    "entretien usager": InterviewKind.USER,
    "entretien utilisateur": InterviewKind.USER,
    "entretien utilisatrice": InterviewKind.USER,
    "usager": InterviewKind.USER,
    "utilisateur": InterviewKind.USER,
    "observation": InterviewKind.OBSERVATION,
    "observation terrain": InterviewKind.OBSERVATION,
    "observation de terrain": InterviewKind.OBSERVATION,
    "observation sur le terrain": InterviewKind.OBSERVATION,
    "atelier": InterviewKind.WORKSHOP,
    "atelier usagers": InterviewKind.WORKSHOP,
    "atelier avec des usagers": InterviewKind.WORKSHOP,
    "atelier utilisateurs": InterviewKind.WORKSHOP,
    "atelier avec des utilisateurs": InterviewKind.WORKSHOP,
}


def kind_aliases() -> dict[str, str]:
    aliases = {import_key(k): v for k, v in KIND_ALIASES.items()}
    for language in ("en", "fr"):
        with translation.override(language):
            for value, label in InterviewKind.choices:
                aliases[import_key(str(label))] = value
    aliases.update({import_key(value): value for value in InterviewKind.values})
    return aliases


@dataclass
class InterviewImportRow(ImportRow):
    date: datetime.date | None = None
    kind: str = ""
    participant: Participant | None = None
    interviewers: list[User] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def kind_label(self) -> str:
        return str(InterviewKind(self.kind).label) if self.kind else ""


def interviews_parse(*, startup: Startup, text: str) -> ImportReport:
    """Read a CSV of interviews: every row checked against the startup's data, nothing
    written. Raises ImportFileError when the file as a whole cannot be read."""
    table = import_table(
        text, columns=COLUMNS, required=REQUIRED_COLUMNS, max_rows=IMPORT_MAX_ROWS,
        missing=_(
            "The first line must name the columns; missing: %(missing)s. Expected "
            "columns: date, kind, place, participant, interviewers, tags, notes."
        ),
    )
    participants = {p.number: p for p in Participant.objects.for_startup(startup)}
    members = {u.email.lower(): u for u in startup_members(startup)}
    kinds = kind_aliases()
    today = timezone.localdate()
    rows: list[InterviewImportRow] = []
    for number, cells in table.rows:
        row = InterviewImportRow(line=number, cells=cells)
        _check_row(row, kinds, participants, members, today)
        rows.append(row)
    return ImportReport(rows=rows, ignored_columns=table.ignored_columns)


def _check_row(
    row: InterviewImportRow, kinds, participants, members, today: datetime.date
) -> None:
    cells = row.cells
    if not cells["date"]:
        row.refuse("date-missing", _("The date is missing."))
    else:
        row.date = import_date(cells["date"])
        if row.date is None:
            row.refuse(
                "date-invalid",
                _("“%(value)s” is not a date: write it as 31/12/2025 or 2025-12-31.")
                % {"value": cells["date"]},
            )
        elif row.date > today:
            row.refuse("date-future", _("The date %(value)s is in the future.")
                       % {"value": cells["date"]})
    if not cells["kind"]:
        row.refuse("kind-missing", _("The kind of interview is missing."))
    else:
        row.kind = kinds.get(import_key(cells["kind"]), "")
        if not row.kind:
            row.refuse(
                "kind-unknown",
                _("“%(value)s” is not a kind of interview; expected one of: %(kinds)s.")
                % {
                    "value": cells["kind"],
                    "kinds": ", ".join(str(label) for label in InterviewKind.labels),
                },
            )
    if len(cells["place"]) > 200:
        row.refuse("place-long", _("The place has 200 characters at most."))
    if cells["participant"]:
        match = PARTICIPANT_RE.match(cells["participant"])
        row.participant = participants.get(int(match.group(1))) if match else None
        if row.participant is None:
            row.refuse(
                "participant-unknown",
                _(
                    "No participant “%(value)s” in this startup: create them first, or "
                    "leave the cell empty."
                )
                % {"value": cells["participant"]},
            )
    for email in import_split(cells["interviewers"]):
        try:
            validate_email(email)
        except ValidationError:
            row.refuse(
                "interviewer-invalid",
                _("“%(value)s” is not an e-mail address.") % {"value": email},
            )
            continue
        user = members.get(email.lower())
        if user is None:
            row.refuse(
                "interviewer-unknown",
                _("%(value)s is not a member of the startup.") % {"value": email},
            )
        elif user not in row.interviewers:
            row.interviewers.append(user)
    row.tags = import_split(cells["tags"])
    for tag in row.tags:
        if len(tag) > 60:
            row.refuse(
                "tag-long",
                _("A tag has 60 characters at most: “%(name)s…”.") % {"name": tag[:30]},
            )


@transaction.atomic
def interview_import(*, startup: Startup, actor: User, text: str) -> list[Interview]:
    """Create every interview of the file, or none: a refused row refuses the file."""
    report = interviews_parse(startup=startup, text=text)
    report.ensure_ok(empty=IMPORT_EMPTY)
    interviews = [
        interview_create(
            startup=startup, actor=actor, kind=row.kind, date=row.date,
            place=row.cells["place"], interviewers=row.interviewers,
            participant=row.participant, notes=row.cells["notes"], tags=row.tags, record=False,
        )
        for row in report.rows
    ]
    activity_record(
        startup=startup, actor=actor, verb="interview.imported",
        label=ngettext("%(count)d interview", "%(count)d interviews", len(interviews))
        % {"count": len(interviews)},
    )
    return interviews
