"""What a person does in a real browser: signing in and out, the live lists, tag suggestions."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from governance.services.reports import report_create, report_send
from intrapreneur.enums import Phase, Role
from intrapreneur.models import Startup
from products.enums import FeedbackStatus
from tests.e2e.conftest import axe_check, sign_in, sign_in_fast
from tests.intrapreneur.factories import (
    IncubatorFactory,
    MembershipFactory,
    StartupFactory,
    TagFactory,
    UserFactory,
)
from tests.investigations.factories import InterviewFactory
from tests.products.factories import FeedbackFactory, HypothesisFactory, ReleaseFactory

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


# ---------------------------------------------------------------- the journeys of each role

BETAGOUV_PAGE = (
    Path(__file__).resolve().parent.parent / "intrapreneur/fixtures/betagouv/carnet-de-bord.md"
)


def sign_in_by_code(page: Page, smtp_server, email: str) -> None:
    """allauth's sign-in by code: ask for a code, read it in the e-mail, type it."""
    page.goto("/accounts/login/")
    page.get_by_role("link", name=re.compile("code", re.I)).click()
    page.locator("input[name=email]").fill(email)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/confirm/$"))
    [message] = smtp_server.wait_for(1, to=email)
    code = CODE_LINE.search(smtp_server.body(message)).group(1)
    page.locator("input[name=code]").fill(code)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/$"))


def submit(page: Page) -> None:
    page.locator("main form[method=post] button[type=submit]").first.click()


def test_the_intrapreneur_creates_a_startup_imports_its_page_invites_and_moves_its_phase(
    page: Page, smtp_server
):
    IncubatorFactory(slug="dinum", name="Incubateur de la DINUM")
    user = UserFactory(email="alex@example.gouv.fr", first_name="Alex")
    sign_in_by_code(page, smtp_server, user.email)
    smtp_server.clear()

    # A new startup, from the main menu.
    page.locator("#main-navigation a[href='/startups/new/']").click()
    page.locator("input[name=name]").fill("Carnet")
    page.locator("textarea[name=mission], input[name=mission]").fill("Suivre les startups.")
    page.locator("select[name=incubator]").select_option(label="Incubateur de la DINUM")
    page.locator("input[name=sponsor_organisation]").fill("DINUM")
    submit(page)
    expect(page).to_have_url(re.compile(r"/startups/carnet/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Carnet")
    startup = Startup.objects.get(slug="carnet")
    assert startup.memberships.get().user == user

    # Its beta.gouv.fr page: upload, preview, apply.
    page.locator("main a[href='/startups/carnet/import/']").click()
    page.locator("input[name=file]").set_input_files(BETAGOUV_PAGE)
    submit(page)
    expect(page.locator("main")).to_contain_text("Carnet de bord")
    submit(page)
    expect(page).to_have_url(re.compile(r"/startups/carnet/$"))
    expect(page.locator("#messages")).to_contain_text("importée")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carnet de bord")
    expect(page).to_have_title(re.compile(r"Carnet de bord — Intrapreneur$"))

    # A team member invited from the team page.
    page.locator(".fr-sidemenu a[href='/startups/carnet/team/']").click()
    page.locator("#invite_email").fill("sam@example.gouv.fr")
    page.locator("#invite_role").select_option("team")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.locator("#messages")).to_contain_text("sam@example.gouv.fr")
    [invitation] = smtp_server.wait_for(1, to="sam@example.gouv.fr")
    assert INVITATION_LINK.search(smtp_server.body(invitation))

    # The phase moves, with its reason, into the history.
    page.goto("/startups/carnet/")
    page.locator("main a[href='/startups/carnet/phase/']").click()
    startup.refresh_from_db()
    phase = next(value for value in Phase.values if value != startup.phase)
    page.locator("select[name=phase]").select_option(phase)
    page.locator("textarea[name=reason]").fill("Comité d’investissement favorable, juin.")
    submit(page)
    expect(page).to_have_url(re.compile(r"/startups/carnet/$"))
    expect(page.locator("main")).to_contain_text("Comité d’investissement favorable, juin.")
    startup.refresh_from_db()
    assert startup.phase == phase
    axe_check(page, "overview after the journey")


def test_a_team_member_records_an_interview_with_a_new_tag_filters_and_makes_an_insight(
    page: Page,
):
    member = MembershipFactory(role=Role.TEAM)
    startup = member.startup
    InterviewFactory(startup=startup, notes="Un autre entretien, sans étiquette.")
    sign_in_fast(page, member.user)
    base = f"/startups/{startup.slug}/investigation"

    page.goto(f"{base}/interviews/")
    page.locator(f"main a[href='{base}/interviews/new/']").first.click()
    page.locator("input[name=place]").fill("Mairie d’Arras")
    page.locator("textarea[name=notes]").fill("Les agents ressaisissent chaque formulaire.")
    page.locator("input[name=tags]").fill("ressaisie")
    submit(page)
    expect(page).to_have_url(re.compile(rf"{base}/interviews/\d+/$"))
    expect(page.locator("main")).to_contain_text("ressaisie")
    interview = startup.interviews.get(place="Mairie d’Arras")
    assert [tag.name for tag in interview.tags.all()] == ["ressaisie"]

    # The list, filtered by the new tag: the new interview only, the heading focused.
    page.goto(f"{base}/interviews/")
    expect(page.locator("#list-results [role=status]")).to_have_text("2 résultats")
    page.locator("form[role=search] select[name=tag]").select_option(label="ressaisie")
    expect(page.locator("#list-results [role=status]")).to_have_text("1 résultat")
    expect(page.locator("#list-results")).to_contain_text("Mairie d’Arras")
    expect(page).to_have_url(re.compile(r"[?&]tag="))

    # An insight with that interview as its first evidence.
    page.goto(f"{base}/insights/new/")
    page.locator("textarea[name=statement]").fill("Les agents ressaisissent tout deux fois.")
    page.locator("select[name=interview]").select_option(str(interview.pk))
    page.locator("textarea[name=quote]").fill("« Je tape tout deux fois. »")
    submit(page)
    expect(page).to_have_url(re.compile(rf"{base}/insights/\d+/$"))
    expect(page.locator("main")).to_contain_text("« Je tape tout deux fois. »")
    expect(page.locator(f"main a[href='{base}/interviews/{interview.pk}/']").first).to_be_visible()
    insight = startup.insights.get()
    assert list(insight.evidence.values_list("interview", flat=True)) == [interview.pk]


def test_the_weekly_test_and_a_release_answering_two_items_show_on_the_home_without_reload(
    page: Page,
):
    member = MembershipFactory(role=Role.TEAM)
    startup = member.startup
    hypothesis = HypothesisFactory(
        startup=startup, statement="Les mairies déclarent seules si le formulaire est court",
    )
    answered = [
        FeedbackFactory(startup=startup, status=FeedbackStatus.NEW, text=f"Trop long {i}")
        for i in range(2)
    ]
    FeedbackFactory(startup=startup, status=FeedbackStatus.NEW, text="Autre chose")
    ReleaseFactory(startup=startup, version="1.4", is_published=False, answers=answered)
    sign_in_fast(page, member.user)
    home = f"/startups/{startup.slug}/product/"

    # The weekly test, against the hypothesis.
    page.goto(home)
    expect(page.locator("#test-cadence td[data-count]").last).to_have_attribute("data-count", "0")
    page.locator(f"main a[href='{home}tests/new/']").first.click()
    page.locator("select[name=hypothesis]").select_option(str(hypothesis.pk))
    page.locator("input[name=users_count]").fill("5")
    page.locator("input[name=users_profile]").fill("Secrétaires de mairie rurales")
    page.locator("select[name=result]").select_option(index=1)
    submit(page)
    expect(page.locator("#messages")).to_contain_text("enregistré")
    page.goto(home)
    expect(page.locator("#test-cadence td[data-count]").last).to_have_attribute("data-count", "1")
    expect(page.locator("#tests-this-week")).to_contain_text("Les mairies déclarent seules")

    # The release published from the home: strips and counts swapped in place.
    expect(page.locator("#untriaged-count")).to_have_text("3 retours en attente.")
    releases_this_week = page.locator("#releases-per-week tbody tr").last
    before = releases_this_week.inner_text()
    page.evaluate("window.__stillTheSameDocument = true")

    page.locator("#drafts").get_by_role("button", name=re.compile("Publier")).click()

    expect(page.locator("#messages")).to_contain_text("1.4")
    expect(page.locator("#untriaged-count")).to_have_text("1 retour en attente.")
    expect(page.locator("#drafts")).to_be_hidden()
    expect(releases_this_week).not_to_have_text(before)
    assert page.evaluate("window.__stillTheSameDocument") is True
    assert set(startup.feedback.filter(status=FeedbackStatus.DONE)) == set(answered)
    axe_check(page, "product home after a release published in place")


def test_a_citizen_sends_feedback_and_it_reaches_the_inbox(page: Page):
    member = MembershipFactory(
        role=Role.INTRAPRENEUR, startup=StartupFactory(name="Aides vélo", is_public=True)
    )
    startup = member.startup

    page.goto(f"/public/{startup.slug}/")
    page.locator(f"main a[href='/public/{startup.slug}/feedback/']").first.click()
    page.locator("textarea[name=text]").fill("Le formulaire ne garde pas ma commune.")
    page.locator("input[name=email]").fill("usager@example.fr")
    page.locator("label[for=id_consents]").click()  # DSFR draws the box on the label
    expect(page.locator("input[name=consents]")).to_be_checked()
    submit(page)

    expect(page).to_have_url(re.compile(rf"/public/{startup.slug}/feedback/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page).to_have_title(re.compile("Aides vélo"))

    sign_in_fast(page, member.user)
    page.goto(f"/startups/{startup.slug}/product/feedback/")
    expect(page.locator("#feedback-table")).to_contain_text("ne garde pas ma commune.")
    item = startup.feedback.get()
    assert (item.author_email, item.status) == ("usager@example.fr", FeedbackStatus.NEW)


def test_the_sponsor_reads_the_dashboard_proposes_an_idea_and_downloads_a_report(page: Page):
    owner = MembershipFactory(role=Role.INTRAPRENEUR, startup=StartupFactory(name="Guichet vert"))
    startup = owner.startup
    sponsor = MembershipFactory(startup=startup, role=Role.SPONSOR).user
    report = report_create(
        startup=startup, actor=owner.user, as_of=timezone.localdate(),
        highlights="Trois mairies pilotes ouvertes.", risks="Le recrutement tarde.",
    )
    report_send(report=report, actor=owner.user, notify=False)
    sign_in_fast(page, sponsor)
    base = f"/startups/{startup.slug}"

    page.goto(f"{base}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page).to_have_title(re.compile("Guichet vert"))

    page.goto(f"{base}/product/ideas/")
    page.locator(f"main a[href='{base}/product/ideas/new/']").first.click()
    page.locator("input[name=title]").fill("Un tableau de bord par département")
    page.locator("textarea[name=description]").fill("Pour les préfectures.")
    submit(page)
    expect(page.locator("#messages")).not_to_be_empty()
    expect(page.locator("main")).to_contain_text("Un tableau de bord par département")
    assert startup.ideas.get().author == sponsor

    page.goto(f"{base}/governance/reports/")
    page.locator(f"main a[href='{base}/governance/reports/{report.pk}/']").first.click()
    expect(page.locator("main")).to_contain_text("Trois mairies pilotes ouvertes.")
    with page.expect_download() as download_info:
        page.locator("#report-pdf-link").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Guichet vert" in text and "Trois mairies pilotes ouvertes." in text
