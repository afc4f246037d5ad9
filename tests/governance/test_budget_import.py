"""Import of a spreadsheet of expenses (date; category; supplier; amount; note): upload,
preview with a report per row, apply — all or nothing, a file sent twice refused."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from governance.models import Expense
from governance.services import budget as services
from intrapreneur.models import Activity
from tests.governance.factories import ExpenseFactory
from tests.intrapreneur.factories import StartupFactory

pytestmark = pytest.mark.django_db


def url(name, startup):
    return reverse(f"governance:{name}", kwargs={"slug": startup.slug})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def upload(text: str, encoding="utf-8"):
    return SimpleUploadedFile("depenses.csv", text.encode(encoding), content_type="text/csv")


def report(response):
    """Row number -> (status, [refusal codes]) as the preview shows them."""
    return {
        int(tr["data-row"]): (tr["data-status"], [li["data-code"] for li in tr.select("li")])
        for tr in soup(response).select("#import-report tbody tr")
    }


GOOD = (
    "Date;Catégorie;Fournisseur;Montant;Commentaire\n"
    "15/01/2026;Hébergement;Scalingo;1 234,56;Janvier\n"
    "2026-02-03;design;Atelier Typo;4200.00;\n"
    "20/02/2026;Outils;Notion;49,9 €;Licences\n"
    "01/03/2026;;Imprimerie;80;\n"
    ";;;;\n"
)


def test_preview_then_apply_writes_every_expense(world):
    client = world.client_for("intrapreneur")
    path = url("expense-import", world.startup)
    assert client.get(path).status_code == 200

    response = client.post(path, {"file": upload(GOOD)})

    assert response.status_code == 200
    # Rows numbered as the spreadsheet numbers them; the empty row 6 is skipped.
    assert report(response) == {2: ("ok", []), 3: ("ok", []), 4: ("ok", []), 5: ("ok", [])}
    amounts = [td["data-amount"] for td in soup(response).select("#import-report td[data-amount]")]
    assert amounts == ["1234.56", "4200.00", "49.90", "80.00"]
    assert not Expense.objects.exists()  # nothing written by the preview
    text = soup(response).select_one("#import-apply input[name=text]")["value"]

    response = client.post(path, {"text": text})

    assertRedirects(response, url("expense-list", world.startup))
    rows = list(
        Expense.objects.for_startup(world.startup).order_by("date")
        .values_list("date", "category", "supplier", "amount", "note", "recurrence")
    )
    assert rows == [
        (datetime.date(2026, 1, 15), "hosting", "Scalingo", Decimal("1234.56"), "Janvier", "once"),
        (datetime.date(2026, 2, 3), "design", "Atelier Typo", Decimal("4200.00"), "", "once"),
        (datetime.date(2026, 2, 20), "tools", "Notion", Decimal("49.90"), "Licences", "once"),
        (datetime.date(2026, 3, 1), "other", "Imprimerie", Decimal("80.00"), "", "once"),
    ]
    activity = Activity.objects.get(verb="expense.imported")
    assert activity.startup == world.startup
    assert "4" in activity.target_label

    # The same file again is refused row by row: the money is not counted twice.
    response = client.post(path, {"file": upload(GOOD)})
    assert {code for _status, codes in report(response).values() for code in codes} == {
        "expense-recorded"
    }
    client.post(path, {"text": text})
    assert Expense.objects.count() == 4


def test_english_headers_and_commas(world):
    text = (
        "date,category,supplier,amount,note\n"
        "2026-01-15,hosting,Scalingo,\"1,234.50\",\n"
        "2026-01-16,Communication,Imprimerie,12.5,flyers\n"
    )
    count = services.expenses_import(startup=world.startup, actor=None, text=text)

    assert count == 2
    assert sorted(Expense.objects.values_list("amount", flat=True)) == [
        Decimal("12.50"), Decimal("1234.50")
    ]


def test_every_refusal_is_reported_and_nothing_is_written(world):
    ExpenseFactory(startup=world.startup, date=datetime.date(2026, 1, 5), category="tools",
                   supplier="Notion", amount=Decimal("49.90"))
    text = (
        "date;category;supplier;amount;note\n"
        "15/01/2026;hosting;Scalingo;300;\n"          # 2 ok
        "31/02/2026;hosting;Scalingo;300;\n"          # 3 bad date
        ";hosting;Scalingo;300;\n"                    # 4 no date
        "15/01/2026;cadeaux;Boutique;30;\n"           # 5 unknown category
        "15/01/2026;tools;Figma;-12;\n"               # 6 negative
        "15/01/2026;tools;Figma;douze;\n"             # 7 not a number
        "15/01/2026;tools;Figma;12,345;\n"            # 8 three decimals
        "15/01/2026;tools;Figma;;\n"                  # 9 no amount
        "05/01/2026;Outils;notion;49,90;\n"           # 10 already recorded
        f"15/01/2026;tools;{'x' * 201};10;\n"         # 11 supplier too long
        f"15/01/2026;tools;Figma;0;{'n' * 301}\n"     # 12 zero and note too long
    )
    client = world.client_for("intrapreneur")
    response = client.post(url("expense-import", world.startup), {"file": upload(text)})

    assert report(response) == {
        2: ("ok", []),
        3: ("refused", ["date-invalid"]),
        4: ("refused", ["date-missing"]),
        5: ("refused", ["category-unknown"]),
        6: ("refused", ["amount-invalid"]),
        7: ("refused", ["amount-invalid"]),
        8: ("refused", ["amount-invalid"]),
        9: ("refused", ["amount-missing"]),
        10: ("refused", ["expense-recorded"]),
        11: ("refused", ["supplier-long"]),
        12: ("refused", ["amount-invalid", "note-long"]),
    }
    assert soup(response).select_one("#import-apply") is None
    assert soup(response).select_one("#import-refused") is not None
    # Applying the text anyway (a forged POST) writes nothing either.
    response = client.post(url("expense-import", world.startup), {"text": text})
    assert response.status_code == 200
    assert Expense.objects.count() == 1
    with pytest.raises(ValidationError):
        services.expenses_import(startup=world.startup, actor=None, text=text)
    assert Expense.objects.count() == 1


def test_an_expense_of_another_startup_is_no_duplicate(world):
    ExpenseFactory(startup=StartupFactory(), date=datetime.date(2026, 1, 15), category="hosting",
                   supplier="Scalingo", amount=Decimal("300.00"))
    text = "date;category;supplier;amount\n15/01/2026;hosting;Scalingo;300\n"
    assert services.expenses_import(startup=world.startup, actor=None, text=text) == 1


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("date;supplier\n15/01/2026;Scalingo\n", "utf-8"),      # the amount column missing
        ("", "utf-8"),                                          # empty
        ("date;montant\n15/01/2026;12\n\x00", "utf-8"),         # not a text file
        ("date;catégorie;montant\n15/01/2026;Hébergement;1\n", "latin-1"),  # not UTF-8
    ],
)
def test_unreadable_files_are_refused_with_a_message(world, content, encoding):
    response = world.client_for("intrapreneur").post(
        url("expense-import", world.startup), {"file": upload(content, encoding)}
    )
    assert response.status_code == 200
    assert soup(response).select_one("#id_file-desc-error") is not None
    assert not Expense.objects.exists()


def test_a_header_only_file_holds_no_expense(world):
    response = world.client_for("intrapreneur").post(
        url("expense-import", world.startup), {"file": upload("date;amount\n")}
    )
    assert soup(response).select_one("#import-error") is not None
    assert soup(response).select_one("#import-apply") is None


def test_an_export_imports_back_into_another_startup(world):
    client = world.client_for("intrapreneur")
    ExpenseFactory(startup=world.startup, date=datetime.date(2026, 2, 3), category="design",
                   supplier="Atelier Typo", amount=Decimal("4200.00"), note="Maquettes")
    exported = client.get(url("expense-export", world.startup)).content.decode("utf-8-sig")
    other = StartupFactory()

    assert services.expenses_import(startup=other, actor=None, text=exported) == 1
    copy = Expense.objects.for_startup(other).get()
    assert (copy.date, copy.category, copy.supplier, copy.amount, copy.note) == (
        datetime.date(2026, 2, 3), "design", "Atelier Typo", Decimal("4200.00"), "Maquettes"
    )


@pytest.mark.parametrize("role", ["sponsor", "coach", "team"])
def test_only_the_intrapreneur_imports(world, role):
    response = world.client_for(role).post(
        url("expense-import", world.startup), {"file": upload(GOOD)}
    )
    assert response.status_code == 403
    assert not Expense.objects.exists()
