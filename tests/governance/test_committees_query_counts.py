"""Exact query counts of the committee pages, the same with 3 and 30 committees (or with 3
and 30 of each thing a dossier shows), each committee carrying conditions."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance.services import committees as services
from tests.governance.factories import (
    CommitteeConditionFactory,
    ExpenseFactory,
    FundingFactory,
    InvestmentCommitteeFactory,
    StaffingLineFactory,
)
from tests.intrapreneur.factories import comment_threads
from tests.products.factories import (
    HypothesisFactory,
    LearningFactory,
    MetricFactory,
    MetricValueFactory,
    ReleaseFactory,
    UserTestFactory,
)

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def fill_list(startup, size: int) -> None:
    """``size`` committees, the newest planned, the others decided with three conditions
    (one met) each."""
    for n in range(size):
        committee = InvestmentCommitteeFactory(
            startup=startup, date=days(30 - 40 * n),
            decision="" if n == 0 else "continue",
            amount_granted=None if n == 0 else Decimal("100000.00") + n,
        )
        if n:
            conditions = [CommitteeConditionFactory(committee=committee) for _i in range(3)]
            conditions[0].done_at = timezone.now()
            conditions[0].save()


@pytest.mark.parametrize("size", SIZES)
def test_list_query_count(world, django_assert_num_queries, size):
    fill_list(world.startup, size)
    client = world.client_for("sponsor")
    path = reverse("governance:committee-list", kwargs={"slug": world.startup.slug})
    # session, user, startup (incubator), membership; the next planned committee; the
    # count; the page's rows with their conditions counted.
    with django_assert_num_queries(7):
        response = client.get(path)
    assert len(response.context["page_obj"].object_list) == min(size, 20)
    with django_assert_num_queries(7):
        response = client.get(path, {"decision": "continue", "q": "départements"},
                              headers={"HX-Request": "true"})
    assert response.context["page_obj"].paginator.count == size - 1


def fill_dossier(startup, size: int):
    """A committee that met yesterday, with ``size`` of each thing its dossier shows."""
    date = days(-1)
    for n in range(size):
        UserTestFactory(startup=startup, date=date - datetime.timedelta(days=3 * n),
                        result="validates")
        ReleaseFactory(startup=startup, version=f"v{n}", date=date - datetime.timedelta(days=n),
                       is_published=True)
        LearningFactory(startup=startup, date=date - datetime.timedelta(days=n))
        metric = MetricFactory(startup=startup, target=Decimal("10"))
        for week in range(3):
            MetricValueFactory(metric=metric, date=date - datetime.timedelta(weeks=week))
        FundingFactory(startup=startup, starts_on=days(-200), ends_on=days(100))
        ExpenseFactory(startup=startup, date=days(-n - 2))
        StaffingLineFactory(startup=startup, starts_on=days(-100), ends_on=days(200))
    committee = InvestmentCommitteeFactory(startup=startup, date=date)
    committee.hypotheses.set([HypothesisFactory(startup=startup) for _n in range(size)])
    for n in range(size):
        CommitteeConditionFactory(committee=committee)
        services.committee_file_add(
            committee=committee, actor=None, kind="deck",
            upload=SimpleUploadedFile(f"support-{n}.pdf", b"%PDF-1.4", "application/pdf"),
        )
    return committee


@pytest.mark.parametrize("size", SIZES)
def test_detail_query_count(world, django_assert_num_queries, size):
    committee = fill_dossier(world.startup, size)
    path = committee.get_absolute_url()
    team = world.client_for("team")
    comment_threads(committee, size)
    team.get(path)  # the content types of the documents are cached from then on
    # session, user, startup (incubator), membership; the committee (decided by); the live
    # figures: tests, releases, learnings, metrics and their values, fundings, expenses,
    # staffing; the hypotheses; the conditions (met by); the documents (uploaded by); the
    # comments (authors), their replies (authors).
    with django_assert_num_queries(18):
        response = team.get(path)
    figures = response.context["figures"]
    assert (figures.tests_count, len(figures.releases), len(figures.kpis)) == (size,) * 3
    assert len(response.context["files"]) == size
    assert len(response.context["conditions"]) == size
    # Frozen: the figures come from the snapshot, no query for them.
    services.committee_snapshot_take(committee=committee, actor=world.people["team"])
    with django_assert_num_queries(10):
        response = team.get(path)
    assert response.context["figures"].frozen


@pytest.mark.parametrize("size", SIZES)
def test_condition_toggle_query_count(world, django_assert_num_queries, size):
    committee = InvestmentCommitteeFactory(startup=world.startup, date=days(-1))
    conditions = [CommitteeConditionFactory(committee=committee) for _n in range(size)]
    path = reverse(
        "governance:condition-toggle",
        kwargs={"slug": world.startup.slug, "pk": committee.pk, "condition_pk": conditions[0].pk},
    )
    team = world.client_for("team")
    team.post(path, headers={"HX-Request": "true"})  # content types cached
    # session, user, startup (incubator), membership; the committee; the condition; the
    # savepoint, the locked condition, its update, the activity, the savepoint's release;
    # the checklist (met by).
    with django_assert_num_queries(12):
        response = team.post(path, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert len(response.context["conditions"]) == size
