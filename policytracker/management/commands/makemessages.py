"""Django's makemessages, with the project's options, so that every run extracts the same
strings: `manage.py makemessages -l es` (`make messages`) and the test that checks the
committed catalogue against the source (tests/test_i18n.py)."""

from django.core.management.commands import makemessages

from policytracker.catalogue import MAKEMESSAGES_IGNORED


class Command(makemessages.Command):
    help = (
        f"{makemessages.Command.help} The project's own folders only (not "
        f"{', '.join(MAKEMESSAGES_IGNORED)}); each entry names its files, not lines; entries "
        "no longer in the source are dropped."
    )

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *MAKEMESSAGES_IGNORED]
        options["add_location"] = options["add_location"] or "file"
        options["no_obsolete"] = True
        return super().handle(*args, **options)
