from django.urls import path

from products.views import feedback, ideas, metrics

app_name = "products"

urlpatterns = [
    # The feedback inbox
    path("feedback/", feedback.feedback_list, name="feedback-list"),
    path("feedback/new/", feedback.feedback_create, name="feedback-create"),
    path("feedback/bulk/", feedback.feedback_bulk, name="feedback-bulk"),
    path("feedback/import/", feedback.feedback_import, name="feedback-import"),
    path("feedback/export.csv", feedback.feedback_export, name="feedback-export"),
    path("feedback/<int:pk>/", feedback.feedback_detail, name="feedback-detail"),
    path("feedback/<int:pk>/edit/", feedback.feedback_edit, name="feedback-edit"),
    path("feedback/<int:pk>/delete/", feedback.feedback_delete, name="feedback-delete"),
    path("feedback/<int:pk>/merge/", feedback.feedback_merge, name="feedback-merge"),
    # Ideas
    path("ideas/", ideas.idea_list, name="idea-list"),
    path("ideas/new/", ideas.idea_create, name="idea-create"),
    path("ideas/<int:pk>/", ideas.idea_detail, name="idea-detail"),
    path("ideas/<int:pk>/edit/", ideas.idea_edit, name="idea-edit"),
    path("ideas/<int:pk>/delete/", ideas.idea_delete, name="idea-delete"),
    path("ideas/<int:pk>/vote/", ideas.idea_vote, name="idea-vote"),
    # Metrics and the API tokens
    path("metrics/", metrics.metric_list, name="metric-list"),
    path("metrics/new/", metrics.metric_create, name="metric-create"),
    path("metrics/import/", metrics.metric_import, name="metric-import"),
    path("metrics/tokens/", metrics.token_list, name="token-list"),
    path("metrics/tokens/<int:pk>/revoke/", metrics.token_revoke, name="token-revoke"),
    path("metrics/<int:pk>/", metrics.metric_detail, name="metric-detail"),
    path("metrics/<int:pk>/edit/", metrics.metric_edit, name="metric-edit"),
    path("metrics/<int:pk>/delete/", metrics.metric_delete, name="metric-delete"),
    path("metrics/<int:pk>/values/", metrics.value_add, name="value-add"),
    path(
        "metrics/<int:pk>/values/<int:value_pk>/delete/", metrics.value_delete,
        name="value-delete",
    ),
    path("metrics/<int:pk>/pull/", metrics.metric_pull, name="metric-pull"),
]
