"""The Open Civic Data importer. tests/data/ocd_states.csv is ../shared/data/ocd/states.csv
whole; tests/data/ocd_places_extract.csv is rows cut from us_census_places.csv (Cook and
DuPage counties, Chicago, the two Barringtons, a Puerto Rico municipio, and the counties the
287(g) and FBI extracts name)."""

import pytest
from django.core.management import CommandError, call_command

from jurisdictions.models import Jurisdiction, JurisdictionKind
from policytracker.importers.base import MAX_ROWS, ImportRefused, InputFile
from policytracker.importers.ocd import OcdImporter
from policytracker.models import PublicationState, Source
from policytracker.search.models import SearchEntry
from tests.import_helpers import DATA, data_file, table_snapshot

pytestmark = pytest.mark.django_db


def run(*files, **options):
    return OcdImporter(**options).run(list(files))


def test_ocd_import_builds_the_hierarchy_from_the_ids():
    summary = run(data_file("ocd_states.csv"), data_file("ocd_places_extract.csv"))

    assert summary.written and not summary.rejected
    chicago = Jurisdiction.objects.get(ocd_id="ocd-division/country:us/state:il/place:chicago")
    assert (chicago.name, chicago.kind, chicago.fips, chicago.slug) == (
        "Chicago",
        JurisdictionKind.CITY,
        "1714000",
        "chicago-il",
    )
    assert chicago.parent.name == "Illinois" and chicago.parent.fips == "17"
    assert chicago.parent.parent.kind == JurisdictionKind.NATION
    township = Jurisdiction.objects.get(fips="1703103831")
    assert (township.name, township.kind, township.parent.name) == (
        "Barrington Township",
        JurisdictionKind.TOWNSHIP,
        "Cook County",
    )
    assert township.slug == "barrington-township-cook-county-il"
    assert Jurisdiction.objects.get(fips="1703844").slug == "barrington-il"
    assert Jurisdiction.objects.get(name="Puerto Rico").kind == JurisdictionKind.TERRITORY
    assert chicago.publication_state == PublicationState.DRAFT
    assert Source.objects.cited_by(chicago).get().kind == "dataset"
    # Bulk writes skip the signals: the importer indexed what it wrote.
    assert SearchEntry.objects.filter(jurisdiction_record=chicago, title="Chicago").exists()


def test_ocd_second_run_changes_nothing():
    files = [data_file("ocd_states.csv"), data_file("ocd_places_extract.csv")]
    run(*files)
    before = table_snapshot(Jurisdiction, Source)

    summary = run(*files)

    assert summary.created["jurisdictions"] == summary.updated["jurisdictions"] == 0
    assert summary.unchanged["jurisdictions"] == 52 + 12
    assert table_snapshot(Jurisdiction, Source) == before


def test_ocd_dry_run_writes_nothing():
    summary = run(data_file("ocd_states.csv"), dry_run=True)

    assert summary.created["jurisdictions"] == 52
    assert not summary.written
    assert not Jurisdiction.objects.exists()


def test_ocd_existing_record_keeps_its_slug_and_more_precise_parent(chain):
    chain.city.ocd_id = "ocd-division/country:us/state:il/place:chicago"
    chain.city.save()
    chain.state.ocd_id = "ocd-division/country:us/state:il"
    chain.state.save()
    chain.nation.ocd_id = "ocd-division/country:us"
    chain.nation.save()

    run(data_file("ocd_states.csv"), data_file("ocd_places_extract.csv"))

    chain.city.refresh_from_db()
    assert chain.city.slug == "chicago"
    assert chain.city.parent == chain.county  # Cook County lies within Illinois: kept
    assert chain.city.publication_state == PublicationState.PUBLISHED


def test_ocd_places_without_their_states_are_rejected_and_nothing_written():
    summary = run(data_file("ocd_places_extract.csv"))

    assert not summary.written
    assert all(reason.startswith("its parent ") for _, _, reason in summary.rejected)
    assert not Jurisdiction.objects.exists()


def test_ocd_skip_invalid_writes_the_valid_rows():
    bad = InputFile("states.csv", b"ocd-division/country:us,United States\nnot-an-id,Nowhere\n")

    summary = run(bad, skip_invalid=True)

    assert summary.written
    assert summary.rejected == [
        ("states.csv", 2, "'not-an-id' is not a US Open Civic Data division id")
    ]
    assert Jurisdiction.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"code,title\nx,y\n", "neither an OCD states file"),
        ("ocd-division/country:us,Estados Unidos Am\xe9rica\n".encode("latin-1"), "not UTF-8"),
    ],
    ids=["empty", "wrong-columns", "not-utf8"],
)
def test_ocd_unreadable_file_is_refused_whole(content, message):
    with pytest.raises(ImportRefused, match=message):
        run(InputFile("states.csv", content))
    assert not Jurisdiction.objects.exists()


def test_ocd_bad_rows_are_each_rejected_with_row_number():
    content = (
        "id,name,census_geoid\n"
        "ocd-division/country:us/state:il/place:a,A city,place-17X\n"
        "ocd-division/country:us/state:il/place:b,,place-1700001\n"
        "ocd-division/country:us/state:il/place:c,C city\n"
        "ocd-division/country:us/state:il/place:d,D city,place-1700002\n"
        "ocd-division/country:us/state:il/place:d,D city,place-1700002\n"
    )
    summary = run(data_file("ocd_states.csv"), InputFile("places.csv", content.encode()))

    assert [(row, reason.split(" ")[0]) for _, row, reason in summary.rejected] == [
        (2, "the"),
        (3, "the"),
        (4, "2"),
        (6, "the"),
    ]
    assert not summary.written
    assert not Jurisdiction.objects.exists()


def test_ocd_file_of_100000_rows_is_read_and_bad_rows_change_nothing(tmp_path):
    lines = ["id,name,census_geoid"] + [
        f"ocd-division/country:us/state:zz/place:p{n},P{n} city,place-99{n:06d}"
        for n in range(100_000)
    ]
    summary = run(InputFile("places.csv", "\n".join(lines).encode()))

    assert len(summary.rejected) == 100_000  # no state zz: every row says so
    assert not Jurisdiction.objects.exists()
    assert MAX_ROWS > 100_000


def test_import_ocd_command_reports_the_summary(capsys):
    call_command("import_ocd", str(DATA / "ocd_states.csv"))

    out = capsys.readouterr().out
    assert "jurisdictions: 52 created, 0 updated, 0 unchanged" in out
    assert "Written." in out


def test_import_ocd_command_with_rejected_rows_fails_and_writes_nothing(tmp_path):
    path = tmp_path / "states.csv"
    path.write_text("ocd-division/country:us,United States\nbad,Bad\n")

    with pytest.raises(CommandError, match="1 rows rejected"):
        call_command("import_ocd", str(path))
    assert not Jurisdiction.objects.exists()


def test_ocd_error_half_way_leaves_the_database_as_it_was(chain, monkeypatch):
    before = table_snapshot(Jurisdiction, Source)

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    # Jurisdictions are written, then citing them fails.
    monkeypatch.setattr(OcdImporter, "cite", fail)
    with pytest.raises(RuntimeError):
        run(data_file("ocd_states.csv"), data_file("ocd_places_extract.csv"))

    assert table_snapshot(Jurisdiction, Source) == before
