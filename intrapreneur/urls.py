from django.contrib import admin
from django.urls import include, path

from intrapreneur import (
    account_views,
    betagouv_views,
    legal_views,
    notification_views,
    search_views,
    views,
)
from intrapreneur.enums import LegalPageKind

startup_patterns = [
    path("", views.overview, name="startup-overview"),
    path("import/", betagouv_views.startup_page_import, name="startup-page-import"),
    path("export.md", betagouv_views.startup_page_export, name="startup-page-export"),
    path("edit/", views.startup_edit, name="startup-edit"),
    path("phase/", views.phase_change, name="startup-phase"),
    path("archive/", views.startup_archive, name="startup-archive"),
    path("download/", views.startup_download, name="startup-download"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/delete/", views.event_delete, name="event-delete"),
    path("team/", views.team, name="startup-team"),
    path("team/add/", views.member_add, name="member-add"),
    path("team/leave/", views.team_leave, name="team-leave"),
    path("team/export.csv", views.team_export, name="team-export"),
    path("team/invite/", views.invitation_create, name="invitation-create"),
    path(
        "team/invitations/<int:pk>/resend/", views.invitation_resend, name="invitation-resend"
    ),
    path(
        "team/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"
    ),
    path("team/<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("team/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("search/", search_views.startup_search_view, name="startup-search"),
    path("activity/", views.activity_list, name="activity-list"),
    path("tags/", views.tag_list, name="tag-list"),
    path("tags/new/", views.tag_create, name="tag-create"),
    path("tags/autocomplete/", views.tag_autocomplete, name="tag-autocomplete"),
    path("tags/<int:pk>/edit/", views.tag_edit, name="tag-edit"),
    path("tags/<int:pk>/delete/", views.tag_delete, name="tag-delete"),
    path("files/", views.attachment_list, name="attachment-list"),
    path("files/new/", views.attachment_create, name="attachment-create"),
    path("files/<int:pk>/download/", views.attachment_download, name="attachment-download"),
    path("files/<int:pk>/delete/", views.attachment_delete, name="attachment-delete"),
    path(
        "comments/<slug:kind>/<int:object_pk>/new/", notification_views.comment_create,
        name="comment-create",
    ),
    path("comments/<int:pk>/edit/", notification_views.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/delete/", notification_views.comment_delete, name="comment-delete"),
]

# The public pages of a public startup, no account needed; one namespace for the apps' pages.
public_patterns = [
    path("", include("products.public_urls")),
    path("", include("governance.public_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("portfolio/", include("governance.portfolio_urls")),
    path("startups/new/", views.startup_create, name="startup-create"),
    path("startups/import/", betagouv_views.startup_import, name="startup-import"),
    path("startups/<slug:slug>/", include(startup_patterns)),
    path("startups/<slug:slug>/investigation/", include("investigations.urls")),
    path("startups/<slug:slug>/product/", include("products.urls")),
    path("startups/<slug:slug>/", include("governance.urls")),
    path("public/<slug:slug>/", include((public_patterns, "public"))),
    path("api/v1/", include("products.api_urls")),
    path("invitations/<str:token>/", account_views.invitation_accept_view,
         name="invitation-accept"),
    path("notifications/", notification_views.notification_list, name="notification-list"),
    path("notifications/count/", notification_views.notification_count,
         name="notification-count"),
    path("notifications/read/", notification_views.notifications_read_all,
         name="notifications-read-all"),
    path("notifications/<int:pk>/read/", notification_views.notification_read,
         name="notification-read"),
    path("accounts/profile/", account_views.profile, name="account-profile"),
    path("accounts/calendar/new/", account_views.calendar_feed_create_view,
         name="calendar-feed-create"),
    path("accounts/calendar/revoke/", account_views.calendar_feed_revoke_view,
         name="calendar-feed-revoke"),
    path("calendar/", include("governance.calendar_urls")),
    path("accounts/delete/", account_views.account_delete, name="account-delete"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    # The legal pages, linked from the footer of every page.
    path("mentions-legales/", legal_views.legal_page, {"kind": LegalPageKind.LEGAL_NOTICE},
         name="legal-notice"),
    path("donnees-personnelles/", legal_views.legal_page, {"kind": LegalPageKind.PRIVACY},
         name="legal-privacy"),
    path("accessibilite/", legal_views.legal_page, {"kind": LegalPageKind.ACCESSIBILITY},
         name="legal-accessibility"),
]
