"""ProConnect in a real browser: the button, the round trip to the provider, the pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from intrapreneur.enums import Role
from intrapreneur.invitations import invitation_create
from intrapreneur.models import Membership
from tests.e2e.conftest import axe_check
from tests.intrapreneur.factories import MembershipFactory, StartupFactory
from tests.proconnect_provider import AGENT, FakeProConnect, proconnect_settings

pytestmark = pytest.mark.e2e


@pytest.fixture
def provider(settings):
    fake = FakeProConnect().start()
    settings.SOCIALACCOUNT_PROVIDERS = proconnect_settings(fake)
    yield fake
    fake.stop()


def press_the_button(page: Page) -> None:
    page.get_by_role("button", name=re.compile("S’identifier avec\\s+ProConnect")).click()


def test_invited_agent_signs_in_and_out_through_proconnect(page: Page, provider):
    intrapreneur = MembershipFactory(
        role=Role.INTRAPRENEUR, startup=StartupFactory(name="Aides simplifiées")
    )
    invitation_create(
        startup=intrapreneur.startup, actor=intrapreneur.user, email=AGENT["email"],
        role=Role.TEAM, base_url="http://testserver",
    )
    page.goto(reverse("account_login"))
    axe_check(page, "sign-in with ProConnect")

    press_the_button(page)

    expect(page.get_by_text("Bienvenue dans « Aides simplifiées »")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
    assert Membership.objects.filter(startup=intrapreneur.startup, user__email=AGENT["email"],
                                     role=Role.TEAM).exists()
    page.goto(reverse("account-profile"))
    expect(page.get_by_text(AGENT["siret"])).to_be_visible()
    axe_check(page, "profile signed in with ProConnect")

    page.get_by_role("button", name="Se déconnecter").click()

    expect(page).to_have_url(re.compile(re.escape(reverse("account_login")) + "$"))
    expect(page.get_by_text("Vous êtes déconnecté")).to_be_visible()
    assert len(provider.end_session_requests) == 1
    assert provider.end_session_requests[0]["id_token_hint"] == provider.issued_id_tokens[-1]


def test_the_confirmation_page_of_a_sign_in_link(page: Page, provider):
    """A GET of the sign-in address (a bookmark, a link) asks to confirm: allauth's page."""
    page.goto(reverse("proconnect_login"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("ProConnect")
    axe_check(page, "ProConnect sign-in confirmation")


def test_a_refused_sign_in_says_why(page: Page, provider, page_problems):
    page_problems.expect_status(401)
    provider.behaviour.nonce = "n" * 43
    page.goto(reverse("account_login"))

    press_the_button(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("La connexion a échoué")
    expect(page.get_by_text("ne correspond pas à cette connexion (nonce)")).to_be_visible()
    axe_check(page, "ProConnect refusal")


def test_an_address_without_account_is_told_so(page: Page, provider, page_problems):
    page_problems.expect_status(403)
    page.goto(reverse("account_login"))

    press_the_button(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Aucun compte pour cette adresse")
    axe_check(page, "ProConnect without an account")
