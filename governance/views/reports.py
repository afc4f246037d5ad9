"""Sponsor reports: the list, a report (its frozen dashboard and the intrapreneur's
words), its PDF, and the writes of the intrapreneur (``manage``): write, edit and delete a
draft, send it to the sponsors.

A sent report never changes: its edit and delete pages, and sending it again, send the
person back to the report with a message saying so.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.forms.reports import ReportFilterForm, ReportForm
from governance.models import SponsorReport
from governance.pdf import pdf_response
from governance.services import reports as services
from governance.services.dashboard import dashboard_display
from intrapreneur.lists import list_context, render_page
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, confirm_page, form_page, site_url


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"governance:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _report(request: AppRequest, pk: int) -> SponsorReport:
    return get_object_or_404(
        SponsorReport.objects.for_startup(request.startup).select_related("author", "sent_by"),
        pk=pk,
    )


def _refused(request: AppRequest, report: SponsorReport, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect(report)


def _sent_refusal(request: AppRequest, report: SponsorReport) -> HttpResponse | None:
    """Back to the report with a message when it is already sent (it never changes)."""
    if not report.is_sent:
        return None
    return _refused(
        request, report,
        ValidationError(_("This report was sent to the sponsors: it no longer changes.")),
    )


def _report_context(report: SponsorReport) -> dict:
    return {"report": report, "dash": dashboard_display(report.snapshot or {})}


# ---------------------------------------------------------------- reading


@require_GET
@startup_view(Action.VIEW)
def report_list(request: AppRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    reports = SponsorReport.objects.for_startup(request.startup).select_related(
        "author", "sent_by"
    )
    context = {"startup": request.startup, **list_context(request, reports, form)}
    return render_page(request, "governance/report_list.html", context, part="results")


@require_GET
@startup_view(Action.VIEW)
def report_detail(request: AppRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    context = {
        "startup": request.startup,
        "sponsor_count": len(services.report_sponsors(request.startup))
        if request.can.manage and not report.is_sent else 0,
        **_report_context(report),
    }
    return render(request, "governance/report_detail.html", context)


@require_GET
@startup_view(Action.VIEW)
def report_pdf(request: AppRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    context = {
        "startup": request.startup,
        "generated_at": timezone.now(),
        **_report_context(report),
    }
    return pdf_response(
        "governance/pdf/report.html", context,
        filename=f"rapport-{request.startup.slug}-{report.as_of:%Y-%m-%d}.pdf",
    )


# ---------------------------------------------------------------- writes


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def report_create(request: AppRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ReportForm(
        request.POST or None,
        initial={"as_of": today, "title": services.report_default_title(today)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                startup=request.startup, actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The draft “%(title)s” is saved: read it, then send it to the sponsors.")
                % {"title": report.title},
            )
            return redirect(report)
    return form_page(
        request, form, title=_("New sponsor report"), submit_label=_("Save the draft"),
        cancel_url=_url(request, "report-list"),
        intro=_(
            "The report freezes the dashboard as of its date, with your highlights, risks "
            "and asks. It stays a draft until you send it: the people who follow the "
            "startup, sponsors included, can already read it; sending e-mails it to them."
        ),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def report_edit(request: AppRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if (refusal := _sent_refusal(request, report)) is not None:
        return refusal
    title = report.title
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_update(
                report=_report(request, pk), actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect(report)
    return form_page(
        request, form, title=_("Edit the report “%(title)s”") % {"title": title},
        submit_label=_("Save the draft"), cancel_url=report.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def report_delete(request: AppRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if (refusal := _sent_refusal(request, report)) is not None:
        return refusal
    if request.method == "POST":
        try:
            services.report_delete(report=report, actor=request.user)
        except ValidationError as error:
            return _refused(request, report, error)
        messages.success(request, _("The draft “%(title)s” is deleted.") % {"title": report})
        return redirect(_url(request, "report-list"))
    return confirm_page(
        request, obj=report, title=_("Delete the draft report"),
        warning=_("It was never sent: nobody else has read it."),
        cancel_url=report.get_absolute_url(),
    )


@require_POST
@startup_view(Action.MANAGE)
def report_send(request: AppRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        count = services.report_send(
            report=report, actor=request.user, base_url=site_url(request)
        )
    except ValidationError as error:
        return _refused(request, report, error)
    if count:
        messages.success(
            request,
            ngettext(
                "The report is sent: %(count)d sponsor receives it by e-mail.",
                "The report is sent: %(count)d sponsors receive it by e-mail.",
                count,
            ) % {"count": count},
        )
    else:
        messages.success(
            request,
            _("The report is sent. The startup has no sponsor to e-mail yet: they will read "
              "it here when they join."),
        )
    return redirect(report)
