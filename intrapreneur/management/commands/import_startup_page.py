"""Create or update startups from their beta.gouv.fr page files.

``manage.py import_startup_page content/_startups/a-just.md …``: each file's stem is the
slug of its startup (``a-just``), created when missing. Each file says what it changed; a
file that cannot be read says why, the others are imported all the same, and the command
ends in error.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from intrapreneur.betagouv import (
    FieldChange,
    PageError,
    page_slug,
    parse_page,
    startup_page_apply,
)
from intrapreneur.models import Startup


def short(value: str | list[str], width: int = 60) -> str:
    text = "; ".join(value) if isinstance(value, list) else " ".join(value.split())
    if not text:
        return "—"
    return text if len(text) <= width else text[: width - 1] + "…"


def change_line(change: FieldChange) -> str:
    return f"  - {change.label} : {short(change.old)} → {short(change.new)}"


class Command(BaseCommand):
    help = "Create or update startups from beta.gouv.fr page files (slug = the file's stem)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")

    def handle(self, *args, files: list[Path], **options) -> None:
        failed = 0
        for path in files:
            try:
                try:
                    text = path.read_text(encoding="utf-8-sig")
                except UnicodeDecodeError:
                    raise PageError(_("The file is not UTF-8 text."), code="not_text") from None
                page = parse_page(text)
                slug = page_slug(path.name, page.name)
                startup = Startup.objects.filter(slug=slug).first()
                created = startup is None
                startup, changes = startup_page_apply(
                    page=page, actor=None, startup=startup, slug=slug
                )
            except (OSError, PageError, ValidationError) as error:
                failed += 1
                message = " ".join(error.messages) if isinstance(error, ValidationError) else error
                self.stderr.write(
                    _("%(file)s: error: %(error)s") % {"file": path, "error": message}
                )
                continue
            if created:
                summary = _("%(file)s: startup “%(name)s” created (%(slug)s).")
            elif changes:
                summary = _("%(file)s: startup “%(name)s” updated.")
            else:
                summary = _("%(file)s: no change.")
            self.stdout.write(summary % {"file": path, "name": startup.name, "slug": slug})
            for change in changes:
                self.stdout.write(change_line(change))
        if failed:
            raise CommandError(
                ngettext(
                    "%(count)d file out of %(total)d could not be imported.",
                    "%(count)d files out of %(total)d could not be imported.",
                    failed,
                )
                % {"count": failed, "total": len(files)}
            )
