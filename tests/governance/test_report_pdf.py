"""The PDF of a sponsor report, read back with pypdf: the same content as its page, the
figures frozen when it was written — a KPI or a budget figure changed afterwards leaves
the page and the PDF as the sponsors received them. And the time the demo report takes."""

import datetime
import io
import time
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from governance import demo_budget, demo_committees, demo_reports
from governance.models import Funding, SponsorReport
from governance.services import reports as services
from intrapreneur.enums import Role
from intrapreneur.models import PhaseChange
from products import (
    demo_feedback,
    demo_hypotheses,
    demo_ideas,
    demo_learnings,
    demo_metrics,
    demo_partners,
    demo_releases,
)
from products.models import MetricValue
from tests.governance.factories import SponsorReportFactory
from tests.governance.test_dashboard import fill
from tests.intrapreneur.factories import MembershipFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db


def pdf_url(report):
    return reverse("governance:report-pdf", kwargs={"slug": report.startup.slug, "pk": report.pk})


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)
                                  if response.streaming else response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def page_text(response) -> str:
    text = BeautifulSoup(response.content.decode(), "html.parser").get_text(" ")
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture
def sent(world):
    fill(world.startup)
    report = services.report_create(
        startup=world.startup, actor=world.people["intrapreneur"],
        as_of=timezone.localdate(), title="Rapport au comité de pilotage",
        highlights="Trois mairies pilotes utilisent le service.",
        risks="La convention tarde.", asks="Une signature du ministère.",
    )
    services.report_send(report=report, actor=world.people["intrapreneur"])
    return report


@pytest.mark.parametrize("role", ["intrapreneur", "sponsor", "staff"])
def test_the_pdf_holds_the_report_and_its_figures(world, sent, role):
    response = world.client_for(role).get(pdf_url(sent))
    assert response["Content-Disposition"] == (
        f'attachment; filename="rapport-{world.startup.slug}-{sent.as_of:%Y-%m-%d}.pdf"'
    )
    text = pdf_text(response)
    for expected in ("Rapport au comité de pilotage", world.startup.name,
                     "Trois mairies pilotes utilisent le service.", "La convention tarde.",
                     "Une signature du ministère.", "Mairies actives 0", "111",
                     "120 000,00", "Les agents d'accueil manquent de repères (0)"):
        assert expected in text, expected


def test_a_sent_report_keeps_its_figures_on_its_page_and_in_its_pdf(world, sent):
    # After the report is sent, the latest KPI value and the funding change.
    value = MetricValue.objects.filter(metric__startup=world.startup).latest("date")
    value.value = Decimal("987")
    value.save()
    Funding.objects.filter(startup=world.startup).update(amount=Decimal("333333.00"))

    client = world.client_for("sponsor")
    live = page_text(client.get(reverse("governance:dashboard",
                                        kwargs={"slug": world.startup.slug})))
    assert "987" in live and "333 333,00" in live

    page = page_text(client.get(sent.get_absolute_url()))
    pdf = pdf_text(client.get(pdf_url(sent)))
    for text in (page, pdf):
        assert "111" in text and "120 000,00" in text
        assert "987" not in text and "333 333,00" not in text


def test_a_draft_pdf_says_it_is_a_draft(world):
    report = SponsorReportFactory(startup=world.startup, snapshot={})
    text = pdf_text(world.client_for("team").get(pdf_url(report)))
    assert report.title in text and "Rapport n°" in text


def test_the_demo_report_pdf_and_its_generation_time(client):
    people = {role: UserFactory() for role in ("intrapreneur", "team", "coach", "sponsor")}
    startup = StartupFactory(slug="accueil-accessible", name="Accueil Accessible",
                             in_construction=True)
    for role, user in people.items():
        MembershipFactory(startup=startup, user=user, role=role)
    # The demo's history starts long ago (its committees come after it).
    PhaseChange.objects.filter(startup=startup).update(
        date=timezone.localdate() - datetime.timedelta(days=500)
    )
    for demo in (demo_feedback, demo_ideas, demo_metrics, demo_hypotheses, demo_releases,
                 demo_learnings, demo_partners, demo_budget, demo_committees, demo_reports):
        demo.seed(startup=startup, people=people)
    report = SponsorReport.objects.for_startup(startup).order_by("-as_of").first()
    client.force_login(people[Role.SPONSOR])
    timings = []
    for _run in range(2):  # the first one also loads WeasyPrint's fonts
        started = time.perf_counter()
        response = client.get(pdf_url(report))
        timings.append(time.perf_counter() - started)
    text = pdf_text(response)
    assert report.title in text and "APF France handicap" in text
    assert "€" in text  # the demo budget
    print(f"\nPDF of the demo report ({len(response.content) // 1024} KiB, "
          f"{len(PdfReader(io.BytesIO(response.content)).pages)} pages): "
          f"{timings[0]:.2f} s, then {timings[1]:.2f} s")
