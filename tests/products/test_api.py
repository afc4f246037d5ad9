"""The API: POST /api/v1/startups/<slug>/metrics/<key>/values/ with a per-startup token.

JSON in, JSON out, errors included; bad input never half-saves; the same date replaces
the value. Also the token pages (manage): created and shown once, stored hashed, revoked.
"""

import datetime
import hashlib
import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from intrapreneur.models import Activity
from products.models import ApiToken, MetricValue
from products.services import metrics as services
from tests.intrapreneur.factories import StartupFactory
from tests.products.factories import MetricFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def api_url(startup_slug, key):
    return reverse("api:metric-values", kwargs={"slug": startup_slug, "key": key})


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def api(world):
    """The world's startup with a metric and a token; ``send`` posts JSON with it."""
    metric = MetricFactory(startup=world.startup, key="visites")
    token, raw = services.token_create(
        startup=world.startup, actor=world.people["intrapreneur"], name="Script Matomo"
    )

    class Api:
        pass

    api = Api()
    api.metric, api.token, api.raw = metric, token, raw
    api.client = Client(enforce_csrf_checks=True)
    api.url = api_url(world.startup.slug, "visites")

    def send(body, *, raw=raw, path=None, method="post", content_type="application/json"):
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        headers = {"Authorization": f"Bearer {raw}"} if raw is not None else {}
        if method == "get":
            return api.client.get(path or api.url, headers=headers)
        return getattr(api.client, method)(
            path or api.url, data=data, content_type=content_type, headers=headers
        )

    api.send = send
    return api


def stored(metric):
    return dict(MetricValue.objects.filter(metric=metric).values_list("date", "value"))


# ---------------------------------------------------------------- success


def test_one_value_is_created_then_replaced(api):
    date = days_ago(2).isoformat()
    response = api.send({"date": date, "value": 12.5})

    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "metric": "visites", "values": [{"date": date, "value": 12.5, "created": True}],
    }
    assert stored(api.metric) == {days_ago(2): Decimal("12.5")}

    # The same date again: replaced, 200, still one value.
    response = api.send({"date": date, "value": 13})
    assert response.status_code == 200
    assert response.json()["values"] == [{"date": date, "value": 13, "created": False}]
    assert stored(api.metric) == {days_ago(2): Decimal("13")}
    # Sending exactly the same again is harmless: idempotent.
    assert api.send({"date": date, "value": 13}).status_code == 200
    assert MetricValue.objects.count() == 1


def test_several_values_at_once(api):
    MetricValue.objects.create(metric=api.metric, date=days_ago(10), value=1)
    body = {"values": [
        {"date": days_ago(10).isoformat(), "value": 10},
        {"date": days_ago(3).isoformat(), "value": 0.1234},
        {"date": days_ago(1).isoformat(), "value": 99999999999},
    ]}
    response = api.send(body)
    assert response.status_code == 201
    assert [v["created"] for v in response.json()["values"]] == [False, True, True]
    assert stored(api.metric) == {
        days_ago(10): Decimal("10"), days_ago(3): Decimal("0.1234"),
        days_ago(1): Decimal("99999999999"),
    }
    activity = Activity.objects.get(verb="metric.values")
    assert activity.actor is None and "Script Matomo" in activity.target_label


def test_use_is_recorded_on_the_token(api):
    assert api.token.last_used_at is None
    api.send({"date": days_ago(1).isoformat(), "value": 1})
    api.token.refresh_from_db()
    assert api.token.last_used_at is not None


def test_the_token_is_stored_hashed_with_its_prefix(api):
    token = ApiToken.objects.get(pk=api.token.pk)
    assert token.token_hash == hashlib.sha256(api.raw.encode()).hexdigest()
    assert api.raw.startswith(token.prefix) and len(token.prefix) == 12
    assert api.raw not in json.dumps(list(ApiToken.objects.values()), default=str)


# ---------------------------------------------------------------- refusals


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_without_a_token_401(api):
    response = api.send({"date": days_ago(1).isoformat(), "value": 1}, raw=None)
    assert_json_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    response = api.client.post(
        api.url, data="{}", content_type="application/json",
        headers={"Authorization": f"Basic {api.raw}"},
    )
    assert_json_error(response, 401)


def test_a_wrong_token_401(api):
    assert_json_error(api.send({"date": "2025-01-01", "value": 1}, raw=api.raw + "x"), 401)


def test_a_revoked_token_401(api, world):
    services.token_revoke(token=api.token, actor=world.people["intrapreneur"])
    assert_json_error(api.send({"date": "2025-01-01", "value": 1}), 401)
    assert not MetricValue.objects.exists()


def test_a_token_of_another_startup_401(api):
    other = StartupFactory()
    MetricFactory(startup=other, key="visites")
    _token, other_raw = services.token_create(startup=other, actor=None, name="Autre")
    # This startup's URL with the other's token, and the other's URL with this token.
    assert_json_error(api.send({"date": "2025-01-01", "value": 1}, raw=other_raw), 401)
    response = api.send(
        {"date": "2025-01-01", "value": 1}, path=api_url(other.slug, "visites")
    )
    assert_json_error(response, 401)
    assert not MetricValue.objects.exists()


def test_unknown_startup_or_metric_404_after_authentication(api):
    body = {"date": "2025-01-01", "value": 1}
    assert_json_error(api.send(body, path=api_url("inconnue", "visites")), 404)
    assert_json_error(api.send(body, path=api_url(api.metric.startup.slug, "inconnue")), 404)
    # Without a token, nothing is told about what exists.
    assert_json_error(api.send(body, raw=None, path=api_url("inconnue", "visites")), 401)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        "",
        "[1, 2]",
        '"texte"',
        '{"date": "2025-01-01", "value": NaN}',
        {"date": "2025-01-01"},
        {"value": 1},
        {"date": "2025-01-01", "value": "12,5"},
        {"date": "2025-01-01", "value": True},
        {"date": "2025-01-01", "value": None},
        {"date": 20250101, "value": 1},
        {"date": "01/01/2025", "value": 1},
        {"date": "2025-02-30", "value": 1},
        {"date": "20250101", "value": 1},
        {"date": "2999-01-01", "value": 1},
        {"date": "2025-01-01", "value": 1e15},
        {"date": "2025-01-01", "value": 1, "unit": "x"},
        {"values": []},
        {"values": "2025-01-01"},
        {"values": [{"date": "2025-01-01", "value": 1}], "date": "2025-01-02"},
        "[" * 30000 + "]" * 30000,
    ],
)
def test_bad_input_400_and_nothing_saved(api, body):
    response = api.send(body)
    assert_json_error(response, 400)
    assert not MetricValue.objects.exists()


def test_one_bad_value_among_several_saves_none(api):
    MetricValue.objects.create(metric=api.metric, date=datetime.date(2025, 1, 1), value=5)
    response = api.send({"values": [
        {"date": "2025-01-01", "value": 100},
        {"date": "2025-01-02", "value": 2},
        {"date": "2025-01-03", "value": "trois"},
        "pas un objet",
    ]})
    assert_json_error(response, 400)
    details = response.json()["details"]
    assert [(d["index"], d.get("field")) for d in details] == [(2, "value"), (3, None)]
    assert stored(api.metric) == {datetime.date(2025, 1, 1): Decimal("5")}


def test_duplicate_dates_in_one_request_400(api):
    response = api.send({"values": [
        {"date": "2025-01-01", "value": 1}, {"date": "2025-01-01", "value": 2},
    ]})
    assert_json_error(response, 400)
    assert response.json()["details"][0]["index"] == 1
    assert not MetricValue.objects.exists()


def test_an_oversized_body_413_in_json(api, settings):
    big = {"values": [{"date": "2025-01-01", "value": 1}] * 3000}
    assert len(json.dumps(big)) > 64 * 1024
    assert_json_error(api.send(big), 413)
    # Even over DATA_UPLOAD_MAX_MEMORY_SIZE (which would answer an HTML 400).
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert_json_error(api.send("x" * 70_000), 413)
    assert_json_error(api.send("x" * 70_000, raw=None), 413)
    assert not MetricValue.objects.exists()


def test_a_body_under_the_limit_but_over_data_upload_max_is_read(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    response = api.send({"date": days_ago(1).isoformat(), "value": 3})
    assert response.status_code == 201


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_other_methods_405_in_json(api, method):
    response = api.send({"date": "2025-01-01", "value": 1}, method=method)
    assert_json_error(response, 405)
    assert response["Allow"] == "POST"


def test_anonymous_is_not_sent_to_the_sign_in_page(api):
    response = api.send({"date": "2025-01-01", "value": 1}, raw=None)
    assert response.status_code == 401  # not 302 to /accounts/login/


# ---------------------------------------------------------------- the token pages


@pytest.mark.parametrize(
    ("role", "status"),
    [("intrapreneur", 200), ("team", 403), ("coach", 403), ("sponsor", 403), ("staff", 403),
     ("outsider", 404)],
)
def test_token_pages_need_manage(world, role, status):
    token, _raw = services.token_create(startup=world.startup, actor=None, name="x")
    client = world.client_for(role)
    path = reverse("products:token-list", kwargs={"slug": world.startup.slug})
    assert client.get(path).status_code == status
    revoke = reverse("products:token-revoke", kwargs={"slug": world.startup.slug, "pk": token.pk})
    assert client.get(revoke).status_code == status


def test_create_a_token_shows_it_once(world):
    client = world.client_for("intrapreneur")
    MetricFactory(startup=world.startup, key="demarches")
    path = reverse("products:token-list", kwargs={"slug": world.startup.slug})
    response = client.post(path, {"name": "Export Metabase"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = soup(response).select_one("#token-created #token-value")["value"]
    token = ApiToken.objects.get(startup=world.startup)
    assert token.name == "Export Metabase" and token.created_by == world.people["intrapreneur"]
    assert services.token_authenticate(raw) == token
    assert "/api/v1/startups/" in soup(response).select_one(".api-example").text
    assert "demarches" in soup(response).select_one(".api-example").text
    # The list shows the prefix, never the token again.
    response = client.get(path)
    assert raw not in response.content.decode()
    assert token.prefix in soup(response).select_one(f"#token-{token.pk}").text
    assert Activity.objects.filter(verb="token.created").exists()


def test_create_a_token_needs_a_name(world):
    client = world.client_for("intrapreneur")
    path = reverse("products:token-list", kwargs={"slug": world.startup.slug})
    response = client.post(path, {"name": ""})
    assert response.status_code == 200
    assert soup(response).select_one("#token-created") is None
    assert not ApiToken.objects.exists()


def test_revoke_a_token_after_confirmation(world):
    token, raw = services.token_create(startup=world.startup, actor=None, name="Vieux script")
    client = world.client_for("intrapreneur")
    path = reverse("products:token-revoke", kwargs={"slug": world.startup.slug, "pk": token.pk})
    assert client.get(path).status_code == 200
    assert services.token_authenticate(raw) == token
    assertRedirects(
        client.post(path), reverse("products:token-list", kwargs={"slug": world.startup.slug})
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.token_authenticate(raw) is None
    # Revoked already: nothing more to revoke.
    assert client.post(path).status_code == 404


def test_a_token_of_another_startup_cannot_be_revoked_here(world):
    token, _raw = services.token_create(startup=StartupFactory(), actor=None, name="Autre")
    path = reverse("products:token-revoke", kwargs={"slug": world.startup.slug, "pk": token.pk})
    assert world.client_for("intrapreneur").post(path).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
