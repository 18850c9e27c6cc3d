from django.core.management.base import BaseCommand

from policytracker.catalogue import catalogues, compile_catalogues


class Command(BaseCommand):
    help = (
        "Compile the message catalogues (locale/*/LC_MESSAGES/*.po) that are newer than "
        "their .mo, in Python: no GNU gettext needed. Run it after every update of the code."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile every catalogue.")

    def handle(self, *args, force=False, **options):
        written = compile_catalogues(force=force)
        for path in written:
            self.stdout.write(f"Compiled {path}")
        if not written:
            self.stdout.write(f"{len(catalogues())} catalogue(s) already compiled.")
