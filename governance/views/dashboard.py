"""The sponsor's dashboard, the health status the intrapreneur sets on it, and the
governance home.

Everyone who may ``view`` the startup reads the dashboard (sponsors included: it shows
feedback counts, never feedback text); setting the health status is ``manage``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance.forms.dashboard import HealthForm
from governance.models import HealthStatus
from governance.services.dashboard import (
    dashboard_data,
    dashboard_display,
    governance_counts,
    next_committee_display,
    upcoming_committee,
)
from governance.services.health import health_set as health_set_service
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest


def _dashboard_url(request: AppRequest) -> str:
    return reverse("governance:dashboard", kwargs={"slug": request.startup.slug})


@require_GET
@startup_view(Action.VIEW)
def dashboard(request: AppRequest) -> HttpResponse:
    data = dashboard_data(request.startup, today=timezone.localdate())
    context = {
        "startup": request.startup,
        "dash": dashboard_display(data),
        "live": True,
        "can_manage": request.can.manage,
        "health_form": HealthForm() if request.can.manage else None,
    }
    return render(request, "governance/dashboard.html", context)


@require_POST
@startup_view(Action.MANAGE)
def health_set(request: AppRequest) -> HttpResponse:
    form = HealthForm(request.POST)
    if form.is_valid():
        try:
            health = health_set_service(
                startup=request.startup, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The health status is now “%(status)s”.")
                % {"status": health.get_status_display()},
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(f"{_dashboard_url(request)}#health")


@require_GET
@startup_view(Action.VIEW)
def governance_home(request: AppRequest) -> HttpResponse:
    startup = request.startup
    health = (
        HealthStatus.objects.for_startup(startup).select_related("author")
        .order_by("-created_at", "-pk").first()
    )
    context = {
        "startup": startup,
        "counts": governance_counts(startup),
        "health": health,
        "next_committee": next_committee_display(
            upcoming_committee(startup, today=timezone.localdate())
        ),
    }
    return render(request, "governance/home.html", context)
