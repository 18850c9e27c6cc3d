"""The number of SQL queries of every public page and API endpoint does not grow with the data.

Each URL is fetched anonymously with a small and a large world (3 and 30 of every related
record: `tests/worlds.py`), and must make exactly the pinned number of queries at both sizes.
A count that grows is an N+1; a count that changes at both sizes is a deliberate change to
re-pin here. Downloads and feeds are read to their end, so that a streamed file's queries
are counted too.

`test_every_public_url_has_a_pinned_count` walks the URL resolver: a public route that no
table here names fails it, so a new page or endpoint comes with its count.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation

from tests.worlds import SIZES, built_once

pytestmark = pytest.mark.django_db

# In a route's arguments: the pk of a source the world's agreement cites.
SOURCE = object()


def get(name, queries, params=None, **kwargs):
    """A GET of the URL `name` (with `kwargs`) and `params` that makes `queries` queries."""
    pairs = [
        (k, v) for k, vs in (params or {}).items() for v in (vs if isinstance(vs, list) else [vs])
    ]
    query = "&".join(f"{key}={value}" for key, value in pairs)
    route = ",".join(str(value) for value in kwargs.values() if value is not SOURCE)
    label = "".join([name, f"[{route}]" if route else "", f"?{query}" if query else ""])
    return pytest.param(name, kwargs, params or {}, queries, id=label)


def downloads(name, queries, params=None, **kwargs):
    """The CSV and the JSON download of `name`: the same queries each."""
    return [get(name, queries, params, file_format=f, **kwargs) for f in ("csv", "json")]


def url_of(world, name, kwargs):
    return reverse(
        name, kwargs={k: world.source.pk if v is SOURCE else v for k, v in kwargs.items()}
    )


def fetch(client, url, params=None, **headers):
    """The response, its streamed content read (a download's rows are read as it streams)."""
    response = client.get(url, params, headers=headers)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


# The site's pages and downloads, in the order of policytracker/urls.py.
PAGES = [
    get("home", 9),
    get("about", 0),
    get("privacy", 0),
    get("corrections:new", 0),
    get("corrections:thanks", 0),
    get("search:search", 0),  # the form alone
    get("search:search", 7, {"q": "place"}),
    *downloads("search:export", 7, {"q": "place"}),
    get("exports:index", 7),  # the data page: each list's row count
    *downloads("exports:sources", 1),
    *downloads("exports:citations", 1),
    get("sources:list", 2),
    *downloads("sources:export", 1),
    get("sources:detail", 3, pk=SOURCE),
    get("places:find", 0),  # the form alone
    get("places:find", 2, {"q": "place"}),  # the count and the page, with their containers
    get("places:suggest", 1, {"q": "place"}),
    get("jurisdictions:list", 7),  # the list, its count, two facets, three for profiles
    *downloads("jurisdictions:export", 2),
    get("jurisdictions:detail", 12, slug="city"),  # with its profile: three more
    get("jurisdictions:profile-csv", 4, slug="city"),
    get("jurisdictions:timeline", 6, slug="city"),
    get("agencies:list", 4),
    *downloads("agencies:export", 1),
    get("agencies:detail", 7, slug="police"),
    get("ordinances:list", 5),
    *downloads("ordinances:export", 2),
    get("ordinances:detail", 6, slug="rule"),
    get("agreements:list", 5),
    *downloads("agreements:export", 1),
    get("agreements:detail", 3, slug="deal"),
    get("statements:list", 3),
    *downloads("statements:export", 6),  # + the five `about_` relations
    get("statements:detail", 8, slug="talk"),
    get("profiles:compare", 0),  # no place chosen: the form alone
    # The places, then profiles_of's three: containments, provisions, reviews.
    get("profiles:compare", 4, {"j": ["city", "state"], "on": "2026-11-01"}),
    get("profiles:compare-csv", 4, {"j": ["city", "state"], "on": "2026-11-01"}),
    get("profiles:coverage", 3),  # the count, the page, the counties of its states
    get("profiles:coverage-state", 4, slug="state"),  # the state, its counties', count, page
    # No place of the worlds is an Illinois county: only the places drawn are read
    # (tests/test_map.py counts a map of 3 and of 40 counties with rules: 4 queries).
    get("maps:map", 1),
    get("feeds:search", 7, {"q": "place"}),
    get("feeds:place", 6, slug="city"),
    *[get("feeds:records", 1, record_type=t) for t in ("jurisdictions", "agencies")],
    *[get("feeds:records", 1, record_type=t) for t in ("ordinances", "agreements")],
    get("feeds:records", 1, record_type="statements"),
    get("healthz", 0),
]
ENDPOINTS = [
    get("api:api-root", 0),
    get("api:jurisdiction-list", 3),  # + the other places each lies within
    get("api:jurisdiction-list", 3, format="json"),
    *downloads("api:jurisdiction-export", 2),
    get("api:jurisdiction-detail", 3, slug="city"),
    get("api:jurisdiction-profile", 4, slug="city"),
    get("api:agency-list", 2),
    *downloads("api:agency-export", 1),
    get("api:agency-detail", 2, slug="police"),
    get("api:ordinance-list", 3),  # + amends
    *downloads("api:ordinance-export", 2),
    get("api:ordinance-detail", 3, slug="rule"),
    get("api:agreement-list", 2),
    *downloads("api:agreement-export", 1),
    get("api:agreement-detail", 2, slug="deal"),
    get("api:statement-list", 7),  # + the five `about_` relations
    *downloads("api:statement-export", 6),
    get("api:statement-detail", 7, slug="talk"),
    get("api:source-list", 2),
    get("api:source-detail", 1, pk=SOURCE),
    get("api:source-citations", 3, pk=SOURCE),
    get("api:search-list", 7, {"q": "place"}),
    get("api:compare-list", 4, {"j": ["city", "state"], "on": "2026-11-01"}),
    get("api:coverage-list", 3),
    get("api:coverage-detail", 4, slug="state"),
    get("schema", 0),
    get("api-docs", 0),
]


class TestAnonymousGet:
    """Every page and endpoint, read from one world of each size."""

    @pytest.mark.parametrize("sized_world", SIZES, indirect=True)
    @pytest.mark.parametrize(("name", "kwargs", "params", "queries"), [*PAGES, *ENDPOINTS])
    def test_anonymous_get_makes_pinned_number_of_queries(
        self, client, django_assert_num_queries, sized_world, name, kwargs, params, queries
    ):
        url = url_of(sized_world, name, kwargs)

        with django_assert_num_queries(queries):
            response = fetch(client, url, params)

        assert response.status_code == 200

    # A list filtered by place, with its facets: the place filter and the place facet (now
    # by the places inside the chosen one) stay the same few queries at both sizes.
    FILTERED_LISTS = [
        get("jurisdictions:list", 8, {"within": "state"}),
        get("agencies:list", 5, {"jurisdiction": "state"}),
        # The place itself only: no place facet (nothing inside it is counted).
        get("agencies:list", 3, {"jurisdiction": "county", "jurisdiction_only": "true"}),
        get("ordinances:list", 6, {"jurisdiction": "state", "kind": ["ordinance", "statute"]}),
        # No 287(g) agreement in the world: an empty page reads no rows.
        get("agreements:list", 5, {"jurisdiction": "county", "kind": "287g"}),
        get("statements:list", 4, {"jurisdiction": "state"}),
    ]

    @pytest.mark.parametrize("sized_world", SIZES, indirect=True)
    @pytest.mark.parametrize(("name", "kwargs", "params", "queries"), FILTERED_LISTS)
    def test_a_list_filtered_by_place_makes_pinned_number_of_queries(
        self, client, django_assert_num_queries, sized_world, name, kwargs, params, queries
    ):
        with django_assert_num_queries(queries):
            response = client.get(reverse(name), params)

        assert response.status_code == 200

    # Spanish pages are the English ones under /es/, and the API answers in the language
    # asked for: the translation is read from the catalogue, never from the database.
    SPANISH = [
        {param.id: param for param in [*PAGES, *ENDPOINTS]}[label]
        for label in (
            "home",
            "jurisdictions:list",
            "jurisdictions:detail[city]",
            "ordinances:list",
            "statements:detail[talk]",
            "sources:detail",
            "profiles:compare?j=city&j=state&on=2026-11-01",
            "profiles:coverage",
            "maps:map",
            "api:jurisdiction-detail[city]",
            "api:statement-list",
            "api:coverage-list",
        )
    ]

    @pytest.mark.parametrize("sized_world", SIZES, indirect=True)
    @pytest.mark.parametrize(("name", "kwargs", "params", "queries"), SPANISH)
    def test_in_spanish_makes_the_same_number_of_queries(
        self, client, django_assert_num_queries, sized_world, name, kwargs, params, queries
    ):
        with translation.override("es"):
            url = url_of(sized_world, name, kwargs)

        with django_assert_num_queries(queries):
            response = fetch(client, url, params, accept_language="es")

        assert response.status_code == 200
        assert response.headers["Content-Language"] == "es"

    # The second page of each list, filtered and sorted: its pages made two rows long (each
    # list's page size set to 2) so that the small world has a second page too. The API's
    # lists take their page size from the query string.
    PAGE_TWO = [
        get("search:search", 7, {"q": "place", "sort": "title", "page": 2}),
        get("sources:list", 2, {"ordering": "-published", "page": 2}),
        get("places:find", 2, {"q": "place", "page": 2}),
        get("jurisdictions:list", 8, {"within": "state", "ordering": "name", "page": 2}),
        get("agencies:list", 5, {"jurisdiction": "city", "ordering": "-name", "page": 2}),
        get("ordinances:list", 6, {"jurisdiction": "city", "ordering": "-adopted", "page": 2}),
        get("agreements:list", 5, {"ordering": "-signed", "page": 2}),
        get("statements:list", 4, {"jurisdiction": "city", "ordering": "date", "page": 2}),
        get("api:jurisdiction-list", 4, {"within": "state", "ordering": "name", "page": 2}),
        get("api:agency-list", 3, {"jurisdiction": "city", "ordering": "-name", "page": 2}),
        get("api:ordinance-list", 4, {"jurisdiction": "city", "ordering": "-adopted", "page": 2}),
        get("api:agreement-list", 2, {"ordering": "-signed", "page": 2}),
        get("api:statement-list", 8, {"jurisdiction": "city", "ordering": "date", "page": 2}),
        get("api:source-list", 2, {"ordering": "-published", "page": 2}),
        get("api:search-list", 7, {"q": "place", "sort": "title", "page": 2}),
    ]

    @pytest.mark.parametrize("sized_world", SIZES, indirect=True)
    @pytest.mark.parametrize(("name", "kwargs", "params", "queries"), PAGE_TWO)
    def test_a_second_page_makes_pinned_number_of_queries(
        self,
        client,
        monkeypatch,
        django_assert_num_queries,
        sized_world,
        name,
        kwargs,
        params,
        queries,
    ):
        url = url_of(sized_world, name, kwargs)
        if name.startswith("api:"):
            params = {**params, "page_size": 2}
        elif name == "search:search":
            monkeypatch.setattr("policytracker.search.views.RESULTS_PER_PAGE", 2)
        else:
            monkeypatch.setattr(resolve(url).func.view_class, "paginate_by", 2)

        with django_assert_num_queries(queries):
            response = fetch(client, url, params)

        assert response.status_code == 200

    @pytest.mark.parametrize("sized_world", SIZES, indirect=True)
    def test_a_document_download_makes_pinned_number_of_queries(
        self, client, settings, tmp_path, django_assert_num_queries, sized_world
    ):
        settings.MEDIA_ROOT = tmp_path
        source = type(sized_world.source).objects.get(pk=sized_world.source.pk)
        source.document.save("letter.txt", ContentFile(b"The letter."))
        url = url_of(sized_world, *DOCUMENT)

        # The source, whether a record the reader may see cites it, whether a public one does.
        with django_assert_num_queries(3):
            response = fetch(client, url)

        assert response.status_code == 200


DOCUMENT = ("documents:download", {"pk": SOURCE})


def revise_in_turn(world):
    """`world.size` revisions of each named record and of the source, one of each in turn,
    so that the newest changes are of every type whatever the size."""
    records = [world.city, world.police, world.rule, world.deal, world.talk, world.source]
    records = [type(record).objects.get(pk=record.pk) for record in records]
    for index in range(world.size):
        for record in records:
            if hasattr(record, "summary"):
                record.summary = f"Revision {index} of the summary."
            else:
                record.notes = f"Note {index}"
            record.save()
    return world


@pytest.fixture(scope="class")
def revised_world(sized_world, django_db_blocker):
    """The world, its named records and source revised `size` times each, in turn."""
    yield from built_once(django_db_blocker, revise_in_turn, sized_world)


# Each record page and API detail (and a source's), as it stands and at its first published
# revision (?revision=N), after as many later revisions as the world has records of each
# kind (`revised_world`), so that the two sizes have histories of different lengths. A
# revision reads its row and its citations' history instead of the current citations: one
# query more.
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
SOURCE_REVISIONS = [("sources:detail", 3, 4), ("api:source-detail", 1, 2)]


# The pages of changes and their downloads and feeds, after histories as long as the world
# is large: the newest changes and revisions of every type, in the same queries.
HISTORIES = [
    get("changes", 10),
    *downloads("changes-export", 5),
    get("feeds:changes", 5),
    get("feeds:revisions", 10),
    *[
        page
        for record_type, slug in (
            ("jurisdictions", "city"),
            ("agencies", "police"),
            ("ordinances", "rule"),
            ("agreements", "deal"),
            ("statements", "talk"),
        )
        for page in (
            get(f"{record_type}:changes", 3, slug=slug),
            *downloads(f"{record_type}:changes-export", 2, slug=slug),
        )
    ],
]


@pytest.mark.parametrize("sized_world", SIZES, indirect=True)
class TestHistories:
    """Records with long histories and short ones: their changes, and their pages and API
    details as they stand and at an old revision, in as many queries."""

    @pytest.mark.parametrize(("name", "kwargs", "params", "queries"), HISTORIES)
    def test_changes_make_pinned_number_of_queries(
        self, client, django_assert_num_queries, revised_world, name, kwargs, params, queries
    ):
        url = url_of(revised_world, name, kwargs)

        with django_assert_num_queries(queries):
            response = fetch(client, url, params)

        assert response.status_code == 200

    @staticmethod
    def first_revision(record):
        """The number of the record's first revision: as it was created."""
        record = type(record).objects.get(pk=record.pk)
        return record.history.order_by("history_id").values_list("history_id", flat=True)[0]

    @pytest.mark.parametrize(
        ("name", "slug", "current", "revision"),
        REVISION_PAGES,
        ids=[n for n, _s, _c, _r in REVISION_PAGES],
    )
    def test_a_record_at_a_revision_makes_pinned_number_of_queries(
        self, client, django_assert_num_queries, revised_world, name, slug, current, revision
    ):
        record = next(r for r in vars(revised_world).values() if getattr(r, "slug", "") == slug)
        first = self.first_revision(record)
        url = reverse(name, kwargs={"slug": slug})

        with django_assert_num_queries(current):
            response = client.get(url)
        assert response.status_code == 200
        with django_assert_num_queries(revision):
            old = client.get(url, {"revision": first})

        assert old.status_code == 200
        assert "Revision 0 of the summary." not in old.content.decode()

    @pytest.mark.parametrize(("name", "current", "revision"), SOURCE_REVISIONS)
    def test_a_source_at_a_revision_makes_pinned_number_of_queries(
        self, client, django_assert_num_queries, revised_world, name, current, revision
    ):
        first = self.first_revision(revised_world.source)
        url = reverse(name, kwargs={"pk": revised_world.source.pk})

        with django_assert_num_queries(current):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(revision):
            assert client.get(url, {"revision": first}).status_code == 200


# Every route a reader can GET is in one of the tables above.
COUNTED = {
    *(
        param.values[0]
        for param in [*PAGES, *ENDPOINTS, *HISTORIES, *TestAnonymousGet.FILTERED_LISTS]
    ),
    *(name for name, *_counts in [*REVISION_PAGES, *SOURCE_REVISIONS]),
    DOCUMENT[0],
}


def routes(patterns, namespace="", prefix=""):
    """(name, regex) of each route under `patterns`, its name with its namespaces."""
    for pattern in patterns:
        regex = prefix + pattern.pattern.regex.pattern.lstrip("^")
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, inner, regex.removesuffix("$"))
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), regex


def not_public(name, regex):
    """Routes no anonymous reader GETs, so left out of the count:
    - the admin site, its import page and its history pages (staff only);
    - the API's downloads at their address without the trailing slash (`export.csv`): the
      same view as the named route with the slash, counted above (policytracker/api.py's
      RecordRouter adds them, unnamed, and keeps them out of the schema).
    """
    if regex.startswith("admin/") or name is not None and name.startswith(("admin:", "admin-")):
        return True
    return name is None and regex.startswith("api/v1/") and "export" in regex


def test_every_public_url_has_a_pinned_count():
    public = [(n, r) for n, r in routes(get_resolver().url_patterns) if not not_public(n, r)]
    unnamed = [regex for name, regex in public if name is None]
    assert unnamed == [], "name these routes, then count their queries here"

    uncounted = sorted({name for name, _regex in public} - COUNTED)

    assert uncounted == [], "add each of these routes to a table of this module"


def test_the_route_walk_finds_the_routes_counted():
    # The walk itself is checked: it sees every route the tables name, in its namespace.
    names = {name for name, regex in routes(get_resolver().url_patterns)}

    assert names >= COUNTED
    assert names >= {"admin:index", "api:jurisdiction-list", "feeds:records"}
