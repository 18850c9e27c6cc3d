from policytracker.importers.commands import ImportCommand
from policytracker.importers.exports import ExportImporter


class Command(ImportCommand):
    importer_class = ExportImporter
