from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """makemessages without fuzzy guesses: a new string stays untranslated until translated
    (a fuzzy guess is often wrong, and the catalogue test refuses it anyway)."""

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
