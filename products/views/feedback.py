"""The feedback inbox: triage (filters, full-text search, bulk changes), one item (read,
record, edit, delete, merge duplicates), import and export.

Reading needs ``view_research``, the authors' addresses ``view_personal``; every write
needs ``contribute``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intrapreneur.csv import csv_response
from intrapreneur.imports import import_page
from intrapreneur.lists import list_context, render_page
from intrapreneur.models import Tag
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, back_to, confirm_page, form_page
from products.enums import FeedbackChannel, FeedbackKind, FeedbackSource, FeedbackStatus
from products.forms.feedback import (
    ADD_TAG,
    FeedbackBulkForm,
    FeedbackFilterForm,
    FeedbackForm,
    FeedbackImportApplyForm,
    FeedbackImportForm,
    FeedbackMergeForm,
    merge_candidates,
)
from products.models import Feedback
from products.services import feedback as services

LIST_TEMPLATE = "products/feedback_list.html"
MERGE_CANDIDATES = 30


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"products:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _items(request: AppRequest):
    """The startup's items with what a row shows: assignee and tags."""
    return (
        Feedback.objects.for_startup(request.startup)
        .select_related("assignee")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    )


def _item(request: AppRequest, pk: int) -> Feedback:
    return get_object_or_404(Feedback.objects.for_startup(request.startup), pk=pk)


def _form(request: AppRequest, data=None, **kwargs) -> FeedbackForm:
    return FeedbackForm(
        data, startup=request.startup, personal=request.can.view_personal,
        autocomplete_url=reverse("tag-autocomplete", kwargs={"slug": request.startup.slug}),
        **kwargs,
    )


# ---------------------------------------------------------------- the inbox


def _inbox_context(request: AppRequest, bulk_form: FeedbackBulkForm | None = None) -> dict:
    """The list page's context, from ``request.GET``: rows, status counts, bulk form."""
    startup = request.startup
    form = FeedbackFilterForm(request.GET or None, startup=startup)
    counts = services.status_counts(
        form.without_status(Feedback.objects.for_startup(startup))
    )
    selected = form.valid_data().get("status", "")
    # The counts per status already say how many rows the list has: no second COUNT(*).
    context = list_context(
        request, _items(request), form, count=services.status_total(counts, selected)
    )
    list_url = _url(request, "feedback-list")
    query = request.GET.urlencode()
    context.update(
        startup=startup,
        status_counts=[
            {"status": value, "label": label, "count": counts[value], "current": value == selected}
            for value, label in FeedbackStatus.choices
        ],
        status_total=sum(counts.values()),
        status_filtered=bool(selected),
        tag_names=[tag.name for tag in form.tags],
        bulk_form=bulk_form or FeedbackBulkForm(),
        bulk_message="",
        selected_ids=set(),
        list_url_with_query=f"{list_url}?{query}" if query else list_url,
        # An htmx request for the results also gets the counts, swapped out of band.
        oob=bool(request.htmx and not request.htmx.history_restore_request),
    )
    return context


@require_GET
@startup_view(Action.VIEW_RESEARCH)
def feedback_list(request: AppRequest) -> HttpResponse:
    return render_page(request, LIST_TEMPLATE, _inbox_context(request), part="results")


def _next_url(request: AppRequest, value: str) -> str:
    """Where to go back after a bulk change: the inbox with its filters."""
    return back_to(request, value, within=_url(request, "feedback-list"))


@require_POST
@startup_view(Action.CONTRIBUTE)
def feedback_bulk(request: AppRequest) -> HttpResponse:
    """Change the status or the tags of the selected items; the startup's items only.

    Without JavaScript: back to the page it came from (``next``, the list with its filters).
    With htmx: the list's results as ``next`` shows them, and the counts out of band.
    """
    form = FeedbackBulkForm(request.POST)
    next_url = _next_url(request, request.POST.get("next", ""))
    message, error = "", ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            if form.status:
                count = services.feedback_bulk_set_status(
                    startup=request.startup, actor=request.user, ids=data["ids"],
                    status=form.status,
                )
            else:
                count = services.feedback_bulk_tag(
                    startup=request.startup, actor=request.user, ids=data["ids"],
                    name=data["tag"], add=data["action"] == ADD_TAG,
                )
        except ValidationError as exception:
            form.add_error(None, exception)
            error = " ".join(exception.messages)
        else:
            message = ngettext(
                "%(count)d item is updated.", "%(count)d items are updated.", count
            ) % {"count": count}
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        # The results of the list the form was in: its address is ``next``.
        request.GET = QueryDict(urlsplit(next_url).query)
        context = _inbox_context(request, bulk_form=form if error else None)
        context.update(
            bulk_message=message,
            selected_ids=set(form.cleaned_data.get("ids", [])) if error else set(),
            oob=True,
        )
        return render(request, f"{LIST_TEMPLATE}#results", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(next_url)


@require_GET
@startup_view(Action.VIEW_RESEARCH)
def feedback_export(request: AppRequest) -> HttpResponse:
    """The items the list's filters select, without the authors' addresses."""
    form = FeedbackFilterForm(request.GET or None, startup=request.startup)
    data = form.valid_data()
    items = form.filter_queryset(_items(request), data)
    items = form.order(form.search(items, data.get("q", "")), form.sort_key())
    header = (
        _("Number"), _("Date"), _("Kind"), _("Source"), _("Channel"), _("Status"),
        _("Assignee"), _("Tags"), _("Text"), _("Merged into"),
    )
    rows = (
        (
            item.pk,
            item.date.isoformat(),
            item.get_kind_display(),
            item.get_source_display(),
            item.get_channel_display(),
            item.get_status_display(),
            (item.assignee.get_full_name() or _("Member")) if item.assignee else "",
            " | ".join(tag.name for tag in item.tags.all()),
            item.text,
            item.merged_into_id or "",
        )
        for item in items.iterator(chunk_size=2000)
    )
    return csv_response(f"{request.startup.slug}-retours.csv", header, rows)


# ---------------------------------------------------------------- one item


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def feedback_create(request: AppRequest) -> HttpResponse:
    form = _form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback = services.feedback_create(
                startup=request.startup, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The feedback is recorded."))
            return redirect(feedback)
    return form_page(
        request, form, title=_("Record feedback"), submit_label=_("Record"),
        cancel_url=_url(request, "feedback-list"),
    )


@require_GET
@startup_view(Action.VIEW_RESEARCH)
def feedback_detail(request: AppRequest, pk: int) -> HttpResponse:
    feedback = get_object_or_404(_items(request).select_related("merged_into"), pk=pk)
    duplicates = list(feedback.duplicates.order_by("date", "pk"))
    context = {
        "startup": request.startup,
        "feedback": feedback,
        "duplicates": duplicates,
        "statuses": FeedbackStatus.choices,
    }
    return render(request, "products/feedback_detail.html", context)


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def feedback_edit(request: AppRequest, pk: int) -> HttpResponse:
    feedback = _item(request, pk)
    form = _form(request, request.POST or None, initial=FeedbackForm.initial_for(feedback))
    if feedback.merged_into_id is not None:
        form.fields["status"].disabled = True
        form.fields["status"].help_text = _("A merged duplicate stays done.")
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_update(feedback=feedback, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The feedback is saved."))
            return redirect(feedback)
    return form_page(
        request, form, title=_("Edit the feedback of %(date)s") % {
            "date": feedback.date.strftime("%d/%m/%Y")
        },
        submit_label=_("Save"), cancel_url=feedback.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def feedback_delete(request: AppRequest, pk: int) -> HttpResponse:
    feedback = _item(request, pk)
    if request.method == "POST":
        released = services.feedback_delete(feedback=feedback, actor=request.user)
        messages.success(request, _("The feedback is deleted."))
        if released:
            messages.info(
                request,
                ngettext(
                    "%(count)d duplicate merged into it is back in the inbox.",
                    "%(count)d duplicates merged into it are back in the inbox.",
                    released,
                ) % {"count": released},
            )
        return redirect(_url(request, "feedback-list"))
    warning = ""
    duplicates = feedback.duplicates.count()
    if duplicates:
        warning = ngettext(
            "The %(count)d duplicate merged into it is kept and comes back in the inbox.",
            "The %(count)d duplicates merged into it are kept and come back in the inbox.",
            duplicates,
        ) % {"count": duplicates}
    return confirm_page(
        request, obj=feedback, title=_("Delete the feedback"), warning=warning,
        cancel_url=feedback.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def feedback_merge(request: AppRequest, pk: int) -> HttpResponse:
    """Choose duplicates (searching the startup's items) and merge them into this item."""
    feedback = _item(request, pk)
    if feedback.merged_into_id is not None:
        messages.error(
            request,
            _("This item is itself merged into another one: merge into that one instead."),
        )
        return redirect(feedback)
    form = FeedbackMergeForm(
        request.POST if request.method == "POST" else None, feedback=feedback
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = services.feedback_merge(
                feedback=feedback, actor=request.user,
                duplicates=form.cleaned_data["duplicates"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d duplicate is merged into this item.",
                    "%(count)d duplicates are merged into this item.",
                    count,
                ) % {"count": count},
            )
            return redirect(feedback)
    q = request.GET.get("q", "").strip()[:200]
    candidates = merge_candidates(feedback)
    similar = None if q else candidates.similar_to(feedback.text)
    if q:
        candidates = candidates.search_text(q)
    elif similar is not None:
        candidates = similar
    chosen_ids = set()
    if form.is_bound:
        chosen_ids = {int(v) for v in request.POST.getlist("duplicates") if v.isdigit()}
    chosen = list(merge_candidates(feedback).filter(pk__in=chosen_ids))
    shown = [c for c in candidates[:MERGE_CANDIDATES] if c.pk not in chosen_ids]
    context = {
        "startup": request.startup,
        "feedback": feedback,
        "form": form,
        "q": q,
        "similar": similar is not None,
        "chosen": chosen,
        "candidates": shown,
        "max_candidates": MERGE_CANDIDATES,
    }
    return render(request, "products/feedback_merge.html", context)


# ---------------------------------------------------------------- import


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def feedback_import(request: AppRequest) -> HttpResponse:
    """Upload → preview with a report per row → apply (all or nothing)."""
    return import_page(
        request,
        upload_form_class=FeedbackImportForm,
        apply_form_class=FeedbackImportApplyForm,
        apply=lambda text: len(
            services.feedback_import(startup=request.startup, actor=request.user, text=text)
        ),
        success=lambda count: ngettext(
            "%(count)d feedback item is imported.", "%(count)d feedback items are imported.",
            count,
        ) % {"count": count},
        empty=services.IMPORT_EMPTY,
        template="products/feedback_import.html",
        context={
            "title": _("Import feedback"),
            "choices": {
                "kind": FeedbackKind.choices,
                "source": FeedbackSource.choices,
                "channel": FeedbackChannel.choices,
                "status": FeedbackStatus.choices,
            },
        },
        list_url=_url(request, "feedback-list"),
        upload_url=_url(request, "feedback-import"),
    )
