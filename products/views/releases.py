"""Releases: what the team shipped, the feedback each one answers, and the public
changelog with its Atom feed.

Every member reads the releases (``view``); the answered feedback's texts need
``view_research`` (the others see how many items a release answers); writing needs
``contribute``. Publishing closes the answered feedback and tells its authors who asked.
The changelog and its feed are public pages: no account, 404 unless the startup is public
and not archived; they list the published releases only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intrapreneur.lists import list_context, render_page
from intrapreneur.markdown import render_markdown
from intrapreneur.models import Startup
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest, confirm_page, form_page, site_url
from products.charts import releases_described, week_chart
from products.forms.releases import ReleaseFilterForm, ReleaseForm
from products.models import Release
from products.services import releases as services
from products.services.releases import Closure
from products.views.public import public_startup

CHART_WEEKS = 12
CHANGELOG_PER_PAGE = 20
FEED_ENTRIES = 50


def _url(request: AppRequest, name: str, **kwargs) -> str:
    return reverse(f"products:{name}", kwargs={"slug": request.startup.slug, **kwargs})


def _release(request: AppRequest, pk: int) -> Release:
    return get_object_or_404(Release.objects.for_startup(request.startup), pk=pk)


def _closure_message(request: AppRequest, closure: Closure) -> None:
    """Say what publishing did to the feedback."""
    closed = ngettext(
        "%(count)d feedback item is closed.", "%(count)d feedback items are closed.",
        closure.closed,
    ) % {"count": closure.closed}
    told = ngettext(
        "%(count)d author will be told by e-mail.", "%(count)d authors will be told by e-mail.",
        closure.told,
    ) % {"count": closure.told}
    messages.info(request, f"{closed} {told}")


# ---------------------------------------------------------------- list and detail


def release_week_chart(startup: Startup) -> dict:
    """The releases per week of the last weeks: figures and SVG (the product home too)."""
    return week_chart(
        services.releases_per_week(startup, timezone.localdate(), CHART_WEEKS),
        title=_("Releases per week"), chart_id="release-week-chart",
        describe=releases_described,
    )


@require_GET
@startup_view(Action.VIEW)
def release_list(request: AppRequest) -> HttpResponse:
    form = ReleaseFilterForm(request.GET or None)
    releases = Release.objects.for_startup(request.startup).annotate(
        answer_count=Count("answers")
    )
    context = {
        "startup": request.startup,
        "chart": release_week_chart(request.startup),
        **list_context(request, releases, form),
    }
    return render_page(request, "products/release_list.html", context, part="results")


@require_GET
@startup_view(Action.VIEW)
def release_detail(request: AppRequest, pk: int) -> HttpResponse:
    release = get_object_or_404(
        Release.objects.for_startup(request.startup).select_related("author"), pk=pk
    )
    answers = None
    if request.can.view_research:
        answers = list(release.answers.order_by("-date", "-pk"))
        answer_count = len(answers)
    else:
        answer_count = release.answers.count()
    context = {
        "startup": request.startup,
        "release": release,
        "answers": answers,
        "answer_count": answer_count,
    }
    return render(request, "products/release_detail.html", context)


# ---------------------------------------------------------------- writes


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def release_create(request: AppRequest) -> HttpResponse:
    form = ReleaseForm(request.POST or None, startup=request.startup)
    if request.method == "POST" and form.is_valid():
        try:
            release, closure = services.release_create(
                startup=request.startup, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if release.is_published:
                messages.success(
                    request, _("The release “%(version)s” is published.") % {"version": release}
                )
                _closure_message(request, closure)
            else:
                messages.success(
                    request,
                    _("The draft release “%(version)s” is saved.") % {"version": release},
                )
            return redirect(release)
    return form_page(
        request, form, title=_("New release"), submit_label=_("Save"),
        cancel_url=_url(request, "release-list"),
        intro=_(
            "Say what changes for the users and which feedback it answers. A draft stays "
            "private and changes no feedback until it is published."
        ),
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def release_edit(request: AppRequest, pk: int) -> HttpResponse:
    release = _release(request, pk)
    # The form writes what is typed onto its instance: what the release was, read first.
    was_published, version = release.is_published, release.version
    form = ReleaseForm(request.POST or None, instance=release, startup=request.startup)
    if request.method == "POST" and form.is_valid():
        try:
            release, closure = services.release_update(
                release=_release(request, pk), actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if release.is_published and not was_published:
                messages.success(
                    request, _("The release “%(version)s” is published.") % {"version": release}
                )
            else:
                messages.success(request, _("The release is saved."))
            if closure.closed:
                _closure_message(request, closure)
            return redirect(release)
    intro = ""
    if was_published:
        intro = _(
            "This release is public in the changelog. Unpublishing it removes it from the "
            "changelog but does not reopen the feedback it closed."
        )
    return form_page(
        request, form, title=_("Edit the release %(version)s") % {"version": version},
        submit_label=_("Save"), cancel_url=release.get_absolute_url(), intro=intro,
    )


@require_http_methods(["GET", "POST"])
@startup_view(Action.CONTRIBUTE)
def release_delete(request: AppRequest, pk: int) -> HttpResponse:
    release = _release(request, pk)
    if request.method == "POST":
        services.release_delete(release=release, actor=request.user)
        messages.success(request, _("The release “%(version)s” is deleted.") % {
            "version": release
        })
        return redirect(_url(request, "release-list"))
    if release.is_published:
        warning = _(
            "It leaves the public changelog and its feed. The feedback it closed stays done: "
            "deleting the release does not reopen it."
        )
    else:
        warning = _("The feedback it answers is not changed.")
    return confirm_page(
        request, obj=release, title=_("Delete the release"), warning=warning,
        cancel_url=release.get_absolute_url(),
    )


@require_POST
@startup_view(Action.CONTRIBUTE)
def release_publish(request: AppRequest, pk: int) -> HttpResponse:
    release = _release(request, pk)
    try:
        closure = services.release_publish(release=release, actor=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The release “%(version)s” is published.") % {"version": release}
        )
        _closure_message(request, closure)
    # Published from the product home: back there (htmx then swaps what changed).
    home = reverse("products:home", kwargs={"slug": request.startup.slug})
    if request.POST.get("next") == home:
        return redirect(home)
    return redirect(release)


# ---------------------------------------------------------------- the public changelog


def _published(startup: Startup):
    return Release.objects.for_startup(startup).published().order_by("-date", "-pk")


def _anchor(release: Release) -> str:
    return f"release-{release.uuid}"


@login_not_required
@require_GET
def changelog(request: HttpRequest, slug: str) -> HttpResponse:
    """The published releases, the newest first, 20 a page."""
    startup = public_startup(slug)
    paginator = Paginator(_published(startup), CHANGELOG_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    context = {
        "startup": startup,
        "page_obj": page,
        "feed_url": reverse("public:changelog-feed", kwargs={"slug": startup.slug}),
    }
    return render(request, "products/public_changelog.html", context)


class ChangelogFeed(Atom1Feed):
    """Atom with each entry's notes as HTML ``content`` (Django writes only ``summary``)."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("content") is not None:
            handler.addQuickElement("content", item["content"], {"type": "html"})


@login_not_required
@require_GET
def changelog_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The 50 latest published releases as an Atom feed; entry ids never change."""
    startup = public_startup(slug)
    base = site_url(request)
    page_url = base + reverse("public:changelog", kwargs={"slug": startup.slug})
    feed = ChangelogFeed(
        title=_("%(name)s — what's new") % {"name": startup.name},
        link=page_url,
        description=startup.mission,
        subtitle=startup.mission or None,
        language="fr",
        author_name=startup.name,
        feed_url=base + request.path,
        feed_guid=page_url,
    )
    for index, release in enumerate(_published(startup)[:FEED_ENTRIES]):
        published_at = release.published_at and timezone.localtime(release.published_at)
        # The page of the changelog that shows the entry, then its anchor.
        page = index // CHANGELOG_PER_PAGE + 1
        query = f"?page={page}" if page > 1 else ""
        feed.add_item(
            title=f"{startup.name} {release.version}",
            link=f"{page_url}{query}#{_anchor(release)}",
            description=None,
            content=render_markdown(release.notes),
            unique_id=f"urn:uuid:{release.uuid}",
            unique_id_is_permalink=False,
            pubdate=published_at,
            updateddate=published_at,
        )
    response = HttpResponse(content_type=feed.content_type)
    feed.write(response, "utf-8")
    return response
