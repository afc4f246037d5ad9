"""Uploads that lie or would explode are refused with a clear French message, and nothing
is written: no file in the store, no row.

Every upload of the site goes through ``intrapreneur.files.CheckedFileField``: the type
comes from the content (never from the name nor the browser's content type), the name
must match it, the size is capped, and images and office documents (ZIP archives) are
opened far enough to see what they would become — a small file that unpacks into
gigabytes is refused. The cases go through the real upload form of the startup's files.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intrapreneur.models import Attachment
from tests.security.test_authorization_matrix import png_1x1

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def png(width: int, height: int) -> bytes:
    """A PNG whose header says ``width`` × ``height`` (its pixels need not all be there)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1))) + chunk(b"IEND", b""))


def docx(document_size: int = 200) -> bytes:
    """A Word document (as a ZIP archive) whose text part unpacks to ``document_size``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b" " * (1024 * 1024)
            for _ in range(document_size // len(block)):
                part.write(block)
            part.write(b" " * (document_size % len(block)))
    return buffer.getvalue()


def stored_files() -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# name, content, the browser's content type, what the person reads.
REFUSED = {
    "html-named-png": ("photo.png", b"<html><script>alert(1)</script></html>", "image/png",
                       "Ce type de fichier n’est pas accepté"),
    "svg-named-png": ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"'
                      b' onload="alert(1)"/>', "image/png", "Ce type de fichier n’est pas accepté"),
    "script-named-txt": ("notes.txt", b"<script>alert(1)</script>", "text/plain",
                         "Ce type de fichier n’est pas accepté"),
    "program-named-pdf": ("rapport.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100,
                          "application/pdf", "Ce type de fichier n’est pas accepté"),
    "png-named-pdf": ("rapport.pdf", png_1x1(), "application/pdf",
                      "Le nom du fichier (.pdf) ne correspond pas à son contenu (image/png)"),
    "pdf-named-html": ("page.pdf.html", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n",
                       "text/html", "Le nom du fichier (.html) ne correspond pas à son contenu"),
    "png-without-extension": ("photo", png_1x1(), "image/png",
                              "Le nom du fichier (.photo) ne correspond pas à son contenu"),
    "truncated-png": ("photo.png", png_1x1()[:40], "image/png",
                      "Cette image est illisible"),
    "image-bomb": ("photo.png", png(10_000, 10_000), "image/png",
                   "Cette image est trop grande une fois ouverte"),
    "image-bomb-beyond-pillow": ("photo.png", png(40_000, 40_000), "image/png",
                                 "Cette image est trop grande une fois ouverte"),
    "zip-bomb": ("compte-rendu.docx", docx(101 * 1024 * 1024), DOCX,
                 "Ce document est trop volumineux une fois décompressé"),
    "broken-docx": ("compte-rendu.docx", docx()[:150], DOCX, "Ce document est illisible"),
    "too-large": ("photo.png", png_1x1() + b"\x00" * (10 * 1024 * 1024), "image/png",
                  "Ce fichier pèse 10,0\xa0Mio ; la limite est de 10,0\xa0Mio"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_lying_or_exploding_upload_is_refused_and_nothing_is_written(world, case):
    name, content, browser_type, message = REFUSED[case]
    client = world.client_for("intrapreneur")
    upload = SimpleUploadedFile(name, content, content_type=browser_type)

    response = client.post(
        reverse("attachment-create", kwargs={"slug": world.startup.slug}),
        {"file": upload, "name": "", "tags": ""},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode().replace("&#x27;", "’")
    assert not Attachment.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("pixel.png", png_1x1(), "image/png"),
        ("grande-photo.png", png(6_000, 4_000), "image/png"),  # 24 megapixels: a camera's
        ("compte-rendu.docx", docx(2 * 1024 * 1024), DOCX),
        ("notes.txt", b"Entretien du 3 mars : la mairie veut tester.", "text/plain"),
    ],
)
def test_an_honest_upload_is_stored_with_the_type_of_its_content(world, name, content, kind):
    client = world.client_for("intrapreneur")
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")

    response = client.post(
        reverse("attachment-create", kwargs={"slug": world.startup.slug}),
        {"file": upload, "name": "", "tags": ""},
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.content_type) == (name, kind)
    assert [p.read_bytes() for p in stored_files()] == [content]
