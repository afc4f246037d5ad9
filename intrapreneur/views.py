from __future__ import annotations

from collections.abc import Callable

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from intrapreneur import invitations, portability, services
from intrapreneur.csv import csv_response
from intrapreneur.enums import MIN_INTRAPRENEUR_WEEK_SHARE, Role
from intrapreneur.files import file_response
from intrapreneur.forms import (
    ActivityFilterForm,
    AttachmentFilterForm,
    AttachmentForm,
    EventForm,
    InvitationForm,
    MembershipAddForm,
    MembershipForm,
    PhaseChangeForm,
    ProductSheetForm,
    StartupCreateForm,
    StartupExportForm,
    StartupFilterForm,
    TagFilterForm,
    TagForm,
)
from intrapreneur.lists import list_context, render_page
from intrapreneur.models import Activity, Attachment, Event, Invitation, Membership, Startup, Tag
from intrapreneur.outbox import oldest_undelivered_age
from intrapreneur.panels import overview_panels
from intrapreneur.permissions import Action, Rights, startup_view


class AppRequest(HttpRequest):
    htmx: HtmxDetails
    startup: Startup
    membership: Membership | None
    can: Rights


def form_saved[T](request: HttpRequest, form, save: Callable[[], T]) -> T | None:
    """On a POST whose form validates, ``save()`` (a service call); what the service refuses
    (ValidationError) becomes the form's error, with what was typed kept. The saved result,
    or None when the form is to be shown (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as error:
        form.add_error(None, error)
        return None


def form_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def form_page(
    request: AppRequest, form, *, title: str, submit_label: str, cancel_url: str, intro: str = ""
) -> HttpResponse:
    """The one page of a startup's form: title, form with its errors, submit and cancel."""
    return render(
        request,
        "intrapreneur/startup_form.html",
        {
            "startup": request.startup,
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "intro": intro,
        },
    )


def confirm_page(
    request: AppRequest, *, obj, title: str, cancel_url: str, warning: str = "",
    action_label: str = "",
) -> HttpResponse:
    """The one confirmation page before a destructive POST."""
    return render(
        request,
        "intrapreneur/confirm_delete.html",
        {
            "startup": request.startup,
            "object": obj,
            "title": title,
            "warning": warning,
            "action_label": action_label or _("Delete"),
            "cancel_url": cancel_url,
        },
    )


# ---------------------------------------------------------------- home


@require_GET
def home(request: AppRequest) -> HttpResponse:
    form = StartupFilterForm(request.GET or None)
    startups = Startup.objects.visible_to(request.user).select_related("incubator")
    context = list_context(request, startups, form)
    return render_page(request, "intrapreneur/home.html", context, part="results")


@require_http_methods(["GET", "POST"])
def startup_create(request: AppRequest) -> HttpResponse:
    form = StartupCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        startup = services.startup_create(creator=request.user, **form.cleaned_data)
        messages.success(request, _("The startup “%(name)s” is created.") % {"name": startup})
        return redirect(startup)
    return render(request, "intrapreneur/startup_create.html", {"form": form})


# ---------------------------------------------------------------- overview


@require_GET
@startup_view(Action.VIEW)
def overview(request: AppRequest) -> HttpResponse:
    startup = request.startup
    memberships = list(startup.memberships.select_related("user"))
    low_share = [
        m for m in memberships
        if m.role == Role.INTRAPRENEUR and m.week_share < MIN_INTRAPRENEUR_WEEK_SHARE
    ]
    context = {
        "startup": startup,
        "phase_changes": list(startup.phase_changes.select_related("author").order_by("date")),
        "events": list(startup.events.all()[:10]),
        "memberships": memberships,
        "low_share": low_share,
        "min_week_share": MIN_INTRAPRENEUR_WEEK_SHARE,
        "activities": list(
            Activity.objects.for_startup(startup).select_related("actor")[:10]
        ),
        "panels": overview_panels(request),
    }
    return render(request, "intrapreneur/overview.html", context)


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def startup_edit(request: AppRequest) -> HttpResponse:
    startup = request.startup
    form = ProductSheetForm(request.POST or None, instance=startup)
    if request.method == "POST" and form.is_valid():
        services.startup_update(startup=startup, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The product sheet is saved."))
        return redirect(startup)
    return form_page(
        request, form, title=_("Edit the product sheet"), submit_label=_("Save"),
        cancel_url=startup.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def phase_change(request: AppRequest) -> HttpResponse:
    startup = request.startup
    form = PhaseChangeForm(request.POST or None, startup=startup)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.phase_change(
                startup=startup, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The startup is now in phase “%(phase)s”.")
                % {"phase": change.get_phase_display()},
            )
            return redirect(startup)
    return form_page(
        request, form, title=_("Change the phase"), submit_label=_("Change the phase"),
        cancel_url=startup.get_absolute_url(),
        intro=_("Currently: %(phase)s. The change and its reason stay in the timeline.")
        % {"phase": startup.get_phase_display()},
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def startup_archive(request: AppRequest) -> HttpResponse:
    startup = request.startup
    if request.method == "POST":
        archived = not startup.is_archived
        services.startup_set_archived(startup=startup, actor=request.user, archived=archived)
        if archived:
            messages.success(request, _("The startup is archived: it leaves the home page."))
        else:
            messages.success(request, _("The startup is restored."))
        return redirect(startup)
    return render(request, "intrapreneur/startup_archive.html", {"startup": startup})


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def startup_download(request: AppRequest) -> HttpResponse:
    """The whole startup as a ZIP archive, built while the request waits (see README)."""
    form = StartupExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        archive = portability.startup_export(
            startup=request.startup,
            actor=request.user,
            include_personal=form.cleaned_data["include_personal"],
            source=site_url(request),
        )
        messages.success(request, _("The startup's archive is downloaded."))
        response = FileResponse(
            archive, as_attachment=True,
            filename=portability.archive_filename(request.startup),
            content_type="application/zip",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return render(
        request, "intrapreneur/startup_export.html", {"startup": request.startup, "form": form}
    )


# ---------------------------------------------------------------- events


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def event_create(request: AppRequest) -> HttpResponse:
    form = EventForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.event_create(startup=request.startup, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The event is recorded."))
        return redirect(request.startup)
    return form_page(
        request, form, title=_("Record an event"), submit_label=_("Record"),
        cancel_url=request.startup.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def event_delete(request: AppRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.filter(startup=request.startup), pk=pk)
    if request.method == "POST":
        services.event_delete(event=event, actor=request.user)
        messages.success(request, _("The event is deleted."))
        return redirect(request.startup)
    return confirm_page(
        request, obj=event, title=_("Delete the event"),
        cancel_url=request.startup.get_absolute_url(),
    )


# ---------------------------------------------------------------- team


def team_context(
    request: AppRequest,
    add_form: MembershipAddForm | None = None,
    invite_form: InvitationForm | None = None,
) -> dict:
    startup = request.startup
    can_manage = request.can.manage
    return {
        "startup": startup,
        "memberships": startup.memberships.select_related("user"),
        "add_form": add_form or MembershipAddForm(startup=startup),
        "invite_form": invite_form or InvitationForm(),
        "invitations": (
            startup.invitations.pending().select_related("invited_by") if can_manage else []
        ),
        "min_week_share": MIN_INTRAPRENEUR_WEEK_SHARE,
        "role_intrapreneur": Role.INTRAPRENEUR,
    }


def back_to(request: HttpRequest, wanted: str, *, within: str) -> str:
    """Where a form goes back (its ``next``): ``wanted`` when it is a page of this site
    under ``within`` (a list and its filters), else ``within`` itself — never elsewhere."""
    if wanted.startswith(within) and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return within


def site_url(request: HttpRequest) -> str:
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


@require_GET
@startup_view(Action.VIEW)
def team(request: AppRequest) -> HttpResponse:
    return render(request, "intrapreneur/team.html", team_context(request))


@require_POST
@startup_view(Action.MANAGE)
def member_add(request: AppRequest) -> HttpResponse:
    form = MembershipAddForm(request.POST, startup=request.startup)
    if form.is_valid():
        data = form.cleaned_data
        membership = services.membership_add(
            startup=request.startup, actor=request.user, user=data["email"], role=data["role"],
            job_title=data["job_title"], week_share=data["week_share"],
        )
        messages.success(
            request, _("%(person)s joins the team.") % {"person": membership.user}
        )
        return redirect("startup-team", slug=request.startup.slug)
    return render(request, "intrapreneur/team.html", team_context(request, form), status=200)


@require_POST
@startup_view(Action.MANAGE)
def invitation_create(request: AppRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = invitations.invitation_create(
                startup=request.startup, actor=request.user, base_url=site_url(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request, _("An invitation is sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("startup-team", slug=request.startup.slug)
    return render(request, "intrapreneur/team.html", team_context(request, invite_form=form))


def pending_invitation(request: AppRequest, pk: int) -> Invitation:
    return get_object_or_404(request.startup.invitations.pending(), pk=pk)


@require_POST
@startup_view(Action.MANAGE)
def invitation_resend(request: AppRequest, pk: int) -> HttpResponse:
    invitation = pending_invitation(request, pk)
    invitations.invitation_resend(
        invitation=invitation, actor=request.user, base_url=site_url(request)
    )
    messages.success(
        request, _("The invitation is sent again to %(email)s.") % {"email": invitation.email}
    )
    return redirect("startup-team", slug=request.startup.slug)


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def invitation_revoke(request: AppRequest, pk: int) -> HttpResponse:
    invitation = pending_invitation(request, pk)
    team_url = reverse("startup-team", kwargs={"slug": request.startup.slug})
    if request.method == "POST":
        invitations.invitation_revoke(invitation=invitation, actor=request.user)
        messages.success(
            request, _("The invitation of %(email)s is revoked.") % {"email": invitation.email}
        )
        return redirect(team_url)
    return confirm_page(
        request, obj=invitation.email, title=_("Revoke the invitation"),
        warning=_("The link sent by e-mail will stop working."),
        action_label=_("Revoke"), cancel_url=team_url,
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def member_edit(request: AppRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.filter(startup=request.startup).select_related("user"), pk=pk
    )
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("role", error)
        else:
            messages.success(request, _("The membership is saved."))
            return redirect("startup-team", slug=request.startup.slug)
    return form_page(
        request, form, title=_("Membership of %(person)s") % {"person": membership.user},
        submit_label=_("Save"),
        cancel_url=reverse("startup-team", kwargs={"slug": request.startup.slug}),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def member_remove(request: AppRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.filter(startup=request.startup).select_related("user"), pk=pk
    )
    return _leave_or_remove(request, membership)


@require_http_methods(["GET", "POST"])
@startup_view(Action.VIEW)
def team_leave(request: AppRequest) -> HttpResponse:
    if request.membership is None:
        raise PermissionDenied
    return _leave_or_remove(request, request.membership)


def _leave_or_remove(request: AppRequest, membership: Membership) -> HttpResponse:
    leaving = membership.user_id == request.user.pk
    team_url = reverse("startup-team", kwargs={"slug": request.startup.slug})
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except ValidationError as error:
            form_error(request, error)
            return redirect(team_url)
        if leaving:
            messages.success(request, _("You left “%(name)s”.") % {"name": request.startup})
            return redirect("home")
        messages.success(
            request, _("%(person)s is removed from the team.") % {"person": membership.user}
        )
        return redirect(team_url)
    title = (
        _("Leave the startup")
        if leaving
        else _("Remove %(person)s from the team") % {"person": membership.user}
    )
    return confirm_page(
        request, obj=membership.user, title=title,
        action_label=_("Leave") if leaving else _("Remove"), cancel_url=team_url,
    )


@require_GET
@startup_view(Action.VIEW)
def team_export(request: AppRequest) -> HttpResponse:
    rows = [
        (m.user.get_full_name(), m.user.email, m.get_role_display(), m.job_title, m.week_share)
        for m in request.startup.memberships.select_related("user")
    ]
    header = (_("Name"), _("E-mail"), _("Role"), _("Job title"), _("Share of the week (%)"))
    return csv_response(f"{request.startup.slug}-equipe.csv", header, rows)


# ---------------------------------------------------------------- activity


@require_GET
@startup_view(Action.VIEW)
def activity_list(request: AppRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET or None, startup=request.startup)
    activities = Activity.objects.for_startup(request.startup).select_related("actor")
    context = {"startup": request.startup, **list_context(request, activities, form)}
    return render_page(request, "intrapreneur/activity_list.html", context, part="results")


# ---------------------------------------------------------------- tags


@require_GET
@startup_view(Action.VIEW)
def tag_list(request: AppRequest) -> HttpResponse:
    form = TagFilterForm(request.GET or None)
    tags = Tag.objects.filter(startup=request.startup).annotate(uses=Count("attachments"))
    context = {
        "startup": request.startup,
        "create_form": TagForm(),
        **list_context(request, tags, form),
    }
    return render_page(request, "intrapreneur/tag_list.html", context, part="results")


@require_POST
@startup_view(Action.CONTRIBUTE)
def tag_create(request: AppRequest) -> HttpResponse:
    form = TagForm(request.POST)
    if form.is_valid():
        try:
            tag = services.tag_create(
                startup=request.startup, actor=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("The tag “%(name)s” is created.") % {"name": tag})
            return redirect("tag-list", slug=request.startup.slug)
    return form_page(
        request, form, title=_("New tag"), submit_label=_("Create"),
        cancel_url=reverse("tag-list", kwargs={"slug": request.startup.slug}),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def tag_edit(request: AppRequest, pk: int) -> HttpResponse:
    tag = get_object_or_404(Tag.objects.filter(startup=request.startup), pk=pk)
    form = TagForm(request.POST or None, instance=tag)
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_rename(tag=tag, actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("The tag is renamed."))
            return redirect("tag-list", slug=request.startup.slug)
    return form_page(
        request, form, title=_("Rename the tag “%(name)s”") % {"name": tag.name},
        submit_label=_("Rename"),
        cancel_url=reverse("tag-list", kwargs={"slug": request.startup.slug}),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def tag_delete(request: AppRequest, pk: int) -> HttpResponse:
    tag = get_object_or_404(Tag.objects.filter(startup=request.startup), pk=pk)
    if request.method == "POST":
        services.tag_delete(tag=tag, actor=request.user)
        messages.success(request, _("The tag “%(name)s” is deleted.") % {"name": tag.name})
        return redirect("tag-list", slug=request.startup.slug)
    return confirm_page(
        request, obj=tag, title=_("Delete the tag"),
        warning=_("The tag is removed from everything it labels."),
        cancel_url=reverse("tag-list", kwargs={"slug": request.startup.slug}),
    )


@require_GET
@startup_view(Action.VIEW)
def tag_autocomplete(request: AppRequest) -> HttpResponse:
    """Suggestions for a tags input: the startup's tags starting like the last name typed."""
    typed = next((v for k, v in request.GET.items() if k != "q"), request.GET.get("q", ""))
    already = [n.strip().lower() for n in typed.split(",")[:-1]]
    prefix = typed.split(",")[-1].strip()
    tags = []
    if prefix:
        tags = [
            tag
            for tag in Tag.objects.filter(startup=request.startup, name__icontains=prefix)[:10]
            if tag.name.lower() not in already
        ]
    return render(request, "intrapreneur/includes/tag_suggestions.html", {"tags": tags})


# ---------------------------------------------------------------- files


def attachment_form(request: AppRequest, data=None, files=None) -> AttachmentForm:
    url = reverse("tag-autocomplete", kwargs={"slug": request.startup.slug})
    return AttachmentForm(data, files, autocomplete_url=url)


@require_GET
@startup_view(Action.VIEW)
def attachment_list(request: AppRequest) -> HttpResponse:
    form = AttachmentFilterForm(request.GET or None, startup=request.startup)
    files = (
        Attachment.objects.for_startup(request.startup)
        .filter(required_action__in=[a.value for a in request.can.actions])
        .select_related("uploaded_by")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    )
    context = {
        "startup": request.startup,
        "upload_form": attachment_form(request),
        **list_context(request, files, form),
    }
    return render_page(request, "intrapreneur/attachment_list.html", context, part="results")


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def attachment_create(request: AppRequest) -> HttpResponse:
    form = attachment_form(request, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        attachment = services.attachment_create(
            startup=request.startup, actor=request.user, upload=data["file"],
            name=data["name"], tags=data["tags"],
        )
        messages.success(request, _("“%(name)s” is uploaded.") % {"name": attachment.name})
        return redirect("attachment-list", slug=request.startup.slug)
    return form_page(
        request, form, title=_("Upload a file"), submit_label=_("Upload"),
        cancel_url=reverse("attachment-list", kwargs={"slug": request.startup.slug}),
    )


@require_GET
@startup_view(Action.VIEW)
def attachment_download(request: AppRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.for_startup(request.startup), pk=pk)
    if attachment.required_action not in request.can.actions:
        raise PermissionDenied
    return file_response(
        attachment.file, filename=attachment.name, content_type=attachment.content_type
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def attachment_delete(request: AppRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment.objects.for_startup(request.startup), pk=pk)
    list_url = reverse("attachment-list", kwargs={"slug": request.startup.slug})
    if request.method == "POST":
        services.attachment_delete(attachment=attachment, actor=request.user)
        messages.success(request, _("“%(name)s” is deleted.") % {"name": attachment.name})
        return redirect(list_url)
    return confirm_page(
        request, obj=attachment, title=_("Delete the file"), cancel_url=list_url,
    )


# ---------------------------------------------------------------- health


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The database, Redis when configured, and how long the oldest e-mail has waited."""
    report: dict[str, object] = {}
    try:
        report["outbox_oldest_seconds"] = oldest_undelivered_age()
        report["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - reported, not raised
        report["database"] = f"error: {error.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            report["redis"] = "ok"
        except redis.RedisError as error:
            report["redis"] = f"error: {error.__class__.__name__}"
    healthy = all(report[k] == "ok" for k in ("database", "redis") if k in report)
    report["status"] = "ok" if healthy else "error"
    return JsonResponse(report, status=200 if healthy else 503)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The CSRF refusal in the site's layout (Django's own page carries inline styles)."""
    return render(request, "403_csrf.html", status=403)
