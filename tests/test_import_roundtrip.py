"""The export/import round trip: export everything, import into an empty database, export
again: the two exports are identical, in CSV and in JSON."""

import csv
import io
import json

import pytest
from django.db import connection

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, LiesWithin, Ordinance
from policytracker.importers.base import ImportRefused, InputFile
from policytracker.importers.exports import ExportImporter, write_exports
from policytracker.models import CITATION_TARGETS, Citation, Source
from policytracker.search.models import SearchEntry
from tests.factories import CitationFactory
from tests.test_exports import world  # noqa: F401  (the fixture: one of each record type)


def empty_database():
    for model in (Citation, Source, Statement, Agreement, Ordinance):
        model.objects.all().delete()
    Agency.objects.update(parent=None)
    Agency.objects.all().delete()
    LiesWithin.objects.all().delete()
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
    assert summary.created["sources"] == summary.created["citations"] == 2
    second = write_exports(second_dir, file_format)
    assert read_all(first) == read_all(second)
    chicago = Jurisdiction.objects.get(slug="chicago")
    assert chicago in Jurisdiction.objects.within(Jurisdiction.objects.get(slug="dupage-county"))


def stored(model):
    """Every stored value of every row, by id; a source's text is extracted, not exported.

    A citation's record is named by type and slug: records get new ids in a new database.
    """
    rows = []
    for row in model.objects.order_by("pk").values():
        row.pop("document_text", None)
        for target in CITATION_TARGETS:
            if row.pop(f"{target}_id", None) is not None:
                row["record"] = (target, getattr(model.objects.get(pk=row["id"]), target).slug)
        rows.append(row)
    return rows


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_roundtrip_gives_back_sources_and_citations_exactly(world, tmp_path, file_format):  # noqa: F811
    CitationFactory(source=world.source, record=world.deal, locator="Page 9", excerpt="Customs.")
    sources, citations = stored(Source), stored(Citation)
    files = [InputFile.from_path(path) for path in write_exports(tmp_path, file_format)]
    empty_database()

    summary = ExportImporter().run(files)

    assert summary.written and not summary.rejected, summary.lines()
    assert summary.created["sources"] == 2
    assert summary.created["citations"] == 3
    assert stored(Source) == sources
    assert stored(Citation) == citations


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no sequences")
def test_roundtrip_new_source_and_citation_get_ids_after_the_imported_ones(world, tmp_path):  # noqa: F811
    files = [InputFile.from_path(path) for path in write_exports(tmp_path, "csv")]
    empty_database()
    with connection.cursor() as cursor:  # as in a new database: the next id would be 1
        for model in (Source, Citation):
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1, false)")
    ExportImporter().run(files)

    citation = CitationFactory(record=Agreement.objects.get(slug="cpd-hsi"))

    assert citation.source.pk > max(
        Source.objects.exclude(pk=citation.source.pk).values_list("pk", flat=True)
    )
    assert citation.pk > max(Citation.objects.exclude(pk=citation.pk).values_list("pk", flat=True))


def exported(tmp_path, stem):
    return next(path for path in write_exports(tmp_path, "csv") if path.name.startswith(stem))


def test_roundtrip_citation_of_a_missing_source_is_rejected_and_nothing_written(world, tmp_path):  # noqa: F811
    path = exported(tmp_path, "citations")
    text = (
        path.read_bytes()
        .decode()
        .replace(f"\r\n{world.citation.pk},{world.source.pk},", f"\r\n{world.citation.pk},999999,")
    )
    Citation.objects.update(excerpt="Changed")  # the import would change this back
    before = stored(Citation)

    summary = ExportImporter().run([InputFile(path.name, text.encode())])

    assert [(row, reason) for _, row, reason in summary.rejected] == [
        (
            2,
            "source_id 999999: no source has this id, on the site or in the sources file; "
            "import the sources file with this one",
        )
    ]
    assert not summary.written
    assert stored(Citation) == before


def test_roundtrip_citation_by_a_missing_record_is_rejected(world, tmp_path):  # noqa: F811
    path = exported(tmp_path, "citations")
    text = path.read_text().replace(",ordinance,welcoming-city,", ",ordinance,no-such-rule,")

    summary = ExportImporter().run([InputFile(path.name, text.encode())])

    assert [reason for _, _, reason in summary.rejected] == [
        "record_slug: no ordinance 'no-such-rule', on the site or in the ordinances file"
    ]
    assert not summary.written


def test_roundtrip_changed_citation_is_searched_on_its_record(world, tmp_path):  # noqa: F811
    path = exported(tmp_path, "citations")
    text = path.read_bytes().decode().replace("No agent shall…", "No officer shall ask")

    summary = ExportImporter().run([InputFile(path.name, text.encode())])

    assert summary.written and summary.updated["citations"] == 1, summary.lines()
    entry = SearchEntry.objects.get(ordinance_record__slug="welcoming-city")
    assert "No officer shall ask" in entry.body


def test_roundtrip_citations_import_after_the_sources_they_cite(world, tmp_path):  # noqa: F811
    """Given in any order, the files import records, then sources, then citations."""
    paths = write_exports(tmp_path, "json")
    empty_database()

    summary = ExportImporter().run([InputFile.from_path(path) for path in reversed(paths)])

    assert summary.written and not summary.rejected, summary.lines()
    assert Citation.objects.get(excerpt="No agent shall…").source.title == (
        "Journal of the Proceedings"
    )


def test_roundtrip_import_twice_leaves_everything_unchanged(world, tmp_path):  # noqa: F811
    files = [InputFile.from_path(path) for path in write_exports(tmp_path, "csv")]

    summary = ExportImporter().run(files)

    assert summary.written
    assert sum(summary.created.values()) == sum(summary.updated.values()) == 0
    assert sum(summary.unchanged.values()) > 0


# How the files named their columns before the API and the files shared one set of names:
# {file: ({name now: name then}, columns they did not have)}.
FORMER_COLUMNS = {
    "sources": (
        {"document": "document_url", "document_file": "document"},
        {"citation_count", "html_url"},
    ),
    **{
        stem: ({"html_url": "page_url"}, set())
        for stem in ("jurisdictions", "agencies", "ordinances", "agreements", "statements")
    },
}


def as_written_before(path, file_format):
    """Rewrite an export as the site wrote it before its columns were renamed."""
    renamed, absent = FORMER_COLUMNS.get(path.name.split("-")[0], ({}, set()))

    def former(row):
        return {
            renamed.get(name, name): value for name, value in row.items() if name not in absent
        }

    if file_format == "json":
        rows = [former(row) for row in json.loads(path.read_text())]
        path.write_text(json.dumps(rows, ensure_ascii=False))
        return
    rows = [former(row) for row in csv.DictReader(io.StringIO(path.read_text()))]
    with open(path, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_roundtrip_reads_files_written_before_the_columns_were_renamed(
    world,  # noqa: F811
    tmp_path,
    file_format,
):
    first_dir, old_dir, second_dir = tmp_path / "first", tmp_path / "old", tmp_path / "second"
    for directory in (first_dir, old_dir, second_dir):
        directory.mkdir()
    first = write_exports(first_dir, file_format)
    sources = stored(Source)
    old = write_exports(old_dir, file_format)
    for path in old:
        as_written_before(path, file_format)
    assert "page_url" in old[0].read_text()
    empty_database()

    summary = ExportImporter().run([InputFile.from_path(path) for path in old])

    assert summary.written and not summary.rejected, summary.lines()
    assert stored(Source) == sources
    assert read_all(first) == read_all(write_exports(second_dir, file_format))


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
