"""Investment committees: the list, the dossier (detail and PDF), its preparation, its
frozen snapshot, the decision, the documents and the conditions checklist.

Everyone who may ``view`` reads the committees and downloads the PDF; ``contribute``
prepares the dossier (create, edit, delete while undecided, freeze the figures, upload its
documents, tick its conditions); ``manage`` records the decision.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.forms.committees import (
    CommitteeDecisionForm,
    CommitteeFileForm,
    CommitteeFilterForm,
    InvestmentCommitteeForm,
)
from governance.models import CommitteeCondition, InvestmentCommittee
from governance.pdf import pdf_response
from governance.services import committees as services
from governance.services.calendar import investment_committee_entry
from intrapreneur.calendars import ics_calendar, ics_response
from intrapreneur.lists import list_context, render_page
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, confirm_page, form_error, form_page, site_url

PDF_TEMPLATE = "governance/pdf/committee.html"


def _committee(request: AppRequest, pk: int) -> InvestmentCommittee:
    committee = get_object_or_404(
        InvestmentCommittee.objects.for_startup(request.startup).select_related("decided_by"),
        pk=pk,
    )
    committee.startup = request.startup
    return committee


def _list_url(request: AppRequest) -> str:
    return reverse("governance:committee-list", kwargs={"slug": request.startup.slug})


def _date(committee: InvestmentCommittee) -> str:
    return committee.date.strftime("%d/%m/%Y")


# ---------------------------------------------------------------- list and detail


@require_GET
@startup_view(Action.VIEW)
def committee_list(request: AppRequest) -> HttpResponse:
    form = CommitteeFilterForm(request.GET or None)
    committees = services.committees_for_list(request.startup)
    upcoming = services.next_committee(request.startup)
    context = {
        "startup": request.startup,
        "next_committee": upcoming,
        "next_pk": upcoming.committee.pk if upcoming and upcoming.committee else None,
        **list_context(request, committees, form),
    }
    return render_page(request, "governance/committee_list.html", context, part="results")


def _conditions(committee: InvestmentCommittee) -> list[CommitteeCondition]:
    return list(committee.conditions.select_related("done_by").order_by("pk"))


def _dossier_context(request: AppRequest, committee: InvestmentCommittee) -> dict:
    """What the detail page and the PDF show: the dossier, its figures, the decision."""
    return {
        "startup": request.startup,
        "committee": committee,
        "figures": services.committee_figures(committee),
        "hypotheses": list(
            committee.hypotheses.order_by("priority", "-updated_at", "-pk")
        ),
        "conditions": _conditions(committee),
        "today": timezone.localdate(),
    }


def _detail_context(
    request: AppRequest, committee: InvestmentCommittee, file_form: CommitteeFileForm | None = None
) -> dict:
    if request.can.contribute and file_form is None:
        file_form = CommitteeFileForm()
    return {
        **_dossier_context(request, committee),
        "files": list(
            committee.attachments.select_related("uploaded_by").order_by("name", "pk")
        ),
        "file_form": file_form,
        "toggled": None,
    }


@require_GET
@startup_view(Action.VIEW)
def committee_detail(request: AppRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    return render(
        request, "governance/committee_detail.html", _detail_context(request, committee)
    )


@require_GET
@startup_view(Action.VIEW)
def committee_ics(request: AppRequest, pk: int) -> HttpResponse:
    """The committee as an iCalendar file, to add to one's calendar."""
    committee = _committee(request, pk)
    committee.startup = request.startup
    entry = investment_committee_entry(committee, base_url=site_url(request))
    return ics_response(
        ics_calendar([entry], name=entry.summary),
        filename=f"comite-{request.startup.slug}-{committee.date.isoformat()}.ics",
    )


@require_GET
@startup_view(Action.VIEW)
def committee_pdf(request: AppRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    context = {**_dossier_context(request, committee), "generated_at": timezone.now()}
    return pdf_response(
        PDF_TEMPLATE, context,
        filename=f"comite-{request.startup.slug}-{committee.date.isoformat()}.pdf",
    )


# ---------------------------------------------------------------- the dossier


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def committee_create(request: AppRequest) -> HttpResponse:
    form = InvestmentCommitteeForm(request.POST or None, startup=request.startup)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_create(
                startup=request.startup, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The investment committee of %(date)s is prepared.") % {"date": _date(committee)},
            )
            return redirect(committee)
    return form_page(
        request, form, title=_("Prepare an investment committee"),
        submit_label=_("Save the dossier"), cancel_url=_list_url(request),
        intro=_(
            "The dossier follows the committee's agenda. The last six months (user tests, "
            "releases, learnings), the impact indicators and the budget come from the app: "
            "freeze them when the dossier is ready."
        ),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def committee_edit(request: AppRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    if committee.is_decided:
        messages.error(
            request, _("This committee has decided: its dossier can no longer change.")
        )
        return redirect(committee)
    # The form writes what is typed onto its instance: the date it had, read first.
    title = _("Edit the dossier of the committee of %(date)s") % {"date": _date(committee)}
    form = InvestmentCommitteeForm(
        request.POST or None, instance=committee, startup=request.startup
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_update(
                committee=_committee(request, pk), actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The dossier is saved."))
            return redirect(committee)
    return form_page(
        request, form, title=title, submit_label=_("Save"),
        cancel_url=committee.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def committee_delete(request: AppRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    if committee.is_decided:
        messages.error(
            request, _("This committee has decided: it stays in the startup's history.")
        )
        return redirect(committee)
    if request.method == "POST":
        try:
            services.committee_delete(committee=committee, actor=request.user)
        except ValidationError as error:
            form_error(request, error)
            return redirect(committee)
        messages.success(
            request,
            _("The investment committee of %(date)s is deleted.") % {"date": _date(committee)},
        )
        return redirect(_list_url(request))
    return confirm_page(
        request, obj=committee, title=_("Delete the investment committee"),
        warning=_("Its dossier and its documents are deleted with it."),
        cancel_url=committee.get_absolute_url(),
    )


@require_POST
@startup_view(Action.CONTRIBUTE)
def committee_snapshot(request: AppRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    refresh = committee.snapshot_at is not None
    try:
        services.committee_snapshot_take(committee=committee, actor=request.user)
    except ValidationError as error:
        form_error(request, error)
    else:
        if refresh:
            messages.success(request, _("The dossier's figures are collected again and frozen."))
        else:
            messages.success(
                request,
                _("The dossier's figures are frozen as of %(date)s.") % {"date": _date(committee)},
            )
    return redirect(f"{committee.get_absolute_url()}#figures")


@require_POST
@startup_view(Action.CONTRIBUTE)
def committee_file_add(request: AppRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    form = CommitteeFileForm(request.POST, request.FILES)
    if form.is_valid():
        attachment = services.committee_file_add(
            committee=committee, actor=request.user, upload=form.cleaned_data["file"],
            name=form.cleaned_data["name"], kind=form.cleaned_data["kind"],
        )
        messages.success(request, _("“%(name)s” is uploaded.") % {"name": attachment.name})
        return redirect(f"{committee.get_absolute_url()}#documents")
    return render(
        request, "governance/committee_detail.html",
        _detail_context(request, committee, form),
    )


# ---------------------------------------------------------------- the decision


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def committee_decide(request: AppRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    if committee.is_decided:
        messages.error(
            request,
            _("This committee already decided (%(decision)s): a decision is recorded once.")
            % {"decision": committee.get_decision_display()},
        )
        return redirect(committee)
    form = CommitteeDecisionForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.committee_decide(
                committee=committee, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.startup.refresh_from_db(fields=["phase"])
            messages.success(
                request,
                _("The decision is recorded: %(decision)s. The startup is in phase “%(phase)s”.")
                % {
                    "decision": committee.get_decision_display(),
                    "phase": request.startup.get_phase_display(),
                },
            )
            return redirect(committee)
    intro = _(
        "A decision is recorded once: the dossier and its figures are then frozen for good. "
        "The decision goes to the phase timeline."
    )
    if committee.date > timezone.localdate():
        intro += " " + _(
            "This committee meets on %(date)s: its decision can be recorded from that day."
        ) % {"date": _date(committee)}
    return form_page(
        request, form,
        title=_("Record the decision of the committee of %(date)s") % {"date": _date(committee)},
        submit_label=_("Record the decision"), cancel_url=committee.get_absolute_url(),
        intro=intro,
    )


# ---------------------------------------------------------------- conditions


@require_POST
@startup_view(Action.CONTRIBUTE)
def condition_toggle(request: AppRequest, pk: int, condition_pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    condition = get_object_or_404(committee.conditions.all(), pk=condition_pk)
    done = {"1": True, "0": False}.get(request.POST.get("done", ""))
    condition = services.condition_toggle(condition=condition, actor=request.user, done=done)
    if request.htmx:
        context = {
            "startup": request.startup, "committee": committee,
            "conditions": _conditions(committee), "toggled": condition.pk,
        }
        return render(request, "governance/committee_detail.html#conditions", context)
    if condition.done_at:
        messages.success(request, _("The condition is met."))
    else:
        messages.success(request, _("The condition is open again."))
    return redirect(f"{committee.get_absolute_url()}#conditions")

