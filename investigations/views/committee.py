"""The investigation summary and the launch committee: list, dossier, preparation, decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from intrapreneur.calendars import ics_calendar, ics_response
from intrapreneur.lists import list_context, render_page
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, form_page, site_url
from investigations.calendar import launch_committee_entry
from investigations.enums import InsightStatus
from investigations.forms.committee import (
    CommitteeFilterForm,
    LaunchCommitteeForm,
    LaunchDecisionForm,
)
from investigations.models import LaunchCommittee, Participant, Scenario
from investigations.services import committee as services

# ---------------------------------------------------------------- summary


@require_GET
@startup_view(Action.VIEW)
def summary(request: AppRequest) -> HttpResponse:
    startup = request.startup
    by_kind = services.interviews_by_kind(startup)
    interview_count = sum(count for _kind, _label, count in by_kind)
    weeks = services.interviews_per_week(startup, today=timezone.localdate())
    target = startup.target_interviews
    context = {
        "startup": startup,
        "by_kind": by_kind,
        "interview_count": interview_count,
        "weeks": weeks,
        "week_max": max([week.count for week in weeks] + [1]),
        "target": target,
        "progress": min(100, round(100 * interview_count / target)) if target else 100,
        "participant_count": (
            Participant.objects.for_startup(startup).count() if request.can.view_research
            else None
        ),
        "insights": services.top_insights(
            startup, statuses=(InsightStatus.CONFIRMED, InsightStatus.TO_CONFIRM)
        ),
        "readiness": services.readiness(startup, interview_count=interview_count),
        "committee": LaunchCommittee.objects.for_startup(startup).order_by("-date", "-pk").first(),
    }
    return render(request, "investigations/summary.html", context)


# ---------------------------------------------------------------- launch committee


def _committee(request: AppRequest, pk: int) -> LaunchCommittee:
    return get_object_or_404(LaunchCommittee.objects.for_startup(request.startup), pk=pk)


def _list_url(request: AppRequest) -> str:
    return reverse("investigations:committee-list", kwargs={"slug": request.startup.slug})


def _detail_url(request: AppRequest, committee: LaunchCommittee) -> str:
    return reverse(
        "investigations:committee-detail",
        kwargs={"slug": request.startup.slug, "pk": committee.pk},
    )


@require_GET
@startup_view(Action.VIEW)
def committee_list(request: AppRequest) -> HttpResponse:
    form = CommitteeFilterForm(request.GET or None)
    committees = services.committees_for_list(request.startup)
    context = {"startup": request.startup, **list_context(request, committees, form)}
    return render_page(request, "investigations/committee_list.html", context, part="results")


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def committee_create(request: AppRequest) -> HttpResponse:
    form = LaunchCommitteeForm(request.POST or None, startup=request.startup)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.launch_committee_create(
                startup=request.startup, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The launch committee of %(date)s is prepared.")
                % {"date": committee.date.strftime("%d/%m/%Y")},
            )
            return redirect(_detail_url(request, committee))
    return form_page(
        request, form, title=_("Prepare a launch committee"), submit_label=_("Save the dossier"),
        cancel_url=_list_url(request),
        intro=_(
            "The dossier shows the problem, the strongest insights and the scenarios to the "
            "committee; you can edit it until the committee decides."
        ),
    )


@require_GET
@startup_view(Action.VIEW)
def committee_ics(request: AppRequest, pk: int) -> HttpResponse:
    """The committee as an iCalendar file, to add to one's calendar."""
    committee = _committee(request, pk)
    committee.startup = request.startup
    entry = launch_committee_entry(committee, base_url=site_url(request))
    return ics_response(
        ics_calendar([entry], name=entry.summary),
        filename=f"comite-lancement-{request.startup.slug}-{committee.date.isoformat()}.ics",
    )


@require_GET
@startup_view(Action.VIEW)
def committee_detail(request: AppRequest, pk: int) -> HttpResponse:
    committee = get_object_or_404(
        LaunchCommittee.objects.for_startup(request.startup).select_related("decided_by"), pk=pk
    )
    context = {
        "startup": request.startup,
        "committee": committee,
        "attendees": list(committee.attendees.order_by("first_name", "last_name", "email")),
        "outside_attendees": committee.outside_attendees.splitlines(),
        "insights": services.top_insights(request.startup),
        "scenarios": list(
            Scenario.objects.for_startup(request.startup).only("pk", "title", "description")
        ),
    }
    return render(request, "investigations/committee_detail.html", context)


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def committee_edit(request: AppRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    if committee.decision:
        messages.error(
            request, _("This committee has decided: its dossier can no longer change.")
        )
        return redirect(_detail_url(request, committee))
    form = LaunchCommitteeForm(request.POST or None, instance=committee, startup=request.startup)
    if request.method == "POST" and form.is_valid():
        try:
            services.launch_committee_update(
                committee=committee, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The dossier is saved."))
            return redirect(_detail_url(request, committee))
    return form_page(
        request, form, title=_("Edit the launch committee dossier"), submit_label=_("Save"),
        cancel_url=_detail_url(request, committee),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def committee_decide(request: AppRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    if committee.decision:
        messages.error(
            request,
            _("This committee already decided (%(decision)s): a decision is recorded once.")
            % {"decision": committee.get_decision_display()},
        )
        return redirect(_detail_url(request, committee))
    form = LaunchDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.launch_committee_decide(
                committee=committee, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.startup.refresh_from_db(fields=["phase"])
            messages.success(
                request,
                _("The decision is recorded: %(decision)s. The startup is in phase “%(phase)s”.")
                % {
                    "decision": committee.get_decision_display(),
                    "phase": request.startup.get_phase_display(),
                },
            )
            return redirect(_detail_url(request, committee))
    return form_page(
        request, form,
        title=_("Record the decision of the committee of %(date)s")
        % {"date": committee.date.strftime("%d/%m/%Y")},
        submit_label=_("Record the decision"), cancel_url=_detail_url(request, committee),
        intro=_(
            "A decision is recorded once. Go moves the startup to construction, no go ends "
            "the investigation; both stay in the phase timeline."
        ),
    )
