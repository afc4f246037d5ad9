"""What the startup's search finds in the product: feedback (research: its text, never its
author's e-mail), hypotheses, releases, learnings and partners."""

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from intrapreneur.search import SearchKind
from products.models import Feedback, Hypothesis, Learning, Partner, Release

KINDS = [
    SearchKind(
        key="feedback", label=_("Feedback"), action="view_research",
        queryset=lambda startup: Feedback.objects.for_startup(startup).unmerged(),
        fields=("text",), vector_field="search",
        detail_url="products:feedback-detail", list_url="products:feedback-list",
        title=lambda item: Truncator(item.text).chars(160),
    ),
    SearchKind(
        key="hypotheses", label=_("Hypotheses"), action="view",
        queryset=lambda startup: Hypothesis.objects.for_startup(startup),
        fields=("statement", "signal"),
        detail_url="products:hypothesis-detail", list_url="products:hypothesis-list",
        title=lambda hypothesis: Truncator(hypothesis.statement).chars(160),
    ),
    SearchKind(
        key="releases", label=_("Releases"), action="view",
        queryset=lambda startup: Release.objects.for_startup(startup),
        fields=("version", "notes"),
        detail_url="products:release-detail", list_url="products:release-list",
    ),
    SearchKind(
        key="learnings", label=_("Learnings"), action="view",
        queryset=lambda startup: Learning.objects.for_startup(startup),
        fields=("learned", "changes", "stops", "evidence_notes"),
        detail_url="products:learning-detail", list_url="products:learning-list",
        title=lambda learning: Truncator(learning.learned).chars(160),
    ),
    SearchKind(
        key="partners", label=_("Partners"), action="view",
        queryset=lambda startup: Partner.objects.for_startup(startup),
        # Not the contact: a person's name and e-mail.
        fields=("organisation", "territory", "next_step", "notes"),
        detail_url="products:partner-detail", list_url="products:partner-list",
    ),
]
