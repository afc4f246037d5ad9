"""Insights (with their evidence and the affinity board) and scenarios with their mock-ups.

Everyone who may view reads the statements and their strength; the evidence (interviews and
quotes) needs ``view_research``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intrapreneur.csv import csv_response
from intrapreneur.lists import ListFilterForm, list_context, render_page
from intrapreneur.models import Attachment, Tag
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, confirm_page, form_error, form_page
from investigations.forms.insights import (
    EvidenceForm,
    InsightFilterForm,
    InsightForm,
    InsightMoveForm,
    ScenarioFileForm,
    ScenarioFilterForm,
    ScenarioForm,
)
from investigations.models import Evidence, Insight, Scenario
from investigations.services import insights as services

TAGS_BY_NAME = Prefetch("tags", queryset=Tag.objects.order_by("name"))


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"investigations:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _insights(request: AppRequest) -> QuerySet[Insight]:
    return Insight.objects.for_startup(request.startup)


def _filtered(form: ListFilterForm, queryset: QuerySet) -> QuerySet:
    """The list's filters, search and sort, without pagination (for an export)."""
    data = form.valid_data()
    queryset = form.search(form.filter_queryset(queryset, data), data.get("q", ""))
    return form.order(queryset, form.sort_key())


def _posted(request: AppRequest):
    """The form's data on a POST, even an empty one (it must show its errors), else None."""
    return request.POST if request.method == "POST" else None


def _autocomplete_url(request: AppRequest) -> str:
    return reverse("tag-autocomplete", kwargs={"slug": request.startup.slug})


# ---------------------------------------------------------------- insights


@require_GET
@startup_view(Action.VIEW)
def insight_list(request: AppRequest) -> HttpResponse:
    form = InsightFilterForm(request.GET or None, startup=request.startup)
    insights = _insights(request).with_strength().prefetch_related(TAGS_BY_NAME)
    context = {"startup": request.startup, **list_context(request, insights, form)}
    return render_page(request, "investigations/insight_list.html", context, part="results")


@require_GET
@startup_view(Action.VIEW)
def insight_export(request: AppRequest) -> HttpResponse:
    """The insights as the list shows them (same filters), without any personal data."""
    form = InsightFilterForm(request.GET or None, startup=request.startup)
    insights = _filtered(form, _insights(request).with_strength().prefetch_related(TAGS_BY_NAME))
    header = (_("Statement"), _("Status"), _("Strength"), _("Tags"), _("Evidence"))
    rows = (
        (
            insight.statement,
            insight.get_status_display(),
            insight.strength,
            ", ".join(tag.name for tag in insight.tags.all()),
            insight.evidence_count,
        )
        for insight in insights
    )
    return csv_response(f"{request.startup.slug}-insights.csv", header, rows)


def _detail_context(
    request: AppRequest, insight: Insight, evidence_form: EvidenceForm | None = None
) -> dict:
    evidence: list[Evidence] = []
    if request.can.view_research:
        evidence = list(insight.evidence.select_related("interview__participant"))
    if request.can.contribute and evidence_form is None:
        evidence_form = EvidenceForm(insight=insight)
    return {
        "startup": request.startup,
        "insight": insight,
        "tags": list(insight.tags.order_by("name")),
        "evidence": evidence,
        "evidence_form": evidence_form,
        "scenarios": list(insight.scenarios.order_by("title")),
    }


def _insight_with_strength(request: AppRequest, pk: int) -> Insight:
    return get_object_or_404(_insights(request).with_strength(), pk=pk)


@require_GET
@startup_view(Action.VIEW)
def insight_detail(request: AppRequest, pk: int) -> HttpResponse:
    insight = _insight_with_strength(request, pk)
    return render(
        request, "investigations/insight_detail.html", _detail_context(request, insight)
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def insight_create(request: AppRequest) -> HttpResponse:
    form = InsightForm(
        _posted(request), startup=request.startup,
        autocomplete_url=_autocomplete_url(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            insight = services.insight_create(
                startup=request.startup, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The insight is recorded."))
            return redirect(insight)
    return form_page(
        request, form, title=_("New insight"), submit_label=_("Record the insight"),
        cancel_url=_url(request, "insight-list"),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def insight_edit(request: AppRequest, pk: int) -> HttpResponse:
    insight = get_object_or_404(_insights(request).prefetch_related("tags"), pk=pk)
    form = InsightForm(
        _posted(request), instance=insight, startup=request.startup,
        autocomplete_url=_autocomplete_url(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.insight_update(insight=insight, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The insight is saved."))
            return redirect(insight)
    return form_page(
        request, form, title=_("Edit the insight"), submit_label=_("Save"),
        cancel_url=insight.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def insight_delete(request: AppRequest, pk: int) -> HttpResponse:
    insight = get_object_or_404(_insights(request), pk=pk)
    if request.method == "POST":
        services.insight_delete(insight=insight, actor=request.user)
        messages.success(request, _("The insight is deleted."))
        return redirect(_url(request, "insight-list"))
    return confirm_page(
        request, obj=insight, title=_("Delete the insight"),
        warning=_("Its evidence goes with it; the interviews stay."),
        cancel_url=insight.get_absolute_url(),
    )


@require_POST
@startup_view(Action.CONTRIBUTE)
def evidence_add(request: AppRequest, pk: int) -> HttpResponse:
    insight = _insight_with_strength(request, pk)
    form = EvidenceForm(request.POST, insight=insight)
    if form.is_valid():
        try:
            services.evidence_add(insight=insight, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("interview", error)
        else:
            messages.success(request, _("The evidence is added."))
            return redirect(f"{insight.get_absolute_url()}#evidence")
    return render(
        request, "investigations/insight_detail.html", _detail_context(request, insight, form)
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def evidence_delete(request: AppRequest, pk: int, evidence_pk: int) -> HttpResponse:
    insight = get_object_or_404(_insights(request), pk=pk)
    evidence = get_object_or_404(
        Evidence.objects.filter(insight=insight).select_related("interview__participant"),
        pk=evidence_pk,
    )
    detail_url = f"{insight.get_absolute_url()}#evidence"
    if request.method == "POST":
        services.evidence_delete(evidence=evidence, actor=request.user)
        messages.success(request, _("The evidence is removed; the interview stays."))
        return redirect(detail_url)
    return confirm_page(
        request, obj=evidence.interview, title=_("Remove the evidence"),
        warning=_("The insight will no longer rest on this interview."),
        action_label=_("Remove"), cancel_url=detail_url,
    )


# ---------------------------------------------------------------- the board


@dataclass
class BoardColumn:
    """A group of the affinity board: a tag, or no tag (``tag_id`` None)."""

    tag_id: int | None
    name: str
    insights: list[Insight] = field(default_factory=list)
    focus_id: int | None = None


def _board_context(
    request: AppRequest, *, moved: Insight | None = None, moved_to: Tag | None = None
) -> dict:
    tags = list(Tag.objects.filter(startup=request.startup).order_by("name"))
    insights = list(
        _insights(request).with_strength().prefetch_related(TAGS_BY_NAME)
        .order_by("-strength", "-created_at", "-pk")
    )
    columns = {tag.pk: BoardColumn(tag.pk, tag.name) for tag in tags}
    without = BoardColumn(None, _("Without tag"))
    for insight in insights:
        for tag in insight.tags.all():
            columns.setdefault(tag.pk, BoardColumn(tag.pk, tag.name)).insights.append(insight)
        if not insight.tags.all():
            without.insights.append(insight)
    shown = [column for column in columns.values() if column.insights]
    shown.append(without)
    if moved is not None:
        # The card keeps the focus: in the group it went to, else where it still is.
        target = moved_to.pk if moved_to is not None else None
        holding = [c for c in shown if any(i.pk == moved.pk for i in c.insights)]
        chosen = next((c for c in holding if c.tag_id == target), holding[0] if holding else None)
        if chosen is not None:
            chosen.focus_id = moved.pk
    return {
        "startup": request.startup,
        "columns": shown,
        "tags": tags,
        "insight_count": len(insights),
        "oob_messages": False,
    }


@require_GET
@startup_view(Action.VIEW)
def insight_board(request: AppRequest) -> HttpResponse:
    return render_page(
        request, "investigations/insight_board.html", _board_context(request), part="board"
    )


@require_POST
@startup_view(Action.CONTRIBUTE)
def insight_move(request: AppRequest, pk: int) -> HttpResponse:
    """Move a card between groups: htmx gets the board's columns, a plain form a redirect."""
    insight = get_object_or_404(_insights(request), pk=pk)
    form = InsightMoveForm(request.POST, startup=request.startup)
    to_tag = None
    if form.is_valid():
        to_tag = form.cleaned_data["to_tag"]
        try:
            services.insight_move(
                insight=insight, actor=request.user, from_tag=form.cleaned_data["from_tag"],
                to_tag=to_tag,
            )
        except ValidationError as error:
            form_error(request, error)
        else:
            messages.success(
                request,
                _("“%(insight)s” moved to “%(group)s”.")
                % {"insight": insight, "group": to_tag.name if to_tag else _("Without tag")},
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    if request.htmx:
        context = _board_context(request, moved=insight, moved_to=to_tag)
        context["oob_messages"] = True
        return render_page(request, "investigations/insight_board.html", context, part="board")
    group = to_tag.pk if to_tag is not None else "none"
    return redirect(f"{_url(request, 'insight-board')}#group-{group}")


# ---------------------------------------------------------------- scenarios


def _scenarios(request: AppRequest) -> QuerySet[Scenario]:
    return Scenario.objects.for_startup(request.startup)


FILES_BY_NAME = Prefetch("files", queryset=Attachment.objects.order_by("name", "pk"))


@require_GET
@startup_view(Action.VIEW)
def scenario_list(request: AppRequest) -> HttpResponse:
    form = ScenarioFilterForm(request.GET or None, startup=request.startup)
    scenarios = _scenarios(request).prefetch_related(
        Prefetch("insights", queryset=Insight.objects.order_by("statement")), FILES_BY_NAME
    )
    context = {"startup": request.startup, **list_context(request, scenarios, form)}
    return render_page(request, "investigations/scenario_list.html", context, part="results")


def _scenario_context(
    request: AppRequest, scenario: Scenario, file_form: ScenarioFileForm | None = None
) -> dict:
    if request.can.contribute and file_form is None:
        file_form = ScenarioFileForm()
    return {
        "startup": request.startup,
        "scenario": scenario,
        "insights": list(
            scenario.insights.with_strength().prefetch_related(TAGS_BY_NAME).order_by(
                "-strength", "statement"
            )
        ),
        "files": list(scenario.files.order_by("name", "pk")),
        "file_form": file_form,
    }


@require_GET
@startup_view(Action.VIEW)
def scenario_detail(request: AppRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(_scenarios(request), pk=pk)
    return render(
        request, "investigations/scenario_detail.html", _scenario_context(request, scenario)
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def scenario_create(request: AppRequest) -> HttpResponse:
    form = ScenarioForm(_posted(request), startup=request.startup)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.scenario_create(
                startup=request.startup, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The scenario is created: add its mock-ups below.")
            )
            return redirect(scenario)
    return form_page(
        request, form, title=_("New scenario"), submit_label=_("Create the scenario"),
        cancel_url=_url(request, "scenario-list"),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def scenario_edit(request: AppRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(_scenarios(request), pk=pk)
    form = ScenarioForm(_posted(request), instance=scenario, startup=request.startup)
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_update(scenario=scenario, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The scenario is saved."))
            return redirect(scenario)
    return form_page(
        request, form, title=_("Edit the scenario"), submit_label=_("Save"),
        cancel_url=scenario.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def scenario_delete(request: AppRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(_scenarios(request), pk=pk)
    if request.method == "POST":
        services.scenario_delete(scenario=scenario, actor=request.user)
        messages.success(request, _("The scenario is deleted."))
        return redirect(_url(request, "scenario-list"))
    return confirm_page(
        request, obj=scenario, title=_("Delete the scenario"),
        warning=_("Its files are deleted with it; the insights stay."),
        cancel_url=scenario.get_absolute_url(),
    )


@require_POST
@startup_view(Action.CONTRIBUTE)
def scenario_file_add(request: AppRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(_scenarios(request), pk=pk)
    form = ScenarioFileForm(request.POST, request.FILES)
    if form.is_valid():
        attachment = services.scenario_file_add(
            scenario=scenario, actor=request.user, upload=form.cleaned_data["file"],
            name=form.cleaned_data["name"],
        )
        messages.success(request, _("“%(name)s” is uploaded.") % {"name": attachment.name})
        return redirect(f"{scenario.get_absolute_url()}#files")
    return render(
        request, "investigations/scenario_detail.html",
        _scenario_context(request, scenario, form),
    )
