"""The ICE 287(g) importer. tests/data/ice_287g_extract-2025-05-16.csv is rows cut from
../shared/data/ice-287g/participatingAgencies-2025-05-16.csv: Colbert (two models), Elmore,
Bay and Bradford (trailing spaces in county), Pennsylvania's mislabelled county, Virginia's
05/082025 date and the sheet's empty trailing rows; the .xlsx test reads the real file."""

import datetime
from pathlib import Path

import pytest

from agreements.models import Agreement, AgreementStatus, ListingState
from jurisdictions.models import Agency
from policytracker.importers.base import ImportRefused, InputFile
from policytracker.importers.ice_287g import Ice287gImporter, listing_id
from policytracker.importers.ocd import OcdImporter
from tests.import_helpers import data_file, table_snapshot

pytestmark = pytest.mark.django_db
EXTRACT = "ice_287g_extract-2025-05-16.csv"
REAL_XLSX = (
    Path(__file__).parents[2] / "shared/data/ice-287g/participatingAgencies-2025-05-16.xlsx"
)


@pytest.fixture
def divisions(db):
    OcdImporter().run([data_file("ocd_states.csv"), data_file("ocd_places_extract.csv")])


def run(*files, **options):
    return Ice287gImporter(**options).run(list(files))


def test_287g_import_creates_agreements_with_listing_dates(divisions):
    summary = run(data_file(EXTRACT))

    assert summary.written and not summary.rejected
    assert summary.created["agreements"] == 9
    colbert = Agreement.objects.filter(local_party__name="Colbert County Sheriff's Office")
    assert colbert.count() == 2
    agreement = colbert.get(kind="287g_jail")
    assert agreement.federal_party.abbreviation == "ICE"
    assert agreement.local_party.jurisdiction.name == "Colbert County"
    assert agreement.first_listed_on == agreement.last_listed_on == datetime.date(2025, 5, 16)
    assert agreement.listing_state == ListingState.LISTED
    assert agreement.status == AgreementStatus.IN_FORCE
    assert agreement.publication_state == "draft"
    assert agreement.listing_id == listing_id(
        "ALABAMA", "Colbert County Sheriff’s Office", "287g_jail", datetime.date(2025, 5, 8)
    )
    campbell = Agreement.objects.get(local_party__name="Campbell County Sheriff's Office")
    assert campbell.signed_on == datetime.date(2025, 5, 8)
    assert any("05/082025" in text for _, _, text in summary.notes)
    assert any("placed in its state" in text for _, _, text in summary.notes)  # Pennsylvania


def test_287g_second_run_unchanged_and_later_list_marks_no_longer_listed(divisions):
    run(data_file(EXTRACT))
    again = run(data_file(EXTRACT))
    assert again.unchanged["agreements"] == 9 and again.created["agreements"] == 0

    lines = data_file(EXTRACT).content.decode().splitlines()
    later = "\n".join(line for line in lines if "Elmore" not in line).encode()
    summary = run(InputFile("participatingAgencies-2025-06-01.csv", later))

    elmore = Agreement.objects.get(local_party__name="Elmore County Sheriff's Office")
    assert elmore.listing_state == ListingState.NO_LONGER_LISTED
    assert elmore.status == AgreementStatus.UNKNOWN
    assert elmore.last_listed_on == datetime.date(2025, 5, 16)
    assert summary.updated["agreements"] == 9
    colbert = Agreement.objects.filter(local_party__name__startswith="Colbert").first()
    assert colbert.last_listed_on == datetime.date(2025, 6, 1)
    assert colbert.first_listed_on == datetime.date(2025, 5, 16)


def test_287g_columns_found_by_name_in_any_order(divisions):
    content = (
        "ADDENDUM,SIGNED,SUPPORT TYPE,COUNTY,TYPE,LAW ENFORCEMENT AGENCY,STATE\n"
        "x,2025-05-08,Jail Enforcement Model,Colbert County,County,"
        "Colbert County Sheriff's Office,ALABAMA\n"
    )
    run(InputFile("list-2025-05-16.csv", content.encode()))
    summary = run(data_file(EXTRACT))

    assert summary.unchanged["agreements"] == 1  # same content, same id


def test_287g_bad_rows_rejected_and_nothing_written(divisions):
    before = table_snapshot(Agreement, Agency)
    content = (
        "STATE,LAW ENFORCEMENT AGENCY,TYPE,COUNTY,SUPPORT TYPE,SIGNED\n"
        "ALABAMA,A Sheriff,County,#N/A,Jail Enforcement Model,soon\n"
        "ATLANTIS,B Sheriff,County,N/A,Jail Enforcement Model,2025-01-01\n"
        "ALABAMA,C Sheriff,County,N/A,Bake Sale Model,2025-01-01\n"
        "ALABAMA,D Sheriff,County,N/A,Task Force Model,2025-13-01\n"
        "ALABAMA,E Sheriff,County,N/A,Task Force Model,2025-01-01\n"
        "ALABAMA,E Sheriff,County,N/A,Task Force Model,2025-01-01\n"
    )
    summary = run(InputFile("list.csv", content.encode()))

    assert [row for _, row, _ in summary.rejected] == [2, 3, 4, 5, 7]
    assert not summary.written
    assert table_snapshot(Agreement, Agency) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"STATE,AGENCY\nA,B\n", "Missing: LAW ENFORCEMENT AGENCY")],
)
def test_287g_unreadable_file_refused(divisions, content, message):
    with pytest.raises(ImportRefused, match=message):
        run(InputFile("list.csv", content))


@pytest.mark.skipif(not REAL_XLSX.exists(), reason="the shared data folder is not beside")
def test_287g_real_xlsx_and_csv_give_the_same_ids(divisions):
    summary = run(InputFile.from_path(REAL_XLSX), skip_invalid=True)

    ids = set(Agreement.objects.values_list("listing_id", flat=True))
    assert len(ids) == 571
    assert summary.rejected == []
