"""The notifications page, the bell's count, marking as read; comments on objects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intrapreneur import comments, notifications
from intrapreneur.forms import CommentForm, NotificationFilterForm
from intrapreneur.lists import list_context, render_page
from intrapreneur.models import Comment, Notification
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, back_to, confirm_page, form_page

# ---------------------------------------------------------------- notifications


def _unread(request: HttpRequest) -> int:
    return Notification.objects.shown_to(request.user).unread().count()


@require_GET
def notification_list(request: AppRequest) -> HttpResponse:
    form = NotificationFilterForm(request.GET or None)
    rows = Notification.objects.shown_to(request.user).select_related("startup", "actor")
    context = {
        **list_context(request, rows, form), "unread_count": _unread(request), "oob": False,
    }
    return render_page(request, "intrapreneur/notification_list.html", context, part="results")


@login_not_required
@never_cache
@require_GET
def notification_count(request: HttpRequest) -> HttpResponse:
    """The bell's badge, fetched by htmx on load and every minute (nothing when signed out:
    an expired session must not swap the sign-in page into the header)."""
    count = _unread(request) if request.user.is_authenticated else 0
    return render(request, "includes/notification_count.html", {"unread_count": count})


@require_POST
def notification_read(request: AppRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(
        Notification.objects.shown_to(request.user).select_related("startup", "actor"), pk=pk
    )
    notifications.notification_mark_read(notification=notification)
    if request.htmx:
        response = render(
            request, "intrapreneur/notification_list.html#notification-row",
            {"notification": notification, "unread_count": _unread(request), "oob": True},
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    messages.success(request, _("The notification is marked as read."))
    list_url = reverse("notification-list")
    return redirect(back_to(request, request.POST.get("next", ""), within=list_url))


@require_POST
def notifications_read_all(request: AppRequest) -> HttpResponse:
    count = notifications.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("Every notification is marked as read."))
    else:
        messages.info(request, _("No notification was unread."))
    return redirect("notification-list")


# ---------------------------------------------------------------- comments


def comments_context(request: AppRequest, target, form: CommentForm | None = None) -> dict:
    """What the comment block of an object's page shows; the page's view or its template
    tag and the comment views use this one function."""
    threads = list(comments.comments_on(target))
    return {
        "comment_target": target,
        "comment_key": comments.commentable_key(target),
        "threads": threads,
        # Replies are never placeholders (a comment without replies is deleted for good).
        "comment_count": sum(
            len(thread.replies.all()) + (thread.deleted_at is None) for thread in threads
        ),
        "comment_form": form or CommentForm(auto_id="id_comment_%s"),
        "startup": request.startup,
        "request": request,
    }


def _comment_block(request: AppRequest, target, form=None, *, status: int = 200):
    response = render(
        request, "intrapreneur/includes/comments.html",
        {**comments_context(request, target, form), "oob_messages": True}, status=status,
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@startup_view(Action.COMMENT)
def comment_create(request: AppRequest, kind: str, object_pk: int) -> HttpResponse:
    target = comments.comment_target(request.startup, kind, object_pk)
    form = CommentForm(request.POST, auto_id="id_comment_%s")
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = get_object_or_404(
                Comment.objects.for_startup(request.startup).on(target),
                pk=form.cleaned_data["parent"],
            )
        try:
            comment = comments.comment_create(
                startup=request.startup, author=request.user, target=target,
                body=form.cleaned_data["body"], parent=parent,
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your comment is published."))
            if request.htmx:
                response = _comment_block(request, target)
                response["HX-Trigger-After-Settle"] = f'{{"commentAdded": "comment-{comment.pk}"}}'
                return response
            return redirect(f"{target.get_absolute_url()}#comment-{comment.pk}")
    if request.htmx:
        return _comment_block(request, target, form)
    return form_page(
        request, form, title=_("Comment on “%(object)s”") % {"object": target},
        submit_label=_("Publish"), cancel_url=f"{target.get_absolute_url()}#comments",
    )


def _own_comment(request: AppRequest, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.for_startup(request.startup).filter(deleted_at__isnull=True), pk=pk
    )
    # The object must still be the startup's (a comment never outlives it through the URL).
    comments.comment_target(
        request.startup, comments.commentable_key(comment.target), comment.target_id
    )
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    return comment


@require_http_methods(["GET", "POST"])
@startup_view(Action.COMMENT)
def comment_edit(request: AppRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    target = comment.target
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comments.comment_update(
                comment=comment, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your comment is saved."))
            return redirect(f"{target.get_absolute_url()}#comment-{comment.pk}")
    return form_page(
        request, form, title=_("Edit my comment on “%(object)s”") % {"object": target},
        submit_label=_("Save"), cancel_url=f"{target.get_absolute_url()}#comment-{comment.pk}",
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.COMMENT)
def comment_delete(request: AppRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    target = comment.target
    if request.method == "POST":
        comments.comment_delete(comment=comment, author=request.user)
        messages.success(request, _("Your comment is deleted."))
        return redirect(f"{target.get_absolute_url()}#comments")
    return confirm_page(
        request, obj=notifications.excerpt(comment.body, 60), title=_("Delete my comment"),
        warning=_("Its replies stay, under a “deleted comment” mention."),
        cancel_url=f"{target.get_absolute_url()}#comment-{comment.pk}",
    )
