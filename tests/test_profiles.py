"""What applies in a place, by question, on a date: inheritance, precedence, gaps, dates."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from policytracker.profiles.dimensions import Dimension, Position, conflicts
from policytracker.profiles.models import DimensionReview
from policytracker.profiles.profile import profile_of, profiles_of
from tests.factories import (
    JurisdictionFactory,
    OrdinanceFactory,
    ProvisionFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

ON = datetime.date(2019, 7, 15)
DETAINERS = Dimension.DETAINERS


def rule(place, *, on="2012-09-11", precision="day", **fields):
    return OrdinanceFactory(
        jurisdiction=place,
        adopted_on=datetime.date.fromisoformat(on),
        adopted_on_precision=precision,
        **fields,
    )


def provision(place, position, *, binds=False, dimension=DETAINERS, **fields):
    return ProvisionFactory(
        ordinance=fields.pop("ordinance", None) or rule(place),
        dimension=dimension,
        position=position,
        binds_places_within=binds,
        **fields,
    )


def cell(place, on=ON, dimension=DETAINERS):
    return profile_of(place, on=on, user=AnonymousUser()).cell(dimension)


def test_a_place_with_no_rule_says_so_and_whether_it_was_reviewed(chain):
    assert cell(chain.city).governing is None
    assert not cell(chain.city).is_reviewed

    DimensionReview.objects.create(
        jurisdiction=chain.city, dimension=DETAINERS, reviewed_on=ON, note="Checked the code."
    )

    reviewed = cell(chain.city)
    assert reviewed.governing is None and reviewed.is_reviewed
    assert reviewed.review.note == "Checked the code."


def test_a_place_is_governed_by_its_own_rule(chain):
    own = provision(chain.city, Position.PROHIBITS)

    governing = cell(chain.city).governing
    assert governing.provision == own
    assert governing.inherited_from is None


def test_a_binding_state_rule_is_inherited_and_a_non_binding_one_is_not(chain):
    binding = provision(chain.state, Position.LIMITS, binds=True)
    provision(chain.county, Position.PERMITS, binds=False)

    governing = cell(chain.city).governing
    assert governing.provision == binding
    assert governing.inherited_from == chain.state
    assert cell(chain.county).governing.provision.position == Position.PERMITS  # its own


def test_a_city_order_never_reaches_its_county(chain):
    provision(chain.city, Position.PROHIBITS, binds=True)

    assert cell(chain.county).governing is None


def test_the_nearer_rule_governs_when_the_broader_does_not_conflict(chain):
    state = provision(chain.state, Position.PERMITS, binds=True)
    city = provision(chain.city, Position.PROHIBITS)

    result = cell(chain.city)
    assert result.governing.provision == city
    assert [item.provision for item in result.context] == [state]
    assert result.prevails_over == []


def test_a_binding_broader_rule_prevails_over_a_conflicting_narrower_one(chain):
    county = provision(chain.county, Position.PROHIBITS, binds=True)
    state = provision(chain.state, Position.REQUIRES, binds=True)
    city = provision(chain.city, Position.LIMITS)

    result = cell(chain.city)
    assert result.governing.provision == state
    assert {item.provision for item in result.prevails_over} == {city, county}
    assert result.context == []


def test_a_rule_reaches_through_a_second_container(places):
    places.city.also_within.add(places.dupage)
    dupage = provision(places.dupage, Position.PROHIBITS, binds=True)

    assert cell(places.city).governing.provision == dupage


def test_at_one_level_the_rule_in_force_latest_governs(chain):
    provision(chain.city, Position.PERMITS, ordinance=rule(chain.city, on="2010-01-01"))
    newer = provision(chain.city, Position.PROHIBITS, ordinance=rule(chain.city, on="2015-01-01"))

    assert cell(chain.city).governing.provision == newer


def test_reported_practice_is_listed_apart_and_never_governs(chain):
    statement = StatementFactory(
        speaker_agency__jurisdiction=chain.nation, made_on=ON, made_on_precision="day"
    )
    practice = ProvisionFactory(
        ordinance=None,
        statement=statement,
        jurisdiction=chain.county,
        dimension=DETAINERS,
        position=Position.PROHIBITS,
        basis="practice",
        reported_by="ICE",
        clause="",
    )

    result = cell(chain.county)
    assert result.governing is None
    assert [item.provision for item in result.practice] == [practice]


def test_practice_of_an_undated_statement_counts_from_today_never_in_the_past(chain):
    statement = StatementFactory(speaker_agency__jurisdiction=chain.nation, made_on=None)
    practice = ProvisionFactory(
        ordinance=None,
        statement=statement,
        jurisdiction=chain.county,
        dimension=DETAINERS,
        position=Position.LIMITS,
        basis="practice",
        reported_by="ICE",
    )
    today = timezone.localdate()

    assert [item.provision for item in cell(chain.county, on=today).practice] == [practice]
    assert [i.provision for i in cell(chain.county, on=today.replace(year=2100)).practice] == [
        practice
    ]
    assert cell(chain.county, on=today - datetime.timedelta(days=1)).practice == []
    assert cell(chain.county, on=ON).practice == []


@pytest.mark.parametrize(
    ("on", "in_force"),
    [
        ("2012-09-10", False),  # the day before adoption
        ("2012-09-11", True),  # the day of adoption
        ("2020-03-01", True),  # the last day before repeal
        ("2020-03-02", False),  # the day of repeal: no longer in force
    ],
)
def test_only_provisions_in_force_on_the_date_count(chain, on, in_force):
    ordinance = rule(
        chain.city, repealed_on=datetime.date(2020, 3, 2), repealed_on_precision="day"
    )
    provision(chain.city, Position.PROHIBITS, ordinance=ordinance)

    assert (cell(chain.city, on=datetime.date.fromisoformat(on)).governing is not None) is in_force


def test_a_provision_added_by_an_amendment_counts_from_its_own_date(chain):
    provision(
        chain.city,
        Position.PROHIBITS,
        starts_on=datetime.date(2016, 1, 1),
        starts_on_precision="day",
    )

    assert cell(chain.city, on=datetime.date(2015, 12, 31)).governing is None
    assert cell(chain.city, on=datetime.date(2016, 1, 1)).governing is not None


def test_a_rule_adopted_in_a_month_counts_from_the_first_of_that_month(chain):
    ordinance = rule(chain.city, on="2012-09-01", precision="month")
    provision(chain.city, Position.PROHIBITS, ordinance=ordinance)

    assert cell(chain.city, on=datetime.date(2012, 8, 31)).governing is None
    governing = cell(chain.city, on=datetime.date(2012, 9, 1)).governing
    assert str(governing.provision.in_force_from()) == "September 2012"


def test_drafts_are_left_out_for_the_public(chain):
    draft = rule(chain.city, publication_state="draft")
    provision(chain.city, Position.PROHIBITS, ordinance=draft)

    assert cell(chain.city).governing is None


def test_profiles_of_many_places_take_three_queries_whatever_the_depth(
    chain, django_assert_num_queries
):
    def deepest(levels):
        place = chain.city
        for _ in range(levels):
            place = JurisdictionFactory(kind="other", parent=place)
            provision(place, Position.LIMITS, binds=True)
            provision(place, Position.PERMITS, binds=True, dimension=Dimension.TRANSFERS)
        return place

    shallow, deep = deepest(1), deepest(8)
    for places in ([shallow], [shallow, deep, chain.city, chain.state]):
        with django_assert_num_queries(3):
            found = profiles_of(places, on=ON, user=AnonymousUser())
        assert len(found) == len(places)
    assert profiles_of([deep], on=ON)[deep.pk].cell(DETAINERS).governing is not None


@pytest.mark.parametrize(
    ("broader", "narrower", "expected"),
    [
        ("requires", "prohibits", True),
        ("requires", "limits", True),
        ("prohibits", "permits", True),
        ("prohibits", "participates", True),
        ("limits", "requires", True),
        ("permits", "prohibits", False),  # a permission leaves a local limit standing
        ("limits", "prohibits", False),  # same direction
        ("limits", "permits", False),
        ("participates", "prohibits", False),
    ],
)
def test_which_positions_conflict(broader, narrower, expected):
    assert conflicts(broader, narrower) is expected
