"""Template helpers of the governance pages: ``{% load governance %}``.

``{{ amount|euros }}``: an amount the French way, “12 345,67 €”, with non-breaking spaces
between the thousands and before the euro sign, a decimal comma and always two decimals;
"" for no amount. Every governance page (budget, committees, dashboard, reports) uses it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from governance.models import ActionItem
from governance.services.budget import euros_text

register = template.Library()


@register.filter
def euros(value) -> str:
    """``{{ funding.amount|euros }}`` → 12 345,67 €; "" for None or an empty value."""
    if value is None or value == "":
        return ""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return ""
    if not amount.is_finite():
        return ""
    return euros_text(amount)


@register.simple_tag
def open_action_count(startup) -> int:
    """``{% open_action_count startup as count %}``: the coaching action items not done yet
    (one query), for the startup's overview — shown to those who may read the coaching log."""
    return ActionItem.objects.for_startup(startup).open().count()
