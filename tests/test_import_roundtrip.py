"""The export/import round trip: export everything, import into an empty database, export
again: the two exports are identical, in CSV and in JSON."""

import pytest

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.importers.base import ImportRefused, InputFile
from policytracker.importers.exports import ExportImporter, write_exports
from policytracker.models import Source
from tests.test_exports import world  # noqa: F401  (the fixture: one of each record type)


def empty_database():
    for model in (Source, Statement, Agreement, Ordinance):
        model.objects.all().delete()
    Agency.objects.update(parent=None)
    Agency.objects.all().delete()
    while Jurisdiction.objects.exists():
        Jurisdiction.objects.filter(children__isnull=True).delete()


def read_all(paths):
    return {path.name: path.read_bytes() for path in paths}


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_import_export_gives_identical_files(world, tmp_path, file_format):  # noqa: F811
    first_dir, second_dir = tmp_path / "first", tmp_path / "second"
    first_dir.mkdir()
    second_dir.mkdir()
    first = write_exports(first_dir, file_format)
    empty_database()
    assert not Source.objects.exists()

    summary = ExportImporter().run([InputFile.from_path(path) for path in first])

    assert summary.written, summary.lines()
    assert not summary.rejected
    assert summary.created["jurisdictions"] == 5
    second = write_exports(second_dir, file_format)
    assert read_all(first) == read_all(second)


def test_roundtrip_import_twice_leaves_everything_unchanged(world, tmp_path):  # noqa: F811
    files = [InputFile.from_path(path) for path in write_exports(tmp_path, "csv")]

    summary = ExportImporter().run(files)

    assert summary.written
    assert sum(summary.created.values()) == sum(summary.updated.values()) == 0
    assert sum(summary.unchanged.values()) > 0


def test_roundtrip_file_with_other_columns_is_refused(db):
    file = InputFile("agencies-2026-01-01.csv", b"slug,name\nx,y\n")

    with pytest.raises(ImportRefused, match="does not have the agencies export's columns"):
        ExportImporter().run([file])


def test_roundtrip_file_name_must_name_the_record_type(db):
    with pytest.raises(ImportRefused, match="does not say which record type"):
        ExportImporter().run([InputFile("data.csv", b"slug\n")])


def test_roundtrip_bad_row_is_rejected_and_nothing_written(world, tmp_path):  # noqa: F811
    path = next(p for p in write_exports(tmp_path, "csv") if p.name.startswith("jurisdictions"))
    text = path.read_text().replace(",nation,", ",no-such-kind,")
    Jurisdiction.objects.all().update(name="Changed")  # the import would change this back
    before = list(Jurisdiction.objects.values_list("pk", "name"))

    summary = ExportImporter().run([InputFile(path.name, text.encode())])

    assert [reason for _, _, reason in summary.rejected] == [
        "kind: Value 'no-such-kind' is not a valid choice."
    ]
    assert not summary.written
    assert list(Jurisdiction.objects.values_list("pk", "name")) == before


def test_roundtrip_keeps_287g_listing_fields(db, tmp_path):
    from policytracker.importers.ice_287g import Ice287gImporter
    from policytracker.importers.ocd import OcdImporter
    from tests.import_helpers import data_file

    OcdImporter().run([data_file("ocd_states.csv"), data_file("ocd_places_extract.csv")])
    Ice287gImporter().run([data_file("ice_287g_extract-2025-05-16.csv")])
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_exports(tmp_path / "a", "csv")
    empty_database()

    summary = ExportImporter().run([InputFile.from_path(path) for path in first])

    assert summary.written and summary.created["agreements"] == 9
    assert Agreement.objects.filter(listing_state="listed").count() == 9
    assert read_all(first) == read_all(write_exports(tmp_path / "b", "csv"))
