"""Markup and formula injection: a harness that grows with the site.

Nothing here names a field. The pages come from the authorisation matrix's ``URLS`` (every
page the intrapreneur may GET), their forms are read from the HTML, every text field is
filled with each payload of ``PAYLOADS``, and then every page the intrapreneur can reach is
read back and checked: no script, event handler, ``javascript:`` URL or frame came out of
the payloads (HTML pages), no cell of a CSV export starts like a formula. A page, a form or
a field added later is exercised without touching this file.

- ``test_post_forms``: the POST forms of each page, payload by payload: the page the form
  lands on is read after each write; once all the payloads are in, the pages they led to
  and the pages one link away, and every page without an object of its own (lists,
  exports, overview, home…). A value a later payload overwrites (a name) is read back by
  its landing page only: ``test_stored_text`` reads every page with each payload in every
  column.
- ``test_get_forms_and_fragments``: filters and htmx fragments that echo what was typed;
- ``test_stored_text``: every free-text column of the project's models holds a payload, as
  if written by the admin, an import or an older version — then every page is read;
- ``test_emails``: the HTML of the e-mails the forms send, with the payloads in the names.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.html import escape

from intrapreneur.enums import LegalPageKind
from intrapreneur.models import LegalPage, OutboxMessage
from tests.intrapreneur.factories import UserFactory
from tests.security.test_authorization_matrix import (
    KWARGS,
    URLS,
    _attachment,
    _event,
    _none,
    _slug,
    _tag,
    is_allowed,
    url_for,
)

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "[clic](javascript:alert(1))",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example">',
    '=HYPERLINK("https://evil.example","clic")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
]

# Forms the harness does not submit: they act instead of storing what is typed.
SKIPPED_FORMS = {
    "account_logout": "signs the intrapreneur out: the rest of the test would run anonymous",
    "startup-archive": "a confirmation: archives, stores no text",
    "event-delete": "a confirmation: deletes",
    "member-remove": "a confirmation: removes a member",
    "team-leave": "a confirmation: the intrapreneur would leave",
    "tag-delete": "a confirmation: deletes",
    "attachment-delete": "a confirmation: deletes",
    "invitation-revoke": "a confirmation: revokes",
    "account-delete": "deletes the account (refused for the last intrapreneur, but no text)",
}

# The pages of the matrix the intrapreneur may GET (200): where the forms are found, and
# where what they stored is read back.
PAGES = [
    name
    for name, (_action, on_get, _on_post) in URLS.items()
    if is_allowed(name, "intrapreneur") and on_get == 200
]
# Pages that answer a file or JSON, not HTML: read as sinks (CSV, Markdown), never as forms.
NOT_HTML = {
    name for name in PAGES
    if name.endswith(("export", "-csv", "-json", "-feed", "-pdf", "-ics"))
    or name in {"attachment-download", "healthz"}
}
FORM_PAGES = [name for name in PAGES if name not in NOT_HTML]

TEXT_TYPES = {"text", "search", "tel", "password", ""}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                  "background", "srcdoc", "ping"}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "base", "applet"}
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
CONTROL_AND_SPACE = re.compile(r"[\x00-\x20]+")
_emails = itertools.count()

# ---------------------------------------------------------------- what a page may contain


def content_type(response) -> str:
    return response.get("Content-Type", "").split(";")[0].strip()


def is_html(response) -> bool:
    return content_type(response) == "text/html"


def soup_of(response) -> BeautifulSoup:
    """The parsed page, parsed once per response."""
    if not hasattr(response, "_soup"):
        # lxml: five times as fast as html.parser on the harness's thousands of pages.
        response._soup = BeautifulSoup(response.content.decode(), "lxml")
    return response._soup


def html_problems(soup: BeautifulSoup) -> list[str]:
    """What would run in a browser: scripts, handlers, script URLs, frames, inline styles."""
    problems = []
    for script in soup.find_all("script"):
        src = (script.get("src") or "").strip()
        if script.get("type", "").lower() in DATA_SCRIPT_TYPES and not src:
            continue  # a data block (json_script): never executed
        if not src.startswith(settings.STATIC_URL):
            problems.append(f"script not from {settings.STATIC_URL}: {str(script)[:100]}")
    for element in soup.find_all(True):
        if element.name in FORBIDDEN_ELEMENTS:
            problems.append(f"<{element.name}>: {str(element)[:100]}")
        if element.name == "style" or element.has_attr("style"):
            problems.append(f"inline style on <{element.name}>")  # the CSP allows none
        for attribute, value in element.attrs.items():
            name = attribute.lower()
            if name.startswith(("on", "hx-on", "data-hx-on")):
                problems.append(f"event handler {name} on <{element.name}>")
            values = value if isinstance(value, list) else [value]
            for one in values:
                url = CONTROL_AND_SPACE.sub("", one).lower()
                if name in URL_ATTRIBUTES and url.startswith(DANGEROUS_SCHEMES):
                    problems.append(f"{name}={one!r} on <{element.name}>")
        if element.name == "meta" and element.get("http-equiv", "").lower() == "refresh":
            target = CONTROL_AND_SPACE.sub("", element.get("content", "")).lower()
            if any(scheme in target for scheme in DANGEROUS_SCHEMES):
                problems.append(f"meta refresh to {target}")
    return problems


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


# A plain number, negative or not, is what a spreadsheet reads as a number: not a formula.
NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


def csv_problems(response) -> list[str]:
    return [
        f"formula cell {cell!r}"
        for row in csv_rows(response)
        for cell in row
        if cell.startswith(FORMULA_PREFIXES) and not NUMBER.fullmatch(cell)
    ]


def zip_tables(response) -> list[list[list[str]]]:
    """The CSV files of a ZIP answer (the startup's archive), each as its rows."""
    if not hasattr(response, "_zip"):
        content = (
            b"".join(response.streaming_content) if response.streaming else response.content
        )
        response._zip = zipfile.ZipFile(io.BytesIO(content))
    return [
        list(csv.reader(io.StringIO(response._zip.read(name).decode("utf-8-sig")), delimiter=";"))
        for name in response._zip.namelist()
        if name.endswith(".csv")
    ]


def zip_problems(response) -> list[str]:
    return [
        f"formula cell {cell!r} in the archive"
        for rows in zip_tables(response)
        for row in rows
        for cell in row
        if cell.startswith(FORMULA_PREFIXES) and not NUMBER.fullmatch(cell)
    ]


def feed_problems(response) -> list[str]:
    """An Atom feed: the HTML of its entries is what a feed reader renders."""
    root = ElementTree.fromstring(response.content)
    return [
        problem
        for element in root.iter()
        if element.tag.endswith(("}content", "}summary", "}title")) and element.text
        and element.get("type") == "html"
        for problem in html_problems(BeautifulSoup(element.text, "html.parser"))
    ]


def assert_inert(response, where: str) -> None:
    kind = content_type(response)
    if kind == "text/html":
        problems = html_problems(soup_of(response))
    elif kind == "application/atom+xml":
        problems = feed_problems(response)
    elif kind == "text/csv":
        problems = csv_problems(response)
    elif kind == "application/json":
        problems = []
    elif kind == "application/zip":
        problems = zip_problems(response)
    else:
        # Anything else is a stored file: downloaded, never rendered nor sniffed.
        problems = []
        if not response.get("Content-Disposition", "").startswith("attachment"):
            problems.append(f"{kind} served inline")
        if response.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{kind} served without nosniff")
    if response.streaming and not hasattr(response, "_zip"):
        # Read to the end: the test client then closes the file, as a WSGI server would
        # (response.close() here would also close the test's database connection).
        b"".join(response.streaming_content)
    assert problems == [], f"{where}: {problems}"


def shows(response, payload: str) -> bool:
    """Whether the payload reached the page intact: as text, as an attribute, as a cell."""
    kind = content_type(response)
    if kind == "text/csv":
        if not hasattr(response, "_cells"):
            response._cells = [cell for row in csv_rows(response) for cell in row]
        return any(cell.endswith(payload) for cell in response._cells)
    if kind != "text/html":
        return False
    if not hasattr(response, "_texts"):
        soup = soup_of(response)
        response._texts = [soup.get_text()] + [
            " ".join(value) if isinstance(value, list) else value
            for element in soup.find_all(True)
            for value in element.attrs.values()
        ]
    return any(payload in text for text in response._texts)


def intrapreneur_client(world) -> Client:
    """Django's client, signed in as the intrapreneur.

    Not the suite's GuardedClient: its regular expressions read an escaped payload inside an
    attribute value (``value="&quot;&gt;&lt;img src=x onerror=…"``) as an event handler.
    ``html_problems`` parses the page instead, and checks what the guard checks.
    """
    client = Client()
    client.force_login(world.people["intrapreneur"])
    return client


# ---------------------------------------------------------------- reading and filling forms


def target_of(form, page: str) -> str:
    return urljoin(page, form.get("action") or page)


def url_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def post_forms(response, page: str) -> list:
    return [
        form
        for form in soup_of(response).find_all("form")
        if form.get("method", "get").lower() == "post"
        and url_name(target_of(form, page)) not in SKIPPED_FORMS
    ]


def get_forms(response, page: str) -> list:
    """The page's GET forms that submit to the page itself (its filters). A form submitting
    to another page of the matrix (the side menu's search, on every page of a startup) is
    exercised there: ``test_every_get_form_is_on_the_page_it_submits_to`` holds it."""
    elsewhere = set(FORM_PAGES) - {url_name(page)}
    return [
        form
        for form in soup_of(response).find_all("form")
        if form.get("method", "get").lower() == "get"
        and url_name(target_of(form, page)) not in elsewhere
    ]


def account_email() -> str:
    """An e-mail field wants a valid address; some want an account's (a member to add)."""
    return UserFactory(email=f"personne-{next(_emails)}@example.org").email


def valid_value(kind: str, payload: str):
    """A valid value for the inputs a payload cannot fill."""
    match kind:
        case "email":
            return account_email()
        case "url":
            # A URL field must refuse a script URL; any other payload rides in the query.
            if payload.startswith("javascript:"):
                return payload
            return "https://example.org/?q=<script>alert(1)</script>"
        case "date":
            return timezone.localdate().isoformat()
        case "number" | "range":
            return "50"
        case "datetime-local":
            return timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        case "time":
            return "12:00"
        case "color":
            return "#000091"
    return None


def typed(data: dict, payload: str) -> bool:
    """Whether the payload went into one of the fields (a button-only form has none)."""
    return any(
        value == payload or (isinstance(value, SimpleUploadedFile) and value.size)
        for value in data.values()
    )


def fill(form, payload: str) -> dict:
    """The form's fields: text gets the payload, the rest a valid value."""
    data: dict = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.has_attr("disabled") or field.has_attr("data-honeypot"):
            continue  # a honeypot stays empty, as people leave it
        if field.name == "textarea":
            data[name] = payload
        elif field.name == "select":
            values = [o.get("value", o.get_text()) for o in field.find_all("option")]
            values = [v for v in values if v]
            if values:
                data[name] = values[0]
        else:
            kind = field.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image", "checkbox"):
                continue  # checkboxes stay unchecked
            if kind == "radio":
                data.setdefault(name, field.get("value", "on"))
            elif kind == "hidden":
                data[name] = field.get("value", "")
            elif kind == "file":
                data[name] = SimpleUploadedFile(
                    "note.txt", payload.encode(), content_type="text/plain"
                )
            elif kind in TEXT_TYPES:
                data[name] = payload
            else:
                value = valid_value(kind, payload)
                assert value is not None, f"no value for <input type={kind}>: extend valid_value"
                data[name] = value
    return data


# ---------------------------------------------------------------- reading every page


def emails_html() -> list[str]:
    """The HTML of every e-mail: in the outbox table, and any sent directly (allauth)."""
    outbox = OutboxMessage.objects.exclude(body_html="").order_by("pk")
    bodies = list(outbox.values_list("body_html", flat=True))
    for message in mail.outbox:
        alternatives = getattr(message, "alternatives", [])
        bodies += [body for body, kind in alternatives if kind == "text/html"]
    return bodies


def email_problems() -> list[str]:
    problems = []
    for html in emails_html():
        problems += html_problems(BeautifulSoup(html, "html.parser"))
    return problems


def crawl(
    client: Client, starts: list[str], *, hops: int | None = None, per_route: int | None = None
) -> list[tuple[str, object]]:
    """Every page of the matrix the intrapreneur can reach by links from ``starts`` (in at
    most ``hops`` links when given; at most ``per_route`` pages of one URL name found by
    links, when given)."""
    readable = set(PAGES)
    queue, pages = deque((start, 0) for start in dict.fromkeys(starts)), []
    queued, found = set(starts), Counter()
    while queue:
        path, depth = queue.popleft()
        # A one-time page (a committee's decision, once taken) sends to its object's page.
        response = client.get(path, follow=True)
        assert response.status_code == 200, f"GET {path}: {response.status_code}"
        pages.append((path, response))
        if not is_html(response) or depth == hops:
            continue
        for link in soup_of(response).find_all("a", href=True):
            target = urlsplit(urljoin(path, link["href"]))
            route = None if target.netloc or target.path in queued else url_name(target.path)
            if route in readable and (per_route is None or found[route] < per_route):
                found[route] += 1
                queued.add(target.path)
                queue.append((target.path, depth + 1))
        assert len(queued) < 1000, "the crawl does not end"
    return pages


def sink_paths(world) -> list[str]:
    """The pages of the matrix the intrapreneur may GET, in the test's world."""
    return [url_for(name, world) for name in PAGES]


def listing_paths(world) -> list[str]:
    """The pages that need no object of their own: where whatever is stored shows.

    Read once a page's forms are written; the pages of one object (a tag's, a file's…) are
    read when a write led to them or links to them.
    """
    return [url_for(name, world) for name in PAGES if KWARGS[name] in (_slug, _none)]


def read(client: Client, paths: list[str]) -> list[tuple[str, object]]:
    pages = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, f"GET {path}: {response.status_code}"
        pages.append((path, response))
    return pages


# ---------------------------------------------------------------- the tests


def discovered_forms(world) -> dict[str, set[str]]:
    client = intrapreneur_client(world)
    found: dict[str, set[str]] = {}
    for name in PAGES:
        page = url_for(name, world)
        response = client.get(page)
        if is_html(response):
            found[name] = {url_name(target_of(f, page)) for f in post_forms(response, page)}
    return found


# Forms that store what is typed in one step: the harness must find them, and each must
# accept at least one payload (a form whose first step is a preview is only checked inert).
STORING_FORMS = {
    "startup-create", "startup-edit", "startup-phase", "event-create", "member-add",
    "member-edit", "tag-create", "tag-edit", "attachment-create", "account-profile",
}


def test_discovery_finds_the_forms(world):
    """Guards the harness: if discovery broke, every form test would pass with no form."""
    actions = set().union(*discovered_forms(world).values())
    assert STORING_FORMS <= actions


def test_every_get_form_is_on_the_page_it_submits_to(world):
    """Guards ``get_forms``: a GET form left out of a page is exercised on its target."""
    client = intrapreneur_client(world)
    exercised, elsewhere = set(), set()
    for name in FORM_PAGES:
        page = url_for(name, world)
        response = client.get(page)
        kept = get_forms(response, page)
        for form in soup_of(response).find_all("form", method=re.compile("^get$", re.I)):
            target = url_name(target_of(form, page))
            (exercised if form in kept else elsewhere).add(target)
    assert "startup-search" in elsewhere
    assert elsewhere <= exercised


@pytest.mark.parametrize("name", FORM_PAGES)
def test_post_forms(world, name):
    client = intrapreneur_client(world)
    page = url_for(name, world)
    response = client.get(page)
    assert_inert(response, page)
    assert is_html(response), f"{name} answers {content_type(response)}: add it to NOT_HTML"

    visited = [page]  # and the page each accepted payload led to
    written: dict[str, tuple[list[str], set[str]]] = {}  # form's target -> stored, shown
    for index, form in enumerate(post_forms(response, page)):
        target = target_of(form, page)
        if not typed(fill(form, PAYLOADS[0]), PAYLOADS[0]):
            continue  # a button (resend, accept…): nothing typed, nothing to inject
        stored, shown = written.setdefault(target, ([], set()))
        for payload in PAYLOADS:
            # Read the form again: its choices may follow the last write (the phase).
            forms = post_forms(client.get(page), page)
            if index >= len(forms):
                break  # a one-time form (a committee decision) is gone once used
            form = forms[index]
            cache.clear()  # rate limits (the public form) are not what this test is about
            result = client.post(target, fill(form, payload), follow=True)
            where = f"POST {target} with {payload!r}"
            assert result.status_code == 200, f"{where}: {result.status_code}"
            assert_inert(result, where)
            if not result.redirect_chain:
                continue  # refused with its errors (an HTML upload…), shown inert above
            stored.append(payload)
            visited.append(result.redirect_chain[-1][0])
            if shows(result, payload):
                shown.add(payload)  # a value the next payload overwrites (a name) shows here
        if url_name(target) in STORING_FORMS:
            assert stored, f"no payload was accepted by the form posting to {target}"

    assert email_problems() == []
    if visited == [page]:
        return  # nothing was written: the pages are those test_stored_text reads
    # Once every form is in: the pages the writes led to and the pages one link away (two
    # per route), then every page without an object of its own (lists, exports, home…).
    # The payload in every column, on every page reachable from home, is test_stored_text's.
    pages = crawl(client, visited, hops=1, per_route=2)
    seen = {path for path, _sink in pages}
    pages += read(client, [path for path in listing_paths(world) if path not in seen])
    for path, sink in pages:
        assert_inert(sink, f"GET {path} after the forms of {name}")
    for target, (stored, shown) in written.items():
        shown |= {payload for payload in stored if any(shows(s, payload) for _p, s in pages)}
        missing = [payload for payload in stored if payload not in shown]
        assert missing == [], f"stored by {target}, shown nowhere: {missing}"


@pytest.mark.parametrize("name", FORM_PAGES)
def test_get_forms_and_fragments(world, name):
    """Filters echo what was typed, and so do the htmx fragments (whole page or part)."""
    client = intrapreneur_client(world)
    page = url_for(name, world)
    response = client.get(page)
    assert_inert(response, page)
    assert is_html(response), f"{name} answers {content_type(response)}: add it to NOT_HTML"
    forms = get_forms(response, page)
    live_inputs = soup_of(response).select("input[hx-get][name], textarea[hx-get][name]")

    for payload in PAYLOADS:
        for form in forms:
            target = target_of(form, page)
            query = {k: v for k, v in fill(form, payload).items() if isinstance(v, str)}
            for headers in ({}, {"HX-Request": "true"}):
                result = client.get(target, query, headers=headers)
                where = f"GET {target} with {payload!r} {headers}"
                assert result.status_code == 200, where
                assert_inert(result, where)
                if not headers and payload in query.values():
                    assert shows(result, payload), f"{where}: the search box lost it"
        for live in live_inputs:
            target = urljoin(page, live["hx-get"])
            result = client.get(target, {live["name"]: payload}, headers={"HX-Request": "true"})
            assert result.status_code == 200
            assert_inert(result, f"GET {target} for {live['name']}={payload!r}")


# Columns that hold machine values, never text a person typed.
MACHINE_COLUMNS = {"password", "content_type", "required_action", "verb", "monthly_key"}
# Models whose text the app writes itself: the outbox holds e-mails as rendered (a sink,
# checked by ``test_emails``, not a source).
MACHINE_MODELS = {"OutboxMessage"}


def project_models() -> list[type[models.Model]]:
    """The models of the project's own apps (not of the libraries)."""
    base = str(settings.BASE_DIR)
    return [
        model
        for config in apps.get_app_configs()
        if config.path.startswith(base) and ".venv" not in config.path
        for model in config.get_models()
    ]


def is_text_list(field) -> bool:
    return isinstance(field, models.JSONField) and field.default is list


def free_text_columns() -> dict[type[models.Model], list[str]]:
    """Per model, the columns a person types: texts, and JSON lists of texts."""
    columns = {}
    for model in project_models():
        if model.__name__ in MACHINE_MODELS:
            continue
        names = [
            field.name
            for field in model._meta.concrete_fields
            if (
                type(field) in (models.CharField, models.TextField)
                and not field.choices
                and field.name not in MACHINE_COLUMNS
                and not field.unique
            )
            or is_text_list(field)
        ]
        if names:
            columns[model] = names
    return columns


def store_everywhere(payload: str) -> None:
    """The payload in every free-text column of every row (a suffix where names are unique)."""
    for model, fields in free_text_columns().items():
        for number, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True)):
            value = payload if number == 0 else f"{payload} {number}"
            model.objects.filter(pk=pk).update(
                **{name: column_value(model._meta.get_field(name), value) for name in fields}
            )


def column_value(field, value: str):
    """The value as the column holds it: a list for JSON lists, cut to a short column's size."""
    if is_text_list(field):
        return [value]
    return value[: field.max_length] if field.max_length else value


def test_the_stored_text_covers_the_core():
    columns = free_text_columns()
    names = {f"{model.__name__}.{name}" for model, fields in columns.items() for name in fields}
    assert {
        "User.first_name", "Startup.name", "Startup.problem", "Startup.sponsors",
        "Event.comment", "Membership.job_title", "Tag.name", "Attachment.name",
        "PhaseChange.reason", "Activity.target_label", "Incubator.name",
    } <= names


def _legal_pages(world) -> None:
    """The legal pages' text, as staff write it in the admin."""
    for kind in LegalPageKind.values:
        LegalPage.objects.create(kind=kind, body="Texte")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_stored_text(world, payload):
    """Every free-text column holds the payload: every page stays inert and shows it."""
    for build in (_event, _tag, _attachment, _legal_pages):
        build(world)  # one row of each kind, written with the payload below
    store_everywhere(payload)
    client = intrapreneur_client(world)

    # Every page of the matrix, and pages reached from them by links, read once: two more
    # of each route at most (every row holds the payload, a route's pages share a template).
    sinks = sink_paths(world)
    pages = crawl(client, [*sinks, reverse("home")], per_route=2)
    # The crawl follows redirects (a one-time page); no page of the matrix redirects here.
    assert [path for path, r in pages if path in sinks and r.redirect_chain] == []

    for path, response in pages:
        assert_inert(response, f"GET {path}")
    assert any(shows(r, payload) for _p, r in pages if is_html(r)), "shown in no page"
    assert any(shows(r, payload) for _p, r in pages if content_type(r) == "text/csv")
    # The startup's archive (a POST form that answers a ZIP): its CSV files stay inert too.
    archive = client.post(reverse("startup-download", kwargs={"slug": world.startup.slug}))
    assert_inert(archive, "POST startup-download")
    assert any(
        cell.endswith(payload) for rows in zip_tables(archive) for row in rows for cell in row
    )
    if "<" in payload:
        assert any(escape(payload) in r.content.decode() for _p, r in pages if is_html(r))


def test_emails(world):
    """E-mails carry the startup's and people's names: their HTML stays inert too."""
    client = intrapreneur_client(world)
    sending = []  # (URL name, index) of every POST form that sends an e-mail
    for name in PAGES:
        page = url_for(name, world)
        response = client.get(page)
        if not is_html(response):
            continue
        for index, form in enumerate(post_forms(response, page)):
            before = len(emails_html())
            client.post(target_of(form, page), fill(form, "Texte ordinaire"))
            if len(emails_html()) > before:
                sending.append((name, index))
    assert sending, "no form sends an e-mail"

    for payload in PAYLOADS:
        store_everywhere(payload)
        before = len(emails_html())
        for name, index in sending:
            # A fresh object each time: some e-mails go once per object (a report is sent
            # once, then its form is gone).
            page = url_for(name, world)
            store_everywhere(payload)
            form = post_forms(client.get(page), page)[index]
            client.post(target_of(form, page), fill(form, "Texte ordinaire"))
        sent = emails_html()[before:]
        assert len(sent) == len(sending), f"not sent again with {payload!r}"
        assert email_problems() == [], payload
        texts = [BeautifulSoup(html, "html.parser").get_text() for html in sent]
        assert all(payload in text for text in texts), f"{payload!r} is not in the e-mails"
        # The plain-text parts are not HTML: the names read as typed, not as entities.
        for message in OutboxMessage.objects.order_by("-pk")[: len(sending)]:
            assert payload in message.subject, f"subject {message.subject!r}"
            assert payload in message.body_text, f"text body of {message.subject!r}"


def test_pages_read_are_the_matrix_pages():
    """The sinks follow the matrix: a new readable page is read after every write."""
    assert "team-export" in PAGES and "home" in PAGES
    assert set(PAGES) <= set(KWARGS)


# ---------------------------------------------------------------- the detectors themselves


@pytest.mark.parametrize(
    "html",
    [
        "<p><script>alert(1)</script></p>",
        '<script src="https://evil.example/x.js"></script>',
        '<p title=""><img src=x onerror=alert(1)></p>',
        "<svg onload=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVa&#x09;Script:alert(1)">x</a>',
        '<form action="javascript:alert(1)"></form>',
        '<iframe src="https://evil.example"></iframe>',
        '<button hx-on:click="alert(1)">x</button>',
        '<p style="background:red">x</p>',
    ],
)
def test_the_html_detector_catches(html):
    assert html_problems(BeautifulSoup(html, "html.parser")) != []


def test_the_html_detector_passes_escaped_payloads():
    html = (
        '<input value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">'
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>"
        '<a href="/startups/x/">x</a><script src="/static/js/app.js" defer></script>'
    )
    assert html_problems(BeautifulSoup(html, "html.parser")) == []


def test_the_csv_detector_catches_formulas():
    class Export:
        # A plain number (-2, -250.00) is a number, not a formula; -2+… is a formula.
        content = (
            "\ufeffNom;Rôle;Montant\r\n\"=HYPERLINK(\"\"x\"\")\";@SUM(1);-250.00\r\n"
            "'=1;-2+cmd|' /C calc'!A0;-2\r\n"
        ).encode()

    assert csv_problems(Export()) == [
        "formula cell '=HYPERLINK(\"x\")'", "formula cell '@SUM(1)'",
        "formula cell \"-2+cmd|' /C calc'!A0\"",
    ]
