"""Stakeholders: the 2×2 grid (influence × interest) and the table, one stakeholder with the
timeline of the interactions, and their writes.

Reading needs ``view``; every write (an interaction included) needs ``contribute``. An
interaction is recorded from the stakeholder's page: a plain form that posts and redirects,
or shows the page again with the errors and what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.forms.stakeholders import InteractionForm, StakeholderFilterForm, StakeholderForm
from governance.models import Interaction, Stakeholder
from governance.services import stakeholders as services
from governance.services.stakeholders import QUADRANT_HINTS, Quadrant
from intrapreneur.lists import list_context, render_page
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, confirm_page, form_page

INTERACTIONS_PER_PAGE = 20


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"governance:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _stakeholders(request: AppRequest) -> QuerySet[Stakeholder]:
    return services.stakeholders_for(request.startup)


def _stakeholder(request: AppRequest, pk: int) -> Stakeholder:
    return get_object_or_404(_stakeholders(request), pk=pk)


def _quadrant_labels() -> dict[str, str]:
    return {key: str(label) for key, label in Quadrant.choices}


# ---------------------------------------------------------------- the grid and the table


@require_GET
@startup_view(Action.VIEW)
def stakeholder_list(request: AppRequest) -> HttpResponse:
    """The grid (every stakeholder, by quadrant) and the table below it (filtered, sorted,
    paged: the part htmx refreshes)."""
    form = StakeholderFilterForm(request.GET or None)
    today = timezone.localdate()
    context = {
        "startup": request.startup,
        "quadrant_labels": _quadrant_labels(),
        **list_context(request, _stakeholders(request), form),
    }
    for stakeholder in context["page_obj"].object_list:
        stakeholder.overdue = services.next_step_overdue(stakeholder, today)
    htmx = getattr(request, "htmx", None)
    if not (htmx and not htmx.history_restore_request):
        # Only the whole page shows the grid.
        grid = services.stakeholder_grid(request.startup, today=today)
        context.update(grid=grid, grid_total=sum(quadrant.count for quadrant in grid))
    return render_page(request, "governance/stakeholder_list.html", context, part="results")


# ---------------------------------------------------------------- one stakeholder


def _detail_context(
    request: AppRequest, stakeholder: Stakeholder, *, form: InteractionForm | None = None
) -> dict:
    today = timezone.localdate()
    interactions = (
        Interaction.objects.for_startup(request.startup).filter(stakeholder=stakeholder)
        .select_related("author").order_by("-date", "-pk")
    )
    paginator = Paginator(interactions, INTERACTIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    for interaction in page.object_list:
        interaction.overdue = services.is_overdue(
            interaction, latest_pk=stakeholder.last_interaction_pk, today=today
        )
    stakeholder.overdue = services.next_step_overdue(stakeholder, today)
    if form is None and request.can.contribute:
        form = InteractionForm()
    return {
        "startup": request.startup,
        "stakeholder": stakeholder,
        "quadrant_label": Quadrant(stakeholder.quadrant).label,
        "quadrant_hint": QUADRANT_HINTS[stakeholder.quadrant],
        "interactions_page": page,
        "interaction_form": form,
    }


@require_GET
@startup_view(Action.VIEW)
def stakeholder_detail(request: AppRequest, pk: int) -> HttpResponse:
    stakeholder = _stakeholder(request, pk)
    return render(
        request, "governance/stakeholder_detail.html", _detail_context(request, stakeholder)
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def stakeholder_create(request: AppRequest) -> HttpResponse:
    form = StakeholderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder = services.stakeholder_create(
                startup=request.startup, actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The stakeholder “%(name)s” is added.") % {"name": stakeholder}
            )
            return redirect(stakeholder)
    return form_page(
        request, form, title=_("Add a stakeholder"), submit_label=_("Add"),
        cancel_url=_url(request, "stakeholder-list"),
        intro=_(
            "A person or an organisation whose support the service needs. Its influence and "
            "its interest place it in the grid."
        ),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def stakeholder_edit(request: AppRequest, pk: int) -> HttpResponse:
    stakeholder = get_object_or_404(
        Stakeholder.objects.for_startup(request.startup).select_related("startup"), pk=pk
    )
    # Said before the form is bound: validating it writes what was typed on the instance.
    title = _("Edit the stakeholder “%(name)s”") % {"name": stakeholder}
    form = StakeholderForm(request.POST or None, instance=stakeholder)
    if request.method == "POST" and form.is_valid():
        try:
            services.stakeholder_update(
                stakeholder=stakeholder, actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The stakeholder is saved."))
            return redirect(stakeholder)
    return form_page(
        request, form, title=title, submit_label=_("Save"),
        cancel_url=_url(request, "stakeholder-detail", pk=pk),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def stakeholder_delete(request: AppRequest, pk: int) -> HttpResponse:
    stakeholder = get_object_or_404(Stakeholder.objects.for_startup(request.startup), pk=pk)
    if request.method == "POST":
        services.stakeholder_delete(stakeholder=stakeholder, actor=request.user)
        messages.success(
            request, _("The stakeholder “%(name)s” is deleted.") % {"name": stakeholder}
        )
        return redirect(_url(request, "stakeholder-list"))
    return confirm_page(
        request, obj=stakeholder, title=_("Delete the stakeholder"),
        warning=_("Its notes and every interaction recorded with it are deleted with it."),
        cancel_url=_url(request, "stakeholder-detail", pk=pk),
    )


# ---------------------------------------------------------------- interactions


@require_POST
@startup_view(Action.CONTRIBUTE)
def interaction_create(request: AppRequest, pk: int) -> HttpResponse:
    """Record an interaction: redirect to the stakeholder's page, or show that page again
    with the form's errors and what was typed."""
    stakeholder = _stakeholder(request, pk)
    form = InteractionForm(request.POST)
    if form.is_valid():
        try:
            services.interaction_create(
                stakeholder=stakeholder, actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The interaction with “%(name)s” is recorded.") % {"name": stakeholder},
            )
            return redirect(_url(request, "stakeholder-detail", pk=pk) + "#timeline-title")
    return render(
        request, "governance/stakeholder_detail.html",
        _detail_context(request, stakeholder, form=form),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def interaction_delete(request: AppRequest, pk: int, interaction_pk: int) -> HttpResponse:
    interaction = get_object_or_404(
        Interaction.objects.for_startup(request.startup)
        .filter(stakeholder_id=pk).select_related("stakeholder"),
        pk=interaction_pk,
    )
    detail_url = _url(request, "stakeholder-detail", pk=pk)
    if request.method == "POST":
        services.interaction_delete(interaction=interaction, actor=request.user)
        messages.success(
            request,
            _("The interaction of %(date)s is deleted.")
            % {"date": interaction.date.strftime("%d/%m/%Y")},
        )
        return redirect(detail_url)
    return confirm_page(
        request, obj=interaction, title=_("Delete the interaction"),
        warning=_("Its outcome and its next step are deleted with it."),
        cancel_url=detail_url,
    )
