from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from intrapreneur.betagouv_views import admin_page_import
from intrapreneur.models import (
    Activity,
    Attachment,
    Event,
    Incubator,
    Invitation,
    LegalPage,
    Membership,
    OutboxMessage,
    PhaseChange,
    Startup,
    Tag,
    User,
)


class IncubatorScopedAdmin(admin.ModelAdmin):
    """Staff see the rows of their incubators' startups; superusers see everything."""

    startup_path = "startup__incubator__staff"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.startup_path: request.user}).distinct()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "incubators"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identity"), {"fields": ["first_name", "last_name"]}),
        (
            _("Rights"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "first_name", "last_name",
                                                 "password1", "password2"]}),
    ]


@admin.register(Incubator)
class IncubatorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Startup)
class StartupAdmin(IncubatorScopedAdmin):
    startup_path = "incubator__staff"
    list_display = ["name", "incubator", "phase", "is_public", "archived_at", "updated_at"]
    list_filter = ["phase", "incubator", "is_public", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "mission", "sponsor_organisation"]
    readonly_fields = ["phase", "archived_at", "created_at", "updated_at"]
    list_select_related = ["incubator"]
    inlines = [MembershipInline]
    change_list_template = "admin/intrapreneur/startup/change_list.html"

    def get_urls(self):
        page_import = self.admin_site.admin_view(self.page_import_view)
        return [
            path("import/", page_import, name="intrapreneur_startup_import"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        can_import = self.has_add_permission(request) or self.has_change_permission(request)
        extra_context = {**(extra_context or {}), "can_import_page": can_import}
        return super().changelist_view(request, extra_context)

    def page_import_view(self, request):
        """Create or update a startup from its beta.gouv.fr page: upload, preview, apply."""
        return admin_page_import(self, request)


@admin.register(PhaseChange)
class PhaseChangeAdmin(IncubatorScopedAdmin):
    list_display = ["startup", "phase", "date", "author"]
    list_filter = ["phase"]
    search_fields = ["startup__name", "reason"]
    list_select_related = ["startup", "author"]
    date_hierarchy = "date"

    def has_add_permission(self, request) -> bool:
        return False  # phase changes go through the phase service

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(IncubatorScopedAdmin):
    list_display = ["startup", "kind", "date"]
    list_filter = ["kind"]
    search_fields = ["startup__name", "comment"]
    list_select_related = ["startup"]
    date_hierarchy = "date"


@admin.register(Membership)
class MembershipAdmin(IncubatorScopedAdmin):
    list_display = ["user", "startup", "role", "job_title", "week_share"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "startup__name"]
    list_select_related = ["user", "startup"]
    autocomplete_fields = ["user", "startup"]


@admin.register(Tag)
class TagAdmin(IncubatorScopedAdmin):
    list_display = ["name", "startup"]
    search_fields = ["name", "startup__name"]
    list_select_related = ["startup"]


@admin.register(Activity)
class ActivityAdmin(IncubatorScopedAdmin):
    list_display = ["created_at", "startup", "actor", "verb", "target_label"]
    list_filter = ["verb"]
    search_fields = ["startup__name", "target_label", "actor__email"]
    list_select_related = ["startup", "actor"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(IncubatorScopedAdmin):
    list_display = ["name", "startup", "content_type", "size", "uploaded_by", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["name", "startup__name"]
    list_select_related = ["startup", "uploaded_by"]
    readonly_fields = ["file", "content_type", "size", "uploaded_by", "created_at"]
    exclude = ["owner_type", "owner_id"]

    def has_add_permission(self, request) -> bool:
        return False  # uploads go through the checked file field


@admin.register(Invitation)
class InvitationAdmin(IncubatorScopedAdmin):
    list_display = ["email", "startup", "role", "created_at", "expires_at", "accepted_at",
                    "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "startup__name"]
    list_select_related = ["startup"]
    exclude = ["token_hash"]
    readonly_fields = ["sent_count", "accepted_at", "accepted_by", "created_at"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "kind", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    """The legal pages' text: incubator staff write it; a page without a row shows its
    default text."""

    list_display = ["kind", "updated_at"]
    readonly_fields = ["updated_at"]
    fields = ["kind", "body", "updated_at"]

    def _is_staff(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request) -> bool:
        return self._is_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._is_staff(request)

    def has_add_permission(self, request) -> bool:
        return self._is_staff(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._is_staff(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._is_staff(request)
