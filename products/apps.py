from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Product")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from intrapreneur.activity import register_verbs

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
            }
        )
