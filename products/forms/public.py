from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

TEXT_MAX_LENGTH = 5000


class PublicFeedbackForm(DsfrBaseForm):
    """The public feedback form; ``website`` is a honeypot that people leave empty."""

    text = forms.CharField(
        label=_("Your message"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "A problem, an idea, a question: tell us what happened. "
            "Do not write personal information about other people."
        ),
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_("Only if you want an answer. Format: name@example.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consents = forms.BooleanField(
        label=_("I agree that the team keeps my address to answer me"),
        required=False,
    )
    # The honeypot: hidden from sight by a CSS class, from screen readers by its container
    # (aria-hidden), out of the tab order.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(
            attrs={"tabindex": "-1", "autocomplete": "off", "data-honeypot": ""}
        ),
    )

    def is_spam(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean(self):
        data = super().clean()
        if data.get("email") and not data.get("consents"):
            self.add_error(
                "email",
                _("Tick the box to be answered, or leave the address empty."),
            )
        return data
