import csv
import io

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from intrapreneur.csv import csv_response, safe_cell
from intrapreneur.files import CheckedFileField
from intrapreneur.forms import StartupFilterForm, TagsField
from intrapreneur.lists import list_context
from intrapreneur.markdown import render_markdown
from intrapreneur.models import Startup
from intrapreneur.views import form_saved
from tests.intrapreneur.factories import StartupFactory


@pytest.mark.parametrize(
    ("source", "must_not_contain"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("[clic](javascript:alert(1))", "javascript:"),
        ("![x](javascript:alert(1))", "javascript:"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ('<a href="https://x.fr" onclick="alert(1)">x</a>', "onclick"),
        ("<iframe src='https://evil.example'></iframe>", "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
    ],
)
def test_markdown_is_sanitised(source, must_not_contain):
    assert must_not_contain not in render_markdown(source)


def test_markdown_renders_the_useful_parts():
    html = render_markdown("# Titre\n\n**gras** [lien](https://beta.gouv.fr)\n\n- un\n- deux")
    assert "<h2>Titre</h2>" in html  # the page keeps its own h1
    assert "<strong>gras</strong>" in html
    assert 'href="https://beta.gouv.fr"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert "<li>un</li>" in html


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("https://evil.example","x")', '\'=HYPERLINK("https://evil.example","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("Texte normal", "Texte normal"),
        (-5, "-5"),
        (None, ""),
    ],
)
def test_csv_cells_cannot_become_formulas(value, cell):
    assert safe_cell(value) == cell


def test_csv_response_is_excel_friendly():
    response = csv_response("x.csv", ["Nom"], [["=1+1"], ["Éloïse"]])
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [["Nom"], ["'=1+1"], ["Éloïse"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


class UploadForm(forms.Form):
    file = CheckedFileField()


@pytest.mark.parametrize(
    ("name", "content", "valid"),
    [
        ("a.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", True),
        ("notes.txt", "Compte rendu d’entretien".encode(), True),
        ("export.csv", b"nom;date\nA;2026-01-01\n", True),
        ("image.svg", b"<?xml version='1.0'?><svg/>", False),
        ("renamed.txt", b"<svg onload=alert(1)>", False),
        ("fake.png", b"%PDF-1.7\n", False),
        ("binary.txt", b"\x00\x01\xff\xfe\x00", False),
    ],
)
def test_checked_file_field_reads_the_content(name, content, valid):
    form = UploadForm(files={"file": SimpleUploadedFile(name, content)})
    assert form.is_valid() is valid


def test_tags_field_cleans_to_unique_names():
    field = TagsField()
    assert field.clean(" usagers, Usagers ,agents,, ") == ["usagers", "agents"]
    with pytest.raises(forms.ValidationError):
        field.clean("x" * 61)


@pytest.mark.django_db
def test_list_pattern_ignores_a_bad_filter_but_keeps_the_others():
    StartupFactory(name="Alpha", in_construction=True)
    StartupFactory(name="Beta")
    request = RequestFactory().get("/", {"phase": "construction", "sort": "nope", "page": "x"})
    context = list_context(request, Startup.objects.all(), StartupFilterForm(request.GET))
    assert [s.name for s in context["page_obj"]] == ["Alpha"]
    assert context["sort"] == "name"
    request = RequestFactory().get("/", {"phase": "martian", "q": "bet"})
    context = list_context(request, Startup.objects.all(), StartupFilterForm(request.GET))
    assert [s.name for s in context["page_obj"]] == ["Beta"]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://beta.gouv.fr", "https://beta.gouv.fr"),
        ("mailto:contact@beta.gouv.fr", "mailto:contact@beta.gouv.fr"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("", ""),
    ],
)
def test_safe_url_keeps_only_web_and_mail_addresses(url, shown):
    from intrapreneur.templatetags.intrapreneur import safe_url

    assert safe_url(url) == shown


def test_form_saved_runs_the_service_only_on_a_valid_post_and_keeps_its_refusal():
    class NameForm(forms.Form):
        name = forms.CharField()

    calls = []

    def refuse():
        calls.append("refuse")
        raise ValidationError("Ce nom est déjà pris.")

    get = RequestFactory().get("/")
    assert form_saved(get, NameForm(), lambda: calls.append("get")) is None
    invalid = RequestFactory().post("/", {})
    assert form_saved(invalid, NameForm(invalid.POST), lambda: calls.append("invalid")) is None
    assert calls == []

    post = RequestFactory().post("/", {"name": "Lina"})
    assert form_saved(post, NameForm(post.POST), lambda: "saved") == "saved"
    form = NameForm(post.POST)
    assert form_saved(post, form, refuse) is None
    assert calls == ["refuse"]
    assert form.non_field_errors() == ["Ce nom est déjà pris."]
    assert form["name"].value() == "Lina"  # what was typed stays
