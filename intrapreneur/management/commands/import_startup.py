"""Import a startup's archive (from "Download all the data") into this instance.

``manage.py import_startup startup.zip [--incubator dinum] [--slug new-address]``: the
startup, its objects and its files are created with new keys; people are matched by e-mail
or created inactive, without a password (they sign in with a code or an invitation).
All or nothing: an archive that cannot be imported leaves nothing behind.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from intrapreneur.models import Incubator
from intrapreneur.portability import ArchiveError, startup_import


class Command(BaseCommand):
    help = "Import a startup's ZIP archive (exported by another Intrapreneur instance)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, metavar="ARCHIVE.zip")
        parser.add_argument(
            "--incubator", default="",
            help="Slug of the incubator here (default: the archive's, created when missing).",
        )
        parser.add_argument(
            "--slug", default="", help="Address of the startup here (default: the archive's)."
        )

    def handle(self, *args, archive: Path, incubator: str, slug: str, **options) -> None:
        target = None
        if incubator:
            target = Incubator.objects.filter(slug=incubator).first()
            if target is None:
                raise CommandError(_("No incubator “%(slug)s” here.") % {"slug": incubator})
        if not archive.is_file():
            raise CommandError(_("No file %(path)s.") % {"path": archive})
        try:
            with archive.open("rb") as file:
                startup = startup_import(archive=file, incubator=target, slug=slug)
        except ArchiveError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("Imported “%(name)s” (/startups/%(slug)s/) into %(incubator)s.")
            % {"name": startup.name, "slug": startup.slug, "incubator": startup.incubator}
        )
