"""The read replica: which database each request's reads and writes go to.

The replica here is a test mirror of the primary (tests/conftest.py), as settings.py makes
it when DATABASE_REPLICA_URL is set; each test installs the router as that setting does.
Queries are counted on each connection separately. The tests commit (transaction=True),
since the replica's connection sees only what the primary has committed.
"""

import pytest
from django.db import OperationalError, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jurisdictions.models import Jurisdiction
from policytracker import routers
from tests.factories import JurisdictionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def with_router(settings):
    settings.DATABASE_ROUTERS = ["policytracker.routers.PrimaryReplicaRouter"]
    routers._replica_failed_at = None
    yield
    routers._replica_failed_at = None


class Queries:
    """The queries each alias ran inside the block."""

    def __enter__(self):
        self.contexts = {
            alias: CaptureQueriesContext(connections[alias]) for alias in ("default", "replica")
        }
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.__exit__(*exc)

    def count(self, alias):
        return len(self.contexts[alias].captured_queries)


def test_anonymous_page_and_api_read_from_the_replica(with_router, client):
    JurisdictionFactory(name="Chicago", slug="chicago")
    for url in (reverse("jurisdictions:list"), reverse("api:jurisdiction-list")):
        with Queries() as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert "Chicago" in response.content.decode()
        assert queries.count("replica") > 0
        assert queries.count("default") == 0


def test_signed_in_reader_reads_from_the_primary(with_router, client):
    JurisdictionFactory(name="Chicago", slug="chicago")
    client.force_login(UserFactory(is_staff=True))
    with Queries() as queries:
        response = client.get(reverse("jurisdictions:list"))
    assert response.status_code == 200
    assert queries.count("replica") == 0
    assert queries.count("default") > 0


def test_api_token_client_reads_from_the_primary(with_router, api_client):
    JurisdictionFactory(name="Chicago", slug="chicago")
    with Queries() as queries:
        response = api_client.get(
            reverse("api:jurisdiction-list"), HTTP_AUTHORIZATION="Token nonsense"
        )
    assert response.status_code == 403  # the token is looked up on the primary, and refused
    assert queries.count("replica") == 0
    assert queries.count("default") > 0


def test_post_reads_and_writes_on_the_primary(with_router, client):
    JurisdictionFactory(name="Chicago", slug="chicago")
    with Queries() as queries:
        response = client.post(
            reverse("api:jurisdiction-list"), {}, content_type="application/json"
        )
    assert response.status_code == 403
    assert queries.count("replica") == 0


def test_outside_a_request_reads_and_writes_use_the_primary(with_router):
    with Queries() as queries:
        JurisdictionFactory(name="Chicago", slug="chicago")
        assert list(Jurisdiction.objects.values_list("name", flat=True)) == ["Chicago"]
    assert queries.count("replica") == 0
    assert queries.count("default") > 0


def test_router_sends_reads_in_a_transaction_to_the_primary(with_router):
    token = routers.read_alias.set(routers.REPLICA)
    try:
        assert router.db_for_read(Jurisdiction) == "replica"
        assert router.db_for_write(Jurisdiction) == "default"
        with transaction.atomic():
            assert router.db_for_read(Jurisdiction) == "default"
    finally:
        routers.read_alias.reset(token)


def test_router_migrates_only_the_primary(with_router):
    assert router.allow_migrate("default", "jurisdictions")
    assert not router.allow_migrate("replica", "jurisdictions")


def test_objects_from_either_database_may_be_related(with_router):
    chicago = JurisdictionFactory(name="Chicago", slug="chicago")
    from_replica = Jurisdiction.objects.using("replica").get(pk=chicago.pk)
    assert router.allow_relation(chicago, from_replica)


def test_unreachable_replica_falls_back_to_the_primary(with_router, client, monkeypatch):
    JurisdictionFactory(name="Chicago", slug="chicago")
    attempts = []

    def refuse():
        attempts.append(1)
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["replica"], "ensure_connection", refuse)
    for _ in range(2):
        with CaptureQueriesContext(connections["default"]) as primary:
            response = client.get(reverse("jurisdictions:list"))
        assert response.status_code == 200
        assert "Chicago" in response.content.decode()
        assert len(primary.captured_queries) > 0
    # Tried once (a query on the replica would have tried again), then left alone for
    # REPLICA_RETRY_SECONDS.
    assert attempts == [1]


def test_without_the_router_nothing_reads_from_the_replica(client):
    JurisdictionFactory(name="Chicago", slug="chicago")
    with Queries() as queries:
        response = client.get(reverse("jurisdictions:list"))
    assert response.status_code == 200
    assert queries.count("replica") == 0
