"""Every filter of every FilterSet, through the API: it keeps what matches, drops what does not.

The HTML list pages use the same FilterSets; test_pages.py checks them there too.
"""

import datetime

import pytest
from django.urls import reverse

from agreements.filters import AgreementFilterSet, StatementFilterSet
from jurisdictions.filters import AgencyFilterSet, JurisdictionFilterSet, OrdinanceFilterSet
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    StatementFactory,
)
from tests.filter_cases import FILTER_CASES, dated, query

pytestmark = pytest.mark.django_db


def listed_slugs(client, basename, params):
    response = client.get(reverse(f"api:{basename}-list"), params)
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("basename", "param", "value", "setup"),
    FILTER_CASES,
    ids=[f"{basename}-{param}={value}" for basename, param, value, _setup in FILTER_CASES],
)
def test_filter_keeps_the_match_and_drops_the_non_match(
    api_client, places, basename, param, value, setup
):
    kept, dropped = setup(places)

    unfiltered = listed_slugs(api_client, basename, {})
    filtered = listed_slugs(api_client, basename, query(param, value))

    assert {kept, dropped} <= set(unfiltered)
    assert kept in filtered
    assert dropped not in filtered


def test_every_filter_of_every_filterset_has_a_case():
    filtersets = {
        "jurisdiction": JurisdictionFilterSet,
        "agency": AgencyFilterSet,
        "ordinance": OrdinanceFilterSet,
        "agreement": AgreementFilterSet,
        "statement": StatementFilterSet,
    }
    declared = {
        (basename, name)
        for basename, filterset in filtersets.items()
        for name in filterset.base_filters
        if name != "ordering"
    }

    assert declared == {(basename, param) for basename, param, _value, _setup in FILTER_CASES}
    assert set(ORDERINGS) == {
        (basename, param)
        for basename, filterset in filtersets.items()
        for param, _label in filterset.base_filters["ordering"].extra["choices"]
        if not param.startswith("-")
    }


def test_filter_by_a_draft_place_is_refused_to_the_public(api_client, places):
    JurisdictionFactory(slug="draft-place", publication_state="draft")

    response = api_client.get(reverse("api:agency-list"), {"jurisdiction": "draft-place"})

    assert response.status_code == 400
    assert list(response.json()) == ["jurisdiction"]


def test_filter_by_a_draft_place_is_allowed_to_staff(staff_api_client, places):
    draft = JurisdictionFactory(slug="draft-place", publication_state="draft")
    AgencyFactory(slug="draft-place-police", jurisdiction=draft)

    slugs = listed_slugs(staff_api_client, "agency", {"jurisdiction": "draft-place"})

    assert slugs == ["draft-place-police"]


def test_filters_combine(api_client, places):
    AgreementFactory(slug="both", local_party=places.cpd, status="in_force")
    AgreementFactory(slug="status-only", local_party=places.sheriff, status="in_force")
    AgreementFactory(slug="place-only", local_party=places.cpd, status="proposed")

    slugs = listed_slugs(
        api_client, "agreement", {"jurisdiction": "chicago", "status": "in_force"}
    )

    assert slugs == ["both"]


# Ordering: each sort key both ways; empty dates last either way; ties broken by id.


def set_updated(record, minutes):
    when = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(minutes=minutes)
    type(record).objects.filter(pk=record.pk).update(updated_at=when)


def three(factory_class, field, values, **common):
    """Three records, `a`, `b`, `c`, with `field` set to the given values in that order."""
    records = []
    for slug, value in zip("abc", values, strict=True):
        if field == "updated_at":
            record = factory_class(slug=slug, **common)
            set_updated(record, value)
        else:
            record = factory_class(slug=slug, **{**common, **value})
        records.append(record)
    return records


ORDERINGS = {
    ("jurisdiction", "name"): lambda p: (
        three(
            JurisdictionFactory, "name", [{"name": "Alpha"}, {"name": "Bravo"}, {"name": "Zulu"}]
        ),
        ["a", "b", "c"],
    ),
    ("jurisdiction", "kind"): lambda p: (
        three(
            JurisdictionFactory,
            "kind",
            [{"kind": "city"}, {"kind": "county"}, {"kind": "state"}],
            parent=p.nation,
        ),
        ["a", "b", "c"],
    ),
    ("jurisdiction", "updated"): lambda p: (
        three(JurisdictionFactory, "updated_at", [1, 2, 3]),
        ["a", "b", "c"],
    ),
    ("agency", "name"): lambda p: (
        three(AgencyFactory, "name", [{"name": "Alpha"}, {"name": "Bravo"}, {"name": "Zulu"}]),
        ["a", "b", "c"],
    ),
    ("agency", "kind"): lambda p: (
        three(
            AgencyFactory,
            "kind",
            [{"kind": "association"}, {"kind": "police"}, {"kind": "sheriff"}],
        ),
        ["a", "b", "c"],
    ),
    ("agency", "updated"): lambda p: (
        three(AgencyFactory, "updated_at", [1, 2, 3]),
        ["a", "b", "c"],
    ),
    ("ordinance", "adopted"): lambda p: (
        three(
            OrdinanceFactory,
            "adopted_on",
            [dated("adopted_on", "2010-01-01"), dated("adopted_on", "2012-09-11"), {}],
        ),
        ["a", "b", "c"],
    ),
    ("ordinance", "title"): lambda p: (
        three(OrdinanceFactory, "title", [{"title": "A"}, {"title": "B"}, {"title": "C"}]),
        ["a", "b", "c"],
    ),
    ("ordinance", "updated"): lambda p: (
        three(OrdinanceFactory, "updated_at", [1, 2, 3]),
        ["a", "b", "c"],
    ),
    ("agreement", "signed"): lambda p: (
        three(
            AgreementFactory,
            "signed_on",
            [dated("signed_on", "2010-01-01"), dated("signed_on", "2017-01-01"), {}],
        ),
        ["a", "b", "c"],
    ),
    ("agreement", "title"): lambda p: (
        three(AgreementFactory, "title", [{"title": "A"}, {"title": "B"}, {"title": "C"}]),
        ["a", "b", "c"],
    ),
    ("agreement", "updated"): lambda p: (
        three(AgreementFactory, "updated_at", [1, 2, 3]),
        ["a", "b", "c"],
    ),
    ("statement", "date"): lambda p: (
        three(
            StatementFactory,
            "made_on",
            [dated("made_on", "2017-01-30"), dated("made_on", "2017-03-23"), {}],
        ),
        ["a", "b", "c"],
    ),
    ("statement", "title"): lambda p: (
        three(StatementFactory, "title", [{"title": "A"}, {"title": "B"}, {"title": "C"}]),
        ["a", "b", "c"],
    ),
    ("statement", "updated"): lambda p: (
        three(StatementFactory, "updated_at", [1, 2, 3]),
        ["a", "b", "c"],
    ),
}
DATE_KEYS = {"adopted", "signed", "date"}


def ours(slugs):
    return [slug for slug in slugs if slug in {"a", "b", "c"}]


@pytest.mark.parametrize(
    ("basename", "key"), list(ORDERINGS), ids=[f"{b}-{k}" for b, k in ORDERINGS]
)
def test_ordering_sorts_ascending_and_descending(api_client, places, basename, key):
    _records, ascending = ORDERINGS[(basename, key)](places)
    # With an empty date, `c` comes last both ways; otherwise descending is the reverse.
    descending = ["b", "a", "c"] if key in DATE_KEYS else ascending[::-1]

    assert ours(listed_slugs(api_client, basename, {"ordering": key})) == ascending
    assert ours(listed_slugs(api_client, basename, {"ordering": f"-{key}"})) == descending


def test_ordering_ties_are_broken_by_id(api_client):
    first, second, third = JurisdictionFactory.create_batch(3, name="Springfield")

    slugs = listed_slugs(api_client, "jurisdiction", {"ordering": "-name"})

    assert slugs == [first.slug, second.slug, third.slug]


def test_default_order_of_agreements_is_latest_signed_first_undated_last(api_client, places):
    AgreementFactory(slug="old", **dated("signed_on", "2010-01-01"))
    AgreementFactory(slug="undated")
    AgreementFactory(slug="new", **dated("signed_on", "2017-01-01"))

    assert listed_slugs(api_client, "agreement", {}) == ["new", "old", "undated"]


def test_default_order_of_jurisdictions_is_by_name(api_client, places):
    assert listed_slugs(api_client, "jurisdiction", {}) == [
        "chicago",
        "cook-county",
        "dupage-county",
        "illinois",
        "united-states",
    ]


# Malformed filter values: a 400 that names the filter, never a 500 or an empty list.

MALFORMED = [
    ("jurisdiction", "kind", "bogus"),
    ("jurisdiction", "parent", "no-such-slug"),
    ("jurisdiction", "ordering", "bogus"),
    ("agency", "kind", "bogus"),
    ("agency", "jurisdiction", "no-such-slug"),
    ("agency", "parent", "no-such-slug"),
    ("agency", "ordering", "population"),
    ("ordinance", "kind", "bogus"),
    ("ordinance", "status", "bogus"),
    ("ordinance", "jurisdiction", "no-such-slug"),
    ("ordinance", "issued_by", "no-such-slug"),
    ("ordinance", "in_force_on", "notadate"),
    ("ordinance", "in_force_on", "2019-02-30"),
    ("ordinance", "adopted_from", "2012-13-01"),
    ("ordinance", "adopted_to", "yesterday"),
    ("ordinance", "ordering", "bogus"),
    ("agreement", "kind", "bogus"),
    ("agreement", "status", "bogus"),
    ("agreement", "jurisdiction", "no-such-slug"),
    ("agreement", "local_party", "no-such-slug"),
    ("agreement", "federal_party", "no-such-slug"),
    ("agreement", "in_force_on", "notadate"),
    ("agreement", "signed_from", "notadate"),
    ("agreement", "signed_to", "2017-1"),
    ("agreement", "ordering", "bogus"),
    ("statement", "speaker_agency", "no-such-slug"),
    ("statement", "jurisdiction", "no-such-slug"),
    ("statement", "agency", "no-such-slug"),
    ("statement", "ordinance", "no-such-slug"),
    ("statement", "agreement", "no-such-slug"),
    ("statement", "made_from", "notadate"),
    ("statement", "made_to", "notadate"),
    ("statement", "ordering", "bogus"),
]


@pytest.mark.parametrize(
    ("basename", "param", "value"),
    MALFORMED,
    ids=[f"{basename}-{param}={value}" for basename, param, value in MALFORMED],
)
def test_malformed_filter_value_is_400_naming_the_filter(
    api_client, places, basename, param, value
):
    response = api_client.get(reverse(f"api:{basename}-list"), query(param, value))

    assert response.status_code == 400
    assert list(response.json()) == [param]
    if value == "no-such-slug":
        assert response.json()[param] == ["No published record has the slug “no-such-slug”."]
