"""Ideas: the members who may ``propose`` suggest them and vote once each; everyone who may
``view`` reads them. The author (still allowed to ``propose``) or ``contribute`` edits;
``contribute`` deletes, after a confirmation.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intrapreneur.lists import list_context, render_page
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, back_to, confirm_page, form_page
from products.forms.ideas import IdeaFilterForm, IdeaForm, IdeaVoteForm
from products.models import Idea, IdeaVote
from products.services import ideas as services


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"products:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _idea(request: AppRequest, pk: int) -> Idea:
    return get_object_or_404(Idea.objects.for_startup(request.startup), pk=pk)


def _may_edit(request: AppRequest, idea: Idea) -> bool:
    if request.can.contribute:
        return True
    return bool(request.can.propose and idea.author_id == request.user.pk)


# ---------------------------------------------------------------- list and detail


@require_GET
@startup_view(Action.VIEW)
def idea_list(request: AppRequest) -> HttpResponse:
    form = IdeaFilterForm(
        request.GET or None, user=request.user, can_propose=request.can.propose
    )
    ideas = services.ideas_for(startup=request.startup, user=request.user)
    context = {"startup": request.startup, **list_context(request, ideas, form)}
    return render_page(request, "products/idea_list.html", context, part="results")


@require_GET
@startup_view(Action.VIEW)
def idea_detail(request: AppRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(
        services.ideas_for(startup=request.startup, user=request.user), pk=pk
    )
    voters = [
        vote.user
        for vote in IdeaVote.objects.filter(idea=idea)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    ]
    context = {
        "startup": request.startup,
        "idea": idea,
        "voters": voters,
        "may_edit": _may_edit(request, idea),
    }
    return render(request, "products/idea_detail.html", context)


# ---------------------------------------------------------------- writes


@require_http_methods(["GET", "POST"])
@startup_view(Action.PROPOSE)
def idea_create(request: AppRequest) -> HttpResponse:
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        idea = services.idea_create(
            startup=request.startup, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Your idea “%(title)s” is proposed.") % {"title": idea})
        return redirect(_url(request, "idea-detail", pk=idea.pk))
    return form_page(
        request, form, title=_("Propose an idea"), submit_label=_("Propose"),
        cancel_url=_url(request, "idea-list"),
        intro=_("The team and its partners read it and vote for the ideas they want first."),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.VIEW)
def idea_edit(request: AppRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    if not _may_edit(request, idea):
        raise PermissionDenied
    form = IdeaForm(request.POST or None, instance=idea)
    if request.method == "POST" and form.is_valid():
        services.idea_update(idea=idea, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The idea is saved."))
        return redirect(_url(request, "idea-detail", pk=idea.pk))
    return form_page(
        request, form, title=_("Edit the idea"), submit_label=_("Save"),
        cancel_url=_url(request, "idea-detail", pk=idea.pk),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def idea_delete(request: AppRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    if request.method == "POST":
        services.idea_delete(idea=idea, actor=request.user)
        messages.success(request, _("The idea “%(title)s” is deleted.") % {"title": idea})
        return redirect(_url(request, "idea-list"))
    return confirm_page(
        request, obj=idea, title=_("Delete the idea"),
        warning=_("Its votes are deleted with it."),
        cancel_url=_url(request, "idea-detail", pk=idea.pk),
    )


def _back(request: AppRequest, wanted: str) -> str:
    """Where the vote came from (this startup's ideas pages only), else the list."""
    return back_to(request, wanted, within=_url(request, "idea-list"))


@require_POST
@startup_view(Action.PROPOSE)
def idea_vote(request: AppRequest, pk: int) -> HttpResponse:
    """Give or withdraw one's vote: htmx gets the idea's vote button, a plain form a redirect.

    An empty POST toggles; the button sends ``vote=add|remove`` so that a double submission
    does not undo itself.
    """
    idea = _idea(request, pk)
    form = IdeaVoteForm(request.POST)
    voted = services.idea_vote(idea=idea, user=request.user, vote=form.wanted())
    if request.htmx:
        idea = services.ideas_for(startup=request.startup, user=request.user).get(pk=idea.pk)
        context = {
            "startup": request.startup, "idea": idea, "next": form.data.get("next", ""),
            "plain": False,
        }
        return render(request, "products/includes/idea_vote.html", context)
    if voted:
        messages.success(request, _("Your vote for “%(title)s” is counted.") % {"title": idea})
    else:
        messages.success(request, _("Your vote for “%(title)s” is withdrawn.") % {"title": idea})
    next_url = form.cleaned_data.get("next", "") if form.is_valid() else ""
    return redirect(f"{_back(request, next_url)}#idea-{idea.pk}")

