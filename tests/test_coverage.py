"""How far staff have reviewed the questions: /coverage/, /coverage/<state>/ and their API.

Counts per state (its own reviews, its counties, those with any review, the questions
reviewed across them) and per county (reviewed questions, last checked), drafts left out for
the public, 50 counties a page, and the same number of queries at two sizes.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from policytracker.profiles.dimensions import Dimension
from policytracker.profiles.models import DimensionReview
from tests.factories import CountyFactory, JurisdictionFactory

pytestmark = pytest.mark.django_db

QUESTIONS = list(Dimension)


def reviewed(place, count, *, on="2024-05-02"):
    """Reviews of the first `count` questions for `place`: one checked on `on`, the others
    a year before."""
    last = datetime.date.fromisoformat(on)
    for number, dimension in enumerate(QUESTIONS[:count]):
        DimensionReview.objects.create(
            jurisdiction=place,
            dimension=dimension,
            reviewed_on=last if number == 0 else last.replace(year=last.year - 1),
        )


@pytest.fixture
def states(places):
    """Illinois (2 questions reviewed) with Cook (3), DuPage (none), a draft Lake County (5)
    and Chicago (a city, 4: not a county); Indiana with one county, nothing reviewed; Puerto
    Rico, a territory; a draft state."""
    indiana = JurisdictionFactory(
        name="Indiana", slug="indiana", kind="state", parent=places.nation
    )
    lake = CountyFactory(
        name="Lake County", slug="lake-county", parent=places.state, publication_state="draft"
    )
    CountyFactory(name="Marion County", slug="marion-county", parent=indiana)
    puerto_rico = JurisdictionFactory(
        name="Puerto Rico", slug="puerto-rico", kind="territory", parent=places.nation
    )
    JurisdictionFactory(
        name="Deseret",
        slug="deseret",
        kind="state",
        parent=places.nation,
        publication_state="draft",
    )
    reviewed(places.state, 2, on="2024-06-01")
    reviewed(places.county, 3, on="2024-05-02")
    reviewed(lake, 5)
    reviewed(places.city, 4)
    return SimpleNamespace(**vars(places), indiana=indiana, lake=lake, puerto_rico=puerto_rico)


def table_rows(html):
    """Each body row of the page's table as its cells' text, tags stripped."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, flags=re.DOTALL).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.DOTALL)
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.DOTALL)
        ]
        for row in rows
    ]


# /coverage/


def test_coverage_lists_each_state_with_its_own_reviews_and_its_counties(client, states):
    response = client.get(reverse("profiles:coverage"))

    assert response.status_code == 200
    assert table_rows(response.content.decode()) == [
        ["Illinois", "2 of 13 (last checked June 1, 2024)", "2", "1 of 2", "3 of 26"],
        ["Indiana", "0 of 13", "1", "0 of 1", "0 of 13"],
        ["Puerto Rico", "0 of 13", "0", "0 of 0", "0 of 0"],
    ]


def test_coverage_links_each_state_to_its_counties(client, states):
    html = client.get(reverse("profiles:coverage")).content.decode()

    assert '<a href="/coverage/illinois/">Illinois</a>' in html
    assert '<a href="/coverage/puerto-rico/">Puerto Rico</a>' in html


def test_coverage_says_in_plain_words_what_reviewed_means(client, states):
    html = client.get(reverse("profiles:coverage")).content.decode()

    assert "What “reviewed” means" in html
    assert (
        "A question is reviewed for a place when someone on the staff has gone through the "
        "sources for that place on that question, and has recorded the day they last checked."
    ) in html
    assert "“No recorded rule” means only that this site records no rule." in html


def test_staff_see_draft_states_and_counties_counted(staff_client, states):
    rows = table_rows(staff_client.get(reverse("profiles:coverage")).content.decode())

    assert [row[0] for row in rows] == ["Deseret", "Illinois", "Indiana", "Puerto Rico"]
    assert rows[1] == ["Illinois", "2 of 13 (last checked June 1, 2024)", "3", "2 of 3", "8 of 39"]


# /coverage/<state>/


def test_a_states_page_lists_its_counties_with_reviewed_counts_and_last_checked(client, states):
    response = client.get(reverse("profiles:coverage-state", kwargs={"slug": "illinois"}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Review coverage in Illinois</h1>" in html
    assert "2 of 13 questions reviewed, last checked June 1, 2024" in html
    assert "2 counties, 1 with any question reviewed" in html
    assert table_rows(html) == [
        ["Cook County", "3 of 13", "May 2, 2024"],
        ["DuPage County", "0 of 13", "Not yet reviewed"],
    ]
    assert '<a href="/jurisdictions/cook-county/">Cook County</a>' in html
    assert '<a href="/jurisdictions/illinois/">Illinois</a>' in html
    assert "What “reviewed” means" in html


def test_a_states_page_shows_fifty_counties_a_page(client, states):
    CountyFactory.create_batch(50, parent=states.indiana)
    url = reverse("profiles:coverage-state", kwargs={"slug": "indiana"})

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert len(table_rows(first)) == 50
    assert len(table_rows(second)) == 1
    assert "Counties 1–50 of 51" in first
    assert "Page 1 of 2" in first


@pytest.mark.parametrize("slug", ["atlantis", "cook-county", "chicago", "deseret"])
def test_a_states_page_is_404_for_what_is_not_a_published_state(client, states, slug):
    response = client.get(reverse("profiles:coverage-state", kwargs={"slug": slug}))

    assert response.status_code == 404


def test_a_states_old_slug_redirects_to_its_page(client, states):
    states.indiana.slug = "state-of-indiana"
    states.indiana.save()

    response = client.get(reverse("profiles:coverage-state", kwargs={"slug": "indiana"}))

    assert response.status_code == 301
    assert response["Location"] == "/coverage/state-of-indiana/"


# The API


def test_the_api_lists_each_states_coverage(api_client, states):
    response = api_client.get(reverse("api:coverage-list"))

    api = "http://testserver/api/v1"
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["next"], data["previous"]) == (3, None, None)
    assert data["results"][0] == {
        "slug": "illinois",
        "name": "Illinois",
        "kind": "state",
        "place_url": f"{api}/jurisdictions/illinois/",
        "html_url": "http://testserver/jurisdictions/illinois/",
        "questions": 13,
        "reviewed_count": 2,
        "last_checked": "2024-06-01",
        "url": f"{api}/coverage/illinois/",
        "coverage_html_url": "http://testserver/coverage/illinois/",
        "county_count": 2,
        "counties_reviewed": 1,
        "county_reviewed_count": 3,
    }
    assert [(state["slug"], state["county_count"]) for state in data["results"]] == [
        ("illinois", 2),
        ("indiana", 1),
        ("puerto-rico", 0),
    ]


def test_the_api_gives_a_states_counties(api_client, states):
    response = api_client.get(reverse("api:coverage-detail", kwargs={"slug": "illinois"}))

    api = "http://testserver/api/v1"
    assert response.status_code == 200
    data = response.json()
    assert list(data) == ["count", "next", "previous", "state", "results"]
    assert data["count"] == 2
    assert data["state"]["slug"] == "illinois"
    assert data["state"]["counties_reviewed"] == 1
    assert data["results"] == [
        {
            "slug": "cook-county",
            "name": "Cook County",
            "kind": "county",
            "place_url": f"{api}/jurisdictions/cook-county/",
            "html_url": "http://testserver/jurisdictions/cook-county/",
            "questions": 13,
            "reviewed_count": 3,
            "last_checked": "2024-05-02",
        },
        {
            "slug": "dupage-county",
            "name": "DuPage County",
            "kind": "county",
            "place_url": f"{api}/jurisdictions/dupage-county/",
            "html_url": "http://testserver/jurisdictions/dupage-county/",
            "questions": 13,
            "reviewed_count": 0,
            "last_checked": None,
        },
    ]


def test_the_api_answers_with_a_format_suffix_too(api_client, states):
    listed = api_client.get(reverse("api:coverage-list", kwargs={"format": "json"}))
    one = api_client.get(
        reverse("api:coverage-detail", kwargs={"slug": "illinois", "format": "json"})
    )

    assert (listed.status_code, one.status_code) == (200, 200)
    assert one.json()["state"]["slug"] == "illinois"


@pytest.mark.parametrize("slug", ["atlantis", "cook-county", "deseret"])
def test_the_api_is_404_for_what_is_not_a_published_state(api_client, states, slug):
    response = api_client.get(reverse("api:coverage-detail", kwargs={"slug": slug}))

    assert response.status_code == 404


def test_the_schema_documents_the_coverage(api_client):
    paths = api_client.get(reverse("schema"), {"format": "json"}).json()["paths"]

    listed = paths["/api/v1/coverage/"]["get"]["responses"]["200"]["content"]
    one = paths["/api/v1/coverage/{slug}/"]["get"]["responses"]["200"]["content"]
    assert listed["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedStateCoverageList"
    }
    assert one["application/json"]["schema"] == {
        "$ref": "#/components/schemas/StateCountiesCoverage"
    }


# The same number of queries at two sizes


def fill(nation, size):
    """`size` states, each with `size` counties, each with some questions reviewed."""
    for _ in range(size):
        state = JurisdictionFactory(kind="state", parent=nation)
        reviewed(state, 1)
        for number, county in enumerate(CountyFactory.create_batch(size, parent=state)):
            reviewed(county, number % 4)
    return state


COUNTED = [
    ("profiles:coverage", False, 3),  # the count, the page, the counties of its states
    ("profiles:coverage-state", True, 4),  # the state, its counties' counts, count, page
    ("api:coverage-list", False, 3),
    ("api:coverage-detail", True, 4),
]


@pytest.mark.parametrize("size", [2, 8])
@pytest.mark.parametrize(("name", "one_state", "queries"), COUNTED, ids=[c[0] for c in COUNTED])
def test_coverage_makes_the_same_queries_at_any_size(
    client, django_assert_num_queries, size, name, one_state, queries
):
    state = fill(JurisdictionFactory(kind="nation"), size)
    url = reverse(name, kwargs={"slug": state.slug}) if one_state else reverse(name)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
