"""Filter cases shared by the API and page tests: one FilterSet serves both, so both keep
and drop the same records for the same query string.

Each case: (basename, filter, value, setup). `setup(places)` (the `places` fixture) makes
the records and returns (slug of the record the filter keeps, slug of the one it drops).
A value that is a list is given as the parameter repeated (?kind=a&kind=b); a dict is the
whole query, for a filter that works with another (?jurisdiction=x&jurisdiction_only=true).
"""

import datetime

from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    OrdinanceFactory,
    StatementFactory,
)


def query(param, value):
    return value if isinstance(value, dict) else {param: value}


def dated(field, text):
    """Keyword arguments for a day-precision date: dated("adopted_on", "2012-09-11")."""
    return {field: datetime.date.fromisoformat(text), f"{field}_precision": "day"}


def jurisdiction_cases():
    return [
        ("name", "cook", lambda p: ("cook-county", "dupage-county")),
        ("name", "COOK", lambda p: ("cook-county", "dupage-county")),
        ("kind", "city", lambda p: ("chicago", "cook-county")),
        ("kind", ["city", "state"], lambda p: ("illinois", "cook-county")),
        ("parent", "cook-county", lambda p: ("chicago", "dupage-county")),
        ("parent", "illinois", lambda p: ("cook-county", "chicago")),  # directly within only
        ("within", "illinois", lambda p: ("chicago", "united-states")),  # at any depth
        ("within", "cook-county", lambda p: ("chicago", "cook-county")),  # not itself
    ]


def county_police(p):
    AgencyFactory(slug="county-police", jurisdiction=p.county)
    return "county-police", "cpd"


ONLY_COOK_COUNTY = {"jurisdiction": "cook-county", "jurisdiction_only": "true"}


def agency_cases():
    return [
        ("name", "police", lambda p: ("cpd", "dupage-sheriff")),
        ("name", "cpd", lambda p: ("cpd", "dupage-sheriff")),  # the abbreviation, exactly
        ("kind", "sheriff", lambda p: ("dupage-sheriff", "cpd")),
        ("kind", ["sheriff", "other"], lambda p: ("dupage-sheriff", "ice")),
        ("jurisdiction", "chicago", lambda p: ("cpd", "dupage-sheriff")),
        ("jurisdiction", "cook-county", lambda p: ("cpd", "dupage-sheriff")),  # and inside
        ("jurisdiction", "illinois", lambda p: ("cpd", "ice")),
        ("jurisdiction_only", ONLY_COOK_COUNTY, county_police),
        ("parent", "ice", lambda p: ("ero", "hsi")),
    ]


def two_ordinances(kept, dropped):
    def setup(p):
        OrdinanceFactory(**{"slug": "kept", "jurisdiction": p.city, **kept})
        OrdinanceFactory(**{"slug": "dropped", "jurisdiction": p.dupage, **dropped})
        return "kept", "dropped"

    return setup


def county_ordinance(p):
    OrdinanceFactory(slug="kept", jurisdiction=p.county)
    OrdinanceFactory(slug="dropped", jurisdiction=p.city)
    return "kept", "dropped"


def ordinance_cases():
    council = "city-council"

    def issued(p):
        issuer = AgencyFactory(slug=council, jurisdiction=p.city, kind="legislature")
        OrdinanceFactory(slug="kept", jurisdiction=p.city, issued_by=issuer)
        OrdinanceFactory(slug="dropped", jurisdiction=p.city, issued_by=p.cpd)
        return "kept", "dropped"

    return [
        ("title", "welcoming", two_ordinances({"title": "Welcoming City"}, {"title": "Other"})),
        ("kind", "executive_order", two_ordinances({"kind": "executive_order"}, {})),
        ("status", "repealed", two_ordinances({"status": "repealed"}, {"status": "in_force"})),
        ("jurisdiction", "chicago", two_ordinances({}, {})),
        ("jurisdiction", "cook-county", two_ordinances({}, {})),
        ("jurisdiction_only", ONLY_COOK_COUNTY, county_ordinance),
        ("issued_by", council, issued),
        (
            "in_force_on",
            "2015-01-01",
            two_ordinances(
                dated("effective_on", "2012-10-01"), dated("effective_on", "2017-01-01")
            ),
        ),
        (
            "in_force_on",
            "2012-10-01",
            two_ordinances(
                dated("effective_on", "2012-10-01"),
                {**dated("effective_on", "2010-01-01"), **dated("repealed_on", "2012-10-01")},
            ),
        ),
        (
            "adopted_from",
            "2012-09-11",
            two_ordinances(dated("adopted_on", "2012-09-11"), dated("adopted_on", "2012-09-10")),
        ),
        (
            "adopted_to",
            "2012-09-11",
            two_ordinances(dated("adopted_on", "2012-09-11"), dated("adopted_on", "2012-09-12")),
        ),
    ]


def two_agreements(kept, dropped):
    def setup(p):
        AgreementFactory(
            **{"slug": "kept", "local_party": p.cpd, "federal_party": p.hsi, **kept(p)}
        )
        AgreementFactory(
            **{"slug": "dropped", "local_party": p.sheriff, "federal_party": p.ice, **dropped(p)}
        )
        return "kept", "dropped"

    return setup


def nothing(p):
    return {}


def agreement_cases():
    return [
        (
            "title",
            "customs",
            two_agreements(lambda p: {"title": "Customs MOU"}, lambda p: {"title": "Other"}),
        ),
        (
            "kind",
            "287g_jail",
            two_agreements(lambda p: {"kind": "287g_jail"}, lambda p: {"kind": "task_force"}),
        ),
        (
            "kind",
            "287g",  # every 287(g) model
            two_agreements(
                lambda p: {"kind": "287g_warrant_service"}, lambda p: {"kind": "task_force"}
            ),
        ),
        (
            "kind",
            ["customs_cross_designation", "287g_task_force"],
            two_agreements(
                lambda p: {"kind": "customs_cross_designation"}, lambda p: {"kind": "287g_jail"}
            ),
        ),
        (
            "status",
            "terminated",
            two_agreements(lambda p: {"status": "terminated"}, lambda p: {"status": "in_force"}),
        ),
        ("jurisdiction", "chicago", two_agreements(nothing, nothing)),
        ("jurisdiction", "cook-county", two_agreements(nothing, nothing)),
        (
            "jurisdiction_only",
            ONLY_COOK_COUNTY,
            two_agreements(
                lambda p: {
                    "local_party": AgencyFactory(slug="county-police", jurisdiction=p.county)
                },
                lambda p: {"local_party": p.cpd},
            ),
        ),
        ("local_party", "cpd", two_agreements(nothing, nothing)),
        ("federal_party", "hsi", two_agreements(nothing, nothing)),
        (
            "in_force_on",
            "2019-07-15",
            two_agreements(
                lambda p: dated("signed_on", "2019-07-15"),
                lambda p: {
                    **dated("signed_on", "2017-01-01"),
                    **dated("expires_on", "2019-07-15"),
                },
            ),
        ),
        (
            "signed_from",
            "2017-01-01",
            two_agreements(
                lambda p: dated("signed_on", "2017-01-01"),
                lambda p: dated("signed_on", "2016-12-31"),
            ),
        ),
        (
            "signed_to",
            "2017-01-01",
            two_agreements(
                lambda p: dated("signed_on", "2017-01-01"),
                lambda p: dated("signed_on", "2017-01-02"),
            ),
        ),
    ]


def two_statements(about=None, **fields):
    """`about(statement, p)` ties the kept statement to what the filter names."""

    def setup(p):
        kept_fields = {key: value[0] for key, value in fields.items()}
        dropped_fields = {key: value[1] for key, value in fields.items()}
        kept = StatementFactory(**{"slug": "kept", "speaker_agency": p.cpd, **kept_fields})
        StatementFactory(**{"slug": "dropped", "speaker_agency": p.sheriff, **dropped_fields})
        if about:
            about(kept, p)
        return "kept", "dropped"

    return setup


def statements_about_county_and_city(p):
    StatementFactory(slug="kept").about_jurisdictions.set([p.county, p.city])
    StatementFactory(slug="dropped").about_jurisdictions.set([p.city])
    return "kept", "dropped"


def statement_cases():
    def about_agreement(statement, p):
        statement.about_agreements.set([AgreementFactory(slug="cpd-hsi", local_party=p.cpd)])

    def about_ordinance(statement, p):
        statement.about_ordinances.set([OrdinanceFactory(slug="welcoming-city")])

    return [
        ("title", "executive orders", two_statements(title=("On the executive orders", "Other"))),
        ("speaker_agency", "cpd", two_statements()),
        (
            "jurisdiction",
            "chicago",
            two_statements(lambda s, p: s.about_jurisdictions.set([p.city])),
        ),
        (
            "jurisdiction",
            "illinois",
            two_statements(lambda s, p: s.about_jurisdictions.set([p.city, p.county, p.state])),
        ),
        ("jurisdiction_only", ONLY_COOK_COUNTY, statements_about_county_and_city),
        ("agency", "ice", two_statements(lambda s, p: s.about_agencies.set([p.ice]))),
        ("ordinance", "welcoming-city", two_statements(about_ordinance)),
        ("agreement", "cpd-hsi", two_statements(about_agreement)),
        (
            "made_from",
            "2017-03-23",
            two_statements(
                made_on=(datetime.date(2017, 3, 23), datetime.date(2017, 3, 22)),
                made_on_precision=("day", "day"),
            ),
        ),
        (
            "made_to",
            "2017-03-23",
            two_statements(
                made_on=(datetime.date(2017, 3, 1), datetime.date(2017, 4, 1)),
                made_on_precision=("month", "month"),
            ),
        ),
    ]


FILTER_CASES = [
    *[("jurisdiction", *case) for case in jurisdiction_cases()],
    *[("agency", *case) for case in agency_cases()],
    *[("ordinance", *case) for case in ordinance_cases()],
    *[("agreement", *case) for case in agreement_cases()],
    *[("statement", *case) for case in statement_cases()],
]
