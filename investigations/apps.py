from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestigationsConfig(AppConfig):
    name = "investigations"
    verbose_name = _("Investigation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from intrapreneur.activity import register_verbs
        from intrapreneur.comments import register_commentable
        from intrapreneur.search import register_search
        from investigations.models import Insight, LaunchCommittee
        from investigations.search import KINDS

        for kind in KINDS:
            register_search(kind)
        register_commentable("insight", Insight)
        register_commentable("launch-committee", LaunchCommittee)

        register_verbs(
            {
                "interview.created": _("recorded the interview"),
                "interview.updated": _("edited the interview"),
                "interview.deleted": _("deleted the interview"),
                "interview.imported": _("imported interviews"),
                "participant.created": _("added the participant"),
                "participant.updated": _("edited the participant"),
                "participant.deleted": _("deleted the participant"),
                "participant.exported": _("exported the data of"),
                "participant.erased": _("erased the personal data of"),
                "insight.created": _("wrote the insight"),
                "insight.updated": _("edited the insight"),
                "insight.deleted": _("deleted the insight"),
                "scenario.created": _("created the scenario"),
                "scenario.updated": _("edited the scenario"),
                "scenario.deleted": _("deleted the scenario"),
                "committee.prepared": _("prepared the launch committee"),
                "committee.decided": _("recorded the launch committee decision"),
            }
        )
