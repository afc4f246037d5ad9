"""The governance of a startup: /startups/<slug>/governance/… and its sponsor's dashboard."""

from django.urls import path

from governance.views import (
    budget,
    coaching,
    committees,
    dashboard,
    reports,
    stakeholders,
    standards,
)

app_name = "governance"

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/health/", dashboard.health_set, name="health-set"),
    path("governance/", dashboard.governance_home, name="home"),
    # Budget: fundings, expenses, the staffing plan; everything else is derived.
    path("governance/budget/", budget.budget_home, name="budget"),
    path("governance/budget/export.csv", budget.budget_export, name="budget-export"),
    path("governance/budget/fundings/new/", budget.funding_create, name="funding-create"),
    path("governance/budget/fundings/<int:pk>/edit/", budget.funding_edit, name="funding-edit"),
    path(
        "governance/budget/fundings/<int:pk>/delete/", budget.funding_delete,
        name="funding-delete",
    ),
    path("governance/budget/expenses/", budget.expense_list, name="expense-list"),
    path("governance/budget/expenses/new/", budget.expense_create, name="expense-create"),
    path("governance/budget/expenses/import/", budget.expense_import, name="expense-import"),
    path(
        "governance/budget/expenses/export.csv", budget.expense_export, name="expense-export"
    ),
    path("governance/budget/expenses/<int:pk>/edit/", budget.expense_edit, name="expense-edit"),
    path(
        "governance/budget/expenses/<int:pk>/delete/", budget.expense_delete,
        name="expense-delete",
    ),
    path("governance/budget/staffing/new/", budget.staffing_create, name="staffing-create"),
    path(
        "governance/budget/staffing/<int:pk>/edit/", budget.staffing_edit, name="staffing-edit"
    ),
    path(
        "governance/budget/staffing/<int:pk>/delete/", budget.staffing_delete,
        name="staffing-delete",
    ),
    # Investment committees
    path("governance/committees/", committees.committee_list, name="committee-list"),
    path("governance/committees/new/", committees.committee_create, name="committee-create"),
    path(
        "governance/committees/<int:pk>/", committees.committee_detail, name="committee-detail"
    ),
    path(
        "governance/committees/<int:pk>/edit/", committees.committee_edit,
        name="committee-edit",
    ),
    path(
        "governance/committees/<int:pk>/delete/", committees.committee_delete,
        name="committee-delete",
    ),
    path(
        "governance/committees/<int:pk>/snapshot/", committees.committee_snapshot,
        name="committee-snapshot",
    ),
    path(
        "governance/committees/<int:pk>/dossier.pdf", committees.committee_pdf,
        name="committee-pdf",
    ),
    path(
        "governance/committees/<int:pk>/calendar.ics", committees.committee_ics,
        name="committee-ics",
    ),
    path(
        "governance/committees/<int:pk>/decide/", committees.committee_decide,
        name="committee-decide",
    ),
    path(
        "governance/committees/<int:pk>/files/", committees.committee_file_add,
        name="committee-file-add",
    ),
    path(
        "governance/committees/<int:pk>/conditions/<int:condition_pk>/toggle/",
        committees.condition_toggle, name="condition-toggle",
    ),
    # Stakeholders and the interactions with them
    path("governance/stakeholders/", stakeholders.stakeholder_list, name="stakeholder-list"),
    path(
        "governance/stakeholders/new/", stakeholders.stakeholder_create,
        name="stakeholder-create",
    ),
    path(
        "governance/stakeholders/<int:pk>/", stakeholders.stakeholder_detail,
        name="stakeholder-detail",
    ),
    path(
        "governance/stakeholders/<int:pk>/edit/", stakeholders.stakeholder_edit,
        name="stakeholder-edit",
    ),
    path(
        "governance/stakeholders/<int:pk>/delete/", stakeholders.stakeholder_delete,
        name="stakeholder-delete",
    ),
    path(
        "governance/stakeholders/<int:pk>/interactions/new/", stakeholders.interaction_create,
        name="interaction-create",
    ),
    path(
        "governance/stakeholders/<int:pk>/interactions/<int:interaction_pk>/delete/",
        stakeholders.interaction_delete, name="interaction-delete",
    ),
    # The State's standards (accessibility, security, DSFR…)
    path("governance/standards/", standards.standard_list, name="standard-list"),
    path(
        "governance/standards/<str:kind>/edit/", standards.standard_edit, name="standard-edit"
    ),
    # The coaching log: sessions with the coach and their action items
    path("governance/coaching/", coaching.coaching_list, name="coaching-list"),
    path("governance/coaching/new/", coaching.coaching_create, name="coaching-create"),
    path("governance/coaching/<int:pk>/", coaching.coaching_detail, name="coaching-detail"),
    path("governance/coaching/<int:pk>/edit/", coaching.coaching_edit, name="coaching-edit"),
    path(
        "governance/coaching/<int:pk>/delete/", coaching.coaching_delete,
        name="coaching-delete",
    ),
    path(
        "governance/coaching/<int:pk>/actions/new/", coaching.action_item_create,
        name="action-item-create",
    ),
    path(
        "governance/coaching/<int:pk>/actions/<int:item_pk>/toggle/",
        coaching.action_item_toggle, name="action-item-toggle",
    ),
    path(
        "governance/coaching/<int:pk>/actions/<int:item_pk>/delete/",
        coaching.action_item_delete, name="action-item-delete",
    ),
    # Sponsor reports
    path("governance/reports/", reports.report_list, name="report-list"),
    path("governance/reports/new/", reports.report_create, name="report-create"),
    path("governance/reports/<int:pk>/", reports.report_detail, name="report-detail"),
    path("governance/reports/<int:pk>/edit/", reports.report_edit, name="report-edit"),
    path("governance/reports/<int:pk>/delete/", reports.report_delete, name="report-delete"),
    path("governance/reports/<int:pk>/send/", reports.report_send, name="report-send"),
    path("governance/reports/<int:pk>/report.pdf", reports.report_pdf, name="report-pdf"),
]
