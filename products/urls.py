from django.urls import path

from products.views import (
    feedback,
    home,
    hypotheses,
    ideas,
    learnings,
    metrics,
    partners,
    releases,
    user_tests,
)

app_name = "products"

urlpatterns = [
    path("", home.product_home, name="home"),
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
    path("ideas/<int:pk>/hypothesis/", hypotheses.idea_to_hypothesis, name="idea-hypothesis"),
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
    # Hypotheses and the weekly user tests
    path("hypotheses/", hypotheses.hypothesis_list, name="hypothesis-list"),
    path("hypotheses/new/", hypotheses.hypothesis_create, name="hypothesis-create"),
    path("hypotheses/<int:pk>/", hypotheses.hypothesis_detail, name="hypothesis-detail"),
    path("hypotheses/<int:pk>/edit/", hypotheses.hypothesis_edit, name="hypothesis-edit"),
    path("hypotheses/<int:pk>/delete/", hypotheses.hypothesis_delete, name="hypothesis-delete"),
    path("hypotheses/<int:pk>/status/", hypotheses.hypothesis_status, name="hypothesis-status"),
    path("tests/", user_tests.test_list, name="test-list"),
    path("tests/new/", user_tests.test_create, name="test-create"),
    path("tests/<int:pk>/", user_tests.test_detail, name="test-detail"),
    path("tests/<int:pk>/edit/", user_tests.test_edit, name="test-edit"),
    path("tests/<int:pk>/delete/", user_tests.test_delete, name="test-delete"),
    # Releases
    path("releases/", releases.release_list, name="release-list"),
    path("releases/new/", releases.release_create, name="release-create"),
    path("releases/<int:pk>/", releases.release_detail, name="release-detail"),
    path("releases/<int:pk>/edit/", releases.release_edit, name="release-edit"),
    path("releases/<int:pk>/delete/", releases.release_delete, name="release-delete"),
    path("releases/<int:pk>/publish/", releases.release_publish, name="release-publish"),
    # Learnings (the plan revision log) and partners
    path("learnings/", learnings.learning_list, name="learning-list"),
    path("learnings/new/", learnings.learning_create, name="learning-create"),
    path("learnings/<int:pk>/", learnings.learning_detail, name="learning-detail"),
    path("learnings/<int:pk>/edit/", learnings.learning_edit, name="learning-edit"),
    path("learnings/<int:pk>/delete/", learnings.learning_delete, name="learning-delete"),
    path("partners/", partners.partner_list, name="partner-list"),
    path("partners/territories/", partners.partner_territories, name="partner-territories"),
    path("partners/new/", partners.partner_create, name="partner-create"),
    path("partners/<int:pk>/", partners.partner_detail, name="partner-detail"),
    path("partners/<int:pk>/edit/", partners.partner_edit, name="partner-edit"),
    path("partners/<int:pk>/delete/", partners.partner_delete, name="partner-delete"),
    path("partners/<int:pk>/stage/", partners.partner_stage, name="partner-stage"),
]
