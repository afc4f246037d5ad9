"""Participants, privacy first: pseudonym and profile with ``view_research``; name and
contact only with ``view_personal``; export and erasure by the intrapreneur (``manage``).
"""

from __future__ import annotations

import datetime
import json

from django.contrib import messages
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intrapreneur.lists import list_context, render_page
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, confirm_page
from investigations.forms.participants import ParticipantFilterForm, ParticipantForm
from investigations.models import Interview, Participant
from investigations.services import participants as services


def _participant(request: AppRequest, pk: int) -> Participant:
    return get_object_or_404(Participant.objects.for_startup(request.startup), pk=pk)


def _list_url(request: AppRequest) -> str:
    return reverse("investigations:participant-list", kwargs={"slug": request.startup.slug})


def _detail_url(request: AppRequest, participant: Participant) -> str:
    return reverse(
        "investigations:participant-detail",
        kwargs={"slug": request.startup.slug, "pk": participant.pk},
    )


def _form_page(request: AppRequest, form: ParticipantForm, *, title: str, submit_label: str,
               cancel_url: str, participant: Participant | None = None) -> HttpResponse:
    return render(
        request,
        "investigations/participant_form.html",
        {
            "startup": request.startup,
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "participant": participant,
        },
    )


# ---------------------------------------------------------------- list


@require_GET
@startup_view(Action.VIEW_RESEARCH)
def participant_list(request: AppRequest) -> HttpResponse:
    personal = request.can.view_personal
    form = ParticipantFilterForm(request.GET or None, startup=request.startup, personal=personal)
    participants = (
        Participant.objects.for_startup(request.startup)
        .with_last_interview()
        # The form's "last" sort: never interviewed last when the newest come first
        # (PostgreSQL sorts NULL first).
        .annotate(last_sort=Coalesce("last_interview", Value(datetime.date.min)))
    )
    context = {"startup": request.startup, **list_context(request, participants, form)}
    return render_page(
        request, "investigations/participant_list.html", context, part="results"
    )


# ---------------------------------------------------------------- one participant


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def participant_create(request: AppRequest) -> HttpResponse:
    personal = request.can.view_personal
    form = ParticipantForm(request.POST or None, personal=personal)
    if request.method == "POST" and form.is_valid():
        participant = services.participant_create(
            startup=request.startup, actor=request.user, contact=form.contact_data(),
            **form.profile_data(),
        )
        messages.success(
            request,
            _("The participant %(pseudonym)s is created.") % {"pseudonym": participant.pseudonym},
        )
        return redirect(_detail_url(request, participant))
    return _form_page(
        request, form, title=_("New participant"), submit_label=_("Create"),
        cancel_url=_list_url(request),
    )


@require_GET
@startup_view(Action.VIEW_RESEARCH)
def participant_detail(request: AppRequest, pk: int) -> HttpResponse:
    participant = _participant(request, pk)
    # The contact is read only for those who may see it: never for a coach.
    contact = services.contact_of(participant) if request.can.view_personal else None
    interviews = (
        Interview.objects.for_startup(request.startup).filter(participant=participant)
        .prefetch_related("tags").order_by("-date", "-pk")
    )
    context = {
        "startup": request.startup,
        "participant": participant,
        "contact": contact,
        "interviews": list(interviews),
    }
    return render(request, "investigations/participant_detail.html", context)


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def participant_edit(request: AppRequest, pk: int) -> HttpResponse:
    participant = _participant(request, pk)
    personal = request.can.view_personal and participant.erased_at is None
    form = ParticipantForm(
        request.POST or None, personal=personal,
        initial=ParticipantForm.initial_for(participant, personal=personal),
    )
    if request.method == "POST" and form.is_valid():
        services.participant_update(
            participant=participant, actor=request.user, contact=form.contact_data(),
            **form.profile_data(),
        )
        messages.success(
            request,
            _("The participant %(pseudonym)s is saved.") % {"pseudonym": participant.pseudonym},
        )
        return redirect(_detail_url(request, participant))
    return _form_page(
        request, form,
        title=_("Edit the participant %(pseudonym)s") % {"pseudonym": participant.pseudonym},
        submit_label=_("Save"), cancel_url=_detail_url(request, participant),
        participant=participant,
    )


@require_POST
@startup_view(Action.MANAGE)
def participant_export(request: AppRequest, pk: int) -> HttpResponse:
    """Their data as JSON (right of access); a POST: the export is recorded."""
    participant = _participant(request, pk)
    data = services.participant_export(participant=participant, actor=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"participant-{participant.pseudonym}.json"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def participant_erase(request: AppRequest, pk: int) -> HttpResponse:
    participant = _participant(request, pk)
    detail_url = _detail_url(request, participant)
    if request.method == "POST":
        if services.participant_erase(participant=participant, actor=request.user):
            messages.success(
                request,
                _("The personal data of %(pseudonym)s is erased.")
                % {"pseudonym": participant.pseudonym},
            )
        else:
            messages.info(request, _("This participant's personal data was already erased."))
        return redirect(detail_url)
    return confirm_page(
        request, obj=participant, title=_("Erase the personal data"),
        warning=_(
            "Their name, e-mail address, phone and consent are deleted for good. The "
            "pseudonymous profile and the interviews stay."
        ),
        action_label=_("Erase"), cancel_url=detail_url,
    )
