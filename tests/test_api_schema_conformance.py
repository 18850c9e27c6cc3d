"""The API's answers match its OpenAPI schema, and the schema names the errors it gives.

Each test here holds a finding of fuzzing the live API against its schema (.ci/fuzz.py,
with Schemathesis) as a fast test: an answer whose shape the schema described wrongly, a
refusal the schema did not name, bad input that was taken for good.
"""

import json
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from jsonschema import Draft7Validator, FormatChecker

from tests.factories import JurisdictionFactory, SourceFactory

pytestmark = pytest.mark.django_db

FORMATS = FormatChecker()


@FORMATS.checks("uri")
def is_uri(value):
    return not isinstance(value, str) or bool(urlsplit(value).scheme)


def json_schema(node):
    """An OpenAPI 3.0 schema as JSON Schema: `nullable: true` becomes the null type."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        if isinstance(converted.get("type"), str):
            converted["type"] = [converted["type"], "null"]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


@pytest.fixture
def openapi(api_client):
    return api_client.get(reverse("schema"), {"format": "json"}).json()


def pointer(*parts):
    return "#/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def violations(openapi, path, method, status, data, media_type="application/json"):
    """How `data` breaks the schema of that answer (an empty list: it matches)."""
    responses = openapi["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} does not document {status}"
    schema = {
        "$ref": pointer("paths", path, method, "responses", status, "content", media_type)
        + "/schema",
        **json_schema({"paths": openapi["paths"], "components": openapi["components"]}),
    }
    validator = Draft7Validator(schema, format_checker=FORMATS)
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(data)]


def test_search_is_described_as_one_page_of_results(api_client, openapi):
    JurisdictionFactory(name="Springfield")

    response = api_client.get(reverse("api:search-list"), {"q": "Springfield"})

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert violations(openapi, "/api/v1/search/", "get", 200, response.json()) == []


def test_a_sources_citations_are_described_as_a_page(api_client, openapi):
    source = SourceFactory(record=JurisdictionFactory())

    response = api_client.get(reverse("api:source-citations", args=[source.pk]))

    assert response.json()["count"] == 1
    path = "/api/v1/sources/{id}/citations/"
    assert violations(openapi, path, "get", 200, response.json()) == []


def test_a_blank_web_address_matches_the_schema(api_client, openapi):
    source = SourceFactory(url="", archive_url="", record=JurisdictionFactory())

    response = api_client.get(reverse("api:source-detail", args=[source.pk]))

    assert response.json()["url"] == ""
    assert violations(openapi, "/api/v1/sources/{id}/", "get", 200, response.json()) == []
    # A blank one only: the schema still refuses what is not a web address.
    data = {**response.json(), "url": "not an address"}
    assert violations(openapi, "/api/v1/sources/{id}/", "get", 200, data) == [
        "$.url: 'not an address' is not valid under any of the given schemas"
    ]


def test_the_json_download_is_described_as_an_array_of_objects(api_client, openapi):
    JurisdictionFactory()

    response = api_client.get(reverse("api:jurisdiction-export", args=["json"]))

    data = b"".join(response.streaming_content).decode()
    path = "/api/v1/jurisdictions/export.{file_format}/"
    assert violations(openapi, path, "get", 200, json.loads(data)) == []


@pytest.mark.parametrize("page_size", ["0", "-1", "ten", "null", ""])
@pytest.mark.parametrize("url_name", ["api:jurisdiction-list", "api:coverage-list"])
def test_a_page_size_that_is_no_positive_whole_number_is_a_400(api_client, url_name, page_size):
    response = api_client.get(reverse(url_name), {"page_size": page_size})

    assert response.status_code == 400
    assert response.json() == {
        "page_size": ["Give the page size as a whole number from 1 to 100."]
    }


def test_errors_are_documented(openapi, api_client):
    """The refusals each operation can give: 403 for wrong credentials anywhere, 400 where
    it reads parameters or data, 404 where it names a record or pages its list, 415 where
    it reads data, and 202, 409 and 412 for the writes that can wait for review, collide or
    name a stale version; 414 from the HTTP server for an address too long; and 429 from
    the throttles, anywhere."""
    paths = openapi["paths"]
    assert set(paths["/api/v1/jurisdictions/"]["get"]["responses"]) == {
        "200",
        "400",
        "403",
        "404",
        "414",
        "429",
    }
    assert set(paths["/api/v1/jurisdictions/"]["post"]["responses"]) == {
        "201",
        "400",
        "403",
        "414",
        "415",
        "429",
    }
    assert set(paths["/api/v1/jurisdictions/{slug}/"]["patch"]["responses"]) == {
        "200",
        "202",
        "400",
        "403",
        "404",
        "409",
        "412",
        "414",
        "415",
        "429",
    }
    assert set(paths["/api/v1/jurisdictions/{slug}/"]["delete"]["responses"]) == {
        "204",
        "403",
        "404",
        "409",
        "412",
        "414",
        "429",
    }
    # Each as the API answers it.
    refused = api_client.post(reverse("api:jurisdiction-list"), {}, format="json")
    assert refused.status_code == 403
    path = "/api/v1/jurisdictions/"
    assert violations(openapi, path, "post", 403, refused.json()) == []
    missing = api_client.get(reverse("api:jurisdiction-detail", args=["nowhere"]))
    assert violations(openapi, "/api/v1/jurisdictions/{slug}/", "get", 404, missing.json()) == []
    bad = api_client.get(reverse("api:jurisdiction-list"), {"page_size": "ten"})
    assert violations(openapi, path, "get", 400, bad.json()) == []


@pytest.mark.parametrize(
    "path",
    ["/api/v1/jurisdictions/export.xml/", "/api/v1/jurisdictions/%C3%BB./profile/", "/api/v9/"],
)
def test_an_api_address_that_names_nothing_is_a_json_404(api_client, openapi, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_address_that_names_nothing_is_still_the_404_page(client):
    response = client.get("/jurisdictions/%C3%BB./")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_empty_date_or_filter_is_none_as_the_schema_says(api_client, openapi):
    place = JurisdictionFactory()

    response = api_client.get(reverse("api:jurisdiction-profile", args=[place.slug]), {"on": ""})
    assert response.status_code == 200
    listed = api_client.get(reverse("api:agreement-list"), {"signed_to": "", "kind": ""})
    assert listed.status_code == 200

    def parameter(path, name):
        [found] = [p for p in openapi["paths"][path]["get"]["parameters"] if p["name"] == name]
        return found

    assert parameter("/api/v1/jurisdictions/{slug}/profile/", "on")["allowEmptyValue"]
    assert parameter("/api/v1/agreements/", "signed_to")["allowEmptyValue"]
    # ?page= is the first page.
    assert parameter("/api/v1/agreements/", "page")["allowEmptyValue"]
    assert api_client.get(reverse("api:agreement-list"), {"page": ""}).status_code == 200
    # Not where an empty value is refused.
    assert "allowEmptyValue" not in parameter("/api/v1/agreements/", "page_size")
    assert "allowEmptyValue" not in parameter("/api/v1/agreements/{slug}/", "revision")
    assert api_client.get(reverse("api:agreement-list"), {"page_size": ""}).status_code == 400


@pytest.mark.parametrize("value", ["null", "maybe", "2"])
def test_a_checkbox_filter_that_is_neither_true_nor_false_is_a_400(api_client, value):
    response = api_client.get(reverse("api:agency-list"), {"jurisdiction_only": value})

    assert response.status_code == 400
    assert response.json() == {"jurisdiction_only": [f"Give true or false, not “{value}”."]}


@pytest.mark.parametrize("value", ["on", "true", "1", "false", "0", ""])
def test_a_checkbox_filter_reads_what_a_form_or_a_program_sends(api_client, value):
    response = api_client.get(reverse("api:agency-list"), {"jurisdiction_only": value})

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", [",,", ",", "name,,"])
def test_an_ordering_of_empty_items_sorts_as_if_unnamed(api_client, ordering):
    """Found by fuzzing: `?ordering=,,` reached the database as a sort by no field (a 500)."""
    response = api_client.get(reverse("api:agency-list"), {"ordering": ordering})

    assert response.status_code == 200
