"""The public statistics page of a public startup, and its CSV and JSON downloads."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from products.models import MetricValue
from tests.intrapreneur.factories import StartupFactory
from tests.products.factories import MetricFactory, MetricValueFactory

pytestmark = pytest.mark.django_db


def public_url(name, startup):
    return reverse(f"public:{name}", kwargs={"slug": startup.slug})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def public(client):
    startup = StartupFactory(is_public=True, name="Mon Espace Démarches")
    used = MetricFactory(startup=startup, key="demarches", name="Démarches déposées",
                         unit="démarches", impact_level="utilise", is_public=True,
                         direction="up", target=Decimal("500"))
    for day, value in ((datetime.date(2025, 1, 1), "300"), (datetime.date(2025, 2, 1), "420.5")):
        MetricValueFactory(metric=used, date=day, value=Decimal(value))
    delay = MetricFactory(startup=startup, key="delai", name="Délai de réponse", unit="jours",
                          impact_level="impactant", is_public=True, direction="down")
    for day, value in ((datetime.date(2025, 1, 1), "10"), (datetime.date(2025, 2, 1), "14")):
        MetricValueFactory(metric=delay, date=day, value=Decimal(value))
    usable = MetricFactory(startup=startup, key="accessibilite", name="Conformité RGAA",
                           unit="%", impact_level="utilisable", is_public=True)
    MetricValueFactory(metric=usable, date=datetime.date(2025, 2, 1), value=Decimal("75"))
    other = MetricFactory(startup=startup, key="autre", name="Indicateur libre",
                          impact_level="", is_public=True)
    MetricValueFactory(metric=other, date=datetime.date(2025, 2, 1), value=Decimal("-2.5"))
    secret = MetricFactory(startup=startup, key="cout-secret", name="Coût interne",
                           impact_level="efficient", is_public=False)
    MetricValueFactory(metric=secret, date=datetime.date(2025, 2, 1), value=Decimal("99"))
    return startup


def test_public_metrics_grouped_by_the_impact_matrix(client, public):
    response = client.get(public_url("stats", public))

    assert response.status_code == 200
    page = soup(response)
    assert len(page.select("h1")) == 1
    assert page.title.text.strip().split(" — ")[1:] == [public.name, "Intrapreneur"]
    # Levels in the matrix's order, the empty ones (utile, efficient: private) hidden,
    # metrics outside the matrix last.
    assert [s["id"] for s in page.select("section.stats-level")] == [
        "level-utilisable", "level-utilise", "level-impactant", "level-other",
    ]
    assert [a["id"] for a in page.select("article.stats-metric")] == [
        "metric-accessibilite", "metric-demarches", "metric-delai", "metric-autre",
    ]
    html = response.content.decode()
    assert "Coût interne" not in html and "cout-secret" not in html
    # Each metric: its chart, its last value, its trend coloured by its direction, its target.
    demarches = page.select_one("#metric-demarches")
    assert demarches.select_one("svg[role=img] .chart-target") is not None
    assert demarches.select_one(".stats-figures__value")["data-value"] == "420.5000"
    trend = demarches.select_one(".metric-trend")
    assert (trend["data-trend"], trend["data-good"]) == ("up", "true")
    trend = page.select_one("#metric-delai .metric-trend")
    assert (trend["data-trend"], trend["data-good"]) == ("up", "false")
    assert "fr-badge--error" in trend["class"]
    assert len(demarches.select("table tbody tr")) == 2
    # The downloads and the date of the last update.
    links = [a["href"] for a in page.select("#stats-downloads a")]
    assert links == [public_url("stats-csv", public), public_url("stats-json", public)]
    assert str(timezone.localdate().year) in page.select_one("#stats-updated").text


def test_the_downloads_hold_every_public_value_only(client, public):
    response = client.get(public_url("stats-csv", public))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["key", "metric"]
    assert {(r[0], r[5], r[6]) for r in rows[1:]} == {
        ("accessibilite", "2025-02-01", "75"),
        ("demarches", "2025-01-01", "300"), ("demarches", "2025-02-01", "420.5"),
        ("delai", "2025-01-01", "10"), ("delai", "2025-02-01", "14"),
        ("autre", "2025-02-01", "-2.5"),
    }

    response = client.get(public_url("stats-json", public))
    assert response.status_code == 200
    data = response.json()
    assert data["startup"]["slug"] == public.slug
    assert data["updated_at"]
    by_key = {m["key"]: m for m in data["metrics"]}
    assert set(by_key) == {"accessibilite", "demarches", "delai", "autre"}
    assert by_key["demarches"]["values"] == [
        {"date": "2025-01-01", "value": 300}, {"date": "2025-02-01", "value": 420.5},
    ]
    assert by_key["demarches"]["target"] == 500
    assert by_key["autre"]["impact_level"] is None
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("name", ["stats", "stats-csv", "stats-json"])
def test_404_unless_the_startup_is_public_and_followed(client, public, name):
    private = StartupFactory(is_public=False)
    MetricFactory(startup=private, is_public=True)
    assert client.get(public_url(name, private)).status_code == 404
    public.archived_at = timezone.now()
    public.save()
    assert client.get(public_url(name, public)).status_code == 404
    assert client.get(reverse(f"public:{name}", kwargs={"slug": "inconnue"})).status_code == 404


def test_a_member_sees_the_same_public_page(world, public):
    response = world.client_for("team").get(public_url("stats", public))
    assert response.status_code == 200
    assert "Coût interne" not in response.content.decode()


def test_empty_state_without_public_metrics(client):
    startup = StartupFactory(is_public=True)
    MetricFactory(startup=startup, is_public=False)
    response = client.get(public_url("stats", startup))
    page = soup(response)
    assert page.select_one("#stats-empty") is not None
    assert page.select("section.stats-level") == []
    assert client.get(public_url("stats-json", startup)).json()["metrics"] == []


def test_a_public_metric_without_values(client):
    startup = StartupFactory(is_public=True)
    MetricFactory(startup=startup, key="nouveau", is_public=True, impact_level="utile")
    page = soup(client.get(public_url("stats", startup)))
    assert page.select_one("#metric-nouveau svg") is None
    assert page.select_one("#metric-nouveau") is not None


def test_post_is_refused(client, public):
    assert client.post(public_url("stats", public)).status_code == 405


def test_query_count_does_not_grow_with_values(client, public, django_assert_num_queries):
    # startup, metrics, their values.
    with django_assert_num_queries(3):
        client.get(public_url("stats", public))
    for metric in public.metrics.all():
        for n in range(10):
            MetricValueFactory(metric=metric, date=datetime.date(2024, 1, 1)
                               + datetime.timedelta(days=n))
    with django_assert_num_queries(3):
        assert client.get(public_url("stats", public)).status_code == 200
    with django_assert_num_queries(3):
        client.get(public_url("stats-json", public))


def test_the_table_stays_bounded_with_two_years_of_daily_values(client):
    startup = StartupFactory(is_public=True)
    metric = MetricFactory(startup=startup, key="visites", name="Visites", unit="visites",
                           impact_level="utilise", is_public=True)
    first = datetime.date(2024, 1, 1)
    MetricValue.objects.bulk_create(
        MetricValue(metric=metric, date=first + datetime.timedelta(days=n), value=Decimal(n))
        for n in range(731)
    )  # 2024-01-01 … 2025-12-31: two years, every day.

    response = client.get(public_url("stats", startup))

    print("stats page HTML bytes:", len(response.content))
    article = soup(response).select_one("#metric-visites")
    rows = article.select(".stats-table tbody tr")
    # One row a month, the last 24 months: the last value of each, dated.
    assert len(rows) == 24
    assert [r.th.text.strip() for r in rows[:2]] == ["Janvier 2024", "Février 2024"]
    assert rows[0].select("td")[0].text.strip() == "30"
    assert rows[0].select("td")[1].text.strip() == "31/01/2024"
    assert rows[-1].th.text.strip() == "Décembre 2025"
    assert rows[-1].select("td")[0].text.strip() == "730"
    # The whole series: in the downloads, linked under the table.
    links = [a["href"] for a in article.select(".stats-table a")]
    assert links == [public_url("stats-csv", startup), public_url("stats-json", startup)]
    assert len(response.content) < 60_000

    # Ten years of values: still at most 24 rows, the most recent months.
    MetricValue.objects.bulk_create(
        MetricValue(metric=metric, date=first - datetime.timedelta(days=n), value=Decimal(-n))
        for n in range(1, 8 * 366)
    )
    rows = soup(client.get(public_url("stats", startup))).select(
        "#metric-visites .stats-table tbody tr"
    )
    assert len(rows) == 24
    assert rows[0].th.text.strip() == "Janvier 2024"
