"""The public HTML pages: what a reader needs is on them, drafts are not, errors are clear."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    CityFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    SourceFactory,
    StatementFactory,
)
from tests.filter_cases import FILTER_CASES, query

pytestmark = pytest.mark.django_db


def month(field):
    """September 2012, known only to the month, on the date field `field`."""
    return {field: datetime.date(2012, 9, 1), f"{field}_precision": "month"}


def draft():
    return {"publication_state": "draft"}


def page(client, name, params=None, status=200):
    response = client.get(reverse(name), params or {})
    assert response.status_code == status, (name, params, response.status_code)
    return response


def detail(client, namespace, slug, status=200):
    response = client.get(reverse(f"{namespace}:detail", kwargs={"slug": slug}))
    assert response.status_code == status, (namespace, slug, response.status_code)
    return response


def listed(response):
    return [record.slug for record in response.context["object_list"]]


# One record of each type, published and cited, with a month-precision date where it has one.
# namespace, factory, the field shown as its title, the date field (or None).
RECORD_TYPES = [
    ("jurisdictions", JurisdictionFactory, "name", None),
    ("agencies", AgencyFactory, "name", None),
    ("ordinances", OrdinanceFactory, "title", "adopted_on"),
    ("agreements", AgreementFactory, "title", "signed_on"),
    ("statements", StatementFactory, "title", "made_on"),
]
TYPE_IDS = [namespace for namespace, *_rest in RECORD_TYPES]


def make_cited(factory_class, title_field, date_field, **fields):
    dates = month(date_field) if date_field else {}
    record = factory_class(**{title_field: "The Published Record", **dates, **fields})
    SourceFactory(
        record=record,
        title="The Cited Document",
        publisher="City Clerk",
        excerpt="The passage that supports it.",
        **month("published_on"),
    )
    return record


@pytest.mark.parametrize(
    ("namespace", "factory_class", "title", "date"), RECORD_TYPES, ids=TYPE_IDS
)
def test_list_page_shows_published_records_and_hides_drafts(
    client, namespace, factory_class, title, date
):
    published = make_cited(factory_class, title, date)
    hidden = factory_class(**{title: "The Draft Record", **draft()})

    response = page(client, f"{namespace}:list")
    html = response.content.decode()

    assert "The Published Record" in html
    assert published.get_absolute_url() in html
    assert "The Draft Record" not in html
    assert hidden.slug not in listed(response)
    if date:
        assert "September 2012" in html


@pytest.mark.parametrize(
    ("namespace", "factory_class", "title", "date"), RECORD_TYPES, ids=TYPE_IDS
)
def test_detail_page_shows_the_record_its_sources_and_dates_at_their_precision(
    client, namespace, factory_class, title, date
):
    record = make_cited(factory_class, title, date)

    html = detail(client, namespace, record.slug).content.decode()

    assert "<h1>The Published Record" in html
    assert "The Cited Document" in html
    assert "The passage that supports it." in html
    assert '<time datetime="2012-09">September 2012</time>' in html
    assert "Draft." not in html


@pytest.mark.parametrize(
    ("namespace", "factory_class", "title", "date"), RECORD_TYPES, ids=TYPE_IDS
)
def test_detail_page_of_a_draft_is_404_for_the_public(
    client, namespace, factory_class, title, date
):
    hidden = factory_class(**draft())

    detail(client, namespace, hidden.slug, status=404)


@pytest.mark.parametrize(
    ("namespace", "factory_class", "title", "date"), RECORD_TYPES, ids=TYPE_IDS
)
def test_detail_page_of_a_draft_is_shown_to_staff_marked_as_draft(
    staff_client, namespace, factory_class, title, date
):
    hidden = factory_class(**draft())

    html = detail(staff_client, namespace, hidden.slug).content.decode()

    assert "Only staff can see this record" in html


@pytest.mark.parametrize("namespace", TYPE_IDS)
def test_unknown_slug_is_404_with_the_site_page_not_found(client, namespace):
    response = detail(client, namespace, "no-such-record", status=404)

    assert "<h1>Page not found</h1>" in response.content.decode()
    assert response.templates[0].name == "404.html"


def test_home_page_shows_counts_places_with_rules_and_recent_records(client, chain):
    OrdinanceFactory(jurisdiction=chain.city)
    OrdinanceFactory(jurisdiction=chain.county, **draft())
    cpd = AgencyFactory(jurisdiction=chain.city)
    hsi = AgencyFactory(jurisdiction=chain.nation, kind="federal_agency")
    AgreementFactory(title="Customs cross-designation", local_party=cpd, federal_party=hsi)
    StatementFactory(title="On the executive orders", speaker_agency=cpd, **month("made_on"))

    response = page(client, "home")
    html = response.content.decode()

    assert [place.slug for place in response.context["places"]] == ["chicago"]
    assert chain.city.get_absolute_url() in html
    assert "Customs cross-designation" in html
    assert "On the executive orders" in html
    assert "September 2012" in html
    assert response.context["counts"]["ordinances"] == 1
    assert response.context["nation"] == chain.nation


def test_about_page_answers_200(client):
    html = page(client, "about").content.decode()

    assert "<h1>" in html


def test_about_page_gives_the_license_and_a_corrections_address_to_write_to(client):
    html = page(client, "about").content.decode()

    assert (
        'published under <a href="https://creativecommons.org/licenses/by/4.0/" rel="license">'
        "Creative Commons Attribution 4.0 (CC BY 4.0)</a>."
    ) in html
    assert 'tell the maintainers through <a href="/corrections/">the corrections form</a>.' in (
        html
    )
    assert "issue tracker" not in html


def test_about_page_takes_license_and_corrections_from_settings(client, settings):
    settings.DATA_LICENSE, settings.DATA_LICENSE_URL = "ODC-By 1.0", ""
    settings.CORRECTIONS_URL = "https://tracker.example.net/issues/new"

    html = page(client, "about").content.decode()

    assert "published under ODC-By 1.0. The documents" in html
    assert (
        'tell the maintainers through <a href="https://tracker.example.net/issues/new">'
        "https://tracker.example.net/issues/new</a>."
    ) in html


# The jurisdiction page: where it lies, what lies within it, what applies there


def test_jurisdiction_page_shows_its_chain_places_agencies_rules_agreements_statements(
    client, chain
):
    township = JurisdictionFactory(name="Hyde Park", kind="township", parent=chain.city)
    JurisdictionFactory(name="Draft Township", kind="township", parent=chain.city, **draft())
    cpd = AgencyFactory(name="Chicago Police Department", jurisdiction=chain.city)
    AgencyFactory(name="Draft Agency", jurisdiction=chain.city, **draft())
    OrdinanceFactory(title="Welcoming City Ordinance", jurisdiction=chain.city)
    OrdinanceFactory(title="County Detainer Ordinance", jurisdiction=chain.county)
    OrdinanceFactory(title="Repealed County Rule", jurisdiction=chain.county, status="repealed")
    OrdinanceFactory(title="Elsewhere Rule", jurisdiction=CityFactory())
    AgreementFactory(title="CPD–HSI cross-designation", local_party=cpd)
    AgreementFactory(title="Agreement of another place")
    StatementFactory(title="Mayor on the ordinance", about_jurisdictions=[chain.city])
    StatementFactory(title="Statement about elsewhere", about_jurisdictions=[chain.county])

    response = detail(client, "jurisdictions", "chicago")
    html = response.content.decode()

    assert response.context["ancestors"] == [chain.nation, chain.state, chain.county]
    for place in (chain.nation, chain.state, chain.county, township):
        assert f'<a href="{place.get_absolute_url()}">{place.name}</a>' in html
    for shown in [
        "Hyde Park",
        "Chicago Police Department",
        "Welcoming City Ordinance",
        "County Detainer Ordinance",
        "CPD–HSI cross-designation",
        "Mayor on the ordinance",
    ]:
        assert shown in html
    for hidden in [
        "Draft Township",
        "Draft Agency",
        "Repealed County Rule",
        "Elsewhere Rule",
        "Agreement of another place",
        "Statement about elsewhere",
    ]:
        assert hidden not in html


def test_nation_page_has_no_chain_and_lists_its_states(client, chain):
    response = detail(client, "jurisdictions", "united-states")

    assert response.context["ancestors"] == []
    assert list(response.context["children"]) == [chain.state]


# Filters on the list pages: the same FilterSets as the API


@pytest.mark.parametrize(
    ("basename", "param", "value", "setup"),
    FILTER_CASES,
    ids=[f"{basename}-{param}={value}" for basename, param, value, _setup in FILTER_CASES],
)
def test_list_page_filter_keeps_the_match_and_drops_the_non_match(
    client, places, basename, param, value, setup
):
    kept, dropped = setup(places)
    namespace = {"agency": "agencies"}.get(basename, f"{basename}s")

    unfiltered = listed(page(client, f"{namespace}:list"))
    filtered = page(client, f"{namespace}:list", query(param, value))

    assert {kept, dropped} <= set(unfiltered)
    assert kept in listed(filtered)
    assert dropped not in listed(filtered)
    assert filtered.context["filterset"].active_filters


def test_list_page_ordering_sorts_both_ways(client):
    for slug, name in [("b", "Bravo"), ("a", "Alpha"), ("c", "Charlie")]:
        AgencyFactory(slug=slug, name=name)

    assert listed(page(client, "agencies:list", {"ordering": "name"})) == ["a", "b", "c"]
    assert listed(page(client, "agencies:list", {"ordering": "-name"})) == ["c", "b", "a"]


@pytest.mark.parametrize(
    ("name", "param", "value", "message"),
    [
        ("agreements:list", "jurisdiction", "no-such-place", "No published record has the slug"),
        ("ordinances:list", "in_force_on", "notadate", "Enter a valid date."),
        ("agreements:list", "signed_from", "2012-13-01", "Enter a valid date."),
        ("statements:list", "agency", "no-such-agency", "No published record has the slug"),
        ("jurisdictions:list", "parent", "no-such-place", "No published record has the slug"),
    ],
)
def test_list_page_bad_filter_is_400_showing_the_error_and_keeping_the_input(
    client, places, name, param, value, message
):
    AgreementFactory(title="Should not be listed")

    response = page(client, name, {param: value}, status=400)
    html = response.content.decode()

    assert "These filters could not be applied" in html
    assert message in html
    assert f'name="{param}" value="{value}"' in html
    assert list(response.context["object_list"]) == []
    assert "Should not be listed" not in html


def test_list_page_bad_choice_is_400_naming_the_filter(client):
    response = page(client, "agreements:list", {"kind": "bogus"}, status=400)

    assert list(response.context["filterset"].errors) == ["kind"]
    assert "Select a valid choice. bogus is not one of the available choices." in (
        response.content.decode()
    )


@pytest.mark.parametrize("number", ["999", "abc"])
def test_list_page_past_the_end_is_404(client, number):
    AgencyFactory.create_batch(3)

    response = page(client, "agencies:list", {"page": number}, status=404)

    assert "Page not found" in response.content.decode()


def test_list_page_links_to_next_page_keeping_the_filters(client):
    AgencyFactory.create_batch(26, kind="sheriff")
    AgencyFactory(kind="police")

    response = page(client, "agencies:list", {"kind": "sheriff"})
    html = response.content.decode()

    assert len(listed(response)) == 25
    assert response.context["paginator"].count == 26
    assert 'href="?kind=sheriff&amp;page=2"' in html
    assert len(listed(page(client, "agencies:list", {"kind": "sheriff", "page": 2}))) == 1


# No outside hosts: every script, stylesheet and image comes from this site.


class AssetReferences(HTMLParser):
    def __init__(self):
        super().__init__()
        self.references = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "link", "img"):
            self.references += [value for name, value in attrs if name in ("src", "href")]


OUTSIDE = re.compile(r"^(https?:)?//", re.IGNORECASE)


@pytest.fixture
def cited_world(chain):
    cpd = AgencyFactory(slug="cpd", jurisdiction=chain.city, website="https://police.example.org/")
    records = [
        chain.city,
        cpd,
        OrdinanceFactory(slug="rule", jurisdiction=chain.city, **month("adopted_on")),
        AgreementFactory(slug="deal", local_party=cpd),
        StatementFactory(slug="talk", speaker_agency=cpd, about_jurisdictions=[chain.city]),
    ]
    for record in records:
        SourceFactory(record=record, url="https://records.example.org/doc.pdf")


PAGE_URLS = [
    ("home", None),
    ("about", None),
    ("jurisdictions:list", None),
    ("jurisdictions:detail", "chicago"),
    ("agencies:list", None),
    ("agencies:detail", "cpd"),
    ("ordinances:list", None),
    ("ordinances:detail", "rule"),
    ("agreements:list", None),
    ("agreements:detail", "deal"),
    ("statements:list", None),
    ("statements:detail", "talk"),
]


@pytest.mark.parametrize(("name", "slug"), PAGE_URLS, ids=[name for name, _slug in PAGE_URLS])
def test_page_loads_scripts_styles_and_images_only_from_this_site(client, cited_world, name, slug):
    response = client.get(reverse(name, kwargs={"slug": slug}) if slug else reverse(name))
    parser = AssetReferences()
    parser.feed(response.content.decode())

    assert response.status_code == 200
    assert parser.references  # the stylesheet at least
    assert [ref for ref in parser.references if OUTSIDE.match(ref)] == []


def test_404_page_loads_assets_only_from_this_site(client):
    response = detail(client, "agreements", "no-such-record", status=404)
    parser = AssetReferences()
    parser.feed(response.content.decode())

    assert parser.references
    assert [ref for ref in parser.references if OUTSIDE.match(ref)] == []


def test_unknown_address_404_does_not_show_the_resolver_exception(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Resolver404" not in response.content.decode()
