"""beta.gouv.fr pages in the interface: upload, preview, apply; and the download.

One flow serves the three imports (a new startup, an update by its intrapreneur, the staff's
import in the admin): step 1 uploads the file and shows what it would change; step 2 posts
the file's text back from a hidden field, and only then the service writes.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods
from dsfr.forms import DsfrBaseForm

from intrapreneur.betagouv import (
    PAGE_MAX_SIZE,
    RESERVED_SLUGS,
    PageError,
    StartupPage,
    export_page,
    page_changes,
    page_slug,
    parse_page,
    startup_page_apply,
)
from intrapreneur.files import CheckedFileField
from intrapreneur.models import Startup
from intrapreneur.permissions import Action, startup_view
from intrapreneur.views import AppRequest


def _parse(text: str) -> StartupPage:
    try:
        return parse_page(text)
    except PageError as error:
        raise forms.ValidationError(str(error), code=error.code) from None


class PageUploadForm(DsfrBaseForm):
    file = CheckedFileField(
        label=gettext_lazy("beta.gouv.fr page"),
        types={"text/plain": ("md", "txt")},
        help_text=gettext_lazy(
            "The startup's Markdown file on the beta.gouv.fr site (content/_startups/…)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > PAGE_MAX_SIZE:
            raise forms.ValidationError(
                _("A page weighs %(limit)s at most.") % {"limit": filesizeformat(PAGE_MAX_SIZE)}
            )
        try:
            self.text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        self.page = _parse(self.text)
        self.slug = page_slug(upload.name or "", self.page.name)
        return upload


class PageApplyForm(DsfrBaseForm):
    """The previewed file, sent back as it was read."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    slug = forms.SlugField(widget=forms.HiddenInput, max_length=80, required=False)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        if len(text) > PAGE_MAX_SIZE:
            raise forms.ValidationError(
                _("A page weighs %(limit)s at most.") % {"limit": filesizeformat(PAGE_MAX_SIZE)}
            )
        self.page = _parse(text)
        return text


def page_flow(
    request: HttpRequest,
    *,
    target: Callable[[StartupPage, str], Startup | None],
    refusal: Callable[[StartupPage, str], str],
    apply: Callable[[StartupPage, str], HttpResponse],
    templates: tuple[str, str],
    context: dict,
) -> HttpResponse:
    """Upload → preview → apply.

    ``target`` is the startup the page would update (None: a new one), ``refusal`` the
    reason it may not be applied ("" when it may), ``apply`` writes and answers.
    """
    upload_form = PageUploadForm()
    error = ""
    if request.method == "POST" and "text" in request.POST:
        apply_form = PageApplyForm(request.POST)
        if apply_form.is_valid():
            page, slug = apply_form.page, apply_form.cleaned_data["slug"]
            error = refusal(page, slug)
            if not error:
                return apply(page, slug)
        else:
            error = " ".join(str(e) for errors in apply_form.errors.values() for e in errors)
    elif request.method == "POST":
        upload_form = PageUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            page, slug = upload_form.page, upload_form.slug
            error = refusal(page, slug)
            if not error:
                startup = target(page, slug)
                preview = {
                    "form": PageApplyForm(initial={"text": upload_form.text, "slug": slug}),
                    "page": page,
                    "changes": page_changes(page, startup),
                    "new_address": "" if startup else reverse(
                        "startup-overview", kwargs={"slug": slug}
                    ),
                    "error": "",
                }
                return render(request, templates[1], {**context, **preview})
    return render(
        request, templates[0], {**context, "form": upload_form, "error": error, "changes": None}
    )


def _layout(startup: Startup | None) -> str:
    return "intrapreneur/startup_base.html" if startup else "intrapreneur/page_base.html"


TEMPLATES = ("intrapreneur/page_import.html", "intrapreneur/page_preview.html")


# ---------------------------------------------------------------- a new startup


@require_http_methods(["GET", "POST"])
def startup_import(request: AppRequest) -> HttpResponse:
    """A new startup from its page; the person who sends it becomes its intrapreneur."""

    def refusal(page: StartupPage, slug: str) -> str:
        if slug in RESERVED_SLUGS:
            return _("The address “%(slug)s” is reserved: rename the file.") % {"slug": slug}
        existing = Startup.objects.filter(slug=slug).first()
        if existing is None:
            return ""
        if Startup.objects.visible_to(request.user).filter(pk=existing.pk).exists():
            link = format_html(
                '<a href="{}">{}</a>', existing.get_absolute_url(), existing.name
            )
            return format_html(
                _("A startup already has the address “{slug}”: {link}. Its intrapreneur "
                  "updates it from its overview."),
                slug=slug, link=link,
            )
        return _(
            "A startup already has the address “%(slug)s”: rename the file, or ask that "
            "startup's intrapreneur to update it."
        ) % {"slug": slug}

    def apply(page: StartupPage, slug: str) -> HttpResponse:
        startup, _changes = startup_page_apply(page=page, actor=request.user, slug=slug)
        messages.success(request, _("The startup “%(name)s” is created.") % {"name": startup})
        return redirect(startup)

    return page_flow(
        request, target=lambda page, slug: None, refusal=refusal, apply=apply,
        templates=TEMPLATES,
        context={
            "layout": _layout(None),
            "startup": None,
            "title": _("New startup from its beta.gouv.fr page"),
            "intro": _(
                "Send the startup's page file from the beta.gouv.fr site: you will see what "
                "it holds before the startup is created. You become its intrapreneur."
            ),
            "cancel_url": reverse("home"),
            "upload_url": reverse("startup-import"),
        },
    )


# ---------------------------------------------------------------- a startup's page


@require_http_methods(["GET", "POST"])
@startup_view(Action.MANAGE)
def startup_page_import(request: AppRequest) -> HttpResponse:
    """Update the startup from its page: sheet, links, phase history and events."""
    startup = request.startup

    def refusal(page: StartupPage, slug: str) -> str:
        if page.incubator.lower() != startup.incubator.slug.lower():
            return _(
                "This page puts the startup in the incubator “%(incubator)s”: only the "
                "incubator staff move a startup, from the administration."
            ) % {"incubator": page.incubator}
        return ""

    def apply(page: StartupPage, slug: str) -> HttpResponse:
        _startup, changes = startup_page_apply(page=page, actor=request.user, startup=startup)
        if changes:
            messages.success(
                request,
                ngettext(
                    "The beta.gouv.fr page is imported: %(count)d field changed.",
                    "The beta.gouv.fr page is imported: %(count)d fields changed.",
                    len(changes),
                ) % {"count": len(changes)},
            )
        else:
            messages.info(
                request, _("The startup already matches this page: there is nothing to apply.")
            )
        return redirect(startup)

    return page_flow(
        request, target=lambda page, slug: startup, refusal=refusal, apply=apply,
        templates=TEMPLATES,
        context={
            "layout": _layout(startup),
            "startup": startup,
            "title": _("Import the beta.gouv.fr page"),
            "intro": _(
                "The page replaces the product sheet, the links, the phase history and the "
                "events of the startup. You will see the changes before anything is written."
            ),
            "cancel_url": startup.get_absolute_url(),
            "upload_url": reverse("startup-page-import", kwargs={"slug": startup.slug}),
        },
    )


@require_GET
@startup_view(Action.VIEW)
def startup_page_export(request: AppRequest) -> HttpResponse:
    response = HttpResponse(
        export_page(request.startup), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{request.startup.slug}.md"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- the admin


def admin_page_import(model_admin, request: HttpRequest) -> HttpResponse:
    """StartupAdmin's import: creates or updates the startup whose slug is the file's stem.

    Superusers import anything; other staff only update startups of the incubators they
    staff, and only into those incubators.
    """
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    user = request.user

    def target(page: StartupPage, slug: str) -> Startup | None:
        return Startup.objects.select_related("incubator").filter(slug=slug).first()

    def refusal(page: StartupPage, slug: str) -> str:
        existing = target(page, slug)
        if slug in RESERVED_SLUGS:
            return _("The address “%(slug)s” is reserved: rename the file.") % {"slug": slug}
        if existing is None and not model_admin.has_add_permission(request):
            return _("You may not create startups.")
        if existing is not None and not model_admin.has_change_permission(request, existing):
            return _("You may not change startups.")
        if user.is_superuser:
            return ""
        staffed = {s.lower() for s in user.incubators.values_list("slug", flat=True)}
        if existing is not None and existing.incubator.slug.lower() not in staffed:
            return _("“%(name)s” belongs to an incubator you do not staff.") % {
                "name": existing.name
            }
        if page.incubator.lower() not in staffed:
            return _(
                "You only import startups into the incubators you staff, not into "
                "“%(incubator)s”."
            ) % {"incubator": page.incubator}
        return ""

    def apply(page: StartupPage, slug: str) -> HttpResponse:
        existing = target(page, slug)
        startup, changes = startup_page_apply(
            page=page, actor=user, startup=existing, slug=slug, actor_joins=False
        )
        if existing is None:
            model_admin.log_addition(request, startup, [{"added": {}}])
        elif changes:
            model_admin.log_change(
                request, startup, [{"changed": {"fields": [c.label for c in changes]}}]
            )
        messages.success(
            request, _("The beta.gouv.fr page of “%(name)s” is imported.") % {"name": startup}
        )
        return redirect("admin:intrapreneur_startup_change", startup.pk)

    template = "admin/intrapreneur/startup/page_import.html"
    return page_flow(
        request, target=target, refusal=refusal, apply=apply, templates=(template, template),
        context={
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": _("Import a beta.gouv.fr page"),
            "subtitle": None,
            "cancel_url": reverse("admin:intrapreneur_startup_changelist"),
            "upload_url": reverse("admin:intrapreneur_startup_import"),
        },
    )
