"""manage.py bench_data: refused without DEBUG unless --force; a tiny --scale run gives
each startup its counts, members for every role, the derived data the services write, and
the same data again from the same seed."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from pytest_django.asserts import assertContains

from governance.models import Expense, InvestmentCommittee
from intrapreneur.enums import Phase, Role
from intrapreneur.management.commands.bench_data import DOMAIN, PASSWORD
from intrapreneur.models import Activity, Incubator, Membership, Startup, User
from investigations.models import Evidence, Insight, Interview
from products.models import Feedback, Metric, MetricValue, Release, UserTest

AS_OF = "2026-06-30"


def build(*args: str) -> str:
    out = io.StringIO()
    call_command("bench_data", "--force", "--scale", "0.02", "--as-of", AS_OF, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_refused_when_debug_is_off_without_force():
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("bench_data", "--scale", "0.02", stdout=io.StringIO())
    assert not Incubator.objects.exists()
    assert not Startup.objects.exists()


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_runs_with_debug_on_without_force():
    call_command("bench_data", "--scale", "0.02", "--as-of", AS_OF, stdout=io.StringIO())
    assert Startup.objects.filter(incubator__slug="bench").count() == 2


@pytest.mark.django_db
def test_tiny_scale_gives_each_startup_its_counts():
    output = build()
    assert "2 startups" in output
    startups = {s.slug: s for s in Startup.objects.filter(incubator__slug="bench")}
    assert set(startups) == {"bench-001", "bench-large"}
    for slug, startup in startups.items():
        assert Interview.objects.filter(startup=startup).count() == 4
        assert Insight.objects.filter(startup=startup).count() == 2
        assert Evidence.objects.filter(insight__startup=startup).count() >= 2
        assert Feedback.objects.filter(startup=startup).count() == (
            4000 if slug == "bench-large" else 40
        )
        assert UserTest.objects.filter(startup=startup).count() == 3
        assert Release.objects.filter(startup=startup).count() == 2
        metrics = Metric.objects.filter(startup=startup)
        assert metrics.count() == 1
        values = MetricValue.objects.filter(metric__startup=startup).order_by("date")
        assert values.count() == 15
        assert values.last().date == datetime.date(2026, 6, 30)
        assert values.first().date == datetime.date(2026, 6, 16)
        assert Expense.objects.filter(startup=startup).count() == 10
        assert InvestmentCommittee.objects.filter(startup=startup).count() == 1
        assert startup.phase == Phase.ACCELERATION
        assert dict(
            Membership.objects.filter(startup=startup).values_list("user__email", "role")
        ) == {
            f"intrapreneur@{DOMAIN}": Role.INTRAPRENEUR,
            f"team@{DOMAIN}": Role.TEAM,
            f"coach@{DOMAIN}": Role.COACH,
            f"sponsor@{DOMAIN}": Role.SPONSOR,
        }
        # An activity row for what was created, as the services record it.
        verbs = set(Activity.objects.filter(startup=startup).values_list("verb", flat=True))
        assert {"startup.created", "interview.created", "insight.created", "test.recorded",
                "release.published", "metric.created", "phase.changed"} <= verbs
    staff = User.objects.get(email=f"staff@{DOMAIN}")
    assert staff.is_staff
    assert list(staff.incubators.values_list("slug", flat=True)) == ["bench"]


@pytest.mark.django_db
def test_the_full_text_vector_is_filled_as_the_services_do():
    build()
    large = Startup.objects.get(slug="bench-large")
    items = Feedback.objects.for_startup(large)
    assert not items.filter(search__isnull=True).exists()
    found = items.search_text("formulaire")
    assert found.count() == items.filter(text__icontains="formulaire").count() > 0


@pytest.mark.django_db
def test_the_pages_open_for_the_bench_accounts(client):
    build()
    assert client.login(email=f"intrapreneur@{DOMAIN}", password=PASSWORD)
    response = client.get("/startups/bench-large/product/feedback/")
    assertContains(response, "Grand Guichet")
    client.logout()
    assert client.login(email=f"staff@{DOMAIN}", password=PASSWORD)
    assertContains(client.get("/startups/bench-001/"), "Service numéro 1")


@pytest.mark.django_db
def test_a_second_run_builds_nothing_and_the_same_seed_gives_the_same_data():
    build()
    assert "already built" in build()
    assert Startup.objects.filter(incubator__slug="bench").count() == 2

    def snapshot():
        return (
            list(Feedback.objects.order_by("startup__slug", "pk").values_list("text", "date",
                                                                                "status")),
            list(MetricValue.objects.order_by("metric__startup__slug", "date")
                 .values_list("date", "value")),
            list(Expense.objects.order_by("startup__slug", "pk").values_list("amount", "date")),
        )

    first = snapshot()
    Startup.objects.filter(incubator__slug="bench").delete()
    Incubator.objects.filter(slug="bench").delete()
    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    build()
    assert snapshot() == first
