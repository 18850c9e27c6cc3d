"""How many SQL queries each public list page and API list endpoint makes, at several sizes.

Run by hand (not a test): it creates a throwaway test database on the configured engine,
fills it with N published records of every type (each with a source), and counts the
queries of one anonymous GET per URL. The counts must not grow with N.

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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402

from tests import factories  # noqa: E402

URL_NAMES = [
    "jurisdictions:list",
    "agencies:list",
    "ordinances:list",
    "agreements:list",
    "statements:list",
    "api:jurisdiction-list",
    "api:agency-list",
    "api:ordinance-list",
    "api:agreement-list",
    "api:statement-list",
]


DETAIL_NAMES = [
    ("jurisdictions:detail", "Jurisdiction"),
    ("agencies:detail", "Agency"),
    ("ordinances:detail", "Ordinance"),
    ("agreements:detail", "Agreement"),
    ("statements:detail", "Statement"),
    ("api:jurisdiction-detail", "Jurisdiction"),
    ("api:agency-detail", "Agency"),
    ("api:ordinance-detail", "Ordinance"),
    ("api:agreement-detail", "Agreement"),
    ("api:statement-detail", "Statement"),
]


def urls():
    """Every list, and the detail of the first record of each type (a city for places)."""
    from django.apps import apps

    found = {name: reverse(name) for name in URL_NAMES}
    for name, model_name in DETAIL_NAMES:
        model = next(m for m in apps.get_models() if m.__name__ == model_name)
        record = model.objects.order_by("pk")
        if model_name == "Jurisdiction":
            record = record.filter(kind="city")
        found[name] = reverse(name, kwargs={"slug": record.first().slug})
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


def count_queries(client, url):
    connection.queries_log.clear()  # filling the database overran the log's 9,000 entries
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT="text/html,application/json")
    assert response.status_code == 200, (url, response.status_code)
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
            results[size] = {name: count_queries(client, url) for name, url in urls().items()}
        vendor = connection.vendor
        print(f"SQL queries per anonymous GET ({vendor}); rows of each record type:")
        print(f"{'url name':32}" + "".join(f"{size:>8}" for size in results))
        for name in results[size]:
            print(f"{name:32}" + "".join(f"{results[s][name]:>8}" for s in results))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
