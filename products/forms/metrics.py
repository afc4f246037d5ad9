from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from intrapreneur.forms import DATE_WIDGET
from intrapreneur.imports import ImportApplyForm, ImportForm
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import Startup
from products.charts import format_number
from products.enums import AarriStep, ImpactLevel
from products.models import Metric
from products.services.metrics import (
    IMPORT_MAX_BYTES,
    impact_rank,
    metric_key,
    parse_decimal,
    values_parse,
)


class NumberField(forms.DecimalField):
    """A number typed the French way (12,5 · 1 234,5) or not (12.5), shown the French way."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def widget_attrs(self, widget):
        return {}  # no min/max/step: the widget is a text input

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_decimal(str(value))
        if number is None:
            raise forms.ValidationError(
                _("Enter a number, e.g. 12,5."), code="invalid"
            )
        return number

    def prepare_value(self, value):
        if value in self.empty_values or isinstance(value, str):
            return value
        return format_number(value).replace("\u00a0", " ").replace("\u202f", " ")


class MetricForm(DsfrBaseForm, forms.ModelForm):
    target = NumberField(
        label=_("Target"), required=False,
        help_text=_("The value to reach; drawn as a dashed line on the chart."),
    )

    class Meta:
        model = Metric
        fields = [
            "name", "key", "unit", "description", "direction", "target", "impact_level",
            "aarri_step", "is_public", "pull_url", "pull_path",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"impact_level": _("Level of the impact matrix")}
        help_texts = {
            "key": _(
                "Lower case letters, digits and hyphens; the metric's name in the API and the "
                "CSV files. Empty: made from the name."
            ),
            "unit": _("users, %, days, €…"),
            "impact_level": _(
                "Usable, used, useful, impactful, efficient: where the metric stands in "
                "beta.gouv.fr's impact matrix."
            ),
            "is_public": _("Shown on the startup's public statistics page when it is public."),
            "pull_url": _(
                "Optional: a JSON export (Matomo, Metabase…) read every morning; its value "
                "becomes the day's value."
            ),
        }

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.startup = startup
        self.fields["key"].required = False
        self.fields["impact_level"].choices = [("", _("Not in the matrix")), *ImpactLevel.choices]
        self.fields["aarri_step"].choices = [("", _("No AARRI step")), *AarriStep.choices]

    def clean_pull_url(self) -> str:
        url = self.cleaned_data["pull_url"]
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("The address must start with http:// or https://."))
        return url

    def clean(self):
        data = super().clean()
        if "name" in data and "key" in data:
            data["key"] = data["key"] or metric_key(data["name"])
            others = Metric.objects.for_startup(self.startup).filter(key=data["key"])
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error(
                    "key",
                    _("The key “%(key)s” is already used by another metric of the startup.")
                    % {"key": data["key"]},
                )
        if data.get("pull_path") and not data.get("pull_url"):
            self.add_error("pull_url", _("Give the address where this path is read."))
        return data

    def validate_unique(self):
        """The key's uniqueness is checked in clean(), against this startup only."""

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ValueForm(DsfrBaseForm):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    value = NumberField(label=_("Value"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "date" not in self.initial:
            self.initial["date"] = timezone.localdate()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date


class TokenForm(DsfrBaseForm):
    name = forms.CharField(
        label=_("Name of the token"), max_length=100,
        help_text=_("Where it is used, e.g. “Matomo export script”."),
    )


# ---------------------------------------------------------------- import


class ValuesImportForm(ImportForm):
    parse = staticmethod(values_parse)
    max_bytes = IMPORT_MAX_BYTES
    too_large = _("The file is too large: import at most 1 MB at a time.")
    help_text = _(
        "CSV in UTF-8, separated by semicolons or commas, 1 MB at most. First line: "
        "key; date; value."
    )


class ValuesImportApplyForm(ImportApplyForm):
    parse = staticmethod(values_parse)
    max_bytes = IMPORT_MAX_BYTES


# ---------------------------------------------------------------- list


class MetricFilterForm(ListFilterForm):
    impact_level = forms.ChoiceField(
        label=_("Impact matrix"), choices=[("", _("All levels")), *ImpactLevel.choices]
    )
    aarri_step = forms.ChoiceField(
        label=_("AARRI step"), choices=[("", _("All steps")), *AarriStep.choices]
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=[("", _("Public or not")), ("public", _("Public")), ("private", _("Private"))],
    )

    search_fields = ("name", "key", "description", "unit")
    sorts = {
        "impact": (_("Impact matrix"), ("impact_rank", "name")),
        "name": (_("Name"), ("name",)),
    }
    default_sort = "impact"

    def filter_queryset(self, queryset, data):
        queryset = queryset.annotate(impact_rank=impact_rank())
        if data.get("impact_level"):
            queryset = queryset.filter(impact_level=data["impact_level"])
        if data.get("aarri_step"):
            queryset = queryset.filter(aarri_step=data["aarri_step"])
        if data.get("visibility"):
            queryset = queryset.filter(is_public=data["visibility"] == "public")
        return queryset
