"""JavaScript disabled: create, filter and triage through plain forms and links.

Every htmx interaction keeps its ``action``/``href``: the form posts, the view redirects
with its message, the filters are a GET form with a submit button.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from intrapreneur.enums import Role
from products.enums import FeedbackStatus
from tests.e2e.conftest import sign_in, sign_in_fast
from tests.intrapreneur.factories import MembershipFactory, TagFactory
from tests.products.factories import FeedbackFactory, MetricFactory, MetricValueFactory

pytestmark = pytest.mark.e2e


def submit(page: Page, form: str = "main form[method=post]") -> None:
    page.locator(f"{form} button[type=submit]").first.click()


def test_javascript_is_really_off(page_without_js: Page):
    page = page_without_js
    page.goto("/accounts/login/")
    # htmx and DSFR's script would have marked the page; nothing ran.
    assert page.evaluate("1 + 1") == 2  # Playwright's own evaluation still works
    assert page.locator("html").get_attribute("data-fr-js") is None


def test_sign_in_and_create_feedback_then_a_metric_value(page_without_js: Page):
    page = page_without_js
    member = MembershipFactory(role=Role.TEAM)
    startup = member.startup
    metric = MetricFactory(startup=startup, name="Dossiers déposés")
    MetricValueFactory(
        metric=metric, value=3, date=timezone.localdate() - datetime.timedelta(days=40)
    )
    sign_in(page, member.user)
    base = f"/startups/{startup.slug}/product"

    page.goto(f"{base}/feedback/")
    page.locator(f"main a[href='{base}/feedback/new/']").click()
    page.locator("textarea[name=text]").fill("La page d’accueil ne dit pas à qui s’adresser.")
    submit(page)
    expect(page).to_have_url(re.compile(rf"{base}/feedback/\d+/$"))
    expect(page.locator("#messages")).not_to_be_empty()
    assert startup.feedback.get().text.startswith("La page d’accueil")

    # The inline value form of a metric: a plain post, back to the page with its message.
    page.goto(f"{base}/metrics/{metric.pk}/")
    page.locator("#value-form input[name=value]").fill("abc")
    submit(page, "#value-form")
    expect(page.locator("#value-form input[name=value]")).to_have_attribute(
        "aria-invalid", "true"
    )
    page.locator("#value-form input[name=value]").fill("17")
    submit(page, "#value-form")
    expect(page).to_have_url(re.compile(rf"{base}/metrics/{metric.pk}/$"))
    expect(page.locator("#messages")).to_contain_text("est enregistrée")
    expect(page.locator("#metric-values-table")).to_contain_text("17")


def test_filter_the_inbox_with_the_filter_button(page_without_js: Page):
    page = page_without_js
    member = MembershipFactory(role=Role.TEAM)
    startup = member.startup
    urgent = TagFactory(startup=startup, name="urgent")
    for index in range(4):
        item = FeedbackFactory(startup=startup, text=f"Retour {index}")
        if index == 0:
            item.tags.add(urgent)
    sign_in_fast(page, member.user)
    page.goto(f"/startups/{startup.slug}/product/feedback/")
    expect(page.locator("#list-results [role=status]")).to_have_text("4 résultats")

    page.locator("form[role=search] select[name=tag]").select_option(label="urgent")
    page.locator("form[role=search] button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"[?&]tag="))
    expect(page.locator("#list-results [role=status]")).to_have_text("1 résultat")
    expect(page.locator("#feedback-table")).to_contain_text("Retour 0")

    # The status counts are plain links too.
    page.locator("#feedback-status-counts a[data-status=new]").click()
    expect(page).to_have_url(re.compile(r"status=new"))
    expect(page.locator("#list-results [role=status]")).to_have_text("1 résultat")


def test_triage_a_selection_with_a_plain_form(page_without_js: Page):
    page = page_without_js
    member = MembershipFactory(role=Role.INTRAPRENEUR)
    startup = member.startup
    for index in range(5):
        FeedbackFactory(startup=startup, text=f"Demande {index}")
    sign_in_fast(page, member.user)
    page.goto(f"/startups/{startup.slug}/product/feedback/?status=new")
    # Without JavaScript, "select all" stays hidden: each row is ticked on its own.
    expect(page.locator("[data-select-all-group]")).to_be_hidden()
    boxes = page.locator("#feedback-table input[name=ids]")
    for index in range(3):
        boxes.nth(index).check(force=True)  # DSFR draws the box on its label
    page.locator("#feedback-bulk select[name=action]").select_option("status:triaged")

    page.get_by_role("button", name="Appliquer à la sélection").click()

    expect(page).to_have_url(re.compile(r"/product/feedback/\?status=new$"))
    expect(page.locator("#messages")).to_contain_text("3 retours sont mis à jour")
    expect(page.locator("#list-results [role=status]")).to_have_text("2 résultats")
    assert startup.feedback.filter(status=FeedbackStatus.TRIAGED).count() == 3
