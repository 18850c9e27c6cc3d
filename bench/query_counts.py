"""How many SQL queries each public page and API endpoint makes, at several sizes.

Run by hand (not a test): it creates a throwaway test database on the configured engine,
fills it with N published records of every type (each with a source), and counts the
queries of one anonymous GET of each URL that tests/test_query_counts.py pins (every public
page and endpoint). The counts must not grow with N.

    .venv/bin/python bench/query_counts.py --sizes 10 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/policytracker \
        .venv/bin/python bench/query_counts.py --sizes 10 1000
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policytracker.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402

from tests import factories  # noqa: E402

# The URLs of tests/test_query_counts.py's tables (every public page and endpoint), with
# the records its world names replaced by the first of this database's.
TABLES = ["PAGES", "ENDPOINTS", "HISTORIES"]


def named_records():
    """The argument values the test's world names, mapped to records of the filled database."""
    from agreements.models import Agreement, Statement
    from jurisdictions.models import Agency, Jurisdiction, Ordinance
    from policytracker.models import Source

    first = {
        "city": Jurisdiction.objects.filter(kind="city"),
        "county": Jurisdiction.objects.filter(kind="county"),
        "state": Jurisdiction.objects.filter(kind="state"),
        "police": Agency.objects.all(),
        "rule": Ordinance.objects.all(),
        "deal": Agreement.objects.all(),
        "talk": Statement.objects.all(),
    }
    found = {name: rows.order_by("pk").first().slug for name, rows in first.items()}
    return found, Source.objects.filter(citations__isnull=False).order_by("pk").first().pk


def urls():
    """(label, url, params) of every GET the query-count tests pin."""
    from tests import test_query_counts as pinned

    slugs, source = named_records()
    params = [
        *(param for table in TABLES for param in getattr(pinned, table)),
        *pinned.TestAnonymousGet.FILTERED_LISTS,
    ]
    found = []
    for param in params:
        name, kwargs, query, _queries = param.values
        kwargs = {
            key: source if value is pinned.SOURCE else slugs.get(value, value)
            for key, value in kwargs.items()
        }
        query = {
            key: [slugs.get(v, v) for v in value]
            if isinstance(value, list)
            else slugs.get(value, value)
            for key, value in query.items()
        }
        found.append((param.id, reverse(name, kwargs=kwargs), query))
    return found


def fill(size):
    """Add records until there are `size` of each type, each citing a source."""
    from agreements.models import Statement

    have = Statement.objects.count()
    for _ in range(size - have):
        city = factories.CityFactory()
        police = factories.AgencyFactory(jurisdiction=city)
        federal = factories.AgencyFactory(jurisdiction=city.parent.parent.parent)
        ordinance = factories.OrdinanceFactory(jurisdiction=city)
        agreement = factories.AgreementFactory(local_party=police, federal_party=federal)
        statement = factories.StatementFactory(speaker_agency=police, about_jurisdictions=[city])
        for record in (city, police, ordinance, agreement, statement):
            factories.SourceFactory(record=record)


def count_queries(client, url, params):
    connection.queries_log.clear()  # filling the database overran the log's 9,000 entries
    cache.clear()  # each GET as the first: what one cached never answers another
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params, HTTP_ACCEPT="text/html,application/json")
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, params, response.status_code)
    return len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000])
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        client = Client()
        results = {}
        for size in sorted(args.sizes):
            fill(size)
            results[size] = {
                label: count_queries(client, url, params) for label, url, params in urls()
            }
        vendor = connection.vendor
        print(f"SQL queries per anonymous GET ({vendor}); rows of each record type:")
        width = max(len(label) for label in results[size])
        print(f"{'url':{width}}" + "".join(f"{size:>8}" for size in results))
        for label in results[size]:
            grows = "  <- grows" if len({results[s][label] for s in results}) > 1 else ""
            print(f"{label:{width}}" + "".join(f"{results[s][label]:>8}" for s in results) + grows)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
