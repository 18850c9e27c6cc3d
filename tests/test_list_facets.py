"""List pages count their records by place, kind and status, and say which places a place
filter covers: a state includes everything inside it unless "this place only" is asked."""

import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, JurisdictionFactory, StatementFactory

pytestmark = pytest.mark.django_db


def facet(response, name):
    found = {facet.name: facet for facet in response.context["facets"]}
    return [(value.label, value.count, value.selected) for value in found[name].values]


@pytest.fixture
def agreements(places):
    AgreementFactory(slug="chicago-jail", local_party=places.cpd, kind="287g_jail")
    AgreementFactory(
        slug="chicago-customs", local_party=places.cpd, kind="customs_cross_designation"
    )
    AgreementFactory(slug="dupage-task-force", local_party=places.sheriff, kind="287g_task_force")
    return places


def test_a_list_counts_its_records_by_state_kind_and_status(client, agreements):
    response = client.get(reverse("agreements:list"))

    assert facet(response, "jurisdiction") == [("Illinois", 3, False)]
    assert facet(response, "kind") == [
        ("287(g) jail enforcement model", 1, False),
        ("287(g) task force model", 1, False),
        ("Customs cross-designation", 1, False),
    ]
    assert "?jurisdiction=illinois" in response.content.decode()


def test_a_chosen_place_counts_by_the_places_inside_it_and_can_be_taken_off(client, agreements):
    response = client.get(reverse("agreements:list"), {"jurisdiction": "illinois"})

    assert facet(response, "jurisdiction") == [
        ("Illinois", None, True),
        ("Cook County", 2, False),
        ("DuPage County", 1, False),
    ]
    chosen = response.context["facets"][0].values[0]
    assert chosen.query == ""  # taking it off leaves no filter
    page = response.content.decode()
    assert "3 results — Illinois and the places within it" in page


def test_this_place_only_leaves_out_the_places_inside_it_and_says_so(client, agreements):
    response = client.get(
        reverse("agreements:list"), {"jurisdiction": "illinois", "jurisdiction_only": "on"}
    )

    assert response.context["paginator"].count == 0
    assert "Illinois only, not the places within it" in response.content.decode()
    assert "jurisdiction" not in {facet.name for facet in response.context["facets"]}


def test_a_chosen_kind_is_marked_and_its_link_takes_it_off(client, agreements):
    response = client.get(reverse("agreements:list"), {"kind": ["287g_jail", "287g_task_force"]})

    assert response.context["paginator"].count == 2
    values = {value.value: value for value in response.context["facets"][1].values}
    assert values["287g_jail"].selected
    assert values["287g_jail"].query == ""  # the chosen kinds are both taken off


def test_the_287g_choice_keeps_every_model_and_nothing_else(client, api_client, agreements):
    page = client.get(reverse("agreements:list"), {"kind": "287g"})
    api = api_client.get(reverse("api:agreement-list"), {"kind": "287g"}).json()

    assert page.context["paginator"].count == 2
    assert sorted(item["slug"] for item in api["results"]) == ["chicago-jail", "dupage-task-force"]


def test_an_unknown_kind_is_a_400_naming_it(client, api_client, agreements):
    page = client.get(reverse("agreements:list"), {"kind": ["287g", "287x"]})
    api = api_client.get(reverse("api:agreement-list"), {"kind": "287x"})

    assert page.status_code == 400
    assert "287x" in page.content.decode()
    assert api.status_code == 400
    assert list(api.json()) == ["kind"]


def test_an_empty_kind_from_a_form_or_an_old_link_filters_nothing(client, agreements):
    response = client.get(reverse("agreements:list"), {"kind": ""})

    assert response.status_code == 200
    assert response.context["paginator"].count == 3


def test_a_place_facet_names_no_draft_place(client, places):
    hidden = JurisdictionFactory(
        name="Unannounced County", kind="county", parent=places.state, publication_state="draft"
    )
    StatementFactory(slug="about-both").about_jurisdictions.set([places.city, hidden])

    response = client.get(reverse("statements:list"), {"jurisdiction": "illinois"})

    assert facet(response, "jurisdiction") == [("Illinois", None, True), ("Cook County", 1, False)]
    assert "Unannounced" not in response.content.decode()


def test_places_within_a_state_are_listed_with_their_kinds(client, places):
    response = client.get(reverse("jurisdictions:list"), {"within": "illinois"})

    assert [place.slug for place in response.context["object_list"]] == [
        "chicago",
        "cook-county",
        "dupage-county",
    ]
    assert facet(response, "within") == [
        ("Illinois", None, True),
        ("Cook County", 2, False),
        ("DuPage County", 1, False),
    ]


def test_the_export_and_feed_of_a_state_include_what_lies_inside_it(client, agreements):
    illinois = {"jurisdiction": "illinois"}
    csv = client.get(reverse("agreements:export", kwargs={"file_format": "csv"}), illinois)
    feed = client.get(reverse("feeds:records", kwargs={"record_type": "agreements"}), illinois)

    body = b"".join(csv.streaming_content).decode()
    assert body.count("\n") == 4  # the header and three agreements
    assert feed.content.decode().count("<entry>") == 3
