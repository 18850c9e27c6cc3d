"""Finding a jurisdiction by the names other lists use: "IL", "ILLINOIS", "COOK", "Chicago".

Built once per import from one query over every jurisdiction, then answered from memory.
"""

import re
from collections import defaultdict

from jurisdictions.models import Jurisdiction, JurisdictionKind
from policytracker.importers.base import name_key

# Words that name a county's type, dropped so that "COOK" finds "Cook County".
COUNTY_WORDS = re.compile(
    r"\s+(county|parish|borough|census area|municipality|municipio|city and borough)$"
)
MUNICIPAL_KINDS = (
    JurisdictionKind.CITY,
    JurisdictionKind.TOWN,
    JurisdictionKind.VILLAGE,
    JurisdictionKind.BOROUGH,
)
# The FBI writes Nebraska NB; its federal agencies are under FS.
STATE_CODE_ALIASES = {"nb": "ne"}


def county_key(name):
    return COUNTY_WORDS.sub("", name_key(name))


class Places:
    def __init__(self):
        rows = list(Jurisdiction.objects.values("pk", "name", "kind", "parent_id", "ocd_id"))
        self.rows = {row["pk"]: row for row in rows}
        self.nation = next(
            (row["pk"] for row in rows if row["kind"] == JurisdictionKind.NATION), None
        )
        self.states_by_code, self.states_by_name = {}, {}
        for row in rows:
            if row["parent_id"] == self.nation and row["kind"] in (
                JurisdictionKind.STATE,
                JurisdictionKind.TERRITORY,
            ):
                code = row["ocd_id"].rsplit(":", 1)[-1] if row["ocd_id"] else ""
                if code:
                    self.states_by_code[code] = row["pk"]
                self.states_by_name[name_key(row["name"])] = row["pk"]
        self.counties = {}
        self.places = defaultdict(list)
        for row in rows:
            state = self.state_of(row["pk"])
            if state is None or row["pk"] == state:
                continue
            if row["kind"] == JurisdictionKind.COUNTY:
                self.counties.setdefault((state, county_key(row["name"])), row["pk"])
            else:
                self.places[(state, name_key(row["name"]))].append(row)

    def state_of(self, pk):
        seen = set()
        while pk is not None and pk not in seen:
            row = self.rows[pk]
            if row["parent_id"] == self.nation and row["kind"] != JurisdictionKind.NATION:
                return pk
            seen.add(pk)
            pk = row["parent_id"]
        return None

    def state(self, code_or_name):
        key = name_key(code_or_name)
        key = STATE_CODE_ALIASES.get(key, key)
        return self.states_by_code.get(key) or self.states_by_name.get(key)

    def county(self, state, name):
        return self.counties.get((state, county_key(name))) if name else None

    def place(self, state, name, county=None):
        """The one city, town, village or borough of that name in the state; else a
        township of that name in `county`; None when there is none or several."""
        candidates = self.places.get((state, name_key(name)), [])
        municipal = [row for row in candidates if row["kind"] in MUNICIPAL_KINDS]
        if len(municipal) == 1:
            return municipal[0]["pk"]
        if len(municipal) > 1 and county is not None:
            inside = [row for row in municipal if row["parent_id"] == county]
            if len(inside) == 1:
                return inside[0]["pk"]
        if not municipal and county is not None:
            inside = [row for row in candidates if row["parent_id"] == county]
            if len(inside) == 1:
                return inside[0]["pk"]
        return None

    def within(self, pk, ancestor):
        seen = set()
        while pk is not None and pk not in seen:
            if pk == ancestor:
                return True
            seen.add(pk)
            pk = self.rows[pk]["parent_id"] if pk in self.rows else None
        return False
