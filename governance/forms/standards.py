from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from governance.enums import StandardKind
from governance.models import Standard
from governance.services.standards import ALL_FIELDS, NOTES_MAX_LENGTH, fields_of, owner_choices
from intrapreneur.forms import DATE_WIDGET
from intrapreneur.models import Membership

# What the link of each kind points to.
URL_LABELS = {
    StandardKind.ACCESSIBILITY: _("Accessibility declaration"),
    StandardKind.SECURITY: _("MonServiceSécurisé page"),
    StandardKind.RISK_ANALYSIS: _("Risk analysis document"),
    StandardKind.DSFR: _("DSFR compliance check"),
    StandardKind.ECODESIGN: _("Eco-design declaration"),
    StandardKind.DASHLORD: _("DashLord page"),
    StandardKind.STATS_PAGE: _("Public statistics page"),
    StandardKind.BUDGET_PAGE: _("Public budget page"),
}
# The startup's own link (from its beta.gouv.fr page), offered while the standard is empty.
STARTUP_URLS = {
    StandardKind.DASHLORD: "dashlord_url",
    StandardKind.STATS_PAGE: "stats_url",
    StandardKind.BUDGET_PAGE: "budget_url",
}


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user} — {obj.get_role_display()}"


class StandardForm(DsfrBaseForm, forms.ModelForm):
    """One standard of a startup: the common fields, and those of its kind."""

    owner = OwnerChoiceField(
        label=_("Owner"), queryset=Membership.objects.none(), required=False,
        empty_label=_("Nobody yet"),
        help_text=_("The member who follows it up: they receive the reminders before the "
                    "deadline."),
    )

    class Meta:
        model = Standard
        fields = list(ALL_FIELDS)
        widgets = {
            "due_on": DATE_WIDGET,
            "audited_on": DATE_WIDGET,
            "homologated_on": DATE_WIDGET,
            "renewal_due_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "due_on": _("When it must be done. Past this date and not done, it shows late."),
            "compliance": _("What the accessibility declaration states."),
            "renewal_due_on": _("Once homologated, the service is late past this date."),
            "notes": _("What is left to do, who helps."),
        }

    def __init__(self, *args, standard: Standard, **kwargs):
        super().__init__(*args, instance=standard, **kwargs)
        kind = standard.kind
        for name in set(self.fields) - set(fields_of(kind)):
            del self.fields[name]
        self.fields["owner"].queryset = owner_choices(standard.startup)
        self.fields["url"].label = URL_LABELS[kind]
        self.fields["notes"].max_length = NOTES_MAX_LENGTH
        self.fields["notes"].widget.attrs["maxlength"] = NOTES_MAX_LENGTH
        if standard.pk is None and kind in STARTUP_URLS:
            self.initial["url"] = getattr(standard.startup, STARTUP_URLS[kind])

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in fields_of(self.instance.kind)}
