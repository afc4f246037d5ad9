"""Template helpers of the governance pages: ``{% load governance %}``.

``{{ amount|euros }}``: an amount the French way, “12 345,67 €”, with non-breaking spaces
between the thousands and before the euro sign, a decimal comma and always two decimals;
"" for no amount. Every governance page (budget, committees, dashboard, reports) uses it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

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
