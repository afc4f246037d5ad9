"""The weekly user tests: the list under the cadence of the last twelve weeks, one test,
recording (or planning) one, editing, deleting.

Reading needs ``view``; every write ``contribute``. A test's result moves its hypothesis
(the service says how).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from intrapreneur.lists import list_context, render_page
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, confirm_page, form_page
from products.forms.hypotheses import UserTestFilterForm, UserTestForm
from products.models import Hypothesis, UserTest
from products.services import hypotheses as services


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"products:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _test(request: AppRequest, pk: int) -> UserTest:
    test = get_object_or_404(UserTest.objects.for_startup(request.startup), pk=pk)
    test.startup = request.startup  # the services read it: no second query
    return test


def _moved_message(request: AppRequest, test: UserTest, before: str | None) -> None:
    """Say so when the test moved its hypothesis."""
    hypothesis = test.hypothesis
    if hypothesis is not None and before is not None and hypothesis.status != before:
        messages.info(
            request,
            _("The hypothesis “%(hypothesis)s” is now “%(status)s”.")
            % {
                "hypothesis": Truncator(hypothesis.statement).chars(80),
                "status": hypothesis.get_status_display(),
            },
        )


@require_GET
@startup_view(Action.VIEW)
def test_list(request: AppRequest) -> HttpResponse:
    form = UserTestFilterForm(request.GET or None, startup=request.startup)
    tests = UserTest.objects.for_startup(request.startup).select_related("hypothesis")
    today = timezone.localdate()
    context = {
        "startup": request.startup,
        "cadence": services.usertest_cadence(request.startup, today),
        **list_context(request, tests, form),
    }
    return render_page(request, "products/test_list.html", context, part="results")


@require_GET
@startup_view(Action.VIEW)
def test_detail(request: AppRequest, pk: int) -> HttpResponse:
    test = get_object_or_404(
        UserTest.objects.for_startup(request.startup).select_related("hypothesis", "author"),
        pk=pk,
    )
    return render(request, "products/test_detail.html", {"startup": request.startup, "test": test})


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def test_create(request: AppRequest) -> HttpResponse:
    initial = {}
    wanted = request.GET.get("hypothesis", "")
    if request.method == "GET" and wanted.isdigit() and len(wanted) < 12:
        hypothesis = Hypothesis.objects.for_startup(request.startup).filter(pk=wanted).first()
        if hypothesis is not None:
            initial["hypothesis"] = hypothesis
    form = UserTestForm(request.POST or None, startup=request.startup, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        before = data["hypothesis"].status if data["hypothesis"] else None
        try:
            test = services.usertest_create(
                startup=request.startup, actor=request.user, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The user test is recorded."))
            _moved_message(request, test, before)
            return redirect(test)
    return form_page(
        request, form, title=_("Record a user test"), submit_label=_("Record"),
        cancel_url=_url(request, "test-list"),
        intro=_(
            "Once a week, a few real users try the service. Leave the result empty to plan "
            "the test; never write their names nor contacts."
        ),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def test_edit(request: AppRequest, pk: int) -> HttpResponse:
    test = _test(request, pk)
    title = _("Edit the user test of %(date)s") % {"date": test.date.strftime("%d/%m/%Y")}
    form = UserTestForm(request.POST or None, instance=test, startup=request.startup)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        before = data["hypothesis"].status if data["hypothesis"] else None
        try:
            # The form changed its instance while validating: the service gets it as saved.
            test = services.usertest_update(
                test=_test(request, pk), actor=request.user, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The user test is saved."))
            _moved_message(request, test, before)
            return redirect(test)
    return form_page(
        request, form, title=title, submit_label=_("Save"),
        cancel_url=_url(request, "test-detail", pk=pk),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def test_delete(request: AppRequest, pk: int) -> HttpResponse:
    test = _test(request, pk)
    if request.method == "POST":
        services.usertest_delete(test=test, actor=request.user)
        messages.success(request, _("The user test is deleted."))
        return redirect(_url(request, "test-list"))
    return confirm_page(
        request, obj=test, title=_("Delete the user test"),
        warning=_("Its hypothesis keeps its status."),
        cancel_url=_url(request, "test-detail", pk=pk),
    )
