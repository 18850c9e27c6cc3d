"""The number of SQL queries of every public page and API endpoint does not grow with the data.

Each URL is fetched anonymously with a small and a large world (3 and 30 of every related
record), and must make exactly the pinned number of queries at both sizes. A count that grows
is an N+1; a count that changes at both sizes is a deliberate change to re-pin here.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def dated(field, value, precision="day"):
    return {field: value, f"{field}_precision": precision}


def build_world(size):
    """A city with `size` of everything around it; the detail records each have `size` links.

    Named records (slugs): the city `city`, the agency `police`, the rule `rule`, the
    agreement `deal` and the statement `talk`. Drafts of each type sit beside them.
    """
    nation = JurisdictionFactory(slug="nation", kind="nation")
    state = JurisdictionFactory(slug="state", kind="state", parent=nation)
    county = JurisdictionFactory(slug="county", kind="county", parent=state)
    city = JurisdictionFactory(slug="city", kind="city", parent=county)
    places = JurisdictionFactory.create_batch(size, kind="township", parent=city)
    JurisdictionFactory(kind="township", parent=city, publication_state="draft")

    federal = AgencyFactory(slug="federal", kind="federal_agency", jurisdiction=nation)
    police = AgencyFactory(slug="police", abbreviation="PD", jurisdiction=city)
    agencies = AgencyFactory.create_batch(size, jurisdiction=city, parent=police)
    AgencyFactory(jurisdiction=city, parent=police, publication_state="draft")

    rules = OrdinanceFactory.create_batch(
        size, jurisdiction=city, issued_by=police, **dated("adopted_on", datetime.date(2012, 9, 1))
    )
    OrdinanceFactory.create_batch(size, jurisdiction=county, issued_by=None)  # inherited
    for place in places:  # so that the home page lists `size` places with rules
        OrdinanceFactory(jurisdiction=place)
    OrdinanceFactory(jurisdiction=city, publication_state="draft")
    rule = OrdinanceFactory(
        slug="rule",
        jurisdiction=city,
        issued_by=police,
        replaces=rules[0],
        **dated("adopted_on", datetime.date(2013, 1, 1), "year"),
    )
    rule.amends.set(rules)
    OrdinanceFactory.create_batch(size, jurisdiction=city, replaces=rule)

    deal = AgreementFactory(slug="deal", local_party=police, federal_party=federal)
    AgreementFactory.create_batch(
        size,
        local_party=police,
        federal_party=federal,
        **dated("signed_on", datetime.date(2017, 1, 1), "year"),
    )
    AgreementFactory(local_party=police, federal_party=federal, publication_state="draft")

    talk = StatementFactory(slug="talk", speaker_agency=police, about_jurisdictions=[city])
    statements = StatementFactory.create_batch(
        size,
        speaker_agency=police,
        speaker_name="A. Official",
        about_jurisdictions=[city],
        **dated("made_on", datetime.date(2017, 3, 1), "month"),
    )
    StatementFactory(speaker_agency=police, publication_state="draft")
    talk.about_agencies.set(agencies)
    talk.about_ordinances.set(rules)
    talk.about_agreements.set([deal])
    talk.about_statements.set(statements)
    talk.about_jurisdictions.set(places)
    for statement in statements:
        statement.about_statements.set([talk])  # responses to `talk`
        statement.about_ordinances.set([rule])
        statement.about_agreements.set([deal])
        statement.about_agencies.set([police])

    for record in (city, police, rule, deal, talk):
        SourceFactory.create_batch(
            size, record=record, **dated("published_on", datetime.date(2012, 9, 1), "month")
        )
    return SimpleNamespace(city=city, police=police, rule=rule, deal=deal, talk=talk)


# url name, slug of the record it shows (None for a list), pinned number of queries.
PAGES = [
    ("home", None, 9),
    ("about", None, 0),
    ("jurisdictions:list", None, 2),
    ("jurisdictions:detail", "city", 9),
    ("agencies:list", None, 2),
    ("agencies:detail", "police", 7),
    ("ordinances:list", None, 2),
    ("ordinances:detail", "rule", 6),
    ("agreements:list", None, 2),
    ("agreements:detail", "deal", 3),
    ("statements:list", None, 2),
    ("statements:detail", "talk", 8),
]
ENDPOINTS = [
    ("api:jurisdiction-list", None, 2),
    ("api:jurisdiction-detail", "city", 2),
    ("api:agency-list", None, 2),
    ("api:agency-detail", "police", 2),
    ("api:ordinance-list", None, 2),
    ("api:ordinance-detail", "rule", 3),
    ("api:agreement-list", None, 2),
    ("api:agreement-detail", "deal", 2),
    ("api:statement-list", None, 2),
    ("api:statement-detail", "talk", 7),
]


def url_of(name, slug):
    return reverse(name, kwargs={"slug": slug}) if slug else reverse(name)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("name", "slug", "queries"),
    [*PAGES, *ENDPOINTS],
    ids=[n for n, _s, _q in [*PAGES, *ENDPOINTS]],
)
def test_anonymous_get_makes_pinned_number_of_queries(
    client, django_assert_num_queries, size, name, slug, queries
):
    build_world(size)
    url = url_of(name, slug)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
