from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from governance.models import InvestmentCommittee
        from governance.search import KINDS
        from intrapreneur.activity import register_verbs
        from intrapreneur.comments import register_commentable
        from intrapreneur.search import register_search

        for kind in KINDS:
            register_search(kind)
        register_commentable("investment-committee", InvestmentCommittee)

        register_verbs(
            {
                "funding.created": _("recorded the funding"),
                "funding.updated": _("edited the funding"),
                "funding.deleted": _("deleted the funding"),
                "expense.created": _("recorded the expense"),
                "expense.updated": _("edited the expense"),
                "expense.deleted": _("deleted the expense"),
                "expense.imported": _("imported expenses"),
                "staffing.created": _("added to the staffing plan"),
                "staffing.updated": _("edited the staffing plan line"),
                "staffing.deleted": _("removed from the staffing plan"),
                "investment.prepared": _("prepared the investment committee"),
                "investment.updated": _("edited the investment committee"),
                "investment.decided": _("recorded the investment committee decision"),
                "investment.deleted": _("deleted the investment committee"),
                "condition.done": _("met the committee condition"),
                "condition.reopened": _("reopened the committee condition"),
                "stakeholder.created": _("added the stakeholder"),
                "stakeholder.updated": _("edited the stakeholder"),
                "stakeholder.deleted": _("deleted the stakeholder"),
                "interaction.created": _("recorded an interaction with"),
                "interaction.deleted": _("deleted an interaction with"),
                "health.set": _("set the health status"),
                "report.created": _("wrote the sponsor report"),
                "report.updated": _("edited the sponsor report"),
                "report.sent": _("sent the sponsor report"),
                "report.deleted": _("deleted the sponsor report"),
                "standard.updated": _("updated the standard"),
            }
        )
        from governance.views.standards import overview_standards
        from intrapreneur.panels import register_overview_panel

        register_overview_panel("governance/includes/overview_standards.html", overview_standards)
