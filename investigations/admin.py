"""The investigation in the Django admin: staff of the startup's incubator only.

Never shown here: the participants' contacts (ParticipantContact is not registered),
interview notes and insight quotes (research content that staff may not read in the app).
Participants and interviews are read-only: their numbers and retention dates are kept by
the services.
"""

from django.contrib import admin

from intrapreneur.admin import IncubatorScopedAdmin
from investigations.models import Insight, Interview, LaunchCommittee, Participant, Scenario


class ReadOnlyAdmin(IncubatorScopedAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ["pseudonym", "startup", "usertype", "organisation", "territory", "erased_at"]
    list_filter = ["usertype", ("erased_at", admin.EmptyFieldListFilter)]
    search_fields = ["startup__name", "profile", "organisation", "territory"]
    list_select_related = ["startup"]
    fields = [
        "startup", "number", "usertype", "profile", "organisation", "territory", "erased_at",
        "created_at",
    ]
    readonly_fields = ["created_at"]
    ordering = ["startup__name", "number"]


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "startup", "participant", "place"]
    list_filter = ["kind"]
    search_fields = ["startup__name", "place"]
    list_select_related = ["startup", "participant"]
    date_hierarchy = "date"
    # No notes: interview notes never appear in the admin.
    fields = ["startup", "kind", "date", "place", "participant", "interviewers", "tags",
              "created_at", "updated_at"]
    exclude = ["notes"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Insight)
class InsightAdmin(IncubatorScopedAdmin):
    list_display = ["__str__", "startup", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["startup__name", "statement"]
    list_select_related = ["startup"]
    fields = ["startup", "statement", "status", "tags", "created_at", "updated_at"]
    readonly_fields = ["startup", "created_at", "updated_at"]
    autocomplete_fields = ["tags"]

    def has_add_permission(self, request) -> bool:
        return False  # insights are written in the app, with their evidence


@admin.register(Scenario)
class ScenarioAdmin(IncubatorScopedAdmin):
    list_display = ["title", "startup", "updated_at"]
    search_fields = ["startup__name", "title"]
    list_select_related = ["startup"]
    fields = ["startup", "title", "description", "created_at", "updated_at"]
    readonly_fields = ["startup", "created_at", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(LaunchCommittee)
class LaunchCommitteeAdmin(IncubatorScopedAdmin):
    list_display = ["date", "startup", "decision", "decided_at", "decided_by"]
    list_filter = ["decision"]
    search_fields = ["startup__name"]
    list_select_related = ["startup", "decided_by"]
    date_hierarchy = "date"
    # The decision goes through the committee service (it changes the phase).
    readonly_fields = ["startup", "decision", "decided_at", "decided_by", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
