from policytracker.importers.commands import ImportCommand
from policytracker.importers.fbi import FbiAgencyImporter


class Command(ImportCommand):
    importer_class = FbiAgencyImporter
