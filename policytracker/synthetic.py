"""A synthetic dataset at any scale, for benchmarks and load tests: plausible, never real.

`generate(records=N, seed=S)` fills an empty database with about N published records, split
across the record types in the proportions of `SPLIT`, and cites each with one to three
sources (documents, not counted in N), each citation quoting a passage. The same seed gives
the same data, whenever it runs.

The places form a real hierarchy: the United States, then states (real names, FIPS codes
and Open Civic Data ids), then counties and cities, towns and villages whose names are made
up from syllables, with FIPS codes and OCD ids of the right shape that no real place has
to share. Agencies are the police and sheriffs of those places, state bodies, and the real
federal components (DHS, ICE, ERO, HSI, CBP…) with their chain of command. Texts are
paragraphs built from sentence templates in the voice of ordinances, agreements and
statements, so that full-text search has realistic words to find.

Every row satisfies the models' database constraints and their clean() rules: dates are
drawn in order and then cut to their precision, which keeps them in order at any precision.
"""

import datetime
import random
import re
from collections import Counter, defaultdict

from django.db import reset_queries, transaction
from django.utils.text import slugify

from agreements.models import Agreement, AgreementKind, AgreementStatus, Statement
from jurisdictions.models import (
    Agency,
    AgencyKind,
    Containment,
    Jurisdiction,
    JurisdictionKind,
    Ordinance,
    OrdinanceKind,
    OrdinanceStatus,
)
from policytracker.dates import DatePrecision
from policytracker.models import Citation, PublicationState, Source, SourceKind

# How N records divide between the types: the share of each (statements take the rest).
SPLIT = {
    "jurisdiction": 0.10,
    "agency": 0.20,
    "ordinance": 0.25,
    "agreement": 0.15,
    "statement": 0.30,
}
# Below this the hierarchy and the nine federal agencies no longer fit the split.
MINIMUM_RECORDS = 100
BATCH_SIZE = 2000

# Dates are drawn up to a fixed day, not today, so that a seed always gives the same data.
FIRST_DAY = datetime.date(2001, 1, 1)
LAST_DAY = datetime.date(2025, 6, 30)

PUBLISHED = PublicationState.PUBLISHED
DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR

# The models whose rows make a database "not empty" for the generator.
RECORD_MODELS = (Jurisdiction, Agency, Ordinance, Agreement, Statement, Source, Citation)


class DatabaseNotEmpty(Exception):
    """The database already holds records: synthetic data is never mixed with them."""


def record_counts(records):
    """How many records of each type make `records` in all."""
    counts = {name: round(records * share) for name, share in SPLIT.items()}
    counts["statement"] = records - sum(n for name, n in counts.items() if name != "statement")
    return counts


def existing_records():
    return sum(model._default_manager.count() for model in RECORD_MODELS)


def generate(*, records, seed=1, batch_size=BATCH_SIZE):
    """Fill an empty database with `records` synthetic records and their sources.

    One transaction: a failure leaves the database as it was. Returns how many rows of each
    kind it made. Raises DatabaseNotEmpty if any record or source exists already.
    """
    if records < MINIMUM_RECORDS:
        raise ValueError(f"Generate at least {MINIMUM_RECORDS} records.")
    with transaction.atomic():
        found = existing_records()
        if found:
            raise DatabaseNotEmpty(
                f"The database already holds {found} records or sources; synthetic data goes "
                "only into an empty database (create a fresh one, or flush this one)."
            )
        builder = DatasetBuilder(random.Random(seed), record_counts(records), batch_size)
        builder.build()
    return builder.made


# --- Facts: the states, with their FIPS codes and the number of counties each has. --------

STATES = [
    # name, postal abbreviation, FIPS, counties (or county equivalents)
    ("Alabama", "AL", "01", 67),
    ("Alaska", "AK", "02", 30),
    ("Arizona", "AZ", "04", 15),
    ("Arkansas", "AR", "05", 75),
    ("California", "CA", "06", 58),
    ("Colorado", "CO", "08", 64),
    ("Connecticut", "CT", "09", 8),
    ("Delaware", "DE", "10", 3),
    ("District of Columbia", "DC", "11", 0),
    ("Florida", "FL", "12", 67),
    ("Georgia", "GA", "13", 159),
    ("Hawaii", "HI", "15", 5),
    ("Idaho", "ID", "16", 44),
    ("Illinois", "IL", "17", 102),
    ("Indiana", "IN", "18", 92),
    ("Iowa", "IA", "19", 99),
    ("Kansas", "KS", "20", 105),
    ("Kentucky", "KY", "21", 120),
    ("Louisiana", "LA", "22", 64),
    ("Maine", "ME", "23", 16),
    ("Maryland", "MD", "24", 24),
    ("Massachusetts", "MA", "25", 14),
    ("Michigan", "MI", "26", 83),
    ("Minnesota", "MN", "27", 87),
    ("Mississippi", "MS", "28", 82),
    ("Missouri", "MO", "29", 115),
    ("Montana", "MT", "30", 56),
    ("Nebraska", "NE", "31", 93),
    ("Nevada", "NV", "32", 17),
    ("New Hampshire", "NH", "33", 10),
    ("New Jersey", "NJ", "34", 21),
    ("New Mexico", "NM", "35", 33),
    ("New York", "NY", "36", 62),
    ("North Carolina", "NC", "37", 100),
    ("North Dakota", "ND", "38", 53),
    ("Ohio", "OH", "39", 88),
    ("Oklahoma", "OK", "40", 77),
    ("Oregon", "OR", "41", 36),
    ("Pennsylvania", "PA", "42", 67),
    ("Rhode Island", "RI", "44", 5),
    ("South Carolina", "SC", "45", 46),
    ("South Dakota", "SD", "46", 66),
    ("Tennessee", "TN", "47", 95),
    ("Texas", "TX", "48", 254),
    ("Utah", "UT", "49", 29),
    ("Vermont", "VT", "50", 14),
    ("Virginia", "VA", "51", 133),
    ("Washington", "WA", "53", 39),
    ("West Virginia", "WV", "54", 55),
    ("Wisconsin", "WI", "55", 72),
    ("Wyoming", "WY", "56", 23),
]
# What a county is called where it is not a county, for names and OCD ids.
COUNTY_WORD = {"LA": "Parish", "AK": "Borough"}
TOWNSHIP_STATES = {"MI", "NJ", "OH", "PA", "IN", "MN", "WI", "NY"}
BOROUGH_STATES = {"PA", "NJ", "CT"}

# The federal bodies, parents first: name, abbreviation, kind, parent's abbreviation.
FEDERAL_AGENCIES = [
    ("Department of Homeland Security", "DHS", AgencyKind.FEDERAL_DEPARTMENT, None),
    ("U.S. Immigration and Customs Enforcement", "ICE", AgencyKind.FEDERAL_AGENCY, "DHS"),
    ("Enforcement and Removal Operations", "ERO", AgencyKind.FEDERAL_AGENCY, "ICE"),
    ("Homeland Security Investigations", "HSI", AgencyKind.FEDERAL_AGENCY, "ICE"),
    ("U.S. Customs and Border Protection", "CBP", AgencyKind.FEDERAL_AGENCY, "DHS"),
    ("U.S. Border Patrol", "USBP", AgencyKind.FEDERAL_AGENCY, "CBP"),
    ("Department of Justice", "DOJ", AgencyKind.FEDERAL_DEPARTMENT, None),
    ("Federal Bureau of Investigation", "FBI", AgencyKind.FEDERAL_AGENCY, "DOJ"),
    ("U.S. Marshals Service", "USMS", AgencyKind.FEDERAL_AGENCY, "DOJ"),
]

# --- Made-up names. ----------------------------------------------------------------------


def word_list(text):
    """The words of running text: long lists of names read and grow more easily this way."""
    return text.split()


PLACE_HEADS = word_list(
    "Ash Bel Birch Black Bramble Brook Cedar Clay Clear Cold Copper Cotton Crow Deer Eagle "
    "Elm Fair Fern Fox Glen Gold Granite Green Hazel Heron Hick Holly Iron Kings Lark Lin "
    "Maple Marsh Mead Mill Moss Oak Orchard Otter Pine Plum Quarry Raven Red Ridge River "
    "Rock Rose Salt Sand Shady Silver Spring Stone Sugar Sun Thorn Walnut Willow Wind Wolf"
)
PLACE_TAILS = word_list(
    "ford ton ville field wood dale burg port view haven ridge land mont crest bury ham wick "
    "ley brook creek falls springs grove mill bridge stead worth"
)
PLACE_PREFIXES = ["New ", "East ", "West ", "North ", "South ", "Port ", "Mount ", "Lake "]
COUNTY_NAMESAKES = word_list(
    "Adair Alcorn Allegany Ballard Barrow Benton Blaine Boone Bracken Breckin Calloway "
    "Carroll Chilton Clermont Colfax Crittenden Dearborn Dekalb Elbert Emmet Fayette "
    "Fulton Gallatin Garfield Grundy Hamlin Harlan Hendry Hickman Jasper Kearny Lamar "
    "Lawrence Logan Macon Marion Meigs Mercer Monroe Muhlen Nash Newton Pickens Pike "
    "Pulaski Putnam Rankin Rowan Scioto Shelby Stokes Sumter Tipton Trigg Tyler Union "
    "Vinton Wabash Warren Wayne Whitley Wilkes Yancey"
)

FIRST_NAMES = word_list(
    "Adaeze Adrian Aisha Alejandro Alma Amara Anders Andrea Anton Beatriz Benedict Brigid "
    "Camille Carmen Cedric Chiara Clement Colette Cornelius Dalia Damian Delphine Desmond "
    "Dolores Dmitri Eamon Edith Elena Emeka Esperanza Eugene Fatima Felix Fiona Florian "
    "Gareth Gemma Gideon Graciela Gunnar Harriet Hector Hilda Ignacio Imogen Ingrid Isidore "
    "Jasper Joaquin Josephine Kamala Kenji Lavinia Leopold Lorena Lucian Magdalena Malcolm "
    "Marguerite Matthias Maximilian Mercedes Milo Nadia Nikolai Noemi Octavia Oluwaseun "
    "Orson Perpetua Philippa Quentin Rafael Reginald Rosalind Rufus Saoirse Sebastian "
    "Silvia Soren Tabitha Thaddeus Theodora Ulrich Valentina Vaughn Wilhelmina Xavier "
    "Yolanda Yusuf Zenobia Zoltan"
)
SURNAMES = word_list(
    "Abernathy Achterberg Adeyemi Albrecht Alvarado Amundsen Anastasiou Ashcroft Balogun "
    "Baptiste Barrientos Beauchamp Bergstrom Bialik Blackwood Boatwright Brannigan "
    "Castellanos Chakraborty Cienfuegos Czerwinski Dabrowski Delacroix Desrosiers Dimitriou "
    "Donnelly Drummond Dziedzic Echeverria Eggleston Ellingson Esposito Fairweather "
    "Fernsworth Fitzgerald Fonseca Gallagher Garibaldi Gottlieb Grabowski Gunderson "
    "Halvorsen Hargreaves Hathaway Hernandez Hollingsworth Ibarra Iwasaki Jablonski "
    "Jaramillo Kaczmarek Kavanagh Kettleborough Kowalczyk Krishnamurthy Lachapelle "
    "Lindqvist Llewellyn Lombardi Lundqvist MacAllister Machado Magnusson Marchetti "
    "Mbeki McCloskey Mendelsohn Montgomery Nakamura Nwachukwu Oberholtzer Okonkwo "
    "Olafsson Ortega Pacheco Pappalardo Pemberton Pettigrew Quinlan Quintanilla "
    "Rasmussen Ravensworth Rodriguez Rosenthal Saavedra Santangelo Schoenberg Scarborough "
    "Sokolowski Stavropoulos Szymanski Thibodeaux Throckmorton Trujillo Underwood "
    "Valenzuela Vanderbilt Villanueva Wadsworth Wasserman Whitcombe Wojciechowski "
    "Yamamoto Yarborough Zamora Zielinski"
)
NEWSPAPERS = ["Gazette", "Courier", "Herald", "Tribune", "Ledger", "Sentinel", "Record"]

# --- The words of the texts. ---------------------------------------------------------------

# Slots a template may use besides the record's own ({place}, {agency}, {federal}…).
POOLS = {
    "topic": [
        "civil immigration detainers",
        "administrative warrants",
        "release notification requests",
        "access to the county jail by federal agents",
        "the 287(g) program",
        "joint task forces",
        "information sharing with federal agencies",
        "inquiries into immigration status",
        "the welcoming city policy",
        "custody transfers to ICE",
        "courthouse arrests",
        "sensitive locations",
        "the confidentiality of personal information",
        "the use of local resources for immigration enforcement",
        "federal grant conditions",
        "interviews of people in custody",
        "language access in policing",
    ],
    "detainer": [
        "civil immigration detainers",
        "ICE detainer requests",
        "immigration holds",
        "requests to hold a person beyond their release date",
    ],
    "warrant": [
        "a judicial warrant",
        "a warrant signed by a judge",
        "a criminal warrant",
        "an order of a court",
    ],
    "admin_warrant": [
        "an administrative warrant",
        "an immigration warrant signed by an ICE officer",
        "a civil immigration warrant",
    ],
    "facility": ["county jail", "detention center", "booking facility", "holding facility"],
    "employee": ["officer", "employee", "agent", "deputy"],
    "shall": ["shall", "must"],
    "status": ["citizenship or immigration status", "immigration status", "place of birth"],
    "info": [
        "citizenship or immigration status",
        "immigration status",
        "release date",
        "home address",
        "booking record",
    ],
    "offense": ["forcible felony", "violent felony", "serious offense", "felony with a weapon"],
    "period": ["quarter", "year", "six months"],
    "days": ["30", "60", "90", "180"],
    "hours": ["24", "40", "80", "120"],
    "count": ["a dozen", "several hundred", "more than forty", "nineteen", "about two hundred"],
    "residents": [
        "residents",
        "immigrant families",
        "victims and witnesses",
        "neighbors",
        "working families",
    ],
    "value": [
        "public safety",
        "trust between police and residents",
        "the rule of law",
        "the safety of our officers",
        "equal treatment under the law",
    ],
    "verb_limit": ["limits", "restricts", "governs", "sets conditions on"],
    "verb_report": ["said", "stated", "told reporters", "wrote", "announced"],
}

ORDINANCE_SENTENCES = [
    "No {employee} of {place} may detain a person solely on the basis of {detainer}.",
    "The {agency} {shall} not permit federal agents to interview a person in custody without "
    "{warrant}.",
    "Nothing in this section prohibits the {agency} from complying with {warrant}.",
    "No {employee} may ask a person about their {status} except where state or federal law "
    "requires it.",
    "The {agency} may answer a request for notification of release only where the person has "
    "been convicted of a {offense}.",
    "Every {period}, the {agency} {shall} publish a report on {topic}.",
    "An {employee} who receives {admin_warrant} {shall} refer it to the legal counsel of {place}.",
    "No funds, facilities or personnel of {place} may be used to assist in the "
    "enforcement of civil immigration law.",
    "This chapter {verb_limit} the conditions under which {place} cooperates with {federal}.",
    "Records of a person's {info} {shall} be kept confidential and disclosed only as the law "
    "requires.",
    "The {agency} {shall} not enter into an agreement under section 287(g) of the Immigration "
    "and Nationality Act without a vote of the governing body.",
    "Any person held in the {facility} {shall} receive written notice of an immigration "
    "detainer lodged against them.",
    "A complaint alleging a violation of this chapter may be filed with the inspector "
    "general of {place}.",
    "Sections of this chapter are severable; if one is held invalid, the others remain in effect.",
    "The terms civil immigration detainer, administrative warrant and judicial warrant have "
    "the meanings given in this section.",
    "This ordinance takes effect {days} days after its adoption and publication.",
]
ORDINANCE_SUMMARIES = [
    "{title} {verb_limit} how {place} and the {agency} respond to {topic}.",
    "It addresses {topic} and {topic2}, and applies to every {employee} of {place}.",
    "The text allows cooperation with {federal} only where there is {warrant}.",
    "It was adopted after public hearings at which {residents} spoke about {value}.",
    "It requires the {agency} to report on {topic} every {period}.",
]
# What an agreement says: sentences every kind shares, then those of each kind's family.
AGREEMENT_SENTENCES = {
    "common": [
        "Either party may end this agreement on {days} days' written notice to the other.",
        "The parties {shall} meet every {period} to review the operation of this agreement.",
        "Each party bears its own costs except where this agreement provides otherwise.",
        "This agreement {shall} be reviewed by the parties every {period}.",
    ],
    "287g": [
        "This agreement sets out the terms under which {federal} delegates authority to "
        "designated officers of the {agency}.",
        "Participating officers {shall} complete {hours} hours of training provided by "
        "{federal} before exercising delegated authority.",
        "The {agency} remains responsible for the salaries and benefits of participating "
        "officers.",
        "Delegated authority is limited to persons booked into the {facility} on state or "
        "local charges.",
        "A supervisor of {federal} {shall} review the immigration actions of participating "
        "officers.",
        "Complaints about participating officers {shall} be referred to {federal} and to the "
        "internal affairs unit of the {agency}.",
        "Participating officers may serve {admin_warrant} on a person already in custody.",
    ],
    "task_force": [
        "Officers assigned to the task force {shall} remain under the command of the {agency}.",
        "{federal} may reimburse overtime and travel costs incurred by task force members.",
        "Task force members may be cross-designated to enforce federal customs law.",
        "Cases developed by the task force {shall} be presented to the United States "
        "Attorney for prosecution.",
    ],
    "detention": [
        "Persons held under this contract {shall} be housed in the {facility} at the daily "
        "rate set in the schedule.",
        "The {agency} {shall} give {federal} notice of any death or serious injury in custody "
        "within {hours} hours.",
        "Detainees {shall} have access to counsel, telephones and medical care on the same "
        "terms as other persons held in the {facility}.",
    ],
    "sharing": [
        "Information about persons encountered under this agreement {shall} be shared with "
        "{federal} through its case management system.",
        "The {agency} {shall} share booking records, including fingerprints, with {federal}.",
        "Shared records {shall} not include a person's {info} unless the law requires it.",
    ],
}
AGREEMENT_FAMILIES = {
    AgreementKind.JAIL_ENFORCEMENT_287G: "287g",
    AgreementKind.TASK_FORCE_287G: "287g",
    AgreementKind.WARRANT_SERVICE_287G: "287g",
    AgreementKind.CUSTOMS_CROSS_DESIGNATION: "task_force",
    AgreementKind.TASK_FORCE: "task_force",
    AgreementKind.DETENTION_CONTRACT: "detention",
    AgreementKind.INFORMATION_SHARING: "sharing",
    AgreementKind.OTHER: "sharing",
}
# What to call each kind in a title or a sentence.
AGREEMENT_NOUNS = {
    AgreementKind.JAIL_ENFORCEMENT_287G: "287(g) jail enforcement agreement",
    AgreementKind.TASK_FORCE_287G: "287(g) task force agreement",
    AgreementKind.WARRANT_SERVICE_287G: "287(g) warrant service officer agreement",
    AgreementKind.CUSTOMS_CROSS_DESIGNATION: "customs cross-designation agreement",
    AgreementKind.TASK_FORCE: "task force memorandum of understanding",
    AgreementKind.DETENTION_CONTRACT: "detention contract",
    AgreementKind.INFORMATION_SHARING: "information sharing agreement",
    AgreementKind.OTHER: "cooperation agreement",
}
AGREEMENT_EXCLUSIONS = [
    "This agreement does not authorize the enforcement of civil immigration law outside the "
    "{facility}.",
    "Participating officers {shall} not make arrests at schools, places of worship or hospitals.",
    "Traffic stops and calls for service are outside the scope of this agreement.",
    "Nothing in this agreement allows the {agency} to hold a person on {detainer} alone.",
    "Civil immigration enforcement is expressly excluded.",
    "The agreement does not cover persons under the age of eighteen.",
]
# What anyone may say in a statement; an agency's own voice adds OFFICIAL_SENTENCES.
STATEMENT_SENTENCES = [
    "Trust between {residents} and police is what keeps {place} safe.",
    "{speaker_title} {surname} {verb_report} that the {agency} should review its policy on "
    "{topic}.",
    "According to {federal}, {count} detainers lodged with the {agency} were declined last year.",
    "The law is clear: local police are not federal immigration agents.",
    "{place} must not trade the trust of {residents} for federal grant money.",
    "Releasing people wanted by {federal} puts {residents} at risk.",
    "{surname} called the decision a matter of {value}.",
    "This is about {value}, not politics.",
    "Everyone in {place} deserves to know what the rules on {topic} are.",
]
OFFICIAL_SENTENCES = [
    "Our officers do not ask about {status}, and they will not start now.",
    "We will continue to honor {detainer} when they come with {warrant}.",
    "The partnership with {federal} keeps dangerous offenders off the streets of {place}.",
    "We are asking {federal} to obtain {warrant} before taking anyone from the {facility}.",
    "The {agency} has received {count} requests concerning {topic} since January.",
    "We have asked our attorneys to study the effect of the new rules on {topic}.",
    "We will follow the law of the state and the orders of the courts on {topic}.",
]


class Writer:
    """Sentences and paragraphs from templates, the slots filled from the record or POOLS."""

    def __init__(self, rng):
        self.rng = rng

    def pick(self, options):
        return options[self.rng.randrange(len(options))]

    def sentence(self, template, context):
        values = _Slots(self, context)
        text = template.format_map(values)
        return text[0].upper() + text[1:]

    def paragraph(self, templates, context, sentences=(2, 5)):
        count = min(len(templates), self.rng.randint(*sentences))
        return " ".join(
            self.sentence(template, context) for template in self.rng.sample(templates, count)
        )

    def paragraphs(self, templates, context, count=(1, 4), sentences=(2, 5)):
        return "\n\n".join(
            self.paragraph(templates, context, sentences) for _ in range(self.rng.randint(*count))
        )

    def sections(self, templates, context, count=(3, 10)):
        """A long legal text: numbered sections of a few sentences each."""
        return "\n\n".join(
            f"Section {number}. " + self.paragraph(templates, context, (2, 4))
            for number in range(1, self.rng.randint(*count) + 1)
        )


class _Slots(dict):
    """The record's own values first; any other slot draws from POOLS."""

    def __init__(self, writer, context):
        super().__init__(context)
        self.writer = writer

    def __missing__(self, key):
        return self.writer.pick(POOLS[key.rstrip("0123456789")])


class Slugs:
    """Unique slugs for one model: the text's slug, then -2, -3… where it is taken."""

    def __init__(self):
        self.taken = set()
        self.next_number = {}

    def make(self, text):
        base = slugify(text)[:110].strip("-") or "record"
        slug = base
        while slug in self.taken:
            self.next_number[base] = self.next_number.get(base, 1) + 1
            slug = f"{base}-{self.next_number[base]}"
        self.taken.add(slug)
        return slug


def initials(name):
    """CPD from Chicago Police Department; MCSO from Marlow County Sheriff's Office."""
    words = re.findall(r"[A-Za-z][A-Za-z'.]*", name)
    small = {"of", "the", "and", "for", "on", "to"}
    return "".join(word[0].upper() for word in words if word.lower() not in small)[:30]


def ocd_part(name):
    return name.lower().replace(" ", "_").replace("'", "")


def dates_in_order(rng, gaps, latest=LAST_DAY):
    """Dates with these gaps (in days) between them, the last no later than `latest`."""
    span = sum(gaps)
    first = FIRST_DAY + datetime.timedelta(
        days=rng.randint(0, max(0, (latest - FIRST_DAY).days - span))
    )
    found = [first]
    for gap in gaps:
        found.append(found[-1] + datetime.timedelta(days=gap))
    return found


def with_precision(rng, value, weights=(75, 18, 7)):
    """A date and the precision a source gives it, cut to the first day of its period.

    Cutting each of a list of ordered dates keeps them in order, read at their precision,
    so the date-order constraints hold whatever precision each one gets.
    """
    if value is None:
        return None, ""
    precision = rng.choices((DAY, MONTH, YEAR), weights)[0]
    return precision.truncate(value), precision.value


class DatasetBuilder:
    """Builds and inserts the dataset, type by type, in batches: places first, sources last.

    Keeps in memory only what later types refer to (places, agencies, and the ids of
    ordinances, agreements and statements by place), so memory stays modest at any scale.
    """

    def __init__(self, rng, counts, batch_size):
        self.rng = rng
        self.counts = counts
        self.batch_size = batch_size
        self.write = Writer(rng)
        self.slugs = defaultdict(Slugs)
        self.made = Counter()
        self.pending_sources, self.pending_citations = [], []
        self.sources = {}  # (title, url): the one Source of that document, in this batch
        # What later types refer to.
        self.places_by_level = defaultdict(list)  # "nation", "state", "county", "place"
        self.agencies_by_place = defaultdict(list)
        self.agencies_by_kind = defaultdict(list)
        self.federal = {}
        self.officials = {}  # agency pk: (first name, surname, title), one per agency
        self.ordinances_by_place = defaultdict(list)
        self.agreements_by_place = defaultdict(list)
        self.statements_by_place = defaultdict(list)

    def build(self):
        self.build_jurisdictions()
        Containment.objects.rebuild()  # bulk_create skipped Jurisdiction.save()
        self.build_agencies()
        self.build_ordinances()
        self.build_agreements()
        self.build_statements()
        self.flush_sources(final=True)

    # --- Inserting. -----------------------------------------------------------------------

    def insert(self, model, objects):
        model._default_manager.bulk_create(objects, batch_size=self.batch_size)
        self.made[str(model._meta.verbose_name_plural)] += len(objects)
        # DEBUG keeps the text of every query; these are large, so forget them as we go.
        reset_queries()

    def cite(self, record, title, publisher, kind, url_path, when=None):
        """Queue a source for `record`, inserted once the record has its primary key."""
        published_on, precision = with_precision(self.rng, when, (60, 30, 10))
        accessed = LAST_DAY - datetime.timedelta(days=self.rng.randint(0, 900))
        if published_on and accessed < published_on:
            accessed = None
        # A host name label may not end with a hyphen; .example is reserved for examples.
        domain = slugify(publisher)[:40].strip("-") or "records"
        url = f"https://{domain}.example/{url_path}"
        source = self.sources.get((title, url))
        if source is None:
            source = Source(
                title=title[:300],
                publisher=publisher[:200],
                kind=kind,
                url=url,
                published_on=published_on,
                published_on_precision=precision,
                accessed_on=accessed,
            )
            self.sources[(title, url)] = source
            self.pending_sources.append(source)
        citation = Citation(source=source, excerpt=self.excerpt_of(record))
        setattr(citation, Citation.target_field_for(record), record)
        self.pending_citations.append(citation)

    def flush_sources(self, final=False):
        """Insert the queued documents, then the citations of them."""
        if self.pending_citations and (final or len(self.pending_citations) >= self.batch_size):
            self.insert(Source, self.pending_sources)
            for citation in self.pending_citations:
                citation.source_id = citation.source.pk
            self.insert(Citation, self.pending_citations)
            # Forgotten with each batch, so memory stays flat: a document repeated across
            # batches is stored again, as two staff entering it apart would.
            self.pending_sources, self.pending_citations, self.sources = [], [], {}

    def source_count(self):
        return self.rng.choices((1, 2, 3), (50, 35, 15))[0]

    def excerpt_of(self, record):
        """The passage a source quotes: a sentence of the record's own text."""
        text = getattr(record, "text", "") or getattr(record, "scope", "") or record.summary
        sentences = [part for part in text.replace("\n\n", " ").split(". ") if part]
        excerpt = self.write.pick(sentences).strip()
        return excerpt if excerpt.endswith(".") else f"{excerpt}."

    # --- Places. --------------------------------------------------------------------------

    def build_jurisdictions(self):
        total = self.counts["jurisdiction"]
        nation = self.jurisdiction(
            "United States",
            JurisdictionKind.NATION,
            None,
            "ocd-division/country:us",
            "",
            "The United States of America, whose federal agencies enforce immigration law.",
        )
        self.insert(Jurisdiction, [nation])
        self.places_by_level["nation"].append(nation)

        state_count = min(len(STATES), max(1, (total - 1) // 8))
        chosen = STATES
        if state_count < len(STATES):
            # A small dataset takes a sample of the fifty states (DC has no counties).
            with_counties = [state for state in STATES if state[3]]
            chosen = sorted(self.rng.sample(with_counties, state_count), key=lambda s: s[2])
        states = []
        for name, postal, fips, _counties in chosen:
            if postal == "DC":
                kind, ocd = JurisdictionKind.TERRITORY, "ocd-division/country:us/district:dc"
                summary = "The District of Columbia, the seat of the federal government."
            else:
                kind, ocd = JurisdictionKind.STATE, f"ocd-division/country:us/state:{postal}"
                summary = f"{name}, one of the fifty states of the United States."
            state = self.jurisdiction(name, kind, nation, ocd.lower(), fips, summary)
            # Kept on the instance for the builder's own use: names, slugs and OCD ids
            # of what lies inside. Every place below the nation knows its state.
            state.postal, state.state = postal, state
            states.append(state)
        self.insert(Jurisdiction, states)
        self.places_by_level["state"] = states

        remaining = total - 1 - len(states)
        with_counties = [state for state in states if state.postal != "DC"]
        county_count = min(remaining - 1, max(len(with_counties), round(remaining / 7)))
        counties = self.build_counties(with_counties, county_count)
        self.build_places(counties, remaining - len(counties))
        for level in ("nation", "state", "county", "place"):
            for place in self.places_by_level[level]:
                for _ in range(self.source_count()):
                    self.cite_place(place)
                self.flush_sources()

    def jurisdiction(self, name, kind, parent, ocd_id, fips, summary, slug_text=None):
        return Jurisdiction(
            name=name,
            slug=self.slugs["jurisdiction"].make(slug_text or name),
            kind=kind,
            parent=parent,
            ocd_id=ocd_id,
            fips=fips,
            summary=summary,
            publication_state=PUBLISHED,
        )

    def build_counties(self, states, count):
        # Every state has one; the rest go where real counties are, up to 499 a state
        # (county FIPS codes are odd numbers from 001).
        per_state = Counter({state.pk: 1 for state in states})
        real_counts = {postal: counties for _, postal, _, counties in STATES}
        weights = [real_counts[state.postal] for state in states]
        count = min(count, 499 * len(states))
        while sum(per_state.values()) < count:
            state = self.rng.choices(states, weights)[0]
            if per_state[state.pk] < 499:
                per_state[state.pk] += 1
        counties = []
        for state in states:
            word = COUNTY_WORD.get(state.postal, "County")
            names = self.unique_names(per_state[state.pk], self.county_name)
            for number, base in enumerate(names):
                name = f"{base} {word}"
                county = self.jurisdiction(
                    name,
                    JurisdictionKind.COUNTY,
                    state,
                    f"{state.ocd_id}/{word.lower()}:{ocd_part(base)}",
                    f"{state.fips}{2 * number + 1:03d}",
                    f"{name} is a county of {state.name}. Its sheriff's office runs the county "
                    f"{self.write.pick(POOLS['facility'])}.",
                    slug_text=f"{name} {state.postal}",
                )
                county.state = state
                counties.append(county)
        self.insert(Jurisdiction, counties)
        self.places_by_level["county"] = counties
        return counties

    def build_places(self, counties, count):
        # Every county has a place (there are always more places than counties); the rest
        # go to counties of uneven size, as real ones are.
        per_county = [1] * len(counties)
        weights = [self.rng.lognormvariate(0, 1) for _ in counties]
        for index in self.rng.choices(range(len(counties)), weights, k=count - len(counties)):
            per_county[index] += 1
        by_state = defaultdict(list)
        for county, places in zip(counties, per_county, strict=True):
            by_state[county.state.pk].append((county, places))
        built = []
        for county_list in by_state.values():
            state = county_list[0][0].state
            wanted = sum(places for _, places in county_list)
            names = iter(self.unique_names(wanted, self.place_name))
            # Census place codes are five digits, unique within the state.
            codes = iter(sorted(self.rng.sample(range(100, 99990), wanted)))
            for county, places in county_list:
                for _ in range(places):
                    name, kind = next(names), self.place_kind(state.postal)
                    built.append(
                        self.jurisdiction(
                            name,
                            kind,
                            county,
                            f"{state.ocd_id}/place:{ocd_part(name)}",
                            f"{state.fips}{next(codes):05d}",
                            f"{name} is a {kind} in {county.name}, {state.name}.",
                            slug_text=f"{name} {state.postal}",
                        )
                    )
                    built[-1].state = state
        self.insert(Jurisdiction, built)
        self.places_by_level["place"] = built

    def cite_place(self, place):
        choice = self.rng.randrange(3)
        if choice == 0 and place.fips:
            self.cite(
                place,
                f"Geographic identifiers: {place.name}",
                "U.S. Census Bureau",
                SourceKind.DATASET,
                f"geo/{place.fips}",
            )
        elif choice == 1:
            self.cite(
                place,
                f"Division list entry for {place.name}",
                "Open Civic Data",
                SourceKind.DATASET,
                f"divisions/{place.slug}",
            )
        else:
            self.cite(
                place,
                f"Official website of {place.name}",
                place.name,
                SourceKind.OFFICIAL_RECORD,
                "about",
            )

    def unique_names(self, count, make):
        names, seen = [], set()
        while len(names) < count:
            name = make()
            if name in seen:
                # After many tries, a prefix makes room: there are far more of those.
                name = self.write.pick(PLACE_PREFIXES) + name
            if name not in seen:
                seen.add(name)
                names.append(name)
        return names

    def place_name(self):
        name = self.write.pick(PLACE_HEADS) + self.write.pick(PLACE_TAILS)
        if self.rng.random() < 0.12:
            name = self.write.pick(PLACE_PREFIXES) + name
        return name

    def county_name(self):
        if self.rng.random() < 0.6:
            return self.write.pick(COUNTY_NAMESAKES)
        return self.write.pick(PLACE_HEADS) + self.write.pick(PLACE_TAILS)

    def place_kind(self, postal):
        kinds = [JurisdictionKind.CITY, JurisdictionKind.TOWN, JurisdictionKind.VILLAGE]
        weights = [45, 30, 20]
        if postal in TOWNSHIP_STATES:
            kinds.append(JurisdictionKind.TOWNSHIP)
            weights.append(15)
        if postal in BOROUGH_STATES:
            kinds.append(JurisdictionKind.BOROUGH)
            weights.append(15)
        return self.rng.choices(kinds, weights)[0]

    # --- Agencies. ------------------------------------------------------------------------

    def build_agencies(self):
        nation = self.places_by_level["nation"][0]
        federal = []
        # Parents first, one at a time: nine rows, each needing its parent's key.
        for name, abbreviation, kind, parent in FEDERAL_AGENCIES:
            agency = self.agency(name, kind, nation, abbreviation, self.federal.get(parent))
            self.insert(Agency, [agency])
            self.federal[abbreviation] = agency
            federal.append(agency)
        wanted = self.counts["agency"] - len(federal)
        candidates = self.agency_candidates()
        local = []
        for _ in range(wanted):
            name, kind, place = next(candidates)
            local.append(self.agency(name, kind, place, initials(name), None, place.state))
        self.insert(Agency, local)
        for agency in [*federal, *local]:
            self.agencies_by_place[agency.jurisdiction_id].append(agency)
            self.agencies_by_kind[agency.kind].append(agency)
            for _ in range(self.source_count()):
                self.cite_agency(agency)
            self.flush_sources()

    def agency(self, name, kind, place, abbreviation, parent, state=None):
        postal = state.postal if state is not None else "us"
        record = Agency(
            name=name,
            slug=self.slugs["agency"].make(f"{name} {postal}" if state else abbreviation),
            abbreviation=abbreviation,
            kind=kind,
            jurisdiction=place,
            parent=parent,
            website=(
                f"https://{slugify(place.name)}-{postal.lower()}.example/{slugify(name)[:60]}"
                if self.rng.random() < 0.6
                else ""
            ),
            summary=self.agency_summary(name, kind, place),
            publication_state=PUBLISHED,
        )
        return record

    def agency_summary(self, name, kind, place):
        what = {
            AgencyKind.SHERIFF: f"The sheriff's office of {place.name}, which runs its jail.",
            AgencyKind.POLICE: f"The police department of {place.name}.",
            AgencyKind.LEGISLATURE: f"The body that adopts the laws of {place.name}.",
            AgencyKind.EXECUTIVE_OFFICE: f"The chief executive's office of {place.name}.",
        }.get(kind, f"{name}, a body that acts in {place.name}.")
        topic = self.write.pick(POOLS["topic"])
        return f"{what} Its records here concern {topic}."

    def agency_candidates(self):
        """Agencies in order of how surely a place has one: police and sheriffs first."""
        states = self.places_by_level["state"]
        counties = self.places_by_level["county"]
        places = self.places_by_level["place"]
        for state in states:
            if state.postal == "DC":
                yield "Metropolitan Police Department", AgencyKind.POLICE, state
            else:
                yield f"{state.name} State Police", AgencyKind.STATE_AGENCY, state
        for county in counties:
            yield f"{county.name} Sheriff's Office", AgencyKind.SHERIFF, county
        for place in places:
            yield f"{place.name} Police Department", AgencyKind.POLICE, place
        for state in states:
            yield f"Office of the Governor of {state.name}", AgencyKind.EXECUTIVE_OFFICE, state
            yield f"{state.name} Department of Corrections", AgencyKind.STATE_AGENCY, state
            yield f"{state.name} Legislature", AgencyKind.LEGISLATURE, state
            yield f"Office of the {state.name} Attorney General", AgencyKind.STATE_AGENCY, state
            yield f"{state.name} Association of Chiefs of Police", AgencyKind.ASSOCIATION, state
            yield f"{state.name} Sheriffs' Association", AgencyKind.ASSOCIATION, state
        for county in counties:
            yield f"{county.name} Board of Commissioners", AgencyKind.LEGISLATURE, county
            yield f"{county.name} Department of Corrections", AgencyKind.COUNTY_OFFICE, county
        for place in places:
            yield f"Office of the Mayor of {place.name}", AgencyKind.EXECUTIVE_OFFICE, place
            council = {
                JurisdictionKind.VILLAGE: "Village Board of Trustees",
                JurisdictionKind.TOWNSHIP: "Township Board of Trustees",
                JurisdictionKind.BOROUGH: "Borough Council",
                JurisdictionKind.TOWN: "Town Council",
            }.get(place.kind, "City Council")
            yield f"{place.name} {council}", AgencyKind.LEGISLATURE, place
        for county in counties:
            yield (
                f"Office of the {county.name} District Attorney",
                AgencyKind.COUNTY_OFFICE,
                county,
            )

    def cite_agency(self, agency):
        year = self.rng.randint(2005, 2024)
        choice = self.rng.randrange(3)
        if choice == 0:
            self.cite(
                agency,
                f"About the {agency.name}",
                agency.name,
                SourceKind.OFFICIAL_RECORD,
                "about",
            )
        elif choice == 1:
            self.cite(
                agency,
                f"{agency.name} annual report, {year}",
                agency.name,
                SourceKind.OFFICIAL_RECORD,
                f"reports/{year}",
                datetime.date(year, 12, 31),
            )
        else:
            self.cite(
                agency,
                f"Directory of law enforcement agencies, {year}",
                "Bureau of Justice Statistics",
                SourceKind.DATASET,
                f"directory/{year}/{agency.slug}",
                datetime.date(year, 1, 1),
            )

    def official(self, agency):
        """Who speaks for an agency, and their title: the same person in every statement."""
        if agency.pk not in self.officials:
            if agency.is_federal:
                role = self.FEDERAL_TITLES[agency.abbreviation]
            else:
                titles = self.SPEAKER_TITLES.get((agency.kind, agency.jurisdiction.kind))
                role = self.write.pick(titles or self.SPEAKER_TITLES[(agency.kind, None)])
            self.officials[agency.pk] = (
                self.write.pick(FIRST_NAMES),
                self.write.pick(SURNAMES),
                role,
            )
        return self.officials[agency.pk]

    # --- Ordinances. ----------------------------------------------------------------------

    ORDINANCE_SUBJECTS = [
        "Civil Immigration Detainers",
        "Access to Jail Facilities by Federal Immigration Agents",
        "Release Notification Requests",
        "Inquiries into Immigration Status",
        "Information Sharing with Federal Agencies",
        "Participation in the 287(g) Program",
        "Cooperation with Federal Immigration Enforcement",
        "Sensitive Locations",
        "Judicial Warrants for Civil Immigration Arrests",
        "Confidentiality of Personal Information",
        "Use of Local Resources for Immigration Enforcement",
        "Task Force Participation",
        "Detention Contracts",
        "Language Access in Public Safety",
    ]
    # By level: the kinds of rule a place adopts, and how often.
    ORDINANCE_KINDS = {
        "place": {
            OrdinanceKind.ORDINANCE: 50,
            OrdinanceKind.RESOLUTION: 25,
            OrdinanceKind.EXECUTIVE_ORDER: 10,
            OrdinanceKind.POLICY: 10,
            OrdinanceKind.DIRECTIVE: 5,
        },
        "county": {
            OrdinanceKind.ORDINANCE: 35,
            OrdinanceKind.RESOLUTION: 30,
            OrdinanceKind.EXECUTIVE_ORDER: 5,
            OrdinanceKind.POLICY: 20,
            OrdinanceKind.DIRECTIVE: 10,
        },
        "state": {
            OrdinanceKind.STATUTE: 50,
            OrdinanceKind.EXECUTIVE_ORDER: 25,
            OrdinanceKind.DIRECTIVE: 15,
            OrdinanceKind.POLICY: 10,
        },
        "nation": {
            OrdinanceKind.EXECUTIVE_ORDER: 60,
            OrdinanceKind.DIRECTIVE: 20,
            OrdinanceKind.POLICY: 20,
        },
    }
    # The kind of agency that issues each kind of rule.
    ISSUERS = {
        OrdinanceKind.ORDINANCE: (AgencyKind.LEGISLATURE,),
        OrdinanceKind.RESOLUTION: (AgencyKind.LEGISLATURE,),
        OrdinanceKind.STATUTE: (AgencyKind.LEGISLATURE,),
        OrdinanceKind.EXECUTIVE_ORDER: (AgencyKind.EXECUTIVE_OFFICE,),
        OrdinanceKind.POLICY: (AgencyKind.POLICE, AgencyKind.SHERIFF, AgencyKind.STATE_AGENCY),
        OrdinanceKind.DIRECTIVE: (
            AgencyKind.POLICE,
            AgencyKind.SHERIFF,
            AgencyKind.STATE_AGENCY,
            AgencyKind.FEDERAL_AGENCY,
        ),
    }
    ORDINANCE_STATUSES = {
        OrdinanceStatus.IN_FORCE: 45,
        OrdinanceStatus.PROPOSED: 10,
        OrdinanceStatus.REPEALED: 12,
        OrdinanceStatus.SUSPENDED: 5,
        OrdinanceStatus.EXPIRED: 5,
        OrdinanceStatus.UNKNOWN: 23,
    }

    def pick_level(self, weights):
        levels = [level for level in weights if self.places_by_level[level]]
        return self.rng.choices(levels, [weights[level] for level in levels])[0]

    def build_ordinances(self):
        count = self.counts["ordinance"]
        level_weights = {"place": 55, "county": 30, "state": 13, "nation": 2}
        pks = []  # keys by index, for amendments and replacements
        for start in range(0, count, self.batch_size):
            batch, links = [], []
            for index in range(start, min(count, start + self.batch_size)):
                level = self.pick_level(level_weights)
                place = self.write.pick(self.places_by_level[level])
                ordinance = self.ordinance(place, level)
                earlier = self.ordinances_by_place[place.pk]
                if earlier and self.rng.random() < 0.08:
                    links.append((index, self.write.pick(earlier), self.rng.random() < 0.5))
                earlier.append(index)
                batch.append(ordinance)
            self.insert(Ordinance, batch)
            pks += [ordinance.pk for ordinance in batch]
            self.link_ordinances(pks, links)
            for ordinance in batch:
                for _ in range(self.source_count()):
                    self.cite_ordinance(ordinance)
                self.flush_sources()
        # Statements refer to them by key.
        for place_pk, indexes in self.ordinances_by_place.items():
            self.ordinances_by_place[place_pk] = [pks[index] for index in indexes]

    def link_ordinances(self, pks, links):
        """Amendments (a through row) and replacements (a foreign key) of earlier rules."""
        amends, replaces = [], []
        through = Ordinance.amends.through
        for index, earlier, replacing in links:
            if replacing:
                replaces.append(Ordinance(pk=pks[index], replaces_id=pks[earlier]))
            else:
                amends.append(through(from_ordinance_id=pks[index], to_ordinance_id=pks[earlier]))
        if replaces:
            Ordinance.objects.bulk_update(replaces, ["replaces"])
        if amends:
            through.objects.bulk_create(amends)
            self.made["ordinance amendments"] += len(amends)

    def ordinance(self, place, level):
        kinds = self.ORDINANCE_KINDS[level]
        kind = self.rng.choices(list(kinds), list(kinds.values()))[0]
        status = self.rng.choices(
            list(self.ORDINANCE_STATUSES), list(self.ORDINANCE_STATUSES.values())
        )[0]
        issuers = [
            agency
            for agency in self.agencies_by_place[place.pk]
            if agency.kind in self.ISSUERS[kind]
        ]
        issued_by = self.write.pick(issuers) if issuers and self.rng.random() < 0.85 else None

        # introduced → adopted → effective → repealed, with gaps in days; some unknown.
        introduced, adopted, effective, repealed = dates_in_order(
            self.rng,
            [self.rng.randint(7, 120), self.rng.randint(0, 180), self.rng.randint(300, 3650)],
        )
        drawn_adopted = adopted
        if status == OrdinanceStatus.PROPOSED:
            adopted = effective = repealed = None
        else:
            introduced = introduced if self.rng.random() < 0.55 else None
            adopted = adopted if self.rng.random() < 0.92 else None
            effective = effective if self.rng.random() < 0.5 else None
            if status != OrdinanceStatus.REPEALED or self.rng.random() < 0.1:
                repealed = None
        dates = {}
        for field, value in (
            ("introduced_on", introduced),
            ("adopted_on", adopted),
            ("effective_on", effective),
            ("repealed_on", repealed),
        ):
            dates[field], dates[f"{field}_precision"] = with_precision(self.rng, value)
        year = (adopted or introduced or drawn_adopted).year

        subject = self.write.pick(self.ORDINANCE_SUBJECTS)
        label = OrdinanceKind(kind).label.title()
        if kind == OrdinanceKind.ORDINANCE and self.rng.random() < 0.15:
            title = f"{place.name} Welcoming {'County' if level == 'county' else 'City'} Ordinance"
        elif kind == OrdinanceKind.STATUTE and self.rng.random() < 0.2:
            title = f"{place.name} Trust Act"
        else:
            title = f"{place.name} {label} on {subject}"
        if self.rng.random() < 0.1:
            title = f"Amendment to the {title}"

        agency = issued_by or self.local_agency(place)
        context = {
            "place": place.name,
            "agency": agency.name if agency else "police department",
            "federal": self.write.pick(FEDERAL_AGENCIES[1:6])[0],
            "title": title,
        }
        return Ordinance(
            title=title,
            slug=self.slugs["ordinance"].make(f"{title} {year}"),
            number=self.ordinance_number(kind, year),
            kind=kind,
            status=status,
            jurisdiction=place,
            issued_by=issued_by,
            summary=" ".join(
                [
                    self.write.sentence(ORDINANCE_SUMMARIES[0], context),
                    self.write.paragraph(ORDINANCE_SUMMARIES[1:], context, (1, 3)),
                ]
            ),
            full_text=(
                self.write.sections(ORDINANCE_SENTENCES, context)
                if self.rng.random() < 0.4
                else ""
            ),
            publication_state=PUBLISHED,
            **dates,
        )

    def ordinance_number(self, kind, year):
        if self.rng.random() < 0.2:
            return ""
        n = self.rng.randint(1, 400)
        return {
            OrdinanceKind.ORDINANCE: f"O{year}-{n}",
            OrdinanceKind.RESOLUTION: f"R{year}-{n}",
            OrdinanceKind.EXECUTIVE_ORDER: f"EO {year}-{n % 40 + 1}",
            OrdinanceKind.STATUTE: f"Public Act {year % 100 + 90}-{n:04d}",
            OrdinanceKind.DIRECTIVE: f"General Order G{year % 100:02d}-{n:03d}",
            OrdinanceKind.POLICY: f"Policy {n // 10 + 1}.{n % 10 + 1}",
        }[kind]

    def local_agency(self, place):
        agencies = self.agencies_by_place[place.pk]
        return agencies[0] if agencies else None

    def cite_ordinance(self, ordinance):
        place = ordinance.jurisdiction
        when = ordinance.adopted_on or ordinance.introduced_on
        choice = self.rng.randrange(3)
        if choice == 0:
            self.cite(
                ordinance,
                f"{ordinance.title} ({'as adopted' if ordinance.adopted_on else 'as introduced'})",
                f"Office of the {place.name} Clerk",
                SourceKind.OFFICIAL_RECORD,
                f"legislation/{slugify(ordinance.number) or ordinance.slug}",
                when,
            )
        elif choice == 1:
            outlet = f"The {place.name} {self.write.pick(NEWSPAPERS)}"
            self.cite(
                ordinance,
                f"{place.name} acts on {self.write.pick(POOLS['topic'])}",
                outlet,
                SourceKind.NEWS,
                f"news/{ordinance.slug}",
                when,
            )
        else:
            issuer = ordinance.issued_by
            self.cite(
                ordinance,
                f"Press release: {ordinance.title}",
                issuer.name if issuer else place.name,
                SourceKind.PRESS_RELEASE,
                f"press/{ordinance.slug}",
                when,
            )

    # --- Agreements. ----------------------------------------------------------------------

    AGREEMENT_KINDS = {
        # kind: (weight, kinds of local party, federal parties)
        AgreementKind.JAIL_ENFORCEMENT_287G: (
            25,
            (AgencyKind.SHERIFF, AgencyKind.COUNTY_OFFICE),
            ("ICE", "ERO"),
        ),
        AgreementKind.TASK_FORCE_287G: (
            20,
            (AgencyKind.SHERIFF, AgencyKind.POLICE, AgencyKind.STATE_AGENCY),
            ("ICE",),
        ),
        AgreementKind.WARRANT_SERVICE_287G: (15, (AgencyKind.SHERIFF,), ("ICE", "ERO")),
        AgreementKind.CUSTOMS_CROSS_DESIGNATION: (
            5,
            (AgencyKind.POLICE, AgencyKind.STATE_AGENCY),
            ("HSI", "CBP"),
        ),
        AgreementKind.TASK_FORCE: (
            15,
            (AgencyKind.POLICE, AgencyKind.SHERIFF, AgencyKind.STATE_AGENCY),
            ("HSI", "ERO", "FBI", "USMS"),
        ),
        AgreementKind.DETENTION_CONTRACT: (
            10,
            (AgencyKind.SHERIFF, AgencyKind.COUNTY_OFFICE),
            ("ERO", "USMS"),
        ),
        AgreementKind.INFORMATION_SHARING: (
            7,
            (AgencyKind.POLICE, AgencyKind.SHERIFF, AgencyKind.STATE_AGENCY),
            ("ICE", "HSI"),
        ),
        AgreementKind.OTHER: (3, (AgencyKind.POLICE, AgencyKind.SHERIFF), ("ICE", "CBP")),
    }
    AGREEMENT_STATUSES = {
        AgreementStatus.IN_FORCE: 40,
        AgreementStatus.EXPIRED: 15,
        AgreementStatus.TERMINATED: 15,
        AgreementStatus.SUSPENDED: 5,
        AgreementStatus.PROPOSED: 10,
        AgreementStatus.UNKNOWN: 15,
    }

    def build_agreements(self):
        count = self.counts["agreement"]
        for start in range(0, count, self.batch_size):
            batch = [self.agreement() for _ in range(start, min(count, start + self.batch_size))]
            self.insert(Agreement, batch)
            for agreement in batch:
                place_pk = agreement.local_party.jurisdiction_id
                self.agreements_by_place[place_pk].append(agreement.pk)
                for _ in range(self.source_count()):
                    self.cite_agreement(agreement)
                self.flush_sources()

    def agreement(self):
        kinds = self.AGREEMENT_KINDS
        kind = self.rng.choices(list(kinds), [weight for weight, _, _ in kinds.values()])[0]
        _, local_kinds, federal_parties = kinds[kind]
        candidates = [k for k in local_kinds if self.agencies_by_kind[k]]
        local_kind = self.write.pick(candidates or [AgencyKind.POLICE, AgencyKind.SHERIFF])
        local = self.write.pick(
            self.agencies_by_kind[local_kind] or self.agencies_by_kind[AgencyKind.STATE_AGENCY]
        )
        federal = self.federal[self.write.pick(federal_parties)]
        status = self.rng.choices(
            list(self.AGREEMENT_STATUSES), list(self.AGREEMENT_STATUSES.values())
        )[0]

        # signed → effective → expires, and terminated after effective; some unknown.
        term = self.rng.randint(365, 5 * 365)
        if status == AgreementStatus.IN_FORCE:
            # Signed in the past; it may expire after the dataset's last day.
            signed, effective = dates_in_order(self.rng, [self.rng.randint(0, 90)])
            expires = effective + datetime.timedelta(days=term)
            terminated = None
        else:
            signed, effective, expires = dates_in_order(self.rng, [self.rng.randint(0, 90), term])
            terminated = None
            if status == AgreementStatus.TERMINATED:
                terminated = effective + datetime.timedelta(days=self.rng.randint(30, term))
        if status == AgreementStatus.PROPOSED:
            signed = effective = expires = None
        else:
            effective = effective if self.rng.random() < 0.7 else None
            expires = expires if self.rng.random() < 0.5 else None
            signed = signed if self.rng.random() < 0.95 or effective else None
        dates = {}
        for field, value in (
            ("signed_on", signed),
            ("effective_on", effective),
            ("expires_on", expires),
            ("terminated_on", terminated),
        ):
            dates[field], dates[f"{field}_precision"] = with_precision(self.rng, value)

        noun = AGREEMENT_NOUNS[kind]
        title = f"{local.name} and {federal.abbreviation}: {noun}"
        if signed:
            title += f" ({signed.year})"
        sentences = AGREEMENT_SENTENCES[AGREEMENT_FAMILIES[kind]]
        both = sentences + AGREEMENT_SENTENCES["common"]
        article = "An" if noun[0] in "aeiou" else "A"
        context = {
            "place": local.jurisdiction.name,
            "agency": local.name,
            "federal": federal.name,
        }
        return Agreement(
            title=title,
            slug=self.slugs["agreement"].make(title),
            kind=kind,
            status=status,
            local_party=local,
            federal_party=federal,
            summary=(
                f"{article} {noun} between the {local.name} and {federal.name}. "
                + self.write.paragraph(sentences, context, (1, 2))
            ),
            scope=self.write.paragraphs(both, context, (1, 2)),
            exclusions=(
                self.write.paragraph(AGREEMENT_EXCLUSIONS, context, (1, 3))
                if self.rng.random() < 0.6
                else ""
            ),
            full_text=(
                self.write.sections(both + AGREEMENT_EXCLUSIONS, context)
                if self.rng.random() < 0.3
                else ""
            ),
            publication_state=PUBLISHED,
            **dates,
        )

    def cite_agreement(self, agreement):
        federal, local = agreement.federal_party, agreement.local_party
        when = agreement.signed_on
        choice = self.rng.randrange(3)
        if choice == 0:
            self.cite(
                agreement,
                f"Memorandum of agreement between {federal.abbreviation} and {local.name}",
                federal.name,
                SourceKind.OFFICIAL_RECORD,
                f"agreements/{agreement.slug}",
                when,
            )
        elif choice == 1:
            self.cite(
                agreement,
                "Participating agencies in the 287(g) program",
                "U.S. Immigration and Customs Enforcement",
                SourceKind.DATASET,
                f"287g/{self.rng.randint(2010, 2025)}",
                when,
            )
        else:
            place = local.jurisdiction
            self.cite(
                agreement,
                f"{local.name} signs agreement with {federal.abbreviation}",
                f"The {place.name} {self.write.pick(NEWSPAPERS)}",
                SourceKind.NEWS,
                f"news/{agreement.slug}",
                when,
            )

    # --- Statements. ----------------------------------------------------------------------

    # The title of whoever speaks for an agency: by the agency's kind and its place's kind.
    SPEAKER_TITLES = {
        (AgencyKind.SHERIFF, None): ["Sheriff"],
        (AgencyKind.POLICE, None): ["Chief of Police", "Police Commissioner", "Superintendent"],
        (AgencyKind.EXECUTIVE_OFFICE, JurisdictionKind.STATE): ["Governor"],
        (AgencyKind.EXECUTIVE_OFFICE, JurisdictionKind.COUNTY): ["County Executive"],
        (AgencyKind.EXECUTIVE_OFFICE, None): ["Mayor"],
        (AgencyKind.LEGISLATURE, JurisdictionKind.STATE): ["State Senator", "Speaker"],
        (AgencyKind.LEGISLATURE, JurisdictionKind.COUNTY): ["County Commissioner"],
        (AgencyKind.LEGISLATURE, None): ["Council Member", "Alderperson", "Trustee"],
        (AgencyKind.STATE_AGENCY, None): ["Director", "Superintendent", "Attorney General"],
        (AgencyKind.COUNTY_OFFICE, None): ["Director", "District Attorney"],
        (AgencyKind.ASSOCIATION, None): ["President", "Executive Director"],
    }
    FEDERAL_TITLES = {
        "DHS": "Secretary of Homeland Security",
        "ICE": "Director",
        "ERO": "Field Office Director",
        "HSI": "Special Agent in Charge",
        "CBP": "Commissioner",
        "USBP": "Chief Patrol Agent",
        "DOJ": "Attorney General",
        "FBI": "Special Agent in Charge",
        "USMS": "United States Marshal",
    }
    # Officials who speak for no agency in the dataset.
    UNATTACHED_TITLES = [
        "State Representative",
        "Alderperson",
        "Executive Director of an immigrant rights coalition",
        "Pastor",
        "Public defender",
        "Candidate for sheriff",
    ]
    # Who speaks, and how often: the kinds of agency that take public positions.
    SPEAKER_KINDS = {
        AgencyKind.SHERIFF: 30,
        AgencyKind.POLICE: 25,
        AgencyKind.EXECUTIVE_OFFICE: 15,
        AgencyKind.LEGISLATURE: 8,
        AgencyKind.STATE_AGENCY: 6,
        AgencyKind.ASSOCIATION: 4,
        AgencyKind.COUNTY_OFFICE: 4,
        AgencyKind.FEDERAL_AGENCY: 6,
        AgencyKind.FEDERAL_DEPARTMENT: 2,
    }

    def build_statements(self):
        count = self.counts["statement"]
        kinds = [kind for kind in self.SPEAKER_KINDS if self.agencies_by_kind[kind]]
        weights = [self.SPEAKER_KINDS[kind] for kind in kinds]
        pks = []
        for start in range(0, count, self.batch_size):
            batch, abouts = [], []
            for index in range(start, min(count, start + self.batch_size)):
                statement, about = self.statement(index, kinds, weights)
                batch.append(statement)
                abouts.append(about)
            self.insert(Statement, batch)
            pks += [statement.pk for statement in batch]
            self.link_statements(batch, abouts, pks)
            for statement in batch:
                for _ in range(self.source_count()):
                    self.cite_statement(statement)
                self.flush_sources()

    def statement(self, index, kinds, weights):
        speaker_kind = self.rng.choices(kinds, weights)[0]
        agency = self.write.pick(self.agencies_by_kind[speaker_kind])
        place = agency.jurisdiction
        if place.kind == JurisdictionKind.NATION:
            # Federal officials speak about a place: a county, usually.
            place = self.write.pick(
                self.places_by_level["county"] or self.places_by_level["state"]
            )
        first, surname, role = self.official(agency)
        speaker_title = role
        who = self.rng.random()
        if who < 0.6:  # an official, for the agency
            speaker_name = f"{first} {surname}"
            title = f"{speaker_title} {surname} on {self.write.pick(POOLS['topic'])}"
        elif who < 0.85:  # the agency itself, in a press release
            speaker_name = speaker_title = ""
            title = f"{agency.name} statement on {self.write.pick(POOLS['topic'])}"
        else:  # someone speaking for no agency here
            agency = None
            first, surname = self.write.pick(FIRST_NAMES), self.write.pick(SURNAMES)
            speaker_name = f"{first} {surname}"
            speaker_title = self.write.pick(self.UNATTACHED_TITLES)
            title = f"{speaker_name} on {self.write.pick(POOLS['topic'])} in {place.name}"
        made = None
        if self.rng.random() < 0.85:
            made = dates_in_order(self.rng, [])[0]
        made_on, precision = with_precision(self.rng, made, (75, 20, 5))
        context = {
            "place": place.name,
            "agency": agency.name if agency else f"police of {place.name}",
            "federal": self.write.pick(FEDERAL_AGENCIES[1:6])[0],
            "surname": surname,
            "speaker_title": role if agency else speaker_title,
        }
        sentences = STATEMENT_SENTENCES + (OFFICIAL_SENTENCES if agency else [])
        text = self.write.paragraphs(sentences, context, (1, 5), (2, 5))
        statement = Statement(
            title=title[:300],
            slug=self.slugs["statement"].make(f"{title} {made_on.year if made_on else ''}"),
            speaker_agency=agency,
            speaker_name=speaker_name,
            speaker_title=speaker_title,
            made_on=made_on,
            made_on_precision=precision,
            text=text,
            summary=f"{title}. " + self.write.sentence(self.write.pick(sentences), context),
            publication_state=PUBLISHED,
        )
        # What it is about, as keys of records already saved (or indexes of statements).
        about = {}
        if self.rng.random() < 0.6:
            about["jurisdiction"] = [place.pk]
        if self.rng.random() < 0.25:
            about["agency"] = [self.write.pick(list(self.federal.values())).pk]
        if self.ordinances_by_place[place.pk] and self.rng.random() < 0.3:
            about["ordinance"] = [self.write.pick(self.ordinances_by_place[place.pk])]
        if self.agreements_by_place[place.pk] and self.rng.random() < 0.3:
            about["agreement"] = [self.write.pick(self.agreements_by_place[place.pk])]
        earlier = self.statements_by_place[place.pk]
        if earlier and self.rng.random() < 0.1:
            about["statement"] = [self.write.pick(earlier)]
        earlier.append(index)
        return statement, about

    def link_statements(self, batch, abouts, pks):
        """Through rows for what each statement is about, by the through model's bulk_create."""
        relations = {
            "jurisdiction": (Statement.about_jurisdictions.through, "jurisdiction_id"),
            "agency": (Statement.about_agencies.through, "agency_id"),
            "ordinance": (Statement.about_ordinances.through, "ordinance_id"),
            "agreement": (Statement.about_agreements.through, "agreement_id"),
            "statement": (Statement.about_statements.through, "to_statement_id"),
        }
        for name, (through, column) in relations.items():
            source_column = "from_statement_id" if name == "statement" else "statement_id"
            rows = []
            for statement, about in zip(batch, abouts, strict=True):
                for target in about.get(name, ()):
                    target_pk = pks[target] if name == "statement" else target
                    rows.append(through(**{source_column: statement.pk, column: target_pk}))
            if rows:
                through.objects.bulk_create(rows, batch_size=self.batch_size)
                self.made[f"statement links to {name} records"] += len(rows)

    def cite_statement(self, statement):
        publisher = statement.speaker_agency.name if statement.speaker_agency else ""
        choice = self.rng.randrange(4)
        if choice == 0 and publisher:
            self.cite(
                statement,
                statement.title,
                publisher,
                SourceKind.PRESS_RELEASE,
                f"press/{statement.slug}",
                statement.made_on,
            )
        elif choice == 1 and publisher:
            self.cite(
                statement,
                f"Statement: {statement.title}",
                publisher,
                SourceKind.STATEMENT,
                f"statements/{statement.slug}",
                statement.made_on,
            )
        else:
            outlet = f"The {self.write.pick(PLACE_HEADS)} {self.write.pick(NEWSPAPERS)}"
            kind = SourceKind.OPINION if self.rng.random() < 0.1 else SourceKind.NEWS
            self.cite(
                statement,
                f"{statement.title}, reported",
                outlet,
                kind,
                f"news/{statement.slug}",
                statement.made_on,
            )
