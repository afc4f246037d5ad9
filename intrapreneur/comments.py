"""Comments: members with ``comment`` discuss an object of their startup.

One model (``Comment``: the startup, a generic target, an optional parent) serves every
kind of object; each app registers the kinds it lets people comment on (from its
AppConfig.ready) with a key that appears in the URL and a way to find the object *through
the startup*. Replies have one level: a reply to a reply joins the same thread.

Mentions: ``@handle``, the part of a member's e-mail address before the ``@``
(``@camille.martin`` for camille.martin@beta.gouv.fr). A mentioned member who may read the
comments (``comment``) is notified; so is the author of the comment replied to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from intrapreneur.enums import NotificationKind
from intrapreneur.models import Comment, Startup, User
from intrapreneur.notifications import members_who_may, notifications_fanout
from intrapreneur.permissions import Action

BODY_MAX_LENGTH = 10_000
# @handle, not inside an e-mail address or a word (jean@exemple.fr is no mention).
MENTION = re.compile(r"(?<![\w.@/])@([a-z0-9][a-z0-9._+-]*[a-z0-9]|[a-z0-9])", re.I)


# ---------------------------------------------------------------- what can be commented


@dataclass(frozen=True)
class Commentable:
    key: str
    model: type[models.Model]
    objects: Callable[[Startup], QuerySet]


_COMMENTABLES: dict[str, Commentable] = {}


def register_commentable(
    key: str, model: type[models.Model], objects: Callable[[Startup], QuerySet] | None = None
) -> None:
    """Let members comment on ``model`` (``objects(startup)``: the startup's objects)."""
    _COMMENTABLES[key] = Commentable(
        key=key, model=model, objects=objects or (lambda startup: model.objects.filter(
            startup=startup
        )),
    )


def commentable_key(obj: models.Model) -> str:
    for commentable in _COMMENTABLES.values():
        if isinstance(obj, commentable.model):
            return commentable.key
    raise LookupError(f"{obj.__class__.__name__} is not commentable")


def comment_target(startup: Startup, key: str, pk: int) -> models.Model:
    """The object a comment is about, found through the startup (404 otherwise)."""
    commentable = _COMMENTABLES.get(key)
    if commentable is None:
        raise Http404
    return get_object_or_404(commentable.objects(startup), pk=pk)


def target_url(obj: models.Model) -> str:
    return obj.get_absolute_url()


# ---------------------------------------------------------------- reads


def comments_on(target: models.Model) -> QuerySet[Comment]:
    """The threads on an object: the first comments, each with its replies (two queries)."""
    return (
        Comment.objects.on(target).filter(parent__isnull=True)
        .select_related("author")
        .prefetch_related(
            Prefetch("replies", queryset=Comment.objects.select_related("author"))
        )
    )


def handle_of(user: User) -> str:
    return user.email.split("@", 1)[0].lower()


def mentioned(startup: Startup, body: str) -> list[User]:
    """The members who may read the comments whose handle ``body`` mentions."""
    handles = {handle.lower() for handle in MENTION.findall(body or "")}
    if not handles:
        return []
    return [
        user for user in members_who_may(startup, Action.COMMENT).order_by("pk")
        if handle_of(user) in handles
    ]


# ---------------------------------------------------------------- writes


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write the comment."), code="required")
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            _("A comment holds %(max)d characters at most.") % {"max": BODY_MAX_LENGTH},
            code="max_length",
        )
    return body


def _notify(
    comment: Comment, target: models.Model, *, replied_to: Comment | None = None,
    edited_from: str | None = None,
) -> None:
    """The members mentioned (on an edit, those not mentioned before) and, for a new reply,
    the author of the comment replied to."""
    already = (
        set() if edited_from is None
        else {user.pk for user in mentioned(comment.startup, edited_from)}
    )
    url = f"{target_url(target)}#comment-{comment.pk}"
    people = [user for user in mentioned(comment.startup, comment.body) if user.pk not in already]
    if people:
        notifications_fanout(
            startup=comment.startup, kind=NotificationKind.MENTION, actor=comment.author,
            action=Action.COMMENT, label=str(target), url=url, recipients=people,
        )
    if (
        replied_to is not None and replied_to.author is not None
        and replied_to.author_id not in {user.pk for user in people}
    ):
        notifications_fanout(
            startup=comment.startup, kind=NotificationKind.REPLY, actor=comment.author,
            action=Action.COMMENT, label=str(target), url=url, recipients=[replied_to.author],
        )


@transaction.atomic
def comment_create(
    *, startup: Startup, author: User, target: models.Model, body: str,
    parent: Comment | None = None,
) -> Comment:
    """Write a comment (a reply when ``parent`` is given) and tell who it concerns."""
    commentable_key(target)  # raises for an object nobody may comment on
    if getattr(target, "startup_id", None) != startup.pk:
        raise ValidationError(_("This object belongs to another startup."))
    replied_to = parent
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent  # one level of replies: a reply to a reply joins the thread
    comment = Comment(
        startup=startup, target=target, parent=parent, author=author, body=_clean_body(body)
    )
    if parent is not None and (
        parent.startup_id != startup.pk or parent.target_type_id != comment.target_type_id
        or parent.target_id != target.pk
    ):
        raise ValidationError(_("The comment replied to is not on this page."))
    comment.save()
    _notify(comment, target, replied_to=replied_to)
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, author: User, body: str) -> Comment:
    """Its author edits a comment; members mentioned for the first time are told."""
    if comment.author_id != author.pk or comment.deleted_at is not None:
        raise ValidationError(_("Only its author can edit a comment."))
    before = comment.body
    comment.body = _clean_body(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    _notify(comment, comment.target, edited_from=before)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, author: User) -> None:
    """Its author deletes a comment; one with replies stays as a placeholder, text erased."""
    if comment.author_id != author.pk or comment.deleted_at is not None:
        raise ValidationError(_("Only its author can delete a comment."))
    if comment.replies.exists():
        comment.body = ""
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["body", "deleted_at"])
    else:
        parent = comment.parent
        comment.delete()
        if parent is not None and parent.deleted_at is not None and not parent.replies.exists():
            parent.delete()  # the placeholder's last reply is gone: so is the placeholder
