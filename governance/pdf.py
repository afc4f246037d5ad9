"""PDF documents (committee dossiers, sponsor reports) rendered by WeasyPrint from a
template.

WeasyPrint would fetch any URL a document names — a Markdown image in a report would make
the server request an address chosen by a user. The fetcher here serves the app's own
static files from disk and refuses everything else (the image is then left out).

WeasyPrint needs pango (a system library): it is imported when a PDF is asked for, so the
rest of the app runs on a machine without it, and the PDF link then says what is missing.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# The document's base address: relative links resolve under it, nothing is ever fetched.
BASE_URL = "https://intrapreneur.invalid/"


def static_file(url: str) -> tuple[bytes, str]:
    """The bytes and type of the static file ``url`` names under BASE_URL; ValueError for
    any other address."""
    parts = urlsplit(url)
    static = urlsplit(settings.STATIC_URL).path
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(static):
        raise ValueError(f"refused: {url}")
    relative = unquote(parts.path[len(static):])
    found = finders.find(relative) if ".." not in Path(relative).parts else None
    if not found:
        raise ValueError(f"not a static file: {url}")
    return Path(found).read_bytes(), mimetypes.guess_type(found)[0] or "application/octet-stream"


def pdf_render(template: str, context: dict) -> bytes:
    """The PDF of ``template`` rendered with ``context`` (OSError without pango)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            body, mime_type = static_file(url)
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})

    html = render_to_string(template, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


def pdf_response(template: str, context: dict, *, filename: str) -> HttpResponse:
    """The PDF as a download; a plain 503 saying why when this server cannot make PDFs."""
    try:
        pdf = pdf_render(template, context)
    except OSError:  # WeasyPrint could not load pango
        return HttpResponse(
            _("This server cannot make PDF documents: the pango library is missing."),
            status=503, content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(
        pdf, content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
