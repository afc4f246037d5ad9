"""Impact metrics as each role sees them: list, detail, create, edit, delete, inline entry of
values (htmx and without JavaScript), deleting a value, reading the JSON address now."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from intrapreneur.models import Activity
from products.models import Metric, MetricValue
from products.services import metrics as services
from tests.intrapreneur.factories import StartupFactory
from tests.products.factories import MetricFactory, MetricValueFactory

pytestmark = pytest.mark.django_db


def url(name, startup, **kwargs):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug, **kwargs})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def listed(response):
    """The pks of the metrics listed, in order."""
    return [int(tr["id"].removeprefix("metric-")) for tr in soup(response).select("tbody tr")]


def field_errors(response, within=""):
    """The names of the fields shown with an error."""
    return {
        div["id"].removeprefix("id_").removesuffix("-desc-error")
        for div in soup(response).select(f"{within} [id$=-desc-error]".strip())
    }


def table_values(response):
    """date (ISO) -> the value as shown, from the values table of a metric's page."""
    return {
        tr["data-date"]: tr.select_one(".metric-value").get_text(strip=True)
        for tr in soup(response).select("#metric-values-table tbody tr")
    }


# ---------------------------------------------------------------- who sees what


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 200), ("sponsor", 200), ("staff", 200),
     ("outsider", 404)],
)
def test_metric_pages_by_role(world, role, status):
    metric = MetricFactory(startup=world.startup)
    client = world.client_for(role)
    assert client.get(url("metric-list", world.startup)).status_code == status
    assert client.get(url("metric-detail", world.startup, pk=metric.pk)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 200), ("coach", 403), ("sponsor", 403), ("staff", 403),
     ("outsider", 404)],
)
def test_metric_writes_need_contribute(world, role, status):
    metric = MetricFactory(startup=world.startup)
    client = world.client_for(role)
    assert client.get(url("metric-create", world.startup)).status_code == status
    assert client.get(url("metric-edit", world.startup, pk=metric.pk)).status_code == status
    assert client.get(url("metric-import", world.startup)).status_code == status
    response = client.post(
        url("value-add", world.startup, pk=metric.pk), {"date": "2025-01-01", "value": "3"}
    )
    assert response.status_code == (302 if status == 200 else status)


def test_readers_see_no_write_button(world):
    metric = MetricFactory(startup=world.startup)
    MetricValueFactory(metric=metric)
    for role, sees in (("sponsor", False), ("coach", False), ("team", True)):
        client = world.client_for(role)
        page = soup(client.get(url("metric-detail", world.startup, pk=metric.pk)))
        assert bool(page.select("#value-form")) is sees, role
        assert bool(page.select(f'a[href="{url("metric-edit", world.startup, pk=metric.pk)}"]')) \
            is sees
        listing = soup(client.get(url("metric-list", world.startup)))
        assert bool(listing.select(f'a[href="{url("metric-create", world.startup)}"]')) is sees


def test_a_metric_of_another_startup_is_404(world):
    other = MetricFactory(startup=StartupFactory())
    value = MetricValueFactory(metric=other)
    client = world.client_for("intrapreneur")
    assert client.get(url("metric-detail", world.startup, pk=other.pk)).status_code == 404
    assert client.get(url("metric-edit", world.startup, pk=other.pk)).status_code == 404
    assert client.post(url("metric-delete", world.startup, pk=other.pk)).status_code == 404
    assert client.post(
        url("value-add", world.startup, pk=other.pk), {"date": "2025-01-01", "value": "1"}
    ).status_code == 404
    assert client.post(
        url("value-delete", world.startup, pk=other.pk, value_pk=value.pk)
    ).status_code == 404
    # A value of another metric, through a metric of this startup: 404 too.
    mine = MetricFactory(startup=world.startup)
    assert client.post(
        url("value-delete", world.startup, pk=mine.pk, value_pk=value.pk)
    ).status_code == 404
    assert MetricValue.objects.filter(pk=value.pk).exists()


# ---------------------------------------------------------------- the list


def test_list_rows_say_the_last_value_and_the_trend(world):
    startup = world.startup
    visits = MetricFactory(startup=startup, name="Visites", unit="visites",
                           impact_level="utilise", direction="up", target=Decimal("2000"))
    for days, value in ((60, "1000"), (30, "1200.5"), (1, "1500")):
        MetricValueFactory(metric=visits, date=days_ago(days), value=Decimal(value))
    delay = MetricFactory(startup=startup, name="Délai de traitement", unit="jours",
                          impact_level="impactant", direction="down")
    for days, value in ((30, "12"), (1, "15")):
        MetricValueFactory(metric=delay, date=days_ago(days), value=Decimal(value))
    empty = MetricFactory(startup=startup, name="Satisfaction", impact_level="")
    MetricFactory(startup=StartupFactory(), name="Ailleurs")

    response = world.client_for("sponsor").get(url("metric-list", startup))

    # In the order of the impact matrix, metrics outside it last.
    assert listed(response) == [visits.pk, delay.pk, empty.pk]
    page = soup(response)
    row = page.select_one(f"#metric-{visits.pk}")
    assert row.select_one(".metric-last strong").text == "1\xa0500"
    trend = row.select_one(".metric-trend")
    assert (trend["data-trend"], trend["data-good"]) == ("up", "true")
    assert "fr-badge--success" in trend["class"]
    assert "+299,5" in trend.text
    # The sparkline is decoration: hidden from assistive technologies.
    assert row.select_one("svg.sparkline")["aria-hidden"] == "true"
    # Rising is bad for a delay.
    trend = page.select_one(f"#metric-{delay.pk} .metric-trend")
    assert (trend["data-trend"], trend["data-good"]) == ("up", "false")
    assert "fr-badge--error" in trend["class"]
    assert page.select_one(f"#metric-{empty.pk} .metric-last").text.strip() == "—"
    assert page.select_one(f"#metric-{empty.pk} svg") is None
    assert "Ailleurs" not in response.content.decode()


def test_list_filters_search_and_htmx(world):
    startup = world.startup
    public = MetricFactory(startup=startup, name="Démarches en ligne", is_public=True,
                           impact_level="utilise", aarri_step="activation")
    private = MetricFactory(startup=startup, name="Coût par démarche", is_public=False,
                            impact_level="efficient", aarri_step="impact")
    client = world.client_for("team")
    path = url("metric-list", startup)

    assert listed(client.get(path, {"visibility": "public"})) == [public.pk]
    assert listed(client.get(path, {"impact_level": "efficient"})) == [private.pk]
    assert listed(client.get(path, {"aarri_step": "activation"})) == [public.pk]
    assert listed(client.get(path, {"q": "coût"})) == [private.pk]
    assert listed(client.get(path, {"sort": "name"})) == [private.pk, public.pk]
    assert listed(client.get(path, {"sort": "-name"})) == [public.pk, private.pk]

    response = client.get(path, {"visibility": "private"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<h1" not in response.content.decode()
    assert listed(response) == [private.pk]
    assert "HX-Request" in response["Vary"]
    # A history restore gets the whole page.
    response = client.get(
        path, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<h1" in response.content.decode()


def test_list_empty_states(world):
    client = world.client_for("team")
    response = client.get(url("metric-list", world.startup))
    assert soup(response).select_one(".fr-callout") is not None
    MetricFactory(startup=world.startup, is_public=True)
    response = client.get(url("metric-list", world.startup), {"visibility": "private"})
    assert soup(response).select_one(".fr-callout a[href='?']") is not None


def test_list_links_to_tokens_for_managers_and_to_public_stats(world):
    world.startup.is_public = True
    world.startup.save()
    token_url = url("token-list", world.startup)
    stats_url = reverse("public:stats", kwargs={"slug": world.startup.slug})
    page = soup(world.client_for("intrapreneur").get(url("metric-list", world.startup)))
    assert page.select_one("#token-list-link")["href"] == token_url
    assert page.select_one("#public-stats-link")["href"] == stats_url
    page = soup(world.client_for("team").get(url("metric-list", world.startup)))
    assert page.select_one("#token-list-link") is None


# ---------------------------------------------------------------- create, edit, delete


def test_create_a_metric(world):
    client = world.client_for("team")
    response = client.post(url("metric-create", world.startup), {
        "name": "Démarches déposées en ligne", "key": "", "unit": "démarches",
        "description": "Par mois.", "direction": "up", "target": "1 200,5",
        "impact_level": "utilise", "aarri_step": "activation", "is_public": "on",
        "pull_url": "", "pull_path": "",
    })
    metric = Metric.objects.get(startup=world.startup)
    assertRedirects(response, url("metric-detail", world.startup, pk=metric.pk))
    assert metric.key == "demarches-deposees-en-ligne"
    assert metric.target == Decimal("1200.5")
    assert metric.is_public
    assert Activity.objects.filter(verb="metric.created", actor=world.people["team"]).exists()


def test_create_refuses_a_taken_key_and_keeps_what_was_typed(world):
    MetricFactory(startup=world.startup, key="visites")
    MetricFactory(startup=StartupFactory(), key="autre")
    client = world.client_for("team")
    data = {
        "name": "Visites du site", "key": "visites", "unit": "", "description": "",
        "direction": "up", "target": "douze", "impact_level": "", "aarri_step": "",
        "pull_url": "ftp://exemple.fr/x.json", "pull_path": "",
    }
    response = client.post(url("metric-create", world.startup), data)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#id_name")["value"] == "Visites du site"
    assert page.select_one("#id_target")["value"] == "douze"
    assert field_errors(response) == {"key", "target", "pull_url"}
    assert Metric.objects.filter(startup=world.startup).count() == 1
    # The same key in another startup is fine.
    data.update(key="autre", target="12", pull_url="")
    response = client.post(url("metric-create", world.startup), data)
    assert response.status_code == 302


def test_edit_a_metric(world):
    metric = MetricFactory(startup=world.startup, key="visites", target=Decimal("10"),
                           pull_url="https://stats.example.fr/a.json",
                           last_pull_error="Ancienne erreur")
    client = world.client_for("intrapreneur")
    response = client.get(url("metric-edit", world.startup, pk=metric.pk))
    assert soup(response).select_one("#id_target")["value"] == "10"
    response = client.post(url("metric-edit", world.startup, pk=metric.pk), {
        "name": "Visites", "key": "visites", "unit": "visites", "description": "",
        "direction": "down", "target": "12,25", "impact_level": "utile", "aarri_step": "",
        "pull_url": "https://stats.example.fr/b.json", "pull_path": "data.0",
    })
    assertRedirects(response, url("metric-detail", world.startup, pk=metric.pk))
    metric.refresh_from_db()
    assert (metric.direction, metric.target, metric.impact_level) == (
        "down", Decimal("12.25"), "utile"
    )
    # Another address: the error of the previous one is forgotten.
    assert metric.last_pull_error == ""


def test_delete_a_metric_after_confirmation(world):
    metric = MetricFactory(startup=world.startup)
    MetricValueFactory(metric=metric)
    client = world.client_for("team")
    path = url("metric-delete", world.startup, pk=metric.pk)
    response = client.get(path)
    assert response.status_code == 200
    assert Metric.objects.filter(pk=metric.pk).exists()
    assertRedirects(client.post(path), url("metric-list", world.startup))
    assert not Metric.objects.filter(pk=metric.pk).exists()
    assert not MetricValue.objects.exists()
    assert Activity.objects.filter(verb="metric.deleted").exists()


# ---------------------------------------------------------------- values


def test_detail_shows_chart_table_and_target(world):
    metric = MetricFactory(startup=world.startup, name="Démarches", target=Decimal("150"))
    MetricValueFactory(metric=metric, date=datetime.date(2025, 1, 6), value=Decimal("100"))
    MetricValueFactory(metric=metric, date=datetime.date(2025, 1, 13), value=Decimal("1234.5"))
    response = world.client_for("coach").get(url("metric-detail", world.startup, pk=metric.pk))
    page = soup(response)
    chart = page.select_one("#metric-chart svg")
    assert chart["role"] == "img"
    assert chart.select_one(".chart-target") is not None
    assert table_values(response) == {"2025-01-13": "1\xa0234,5", "2025-01-06": "100"}
    assert page.select_one("#metric-values-table caption") is not None
    assert page.select_one("#metric-target").text.strip().startswith("150")


def test_detail_without_value_says_so(world):
    metric = MetricFactory(startup=world.startup)
    page = soup(world.client_for("team").get(url("metric-detail", world.startup, pk=metric.pk)))
    assert page.select_one("#metric-no-value") is not None
    assert page.select_one("#metric-chart") is None


def test_inline_entry_with_htmx_returns_the_updated_values(world):
    metric = MetricFactory(startup=world.startup, target=Decimal("50"))
    client = world.client_for("team")
    path = url("value-add", world.startup, pk=metric.pk)
    date = days_ago(3).isoformat()

    response = client.post(path, {"date": date, "value": "12,5"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" not in html
    assert table_values(response) == {date: "12,5"}
    page = soup(response)
    assert page.select_one("svg[role=img] .chart-target") is not None
    # The status is announced out of band; the form is back, empty, for the next value.
    assert page.select_one("#value-status[hx-swap-oob]") is not None
    assert page.select_one("#value-form #id_value").get("value") in (None, "")
    assert MetricValue.objects.get(metric=metric).value == Decimal("12.5")

    # The same date again replaces the value: idempotent on (metric, date).
    response = client.post(path, {"date": date, "value": "13"}, headers={"HX-Request": "true"})
    assert table_values(response) == {date: "13"}
    assert MetricValue.objects.filter(metric=metric).count() == 1
    assert Activity.objects.filter(verb="metric.values").count() == 2


def test_inline_entry_with_htmx_and_bad_input_shows_errors_and_what_was_typed(world):
    metric = MetricFactory(startup=world.startup)
    client = world.client_for("team")
    response = client.post(
        url("value-add", world.startup, pk=metric.pk),
        {"date": "2025-13-45", "value": "douze"}, headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#value-form #id_value")["value"] == "douze"
    assert page.select_one("#value-form #id_date")["value"] == "2025-13-45"
    assert field_errors(response, "#value-form") == {"date", "value"}
    assert not MetricValue.objects.exists()


def test_inline_entry_without_javascript(world):
    metric = MetricFactory(startup=world.startup)
    client = world.client_for("intrapreneur")
    path = url("value-add", world.startup, pk=metric.pk)
    detail = url("metric-detail", world.startup, pk=metric.pk)

    response = client.post(path, {"date": days_ago(1).isoformat(), "value": "1 000,25"})
    assertRedirects(response, detail)
    assert MetricValue.objects.get(metric=metric).value == Decimal("1000.25")

    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = client.post(path, {"date": future, "value": "7"})
    assert response.status_code == 200
    page = soup(response)
    assert "<h1" in response.content.decode()
    assert page.select_one("#value-form #id_date")["value"] == future
    assert page.select_one("#value-form #id_value")["value"] == "7"
    assert MetricValue.objects.count() == 1
    # A GET of the entry address (a link followed from that page) goes back to the metric.
    assertRedirects(client.get(path, {"page": "2"}), detail + "?page=2",
                    fetch_redirect_response=False)


def test_values_table_is_paginated_newest_first(world):
    metric = MetricFactory(startup=world.startup)
    for n in range(25):
        MetricValueFactory(metric=metric, date=datetime.date(2024, 1, 1)
                           + datetime.timedelta(days=n), value=n)
    client = world.client_for("team")
    path = url("metric-detail", world.startup, pk=metric.pk)
    first = table_values(client.get(path))
    assert len(first) == 20 and next(iter(first)) == "2024-01-25"
    second = client.get(path, {"page": 2}, headers={"HX-Request": "true"})
    assert "<h1" not in second.content.decode()
    assert list(table_values(second)) == [f"2024-01-0{d}" for d in range(5, 0, -1)]


def test_delete_a_value_after_confirmation(world):
    metric = MetricFactory(startup=world.startup)
    value = MetricValueFactory(metric=metric)
    keep = MetricValueFactory(metric=metric)
    client = world.client_for("team")
    path = url("value-delete", world.startup, pk=metric.pk, value_pk=value.pk)
    assert client.get(path).status_code == 200
    assert MetricValue.objects.filter(pk=value.pk).exists()
    assertRedirects(client.post(path), url("metric-detail", world.startup, pk=metric.pk))
    assert list(MetricValue.objects.values_list("pk", flat=True)) == [keep.pk]
    assert Activity.objects.filter(verb="metric.value_deleted").exists()


def test_services_refuse_a_repeated_date_and_a_taken_key(world):
    metric = MetricFactory(startup=world.startup, key="k")
    date = days_ago(1)
    with pytest.raises(services.ValidationError):
        services.metric_values_record(
            metric=metric, actor=None, values=[(date, Decimal(1)), (date, Decimal(2))]
        )
    with pytest.raises(services.ValidationError):
        services.metric_create(startup=world.startup, actor=None, name="Autre", key="k")
    assert not MetricValue.objects.exists()


# ---------------------------------------------------------------- read now


def test_read_now_without_address_writes_nothing(world):
    metric = MetricFactory(startup=world.startup)
    response = world.client_for("team").post(url("metric-pull", world.startup, pk=metric.pk))
    assertRedirects(response, url("metric-detail", world.startup, pk=metric.pk))
    metric.refresh_from_db()
    assert metric.last_pulled_at is None
    assert world.client_for("team").get(
        url("metric-pull", world.startup, pk=metric.pk)
    ).status_code == 405


def test_pull_error_is_shown_to_the_team_only(world):
    metric = MetricFactory(startup=world.startup, pull_url="https://stats.example.fr/x.json",
                           last_pull_error="La réponse n'est pas du JSON.",
                           last_pulled_at=timezone.now())
    path = url("metric-detail", world.startup, pk=metric.pk)
    page = soup(world.client_for("team").get(path))
    assert "pas du JSON" in page.select_one("#pull-error").text
    action = url("metric-pull", world.startup, pk=metric.pk)
    assert page.select_one(f'#metric-pull form[action="{action}"]') is not None
    assert "stats.example.fr" in page.select_one("#pull-address").text
    page = soup(world.client_for("sponsor").get(path))
    assert page.select_one("#pull-error") is None
    assert page.select_one("#metric-pull form") is None
    # The address may carry an access key: readers do not see it.
    assert "stats.example.fr" not in str(page)


# ---------------------------------------------------------------- every page


def test_every_page_has_its_title_and_one_h1(world):
    metric = MetricFactory(startup=world.startup, name="Démarches en ligne")
    value = MetricValueFactory(metric=metric)
    client = world.client_for("intrapreneur")
    for path in (
        url("metric-list", world.startup),
        url("metric-create", world.startup),
        url("metric-import", world.startup),
        url("token-list", world.startup),
        url("metric-detail", world.startup, pk=metric.pk),
        url("metric-edit", world.startup, pk=metric.pk),
        url("metric-delete", world.startup, pk=metric.pk),
        url("value-delete", world.startup, pk=metric.pk, value_pk=value.pk),
    ):
        page = soup(client.get(path))
        parts = page.title.text.strip().split(" — ")
        assert parts[-2:] == [world.startup.name, "Intrapreneur"], path
        assert parts[0], path
        assert len(page.select("h1")) == 1, path
    page = soup(client.get(url("metric-detail", world.startup, pk=metric.pk)))
    assert page.title.text.startswith("Démarches en ligne — ")
