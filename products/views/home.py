"""The product home: where the build–learn loop stands this week, for everyone who may
``view`` the startup. Each block reads through the service of its feature."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest
from products.enums import HypothesisStatus, PartnerStage
from products.models import Feedback, Hypothesis, Release, UserTest
from products.services.hypotheses import usertest_cadence
from products.services.ideas import ideas_for
from products.services.learnings import latest_learnings
from products.services.partners import partners_by_stage
from products.views.releases import release_week_chart

TOP_IDEAS = 5
UNTRIAGED_SHOWN = 5
DRAFTS_SHOWN = 5


@require_GET
@startup_view(Action.VIEW)
def product_home(request: AppRequest) -> HttpResponse:
    startup, today = request.startup, timezone.localdate()
    hypothesis_counts = Hypothesis.objects.for_startup(startup).count_by(
        "status", HypothesisStatus.values
    )
    untriaged = Feedback.objects.for_startup(startup).unmerged().untriaged()
    stages = partners_by_stage(startup)
    context = {
        "startup": startup,
        "this_week": list(
            UserTest.objects.for_startup(startup).in_week(today).select_related("hypothesis")
            .order_by("date", "pk")
        ),
        "cadence": usertest_cadence(startup, today),
        "chart": release_week_chart(startup),
        "hypotheses": [
            (status, label, hypothesis_counts[status])
            for status, label in HypothesisStatus.choices
        ],
        "learnings": latest_learnings(startup),
        "partners": [(stage, label, stages[stage]) for stage, label in PartnerStage.choices],
        "partner_count": sum(stages.values()),
        "untriaged_count": untriaged.count(),
        "untriaged": (
            list(untriaged.order_by("-date", "-pk")[:UNTRIAGED_SHOWN])
            if request.can.view_research else []
        ),
        # Drafts published from here: htmx swaps the strips and counts they change.
        "drafts": (
            list(
                Release.objects.for_startup(startup).filter(is_published=False).select_related("startup")
                .annotate(answer_count=Count("answers")).order_by("date", "pk")[:DRAFTS_SHOWN]
            )
            if request.can.contribute else []
        ),
        "ideas": list(
            ideas_for(startup=startup, user=request.user).order_by(
                "-vote_count", "-created_at"
            )[:TOP_IDEAS]
        ),
    }
    return render(request, "products/home.html", context)
