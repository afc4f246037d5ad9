"""PDF documents (committee dossiers, sponsor reports) rendered by WeasyPrint from a
template.

WeasyPrint would fetch any URL a document names — a Markdown image in a report would make
the server request an address chosen by a user. The fetcher here serves the app's own
static files from disk and refuses everything else (the image is then left out).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The document's base address: relative links resolve under it, nothing is ever fetched.
BASE_URL = "https://intrapreneur.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """Serve ``/static/…`` from the static files; refuse any other address."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        static = urlsplit(settings.STATIC_URL).path
        if (
            f"{parts.scheme}://{parts.netloc}/" != BASE_URL
            or not parts.path.startswith(static)
        ):
            raise ValueError(f"refused: {url}")
        relative = unquote(parts.path[len(static):])
        found = finders.find(relative) if ".." not in Path(relative).parts else None
        if not found:
            raise ValueError(f"not a static file: {url}")
        mime_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=Path(found).read_bytes(), headers={"Content-Type": mime_type}
        )


def pdf_render(template: str, context: dict) -> bytes:
    """The PDF of ``template`` rendered with ``context``."""
    html = render_to_string(template, context)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()
