"""The importers staff can run, by the name the admin page and the commands use."""

from policytracker.importers.exports import ExportImporter
from policytracker.importers.fbi import FbiAgencyImporter
from policytracker.importers.ice_287g import Ice287gImporter
from policytracker.importers.ocd import OcdImporter

IMPORTERS = {
    importer.name: importer
    for importer in (OcdImporter, FbiAgencyImporter, Ice287gImporter, ExportImporter)
}
