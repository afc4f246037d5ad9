"""Uploads and downloads: one checked form field, one way to serve a file."""

from __future__ import annotations

import warnings
import zipfile

import filetype
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

# Types accepted by default, detected from the file's content (never from its name).
DEFAULT_TYPES: dict[str, tuple[str, ...]] = {
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/pdf": ("pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "application/vnd.oasis.opendocument.presentation": ("odp",),
    "text/plain": ("txt", "md"),
    "text/csv": ("csv",),
}
TEXT_TYPES = {"text/plain", "text/csv"}
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
# Office documents are ZIP archives.
ZIP_TYPES = {mime for mime in DEFAULT_TYPES if "officedocument" in mime or "opendocument" in mime}
# Decompression bombs: small files that become huge once opened. A phone's photo has 12 to
# 50 megapixels; a document of 10 MB, of pictures mostly, unpacks to little more.
MAX_IMAGE_PIXELS = 60_000_000
MAX_UNPACKED_SIZE = 100 * 1024 * 1024
MAX_ARCHIVE_ENTRIES = 10_000


def sniff(head: bytes, name: str) -> str | None:
    """The MIME type of a file from its first bytes; None when it is not an accepted kind."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    # Text has no magic number: accept UTF-8 text that is not markup nor binary.
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may cut a multi-byte character at its very end.
        if error.start < len(head) - 3:
            return None
        text = head[: error.start].decode("utf-8")
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        return None
    lowered = text.lstrip().lower()
    if lowered.startswith(("<", "\ufeff<")) or "<svg" in lowered or "<script" in lowered:
        return None
    return "text/csv" if name.lower().endswith(".csv") else "text/plain"


class CheckedFileField(forms.FileField):
    """A file field that checks the type from the content, refuses SVG and large files."""

    def __init__(self, *args, types: dict[str, tuple[str, ...]] | None = None, **kwargs):
        self.types = types or DEFAULT_TYPES
        kwargs.setdefault(
            "help_text",
            _("Images, PDF, office documents or text; %(size)s at most.")
            % {"size": filesizeformat(settings.MAX_UPLOAD_SIZE)},
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault(
            "accept", ",".join(f".{ext}" for exts in self.types.values() for ext in exts)
        )

    def clean(self, data, initial=None):
        upload: UploadedFile | None = super().clean(data, initial)
        if not upload or upload is initial:
            return upload
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise forms.ValidationError(
                _("This file weighs %(size)s; the limit is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.MAX_UPLOAD_SIZE),
                },
                code="too_large",
            )
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        mime = sniff(head, upload.name or "")
        extension = (upload.name or "").rsplit(".", 1)[-1].lower()
        if mime is None or mime not in self.types:
            raise forms.ValidationError(
                _("This type of file is not accepted (SVG, HTML and programs are refused)."),
                code="bad_type",
            )
        if extension not in self.types[mime]:
            raise forms.ValidationError(
                _("The file's name (.%(ext)s) does not match its content (%(mime)s).")
                % {"ext": extension, "mime": mime},
                code="bad_extension",
            )
        check_unpacked(upload, mime)
        upload.content_type = mime
        return upload


def check_unpacked(upload: UploadedFile, mime: str) -> None:
    """Refuse an image or an office document that would be huge once opened (a bomb),
    reading only the image's header and the archive's directory."""
    if mime in IMAGE_TYPES:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(upload) as image:
                    width, height = image.size
        except Image.DecompressionBombError:
            width = height = MAX_IMAGE_PIXELS
        except (OSError, SyntaxError, ValueError) as error:
            raise forms.ValidationError(
                _("This image cannot be read: it is damaged or not what it claims to be."),
                code="unreadable",
            ) from error
        finally:
            upload.seek(0)
        if width * height > MAX_IMAGE_PIXELS:
            raise forms.ValidationError(
                _("This image is too large once opened: %(limit)s million pixels at most.")
                % {"limit": MAX_IMAGE_PIXELS // 1_000_000},
                code="too_many_pixels",
            )
    elif mime in ZIP_TYPES:
        try:
            with zipfile.ZipFile(upload) as archive:
                entries = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise forms.ValidationError(
                _("This document cannot be read: it is damaged or not what it claims to be."),
                code="unreadable",
            ) from error
        finally:
            upload.seek(0)
        unpacked = sum(entry.file_size for entry in entries)
        if len(entries) > MAX_ARCHIVE_ENTRIES or unpacked > MAX_UNPACKED_SIZE:
            raise forms.ValidationError(
                _("This document is too large once unpacked (%(size)s; the limit is "
                  "%(limit)s).")
                % {"size": filesizeformat(unpacked), "limit": filesizeformat(MAX_UNPACKED_SIZE)},
                code="too_large_unpacked",
            )


def file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    """Serve a stored file as an attachment that no browser will sniff or render."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
