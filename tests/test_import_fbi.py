"""The FBI agency importer. tests/data/fbi_extract.csv is rows cut from
../shared/data/fbi-agencies/fbi_lee_2025.csv: Cook and DuPage sheriffs, Alsip, two Alabama
sheriffs, a Guam agency (no such state imported) and a federal one (state FS)."""

import pytest

from jurisdictions.models import Agency, AgencyKind, Jurisdiction
from policytracker.importers.base import ImportRefused, InputFile
from policytracker.importers.fbi import FbiAgencyImporter
from policytracker.importers.ocd import OcdImporter
from tests.import_helpers import data_file, table_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def divisions(db):
    OcdImporter().run([data_file("ocd_states.csv"), data_file("ocd_places_extract.csv")])


def run(*files, **options):
    return FbiAgencyImporter(**options).run(list(files))


def test_fbi_import_places_agencies_and_rejects_unknown_states(divisions):
    summary = run(data_file("fbi_extract.csv"), skip_invalid=True)

    assert summary.written
    assert [(row, reason) for _, row, reason in summary.rejected] == [
        (7, "no state or territory 'GM' is imported")
    ]
    cook = Agency.objects.get(ori="IL0160000")
    assert (cook.name, cook.kind, cook.jurisdiction.name) == (
        "Cook",
        AgencyKind.SHERIFF,
        "Cook County",
    )
    alsip = Agency.objects.get(ori="IL0160100")
    assert alsip.jurisdiction.name == "Cook County"  # no place Alsip in the extract
    federal = Agency.objects.get(ori="DC001015Y")
    assert federal.kind == AgencyKind.FEDERAL_AGENCY
    assert federal.jurisdiction.kind == "nation"


def test_fbi_rejected_row_without_skip_invalid_writes_nothing(divisions):
    before = table_snapshot(Agency)

    summary = run(data_file("fbi_extract.csv"))

    assert not summary.written and len(summary.rejected) == 1
    assert table_snapshot(Agency) == before


def test_fbi_second_run_is_all_unchanged_and_dry_run_writes_nothing(divisions):
    run(data_file("fbi_extract.csv"), skip_invalid=True)
    before = table_snapshot(Agency)

    again = run(data_file("fbi_extract.csv"), skip_invalid=True)
    dry = FbiAgencyImporter(dry_run=True).run([data_file("fbi_extract.csv")])

    assert again.unchanged["agencies"] == 6 and again.created["agencies"] == 0
    assert not dry.written
    assert table_snapshot(Agency) == before


def test_fbi_matches_an_existing_sheriff_without_ori(divisions):
    county = Jurisdiction.objects.get(fips="17031")
    staff = Agency.objects.create(
        name="Cook County Sheriff's Office", slug="ccso", kind="sheriff", jurisdiction=county
    )

    run(data_file("fbi_extract.csv"), skip_invalid=True)

    staff.refresh_from_db()
    assert (staff.ori, staff.name) == ("IL0160000", "Cook County Sheriff's Office")


def test_fbi_bad_rows_duplicate_and_malformed_ori(divisions):
    content = (
        "ori,pub_agency_name,state_abbr,county_name,agency_type_name\n"
        "IL0160000,Cook,IL,COOK,County\n"
        "IL0160000,Cook again,IL,COOK,County\n"
        "il01,Short,IL,COOK,City\n"
    )
    summary = run(InputFile("fbi.csv", content.encode()))

    assert [row for _, row, _ in summary.rejected] == [3, 4]
    assert not Agency.objects.exists()


def test_fbi_wrong_columns_are_refused(divisions):
    with pytest.raises(ImportRefused, match="Missing: ori"):
        run(InputFile("fbi.csv", b"agency,state\nx,IL\n"))


def test_fbi_import_writes_history_and_raises_the_version_of_what_it_updates(divisions):
    county = Jurisdiction.objects.get(fips="17031")
    staff = Agency.objects.create(
        name="Cook County Sheriff's Office", slug="ccso", kind="sheriff", jurisdiction=county
    )

    run(data_file("fbi_extract.csv"), skip_invalid=True)

    staff.refresh_from_db()
    updated, created = staff.history.all()[:2]
    assert (updated.history_type, updated.ori, staff.version) == ("~", "IL0160000", 2)
    assert updated.history_change_reason == "Imported from fbi_extract.csv"
    assert created.history_type == "+"
    alsip = Agency.objects.exclude(pk=staff.pk).filter(ori__startswith="IL").first()
    assert [row.history_type for row in alsip.history.all()] == ["+"]
    assert Jurisdiction.history.filter(id=county.pk, history_type="+").exists()
