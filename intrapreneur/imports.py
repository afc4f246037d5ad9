"""CSV imports: upload → preview with a report per row → apply, all or nothing.

One reading of spreadsheets for every import (encoding, delimiter, column names, dates,
lists), the report of what each row gives and what is refused, the two forms of the flow
and the page that runs it. Each import says only what differs: its columns, how a row is
checked, how the rows are written, its messages. Apps import this module; it imports none.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from dsfr.forms import DsfrBaseForm

if TYPE_CHECKING:
    from intrapreneur.models import Startup
    from intrapreneur.views import AppRequest

IMPORT_MAX_BYTES = 2 * 1024 * 1024
LIST_SEPARATOR = "|"
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y")
TOO_LARGE = gettext_lazy("The file is too large: import at most 2 MB at a time.")

# ---------------------------------------------------------------- reading


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, columns, size)."""


def import_decode(data: bytes, *, max_bytes: int = IMPORT_MAX_BYTES, too_large=TOO_LARGE) -> str:
    """The file's text: UTF-8 only (with or without BOM), else a clear refusal."""
    if len(data) > max_bytes:
        raise ImportFileError(str(too_large))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file is not encoded in UTF-8. In your spreadsheet, save it as "
                "“CSV UTF-8” and send it again."
            )
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("This file is not a CSV text file."))
    return text


def import_key(text: str) -> str:
    """Lower case, no accents, single spaces: how column names and values are compared."""
    text = str(text).replace("’", "'")  # before the accents go: it is not ASCII either
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").split())


def import_delimiter(header_line: str) -> str:
    """Semicolons (French spreadsheets) unless the first line has more commas."""
    return ";" if header_line.count(";") >= header_line.count(",") else ","


def import_date(text: str) -> datetime.date | None:
    """A date as spreadsheets write it: 2025-12-31, 31/12/2025, 31/12/25, 31-12-2025,
    31.12.2025; else None."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def import_split(text: str) -> list[str]:
    """The items of a cell that holds a list: separated by |, blanks dropped."""
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


@dataclass
class ImportTable:
    """The file's data rows, each as its line number and its cells by column."""

    rows: list[tuple[int, dict[str, str]]]
    ignored_columns: list[str]


def import_table(
    text: str,
    *,
    columns: Mapping[str, Iterable[str]],
    required: Sequence[str],
    max_rows: int,
    missing: str,
) -> ImportTable:
    """Read the CSV ``text``: its first line names the columns (any of the names that
    ``columns`` gives each, compared with ``import_key``), the other lines are the data.

    ``missing`` is the refusal when a ``required`` column is absent, with ``%(missing)s``.
    Blank lines are skipped; every column has a cell (empty when the file lacks it).
    Raises ImportFileError when the file as a whole cannot be read.
    """
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFileError(_("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=import_delimiter(lines[0]))
    try:
        records = list(reader)
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not a readable CSV: %(error)s") % {"error": error}
        ) from None
    header, *body = records
    names = {import_key(name): column for column, aliases in columns.items() for name in aliases}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, title in enumerate(header):
        column = names.get(import_key(title))
        if column and column not in positions:
            positions[column] = index
        elif title.strip():
            ignored.append(title.strip())
    absent = [column for column in required if column not in positions]
    if absent:
        raise ImportFileError(missing % {"missing": ", ".join(absent)})
    if len(body) > max_rows:
        raise ImportFileError(
            _("The file has %(count)d rows: import at most %(max)d at a time.")
            % {"count": len(body), "max": max_rows}
        )
    rows: list[tuple[int, dict[str, str]]] = []
    # Row numbers as the spreadsheet shows them: the header is row 1, data starts on row 2
    # (a cell written on several lines stays one row).
    for number, record in enumerate(body, start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = dict.fromkeys(columns, "")
        for column, index in positions.items():
            if index < len(record):
                cells[column] = record[index].strip()
        rows.append((number, cells))
    return ImportTable(rows=rows, ignored_columns=ignored)


# ---------------------------------------------------------------- the report


@dataclass
class ImportRow:
    """One line of the spreadsheet, as read, as understood, and what is refused. Each
    import adds the fields of what the row gives."""

    line: int
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    # Codes of the refusals, for the report's markup (and tests).
    codes: list[str] = field(default_factory=list)

    def refuse(self, code: str, message: str) -> None:
        self.codes.append(code)
        self.errors.append(message)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def refusals(self) -> list[tuple[str, str]]:
        return list(zip(self.codes, self.errors, strict=True))


@dataclass
class ImportReport:
    rows: Sequence[ImportRow]
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def refused(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.ok]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.refused

    def ensure_ok(self, *, empty: str) -> None:
        """Raise ValidationError unless the file holds rows and every one is accepted:
        ``empty`` says that it holds none."""
        if not self.rows:
            raise ValidationError(empty)
        if self.refused:
            raise ValidationError(
                ngettext(
                    "%(count)d row is refused: nothing is imported.",
                    "%(count)d rows are refused: nothing is imported.",
                    len(self.refused),
                )
                % {"count": len(self.refused)}
            )


# ---------------------------------------------------------------- forms


class ImportForm(DsfrBaseForm):
    """Step 1: the uploaded file, read and checked row by row; nothing written.

    A subclass gives ``parse`` (``staticmethod(f)`` with ``f(*, startup, text) ->
    ImportReport``, raising ImportFileError) and ``help_text``; a smaller limit comes with
    ``max_bytes`` and its ``too_large`` message.
    """

    parse: ClassVar[Callable[..., ImportReport]]
    help_text: ClassVar[str]
    max_bytes: ClassVar[int] = IMPORT_MAX_BYTES
    too_large: ClassVar[str] = TOO_LARGE

    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        # The field's and its bound field's (made by DsfrBaseForm's __init__) help text.
        self.fields["file"].help_text = self["file"].help_text = self.help_text
        self.startup = startup
        self.text = ""
        self.report: ImportReport | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(self.too_large)
        try:
            self.text = import_decode(
                upload.read(), max_bytes=self.max_bytes, too_large=self.too_large
            )
            self.report = self.parse(startup=self.startup, text=self.text)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class ImportApplyForm(DsfrBaseForm):
    """Step 2: the previewed file, sent back as it was read, parsed again before anything
    is written. A subclass gives ``parse`` and, with a smaller limit, ``max_bytes``."""

    parse: ClassVar[Callable[..., ImportReport]]
    max_bytes: ClassVar[int] = IMPORT_MAX_BYTES

    text = forms.CharField(widget=forms.HiddenInput, strip=False)

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.startup = startup
        self.report: ImportReport | None = None

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        MaxLengthValidator(self.max_bytes)(text)
        try:
            self.report = self.parse(startup=self.startup, text=text)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return text


# ---------------------------------------------------------------- the page


def import_page(
    request: AppRequest,
    *,
    upload_form_class: type[ImportForm],
    apply_form_class: type[ImportApplyForm],
    apply: Callable[[str], int],
    success: Callable[[int], str],
    empty: str,
    template: str,
    context: dict,
    list_url: str,
    upload_url: str,
) -> HttpResponse:
    """Upload → preview with a report per row → apply (all or nothing).

    ``apply`` writes the rows of the previewed text and returns how many (it may raise
    ValidationError); ``success`` is the message for that many; ``empty`` says that the file
    holds no row. ``template`` extends ``components/import_page.html``; ``context`` adds
    what the page shows besides the report (its ``title``, the values its columns accept).
    """
    startup = request.startup
    upload_form = upload_form_class(startup=startup)
    context = {
        "startup": startup,
        "report": None,
        "apply_form": None,
        "error": "",
        "list_url": list_url,
        "upload_url": upload_url,
        **context,
    }
    report = None
    if request.method == "POST" and "text" in request.POST:
        # Step 2: the previewed text, parsed again; written only when every row is accepted.
        apply_form = apply_form_class(request.POST, startup=startup)
        if not apply_form.is_valid():
            context["error"] = " ".join(
                str(e) for errors in apply_form.errors.values() for e in errors
            )
        report = apply_form.report
        if report is not None and report.ok:
            try:
                count = apply(apply_form.cleaned_data["text"])
            except ValidationError as error:
                context["error"] = " ".join(error.messages)
            else:
                messages.success(request, success(count))
                return redirect(list_url)
    elif request.method == "POST":
        # Step 1: the upload, previewed row by row.
        upload_form = upload_form_class(request.POST, request.FILES, startup=startup)
        if upload_form.is_valid():
            report = upload_form.report
            if report.ok:
                context["apply_form"] = apply_form_class(
                    initial={"text": upload_form.text}, startup=startup
                )
    if report is not None:
        context["report"] = report
        if not report.rows:
            context["error"] = empty
    context["form"] = upload_form
    return render(request, template, context)
