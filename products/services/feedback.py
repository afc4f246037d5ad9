"""The feedback inbox: every write, one by one or in bulk, keeps the full-text index current.

On PostgreSQL each write refreshes ``Feedback.search`` (a French ``SearchVector`` of the
text) in the same transaction; a bulk write refreshes all its rows in one UPDATE. SQLite has
no full-text search: the index stays empty and the list searches with ``icontains``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connections, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intrapreneur.activity import activity_record
from intrapreneur.enums import NotificationKind
from intrapreneur.imports import (
    ImportReport,
    ImportRow,
    import_date,
    import_key,
    import_split,
    import_table,
)
from intrapreneur.models import Startup, Tag, User
from intrapreneur.notifications import excerpt, notifications_fanout
from intrapreneur.outbox import outbox_enqueue
from intrapreneur.permissions import Action
from intrapreneur.services import tags_resolve
from products.enums import FeedbackChannel, FeedbackKind, FeedbackSource, FeedbackStatus
from products.models import Feedback

TEXT_MAX_LENGTH = 10_000
# What FeedbackQuerySet.open() leaves out.
CLOSED_STATUSES = (FeedbackStatus.DONE, FeedbackStatus.WONT_DO)

# ---------------------------------------------------------------- reads


def startup_members(startup: Startup) -> QuerySet[User]:
    """Who may be assigned an item: the startup's members."""
    return User.objects.filter(memberships__startup=startup).order_by(
        "first_name", "last_name", "email"
    )


def status_counts(queryset: QuerySet[Feedback]) -> dict[str, int]:
    """How many items of each status: one query."""
    return queryset.count_by("status", FeedbackStatus.values)


def status_total(counts: dict[str, int], status: str = "") -> int:
    """How many items the status filter keeps, from the counts per status (the filter's
    ``"open"``: all but done and won't do; no status: all)."""
    if status == "open":
        return sum(n for s, n in counts.items() if s not in CLOSED_STATUSES)
    if status:
        return counts.get(status, 0)
    return sum(counts.values())


# ---------------------------------------------------------------- the full-text index


def feedback_index(queryset: QuerySet[Feedback]) -> None:
    """Refresh the French full-text vector of these rows in one UPDATE (PostgreSQL only)."""
    if connections[queryset.db].vendor == "postgresql":
        queryset.update(search=SearchVector("text", config="french"))


# ---------------------------------------------------------------- one item


@transaction.atomic
def feedback_create(
    *,
    startup: Startup,
    actor: User | None,
    text: str,
    kind: str = FeedbackKind.PROBLEM,
    source: str = FeedbackSource.USER,
    channel: str = FeedbackChannel.EMAIL,
    date: datetime.date | None = None,
    status: str = FeedbackStatus.NEW,
    assignee: User | None = None,
    tags: list[str] | None = None,
    author_email: str = "",
    author_consents: bool = False,
) -> Feedback:
    _check_assignee(startup, assignee)
    feedback = Feedback.objects.create(
        startup=startup, text=text, kind=kind, source=source, channel=channel,
        date=date or timezone.localdate(), status=status, assignee=assignee,
        author_email=author_email.strip(), author_consents=author_consents and bool(author_email),
    )
    feedback.tags.set(tags_resolve(startup=startup, names=tags or []))
    feedback_index(Feedback.objects.filter(pk=feedback.pk))
    activity_record(startup=startup, actor=actor, verb="feedback.created", target=feedback)
    feedback_notify_members(feedback, actor)
    return feedback


def feedback_notify_members(feedback: Feedback, actor: User | None) -> int:
    """Tell the members who read the inbox that an item came in."""
    return notifications_fanout(
        startup=feedback.startup, kind=NotificationKind.FEEDBACK, actor=actor,
        action=Action.VIEW_RESEARCH, label=excerpt(feedback.text),
        url=feedback.get_absolute_url(),
    )


@transaction.atomic
def feedback_update(
    *,
    feedback: Feedback,
    actor: User,
    text: str,
    kind: str,
    source: str,
    channel: str,
    date: datetime.date,
    status: str,
    assignee: User | None = None,
    tags: list[str] | None = None,
    author_email: str | None = None,
    author_consents: bool | None = None,
) -> Feedback:
    """Save the item; the author's address and consent stay as they are when not given
    (a person without ``view_personal`` never sees nor sends them)."""
    startup = feedback.startup
    _check_assignee(startup, assignee)
    feedback.text, feedback.kind, feedback.source = text, kind, source
    feedback.channel, feedback.date, feedback.assignee = channel, date, assignee
    if feedback.merged_into_id is None:
        feedback.status = status
    if author_email is not None:
        feedback.author_email = author_email.strip()
    if author_consents is not None:
        feedback.author_consents = author_consents
    feedback.author_consents = feedback.author_consents and bool(feedback.author_email)
    feedback.save()
    feedback.tags.set(tags_resolve(startup=startup, names=tags or []))
    feedback_index(Feedback.objects.filter(pk=feedback.pk))
    feedback_notify_answered(Feedback.objects.filter(pk=feedback.pk))
    activity_record(startup=startup, actor=actor, verb="feedback.updated", target=feedback)
    return feedback


def feedback_notify_answered(queryset: QuerySet[Feedback]) -> int:
    """Tell the authors who asked to be answered that their item is done: once per item
    (the outbox key), whatever moves it to done — a triage now, a release later."""
    answered = queryset.filter(
        status=FeedbackStatus.DONE, author_consents=True, merged_into__isnull=True
    ).exclude(author_email="").select_related("startup")
    for feedback in answered:
        outbox_enqueue(
            key=f"feedback-answered:{feedback.pk}", kind="feedback-answered",
            to=feedback.author_email, template="feedback_answered",
            context={"feedback": feedback, "startup": feedback.startup},
        )
    return len(answered)


@transaction.atomic
def feedback_delete(*, feedback: Feedback, actor: User) -> int:
    """Delete the item. Duplicates merged into it are not lost: they come back as items of
    their own (still done). Returns how many came back."""
    released = feedback.duplicates.update(merged_into=None, updated_at=timezone.now())
    activity_record(
        startup=feedback.startup, actor=actor, verb="feedback.deleted", label=str(feedback)
    )
    feedback.delete()
    return released


def _check_assignee(startup: Startup, assignee: User | None) -> None:
    if assignee is not None and not startup.memberships.filter(user=assignee).exists():
        raise ValidationError(_("Only a member of the startup can be assigned feedback."))


# ---------------------------------------------------------------- many items


def _selected(startup: Startup, ids: Iterable[int]) -> QuerySet[Feedback]:
    """The startup's items among these ids: unknown or foreign ids are ignored."""
    return Feedback.objects.for_startup(startup).filter(pk__in=list(ids))


@transaction.atomic
def feedback_bulk_set_status(
    *, startup: Startup, actor: User, ids: Iterable[int], status: str
) -> int:
    """Set the status of the selected items (merged duplicates follow their item and keep
    theirs). Returns how many items are concerned."""
    if status not in FeedbackStatus.values:
        raise ValidationError(_("Unknown status."))
    selected = _selected(startup, ids).filter(merged_into__isnull=True)
    count = selected.update(status=status, updated_at=timezone.now())
    feedback_notify_answered(selected)
    if count:
        activity_record(
            startup=startup, actor=actor, verb="feedback.triaged",
            label=ngettext(
                "%(count)d item → %(status)s", "%(count)d items → %(status)s", count
            ) % {"count": count, "status": FeedbackStatus(status).label},
        )
    return count


@transaction.atomic
def feedback_bulk_tag(
    *, startup: Startup, actor: User, ids: Iterable[int], name: str, add: bool
) -> int:
    """Add the tag to the selected items (creating it when needed), or remove it. Returns how
    many items are concerned."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the tag's name."))
    if len(name) > 60:
        raise ValidationError(
            _("A tag has 60 characters at most: “%(name)s…”.") % {"name": name[:30]}
        )
    pks = list(_selected(startup, ids).values_list("pk", flat=True))
    if not pks:
        return 0
    through = Feedback.tags.through
    if add:
        (tag,) = tags_resolve(startup=startup, names=[name])
        through.objects.bulk_create(
            [through(feedback_id=pk, tag_id=tag.pk) for pk in pks], ignore_conflicts=True
        )
        label = ngettext(
            "%(count)d item + tag “%(tag)s”", "%(count)d items + tag “%(tag)s”", len(pks)
        )
    else:
        tag = Tag.objects.filter(startup=startup, name__iexact=name).first()
        if tag is None:
            return 0
        through.objects.filter(tag=tag, feedback_id__in=pks).delete()
        label = ngettext(
            "%(count)d item − tag “%(tag)s”", "%(count)d items − tag “%(tag)s”", len(pks)
        )
    Feedback.objects.filter(pk__in=pks).update(updated_at=timezone.now())
    activity_record(
        startup=startup, actor=actor, verb="feedback.triaged",
        label=label % {"count": len(pks), "tag": tag.name},
    )
    return len(pks)


@transaction.atomic
def feedback_merge(*, feedback: Feedback, actor: User, duplicates: Iterable[Feedback]) -> int:
    """Merge duplicates into ``feedback``: they point to it and are done, their tags join
    its tags, their texts stay (shown on the kept item). Items merged into a duplicate
    follow it. Returns how many items are merged."""
    if feedback.merged_into_id is not None:
        raise ValidationError(
            _("This item is itself merged into another one: merge into that one instead.")
        )
    ids = {d.pk for d in duplicates}
    if not ids:
        raise ValidationError(_("Choose at least one duplicate."))
    if feedback.pk in ids:
        raise ValidationError(_("An item cannot be merged into itself."))
    chosen = Feedback.objects.for_startup(feedback.startup).filter(pk__in=ids)
    if chosen.count() != len(ids):
        raise ValidationError(_("Some of these items do not belong to this startup."))
    if chosen.filter(merged_into__isnull=False).exists():
        raise ValidationError(_("Some of these items are already merged into another one."))
    merged = Feedback.objects.filter(Q(pk__in=ids) | Q(merged_into__in=ids))
    tag_ids = set(
        Feedback.tags.through.objects.filter(feedback__in=merged).values_list("tag_id", flat=True)
    )
    feedback.tags.add(*tag_ids)
    count = merged.update(
        merged_into=feedback, status=FeedbackStatus.DONE, updated_at=timezone.now()
    )
    Feedback.objects.filter(pk=feedback.pk).update(updated_at=timezone.now())
    activity_record(
        startup=feedback.startup, actor=actor, verb="feedback.merged", target=feedback
    )
    return count


@dataclass
class FeedbackItem:
    """One item to create in bulk (an imported row, a demo item)."""

    text: str
    date: datetime.date
    kind: str = FeedbackKind.PROBLEM
    source: str = FeedbackSource.USER
    channel: str = FeedbackChannel.OTHER
    status: str = FeedbackStatus.NEW
    assignee: User | None = None
    tags: list[str] = field(default_factory=list)
    author_email: str = ""
    author_consents: bool = False


@transaction.atomic
def feedback_bulk_create(
    *, startup: Startup, actor: User | None, items: Sequence[FeedbackItem]
) -> list[Feedback]:
    """Create many items at once: one INSERT of the items, one of their tags, one UPDATE of
    their full-text index, one activity."""
    if not items:
        return []
    members = set(startup_members(startup).values_list("pk", flat=True))
    if any(item.assignee is not None and item.assignee.pk not in members for item in items):
        raise ValidationError(_("Only a member of the startup can be assigned feedback."))
    tags = {
        tag.name.lower(): tag
        for tag in tags_resolve(
            startup=startup, names=[name for item in items for name in item.tags]
        )
    }
    created = Feedback.objects.bulk_create(
        [
            Feedback(
                startup=startup, text=item.text, date=item.date, kind=item.kind,
                source=item.source, channel=item.channel, status=item.status,
                assignee=item.assignee, author_email=item.author_email.strip(),
                author_consents=item.author_consents and bool(item.author_email.strip()),
            )
            for item in items
        ]
    )
    through = Feedback.tags.through
    links = {
        (feedback.pk, tags[" ".join(name.split())[:60].lower()].pk)
        for feedback, item in zip(created, items, strict=True)
        for name in item.tags
        if name.strip()
    }
    through.objects.bulk_create(
        [through(feedback_id=feedback_id, tag_id=tag_id) for feedback_id, tag_id in links]
    )
    feedback_index(Feedback.objects.for_startup(startup).filter(search__isnull=True))
    activity_record(
        startup=startup, actor=actor, verb="feedback.imported",
        label=ngettext("%(count)d item", "%(count)d items", len(created))
        % {"count": len(created)},
    )
    notifications_fanout(
        startup=startup, kind=NotificationKind.FEEDBACK, actor=actor,
        action=Action.VIEW_RESEARCH,
        label=ngettext("%(count)d items imported", "%(count)d items imported", len(created))
        % {"count": len(created)},
        url=reverse("products:feedback-list", kwargs={"slug": startup.slug}),
    )
    return created


# ---------------------------------------------------------------- import

# The CSV reading rules (column names, dates, delimiter, encoding) are intrapreneur.imports':
# the same spreadsheets get the same answers in every import.

IMPORT_MAX_ROWS = 5000
IMPORT_EMPTY = gettext_lazy("The file holds no feedback.")

# Column -> the names a spreadsheet may give it (English and French), compared with
# import_key.
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "date du retour", "recu le", "date de reception"),
    "text": (
        "text", "feedback", "texte", "retour", "retour usager", "message", "verbatim",
        "commentaire", "remarque", "contenu", "description",
    ),
    "kind": ("kind", "type", "nature", "type de retour", "categorie"),
    "source": ("source", "origine", "provenance", "emetteur", "qui"),
    "channel": ("channel", "canal", "moyen", "via"),
    "status": ("status", "statut", "etat", "suivi"),
    "tags": ("tags", "tag", "etiquettes", "etiquette", "themes", "theme"),
    "assignee": (
        "assignee", "assigned to", "responsable", "assigne a", "assignee a", "suivi par",
        "porteur",
    ),
    "author_email": (
        "author email", "author's e-mail", "email", "e-mail", "mail", "courriel",
        "adresse e-mail", "adresse email", "email de l'auteur", "e-mail de l'auteur",
        "contact",
    ),
    "consent": (
        "consent", "author consents", "agrees to be answered", "consentement",
        "accepte d'etre recontacte", "accepte d'etre recontactee", "recontact",
        "accepte d'etre contacte", "accord",
    ),
}
REQUIRED_COLUMNS = ("date", "text")

# Extra French names of the values, besides their codes and their labels in each language.
ALIASES: dict[str, dict[str, str]] = {
    "kind": {
        "bug": FeedbackKind.PROBLEM, "anomalie": FeedbackKind.PROBLEM,
        "probleme": FeedbackKind.PROBLEM, "difficulte": FeedbackKind.PROBLEM,
        "plainte": FeedbackKind.PROBLEM, "reclamation": FeedbackKind.PROBLEM,
        "suggestion": FeedbackKind.IDEA, "demande d'evolution": FeedbackKind.IDEA,
        "amelioration": FeedbackKind.IDEA, "proposition": FeedbackKind.IDEA,
        "compliment": FeedbackKind.PRAISE, "remerciement": FeedbackKind.PRAISE,
        "remerciements": FeedbackKind.PRAISE, "felicitations": FeedbackKind.PRAISE,
        "merci": FeedbackKind.PRAISE, "avis positif": FeedbackKind.PRAISE,
        "demande d'information": FeedbackKind.QUESTION, "interrogation": FeedbackKind.QUESTION,
    },
    "source": {
        "usager": FeedbackSource.USER, "usagere": FeedbackSource.USER,
        "utilisateur": FeedbackSource.USER, "utilisatrice": FeedbackSource.USER,
        "citoyen": FeedbackSource.USER, "agent": FeedbackSource.USER,
        "equipe": FeedbackSource.TEAM, "interne": FeedbackSource.TEAM,
        "partenaire": FeedbackSource.PARTNER, "commanditaire": FeedbackSource.SPONSOR,
        "autre": FeedbackSource.OTHER,
    },
    "channel": {
        "mail": FeedbackChannel.EMAIL, "courriel": FeedbackChannel.EMAIL,
        "email": FeedbackChannel.EMAIL, "telephone": FeedbackChannel.PHONE,
        "tel": FeedbackChannel.PHONE, "appel": FeedbackChannel.PHONE,
        "formulaire": FeedbackChannel.FORM, "formulaire en ligne": FeedbackChannel.FORM,
        "entretien": FeedbackChannel.INTERVIEW, "assistance": FeedbackChannel.SUPPORT,
        "helpdesk": FeedbackChannel.SUPPORT, "crisp": FeedbackChannel.SUPPORT,
        "en personne": FeedbackChannel.IN_PERSON, "presentiel": FeedbackChannel.IN_PERSON,
        "sur place": FeedbackChannel.IN_PERSON, "guichet": FeedbackChannel.IN_PERSON,
        "autre": FeedbackChannel.OTHER,
    },
    "status": {
        "nouveau": FeedbackStatus.NEW, "a trier": FeedbackStatus.NEW,
        "a traiter": FeedbackStatus.NEW, "trie": FeedbackStatus.TRIAGED,
        "qualifie": FeedbackStatus.TRIAGED, "en cours": FeedbackStatus.TRIAGED,
        "planifie": FeedbackStatus.PLANNED, "prevu": FeedbackStatus.PLANNED,
        "fait": FeedbackStatus.DONE, "termine": FeedbackStatus.DONE,
        "resolu": FeedbackStatus.DONE, "traite": FeedbackStatus.DONE,
        "ne sera pas fait": FeedbackStatus.WONT_DO, "abandonne": FeedbackStatus.WONT_DO,
        "refuse": FeedbackStatus.WONT_DO, "rejete": FeedbackStatus.WONT_DO,
        "sans suite": FeedbackStatus.WONT_DO,
    },
}
ENUMS = {
    "kind": FeedbackKind,
    "source": FeedbackSource,
    "channel": FeedbackChannel,
    "status": FeedbackStatus,
}
YES = {"oui", "yes", "true", "vrai", "1", "x", "o", "y"}
NO = {"non", "no", "false", "faux", "0", "n", ""}


def value_aliases() -> dict[str, dict[str, str]]:
    """Column -> every way a cell may name a value: codes, labels (en, fr), French aliases."""
    aliases: dict[str, dict[str, str]] = {}
    for column, enum in ENUMS.items():
        names = {import_key(k): v for k, v in ALIASES[column].items()}
        for language in ("en", "fr"):
            with translation.override(language):
                for value, label in enum.choices:
                    names[import_key(str(label))] = value
        names.update({import_key(value): value for value in enum.values})
        aliases[column] = names
    return aliases


@dataclass
class FeedbackImportRow(ImportRow):
    item: FeedbackItem | None = None


def feedback_parse(*, startup: Startup, text: str) -> ImportReport:
    """Read a CSV of feedback: every row checked, nothing written. Raises ImportFileError
    when the file as a whole cannot be read."""
    table = import_table(
        text, columns=COLUMNS, required=REQUIRED_COLUMNS, max_rows=IMPORT_MAX_ROWS,
        missing=_(
            "The first line must name the columns; missing: %(missing)s. Expected "
            "columns: date, text, kind, source, channel, status, tags, assignee, "
            "author email, consent."
        ),
    )
    members = {u.email.lower(): u for u in startup_members(startup)}
    aliases = value_aliases()
    today = timezone.localdate()
    rows: list[FeedbackImportRow] = []
    for number, cells in table.rows:
        row = FeedbackImportRow(line=number, cells=cells)
        _check_row(row, aliases, members, today)
        rows.append(row)
    return ImportReport(rows=rows, ignored_columns=table.ignored_columns)


def _check_row(
    row: FeedbackImportRow, aliases: dict[str, dict[str, str]], members: dict[str, User],
    today: datetime.date,
) -> None:
    cells = row.cells
    date = None
    if not cells["date"]:
        row.refuse("date-missing", _("The date is missing."))
    else:
        date = import_date(cells["date"])
        if date is None:
            row.refuse(
                "date-invalid",
                _("“%(value)s” is not a date: write it as 31/12/2025 or 2025-12-31.")
                % {"value": cells["date"]},
            )
        elif date > today:
            row.refuse(
                "date-future", _("The date %(value)s is in the future.") % {"value": cells["date"]}
            )
    if not cells["text"]:
        row.refuse("text-missing", _("The text of the feedback is missing."))
    elif len(cells["text"]) > TEXT_MAX_LENGTH:
        row.refuse(
            "text-long",
            _("The text has %(max)d characters at most.") % {"max": TEXT_MAX_LENGTH},
        )
    values: dict[str, str] = {}
    for column, enum in ENUMS.items():
        if not cells[column]:
            continue
        values[column] = aliases[column].get(import_key(cells[column]), "")
        if not values[column]:
            row.refuse(
                f"{column}-unknown",
                _("“%(value)s” is not a known %(column)s; expected one of: %(values)s.")
                % {
                    "value": cells[column],
                    "column": Feedback._meta.get_field(column).verbose_name,
                    "values": ", ".join(str(label) for label in enum.labels),
                },
            )
    assignee = None
    if cells["assignee"]:
        assignee = members.get(cells["assignee"].lower())
        if assignee is None:
            row.refuse(
                "assignee-unknown",
                _("%(value)s is not a member of the startup.") % {"value": cells["assignee"]},
            )
    email = cells["author_email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            row.refuse(
                "email-invalid", _("“%(value)s” is not an e-mail address.") % {"value": email}
            )
    consent = import_key(cells["consent"])
    if consent not in YES | NO:
        row.refuse(
            "consent-unknown",
            _("“%(value)s” is not understood as a consent: write yes or no (oui, non).")
            % {"value": cells["consent"]},
        )
    elif consent in YES and not email:
        row.refuse(
            "consent-without-email",
            _("The author agrees to be answered but gives no e-mail address."),
        )
    tags = import_split(cells["tags"])
    for tag in tags:
        if len(tag) > 60:
            row.refuse(
                "tag-long",
                _("A tag has 60 characters at most: “%(name)s…”.") % {"name": tag[:30]},
            )
    if row.ok:
        row.item = FeedbackItem(
            text=cells["text"], date=date, tags=tags, assignee=assignee,
            kind=values.get("kind", FeedbackKind.PROBLEM),
            source=values.get("source", FeedbackSource.USER),
            channel=values.get("channel", FeedbackChannel.OTHER),
            status=values.get("status", FeedbackStatus.NEW),
            author_email=email, author_consents=consent in YES,
        )


@transaction.atomic
def feedback_import(*, startup: Startup, actor: User, text: str) -> list[Feedback]:
    """Create every item of the file, or none: a refused row refuses the file."""
    report = feedback_parse(startup=startup, text=text)
    report.ensure_ok(empty=IMPORT_EMPTY)
    return feedback_bulk_create(
        startup=startup, actor=actor, items=[row.item for row in report.rows]
    )
