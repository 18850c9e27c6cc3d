"""Law enforcement agencies from the FBI's agency list (Law Enforcement Employees data).

Columns used, found by header name: ori, pub_agency_name, state_abbr, county_name,
agency_type_name; the others (counts, population) are left. An agency is matched on its
ORI; failing that, a city's police or a county's sheriff already entered without an ORI
(the only one of its kind there) gets the ORI. Each is placed:

- City: the city, town, village or borough of that name in its state (a township of that
  name in its county when no municipality has it); else its county, else its state;
- County (sheriffs), Tribal, University or College, Other: the county named in
  county_name (the first, where several are named), else the state;
- State Police, Other State Agency: the state; Federal (state "FS"): the United States.

A place not found is a note in the summary, not a rejection. Names lose the FBI's
trailing commas and colons ("Peace Corps," becomes "Peace Corps").
"""

import re

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from jurisdictions.models import Agency, AgencyKind
from policytracker.importers.base import (
    Importer,
    ImportRefused,
    check_fields,
    clean_name,
    header_index,
    is_blank,
    read_csv,
)
from policytracker.importers.places import Places
from policytracker.models import PublicationState

PUBLISHER = "Federal Bureau of Investigation"
URL = "https://cde.ucr.cjis.gov/"
COLUMNS = ("ori", "pub_agency_name", "state_abbr", "county_name", "agency_type_name")
ORI_PATTERN = re.compile(r"^[A-Z0-9]{9}$")
NO_COUNTY = {"", "NULL", "NOT SPECIFIED", "N/A"}
KINDS = {
    "City": AgencyKind.POLICE,
    "County": AgencyKind.SHERIFF,
    "State Police": AgencyKind.STATE_AGENCY,
    "Other State Agency": AgencyKind.STATE_AGENCY,
    "University or College": AgencyKind.POLICE,
    "Tribal": AgencyKind.POLICE,
    "Federal": AgencyKind.FEDERAL_AGENCY,
    "Other": AgencyKind.OTHER,
}
STATE_LEVEL = {"State Police", "Other State Agency"}


class FbiAgencyImporter(Importer):
    name = "fbi"
    label = _("FBI law enforcement agencies")
    permissions = ("jurisdictions.add_agency", "jurisdictions.change_agency")
    help = (
        "Law enforcement agencies from the FBI's agency list (fbi_lee_2025.csv), matched on "
        "their ORI and placed in their state, county or city."
    )

    def plan_and_write(self, files):
        self.places = Places()
        existing = list(
            Agency.objects.values("pk", "ori", "name", "kind", "jurisdiction_id", "slug")
        )
        self.by_ori = {row["ori"]: row for row in existing if row["ori"]}
        # Agencies without an ORI, by place and kind, where only one of a kind is there.
        unclaimed = {}
        for row in existing:
            if not row["ori"] and row["kind"] in (AgencyKind.POLICE, AgencyKind.SHERIFF):
                key = (row["jurisdiction_id"], row["kind"])
                unclaimed[key] = None if key in unclaimed else row
        self.unclaimed = {key: row for key, row in unclaimed.items() if row}
        self.slugs = {row["slug"] for row in existing}
        for file in files:
            self.current_file = file.name
            self.import_file(file)

    def read(self, file):
        rows = read_csv(file, self.encoding)
        rows = [(number, row) for number, row in rows if not is_blank(row)]
        if not rows:
            raise ImportRefused(f"{file.name} has no rows.")
        index = header_index(file, rows[0][1], COLUMNS)
        seen = {}
        for number, row in rows[1:]:
            values = {
                name: row[position].strip() if position < len(row) else ""
                for name, position in index.items()
            }
            ori = values["ori"]
            if not ORI_PATTERN.match(ori):
                self.reject(number, f"the ORI {ori!r} is not 9 capital letters and digits")
                continue
            if ori in seen:
                self.reject(number, f"the ORI {ori} is also row {seen[ori]}'s")
                continue
            seen[ori] = number
            yield number, values

    def place(self, number, values):
        """The jurisdiction's pk, or None (the row is then rejected)."""
        agency_type = values["agency_type_name"]
        if agency_type == "Federal" or values["state_abbr"] == "FS":
            return self.places.nation
        state = self.places.state(values["state_abbr"])
        if state is None:
            self.reject(number, f"no state or territory {values['state_abbr']!r} is imported")
            return None
        if agency_type in STATE_LEVEL:
            return state
        county_name = values["county_name"].split(",")[0].strip()
        county = (
            None if county_name.upper() in NO_COUNTY else self.places.county(state, county_name)
        )
        if county_name.upper() not in NO_COUNTY and county is None:
            self.note(number, f"county {county_name!r} not found in {values['state_abbr']}")
        if agency_type == "City":
            city = self.places.place(state, values["name"], county)
            if city is not None:
                return city
            self.note(number, f"no single place called {values['name']!r}; placed in its county")
        return county or state

    def import_file(self, file):
        to_create, to_update, matched, unchanged = [], [], [], 0
        reading = _("Reading rows of %(file)s") % {"file": file.name}
        for number, values in self.counted(self.read(file), reading):
            name = clean_name(values["pub_agency_name"]).rstrip(",:; ")
            values["name"] = name
            kind = KINDS.get(values["agency_type_name"])
            if kind is None:
                kind = AgencyKind.OTHER
                self.note(number, f"agency type {values['agency_type_name']!r} read as other")
            problem = check_fields(Agency, {"name": name})
            if problem:
                self.reject(number, problem)
                continue
            jurisdiction = self.place(number, values)
            if jurisdiction is None:
                continue
            ori = values["ori"]
            row = self.by_ori.get(ori) or self.unclaimed.pop((jurisdiction, kind), None)
            if row is None:
                to_create.append(
                    Agency(
                        name=name,
                        kind=kind,
                        jurisdiction_id=jurisdiction,
                        ori=ori,
                        slug=self.slug(name, ori),
                        publication_state=PublicationState.DRAFT,
                    )
                )
                continue
            matched.append(Agency(pk=row["pk"]))
            if not row["ori"]:
                # Matched by place and kind: take the ORI, keep the name staff gave it.
                name, kind = row["name"], row["kind"]
            if self.places.within(row["jurisdiction_id"], jurisdiction):
                jurisdiction = row["jurisdiction_id"]  # staff placed it more precisely
            values = {"name": name, "kind": kind, "jurisdiction_id": jurisdiction, "ori": ori}
            if any(row[key] != value for key, value in values.items()):
                to_update.append(Agency(pk=row["pk"], **values))
            else:
                unchanged += 1
        created = self.write_created(Agency, to_create)
        self.write_updated(Agency, to_update, ["name", "kind", "jurisdiction_id", "ori"])
        self.count(Agency, "unchanged", unchanged)
        self.cite(
            Agency,
            [*created, *matched],
            title=f"FBI law enforcement agencies ({file.name})",
            publisher=PUBLISHER,
            url=URL,
            notes=f"Imported from {file.name}: the agency's ORI, name, state, county and type.",
        )

    def slug(self, name, ori):
        base = slugify(f"{name} {ori}")[:120].strip("-")
        slug, number = base, 2
        while slug in self.slugs:
            slug, number = f"{base[:110]}-{number}", number + 1
        self.slugs.add(slug)
        return slug
