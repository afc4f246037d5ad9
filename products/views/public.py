"""The public pages of a public startup, no account needed: /public/<slug>/…

They answer only while the startup is public and not archived (404 otherwise, as for an
unknown slug). The feedback form is limited to a few posts a minute per client address,
read behind the trusted proxies as allauth reads it; a filled honeypot is dropped silently.

``stats``, ``stats_csv`` and ``stats_json`` belong to the metrics pages.
"""

from __future__ import annotations

from allauth.core.internal.httpkit import get_client_ip
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from intrapreneur.csv import csv_response
from intrapreneur.models import Startup
from products.forms.public import PublicFeedbackForm
from products.services import metrics as metric_services
from products.services.public import feedback_rate_exceeded, feedback_receive

# The public pages a landing page links to, when their route exists (later issues add some).
PUBLIC_PAGES = [
    ("public:feedback", gettext_lazy("Give your feedback"),
     gettext_lazy("A problem, an idea, a question: write to the team.")),
    ("public:stats", gettext_lazy("Statistics"),
     gettext_lazy("How the service is used and what it changes.")),
    ("public:changelog", gettext_lazy("What's new"),
     gettext_lazy("The latest improvements of the service.")),
    ("public:budget", gettext_lazy("Budget"),
     gettext_lazy("What the service costs and who funds it.")),
]


def public_startup(slug: str) -> Startup:
    """The startup of a public page: 404 unless it exists, is public and is not archived."""
    return get_object_or_404(
        Startup.objects.active().filter(is_public=True).select_related("incubator"), slug=slug
    )


def client_address(request: HttpRequest) -> str:
    """The client's address behind the trusted proxies (ALLAUTH_TRUSTED_PROXY_COUNT)."""
    try:
        address = get_client_ip(request)
    except ImproperlyConfigured:
        # Fewer X-Forwarded-For entries than trusted proxies: not through our proxy.
        address = request.META.get("REMOTE_ADDR")
    return address or "unknown"


def public_links(startup: Startup) -> list[dict]:
    links = []
    for name, label, description in PUBLIC_PAGES:
        try:
            url = reverse(name, kwargs={"slug": startup.slug})
        except NoReverseMatch:
            continue
        links.append({"name": name, "url": url, "label": label, "description": description})
    return links


@login_not_required
@require_GET
def landing(request: HttpRequest, slug: str) -> HttpResponse:
    startup = public_startup(slug)
    return render(
        request, "products/public_landing.html",
        {"startup": startup, "links": public_links(startup)},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def feedback_form(request: HttpRequest, slug: str) -> HttpResponse:
    startup = public_startup(slug)
    form = PublicFeedbackForm(request.POST or None)
    status = 200
    rate_limited = False
    if request.method == "POST":
        if feedback_rate_exceeded(client=client_address(request)):
            rate_limited, status = True, 429
        elif form.is_spam():
            return redirect("public:feedback-thanks", slug=startup.slug)
        elif form.is_valid():
            data = form.cleaned_data
            feedback_receive(
                startup=startup, text=data["text"], author_email=data["email"],
                consents=data["consents"],
            )
            return redirect("public:feedback-thanks", slug=startup.slug)
    context = {
        "startup": startup,
        "form": form,
        "rate_limited": rate_limited,
        "landing_url": reverse("public:landing", kwargs={"slug": startup.slug}),
    }
    return render(request, "products/public_feedback.html", context, status=status)


@login_not_required
@require_GET
def feedback_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    startup = public_startup(slug)
    return render(
        request, "products/public_feedback_thanks.html",
        {
            "startup": startup,
            "landing_url": reverse("public:landing", kwargs={"slug": startup.slug}),
            "form_url": reverse("public:feedback", kwargs={"slug": startup.slug}),
        },
    )


# ---------------------------------------------------------------- statistics (metrics)


@login_not_required
@require_GET
def stats(request: HttpRequest, slug: str) -> HttpResponse:
    """The public metrics grouped by the impact matrix, each with its chart and table."""
    startup = public_startup(slug)
    return render(
        request, "products/public_stats.html",
        {"startup": startup, "stats": metric_services.public_stats(startup)},
    )


@login_not_required
@require_GET
def stats_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Every value of the public metrics, one a row."""
    startup = public_startup(slug)
    stats = metric_services.public_stats(startup)
    header = (
        "key", "metric", "unit", "impact_level", "aarri_step", "date", "value", "target",
    )
    rows = (
        (
            summary.metric.key, summary.metric.name, summary.metric.unit,
            summary.metric.impact_level, summary.metric.aarri_step, point.date.isoformat(),
            metric_services.value_plain(point.value),
            "" if summary.metric.target is None
            else metric_services.value_plain(summary.metric.target),
        )
        for summary in stats.summaries
        for point in summary.points
    )
    return csv_response(f"{startup.slug}-statistiques.csv", header, rows)


@login_not_required
@require_GET
def stats_json(request: HttpRequest, slug: str) -> JsonResponse:
    """The public metrics and all their values, as open data."""
    startup = public_startup(slug)
    stats = metric_services.public_stats(startup)
    as_json = metric_services.value_json
    response = JsonResponse(
        {
            "startup": {
                "name": startup.name, "slug": startup.slug,
                "url": request.build_absolute_uri(
                    reverse("public:stats", kwargs={"slug": startup.slug})
                ),
            },
            "updated_at": stats.updated_at.isoformat() if stats.updated_at else None,
            "metrics": [
                {
                    "key": s.metric.key,
                    "name": s.metric.name,
                    "unit": s.metric.unit,
                    "description": s.metric.description,
                    "direction": s.metric.direction,
                    "target": None if s.metric.target is None else as_json(s.metric.target),
                    "impact_level": s.metric.impact_level or None,
                    "aarri_step": s.metric.aarri_step or None,
                    "values": [
                        {"date": p.date.isoformat(), "value": as_json(p.value)}
                        for p in s.points
                    ],
                }
                for s in stats.summaries
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
