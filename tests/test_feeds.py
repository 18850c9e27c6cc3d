"""Atom feeds: valid documents of published records, newest change first, linked from pages."""

import datetime
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.feeds.feeds import RECORD_TYPES, ChangesFeed, PlaceFeed
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    StatementFactory,
)
from tests.worlds import SIZES, built_once

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def draft():
    return {"publication_state": "draft"}


def touch(record, minutes_ago):
    """Set when the record last changed (auto_now ignores a value given to save())."""
    when = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    type(record).objects.filter(pk=record.pk).update(updated_at=when)


def read_feed(client, url, params=None):
    """The feed at `url`, checked for what Atom requires; its entries as dicts."""
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{name}"), f"the feed has no {name}"
    datetime.datetime.fromisoformat(root.findtext(f"{ATOM}updated"))
    assert root.findtext(f"{ATOM}author/{ATOM}name")
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"].startswith("http://testserver/feeds/")
    assert links["alternate"].startswith("http://testserver/")
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        found = {
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "published": entry.findtext(f"{ATOM}published"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
        }
        assert all(found[key] for key in ("id", "title", "link", "updated")), found
        datetime.datetime.fromisoformat(found["updated"])
        entries.append(found)
    return SimpleNamespace(root=root, links=links, entries=entries, response=response)


def titles(feed):
    return [entry["title"] for entry in feed.entries]


@pytest.fixture
def world(places):
    """Records in Chicago and in DuPage County, a draft of each type, and federal ones."""
    cook_rule = OrdinanceFactory(
        title="Cook County detainer ordinance", jurisdiction=places.county
    )
    city_rule = OrdinanceFactory(title="Welcoming City Ordinance", jurisdiction=places.city)
    dupage_rule = OrdinanceFactory(title="DuPage resolution", jurisdiction=places.dupage)
    state_rule = OrdinanceFactory(title="Illinois TRUST Act", jurisdiction=places.state)
    deal = AgreementFactory(
        title="CPD–HSI cross-designation", local_party=places.cpd, federal_party=places.hsi
    )
    dupage_deal = AgreementFactory(
        title="DuPage 287(g)", local_party=places.sheriff, federal_party=places.ice
    )
    about_city = StatementFactory(
        title="ICE on Chicago", speaker_agency=places.ice, about_jurisdictions=[places.city]
    )
    by_cpd = StatementFactory(title="CPD's statement", speaker_agency=places.cpd)
    federal = StatementFactory(title="ICE's national statement", speaker_agency=places.ice)
    drafts = SimpleNamespace(
        place=JurisdictionFactory(
            name="Draft village", kind="village", parent=places.city, **draft()
        ),
        agency=AgencyFactory(name="Draft agency", jurisdiction=places.city, **draft()),
        rule=OrdinanceFactory(title="Draft rule", jurisdiction=places.city, **draft()),
        deal=AgreementFactory(
            title="Draft deal", local_party=places.cpd, federal_party=places.ice, **draft()
        ),
        statement=StatementFactory(
            title="Draft statement",
            speaker_agency=places.cpd,
            about_jurisdictions=[places.city],
            **draft(),
        ),
    )
    # Everything changed a day ago; a test that orders by change touches what it needs.
    for model in (Jurisdiction, Agency, Ordinance, Agreement, Statement):
        a_day_ago = timezone.now() - datetime.timedelta(days=1)
        model.objects.update(created_at=a_day_ago, updated_at=a_day_ago)
    return SimpleNamespace(
        **vars(places),
        cook_rule=cook_rule,
        city_rule=city_rule,
        dupage_rule=dupage_rule,
        state_rule=state_rule,
        deal=deal,
        dupage_deal=dupage_deal,
        about_city=about_city,
        by_cpd=by_cpd,
        federal=federal,
        drafts=drafts,
    )


DRAFT_TITLES = {"Draft village", "Draft agency", "Draft rule", "Draft deal", "Draft statement"}


# The site-wide feed.


def test_changes_feed_lists_every_type_of_published_record_and_no_draft(client, world):
    feed = read_feed(client, reverse("feeds:changes"))

    found = set(titles(feed))
    assert {"Chicago", "Chicago Police Department", "Welcoming City Ordinance"} <= found
    assert {"CPD–HSI cross-designation", "ICE on Chicago"} <= found
    assert not found & DRAFT_TITLES
    assert feed.links["alternate"] == "http://testserver/"


def test_changes_feed_for_staff_still_leaves_out_drafts(staff_client, world):
    feed = read_feed(staff_client, reverse("feeds:changes"))

    assert not set(titles(feed)) & DRAFT_TITLES


def test_changes_feed_is_newest_change_first_across_types(client, world):
    touch(world.deal, minutes_ago=1)
    touch(world.city, minutes_ago=2)
    touch(world.by_cpd, minutes_ago=3)
    for record in (world.cook_rule, world.cpd):
        touch(record, minutes_ago=60)

    feed = read_feed(client, reverse("feeds:changes"))

    assert titles(feed)[:3] == ["CPD–HSI cross-designation", "Chicago", "CPD's statement"]
    updated = [entry["updated"] for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.root.findtext(f"{ATOM}updated") == feed.entries[0]["updated"]


def test_changes_feed_keeps_only_the_newest_entries(client, world, monkeypatch):
    monkeypatch.setattr(ChangesFeed, "limit", 2)
    touch(world.federal, minutes_ago=1)
    touch(world.state_rule, minutes_ago=2)

    feed = read_feed(client, reverse("feeds:changes"))

    assert titles(feed) == ["ICE's national statement", "Illinois TRUST Act"]


def test_feed_entry_carries_link_dates_summary_and_categories(client, world):
    feed = read_feed(client, reverse("feeds:changes"))

    (entry,) = [e for e in feed.entries if e["title"] == "Welcoming City Ordinance"]
    assert entry["link"] == "http://testserver" + world.city_rule.get_absolute_url()
    assert entry["categories"] == ["Ordinance"]  # the type, and the kind when it differs
    world.city_rule.refresh_from_db()
    assert entry["published"] == world.city_rule.created_at.isoformat()
    assert "<em>Ordinance of Chicago</em>" in entry["summary"]
    assert "A rule a place adopted." in entry["summary"]
    (deal,) = [e for e in feed.entries if e["title"] == "CPD–HSI cross-designation"]
    assert deal["categories"] == ["Agreement", "Task force memorandum"]


def test_feed_entry_escapes_markup_in_titles_and_summaries(client, places):
    OrdinanceFactory(
        title="Rule <b>&</b> order", summary="Fish & <chips>", jurisdiction=places.city
    )

    feed = read_feed(client, reverse("feeds:changes"))

    (entry,) = [e for e in feed.entries if e["title"].startswith("Rule")]
    assert entry["title"] == "Rule <b>&</b> order"  # text, as typed
    assert "Fish &amp; &lt;chips&gt;" in entry["summary"]  # HTML that shows it as typed


def test_feed_entry_id_is_a_tag_uri_that_survives_a_change_of_slug(client, world):
    def entry_for(title):
        feed = read_feed(client, reverse("feeds:changes"))
        return next(e for e in feed.entries if e["title"] == title)

    before = entry_for("Welcoming City Ordinance")
    Ordinance.objects.filter(pk=world.city_rule.pk).update(slug="welcoming-city")
    after = entry_for("Welcoming City Ordinance")

    world.city_rule.refresh_from_db()
    created = world.city_rule.created_at.astimezone(datetime.UTC).date().isoformat()
    assert before["id"] == f"tag:testserver,{created}:ordinance/{world.city_rule.pk}"
    assert after["id"] == before["id"]
    assert after["link"] != before["link"]


def test_feed_ids_are_unique_per_record(client, world):
    feed = read_feed(client, reverse("feeds:changes"))

    ids = [entry["id"] for entry in feed.entries]
    assert len(ids) == len(set(ids))


# One type of record, filtered like its list page.


@pytest.mark.parametrize(
    ("record_type", "model"),
    [
        ("jurisdictions", Jurisdiction),
        ("agencies", Agency),
        ("ordinances", Ordinance),
        ("agreements", Agreement),
        ("statements", Statement),
    ],
)
def test_records_feed_lists_the_published_records_of_its_type(client, world, record_type, model):
    feed = read_feed(client, reverse("feeds:records", kwargs={"record_type": record_type}))

    expected = {str(record) for record in model.objects.published()}
    assert set(titles(feed)) == expected
    assert feed.links["alternate"] == f"http://testserver{reverse(f'{record_type}:list')}"


def test_records_feed_applies_the_list_filters_both_ways(client, world):
    url = reverse("feeds:records", kwargs={"record_type": "ordinances"})

    feed = read_feed(client, url, {"jurisdiction": "chicago"})

    assert titles(feed) == ["Welcoming City Ordinance"]  # not DuPage's, nor the draft
    assert feed.links["alternate"] == "http://testserver/ordinances/?jurisdiction=chicago"
    assert feed.links["self"] == "http://testserver/feeds/ordinances/?jurisdiction=chicago"
    assert "jurisdiction: chicago" in feed.root.findtext(f"{ATOM}title")


def test_records_feed_filter_on_agreements_by_place_of_the_local_party(client, world):
    url = reverse("feeds:records", kwargs={"record_type": "agreements"})

    assert titles(read_feed(client, url, {"jurisdiction": "dupage-county"})) == ["DuPage 287(g)"]
    assert titles(read_feed(client, url, {"jurisdiction": "chicago"})) == [
        "CPD–HSI cross-designation"
    ]


def test_records_feed_is_newest_change_first_whatever_the_ordering_asked(client, world):
    touch(world.dupage_rule, minutes_ago=1)
    touch(world.city_rule, minutes_ago=2)
    touch(world.cook_rule, minutes_ago=3)
    touch(world.state_rule, minutes_ago=4)
    url = reverse("feeds:records", kwargs={"record_type": "ordinances"})

    feed = read_feed(client, url, {"ordering": "title"})

    assert titles(feed) == [
        "DuPage resolution",
        "Welcoming City Ordinance",
        "Cook County detainer ordinance",
        "Illinois TRUST Act",
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"jurisdiction": "nowhere"}, "No published record has the slug “nowhere”."),
        ({"status": "bogus"}, "status: Select a valid choice."),
        ({"in_force_on": "yesterday"}, "in_force_on: Enter a valid date."),
    ],
)
def test_records_feed_bad_filter_is_400_naming_the_problem(client, world, params, message):
    url = reverse("feeds:records", kwargs={"record_type": "ordinances"})

    response = client.get(url, params)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


def test_records_feed_filter_naming_a_draft_is_400_even_for_staff(staff_client, world):
    url = reverse("feeds:records", kwargs={"record_type": "ordinances"})

    response = staff_client.get(url, {"jurisdiction": world.drafts.place.slug})

    assert response.status_code == 400


def test_records_feed_of_an_unknown_type_is_404(client):
    assert client.get("/feeds/sources/").status_code == 404


# A place and the places inside it.


def test_place_feed_includes_the_places_inside_and_their_records(client, world):
    feed = read_feed(client, reverse("feeds:place", kwargs={"slug": "cook-county"}))

    assert set(titles(feed)) == {
        "Cook County",
        "Chicago",
        "Chicago Police Department",
        "Cook County detainer ordinance",
        "Welcoming City Ordinance",
        "CPD–HSI cross-designation",
        "ICE on Chicago",  # about a place within
        "CPD's statement",  # by an agency of a place within
    }
    assert feed.links["alternate"] == "http://testserver/jurisdictions/cook-county/"


def test_state_feed_includes_a_citys_ordinance_and_the_other_countys_records(client, world):
    feed = read_feed(client, reverse("feeds:place", kwargs={"slug": "illinois"}))

    found = set(titles(feed))
    assert {"Welcoming City Ordinance", "DuPage resolution", "Illinois TRUST Act"} <= found
    assert {"DuPage County Sheriff", "DuPage 287(g)", "DuPage County"} <= found
    assert not found & {"United States", "Immigration and Customs Enforcement"}
    assert "ICE's national statement" not in found
    assert not found & DRAFT_TITLES


def test_place_feed_leaves_out_the_place_above_and_the_county_beside(client, world):
    feed = read_feed(client, reverse("feeds:place", kwargs={"slug": "chicago"}))

    found = set(titles(feed))
    assert "Welcoming City Ordinance" in found
    assert not found & {"Cook County", "Cook County detainer ordinance", "DuPage resolution"}


def test_place_feed_is_newest_change_first(client, world):
    touch(world.by_cpd, minutes_ago=1)
    touch(world.city, minutes_ago=2)
    touch(world.city_rule, minutes_ago=3)

    feed = read_feed(client, reverse("feeds:place", kwargs={"slug": "chicago"}))

    assert titles(feed)[:3] == ["CPD's statement", "Chicago", "Welcoming City Ordinance"]


def test_place_feed_keeps_only_the_newest_entries(client, world, monkeypatch):
    monkeypatch.setattr(PlaceFeed, "limit", 1)
    touch(world.city_rule, minutes_ago=1)

    feed = read_feed(client, reverse("feeds:place", kwargs={"slug": "chicago"}))

    assert titles(feed) == ["Welcoming City Ordinance"]


@pytest.mark.parametrize("slug", ["atlantis", "draft-village"])
def test_place_feed_of_an_unknown_or_draft_place_is_404(client, staff_client, world, slug):
    Jurisdiction.objects.filter(pk=world.drafts.place.pk).update(slug="draft-village")

    assert client.get(reverse("feeds:place", kwargs={"slug": slug})).status_code == 404
    assert staff_client.get(reverse("feeds:place", kwargs={"slug": slug})).status_code == 404


# Pages link their feed.


def assert_links_feed(response, feed_url):
    """In <head> for browsers and feed readers, and in the page as a visible link."""
    head, body = response.content.decode().split("</head>")
    href = feed_url.replace("&", "&amp;")
    assert '<link rel="alternate" type="application/atom+xml" title="' in head
    assert f'href="{href}">' in head
    assert f'<a href="{href}" type="application/atom+xml">' in body


@pytest.mark.parametrize("record_type", list(RECORD_TYPES))
def test_list_page_links_its_feed(client, world, record_type):
    response = client.get(reverse(f"{record_type}:list"))

    feed_url = reverse("feeds:records", kwargs={"record_type": record_type})
    assert_links_feed(response, feed_url)
    assert client.get(feed_url).status_code == 200


def test_filtered_list_page_links_the_feed_of_its_filters_without_page_or_sort(client, world):
    response = client.get(
        reverse("ordinances:list"),
        {"jurisdiction": "chicago", "status": "in_force", "kind": "", "ordering": "title"},
    )

    feed_url = "/feeds/ordinances/?jurisdiction=chicago&status=in_force"
    assert_links_feed(response, feed_url)
    assert response.context["feed_title"] == "Ordinances matching these filters: new and changed"
    assert titles(read_feed(client, feed_url)) == ["Welcoming City Ordinance"]


def test_list_page_with_bad_filters_links_no_feed(client, world):
    response = client.get(reverse("ordinances:list"), {"jurisdiction": "nowhere"})

    assert response.status_code == 400
    assert "application/atom+xml" not in response.content.decode()


@pytest.mark.parametrize(
    ("namespace", "record", "feed"),
    [
        ("jurisdictions", "county", ("place", "cook-county")),
        ("agencies", "cpd", ("place", "chicago")),
        ("ordinances", "city_rule", ("place", "chicago")),
        ("agreements", "deal", ("place", "chicago")),
        ("statements", "about_city", ("place", "chicago")),
        ("statements", "federal", ("records", "statements")),
    ],
)
def test_detail_page_links_the_feed_of_its_place(client, world, namespace, record, feed):
    slug = getattr(world, record).slug
    response = client.get(reverse(f"{namespace}:detail", kwargs={"slug": slug}))

    kind, value = feed
    key = "slug" if kind == "place" else "record_type"
    feed_url = reverse(f"feeds:{kind}", kwargs={key: value})
    assert_links_feed(response, feed_url)
    assert client.get(feed_url).status_code == 200


def test_draft_agency_page_for_staff_links_its_published_place(staff_client, world):
    response = staff_client.get(
        reverse("agencies:detail", kwargs={"slug": world.drafts.agency.slug})
    )

    assert_links_feed(response, reverse("feeds:place", kwargs={"slug": "chicago"}))


def test_home_page_links_the_site_wide_feed(client, world):
    response = client.get(reverse("home"))

    assert_links_feed(response, reverse("feeds:changes"))


# Query counts: constant whatever the number of records.


def build_place(size):
    """A county and a city with `size` records of each type, plus drafts."""
    nation = JurisdictionFactory(slug="nation", kind="nation")
    state = JurisdictionFactory(slug="state", kind="state", parent=nation)
    county = JurisdictionFactory(slug="county", kind="county", parent=state)
    city = JurisdictionFactory(slug="city", kind="city", parent=county)
    JurisdictionFactory.create_batch(size, kind="township", parent=city)
    federal = AgencyFactory(kind="federal_agency", jurisdiction=nation)
    police = AgencyFactory(slug="police", jurisdiction=city)
    AgencyFactory.create_batch(size, jurisdiction=city, parent=police)
    OrdinanceFactory.create_batch(size, jurisdiction=city, issued_by=police)
    AgreementFactory.create_batch(size, local_party=police, federal_party=federal)
    StatementFactory.create_batch(size, speaker_agency=police, about_jurisdictions=[county])
    StatementFactory.create_batch(size, speaker_agency=federal, about_jurisdictions=[city])
    OrdinanceFactory(jurisdiction=city, **draft())
    return SimpleNamespace(size=size)


@pytest.fixture(scope="class")
def sized_place(request, django_db_setup, django_db_blocker):
    """`build_place(size)`, built once per size for the class's query-count tests."""
    yield from built_once(django_db_blocker, build_place, request.param)


# url name, its kwargs, its query string, the pinned number of queries.
FEEDS = [
    ("feeds:changes", {}, {}, 5),
    ("feeds:place", {"slug": "county"}, {}, 6),
    ("feeds:records", {"record_type": "jurisdictions"}, {}, 1),
    ("feeds:records", {"record_type": "agencies"}, {"jurisdiction": "city"}, 2),
    ("feeds:records", {"record_type": "ordinances"}, {"issued_by": "police"}, 2),
    ("feeds:records", {"record_type": "agreements"}, {"local_party": "police"}, 2),
    ("feeds:records", {"record_type": "statements"}, {"speaker_agency": "police"}, 2),
]


class TestFeedQueries:
    """Every feed, read from one place of each size."""

    @pytest.mark.parametrize("sized_place", SIZES, indirect=True)
    @pytest.mark.parametrize(
        ("name", "kwargs", "params", "queries"),
        FEEDS,
        ids=[f"{name}-{kwargs}-{params}" for name, kwargs, params, _q in FEEDS],
    )
    def test_feed_query_count_does_not_grow_with_the_records(
        self, client, sized_place, name, kwargs, params, queries
    ):
        with CaptureQueriesContext(connection) as captured:
            feed = read_feed(client, reverse(name, kwargs=kwargs), params)

        assert len(feed.entries) >= sized_place.size
        assert len(captured) == queries, [query["sql"] for query in captured]
