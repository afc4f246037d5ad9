"""A startup's beta.gouv.fr page, in and out.

The page is the file of the beta.gouv.fr site (``content/_startups/<id>.md``): a YAML front
matter (title, mission, sponsors, incubator, phases, events, links…) then a Markdown body
whose sections (Contexte, Problème, Solution, Objectifs…) are the product sheet.

- ``parse_page`` reads a file into a ``StartupPage`` or raises ``PageError``;
- ``page_changes`` lists what applying it would change (the preview);
- ``startup_page_apply`` writes it (the one import service);
- ``export_page`` writes a startup back as a page; export then import changes nothing.

The body's sections: text before the first section and sections with another heading
("Service à impact national 2024"…) go to the context, their heading kept, so nothing is
lost. A recognised heading with more words ("Le problème : les délais") is kept as a
level-3 heading at the start of its section.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata
from pathlib import PurePath

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _

from intrapreneur.activity import activity_record
from intrapreneur.enums import LEGACY_PHASES, EventKind, Phase, Role
from intrapreneur.models import Event, Incubator, Membership, PhaseChange, Startup, User
from intrapreneur.services import unique_startup_slug

# A page file weighs this at most (the upload and the preview's hidden field).
PAGE_MAX_SIZE = 1024 * 1024
# Addresses of pages under /startups/ that no startup may take.
RESERVED_SLUGS = frozenset({"new", "import"})

# Front matter key -> Startup field, for the texts and links, in beta.gouv.fr's order.
TEXT_KEYS: dict[str, str] = {
    "title": "name",
    "mission": "mission",
}
LINK_KEYS: dict[str, str] = {
    "link": "website",
    "repository": "repository",
    "contact": "contact",
    "stats_url": "stats_url",
    "budget_url": "budget_url",
    "impact_url": "impact_url",
    "dashlord_url": "dashlord_url",
}
LIST_KEYS: dict[str, str] = {
    "sponsors": "sponsors",
    "usertypes": "usertypes",
    "thematiques": "thematiques",
}
# The product sheet, in the order of the page's body, with the heading written on export.
SHEET_SECTIONS: dict[str, str] = {
    "context": "Contexte",
    "problem": "Problème",
    "solution": "Solution",
    "objectives": "Objectifs",
}
PHASE_RANK = {phase: rank for rank, phase in enumerate(Phase.values)}


class PageError(ValueError):
    """A page that cannot be read; the message is for the person who sent the file."""

    def __init__(self, message, params: dict | None = None, *, code: str):
        self.message = message
        self.params = params or {}
        self.code = code
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


@dataclasses.dataclass(frozen=True)
class PagePhase:
    phase: str
    start: datetime.date
    end: datetime.date | None = None
    comment: str = ""

    def sort_key(self) -> tuple:
        return (self.start, PHASE_RANK[self.phase])

    def __str__(self) -> str:
        dates = _date(self.start) + (f" → {_date(self.end)}" if self.end else "")
        return " — ".join(filter(None, [str(Phase(self.phase).label), dates, self.comment]))


@dataclasses.dataclass(frozen=True)
class PageEvent:
    kind: str
    date: datetime.date
    comment: str = ""

    def __str__(self) -> str:
        return " — ".join(
            filter(None, [str(EventKind(self.kind).label), _date(self.date), self.comment])
        )


@dataclasses.dataclass
class StartupPage:
    """A page's data, named after the Startup fields they fill."""

    name: str
    incubator: str  # the incubator's identifier (its slug)
    phases: list[PagePhase]  # in chronological order
    events: list[PageEvent] = dataclasses.field(default_factory=list)  # chronological
    mission: str = ""
    sponsors: list[str] = dataclasses.field(default_factory=list)
    website: str = ""
    repository: str = ""
    contact: str = ""
    stats_url: str = ""
    budget_url: str = ""
    impact_url: str = ""
    dashlord_url: str = ""
    usertypes: list[str] = dataclasses.field(default_factory=list)
    thematiques: list[str] = dataclasses.field(default_factory=list)
    context: str = ""
    problem: str = ""
    solution: str = ""
    objectives: str = ""

    @property
    def phase(self) -> str:
        """The current phase: the one that started last."""
        return self.phases[-1].phase


@dataclasses.dataclass(frozen=True)
class FieldChange:
    """One line of the preview: a field, its value now and after the import."""

    field: str
    label: str
    old: str | list[str]
    new: str | list[str]

    @property
    def is_list(self) -> bool:
        return isinstance(self.new, list)


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


# ---------------------------------------------------------------- reading


def page_slug(filename: str, title: str) -> str:
    """The slug of a startup created from a file: the file name's stem (``a-just.md``)."""
    stem = PurePath(filename).stem.replace(".", "-")
    return slugify(stem)[:80].strip("-") or slugify(title)[:80].strip("-") or "startup"


def _split_front_matter(text: str) -> tuple[str, str]:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise PageError(
            _("The file does not start with a front matter between two “---” lines."),
            code="no_front_matter",
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    raise PageError(
        _("The file does not start with a front matter between two “---” lines."),
        code="no_front_matter",
    )


def _impossible_dates(front: str) -> list[str]:
    found = []
    for text in re.findall(r"\b\d{4}-\d{1,2}-\d{1,2}\b", front):
        year, month, day = (int(part) for part in text.split("-"))
        try:
            datetime.date(year, month, day)
        except ValueError:
            found.append(text)
    return found


def _load_yaml(front: str) -> dict:
    try:
        data = yaml.safe_load(front)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is not None:
            # The front matter starts on the file's second line.
            raise PageError(
                _("The front matter is not valid YAML (line %(line)s)."),
                {"line": mark.line + 2}, code="bad_yaml",
            ) from error
        raise PageError(_("The front matter is not valid YAML."), code="bad_yaml") from error
    except ValueError as error:  # a timestamp that is no date: 2021-02-30
        raise PageError(
            _("The front matter holds an impossible date: %(value)s."),
            {"value": ", ".join(_impossible_dates(front))}, code="bad_date",
        ) from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PageError(
            _("The front matter must be a list of “key: value” lines."), code="bad_yaml"
        )
    return data


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PageError(_("“%(key)s” must be a text."), {"key": key}, code="bad_value")
    return str(value).strip()


def _texts(data: dict, key: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or any(
        isinstance(item, bool) or not isinstance(item, str | int | float) for item in value
    ):
        raise PageError(_("“%(key)s” must be a list of texts."), {"key": key}, code="bad_value")
    return [text for text in (str(item).strip() for item in value) if text]


def _parse_date(value, key: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PageError(
            _("“%(value)s” is not a date (%(key)s): write it as YYYY-MM-DD."),
            {"value": value, "key": key}, code="bad_date",
        ) from None


def _check_field(model, field: str, value: str, key: str) -> None:
    try:
        model._meta.get_field(field).clean(value, None)
    except ValidationError as error:
        raise PageError(
            _("“%(key)s”: %(error)s"), {"key": key, "error": " ".join(error.messages)},
            code="bad_value",
        ) from None


def _entries(data: dict, key: str) -> list[dict]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise PageError(
            _("“%(key)s” must be a list of entries with a name and a date."), {"key": key},
            code="bad_value",
        )
    return value


def _phases(data: dict) -> list[PagePhase]:
    entries = _entries(data, "phases")
    if not entries:
        raise PageError(
            _("The page has no phases: beta.gouv.fr asks for one at least."),
            code="missing_phases",
        )
    phases = []
    for number, entry in enumerate(entries, start=1):
        name = str(entry.get("name") or "").strip()
        if not name or entry.get("start") is None:
            raise PageError(
                _("Phase %(number)s needs a name and a start date."), {"number": number},
                code="bad_value",
            )
        phase = LEGACY_PHASES.get(name, name)
        if phase not in Phase.values:
            raise PageError(
                _("Unknown phase “%(name)s”; the phases are: %(names)s."),
                {"name": name, "names": ", ".join(Phase.values)}, code="unknown_phase",
            )
        end = entry.get("end")
        phases.append(
            PagePhase(
                phase=str(phase),
                start=_parse_date(entry["start"], f"phases[{number}].start"),
                end=_parse_date(end, f"phases[{number}].end") if end else None,
                comment=str(entry.get("comment") or "").strip(),
            )
        )
    return sorted(phases, key=PagePhase.sort_key)


def _events(data: dict) -> list[PageEvent]:
    events = []
    for number, entry in enumerate(_entries(data, "events"), start=1):
        name = str(entry.get("name") or "").strip()
        if not name or entry.get("date") is None:
            raise PageError(
                _("Event %(number)s needs a name and a date."), {"number": number},
                code="bad_value",
            )
        if name not in EventKind.values:
            raise PageError(
                _("Unknown event “%(name)s”; the events are: %(names)s."),
                {"name": name, "names": ", ".join(EventKind.values)}, code="unknown_event",
            )
        events.append(
            PageEvent(
                kind=name,
                date=_parse_date(entry["date"], f"events[{number}].date"),
                comment=str(entry.get("comment") or "").strip(),
            )
        )
    return sorted(events, key=lambda event: event.date)


def parse_page(text: str) -> StartupPage:
    """Read a beta.gouv.fr page; PageError says what is wrong with it."""
    front, body = _split_front_matter(text)
    data = _load_yaml(front)
    name = _text(data, "title")
    if not name:
        raise PageError(_("The page has no title."), code="missing_title")
    incubator = _text(data, "incubator")
    if not incubator:
        raise PageError(_("The page has no incubator."), code="missing_incubator")
    _check_field(Incubator, "slug", incubator, "incubator")
    values: dict = {"name": name, "incubator": incubator}
    for key, field in (TEXT_KEYS | LINK_KEYS).items():
        values[field] = _text(data, key)
        _check_field(Startup, field, values[field], key)
    for key, field in LIST_KEYS.items():
        values[field] = _texts(data, key)
    return StartupPage(
        **values, phases=_phases(data), events=_events(data), **sheet_from_markdown(body)
    )


# ---------------------------------------------------------------- the body's sections

HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
ARTICLES = {"le", "la", "les", "l", "notre", "nos"}
SECTION_WORDS = {
    "contexte": "context",
    "probleme": "problem",
    "problemes": "problem",
    "problematique": "problem",
    "solution": "solution",
    "solutions": "solution",
    "objectif": "objectives",
    "objectifs": "objectives",
    "strategie": "objectives",
}
# Headings that say nothing more than their section: dropped on import.
PLAIN_HEADING = re.compile(
    r"^(?:contexte|problemes?|problematique|solutions?|strategie"
    r"|objectifs?(?: a (?:6|six) mois)?)$"
)


@dataclasses.dataclass(frozen=True)
class _Heading:
    line: int
    level: int
    text: str

    @property
    def words(self) -> list[str]:
        folded = unicodedata.normalize("NFKD", self.text.replace("’", "'")).lower()
        folded = "".join(c for c in folded if not unicodedata.combining(c))
        words = re.findall(r"[a-z0-9]+", folded)
        while words and words[0] in ARTICLES:
            words = words[1:]
        return words

    @property
    def section(self) -> str | None:
        words = self.words
        return SECTION_WORDS.get(words[0]) if words else None

    @property
    def is_plain(self) -> bool:
        return bool(PLAIN_HEADING.match(" ".join(self.words)))


def _headings(lines: list[str]) -> list[_Heading]:
    """The ATX headings of Markdown lines, code blocks excepted."""
    headings, fence = [], ""
    for index, line in enumerate(lines):
        if match := FENCE.match(line):
            marker = match.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
            continue
        if fence:
            continue
        if match := HEADING.match(line):
            text = CLOSING_HASHES.sub("", match.group(2) or "").strip()
            headings.append(_Heading(index, len(match.group(1)), text))
    return headings


def _block(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def sheet_from_markdown(body: str) -> dict[str, str]:
    """The product sheet of a page's body: context, problem, solution, objectives."""
    lines = HTML_COMMENT.sub("", body.replace("\r\n", "\n")).split("\n")
    headings = _headings(lines)
    # Sections are the headings of the level of the highest recognised one (## usually);
    # deeper headings belong to their section and are moved so that sections are ##.
    top = min((h.level for h in headings if h.section), default=2)
    shift = 2 - top
    if shift:
        for h in headings:
            lines[h.line] = "#" * min(6, max(1, h.level + shift)) + " " + h.text
    sections = [h for h in headings if h.level <= top]
    parts: dict[str, list[str]] = {field: [] for field in SHEET_SECTIONS}
    seen: set[str] = set()
    others: list[str] = []
    bounds = [h.line for h in sections] + [len(lines)]
    parts["context"].append("\n".join(lines[: bounds[0]]).strip())
    for heading, end in zip(sections, bounds[1:], strict=True):
        content = "\n".join(lines[heading.line + 1 : end]).strip()
        field = heading.section
        if field is None:
            others.append(_block(f"{'#' * max(1, heading.level + shift)} {heading.text}", content))
        elif field in seen or not heading.is_plain:
            parts[field].append(_block(f"### {heading.text}", content))
        else:
            parts[field].append(content)
        if field:
            seen.add(field)
    parts["context"].extend(others)
    return {field: _block(*texts) for field, texts in parts.items()}


def _markdown_section(field: str, text: str) -> str:
    """A sheet field as written in a page: its headings must not start another section."""
    lines = text.replace("\r\n", "\n").strip().split("\n")
    for h in _headings(lines):
        # The context keeps the page's other sections (## Service à impact national…).
        if h.level <= 2 and (field != "context" or h.section):
            lines[h.line] = f"### {h.text}"
    return "\n".join(lines)


# ---------------------------------------------------------------- comparing


def startup_phases(startup: Startup) -> list[PagePhase]:
    changes = startup.phase_changes.order_by("date", "pk")
    return sorted(
        (PagePhase(c.phase, c.date, c.end, c.reason.strip()) for c in changes),
        key=PagePhase.sort_key,
    )


def startup_events(startup: Startup) -> list[PageEvent]:
    return [
        PageEvent(e.kind, e.date, e.comment.strip())
        for e in startup.events.order_by("date", "pk")
    ]


def _label(model, field: str) -> str:
    return capfirst(model._meta.get_field(field).verbose_name)


def _same_text(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def page_changes(page: StartupPage, startup: Startup | None) -> list[FieldChange]:
    """What applying the page changes; every filled field when it creates the startup."""
    changes: list[FieldChange] = []

    def compare(field: str, label: str, old, new, same: bool) -> None:
        if not same:
            changes.append(FieldChange(field, str(label), old, new))

    def value(field: str, default):
        return getattr(startup, field) if startup is not None else default

    compare("name", _label(Startup, "name"), value("name", ""), page.name,
            _same_text(value("name", ""), page.name))
    old_incubator = startup.incubator if startup is not None else None
    new_incubator = Incubator.objects.filter(slug__iexact=page.incubator).first()
    compare(
        "incubator", _label(Startup, "incubator"),
        old_incubator.name if old_incubator else "",
        new_incubator.name if new_incubator else page.incubator,
        old_incubator is not None and old_incubator.slug.lower() == page.incubator.lower(),
    )
    for field in ["mission", *LINK_KEYS.values(), *SHEET_SECTIONS]:
        old, new = value(field, ""), getattr(page, field)
        compare(field, _label(Startup, field), old, new, _same_text(old, new))
    for field in LIST_KEYS.values():
        old, new = [str(v) for v in value(field, [])], getattr(page, field)
        compare(field, _label(Startup, field), old, new, old == new)
    old_phases = startup_phases(startup) if startup is not None else []
    compare(
        "phases", capfirst(PhaseChange._meta.verbose_name_plural),
        [str(p) for p in old_phases], [str(p) for p in page.phases], old_phases == page.phases,
    )
    old_events = startup_events(startup) if startup is not None else []
    compare(
        "events", capfirst(Event._meta.verbose_name_plural),
        [str(e) for e in old_events], [str(e) for e in page.events], old_events == page.events,
    )
    return changes


# ---------------------------------------------------------------- writing


def page_incubator(page: StartupPage) -> Incubator:
    """The page's incubator, created (named after its identifier) when it is missing."""
    incubator = Incubator.objects.filter(slug__iexact=page.incubator).first()
    if incubator is None:
        name = page.incubator[:1].upper() + page.incubator[1:]
        incubator = Incubator.objects.create(slug=page.incubator, name=name)
    return incubator


@transaction.atomic
def startup_page_apply(
    *,
    page: StartupPage,
    actor: User | None,
    startup: Startup | None = None,
    slug: str | None = None,
    actor_joins: bool = True,
) -> tuple[Startup, list[FieldChange]]:
    """Create or update a startup from its beta.gouv.fr page.

    The page replaces the fields it holds, the phase history and the events; the stored
    phase becomes the one that started last. A new startup takes ``slug`` (else one made
    from its name) and its actor, when given and ``actor_joins``, as intrapreneur. An update
    that changes nothing writes nothing.
    """
    if startup is not None:
        startup = Startup.objects.select_for_update().select_related("incubator").get(
            pk=startup.pk
        )
    changes = page_changes(page, startup)
    if startup is not None and not changes:
        return startup, []
    fields = {
        field: getattr(page, field)
        for field in [
            *TEXT_KEYS.values(), *LINK_KEYS.values(), *LIST_KEYS.values(), *SHEET_SECTIONS
        ]
    }
    incubator = page_incubator(page)
    if startup is None:
        slug = slug or unique_startup_slug(page.name)
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                _("The address “%(slug)s” is reserved: rename the file."), params={"slug": slug}
            )
        if Startup.objects.filter(slug=slug).exists():
            raise ValidationError(
                _("A startup already has the address “%(slug)s”."), params={"slug": slug}
            )
        startup = Startup.objects.create(slug=slug, incubator=incubator, **fields)
        if actor is not None and actor_joins:
            Membership.objects.create(startup=startup, user=actor, role=Role.INTRAPRENEUR)
    else:
        for field, value in fields.items():
            setattr(startup, field, value)
        startup.incubator = incubator
        startup.save()
        startup.phase_changes.all().delete()
        startup.events.all().delete()
    # The page is the phase history: this import is the one writer of PhaseChange rows
    # besides intrapreneur.services.phase_change.
    PhaseChange.objects.bulk_create(
        PhaseChange(
            startup=startup, phase=p.phase, date=p.start, end=p.end, reason=p.comment,
            author=actor,
        )
        for p in page.phases
    )
    Event.objects.bulk_create(
        Event(startup=startup, kind=e.kind, date=e.date, comment=e.comment) for e in page.events
    )
    Startup.objects.filter(pk=startup.pk).update(phase=page.phase, updated_at=timezone.now())
    startup.phase = page.phase
    activity_record(startup=startup, actor=actor, verb="startup.imported", target=startup)
    return startup, changes


# ---------------------------------------------------------------- export


class _PageDumper(yaml.SafeDumper):
    """Lists indented under their key, as the beta.gouv.fr pages are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def export_page(startup: Startup) -> str:
    """The startup as a beta.gouv.fr page: front matter then the product sheet."""
    data: dict = {"title": startup.name, "mission": startup.mission}
    data["sponsors"] = [str(s) for s in startup.sponsors]
    data["incubator"] = startup.incubator.slug
    for key, field in LINK_KEYS.items():
        data[key] = getattr(startup, field)
    data["usertypes"] = [str(s) for s in startup.usertypes]
    data["thematiques"] = [str(s) for s in startup.thematiques]
    data["events"] = [
        {"name": e.kind, "date": e.date, **({"comment": e.comment} if e.comment else {})}
        for e in startup_events(startup)
    ]
    data["phases"] = [
        {
            "name": p.phase,
            "start": p.start,
            **({"end": p.end} if p.end else {}),
            **({"comment": p.comment} if p.comment else {}),
        }
        for p in startup_phases(startup)
    ]
    # Empty optional keys are left out; the site requires title, mission, incubator, phases.
    data = {
        key: value for key, value in data.items()
        if value or key in ("title", "mission", "incubator", "phases")
    }
    front = yaml.dump(
        data, Dumper=_PageDumper, sort_keys=False, allow_unicode=True,
        default_flow_style=False, width=1_000_000,
    )
    body = "\n\n".join(
        f"## {heading}\n\n{_markdown_section(field, getattr(startup, field))}"
        for field, heading in SHEET_SECTIONS.items()
        if getattr(startup, field).strip()
    )
    return f"---\n{front}---\n" + (f"\n{body}\n" if body else "")
