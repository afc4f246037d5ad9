"""The committee's PDF dossier, read back with pypdf: every section, the frozen figures the
French way, the decision; and how long the demo committee's PDF takes."""

import datetime
import io
import re
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from governance import demo_committees
from governance.models import InvestmentCommittee
from governance.services import committees as services
from intrapreneur.enums import Phase
from intrapreneur.management.commands.seed_demo import DEMO_ACCOUNTS
from intrapreneur.models import PhaseChange, Startup, User
from products.models import MetricValue
from tests.governance.factories import FundingFactory, InvestmentCommitteeFactory
from tests.products.factories import MetricFactory, MetricValueFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def days(n, base=None):
    return (base or timezone.localdate()) + datetime.timedelta(days=n)


def pdf_url(committee):
    return reverse(
        "governance:committee-pdf", kwargs={"slug": committee.startup.slug, "pk": committee.pk}
    )


def pdf_text(response) -> str:
    """The PDF's text, spaces of any kind as one space."""
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


@pytest.fixture
def committee(world):
    startup = world.startup
    Startup.objects.filter(pk=startup.pk).update(phase=Phase.CONSTRUCTION)
    PhaseChange.objects.filter(startup=startup).update(phase=Phase.CONSTRUCTION)
    startup.phase = Phase.CONSTRUCTION
    date = days(-3)
    metric = MetricFactory(
        startup=startup, name="Accueils décrits", key="accueils", unit="accueils",
        target=Decimal("2000"),
    )
    MetricValueFactory(metric=metric, date=days(-60, date), value=Decimal("1000"))
    MetricValueFactory(metric=metric, date=days(-2, date), value=Decimal("1234.5"))
    ReleaseFactory(startup=startup, version="Version Lumière", date=days(-20, date),
                   is_published=True)
    FundingFactory(startup=startup, amount=Decimal("345678.90"), starts_on=days(-100, date),
                   ends_on=days(200, date))
    return InvestmentCommitteeFactory(
        startup=startup, date=date, envelope_requested=Decimal("250000.00"),
        problem="Les mairies **ignorent** leur accessibilité réelle.",
        strategy="Ouvrir à toutes les préfectures.",
        success_criteria="Deux mille accueils décrits.",
    )


def test_the_pdf_is_a_download_named_after_the_startup_and_the_date(world, committee):
    response = world.client_for("sponsor").get(pdf_url(committee))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="comite-{committee.startup.slug}-{committee.date.isoformat()}.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def test_every_section_of_the_dossier_is_printed(world, committee):
    text = pdf_text(world.client_for("coach").get(pdf_url(committee)))
    for title in ("1. The problem", "2. The last six months", "3. Impact indicators",
                  "4. The next six months", "5. Success criteria", "6. Budget used and asked"):
        assert str(_(title)) in text
    assert "Les mairies ignorent leur accessibilité réelle." in text
    assert "Ouvrir à toutes les préfectures." in text
    assert "Deux mille accueils décrits." in text
    assert "Version Lumière" in text
    assert "Accueils décrits" in text
    assert "1 234,5 accueils" in text
    assert "345 678,90 €" in text  # granted
    assert "250 000,00 €" in text  # the envelope requested
    # Not frozen yet: the PDF says so.
    assert committee.date.strftime("%Y") in text
    assert str(_("Decision:")) not in text


def test_the_frozen_value_is_printed_not_the_one_changed_since(world, committee):
    services.committee_snapshot_take(committee=committee, actor=world.people["team"])
    MetricValue.objects.filter(value=Decimal("1234.5")).update(value=Decimal("8765.25"))
    text = pdf_text(world.client_for("sponsor").get(pdf_url(committee)))
    assert "1 234,5 accueils" in text
    assert "8 765,25" not in text
    # The live dossier of another committee at the same date reads the new value.
    other = InvestmentCommitteeFactory(startup=committee.startup, date=committee.date)
    assert "8 765,25 accueils" in pdf_text(world.client_for("sponsor").get(pdf_url(other)))


def test_the_decision_is_printed_once_taken(world, committee):
    services.committee_decide(
        committee=committee, actor=world.people["intrapreneur"], decision="accelerate",
        comment="Le comité salue les résultats.", amount_granted=Decimal("400000"),
        duration_months=12, next_committee_on=days(180),
        conditions=["Suivre le schéma national de données"],
    )
    MetricValue.objects.update(value=Decimal("3"))
    text = pdf_text(world.client_for("sponsor").get(pdf_url(committee)))
    assert str(_("Accelerate")) in text
    assert "400 000,00 €" in text
    assert "Le comité salue les résultats." in text
    assert "Suivre le schéma national de données" in text
    assert "1 234,5 accueils" in text  # frozen at the decision


def _demo_committees() -> list[InvestmentCommittee]:
    """The demo's committees of Accueil Accessible (seeded here if the demo command does not
    seed them itself)."""
    call_command("seed_demo", "--force", stdout=io.StringIO())
    startup = Startup.objects.get(slug="accueil-accessible")
    if not InvestmentCommittee.objects.filter(startup=startup).exists():
        people = {
            person.key: User.objects.get(email=person.email) for person in DEMO_ACCOUNTS
        }
        demo_committees.seed(startup=startup, people=people)
    return list(InvestmentCommittee.objects.filter(startup=startup).order_by("date"))


def test_the_demo_committees(world):
    first, second, planned = _demo_committees()
    startup = first.startup
    startup.refresh_from_db()
    assert startup.phase == Phase.ACCELERATION
    assert (first.decision, second.decision, planned.decision) == ("continue", "accelerate", "")
    assert first.date < second.date < timezone.localdate() < planned.date
    assert first.next_committee_on == second.date
    assert second.next_committee_on == planned.date
    # Frozen as of their dates, before they decided.
    for committee in (first, second):
        assert committee.snapshot["as_of"] == committee.date.isoformat()
        assert committee.snapshot_at < committee.decided_at
        assert committee.snapshot["kpis"]
    assert planned.snapshot_at is None and planned.hypotheses.exists()
    assert second.conditions.filter(done_at__isnull=True).count() == 2
    assert not first.conditions.filter(done_at__isnull=True).exists()
    upcoming = services.next_committee(startup)
    assert upcoming.committee == planned


def test_the_demo_committee_pdf_time(world):
    committees = _demo_committees()
    second = committees[1]
    client = world.client_for("staff")
    client.force_login(User.objects.get(email="staff@demo.intrapreneur.fr"))
    started = time.perf_counter()
    client.get(pdf_url(second))  # the first one loads the fonts and templates
    first_call = time.perf_counter() - started
    started = time.perf_counter()
    response = client.get(pdf_url(second))
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    print(
        f"\nPDF of the demo committee of {second.date}: {elapsed * 1000:.0f} ms "
        f"({first_call * 1000:.0f} ms the first time), {pages} pages, "
        f"{len(response.content) // 1024} KiB"
    )
    assert "640 accueils décrits" in pdf_text(response)
