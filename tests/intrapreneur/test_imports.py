"""The reading shared by every CSV import: encoding, delimiter, dates, column names, lists."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from intrapreneur.imports import (
    ImportFileError,
    import_date,
    import_decode,
    import_delimiter,
    import_key,
    import_split,
    import_table,
)

COLUMNS = {"date": ("date", "jour"), "kind": ("kind", "type d'entretien"), "notes": ("notes",)}
MISSING = "missing: %(missing)s"


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def table(text: str, max_rows: int = 10):
    return import_table(
        text, columns=COLUMNS, required=("date", "kind"), max_rows=max_rows, missing=MISSING
    )


def test_utf8_with_or_without_bom_is_read():
    assert import_decode(b"date;notes\n") == "date;notes\n"
    assert import_decode("\ufeffdate;notes\n".encode()) == "date;notes\n"


@pytest.mark.parametrize(
    "data",
    ["jour;lieu\n01/01/2025;Préfecture\n".encode("cp1252"), b"\x00\x01binary"],
    ids=["windows-1252", "binary"],
)
def test_other_encodings_and_binary_files_are_refused(data):
    with pytest.raises(ImportFileError):
        import_decode(data)


def test_the_size_limit_and_its_message_come_together():
    with translation.override("en"):
        with pytest.raises(ImportFileError, match="2 MB"):
            import_decode(b"x" * (2 * 1024 * 1024 + 1))
        with pytest.raises(ImportFileError, match="1 MB"):
            import_decode(
                b"x" * 11, max_bytes=10,
                too_large="The file is too large: import at most 1 MB at a time.",
            )


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("date;kind;notes", ";"), ("date,kind,notes", ","), ("date;notes, more", ";"), ("x", ";")],
)
def test_the_delimiter_is_the_one_the_header_uses_most(header, delimiter):
    assert import_delimiter(header) == delimiter


@pytest.mark.parametrize(
    "text", ["2025-12-31", "31/12/2025", "31/12/25", "31-12-2025", "31.12.2025", " 31/12/2025 "]
)
def test_dates_as_spreadsheets_write_them(text):
    assert import_date(text) == datetime.date(2025, 12, 31)


@pytest.mark.parametrize("text", ["", "31/13/2025", "12/31/2025", "demain", "2025-12"])
def test_what_is_not_a_date(text):
    assert import_date(text) is None


def test_names_are_compared_without_case_accents_underscores_or_extra_spaces():
    assert import_key("  Type_d'Entretien ") == "type d'entretien"
    assert import_key("Étiquettes") == "etiquettes"


def test_lists_are_separated_by_bars():
    assert import_split(" a | b ||c ") == ["a", "b", "c"]
    assert import_split("") == []


def test_a_table_by_column_whatever_the_order_and_the_names():
    read = table(
        "\ufeffNotes,Type d'entretien,Jour,Autre\n"
        '"deux\nlignes",user,01/01/2025,x\n'
        ",,,\n"
        "court,expert\n"
    )
    assert read.rows == [
        (2, {"date": "01/01/2025", "kind": "user", "notes": "deux\nlignes"}),
        # Numbered as the spreadsheet shows them: a cell on two lines stays one row.
        (4, {"date": "", "kind": "expert", "notes": "court"}),
    ]
    assert read.ignored_columns == ["Autre"]


def test_a_missing_column_gets_a_cell_per_row():
    assert table("date;kind\n01/01/2025;user\n").rows == [
        (2, {"date": "01/01/2025", "kind": "user", "notes": ""})
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", None),
        ("\n\ndate;kind\n", None),
        ("date;notes\n01/01/2025;x\n", "missing: kind"),
        ('date;kind\n"01/01/2025;user\n' + "x" * 200_000, None),
    ],
    ids=["empty", "blank-first-line", "missing-column", "unreadable"],
)
def test_files_that_cannot_be_read(text, message):
    with pytest.raises(ImportFileError) as error:
        table(text)
    if message:
        assert str(error.value) == message


def test_the_row_limit():
    assert len(table("date;kind\n" + "01/01/2025;user\n" * 3, max_rows=3).rows) == 3
    with pytest.raises(ImportFileError):
        table("date;kind\n" + "01/01/2025;user\n" * 4, max_rows=3)


# ---------------------------------------------------------------- the three upload forms

PAGES = [
    ("investigations:interview-import", 2, "date; kind; place"),
    ("products:feedback-import", 2, "date; text; kind"),
    ("products:metric-import", 1, "key; date; value"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "megabytes", "columns"), PAGES)
def test_each_upload_form_says_its_columns_and_its_limit_and_keeps_to_it(
    world, name, megabytes, columns
):
    client = world.client_for("team")
    path = reverse(name, kwargs={"slug": world.startup.slug})
    hint = soup(client.get(path)).select_one("#id_file_helptext").text
    assert columns in hint
    assert f"{megabytes} Mo" in hint
    too_large = SimpleUploadedFile(
        "a.csv", b"x" * (megabytes * 1024 * 1024 + 1), content_type="text/csv"
    )
    error = soup(client.post(path, {"file": too_large})).select_one("#id_file-desc-error")
    assert f"importez au maximum {megabytes} Mo" in error.text


def test_a_curly_apostrophe_reads_as_a_straight_one():
    assert import_key("Type d’entretien") == import_key("type d'entretien") == "type d'entretien"
