"""Browser tests: headless Chromium (Debian's) driven by Playwright's sync API.

- one browser for the session, one context (cookies, storage) per test;
- the ``page`` fixture fails a test whose page logged a console error or a page error, or
  whose static files failed to load (hygiene), unless the test said it expects an error
  status (``page_problems.expect_status(404)``);
- ``sign_in`` goes through the real password form; ``sign_in_fast`` gives the context the
  session cookie of a ``force_login`` (for the accessibility sweep);
- ``axe_check`` runs axe-core on the current page: serious and critical violations fail the
  test, moderate and minor ones are collected and listed at the end of the run (and written
  as JSON to ``$AXE_REPORT`` when set).

The live server runs in a thread of the test process and reads the test database: data must
be committed, hence ``transactional_db``. Playwright's sync API runs an event loop in the
main thread, which makes the ORM refuse to run there without DJANGO_ALLOW_ASYNC_UNSAFE: the
browser fixture sets it while the browser runs, and takes it away with the browser at the end
of this package — ``manage.py check --deploy`` (tests/test_settings.py, in a subprocess that
inherits the environment) warns about it, and the rest of the suite keeps Django's async
safety net.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from intrapreneur.models import Startup, User
from tests.conftest import EVENT_HANDLER, INLINE_SCRIPT, INLINE_STYLE
from tests.intrapreneur.factories import PASSWORD

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Every test of this folder is a browser test: ``-m "not e2e"`` leaves them all out."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


# ---------------------------------------------------------------- browser


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        pytest.skip("no Chromium: install it or set CHROMIUM_PATH")
    return path


@pytest.fixture(scope="package")
def browser() -> Browser:
    """One Chromium for all the browser tests (this package: they run one after the other)."""
    path = chromium_path()
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=path, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


# ---------------------------------------------------------------- page and its hygiene

STATIC_RESOURCES = {"stylesheet", "script", "image", "font", "media"}
FAILED_RESOURCE = re.compile(
    r"Failed to load resource: the server responded with a status of (\d+)"
)


@dataclass
class PageProblems:
    """What went wrong in the browser during a test; the ``page`` fixture asserts it is empty."""

    problems: list[str] = field(default_factory=list)
    expected_statuses: set[int] = field(default_factory=set)
    # The test's own database connection, set by the ``page`` fixture once the browser runs.
    test_connection: object = None

    def expect_status(self, *statuses: int) -> None:
        """The test loads a page answering these error statuses on purpose (403, 404…)."""
        self.expected_statuses.update(statuses)

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        failed = FAILED_RESOURCE.search(message.text)
        if failed and int(failed.group(1)) in self.expected_statuses:
            return
        where = (message.location or {}).get("url", "")
        self.problems.append(f"console error: {message.text} ({where})")

    def on_page_error(self, error) -> None:
        self.problems.append(f"page error: {error}")

    def on_request_failed(self, request) -> None:
        failure = request.failure or ""
        # Leaving a page aborts what it was still loading (fonts, icons), and htmx aborts a
        # request superseded by the next one: not a fault. A missing file answers 404 (below),
        # a blocked one fails with ERR_BLOCKED_BY_CSP.
        if "ERR_ABORTED" in failure:
            return
        self.problems.append(f"request failed: {request.method} {request.url} ({failure})")

    def on_response(self, response) -> None:
        try:
            self.check_response(response)
        finally:
            self.close_callback_connection()

    def close_callback_connection(self) -> None:
        """While Playwright's asyncio loop runs, Django keeps a connection per context, and
        Playwright calls ``on_response`` in a greenlet — a context — of its own: what the
        checks read there (the startup's name) opened a connection of its own. Left open, the
        last one still holds the test database when the run drops it."""
        own = connections[DEFAULT_DB_ALIAS]
        if self.test_connection is not None and own is not self.test_connection:
            own.close()

    def check_response(self, response) -> None:
        request = response.request
        status = response.status
        if "text/html" in response.headers.get("content-type", "") and status < 500:
            self.check_html(response)
        if status >= 500:
            self.problems.append(f"server error: {status} {request.method} {response.url}")
        elif status >= 400 and (
            request.resource_type in STATIC_RESOURCES or "/static/" in response.url
        ):
            self.problems.append(f"static file: {status} {response.url}")
        elif status >= 400 and status not in self.expected_statuses:
            self.problems.append(f"unexpected {status}: {request.method} {response.url}")


    def check_html(self, response) -> None:
        """A page or an htmx fragment: no inline code (CSP); a page: its title and language."""
        path = re.sub(r"^https?://[^/]+", "", response.url)
        if path.startswith("/admin/"):
            return  # Django's admin is not ours
        try:
            text = response.text()
        except PlaywrightError:
            return  # the page was left before its body was read
        for pattern, what in (
            (INLINE_SCRIPT, "inline script"),
            (EVENT_HANDLER, "inline event handler"),
            (INLINE_STYLE, "inline style"),
        ):
            match = pattern.search(text)
            if match:
                self.problems.append(f"{what} in {path}: {match.group(0)[:120]}")
        if response.request.resource_type != "document" or not text.lstrip().startswith("<"):
            return
        self.problems += document_problems(path, text, error=response.status >= 400)


def document_problems(path: str, text: str, *, error: bool = False) -> list[str]:
    """RGAA 8.3, 8.5, 8.6: ``lang="fr"``; a title naming the page, and the startup's pages
    their startup: "Retours — Aides simplifiées — Intrapreneur"."""
    problems = []
    if not re.search(r"<html[^>]*\slang=\"fr\"", text[:500]):
        problems.append(f"no lang=\"fr\" on <html> of {path}")
    found = re.search(r"<title>(.*?)</title>", text, re.S)
    title = html.unescape(found.group(1)).strip() if found else ""
    parts = [part.strip() for part in title.split("—")]
    if len(parts) < 2 or not parts[0] or parts[-1] != settings.SITE_NAME:
        problems.append(f"title “{title}” of {path} does not name the page")
    slug = re.match(r"/(?:startups|public)/([^/]+)/", path)
    if slug and not error and slug.group(1) not in ("new", "import"):
        name = startup_name(slug.group(1))
        if name and name not in parts[1:-1]:
            problems.append(f"title “{title}” of {path} does not name the startup “{name}”")
    return problems


def startup_name(slug: str) -> str:
    return Startup.objects.filter(slug=slug).values_list("name", flat=True).first() or ""


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


_live_server_url: list[str] = [""]


def _watched_page(browser, live_server, page_problems, **options):
    """A page in a fresh context, its hygiene watched; closed and checked by the fixture.

    Static files come from the live server and stay in the context's HTTP cache: serving
    them through ``context.route`` would turn that cache off (Playwright does), and the
    sweep's pages took twice as long to load that way.
    """
    _live_server_url[0] = live_server.url
    page_problems.test_connection = connections[DEFAULT_DB_ALIAS]
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", page_problems.on_console)
    page.on("pageerror", page_problems.on_page_error)
    page.on("requestfailed", page_problems.on_request_failed)
    page.on("response", page_problems.on_response)
    yield page
    context.close()
    assert page_problems.problems == [], "browser hygiene:\n" + "\n".join(page_problems.problems)


@pytest.fixture
def page(browser, live_server, transactional_db, page_problems) -> Page:
    yield from _watched_page(browser, live_server, page_problems)


@pytest.fixture
def page_without_js(browser, live_server, transactional_db, page_problems) -> Page:
    """The same, JavaScript disabled: plain forms and links only."""
    yield from _watched_page(browser, live_server, page_problems, java_script_enabled=False)


# ---------------------------------------------------------------- signing in


def sign_in(page: Page, user: User, password: str = PASSWORD) -> None:
    """Sign in through the real password form, and land on the home page."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(password)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sign_in_fast(page: Page, user: User) -> None:
    """Give the browser the session of a ``force_login`` (no form: for the sweep)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": _live_server_url[0]}]
    )


# ---------------------------------------------------------------- axe

BLOCKING_IMPACTS = {"serious", "critical"}
AXE = Axe()  # reads axe-core's script once
# The page as axe sees it, without what changes on every response (CSRF token, nonce): two
# roles with the same markup get the same verdict, axe runs once (``axe_violations_once``).
# The bell's count is swapped in by htmx after the load, whenever it arrives: not part of the
# page's own markup.
MARKUP = """() => {
  const root = document.documentElement.cloneNode(true);
  // What htmx loads after the page (the bells' counts, desktop and mobile) comes and goes.
  for (const late of root.querySelectorAll('[hx-trigger*="load"]')) {
    late.replaceChildren();
    late.removeAttribute("class");
  }
  return root.outerHTML.replace(
    /(name="csrfmiddlewaretoken" value="|X-CSRFToken&quot;: ?&quot;|nonce=")[^"&]*/g, "$1"
  );
}"""
# url-less description -> list of findings, for the end-of-run summary.
AXE_FINDINGS: list[dict] = []


def _describe(violation: dict) -> list[str]:
    lines = []
    for node in violation["nodes"][:10]:
        target = " ".join(json.dumps(t) if not isinstance(t, str) else t for t in node["target"])
        summary = (node.get("failureSummary") or "").replace("\n", " ")
        lines.append(f"      {target}: {node.get('html', '')[:160]} — {summary[:240]}")
    if len(violation["nodes"]) > 10:
        lines.append(f"      … and {len(violation['nodes']) - 10} more")
    return lines


# axe 4.9+ no longer reports duplicate ids (WCAG 2.2 dropped 4.1.1), but RGAA 8.2 still
# asks for them, and a duplicated form control id leaves the second control without a
# label (label[for] and aria-describedby point to the first). Duplicates of a form control's
# id or of a referenced id are serious; others are minor.
DUPLICATE_IDS = """() => {
  const counts = {};
  for (const el of document.querySelectorAll("[id]")) counts[el.id] = (counts[el.id] || 0) + 1;
  return Object.keys(counts).filter((id) => counts[id] > 1).map((id) => {
    const q = CSS.escape(id);
    const elements = [...document.querySelectorAll("#" + q)];
    const control = elements.some((el) => el.matches("input, select, textarea, button"));
    const referenced = !!document.querySelector(
      `label[for="${id}"], [aria-describedby~="${id}"], [aria-labelledby~="${id}"], ` +
      `[aria-controls~="${id}"]`
    );
    return {
      id, serious: control || referenced,
      nodes: elements.map((el) => ({ target: ["#" + q], html: el.outerHTML.slice(0, 160) })),
    };
  });
}"""


def _duplicate_ids(page: Page) -> list[dict]:
    return [
        {
            "id": "duplicate-id",
            "impact": "serious" if found["serious"] else "minor",
            "help": f"id “{found['id']}” is used {len(found['nodes'])} times (RGAA 8.2)",
            "helpUrl": "https://accessibilite.numerique.gouv.fr/methode/criteres-et-tests/#8.2",
            "nodes": [{**node, "failureSummary": ""} for node in found["nodes"]],
        }
        for found in page.evaluate(DUPLICATE_IDS)
    ]


def axe_violations(page: Page, label: str = "") -> list[str]:
    """Run axe-core on the current page; describe its serious and critical violations.

    Moderate and minor violations are collected for the end-of-run summary.
    """
    results = AXE.run(page).response
    url = page.url
    lines: list[str] = []
    for violation in results["violations"] + _duplicate_ids(page):
        if violation["impact"] in BLOCKING_IMPACTS:
            lines.append(
                f"  {violation['id']} ({violation['impact']}): {violation['help']} "
                f"[{violation['helpUrl']}]"
            )
            lines += _describe(violation)
            continue
        AXE_FINDINGS.append(
            {
                "url": url,
                "label": label,
                "rule": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"]],
            }
        )
    if lines:
        lines.insert(0, f"axe: serious/critical violations on {url} {label}".rstrip())
    return lines


# RGAA 7.3 and 10.7, on the page as it loaded: every control is reached by the keyboard (no
# positive tabindex, no control taken out of the tab order, no htmx action on an element that
# cannot take the focus) and shows it has the focus — the focus adds an outline or changes a
# shadow, on the control or where DSFR draws it: the ::before of an enlarged link, the label
# of a checkbox or a radio.
# The caller presses Tab first, so that the focus moved by script shows as by the keyboard.
KEYBOARD = """() => {
  const problems = [];
  const describe = (el) => el.outerHTML.slice(0, 120);
  const shown = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden"
    && !el.closest("[inert], [aria-hidden=true], details:not([open]) > :not(summary)");
  // Where a ring can be drawn, and what is drawn there: the focus must add an outline or
  // change a shadow (DSFR's fields and secondary buttons carry a shadow all the time).
  const drawn = (el) => [el, ...(el.labels || [])].flatMap((one) => [null, "::before", "::after"]
    .map((pseudo) => getComputedStyle(one, pseudo))
    .map((s) => ({
      outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0, shadow: s.boxShadow,
    })));
  const ringed = (before, after) => after.some((place, index) => (
    (place.outline && !before[index].outline) || place.shadow !== before[index].shadow
  ));
  for (const el of document.querySelectorAll("[tabindex]")) {
    if (el.tabIndex > 0) problems.push(`positive tabindex: ${describe(el)}`);
  }
  const controls = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  for (const el of document.querySelectorAll(controls)) {
    if (el.disabled || !shown(el)) continue;
    if (el.tabIndex < 0) problems.push(`control out of the tab order: ${describe(el)}`);
  }
  const actions = ["get", "post", "put", "patch", "delete"]
    .map((verb) => `[hx-${verb}], [data-hx-${verb}]`).join(", ");
  const automatic = /^(load|revealed|intersect|every)\\b|\\bfrom:/;
  for (const el of document.querySelectorAll(actions)) {
    const trigger = (el.getAttribute("hx-trigger") || "").trim();
    const auto = trigger && trigger.split(",").every((t) => automatic.test(t.trim()));
    if (el.tagName === "FORM" || auto) continue;
    el.focus();
    if (document.activeElement !== el) {
      problems.push(`htmx action on an element without focus: ${describe(el)}`);
    }
  }
  for (const el of document.querySelectorAll(controls + ", [tabindex]")) {
    if (el.disabled || el.tabIndex < 0 || !shown(el)) continue;
    document.activeElement?.blur();
    const before = drawn(el);
    el.focus();
    if (document.activeElement !== el) continue;
    if (!ringed(before, drawn(el))) problems.push(`focus not visible: ${describe(el)}`);
  }
  document.activeElement?.blur();
  return problems;
}"""


def keyboard_problems(page: Page) -> list[str]:
    """``KEYBOARD`` on the current page: what a keyboard user could not reach or not see."""
    page.keyboard.press("Tab")  # the focus shows from now on, as for a keyboard user
    return page.evaluate(KEYBOARD)


def axe_violations_once(page: Page, label: str, seen: dict[int, str]) -> list[str]:
    """``axe_violations`` and ``keyboard_problems``, unless this test already checked the
    very same markup. The keyboard check moves the focus: call it last on a page."""
    markup = hash(page.evaluate(MARKUP))
    if markup in seen:
        return []
    seen[markup] = label
    lines = axe_violations(page, label)
    keyboard = keyboard_problems(page)
    if keyboard:
        lines += [f"keyboard: on {page.url} {label}", *(f"  {line}" for line in keyboard)]
    return lines


def axe_check(page: Page, label: str = "") -> None:
    """Run axe-core on the current page; fail on serious or critical violations."""
    lines = axe_violations(page, label)
    if lines:
        pytest.fail("\n".join(lines), pytrace=False)


def _worker_findings_dir(controller_pid: int) -> Path:
    return Path(tempfile.gettempdir()) / f"axe-findings-{controller_pid}"


def pytest_sessionfinish(session):
    """An xdist worker hands its findings to the controller through a file."""
    workerinput = getattr(session.config, "workerinput", None)
    if workerinput is None or not AXE_FINDINGS:
        return
    folder = _worker_findings_dir(os.getppid())  # xdist's workers are the run's children
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{workerinput['workerid']}.json").write_text(json.dumps(AXE_FINDINGS))


def pytest_terminal_summary(terminalreporter):
    if hasattr(terminalreporter.config, "workerinput"):
        return
    findings = list(AXE_FINDINGS)
    folder = _worker_findings_dir(os.getpid())
    if folder.is_dir():
        for part in sorted(folder.glob("*.json")):
            findings += json.loads(part.read_text())
        shutil.rmtree(folder, ignore_errors=True)
    report = os.environ.get("AXE_REPORT")
    if report:
        Path(report).write_text(json.dumps(findings, indent=2, ensure_ascii=False))
    if not findings:
        return
    grouped: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for finding in findings:
        path = re.sub(r"^https?://[^/]+", "", finding["url"])
        grouped[(finding["impact"], finding["rule"], finding["help"])].add(path)
    terminalreporter.section("axe: moderate and minor violations")
    for (impact, rule, help_text), paths in sorted(grouped.items()):
        terminalreporter.write_line(f"{rule} ({impact}): {help_text}")
        for path in sorted(paths):
            terminalreporter.write_line(f"    {path}")
    if report:
        terminalreporter.write_line(f"axe findings written to {report}")
