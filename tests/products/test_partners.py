"""Partners and deployment as each role sees them: the pipeline board and its counts, the
stage change with and without JavaScript, the territories, the writes, the demo."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from intrapreneur.models import Activity
from products import demo_partners
from products.enums import PartnerStage
from products.models import Partner
from products.services import partners as services
from tests.products.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def url(name, startup, **kwargs):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def column(response, stage):
    """The pks of the cards in a stage's column, in order."""
    section = soup(response).select_one(f"#stage-{stage}")
    if section is None:
        return None
    return [int(card["id"].removeprefix("partner-")) for card in section.select(".fr-card")]


def column_count(response, stage):
    return int(soup(response).select_one(f"#stage-{stage}-title [data-count]")["data-count"])


def stage_activities(partner):
    return Activity.objects.filter(verb="partner.stage", target_id=partner.pk).count()


# ---------------------------------------------------------------- who may do what


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 200), ("sponsor", 200), ("staff", 200),
     ("outsider", 404)],
)
def test_partners_are_read_by_every_role(world, role, status):
    partner = PartnerFactory(startup=world.startup)
    client = world.client_for(role)
    for name, kwargs in (("partner-list", {}), ("partner-territories", {}),
                         ("partner-detail", {"pk": partner.pk})):
        assert client.get(url(name, world.startup, **kwargs)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 403), ("sponsor", 403), ("staff", 403),
     ("outsider", 404)],
)
def test_only_contributors_write(world, role, status):
    partner = PartnerFactory(startup=world.startup)
    client = world.client_for(role)
    for name, kwargs in (("partner-create", {}), ("partner-edit", {"pk": partner.pk}),
                         ("partner-delete", {"pk": partner.pk})):
        assert client.get(url(name, world.startup, **kwargs)).status_code == status
    if status != 200:
        response = client.post(url("partner-stage", world.startup, pk=partner.pk),
                               {"stage": "deployed"})
        assert response.status_code == status
        assert client.post(url("partner-delete", world.startup, pk=partner.pk)).status_code \
            == status
        partner.refresh_from_db()
        assert partner.stage == "identified"


def test_the_stage_forms_are_for_contributors_only(world):
    partner = PartnerFactory(startup=world.startup)
    stage_url = url("partner-stage", world.startup, pk=partner.pk)
    for role, shown in (("team", True), ("coach", False), ("sponsor", False)):
        for page in (url("partner-list", world.startup),
                     url("partner-detail", world.startup, pk=partner.pk)):
            response = world.client_for(role).get(page)
            assert (f'action="{stage_url}"' in response.content.decode()) is shown


def test_a_partner_of_another_startup_is_404(world):
    other = PartnerFactory()
    client = world.client_for("intrapreneur")
    for name in ("partner-detail", "partner-edit", "partner-delete"):
        assert client.get(url(name, world.startup, pk=other.pk)).status_code == 404
    response = client.post(url("partner-stage", world.startup, pk=other.pk), {"stage": "lost"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.stage == "identified"


@pytest.mark.parametrize("name", ["partner-list", "partner-territories", "partner-create",
                                  "partner-detail", "partner-edit", "partner-delete"])
def test_every_partner_page_has_one_h1_and_its_title(world, name):
    startup = world.startup
    kwargs = {} if name in ("partner-list", "partner-territories", "partner-create") else {
        "pk": PartnerFactory(startup=startup).pk
    }
    response = world.client_for("team").get(url(name, startup, **kwargs))
    page = soup(response)
    assert len(page.find_all("h1")) == 1
    assert page.title.string.startswith(page.h1.get_text(strip=True))


# ---------------------------------------------------------------- the board


def test_the_board_has_one_column_per_stage_with_its_count(world):
    startup = world.startup
    discussing = [PartnerFactory(startup=startup, stage="discussion") for _ in range(3)]
    deployed = PartnerFactory(startup=startup, stage="deployed")
    PartnerFactory(stage="deployed")  # another startup
    response = world.client_for("sponsor").get(url("partner-list", startup))
    sections = soup(response).select("#partner-board > section")
    assert [s["id"] for s in sections] == [f"stage-{s}" for s in PartnerStage.values]
    assert {s: column_count(response, s) for s in PartnerStage.values} == {
        "identified": 0, "discussion": 3, "signed": 0, "onboarding": 0, "deployed": 1,
        "lost": 0,
    }
    assert sorted(column(response, "discussion")) == sorted(p.pk for p in discussing)
    assert column(response, "deployed") == [deployed.pk]
    assert services.partners_by_stage(startup)["discussion"] == 3


def test_a_card_shows_its_next_step_and_flags_it_when_overdue(world):
    startup = world.startup
    today = timezone.localdate()
    late = PartnerFactory(startup=startup, organisation="Mairie de Guéret", kind="collectivite",
                          territory="Creuse", next_step="Former les agents",
                          next_step_date=today - datetime.timedelta(days=2))
    soon = PartnerFactory(startup=startup, next_step="Signer",
                          next_step_date=today + datetime.timedelta(days=2))
    lost = PartnerFactory(startup=startup, stage="lost", next_step="Relancer",
                          next_step_date=today - datetime.timedelta(days=2))
    response = world.client_for("coach").get(url("partner-list", startup))
    card = soup(response).select_one(f"#partner-{late.pk}")
    text = card.get_text(" ", strip=True)
    for expected in ("Mairie de Guéret", "Creuse", "Former les agents",
                     late.get_kind_display()):
        assert expected in text
    assert card.select_one("[data-overdue]") is not None
    assert card.select_one("[data-overdue]").get_text(strip=True)  # said in words
    assert soup(response).select_one(f"#partner-{soon.pk} [data-overdue]") is None
    assert soup(response).select_one(f"#partner-{lost.pk} [data-overdue]") is None
    # The nearest next step first.
    assert column(response, "identified") == [late.pk, soon.pk]
    detail = world.client_for("coach").get(url("partner-detail", startup, pk=late.pk))
    assert soup(detail).select_one("[data-overdue]") is not None


def test_the_board_filters_by_search_and_kind(world):
    startup = world.startup
    creuse = PartnerFactory(startup=startup, organisation="Mairie de Guéret", territory="Creuse")
    nord = PartnerFactory(startup=startup, organisation="APF France handicap", kind="association",
                          territory="Nord", stage="discussion")
    contact = PartnerFactory(startup=startup, organisation="CAF", contact="Mme Rivière, accueil",
                             territory="Gironde", kind="operateur", stage="deployed")
    client = world.client_for("team")
    path = url("partner-list", startup)
    response = client.get(path, {"q": "creuse"})
    assert column(response, "identified") == [creuse.pk]
    assert column_count(response, "discussion") == 0
    assert column(client.get(path, {"kind": "association"}), "discussion") == [nord.pk]
    assert column(client.get(path, {"q": "rivière"}), "deployed") == [contact.pk]
    response = client.get(path, {"q": "nulle part"})
    assert soup(response).select_one("#partner-board") is None
    assert soup(response).select_one(".fr-callout") is not None
    # htmx gets the board only.
    response = client.get(path, {"kind": "association"}, headers={"HX-Request": "true"})
    assertNotContains(response, "<html")
    assert column(response, "discussion") == [nord.pk]


def test_a_column_is_bounded_and_links_to_the_rest(world):
    startup = world.startup
    Partner.objects.bulk_create([
        Partner(startup=startup, organisation=f"Commune {i:02d}", stage="onboarding")
        for i in range(35)
    ])
    PartnerFactory(startup=startup, stage="deployed")
    client = world.client_for("team")
    path = url("partner-list", startup)
    response = client.get(path, {"kind": "collectivite"})
    assert len(column(response, "onboarding")) == 30
    assert column_count(response, "onboarding") == 35
    more = soup(response).select_one("#stage-onboarding [data-more]")
    assert more["data-more"] == "5"
    assert "stage=onboarding" in more["href"] and "kind=collectivite" in more["href"]
    # The stage alone, paged by 30.
    response = client.get(path, {"kind": "collectivite", "stage": "onboarding"})
    assert column(response, "deployed") is None
    assert len(column(response, "onboarding")) == 30
    assert soup(response).select_one("#partner-stage-nav") is not None
    response = client.get(path, {"kind": "collectivite", "stage": "onboarding", "page": 2})
    assert [Partner.objects.get(pk=pk).organisation for pk in column(response, "onboarding")] \
        == [f"Commune {i}" for i in range(30, 35)]


# ---------------------------------------------------------------- the stage change


def test_with_htmx_the_stage_change_returns_the_board(world):
    startup = world.startup
    partner = PartnerFactory(startup=startup, organisation="Préfecture du Cantal")
    other = PartnerFactory(startup=startup, kind="association", stage="signed")
    client = world.client_for("team")
    board = url("partner-list", startup) + "?kind=collectivite"
    response = client.post(
        url("partner-stage", startup, pk=partner.pk), {"stage": "signed", "next": board},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assertNotContains(response, "<html")
    partner.refresh_from_db()
    assert partner.stage == "signed"
    # The board as `next` filters it: the moved card in its new column, focused.
    assert column(response, "signed") == [partner.pk]
    assert other.pk not in column(response, "signed")
    assert column(response, "identified") == []
    assert soup(response).select_one(f"#partner-{partner.pk} [data-board-focus]") is not None
    messages = soup(response).select_one("#messages[hx-swap-oob]")
    assert "Préfecture du Cantal" in messages.get_text()
    assert stage_activities(partner) == 1


def test_without_javascript_the_stage_change_redirects_back(world):
    startup = world.startup
    partner = PartnerFactory(startup=startup)
    client = world.client_for("intrapreneur")
    back = url("partner-list", startup) + "?q=commune"
    response = client.post(url("partner-stage", startup, pk=partner.pk),
                           {"stage": "deployed", "next": back})
    assertRedirects(response, f"{back}#partner-{partner.pk}", fetch_redirect_response=False)
    partner.refresh_from_db()
    assert partner.stage == "deployed"
    page = client.get(back)
    assertContains(page, "fr-alert--success")
    assert column(page, "deployed") == [partner.pk]
    # From the partner's page, back to it; never elsewhere.
    detail = url("partner-detail", startup, pk=partner.pk)
    response = client.post(url("partner-stage", startup, pk=partner.pk),
                           {"stage": "onboarding", "next": detail})
    assertRedirects(response, detail, fetch_redirect_response=False)
    for elsewhere in ("https://evil.example/", "//evil.example/", "/startups/"):
        response = client.post(url("partner-stage", startup, pk=partner.pk),
                               {"stage": "onboarding", "next": elsewhere})
        assertRedirects(response, f"{url('partner-list', startup)}#partner-{partner.pk}",
                        fetch_redirect_response=False)


def test_an_invalid_stage_is_refused_with_a_clear_error(world):
    startup = world.startup
    partner = PartnerFactory(startup=startup, stage="discussion")
    client = world.client_for("team")
    stage_url = url("partner-stage", startup, pk=partner.pk)
    response = client.post(stage_url, {"stage": "won"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    error = soup(response).select_one("#messages .fr-alert--error")
    assert error is not None and "won" in error.get_text()
    assert column(response, "discussion") == [partner.pk]
    response = client.post(stage_url, {})
    assertRedirects(response, f"{url('partner-list', startup)}#partner-{partner.pk}",
                    fetch_redirect_response=False)
    assertContains(client.get(url("partner-list", startup)), "fr-alert--error")
    partner.refresh_from_db()
    assert partner.stage == "discussion"
    assert stage_activities(partner) == 0


def test_the_stage_change_is_recorded_once(world):
    partner = PartnerFactory(startup=world.startup)
    actor = world.people["team"]
    assert services.partner_set_stage(partner=partner, actor=actor, stage="discussion")
    assert not services.partner_set_stage(partner=partner, actor=actor, stage="discussion")
    assert stage_activities(partner) == 1
    activity = Activity.objects.get(verb="partner.stage")
    assert activity.actor == actor
    with pytest.raises(ValidationError):
        services.partner_set_stage(partner=partner, actor=actor, stage="won")
    partner.refresh_from_db()
    assert partner.stage == "discussion"
    # Moving the card again to the same stage through the page: one activity still.
    client = world.client_for("team")
    client.post(url("partner-stage", world.startup, pk=partner.pk), {"stage": "discussion"})
    assert stage_activities(partner) == 1


# ---------------------------------------------------------------- territories


def test_the_territories_group_the_partners_sorted_by_territory(world):
    startup = world.startup
    PartnerFactory(startup=startup, territory="Nord", organisation="MEL", stage="deployed")
    PartnerFactory(startup=startup, territory="Nord", organisation="APF", stage="discussion")
    PartnerFactory(startup=startup, territory="Ardèche", organisation="Privas")
    PartnerFactory(startup=startup, territory="Ain", organisation="Bourg", stage="deployed")
    PartnerFactory(startup=startup, territory="", organisation="Sans lieu")
    PartnerFactory(territory="Aube")  # another startup
    response = world.client_for("sponsor").get(url("partner-territories", startup))
    rows = soup(response).select("#territory-table tbody tr")
    assert [r["data-territory"] for r in rows] == ["Ain", "Ardèche", "Nord", ""]
    nord = rows[2]
    assert nord.select_one("[data-total]").get_text() == "2"
    assert nord.select_one("[data-deployed]").get_text() == "1"
    organisations = [li.a.get_text() for li in nord.select("li")]
    assert organisations == ["APF", "MEL"]
    assert str(PartnerStage.DEPLOYED.label) in nord.get_text()
    assert rows[3].th.get_text(strip=True)  # a label for the partners without territory
    response = world.client_for("sponsor").get(url("partner-territories", startup),
                                               {"q": "nord"})
    assert [r["data-territory"] for r in soup(response).select("#territory-table tbody tr")] \
        == ["Nord"]


def test_the_territories_are_paged(world):
    startup = world.startup
    Partner.objects.bulk_create([
        Partner(startup=startup, organisation=f"Mairie {i}", territory=f"Commune {i:02d}")
        for i in range(33)
    ])
    client = world.client_for("team")
    response = client.get(url("partner-territories", startup))
    assert len(soup(response).select("#territory-table tbody tr")) == 30
    response = client.get(url("partner-territories", startup), {"page": 2},
                          headers={"HX-Request": "true"})
    assertNotContains(response, "<html")
    assert [r["data-territory"] for r in soup(response).select("#territory-table tbody tr")] \
        == ["Commune 30", "Commune 31", "Commune 32"]


# ---------------------------------------------------------------- writes


def test_a_team_member_adds_a_partner(world):
    startup = world.startup
    client = world.client_for("team")
    response = client.post(url("partner-create", startup), {
        "organisation": "  Département   du Cantal ", "kind": "collectivite",
        "territory": "Cantal", "contact": "Référente accessibilité", "stage": "discussion",
        "next_step": "Présenter le service", "next_step_date": "2026-06-01",
        "notes": "Rencontrée au salon des maires.",
    })
    partner = Partner.objects.get(startup=startup)
    assertRedirects(response, url("partner-detail", startup, pk=partner.pk))
    assert partner.organisation == "Département du Cantal"
    assert partner.stage == "discussion"
    assert partner.next_step_date == datetime.date(2026, 6, 1)
    assert Activity.objects.filter(verb="partner.created", target_id=partner.pk).count() == 1
    detail = client.get(url("partner-detail", startup, pk=partner.pk))
    assertContains(detail, "Rencontrée au salon des maires.")
    assertContains(detail, "Présenter le service")


def test_a_partner_without_organisation_keeps_what_was_typed(world):
    response = world.client_for("team").post(url("partner-create", world.startup), {
        "organisation": "", "kind": "collectivite", "stage": "identified",
        "territory": "Territoire tapé",
    })
    assert response.status_code == 200
    assertContains(response, "fr-input-group--error")
    assertContains(response, "Territoire tapé")
    assert not Partner.objects.exists()


def test_editing_a_partner_records_its_stage_change(world):
    startup = world.startup
    partner = PartnerFactory(startup=startup)
    client = world.client_for("intrapreneur")
    data = {
        "organisation": partner.organisation, "kind": partner.kind,
        "territory": "Haute-Vienne", "contact": "", "stage": "signed", "next_step": "",
        "next_step_date": "", "notes": "",
    }
    response = client.post(url("partner-edit", startup, pk=partner.pk), data)
    assertRedirects(response, url("partner-detail", startup, pk=partner.pk))
    partner.refresh_from_db()
    assert (partner.territory, partner.stage) == ("Haute-Vienne", "signed")
    assert Activity.objects.filter(verb="partner.updated", target_id=partner.pk).count() == 1
    assert stage_activities(partner) == 1
    client.post(url("partner-edit", startup, pk=partner.pk), {**data, "notes": "Suite"})
    assert stage_activities(partner) == 1  # the stage did not change


def test_deleting_asks_then_deletes(world):
    startup = world.startup
    partner = PartnerFactory(startup=startup)
    client = world.client_for("team")
    response = client.get(url("partner-delete", startup, pk=partner.pk))
    assertContains(response, partner.organisation)
    assert Partner.objects.exists()
    response = client.post(url("partner-delete", startup, pk=partner.pk))
    assertRedirects(response, url("partner-list", startup))
    assert not Partner.objects.exists()
    assert Activity.objects.filter(verb="partner.deleted").count() == 1


def test_partners_by_stage_counts_every_stage_in_one_query(world, django_assert_num_queries):
    PartnerFactory(startup=world.startup, stage="lost")
    PartnerFactory(startup=world.startup, stage="lost")
    with django_assert_num_queries(1):
        counts = services.partners_by_stage(world.startup)
    assert list(counts) == list(PartnerStage.values)
    assert counts["lost"] == 2 and counts["deployed"] == 0


# ---------------------------------------------------------------- demo


def test_the_demo_spreads_ten_partners_over_every_stage(world):
    demo_partners.seed(startup=world.startup, people=world.people)
    counts = services.partners_by_stage(world.startup)
    assert sum(counts.values()) == 10
    assert all(counts[stage] >= 1 for stage in PartnerStage.values)
    partners = Partner.objects.for_startup(world.startup)
    assert len({p.territory for p in partners}) >= 5
    today = timezone.localdate()
    assert any(services.is_overdue(p, today) for p in partners)
    response = world.client_for("sponsor").get(url("partner-list", world.startup))
    assert sum(len(column(response, s)) for s in PartnerStage.values) == 10
