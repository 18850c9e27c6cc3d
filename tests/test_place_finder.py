"""The place finder: folded names kept on every write path, the find page (redirect on one
match, ranked results, none, bad input), the suggestions endpoint, and the home page field."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from jurisdictions.finder import MAX_QUERY_LENGTH, SUGGESTIONS
from jurisdictions.models import Jurisdiction, JurisdictionKind
from jurisdictions.names import fold, name_forms
from policytracker.importers.ocd import OcdImporter
from policytracker.models import PublicationState
from tests.factories import CityFactory, CountyFactory, NationFactory, StateFactory
from tests.import_helpers import data_file

pytestmark = pytest.mark.django_db

FIND = reverse("places:find")
SUGGEST = reverse("places:suggest")


@pytest.fixture
def illinois():
    return StateFactory(name="Illinois", slug="illinois", parent=NationFactory())


@pytest.fixture
def places(illinois):
    cook = CountyFactory(name="Cook County", slug="cook-county", parent=illinois)
    dupage = CountyFactory(name="DuPage County", slug="dupage-county", parent=illinois)
    chicago = CityFactory(name="Chicago", slug="chicago", parent=cook)
    return {"illinois": illinois, "cook": cook, "dupage": dupage, "chicago": chicago}


# Folding


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("DuPage County", "dupage county"),
        ("Dupage", "dupage"),
        ("cóok", "cook"),
        ("  COOK   county ", "cook county"),
        ("St. Clair County", "saint clair county"),
        ("O'Fallon", "ofallon"),
        ("Cañon City", "canon city"),
        ("Mt. Prospect", "mount prospect"),
        ("!!!", ""),
    ],
)
def test_fold_ignores_case_accents_and_punctuation(text, folded):
    assert fold(text) == folded


def test_name_forms_add_the_kind_word_and_drop_city_of():
    assert "cook county" in name_forms("cook")
    assert "chicago" in name_forms("city of chicago")
    assert "cook county" in name_forms("county of cook")
    assert name_forms("cook county") == ["cook county"]


# The folded name on every write path


def test_save_writes_the_folded_name_and_rewrites_it_on_rename(illinois):
    place = CountyFactory(name="Dé Kalb County", parent=illinois)
    assert Jurisdiction.objects.get(pk=place.pk).search_name == "de kalb county"

    place.name = "DeKalb County"
    place.save(update_fields=["name"])

    assert Jurisdiction.objects.get(pk=place.pk).search_name == "dekalb county"


def test_bulk_create_and_bulk_update_write_the_folded_name(illinois):
    made = Jurisdiction.objects.bulk_create(
        [
            Jurisdiction(
                name="Peñasco County", slug="penasco", kind=JurisdictionKind.COUNTY,
                parent=illinois,
            )
        ]
    )  # fmt: skip
    assert Jurisdiction.objects.get(slug="penasco").search_name == "penasco county"

    made[0].name = "Ste. Marie County"
    Jurisdiction.objects.bulk_update(made, ["name"])

    assert Jurisdiction.objects.get(slug="penasco").search_name == "sainte marie county"


def test_ocd_import_writes_folded_names():
    OcdImporter().run([data_file("ocd_states.csv"), data_file("ocd_places_extract.csv")])

    assert not Jurisdiction.objects.filter(search_name="").exists()
    assert Jurisdiction.objects.get(fips="17043").search_name == "dupage county"


def test_synthetic_data_has_folded_names():
    call_command("generate_synthetic", records=100, seed=3, stdout=StringIO())

    assert Jurisdiction.objects.exists()
    assert not Jurisdiction.objects.filter(search_name="").exists()


def test_data_migration_fills_existing_rows(places):
    Jurisdiction.objects.update(search_name="")
    migration = importlib.import_module("jurisdictions.migrations.0008_search_name")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.fold_names(apps, editor)

    folded = dict(Jurisdiction.objects.values_list("slug", "search_name"))
    assert (
        folded.items()
        >= {
            "cook-county": "cook county",
            "dupage-county": "dupage county",
            "chicago": "chicago",
        }.items()
    )


# The find page


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Dupage", "dupage-county"),
        ("DuPage", "dupage-county"),
        ("dupage county", "dupage-county"),
        ("cóok", "cook-county"),
        ("COOK COUNTY", "cook-county"),
        ("chic", "chicago"),
        ("City of Chicago", "chicago"),
        ("illinois", "illinois"),
    ],
)
def test_find_one_match_redirects_to_the_place(client, places, query, slug):
    response = client.get(FIND, {"q": query})

    assert response.status_code == 302
    assert response["Location"] == reverse("jurisdictions:detail", kwargs={"slug": slug})


def test_find_unique_exact_name_redirects_though_others_begin_with_it(client, places):
    CityFactory(name="Cook Park", parent=places["cook"])

    response = client.get(FIND, {"q": "cook"})

    assert response["Location"] == reverse("jurisdictions:detail", kwargs={"slug": "cook-county"})


@pytest.fixture
def washingtons(illinois):
    nation = illinois.parent
    state = StateFactory(name="Washington", slug="washington", parent=nation)
    county = CountyFactory(name="Washington County", slug="washington-county", parent=illinois)
    tazewell = CountyFactory(name="Tazewell County", slug="tazewell", parent=illinois)
    city = CityFactory(name="Washington", slug="washington-il", parent=tazewell)
    park = CityFactory(name="Washington Park", slug="washington-park", parent=county)
    port = CityFactory(name="Port Washington", slug="port-washington", parent=county)
    return [state, county, city, park, port]


def test_find_several_ranks_exact_then_prefix_then_contains_broader_first(client, washingtons):
    response = client.get(FIND, {"q": "washington"})

    assert response.status_code == 200
    assert [place.slug for place in response.context["places"]] == [
        "washington",  # the state, exact
        "washington-county",  # exact, as "washington" names "Washington County"
        "washington-il",  # the city, exact
        "washington-park",  # begins with it
        "port-washington",  # contains it
    ]
    content = response.content.decode()
    # Each with its kind and the places it lies within, so that two Washingtons differ.
    assert "City · in Tazewell County, Illinois" in content
    assert '<span class="item-list__meta">State</span>' in content
    assert 'value="washington"' in content


def test_find_results_are_paginated_in_constant_queries(
    client, illinois, django_assert_num_queries
):
    county = CountyFactory(name="Lake County", parent=illinois)
    for number in range(3):
        CityFactory(name=f"Lakeview {number}", parent=county)
    with django_assert_num_queries(2):
        small = client.get(FIND, {"q": "lakev"})
    for number in range(3, 40):
        CityFactory(name=f"Lakeview {number}", parent=county)
    with django_assert_num_queries(2):
        large = client.get(FIND, {"q": "lakev"})

    assert small.status_code == large.status_code == 200
    assert len(small.context["places"]) == 3
    assert len(large.context["places"]) == 25
    page_two = client.get(FIND, {"q": "lakev", "page": 2})
    assert page_two.status_code == 200 and len(page_two.context["places"]) == 15


def test_find_none_says_so_keeps_the_words_and_suggests_the_list(client, places):
    response = client.get(FIND, {"q": "Springfeld"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "No city, county or state named like “Springfeld” is in the tracker." in content
    assert 'value="Springfeld"' in content
    assert f'href="{reverse("jurisdictions:list")}"' in content


def test_find_hides_drafts_from_the_public(client, illinois):
    CountyFactory(name="Draft County", parent=illinois, publication_state=PublicationState.DRAFT)

    response = client.get(FIND, {"q": "draft"})

    assert response.status_code == 200 and not response.context["places"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type the name of a city, county or state to find it."),
        ("   ", "Type the name of a city, county or state to find it."),
        ("x" * (MAX_QUERY_LENGTH + 1), "A place&#x27;s name is at most 100 characters"),
        ("!!!", "Type a place&#x27;s name in letters"),
    ],
)
def test_find_bad_input_answers_400_with_a_message(client, places, query, message):
    response = client.get(FIND, {"q": query})

    assert response.status_code == 400
    assert message in response.content.decode()


def test_find_without_a_query_shows_the_form(client):
    response = client.get(FIND)

    assert response.status_code == 200
    assert 'id="find-place"' in response.content.decode()


# Suggestions


def test_suggest_gives_ranked_places_with_kind_and_containers(client, places):
    response = client.get(SUGGEST, {"q": "c"})

    assert response.status_code == 200
    # Names that begin with it (a county before a city), then one that holds it.
    assert response.json() == {
        "q": "c",
        "places": [
            {
                "name": "Cook County",
                "kind": "County",
                "within": "Illinois",
                "url": reverse("jurisdictions:detail", kwargs={"slug": "cook-county"}),
            },
            {
                "name": "Chicago",
                "kind": "City",
                "within": "Cook County, Illinois",
                "url": reverse("jurisdictions:detail", kwargs={"slug": "chicago"}),
            },
            {
                "name": "DuPage County",
                "kind": "County",
                "within": "Illinois",
                "url": reverse("jurisdictions:detail", kwargs={"slug": "dupage-county"}),
            },
        ],
    }


def test_suggest_accents_and_case_are_ignored(client, places):
    assert [p["name"] for p in client.get(SUGGEST, {"q": "DUPÁGE"}).json()["places"]] == [
        "DuPage County"
    ]


def test_suggest_gives_at_most_ten_in_one_query(client, illinois, django_assert_num_queries):
    county = CountyFactory(name="Lake County", parent=illinois)
    for number in range(3):
        CityFactory(name=f"Lakeview {number}", parent=county)
    with django_assert_num_queries(1):
        small = client.get(SUGGEST, {"q": "lake"})
    for number in range(3, 30):
        CityFactory(name=f"Lakeview {number}", parent=county)
    with django_assert_num_queries(1):
        large = client.get(SUGGEST, {"q": "lake"})

    assert len(small.json()["places"]) == 4
    assert len(large.json()["places"]) == SUGGESTIONS
    assert large.json()["places"][0]["name"] == "Lake County"


@pytest.mark.parametrize("query", ["", "x" * (MAX_QUERY_LENGTH + 1), "?!"])
def test_suggest_bad_input_answers_400_naming_q(client, query):
    response = client.get(SUGGEST, {"q": query})

    assert response.status_code == 400
    assert list(response.json()) == ["q"]


# The home page


def test_home_page_has_the_finder_field_and_its_script(client):
    content = client.get(reverse("home")).content.decode()

    assert f'action="{FIND}"' in content
    assert '<label for="find-place">Find your city, county or state</label>' in content
    assert f'data-suggest-url="{SUGGEST}"' in content
    assert 'role="listbox"' in content and 'aria-live="polite"' in content
    assert '<script src="/static/js/place-finder.js" defer></script>' in content
    assert "<script>" not in content and " style=" not in content
    assert f'href="{reverse("maps:map")}"' in content
