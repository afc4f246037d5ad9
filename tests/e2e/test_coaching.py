"""The coaching log in a real browser: an action item ticked with htmx (no reload, the focus
back on its button) and the same without JavaScript, through the plain form."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from governance.models import ActionItem
from tests.conftest import World
from tests.e2e.conftest import axe_check, sign_in_fast
from tests.governance.factories import ActionItemFactory, CoachingSessionFactory

pytestmark = pytest.mark.e2e


def session_with_items(world: World):
    session = CoachingSessionFactory(startup=world.startup, coach=world.people["coach"])
    first = ActionItemFactory(session=session, text="Relancer la DSI")
    second = ActionItemFactory(session=session, text="Écrire la fiche produit")
    return session, first, second


def test_tick_an_action_item_with_htmx(page: Page, world: World):
    session, first, _second = session_with_items(world)
    sign_in_fast(page, world.people["coach"])
    page.goto(reverse("governance:coaching-detail", args=[world.startup.slug, session.pk]))
    page.evaluate("window.notReloaded = true")

    page.locator(f"#action-item-{first.pk} button[type=submit]").click()

    item = page.locator(f"#action-item-{first.pk}")
    expect(item).to_have_attribute("data-done", "1")
    expect(page.locator("#action-items [role=status]")).to_have_text(
        "L’action « Relancer la DSI » est faite."
    )
    expect(item.locator("button[type=submit]")).to_be_focused()
    assert page.evaluate("window.notReloaded") is True
    assert ActionItem.objects.get(pk=first.pk).done_at is not None
    axe_check(page, "coaching session after a tick (htmx)")

    item.locator("button[type=submit]").click()
    expect(item).to_have_attribute("data-done", "0")
    assert ActionItem.objects.get(pk=first.pk).done_at is None


def test_tick_an_action_item_without_javascript(page: Page, browser, live_server, world: World):
    session, first, _second = session_with_items(world)
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, java_script_enabled=False
    )
    client = Client()
    client.force_login(world.people["team"])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    no_js = context.new_page()
    try:
        no_js.goto(reverse("governance:coaching-detail", args=[world.startup.slug, session.pk]))

        no_js.locator(f"#action-item-{first.pk} button[type=submit]").click()

        expect(no_js.locator("#messages")).to_contain_text(
            "L’action « Relancer la DSI » est faite."
        )
        expect(no_js.locator(f"#action-item-{first.pk}")).to_have_attribute("data-done", "1")
        assert no_js.url.endswith("#action-items")
        assert ActionItem.objects.get(pk=first.pk).done_by == world.people["team"]
    finally:
        context.close()
