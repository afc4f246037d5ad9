"""Hypotheses: the board by status (a paginated list once filtered by one status), one
hypothesis with its tests, writing, the status moved in place, and an idea turned into a
hypothesis in one step.

Reading needs ``view``; every write ``contribute``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intrapreneur.lists import list_context, render_page
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, back_to, confirm_page, form_page
from investigations.models import Insight
from products.enums import HypothesisStatus
from products.forms.hypotheses import HypothesisFilterForm, HypothesisForm, HypothesisStatusForm
from products.models import Feedback, Hypothesis, Idea
from products.services import hypotheses as services

LIST_TEMPLATE = "products/hypothesis_list.html"
# The board shows this many cards per status; the rest is one click away (the list of that
# status, paginated), so the page stays the same size however many hypotheses there are.
CARDS_PER_COLUMN = 20


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"products:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _hypothesis(request: AppRequest, pk: int) -> Hypothesis:
    hypothesis = get_object_or_404(Hypothesis.objects.for_startup(request.startup), pk=pk)
    hypothesis.startup = request.startup  # the services read it: no second query
    return hypothesis


# ---------------------------------------------------------------- the board


def _board_context(request: AppRequest, *, moved: Hypothesis | None = None) -> dict:
    """The page's context from ``request.GET``: the board, or the list of one status."""
    form = HypothesisFilterForm(request.GET or None)
    hypotheses = services.hypotheses_for(startup=request.startup)
    data = form.valid_data()
    list_url = _url(request, "hypothesis-list")
    query = request.GET.urlencode()
    context = {
        "startup": request.startup,
        "statuses": HypothesisStatus.choices,
        "list_url_with_query": f"{list_url}?{query}" if query else list_url,
        "moved_id": moved.pk if moved is not None else None,
        "oob_messages": False,
    }
    if data.get("status"):
        # One status: a plain paginated list.
        context.update(list_context(request, hypotheses, form), board=None)
        context["status_label"] = HypothesisStatus(data["status"]).label
        return context
    queryset = form.search(form.filter_queryset(hypotheses, data), data.get("q", ""))
    sort = form.sort_key()
    board = services.hypothesis_board(
        queryset, order=form.ordering(sort), per_column=CARDS_PER_COLUMN
    )
    context.update(
        filter_form=form,
        sort=sort,
        is_filtered=bool(data),
        board=board,
        board_total=sum(column.total for column in board),
        board_sorts=[(key, label) for key, (label, _fields) in form.sorts.items()],
    )
    return context


@require_GET
@startup_view(Action.VIEW)
def hypothesis_list(request: AppRequest) -> HttpResponse:
    return render_page(request, LIST_TEMPLATE, _board_context(request), part="results")


def _back(request: AppRequest, wanted: str) -> str:
    """Where a status change goes back: this startup's hypotheses pages only."""
    return back_to(request, wanted, within=_url(request, "hypothesis-list"))


@require_POST
@startup_view(Action.CONTRIBUTE)
def hypothesis_status(request: AppRequest, pk: int) -> HttpResponse:
    """Move a hypothesis to another status.

    With htmx: the board (or list) as the page shows it (``next``), the message out of band;
    a missing or unknown status answers 400 with the message. Without JavaScript: back to
    the page it came from with a success or an error message (an empty POST is an error).
    """
    hypothesis = _hypothesis(request, pk)
    form = HypothesisStatusForm(request.POST)
    next_url = _back(request, request.POST.get("next", ""))
    status_code = 200
    if form.is_valid():
        changed = services.hypothesis_set_status(
            hypothesis=hypothesis, actor=request.user, status=form.cleaned_data["status"]
        )
        values = {
            "hypothesis": Truncator(hypothesis.statement).chars(80),
            "status": hypothesis.get_status_display(),
        }
        if changed:
            messages.success(request, _("“%(hypothesis)s” moved to “%(status)s”.") % values)
        else:
            messages.info(request, _("“%(hypothesis)s” is already “%(status)s”.") % values)
    else:
        status_code = 400
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    if request.htmx:
        list_url = _url(request, "hypothesis-list")
        query = urlsplit(next_url).query if urlsplit(next_url).path == list_url else ""
        request.GET = QueryDict(query)
        context = _board_context(request, moved=hypothesis)
        context["oob_messages"] = True
        return render(request, f"{LIST_TEMPLATE}#results", context, status=status_code)
    anchor = f"#hypothesis-{hypothesis.pk}" if "#" not in next_url else ""
    return redirect(f"{next_url}{anchor}")


# ---------------------------------------------------------------- one hypothesis


@require_GET
@startup_view(Action.VIEW)
def hypothesis_detail(request: AppRequest, pk: int) -> HttpResponse:
    hypothesis = get_object_or_404(
        Hypothesis.objects.for_startup(request.startup)
        .select_related("insight", "feedback", "idea", "metric", "author")
        .defer("feedback__search"),
        pk=pk,
    )
    tests = list(hypothesis.tests.select_related("author").order_by("-date", "-pk"))
    context = {
        "startup": request.startup,
        "hypothesis": hypothesis,
        "tests": tests,
        "statuses": HypothesisStatus.choices,
    }
    return render(request, "products/hypothesis_detail.html", context)


def _initial(request: AppRequest) -> dict:
    """``?idea=``, ``?feedback=``, ``?insight=``: the source, when it is this startup's."""
    initial: dict = {}
    startup = request.startup
    for name, model in (("idea", Idea), ("feedback", Feedback), ("insight", Insight)):
        value = request.GET.get(name, "")
        if not value.isdigit() or len(value) > 12:
            continue
        source = model.objects.for_startup(startup).filter(pk=int(value)).first()
        if source is None:
            continue
        initial[name] = source
        if isinstance(source, Idea):
            initial.setdefault("statement", services.idea_statement(source))
    return initial


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def hypothesis_create(request: AppRequest) -> HttpResponse:
    form = HypothesisForm(
        request.POST or None, startup=request.startup,
        initial=_initial(request) if request.method == "GET" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            hypothesis = services.hypothesis_create(
                startup=request.startup, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The hypothesis is written."))
            return redirect(_url(request, "hypothesis-detail", pk=hypothesis.pk))
    return form_page(
        request, form, title=_("New hypothesis"), submit_label=_("Write the hypothesis"),
        cancel_url=_url(request, "hypothesis-list"),
        intro=_("We believe that… We will know when…: a bet to test with real users."),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def hypothesis_edit(request: AppRequest, pk: int) -> HttpResponse:
    hypothesis = _hypothesis(request, pk)
    form = HypothesisForm(request.POST or None, instance=hypothesis, startup=request.startup)
    if request.method == "POST" and form.is_valid():
        try:
            services.hypothesis_update(
                hypothesis=_hypothesis(request, pk), actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The hypothesis is saved."))
            return redirect(_url(request, "hypothesis-detail", pk=pk))
    return form_page(
        request, form, title=_("Edit the hypothesis"), submit_label=_("Save"),
        cancel_url=_url(request, "hypothesis-detail", pk=pk),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def hypothesis_delete(request: AppRequest, pk: int) -> HttpResponse:
    hypothesis = _hypothesis(request, pk)
    if request.method == "POST":
        services.hypothesis_delete(hypothesis=hypothesis, actor=request.user)
        messages.success(request, _("The hypothesis is deleted."))
        return redirect(_url(request, "hypothesis-list"))
    count = hypothesis.tests.count()
    warning = ngettext(
        "Its %(count)d user test is kept, with no hypothesis.",
        "Its %(count)d user tests are kept, with no hypothesis.",
        count,
    ) % {"count": count} if count else ""
    return confirm_page(
        request, obj=hypothesis, title=_("Delete the hypothesis"), warning=warning,
        cancel_url=_url(request, "hypothesis-detail", pk=pk),
    )


@require_POST
@startup_view(Action.CONTRIBUTE)
def idea_to_hypothesis(request: AppRequest, pk: int) -> HttpResponse:
    """Turn an idea into a hypothesis to test in one step; an idea already turned into one
    leads to it (an empty POST is the button: it acts)."""
    idea = get_object_or_404(Idea.objects.for_startup(request.startup), pk=pk)
    idea.startup = request.startup
    hypothesis, created = services.hypothesis_from_idea(idea=idea, actor=request.user)
    if created:
        messages.success(
            request,
            _("The idea “%(idea)s” is now a hypothesis to test: say how you will know it is "
              "right.") % {"idea": idea},
        )
    else:
        messages.info(
            request,
            _("The idea “%(idea)s” is already a hypothesis: here it is.") % {"idea": idea},
        )
    return redirect(_url(request, "hypothesis-detail", pk=hypothesis.pk))
