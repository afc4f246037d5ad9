from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from governance.models import HealthStatus
from governance.services.health import REASON_MAX_LENGTH


class HealthForm(DsfrBaseForm, forms.ModelForm):
    """The dashboard's small form: the health now, and why in one line."""

    class Meta:
        model = HealthStatus
        fields = ["status", "reason"]
        widgets = {"status": forms.RadioSelect}
        labels = {"status": _("Health now"), "reason": _("Why, in one line")}
        help_texts = {
            "reason": _("What the sponsor should know: “The pilot town halls use it every "
                        "week”, “Funding ends in two months”…"),
        }
        error_messages = {
            "status": {"required": _("Choose on track, at risk or off track.")},
            "reason": {"required": _("Say in one line why.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            choice for choice in self.fields["status"].choices if choice[0]
        ]
        self.fields["reason"].max_length = REASON_MAX_LENGTH
