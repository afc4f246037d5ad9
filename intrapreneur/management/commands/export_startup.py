"""Write a startup's archive to a file: the same ZIP as "Download all the data".

``manage.py export_startup concessio -o concessio.zip [--personal-data]``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from intrapreneur.models import Startup
from intrapreneur.portability import startup_export


class Command(BaseCommand):
    help = "Write a startup's ZIP archive (every object, CSV files, uploaded files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument(
            "--personal-data", action="store_true",
            help="Include participants' and feedback authors' personal data.",
        )

    def handle(self, *args, slug: str, output: Path, personal_data: bool, **options) -> None:
        startup = Startup.objects.select_related("incubator").filter(slug=slug).first()
        if startup is None:
            raise CommandError(_("No startup “%(slug)s”.") % {"slug": slug})
        with startup_export(startup=startup, actor=None, include_personal=personal_data) as zf:
            with output.open("wb") as out:
                shutil.copyfileobj(zf, out, 1024 * 1024)
        self.stdout.write(_("Archive written: %(path)s") % {"path": output})
