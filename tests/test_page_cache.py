"""The page cache: an anonymous reader's repeated request costs one query, and no write,
whatever its path, is ever hidden by it (policytracker/page_cache.py)."""

import json
import os
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jurisdictions.models import Jurisdiction, Ordinance
from policytracker import page_cache
from policytracker.content_version import (
    PRIVATE_MODELS,
    drop_statements,
    public_tables,
    triggered_tables,
)
from policytracker.importers.ocd import OcdImporter
from policytracker.models import PublicationState
from policytracker.publication import records_publish_with_named
from tests.factories import OrdinanceFactory, SourceFactory, UserFactory
from tests.import_helpers import data_file
from tests.test_query_counts import ENDPOINTS, PAGES, fetch, url_of
from tests.worlds import SIZES

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Detainer Requests Ordinance"


@pytest.fixture(autouse=True)
def page_cache_on(page_cache_off, settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def clock(monkeypatch):
    """The page cache's clock, set by the test (Last-Modified counts in whole seconds)."""
    now = [1_800_000_000.5]
    monkeypatch.setattr(page_cache, "clock", lambda: now[0])
    return now


def get(client, url, **headers):
    """The response, and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, [query["sql"] for query in queries]


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def draft(db):
    """A cited draft ordinance, and a published one so that every list and feed has a row."""
    OrdinanceFactory(title="Welcoming City Ordinance")
    ordinance = OrdinanceFactory(title=DRAFT_TITLE, publication_state=PublicationState.DRAFT)
    SourceFactory(record=ordinance)
    return ordinance


def public_urls(ordinance):
    detail = {"slug": ordinance.slug}
    return {
        "page": reverse("ordinances:list"),
        "spanish page": "/es" + reverse("ordinances:list"),
        "api list": reverse("api:ordinance-list"),
        "api detail": reverse("api:ordinance-detail", kwargs=detail),
        "feed": reverse("feeds:records", kwargs={"record_type": "ordinances"}),
    }


@pytest.mark.parametrize(
    "name", ["page", "spanish page", "api list", "api detail", "feed", "detail page"]
)
def test_a_repeated_anonymous_request_is_answered_from_the_cache_in_one_query(client, draft, name):
    published = Ordinance.objects.get(title="Welcoming City Ordinance")
    url = public_urls(published).get(name) or published.get_absolute_url()

    first, first_sql = get(client, url)
    again, again_sql = get(client, url)

    assert first.status_code == again.status_code == 200
    assert len(first_sql) > 1
    assert len(again_sql) == 1 and "policytracker_contentversion" in again_sql[0]
    assert body(again) == body(first)
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"]
    assert "Welcoming City Ordinance" in body(again)


def test_each_language_and_representation_is_kept_apart(client, draft):
    english, _ = get(client, reverse("ordinances:list"))
    spanish, _ = get(client, "/es" + reverse("ordinances:list"))
    json, _ = get(client, reverse("api:ordinance-list"), Accept="application/json")
    browsable, _ = get(client, reverse("api:ordinance-list"), Accept="text/html")
    api_in_spanish, _ = get(
        client, reverse("api:ordinance-list") + "?page=9", **{"Accept-Language": "es"}
    )

    assert '<html lang="en"' in body(english) and '<html lang="es"' in body(spanish)
    assert json["Content-Type"] == "application/json"
    assert browsable["Content-Type"].startswith("text/html")
    assert api_in_spanish.status_code == 404  # not cached, and in the language asked for
    assert api_in_spanish["Content-Language"] == "es"
    assert len({english["ETag"], spanish["ETag"], json["ETag"]}) == 3
    # The browsable API renders forms with a CSRF token: never shared.
    assert "ETag" not in browsable and "csrftoken" in browsable.cookies


# Answered afresh each time, besides streamed downloads (validated, never stored): a form
# with a CSRF token, and the health check.
NEVER_STORED = {"corrections:new", "healthz"}


class TestEveryPublicPageAndEndpoint:
    """Each page and endpoint whose queries tests/test_query_counts.py pins is kept: asked
    again, it is answered from the cache with the one query for the content version; what
    may not be kept is computed afresh."""

    @pytest.mark.parametrize("sized_world", SIZES[-1:], indirect=True)
    @pytest.mark.parametrize(("name", "kwargs", "params", "queries"), [*PAGES, *ENDPOINTS])
    def test_asked_again_it_is_answered_from_the_cache_in_one_query(
        self, client, sized_world, name, kwargs, params, queries
    ):
        url = url_of(sized_world, name, kwargs)
        first = fetch(client, url, params)

        with CaptureQueriesContext(connection) as again_queries:
            again = fetch(client, url, params)

        assert first.status_code == again.status_code == 200
        if first.streaming or name in NEVER_STORED:  # the view answers again
            assert not getattr(again, "from_page_cache", False)
        else:
            assert again.from_page_cache and len(again_queries) == 1
            assert again.content == first.content and again["ETag"] == first["ETag"]


def publish_in_admin(ordinance):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:jurisdictions_ordinance_changelist"),
        {"action": "publish", "_selected_action": [ordinance.pk]},
    )
    assert response.status_code == 302


def publish_through_the_api(ordinance):
    client = APIClient()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.patch(
        reverse("api:ordinance-detail", kwargs={"slug": ordinance.slug}),
        {"publication_state": "published"},
        format="json",
    )
    assert response.status_code == 200, response.content


def publish_in_bulk(ordinance):
    records_publish_with_named({Ordinance: [ordinance.pk]})


def publish_by_queryset_update(ordinance):
    Ordinance.objects.filter(pk=ordinance.pk).update(publication_state="published")


def publish_by_raw_sql(ordinance):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Ordinance._meta.db_table} SET publication_state = %s WHERE id = %s",
            ["published", ordinance.pk],
        )


def publish_by_loaddata(ordinance):
    """The record dumped, marked published in the dump, and loaded back."""
    with tempfile.TemporaryDirectory() as folder:
        dumped = Path(folder) / "ordinance.json"
        call_command("dumpdata", "jurisdictions.ordinance", pks=str(ordinance.pk), output=dumped)
        rows = json.loads(dumped.read_text())
        rows[0]["fields"]["publication_state"] = "published"
        dumped.write_text(json.dumps(rows))
        call_command("loaddata", dumped, verbosity=0)


PUBLISHERS = [
    publish_in_admin,
    publish_through_the_api,
    publish_in_bulk,
    publish_by_queryset_update,
    publish_by_raw_sql,
    publish_by_loaddata,
]


@pytest.mark.parametrize("publish", PUBLISHERS, ids=lambda f: f.__name__)
def test_a_publish_is_seen_on_the_next_anonymous_request(client, draft, publish):
    urls = public_urls(draft)
    before = {name: get(client, url)[0] for name, url in urls.items()}
    for name in before:  # and now in the cache
        assert len(get(client, urls[name])[1]) <= 1 or name == "api detail"
    assert before["api detail"].status_code == 404
    assert not any(DRAFT_TITLE in body(before[name]) for name in before)

    publish(draft)
    after = {name: get(client, url)[0] for name, url in urls.items()}

    assert {name: response.status_code for name, response in after.items()} == dict.fromkeys(
        urls, 200
    )
    assert all(DRAFT_TITLE in body(response) for response in after.values())
    assert after["page"]["ETag"] != before["page"]["ETag"]


@pytest.mark.parametrize("withdraw", ["admin", "update"])
def test_a_withdrawal_is_seen_on_the_next_anonymous_request(client, admin_client, draft, withdraw):
    publish_by_queryset_update(draft)
    urls = public_urls(draft)
    for url in urls.values():
        get(client, url)
    assert all(DRAFT_TITLE in body(get(client, url)[0]) for url in urls.values())

    if withdraw == "admin":
        response = admin_client.post(
            reverse("admin:jurisdictions_ordinance_changelist"),
            {"action": "unpublish", "_selected_action": [draft.pk]},
        )
        assert response.status_code == 302
    else:
        Ordinance.objects.filter(pk=draft.pk).update(publication_state="draft")
    after = {name: get(client, url)[0] for name, url in urls.items()}

    assert after["api detail"].status_code == 404
    assert not any(DRAFT_TITLE in body(response) for response in after.values())


def test_an_import_published_in_bulk_is_seen_on_the_next_anonymous_request(client):
    places = reverse("jurisdictions:list") + "?q=chicago"
    api = reverse("api:jurisdiction-list") + "?q=chicago"
    feed = reverse("feeds:records", kwargs={"record_type": "jurisdictions"})
    for url in (places, api, feed):
        assert "Chicago" not in body(get(client, url)[0])
    OcdImporter().run([data_file("ocd_states.csv"), data_file("ocd_places_extract.csv")])
    assert "Chicago" not in body(get(client, places)[0])  # drafts still

    records_publish_with_named(
        {Jurisdiction: list(Jurisdiction.objects.values_list("pk", flat=True))}
    )

    for url in (places, api, feed):
        assert "Chicago" in body(get(client, url)[0]), url


def test_staff_are_never_answered_from_nor_fill_the_anonymous_cache(client, staff_client, draft):
    url = reverse("ordinances:list")
    anonymous, _ = get(client, url)
    staff, staff_sql = get(staff_client, url)

    assert DRAFT_TITLE not in body(anonymous) and DRAFT_TITLE in body(staff)
    assert len(staff_sql) > 1
    assert "private" in staff["Cache-Control"] and "ETag" not in staff

    other = reverse("ordinances:list") + "?sort=title"
    get(staff_client, other)
    get(staff_client, other)
    anonymous, anonymous_sql = get(client, other)
    assert len(anonymous_sql) > 1 and DRAFT_TITLE not in body(anonymous)


def test_an_api_token_is_never_answered_from_the_anonymous_cache(client, draft):
    token = Token.objects.create(user=UserFactory(permissions=["jurisdictions.view_ordinance"]))
    url = reverse("api:ordinance-list")
    get(client, url)

    response, sql = get(client, url, Authorization=f"Token {token.key}")

    assert response.status_code == 200
    assert not any("contentversion" in query for query in sql)
    assert "private" in response["Cache-Control"] and "ETag" not in response


@pytest.mark.parametrize("name", ["api list", "api detail", "feed", "page"])
def test_a_conditional_request_that_still_holds_is_answered_304_without_the_view(
    client, draft, clock, name
):
    publish_by_queryset_update(draft)
    url = public_urls(draft)[name]
    first, _ = get(client, url)
    assert "Last-Modified" not in first  # the token was first seen this very second
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    clock[0] += 1
    # The stored copy gone, only the validators can answer.
    cache.delete("page:" + first["ETag"].strip('"').rpartition(".")[2])

    by_etag, etag_sql = get(client, url, **{"If-None-Match": first["ETag"]})
    by_date, date_sql = get(client, url, **{"If-Modified-Since": http_date(clock[0] - 1)})
    dated, _ = get(client, url)

    assert (by_etag.status_code, by_date.status_code) == (304, 304)
    assert len(etag_sql) == len(date_sql) == 1
    assert by_etag["ETag"] == first["ETag"] and not by_etag.content
    assert dated["Last-Modified"] == http_date(int(clock[0] - 1))
    assert dated["ETag"] == first["ETag"]


@pytest.mark.parametrize("name", ["api list", "api detail", "feed"])
def test_after_a_write_a_conditional_request_gets_the_new_response(client, draft, clock, name):
    publish_by_queryset_update(draft)
    url = public_urls(draft)[name]
    get(client, url)
    clock[0] += 5
    first, _ = get(client, url)
    clock[0] += 5
    assert get(client, url, **{"If-None-Match": first["ETag"]})[0].status_code == 304

    Ordinance.objects.filter(pk=draft.pk).update(title="Detainer Requests Ordinance, amended")
    by_etag, _ = get(client, url, **{"If-None-Match": first["ETag"]})
    by_date, _ = get(client, url, **{"If-Modified-Since": first["Last-Modified"]})
    clock[0] += 5  # once the new token's second is over, its date is later than the old one
    by_later_date, _ = get(client, url, **{"If-Modified-Since": first["Last-Modified"]})

    assert (by_etag.status_code, by_date.status_code, by_later_date.status_code) == (200, 200, 200)
    assert by_etag["ETag"] != first["ETag"]
    assert "amended" in body(by_etag) and "amended" in body(by_later_date)
    assert by_later_date["Last-Modified"] != first["Last-Modified"]


def test_an_anonymous_api_etag_keeps_the_record_version_that_if_match_names(client, draft):
    publish_by_queryset_update(draft)
    draft.refresh_from_db()
    url = reverse("api:ordinance-detail", kwargs={"slug": draft.slug})
    etag = get(client, url)[0]["ETag"]
    assert etag.startswith(f'"{draft.version}.')
    editor = APIClient()
    editor.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = editor.patch(url, {"summary": "Changed."}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{draft.version + 1}"'


def test_a_form_with_a_csrf_token_is_never_cached(client):
    url = reverse("corrections:new")
    first, _ = get(client, url)
    again, _ = get(client, url)

    assert 'name="csrfmiddlewaretoken"' in body(first)
    assert "csrftoken" in again.cookies and "ETag" not in again
    assert first.context is not None and again.context is not None  # both rendered


def test_not_found_and_the_health_check_are_never_cached(client, draft):
    missing = reverse("ordinances:detail", kwargs={"slug": draft.slug})
    get(client, missing)
    again, sql = get(client, missing)
    health, health_sql = get(client, reverse("healthz"))

    assert again.status_code == 404 and "ETag" not in again and len(sql) > 1
    assert health.status_code == 200 and "ETag" not in health and health_sql == []


def test_a_head_request_is_answered_from_what_a_get_stored(client, draft):
    url = reverse("api:ordinance-list")
    get(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = client.head(url)

    assert response.status_code == 200 and len(queries) == 1 and response["ETag"]


def test_with_the_cache_off_nothing_is_kept_nor_validated(client, draft, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("api:ordinance-list")
    first, first_sql = get(client, url)
    again, again_sql = get(client, url)

    assert len(again_sql) == len(first_sql) > 1 and "ETag" not in again


def test_a_cache_that_does_not_answer_costs_no_answer(client, draft, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response, _ = get(client, reverse("ordinances:list"))
    search, _ = get(client, reverse("search:search") + "?q=welcoming")

    assert response.status_code == 200 and "Welcoming City Ordinance" in body(response)
    assert search.status_code == 200 and "Welcoming City Ordinance" in body(search)


# Tables of the project's models that no public page reads: no trigger on them.
NOT_PUBLIC = {
    "policytracker_contentversion",
    "search_indexversion",
    "corrections_correction",
    "jobs_job",
}


def test_every_public_table_has_the_content_version_trigger():
    from django.apps import apps

    project_tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.split(".")[0] in {"policytracker", "jurisdictions", "agreements"}
    }

    assert len(PRIVATE_MODELS) == len(NOT_PUBLIC)
    assert project_tables - NOT_PUBLIC <= set(triggered_tables())
    assert set(triggered_tables()) == set(public_tables())
    assert "auth_user" in triggered_tables()  # public history may name staff


def test_migrate_puts_back_a_trigger_a_table_lost():
    """As SQLite's rebuild of a table altered by a migration drops its triggers."""
    from django.core.management.sql import emit_post_migrate_signal

    table = Ordinance._meta.db_table
    with connection.cursor() as cursor:
        for statement in drop_statements(connection.vendor, table):
            cursor.execute(statement)
    assert table not in triggered_tables()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert table in triggered_tables()


def test_a_write_to_any_public_table_changes_the_version(draft):
    from policytracker.content_version import current_token

    before = current_token()
    Group.objects.create(name="Not public")  # auth_group: no page reads it
    assert current_token() == before
    SourceFactory(record=draft)

    assert current_token() != before


REDIS_URL = "redis://127.0.0.1:6379/3"


@pytest.fixture
def redis_cache(settings):
    """The shared cache on Redis (db 3); skipped when none answers, unless REQUIRE_REDIS=1
    (as in CI), when it fails instead."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        if os.environ.get("REQUIRE_REDIS") == "1":
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "policytracker.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "policytracker-tests",
        },
        # As the settings make it beside Redis: each process's own copies.
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "policytracker-pages-tests",
        },
    }
    cache.clear()
    yield
    cache.clear()
    caches["local"].clear()


def test_with_redis_a_publish_is_seen_on_the_next_request(client, draft, redis_cache):
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "RedisCache"
    # One client per pool, kept: not one made for each call.
    clients = caches["default"]._cache
    assert clients.get_client() is clients.get_client(write=True)
    urls = public_urls(draft)
    for url in urls.values():
        get(client, url)
    assert len(get(client, urls["api list"])[1]) == 1  # from Redis

    publish_in_bulk(draft)

    assert all(DRAFT_TITLE in body(get(client, url)[0]) for url in urls.values())
    assert len(get(client, urls["page"])[1]) == 1


@pytest.mark.parametrize("conditional", [False, True])
def test_answers_from_the_cache_still_count_against_the_api_throttle(
    client, draft, settings, conditional
):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": None}
    }
    publish_by_queryset_update(draft)
    url = public_urls(draft)["api list"]
    first, _ = get(client, url)
    headers = {"If-None-Match": first["ETag"]} if conditional else {}

    again = [get(client, url, **headers) for _ in range(3)]

    statuses = [response.status_code for response, _ in again]
    assert statuses == [304, 304, 429] if conditional else [200, 200, 429]
    # The two answered came from the cache (or the validators) in its one query.
    assert [len(queries) for _, queries in again[:2]] == [1, 1]
    assert again[2][0]["Retry-After"]


def test_with_redis_a_page_this_process_answered_is_answered_again_without_redis(
    client, draft, redis_cache
):
    publish_by_queryset_update(draft)
    url = public_urls(draft)["page"]
    first, _ = get(client, url)
    caches["default"].clear()  # Redis emptied: only this process's copy is left

    again, queries = get(client, url)

    assert again.from_page_cache and len(queries) == 1
    assert again.content == first.content
    # A write changes the token, and with it the key: the copy is never read again.
    type(draft).objects.filter(pk=draft.pk).update(title="Detainer Ordinance, renamed")
    after, _ = get(client, url)
    assert not getattr(after, "from_page_cache", False)
    assert "Detainer Ordinance, renamed" in body(after)
