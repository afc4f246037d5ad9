"""The legal pages: public, with a French default text, written by staff in the admin, and
linked from the footer of every page."""

import pytest
from allauth.mfa.models import Authenticator
from bs4 import BeautifulSoup
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from intrapreneur.models import LegalPage
from tests.intrapreneur.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "legal-notice": ("/mentions-legales/", "Mentions légales", "Éditeur du site"),
    "legal-privacy": ("/donnees-personnelles/", "Données personnelles", "Vos droits"),
    "legal-accessibility": (
        "/accessibilite/", "Déclaration d’accessibilité", "Défenseur des droits",
    ),
}


def footer_links(response) -> dict[str, str]:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return {
        link.get_text(strip=True): link["href"]
        for link in soup.select("footer #footer-legal-links a")
    }


@pytest.mark.parametrize("name", PAGES)
def test_default_text_for_anonymous_people(client, name):
    path, title, section = PAGES[name]
    assert reverse(name) == path

    response = client.get(path)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.h1.get_text(strip=True) == title
    assert soup.title.get_text().startswith(title)
    assert section in soup.select_one("#legal-page").get_text()
    assertNotContains(response, 'id="legal-updated"')  # no record: no update date


def test_default_accessibility_statement_states_the_compliance(client, settings):
    response = client.get(reverse("legal-accessibility"))
    assertContains(response, "<strong>non conforme</strong>", html=True)
    assert footer_links(response)["Accessibilité : non conforme"] == "/accessibilite/"


def test_default_texts_name_the_site(client, settings):
    settings.SITE_URL = "https://intrapreneur.exemple.gouv.fr"
    response = client.get(reverse("legal-notice"))
    assertContains(response, "Intrapreneur (https://intrapreneur.exemple.gouv.fr)")


def test_a_record_replaces_the_default_text_rendered_as_markdown(client):
    LegalPage.objects.create(
        kind="privacy",
        body="## Responsable\n\nLa **DINUM**.\n\n<script>alert(1)</script>",
    )

    response = client.get(reverse("legal-privacy"))

    page = BeautifulSoup(response.content.decode(), "html.parser").select_one("#legal-page")
    assert page.h2.get_text() == "Responsable"
    assert page.strong.get_text() == "DINUM"
    assert page.script is None
    assert "Vos droits" not in page.get_text()
    assert page.select_one("#legal-updated").get_text().startswith("Mis à jour le ")


def test_signed_in_people_read_them_too(client):
    client.force_login(MembershipFactory().user)
    assert client.get(reverse("legal-notice")).status_code == 200


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_links_the_three_legal_pages_in_its_footer(client, signed_in):
    """A public page, the sign-in page, a member's page and a startup's page."""
    membership = MembershipFactory()
    paths = [reverse("account_login"), reverse("legal-privacy")]
    if signed_in:
        client.force_login(membership.user)
        paths = [
            reverse("home"),
            reverse("startup-overview", args=[membership.startup.slug]),
            reverse("legal-privacy"),
        ]
    for path in paths:
        links = footer_links(client.get(path))
        assert links == {
            "Accessibilité : non conforme": "/accessibilite/",
            "Mentions légales": "/mentions-legales/",
            "Données personnelles": "/donnees-personnelles/",
        }, path


def test_the_footer_states_the_configured_compliance(client, settings):
    settings.ACCESSIBILITY_COMPLIANCE = "partial"
    response = client.get(reverse("legal-notice"))
    assert "Accessibilité : partiellement conforme" in footer_links(response)
    response = client.get(reverse("legal-accessibility"))
    assertContains(response, "<strong>partiellement conforme</strong>", html=True)


def test_one_query_per_page(client, django_assert_num_queries):
    LegalPage.objects.create(kind="legal-notice", body="Texte.")
    with django_assert_num_queries(1):
        client.get(reverse("legal-notice"))
    with django_assert_num_queries(1):
        client.get(reverse("legal-privacy"))


# ---------------------------------------------------------------- the admin


@pytest.fixture
def staff_client(client):
    """Incubator staff without any model permission, with TOTP: the admin lets them in."""
    staff = UserFactory(staff=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    return client


def test_staff_write_a_page_in_the_admin_and_it_shows(staff_client):
    response = staff_client.post(
        reverse("admin:intrapreneur_legalpage_add"),
        {"kind": "legal-notice", "body": "## Éditeur\n\nLe ministère de l’Exemple."},
    )
    assert response.status_code == 302
    page = staff_client.get(reverse("legal-notice"))
    assertContains(page, "Le ministère de l’Exemple.")
    assertNotContains(page, "Direction interministérielle du numérique")

    record = LegalPage.objects.get()
    response = staff_client.post(
        reverse("admin:intrapreneur_legalpage_change", args=[record.pk]),
        {"kind": "legal-notice", "body": "Le ministère de la Mise à jour."},
    )
    assert response.status_code == 302
    assertContains(staff_client.get(reverse("legal-notice")), "Le ministère de la Mise à jour.")


def test_one_record_per_page(staff_client):
    LegalPage.objects.create(kind="privacy", body="Déjà écrit.")
    response = staff_client.post(
        reverse("admin:intrapreneur_legalpage_add"), {"kind": "privacy", "body": "Encore."}
    )
    assert response.status_code == 200  # the form, with its error
    assert LegalPage.objects.count() == 1


def test_members_do_not_reach_the_admin(client):
    member = MembershipFactory().user
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(member)
    response = client.get(reverse("admin:intrapreneur_legalpage_changelist"))
    assert response.status_code == 302
