"""Records built once and shared by the tests of a module.

Query-count tests need a world at two sizes (3 and 30 of every related record); building the
larger takes seconds, so each size is built once for a class of tests (the `sized_world`
fixture in conftest.py) and every test reads it inside a savepoint of its own.
"""

import datetime
from types import SimpleNamespace

from django.db import transaction

from policytracker.profiles.dimensions import Dimension
from policytracker.profiles.models import DimensionReview
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    ProvisionFactory,
    SourceFactory,
    StatementFactory,
)

SIZES = [3, 30]


def built_once(django_db_blocker, build, *args):
    """Rows that many tests read, built once: yields what `build(*args)` returns.

    They are written in a transaction that stays open while the tests run and is rolled back
    after them, so no other test sees them. Each test runs in a savepoint inside it (as
    Django's TestCase does for setUpTestData), so what one test writes is undone before the
    next. For a fixture of class scope (a module's would be seen by all its tests, the ones
    that do not ask for it too): `yield from built_once(django_db_blocker, build)`.
    """
    with django_db_blocker.unblock():
        shared = transaction.atomic()
        shared.__enter__()
        try:
            data = build(*args)
        except BaseException:
            transaction.set_rollback(True)
            shared.__exit__(None, None, None)
            raise
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        shared.__exit__(None, None, None)


def dated(field, value, precision="day"):
    return {field: value, f"{field}_precision": precision}


def build_world(size):
    """A city with `size` of everything around it; the detail records each have `size` links.

    Named records (slugs): the city `city`, the agency `police`, the rule `rule`, the
    agreement `deal` and the statement `talk`, and `source`, the agreement's first source.
    Drafts of each type sit beside them.
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

    # What applies in the city: `size` provisions of its own rules, of the state's binding
    # ones and of a binding agreement, and reported practice; a draft rule's stays hidden.
    dimensions = list(Dimension)
    state_rules = OrdinanceFactory.create_batch(size, jurisdiction=state, kind="statute")
    for index in range(size):
        dimension = dimensions[index % len(dimensions)]
        ProvisionFactory(ordinance=rules[index], dimension=dimension)
        ProvisionFactory(
            ordinance=state_rules[index],
            dimension=dimension,
            position="requires",
            binds_places_within=True,
        )
    ProvisionFactory(
        ordinance=None,
        agreement=deal,
        dimension=Dimension.CROSS_DESIGNATION,
        position="participates",
    )
    ProvisionFactory(
        ordinance=None,
        statement=talk,
        jurisdiction=city,
        basis="practice",
        reported_by="A. Official",
        clause="",
        dimension=Dimension.DETAINERS,
    )
    ProvisionFactory(ordinance=OrdinanceFactory(jurisdiction=city, publication_state="draft"))
    for dimension in dimensions[:size]:
        DimensionReview.objects.create(
            jurisdiction=city, dimension=dimension, reviewed_on=datetime.date(2026, 11, 1)
        )

    for record in (city, police, rule, deal, talk):
        SourceFactory.create_batch(
            size, record=record, **dated("published_on", datetime.date(2012, 9, 1), "month")
        )
    source = deal.citations.order_by("pk")[0].source  # the first source the agreement cites
    return SimpleNamespace(
        size=size, city=city, police=police, rule=rule, deal=deal, talk=talk, source=source
    )
