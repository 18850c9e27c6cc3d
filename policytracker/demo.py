"""The demo data: what the project's five seed documents say, and nothing more.

Every record cites the seed it comes from, with the passage that supports it. Dates are given
only at the precision a seed states; where a seed says "last Friday" or "on Tuesday" without
a year, the date is left empty and the source's notes say so. Place identifiers come from
the Open Civic Data division list in the project's shared data.

What the rules say on the questions of a place's profile (`PROVISIONS`) is quoted from the
seeds too, with where in the seed; a seed that describes a rule without quoting it is quoted
in its own words, and the provision's note says so. No question is marked reviewed for any
place: a review says that staff checked the sources for it, and loading five seeds is not that.
"""

import datetime
from collections import Counter

from django.db import transaction

from agreements.models import Agreement, AgreementKind, AgreementStatus, Statement
from jurisdictions.models import (
    Agency,
    AgencyKind,
    Jurisdiction,
    JurisdictionKind,
    Ordinance,
    OrdinanceKind,
    OrdinanceStatus,
)
from policytracker.dates import DatePrecision
from policytracker.history import one_change
from policytracker.importers.ocd import division_source
from policytracker.models import PublicationState, Source, SourceKind
from policytracker.profiles.dimensions import Basis, Dimension, Position
from policytracker.profiles.models import Provision
from policytracker.services import citation_upsert, record_upsert

PUBLISHED = PublicationState.PUBLISHED
DAY, MONTH = DatePrecision.DAY, DatePrecision.MONTH

# The seed documents, as sources: one Source each, cited by every record it supports. Keys
# are the seeds' file-name prefixes, for staff reading this file; the public never sees them.
# Title, publisher and date are as each document states them; where it states none, the field
# stays empty and the notes say what the document does say.
SEEDS = {
    "000": {
        "title": "Cook County Participates in Law Enforcement Meeting at White House",
        "publisher": "Cook County Department of Homeland Security and Emergency Management",
        "kind": SourceKind.PRESS_RELEASE,
        "notes": (
            "The release is not dated: it dates the meeting only as “Tuesday”, during Police "
            "Week, without a year. It gives the department's website as "
            "www.cookcountyhomelandsecurity.org, but not the address of the release itself."
        ),
    },
    "001": {
        "title": "Cooperation between Chicago police and ICE Homeland Security Investigations",
        "publisher": "",
        "kind": SourceKind.OPINION,
        "notes": (
            "An opinion piece that names neither its publisher nor its author, and is not "
            "dated. It reports facts from a Chicago Sun-Times article, which it does not date "
            "or link."
        ),
    },
    "002": {
        "title": (
            "Illinois Association of Chiefs of Police Statement on Immigrants, Federal "
            "Immigration Laws and Local Law Enforcement"
        ),
        "publisher": "Illinois Association of Chiefs of Police",
        "kind": SourceKind.STATEMENT,
        "published_on": datetime.date(2017, 3, 23),
        "published_on_precision": DAY,
        "notes": (
            "It copies in full the IACP's “Statement on Immigration-Related Executive Orders”, "
            "posted on January 30, 2017 by “iacpblog”. It names Ed Wojcicki, Executive "
            "Director of the ILACP, as its contact."
        ),
    },
    "003": {
        "title": "Chicago Mayor Lori Lightfoot Tells Police Not to Assist ICE",
        "publisher": "",
        "kind": SourceKind.NEWS,
        "notes": (
            "A news item that names neither its outlet nor its author, and is not dated. It "
            "dates the mayor's letter only as “Sunday” and her order to the police as “last "
            "Friday”, without a year. Its page ends with a newsletter offer for “the top "
            "workplace fairness news”, without naming the site."
        ),
    },
    "004": {
        "title": "Illinois Allows Illegals Back on the Streets by the Thousands",
        "publisher": "",
        "kind": SourceKind.OPINION,
        "notes": (
            "An opinion piece that names neither its publisher nor its author, and is not "
            "dated; the latest events it reports are of 2019. It reports ICE's statement "
            "without quoting it directly."
        ),
    },
}

JURISDICTIONS = [
    {
        "slug": "united-states",
        "name": "United States",
        "kind": JurisdictionKind.NATION,
        "parent": None,
        "ocd_id": "ocd-division/country:us",
        "fips": "",
        "summary": "The nation. Federal agencies and federal executive orders belong here.",
        "ocd_row": ("states.csv", "ocd-division/country:us,United States"),
    },
    {
        "slug": "illinois",
        "name": "Illinois",
        "kind": JurisdictionKind.STATE,
        "parent": "united-states",
        "ocd_id": "ocd-division/country:us/state:il",
        "fips": "17",
        "summary": "A state of the United States.",
        "ocd_row": ("states.csv", "ocd-division/country:us/state:il,Illinois"),
    },
    {
        "slug": "cook-county",
        "name": "Cook County",
        "kind": JurisdictionKind.COUNTY,
        "parent": "illinois",
        "ocd_id": "ocd-division/country:us/state:il/county:cook",
        "fips": "17031",
        "summary": "A county in Illinois. Chicago lies within it.",
        "ocd_row": (
            "us_census_places.csv",
            "ocd-division/country:us/state:il/county:cook,Cook County,place-17031",
        ),
    },
    {
        "slug": "chicago",
        "name": "Chicago",
        "kind": JurisdictionKind.CITY,
        "parent": "cook-county",
        "ocd_id": "ocd-division/country:us/state:il/place:chicago",
        "fips": "1714000",
        "summary": "A city in Cook County, Illinois.",
        "ocd_row": (
            "us_census_places.csv",
            "ocd-division/country:us/state:il/place:chicago,Chicago city,place-1714000",
        ),
    },
]

AGENCIES = [
    {
        "slug": "department-of-homeland-security",
        "name": "Department of Homeland Security",
        "abbreviation": "DHS",
        "kind": AgencyKind.FEDERAL_DEPARTMENT,
        "jurisdiction": "united-states",
        "parent": None,
        "summary": "The federal department of which ICE and CBP are parts.",
        "cite": (
            "000",
            "Masters met with officials from the Department of Homeland Security, "
            "Immigration and Customs Enforcement (ICE), Customs and Border Protection (CBP) and "
            "other administration officials.",
        ),
    },
    {
        "slug": "immigration-and-customs-enforcement",
        "name": "U.S. Immigration and Customs Enforcement",
        "abbreviation": "ICE",
        "kind": AgencyKind.FEDERAL_AGENCY,
        "jurisdiction": "united-states",
        "parent": "department-of-homeland-security",
        "summary": (
            "The federal immigration enforcement agency. Its two main components are "
            "Enforcement and Removal Operations (ERO) and Homeland Security Investigations (HSI)."
        ),
        "cite": (
            "001",
            "There are two main components to U.S. Immigration and Customs Enforcement (ICE).",
        ),
    },
    {
        "slug": "ice-enforcement-and-removal-operations",
        "name": "Enforcement and Removal Operations",
        "abbreviation": "ERO",
        "kind": AgencyKind.FEDERAL_AGENCY,
        "jurisdiction": "united-states",
        "parent": "immigration-and-customs-enforcement",
        "summary": (
            "The ICE component that identifies, arrests, detains and removes people subject "
            "to removal."
        ),
        "cite": (
            "001",
            "Enforcement and Removal Operations (ERO) is responsible for identifying, "
            "arresting, detaining, and removing deportable aliens.",
        ),
    },
    {
        "slug": "ice-homeland-security-investigations",
        "name": "Homeland Security Investigations",
        "abbreviation": "HSI",
        "kind": AgencyKind.FEDERAL_AGENCY,
        "jurisdiction": "united-states",
        "parent": "immigration-and-customs-enforcement",
        "summary": (
            "The ICE component that investigates immigration and customs offences, among them "
            "narcotics and weapons smuggling, financial crimes, cybercrime, human trafficking "
            "and smuggling, child exploitation, transnational gangs, immigration document and "
            "benefit fraud, and worksite enforcement."
        ),
        "cite": (
            "001",
            "Homeland Security Investigations (HSI) is responsible for investigating a very "
            "wide range of immigration and customs activities.",
        ),
    },
    {
        "slug": "customs-and-border-protection",
        "name": "U.S. Customs and Border Protection",
        "abbreviation": "CBP",
        "kind": AgencyKind.FEDERAL_AGENCY,
        "jurisdiction": "united-states",
        "parent": "department-of-homeland-security",
        "summary": "The federal border agency.",
        "cite": (
            "000",
            "Masters met with officials from the Department of Homeland Security, "
            "Immigration and Customs Enforcement (ICE), Customs and Border Protection (CBP) and "
            "other administration officials.",
        ),
    },
    {
        "slug": "chicago-police-department",
        "name": "Chicago Police Department",
        "abbreviation": "CPD",
        "kind": AgencyKind.POLICE,
        "jurisdiction": "chicago",
        "parent": None,
        "summary": "The police department of the City of Chicago.",
        "cite": (
            "001",
            "The agreement allows ICE to designate certain Chicago Police Department (CPD) "
            "employees as customs officers.",
        ),
    },
    {
        "slug": "cook-county-dhsem",
        "name": "Cook County Department of Homeland Security and Emergency Management",
        "abbreviation": "DHSEM",
        "kind": AgencyKind.COUNTY_OFFICE,
        "jurisdiction": "cook-county",
        "parent": None,
        "summary": (
            "The county agency that coordinates first responders, their departments and "
            "resources from 134 Cook County municipalities to prevent, respond to and recover "
            "from incidents."
        ),
        "cite": (
            "000",
            "The Cook County Department of Homeland Security and Emergency Management "
            "integrates first responders, their departments and resources from 134 Cook County "
            "municipalities, and serves as the central agency in Cook County for coordinating "
            "efforts to prevent, protect against, mitigate the effects of, respond to, and "
            "recover from all incidents, whether man-made or natural.",
        ),
    },
    {
        "slug": "international-association-of-chiefs-of-police",
        "name": "International Association of Chiefs of Police",
        "abbreviation": "IACP",
        "kind": AgencyKind.ASSOCIATION,
        "jurisdiction": "united-states",
        "parent": None,
        "summary": "An association of police chiefs.",
        "cite": ("002", "IACP = International Association of Chiefs of Police"),
    },
    {
        "slug": "illinois-association-of-chiefs-of-police",
        "name": "Illinois Association of Chiefs of Police",
        "abbreviation": "ILACP",
        "kind": AgencyKind.ASSOCIATION,
        "jurisdiction": "illinois",
        "parent": None,
        "summary": "The association of police chiefs in Illinois.",
        "cite": ("002", "NOTE: ILACP = Illinois Association of Chiefs of Police"),
    },
    {
        "slug": "chicago-office-of-the-mayor",
        "name": "Office of the Mayor of Chicago",
        "abbreviation": "",
        "kind": AgencyKind.EXECUTIVE_OFFICE,
        "jurisdiction": "chicago",
        "parent": None,
        "summary": "The office of Chicago's mayor. Lori Lightfoot held it when the sources wrote.",
        "cite": (
            "003",
            "Chicago Mayor Lori Lightfoot wrote a letter to President Donald Trump on Sunday",
        ),
    },
]

ORDINANCES = [
    {
        "slug": "chicago-welcoming-city-ordinance",
        "title": "Welcoming City Ordinance",
        "kind": OrdinanceKind.ORDINANCE,
        "status": OrdinanceStatus.IN_FORCE,
        "jurisdiction": "chicago",
        "issued_by": None,
        "adopted_on": datetime.date(2012, 9, 1),
        "adopted_on_precision": MONTH,
        "summary": (
            "Chicago's ordinance that prohibits city employees from asking about a person's "
            "immigration status, from disclosing a person's citizenship status to federal "
            "authorities, and from denying city services on the basis of that status."
        ),
        "cite": (
            "001",
            "The Welcoming City Ordinance, enacted in September 2012, prohibits municipal "
            "employees from inquiring about people's immigration status, disclosing their "
            "citizenship status to federal authorities, or denying city services based on that "
            "status.",
        ),
    },
    {
        "slug": "executive-order-enhancing-public-safety-in-the-interior",
        "title": "Executive Order: Enhancing Public Safety in the Interior of the United States",
        "kind": OrdinanceKind.EXECUTIVE_ORDER,
        "status": OrdinanceStatus.UNKNOWN,
        "jurisdiction": "united-states",
        "issued_by": None,
        "adopted_on": datetime.date(2017, 1, 25),
        "adopted_on_precision": DAY,
        "summary": (
            "A presidential executive order of January 25, 2017. As the IACP described it, it "
            "directs the Secretary of Homeland Security to use existing authority under "
            "section 287(g) of the Immigration and Nationality Act to enter into voluntary "
            "agreements with state and local agencies to perform immigration enforcement duties."
        ),
        "cite": (
            "002",
            "To be clear, President Trump's January 25th Executive Order (Enhancing Public "
            "Safety in the Interior of the United States) only directs the Secretary of "
            "Homeland Security to use his existing authority under Section 287(g) of the "
            "Immigration and Nationality Act to enter into voluntary agreements with state and "
            "local agencies to perform immigration enforcement duties.",
        ),
    },
    {
        "slug": "executive-order-protecting-the-nation-from-foreign-terrorist-entry",
        "title": (
            "Executive Order: Protecting the Nation From Foreign Terrorist Entry into the "
            "United States"
        ),
        "kind": OrdinanceKind.EXECUTIVE_ORDER,
        "status": OrdinanceStatus.UNKNOWN,
        "jurisdiction": "united-states",
        "issued_by": None,
        "adopted_on": datetime.date(2017, 1, 27),
        "adopted_on_precision": DAY,
        "summary": "A presidential executive order of January 27, 2017.",
        "cite": (
            "002",
            "On January 27th, U.S. President Donald Trump issued an Executive Order on "
            '"Protecting the Nation From Foreign Terrorist Entry into the United States."',
        ),
    },
    {
        "slug": "chicago-mayors-order-to-police-on-ice",
        "title": "Mayor's order to the Chicago Police Department not to cooperate with ICE",
        "kind": OrdinanceKind.DIRECTIVE,
        "status": OrdinanceStatus.UNKNOWN,
        "jurisdiction": "chicago",
        "issued_by": "chicago-office-of-the-mayor",
        "adopted_on": None,
        "adopted_on_precision": "",
        "summary": (
            "Mayor Lori Lightfoot ordered the Chicago Police Department not to cooperate with "
            "ICE on any activities within the city and not to give ICE agents access to police "
            "databases. She described the order in a letter to President Donald Trump. The "
            "source dates the order only as the Friday before that letter, without a year."
        ),
        "cite": (
            "003",
            "In the letter, Lightfoot explained that last Friday she ordered the city police "
            "department “not to cooperate with Immigration and Customs Enforcement (ICE) on any "
            "activities within the city of Chicago and not to allow ICE agents access to our "
            "police databases.”",
        ),
    },
]

AGREEMENTS = [
    {
        "slug": "chicago-police-hsi-customs-cross-designation",
        "title": (
            "Customs cross-designation of Chicago Police Department employees by ICE Homeland "
            "Security Investigations"
        ),
        "kind": AgreementKind.CUSTOMS_CROSS_DESIGNATION,
        "status": AgreementStatus.IN_FORCE,
        "local_party": "chicago-police-department",
        "federal_party": "ice-homeland-security-investigations",
        "summary": (
            "An agreement that lets ICE designate certain Chicago Police Department employees "
            "as customs officers. The sources do not give its dates."
        ),
        "scope": (
            "Designated officers may enforce the full range of federal offences. The Chicago "
            "Police Department said the agreement lets it investigate drug trafficking, human "
            "trafficking, street gangs and financial crimes with HSI."
        ),
        "exclusions": "Civil immigration law violations.",
        "cite": (
            "001",
            "The agreement allows ICE to designate certain Chicago Police Department (CPD) "
            "employees as customs officers. As reported by the Chicago Sun-Times, those "
            "officers are authorized to enforce the full range of federal offenses, with the "
            "important exception of civil immigration law violations.",
        ),
    },
]

STATEMENTS = [
    {
        "slug": "iacp-statement-on-immigration-related-executive-orders",
        "title": "IACP statement on the immigration-related executive orders",
        "speaker_agency": "international-association-of-chiefs-of-police",
        "speaker_name": "",
        "speaker_title": "",
        "made_on": datetime.date(2017, 1, 30),
        "made_on_precision": DAY,
        "summary": (
            "The IACP said the January 25, 2017 order only directs the use of voluntary 287(g) "
            "agreements, and that it opposes any mandate for state and local police to enforce "
            "federal immigration law, which it called an inherently local decision."
        ),
        "text": (
            "However, the IACP has, and will continue to strongly oppose any initiative that "
            "would mandate that state and local law enforcement agencies play a role in the "
            "enforcement of federal immigration law. The IACP believes that the issue of state, "
            "tribal, or local law enforcement’s participation in immigration enforcement is an "
            "inherently local decision that must be made by law enforcement executives, working "
            "with their elected officials, community leaders, and citizens."
        ),
        "about": {
            "about_jurisdictions": ["united-states"],
            "about_ordinances": [
                "executive-order-enhancing-public-safety-in-the-interior",
                "executive-order-protecting-the-nation-from-foreign-terrorist-entry",
            ],
        },
        "cite": ("002", "IACP Statement on Immigration-Related Executive Orders"),
    },
    {
        "slug": "ilacp-statement-on-immigrants-and-local-law-enforcement",
        "title": (
            "Illinois chiefs of police on immigrants, federal immigration laws and local law "
            "enforcement"
        ),
        "speaker_agency": "illinois-association-of-chiefs-of-police",
        "speaker_name": "",
        "speaker_title": "",
        "made_on": datetime.date(2017, 3, 23),
        "made_on_precision": DAY,
        "summary": (
            "The ILACP affirmed the IACP's statement of January 30, 2017, said federal "
            "authorities have the primary responsibility for immigration law, and said local "
            "police will help anyone in need regardless of immigration status while continuing "
            "to cooperate with federal authorities."
        ),
        "text": (
            "Federal authorities have the primary responsibility to enforce immigration and "
            "other federal laws. […] We cooperate in many ways and will continue to do so. […] "
            "Regardless of anyone’s immigration status, we will help anyone in need of "
            "assistance from injury, assault, accident, theft, and so forth."
        ),
        "about": {
            "about_jurisdictions": ["illinois"],
            "about_ordinances": [
                "executive-order-enhancing-public-safety-in-the-interior",
                "executive-order-protecting-the-nation-from-foreign-terrorist-entry",
            ],
            "about_statements": ["iacp-statement-on-immigration-related-executive-orders"],
        },
        "cite": (
            "002",
            'The Illinois Association of Chiefs of Police affirms the "Statement on '
            'Immigration-Related Executive Orders" from the International Association of '
            "Chiefs of Police (IACP)",
        ),
    },
    {
        "slug": "chicago-police-spokesman-on-hsi-agreement",
        "title": "Chicago police spokesman on the HSI customs cross-designation",
        "speaker_agency": "chicago-police-department",
        "speaker_name": "Anthony Guglielmi",
        "speaker_title": "Spokesman",
        "made_on": None,
        "made_on_precision": "",
        "summary": (
            "The CPD spokesman said the agreement lets the department investigate drug "
            "trafficking, human trafficking, street gangs and financial crimes, and is not a "
            "partnership in immigration enforcement."
        ),
        "text": "This is not a partnership in immigration enforcement.",
        "about": {
            "about_jurisdictions": ["chicago"],
            "about_agreements": ["chicago-police-hsi-customs-cross-designation"],
        },
        "cite": (
            "001",
            "Anthony Guglielmi adds: This is not a partnership in immigration enforcement.",
        ),
    },
    {
        "slug": "mayor-lightfoot-on-hsi-agreement",
        "title": "Mayor Lightfoot on the HSI customs cross-designation",
        "speaker_agency": "chicago-office-of-the-mayor",
        "speaker_name": "Lori Lightfoot",
        "speaker_title": "Mayor of Chicago",
        "made_on": None,
        "made_on_precision": "",
        "summary": (
            "The mayor said the agreement concerns Homeland Security work, a separate "
            "activity, and that it bars participation in immigration enforcement."
        ),
        "text": (
            "The [agreement] is around Homeland Security, which is a distinct and separate "
            "activity. It specifically states that they may not participate in immigration "
            "enforcement activities."
        ),
        "about": {
            "about_jurisdictions": ["chicago"],
            "about_agreements": ["chicago-police-hsi-customs-cross-designation"],
        },
        "cite": (
            "001",
            "The [agreement] is around Homeland Security, which is a distinct and separate "
            "activity. It specifically states that they may not participate in immigration "
            "enforcement activities, said the mayor.",
        ),
    },
    {
        "slug": "mayor-lightfoot-letter-to-the-president-on-ice",
        "title": "Mayor Lightfoot's letter to the President on police cooperation with ICE",
        "speaker_agency": "chicago-office-of-the-mayor",
        "speaker_name": "Lori Lightfoot",
        "speaker_title": "Mayor of Chicago",
        "made_on": None,
        "made_on_precision": "",
        "summary": (
            "In a letter to President Donald Trump, the mayor said she had ordered the police "
            "not to cooperate with ICE, that the city's law department had issued protocols for "
            "staff at city-owned facilities not to cooperate with ICE, and that the city had "
            "increased funding for its legal defense fund."
        ),
        "text": (
            "Our law department issued new specific protocols advising all personnel working "
            "at city-owned facilities, including libraries, Park District buildings, senior "
            "centers and schools, not to cooperate with ICE. And we significantly increased "
            "funding for the city’s legal defense fund to offset legal costs for undocumented "
            "Chicagoans."
        ),
        "about": {
            "about_jurisdictions": ["chicago"],
            "about_agencies": [
                "chicago-police-department",
                "immigration-and-customs-enforcement",
            ],
            "about_ordinances": ["chicago-mayors-order-to-police-on-ice"],
        },
        "cite": (
            "003",
            "“Our law department issued new specific protocols advising all personnel working "
            "at city-owned facilities, including libraries, Park District buildings, senior "
            "centers and schools, not to cooperate with ICE. And we significantly increased "
            "funding for the city’s legal defense fund to offset legal costs for undocumented "
            "Chicagoans,” Lightfoot continued.",
        ),
    },
    {
        "slug": "cook-county-dhsem-director-on-immigration-task-force",
        "title": (
            "Cook County DHSEM's executive director on the Law Enforcement Immigration Task "
            "Force meeting at the White House"
        ),
        "speaker_agency": "cook-county-dhsem",
        "speaker_name": "Michael Masters",
        "speaker_title": "Executive director",
        "made_on": None,
        "made_on_precision": "",
        "summary": (
            "Michael Masters joined 15 law enforcement leaders from 10 states at a White House "
            "meeting on immigration during Police Week, as part of the Law Enforcement "
            "Immigration Task Force, and called for changes to the immigration system."
        ),
        "text": (
            "Our current immigration system is broken, incentivizing workers and employers to "
            "break the law, and serving as fertile ground for criminals and criminal groups that "
            "prey upon immigrants. That it is why it is so vital that we make meaningful changes "
            "to establish a realistic system that works. […] Cook County’s diversity is its "
            "strength and our participation on this task force gives us a voice as we work "
            "towards an equitable immigration system."
        ),
        "about": {"about_jurisdictions": ["cook-county"]},
        "cite": (
            "000",
            "Michael Masters, executive director of Cook County’s Department of Homeland "
            "Security and Emergency Management (DHSEM) joined 15 law enforcement leaders from "
            "10 states for a meeting on immigration at the White House on Tuesday.",
        ),
    },
    {
        "slug": "ice-on-cook-county-detainer-releases-2019",
        "title": "ICE on Cook County's releases of people held on immigration detainers in 2019",
        "speaker_agency": "immigration-and-customs-enforcement",
        "speaker_name": "Henry Lucero",
        "speaker_title": "Acting deputy",
        "made_on": None,
        "made_on_precision": "",
        "summary": (
            "ICE said law enforcement agencies in Cook County released over 1,000 people in "
            "2019 despite immigration detainers and its requests to be notified first. The "
            "source notes that compliance with detainers is voluntary, according to the "
            "American Immigration Council."
        ),
        "text": (
            "The source reports this statement without quoting it. Its account: ICE called out "
            "law enforcement agencies throughout Cook County for releasing over 1,000 "
            "immigration violators and criminal aliens throughout 2019, in spite of repeated "
            "requests to notify ICE first; Henry Lucero, acting deputy for ICE, said the "
            "biggest problem is that neither ICE nor the public knows which people are being "
            "released."
        ),
        "about": {"about_jurisdictions": ["cook-county"]},
        "cite": (
            "004",
            "ICE has decided to call out the law enforcement agencies throughout Cook County, "
            "Illinois because of their decision to release over 1,000 immigration violators and "
            "criminal aliens throughout 2019. This is all in spite of ICE making repeated "
            "requires to notify the agencies prior to doing so.",
        ),
    },
    {
        "slug": "ice-acting-director-homan-on-worksite-enforcement",
        "title": "Acting ICE Director Tom Homan on worksite enforcement by HSI",
        "speaker_agency": "immigration-and-customs-enforcement",
        "speaker_name": "Tom Homan",
        "speaker_title": "Acting Director",
        "made_on": datetime.date(2017, 10, 1),
        "made_on_precision": MONTH,
        "summary": (
            "Speaking at the Heritage Foundation, the acting ICE director said he had "
            "instructed HSI to step up worksite enforcement actions over the coming year."
        ),
        "text": (
            "The source reports this remark without quoting it: he had instructed ICE HSI to "
            "dramatically step up worksite enforcement actions over the coming year."
        ),
        "about": {"about_agencies": ["ice-homeland-security-investigations"]},
        "cite": (
            "001",
            "In October 2017, then-Acting ICE Director Tom Homan spoke before the Heritage "
            "Foundation, and was asked whether his agency would focus attention on companies "
            "that hire illegal aliens. […] Homan responded that he had instructed ICE HSI to "
            "dramatically step up worksite enforcement actions over the coming year.",
        ),
    },
]


# Where a passage is in a seed, for a provision's locator. The seeds are plain text, one
# paragraph a line; the headline and each subheading count as a paragraph.
def _paragraphs(*numbers):
    words = " and ".join(str(number) for number in numbers)
    noun = "paragraph" if len(numbers) == 1 else "paragraphs"
    return f"{noun} {words}, counting the headline and subheadings"


# A clause the seed gives in its own words: what the note of such a provision says.
PARAPHRASED = (
    "The clause is the wording of the source, which describes the rule without quoting it; it "
    "is not the text of the {rule} itself."
)

# What the rules and statements above say on the profile's questions (see
# `policytracker.profiles.dimensions`): only what a seed says, each with the seed's own words
# and where they are in it.
#
# Whether a provision binds the places within its place: none does. Each written one is a
# rule of the City of Chicago (its ordinance, its mayor's order to its police, its police's
# agreement, its law department's protocols), which reaches the city's own employees and
# agencies; the seeds name no place that lies within Chicago, and a city's rule never reaches
# its county. The two of Cook County are practices ICE reports, which bind nobody: they show
# on the county's own profile, and a place within it is not said to follow them.
#
# The seeds support nothing else on these questions. The Welcoming City Ordinance's third
# prohibition (denying city services based on immigration status) answers none of them, and
# the seeds do not say what it says on detainers or local resources. The federal order of
# January 25, 2017 is known only as the IACP describes it (directing voluntary 287(g)
# agreements): what it says for which places, and whether it binds them, wants its text. The
# associations' statements are an association's positions, not a place's rules. No seed says
# anything of Illinois law on these questions, so Illinois has no provision.
PROVISIONS = [
    # Chicago's Welcoming City Ordinance, as an opinion piece describes it (not quoting it).
    {
        "instrument": ("ordinance", "chicago-welcoming-city-ordinance"),
        "jurisdiction": "chicago",
        "dimension": Dimension.STATUS_INQUIRY,
        "position": Position.PROHIBITS,
        "basis": Basis.WRITTEN,
        "binds_places_within": False,
        "clause": (
            "The Welcoming City Ordinance, enacted in September 2012, prohibits municipal "
            "employees from inquiring about people's immigration status"
        ),
        "source": "001",
        "locator": _paragraphs(5),
        "note": PARAPHRASED.format(rule="ordinance"),
    },
    {
        "instrument": ("ordinance", "chicago-welcoming-city-ordinance"),
        "jurisdiction": "chicago",
        "dimension": Dimension.INFORMATION_SHARING,
        # It forbids disclosing one thing (citizenship status) to federal authorities: on the
        # question of sharing information with ICE as a whole, that limits it.
        "position": Position.LIMITS,
        "basis": Basis.WRITTEN,
        "binds_places_within": False,
        "clause": (
            "The Welcoming City Ordinance, enacted in September 2012, prohibits municipal "
            "employees from […] disclosing their citizenship status to federal authorities"
        ),
        "source": "001",
        "locator": _paragraphs(5),
        "note": (
            PARAPHRASED.format(rule="ordinance")
            + " It bars disclosing citizenship status; the source says nothing of other "
            "information."
        ),
    },
    # The mayor's order to the police, in her own words as a news item quotes her letter.
    # The sources give the order neither a date nor a status: it is not counted as in force
    # on any date until they do.
    {
        "instrument": ("ordinance", "chicago-mayors-order-to-police-on-ice"),
        "jurisdiction": "chicago",
        "dimension": Dimension.INFORMATION_SHARING,
        "position": Position.PROHIBITS,
        "basis": Basis.WRITTEN,
        "binds_places_within": False,
        "clause": (
            "she ordered the city police department “not to cooperate with Immigration and "
            "Customs Enforcement (ICE) on any activities within the city of Chicago and not to "
            "allow ICE agents access to our police databases.”"
        ),
        "source": "003",
        "locator": _paragraphs(3),
        "note": (
            "The mayor's words in her letter to the President, as the source quotes them; not "
            "the text of the order, which the sources do not give."
        ),
    },
    {
        "instrument": ("ordinance", "chicago-mayors-order-to-police-on-ice"),
        "jurisdiction": "chicago",
        "dimension": Dimension.LOCAL_RESOURCES,
        "position": Position.PROHIBITS,
        "basis": Basis.WRITTEN,
        "binds_places_within": False,
        "clause": (
            "she ordered the city police department “not to cooperate with Immigration and "
            "Customs Enforcement (ICE) on any activities within the city of Chicago"
        ),
        "source": "003",
        "locator": _paragraphs(3),
        "note": (
            "The mayor's words in her letter to the President, as the source quotes them; not "
            "the text of the order, which the sources do not give."
        ),
    },
    # The law department's protocols, which the demo records only through the mayor's letter.
    {
        "instrument": ("statement", "mayor-lightfoot-letter-to-the-president-on-ice"),
        "jurisdiction": "chicago",
        "dimension": Dimension.LOCAL_RESOURCES,
        # Staff of city-owned facilities only, and "advising": limits, not prohibits.
        "position": Position.LIMITS,
        "basis": Basis.WRITTEN,
        "binds_places_within": False,
        "clause": (
            "Our law department issued new specific protocols advising all personnel working "
            "at city-owned facilities, including libraries, Park District buildings, senior "
            "centers and schools, not to cooperate with ICE."
        ),
        "source": "003",
        "locator": _paragraphs(4),
        "note": (
            "The mayor's words in her letter to the President, as the source quotes them; the "
            "sources give neither the protocols' text nor their date."
        ),
    },
    # The customs cross-designation: Chicago police take part, civil immigration law excluded.
    {
        "instrument": ("agreement", "chicago-police-hsi-customs-cross-designation"),
        "jurisdiction": "chicago",
        "dimension": Dimension.CROSS_DESIGNATION,
        "position": Position.PARTICIPATES,
        "basis": Basis.WRITTEN,
        "binds_places_within": False,
        "clause": (
            "The agreement allows ICE to designate certain Chicago Police Department (CPD) "
            "employees as customs officers. As reported by the Chicago Sun-Times, those "
            "officers are authorized to enforce the full range of federal offenses, with the "
            "important exception of civil immigration law violations."
        ),
        "source": "001",
        "locator": _paragraphs(8),
        "note": (
            PARAPHRASED.format(rule="agreement")
            + " Civil immigration law violations are excluded; the mayor said the agreement "
            "“specifically states that they may not participate in immigration enforcement "
            "activities”."
        ),
    },
    # Detainers and release notification in Cook County, as ICE describes the practice.
    {
        "instrument": ("statement", "ice-on-cook-county-detainer-releases-2019"),
        "jurisdiction": "cook-county",
        "dimension": Dimension.DETAINERS,
        # ICE's account is of declined detainers and over 1,000 releases; it names no rule and
        # does not say that every detainer is declined: limits, not prohibits.
        "position": Position.LIMITS,
        "basis": Basis.PRACTICE,
        "reported_by": "U.S. Immigration and Customs Enforcement (ICE)",
        "binds_places_within": False,
        "clause": (
            "Cook County, which is home to Chicago, decided that they would reject or ignore "
            "the immigration detainers placed on the various criminal aliens."
        ),
        "source": "004",
        "locator": _paragraphs(7),
        "note": (
            "ICE's account, in the words of an opinion piece that reports ICE's statement "
            "without quoting it: law enforcement agencies throughout Cook County released over "
            "1,000 people in 2019 despite immigration detainers. The piece adds that compliance "
            "with immigration detainers is voluntary, according to the American Immigration "
            "Council."
        ),
    },
    {
        "instrument": ("statement", "ice-on-cook-county-detainer-releases-2019"),
        "jurisdiction": "cook-county",
        "dimension": Dimension.RELEASE_NOTIFICATION,
        "position": Position.LIMITS,
        "basis": Basis.PRACTICE,
        "reported_by": "U.S. Immigration and Customs Enforcement (ICE)",
        "binds_places_within": False,
        "clause": (
            "This is all in spite of ICE making repeated requires to notify the agencies prior "
            "to doing so. […] Henry Lucero, says that the biggest problem about the county not "
            "working with ICE is that they don’t know which criminal aliens are being released"
        ),
        "source": "004",
        "locator": _paragraphs(6, 8),
        "note": (
            "ICE's account, in the words of an opinion piece that reports ICE's statement "
            "without quoting it (“requires” is the piece's word): the releases came despite "
            "ICE's repeated requests to be notified first."
        ),
    },
]

# Which seeds mention each place, besides the OCD list that gives its identifiers.
JURISDICTION_SEED_CITES = {
    "illinois": (
        "002",
        "Illinois Association of Chiefs of Police Statement on Immigrants, Federal "
        "Immigration Laws and Local Law Enforcement",
    ),
    "cook-county": ("004", "Cook County, which is home to Chicago"),
    "chicago": ("004", "Cook County, which is home to Chicago"),
}


def _cite(record, seed_key, excerpt, stats):
    seed = dict(SEEDS[seed_key])
    seed.setdefault("published_on", None)
    seed.setdefault("published_on_precision", "")
    _count(stats, *citation_upsert(record=record, source=seed, excerpt=excerpt))


def _count(stats, citation, source_outcome, citation_outcome):
    stats[f"source {source_outcome}"] += 1
    stats[f"citation {citation_outcome}"] += 1


def _upsert(model, row, stats, resolve=(), many_to_many=None):
    values = {k: v for k, v in row.items() if k not in ("slug", "cite", "about", "ocd_row")}
    for field, related_model in resolve:
        if values[field] is not None:
            values[field] = related_model.objects.get(slug=values[field])
    record, outcome = record_upsert(
        model=model,
        lookup={"slug": row["slug"]},
        values={**values, "publication_state": PUBLISHED},
        many_to_many=many_to_many,
    )
    stats[f"{model._meta.model_name} {outcome}"] += 1
    if "cite" in row:
        _cite(record, *row["cite"], stats)
    return record


# Why the demo's history rows were written: the list of recent changes shows them as one.
DEMO_CHANGE_REASON = "Demo data loaded"


@transaction.atomic
def load_demo():
    """Load (or bring up to date) the demo records, as one change in their history. Returns a
    count of what happened."""
    with one_change(DEMO_CHANGE_REASON):
        return _load_demo()


def _load_demo():
    stats = Counter()
    for row in JURISDICTIONS:
        place = _upsert(Jurisdiction, row, stats, resolve=[("parent", Jurisdiction)])
        file, line = row["ocd_row"]
        source = {
            **division_source(file),
            "kind": SourceKind.DATASET,
            "published_on": None,
            "published_on_precision": "",
        }
        _count(stats, *citation_upsert(record=place, source=source, excerpt=line))
        if row["slug"] in JURISDICTION_SEED_CITES:
            _cite(place, *JURISDICTION_SEED_CITES[row["slug"]], stats)
    for row in AGENCIES:
        _upsert(Agency, row, stats, resolve=[("jurisdiction", Jurisdiction), ("parent", Agency)])
    for row in ORDINANCES:
        _upsert(
            Ordinance, row, stats, resolve=[("jurisdiction", Jurisdiction), ("issued_by", Agency)]
        )
    for row in AGREEMENTS:
        _upsert(
            Agreement, row, stats, resolve=[("local_party", Agency), ("federal_party", Agency)]
        )
    related_models = {
        "about_jurisdictions": Jurisdiction,
        "about_agencies": Agency,
        "about_ordinances": Ordinance,
        "about_agreements": Agreement,
        "about_statements": Statement,
    }
    for row in STATEMENTS:
        many_to_many = {
            name: list(model.objects.filter(slug__in=row["about"].get(name, [])))
            for name, model in related_models.items()
        }
        _upsert(
            Statement,
            row,
            stats,
            resolve=[("speaker_agency", Agency)],
            many_to_many=many_to_many,
        )
    instruments = {"ordinance": Ordinance, "agreement": Agreement, "statement": Statement}
    for row in PROVISIONS:
        kind, slug = row["instrument"]
        # What a provision is: what one rule says on one question, of one place, as written
        # rule or as practice. The rest is what it says, and is brought up to date.
        lookup = {
            kind: instruments[kind].objects.get(slug=slug),
            "jurisdiction": Jurisdiction.objects.get(slug=row["jurisdiction"]),
            "dimension": row["dimension"],
            "basis": row["basis"],
        }
        values = {
            "position": row["position"],
            "clause": row["clause"],
            "binds_places_within": row["binds_places_within"],
            "reported_by": row.get("reported_by", ""),
            "source": Source.objects.get(title=SEEDS[row["source"]]["title"], url=""),
            "locator": row["locator"],
            "note": row["note"],
            # The seeds date no provision apart from its rule.
            "starts_on": None,
            "starts_on_precision": "",
            "ends_on": None,
            "ends_on_precision": "",
        }
        _provision, outcome = record_upsert(model=Provision, lookup=lookup, values=values)
        stats[f"provision {outcome}"] += 1
    return stats
