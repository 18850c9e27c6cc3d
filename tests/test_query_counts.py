"""The number of SQL queries of every public page and API endpoint does not grow with the data.

Each URL is fetched anonymously with a small and a large world (3 and 30 of every related
record: `tests/worlds.py`), and must make exactly the pinned number of queries at both sizes.
A count that grows is an N+1; a count that changes at both sizes is a deliberate change to
re-pin here.
"""

import pytest
from django.urls import reverse

from policytracker.models import Source
from tests.worlds import SIZES

pytestmark = pytest.mark.django_db

# url name, slug of the record it shows (None for a list), pinned number of queries.
PAGES = [
    ("home", None, 9),
    ("about", None, 0),
    ("jurisdictions:list", None, 7),  # the list, its count, two facets, three for profiles
    ("jurisdictions:detail", "city", 12),  # with its profile: three more
    ("jurisdictions:profile-csv", "city", 4),
    ("agencies:list", None, 4),
    ("agencies:detail", "police", 7),
    ("ordinances:list", None, 5),
    ("ordinances:detail", "rule", 6),
    ("agreements:list", None, 5),
    ("agreements:detail", "deal", 3),
    ("statements:list", None, 3),
    ("statements:detail", "talk", 8),
    # No place of the worlds is an Illinois county: only the places drawn are read
    # (tests/test_map.py counts a map of 3 and of 40 counties with rules: 4 queries).
    ("maps:map", None, 1),
]
ENDPOINTS = [
    ("api:jurisdiction-list", None, 3),  # + the other places each lies within
    ("api:jurisdiction-detail", "city", 3),
    ("api:jurisdiction-profile", "city", 4),
    ("api:agency-list", None, 2),
    ("api:agency-detail", "police", 2),
    ("api:ordinance-list", None, 3),  # + amends
    ("api:ordinance-detail", "rule", 3),
    ("api:agreement-list", None, 2),
    ("api:agreement-detail", "deal", 2),
    ("api:statement-list", None, 7),  # + the five `about_` relations
    ("api:statement-detail", "talk", 7),
]


def url_of(name, slug):
    return reverse(name, kwargs={"slug": slug}) if slug else reverse(name)


class TestAnonymousGet:
    """Every page and endpoint, read from one world of each size."""

    @pytest.mark.parametrize("sized_world", SIZES, indirect=True)
    @pytest.mark.parametrize(
        ("name", "slug", "queries"),
        [*PAGES, *ENDPOINTS],
        ids=[n for n, _s, _q in [*PAGES, *ENDPOINTS]],
    )
    def test_anonymous_get_makes_pinned_number_of_queries(
        self, client, django_assert_num_queries, sized_world, name, slug, queries
    ):
        url = url_of(name, slug)

        with django_assert_num_queries(queries):
            response = client.get(url)

        assert response.status_code == 200


# A list filtered by place, with its facets: the place filter and the place facet (now by
# the places inside the chosen one) stay the same few queries at both sizes.
FILTERED_LISTS = [
    ("jurisdictions:list", {"within": "state"}, 8),
    ("agencies:list", {"jurisdiction": "state"}, 5),
    # The place itself only: no place facet (nothing inside it is counted).
    ("agencies:list", {"jurisdiction": "county", "jurisdiction_only": "true"}, 3),
    ("ordinances:list", {"jurisdiction": "state", "kind": ["ordinance", "statute"]}, 6),
    # No 287(g) agreement in the world: an empty page reads no rows.
    ("agreements:list", {"jurisdiction": "county", "kind": "287g"}, 5),
    ("statements:list", {"jurisdiction": "state"}, 4),
]


@pytest.mark.parametrize("sized_world", SIZES, indirect=True)
@pytest.mark.parametrize(
    ("name", "params", "queries"), FILTERED_LISTS, ids=[n for n, _p, _q in FILTERED_LISTS]
)
def test_a_list_filtered_by_place_makes_pinned_number_of_queries(
    client, django_assert_num_queries, sized_world, name, params, queries
):
    with django_assert_num_queries(queries):
        response = client.get(reverse(name), params)

    assert response.status_code == 200


# Each record page and API detail, as it stands and at its first published revision
# (?revision=N), after as many later revisions as the world has records of each kind, so
# that the two sizes have histories of different lengths. A revision reads its row and its
# citations' history instead of the current citations: one query more.
REVISION_PAGES = [
    ("jurisdictions:detail", "city", 12, 13),
    ("agencies:detail", "police", 7, 8),
    ("ordinances:detail", "rule", 6, 7),
    ("agreements:detail", "deal", 3, 4),
    ("statements:detail", "talk", 8, 9),
    ("api:jurisdiction-detail", "city", 3, 4),
    ("api:agency-detail", "police", 2, 3),
    ("api:ordinance-detail", "rule", 3, 4),
    ("api:agreement-detail", "deal", 2, 3),
    ("api:statement-detail", "talk", 7, 8),
]


class TestRevisions:
    """A record's page and API detail make as many queries with a long history as with a
    short one, as it stands and at an old revision."""

    @staticmethod
    def revise(world, slug):
        shared = next(r for r in vars(world).values() if getattr(r, "slug", None) == slug)
        record = type(shared).objects.get(pk=shared.pk)  # the world's copy stays as built
        first = record.history.order_by("history_id").values_list("history_id", flat=True)[0]
        for index in range(world.size):
            record.summary = f"Revision {index} of the summary."
            record.save()
        return first

    @pytest.mark.parametrize("sized_world", SIZES, indirect=True)
    @pytest.mark.parametrize(
        ("name", "slug", "current", "revision"),
        REVISION_PAGES,
        ids=[n for n, _s, _c, _r in REVISION_PAGES],
    )
    def test_a_record_at_a_revision_makes_pinned_number_of_queries(
        self, client, django_assert_num_queries, sized_world, name, slug, current, revision
    ):
        first = self.revise(sized_world, slug)
        url = url_of(name, slug)

        with django_assert_num_queries(current):
            response = client.get(url)
        assert response.status_code == 200
        with django_assert_num_queries(revision):
            old = client.get(url, {"revision": first})

        assert old.status_code == 200
        assert "Revision 0 of the summary." not in old.content.decode()


@pytest.mark.parametrize("sized_world", SIZES, indirect=True)
class TestSourceRevisions:
    def test_a_source_at_a_revision_makes_pinned_number_of_queries(
        self, client, django_assert_num_queries, sized_world
    ):
        source = Source.objects.filter(citations__agreement=sized_world.deal).order_by("pk")[0]
        first = source.history.values_list("history_id", flat=True).order_by("history_id")[0]
        for index in range(sized_world.size):
            source.notes = f"Note {index}"
            source.save()
        url = reverse("sources:detail", kwargs={"pk": source.pk})
        api_url = reverse("api:source-detail", kwargs={"pk": source.pk})

        with django_assert_num_queries(3):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(4):
            assert client.get(url, {"revision": first}).status_code == 200
        with django_assert_num_queries(1):
            assert client.get(api_url).status_code == 200
        with django_assert_num_queries(2):
            assert client.get(api_url, {"revision": first}).status_code == 200
