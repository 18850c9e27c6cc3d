"""The ICE 287(g) importer. tests/data/ice_287g_extract-2025-05-16.csv is rows cut from
../shared/data/ice-287g/participatingAgencies-2025-05-16.csv: Colbert (two models), Elmore,
Bay and Bradford (trailing spaces in county), Pennsylvania's mislabelled county, Virginia's
05/082025 date and the sheet's empty trailing rows; the .xlsx test reads the real file."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from agreements.models import Agreement, AgreementStatus, ListingState
from jurisdictions.models import Agency
from policytracker.importers.base import ImportRefused, InputFile
from policytracker.importers.ice_287g import Ice287gImporter, listing_id
from policytracker.importers.ocd import OcdImporter
from policytracker.models import Citation, ReviewFlag, Source
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


def test_287g_one_sheet_is_one_source_cited_by_each_agreement_with_its_row(divisions):
    run(data_file(EXTRACT))
    before = table_snapshot(Agreement, Agency, Source, Citation)

    again = run(data_file(EXTRACT))

    sheet = Source.objects.get(title__startswith="ICE 287(g) participating agencies")
    assert sheet.title.endswith("list of 2025-05-16")
    assert sheet.kind == "dataset"
    agreements = Agreement.objects.all()
    assert sheet.citations.filter(agreement__isnull=False).count() == agreements.count() == 9
    campbell = Citation.objects.get(agreement__local_party__name__startswith="Campbell")
    assert campbell.source == sheet and campbell.locator.startswith("row ")
    assert len({c.locator for c in sheet.citations.filter(agreement__isnull=False)}) == 9
    assert again.unchanged["sources"] == 1 and not again.created["sources"]
    assert again.unchanged["citations"] == 9  # the agencies it made are cited when made
    assert table_snapshot(Agreement, Agency, Source, Citation) == before


def test_287g_a_later_sheet_is_another_source_and_agreements_cite_both(divisions):
    run(data_file(EXTRACT))
    later = data_file(EXTRACT).content
    run(InputFile("participatingAgencies-2025-06-01.csv", later))

    assert Source.objects.filter(title__startswith="ICE 287(g)").count() == 2
    agreement = Agreement.objects.first()
    assert sorted(agreement.sources.values_list("title", flat=True)) == [
        "ICE 287(g) participating agencies, list of 2025-05-16",
        "ICE 287(g) participating agencies, list of 2025-06-01",
    ]


def test_287g_columns_found_by_name_in_any_order(divisions):
    content = (
        "ADDENDUM,SIGNED,SUPPORT TYPE,COUNTY,TYPE,LAW ENFORCEMENT AGENCY,STATE\n"
        "x,2025-05-08,Jail Enforcement Model,Colbert County,County,"
        "Colbert County Sheriff's Office,ALABAMA\n"
    )
    run(InputFile("list-2025-05-16.csv", content.encode()))
    summary = run(data_file(EXTRACT))

    assert summary.unchanged["agreements"] == 1  # same content, same id


HEADER = "STATE,LAW ENFORCEMENT AGENCY,TYPE,COUNTY,SUPPORT TYPE,SIGNED\n"
BAD_ROWS = (
    "ALABAMA,A Sheriff,County,#N/A,Jail Enforcement Model,soon\n"
    "ATLANTIS,B Sheriff,County,N/A,Jail Enforcement Model,2025-01-01\n"
    "ALABAMA,C Sheriff,County,N/A,Bake Sale Model,2025-01-01\n"
    "ALABAMA,D Sheriff,County,N/A,Task Force Model,2025-13-01\n"
    "ALABAMA,E Sheriff,County,N/A,Task Force Model,2025-01-01\n"
    "ALABAMA,E Sheriff,County,N/A,Task Force Model,2025-01-01\n"
    "ALABAMA,,County,N/A,Task Force Model,2025-01-01\n"
)


def flags_of(agency_name):
    agreement = Agreement.objects.get(local_party__name=agency_name)
    return agreement, list(
        agreement.review_flags.values_list("field", "raw_value", "reason", "found_in")
    )


def test_287g_unreadable_cells_keep_their_rows_flagged_and_the_rest_is_written(divisions):
    summary = run(InputFile("list-2025-07-01.csv", (HEADER + BAD_ROWS).encode()))

    assert summary.written
    # Rows that cannot stand at all: a state not imported, a second copy, no agency name.
    assert [(row, reason) for _, row, reason in summary.rejected] == [
        (3, "state 'ATLANTIS' is not imported"),
        (7, "the same agreement as row 6"),
        (8, "the agency's name is empty"),
    ]
    assert summary.created["agreements"] == 4  # A, C, D and E
    assert [(row, name, value) for _, row, name, value, _ in summary.flagged] == [
        (2, "signed", "soon"),
        (4, "kind", "Bake Sale Model"),
        (5, "signed", "2025-13-01"),
    ]
    undated, flags = flags_of("A Sheriff")
    assert (undated.signed_on, undated.signed_on_precision) == (None, "")
    assert flags == [
        ("signed_on", "soon", "no single reading as a date", "list-2025-07-01.csv row 2")
    ]
    other, flags = flags_of("C Sheriff")
    assert other.kind == "other" and other.signed_on == datetime.date(2025, 1, 1)
    assert flags == [
        ("kind", "Bake Sale Model", "not one of the 287(g) models", "list-2025-07-01.csv row 4")
    ]
    assert flags_of("D Sheriff")[1][0][:2] == ("signed_on", "2025-13-01")
    assert flags_of("E Sheriff")[1] == []
    lines = "\n".join(summary.lines())
    assert "flagged for review (imported, the field left unrecorded): 3" in lines
    assert "list-2025-07-01.csv row 2: signed 'soon' not recorded: no single reading" in lines


def test_287g_second_import_of_a_flagged_sheet_changes_nothing_and_lists_the_flags(divisions):
    sheet = InputFile("list-2025-07-01.csv", (HEADER + BAD_ROWS).encode())
    run(sheet)
    before = table_snapshot(Agreement, Agency, ReviewFlag)

    again = run(sheet)

    assert again.created["agreements"] == 0 and again.unchanged["agreements"] == 4
    assert again.unchanged["values to review"] == 3 and not again.created["values to review"]
    assert len(again.flagged) == 3  # still to review: the report says so each time
    assert table_snapshot(Agreement, Agency, ReviewFlag) == before


def test_287g_rejected_rows_leave_every_agreement_listed(divisions):
    run(data_file(EXTRACT))
    lines = data_file(EXTRACT).content.decode().splitlines()
    later = "\n".join(
        [
            *(line for line in lines if "Elmore" not in line),
            "ATLANTIS,Z Sheriff,County,,Task Force Model,2025-06-01",
        ]
    ).encode()

    summary = run(InputFile("participatingAgencies-2025-06-01.csv", later))

    assert summary.written and len(summary.rejected) == 1
    elmore = Agreement.objects.get(local_party__name="Elmore County Sheriff's Office")
    assert elmore.listing_state == ListingState.LISTED  # a rejected row might have been it
    assert any("no agreement is marked no longer listed" in text for _, _, text in summary.notes)


@pytest.mark.parametrize(
    ("written", "read_as"),
    [
        ("7/72025", datetime.date(2025, 7, 7)),
        ("05/082025", datetime.date(2025, 5, 8)),
        ("12/12025", datetime.date(2025, 12, 1)),
        ("7/312025", datetime.date(2025, 7, 31)),
    ],
)
def test_287g_a_date_missing_its_second_slash_has_one_reading_and_is_noted(
    divisions, written, read_as
):
    content = HEADER + f"ALABAMA,A Sheriff,County,N/A,Task Force Model,{written}\n"

    summary = run(InputFile("list-2025-07-01.csv", content.encode()))

    assert Agreement.objects.get().signed_on == read_as
    assert not summary.flagged
    assert any(written in text and read_as.isoformat() in text for _, _, text in summary.notes)


@pytest.mark.parametrize("written", ["7/7/25", "772025", "13/12025", "7/322025", "", "2025"])
def test_287g_a_date_with_no_single_reading_is_left_unrecorded_and_flagged(divisions, written):
    content = HEADER + f"ALABAMA,A Sheriff,County,N/A,Task Force Model,{written}\n"

    summary = run(InputFile("list-2025-07-01.csv", content.encode()))

    assert Agreement.objects.get().signed_on is None
    assert [(name, value) for _, _, name, value, _ in summary.flagged] == [("signed", written)]


def test_287g_columns_not_read_are_named_in_the_report(divisions):
    content = (
        "STATE,LAW ENFORCEMENT AGENCY,TYPE,COUNTY,SUPPORT TYPE,SIGNED,MOA,ADDENDUM,,\n"
        "ALABAMA,A Sheriff,County,N/A,Task Force Model,2025-05-01,link,link,,\n"
    )

    summary = run(InputFile("list-2025-07-01.csv", content.encode()))

    assert summary.written
    file_notes = [text for _, row, text in summary.notes if row == 0]
    assert file_notes == [
        "column 'MOA' not read: the sheet's links to each agreement, not imported",
        "column 'ADDENDUM' not read: a column this importer does not know",
    ]
    assert "list-2025-07-01.csv: column 'ADDENDUM' not read" in "\n".join(summary.lines())


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


def test_287g_a_typo_in_a_listed_row_does_not_mark_its_agreement_no_longer_listed(divisions):
    run(data_file(EXTRACT))
    typo = data_file(EXTRACT).content.decode().replace("2025-03-17 00:00:00", "2025-13-17")

    summary = run(InputFile("participatingAgencies-2025-06-01.csv", typo.encode()))

    elmore = Agreement.objects.filter(local_party__name="Elmore County Sheriff's Office")
    listed = elmore.get(signed_on__isnull=False)
    assert (listed.listing_state, listed.status) == (ListingState.LISTED, AgreementStatus.IN_FORCE)
    assert elmore.get(signed_on__isnull=True).review_flags.get().raw_value == "2025-13-17"
    assert any("values were flagged" in text for _, _, text in summary.notes)


def test_287g_a_very_long_cell_is_flagged_by_its_start(divisions):
    long_text = "x" * 6000
    content = HEADER + f"ALABAMA,A Sheriff,County,N/A,Task Force Model,{long_text}\n"

    summary = run(InputFile("list-2025-07-01.csv", content.encode()))

    flag = ReviewFlag.objects.get()
    assert summary.written and len(flag.raw_value) == 500 and flag.raw_value.endswith("…")


def test_287g_a_value_staff_reviewed_is_not_listed_again(divisions):
    sheet = InputFile("list-2025-07-01.csv", (HEADER + BAD_ROWS).encode())
    run(sheet)
    ReviewFlag.objects.filter(raw_value="soon").update(reviewed_at=timezone.now())

    again = run(sheet)

    assert [value for _, _, _, value, _ in again.flagged] == ["Bake Sale Model", "2025-13-01"]
    assert ReviewFlag.objects.count() == 3
