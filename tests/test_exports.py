"""Downloads: every list as CSV and JSON with its filters, the API's twins, the bulk page.

The files are read back (csv, json) and compared whole; the query count is pinned at two
data sizes; every stored field of every model must reach some column.
"""

import csv
import datetime
import html
import io
import json
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.exports import streaming
from policytracker.exports.columns import Column
from policytracker.exports.streaming import csv_cell, csv_response, json_response
from policytracker.exports.views import ALL_EXPORTS
from policytracker.models import Citation, Source
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    CitationFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    SourceFactory,
    StatementFactory,
)
from tests.filter_cases import FILTER_CASES, query
from tests.worlds import SIZES

pytestmark = pytest.mark.django_db

# Fixed timestamps, so that rows can be compared whole; written in Chicago's offset.
CREATED_AT = datetime.datetime(2024, 1, 2, 18, 0, 0, tzinfo=datetime.UTC)
CREATED_TEXT = "2024-01-02T12:00:00-06:00"
UPDATED_AT = datetime.datetime(2024, 3, 5, 12, 7, 8, tzinfo=datetime.UTC)
UPDATED_TEXT = "2024-03-05T06:07:08-06:00"

# URL namespace of the list page, API basename.
RECORD_TYPES = [
    ("jurisdictions", "jurisdiction"),
    ("agencies", "agency"),
    ("ordinances", "ordinance"),
    ("agreements", "agreement"),
    ("statements", "statement"),
]
NAMESPACES = [namespace for namespace, _basename in RECORD_TYPES]
BASENAME_TO_NAMESPACE = {basename: namespace for namespace, basename in RECORD_TYPES}
FORMATS = ["csv", "json"]
FACTORIES = {
    "jurisdictions": JurisdictionFactory,
    "agencies": AgencyFactory,
    "ordinances": OrdinanceFactory,
    "agreements": AgreementFactory,
    "statements": StatementFactory,
}
# The bulk downloads that are not a list page's: the documents, and the links to them.
CITED = ["sources", "citations"]


def export_url(namespace, file_format):
    return reverse(f"{namespace}:export", kwargs={"file_format": file_format})


def api_export_url(basename, file_format):
    return reverse(f"api:{basename}-export", kwargs={"file_format": file_format})


def download(client, url, params=None, status=200, **headers):
    response = client.get(url, params or {}, **headers)
    assert response.status_code == status, (url, params, response.status_code)
    return response


def body(response):
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def read(response, file_format):
    """The rows of a downloaded file: dicts of text (CSV) or of JSON values."""
    text = body(response)
    if file_format == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    return json.loads(text)


def slugs(response, file_format="csv"):
    return [row["slug"] for row in read(response, file_format)]


def as_csv(row):
    """What a JSON row is in CSV: nothing is empty, lists are joined with "; ", booleans are
    true and false."""
    cells = {}
    for name, value in row.items():
        if value is None:
            cells[name] = ""
        elif isinstance(value, bool):
            cells[name] = "true" if value else "false"
        elif isinstance(value, list):
            cells[name] = "; ".join(value)
        else:
            cells[name] = str(value)
    return cells


def dated(field, value, precision="day"):
    return {field: value, f"{field}_precision": precision}


@pytest.fixture
def world(places, settings, tmp_path):
    """One record of each type with every field filled, drafts beside them, and sources:
    one cited by the ordinance, one by a draft only."""
    settings.MEDIA_ROOT = tmp_path
    Jurisdiction.objects.filter(slug="chicago").update(
        ocd_id="ocd-division/country:us/state:il/place:chicago", fips="1714000"
    )
    places.city.also_within.add(places.dupage)  # at O'Hare
    Agency.objects.filter(slug="cpd").update(
        website="https://www.chicagopolice.org/", ori="IL0160000"
    )
    council = AgencyFactory(
        name="City Council", slug="city-council", kind="legislature", jurisdiction=places.city
    )
    old = OrdinanceFactory(slug="old-rule", title="Old rule", jurisdiction=places.city)
    older = OrdinanceFactory(slug="older-rule", title="Older rule", jurisdiction=places.city)
    draft_rule = OrdinanceFactory(
        slug="draft-rule", jurisdiction=places.city, publication_state="draft"
    )
    rule = OrdinanceFactory(
        slug="welcoming-city",
        title="Welcoming City Ordinance",
        number="SO2012-4984",
        kind="ordinance",
        status="in_force",
        jurisdiction=places.city,
        issued_by=council,
        replaces=old,
        full_text="Section 2-173-005. Purpose.",
        summary="Limits what city agencies do for federal immigration enforcement.",
        **dated("introduced_on", datetime.date(2012, 7, 25)),
        **dated("adopted_on", datetime.date(2012, 9, 1), "month"),
        **dated("effective_on", datetime.date(2012, 9, 15)),
    )
    rule.amends.set([older, old])
    deal = AgreementFactory(
        slug="cpd-hsi",
        title="CPD–HSI customs cross-designation",
        kind="customs_cross_designation",
        status="in_force",
        local_party=places.cpd,
        federal_party=places.hsi,
        scope="Customs law.",
        exclusions="Civil immigration law.",
        full_text="The parties agree.",
        summary="Officers may enforce customs law.",
        **dated("signed_on", datetime.date(2017, 1, 1), "year"),
    )
    AgreementFactory(
        slug="draft-deal",
        local_party=places.cpd,
        federal_party=places.ice,
        publication_state="draft",
    )
    earlier = StatementFactory(slug="earlier", speaker_agency=places.cpd)
    talk = StatementFactory(
        slug="on-the-orders",
        title="On the executive orders",
        speaker_agency=places.ice,
        speaker_name="A. Official",
        speaker_title="Director",
        text="“We will enforce the law.”",
        summary="ICE's position on the 2017 orders.",
        **dated("made_on", datetime.date(2017, 1, 30)),
    )
    talk.about_jurisdictions.set([places.city, places.county])
    talk.about_agencies.set([places.cpd])
    talk.about_ordinances.set([rule, draft_rule])  # the draft shows to staff only
    talk.about_agreements.set([deal])
    talk.about_statements.set([earlier])
    source = SourceFactory(
        record=rule,
        title="Journal of the Proceedings",
        publisher="City Clerk",
        kind="official_record",
        url="https://example.org/journal",
        accessed_on=datetime.date(2024, 1, 15),
        archive_url="https://web.archive.org/example",
        document=SimpleUploadedFile("journal.txt", "The journal’s text.".encode()),
        excerpt="No agent shall…",
        locator="Pages 1-4",
        note="Quoted from the printed journal.",
        notes="The council's journal of its meeting.",
        **dated("published_on", datetime.date(2012, 9, 1), "month"),
    )
    SourceFactory(record=draft_rule, title="Draft's source")
    for model in (Jurisdiction, Agency, Ordinance, Agreement, Statement, Source, Citation):
        model.objects.update(created_at=CREATED_AT, updated_at=UPDATED_AT)
    Source.objects.filter(pk=source.pk).update(document_text="The extracted text.")
    source.refresh_from_db()
    citation = source.citations.get()
    return SimpleNamespace(
        **vars(places), rule=rule, deal=deal, talk=talk, source=source, citation=citation
    )


def expected_rows(world):
    """The JSON row of one record of each type, by namespace, and its slug."""
    rule_source = world.source
    return {
        "jurisdictions": {
            "slug": "chicago",
            "name": "Chicago",
            "kind": "city",
            "parent": "cook-county",
            "also_within": ["dupage-county"],
            "ocd_id": "ocd-division/country:us/state:il/place:chicago",
            "fips": "1714000",
            "summary": "What Chicago decides.",
            "publication_state": "published",
            "html_url": "http://testserver/jurisdictions/chicago/",
            "created_at": CREATED_TEXT,
            "updated_at": UPDATED_TEXT,
        },
        "agencies": {
            "slug": "cpd",
            "name": "Chicago Police Department",
            "abbreviation": "CPD",
            "kind": "police",
            "jurisdiction": "chicago",
            "parent": None,
            "website": "https://www.chicagopolice.org/",
            "ori": "IL0160000",
            "summary": "A body that acts.",
            "publication_state": "published",
            "html_url": "http://testserver/agencies/cpd/",
            "created_at": CREATED_TEXT,
            "updated_at": UPDATED_TEXT,
        },
        "ordinances": {
            "slug": "welcoming-city",
            "title": "Welcoming City Ordinance",
            "title_es": "",
            "summary_es": "",
            "number": "SO2012-4984",
            "kind": "ordinance",
            "status": "in_force",
            "jurisdiction": "chicago",
            "issued_by": "city-council",
            "introduced": "2012-07-25",
            "adopted": "2012-09",
            "effective": "2012-09-15",
            "repealed": None,
            "amends": ["old-rule", "older-rule"],
            "replaces": "old-rule",
            "full_text": "Section 2-173-005. Purpose.",
            "summary": "Limits what city agencies do for federal immigration enforcement.",
            "publication_state": "published",
            "html_url": "http://testserver/ordinances/welcoming-city/",
            "created_at": CREATED_TEXT,
            "updated_at": UPDATED_TEXT,
        },
        "agreements": {
            "slug": "cpd-hsi",
            "title": "CPD–HSI customs cross-designation",
            "title_es": "",
            "summary_es": "",
            "kind": "customs_cross_designation",
            "status": "in_force",
            "local_party": "cpd",
            "federal_party": "hsi",
            "jurisdiction": "chicago",
            "signed": "2017",
            "effective": None,
            "expires": None,
            "terminated": None,
            "scope": "Customs law.",
            "exclusions": "Civil immigration law.",
            "full_text": "The parties agree.",
            "listing_id": "",
            "listing_state": "",
            "first_listed_on": None,
            "last_listed_on": None,
            "summary": "Officers may enforce customs law.",
            "publication_state": "published",
            "html_url": "http://testserver/agreements/cpd-hsi/",
            "created_at": CREATED_TEXT,
            "updated_at": UPDATED_TEXT,
        },
        "statements": {
            "slug": "on-the-orders",
            "title": "On the executive orders",
            "title_es": "",
            "summary_es": "",
            "speaker_agency": "ice",
            "speaker_name": "A. Official",
            "speaker_title": "Director",
            "made": "2017-01-30",
            "text": "“We will enforce the law.”",
            "about_jurisdictions": ["chicago", "cook-county"],
            "about_agencies": ["cpd"],
            "about_ordinances": ["welcoming-city"],
            "about_agreements": ["cpd-hsi"],
            "about_statements": ["earlier"],
            "summary": "ICE's position on the 2017 orders.",
            "publication_state": "published",
            "html_url": "http://testserver/statements/on-the-orders/",
            "created_at": CREATED_TEXT,
            "updated_at": UPDATED_TEXT,
        },
        "sources": {
            "id": rule_source.pk,
            "title": "Journal of the Proceedings",
            "publisher": "City Clerk",
            "kind": "official_record",
            "is_opinion": False,
            "url": "https://example.org/journal",
            "published": "2012-09",
            "accessed_on": "2024-01-15",
            "archive_url": "https://web.archive.org/example",
            "document": "http://testserver"
            + reverse("documents:download", kwargs={"pk": rule_source.pk}),
            "document_file": rule_source.document.name,
            "notes": "The council's journal of its meeting.",
            "citation_count": 1,
            "html_url": f"http://testserver/sources/{rule_source.pk}/",
            "created_at": CREATED_TEXT,
            "updated_at": UPDATED_TEXT,
        },
        "citations": {
            "id": world.citation.pk,
            "source_id": rule_source.pk,
            "record_type": "ordinance",
            "record_slug": "welcoming-city",
            "locator": "Pages 1-4",
            "excerpt": "No agent shall…",
            "note": "Quoted from the printed journal.",
            "created_at": CREATED_TEXT,
            "updated_at": UPDATED_TEXT,
        },
    }


def row_of(rows, key, value):
    (row,) = [row for row in rows if row[key] == value]
    return row


def file_url(namespace, file_format):
    if namespace in CITED:
        return reverse(f"exports:{namespace}", kwargs={"file_format": file_format})
    return export_url(namespace, file_format)


# ---------------------------------------------------------------------------------------
# What the files hold


@pytest.mark.parametrize("namespace", [*NAMESPACES, *CITED])
def test_json_export_row_holds_every_column_in_order(client, world, namespace):
    expected = expected_rows(world)[namespace]
    key = "id" if namespace in CITED else "slug"

    rows = read(download(client, file_url(namespace, "json")), "json")

    row = row_of(rows, key, expected[key])
    assert row == expected
    assert list(row) == list(expected)


@pytest.mark.parametrize("namespace", [*NAMESPACES, *CITED])
def test_csv_export_row_holds_every_column_in_order(client, world, namespace):
    expected = as_csv(expected_rows(world)[namespace])
    key = "id" if namespace in CITED else "slug"

    response = download(client, file_url(namespace, "csv"))
    text = body(response)
    rows = list(csv.DictReader(io.StringIO(text)))

    assert text.splitlines()[0] == ",".join(expected)  # the header row, in order
    assert row_of(rows, key, expected[key]) == expected


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("namespace", [*NAMESPACES, *CITED])
def test_export_has_type_and_dated_attachment_name(client, namespace, file_format):
    response = download(client, file_url(namespace, file_format))

    today = timezone.localdate().isoformat()
    assert (
        response["Content-Type"]
        == {
            "csv": "text/csv; charset=utf-8",
            "json": "application/json",
        }[file_format]
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="{namespace}-{today}.{file_format}"'
    )
    assert response.streaming


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_empty_export_is_a_header_row_or_an_empty_array(client, namespace):
    csv_text = body(download(client, export_url(namespace, "csv")))
    json_text = body(download(client, export_url(namespace, "json")))

    assert csv_text.count("\r\n") == 1 and csv_text.startswith("slug,")
    assert json.loads(json_text) == []


def test_export_keeps_the_list_order_and_its_sort(client, world):
    listed = [
        agency.slug
        for agency in client.get(reverse("agencies:list"), {"ordering": "-name"}).context[
            "object_list"
        ]
    ]

    exported = slugs(download(client, export_url("agencies", "csv"), {"ordering": "-name"}))

    assert exported == listed
    assert exported == sorted(exported, key=lambda slug: Agency.objects.get(slug=slug).name)[::-1]


def test_export_has_every_page_of_the_list(client):
    AgencyFactory.create_batch(30)

    response = download(client, export_url("agencies", "csv"), {"page": "2"})

    assert len(slugs(response)) == 30


def test_text_outside_ascii_is_written_as_utf8(client):
    AgencyFactory(slug="sheriff", name="Oficina del Alguacil — Condado de Cook")

    raw = b"".join(download(client, export_url("agencies", "csv")).streaming_content)

    assert "Oficina del Alguacil — Condado de Cook".encode() in raw


# ---------------------------------------------------------------------------------------
# Filters, and who sees what


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize(
    ("basename", "param", "value", "setup"),
    FILTER_CASES,
    ids=[f"{basename}-{param}={value}" for basename, param, value, _setup in FILTER_CASES],
)
def test_export_filter_keeps_what_the_list_page_keeps(
    client, places, basename, param, value, setup, file_format
):
    kept, dropped = setup(places)
    namespace = BASENAME_TO_NAMESPACE[basename]
    page = client.get(reverse(f"{namespace}:list"), query(param, value))

    exported = slugs(
        download(client, export_url(namespace, file_format), query(param, value)), file_format
    )

    assert kept in exported
    assert dropped not in exported
    assert exported == [record.slug for record in page.context["object_list"]]


@pytest.mark.parametrize(
    ("namespace", "param", "value", "message"),
    [
        ("agreements", "kind", "bogus", "Select a valid choice. bogus is not one of"),
        ("agreements", "jurisdiction", "no-such-place", "No published record has the slug"),
        ("ordinances", "in_force_on", "notadate", "Enter a valid date."),
        ("statements", "made_from", "2017-13-01", "Enter a valid date."),
        ("jurisdictions", "parent", "no-such-place", "No published record has the slug"),
    ],
)
def test_export_bad_filter_is_400_in_plain_text_naming_the_filter(
    client, world, namespace, param, value, message
):
    response = download(client, export_url(namespace, "csv"), {param: value}, status=400)

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert not response.streaming
    text = response.content.decode()
    assert text.startswith("These filters could not be applied")
    assert f"\n{param}: {message}" in text


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_export_leaves_out_drafts_for_the_public(client, namespace):
    factory = FACTORIES[namespace]
    published = factory(slug="public-one")
    draft = factory(slug="draft-one", publication_state="draft")

    exported = slugs(download(client, export_url(namespace, "csv")))

    assert published.slug in exported
    assert draft.slug not in exported


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_export_includes_drafts_for_staff(staff_client, namespace):
    factory = FACTORIES[namespace]
    draft = factory(slug="draft-one", publication_state="draft")

    rows = read(download(staff_client, export_url(namespace, "json")), "json")

    assert row_of(rows, "slug", draft.slug)["publication_state"] == "draft"


def test_export_names_draft_related_records_to_staff_only(client, staff_client, world):
    public = read(download(client, export_url("statements", "json")), "json")
    staff = read(download(staff_client, export_url("statements", "json")), "json")

    assert row_of(public, "slug", "on-the-orders")["about_ordinances"] == ["welcoming-city"]
    assert row_of(staff, "slug", "on-the-orders")["about_ordinances"] == [
        "draft-rule",
        "welcoming-city",
    ]


def test_sources_export_leaves_out_sources_of_drafts_for_the_public(client, staff_client, world):
    public = read(download(client, file_url("sources", "csv")), "csv")
    staff = read(download(staff_client, file_url("sources", "csv")), "csv")

    assert "Draft's source" not in [row["title"] for row in public]
    assert "Draft's source" in [row["title"] for row in staff]


@pytest.mark.parametrize("file_format", FORMATS)
def test_citations_export_leaves_out_citations_by_drafts_for_the_public(
    client, staff_client, world, file_format
):
    draft_rule = Ordinance.objects.get(slug="draft-rule")
    CitationFactory(source=world.source, record=draft_rule, excerpt="Draft's passage")

    public = read(download(client, file_url("citations", file_format)), file_format)
    staff = read(download(staff_client, file_url("citations", file_format)), file_format)

    assert [row["record_slug"] for row in public] == ["welcoming-city"]
    assert sorted(row["record_slug"] for row in staff) == [
        "draft-rule",
        "draft-rule",
        "welcoming-city",
    ]


def test_sources_export_keeps_a_source_a_draft_also_cites_without_that_citation(client, world):
    draft_rule = Ordinance.objects.get(slug="draft-rule")
    CitationFactory(source=world.source, record=draft_rule, excerpt="Draft's passage")

    sources = read(download(client, file_url("sources", "json")), "json")
    citations = read(download(client, file_url("citations", "json")), "json")

    assert [row["id"] for row in sources] == [world.source.pk]
    assert [row["excerpt"] for row in citations] == ["No agent shall…"]
    assert "Draft's passage" not in json.dumps(citations)


@pytest.mark.parametrize("file_format", FORMATS)
def test_source_cited_by_two_records_is_one_source_row_and_two_citation_rows(
    client, world, file_format
):
    CitationFactory(source=world.source, record=world.deal, locator="Page 9", excerpt="Customs.")

    sources = read(download(client, file_url("sources", file_format)), file_format)
    citations = read(download(client, file_url("citations", file_format)), file_format)

    assert [str(row["id"]) for row in sources] == [str(world.source.pk)]
    assert sorted(
        (str(row["source_id"]), row["record_type"], row["record_slug"], row["locator"])
        for row in citations
    ) == [
        (str(world.source.pk), "agreement", "cpd-hsi", "Page 9"),
        (str(world.source.pk), "ordinance", "welcoming-city", "Pages 1-4"),
    ]


def test_sources_export_leaves_out_the_extracted_text(client, world):
    (row,) = read(download(client, file_url("sources", "json")), "json")

    assert "document_text" not in row
    assert "The extracted text." not in json.dumps(row)


# ---------------------------------------------------------------------------------------
# Spreadsheet formulas


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+1 312 555 0100", "'+1 312 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'quoted", "''quoted"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (["chicago", "cook-county"], "chicago; cook-county"),
        (12, "12"),
        (True, "true"),
    ],
)
def test_csv_cell_defuses_formulas_and_writes_plain_values(value, cell):
    assert csv_cell(value) == cell


def test_csv_export_prefixes_formulas_with_an_apostrophe_and_json_keeps_them(client):
    AgencyFactory(slug="formula", name='=HYPERLINK("http://evil.example","click")')

    (csv_row,) = read(download(client, export_url("agencies", "csv")), "csv")
    (json_row,) = read(download(client, export_url("agencies", "json")), "json")

    assert csv_row["name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert json_row["name"] == '=HYPERLINK("http://evil.example","click")'


# ---------------------------------------------------------------------------------------
# Streaming and queries


def test_writers_take_any_iterable_with_any_columns():
    """How the search page reuses the writers: its own rows and columns."""
    rows = [SimpleNamespace(title="A", tags=["x", "y"]), SimpleNamespace(title="=B", tags=[])]
    columns = [
        Column("title", "The title.", lambda row, request: row.title),
        Column("tags", "The tags.", lambda row, request: row.tags),
    ]

    csv_file = csv_response(rows, columns, "search-2026-11-23.csv")
    json_file = json_response(iter(rows), columns, "search-2026-11-23.json")

    assert body(csv_file) == "title,tags\r\nA,x; y\r\n'=B,\r\n"
    assert json.loads(body(json_file)) == [
        {"title": "A", "tags": ["x", "y"]},
        {"title": "=B", "tags": []},
    ]
    assert csv_file["Content-Disposition"] == 'attachment; filename="search-2026-11-23.csv"'


def test_writer_sends_rows_before_it_has_read_them_all(monkeypatch):
    monkeypatch.setattr(streaming, "FLUSH_AT", 1)
    read_so_far = []

    def rows():
        for number in range(1000):
            read_so_far.append(number)
            yield SimpleNamespace(number=number)

    response = csv_response(rows(), [Column("n", "N.", lambda row, r: row.number)], "n.csv")
    chunks = iter(response.streaming_content)

    assert next(chunks) == b"n\r\n0\r\n"
    assert len(read_so_far) == 1


def test_writer_reads_a_queryset_without_caching_it(places):
    queryset = Agency.objects.all()

    body(csv_response(queryset, [Column("slug", "Slug.", lambda a, r: a.slug)], "a.csv"))

    assert queryset._result_cache is None  # read with .iterator(), not held in memory


# url name, kwargs, pinned number of queries: the rows' query, and one per prefetched
# relation (per chunk of streaming.CHUNK_SIZE rows).
EXPORTS = [
    ("jurisdictions:export", 2),  # + the other places each lies within
    *[(f"{namespace}:export", 1) for namespace in ("agencies", "agreements")],
    ("ordinances:export", 2),  # + amends
    ("statements:export", 6),  # + the five `about_` relations
    ("exports:sources", 1),  # the documents a visible record cites: one subquery
    ("sources:export", 1),  # the sources list's, filtered: the same query
    ("exports:citations", 1),  # with the citing record joined, for its slug
    ("api:jurisdiction-export", 2),
    *[(f"api:{basename}-export", 1) for basename in ("agency", "agreement")],
    ("api:ordinance-export", 2),
    ("api:statement-export", 6),
]


class TestExportQueries:
    """Every download, read from one world of each size."""

    @pytest.mark.parametrize("file_format", FORMATS)
    @pytest.mark.parametrize("sized_world", SIZES, indirect=True)
    @pytest.mark.parametrize(("name", "queries"), EXPORTS, ids=[name for name, _q in EXPORTS])
    def test_export_makes_pinned_number_of_queries(
        self, client, django_assert_num_queries, sized_world, name, queries, file_format
    ):
        url = reverse(name, kwargs={"file_format": file_format})

        with django_assert_num_queries(queries):
            rows = read(download(client, url), file_format)

        assert len(rows) > sized_world.size

    @pytest.mark.parametrize("sized_world", [30], indirect=True)  # 31 published statements
    def test_export_queries_grow_per_chunk_not_per_row(self, client, monkeypatch, sized_world):
        monkeypatch.setattr(streaming, "CHUNK_SIZE", 10)  # 4 chunks of at most 10

        with CaptureQueriesContext(connection) as context:
            rows = read(download(client, export_url("statements", "csv")), "csv")

        assert len(rows) == 31
        assert len(context.captured_queries) == 1 + 4 * 5


# ---------------------------------------------------------------------------------------
# The API's downloads


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize(("namespace", "basename"), RECORD_TYPES)
def test_api_export_is_the_page_export(
    client, api_client, world, namespace, basename, file_format
):
    response = download(api_client, api_export_url(basename, file_format))

    assert (
        response["Content-Type"]
        == download(client, export_url(namespace, file_format))["Content-Type"]
    )
    assert response["Content-Disposition"].startswith(f'attachment; filename="{namespace}-')
    assert read(response, file_format) == read(
        download(client, export_url(namespace, file_format)), file_format
    )


def test_api_export_applies_the_filters(api_client, world):
    response = download(api_client, api_export_url("agency", "csv"), {"jurisdiction": "chicago"})

    assert slugs(response) == ["cpd", "city-council"]  # by name: Chicago Police, City Council


def test_api_export_bad_filter_is_400_json_like_the_list(api_client):
    response = download(
        api_client, api_export_url("agreement", "csv"), {"kind": "bogus"}, status=400
    )

    assert response.json() == {
        "kind": ["Select a valid choice. bogus is not one of the available choices."]
    }


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize(("namespace", "basename"), RECORD_TYPES)
def test_api_export_answers_with_and_without_the_trailing_slash(
    api_client, world, namespace, basename, file_format
):
    with_slash = api_export_url(basename, file_format)
    assert with_slash.endswith(f"/export.{file_format}/")

    without = download(api_client, with_slash.removesuffix("/"), {"status": "in_force"})

    assert without["Content-Disposition"].startswith(f'attachment; filename="{namespace}-')
    assert read(without, file_format) == read(
        download(api_client, with_slash, {"status": "in_force"}), file_format
    )


def test_api_export_without_the_slash_refuses_a_bad_filter_and_an_unknown_format(api_client):
    without_slash = api_export_url("agreement", "csv").removesuffix("/")

    bad_filter = api_client.get(without_slash, {"kind": "bogus"})
    unknown = api_client.get(without_slash.replace(".csv", ".xml"))

    assert bad_filter.status_code == 400
    assert list(bad_filter.json()) == ["kind"]
    assert unknown.status_code == 404


def test_schema_documents_each_api_export_once(api_client):
    paths = api_client.get(reverse("schema"), {"format": "json"}).json()["paths"]

    exports = sorted(path for path in paths if "/export." in path)

    assert exports == sorted(
        f"/api/v1/{prefix}/export.{{file_format}}/"
        for prefix in ("jurisdictions", "agencies", "ordinances", "agreements", "statements")
    )


def test_api_export_ignores_the_accept_header(api_client, world):
    response = download(api_client, api_export_url("agency", "csv"), HTTP_ACCEPT="text/csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_api_export_includes_drafts_for_staff_only(api_client, staff_api_client, world):
    public = slugs(download(api_client, api_export_url("agreement", "csv")))
    staff = slugs(download(staff_api_client, api_export_url("agreement", "csv")))

    assert "draft-deal" not in public
    assert "draft-deal" in staff


def test_schema_describes_the_api_exports_as_files(api_client):
    schema = download(api_client, reverse("schema"), {"format": "json"}).json()

    for _namespace, basename in RECORD_TYPES:
        path = api_export_url(basename, "csv").replace("export.csv", "export.{file_format}")
        operation = schema["paths"][path]["get"]
        assert set(operation["responses"]["200"]["content"]) == {"text/csv", "application/json"}
        assert {p["name"] for p in operation["parameters"]} >= {"file_format", "ordering"}


# ---------------------------------------------------------------------------------------
# Every field is exported, every column explained


@pytest.mark.parametrize("export", ALL_EXPORTS, ids=[export.name for export in ALL_EXPORTS])
def test_export_spec_covers_every_stored_field(export):
    """A field added to a model fails here until a column writes it or it is excluded."""
    fields = {
        field.name
        for field in export.model._meta.get_fields()
        if not field.auto_created or field.concrete
    }
    # A record's sources, through its citations, are rows of the citations export.
    cited = {
        field.name
        for field in export.model._meta.many_to_many
        if field.remote_field.through is Citation
    }

    assert export.covered_fields() | set(export.excluded_fields) | cited == fields
    assert not export.covered_fields() & set(export.excluded_fields)


@pytest.mark.parametrize("export", ALL_EXPORTS, ids=[export.name for export in ALL_EXPORTS])
def test_export_spec_columns_are_unique_and_described(export):
    names = [column.name for column in export.columns]

    assert len(names) == len(set(names))
    for column in export.columns:
        assert str(column.description).strip(), column.name


def test_data_page_explains_every_column_and_links_every_file(client, world):
    response = download(client, reverse("exports:index"))
    page = response.content.decode()

    for export in ALL_EXPORTS:
        assert f'id="{export.name}"' in page
        for column in export.columns:
            assert f"<code>{column.name}</code>" in page
            assert str(column.description) in html.unescape(page)
    for namespace in [*NAMESPACES, *CITED]:
        for file_format in FORMATS:
            assert f'href="{file_url(namespace, file_format)}"' in page
    assert "How to cite" in page
    assert "apostrophe" in page
    assert 'src="http' not in page and "<script" not in page


def test_data_page_counts_the_published_records(client, staff_client, world):
    counts = {
        d["export"].name: d["count"]
        for d in client.get(reverse("exports:index")).context["downloads"]
    }
    staff_counts = {
        d["export"].name: d["count"]
        for d in staff_client.get(reverse("exports:index")).context["downloads"]
    }

    assert counts == {
        "jurisdictions": Jurisdiction.objects.published().count(),
        "agencies": Agency.objects.published().count(),
        "ordinances": Ordinance.objects.published().count(),
        "agreements": Agreement.objects.published().count(),
        "statements": Statement.objects.published().count(),
        "sources": 1,
        "citations": 1,
    }
    assert staff_counts["ordinances"] == Ordinance.objects.count()
    assert staff_counts["sources"] == staff_counts["citations"] == 2


# ---------------------------------------------------------------------------------------
# Links on the list pages


def test_list_page_links_its_downloads_keeping_the_filters_but_not_the_page(client):
    AgencyFactory.create_batch(30, kind="sheriff")

    response = client.get(reverse("agencies:list"), {"kind": "sheriff", "page": "2"})
    page = html.unescape(response.content.decode())

    assert f'href="{export_url("agencies", "csv")}?kind=sheriff"' in page
    assert f'href="{export_url("agencies", "json")}?kind=sheriff"' in page
    assert f'href="{reverse("exports:index")}"' in page


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_list_page_links_its_downloads(client, namespace):
    page = client.get(reverse(f"{namespace}:list")).content.decode()

    assert f'href="{export_url(namespace, "csv")}"' in page
    assert f'href="{export_url(namespace, "json")}"' in page


def test_sources_list_downloads_what_it_lists_with_its_filters(client, world):
    SourceFactory(record=world.deal, title="Press release", kind="press_release")
    params = {"kind": "official_record", "page": "1"}
    listed = client.get(reverse("sources:list"), params)

    rows = read(download(client, export_url("sources", "json"), params), "json")

    assert [row["title"] for row in rows] == [s.title for s in listed.context["object_list"]]
    assert [row["title"] for row in rows] == ["Journal of the Proceedings"]
    assert rows[0] == expected_rows(world)["sources"]
    page = html.unescape(listed.content.decode())
    for file_format in FORMATS:
        assert f'href="{export_url("sources", file_format)}?kind=official_record"' in page


def test_list_page_with_a_bad_filter_offers_no_download(client):
    response = client.get(reverse("agreements:list"), {"kind": "bogus"})

    assert response.status_code == 400
    assert export_url("agreements", "csv") not in response.content.decode()
