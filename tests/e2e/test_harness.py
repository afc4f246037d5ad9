"""The harness of the browser tests can fail: hygiene, axe and the SMTP server catch things."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created
from playwright.sync_api import Page

from tests.e2e.conftest import (
    AXE_FINDINGS,
    axe_check,
    axe_violations_once,
    document_problems,
    keyboard_problems,
    sign_in_fast,
)
from tests.worker import wait_until

pytestmark = pytest.mark.e2e


def test_console_errors_and_missing_static_files_are_caught(page: Page, page_problems):
    page.goto("/accounts/login/")

    page.evaluate("console.error('boom')")
    with page.expect_response("**/static/css/nope.css"):
        page.evaluate(
            "document.head.append(Object.assign(document.createElement('link'),"
            " {rel: 'stylesheet', href: '/static/css/nope.css'}))"
        )

    page.wait_for_timeout(100)  # the console message of the failed load follows the response
    problems = "\n".join(page_problems.problems)
    assert "console error: boom" in problems
    assert "static file: 404 " in problems
    page_problems.problems.clear()  # caught: the fixture's own check has nothing left to say


def test_axe_check_fails_on_a_serious_violation(page: Page):
    page.set_content(
        '<html lang="fr"><head><title>T</title></head><body><main><h1>T</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
    )

    with pytest.raises(pytest.fail.Exception, match=r"image-alt \(critical\)"):
        axe_check(page, "a picture without alternative text")


def test_axe_check_collects_moderate_violations_without_failing(page: Page):
    page.set_content(
        '<html lang="fr"><head><title>T</title></head><body><main><h1>T</h1>'
        "<h3>Un titre qui saute un niveau</h3></main></body></html>"
    )
    before = len(AXE_FINDINGS)

    axe_check(page, "a heading level skipped")

    found = AXE_FINDINGS[before:]
    assert [(f["rule"], f["impact"]) for f in found] == [("heading-order", "moderate")]
    del AXE_FINDINGS[before:]  # not a finding of the application


def test_the_smtp_server_receives_this_process_s_mail(smtp_server):
    EmailMessage(
        subject="Votre code", body="Code : ABCD-EFGH", to=["camille@example.gouv.fr"]
    ).send()

    [message] = smtp_server.wait_for(1, to="camille@example.gouv.fr")

    assert message["Subject"] == "Votre code"
    assert "ABCD-EFGH" in smtp_server.body(message)
    with pytest.raises(TimeoutError):
        smtp_server.wait_for(1, to="personne@example.gouv.fr", timeout=0.2)
    smtp_server.clear()
    assert smtp_server.messages == []


def test_every_connection_a_page_opened_is_closed_once_the_browser_is_gone(page: Page, world):
    """The live server's threads close theirs with the browser's sockets, and the title check
    its own, opened in Playwright's callback: a connection left open keeps the run from
    dropping the test database. The test's own connection stays."""
    test_connection = connections[DEFAULT_DB_ALIAS]
    opened = []

    def record(sender, connection, **kwargs):
        opened.append(connection)

    def others():
        return [wrapper for wrapper in opened if wrapper is not test_connection]

    connection_created.connect(record)
    try:
        sign_in_fast(page, world.people["team"])
        page.goto(f"/startups/{world.startup.slug}/")
        page.context.close()
        wait_until(lambda: all(wrapper.connection is None for wrapper in others()), timeout=5)
    finally:
        connection_created.disconnect(record)
    assert others(), "the page was served and checked through connections of their own"
    assert test_connection.connection is not None


def test_document_problems_name_a_missing_lang_and_a_title_without_page_or_startup(world):
    slug, name = world.startup.slug, world.startup.name
    good = f'<html lang="fr"><head><title>Retours — {name} — Intrapreneur</title></head></html>'

    assert document_problems(f"/startups/{slug}/product/feedback/", good) == []
    home = '<html lang="fr"><title>Mes startups — Intrapreneur</title>'
    assert document_problems("/", home) == []
    problems = document_problems(
        f"/startups/{slug}/product/feedback/",
        "<html><head><title> — Intrapreneur</title></head></html>",
    )
    assert [problem.split(" ")[0] for problem in problems] == ["no", "title", "title"]
    assert "does not name the startup" in problems[2]
    assert document_problems(
        "/", '<html lang="fr"><title>Intrapreneur</title>'
    ) == ["title “Intrapreneur” of / does not name the page"]
    # An error page names itself, not the startup it was asked about.
    assert document_problems(
        f"/startups/{slug}/", '<html lang="fr"><title>Page non trouvée — Intrapreneur</title>',
        error=True,
    ) == []


def test_inline_code_and_a_bad_title_in_a_served_page_are_caught(page: Page, page_problems):
    page.route(
        "**/une-page-sans-soin/",
        lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8",
            body='<html><head><title>Intrapreneur</title></head><body>'
            '<p style="color: red">Rouge</p></body></html>',
        ),
    )

    page.goto("/une-page-sans-soin/")
    for _ in range(20):  # the listener reads the body after the response event
        if len(page_problems.problems) >= 3:
            break
        page.wait_for_timeout(50)

    problems = "\n".join(page_problems.problems)
    assert "inline style in /une-page-sans-soin/" in problems
    assert 'no lang="fr" on <html> of /une-page-sans-soin/' in problems
    assert "does not name the page" in problems
    page_problems.problems.clear()


def test_the_same_markup_is_checked_by_axe_once(page: Page, world):
    """The sweep's shortcut: a second role seeing the same markup adds no axe run."""
    checked: dict[int, str] = {}
    sign_in_fast(page, world.people["coach"])
    page.goto(f"/startups/{world.startup.slug}/product/ideas/")
    page.wait_for_load_state("networkidle")  # the bell's count has arrived
    axe_violations_once(page, "ideas as coach", checked)
    page.reload()  # a new CSRF token, the same page
    page.wait_for_load_state("networkidle")

    axe_violations_once(page, "ideas again", checked)

    assert list(checked.values()) == ["ideas as coach"]
    page.goto(f"/startups/{world.startup.slug}/")
    axe_violations_once(page, "overview", checked)
    assert list(checked.values()) == ["ideas as coach", "overview"]


def test_the_keyboard_check_names_what_a_keyboard_cannot_reach_or_see(page: Page):
    page.set_content(
        '<html lang="fr"><head><title>T</title></head><body><main><h1>T</h1>'
        '<a href="/suite/">Suite</a><button type="button">Bon</button>'
        '<div hx-get="/partie/">Cliquer ici</div>'
        '<span hx-get="/compte/" hx-trigger="load, every 60s"></span>'
        '<a href="/ordre/" tabindex="3">Ordre</a>'
        '<button type="button" tabindex="-1">Hors de portée</button>'
        '<button type="button" id="sans-anneau">Sans anneau</button>'
        '<input id="ombre" aria-label="Une ombre de tout temps">'
        "</main></body></html>"
    )
    # A field's shadow drawn all the time is no focus ring.
    page.add_style_tag(
        content="#sans-anneau:focus-visible, #ombre:focus-visible { outline: none; }"
        " #ombre { box-shadow: inset 0 -2px 0 0 #3a3a3a; }"
    )

    problems = keyboard_problems(page)

    assert [problem.split(":")[0] for problem in problems] == [
        "positive tabindex", "control out of the tab order",
        "htmx action on an element without focus", "focus not visible", "focus not visible",
    ]
    assert "Cliquer ici" in problems[2] and "sans-anneau" in problems[3]
    assert "ombre" in problems[4]
