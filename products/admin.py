"""The product in the Django admin: staff of the startup's incubator only.

Everything here is written in the app, through services that keep the rules (a release
closes feedback, a test result moves its hypothesis, the full-text index): the admin reads
and corrects, it never creates. Never shown: feedback texts and authors' addresses
(research and personal data that staff do not read in the app either) and the API tokens'
hashes.
"""

from django.contrib import admin

from intrapreneur.admin import IncubatorScopedAdmin
from products.models import (
    ApiToken,
    Feedback,
    Hypothesis,
    Idea,
    Learning,
    Metric,
    Partner,
    Release,
    UserTest,
)


class ProductAdmin(IncubatorScopedAdmin):
    list_select_related = ["startup"]
    readonly_fields = ["startup"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(ProductAdmin):
    """The inbox's figures only: its text is research (``view_research``), which incubator
    staff do not read in the app either."""

    list_display = ["pk", "startup", "kind", "source", "status", "date"]
    list_filter = ["status", "kind", "source"]
    search_fields = ["startup__name"]
    date_hierarchy = "date"
    fields = ["startup", "kind", "source", "channel", "date", "status"]
    readonly_fields = ["startup", "status"]  # done tells the authors: the app's triage does


@admin.register(Idea)
class IdeaAdmin(ProductAdmin):
    list_display = ["title", "startup", "created_at"]
    search_fields = ["startup__name", "title"]
    fields = ["startup", "title", "description"]


@admin.register(Metric)
class MetricAdmin(ProductAdmin):
    list_display = ["name", "startup", "key", "impact_level", "aarri_step", "is_public"]
    list_filter = ["impact_level", "aarri_step", "is_public"]
    search_fields = ["startup__name", "name", "key"]
    fields = ["startup", "name", "key", "unit", "description", "direction", "target",
              "impact_level", "aarri_step", "is_public", "pull_url", "pull_path"]


@admin.register(ApiToken)
class ApiTokenAdmin(ProductAdmin):
    list_display = ["name", "startup", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["startup__name", "name"]
    fields = ["startup", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Hypothesis)
class HypothesisAdmin(ProductAdmin):
    list_display = ["__str__", "startup", "status", "priority", "updated_at"]
    list_filter = ["status", "priority"]
    search_fields = ["startup__name", "statement"]
    fields = ["startup", "statement", "signal", "status", "priority"]
    readonly_fields = ["startup", "status"]  # moved by tests and the board, with the activity


@admin.register(UserTest)
class UserTestAdmin(ProductAdmin):
    list_display = ["date", "startup", "users_count", "result"]
    list_filter = ["result"]
    search_fields = ["startup__name", "protocol", "observations"]
    date_hierarchy = "date"
    fields = ["startup", "date", "protocol", "users_count", "users_profile", "observations",
              "learning"]
    # The profile is checked for personal data by the app's service: read-only here.
    readonly_fields = ["startup", "users_profile"]


@admin.register(Release)
class ReleaseAdmin(ProductAdmin):
    list_display = ["version", "startup", "date", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["startup__name", "version", "notes"]
    date_hierarchy = "date"
    fields = ["startup", "version", "date", "notes"]


@admin.register(Learning)
class LearningAdmin(ProductAdmin):
    list_display = ["__str__", "startup", "date"]
    search_fields = ["startup__name", "learned", "changes", "stops"]
    date_hierarchy = "date"
    fields = ["startup", "date", "learned", "evidence_notes", "changes", "stops"]


@admin.register(Partner)
class PartnerAdmin(ProductAdmin):
    list_display = ["organisation", "startup", "kind", "territory", "stage", "next_step_date"]
    list_filter = ["stage", "kind"]
    search_fields = ["startup__name", "organisation", "territory"]
    fields = ["startup", "organisation", "kind", "territory", "contact", "stage", "next_step",
              "next_step_date", "notes"]
