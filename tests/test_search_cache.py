"""Search's cache: a repeated search costs one query, and no write to the index is missed."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policytracker.models import PublicationState
from policytracker.search.cache import current_token
from policytracker.search.models import IndexVersion, SearchEntry
from tests.factories import CityFactory, OrdinanceFactory, SourceFactory, StatementFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")
API_SEARCH = reverse("api:search-list")


def get(client, url, params):
    """The response, and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response, [query["sql"] for query in queries]


def titles(response):
    if "results" in response.context:
        return [entry.title for entry in response.context["results"]]
    return []


def api_titles(response):
    return [result["title"] for result in response.json()["results"]]


@pytest.fixture
def detainer_rules(chain):
    return [
        OrdinanceFactory(title=f"Detainer rule {n}", jurisdiction=chain.city) for n in range(3)
    ]


@pytest.mark.parametrize(
    "params, reads",
    [
        ({"q": "detainer"}, 1),  # the index version; count, facets and results are cached
        ({"q": "detainer", "jurisdiction": "illinois"}, 2),  # and the place's slug
        ({"q": "detainer", "sort": "title", "page": "1"}, 1),
        ({"q": "detainr"}, 1),  # close spellings, found and cached the same way
    ],
)
def test_a_repeated_search_page_reads_only_the_index_version(
    client, detainer_rules, params, reads
):
    first, first_sql = get(client, SEARCH, params)
    again, again_sql = get(client, SEARCH, params)

    assert len(first_sql) > reads
    assert len(again_sql) == reads
    assert any("search_indexversion" in sql for sql in again_sql)
    assert again.content == first.content
    assert len(titles(first)) == 3


def test_a_repeated_api_search_reads_the_version_and_its_page_of_entries(
    api_client, detainer_rules
):
    first, first_sql = get(api_client, API_SEARCH, {"q": "detainer"})
    again, again_sql = get(api_client, API_SEARCH, {"q": "detainer"})

    assert len(again_sql) == 2 < len(first_sql)
    assert again.json() == first.json()
    assert again.json()["count"] == 3


def test_with_the_cache_off_every_search_is_worked_out_again(client, detainer_rules, settings):
    settings.SEARCH_CACHE_SECONDS = 0

    _, first_sql = get(client, SEARCH, {"q": "detainer"})
    _, again_sql = get(client, SEARCH, {"q": "detainer"})

    assert len(again_sql) == len(first_sql) > 1
    assert not any("search_indexversion" in sql for sql in again_sql)


def test_a_new_record_shows_in_the_next_search_at_once(client, api_client, detainer_rules):
    assert len(titles(get(client, SEARCH, {"q": "detainer"})[0])) == 3
    assert get(api_client, API_SEARCH, {"q": "detainer"})[0].json()["count"] == 3

    OrdinanceFactory(title="Detainer rule 4")

    page = get(client, SEARCH, {"q": "detainer"})[0]
    assert "Detainer rule 4" in titles(page)
    assert "4 results" in page.content.decode()
    assert get(api_client, API_SEARCH, {"q": "detainer"})[0].json()["count"] == 4


def test_an_edit_shows_in_the_next_search_at_once(client, detainer_rules):
    get(client, SEARCH, {"q": "detainer"})
    rule = detainer_rules[0]
    rule.title = "Notification rule"
    rule.save()

    assert "Detainer rule 0" not in titles(get(client, SEARCH, {"q": "detainer"})[0])
    assert titles(get(client, SEARCH, {"q": "notification"})[0]) == ["Notification rule"]


def test_unpublishing_takes_a_record_out_of_the_next_search(client, detainer_rules):
    get(client, SEARCH, {"q": "detainer"})
    rule = detainer_rules[0]
    rule.publication_state = PublicationState.DRAFT
    rule.save()

    assert sorted(titles(get(client, SEARCH, {"q": "detainer"})[0])) == [
        "Detainer rule 1",
        "Detainer rule 2",
    ]


def test_a_deleted_record_leaves_the_next_search_at_once(client, detainer_rules):
    get(client, SEARCH, {"q": "detainer"})
    detainer_rules[0].delete()  # its entry goes by cascade

    assert "Detainer rule 0" not in titles(get(client, SEARCH, {"q": "detainer"})[0])


def test_moving_a_town_changes_what_a_search_within_its_county_finds(client, chain):
    town = CityFactory(parent=chain.county)
    OrdinanceFactory(title="Detainer rule", jurisdiction=town)
    within = {"q": "detainer", "jurisdiction": chain.county.slug}
    assert titles(get(client, SEARCH, within)[0]) == ["Detainer rule"]

    town.parent = chain.state
    town.save()

    assert titles(get(client, SEARCH, within)[0]) == []


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda rule: rule.save(), id="a record saved"),
        pytest.param(lambda rule: rule.delete(), id="a record deleted"),
        pytest.param(
            lambda rule: SearchEntry.objects.filter(ordinance_record=rule).update(title="X"),
            id="entries updated in bulk",
        ),
        pytest.param(
            lambda rule: SearchEntry.objects.filter(ordinance_record=rule).delete(),
            id="entries deleted in bulk",
        ),
        pytest.param(lambda rule: call_command("rebuild_search_index"), id="a rebuild"),
        pytest.param(lambda rule: StatementFactory(), id="another record created"),
        pytest.param(lambda rule: SourceFactory(record=rule), id="a source cited"),
    ],
)
def test_every_write_to_the_index_changes_its_version(detainer_rules, write):
    before = current_token(connection.alias)

    write(detainer_rules[0])

    assert current_token(connection.alias) != before


def test_publishing_a_record_shows_the_source_it_cites_in_the_next_search_at_once(client, chain):
    rule = OrdinanceFactory(jurisdiction=chain.city, publication_state=PublicationState.DRAFT)
    SourceFactory(record=rule, title="Council memo", notes="On detainers.")
    assert titles(get(client, SEARCH, {"q": "detainer"})[0]) == []

    rule.publication_state = PublicationState.PUBLISHED
    rule.save()

    assert titles(get(client, SEARCH, {"q": "detainer"})[0]) == ["Council memo"]


def test_a_database_without_a_version_gets_one_and_still_caches(client, detainer_rules):
    IndexVersion.objects.all().delete()  # as `manage.py flush` leaves it

    get(client, SEARCH, {"q": "detainer"})
    again, again_sql = get(client, SEARCH, {"q": "detainer"})

    assert IndexVersion.objects.count() == 1
    assert len(again_sql) == 1
    OrdinanceFactory(title="Detainer rule 4")
    assert len(titles(get(client, SEARCH, {"q": "detainer"})[0])) == 4


def test_a_write_rolled_back_leaves_no_version_a_later_write_could_reuse(detainer_rules):
    class Undo(Exception):
        pass

    before = current_token(connection.alias)
    with pytest.raises(Undo), transaction.atomic():
        OrdinanceFactory(title="Detainer rule never kept")
        during = current_token(connection.alias)
        raise Undo

    assert current_token(connection.alias) == before
    OrdinanceFactory(title="Detainer rule kept")
    assert current_token(connection.alias) not in (before, during)


def test_staff_and_visitors_never_share_a_cached_search(client, staff_client, chain):
    OrdinanceFactory(title="Published detainer rule", jurisdiction=chain.city)
    OrdinanceFactory(
        title="Draft detainer rule",
        jurisdiction=chain.city,
        publication_state=PublicationState.DRAFT,
    )

    for _ in range(2):  # the second round reads from the cache
        assert titles(get(client, SEARCH, {"q": "detainer"})[0]) == ["Published detainer rule"]
        assert sorted(titles(get(staff_client, SEARCH, {"q": "detainer"})[0])) == [
            "Draft detainer rule",
            "Published detainer rule",
        ]


def test_each_page_sort_and_filter_is_cached_apart(client, chain):
    for n in range(25):
        OrdinanceFactory(title=f"Detainer rule {n:02}", jurisdiction=chain.city)

    for _ in range(2):  # the second round reads from the cache
        first = titles(get(client, SEARCH, {"q": "detainer", "sort": "title"})[0])
        second = titles(get(client, SEARCH, {"q": "detainer", "sort": "title", "page": 2})[0])
        backwards = get(client, SEARCH, {"q": "detainer", "sort": "title", "type": "agency"})
        assert first == [f"Detainer rule {n:02}" for n in range(20)]
        assert second == [f"Detainer rule {n:02}" for n in range(20, 25)]
        assert titles(backwards[0]) == []
