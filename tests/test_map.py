"""The map of what governs (/map/): each Illinois county (or state) coloured by the position
that governs a question on a date, linked and named, a legend, the same as a table, shapes
matched by FIPS, OCD id or name, 400s naming the bad value, constant queries."""

import datetime
import re

import pytest
from django.urls import reverse

from policytracker.maps.shapes import boundaries
from policytracker.profiles.dimensions import Dimension, Position
from tests.factories import (
    CountyFactory,
    NationFactory,
    OrdinanceFactory,
    ProvisionFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db

MAP = reverse("maps:map")
ADOPTED = datetime.date(2012, 9, 11)


@pytest.fixture
def illinois():
    return StateFactory(
        name="Illinois",
        slug="illinois",
        fips="17",
        ocd_id="ocd-division/country:us/state:il",
        parent=NationFactory(name="United States"),
    )


@pytest.fixture
def cook(illinois):
    return CountyFactory(name="Cook County", slug="cook-county", fips="17031", parent=illinois)


@pytest.fixture
def dupage(illinois):
    return CountyFactory(name="DuPage County", slug="dupage-county", fips="17043", parent=illinois)


def rule(place, position, *, dimension=Dimension.DETAINERS, binds=False, title=None):
    ordinance = OrdinanceFactory(
        jurisdiction=place,
        title=title or f"{place.name} rule",
        adopted_on=ADOPTED,
        adopted_on_precision="day",
    )
    ProvisionFactory(
        ordinance=ordinance, dimension=dimension, position=position, binds_places_within=binds
    )
    return ordinance


def shape_of(content, name):
    """The markup of the shape named `name` ("Cook County: Prohibits"): its link, if any,
    and its path."""
    match = re.search(
        r"(<a href=\"[^\"]*\" class=\"map__link\"><title>" + re.escape(name) + r"</title>"
        r"<path class=\"([^\"]*)\"[^>]*/></a>|<path class=\"([^\"]*)\" d=\"[^\"]*\"><title>"
        + re.escape(name)
        + r"</title></path>)",
        content,
    )
    assert match, f"no shape named {name!r}"
    return match


def table_row(content, name):
    match = re.search(
        r"<tr>\s*<th scope=\"row\">(?:<a href=\"[^\"]*\">)?" + re.escape(name) + r".*?</tr>",
        content,
        re.S,
    )
    assert match, f"no row for {name!r}"
    return match.group(0)


def test_boundaries_hold_illinois_counties_and_the_states():
    counties, states = boundaries("counties"), boundaries("states")

    assert len(counties.shapes) == 102
    assert all(shape.fips.startswith("17") for shape in counties.shapes)
    assert {"Cook County", "DuPage County", "St. Clair County"} <= {
        s.name for s in counties.shapes
    }
    assert len(states.shapes) == 51 and "Illinois" in {shape.name for shape in states.shapes}
    assert all(shape.d.startswith("M") and shape.d.endswith("Z") for shape in states.shapes)


def test_county_with_a_rule_is_coloured_linked_and_named(client, cook):
    ordinance = rule(cook, Position.PROHIBITS)

    response = client.get(MAP, {"dimension": "detainers", "on": "2019-07-15"})

    assert response.status_code == 200
    content = response.content.decode()
    shape = shape_of(content, "Cook County: Prohibits")
    assert shape.group(0).startswith(f'<a href="{cook.get_absolute_url()}?on=2019-07-15"')
    assert "map__shape--prohibits" in shape.group(2)
    row = table_row(content, "Cook County")
    assert "<td>Prohibits</td>" in row
    assert f'<a href="{ordinance.get_absolute_url()}">{ordinance.title}</a>' in row


def test_county_without_a_rule_says_no_recorded_rule(client, cook, dupage):
    rule(cook, Position.PROHIBITS)

    content = client.get(MAP, {"on": "2019-07-15"}).content.decode()

    shape = shape_of(content, "DuPage County: No recorded rule")
    assert shape.group(0).startswith(f'<a href="{dupage.get_absolute_url()}')
    assert "map__shape--none" in shape.group(2)
    assert "<td>No recorded rule</td>" in table_row(content, "DuPage County")


def test_county_not_in_the_tracker_is_neutral_and_not_linked(client, cook):
    content = client.get(MAP).content.decode()

    shape = shape_of(content, "Kane County: Not in the tracker")
    assert shape.group(3) == "map__shape map__shape--untracked"
    row = table_row(content, "Kane County")
    assert "<a " not in row and row.count("Not in the tracker") == 2


def test_inherited_binding_rule_colours_the_county(client, illinois, dupage):
    state_rule = rule(illinois, Position.LIMITS, binds=True, title="Illinois TRUST Act")

    content = client.get(MAP, {"on": "2019-07-15"}).content.decode()

    assert "map__shape--limits" in shape_of(content, "DuPage County: Limits").group(2)
    row = table_row(content, "DuPage County")
    assert state_rule.get_absolute_url() in row and "(inherited from Illinois)" in row


@pytest.mark.parametrize(
    ("on", "label"),
    [("2012-09-10", "No recorded rule"), ("2012-09-11", "Prohibits"), ("2019-07-15", "Prohibits")],
)
def test_the_date_edge_the_rule_counts_from_its_first_day(client, cook, on, label):
    rule(cook, Position.PROHIBITS)

    content = client.get(MAP, {"on": on}).content.decode()

    shape_of(content, f"Cook County: {label}")


def test_only_the_chosen_question_colours(client, cook):
    rule(cook, Position.PROHIBITS, dimension=Dimension.STATUS_INQUIRY)

    detainers = client.get(MAP, {"dimension": "detainers"}).content.decode()
    status = client.get(MAP, {"dimension": "status_inquiry"}).content.decode()

    shape_of(detainers, "Cook County: No recorded rule")
    shape_of(status, "Cook County: Prohibits")


def test_legend_lists_every_position_with_its_count(client, cook, dupage):
    rule(cook, Position.PROHIBITS)

    content = client.get(MAP).content.decode()

    legend = content[content.index('<div class="map-legend">') :]
    legend = legend[: legend.index("</ul>")]
    for label, count in [
        ("Requires", 0),
        ("Takes part", 0),
        ("Permits", 0),
        ("Limits", 0),
        ("Prohibits", 1),
        ("No recorded rule", 1),
        ("Not in the tracker", 100),
    ]:
        assert f'{label} <span class="muted">({count})</span>' in legend
    assert legend.count('class="map__shape--') == 7


def test_shapes_match_by_ocd_id_then_by_name_within_illinois(client, illinois):
    by_ocd = CountyFactory(
        name="Saint Clair", ocd_id="ocd-division/country:us/state:il/county:st._clair",
        parent=illinois,
    )  # fmt: skip
    by_name = CountyFactory(name="De Witt County", parent=illinois)
    elsewhere = StateFactory(name="Indiana", fips="18", parent=illinois.parent)
    CountyFactory(name="Kane County", parent=elsewhere)  # another state's: not Illinois's

    content = client.get(MAP).content.decode()

    assert (
        shape_of(content, "Saint Clair: No recorded rule")
        .group(0)
        .startswith(f'<a href="{by_ocd.get_absolute_url()}')
    )
    assert (
        shape_of(content, "De Witt County: No recorded rule")
        .group(0)
        .startswith(f'<a href="{by_name.get_absolute_url()}')
    )
    shape_of(content, "Kane County: Not in the tracker")


def test_states_level_colours_the_states(client, illinois):
    rule(illinois, Position.LIMITS, binds=True)

    response = client.get(MAP, {"level": "states", "on": "2019-07-15"})

    content = response.content.decode()
    assert response.status_code == 200
    shape = shape_of(content, "Illinois: Limits")
    assert shape.group(0).startswith(f'<a href="{illinois.get_absolute_url()}')
    shape_of(content, "Texas: Not in the tracker")
    assert content.count('<tr>\n          <th scope="row">') == 51


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"dimension": "nonsense"}, "Question", "“nonsense” is not one of the questions"),
        ({"on": "2019-02-30"}, "As of", "“2019-02-30” is not a date"),
        ({"on": "yesterday"}, "As of", "“yesterday” is not a date"),
        ({"level": "planet"}, "Show", "“planet” is not a map level"),
    ],
)
def test_bad_choice_answers_400_naming_it(client, cook, query, field, message):
    response = client.get(MAP, query)

    assert response.status_code == 400
    content = response.content.decode()
    assert f"{field}</a>: {message}" in content
    assert 'class="map__svg"' not in content


def test_map_page_makes_constant_queries(client, illinois, django_assert_num_queries):
    def add_counties(shapes):
        for shape in shapes:
            county = CountyFactory(name=shape.name, fips=shape.fips, parent=illinois)
            rule(county, Position.PROHIBITS)

    shapes = boundaries("counties").shapes
    add_counties(shapes[:3])
    with django_assert_num_queries(4):
        small = client.get(MAP)
    add_counties(shapes[3:40])
    with django_assert_num_queries(4):
        large = client.get(MAP)

    assert small.status_code == large.status_code == 200
    assert large.content.decode().count("map__shape--prohibits") == 40 + 1  # and the legend's


def test_map_markup_has_no_inline_style_or_script(client, cook):
    content = client.get(MAP).content.decode()

    assert " style=" not in content and "<script" not in content


def test_map_is_linked_from_the_coverage_and_place_pages(client, cook):
    assert MAP in client.get(reverse("profiles:coverage")).content.decode()
    assert MAP in client.get(cook.get_absolute_url()).content.decode()
