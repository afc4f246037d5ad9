"""The State's standards of a startup: the page listing every one, and the form of one.

Reading needs ``view``. Editing needs ``contribute``, not ``manage``: the standards are
product work the team does and records (the audit, the DSFR, the eco-design, the public
pages), and the owner of a standard is often a team member who must be able to mark it done.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from governance.enums import StandardKind
from governance.forms.standards import URL_LABELS, StandardForm
from governance.models import Standard
from governance.services import standards as services
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, form_page, form_saved


def _list_url(request: AppRequest) -> str:
    return reverse("governance:standard-list", kwargs={"slug": request.startup.slug})


@require_GET
@startup_view(Action.VIEW)
def standard_list(request: AppRequest) -> HttpResponse:
    today = timezone.localdate()
    standards = services.standards_for(request.startup)
    for standard in standards:
        standard.late = standard.is_late(today)
        standard.url_label = URL_LABELS[standard.kind]
    context = {
        "startup": request.startup,
        "standards": standards,
        "late_count": sum(1 for standard in standards if standard.late),
        "today": today,
    }
    return render(request, "governance/standard_list.html", context)


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def standard_edit(request: AppRequest, kind: str) -> HttpResponse:
    try:
        standard = services.standard_for(request.startup, kind)
    except Standard.DoesNotExist:
        raise Http404 from None
    label = StandardKind(kind).label
    form = StandardForm(request.POST or None, standard=standard)
    saved = form_saved(
        request, form,
        lambda: services.standard_save(
            startup=request.startup, kind=kind, actor=request.user, **form.service_data()
        ),
    )
    if saved is not None:
        messages.success(request, _("“%(name)s” is saved.") % {"name": label})
        return redirect(f"{_list_url(request)}#standard-{kind}")
    return form_page(
        request, form, title=_("Standard: %(name)s") % {"name": label}, submit_label=_("Save"),
        cancel_url=_list_url(request),
    )


def overview_standards(request: AppRequest) -> dict:
    """The overview's standards panel (registered by the app's config)."""
    return {"summary": services.standards_summary(request.startup, today=timezone.localdate())}

