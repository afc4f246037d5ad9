"""Learnings, the plan revision log: a timeline by month, one entry, its writes.

Reading needs ``view`` (the feedback cited is counted for everyone, its text shown only to
``view_research``); every write needs ``contribute``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from intrapreneur.lists import list_context, render_page
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, confirm_page, form_page
from products.forms.learnings import LearningFilterForm, LearningForm
from products.models import Learning
from products.services import learnings as services


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"products:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _learnings(request: AppRequest):
    return services.learnings_with_evidence(
        request.startup, feedback_text=request.can.view_research
    )


def _learning(request: AppRequest, pk: int) -> Learning:
    return get_object_or_404(
        Learning.objects.for_startup(request.startup).select_related("startup"), pk=pk
    )


@dataclass
class Month:
    """A month of the timeline and its entries (newest first)."""

    first_day: datetime.date
    learnings: list[Learning] = field(default_factory=list)


def by_month(learnings: list[Learning]) -> list[Month]:
    months: list[Month] = []
    for learning in learnings:
        first_day = learning.date.replace(day=1)
        if not months or months[-1].first_day != first_day:
            months.append(Month(first_day))
        months[-1].learnings.append(learning)
    return months


# ---------------------------------------------------------------- timeline and entry


@require_GET
@startup_view(Action.VIEW)
def learning_list(request: AppRequest) -> HttpResponse:
    form = LearningFilterForm(request.GET or None)
    context = list_context(request, _learnings(request), form)
    context.update(startup=request.startup, months=by_month(list(context["page_obj"])))
    return render_page(request, "products/learning_list.html", context, part="results")


@require_GET
@startup_view(Action.VIEW)
def learning_detail(request: AppRequest, pk: int) -> HttpResponse:
    learning = get_object_or_404(_learnings(request), pk=pk)
    return render(
        request, "products/learning_detail.html",
        {"startup": request.startup, "learning": learning},
    )


# ---------------------------------------------------------------- writes


def _form(request: AppRequest, data=None, **kwargs) -> LearningForm:
    return LearningForm(
        data, startup=request.startup, research=request.can.view_research, **kwargs
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def learning_create(request: AppRequest) -> HttpResponse:
    form = _form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            learning = services.learning_create(
                startup=request.startup, actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The learning is recorded."))
            return redirect(learning)
    return form_page(
        request, form, title=_("Record a learning"), submit_label=_("Record"),
        cancel_url=_url(request, "learning-list"),
        intro=_("What the team learned, on what evidence, and what it changes in the plan."),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def learning_edit(request: AppRequest, pk: int) -> HttpResponse:
    learning = _learning(request, pk)
    # Said before the form is bound: validating it writes what was typed on the instance.
    title = _("Edit the learning of %(date)s") % {"date": learning.date.strftime("%d/%m/%Y")}
    form = _form(request, request.POST or None, instance=learning)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_update(
                learning=learning, actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The learning is saved."))
            return redirect(learning)
    return form_page(
        request, form, title=title, submit_label=_("Save"), cancel_url=learning.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def learning_delete(request: AppRequest, pk: int) -> HttpResponse:
    learning = _learning(request, pk)
    if request.method == "POST":
        services.learning_delete(learning=learning, actor=request.user)
        messages.success(request, _("The learning is deleted."))
        return redirect(_url(request, "learning-list"))
    return confirm_page(
        request, obj=learning, title=_("Delete the learning"),
        warning=_("The tests, insights, metrics and feedback it cites are kept."),
        cancel_url=learning.get_absolute_url(),
    )
