"""A place's policy profile: for each question, what governs there on a date, and why.

The rules, in the order they are applied to one question (a `Dimension`) for one place:

1. Only provisions in force on the date count (`ProvisionQuerySet.in_force`), and only those
   the reader may see (of published rules, for the public).
2. A provision applies to the place if it is the place's own, or belongs to a place the
   place lies within (its county, state, the nation, at any depth and through every
   container) and binds the places within it. A city's order never reaches its county.
3. Of the written provisions that apply, the nearest governs: the place's own, else its
   nearest container's; at the same level, the one in force most recently.
4. Unless a broader one binds and conflicts with it (`dimensions.conflicts`: the state
   requires what the city prohibits): then the broadest such provision governs, and the
   narrower ones it prevails over are listed as such.
5. The other applicable written provisions are context. Reported practice is listed apart,
   attributed, and never governs.
6. With no written provision: "no recorded rule", with whether staff have reviewed the
   question for the place (`DimensionReview`): a rule not recorded is not a rule absent.

Staff annotate a cell with the review's note; the computation is never overridden.

Computing the profiles of any number of places takes three queries, whatever the depth of
the hierarchy or the number of provisions: their containments, the provisions in force of
every place they lie within, and their reviews.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from policytracker.profiles.dimensions import QUESTIONS, Basis, Dimension, conflicts
from policytracker.profiles.models import DimensionReview, Provision

# Related rows each provision brings, for the table: its rule, the rule's place, the source.
PROVISION_RELATED = (
    "jurisdiction",
    "source",
    "ordinance",
    "agreement__local_party",
    "statement__speaker_agency",
)


@dataclass
class Applicable:
    """A provision that applies to the place, with how far up its place is (0: its own)."""

    provision: Provision
    depth: int

    @property
    def inherited_from(self):
        return self.provision.jurisdiction if self.depth else None


@dataclass
class Cell:
    dimension: Dimension
    governing: Applicable | None = None
    prevails_over: list = field(default_factory=list)  # narrower conflicting provisions
    context: list = field(default_factory=list)  # other applicable written provisions
    practice: list = field(default_factory=list)  # reported practice, attributed
    review: DimensionReview | None = None

    @property
    def label(self):
        return self.dimension.label

    @property
    def question(self):
        return QUESTIONS[self.dimension]

    @property
    def position(self):
        """The governing position's code, or "" for no recorded rule."""
        return self.governing.provision.position if self.governing else ""

    @property
    def position_label(self):
        return self.governing.provision.get_position_display() if self.governing else ""

    @property
    def is_reviewed(self):
        return self.review is not None


@dataclass
class Profile:
    place: object
    on: datetime.date
    cells: list

    @property
    def reviewed_count(self):
        return sum(cell.is_reviewed for cell in self.cells)

    @property
    def recorded_count(self):
        return sum(cell.governing is not None for cell in self.cells)

    def cell(self, dimension):
        return next(cell for cell in self.cells if cell.dimension == dimension)


def profile_of(place, *, on=None, user=None):
    return profiles_of([place], on=on, user=user)[place.pk]


def profiles_of(places, *, on=None, user=None):
    """{place id: Profile} for each of `places` (records), on the date `on` (today if None),
    as `user` may see it. Three queries, whatever the number of places."""
    from jurisdictions.models import Containment

    on = on or timezone.localdate()
    places = list(places)
    if not places:
        return {}
    depth_of = defaultdict(dict)  # place id -> {container id: depth}
    for place_id, within_id, depth in Containment.objects.filter(
        place__in=[place.pk for place in places]
    ).values_list("place_id", "within_id", "depth"):
        depth_of[place_id][within_id] = depth
    containers = {within for depths in depth_of.values() for within in depths}
    provisions = list(
        Provision.objects.visible_to(user)
        .in_force(on)
        .of_places(containers)
        .select_related(*PROVISION_RELATED)
    )
    reviews = {
        (review.jurisdiction_id, review.dimension): review
        for review in DimensionReview.objects.filter(jurisdiction__in=[p.pk for p in places])
    }
    return {
        place.pk: Profile(
            place,
            on,
            [
                cell_for(dimension, provisions, depth_of[place.pk], reviews.get(key))
                for dimension in Dimension
                for key in [(place.pk, dimension)]
            ],
        )
        for place in places
    }


def cell_for(dimension, provisions, depths, review):
    """One question's cell for a place whose containers lie at `depths` ({id: depth})."""
    applicable = [
        Applicable(provision, depths[provision.jurisdiction_id])
        for provision in provisions
        if provision.dimension == dimension
        and provision.jurisdiction_id in depths
        and (depths[provision.jurisdiction_id] == 0 or provision.binds_places_within)
    ]
    applicable.sort(key=nearest_first)
    written = [item for item in applicable if item.provision.basis == Basis.WRITTEN]
    cell = Cell(
        dimension,
        practice=[item for item in applicable if item.provision.basis == Basis.PRACTICE],
        review=review,
    )
    if not written:
        return cell
    nearest = written[0]
    overriding = [
        item
        for item in written
        if item.depth > nearest.depth
        and item.provision.binds_places_within
        and conflicts(item.provision.position, nearest.provision.position)
    ]
    if overriding:
        governing = max(overriding, key=lambda item: (item.depth, start_key(item)))
        cell.prevails_over = [
            item
            for item in written
            if item.depth < governing.depth
            and conflicts(governing.provision.position, item.provision.position)
        ]
    else:
        governing = nearest
    cell.governing = governing
    cell.context = [
        item for item in written if item is not governing and item not in cell.prevails_over
    ]
    return cell


def start_key(item):
    start = item.provision.in_force_from()
    return start.value if start else datetime.date.min


def nearest_first(item):
    """Own before inherited, nearer before broader; at one level, the latest in force first."""
    return (item.depth, -start_key(item).toordinal(), item.provision.pk)
