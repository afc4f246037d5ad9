"""The budget's forms: a funding, an expense, a staffing line, the expenses' filters and
the CSV import. Amounts are typed the French way (1 234,56) or not (1234.56)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from governance.enums import ExpenseCategory, Recurrence
from governance.models import Expense, Funding, StaffingLine
from governance.services.budget import (
    EXPENSE_FIELDS,
    FUNDING_FIELDS,
    MAX_DAYS_PER_MONTH,
    STAFFING_FIELDS,
    check_amount,
    euros_text,
    expenses_parse,
    parse_amount,
)
from intrapreneur.forms import DATE_WIDGET
from intrapreneur.imports import ImportApplyForm, ImportForm
from intrapreneur.lists import ListFilterForm


class FrenchDecimalField(forms.DecimalField):
    """A number typed as people type it (1 234,56 · 1234.56 · 1 234,56 €), shown the
    French way; ``places`` decimals at most."""

    widget = forms.TextInput

    def __init__(self, *, places: int = 2, allow_zero: bool = False, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", places)
        super().__init__(**kwargs)
        self.places = places
        self.allow_zero = allow_zero
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def widget_attrs(self, widget):
        return {}  # no min/max/step: the widget is a text input

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_amount(str(value))
        if number is None:
            raise forms.ValidationError(_("Enter a number, e.g. 1 234,56."), code="invalid")
        step = Decimal(1).scaleb(-self.places)
        if number != number.quantize(step):
            raise forms.ValidationError(
                _("Give %(places)d decimals at most.") % {"places": self.places},
                code="max_decimal_places",
            )
        return number.quantize(step)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.places == 2 and (refusal := check_amount(value, allow_zero=self.allow_zero)):
            raise forms.ValidationError(refusal, code="amount")
        if value < 0:
            raise forms.ValidationError(_("Give a positive number."), code="negative")
        if value == 0 and not self.allow_zero:
            raise forms.ValidationError(_("Give a number greater than zero."), code="zero")

    def prepare_value(self, value):
        if value in self.empty_values or isinstance(value, str):
            return value
        if self.places == 2:
            return euros_text(value).removesuffix("\u00a0€").replace("\u00a0", " ")
        return f"{value:.{self.places}f}".replace(".", ",")


def _period_error(form: forms.Form, first: str, last: str, message: str) -> None:
    start: datetime.date | None = form.cleaned_data.get(first)
    end: datetime.date | None = form.cleaned_data.get(last)
    if start and end and end < start:
        form.add_error(last, message)


class FundingForm(DsfrBaseForm, forms.ModelForm):
    amount = FrenchDecimalField(
        label=_("Amount (€)"), help_text=_("In euros, e.g. 120 000 or 45 000,50.")
    )

    class Meta:
        model = Funding
        fields = list(FUNDING_FIELDS)
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "starts_on": _("The start of the convention or of the tranche: the money counts "
                           "as available from that day."),
            "tranche": _("“Tranche 1”, “Tranche 2”… Record each tranche as a funding."),
        }

    def clean(self):
        data = super().clean()
        _period_error(
            self, "starts_on", "ends_on", _("The convention cannot end before it starts.")
        )
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in FUNDING_FIELDS}


class ExpenseForm(DsfrBaseForm, forms.ModelForm):
    amount = FrenchDecimalField(label=_("Amount (€)"), help_text=_("In euros, e.g. 1 234,56."))

    class Meta:
        model = Expense
        fields = list(EXPENSE_FIELDS)
        widgets = {"date": DATE_WIDGET, "ends_on": DATE_WIDGET}
        help_texts = {
            "supplier": _("The company or the organisation paid: never a private person's "
                          "name."),
            "recurrence": _("A monthly expense repeats every month on the same day."),
            "ends_on": _("For a monthly expense: the last day it repeats. Empty: it goes on."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())

    def clean(self):
        data = super().clean()
        if data.get("recurrence") == Recurrence.ONCE and data.get("ends_on"):
            self.add_error(
                "ends_on", _("Only a monthly expense repeats until a date: leave it empty.")
            )
        _period_error(
            self, "date", "ends_on",
            _("A monthly expense cannot stop repeating before its first date."),
        )
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EXPENSE_FIELDS}


class StaffingLineForm(DsfrBaseForm, forms.ModelForm):
    days_per_month = FrenchDecimalField(
        label=_("Days a month"), places=1, max_digits=4,
        help_text=_("Between 0,5 and 31, e.g. 18 or 8,5."),
    )
    daily_rate = FrenchDecimalField(
        label=_("Daily rate (€)"), allow_zero=True,
        help_text=_("What a day costs the startup, in euros. 0 for a civil servant paid by "
                    "the administration."),
    )

    class Meta:
        model = StaffingLine
        fields = list(STAFFING_FIELDS)
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}
        help_texts = {
            "person": _("A name or a role: “Développeuse”, “Chargé de déploiement”…"),
            "ends_on": _("Empty: the contract goes on (counted up to the forecast's horizon)."),
        }

    def clean_days_per_month(self):
        days = self.cleaned_data["days_per_month"]
        if days is not None and days > MAX_DAYS_PER_MONTH:
            raise forms.ValidationError(_("A month has 31 days at most."))
        return days

    def clean(self):
        data = super().clean()
        _period_error(
            self, "starts_on", "ends_on", _("The contract cannot end before it starts.")
        )
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in STAFFING_FIELDS}


# ---------------------------------------------------------------- the expenses' list


class ExpenseFilterForm(ListFilterForm):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *ExpenseCategory.choices]
    )
    recurrence = forms.ChoiceField(
        label=_("Recurrence"), choices=[("", _("All")), *Recurrence.choices]
    )
    date_from = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), widget=DATE_WIDGET)

    search_fields = ("supplier", "note")
    sorts = {
        "date": (_("Date"), ("-date",)),
        "amount": (_("Amount"), ("-amount", "-date")),
    }
    default_sort = "date"
    per_page = 30

    def filter_queryset(self, queryset: QuerySet, data: dict) -> QuerySet:
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("recurrence"):
            queryset = queryset.filter(recurrence=data["recurrence"])
        if data.get("date_from"):
            queryset = queryset.filter(date__gte=data["date_from"])
        if data.get("date_to"):
            queryset = queryset.filter(date__lte=data["date_to"])
        return queryset


# ---------------------------------------------------------------- import


class ExpensesImportForm(ImportForm):
    parse = staticmethod(expenses_parse)
    help_text = _(
        "CSV in UTF-8, separated by semicolons or commas, 2 MB at most. First line: "
        "date; category; supplier; amount; note."
    )


class ExpensesImportApplyForm(ImportApplyForm):
    parse = staticmethod(expenses_parse)
