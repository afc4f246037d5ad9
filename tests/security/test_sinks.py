"""The markup-injection harness's other sinks: CSV exports against every formula prefix,
the PDFs, the SVG charts. Built on ``test_markup_injection``'s payloads, its
``store_everywhere`` (every free-text column holds the payload) and its detectors.

- CSV: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
  formula for a spreadsheet; every CSV export of the matrix (the staff's portfolio
  included) neutralises it — and still carries what was typed;
- PDF (committee dossiers, sponsor reports): hostile text is printed as text (it reads
  back from the PDF as typed), never made a link to a script, and the PDF carries no
  JavaScript;
- SVG charts (metrics, weekly counts, budget): their texts are escaped, on the pages and
  from the drawing functions themselves;
- the e-mails the beat sends (weekly nudge, reminders, monthly report) with hostile names.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from governance.charts import budget_chart
from governance.services.budget import BudgetMonth
from intrapreneur.enums import Phase
from intrapreneur.models import Startup
from products.charts import Point, line_chart, week_bar_chart
from tests.governance.factories import ExpenseFactory, FundingFactory
from tests.products.factories import MetricValueFactory
from tests.security.test_authorization_matrix import url_for
from tests.security.test_markup_injection import (
    DANGEROUS_SCHEMES,
    PAGES,
    PAYLOADS,
    content_type,
    csv_problems,
    html_problems,
    intrapreneur_client,
    shows,
    store_everywhere,
)

FORMULAS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("https://evil.example","clic")',
    "-2+3+cmd|' /C calc'!A0",
]
CSV_PAGES = [name for name in PAGES if name.endswith(("export", "-csv"))]
PDF_PAGES = [name for name in PAGES if name.endswith("-pdf")]


def one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- CSV


@pytest.mark.parametrize("payload", FORMULAS)
def test_no_export_starts_a_cell_with_a_formula(world, payload):
    client = intrapreneur_client(world)
    staff = intrapreneur_client(world)
    staff.force_login(world.people["staff"])
    paths = [url_for(name, world) for name in CSV_PAGES]
    store_everywhere(payload)

    exports = [client.get(path) for path in paths]
    exports.append(staff.get(reverse("portfolio:export")))

    csvs = [r for r in exports if content_type(r) == "text/csv"]
    assert len(csvs) >= 8, [content_type(r) for r in exports]
    for response in csvs:
        assert csv_problems(response) == [], response.wsgi_request.path
    assert any(shows(response, payload) for response in csvs), "the text was lost"


# ---------------------------------------------------------------- PDF


def pdf_problems(content: bytes) -> list[str]:
    """Scripts in a PDF: JavaScript actions, or links to a script URL."""
    problems = [f"{marker!r} in the PDF" for marker in (b"/JavaScript", b"/JS ", b"/JS(")
                if marker in content]
    for page in PdfReader(io.BytesIO(content)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = str(action.get("/URI", "")).strip().lower()
            if uri.startswith(DANGEROUS_SCHEMES):
                problems.append(f"link to {uri}")
    return problems


def pdf_text(content: bytes) -> str:
    return one_line(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_pdfs_print_hostile_text_as_text(world, payload):
    client = intrapreneur_client(world)
    paths = [url_for(name, world) for name in PDF_PAGES]
    store_everywhere(payload)

    pdfs = [client.get(path) for path in paths]

    assert len(pdfs) >= 2
    for response in pdfs:
        assert content_type(response) == "application/pdf", response.content[:200]
        assert pdf_problems(response.content) == [], response.wsgi_request.path
    # The title and the names are plain text in the PDF: the payload reads back as typed.
    assert any(one_line(payload) in pdf_text(response.content) for response in pdfs)


def test_the_pdf_detector_catches_a_script_link():
    from weasyprint import HTML

    content = HTML(string='<a href="javascript:alert(1)">x</a>').write_pdf()
    assert pdf_problems(content) == ["link to javascript:alert(1)"]


# ---------------------------------------------------------------- SVG charts


def svg_problems(svg: str, payload: str) -> list[str]:
    soup = BeautifulSoup(svg, "html.parser")
    problems = html_problems(soup)
    if payload not in soup.get_text():
        problems.append("the payload is not in the chart's text")
    return problems


@pytest.mark.parametrize("payload", PAYLOADS)
def test_chart_functions_escape_their_texts(payload):
    start = datetime.date(2026, 1, 5)
    points = [Point(start + datetime.timedelta(days=7 * i), Decimal(i * 3)) for i in range(6)]
    weeks = [(start + datetime.timedelta(days=7 * i), i) for i in range(6)]
    months = [
        BudgetMonth(month=datetime.date(2026, m, 1), funded=Decimal(0), spent=Decimal(1000 * m),
                    forecast=Decimal(0), balance=Decimal(10000 - 1000 * m), is_forecast=m > 3)
        for m in range(1, 7)
    ]
    charts = {
        "line": line_chart(points=points, title=payload, chart_id="c1", target=Decimal(9),
                           unit=payload),
        "weeks": week_bar_chart(weeks=weeks, title=payload, chart_id="c2",
                                description=payload),
        "budget": budget_chart(months=months, title=payload, chart_id="c3",
                               description=payload, today=datetime.date(2026, 3, 15)),
    }
    assert {name: svg_problems(svg, payload) for name, svg in charts.items()} == {
        name: [] for name in charts
    }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_chart_pages_escape_the_stored_text(world, payload):
    """The metric's chart carries its name and unit; the budget's chart the startup's."""
    value = MetricValueFactory(metric__startup=world.startup)
    MetricValueFactory.create_batch(3, metric=value.metric)
    FundingFactory(startup=world.startup)
    ExpenseFactory(startup=world.startup)
    store_everywhere(payload)
    client = intrapreneur_client(world)
    metric = reverse("products:metric-detail",
                     kwargs={"slug": world.startup.slug, "pk": value.metric_id})
    budget = reverse("governance:budget", kwargs={"slug": world.startup.slug})

    for path in (metric, budget):
        soup = BeautifulSoup(client.get(path).content, "html.parser")
        charts = soup.find_all("svg", attrs={"role": "img"})
        assert charts, f"no chart on {path}"
        assert [p for chart in charts for p in html_problems(chart)] == [], path
    metric_charts = BeautifulSoup(client.get(metric).content, "html.parser").find_all("svg")
    assert any(payload in chart.get_text() for chart in metric_charts)


# ---------------------------------------------------------------- e-mails sent by the beat

# The e-mails no form sends (``test_emails`` covers those): the beat's, by kind.
BEAT_EMAILS = {"tests-nudge", "committee-reminder", "standard-reminder", "sponsor-report"}


def send_the_beats_emails(today: datetime.date) -> None:
    from governance.services.committees import committee_reminders_send
    from governance.services.reports import reports_monthly_send
    from governance.services.standards import standard_reminders_send
    from products.services.nudge import teams_nudge

    teams_nudge(today=today)
    committee_reminders_send(today=today)
    standard_reminders_send(today=today)
    reports_monthly_send(today=today)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_beats_emails_stay_inert_with_hostile_names(world, payload):
    """The weekly nudge, the committee and standards reminders, the monthly report: each
    carries the startup's and the person's names; their HTML stays inert."""
    from intrapreneur.models import Membership, OutboxMessage
    from tests.governance.factories import StandardFactory

    today = timezone.localdate().replace(day=2)  # the monthly report goes the first days
    Startup.objects.filter(pk=world.startup.pk).update(phase=Phase.CONSTRUCTION)
    FundingFactory(startup=world.startup, starts_on=today - datetime.timedelta(days=300),
                   ends_on=today + datetime.timedelta(days=10))
    StandardFactory(
        startup=world.startup, due_on=today + datetime.timedelta(days=2),
        owner=Membership.objects.get(startup=world.startup, user=world.people["intrapreneur"]),
    )
    store_everywhere(payload)

    send_the_beats_emails(today)

    messages = list(OutboxMessage.objects.all())
    assert {message.kind for message in messages} == BEAT_EMAILS
    for message in messages:
        soup = BeautifulSoup(message.body_html, "html.parser")
        assert html_problems(soup) == [], message.kind
        assert payload in soup.get_text(), f"{message.kind}: the name is not in the HTML"
        # The plain-text part is not HTML: the names read as typed, not as entities.
        assert payload in message.body_text, message.kind
