"""Jurisdictions from Open Civic Data division ids: the nation, states, counties and places.

Two files, told apart by their first row:

- `states.csv`: `id,name`, no header row: the United States, the 50 states and DC;
- `us_census_places.csv`: a header `id,name,census_geoid`, then counties, places and
  townships.

The hierarchy comes from the id (`…/state:il/county:cook/place:barrington` lies in Cook
County, `…/state:il/place:chicago` in Illinois). A record already here keeps a parent staff
gave it when that parent lies inside the id's parent (Chicago in Cook County, in Illinois).
Names lose the Census type word where people leave it out ("Chicago city" becomes
"Chicago", kind city) and keep it where they do not ("Cook County", "Barrington
Township"). The GEOID goes in `fips`, digits only; a state's is the two digits its
counties' GEOIDs begin with. Puerto Rico and other territories appear only as parents of
their municipios: they are created from the id, with their names and FIPS codes below.

Slugs: "illinois", "cook-county-il", "chicago-il", "barrington-township-cook-county-il";
where two places of a file would share one, each gets its GEOID appended. A record keeps
its slug on every later import.
"""

import re
import zlib
from collections import Counter, defaultdict

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from jurisdictions.models import Jurisdiction, JurisdictionKind
from policytracker.importers.base import (
    Importer,
    ImportRefused,
    check_fields,
    is_blank,
    read_csv,
)
from policytracker.models import PublicationState

PUBLISHER = "Open Civic Data"
URL = "https://github.com/opencivicdata/ocd-division-ids"
PLACES_HEADER = ["id", "name", "census_geoid"]
ID_PATTERN = re.compile(r"^ocd-division/country:us(/[a-z_]+:[^/\s]+)*$")
GEOID_PATTERN = re.compile(r"^(?:place-)?([0-9]{2,10})$")

# The id's last part's type, for the levels above places.
TOP_KINDS = {
    "country": JurisdictionKind.NATION,
    "state": JurisdictionKind.STATE,
    # Washington, DC is a state-equivalent for the Census and for the FBI's lists.
    "district": JurisdictionKind.STATE,
    "territory": JurisdictionKind.TERRITORY,
}
# County equivalents, keeping their type word in the name: "Orleans Parish".
COUNTY_TYPES = {"county", "parish", "borough", "census_area", "municipio"}
# Census type words people leave out of a place's name.
PLACE_TYPE_WORDS = {
    "city": JurisdictionKind.CITY,
    "town": JurisdictionKind.TOWN,
    "village": JurisdictionKind.VILLAGE,
    "borough": JurisdictionKind.BOROUGH,
}
# Territories whose municipios the Census file lists without listing the territory.
TERRITORIES = {
    "ocd-division/country:us/territory:pr": ("Puerto Rico", "72"),
    "ocd-division/country:us/territory:gu": ("Guam", "66"),
    "ocd-division/country:us/territory:vi": ("U.S. Virgin Islands", "78"),
    "ocd-division/country:us/territory:as": ("American Samoa", "60"),
    "ocd-division/country:us/territory:mp": ("Northern Mariana Islands", "69"),
}


def parent_id(ocd_id):
    return ocd_id.rsplit("/", 1)[0] if ocd_id.count("/") > 1 else None


def division_type(ocd_id):
    return ocd_id.rsplit("/", 1)[1].split(":", 1)[0]


def state_code(ocd_id):
    """ "il" for any id inside Illinois; "" for the nation."""
    parts = ocd_id.split("/")
    return parts[2].split(":", 1)[1] if len(parts) > 2 else ""


def name_and_kind(census_name, ocd_id):
    """The name people use and the kind: ("Chicago city", …place:chicago) -> Chicago, city."""
    kind_of_id = division_type(ocd_id)
    if kind_of_id in TOP_KINDS:
        return census_name, TOP_KINDS[kind_of_id]
    if kind_of_id in COUNTY_TYPES:
        return census_name, JurisdictionKind.COUNTY
    words = census_name.split()
    last = words[-1]
    if len(words) > 1 and last in PLACE_TYPE_WORDS:
        return " ".join(words[:-1]), PLACE_TYPE_WORDS[last]
    if len(words) > 1 and last == "township":
        return " ".join([*words[:-1], "Township"]), JurisdictionKind.TOWNSHIP
    if words[0] == "Township":  # Kansas: "Township 1"
        return census_name, JurisdictionKind.TOWNSHIP
    if len(words) > 1 and last == "municipality":  # "Anchorage municipality"
        return " ".join(words[:-1]), JurisdictionKind.CITY
    if census_name.endswith("government"):
        # Consolidated city-counties: "Webster County unified government".
        return census_name, JurisdictionKind.CITY
    return census_name, JurisdictionKind.OTHER


class Division:
    """One row, read and checked."""

    __slots__ = ("file", "row", "ocd_id", "name", "kind", "fips", "parent")

    def __init__(self, file, row, ocd_id, name, kind, fips):
        self.file, self.row, self.ocd_id = file, row, ocd_id
        self.name, self.kind, self.fips = name, kind, fips
        self.parent = parent_id(ocd_id)


class OcdImporter(Importer):
    name = "ocd"
    label = _("Open Civic Data divisions")
    permissions = ("jurisdictions.add_jurisdiction", "jurisdictions.change_jurisdiction")
    help = (
        "Jurisdictions from Open Civic Data division ids: states.csv (id,name without a "
        "header) and us_census_places.csv (id,name,census_geoid)."
    )

    def plan_and_write(self, files):
        divisions = {}
        for file in files:
            self.current_file = file.name
            reading = _("Reading rows of %(file)s") % {"file": file.name}
            for division in self.counted(self.read(file), reading):
                if division.ocd_id in divisions:
                    first = divisions[division.ocd_id]
                    self.reject(division.row, f"the same id as row {first.row} of {first.file}")
                else:
                    divisions[division.ocd_id] = division
        existing = list(
            Jurisdiction.objects.values(
                "pk", "ocd_id", "fips", "name", "kind", "parent_id", "slug"
            )
        )
        self.by_ocd = {row["ocd_id"]: row for row in existing if row["ocd_id"]}
        self.by_fips = {row["fips"]: row for row in existing if row["fips"]}
        self.parent_of = {row["pk"]: row["parent_id"] for row in existing}
        self.slugs = {row["slug"] for row in existing}

        self.add_territories(divisions)
        self.derive_state_fips(divisions)
        # The valid rows are written even when some were rejected: run() then rolls back,
        # and the summary still says what would have happened to each.
        self.write(self.check_divisions(divisions))

    def read(self, file):
        rows = read_csv(file, self.encoding)
        rows = [(number, row) for number, row in rows if not is_blank(row)]
        if not rows:
            raise ImportRefused(f"{file.name} has no rows.")
        first = [cell.strip().lower() for cell in rows[0][1]]
        if first == PLACES_HEADER:
            rows, width = rows[1:], 3
        elif len(first) == 2 and first[0].startswith("ocd-division/"):
            width = 2
        else:
            raise ImportRefused(
                f"{file.name} is neither an OCD states file (id,name, no header row) nor a "
                f"places file (header id,name,census_geoid). Its first row: {','.join(first)}."
            )
        for number, row in rows:
            if len(row) != width:
                self.reject(number, f"{len(row)} columns where the file has {width}")
                continue
            ocd_id, census_name = row[0].strip(), " ".join(row[1].split())
            geoid = row[2].strip() if width == 3 else ""
            if not ID_PATTERN.match(ocd_id):
                self.reject(number, f"{ocd_id!r} is not a US Open Civic Data division id")
                continue
            if not census_name:
                self.reject(number, "the name is empty")
                continue
            match = GEOID_PATTERN.match(geoid)
            if geoid and not match:
                self.reject(number, f"the Census GEOID {geoid!r} is not place- and 2 to 10 digits")
                continue
            name, kind = name_and_kind(census_name, ocd_id)
            problem = check_fields(Jurisdiction, {"name": name})
            if problem:
                self.reject(number, problem)
                continue
            yield Division(file.name, number, ocd_id, name, kind, match.group(1) if geoid else "")

    def add_territories(self, divisions):
        """A territory named only as a parent (Puerto Rico) is made from the id."""
        for division in list(divisions.values()):
            territory = division.parent
            if (
                territory in TERRITORIES
                and territory not in divisions
                and territory not in self.by_ocd
            ):
                name, fips = TERRITORIES[territory]
                divisions[territory] = Division(
                    division.file, division.row, territory, name, JurisdictionKind.TERRITORY, fips
                )
                self.note(division.row, f"created {name} ({territory}) as its parent")

    def derive_state_fips(self, divisions):
        """A state's FIPS code: the two digits every GEOID inside it begins with."""
        prefixes = defaultdict(set)
        for division in divisions.values():
            if division.fips and division.ocd_id.count("/") > 2:
                top = "/".join(division.ocd_id.split("/")[:3])
                prefixes[top].add(division.fips[:2])
        for top, found in prefixes.items():
            state = divisions.get(top)
            if state is not None and not state.fips and len(found) == 1:
                state.fips = found.pop()

    def check_divisions(self, divisions):
        """Drop rows whose parent is missing or whose GEOID another place holds."""
        fips_rows = {}
        good = {}
        # Parents before children: sort by depth, so a rejected parent rejects its children.
        for division in sorted(divisions.values(), key=lambda d: (d.ocd_id.count("/"), d.ocd_id)):
            if (
                division.parent
                and division.parent not in good
                and division.parent not in (self.by_ocd)
            ):
                self.reject(
                    division.row,
                    f"its parent {division.parent} is neither in the database nor imported "
                    "with it",
                    file=division.file,
                )
                continue
            if division.fips:
                holder = self.by_fips.get(division.fips)
                if division.fips in fips_rows:
                    self.reject(
                        division.row,
                        f"GEOID {division.fips} is also row {fips_rows[division.fips].row}'s",
                        file=division.file,
                    )
                    continue
                if holder and holder["ocd_id"] not in ("", division.ocd_id):
                    self.reject(
                        division.row,
                        f"GEOID {division.fips} belongs to {holder['name']} "
                        f"({holder['ocd_id']}) already",
                        file=division.file,
                    )
                    continue
                fips_rows[division.fips] = division
            good[division.ocd_id] = division
        return good

    def match(self, division):
        found = self.by_ocd.get(division.ocd_id)
        if found is None and division.fips:
            found = self.by_fips.get(division.fips)
        return found

    def within(self, pk, ancestor_pk):
        seen = set()
        while pk is not None and pk not in seen:
            if pk == ancestor_pk:
                return True
            seen.add(pk)
            pk = self.parent_of.get(pk)
        return False

    def slug_bases(self, divisions):
        """Each new division's slug base, from its name and its state's code."""
        bases = {}
        for division in divisions:
            depth = division.ocd_id.count("/")
            if depth <= 2:
                base = division.name
            elif depth == 3:
                base = f"{division.name} {state_code(division.ocd_id)}"
            else:
                county = self.names.get(division.parent, "")
                base = f"{division.name} {county} {state_code(division.ocd_id)}"
            bases[division.ocd_id] = slugify_base(base)
        return bases

    def write(self, divisions):
        self.names = {ocd: d.name for ocd, d in divisions.items()}
        self.names.update({ocd: row["name"] for ocd, row in self.by_ocd.items()})
        new = [d for d in divisions.values() if self.match(d) is None]
        bases = self.slug_bases(new)
        shared = Counter(bases.values())
        slugs = {}
        for division in sorted(new, key=lambda d: d.ocd_id):
            base = bases[division.ocd_id]
            slug = base
            if shared[base] > 1 or base in self.slugs:
                slug = f"{base[:108]}-{division.fips or zlib.crc32(division.ocd_id.encode())}"
            slugs[division.ocd_id] = slug
            self.slugs.add(slug)

        pk_of = {ocd: row["pk"] for ocd, row in self.by_ocd.items()}
        changed, unchanged = [], 0
        by_depth = defaultdict(list)
        for division in divisions.values():
            by_depth[division.ocd_id.count("/")].append(division)
        for depth in sorted(by_depth):
            to_create = []
            for division in by_depth[depth]:
                parent_pk = pk_of.get(division.parent) if division.parent else None
                row = self.match(division)
                if row is None:
                    to_create.append(
                        Jurisdiction(
                            name=division.name,
                            kind=division.kind,
                            ocd_id=division.ocd_id,
                            fips=division.fips,
                            parent_id=parent_pk,
                            slug=slugs[division.ocd_id],
                            publication_state=PublicationState.DRAFT,
                        )
                    )
                    continue
                pk_of[division.ocd_id] = row["pk"]
                values = {
                    "name": division.name,
                    "kind": division.kind,
                    "ocd_id": division.ocd_id,
                    "fips": division.fips or row["fips"],
                    "parent_id": row["parent_id"],
                }
                # Keep a parent staff chose inside the id's parent (Chicago in Cook County).
                if parent_pk is not None and not self.within(row["parent_id"], parent_pk):
                    values["parent_id"] = parent_pk
                if any(row[key] != value for key, value in values.items()):
                    record = Jurisdiction(pk=row["pk"], **values)
                    changed.append((record, None))
                else:
                    unchanged += 1
            for record in self.write_created(Jurisdiction, to_create):
                pk_of[record.ocd_id] = record.pk
        self.write_updated(
            Jurisdiction,
            [record for record, _ in changed],
            ["name", "kind", "ocd_id", "fips", "parent_id"],
        )
        self.count(Jurisdiction, "unchanged", unchanged)
        for file in {d.file for d in divisions.values()}:
            self.cite(
                Jurisdiction,
                [Jurisdiction(pk=pk_of[d.ocd_id]) for d in divisions.values() if d.file == file],
                **division_source(file),
            )


def division_source(file):
    """The Source of one of the division files, the same whoever cites it (this importer,
    the demo data): found again by its title and URL."""
    return {
        "title": f"Open Civic Data division identifiers ({file})",
        "publisher": PUBLISHER,
        "url": URL,
        "notes": f"Imported from {file}, the division id, name and Census GEOID.",
    }


def slugify_base(text):
    return slugify(text)[:120].strip("-")
