"""Sources on the site and in the API: each document, with every visible record that cites it."""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from policytracker.models import PublicationState, Source
from policytracker.sources.views import SourceDetailView
from tests.factories import (
    AgreementFactory,
    CitationFactory,
    JurisdictionFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)
from tests.payloads import revision_payload
from tests.worlds import SIZES, built_once

pytestmark = pytest.mark.django_db

DRAFT = {"publication_state": PublicationState.DRAFT}
# Fixed times, so that payloads can be compared whole (written in Chicago's offset).
CREATED_AT = datetime.datetime(2025, 5, 20, 14, 0, tzinfo=datetime.UTC)
UPDATED_AT = datetime.datetime(2025, 5, 21, 15, 30, tzinfo=datetime.UTC)


def source_url(source):
    return reverse("sources:detail", kwargs={"pk": source.pk})


def api_detail_url(source):
    return reverse("api:source-detail", kwargs={"pk": source.pk})


def listed(response):
    return [source.title for source in response.context["object_list"]]


def api_listed(response):
    return [source["title"] for source in response.json()["results"]]


def logged_in(*permissions):
    """A client for staff holding only these permissions."""
    client = Client()
    client.force_login(UserFactory(is_staff=True, permissions=list(permissions)))
    return client


@pytest.fixture
def ice_sheet():
    """A sheet cited by two published agreements and a draft one, and by a place."""
    sheet = SourceFactory(
        title="287(g) participating agencies",
        publisher="ICE",
        kind="dataset",
        url="https://www.ice.gov/287g.xlsx",
        published_on=datetime.date(2025, 5, 1),
        published_on_precision="month",
        accessed_on=datetime.date(2025, 5, 20),
        archive_url="https://web.archive.org/ice/287g.xlsx",
        notes="Updated by ICE every week.",
    )
    for title, row in [("Bravo County agreement", "Row 12"), ("Alpha City agreement", "Row 3")]:
        CitationFactory(
            source=sheet,
            record=AgreementFactory(title=title, slug=title.lower().replace(" ", "-")),
            locator=row,
            excerpt=f"{title}: Task Force Model.",
        )
    CitationFactory(
        source=sheet,
        record=AgreementFactory(title="Draft agreement", slug="draft-agreement", **DRAFT),
        locator="Row 99",
        excerpt="Draft row excerpt.",
    )
    CitationFactory(source=sheet, record=JurisdictionFactory(name="Texas", slug="texas"))
    Source.objects.filter(pk=sheet.pk).update(created_at=CREATED_AT, updated_at=UPDATED_AT)
    return sheet


@pytest.fixture
def draft_only():
    """A memo only a draft agreement cites."""
    return SourceFactory(
        title="Unpublished memo",
        record=AgreementFactory(**DRAFT),
        excerpt="The memo's passage.",
    )


# The list page


def test_source_list_shows_cited_sources_with_their_count_of_visible_records(
    client, ice_sheet, draft_only
):
    SourceFactory(title="Cited by nothing")

    response = client.get(reverse("sources:list"))
    html = response.content.decode()

    assert response.status_code == 200
    assert listed(response) == ["287(g) participating agencies"]
    assert f'<a href="{source_url(ice_sheet)}">287(g) participating agencies</a>' in html
    assert "Dataset" in html
    assert '<time datetime="2025-05">May 2025</time>' in html
    assert "3 records" in html  # two published agreements and a place; not the draft


def test_source_list_is_public_in_shared_caches(client, ice_sheet):
    response = client.get(reverse("sources:list"))

    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "dataset"}, ["287(g) participating agencies"]),
        ({"kind": "news"}, ["Tribune report"]),
        ({"publisher": "ice"}, ["287(g) participating agencies"]),
        ({"publisher": "IC"}, []),
        ({"q": "tribune"}, ["Tribune report"]),  # the publisher
        ({"q": "participating"}, ["287(g) participating agencies"]),  # the title
        ({"ordering": "title"}, ["287(g) participating agencies", "Tribune report"]),
        ({"ordering": "-title"}, ["Tribune report", "287(g) participating agencies"]),
        ({"ordering": "published"}, ["Tribune report", "287(g) participating agencies"]),
        ({"ordering": "-published"}, ["287(g) participating agencies", "Tribune report"]),
    ],
    ids=lambda value: str(value),
)
def test_source_filters_include_matches_and_exclude_the_rest_on_the_page_and_the_api(
    client, api_client, ice_sheet, params, expected
):
    SourceFactory(
        title="Tribune report",
        publisher="Chicago Tribune",
        kind="news",
        published_on=datetime.date(2019, 1, 2),
        published_on_precision="day",
        record=AgreementFactory(),
    )

    page = client.get(reverse("sources:list"), params)
    api = api_client.get(reverse("api:source-list"), params)

    assert (page.status_code, api.status_code) == (200, 200)
    assert listed(page) == expected
    assert api_listed(api) == expected


@pytest.mark.parametrize("params", [{"kind": "rumour"}, {"ordering": "colour"}])
def test_source_list_bad_filter_is_400_on_the_page_and_the_api(client, api_client, params):
    page = client.get(reverse("sources:list"), params)
    api = api_client.get(reverse("api:source-list"), params)

    assert page.status_code == 400
    assert "These filters could not be applied" in page.content.decode()
    assert api.status_code == 400
    assert list(api.json()) == list(params)


# The detail page


def test_source_detail_shows_the_document_and_its_links(client, ice_sheet):
    Source.objects.filter(pk=ice_sheet.pk).update(document="sources/2025/287g.pdf")

    response = client.get(source_url(ice_sheet))
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>287(g) participating agencies</h1>" in html
    assert "<dd>ICE</dd>" in html
    assert '<time datetime="2025-05">May 2025</time>' in html
    assert '<time datetime="2025-05-20">' in html
    assert 'href="https://www.ice.gov/287g.xlsx"' in html
    assert 'href="https://web.archive.org/ice/287g.xlsx"' in html
    assert f'href="{reverse("documents:download", kwargs={"pk": ice_sheet.pk})}"' in html
    assert "Updated by ICE every week." in html
    assert f'href="{reverse("sources:list")}?publisher=ICE"' in html
    assert f'href="{api_detail_url(ice_sheet)}"' in html
    assert "Only staff can see this source" not in html
    assert "private" not in response.get("Cache-Control", "")


def test_source_detail_lists_citing_records_by_type_with_locator_and_excerpt(client, ice_sheet):
    response = client.get(source_url(ice_sheet))
    html = response.content.decode()

    groups = {group["record_type"]: group for group in response.context["groups"]}
    assert list(groups) == ["jurisdiction", "agreement"]
    assert groups["agreement"]["count"] == 2
    assert [c.locator for c in groups["agreement"]["citations"]] == ["Row 3", "Row 12"]  # by name
    assert '<h3 id="cited-by-agreement">Agreements <span class="muted">(2)</span></h3>' in html
    assert '<a href="/agreements/alpha-city-agreement/">Alpha City agreement</a>' in html
    assert '<span class="source__locator">, Row 3</span>' in html
    assert "Alpha City agreement: Task Force Model." in html
    assert '<a href="/jurisdictions/texas/">Texas</a>' in html


def test_source_detail_hides_the_citations_of_drafts_from_the_public(client, ice_sheet):
    html = client.get(source_url(ice_sheet)).content.decode()

    assert "Draft agreement" not in html
    assert "Draft row excerpt." not in html
    assert "Row 99" not in html


def test_source_cited_only_by_drafts_is_404_for_the_public_on_the_page_and_the_api(
    client, api_client, draft_only
):
    assert client.get(source_url(draft_only)).status_code == 404
    assert api_client.get(api_detail_url(draft_only)).status_code == 404
    assert listed(client.get(reverse("sources:list"))) == []
    assert api_listed(api_client.get(reverse("api:source-list"))) == []


def test_source_cited_only_by_drafts_is_shown_privately_to_staff_who_may_view_them(draft_only):
    client = logged_in("agreements.view_agreement")

    response = client.get(source_url(draft_only))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Only staff can see this source" in html
    assert "The memo&#x27;s passage." in html
    assert '<span class="badge">Draft</span>' in html
    assert "private" in response["Cache-Control"]
    assert listed(client.get(reverse("sources:list"))) == ["Unpublished memo"]
    api = client.get(api_detail_url(draft_only))
    assert api.status_code == 200
    assert "private" in api["Cache-Control"]


def test_source_cited_only_by_drafts_is_404_for_staff_who_may_not_view_that_record_type(
    draft_only,
):
    client = logged_in("jurisdictions.view_jurisdiction")

    assert client.get(source_url(draft_only)).status_code == 404


def test_source_detail_caps_each_type_and_pages_through_one(client, monkeypatch):
    monkeypatch.setattr(SourceDetailView, "group_size", 2)
    monkeypatch.setattr(SourceDetailView, "paginate_by", 2)
    sheet = SourceFactory()
    for letter in "ABCDE":
        CitationFactory(source=sheet, record=AgreementFactory(title=f"Agreement {letter}"))
    CitationFactory(source=sheet, record=StatementFactory(title="Statement A"))

    overview = client.get(source_url(sheet))
    page_three = client.get(source_url(sheet), {"record_type": "agreement", "page": 3})

    groups = {group["record_type"]: group for group in overview.context["groups"]}
    assert [str(c.record) for c in groups["agreement"]["citations"]] == [
        "Agreement A",
        "Agreement B",
    ]
    assert groups["agreement"]["more"] and not groups["statement"]["more"]
    assert "?record_type=agreement" in overview.content.decode()
    assert "See all 5 agreements that cite it" in overview.content.decode()
    assert page_three.status_code == 200
    [group] = page_three.context["groups"]
    assert [str(c.record) for c in group["citations"]] == ["Agreement E"]
    assert "Page 3 of 3" in page_three.content.decode()
    assert "Statement A" not in page_three.content.decode()
    assert "Every type of record that cites it" in page_three.content.decode()
    page_four = client.get(source_url(sheet), {"record_type": "agreement", "page": 4})
    assert page_four.status_code == 404


def test_source_detail_bad_record_type_is_400_naming_the_filter(client, ice_sheet):
    response = client.get(source_url(ice_sheet), {"record_type": "rumour"})

    assert response.status_code == 400
    assert "This list could not be shown" in response.content.decode()
    assert "record_type" in response.context["filterset"].errors


def test_unknown_source_is_404(client, api_client):
    assert client.get(reverse("sources:detail", kwargs={"pk": 999})).status_code == 404
    assert api_client.get(reverse("api:source-detail", kwargs={"pk": 999})).status_code == 404


def test_record_page_links_to_the_source_page(client, ice_sheet):
    url = reverse("agreements:detail", kwargs={"slug": "alpha-city-agreement"})

    html = client.get(url).content.decode()

    assert f'href="{source_url(ice_sheet)}"' in html


# The API


def ice_sheet_item(sheet):
    """The `ice_sheet` fixture's source as the API lists it."""
    return {
        "id": sheet.pk,
        "api_url": f"http://testserver/api/v1/sources/{sheet.pk}/",
        "html_url": f"http://testserver/sources/{sheet.pk}/",
        "title": "287(g) participating agencies",
        "publisher": "ICE",
        "kind": "dataset",
        "is_opinion": False,
        "url": "https://www.ice.gov/287g.xlsx",
        "published": "2025-05",
        "accessed_on": "2025-05-20",
        "archive_url": "https://web.archive.org/ice/287g.xlsx",
        "document": None,
        "document_file": None,
        "notes": "Updated by ICE every week.",
        "citation_count": 3,
        "created_at": "2025-05-20T09:00:00-05:00",
        "updated_at": "2025-05-21T10:30:00-05:00",
    }


def citing(record_type, namespace, slug, name, locator="", excerpt=""):
    return {
        "record": {
            "type": record_type,
            "slug": slug,
            "name": name,
            "url": f"http://testserver/api/v1/{namespace}/{slug}/",
            "html_url": f"http://testserver/{namespace}/{slug}/",
        },
        "locator": locator,
        "excerpt": excerpt,
        "note": "",
    }


def test_api_source_list_payload_is_exact(api_client, ice_sheet, draft_only):
    response = api_client.get(reverse("api:source-list"))

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [ice_sheet_item(ice_sheet)],
    }


def test_api_source_detail_payload_is_exact_without_drafts_citations(api_client, ice_sheet):
    response = api_client.get(api_detail_url(ice_sheet))

    assert response.status_code == 200
    citations_url = reverse("api:source-citations", kwargs={"pk": ice_sheet.pk})
    assert response.json() == {
        **ice_sheet_item(ice_sheet),
        "citations_url": f"http://testserver{citations_url}",
        "revision": revision_payload(ice_sheet),
    }
    response = api_client.get(citations_url)
    assert response.status_code == 200
    assert response.json() == {
        "count": 3,
        "next": None,
        "previous": None,
        "results": [
            citing(
                "agreement",
                "agreements",
                "bravo-county-agreement",
                "Bravo County agreement",
                "Row 12",
                "Bravo County agreement: Task Force Model.",
            ),
            citing(
                "agreement",
                "agreements",
                "alpha-city-agreement",
                "Alpha City agreement",
                "Row 3",
                "Alpha City agreement: Task Force Model.",
            ),
            citing("jurisdiction", "jurisdictions", "texas", "Texas"),
        ],
    }
    assert "private" not in response.get("Cache-Control", "")
    agreements = api_client.get(citations_url, {"record_type": "agreement"}).json()
    assert agreements["count"] == 2
    assert api_client.get(citations_url, {"record_type": "rumour"}).status_code == 400


def test_api_source_document_is_the_download_address(api_client, ice_sheet):
    Source.objects.filter(pk=ice_sheet.pk).update(document="sources/2025/287g.pdf")

    response = api_client.get(api_detail_url(ice_sheet))

    download = reverse("documents:download", kwargs={"pk": ice_sheet.pk})
    assert response.json()["document"] == f"http://testserver{download}"


def test_api_sources_are_read_only_and_a_refused_write_changes_nothing(
    api_client, staff_api_client, ice_sheet
):
    for client, status in [(api_client, 403), (staff_api_client, 405)]:
        assert client.post(reverse("api:source-list"), {"title": "New"}).status_code == status
        assert client.patch(api_detail_url(ice_sheet), {"title": "New"}).status_code == status
        assert client.delete(api_detail_url(ice_sheet)).status_code == status

    assert list(Source.objects.values_list("title", flat=True)) == [
        "287(g) participating agencies"
    ]


# Query counts: the same at both sizes


def build_sources(size):
    """`size` sources each cited by a published agreement (and one by a draft), and one
    source cited by `size` agreements, `size` places and `size` draft agreements."""
    for _ in range(size):
        SourceFactory(record=AgreementFactory(), excerpt="A passage.")
        SourceFactory(record=AgreementFactory(**DRAFT))
    sheet = SourceFactory(title="The sheet")
    for _ in range(size):
        CitationFactory(source=sheet, record=AgreementFactory(), locator="Row")
        CitationFactory(source=sheet, record=JurisdictionFactory())
        CitationFactory(source=sheet, record=AgreementFactory(**DRAFT))
    return sheet


@pytest.fixture(scope="class")
def sized_sheet(request, django_db_setup, django_db_blocker):
    """`build_sources(size)`, built once per size for the class of tests that asks."""
    yield from built_once(django_db_blocker, build_sources, request.param)


class TestAnonymousGet:
    @pytest.mark.parametrize("sized_sheet", SIZES, indirect=True)
    @pytest.mark.parametrize(
        ("name", "detail", "params", "queries"),
        [
            # The page's count, then its rows with their counts of citing records.
            ("sources:list", False, {}, 2),
            ("api:source-list", False, {}, 2),
            # The source, its counts by record type, then one query for each type citing it.
            ("sources:detail", True, {}, 4),
            # The source, its counts, then the page's count and its rows.
            ("sources:detail", True, {"record_type": "agreement"}, 4),
            # The source with its counts.
            ("api:source-detail", True, {}, 1),
            # The source, then the page's count and its citations with their records.
            ("api:source-citations", True, {}, 3),
        ],
        ids=[
            "page-list",
            "api-list",
            "page-detail",
            "page-detail-one-type",
            "api-detail",
            "api-citations",
        ],
    )
    def test_anonymous_get_makes_the_same_number_of_queries_at_any_size(
        self, client, django_assert_num_queries, sized_sheet, name, detail, params, queries
    ):
        url = reverse(name, kwargs={"pk": sized_sheet.pk}) if detail else reverse(name)

        with django_assert_num_queries(queries):
            response = client.get(url, params)

        assert response.status_code == 200


# Opinion pieces, and the order in which a record lists its sources.


@pytest.fixture
def mixed_sources():
    """An agreement and a place citing an opinion piece (the oldest, and first by title), a
    news report, a press release and the agreement's text."""
    agreement = AgreementFactory(title="Task force agreement", slug="task-force")
    place = JurisdictionFactory(name="Springfield", slug="springfield")
    kinds = [
        ("A view on the task force", "opinion", datetime.date(2001, 1, 1)),
        ("Bulletin: task force reported", "news", datetime.date(2002, 1, 1)),
        ("County announces the task force", "press_release", None),
        ("The task force agreement, signed", "official_record", datetime.date(2010, 1, 1)),
    ]
    sources = {}
    for title, kind, published_on in kinds:
        sources[kind] = SourceFactory(
            title=title,
            kind=kind,
            published_on=published_on,
            published_on_precision="day" if published_on else "",
        )
        for record in (agreement, place):
            CitationFactory(source=sources[kind], record=record)
    return SimpleNamespace(agreement=agreement, place=place, sources=sources)


PRIMARY_FIRST_TITLES = [
    "The task force agreement, signed",
    "County announces the task force",
    "Bulletin: task force reported",
    "A view on the task force",
]


def in_page_order(html, titles):
    found = sorted((html.index(title), title) for title in titles)
    return [title for _, title in found]


def test_citations_primary_first_orders_by_kind_then_date():
    record = AgreementFactory()
    for title, kind in [
        ("Opinion", "opinion"),
        ("Other", "other"),
        ("News b", "news"),
        ("News a", "news"),
        ("Statement", "statement"),
        ("Release", "press_release"),
        ("Dataset", "dataset"),
        ("Record", "official_record"),
    ]:
        CitationFactory(record=record, source=SourceFactory(title=title, kind=kind))

    ordered = record.citations.primary_first()

    assert [citation.source.title for citation in ordered] == [
        "Record",
        "Dataset",
        "Release",
        "Statement",
        "News a",
        "News b",
        "Other",
        "Opinion",
    ]


@pytest.mark.parametrize("record", ["agreement", "place"])
def test_record_page_lists_primary_documents_first_and_opinion_last(client, mixed_sources, record):
    response = client.get(getattr(mixed_sources, record).get_absolute_url())

    html = response.content.decode()
    assert in_page_order(html, PRIMARY_FIRST_TITLES) == PRIMARY_FIRST_TITLES
    sources_box = html[html.index('id="sources-heading"') :]
    assert sources_box.count('class="badge badge--opinion"') == 1
    assert sources_box.count("An opinion piece: the tracker cites it only for") == 1


@pytest.mark.parametrize(
    ("record", "view_name"),
    [("agreement", "api:agreement-detail"), ("place", "api:jurisdiction-detail")],
)
def test_api_record_detail_lists_primary_documents_first_and_marks_opinion(
    api_client, mixed_sources, record, view_name
):
    slug = getattr(mixed_sources, record).slug

    citations = api_client.get(reverse(view_name, kwargs={"slug": slug})).json()["citations"]

    assert [(c["source"]["title"], c["source"]["is_opinion"]) for c in citations] == [
        (title, title == "A view on the task force") for title in PRIMARY_FIRST_TITLES
    ]


def test_source_list_and_detail_mark_an_opinion_piece_and_only_it(client, mixed_sources):
    opinion, news = mixed_sources.sources["opinion"], mixed_sources.sources["news"]

    listing = client.get(reverse("sources:list")).content.decode()
    opinion_page = client.get(source_url(opinion)).content.decode()
    news_page = client.get(source_url(news)).content.decode()

    assert listing.count('class="badge badge--opinion"') == 1
    row = listing[listing.index(opinion.title) :]
    assert row.index("badge--opinion") < row.index("</tr>")
    assert "badge--opinion" in opinion_page
    assert "An opinion piece: the tracker cites it only for" in opinion_page
    assert "badge--opinion" not in news_page


def test_api_sources_say_which_is_an_opinion_piece(api_client, mixed_sources):
    opinion = mixed_sources.sources["opinion"]

    listed = api_client.get(reverse("api:source-list")).json()["results"]
    detail = api_client.get(api_detail_url(opinion)).json()

    assert {source["title"]: source["is_opinion"] for source in listed} == {
        title: title == opinion.title for title in PRIMARY_FIRST_TITLES
    }
    assert detail["is_opinion"] is True
