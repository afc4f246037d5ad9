"""Charts drawn on the server: well-formed SVG, accessible, escaped, the target dashed."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from products.charts import Point, format_number, line_chart, sparkline, y_ticks
from tests.products.factories import MetricFactory, MetricValueFactory

SVG = "{http://www.w3.org/2000/svg}"


def points(*values, start=datetime.date(2025, 1, 6)):
    return [
        Point(start + datetime.timedelta(weeks=i), Decimal(str(v))) for i, v in enumerate(values)
    ]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def test_a_line_chart_is_well_formed_and_accessible():
    svg = line_chart(points=points(10, 20, 15, 30), title="Démarches en ligne", chart_id="c-1",
                     target=Decimal("40"), unit="démarches")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    labelled_by = root.get("aria-labelledby").split()
    ids = {e.get("id"): e for e in root.iter()}
    assert labelled_by == ["c-1-title", "c-1-desc"]
    assert ids["c-1-title"].tag == f"{SVG}title"
    assert ids["c-1-title"].text == "Démarches en ligne"
    assert ids["c-1-desc"].tag == f"{SVG}desc" and "4" in ids["c-1-desc"].text
    # The line goes through every value; no inline style anywhere.
    line = by_class(root, "chart-line")[0]
    assert len(line.get("points").split()) == 4
    assert all(e.get("style") is None for e in root.iter())


def test_the_target_is_a_dashed_line_at_its_height():
    svg = line_chart(points=points(0, 50, 100), title="t", chart_id="c", target=Decimal("50"))
    root = parse(svg)
    [target] = by_class(root, "chart-target")
    assert target.get("stroke-dasharray")
    # The target is drawn at the height of the value 50: the middle point of the line.
    middle_y = by_class(root, "chart-line")[0].get("points").split()[1].split(",")[1]
    assert target.get("y1") == target.get("y2") == middle_y
    assert any("50" in (t.text or "") for t in by_class(root, "chart-target-label"))


def test_without_target_no_target_line():
    root = parse(line_chart(points=points(1, 2), title="t", chart_id="c"))
    assert by_class(root, "chart-target") == []


def test_a_target_beyond_the_values_stays_inside_the_chart():
    root = parse(line_chart(points=points(10, 12), title="t", chart_id="c",
                            target=Decimal("1000")))
    [target] = by_class(root, "chart-target")
    height = float(root.get("viewBox").split()[3])
    assert 0 < float(target.get("y1")) < height


def test_axes_are_labelled():
    with translation.override("fr"):
        root = parse(line_chart(points=points(1000, 2500.5), title="t", chart_id="c",
                                unit="visites"))
    labels = [t.text for t in by_class(root, "chart-label")]
    titles = [t.text for t in by_class(root, "chart-axis-title")]
    assert "visites" in titles
    assert "3\xa0000" in labels  # graduations written the French way
    assert any("2025" in (label or "") for label in labels)  # dates on the x axis


@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>", 'Guillemets " et & esperluette', "</svg><b>x</b>"]
)
def test_labels_are_escaped(name):
    svg = str(line_chart(points=points(1, 2), title=name, chart_id="c", unit=name,
                         target=Decimal(1)))
    assert "<script" not in svg and "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == name
    assert name in [t.text for t in by_class(root, "chart-axis-title")]


@pytest.mark.parametrize(
    "values", [(5,), (3, 3, 3), (-10, 5, -2), (0.0001, 0.0003), (999999999999, 1)]
)
def test_odd_series_still_draw(values):
    root = parse(line_chart(points=points(*values), title="t", chart_id="c"))
    coords = [
        float(c) for pair in by_class(root, "chart-line")[0].get("points").split()
        for c in pair.split(",")
    ]
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert all(0 <= c <= max(width, height) for c in coords)


def test_graduations_cover_the_values():
    ticks = y_ticks([12.0, 87.0])
    assert ticks[0] <= 12 and ticks[-1] >= 87
    assert ticks[0] == 0  # counts start at zero
    ticks = y_ticks([-3.5, 2.0])
    assert ticks[0] <= Decimal("-3.5") and ticks[-1] >= 2


def test_sparkline_is_decorative_and_well_formed():
    svg = sparkline(points(1, 3, 2))
    root = parse(svg)
    assert root.get("aria-hidden") == "true" and root.get("focusable") == "false"
    assert len(root.find(f"{SVG}polyline").get("points").split()) == 3
    assert str(sparkline(points(1))) == ""
    parse(sparkline(points(4, 4)))  # flat


def test_numbers_the_french_way():
    with translation.override("fr"):
        assert format_number(Decimal("1234.5000")) == "1\xa0234,5"
        assert format_number(Decimal("100.0000")) == "100"
        assert format_number(Decimal("-0.0010")) == "-0,001"
        assert format_number(None) == ""


@pytest.mark.django_db
def test_a_metric_named_script_renders_escaped_in_its_page(world):
    metric = MetricFactory(startup=world.startup, name="<script>alert('x')</script>",
                           unit="<b>u</b>", target=Decimal(3))
    MetricValueFactory(metric=metric, value=Decimal(1))
    MetricValueFactory(metric=metric, value=Decimal(2))
    client = world.client_for("team")
    for name in ("metric-detail", "metric-list"):
        kwargs = {"slug": world.startup.slug}
        if name == "metric-detail":
            kwargs["pk"] = metric.pk
        html = client.get(reverse(f"products:{name}", kwargs=kwargs)).content.decode()
        assert "<script>alert" not in html and "<b>u</b>" not in html
        assert "&lt;script&gt;" in html
