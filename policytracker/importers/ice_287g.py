"""287(g) agreements from ICE's list of participating agencies (.xlsx or .csv).

Columns are found by header name (STATE, LAW ENFORCEMENT AGENCY, TYPE, COUNTY, SUPPORT
TYPE, SIGNED; MOA and any extra column ICE adds are ignored), so a reordered or widened
sheet reads the same. Blank rows are skipped.

ICE's list has no ids and keeps no history: each publication replaces the last. Each row's
agreement gets a stable id from its content (state, agency, model, signed date; names
compared without case, spacing or apostrophe style), `listing_id` "287g-…". Each agreement
records the date of the first and the latest list that named it. The list's date is the
`--listed-on` option, else a YYYY-MM-DD date in the file name, else today. When a list
later than an agreement's last listing no longer names it, the agreement is marked "no
longer listed" (and its status, if "in force", becomes "not recorded"): never deleted.

Quirks handled: trailing spaces, curly apostrophes (read as straight ones), `#N/A` and
`N/A` for no county. A date written `05/082025` (a slash missing) is read as 2025-05-08 and
noted; any other date that is not YYYY-MM-DD or MM/DD/YYYY rejects the row. Truncated
names ("Sheriff's Offic") are kept as ICE wrote them: they match an agency only if one has
that name; the sheriff of the county named in the row is matched first.

Local agencies are matched, in order: by name within the state (any agency, FBI or staff
entered); a county's only sheriff (TYPE County); a place's only police department (TYPE
Municipality). Otherwise the agency is created, in its county, city or state. A row whose
county or city cannot be found is placed in its state and listed in the notes.
"""

import datetime
import hashlib
import re
from collections import defaultdict

from agreements.models import Agreement, AgreementKind, AgreementStatus, ListingState
from jurisdictions.models import Agency, AgencyKind
from policytracker.dates import DatePrecision
from policytracker.importers.base import (
    Importer,
    ImportRefused,
    check_fields,
    clean_name,
    header_index,
    is_blank,
    name_key,
    read_csv,
    read_xlsx,
    unique_slug,
)
from policytracker.importers.places import Places
from policytracker.models import PublicationState

PUBLISHER = "U.S. Immigration and Customs Enforcement"
URL = "https://www.ice.gov/identify-and-arrest/287g"
ICE_NAME = "U.S. Immigration and Customs Enforcement"
ICE_NAMES = {name_key(ICE_NAME), name_key("Immigration and Customs Enforcement")}
COLUMNS = ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED")
MODELS = {
    "jail enforcement model": AgreementKind.JAIL_ENFORCEMENT_287G,
    "task force model": AgreementKind.TASK_FORCE_287G,
    "warrant service officer": AgreementKind.WARRANT_SERVICE_287G,
    "warrant service officer model": AgreementKind.WARRANT_SERVICE_287G,
}
NO_COUNTY = {"", "#n/a", "n/a", "na"}
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
SLASH_MISSING = re.compile(r"^(\d{2})/(\d{2})(\d{4})$")
DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
SHERIFF_OF = re.compile(r"^(.+?) county sheriff", re.IGNORECASE)
POLICE_WORDS = re.compile(
    r"\s+(police department|police dept\.?|police|department of public safety|"
    r"public safety department|marshal'?s office)$",
    re.IGNORECASE,
)
PLACE_PREFIX = re.compile(r"^(city|town|village|borough) of\s+", re.IGNORECASE)


def parse_signed(text):
    """(date, note): ICE's date as a date, and a note when it was read leniently."""
    text = text.strip()
    if match := ISO_DATE.match(text):
        year, month, day = match.groups()
        return datetime.date(int(year), int(month), int(day)), None
    if match := US_DATE.match(text):
        month, day, year = match.groups()
        return datetime.date(int(year), int(month), int(day)), None
    if match := SLASH_MISSING.match(text):
        month, day, year = match.groups()
        value = datetime.date(int(year), int(month), int(day))
        return value, f"signed date {text!r} read as {value.isoformat()}"
    raise ValueError(text)


def listing_id(state, agency, kind, signed):
    """The stable id of a row of ICE's list: the same content gives the same id."""
    content = "|".join((name_key(state), name_key(agency), kind, signed.isoformat()))
    return "287g-" + hashlib.sha256(content.encode()).hexdigest()[:20]


class Ice287gImporter(Importer):
    name = "287g"
    label = "ICE 287(g) participating agencies"
    permissions = (
        "agreements.add_agreement",
        "agreements.change_agreement",
        "jurisdictions.add_agency",
    )
    help = (
        "287(g) agreements from ICE's list of participating agencies (.xlsx or .csv), with "
        "first and last listed dates; agreements a later list leaves out are marked no "
        "longer listed."
    )
    extensions = (".xlsx", ".csv")

    def __init__(self, *, listed_on=None, **kwargs):
        super().__init__(**kwargs)
        self.listed_on = listed_on

    def plan_and_write(self, files):
        self.places = Places()
        if self.places.nation is None:
            raise ImportRefused(
                "There is no nation jurisdiction: import the Open Civic Data states first."
            )
        dated = sorted(((self.list_date(file), file) for file in files), key=lambda p: p[0])
        for list_date, file in dated:
            self.current_file = file.name
            self.import_file(file, list_date)

    def list_date(self, file):
        if self.listed_on:
            return self.listed_on
        match = DATE_IN_NAME.search(file.name)
        if match:
            try:
                return datetime.date.fromisoformat(match.group(1))
            except ValueError:
                pass
        return self.today

    def read(self, file):
        rows = read_xlsx(file) if file.suffix == ".xlsx" else read_csv(file, self.encoding)
        rows = [(number, row) for number, row in rows if not is_blank(row)]
        if not rows:
            raise ImportRefused(f"{file.name} has no rows.")
        index = header_index(file, rows[0][1], COLUMNS)
        for number, row in rows[1:]:
            yield (
                number,
                {
                    name: clean_name(row[position]) if position < len(row) else ""
                    for name, position in index.items()
                },
            )

    def load_agencies(self):
        self.agencies = {}  # (state pk, name key) -> agency pk
        self.by_place_kind = defaultdict(list)  # (jurisdiction pk, kind) -> agency pks
        self.ice = None
        self.agency_slugs = set()
        for row in Agency.objects.values("pk", "name", "abbreviation", "kind", "jurisdiction_id"):
            state = self.places.state_of(row["jurisdiction_id"])
            self.agencies.setdefault((state, name_key(row["name"])), row["pk"])
            self.by_place_kind[(row["jurisdiction_id"], row["kind"])].append(row["pk"])
            if row["kind"] in (AgencyKind.FEDERAL_AGENCY, AgencyKind.FEDERAL_DEPARTMENT) and (
                row["abbreviation"] == "ICE" or name_key(row["name"]) in ICE_NAMES
            ):
                self.ice = self.ice or row["pk"]
        self.agency_slugs = set(Agency.objects.values_list("slug", flat=True))

    def federal_party(self):
        if self.ice is None:
            ice = Agency(
                name=ICE_NAME,
                abbreviation="ICE",
                kind=AgencyKind.FEDERAL_AGENCY,
                jurisdiction_id=self.places.nation,
                slug=unique_slug("ice", self.agency_slugs),
                publication_state=PublicationState.DRAFT,
            )
            self.write_created(Agency, [ice])
            self.ice = ice.pk
            self.new_agencies.append(ice)
        return self.ice

    def local_party(self, number, values, state):
        """The local agency's pk: matched, or created (and noted when placed only in its state)."""
        name = values["LAW ENFORCEMENT AGENCY"]
        found = self.agencies.get((state, name_key(name)))
        if found:
            return found
        county_text = values["COUNTY"]
        county = None
        if county_text.casefold() not in NO_COUNTY:
            county = self.places.county(state, county_text)
        agency_type = values["TYPE"].casefold()
        if "sheriff" in name.casefold():
            named = SHERIFF_OF.match(name)
            county = county or (named and self.places.county(state, named.group(1)))
            kind = AgencyKind.SHERIFF
        elif agency_type == "state agency":
            kind = AgencyKind.STATE_AGENCY
        elif agency_type == "municipality":
            kind = AgencyKind.POLICE
        else:
            kind = AgencyKind.OTHER
        jurisdiction = state
        if agency_type == "state agency":
            pass
        elif agency_type == "municipality":
            place_name = PLACE_PREFIX.sub("", POLICE_WORDS.sub("", name))
            jurisdiction = self.places.place(state, place_name, county) or county or state
        else:
            jurisdiction = county or state
        if kind in (AgencyKind.SHERIFF, AgencyKind.POLICE) and jurisdiction != state:
            there = self.by_place_kind.get((jurisdiction, kind), [])
            if len(there) == 1:
                return there[0]
        if jurisdiction == state and agency_type != "state agency":
            self.note(number, f"{name}: county or city not found; placed in its state")
        agency = Agency(
            name=name,
            kind=kind,
            jurisdiction_id=jurisdiction,
            slug=unique_slug(
                f"{name} {values['STATE']}", self.agency_slugs, suffixes=(str(number),)
            ),
            publication_state=PublicationState.DRAFT,
        )
        self.write_created(Agency, [agency])
        self.new_agencies.append(agency)
        self.agencies[(state, name_key(name))] = agency.pk
        self.by_place_kind[(jurisdiction, kind)].append(agency.pk)
        return agency.pk

    def import_file(self, file, list_date):
        self.load_agencies()
        self.new_agencies = []
        existing = {
            row.listing_id: row
            for row in Agreement.objects.exclude(listing_id="").only(
                "pk",
                "listing_id",
                "listing_state",
                "status",
                "first_listed_on",
                "last_listed_on",
            )
        }
        slugs = set(Agreement.objects.values_list("slug", flat=True))
        seen, to_create, to_update, unchanged, cited = {}, [], [], 0, []
        rejected_before = len(self.summary.rejected)
        rows = list(self.read(file))
        federal = self.federal_party()
        for number, values in rows:
            state = self.places.state(values["STATE"]) if values["STATE"] else None
            if state is None:
                self.reject(number, f"state {values['STATE']!r} is not imported")
                continue
            agency_name = values["LAW ENFORCEMENT AGENCY"]
            if not agency_name:
                self.reject(number, "the agency's name is empty")
                continue
            kind = MODELS.get(values["SUPPORT TYPE"].casefold())
            if kind is None:
                self.reject(
                    number, f"support type {values['SUPPORT TYPE']!r} is not a 287(g) model"
                )
                continue
            try:
                signed, remark = parse_signed(values["SIGNED"])
            except ValueError:
                self.reject(number, f"signed date {values['SIGNED']!r} is not a date")
                continue
            if remark:
                self.note(number, remark)
            key = listing_id(values["STATE"], agency_name, kind, signed)
            if key in seen:
                self.reject(number, f"the same agreement as row {seen[key]}")
                continue
            problem = check_fields(Agency, {"name": agency_name})
            if problem:
                self.reject(number, problem)
                continue
            seen[key] = number
            agreement = existing.get(key)
            if agreement is None:
                local = self.local_party(number, values, state)
                model_label = AgreementKind(kind).label
                title = f"{agency_name}: {model_label}"
                agreement = Agreement(
                    title=title[:300],
                    slug=unique_slug(
                        f"{agency_name} {values['STATE']} {kind} {signed.isoformat()}",
                        slugs,
                        suffixes=(key[-8:],),
                    ),
                    kind=kind,
                    status=AgreementStatus.IN_FORCE,
                    local_party_id=local,
                    federal_party_id=federal,
                    signed_on=signed,
                    signed_on_precision=DatePrecision.DAY,
                    summary=(
                        f"ICE lists {agency_name} ({values['STATE'].title()}) as taking part "
                        f"in the {model_label}, signed {signed.isoformat()}."
                    ),
                    listing_id=key,
                    listing_state=ListingState.LISTED,
                    first_listed_on=list_date,
                    last_listed_on=list_date,
                    publication_state=PublicationState.DRAFT,
                )
                to_create.append(agreement)
                continue
            cited.append(agreement)
            changed = False
            if agreement.first_listed_on is None or list_date < agreement.first_listed_on:
                agreement.first_listed_on, changed = list_date, True
            if agreement.last_listed_on is None or list_date > agreement.last_listed_on:
                agreement.last_listed_on, changed = list_date, True
            if (
                agreement.last_listed_on == list_date
                and agreement.listing_state != ListingState.LISTED
            ):
                agreement.listing_state, changed = ListingState.LISTED, True
            if changed:
                to_update.append(agreement)
            else:
                unchanged += 1
        delisted = []
        if len(self.summary.rejected) > rejected_before:
            self.note(0, "rows were rejected, so no agreement is marked no longer listed")
        else:
            for agreement in existing.values():
                if (
                    agreement.listing_id not in seen
                    and agreement.listing_id.startswith("287g-")
                    and agreement.listing_state == ListingState.LISTED
                    and agreement.last_listed_on < list_date
                ):
                    agreement.listing_state = ListingState.NO_LONGER_LISTED
                    if agreement.status == AgreementStatus.IN_FORCE:
                        agreement.status = AgreementStatus.UNKNOWN
                    delisted.append(agreement)
            if delisted:
                self.note(0, f"{len(delisted)} agreements are no longer listed")
        self.write_created(Agreement, to_create)
        self.write_updated(
            Agreement,
            [*to_update, *delisted],
            ["first_listed_on", "last_listed_on", "listing_state", "status"],
        )
        self.count(Agreement, "unchanged", unchanged)
        citation = {
            "title": f"ICE 287(g) participating agencies, list of {list_date.isoformat()}",
            "publisher": PUBLISHER,
            "url": URL,
            "notes": f"Imported from {file.name}.",
        }
        self.cite(Agreement, [*to_create, *cited], **citation)
        self.cite(Agency, self.new_agencies, **citation)
