"""The keyboard and screen readers after htmx swaps (static/js/focus.js), and focus visible.

After a swap the focus goes to the first invalid field when a form fails, to the new row
after an inline create, and to the updated region's heading after a filter; the live
regions (aria-live) carry the counts and the outcome.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from intrapreneur.enums import Role
from products.enums import FeedbackStatus
from products.models import Feedback
from tests.e2e.conftest import axe_check, sign_in_fast
from tests.intrapreneur.factories import MembershipFactory, TagFactory
from tests.products.factories import FeedbackFactory, MetricFactory, MetricValueFactory

pytestmark = pytest.mark.e2e


def focused(page: Page) -> str:
    """What has the focus: its tag, id and text, for the assertion messages."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e ? `${e.tagName.toLowerCase()}#${e.id} ${e.textContent.trim().slice(0, 60)}`"
        " : ''; }"
    )


def tab_to(page: Page, target: Locator, *, limit: int = 150, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until ``target`` has the focus: the keyboard only."""
    handle = target.element_handle()
    for _ in range(limit):
        if page.evaluate("(e) => document.activeElement === e", handle):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{target} never got the focus by Tab; last: {focused(page)}")


def assert_focus_visible(page: Page) -> None:
    """The focused element shows it: an outline or a box shadow (RGAA 10.7)."""
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }"
    )
    visible = (style["outline"] != "none" and style["width"] != "0px") or (
        style["shadow"] not in ("none", "")
    )
    assert visible, f"no visible focus on {focused(page)}: {style}"


@pytest.fixture
def member():
    return MembershipFactory(role=Role.TEAM)


# ---------------------------------------------------------------- inline create and failure


def test_an_inline_value_puts_the_focus_on_its_new_row_and_a_failure_on_the_field(
    page: Page, member
):
    metric = MetricFactory(startup=member.startup, name="Dossiers déposés", unit="")
    MetricValueFactory(
        metric=metric, value=12, date=timezone.localdate() - datetime.timedelta(days=30)
    )
    sign_in_fast(page, member.user)
    page.goto(reverse("products:metric-detail", args=[member.startup.slug, metric.pk]))
    status = page.locator("#value-status")
    expect(status).to_have_attribute("aria-live", "polite")
    form = page.locator("#value-form")

    # A value that is not a number: the form comes back with its error, focus on the field.
    form.locator("input[name=value]").fill("beaucoup")
    form.locator("input[name=value]").press("Enter")

    expect(status).to_contain_text("n’est pas enregistrée")
    value_field = page.locator("#value-form input[name=value]")
    expect(value_field).to_have_attribute("aria-invalid", "true")
    expect(value_field).to_be_focused()
    assert_focus_visible(page)
    axe_check(page, "metric value refused (htmx)")

    # Corrected: the new row takes the focus, the live region says so.
    value_field.fill("42")
    value_field.press("Enter")

    expect(status).to_contain_text("est enregistrée")
    new_row = page.locator("#metric-values-table tr[data-new-row]")
    expect(new_row).to_contain_text("42")
    expect(new_row).to_be_focused()
    assert_focus_visible(page)
    assert page.evaluate("window.location.pathname").endswith(f"/metrics/{metric.pk}/")


def test_a_refused_bulk_change_puts_the_focus_on_the_action_field(page: Page, member):
    for index in range(3):
        FeedbackFactory(startup=member.startup, text=f"Retour numéro {index}")
    sign_in_fast(page, member.user)
    page.goto(reverse("products:feedback-list", args=[member.startup.slug]))
    page.locator("input[name=ids]").first.check()

    page.get_by_role("button", name="Appliquer à la sélection").click()

    action = page.locator("#feedback-bulk select[name=action]")
    expect(page.locator("#bulk-error, #feedback-bulk .fr-error-text").first).to_be_visible()
    expect(action).to_be_focused()


# ---------------------------------------------------------------- filters


def test_a_filter_puts_the_focus_on_the_results_heading_and_announces_the_count(
    page: Page, member
):
    startup = member.startup
    urgent = TagFactory(startup=startup, name="urgent")
    for index in range(5):
        item = FeedbackFactory(startup=startup, text=f"Un retour {index}")
        if index < 2:
            item.tags.add(urgent)
    sign_in_fast(page, member.user)
    page.goto(reverse("products:feedback-list", args=[startup.slug]))
    results = page.locator("#list-results")
    expect(results).to_have_attribute("aria-live", "polite")
    expect(results.locator("[role=status]")).to_have_text("5 résultats")

    page.locator("form[role=search] select[name=tag]").select_option(label="urgent")

    expect(results.locator("[role=status]")).to_have_text("2 résultats")
    heading = page.locator("#feedback-count")
    expect(heading).to_have_text("2 retours")
    expect(heading).to_be_focused()
    assert_focus_visible(page)
    # The counts per status, out of band, follow the filter.
    expect(page.locator("#feedback-status-counts [data-status=''] [data-count]")).to_have_text("2")


# ---------------------------------------------------------------- the whole inbox by keyboard


def test_ten_feedback_items_triaged_with_the_keyboard_only(page: Page):
    member = MembershipFactory(role=Role.INTRAPRENEUR)
    startup = member.startup
    for index in range(12):
        FeedbackFactory(startup=startup, text=f"Demande {index}")
    sign_in_fast(page, member.user)
    page.goto(reverse("products:feedback-list", args=[startup.slug]) + "?status=new")
    boxes = page.locator("#feedback-table input[name=ids]")
    expect(boxes).to_have_count(12)
    first_ten = {int(boxes.nth(index).get_attribute("value")) for index in range(10)}

    # From the top of the page, by Tab: every box of the first ten rows, ticked by Space.
    page.locator("body").focus()
    for index in range(10):
        tab_to(page, boxes.nth(index))
        assert_focus_visible(page)
        page.keyboard.press("Space")
    expect(page.locator("#feedback-table input[name=ids]:checked")).to_have_count(10)
    # Back up to the action, chosen by typing (a closed select follows the keys).
    action = page.locator("#feedback-bulk select[name=action]")
    tab_to(page, action, back=True)
    page.keyboard.type("Trié")
    expect(action).to_have_value("status:triaged")
    tab_to(page, page.get_by_role("button", name="Appliquer à la sélection"))
    page.keyboard.press("Enter")

    expect(page.locator("#bulk-message")).to_contain_text("10 retours sont mis à jour")
    expect(page.locator("#list-results [role=status]")).to_have_text("2 résultats")
    counts = page.locator("#feedback-status-counts")
    expect(counts.locator("[data-status=new] [data-count]")).to_have_text("2")
    expect(counts.locator("[data-status=triaged] [data-count]")).to_have_text("10")
    triaged = Feedback.objects.filter(startup=startup, status=FeedbackStatus.TRIAGED)
    assert set(triaged.values_list("pk", flat=True)) == first_ten


def test_every_control_of_a_form_page_is_reached_by_tab_with_a_visible_focus(
    page: Page, member
):
    sign_in_fast(page, member.user)
    page.goto(reverse("products:feedback-create", args=[member.startup.slug]))
    controls = page.locator(
        "main form[method=post] :is(input:not([type=hidden]), select, textarea, button)"
    )
    count = controls.count()
    assert count >= 4
    page.locator("body").focus()
    for index in range(count):
        control = controls.nth(index)
        if not control.is_visible():
            continue
        tab_to(page, control)
        assert_focus_visible(page)
