"""Investment committees as each role sees them: the list, the dossier, its preparation,
the decision through the phase service, the conditions checklist, the documents."""

import datetime
import os
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pytest_django.asserts import assertRedirects

from governance.models import CommitteeCondition, InvestmentCommittee
from governance.services import committees as services
from intrapreneur.enums import EventKind, Phase
from intrapreneur.models import Activity, Attachment, Event, PhaseChange, Startup
from products.models import Learning
from tests.governance.factories import CommitteeConditionFactory, InvestmentCommitteeFactory
from tests.products.factories import HypothesisFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def url(name, startup, **kwargs):
    return reverse(f"governance:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def build(startup):
    """The world's startup in construction since a month: it can hold investment
    committees."""
    Startup.objects.filter(pk=startup.pk).update(phase=Phase.CONSTRUCTION)
    PhaseChange.objects.filter(startup=startup).update(phase=Phase.CONSTRUCTION)
    startup.phase = Phase.CONSTRUCTION
    return startup


def met(startup, **kwargs):
    """A committee in preparation that met yesterday."""
    return InvestmentCommitteeFactory(startup=startup, date=days(-1), **kwargs)


DOSSIER = {
    "date": "",
    "period_start": "",
    "period_end": "",
    "team_requested": "Une développeuse, un designer.",
    "envelope_requested": "180000",
    "problem": "Les mairies ne savent pas décrire leur accueil.",
    "strategy": "Ouvrir à **dix départements**.",
    "success_criteria": "1 000 accueils décrits.",
}


def dossier(**changes):
    data = {
        **DOSSIER, "date": days(20).isoformat(), "period_start": days(21).isoformat(),
        "period_end": days(21 + 182).isoformat(),
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------- who may do what


@pytest.mark.parametrize("role", ["intrapreneur", "team", "coach", "sponsor", "staff"])
def test_every_role_reads_the_list_the_dossier_and_the_pdf(world, role):
    committee = met(world.startup)
    client = world.client_for(role)
    assert client.get(url("committee-list", world.startup)).status_code == 200
    assert client.get(committee.get_absolute_url()).status_code == 200
    response = client.get(url("committee-pdf", world.startup, pk=committee.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_outsider_gets_404_and_a_visitor_signs_in(world):
    committee = met(world.startup)
    condition = CommitteeConditionFactory(committee=committee)
    outsider = world.client_for("outsider")
    pages = [
        url("committee-list", world.startup), committee.get_absolute_url(),
        url("committee-pdf", world.startup, pk=committee.pk),
        url("committee-create", world.startup),
        url("committee-edit", world.startup, pk=committee.pk),
        url("committee-decide", world.startup, pk=committee.pk),
    ]
    for path in pages:
        assert outsider.get(path).status_code == 404
        assert world.client_for("anonymous").get(path).status_code == 302
    posts = [
        url("committee-snapshot", world.startup, pk=committee.pk),
        url("committee-delete", world.startup, pk=committee.pk),
        url("condition-toggle", world.startup, pk=committee.pk, condition_pk=condition.pk),
    ]
    for path in posts:
        assert outsider.post(path).status_code == 404
    assert InvestmentCommittee.objects.filter(pk=committee.pk, snapshot_at=None).exists()
    assert CommitteeCondition.objects.get(pk=condition.pk).done_at is None


@pytest.mark.parametrize("role", ["sponsor", "coach", "staff"])
def test_readers_cannot_write(world, role):
    build(world.startup)
    committee = met(world.startup)
    condition = CommitteeConditionFactory(committee=committee)
    client = world.client_for(role)
    for name in ("committee-create",):
        assert client.get(url(name, world.startup)).status_code == 403
        assert client.post(url(name, world.startup), dossier()).status_code == 403
    for name in ("committee-edit", "committee-delete", "committee-decide"):
        assert client.get(url(name, world.startup, pk=committee.pk)).status_code == 403
    assert client.post(
        url("committee-edit", world.startup, pk=committee.pk), dossier()
    ).status_code == 403
    assert client.post(url("committee-delete", world.startup, pk=committee.pk)).status_code == 403
    assert client.post(
        url("committee-decide", world.startup, pk=committee.pk), {"decision": "continue"}
    ).status_code == 403
    assert client.post(
        url("committee-snapshot", world.startup, pk=committee.pk)
    ).status_code == 403
    upload = SimpleUploadedFile("deck.pdf", PDF_BYTES, content_type="application/pdf")
    assert client.post(
        url("committee-file-add", world.startup, pk=committee.pk),
        {"kind": "deck", "file": upload},
    ).status_code == 403
    assert client.post(
        url("condition-toggle", world.startup, pk=committee.pk, condition_pk=condition.pk)
    ).status_code == 403
    committee.refresh_from_db()
    assert (committee.decision, committee.snapshot_at) == ("", None)
    assert not Attachment.objects.exists()
    assert CommitteeCondition.objects.get(pk=condition.pk).done_at is None
    assert InvestmentCommittee.objects.count() == 1


def test_the_team_prepares_but_does_not_decide(world):
    build(world.startup)
    team = world.client_for("team")
    response = team.post(url("committee-create", world.startup), dossier())
    committee = InvestmentCommittee.objects.get()
    assertRedirects(response, committee.get_absolute_url())
    assert team.post(url("committee-snapshot", world.startup, pk=committee.pk)).status_code == 302
    assert team.get(url("committee-decide", world.startup, pk=committee.pk)).status_code == 403
    assert team.post(
        url("committee-decide", world.startup, pk=committee.pk), {"decision": "continue"}
    ).status_code == 403
    committee.refresh_from_db()
    assert committee.snapshot_at is not None and committee.decision == ""
    # The buttons follow the rights.
    page = soup(team.get(committee.get_absolute_url()))
    decide = url("committee-decide", world.startup, pk=committee.pk)
    assert page.select_one(f'a[href="{decide}"]') is None
    assert page.select_one("#snapshot-form") is not None
    sponsor_page = soup(world.client_for("sponsor").get(committee.get_absolute_url()))
    assert sponsor_page.select_one("#snapshot-form") is None
    assert sponsor_page.select_one("#committee-pdf-link") is not None


# ---------------------------------------------------------------- preparing the dossier


def test_a_new_dossier_starts_from_the_product_sheet(world):
    Startup.objects.filter(pk=world.startup.pk).update(
        problem="Les personnes sourdes ne savent pas si le guichet a une boucle magnétique."
    )
    active = HypothesisFactory(startup=world.startup, status="testing")
    HypothesisFactory(startup=world.startup, status="validated", statement="Déjà validée")
    HypothesisFactory(statement="Celle d'une autre startup")
    client = world.client_for("team")
    response = client.get(url("committee-create", world.startup))
    form = response.context["form"]
    assert form["problem"].value() == (
        "Les personnes sourdes ne savent pas si le guichet a une boucle magnétique."
    )
    assert list(form.fields["hypotheses"].queryset) == [active]

    response = client.post(
        url("committee-create", world.startup), dossier(hypotheses=[active.pk])
    )
    committee = InvestmentCommittee.objects.get()
    assertRedirects(response, committee.get_absolute_url())
    assert committee.envelope_requested == Decimal("180000")
    assert list(committee.hypotheses.all()) == [active]
    assert Activity.objects.filter(verb="investment.prepared").count() == 1
    page = client.get(committee.get_absolute_url())
    assert "dix départements" in page.content.decode()
    assert active.statement[:40] in page.content.decode()


def test_bad_input_is_shown_with_what_was_typed(world):
    client = world.client_for("team")
    response = client.post(
        url("committee-create", world.startup),
        dossier(period_end=days(10).isoformat(), strategy="Ma stratégie tapée"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["period_end"]
    assert "Ma stratégie tapée" in response.content.decode()
    assert not InvestmentCommittee.objects.exists()
    # A hypothesis of another startup is not a choice.
    other = HypothesisFactory()
    response = client.post(url("committee-create", world.startup), dossier(hypotheses=[other.pk]))
    assert response.context["form"].errors["hypotheses"]


def test_the_dossier_is_edited_and_deleted_until_the_decision(world):
    committee = met(world.startup)
    client = world.client_for("team")
    response = client.post(
        url("committee-edit", world.startup, pk=committee.pk),
        dossier(date=days(-2).isoformat(), strategy="Nouvelle stratégie"),
    )
    assertRedirects(response, committee.get_absolute_url())
    committee.refresh_from_db()
    assert committee.strategy == "Nouvelle stratégie"
    assert committee.date == days(-2)

    response = client.get(url("committee-delete", world.startup, pk=committee.pk))
    assert response.status_code == 200
    response = client.post(url("committee-delete", world.startup, pk=committee.pk))
    assertRedirects(response, url("committee-list", world.startup))
    assert not InvestmentCommittee.objects.exists()
    assert Activity.objects.filter(verb="investment.deleted").count() == 1


def test_a_decided_committee_is_neither_edited_nor_deleted(world):
    build(world.startup)
    committee = met(world.startup)
    services.committee_decide(
        committee=committee, actor=world.people["intrapreneur"], decision="continue"
    )
    client = world.client_for("intrapreneur")
    for name in ("committee-edit", "committee-delete"):
        response = client.get(url(name, world.startup, pk=committee.pk))
        assertRedirects(response, committee.get_absolute_url())
    response = client.post(
        url("committee-edit", world.startup, pk=committee.pk), dossier(strategy="Changée")
    )
    assertRedirects(response, committee.get_absolute_url())
    response = client.post(url("committee-delete", world.startup, pk=committee.pk))
    assertRedirects(response, committee.get_absolute_url())
    committee.refresh_from_db()
    assert committee.strategy == "Déployer dans trois départements pilotes."
    with pytest.raises(ValidationError):
        services.committee_delete(committee=committee, actor=world.people["intrapreneur"])


# ---------------------------------------------------------------- the decision


@pytest.mark.parametrize(
    ("decision", "phase"),
    [
        ("continue", Phase.CONSTRUCTION),
        ("accelerate", Phase.ACCELERATION),
        ("consolidate", Phase.CONSOLIDATION),
        ("transfer", Phase.TRANSFERE),
        ("pivot", Phase.CONSTRUCTION),
        ("stop", Phase.ABANDON),
    ],
)
def test_the_decision_goes_through_the_phase_service(world, decision, phase):
    startup = build(world.startup)
    committee = met(startup)
    intrapreneur = world.people["intrapreneur"]
    changes_before = PhaseChange.objects.filter(startup=startup).count()
    services.committee_decide(
        committee=committee, actor=intrapreneur, decision=decision,
        comment="Le comité salue les résultats.", amount_granted=Decimal("150000.00"),
        duration_months=6, next_committee_on=days(180),
        conditions=["Signer la convention", "Recruter une chargée de déploiement"],
    )
    startup.refresh_from_db()
    committee.refresh_from_db()
    assert startup.phase == phase
    assert committee.decision == decision
    assert committee.decided_by == intrapreneur and committee.decided_at is not None
    assert committee.amount_granted == Decimal("150000.00")
    assert committee.snapshot_at is not None and committee.snapshot["as_of"] == days(-1).isoformat()
    event = Event.objects.get(startup=startup, kind=EventKind.COMMITTEE)
    assert event.date == committee.date
    assert "Le comité salue les résultats." in event.comment
    changes = PhaseChange.objects.filter(startup=startup)
    if phase == Phase.CONSTRUCTION:
        assert changes.count() == changes_before
    else:
        change = changes.order_by("-pk").first()
        assert (change.phase, change.date, change.cause) == (phase, committee.date, committee)
    learnings = Learning.objects.filter(startup=startup)
    if decision == "pivot":
        learning = learnings.get()
        assert learning.date == committee.date
        assert learning.changes == "Le comité salue les résultats."
        assert committee.date.strftime("%d/%m/%Y") in learning.learned
    else:
        assert not learnings.exists()
    assert list(committee.conditions.values_list("text", flat=True)) == [
        "Signer la convention", "Recruter une chargée de déploiement",
    ]
    assert Activity.objects.filter(verb="investment.decided", startup=startup).count() == 1


def test_the_intrapreneur_records_the_decision_with_its_conditions(world):
    startup = build(world.startup)
    committee = met(startup, envelope_requested=Decimal("210000.00"))
    client = world.client_for("intrapreneur")
    path = url("committee-decide", startup, pk=committee.pk)
    form = client.get(path).context["form"]
    assert form["amount_granted"].value() == Decimal("210000.00")
    assert form["duration_months"].value() == 6
    response = client.post(path, {
        "decision": "accelerate", "comment": "Belle progression.", "amount_granted": "200000",
        "duration_months": "6", "next_committee_on": days(170).isoformat(),
        "conditions": "- Signer la convention avec la DILA\n\n* Publier l'API\n3. Un audit RGAA",
    })
    assertRedirects(response, committee.get_absolute_url())
    startup.refresh_from_db()
    assert startup.phase == Phase.ACCELERATION
    assert list(committee.conditions.values_list("text", flat=True)) == [
        "Signer la convention avec la DILA", "Publier l'API", "Un audit RGAA",
    ]
    page = client.get(committee.get_absolute_url())
    html = page.content.decode()
    assert "200\xa0000,00\xa0€" in html
    assert "Signer la convention avec la DILA" in html
    assert str(_("Accelerate")) in html


def test_a_decision_is_recorded_once(world):
    startup = build(world.startup)
    committee = met(startup)
    intrapreneur = world.people["intrapreneur"]
    services.committee_decide(committee=committee, actor=intrapreneur, decision="continue")
    with pytest.raises(ValidationError) as error:
        services.committee_decide(committee=committee, actor=intrapreneur, decision="stop")
    assert error.value.code == "already_decided"
    client = world.client_for("intrapreneur")
    path = url("committee-decide", startup, pk=committee.pk)
    assertRedirects(client.get(path), committee.get_absolute_url())
    assertRedirects(client.post(path, {"decision": "stop"}), committee.get_absolute_url())
    committee.refresh_from_db()
    startup.refresh_from_db()
    assert committee.decision == "continue"
    assert startup.phase == Phase.CONSTRUCTION
    assert Event.objects.filter(startup=startup).count() == 1


def test_a_committee_to_come_cannot_decide(world):
    startup = build(world.startup)
    committee = InvestmentCommitteeFactory(startup=startup, date=days(3))
    with pytest.raises(ValidationError) as error:
        services.committee_decide(
            committee=committee, actor=world.people["intrapreneur"], decision="continue"
        )
    assert error.value.code == "not_met"
    response = world.client_for("intrapreneur").post(
        url("committee-decide", startup, pk=committee.pk), {"decision": "continue"}
    )
    assert response.status_code == 200
    assert days(3).strftime("%d/%m/%Y") in str(response.context["form"].non_field_errors())
    committee.refresh_from_db()
    assert committee.decision == "" and committee.snapshot_at is None


def test_the_phase_must_allow_an_investment_committee(world):
    committee = met(world.startup)  # the world's startup is in investigation
    with pytest.raises(ValidationError) as error:
        services.committee_decide(
            committee=committee, actor=world.people["intrapreneur"], decision="accelerate"
        )
    assert error.value.code == "wrong_phase"


def test_a_phase_change_cannot_go_before_the_last_one(world):
    startup = build(world.startup)  # in construction since 30 days
    committee = InvestmentCommitteeFactory(startup=startup, date=days(-40))
    with pytest.raises(ValidationError) as error:
        services.committee_decide(
            committee=committee, actor=world.people["intrapreneur"], decision="accelerate"
        )
    assert error.value.code == "before_last_phase"
    # Continue changes no phase: the date does not matter.
    services.committee_decide(
        committee=committee, actor=world.people["intrapreneur"], decision="continue"
    )


def test_the_next_committee_comes_after(world):
    startup = build(world.startup)
    committee = met(startup)
    response = world.client_for("intrapreneur").post(
        url("committee-decide", startup, pk=committee.pk),
        {"decision": "continue", "next_committee_on": days(-5).isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["next_committee_on"]


# ---------------------------------------------------------------- conditions


def test_a_condition_is_ticked_then_reopened(world):
    build(world.startup)
    committee = met(world.startup)
    services.committee_decide(
        committee=committee, actor=world.people["intrapreneur"], decision="continue",
        conditions=["Signer la convention"],
    )
    condition = committee.conditions.get()
    team = world.client_for("team")
    path = url("condition-toggle", world.startup, pk=committee.pk, condition_pk=condition.pk)
    response = team.post(path, {"done": "1"})
    assertRedirects(response, f"{committee.get_absolute_url()}#conditions",
                    fetch_redirect_response=False)
    condition.refresh_from_db()
    assert condition.done_at is not None and condition.done_by == world.people["team"]
    # The same form sent twice changes nothing more.
    team.post(path, {"done": "1"})
    assert Activity.objects.filter(verb="condition.done").count() == 1
    # An empty POST flips it.
    team.post(path)
    condition.refresh_from_db()
    assert condition.done_at is None and condition.done_by is None
    assert Activity.objects.filter(verb="condition.reopened").count() == 1


def test_the_checklist_is_updated_in_place_with_htmx(world):
    build(world.startup)
    committee = met(world.startup)
    services.committee_decide(
        committee=committee, actor=world.people["intrapreneur"], decision="continue",
        conditions=["Signer la convention", "Publier l'API"],
    )
    first, second = committee.conditions.order_by("pk")
    path = url("condition-toggle", world.startup, pk=committee.pk, condition_pk=second.pk)
    response = world.client_for("team").post(path, {"done": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    fragment = soup(response)
    section = fragment.select_one("section#conditions")
    assert section is not None
    met_item = section.select_one(f"#condition-{second.pk}")
    assert "Remplie" in met_item.get_text()
    assert met_item.select_one("[data-focus-after-swap]") is not None
    open_item = section.select_one(f"#condition-{first.pk}")
    assert "À remplir" in open_item.get_text()
    # Each button keeps its plain form: the page works without JavaScript.
    form = met_item.select_one("form")
    assert form["action"] == path and form["hx-post"] == path
    assert form.select_one("input[name=done]")["value"] == "0"


def test_a_condition_of_another_committee_is_not_found(world):
    committee = met(world.startup)
    other = CommitteeConditionFactory(committee=met(world.startup))
    foreign = CommitteeConditionFactory(committee=InvestmentCommitteeFactory())
    team = world.client_for("team")
    for condition in (other, foreign):
        path = url("condition-toggle", world.startup, pk=committee.pk, condition_pk=condition.pk)
        assert team.post(path).status_code == 404
    foreign_committee = foreign.committee
    path = url("condition-toggle", world.startup, pk=foreign_committee.pk,
               condition_pk=foreign.pk)
    assert team.post(path).status_code == 404


def test_open_conditions_and_next_committee(world):
    startup = build(world.startup)
    assert services.next_committee(startup) is None
    first = InvestmentCommitteeFactory(startup=startup, date=days(-200))
    services.committee_decide(
        committee=first, actor=world.people["intrapreneur"], decision="continue",
        next_committee_on=days(-10), conditions=["Ancienne condition"],
    )
    second = met(startup)
    services.committee_decide(
        committee=second, actor=world.people["intrapreneur"], decision="continue",
        next_committee_on=days(150), conditions=["A", "B"],
    )
    services.condition_toggle(
        condition=second.conditions.get(text="A"), actor=world.people["team"]
    )
    assert [c.text for c in services.open_conditions(startup)] == ["Ancienne condition", "B"]
    upcoming = services.next_committee(startup)
    assert (upcoming.date, upcoming.committee) == (days(150), None)
    planned = InvestmentCommitteeFactory(startup=startup, date=days(140))
    InvestmentCommitteeFactory(startup=startup, date=days(300))
    upcoming = services.next_committee(startup)
    assert (upcoming.date, upcoming.committee) == (days(140), planned)


# ---------------------------------------------------------------- the list


def test_the_list_shows_each_committee_and_the_next_one(world):
    startup = build(world.startup)
    decided = InvestmentCommitteeFactory(startup=startup, date=days(-100))
    services.committee_decide(
        committee=decided, actor=world.people["intrapreneur"], decision="continue",
        amount_granted=Decimal("1234567.5"), conditions=["A", "B", "C"],
    )
    services.condition_toggle(
        condition=decided.conditions.get(text="A"), actor=world.people["team"]
    )
    planned = InvestmentCommitteeFactory(startup=startup, date=days(40))
    InvestmentCommitteeFactory(startup=startup, date=days(400))
    response = world.client_for("sponsor").get(url("committee-list", startup))
    page = soup(response)
    rows = page.select("#committee-table tbody tr")
    assert [row["id"] for row in rows] == [
        f"committee-{c.pk}" for c in InvestmentCommittee.objects.order_by("-date")
    ]
    decided_row = page.select_one(f"#committee-{decided.pk}")
    assert "1\xa0234\xa0567,50\xa0€" in decided_row.get_text()
    assert decided_row.select_one("[data-open-conditions]")["data-open-conditions"] == "2"
    next_row = page.select_one(f"#committee-{planned.pk}")
    assert next_row.get("aria-current") == "true"
    assert str(_("Next committee")) in next_row.get_text()
    assert page.select_one("#next-committee") is not None
    # The decision filter, with htmx.
    response = world.client_for("sponsor").get(
        url("committee-list", startup), {"decision": "planned"}, headers={"HX-Request": "true"}
    )
    assert response.context["page_obj"].paginator.count == 2
    assert "<html" not in response.content.decode()


def test_the_list_is_empty_at_first(world):
    response = world.client_for("team").get(url("committee-list", world.startup))
    assert response.status_code == 200
    assert soup(response).select_one("#committee-table") is None
    assert soup(response).select_one(".fr-callout") is not None


# ---------------------------------------------------------------- documents


def test_the_team_uploads_the_documents_every_member_downloads(world):
    committee = met(world.startup)
    team = world.client_for("team")
    upload = SimpleUploadedFile("support.pdf", PDF_BYTES, content_type="application/pdf")
    response = team.post(
        url("committee-file-add", world.startup, pk=committee.pk),
        {"kind": "deck", "file": upload, "name": "Présentation au comité.pdf"},
    )
    assertRedirects(response, f"{committee.get_absolute_url()}#documents",
                    fetch_redirect_response=False)
    attachment = Attachment.objects.get()
    assert attachment.owner == committee
    assert attachment.required_action == "view"
    assert attachment.name == f"{_('Presentation deck')} — Présentation au comité.pdf"
    page = soup(world.client_for("sponsor").get(committee.get_absolute_url()))
    download = reverse(
        "attachment-download", kwargs={"slug": world.startup.slug, "pk": attachment.pk}
    )
    link = page.select_one(f'#documents a[href="{download}"]')
    assert link.get_text(strip=True) == attachment.name
    response = world.client_for("sponsor").get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_refused_file_shows_the_error_on_the_dossier(world):
    committee = met(world.startup)
    upload = SimpleUploadedFile("page.html", b"<html><script>x</script></html>")
    response = world.client_for("team").post(
        url("committee-file-add", world.startup, pk=committee.pk),
        {"kind": "deck", "file": upload},
    )
    assert response.status_code == 200
    assert response.context["file_form"].errors["file"]
    assert not Attachment.objects.exists()


def test_the_minutes_come_after_the_decision(world):
    build(world.startup)
    committee = met(world.startup)
    services.committee_decide(
        committee=committee, actor=world.people["intrapreneur"], decision="continue"
    )
    upload = SimpleUploadedFile("cr.pdf", PDF_BYTES, content_type="application/pdf")
    response = world.client_for("team").post(
        url("committee-file-add", world.startup, pk=committee.pk),
        {"kind": "minutes", "file": upload},
    )
    assert response.status_code == 302
    assert Attachment.objects.get().name == f"{_('Minutes')} — cr.pdf"


def test_deleting_a_committee_deletes_its_documents(world, django_capture_on_commit_callbacks):
    committee = met(world.startup)
    upload = SimpleUploadedFile("convention.pdf", PDF_BYTES, content_type="application/pdf")
    attachment = services.committee_file_add(
        committee=committee, actor=world.people["team"], upload=upload, kind="convention"
    )
    stored = attachment.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.committee_delete(committee=committee, actor=world.people["team"])
    assert not Attachment.objects.exists()
    assert not os.path.exists(stored)

