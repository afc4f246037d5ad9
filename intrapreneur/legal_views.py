"""The legal pages of the site: legal notice, personal data, accessibility statement.

Public (no account needed) and linked from the footer of every page. Staff write their text
in the admin (``LegalPage``); until they do, each page shows its default text, a Markdown
template of ``templates/intrapreneur/legal/``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from intrapreneur.enums import AccessibilityCompliance, LegalPageKind
from intrapreneur.models import LegalPage


def default_text(kind: str, request: HttpRequest) -> str:
    """The page's Markdown when staff have written none."""
    return render_to_string(
        f"intrapreneur/legal/{kind}.md",
        {
            "SITE_NAME": settings.SITE_NAME,
            "site_url": settings.SITE_URL or request.build_absolute_uri("/").rstrip("/"),
            "compliance": AccessibilityCompliance(settings.ACCESSIBILITY_COMPLIANCE).label,
        },
        request=None,
    )


@login_not_required
@require_GET
def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    page = LegalPage.objects.filter(kind=kind).first()
    return render(
        request,
        "intrapreneur/legal_page.html",
        {
            "title": LegalPageKind(kind).label,
            "body": page.body if page else default_text(kind, request),
            "updated_at": page.updated_at if page else None,
        },
    )
