"""The map's boundaries, read from the files in `data/` (see data/README.md), and the
places the tracker holds for them.

A shape is matched to a jurisdiction by its FIPS code where the jurisdiction has one, else
by its Open Civic Data id, else by its name (folded, as the place finder reads names)
within Illinois for a county, among the states for a state: one query for all of them.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q

from jurisdictions.models import Containment, Jurisdiction, JurisdictionKind
from jurisdictions.names import fold
from policytracker.synthetic import STATES

DATA = Path(__file__).resolve().parent / "data"
ILLINOIS_FIPS, ILLINOIS_OCD_ID = "17", "ocd-division/country:us/state:il"

# The states' postal codes by FIPS code, for their OCD ids (ocd-division/country:us/state:il).
POSTAL_CODES = {fips: postal.lower() for _name, postal, fips, _counties in STATES}


@dataclass(frozen=True)
class Shape:
    fips: str
    name: str  # as a jurisdiction is named: "Cook County", "Illinois"
    d: str  # SVG path data

    @property
    def search_name(self):
        return fold(self.name)


@dataclass(frozen=True)
class Boundaries:
    level: str  # "counties" or "states"
    view_box: str
    shapes: tuple

    def ocd_id(self, shape):
        if self.level == "states":
            postal = POSTAL_CODES.get(shape.fips)
            return f"ocd-division/country:us/state:{postal}" if postal else None
        base = shape.name.removesuffix(" County").lower().replace(" ", "_")
        return f"{ILLINOIS_OCD_ID}/county:{base}"

    def candidates(self, user):
        """The places `user` may see that may be these shapes' (one query)."""
        by_fips = Q(fips__in=[shape.fips for shape in self.shapes])
        by_ocd = Q(ocd_id__in=[self.ocd_id(shape) for shape in self.shapes])
        by_name = Q(search_name__in=[shape.search_name for shape in self.shapes])
        if self.level == "states":
            kinds = (JurisdictionKind.STATE, JurisdictionKind.TERRITORY)
        else:
            kinds = (JurisdictionKind.COUNTY,)
            in_illinois = Containment.objects.filter(
                Q(within__fips=ILLINOIS_FIPS) | Q(within__ocd_id=ILLINOIS_OCD_ID), depth__gt=0
            ).values("place_id")
            by_name &= Q(pk__in=in_illinois)
        return (
            Jurisdiction.objects.visible_to(user)
            .filter(kind__in=kinds)
            .filter(by_fips | by_ocd | by_name)
            .order_by("pk")
        )

    def places(self, user):
        """{shape fips: the jurisdiction drawn by it}, for the shapes the tracker holds."""
        found = list(self.candidates(user))
        by_fips = {place.fips: place for place in found if place.fips}
        by_ocd = {place.ocd_id: place for place in found if place.ocd_id}
        by_name = {}
        for place in found:
            by_name.setdefault(place.search_name, place)
        matched, used = {}, set()
        # Each place once: a FIPS match first, then an OCD id's, then a name's.
        for key_of, index in (
            (lambda shape: shape.fips, by_fips),
            (self.ocd_id, by_ocd),
            (lambda shape: shape.search_name, by_name),
        ):
            for shape in self.shapes:
                place = index.get(key_of(shape))
                if shape.fips in matched or place is None or place.pk in used:
                    continue
                if place.fips and place.fips != shape.fips:
                    continue  # a place whose FIPS code names another shape
                matched[shape.fips] = place
                used.add(place.pk)
        return matched


@functools.cache
def boundaries(level):
    """The counties of Illinois ("counties") or the states ("states"), read once."""
    file, suffix = {
        "counties": ("illinois_counties.json", " County"),
        "states": ("us_states.json", ""),
    }[level]
    content = json.loads((DATA / file).read_text(encoding="utf-8"))
    shapes = tuple(
        Shape(shape["fips"], shape["name"] + suffix, shape["d"]) for shape in content["shapes"]
    )
    return Boundaries(level, content["view_box"], shapes)
