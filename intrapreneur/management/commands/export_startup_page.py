"""Write a startup's beta.gouv.fr page on the standard output.

``manage.py export_startup_page a-just > content/_startups/a-just.md``
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from intrapreneur.betagouv import export_page
from intrapreneur.models import Startup


class Command(BaseCommand):
    help = "Write the beta.gouv.fr page (Markdown with front matter) of a startup."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")

    def handle(self, *args, slug: str, **options) -> None:
        startup = Startup.objects.select_related("incubator").filter(slug=slug).first()
        if startup is None:
            raise CommandError(_("No startup has the slug “%(slug)s”.") % {"slug": slug})
        self.stdout.write(export_page(startup), ending="")
