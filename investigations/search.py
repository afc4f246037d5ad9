"""What the startup's search finds in the investigation: interviews (research) and insights
(their statements for everybody, their quotes for those who may read the research)."""

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from intrapreneur.search import SearchKind
from investigations.models import Insight, Interview

KINDS = [
    SearchKind(
        key="interviews", label=_("Interviews"), action="view_research",
        queryset=lambda startup: (
            Interview.objects.for_startup(startup).select_related("participant")
        ),
        # The participant's pseudonymous profile, never their name nor contact.
        fields=("notes", "place", "participant__profile"),
        detail_url="investigations:interview-detail", list_url="investigations:interview-list",
    ),
    SearchKind(
        key="insights", label=_("Insights"), action="view",
        queryset=lambda startup: Insight.objects.for_startup(startup),
        fields=("statement",), fields_for={"view_research": ("evidence__quote",)},
        detail_url="investigations:insight-detail", list_url="investigations:insight-list",
        title=lambda insight: Truncator(insight.statement).chars(160),
    ),
]
