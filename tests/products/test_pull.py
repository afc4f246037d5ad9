"""The daily pull of a metric's JSON address, against a real HTTP server on 127.0.0.1.

Each failure (timeout, not JSON, HTTP error, path not found, not a number, too large, a
private address) leaves a clear ``last_pull_error`` and no value; the task never raises.
"""

import datetime
import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from products.models import Metric, MetricValue
from products.services import metrics as services
from products.tasks import metric_pull_task, metrics_pull_daily_task
from tests.intrapreneur.factories import StartupFactory
from tests.products.factories import MetricFactory

pytestmark = pytest.mark.django_db

TIMEOUT = 0.5

ROUTES = {
    "/matomo.json": (200, json.dumps([{"label": "visites", "nb_visits": 1234}])),
    "/metabase.json": (200, json.dumps({"data": {"rows": [[4, 12.75]], "cols": ["a", "b"]}})),
    "/text-number.json": (200, json.dumps({"value": "1 234,5"})),
    "/bare.json": (200, "42"),
    "/garbage": (200, "<html><body>Erreur interne</body></html>"),
    "/error": (500, "Internal Server Error"),
    "/missing": (404, "Not found"),
    "/word.json": (200, json.dumps({"value": "beaucoup"})),
    "/object.json": (200, json.dumps({"value": {"n": 1}})),
    "/bool.json": (200, json.dumps({"value": True})),
    "/big.json": (200, json.dumps({"value": 1, "padding": "x" * 5000})),
    "/deep.json": (200, "[" * 100_000 + "]" * 100_000),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/slow.json":
            time.sleep(TIMEOUT * 4)
            status, body = 200, '{"value": 1}'
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/matomo.json")
            self.end_headers()
            return
        else:
            status, body = ROUTES.get(self.path, (404, "Not found"))
        data = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    settings.PRODUCTS_PULL_TIMEOUT = TIMEOUT
    settings.PRODUCTS_PULL_ALLOW_PRIVATE = True
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def metric_at(server, path, pull_path=""):
    return MetricFactory(pull_url=f"{server}{path}", pull_path=pull_path)


# ---------------------------------------------------------------- good answers


@pytest.mark.parametrize(
    ("path", "pull_path", "expected"),
    [
        ("/matomo.json", "0.nb_visits", Decimal("1234")),
        ("/metabase.json", "data.rows.0.1", Decimal("12.75")),
        ("/metabase.json", "data.rows.-1.-1", Decimal("12.75")),
        ("/text-number.json", "value", Decimal("1234.5")),
        ("/bare.json", "", Decimal("42")),
        ("/redirect", "0.nb_visits", Decimal("1234")),
    ],
)
def test_a_good_answer_records_todays_value(server, path, pull_path, expected):
    metric = metric_at(server, path, pull_path)
    metric.last_pull_error = "Ancienne erreur"
    metric.save()

    value = services.metric_pull(metric=metric)

    assert value is not None
    assert list(MetricValue.objects.values_list("metric", "date", "value")) == [
        (metric.pk, timezone.localdate(), expected)
    ]
    metric.refresh_from_db()
    assert metric.last_pull_error == ""
    assert metric.last_pulled_at is not None


def test_reading_twice_a_day_keeps_one_value(server):
    metric = metric_at(server, "/matomo.json", "0.nb_visits")
    MetricValue.objects.create(metric=metric, date=timezone.localdate(), value=1)
    services.metric_pull(metric=metric)
    services.metric_pull(metric=metric)
    assert list(metric.values.values_list("value", flat=True)) == [Decimal("1234")]


# ---------------------------------------------------------------- failures


def pull_error(url, path):
    """The code and message of the failure, as the service raises it."""
    with pytest.raises(services.PullError) as caught:
        services.pull_extract(services.pull_fetch(url, timeout=TIMEOUT), path)
    return caught.value.code, caught.value.message


@pytest.mark.parametrize(
    ("path", "pull_path", "code"),
    [
        ("/slow.json", "value", "timeout"),
        ("/garbage", "", "not-json"),
        ("/deep.json", "", "not-json"),
        ("/error", "", "http-status"),
        ("/missing", "", "http-status"),
        ("/matomo.json", "0.nb_visitors", "path-not-found"),
        ("/matomo.json", "3.nb_visits", "path-not-found"),
        ("/matomo.json", "label", "path-not-found"),
        ("/word.json", "value", "not-a-number"),
        ("/object.json", "value", "not-a-number"),
        ("/bool.json", "value", "not-a-number"),
        ("/matomo.json", "0.label", "not-a-number"),
    ],
)
def test_each_failure_leaves_a_clear_error_and_no_value(server, path, pull_path, code):
    metric = metric_at(server, path, pull_path)
    started = time.monotonic()

    assert services.metric_pull(metric=metric) is None

    assert time.monotonic() - started < TIMEOUT * 3
    assert not MetricValue.objects.exists()
    metric.refresh_from_db()
    assert metric.last_pulled_at is not None
    assert metric.last_pull_error
    assert pull_error(metric.pull_url, pull_path) == (code, metric.last_pull_error)


def test_the_error_names_the_http_status_and_the_path(server):
    metric = metric_at(server, "/error")
    services.metric_pull(metric=metric)
    metric.refresh_from_db()
    assert "500" in metric.last_pull_error
    metric = metric_at(server, "/matomo.json", "0.nb_visitors")
    services.metric_pull(metric=metric)
    metric.refresh_from_db()
    assert "0.nb_visitors" in metric.last_pull_error


def test_a_too_large_answer_is_not_read(server, monkeypatch):
    monkeypatch.setattr(services, "PULL_MAX_BYTES", 1024)
    metric = metric_at(server, "/big.json", "value")
    assert services.metric_pull(metric=metric) is None
    metric.refresh_from_db()
    assert pull_error(metric.pull_url, "value") == ("too-large", metric.last_pull_error)
    assert not MetricValue.objects.exists()


def test_an_unreachable_server(settings):
    settings.PRODUCTS_PULL_ALLOW_PRIVATE = True
    settings.PRODUCTS_PULL_TIMEOUT = TIMEOUT
    metric = MetricFactory(pull_url="http://127.0.0.1:9/rien.json")
    assert services.metric_pull(metric=metric) is None
    metric.refresh_from_db()
    assert metric.last_pull_error
    assert pull_error(metric.pull_url, "")[0] == "unreachable"


def test_private_addresses_are_refused_by_default(server, settings):
    settings.PRODUCTS_PULL_ALLOW_PRIVATE = False
    for url in (f"{server}/matomo.json", "http://localhost/x.json", "http://10.0.0.1/x.json",
                "http://[::1]/x.json", "http://169.254.169.254/latest/meta-data"):
        assert pull_error(url, "")[0] == "address", url
    metric = metric_at(server, "/matomo.json", "0.nb_visits")
    assert services.metric_pull(metric=metric) is None
    assert not MetricValue.objects.exists()


def test_only_http_addresses():
    assert pull_error("file:///etc/passwd", "")[0] == "address"
    assert pull_error("http://exemple.fr:notaport/x", "")[0] == "address"


# ---------------------------------------------------------------- the tasks and the button


def test_the_task_never_raises(server, monkeypatch):
    metric = metric_at(server, "/garbage")
    assert metric_pull_task.delay(metric.pk).get() is False
    metric.refresh_from_db()
    assert metric.last_pull_error
    assert metric_pull_task.delay(999_999).get() is False

    def boom(*, metric):
        raise RuntimeError("base de données indisponible")

    monkeypatch.setattr(services, "metric_pull", boom)
    assert metric_pull_task.delay(metric.pk).get() is False


def test_the_daily_task_reads_every_address_of_followed_startups(server):
    good = metric_at(server, "/matomo.json", "0.nb_visits")
    bad = metric_at(server, "/garbage")
    MetricFactory(pull_url="")
    archived = StartupFactory(archived_at=timezone.now())
    asleep = MetricFactory(startup=archived, pull_url=f"{server}/matomo.json",
                           pull_path="0.nb_visits")

    assert metrics_pull_daily_task.delay().get() == 2

    assert list(MetricValue.objects.values_list("metric", flat=True)) == [good.pk]
    bad.refresh_from_db()
    asleep.refresh_from_db()
    assert bad.last_pull_error and asleep.last_pulled_at is None


def test_the_beat_schedules_the_daily_pull(settings):
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "products.tasks.metrics_pull_daily_task" in entries


def test_read_now_button(server, world):
    metric = MetricFactory(startup=world.startup, pull_url=f"{server}/metabase.json",
                           pull_path="data.rows.0.1")
    client = world.client_for("team")
    path = reverse("products:metric-pull", kwargs={"slug": world.startup.slug, "pk": metric.pk})
    assertRedirects(client.post(path), metric.get_absolute_url())
    assert metric.values.get().value == Decimal("12.75")

    Metric.objects.filter(pk=metric.pk).update(pull_url=f"{server}/error")
    response = client.post(path, follow=True)
    assert "500" in response.content.decode()
    assert metric.values.count() == 1
    assert metric.values.get().date == timezone.localdate()
    assert world.client_for("sponsor").post(path).status_code == 403


def test_value_dates_follow_the_local_day(server, settings):
    metric = metric_at(server, "/bare.json")
    services.metric_pull(metric=metric)
    assert metric.values.get().date == timezone.localdate()
    assert isinstance(metric.values.get().date, datetime.date)
