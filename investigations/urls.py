from django.urls import path

from investigations.views import committee, insights, interviews, participants

app_name = "investigations"

urlpatterns = [
    path("", committee.summary, name="summary"),
    # Interviews
    path("interviews/", interviews.interview_list, name="interview-list"),
    path("interviews/new/", interviews.interview_create, name="interview-create"),
    path("interviews/preview/", interviews.notes_preview, name="notes-preview"),
    path("interviews/import/", interviews.interview_import, name="interview-import"),
    path("interviews/export.csv", interviews.interview_export, name="interview-export"),
    path("interviews/<int:pk>/", interviews.interview_detail, name="interview-detail"),
    path("interviews/<int:pk>/edit/", interviews.interview_edit, name="interview-edit"),
    path("interviews/<int:pk>/delete/", interviews.interview_delete, name="interview-delete"),
    # Participants
    path("participants/", participants.participant_list, name="participant-list"),
    path("participants/new/", participants.participant_create, name="participant-create"),
    path("participants/<int:pk>/", participants.participant_detail, name="participant-detail"),
    path(
        "participants/<int:pk>/edit/", participants.participant_edit, name="participant-edit"
    ),
    path(
        "participants/<int:pk>/export.json", participants.participant_export,
        name="participant-export",
    ),
    path(
        "participants/<int:pk>/erase/", participants.participant_erase, name="participant-erase"
    ),
    # Insights and scenarios
    path("insights/", insights.insight_list, name="insight-list"),
    path("insights/board/", insights.insight_board, name="insight-board"),
    path("insights/new/", insights.insight_create, name="insight-create"),
    path("insights/export.csv", insights.insight_export, name="insight-export"),
    path("insights/<int:pk>/", insights.insight_detail, name="insight-detail"),
    path("insights/<int:pk>/edit/", insights.insight_edit, name="insight-edit"),
    path("insights/<int:pk>/delete/", insights.insight_delete, name="insight-delete"),
    path("insights/<int:pk>/move/", insights.insight_move, name="insight-move"),
    path("insights/<int:pk>/evidence/", insights.evidence_add, name="evidence-add"),
    path(
        "insights/<int:pk>/evidence/<int:evidence_pk>/delete/", insights.evidence_delete,
        name="evidence-delete",
    ),
    path("scenarios/", insights.scenario_list, name="scenario-list"),
    path("scenarios/new/", insights.scenario_create, name="scenario-create"),
    path("scenarios/<int:pk>/", insights.scenario_detail, name="scenario-detail"),
    path("scenarios/<int:pk>/edit/", insights.scenario_edit, name="scenario-edit"),
    path("scenarios/<int:pk>/delete/", insights.scenario_delete, name="scenario-delete"),
    path("scenarios/<int:pk>/files/", insights.scenario_file_add, name="scenario-file-add"),
    # Launch committee
    path("launch-committee/", committee.committee_list, name="committee-list"),
    path("launch-committee/new/", committee.committee_create, name="committee-create"),
    path("launch-committee/<int:pk>/", committee.committee_detail, name="committee-detail"),
    path("launch-committee/<int:pk>/edit/", committee.committee_edit, name="committee-edit"),
    path(
        "launch-committee/<int:pk>/calendar.ics", committee.committee_ics, name="committee-ics"
    ),
    path(
        "launch-committee/<int:pk>/decide/", committee.committee_decide, name="committee-decide"
    ),
]
