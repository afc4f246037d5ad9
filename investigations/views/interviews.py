"""Interviews: list, record, read (with its files), edit, delete; import and export.

Reading needs ``view_research``; every write needs ``contribute``. The detail page also
receives its file upload (POST): reading it needs ``view_research``, uploading
``contribute`` — checked inside the view.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intrapreneur import services as core_services
from intrapreneur.csv import csv_response
from intrapreneur.forms import AttachmentForm
from intrapreneur.imports import import_page
from intrapreneur.lists import list_context, render_page
from intrapreneur.models import Tag, User
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, confirm_page, form_page
from investigations.enums import InterviewKind
from investigations.forms.interviews import (
    InterviewFilterForm,
    InterviewForm,
    InterviewImportApplyForm,
    InterviewImportForm,
    NotesPreviewForm,
)
from investigations.models import Interview
from investigations.services import interviews as services


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"investigations:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _interviews(request: AppRequest):
    """The startup's interviews with what a row shows: participant, interviewers, tags."""
    return (
        Interview.objects.for_startup(request.startup)
        .select_related("participant")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
            Prefetch("interviewers", queryset=User.objects.order_by("first_name", "last_name")),
        )
    )


def _interview(request: AppRequest, pk: int) -> Interview:
    return get_object_or_404(Interview.objects.for_startup(request.startup), pk=pk)


def _form(request: AppRequest, data=None, **kwargs) -> InterviewForm:
    return InterviewForm(
        data, startup=request.startup,
        autocomplete_url=reverse("tag-autocomplete", kwargs={"slug": request.startup.slug}),
        preview_url=_url(request, "notes-preview"),
        **kwargs,
    )


def _kind_counts(queryset) -> list[dict]:
    """How many interviews of each kind: one query."""
    counts = queryset.order_by().aggregate(
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in InterviewKind.values}
    )
    return [
        {"kind": kind, "label": label, "count": counts[kind]}
        for kind, label in InterviewKind.choices
    ]


# ---------------------------------------------------------------- list


@require_GET
@startup_view(Action.VIEW_RESEARCH)
def interview_list(request: AppRequest) -> HttpResponse:
    startup = request.startup
    form = InterviewFilterForm(request.GET or None, startup=startup)
    context = list_context(request, _interviews(request), form)
    page = context["page_obj"]
    done = (
        Interview.objects.for_startup(startup).count()
        if context["is_filtered"] else page.paginator.count
    )
    target = startup.target_interviews
    context.update(
        startup=startup,
        kind_counts=_kind_counts(page.paginator.object_list),
        progress={
            "done": done,
            "target": target,
            "percent": min(100, round(100 * done / target)) if target else 100,
            "reached": done >= target,
        },
    )
    return render_page(request, "investigations/interview_list.html", context, part="results")


@require_GET
@startup_view(Action.VIEW_RESEARCH)
def interview_export(request: AppRequest) -> HttpResponse:
    """The interviews (the list's filters apply) without personal data: pseudonyms only."""
    form = InterviewFilterForm(request.GET or None, startup=request.startup)
    data = form.valid_data()
    interviews = form.filter_queryset(_interviews(request), data)
    interviews = form.order(form.search(interviews, data.get("q", "")), form.sort_key())
    header = (
        _("Date"), _("Kind"), _("Place or channel"), _("Participant"), _("Profile"),
        _("Interviewers"), _("Tags"), _("Notes"),
    )
    rows = (
        (
            interview.date.isoformat(),
            interview.get_kind_display(),
            interview.place,
            interview.participant.pseudonym if interview.participant else "",
            interview.participant.profile if interview.participant else "",
            " | ".join(u.get_full_name() or _("Member") for u in interview.interviewers.all()),
            " | ".join(tag.name for tag in interview.tags.all()),
            interview.notes,
        )
        for interview in interviews
    )
    return csv_response(f"{request.startup.slug}-entretiens.csv", header, rows)


# ---------------------------------------------------------------- one interview


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def interview_create(request: AppRequest) -> HttpResponse:
    initial = {}
    participant = request.GET.get("participant", "")
    if participant.isdigit():
        initial["participant"] = participant
    form = _form(request, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        interview = services.interview_create(
            startup=request.startup, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("The interview is recorded."))
        return redirect(interview)
    return form_page(
        request, form, title=_("Record an interview"), submit_label=_("Record"),
        cancel_url=_url(request, "interview-list"),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.VIEW_RESEARCH)
def interview_detail(request: AppRequest, pk: int) -> HttpResponse:
    """The interview, its notes rendered, its files; POST uploads a file (``contribute``)."""
    interview = get_object_or_404(_interviews(request), pk=pk)
    upload_form = None
    if request.can.contribute:
        posted = request.method == "POST"
        upload_form = AttachmentForm(
            request.POST if posted else None, request.FILES if posted else None,
            autocomplete_url=reverse("tag-autocomplete", kwargs={"slug": request.startup.slug}),
        )
    if request.method == "POST":
        if upload_form is None:
            raise PermissionDenied
        if upload_form.is_valid():
            data = upload_form.cleaned_data
            attachment = core_services.attachment_create(
                startup=request.startup, actor=request.user, upload=data["file"],
                name=data["name"], tags=data["tags"], owner=interview,
                required_action=Action.VIEW_RESEARCH.value,
            )
            messages.success(request, _("“%(name)s” is uploaded.") % {"name": attachment.name})
            return redirect(interview)
    context = {
        "startup": request.startup,
        "interview": interview,
        "attachments": list(
            services.interview_attachments(interview).select_related("uploaded_by")
        ),
        "evidence": list(interview.evidence.select_related("insight").order_by("pk")),
        "upload_form": upload_form,
    }
    return render(request, "investigations/interview_detail.html", context)


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def interview_edit(request: AppRequest, pk: int) -> HttpResponse:
    interview = _interview(request, pk)
    form = _form(request, request.POST or None, initial=InterviewForm.initial_for(interview))
    if request.method == "POST" and form.is_valid():
        services.interview_update(interview=interview, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The interview is saved."))
        return redirect(interview)
    return form_page(
        request, form, title=_("Edit the interview of %(date)s") % {
            "date": interview.date.strftime("%d/%m/%Y")
        },
        submit_label=_("Save"), cancel_url=interview.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def interview_delete(request: AppRequest, pk: int) -> HttpResponse:
    interview = _interview(request, pk)
    if request.method == "POST":
        services.interview_delete(interview=interview, actor=request.user)
        messages.success(request, _("The interview is deleted."))
        return redirect(_url(request, "interview-list"))
    return confirm_page(
        request, obj=interview, title=_("Delete the interview"),
        warning=_(
            "Its notes and files are deleted, and the insights lose the evidence it gave them."
        ),
        cancel_url=interview.get_absolute_url(),
    )


@require_POST
@startup_view(Action.CONTRIBUTE)
def notes_preview(request: AppRequest) -> HttpResponse:
    """The notes as the detail page will show them (htmx, while typing)."""
    form = NotesPreviewForm(request.POST)
    notes = form.cleaned_data["notes"] if form.is_valid() else ""
    return render(
        request, "investigations/includes/interview_notes_preview.html",
        {"notes": notes, "too_long": not form.is_valid()},
    )


# ---------------------------------------------------------------- import


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def interview_import(request: AppRequest) -> HttpResponse:
    """Upload → preview with a report per row → apply (all or nothing)."""
    return import_page(
        request,
        upload_form_class=InterviewImportForm,
        apply_form_class=InterviewImportApplyForm,
        apply=lambda text: len(
            services.interview_import(startup=request.startup, actor=request.user, text=text)
        ),
        success=lambda count: ngettext(
            "%(count)d interview is imported.", "%(count)d interviews are imported.", count
        ) % {"count": count},
        empty=services.IMPORT_EMPTY,
        template="investigations/interview_import.html",
        context={"title": _("Import interviews"), "kinds": InterviewKind.choices},
        list_url=_url(request, "interview-list"),
        upload_url=_url(request, "interview-import"),
    )
