"""287(g) agreements from ICE's list of participating agencies (.xlsx or .csv).

Columns are found by header name (STATE, LAW ENFORCEMENT AGENCY, TYPE, COUNTY, SUPPORT
TYPE, SIGNED), so a reordered or widened sheet reads the same. MOA (the sheet's links) and
any column ICE adds later (ADDENDUM…) are not read; the report names them. Blank rows are
skipped. A missing column, an empty or unreadable file refuses the file whole.

ICE's list has no ids and keeps no history: each publication replaces the last. Each row's
agreement gets a stable id from its content (state, agency, model, signed date; names
compared without case, spacing or apostrophe style), `listing_id` "287g-…". Each agreement
records the date of the first and the latest list that named it. The list's date is the
`--listed-on` option, else a YYYY-MM-DD date in the file name, else today. When a list
later than an agreement's last listing no longer names it, the agreement is marked "no
longer listed" (and its status, if "in force", becomes "not recorded"): never deleted.

Quirks handled: trailing spaces, curly apostrophes (read as straight ones), `#N/A` and
`N/A` for no county. A date with its second slash missing has one reading, since the year
is its last four digits: `05/082025` is 2025-05-08 and `7/72025` is 2025-07-07, read so and
noted. A signed date with no single reading (`soon`, `2025-13-01`, `7/7/25`) or a support
type that is no 287(g) model keeps its row: the agreement is imported without the date
(or as kind "Other"), the cell's text is kept, and the field is flagged for review. Rows
that cannot stand at all (no agency name, a state not imported, a second copy of a row)
are rejected and listed; the other rows are written all the same (`keeps_good_rows`), but
no agreement is then marked no longer listed, since a rejected row may be one of them; nor
when a value was flagged, since a typo gives a listed agreement's row another id.
Truncated names ("Sheriff's Offic") are kept as ICE wrote them: they match an agency only
if one has that name; the sheriff of the county named in the row is matched first.

Local agencies are matched, in order: by name within the state (any agency, FBI or staff
entered); a county's only sheriff (TYPE County); a place's only police department (TYPE
Municipality). Otherwise the agency is created, in its county, city or state. A row whose
county or city cannot be found is placed in its state and listed in the notes.
"""

import datetime
import hashlib
import re
from collections import defaultdict

from django.utils.translation import gettext_lazy as _

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
# Columns known and left unread, with why.
NOT_READ = {"moa": "the sheet's links to each agreement, not imported"}
MODELS = {
    "jail enforcement model": AgreementKind.JAIL_ENFORCEMENT_287G,
    "task force model": AgreementKind.TASK_FORCE_287G,
    "warrant service officer": AgreementKind.WARRANT_SERVICE_287G,
    "warrant service officer model": AgreementKind.WARRANT_SERVICE_287G,
}
NO_COUNTY = {"", "#n/a", "n/a", "na"}
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# The second slash missing: the year is the last four digits, so one reading only.
SLASH_MISSING = re.compile(r"^(\d{1,2})/(\d{1,2})(\d{4})$")
DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
SHERIFF_OF = re.compile(r"^(.+?) county sheriff", re.IGNORECASE)
POLICE_WORDS = re.compile(
    r"\s+(police department|police dept\.?|police|department of public safety|"
    r"public safety department|marshal'?s office)$",
    re.IGNORECASE,
)
PLACE_PREFIX = re.compile(r"^(city|town|village|borough) of\s+", re.IGNORECASE)


def parse_signed(text):
    """(date, note): ICE's date as a date, and a note when it was read leniently.

    ValueError when the text has no single reading as a date.
    """
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
        return value, f"signed date {text!r} read as {value.isoformat()} (a slash missing)"
    raise ValueError(text)


def listing_id(state, agency, kind, signed):
    """The stable id of a row of ICE's list: the same content gives the same id.

    `kind` and `signed` are "as written: <the cell's text>" where they could not be read
    (`signed` a date otherwise), so a sheet imported again gives its flagged rows the same ids.
    """
    signed = signed.isoformat() if isinstance(signed, datetime.date) else signed
    content = "|".join((name_key(state), name_key(agency), kind, signed))
    return "287g-" + hashlib.sha256(content.encode()).hexdigest()[:20]


class Ice287gImporter(Importer):
    name = "287g"
    label = _("ICE 287(g) participating agencies")
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
    keeps_good_rows = True

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
        header = rows[0][1]
        index = header_index(file, header, COLUMNS)
        self.note_unread_columns(header, index)
        for number, row in rows[1:]:
            yield (
                number,
                {
                    name: clean_name(row[position]) if position < len(row) else ""
                    for name, position in index.items()
                },
            )

    def note_unread_columns(self, header, index):
        used = set(index.values())
        for position, name in enumerate(header):
            name = clean_name(name)
            if not name or position in used:
                continue
            why = NOT_READ.get(name.casefold(), "a column this importer does not know")
            self.note(0, f"column {name!r} not read: {why}")

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
        flagged_before = len(self.summary.flagged)
        rows = list(self.read(file))
        federal = self.federal_party()
        for number, values in self.counted(
            rows, _("Reading rows of %(file)s") % {"file": file.name}
        ):
            state = self.places.state(values["STATE"]) if values["STATE"] else None
            if state is None:
                self.reject(number, f"state {values['STATE']!r} is not imported")
                continue
            agency_name = values["LAW ENFORCEMENT AGENCY"]
            if not agency_name:
                self.reject(number, "the agency's name is empty")
                continue
            unread = {}  # field -> (the cell's text, why it was not read)
            kind = MODELS.get(values["SUPPORT TYPE"].casefold())
            if kind is None:
                unread["kind"] = (values["SUPPORT TYPE"], "not one of the 287(g) models")
            try:
                signed, remark = parse_signed(values["SIGNED"])
            except ValueError:
                signed, remark = None, None
                unread["signed_on"] = (
                    values["SIGNED"],
                    "no single reading as a date" if values["SIGNED"] else "empty",
                )
            if remark:
                self.note(number, remark)
            key = listing_id(
                values["STATE"],
                agency_name,
                kind or f"as written: {values['SUPPORT TYPE']}",
                signed or f"as written: {values['SIGNED']}",
            )
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
                model_label = (
                    AgreementKind(kind).label if kind else f"287(g) {values['SUPPORT TYPE']}"
                )
                title = f"{agency_name}: {model_label}"
                signed_iso = signed.isoformat() if signed else ""
                agreement = Agreement(
                    title=title[:300],
                    slug=unique_slug(
                        f"{agency_name} {values['STATE']} {kind or 'other'} {signed_iso}",
                        slugs,
                        suffixes=(key[-8:],),
                    ),
                    kind=kind or AgreementKind.OTHER,
                    status=AgreementStatus.IN_FORCE,
                    local_party_id=local,
                    federal_party_id=federal,
                    signed_on=signed,
                    signed_on_precision=DatePrecision.DAY if signed else "",
                    summary=(
                        f"ICE lists {agency_name} ({values['STATE'].title()}) as taking part "
                        f"in the {model_label}, signed {signed_iso or 'on a date not recorded'}."
                    ),
                    listing_id=key,
                    listing_state=ListingState.LISTED,
                    first_listed_on=list_date,
                    last_listed_on=list_date,
                    publication_state=PublicationState.DRAFT,
                )
                to_create.append(agreement)
            else:
                cited.append(agreement)
            for field_name, (text, why) in unread.items():
                self.flag(number, agreement, field_name, text, why)
            if agreement.pk is None:
                continue
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
        elif len(self.summary.flagged) > flagged_before:
            # A typo in a listed agreement's row gives it another id: it is not gone.
            self.note(0, "values were flagged, so no agreement is marked no longer listed")
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
        self.cite(
            Agreement,
            [*to_create, *cited],
            locator=lambda agreement: f"row {seen[agreement.listing_id]}",
            **citation,
        )
        self.cite(Agency, self.new_agencies, **citation)
