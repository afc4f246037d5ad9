"""What the startup's search finds in the governance: stakeholders."""

from django.utils.translation import gettext_lazy as _

from governance.models import Stakeholder
from intrapreneur.search import SearchKind

KINDS = [
    SearchKind(
        key="stakeholders", label=_("Stakeholders"), action="view",
        queryset=lambda startup: Stakeholder.objects.for_startup(startup),
        # Not the contact: a person's telephone or e-mail.
        fields=("name", "organisation", "role", "notes"),
        detail_url="governance:stakeholder-detail", list_url="governance:stakeholder-list",
    ),
]
