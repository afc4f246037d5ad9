"""Import of a spreadsheet of values (key; date; value): upload, preview with a report per
row, apply — all or nothing, idempotent on (metric, date)."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from intrapreneur.models import Activity
from products.models import MetricValue
from products.services import metrics as services
from tests.intrapreneur.factories import StartupFactory
from tests.products.factories import MetricFactory, MetricValueFactory

pytestmark = pytest.mark.django_db


def url(name, startup):
    return reverse(f"products:{name}", kwargs={"slug": startup.slug})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def upload(text: str, encoding="utf-8"):
    return SimpleUploadedFile("valeurs.csv", text.encode(encoding), content_type="text/csv")


def report(response):
    """Row number -> (status, [refusal codes]) as the preview shows them."""
    return {
        int(tr["data-row"]): (tr["data-status"], [li["data-code"] for li in tr.select("li")])
        for tr in soup(response).select("#import-report tbody tr")
    }


@pytest.fixture
def metrics(world):
    visits = MetricFactory(startup=world.startup, key="visites")
    delay = MetricFactory(startup=world.startup, key="delai")
    MetricFactory(startup=StartupFactory(), key="ailleurs")
    MetricValueFactory(metric=visits, date=datetime.date(2025, 2, 1), value=Decimal("90"))
    return visits, delay


GOOD = (
    "clé;date;valeur\n"
    "visites;01/01/2025;100\n"
    "visites;2025-02-01;1 234,5\n"
    "delai;01/01/2025;12.25\n"
    ";;\n"
)


def test_preview_then_apply_writes_every_value(world, metrics):
    visits, delay = metrics
    client = world.client_for("team")
    path = url("metric-import", world.startup)
    assert client.get(path).status_code == 200

    response = client.post(path, {"file": upload(GOOD)})

    assert response.status_code == 200
    # Rows numbered as the spreadsheet numbers them; the empty row 5 is skipped.
    assert report(response) == {2: ("ok", []), 3: ("ok", []), 4: ("ok", [])}
    assert soup(response).select_one("[data-row='3'] [data-replaces]")["data-replaces"] == "90.0000"
    assert MetricValue.objects.count() == 1  # nothing written by the preview
    text = soup(response).select_one("#import-apply input[name=text]")["value"]

    response = client.post(path, {"text": text})

    assertRedirects(response, url("metric-list", world.startup))
    assert dict(visits.values.values_list("date", "value")) == {
        datetime.date(2025, 1, 1): Decimal("100"),
        datetime.date(2025, 2, 1): Decimal("1234.5"),
    }
    assert dict(delay.values.values_list("date", "value")) == {
        datetime.date(2025, 1, 1): Decimal("12.25")
    }
    assert Activity.objects.filter(verb="metric.values").count() == 2
    # The same file again changes nothing: idempotent on (metric, date).
    client.post(path, {"text": text})
    assert MetricValue.objects.count() == 3


def test_every_refusal_is_reported_and_nothing_is_written(world, metrics):
    future = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    text = (
        "key,date,value\n"
        "visites,01/01/2025,100\n"          # 2 ok
        "inconnue,01/01/2025,5\n"           # 3 unknown key
        "ailleurs,01/01/2025,5\n"           # 4 a key of another startup
        "visites,31/02/2025,5\n"            # 5 bad date
        "visites,02/01/2025,douze\n"        # 6 bad number
        "visites,2025-01-01,7\n"            # 7 same metric and date as row 2
        f"visites,{future},7\n"             # 8 future
        ",,\n"                              # skipped
        "delai,,\n"                         # 10 date and value missing
    )
    client = world.client_for("intrapreneur")
    response = client.post(url("metric-import", world.startup), {"file": upload(text)})

    assert report(response) == {
        2: ("ok", []),
        3: ("refused", ["key-unknown"]),
        4: ("refused", ["key-unknown"]),
        5: ("refused", ["date-invalid"]),
        6: ("refused", ["value-invalid"]),
        7: ("refused", ["date-duplicate"]),
        8: ("refused", ["date-future"]),
        10: ("refused", ["date-missing", "value-missing"]),
    }
    assert soup(response).select_one("#import-apply") is None
    assert soup(response).select_one("#import-refused") is not None
    # Applying the text anyway (a forged POST) writes nothing either.
    response = client.post(url("metric-import", world.startup), {"text": text})
    assert response.status_code == 200
    assert MetricValue.objects.count() == 1
    with pytest.raises(ValidationError):
        services.values_import(startup=world.startup, actor=None, text=text)
    assert MetricValue.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("key;date\nvisites;01/01/2025\n", "utf-8"),   # a column missing
        ("", "utf-8"),                                 # empty
        ("clé;date;valeur\nvisites;01/01/2025;1\n", "latin-1"),  # not UTF-8
    ],
)
def test_unreadable_files_are_refused_with_a_message(world, metrics, content, encoding):
    response = world.client_for("team").post(
        url("metric-import", world.startup), {"file": upload(content, encoding)}
    )
    assert response.status_code == 200
    assert soup(response).select_one("#id_file-desc-error") is not None
    assert MetricValue.objects.count() == 1


def test_a_header_only_file_holds_no_value(world, metrics):
    response = world.client_for("team").post(
        url("metric-import", world.startup), {"file": upload("key;date;value\n")}
    )
    assert soup(response).select_one("#import-error") is not None
    assert soup(response).select_one("#import-apply") is None
