import datetime

from policytracker.importers.commands import ImportCommand
from policytracker.importers.ice_287g import Ice287gImporter


class Command(ImportCommand):
    importer_class = Ice287gImporter

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--listed-on",
            type=datetime.date.fromisoformat,
            help="The date ICE published the list (YYYY-MM-DD). Default: a date in the file "
            "name, else today.",
        )

    def importer_options(self, options):
        return {"listed_on": options["listed_on"]}
