"""The REST API: public reads, exact payloads, permissioned writes, pagination, schema.

Filters and ordering have their own module, test_api_filters.py.
"""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.urls import reverse

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.models import Citation, PublicationState, Source
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    SourceFactory,
    StatementFactory,
)
from tests.payloads import revision_payload

pytestmark = pytest.mark.django_db

# Fixed times so that payloads can be compared whole, as written in Chicago's offset.
CREATED_AT = datetime.datetime(2024, 1, 2, 18, 0, 0, tzinfo=datetime.UTC)
CREATED_AT_JSON = "2024-01-02T12:00:00-06:00"
UPDATED_AT = datetime.datetime(2024, 3, 5, 12, 7, 8, tzinfo=datetime.UTC)
UPDATED_AT_JSON = "2024-03-05T06:07:08-06:00"
TIMES = {"created_at": CREATED_AT_JSON, "updated_at": UPDATED_AT_JSON}

ENDPOINTS = [
    ("jurisdiction", Jurisdiction, JurisdictionFactory),
    ("agency", Agency, AgencyFactory),
    ("ordinance", Ordinance, OrdinanceFactory),
    ("agreement", Agreement, AgreementFactory),
    ("statement", Statement, StatementFactory),
]
ENDPOINT_IDS = [basename for basename, _model, _factory in ENDPOINTS]


def list_url(basename, **params):
    url = reverse(f"api:{basename}-list")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def detail_url(basename, slug):
    return reverse(f"api:{basename}-detail", kwargs={"slug": slug})


def listed_slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def source_addresses(source):
    """The nested source's id and its addresses in the API and on the site."""
    return {
        "id": source.pk,
        "api_url": f"http://testserver{reverse('api:source-detail', args=[source.pk])}",
        "html_url": f"http://testserver{source.get_absolute_url()}",
    }


def freeze_times(*models):
    for model in models:
        model.objects.update(created_at=CREATED_AT, updated_at=UPDATED_AT)


def table(model):
    return list(model.objects.order_by("pk").values())


# Anonymous reads


@pytest.mark.parametrize(("basename", "model", "factory_class"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_anonymous_list_shows_published_records_and_hides_drafts(
    api_client, basename, model, factory_class
):
    published = factory_class()
    draft = factory_class(publication_state=PublicationState.DRAFT)

    slugs = listed_slugs(api_client.get(list_url(basename)))

    assert published.slug in slugs
    assert draft.slug not in slugs


@pytest.mark.parametrize(("basename", "model", "factory_class"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_anonymous_detail_of_published_record_is_200_and_of_draft_is_404(
    api_client, basename, model, factory_class
):
    published = factory_class()
    draft = factory_class(publication_state=PublicationState.DRAFT)

    found = api_client.get(detail_url(basename, published.slug))
    hidden = api_client.get(detail_url(basename, draft.slug))

    assert found.status_code == 200
    assert found.json()["slug"] == published.slug
    assert hidden.status_code == 404


@pytest.mark.parametrize(("basename", "model", "factory_class"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_staff_with_view_permission_sees_drafts(staff_api_client, basename, model, factory_class):
    draft = factory_class(publication_state=PublicationState.DRAFT)

    assert draft.slug in listed_slugs(staff_api_client.get(list_url(basename)))
    assert staff_api_client.get(detail_url(basename, draft.slug)).status_code == 200


@pytest.mark.parametrize(("basename", "model", "factory_class"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_detail_embeds_the_record_sources_in_date_order(
    api_client, basename, model, factory_class
):
    record = factory_class()
    SourceFactory(
        record=record,
        title="Later report",
        published_on=datetime.date(2019, 1, 1),
        published_on_precision="year",
    )
    SourceFactory(
        record=record,
        title="Ordinance text",
        published_on=datetime.date(2012, 9, 1),
        published_on_precision="month",
    )
    SourceFactory(record=factory_class(), title="Another record's source")

    citations = api_client.get(detail_url(basename, record.slug)).json()["citations"]

    assert [(c["source"]["title"], c["source"]["published"]) for c in citations] == [
        ("Ordinance text", "2012-09"),
        ("Later report", "2019"),
    ]


def test_ordinance_detail_hides_draft_related_rules_from_anonymous_readers(api_client):
    ordinance = OrdinanceFactory()
    ordinance.amends.set(
        [
            OrdinanceFactory(slug="published-rule"),
            OrdinanceFactory(slug="draft-rule", publication_state=PublicationState.DRAFT),
        ]
    )

    amends = api_client.get(detail_url("ordinance", ordinance.slug)).json()["amends"]

    assert [rule["slug"] for rule in amends] == ["published-rule"]


# Exact payloads


@pytest.fixture
def cpd_hsi_agreement(chain):
    """The CPD–HSI customs cross-designation, cited, with every field shown in the API set."""
    cpd = AgencyFactory(
        name="Chicago Police Department",
        abbreviation="CPD",
        slug="cpd",
        jurisdiction=chain.city,
    )
    hsi = AgencyFactory(
        name="Homeland Security Investigations",
        abbreviation="HSI",
        slug="hsi",
        kind="federal_agency",
        jurisdiction=chain.nation,
    )
    agreement = AgreementFactory(
        title="CPD–HSI customs cross-designation",
        slug="cpd-hsi-customs",
        kind="customs_cross_designation",
        status="in_force",
        local_party=cpd,
        federal_party=hsi,
        signed_on=datetime.date(2012, 9, 1),
        signed_on_precision="month",
        effective_on=datetime.date(2012, 9, 14),
        effective_on_precision="day",
        expires_on=datetime.date(2030, 1, 1),
        expires_on_precision="year",
        summary="CPD officers may enforce customs law alongside HSI.",
        scope="Customs violations.",
        exclusions="Civil immigration enforcement.",
        full_text="The parties agree…",
    )
    SourceFactory(
        record=agreement,
        title="Memorandum of understanding",
        publisher="HSI Chicago",
        kind="official_record",
        url="https://records.example.org/mou.pdf",
        published_on=datetime.date(2012, 9, 1),
        published_on_precision="month",
        accessed_on=datetime.date(2024, 1, 2),
        archive_url="https://archive.example.org/mou.pdf",
        excerpt="Civil immigration enforcement is excluded.",
        locator="p. 3",
        note="The clause on civil enforcement.",
    )
    freeze_times(Jurisdiction, Agency, Agreement, Source)
    return agreement


AGREEMENT_LIST_ITEM = {
    "title": "CPD–HSI customs cross-designation",
    "title_es": "",
    "summary_es": "",
    "kind": "customs_cross_designation",
    "status": "in_force",
    "local_party": {
        "slug": "cpd",
        "name": "Chicago Police Department",
        "url": "http://testserver/api/v1/agencies/cpd/",
    },
    "federal_party": {
        "slug": "hsi",
        "name": "Homeland Security Investigations",
        "url": "http://testserver/api/v1/agencies/hsi/",
    },
    "jurisdiction": {
        "slug": "chicago",
        "name": "Chicago",
        "url": "http://testserver/api/v1/jurisdictions/chicago/",
    },
    "signed": "2012-09",
    "effective": "2012-09-14",
    "expires": "2030",
    "terminated": None,
    "scope": "Customs violations.",
    "exclusions": "Civil immigration enforcement.",
    "full_text": "The parties agree…",
    "listing_id": "",
    "listing_state": "",
    "first_listed_on": None,
    "last_listed_on": None,
    "url": "http://testserver/api/v1/agreements/cpd-hsi-customs/",
    "html_url": "http://testserver/agreements/cpd-hsi-customs/",
    "slug": "cpd-hsi-customs",
    "summary": "CPD officers may enforce customs law alongside HSI.",
    "publication_state": "published",
    "created_at": CREATED_AT_JSON,
    "updated_at": UPDATED_AT_JSON,
}


def test_agreement_detail_payload_is_exact(api_client, cpd_hsi_agreement):
    response = api_client.get(detail_url("agreement", "cpd-hsi-customs"))

    assert response.status_code == 200
    assert response.json() == {
        "revision": revision_payload(Agreement.objects.get(slug="cpd-hsi-customs")),
        **AGREEMENT_LIST_ITEM,
        "citations": [
            {
                "source": {
                    **source_addresses(cpd_hsi_agreement.sources.get()),
                    "title": "Memorandum of understanding",
                    "publisher": "HSI Chicago",
                    "kind": "official_record",
                    "is_opinion": False,
                    "url": "https://records.example.org/mou.pdf",
                    "published": "2012-09",
                    "accessed_on": "2024-01-02",
                    "archive_url": "https://archive.example.org/mou.pdf",
                    "document": None,
                    "document_file": None,
                    "notes": "",
                    **TIMES,
                },
                "locator": "p. 3",
                "excerpt": "Civil immigration enforcement is excluded.",
                "note": "The clause on civil enforcement.",
            }
        ],
    }


def test_agreement_list_payload_is_exact(api_client, cpd_hsi_agreement):
    AgreementFactory(slug="draft-agreement", publication_state=PublicationState.DRAFT)

    response = api_client.get(list_url("agreement"))

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [AGREEMENT_LIST_ITEM],
    }


JURISDICTION_ITEMS = {
    "united-states": {
        "name": "United States",
        "kind": "nation",
        "parent": None,
        "also_within": [],
        "ocd_id": "ocd-division/country:us",
        "fips": "",
        "url": "http://testserver/api/v1/jurisdictions/united-states/",
        "html_url": "http://testserver/jurisdictions/united-states/",
        "slug": "united-states",
        "summary": "What United States decides.",
        "publication_state": "published",
        "created_at": CREATED_AT_JSON,
        "updated_at": UPDATED_AT_JSON,
    },
    "illinois": {
        "name": "Illinois",
        "kind": "state",
        "parent": {
            "slug": "united-states",
            "name": "United States",
            "url": "http://testserver/api/v1/jurisdictions/united-states/",
        },
        "also_within": [],
        "ocd_id": "ocd-division/country:us/state:il",
        "fips": "17",
        "url": "http://testserver/api/v1/jurisdictions/illinois/",
        "html_url": "http://testserver/jurisdictions/illinois/",
        "slug": "illinois",
        "summary": "What Illinois decides.",
        "publication_state": "published",
        "created_at": CREATED_AT_JSON,
        "updated_at": UPDATED_AT_JSON,
    },
}


@pytest.fixture
def us_and_illinois(chain):
    Jurisdiction.objects.filter(pk=chain.nation.pk).update(ocd_id="ocd-division/country:us")
    Jurisdiction.objects.filter(pk=chain.state.pk).update(
        ocd_id="ocd-division/country:us/state:il", fips="17"
    )
    Jurisdiction.objects.filter(pk__in=[chain.county.pk, chain.city.pk]).update(
        publication_state=PublicationState.DRAFT
    )
    SourceFactory(
        record=chain.state,
        title="Illinois Compiled Statutes",
        publisher="Illinois General Assembly",
        kind="official_record",
        url="https://www.ilga.gov/",
    )
    freeze_times(Jurisdiction, Source)
    return chain


def test_jurisdiction_detail_payload_is_exact(api_client, us_and_illinois):
    response = api_client.get(detail_url("jurisdiction", "illinois"))

    assert response.status_code == 200
    assert response.json() == {
        "revision": revision_payload(Jurisdiction.objects.get(slug="illinois")),
        **JURISDICTION_ITEMS["illinois"],
        "citations": [
            {
                "source": {
                    **source_addresses(us_and_illinois.state.sources.get()),
                    "title": "Illinois Compiled Statutes",
                    "publisher": "Illinois General Assembly",
                    "kind": "official_record",
                    "is_opinion": False,
                    "url": "https://www.ilga.gov/",
                    "published": None,
                    "accessed_on": None,
                    "archive_url": "",
                    "document": None,
                    "document_file": None,
                    "notes": "",
                    **TIMES,
                },
                "locator": "",
                "excerpt": "",
                "note": "",
            }
        ],
        "links": {
            "places_within": "http://testserver/api/v1/jurisdictions/?within=illinois",
            "agencies": "http://testserver/api/v1/agencies/?jurisdiction=illinois",
            "ordinances": "http://testserver/api/v1/ordinances/?jurisdiction=illinois",
            "agreements": "http://testserver/api/v1/agreements/?jurisdiction=illinois",
            "statements": "http://testserver/api/v1/statements/?jurisdiction=illinois",
        },
    }


def test_jurisdiction_list_payload_is_exact(api_client, us_and_illinois):
    response = api_client.get(list_url("jurisdiction"))

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [JURISDICTION_ITEMS["illinois"], JURISDICTION_ITEMS["united-states"]],
    }


def test_jurisdiction_detail_links_lead_to_lists_filtered_to_the_place(
    api_client, cpd_hsi_agreement
):
    links = api_client.get(detail_url("jurisdiction", "chicago")).json()["links"]

    assert listed_slugs(api_client.get(links["agencies"])) == ["cpd"]
    assert listed_slugs(api_client.get(links["agreements"])) == ["cpd-hsi-customs"]
    assert listed_slugs(api_client.get(links["places_within"])) == []


def test_agency_detail_payload_is_exact(api_client, cpd_hsi_agreement):
    response = api_client.get(detail_url("agency", "hsi"))

    assert response.status_code == 200
    assert response.json() == {
        "revision": revision_payload(Agency.objects.get(slug="hsi")),
        "name": "Homeland Security Investigations",
        "abbreviation": "HSI",
        "kind": "federal_agency",
        "jurisdiction": {
            "slug": "united-states",
            "name": "United States",
            "url": "http://testserver/api/v1/jurisdictions/united-states/",
        },
        "parent": None,
        "website": "",
        "ori": "",
        "url": "http://testserver/api/v1/agencies/hsi/",
        "html_url": "http://testserver/agencies/hsi/",
        "slug": "hsi",
        "summary": "A body that acts.",
        "publication_state": "published",
        "created_at": CREATED_AT_JSON,
        "updated_at": UPDATED_AT_JSON,
        "citations": [],
        "links": {
            "components": "http://testserver/api/v1/agencies/?parent=hsi",
            "agreements_as_local_party": "http://testserver/api/v1/agreements/?local_party=hsi",
            "agreements_as_federal_party": (
                "http://testserver/api/v1/agreements/?federal_party=hsi"
            ),
            "statements": "http://testserver/api/v1/statements/?speaker_agency=hsi",
        },
    }


def test_listed_287g_agreement_and_agency_ori_are_in_the_api(api_client, chain):
    sheriff = AgencyFactory(
        slug="sheriff", kind="sheriff", jurisdiction=chain.county, ori="IL0160000"
    )
    AgreementFactory(
        slug="jail-model",
        kind="287g_jail",
        local_party=sheriff,
        federal_party=AgencyFactory(slug="ice", kind="federal_agency"),
        listing_id="il-sheriff-jem-2025-05-08",
        listing_state="no_longer_listed",
        first_listed_on=datetime.date(2025, 5, 8),
        last_listed_on=datetime.date(2025, 6, 16),
    )

    agreement = api_client.get(detail_url("agreement", "jail-model")).json()
    listed = api_client.get(list_url("agreement")).json()["results"][0]
    agency = api_client.get(detail_url("agency", "sheriff")).json()

    listing = {
        "listing_id": "il-sheriff-jem-2025-05-08",
        "listing_state": "no_longer_listed",
        "first_listed_on": "2025-05-08",
        "last_listed_on": "2025-06-16",
    }
    assert {name: agreement[name] for name in listing} == listing
    assert {name: listed[name] for name in listing} == listing
    assert agency["ori"] == "IL0160000"
    listed_agencies = api_client.get(list_url("agency"), {"jurisdiction": "cook-county"}).json()
    assert [a["ori"] for a in listed_agencies["results"]] == ["IL0160000"]


def test_staff_patch_sets_an_ori_and_a_listing_but_not_the_listing_id(staff_api_client, parties):
    agreement = AgreementFactory(local_party=parties[0], federal_party=parties[1])

    agency = staff_api_client.patch(detail_url("agency", "cpd"), {"ori": "IL0160000"})
    listed = staff_api_client.patch(
        detail_url("agreement", agreement.slug),
        {
            "listing_id": "made-up",
            "listing_state": "listed",
            "first_listed_on": "2025-05-08",
            "last_listed_on": "2025-05-08",
        },
    )

    assert (agency.status_code, listed.status_code) == (200, 200)
    assert Agency.objects.get(slug="cpd").ori == "IL0160000"
    agreement.refresh_from_db()
    assert (agreement.listing_state, agreement.first_listed_on) == (
        "listed",
        datetime.date(2025, 5, 8),
    )
    assert agreement.listing_id == ""  # derived by the importer, never written by hand


@pytest.mark.parametrize(
    ("basename", "slug_of", "data", "field"),
    [
        ("agency", lambda p, a: "cpd", {"ori": "il-016"}, "ori"),
        ("agreement", lambda p, a: a.slug, {"listing_state": "listed"}, "listing_state"),
        (
            "agreement",
            lambda p, a: a.slug,
            {"first_listed_on": "2025-06-01", "last_listed_on": "2025-05-01"},
            "last_listed_on",
        ),
        ("agreement", lambda p, a: a.slug, {"listing_state": "gone"}, "listing_state"),
    ],
    ids=["bad ori", "listed without dates", "last before first", "unknown listing state"],
)
def test_staff_patch_bad_ori_or_listing_is_400_naming_the_field_and_changes_nothing(
    staff_api_client, parties, basename, slug_of, data, field
):
    agreement = AgreementFactory(local_party=parties[0], federal_party=parties[1])
    before = (table(Agency), table(Agreement))

    response = staff_api_client.patch(detail_url(basename, slug_of(parties, agreement)), data)

    assert response.status_code == 400
    assert field in response.json()
    assert (table(Agency), table(Agreement)) == before


def test_schema_describes_the_ori_and_listing_fields(api_client):
    components = api_client.get(reverse("schema"), {"format": "json"}).json()["components"]
    agency = components["schemas"]["AgencyDetail"]["properties"]
    agreement = components["schemas"]["AgreementDetail"]["properties"]

    assert agency["ori"]["type"] == "string"
    assert agreement["listing_id"]["readOnly"] is True
    assert agreement["first_listed_on"] == {
        "type": "string",
        "format": "date",
        "nullable": True,
        "title": "First listed",
        "description": "The date of the first imported list that named it.",
    }
    assert "listing_state" in agreement
    assert "listing_id" not in components["schemas"]["PatchedAgreementDetailRequest"]["properties"]


def test_ordinance_detail_payload_is_exact(api_client, chain):
    council = AgencyFactory(name="City Council", slug="city-council", jurisdiction=chain.city)
    earlier = OrdinanceFactory(title="Earlier rule", slug="earlier-rule", jurisdiction=chain.city)
    OrdinanceFactory(
        title="Welcoming City Ordinance",
        title_es="Ordenanza de Ciudad Acogedora",
        slug="welcoming-city",
        number="SO2012-4984",
        kind="ordinance",
        status="in_force",
        jurisdiction=chain.city,
        issued_by=council,
        introduced_on=datetime.date(2012, 7, 1),
        introduced_on_precision="month",
        adopted_on=datetime.date(2012, 9, 11),
        adopted_on_precision="day",
        effective_on=datetime.date(2013, 1, 1),
        effective_on_precision="year",
        full_text="Chapter 2-173",
        replaces=earlier,
        summary="Limits city agencies' help with civil immigration enforcement.",
    ).amends.set([earlier])
    freeze_times(Ordinance)

    response = api_client.get(detail_url("ordinance", "welcoming-city"))

    earlier_json = {
        "slug": "earlier-rule",
        "name": "Earlier rule",
        "url": "http://testserver/api/v1/ordinances/earlier-rule/",
    }
    assert response.status_code == 200
    assert response.json() == {
        "revision": revision_payload(Ordinance.objects.get(slug="welcoming-city")),
        "title": "Welcoming City Ordinance",
        "title_es": "Ordenanza de Ciudad Acogedora",
        "summary_es": "",
        "number": "SO2012-4984",
        "kind": "ordinance",
        "status": "in_force",
        "jurisdiction": {
            "slug": "chicago",
            "name": "Chicago",
            "url": "http://testserver/api/v1/jurisdictions/chicago/",
        },
        "issued_by": {
            "slug": "city-council",
            "name": "City Council",
            "url": "http://testserver/api/v1/agencies/city-council/",
        },
        "introduced": "2012-07",
        "adopted": "2012-09-11",
        "effective": "2013",
        "repealed": None,
        "url": "http://testserver/api/v1/ordinances/welcoming-city/",
        "html_url": "http://testserver/ordinances/welcoming-city/",
        "slug": "welcoming-city",
        "summary": "Limits city agencies' help with civil immigration enforcement.",
        "publication_state": "published",
        "created_at": CREATED_AT_JSON,
        "updated_at": UPDATED_AT_JSON,
        "full_text": "Chapter 2-173",
        "amends": [earlier_json],
        "replaces": earlier_json,
        "citations": [],
    }


def test_statement_detail_payload_is_exact(api_client, cpd_hsi_agreement):
    iacp = AgencyFactory(name="IACP", slug="iacp", kind="association")
    statement = StatementFactory(
        title="IACP on the executive orders",
        slug="iacp-2017",
        speaker_agency=iacp,
        speaker_name="Donald De Lucca",
        speaker_title="President",
        made_on=datetime.date(2017, 1, 30),
        made_on_precision="day",
        text="Local police should not be federal immigration agents.",
        summary="The association's position.",
        about_jurisdictions=[cpd_hsi_agreement.local_party.jurisdiction],
    )
    statement.about_agencies.set([cpd_hsi_agreement.federal_party])
    statement.about_agreements.set([cpd_hsi_agreement])
    statement.about_statements.set(
        [StatementFactory(title="Earlier", slug="earlier", speaker_agency=iacp)]
    )
    freeze_times(Statement)

    response = api_client.get(detail_url("statement", "iacp-2017"))

    assert response.status_code == 200
    assert response.json() == {
        "revision": revision_payload(Statement.objects.get(slug="iacp-2017")),
        "title": "IACP on the executive orders",
        "title_es": "",
        "summary_es": "",
        "speaker_agency": {
            "slug": "iacp",
            "name": "IACP",
            "url": "http://testserver/api/v1/agencies/iacp/",
        },
        "speaker_name": "Donald De Lucca",
        "speaker_title": "President",
        "made": "2017-01-30",
        "text": "Local police should not be federal immigration agents.",
        "url": "http://testserver/api/v1/statements/iacp-2017/",
        "html_url": "http://testserver/statements/iacp-2017/",
        "slug": "iacp-2017",
        "summary": "The association's position.",
        "publication_state": "published",
        "created_at": CREATED_AT_JSON,
        "updated_at": UPDATED_AT_JSON,
        "about_jurisdictions": [
            {
                "slug": "chicago",
                "name": "Chicago",
                "url": "http://testserver/api/v1/jurisdictions/chicago/",
            }
        ],
        "about_agencies": [
            {
                "slug": "hsi",
                "name": "Homeland Security Investigations",
                "url": "http://testserver/api/v1/agencies/hsi/",
            }
        ],
        "about_ordinances": [],
        "about_agreements": [
            {
                "slug": "cpd-hsi-customs",
                "name": "CPD–HSI customs cross-designation",
                "url": "http://testserver/api/v1/agreements/cpd-hsi-customs/",
            }
        ],
        "about_statements": [
            {
                "slug": "earlier",
                "name": "Earlier",
                "url": "http://testserver/api/v1/statements/earlier/",
            }
        ],
        "citations": [],
    }


# Writes: who may write, and what the database holds afterwards


def new_agreement_data(**changes):
    return {
        "title": "New task force",
        "slug": "new-task-force",
        "kind": "task_force",
        "status": "in_force",
        "local_party": "cpd",
        "federal_party": "hsi",
        "signed": "2012-09",
        **changes,
    }


@pytest.fixture
def parties(chain):
    return (
        AgencyFactory(slug="cpd", jurisdiction=chain.city),
        AgencyFactory(slug="hsi", kind="federal_agency", jurisdiction=chain.nation),
    )


@pytest.mark.parametrize(("basename", "model", "factory_class"), ENDPOINTS, ids=ENDPOINT_IDS)
@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_anonymous_write_is_refused_and_database_unchanged(
    api_client, basename, model, factory_class, method
):
    record = factory_class()
    before = table(model)
    url = list_url(basename) if method == "post" else detail_url(basename, record.slug)

    response = getattr(api_client, method)(url, {"slug": "changed", "title": "Changed"})

    assert response.status_code in (401, 403)
    assert table(model) == before


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_authenticated_user_without_permission_gets_403_and_database_unchanged(
    api_client, user_without_permissions, parties, method
):
    agreement = AgreementFactory(local_party=parties[0], federal_party=parties[1])
    before = table(Agreement)
    api_client.force_login(user_without_permissions)
    url = list_url("agreement") if method == "post" else detail_url("agreement", agreement.slug)

    response = getattr(api_client, method)(url, new_agreement_data())

    assert response.status_code == 403
    assert table(Agreement) == before


def test_add_permission_does_not_allow_change_or_delete(agreement_adder_token_client, parties):
    agreement = AgreementFactory(local_party=parties[0], federal_party=parties[1])
    before = table(Agreement)
    url = detail_url("agreement", agreement.slug)

    patched = agreement_adder_token_client.patch(url, {"title": "Changed"})
    deleted = agreement_adder_token_client.delete(url)

    assert (patched.status_code, deleted.status_code) == (403, 403)
    assert table(Agreement) == before


def test_add_permission_on_agreements_does_not_allow_adding_agencies(
    agreement_adder_token_client, chain
):
    response = agreement_adder_token_client.post(
        list_url("agency"),
        {"name": "New agency", "slug": "new-agency", "kind": "police", "jurisdiction": "chicago"},
    )

    assert response.status_code == 403
    assert not Agency.objects.filter(slug="new-agency").exists()


@pytest.mark.parametrize(
    "client_fixture", ["agreement_adder_token_client", "agreement_adder_session_client"]
)
def test_post_with_add_permission_creates_record_keeping_date_precision(
    request, client_fixture, parties
):
    client = request.getfixturevalue(client_fixture)

    response = client.post(list_url("agreement"), new_agreement_data(effective="2012-09-14"))

    assert response.status_code == 201, response.content
    assert response.json()["signed"] == "2012-09"
    assert response.json()["effective"] == "2012-09-14"
    assert response.json()["publication_state"] == "draft"
    created = Agreement.objects.get(slug="new-task-force")
    assert (created.signed_on, created.signed_on_precision) == (datetime.date(2012, 9, 1), "month")
    assert (created.local_party, created.federal_party) == parties
    # A draft is the adder's to see (view permission), not the public's.
    assert client.get(detail_url("agreement", "new-task-force")).json()["signed"] == "2012-09"


def test_post_year_precision_date_is_stored_as_january_1(agreement_adder_token_client, parties):
    response = agreement_adder_token_client.post(
        list_url("agreement"), new_agreement_data(signed="2019")
    )

    assert response.status_code == 201
    assert response.json()["signed"] == "2019"
    created = Agreement.objects.get(slug="new-task-force")
    assert (created.signed_on, created.signed_on_precision) == (datetime.date(2019, 1, 1), "year")


@pytest.mark.parametrize("bad_date", ["2012-13", "yesterday", "2012-02-30", "09/2012"])
def test_post_malformed_date_is_400_naming_the_field(
    agreement_adder_token_client, parties, bad_date
):
    response = agreement_adder_token_client.post(
        list_url("agreement"), new_agreement_data(signed=bad_date)
    )

    assert response.status_code == 400
    assert list(response.json()) == ["signed"]
    assert bad_date in response.json()["signed"][0]
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("field", ["title", "slug", "kind", "local_party", "federal_party"])
def test_post_missing_required_field_is_400_naming_it(
    agreement_adder_token_client, parties, field
):
    data = new_agreement_data()
    del data[field]

    response = agreement_adder_token_client.post(list_url("agreement"), data)

    assert response.status_code == 400
    assert field in response.json()
    assert not Agreement.objects.exists()


def test_post_duplicate_slug_is_400_naming_slug(agreement_adder_token_client, parties):
    AgreementFactory(slug="new-task-force", local_party=parties[0], federal_party=parties[1])
    before = table(Agreement)

    response = agreement_adder_token_client.post(list_url("agreement"), new_agreement_data())

    assert response.status_code == 400
    assert list(response.json()) == ["slug"]
    assert table(Agreement) == before


def test_post_effective_before_signed_is_400_naming_the_api_field(
    agreement_adder_token_client, parties
):
    response = agreement_adder_token_client.post(
        list_url("agreement"), new_agreement_data(signed="2012-09-15", effective="2012-08")
    )

    assert response.status_code == 400
    assert response.json() == {"effective": ["Effective cannot be before signed."]}
    assert not Agreement.objects.exists()


def test_post_same_agency_on_both_sides_is_400_naming_federal_party(
    agreement_adder_token_client, parties
):
    response = agreement_adder_token_client.post(
        list_url("agreement"), new_agreement_data(federal_party="cpd")
    )

    assert response.status_code == 400
    assert list(response.json()) == ["federal_party"]
    assert not Agreement.objects.exists()


def test_post_unknown_party_slug_is_400_naming_the_field(agreement_adder_token_client, parties):
    response = agreement_adder_token_client.post(
        list_url("agreement"), new_agreement_data(local_party="no-such-agency")
    )

    assert response.status_code == 400
    assert list(response.json()) == ["local_party"]


def test_staff_patch_updates_the_date_and_its_precision(staff_api_client, parties):
    AgreementFactory(
        slug="cpd-hsi",
        local_party=parties[0],
        federal_party=parties[1],
        signed_on=datetime.date(2012, 9, 14),
        signed_on_precision="day",
    )

    response = staff_api_client.patch(detail_url("agreement", "cpd-hsi"), {"signed": "2012"})

    assert response.status_code == 200
    assert response.json()["signed"] == "2012"
    assert Agreement.objects.values_list("signed_on", "signed_on_precision").get() == (
        datetime.date(2012, 1, 1),
        "year",
    )


def test_staff_patch_null_clears_the_date_and_its_precision(staff_api_client, parties):
    AgreementFactory(
        slug="cpd-hsi",
        local_party=parties[0],
        federal_party=parties[1],
        signed_on=datetime.date(2012, 9, 1),
        signed_on_precision="month",
    )

    response = staff_api_client.patch(detail_url("agreement", "cpd-hsi"), {"signed": None})

    assert response.status_code == 200
    assert response.json()["signed"] is None
    assert Agreement.objects.values_list("signed_on", "signed_on_precision").get() == (None, "")


def test_staff_patch_making_a_parent_loop_is_400_naming_parent(staff_api_client, chain):
    before = table(Jurisdiction)

    response = staff_api_client.patch(
        detail_url("jurisdiction", "cook-county"), {"parent": "chicago"}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["parent"]
    assert table(Jurisdiction) == before


def test_delete_jurisdiction_that_agencies_depend_on_is_409_and_nothing_deleted(
    staff_api_client, chain
):
    AgencyFactory(name="Chicago Police Department", jurisdiction=chain.city)
    SourceFactory(record=chain.city)
    before = {model: table(model) for model in (Jurisdiction, Agency, Source)}

    response = staff_api_client.delete(detail_url("jurisdiction", "chicago"))

    assert response.status_code == 409
    assert "Chicago Police Department" in response.json()["detail"]
    assert {model: table(model) for model in (Jurisdiction, Agency, Source)} == before


def test_delete_jurisdiction_with_sub_jurisdictions_is_409(staff_api_client, chain):
    response = staff_api_client.delete(detail_url("jurisdiction", "cook-county"))

    assert response.status_code == 409
    assert "Chicago" in response.json()["detail"]
    assert Jurisdiction.objects.filter(slug="cook-county").exists()


def test_delete_jurisdiction_nothing_depends_on_removes_it_and_its_citations_not_documents(
    staff_api_client, chain
):
    source = SourceFactory(record=chain.city)

    response = staff_api_client.delete(detail_url("jurisdiction", "chicago"))

    assert response.status_code == 204
    assert not Jurisdiction.objects.filter(slug="chicago").exists()
    assert not Citation.objects.exists()
    assert Source.objects.filter(pk=source.pk).exists()  # a document may be cited again


# Pagination


@pytest.mark.parametrize("page", ["999", "abc", "0", "-1"])
def test_page_that_does_not_exist_is_404_with_a_message(api_client, page):
    JurisdictionFactory.create_batch(3)

    response = api_client.get(list_url("jurisdiction", page=page))

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_page_size_is_respected_and_links_to_the_next_page(api_client):
    JurisdictionFactory.create_batch(5)

    first = api_client.get(list_url("jurisdiction", page_size=2))
    last = api_client.get(list_url("jurisdiction", page_size=2, page=3))

    assert first.json()["count"] == 5
    assert len(first.json()["results"]) == 2
    assert first.json()["next"] == "http://testserver/api/v1/jurisdictions/?page=2&page_size=2"
    assert len(last.json()["results"]) == 1
    assert last.json()["next"] is None


def test_page_size_is_capped_at_100(api_client):
    JurisdictionFactory.create_batch(101)

    response = api_client.get(list_url("jurisdiction", page_size=1000))

    assert response.json()["count"] == 101
    assert len(response.json()["results"]) == 100


def test_default_page_size_is_50(api_client):
    JurisdictionFactory.create_batch(51)

    assert len(api_client.get(list_url("jurisdiction")).json()["results"]) == 50


# Root, schema and docs


def test_api_root_lists_the_five_record_types_sources_search_comparison_and_coverage(
    api_client,
):
    response = api_client.get(reverse("api:api-root"))

    assert response.status_code == 200
    assert response.json() == {
        name: f"http://testserver{reverse(f'api:{basename}-list')}"
        for name, basename in [
            ("jurisdictions", "jurisdiction"),
            ("agencies", "agency"),
            ("ordinances", "ordinance"),
            ("agreements", "agreement"),
            ("statements", "statement"),
            ("sources", "source"),
            ("search", "search"),
            ("compare", "compare"),
            ("coverage", "coverage"),
        ]
    }


def test_api_root_says_what_the_api_holds_links_its_docs_and_gives_license_and_contact(
    api_client,
):
    response = api_client.get(reverse("api:api-root"), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Policy tracker API</h1>" in html
    assert "The default basic root view" not in html
    assert (
        "jurisdictions, agencies, ordinances, agreements and statements on how local "
        "governments and police cooperate with federal immigration enforcement"
    ) in html
    assert "and one search across them all" in html
    assert (
        'Documentation: <a href="http://testserver/api/docs/">http://testserver/api/docs/</a> '
        '(its OpenAPI schema: <a href="http://testserver/api/schema/">'
        "http://testserver/api/schema/</a>)."
    ) in html
    assert (
        'published under <a href="https://creativecommons.org/licenses/by/4.0/">'
        "Creative Commons Attribution 4.0 (CC BY 4.0)</a>."
    ) in html
    assert (
        'Corrections: <a href="http://testserver/corrections/">the corrections form</a>.'
    ) in html


def test_api_root_takes_license_and_corrections_from_settings(api_client, settings):
    settings.DATA_LICENSE, settings.DATA_LICENSE_URL = "ODC-By 1.0 <&>", ""
    settings.CORRECTIONS_URL = "https://tracker.example.net/issues/new"

    html = api_client.get(reverse("api:api-root"), HTTP_ACCEPT="text/html").content.decode()
    description = api_client.options(reverse("api:api-root")).json()["description"]

    assert "published under ODC-By 1.0 &lt;&amp;&gt;. The documents" in html
    assert (
        'Corrections: <a href="https://tracker.example.net/issues/new">'
        "https://tracker.example.net/issues/new</a>."
    ) in html
    assert "License: the records are published under ODC-By 1.0 <&>. " in description
    assert description.endswith("Corrections: https://tracker.example.net/issues/new.")


def test_api_root_links_docs_schema_and_license_in_its_headers(api_client):
    response = api_client.get(reverse("api:api-root"))

    assert response["Link"] == (
        '<http://testserver/api/docs/>; rel="service-doc", '
        '<http://testserver/api/schema/>; rel="service-desc", '
        '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    )


def test_schema_names_the_license_and_the_contact(api_client):
    info = api_client.get(reverse("schema"), {"format": "json"}).json()["info"]

    assert info["license"] == {
        "name": "Creative Commons Attribution 4.0 (CC BY 4.0)",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert info["contact"] == {"name": "Corrections: the form at /corrections/ on this site"}


def test_schema_is_an_openapi_3_document_with_every_path(api_client):
    response = api_client.get(reverse("schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for basename, _model, _factory in ENDPOINTS:
        assert reverse(f"api:{basename}-list") in schema["paths"]
        assert (
            unquote(reverse(f"api:{basename}-detail", kwargs={"slug": "{slug}"}))
            in (schema["paths"])
        )


def test_schema_yaml_by_default(api_client):
    response = api_client.get(reverse("schema"))

    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")
    assert b"/api/v1/agreements/{slug}/:" in response.content


class AssetReferences(HTMLParser):
    """Every src/href of <script>, <link> and <img> tags."""

    def __init__(self):
        super().__init__()
        self.references = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "link", "img"):
            self.references += [value for name, value in attrs if name in ("src", "href")]


def test_api_docs_page_loads_only_local_static_assets(api_client):
    response = api_client.get(reverse("api-docs"))
    parser = AssetReferences()
    parser.feed(response.content.decode())

    assert response.status_code == 200
    assert parser.references  # the page does load its scripts and styles
    # Static files, and the page's own start-up script (served apart, for the CSP).
    own_script = reverse("api-docs") + "?script="
    assert own_script in parser.references
    assert all(
        reference.startswith("/static/") or reference == own_script
        for reference in parser.references
    )
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", response.content.decode())


# The browsable API and the schema's request bodies


@pytest.mark.parametrize(
    "basename", ["jurisdiction", "agency", "ordinance", "agreement", "statement"]
)
def test_browsable_api_renders_forms_for_a_user_who_may_write(
    admin_client, cpd_hsi_agreement, basename
):
    response = admin_client.get(list_url(basename), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert "<form" in response.content.decode()


def test_browsable_api_detail_renders_the_edit_form_with_slugs_as_choices(
    admin_client, cpd_hsi_agreement
):
    response = admin_client.get(
        detail_url("agreement", "cpd-hsi-customs"), HTTP_ACCEPT="text/html"
    )

    assert response.status_code == 200
    assert '<option value="cpd"' in response.content.decode()


def test_schema_describes_related_records_as_slugs_in_requests_and_objects_in_responses(
    api_client,
):
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]

    assert components["AgreementDetailRequest"]["properties"]["local_party"]["type"] == "string"
    assert components["AgreementDetail"]["properties"]["local_party"] == {
        "$ref": "#/components/schemas/RelatedRecord"
    }
