"""Impact metrics: list with sparklines, detail with its chart and inline entry of values,
CSV import, the daily pull read on demand, and the API tokens.

Reading needs ``view``; every write ``contribute``; the API tokens ``manage``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intrapreneur.imports import import_page
from intrapreneur.lists import list_context, render_page
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, confirm_page, form_page
from products.charts import format_number
from products.forms.metrics import (
    MetricFilterForm,
    MetricForm,
    TokenForm,
    ValueForm,
    ValuesImportApplyForm,
    ValuesImportForm,
)
from products.models import ApiToken, Metric, MetricValue
from products.services import metrics as services
from products.services.metrics import MetricSummary

# Values drawn by a list row's sparkline: the latest ones.
SPARKLINE_VALUES = 26
VALUES_PER_PAGE = 20


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"products:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _metric(request: AppRequest, pk: int) -> Metric:
    return get_object_or_404(
        Metric.objects.for_startup(request.startup).select_related("startup"), pk=pk
    )


# ---------------------------------------------------------------- list


@require_GET
@startup_view(Action.VIEW)
def metric_list(request: AppRequest) -> HttpResponse:
    form = MetricFilterForm(request.GET or None)
    metrics = Metric.objects.for_startup(request.startup).prefetch_related(
        Prefetch(
            "values",
            queryset=MetricValue.objects.order_by("-date")[:SPARKLINE_VALUES],
            to_attr="recent_values",
        )
    )
    context = list_context(request, metrics, form)
    context.update(
        startup=request.startup,
        summaries=[
            MetricSummary.of(metric, metric.recent_values)
            for metric in context["page_obj"].object_list
        ],
    )
    return render_page(request, "products/metric_list.html", context, part="results")


# ---------------------------------------------------------------- one metric


def _detail_context(
    request: AppRequest, metric: Metric, *, value_form: ValueForm | None = None
) -> dict:
    values = list(metric.values.order_by("date"))
    summary = MetricSummary.of(metric, values)
    newest_first = list(reversed(values))
    page = Paginator(newest_first, VALUES_PER_PAGE).get_page(request.GET.get("page"))
    page.pages_list = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return {
        "startup": request.startup,
        "metric": metric,
        "summary": summary,
        "values_page": page,
        "value_form": value_form or (ValueForm() if request.can.contribute else None),
        "status_message": "",
        "new_value_pk": None,
    }


@require_GET
@startup_view(Action.VIEW)
def metric_detail(request: AppRequest, pk: int) -> HttpResponse:
    metric = _metric(request, pk)
    return render_page(
        request, "products/metric_detail.html", _detail_context(request, metric), part="values"
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def value_add(request: AppRequest, pk: int) -> HttpResponse:
    """Inline entry: htmx gets the values part (chart, table, form) back; without
    JavaScript, post → redirect, or the page again with the errors and what was typed.

    A GET (a link followed from that page, its pagination) goes back to the metric's page.
    """
    metric = _metric(request, pk)
    if request.method == "GET":
        query = request.GET.urlencode()
        return redirect(metric.get_absolute_url() + (f"?{query}" if query else ""))
    form = ValueForm(request.POST)
    htmx = request.htmx and not request.htmx.history_restore_request
    if form.is_valid():
        recorded = services.value_set(metric=metric, actor=request.user, **form.cleaned_data)
        message = (
            _("The value of %(date)s is recorded.") if recorded.created
            else _("The value of %(date)s is replaced.")
        ) % {"date": recorded.value.date.strftime("%d/%m/%Y")}
        if not htmx:
            messages.success(request, message)
            return redirect(metric)
        context = _detail_context(request, metric)
        context["status_message"] = message
        context["new_value_pk"] = recorded.value.pk  # focus.js moves the focus to its row
        return render_page(request, "products/metric_detail.html", context, part="values")
    context = _detail_context(request, metric, value_form=form)
    if htmx:
        context["status_message"] = _("The value is not recorded: see the errors.")
    return render_page(request, "products/metric_detail.html", context, part="values")


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def value_delete(request: AppRequest, pk: int, value_pk: int) -> HttpResponse:
    metric = _metric(request, pk)
    value = get_object_or_404(metric.values.all(), pk=value_pk)
    if request.method == "POST":
        services.value_delete(value=value, actor=request.user)
        messages.success(
            request,
            _("The value of %(date)s is deleted.") % {"date": value.date.strftime("%d/%m/%Y")},
        )
        return redirect(metric)
    label = f"{metric.name} — {value.date:%d/%m/%Y} : {format_number(value.value)}"
    return confirm_page(
        request, obj=label, title=_("Delete the value"),
        cancel_url=metric.get_absolute_url(),
    )


@require_POST
@startup_view(Action.CONTRIBUTE)
def metric_pull(request: AppRequest, pk: int) -> HttpResponse:
    """Read the metric's JSON address now (the daily task does it every morning)."""
    metric = _metric(request, pk)
    if not metric.pull_url:
        messages.error(request, _("This metric names no address to read."))
        return redirect(metric)
    value = services.metric_pull(metric=metric)
    if value is None:
        messages.error(
            request, _("The address could not be read: %(error)s") % {
                "error": metric.last_pull_error
            }
        )
    else:
        messages.success(
            request, _("Read: %(value)s on %(date)s.") % {
                "value": format_number(value.value), "date": value.date.strftime("%d/%m/%Y"),
            }
        )
    return redirect(metric)


# ---------------------------------------------------------------- create, edit, delete


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def metric_create(request: AppRequest) -> HttpResponse:
    form = MetricForm(request.POST or None, startup=request.startup)
    if request.method == "POST" and form.is_valid():
        try:
            metric = services.metric_create(
                startup=request.startup, actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            form.add_error("key", error)
        else:
            messages.success(request, _("The metric “%(name)s” is created.") % {"name": metric})
            return redirect(metric)
    return form_page(
        request, form, title=_("New metric"), submit_label=_("Create"),
        cancel_url=_url(request, "metric-list"),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def metric_edit(request: AppRequest, pk: int) -> HttpResponse:
    metric = _metric(request, pk)
    form = MetricForm(request.POST or None, instance=metric, startup=request.startup)
    if request.method == "POST" and form.is_valid():
        try:
            services.metric_update(metric=metric, actor=request.user, **form.service_data())
        except ValidationError as error:
            form.add_error("key", error)
        else:
            messages.success(request, _("The metric is saved."))
            return redirect(metric)
    return form_page(
        request, form, title=_("Edit the metric “%(name)s”") % {"name": metric.name},
        submit_label=_("Save"), cancel_url=metric.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def metric_delete(request: AppRequest, pk: int) -> HttpResponse:
    metric = _metric(request, pk)
    if request.method == "POST":
        services.metric_delete(metric=metric, actor=request.user)
        messages.success(request, _("The metric “%(name)s” is deleted.") % {"name": metric.name})
        return redirect(_url(request, "metric-list"))
    return confirm_page(
        request, obj=metric, title=_("Delete the metric"),
        warning=_("All its values are deleted with it."),
        cancel_url=metric.get_absolute_url(),
    )


# ---------------------------------------------------------------- import


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def metric_import(request: AppRequest) -> HttpResponse:
    """Upload → preview with a report per row → apply (all or nothing)."""
    return import_page(
        request,
        upload_form_class=ValuesImportForm,
        apply_form_class=ValuesImportApplyForm,
        apply=lambda text: services.values_import(
            startup=request.startup, actor=request.user, text=text
        ),
        success=lambda count: ngettext(
            "%(count)d value is imported.", "%(count)d values are imported.", count
        ) % {"count": count},
        empty=services.IMPORT_EMPTY,
        template="products/metric_import.html",
        context={
            "title": _("Import values"),
            "metrics": list(
                Metric.objects.for_startup(request.startup).only("name", "key", "unit")
            ),
        },
        list_url=_url(request, "metric-list"),
        upload_url=_url(request, "metric-import"),
    )


# ---------------------------------------------------------------- API tokens


@never_cache
@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def token_list(request: AppRequest) -> HttpResponse:
    """The startup's tokens; POST creates one and shows its value, once: this answer is
    the only place it is ever written (never stored, never cached, no redirect)."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, raw = services.token_create(
            startup=request.startup, actor=request.user, name=form.cleaned_data["name"]
        )
        created = {"token": token, "raw": raw}
        form = TokenForm()
    example_key = (
        Metric.objects.for_startup(request.startup).values_list("key", flat=True).first()
        or "visites"
    )
    context = {
        "startup": request.startup,
        "tokens": list(ApiToken.objects.for_startup(request.startup).select_related("created_by")),
        "form": form,
        "created": created,
        "api_url": request.build_absolute_uri(
            reverse("api:metric-values", kwargs={"slug": request.startup.slug, "key": example_key})
        ),
    }
    return render(request, "products/token_list.html", context)


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def token_revoke(request: AppRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.for_startup(request.startup).active(), pk=pk)
    list_url = _url(request, "token-list")
    if request.method == "POST":
        services.token_revoke(token=token, actor=request.user)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect(list_url)
    return confirm_page(
        request, obj=token, title=_("Revoke the API token"),
        warning=_("Scripts that use it will be refused from now on."),
        action_label=_("Revoke"), cancel_url=list_url,
    )
