"""One column set per record type: its list page's download, the bulk download on /data/, a
search for that type and the API all have the same columns, under the same names.

A search over every type has the columns all types share, after the result's type and title.
Each file is read back whole; the query count of a search's download is pinned at two sizes.
"""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policytracker.search import exports as search_exports
from policytracker.search.exports import MIXED_COLUMNS, TYPE_EXPORTS
from tests import test_exports
from tests.worlds import SIZES

pytestmark = pytest.mark.django_db

world = test_exports.world  # the fixture: one record of each type, every field filled

# Record type (the search's `type`), URL namespace of its pages and file stem, API basename.
RECORD_TYPES = [
    ("jurisdiction", "jurisdictions", "jurisdiction"),
    ("agency", "agencies", "agency"),
    ("ordinance", "ordinances", "ordinance"),
    ("agreement", "agreements", "agreement"),
    ("statement", "statements", "statement"),
    ("source", "sources", "source"),
]
IDS = [record_type for record_type, _namespace, _basename in RECORD_TYPES]
# The API's own address of a record, which no file has: the files name records by slug (a
# source by id), and give the address of the record's page, html_url.
SELF_LINKS = {"source": "api_url"}
# What the API's single record adds to its list item: its citations and links, and the
# revision it shows (its number, date and permalink), which no file has.
DETAIL_ONLY = {
    "jurisdiction": {"citations", "links", "revision"},
    "agency": {"citations", "links", "revision"},
    "ordinance": {"citations", "revision"},
    "agreement": {"citations", "revision"},
    "statement": {"citations", "revision"},
    "source": {"citations_url", "revision"},
}


def text(response):
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode()


def header(response):
    return next(csv.reader(io.StringIO(text(response))))


def json_rows(response):
    return json.loads(text(response))


def key_of(record_type):
    return "id" if record_type == "source" else "slug"


def data_page_links(client):
    """{file stem: (CSV address, JSON address)} as the bulk download page links them."""
    downloads = client.get(reverse("exports:index")).context["downloads"]
    return {d["export"].name: (d["csv_url"], d["json_url"]) for d in downloads}


def search_export(client, file_format, **params):
    return client.get(reverse("search:export", args=[file_format]), params)


def api_list_item(api_client, record_type, basename, world):  # noqa: F811
    results = api_client.get(reverse(f"api:{basename}-list")).json()["results"]
    assert results
    if record_type == "source":
        return next(item for item in results if item["id"] == world.source.pk)
    return results[0]


@pytest.mark.parametrize(("record_type", "namespace", "basename"), RECORD_TYPES, ids=IDS)
def test_every_download_of_a_record_type_has_its_columns_in_order(
    client, api_client, world, record_type, namespace, basename
):
    names = list(TYPE_EXPORTS[record_type].names)
    data_csv, _data_json = data_page_links(client)[namespace]

    headers = {
        "list page": header(client.get(reverse(f"{namespace}:export", args=["csv"]))),
        "data page": header(client.get(data_csv)),
        "search": header(search_export(client, "csv", type=record_type)),
    }
    if record_type != "source":  # the API lists sources, without a download of its own
        headers["API"] = header(api_client.get(reverse(f"api:{basename}-export", args=["csv"])))

    assert headers == dict.fromkeys(headers, names)


@pytest.mark.parametrize(("record_type", "namespace", "basename"), RECORD_TYPES, ids=IDS)
def test_a_search_for_one_record_type_writes_the_rows_of_its_download(
    client, world, record_type, namespace, basename
):
    """The same records (all of them, as the search has no words) and the same values."""
    key = key_of(record_type)
    listed = json_rows(client.get(reverse(f"{namespace}:export", args=["json"])))

    found = json_rows(search_export(client, "json", type=record_type))

    assert found
    assert sorted(found, key=lambda row: row[key]) == sorted(listed, key=lambda row: row[key])
    assert [list(row) for row in found] == [list(TYPE_EXPORTS[record_type].names)] * len(found)


@pytest.mark.parametrize(("record_type", "namespace", "basename"), RECORD_TYPES, ids=IDS)
def test_api_list_item_has_every_column_and_only_its_own_address_besides(
    client, api_client, world, record_type, namespace, basename
):
    columns = header(client.get(reverse(f"{namespace}:export", args=["csv"])))

    item = api_list_item(api_client, record_type, basename, world)

    assert set(item) == {SELF_LINKS.get(record_type, "url"), *columns}


@pytest.mark.parametrize(("record_type", "namespace", "basename"), RECORD_TYPES, ids=IDS)
def test_api_values_are_the_download_values_where_they_are_not_records(
    client, api_client, world, record_type, namespace, basename
):
    """Scalar fields hold what the files hold; a related record is {slug, name, url} where a
    file gives its slug."""
    key = key_of(record_type)
    item = api_list_item(api_client, record_type, basename, world)
    (row,) = [
        row
        for row in json_rows(client.get(reverse(f"{namespace}:export", args=["json"])))
        if row[key] == item[key]
    ]

    for name, value in row.items():
        if isinstance(item[name], dict):
            assert item[name]["slug"] == value, name
        elif isinstance(item[name], list):
            assert sorted(related["slug"] for related in item[name]) == value, name
        else:
            assert item[name] == value, name


@pytest.mark.parametrize(("record_type", "namespace", "basename"), RECORD_TYPES, ids=IDS)
def test_api_detail_adds_only_the_citations_links_and_revision_to_the_list_item(
    api_client, world, record_type, namespace, basename
):
    item = api_list_item(api_client, record_type, basename, world)
    lookup = {"pk": item["id"]} if record_type == "source" else {"slug": item["slug"]}

    detail = api_client.get(reverse(f"api:{basename}-detail", kwargs=lookup)).json()

    assert set(detail) - set(item) == DETAIL_ONLY[record_type]
    assert set(item) <= set(detail)


def test_a_search_over_every_type_has_type_title_and_the_columns_all_types_share(client, world):
    downloads = {
        record_type: json_rows(client.get(reverse(f"{namespace}:export", args=["json"])))
        for record_type, namespace, _basename in RECORD_TYPES
    }
    columns = {
        record_type: header(client.get(reverse(f"{namespace}:export", args=["csv"])))
        for record_type, namespace, _basename in RECORD_TYPES
    }
    shared = [name for name in columns["jurisdiction"] if all(name in c for c in columns.values())]

    csv_header = header(search_export(client, "csv"))
    found = json_rows(search_export(client, "json"))

    assert shared == ["html_url", "created_at", "updated_at"]
    assert csv_header == ["type", "title", *shared] == [c.name for c in MIXED_COLUMNS]
    assert {row["type"] for row in found} == set(IDS)
    for row in found:
        (own,) = [r for r in downloads[row["type"]] if r["html_url"] == row["html_url"]]
        assert row == {
            "type": row["type"],
            "title": own.get("title", own.get("name")),
            **{name: own[name] for name in shared},
        }


def test_a_search_export_keeps_the_search_order(client, world):
    page = client.get(reverse("search:search"), {"type": "ordinance", "sort": "title"})
    titles = [entry.title for entry in page.context["results"]]

    found = json_rows(search_export(client, "json", type="ordinance", sort="title"))

    assert [row["title"] for row in found] == titles == sorted(titles)


def test_data_page_explains_the_search_files_columns(client, world):
    page = client.get(reverse("exports:index")).content.decode()

    assert 'id="search"' in page
    for column in MIXED_COLUMNS:
        assert f"<code>{column.name}</code>" in page
    assert "filtered to one record type" in page


def test_search_page_says_a_search_of_one_type_downloads_every_column(client, world):
    mixed = client.get(reverse("search:search"), {"q": "Chicago"}).content.decode()
    one_type = client.get(reverse("search:search"), {"q": "Chicago", "type": "agency"})

    assert "every column of one record type" in mixed
    assert "every column of one record type" not in one_type.content.decode()


# search params, pinned number of queries: the search's own (the index version, the facet
# counts, which give the types found, the names of the places and agencies found, and the
# results' ids in order), then per chunk one query per type found and, for one type, its
# export's prefetches.
SEARCH_EXPORTS = [
    ({"type": "statement"}, 5 + 1 + 5),  # the statements, and their five `about_` relations
    ({"type": "ordinance"}, 5 + 1 + 1),  # the ordinances, and what they amend
    ({"type": "source"}, 3 + 1),  # the sources, with their citation counts (no places)
    ({}, 5 + 6),  # the records of each of the six types
]


class TestSearchExportQueries:
    @pytest.mark.parametrize("file_format", ["csv", "json"])
    @pytest.mark.parametrize("sized_world", SIZES, indirect=True)
    @pytest.mark.parametrize(
        ("params", "queries"), SEARCH_EXPORTS, ids=[str(p) for p, _q in SEARCH_EXPORTS]
    )
    def test_search_export_makes_pinned_number_of_queries(
        self, client, django_assert_num_queries, sized_world, params, queries, file_format
    ):
        with django_assert_num_queries(queries):
            response = search_export(client, file_format, **params)
            body = text(response)

        rows = (
            json.loads(body) if file_format == "json" else list(csv.DictReader(io.StringIO(body)))
        )

        assert len(rows) > sized_world.size

    @pytest.mark.parametrize("sized_world", [30], indirect=True)  # 31 published statements
    def test_search_export_queries_grow_per_chunk_not_per_row(
        self, client, monkeypatch, sized_world
    ):
        monkeypatch.setattr(search_exports, "CHUNK_SIZE", 10)  # 4 chunks of at most 10

        with CaptureQueriesContext(connection) as context:
            rows = json_rows(search_export(client, "json", type="statement"))

        assert len(rows) == 31
        assert len(context.captured_queries) == 5 + 4 * (1 + 5)
