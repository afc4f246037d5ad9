from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Product")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from intrapreneur.activity import register_verbs
        from intrapreneur.comments import register_commentable
        from intrapreneur.search import register_search
        from products.models import Hypothesis, Learning
        from products.search import KINDS

        for kind in KINDS:
            register_search(kind)
        register_commentable("hypothesis", Hypothesis)
        register_commentable("learning", Learning)

        register_verbs(
            {
                "feedback.created": _("recorded the feedback"),
                "feedback.updated": _("edited the feedback"),
                "feedback.deleted": _("deleted the feedback"),
                "feedback.received": _("received feedback from the public form"),
                "feedback.triaged": _("triaged feedback"),
                "feedback.merged": _("merged duplicate feedback into"),
                "feedback.imported": _("imported feedback"),
                "idea.proposed": _("proposed the idea"),
                "idea.updated": _("edited the idea"),
                "idea.deleted": _("deleted the idea"),
                "metric.created": _("created the metric"),
                "metric.updated": _("edited the metric"),
                "metric.deleted": _("deleted the metric"),
                "metric.values": _("recorded values of the metric"),
                "metric.value_deleted": _("deleted a value of the metric"),
                "token.created": _("created the API token"),
                "token.revoked": _("revoked the API token"),
                "hypothesis.created": _("wrote the hypothesis"),
                "hypothesis.updated": _("edited the hypothesis"),
                "hypothesis.status": _("changed the status of the hypothesis"),
                "hypothesis.deleted": _("deleted the hypothesis"),
                "test.recorded": _("recorded the user test"),
                "test.updated": _("edited the user test"),
                "test.deleted": _("deleted the user test"),
                "release.created": _("wrote the release"),
                "release.updated": _("edited the release"),
                "release.published": _("published the release"),
                "release.deleted": _("deleted the release"),
                "learning.recorded": _("recorded the learning"),
                "learning.updated": _("edited the learning"),
                "learning.deleted": _("deleted the learning"),
                "partner.created": _("added the partner"),
                "partner.updated": _("edited the partner"),
                "partner.stage": _("moved the partner to a new stage"),
                "partner.deleted": _("deleted the partner"),
            }
        )
