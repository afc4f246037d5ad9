"""The demo of the metrics: 8 metrics over the impact matrix and AARRI, a year of values."""

import pytest
from django.utils import timezone

from intrapreneur.enums import Role
from products import demo_metrics
from products.enums import ImpactLevel
from products.models import ApiToken, Metric, MetricValue
from products.services.metrics import MetricSummary
from tests.intrapreneur.factories import MembershipFactory, StartupFactory

pytestmark = pytest.mark.django_db


def test_seed_creates_the_metrics_and_their_values():
    startup = StartupFactory(is_public=True)
    people = {
        role: MembershipFactory(startup=startup, role=role).user
        for role in (Role.INTRAPRENEUR, Role.TEAM, Role.COACH, Role.SPONSOR)
    }

    demo_metrics.seed(startup=startup, people=people)

    metrics = list(Metric.objects.for_startup(startup).prefetch_related("values"))
    assert len(metrics) == 8
    assert {m.impact_level for m in metrics} == set(ImpactLevel.values)
    assert len({m.aarri_step for m in metrics}) == 5
    assert sum(m.is_public for m in metrics) == 6
    today = timezone.localdate()
    for metric in metrics:
        values = list(metric.values.all())
        assert len(values) in (12, 52)
        assert (values[-1].date - values[0].date).days > 300
        assert all(v.date <= today for v in values)
        # Each curve goes the metric's way, towards its target.
        summary = MetricSummary.of(metric, values)
        first, last = summary.points[0].value, summary.points[-1].value
        assert (last > first) == (metric.direction == "up"), metric.key
    assert MetricValue.objects.filter(metric__startup=startup).count() == 7 * 12 + 52
    assert ApiToken.objects.filter(startup=startup).count() == 1
