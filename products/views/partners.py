"""Partners and deployment: the pipeline board by stage (cards moved in place), the list
by territory, one partner and its writes.

Reading needs ``view``; every write (moving a card included) needs ``contribute``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intrapreneur.lists import BoardColumn, board_columns, list_context, render_page
from intrapreneur.models import Activity
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, back_to, confirm_page, form_page
from products.enums import PartnerStage
from products.forms.partners import (
    PartnerFilterForm,
    PartnerForm,
    PartnerStageForm,
    TerritoryFilterForm,
)
from products.models import Partner
from products.services import partners as services

BOARD_TEMPLATE = "products/partner_list.html"
# Cards shown per column of the board; the others are behind “and N more”.
COLUMN_LIMIT = 30
# The cards' order in a column: the nearest next step first, those without one last.
CARD_ORDER = (F("next_step_date").asc(nulls_last=True), F("organisation").asc(), F("pk").asc())


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"products:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _partners(request: AppRequest) -> QuerySet[Partner]:
    return Partner.objects.for_startup(request.startup)


def _partner(request: AppRequest, pk: int) -> Partner:
    return get_object_or_404(_partners(request).select_related("startup"), pk=pk)


# ---------------------------------------------------------------- the board


def _board_context(request: AppRequest, *, moved: Partner | None = None) -> dict:
    """The board as ``request.GET`` filters it: every stage with its first cards (one query
    for the counts, one for the cards), or one stage alone, paged."""
    form = PartnerFilterForm(request.GET or None)
    base = _partners(request).order_by(*CARD_ORDER)
    counts = services.stage_counts(form.without_stage(base))
    chosen = form.valid_data().get("stage", "")
    context = list_context(request, base, form) if chosen else {
        "filter_form": form, "sort": "", "is_filtered": bool(form.valid_data()),
        "page_obj": None,
    }
    if chosen:
        columns = [BoardColumn(
            value=chosen, label=str(PartnerStage(chosen).label),
            cards=list(context["page_obj"].object_list), total=counts[chosen],
        )]
    else:
        data = form.valid_data()
        filtered = form.search(form.filter_queryset(base, data), data.get("q", ""))
        columns = board_columns(
            filtered, field="stage", choices=PartnerStage.choices, order=CARD_ORDER,
            per_column=COLUMN_LIMIT,
        )
    today = timezone.localdate()
    for column in columns:
        for partner in column.cards:
            partner.overdue = services.is_overdue(partner, today)
    list_url = _url(request, "partner-list")
    query = request.GET.urlencode()
    context.update(
        startup=request.startup,
        columns=columns,
        stage_counts=[
            {"stage": s, "label": label, "count": counts[s], "current": s == chosen}
            for s, label in PartnerStage.choices
        ],
        total=sum(counts.values()),
        chosen_stage=chosen,
        stages=PartnerStage.choices,
        list_url_with_query=f"{list_url}?{query}" if query else list_url,
        focus_id=moved.pk if moved is not None else None,
        oob_messages=False,
    )
    return context


@require_GET
@startup_view(Action.VIEW)
def partner_list(request: AppRequest) -> HttpResponse:
    return render_page(request, BOARD_TEMPLATE, _board_context(request), part="board")


def _next_url(request: AppRequest, wanted: str) -> str:
    """Where a stage change goes back: this startup's partner pages only, else the board."""
    return back_to(request, wanted, within=_url(request, "partner-list"))


@require_POST
@startup_view(Action.CONTRIBUTE)
def partner_stage(request: AppRequest, pk: int) -> HttpResponse:
    """Move a partner to another stage: htmx gets the board back (its filters are those of
    ``next``), a plain form a redirect to ``next`` with a message."""
    partner = _partner(request, pk)
    form = PartnerStageForm(request.POST)
    next_url = _next_url(request, request.POST.get("next", ""))
    if form.is_valid():
        stage = PartnerStage(form.cleaned_data["stage"])
        if services.partner_set_stage(partner=partner, actor=request.user, stage=stage):
            messages.success(
                request,
                _("“%(partner)s” is moved to “%(stage)s”.")
                % {"partner": partner, "stage": stage.label},
            )
        else:
            messages.info(
                request,
                _("“%(partner)s” is already at the stage “%(stage)s”.")
                % {"partner": partner, "stage": stage.label},
            )
    else:
        for error in form.errors.get("stage", []):
            messages.error(request, _("The partner is not moved: %(error)s") % {"error": error})
    if request.htmx:
        request.GET = QueryDict(urlsplit(next_url).query)
        context = _board_context(request, moved=partner)
        context["oob_messages"] = True
        return render(request, f"{BOARD_TEMPLATE}#board", context)
    if urlsplit(next_url).path == _url(request, "partner-list"):
        next_url = f"{next_url}#partner-{partner.pk}"
    return redirect(next_url)


# ---------------------------------------------------------------- by territory


@require_GET
@startup_view(Action.VIEW)
def partner_territories(request: AppRequest) -> HttpResponse:
    """Territories with their counts (one query), their partners for one page of
    territories (one query)."""
    form = TerritoryFilterForm(request.GET or None)
    data = form.valid_data()
    partners = form.search(form.filter_queryset(_partners(request), data), data.get("q", ""))
    paginator = Paginator(services.territories(partners), form.per_page)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(
        paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    services.territories_fill(partners, list(page.object_list))
    context = {
        "startup": request.startup,
        "filter_form": form,
        "page_obj": page,
        "sort": "",
        "is_filtered": bool(data),
        "deployed": PartnerStage.DEPLOYED,
    }
    return render_page(request, "products/partner_territories.html", context, part="results")


# ---------------------------------------------------------------- one partner


@require_GET
@startup_view(Action.VIEW)
def partner_detail(request: AppRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)
    history = list(
        Activity.objects.for_startup(request.startup)
        .filter(target_type=ContentType.objects.get_for_model(Partner), target_id=partner.pk)
        .select_related("actor")[:20]
    )
    context = {
        "startup": request.startup,
        "partner": partner,
        "overdue": services.is_overdue(partner),
        "stages": PartnerStage.choices,
        "history": history,
    }
    return render(request, "products/partner_detail.html", context)


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def partner_create(request: AppRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(
                startup=request.startup, actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The partner “%(name)s” is added.") % {"name": partner})
            return redirect(partner)
    return form_page(
        request, form, title=_("Add a partner"), submit_label=_("Add"),
        cancel_url=_url(request, "partner-list"),
        intro=_("An organisation the service is or could be deployed with."),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def partner_edit(request: AppRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)
    # Said before the form is bound: validating it writes what was typed on the instance.
    title = _("Edit the partner “%(name)s”") % {"name": partner}
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(partner=partner, actor=request.user, **form.service_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The partner is saved."))
            return redirect(partner)
    return form_page(
        request, form, title=title, submit_label=_("Save"),
        cancel_url=partner.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def partner_delete(request: AppRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)
    if request.method == "POST":
        services.partner_delete(partner=partner, actor=request.user)
        messages.success(request, _("The partner “%(name)s” is deleted.") % {"name": partner})
        return redirect(_url(request, "partner-list"))
    return confirm_page(
        request, obj=partner, title=_("Delete the partner"),
        warning=_("Its notes and next step are deleted with it."),
        cancel_url=partner.get_absolute_url(),
    )
