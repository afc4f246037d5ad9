"""Who may do what: the one place that says it.

Rights are per startup (a Membership), never global groups; incubator staff read the
startups of their incubators; superusers are staff of every incubator. A non-member gets 404
(existence is not leaked), a member without the action gets 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from intrapreneur.enums import Role
from intrapreneur.models import Membership, Startup


class Action(StrEnum):
    VIEW = "view"
    VIEW_RESEARCH = "view_research"
    VIEW_PERSONAL = "view_personal"
    CONTRIBUTE = "contribute"
    PROPOSE = "propose"
    COMMENT = "comment"
    MANAGE = "manage"


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.INTRAPRENEUR: frozenset(Action),
    Role.TEAM: frozenset(
        {
            Action.VIEW,
            Action.VIEW_RESEARCH,
            Action.VIEW_PERSONAL,
            Action.CONTRIBUTE,
            Action.PROPOSE,
            Action.COMMENT,
        }
    ),
    Role.COACH: frozenset({Action.VIEW, Action.VIEW_RESEARCH, Action.PROPOSE, Action.COMMENT}),
    Role.SPONSOR: frozenset({Action.VIEW, Action.PROPOSE}),
}
STAFF_ACTIONS: frozenset[Action] = frozenset({Action.VIEW})


def is_incubator_staff(user, startup: Startup) -> bool:
    if not user.is_authenticated or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    return startup.incubator.staff.filter(pk=user.pk).exists()


def actions_for(user, startup: Startup, membership: Membership | None) -> frozenset[Action]:
    actions: frozenset[Action] = frozenset()
    if membership is not None:
        actions = ROLE_ACTIONS[membership.role]
    if Action.VIEW not in actions and is_incubator_staff(user, startup):
        actions = actions | STAFF_ACTIONS
    return actions


class Rights:
    """What the signed-in person may do in the startup; templates: {% if request.can.manage %}."""

    def __init__(self, actions: frozenset[Action]):
        self.actions = actions

    def __getattr__(self, name: str) -> bool:
        try:
            return Action(name) in self.actions
        except ValueError:
            raise AttributeError(name) from None

    def __contains__(self, action: Action) -> bool:
        return action in self.actions


def resolve_startup(request: HttpRequest, slug: str, action: Action) -> Startup:
    """Load the startup, the person's membership and rights; 404 or 403 as the table says."""
    startup = get_object_or_404(Startup.objects.select_related("incubator"), slug=slug)
    membership = None
    if request.user.is_authenticated:
        membership = (
            Membership.objects.filter(startup=startup, user=request.user).first()
        )
    actions = actions_for(request.user, startup, membership)
    if not actions:
        raise Http404
    if action not in actions:
        raise PermissionDenied
    request.startup = startup
    request.membership = membership
    request.can = Rights(actions)
    return startup


def startup_view(action: Action) -> Callable:
    """Decorate every member view: ``@startup_view(Action.CONTRIBUTE)``.

    The view receives the URL's ``slug``; it reads ``request.startup``,
    ``request.membership`` and ``request.can``.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            resolve_startup(request, slug, action)
            return view(request, *args, **kwargs)

        wrapper.required_action = action  # type: ignore[attr-defined]
        return wrapper

    return decorator
