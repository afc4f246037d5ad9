"""The coaching log: the sessions with the coach (newest first, by topic), one session with
its action items, the action items still open; and their writes.

Everything here needs ``comment`` (intrapreneur, team, coach): the sponsor and incubator
staff get the 403 page. Ticking an action item is a plain form that posts and redirects;
with htmx it answers the session's list of action items only.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.forms.coaching import ActionItemForm, CoachingFilterForm, CoachingSessionForm
from governance.models import ActionItem, CoachingSession
from governance.services import coaching as services
from intrapreneur.lists import list_context, render_page
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, confirm_page, form_page, form_saved

# Open action items shown above the sessions; the others are on their sessions' pages.
OPEN_ITEMS_SHOWN = 20


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"governance:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _session(request: AppRequest, pk: int) -> CoachingSession:
    return get_object_or_404(
        CoachingSession.objects.for_startup(request.startup).select_related("coach", "author"),
        pk=pk,
    )


def _item(request: AppRequest, pk: int, item_pk: int) -> ActionItem:
    return get_object_or_404(
        ActionItem.objects.for_startup(request.startup).filter(session_id=pk)
        .select_related("session"),
        pk=item_pk,
    )


@require_GET
@startup_view(Action.COMMENT)
def coaching_list(request: AppRequest) -> HttpResponse:
    form = CoachingFilterForm(request.GET or None)
    context = {
        "startup": request.startup,
        "today": timezone.localdate(),
        **list_context(request, services.sessions_for(request.startup), form),
    }
    htmx = getattr(request, "htmx", None)
    if not (htmx and not htmx.history_restore_request):
        # Only the whole page shows the open action items.
        open_items = services.open_items_for(request.startup)
        context["open_items"] = list(open_items[:OPEN_ITEMS_SHOWN])
        for item in context["open_items"]:
            item.overdue = item.is_overdue(context["today"])
        context["open_total"] = open_items.count()
    return render_page(request, "governance/coaching_list.html", context, part="results")


def _detail_context(
    request: AppRequest, session: CoachingSession, *, form: ActionItemForm | None = None,
    toggled: int | None = None,
) -> dict:
    today = timezone.localdate()
    items = services.session_items(session)
    for item in items:
        item.overdue = item.is_overdue(today)
    return {
        "startup": request.startup,
        "session": session,
        "items": items,
        "item_form": form or ActionItemForm(startup=request.startup),
        "toggled": toggled,
        "status_message": "",
    }


@require_GET
@startup_view(Action.COMMENT)
def coaching_detail(request: AppRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return render(request, "governance/coaching_detail.html", _detail_context(request, session))


@require_http_methods(["GET", "POST"])
@startup_view(Action.COMMENT)
def coaching_create(request: AppRequest) -> HttpResponse:
    form = CoachingSessionForm(request.POST or None, startup=request.startup)
    session = form_saved(request, form, lambda: services.coaching_session_create(
        startup=request.startup, actor=request.user, **form.service_data()
    ))
    if session is not None:
        messages.success(
            request, _("The coaching session of %(date)s is recorded.")
            % {"date": session.date.strftime("%d/%m/%Y")},
        )
        return redirect(session)
    return form_page(
        request, form, title=_("Record a coaching session"), submit_label=_("Record"),
        cancel_url=_url(request, "coaching-list"),
        intro=_("The coaching log is read by the intrapreneur, the team and the coach only: "
                "neither the sponsor nor the incubator staff see it."),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.COMMENT)
def coaching_edit(request: AppRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        CoachingSession.objects.for_startup(request.startup).select_related("startup"), pk=pk
    )
    # Said before the form is bound: validating it writes what was typed on the instance.
    title = _("Edit the coaching session of %(date)s") % {
        "date": session.date.strftime("%d/%m/%Y")
    }
    form = CoachingSessionForm(request.POST or None, instance=session, startup=request.startup)
    saved = form_saved(request, form, lambda: services.coaching_session_update(
        session=session, actor=request.user, **form.service_data()
    ))
    if saved is not None:
        messages.success(request, _("The coaching session is saved."))
        return redirect(saved)
    return form_page(
        request, form, title=title, submit_label=_("Save"),
        cancel_url=_url(request, "coaching-detail", pk=pk),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.COMMENT)
def coaching_delete(request: AppRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if request.method == "POST":
        services.coaching_session_delete(session=session, actor=request.user)
        messages.success(
            request, _("The coaching session of %(date)s is deleted.")
            % {"date": session.date.strftime("%d/%m/%Y")},
        )
        return redirect(_url(request, "coaching-list"))
    return confirm_page(
        request, obj=session, title=_("Delete the coaching session"),
        warning=_("Its notes and its action items are deleted with it."),
        cancel_url=_url(request, "coaching-detail", pk=pk),
    )


# ---------------------------------------------------------------- action items


@require_POST
@startup_view(Action.COMMENT)
def action_item_create(request: AppRequest, pk: int) -> HttpResponse:
    """Add an action item: back to the session, or its page again with the form's errors
    and what was typed."""
    session = _session(request, pk)
    form = ActionItemForm(request.POST, startup=request.startup)
    item = form_saved(request, form, lambda: services.action_item_create(
        session=session, actor=request.user, **form.service_data()
    ))
    if item is not None:
        messages.success(request, _("The action “%(text)s” is added.") % {"text": item.text})
        return redirect(_url(request, "coaching-detail", pk=pk) + "#action-items")
    return render(
        request, "governance/coaching_detail.html", _detail_context(request, session, form=form)
    )


@require_POST
@startup_view(Action.COMMENT)
def action_item_toggle(request: AppRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    done = {"1": True, "0": False}.get(request.POST.get("done", ""))
    item = services.action_item_toggle(item=item, actor=request.user, done=done)
    if item.done_at:
        message = _("The action “%(text)s” is done.") % {"text": item.text}
    else:
        message = _("The action “%(text)s” is open again.") % {"text": item.text}
    if request.htmx:
        context = _detail_context(request, item.session, toggled=item.pk)
        context["status_message"] = message
        return render(request, "governance/coaching_detail.html#action-items", context)
    messages.success(request, message)
    return redirect(_url(request, "coaching-detail", pk=pk) + "#action-items")


@require_http_methods(["GET", "POST"])
@startup_view(Action.COMMENT)
def action_item_delete(request: AppRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    detail_url = _url(request, "coaching-detail", pk=pk)
    if request.method == "POST":
        services.action_item_delete(item=item, actor=request.user)
        messages.success(request, _("The action “%(text)s” is deleted.") % {"text": item.text})
        return redirect(detail_url + "#action-items")
    return confirm_page(
        request, obj=item, title=_("Delete the action"), cancel_url=detail_url,
    )
