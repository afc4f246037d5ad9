"""The PDFs never make the server fetch an address a user wrote: a Markdown image pointing
at a server (here one the test starts on 127.0.0.1) is left out, the app's own static files
are read from disk."""

import http.server
import io
import threading

import pytest
from django.urls import reverse
from pypdf import PdfReader

from governance.pdf import BASE_URL, static_file
from governance.services import reports as services

pytestmark = pytest.mark.django_db


class Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def outside():
    """A web server on 127.0.0.1 that records what it is asked."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    Recorder.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_markdown_image_never_makes_the_server_fetch_it(world, outside):
    startup = world.startup
    report = services.report_create(
        startup=startup, actor=world.people["intrapreneur"], as_of=startup.created_at.date(),
        highlights=f"Voir ![le plan]({outside}/secret.png) et "
                   f"![ailleurs](file:///etc/passwd).",
    )

    response = world.client_for("sponsor").get(
        reverse("governance:report-pdf", kwargs={"slug": startup.slug, "pk": report.pk})
    )

    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Voir" in text
    assert Recorder.requests == []


def test_only_the_apps_static_files_are_read():
    body, mime_type = static_file(BASE_URL + "static/css/app.css")
    assert body.startswith(b"/*") and mime_type == "text/css"
    for url in ("http://127.0.0.1:9/x.png", "file:///etc/passwd",
                BASE_URL + "static/../../etc/passwd", BASE_URL + "media/startups/1/x.pdf",
                "https://intrapreneur.invalid.example/static/css/app.css"):
        with pytest.raises(ValueError):
            static_file(url)
