from policytracker.importers.commands import ImportCommand
from policytracker.importers.ocd import OcdImporter


class Command(ImportCommand):
    importer_class = OcdImporter
