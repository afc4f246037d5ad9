"""What a person does in a real browser: signing in and out, the live lists, tag suggestions."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from intrapreneur.enums import Role
from tests.e2e.conftest import axe_check, sign_in
from tests.intrapreneur.factories import (
    IncubatorFactory,
    MembershipFactory,
    StartupFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

# allauth's sign-in code, alone on its line: "ABCD-EFGH".
CODE_LINE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})+)\s*$", re.M)


def cards(page: Page):
    return page.locator("#list-results .fr-card")


# ---------------------------------------------------------------- signing in and out


def test_sign_in_with_password_then_sign_out(page: Page):
    membership = MembershipFactory(
        role=Role.INTRAPRENEUR, startup=StartupFactory(name="Aides simplifiées")
    )
    StartupFactory(name="Pas la mienne")

    sign_in(page, membership.user)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes startups")
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("Aides simplifiées")

    page.locator("header").get_by_role("button", name="Se déconnecter").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_sign_in_with_a_code_sent_by_e_mail(page: Page, smtp_server):
    membership = MembershipFactory(
        role=Role.TEAM, startup=StartupFactory(name="Carte des écoles"),
        user=UserFactory(email="camille@example.gouv.fr"),
    )

    page.goto("/accounts/login/")
    page.get_by_role("link", name=re.compile("code", re.I)).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/$"))
    page.locator("input[name=email]").fill(membership.user.email)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/confirm/$"))

    [message] = smtp_server.wait_for(1, to="camille@example.gouv.fr")
    match = CODE_LINE.search(smtp_server.body(message))
    assert match, smtp_server.body(message)
    page.locator("input[name=code]").fill(match.group(1))
    page.locator("main form button[type=submit]").first.click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes startups")
    expect(cards(page).first).to_contain_text("Carte des écoles")


# ---------------------------------------------------------------- the list pattern, live

SERVICES = [
    "Aides simplifiées", "Carte des écoles", "Démarches simplifiées", "Signal conso",
    "Mon suivi justice", "Pass sport", "Rdv service public", "Territoires en transition",
    "Jeunes engagés", "Potentiel emploi", "Santé au travail", "Mes aides vélo",
    "Observatoire des loyers", "Forêt connectée", "Cantine responsable",
]


def test_the_home_list_filters_live_and_comes_back_with_the_back_button(page: Page):
    user = UserFactory()
    incubator = IncubatorFactory()
    for name in SERVICES:
        MembershipFactory(user=user, role=Role.TEAM, startup=StartupFactory(
            name=name, incubator=incubator, mission=f"Le service {name}."
        ))
    sign_in(page, user)
    expect(cards(page)).to_have_count(12)  # the first page of 15
    expect(status(page)).to_have_text("15 résultats")
    # A page load would forget this marker and request a document: htmx swaps do neither.
    page.evaluate("window.__stillTheSameDocument = true")
    documents: list[str] = []
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else None)
    search = page.get_by_role("searchbox")

    search.fill("simplifiées")

    expect(status(page)).to_have_text("2 résultats")
    expect(cards(page)).to_have_count(2)
    expect(cards(page).nth(0)).to_contain_text("Aides simplifiées")
    expect(cards(page).nth(1)).to_contain_text("Démarches simplifiées")
    assert_address(page, q="simplifiées")
    # Whoever is typing keeps typing: the focus stays in the search box.
    expect(search).to_be_focused()

    search.fill("démarches")

    expect(status(page)).to_have_text("1 résultat")
    expect(cards(page)).to_have_text([re.compile("Démarches simplifiées")])
    assert_address(page, q="démarches")
    expect(search).to_be_focused()

    page.go_back()

    assert_address(page, q="simplifiées")
    expect(cards(page)).to_have_count(2)
    expect(status(page)).to_have_text("2 résultats")

    page.go_back()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(cards(page)).to_have_count(12)
    expect(cards(page).first).to_contain_text("Aides simplifiées")
    expect(status(page)).to_have_text("15 résultats")

    page.go_forward()

    assert_address(page, q="simplifiées")
    expect(cards(page)).to_have_count(2)
    assert page.evaluate("window.__stillTheSameDocument") is True
    assert documents == []


def status(page: Page):
    return page.locator("#list-results [role=status]")


def assert_address(page: Page, **params: str) -> None:
    """The address bar shows the filters (hx-push-url), each parameter once."""
    expect(page).to_have_url(re.compile(r"\?(.*&)?q="))
    query = parse_qs(urlsplit(page.url).query, keep_blank_values=True)
    for key, value in params.items():
        assert query.get(key) == [value], f"{key}={value!r} once in {page.url}"
    assert all(len(values) == 1 for values in query.values()), page.url


# ---------------------------------------------------------------- tag suggestions


def test_typing_tags_suggests_the_startup_s_tags(page: Page):
    membership = MembershipFactory(role=Role.TEAM)
    startup = membership.startup
    for name in ("rapport annuel", "rapport de comité", "entretien usager"):
        TagFactory(startup=startup, name=name)
    TagFactory(name="rapport d'une autre startup")  # tags never cross startups
    sign_in(page, membership.user)
    page.goto(f"/startups/{startup.slug}/files/new/")
    tags_input = page.locator("input[data-tags-input]")
    suggestions = page.locator(".tag-suggestions [data-tag-suggestion]")

    tags_input.press_sequentially("rapp")

    expect(suggestions).to_have_count(2)
    expect(suggestions).to_have_text(["rapport annuel", "rapport de comité"])
    axe_check(page, "tag suggestions shown")

    suggestions.filter(has_text="rapport de comité").click()

    expect(tags_input).to_have_value("rapport de comité, ")
    expect(tags_input).to_be_focused()
    expect(suggestions).to_have_count(0)

    tags_input.press_sequentially("ent")

    expect(suggestions).to_have_text(["entretien usager"])
    suggestions.first.click()
    expect(tags_input).to_have_value("rapport de comité, entretien usager, ")


# ---------------------------------------------------------------- invitations

INVITATION_LINK = re.compile(r"https?://[^/\s]+(/invitations/[^/\s]+/)")


def test_a_new_person_invited_by_e_mail_signs_in_by_code_and_lands_in_the_startup(
    page: Page, browser, live_server, smtp_server
):
    owner = MembershipFactory(role=Role.INTRAPRENEUR, startup=StartupFactory(name="Guichet vert"))
    startup = owner.startup

    # The intrapreneur invites a new address from the team page.
    sign_in(page, owner.user)
    page.goto(f"/startups/{startup.slug}/team/")
    page.locator("#invite_email").fill("nouvelle@example.gouv.fr")
    page.locator("#invite_role").select_option("team")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.locator("#messages")).to_contain_text("nouvelle@example.gouv.fr")
    pending = page.get_by_role("table", name="Invitations en attente de réponse")
    expect(pending).to_contain_text("nouvelle@example.gouv.fr")

    # The invited person opens the link in their own browser.
    [invitation] = smtp_server.wait_for(1, to="nouvelle@example.gouv.fr")
    path = INVITATION_LINK.search(smtp_server.body(invitation)).group(1)
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    try:
        guest = context.new_page()
        guest.goto(path)
        expect(guest.get_by_role("heading", level=1)).to_contain_text("Guichet vert")
        guest.get_by_role("button", name="Accepter l’invitation").click()
        expect(guest).to_have_url(re.compile(r"/accounts/login/code/confirm/"))

        [_, code_mail] = smtp_server.wait_for(2, to="nouvelle@example.gouv.fr")
        code = CODE_LINE.search(smtp_server.body(code_mail)).group(1)
        guest.locator("input[name=code]").fill(code)
        guest.locator("main form button[type=submit]").first.click()

        expect(guest).to_have_url(re.compile(rf"/startups/{startup.slug}/$"))
        expect(guest.get_by_role("heading", level=1)).to_have_text("Guichet vert")
        axe_check(guest, "the startup, just after accepting an invitation")
        # The link works once: opened again, it says so.
        guest.goto(path)
        expect(guest.locator("main")).to_contain_text("déjà été utilisée")
    finally:
        context.close()
