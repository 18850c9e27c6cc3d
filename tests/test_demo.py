"""The demo data: what the seeds state, each record cited, and a second load changes nothing."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import call_command
from django.urls import reverse

from agreements.models import Agreement, AgreementKind, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.dates import DatePrecision
from policytracker.demo import SEEDS
from policytracker.importers.ocd import division_source
from policytracker.models import Source
from policytracker.profiles.dimensions import Basis, Dimension, Position
from policytracker.profiles.models import DimensionReview, Provision
from policytracker.profiles.profile import profiles_of
from tests.worlds import built_once

pytestmark = pytest.mark.django_db

RECORD_MODELS = [Jurisdiction, Agency, Ordinance, Agreement, Statement]


def snapshot():
    """Every demo row, every field (timestamps too), as the serializer writes them."""
    return {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for model in [*RECORD_MODELS, Source, Provision, DimensionReview]
    }


def load():
    call_command("load_demo", stdout=StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module; each test's own writes are undone after it."""
    yield from built_once(django_db_blocker, load)


def test_load_demo_run_twice_changes_nothing(demo):
    before = snapshot()
    history_rows = Provision.history.count()

    load()

    assert snapshot() == before
    assert Provision.history.count() == history_rows


def test_load_demo_restores_an_edited_record(demo):
    Ordinance.objects.filter(slug="chicago-welcoming-city-ordinance").update(title="Changed")

    load()

    assert Ordinance.objects.get(slug="chicago-welcoming-city-ordinance").title == (
        "Welcoming City Ordinance"
    )


def test_load_demo_places_form_the_chain_from_chicago_to_the_nation(demo):
    chicago = Jurisdiction.objects.get(slug="chicago")

    assert [place.slug for place in chicago.ancestors()] == [
        "united-states",
        "illinois",
        "cook-county",
    ]
    assert chicago.ocd_id == "ocd-division/country:us/state:il/place:chicago"
    assert chicago.fips == "1714000"


@pytest.mark.parametrize(
    ("slug", "parent"),
    [
        ("ice-homeland-security-investigations", "immigration-and-customs-enforcement"),
        ("ice-enforcement-and-removal-operations", "immigration-and-customs-enforcement"),
        ("immigration-and-customs-enforcement", "department-of-homeland-security"),
        ("customs-and-border-protection", "department-of-homeland-security"),
    ],
)
def test_load_demo_federal_components_sit_under_their_parents(demo, slug, parent):
    assert Agency.objects.get(slug=slug).parent.slug == parent


def test_load_demo_every_record_is_published_and_cited(demo):
    for model in RECORD_MODELS:
        records = model.objects.all()
        assert records.exists(), model
        for record in records:
            assert record.is_published, record
            assert record.sources.exists(), f"{record} has no source"


def test_load_demo_welcoming_city_ordinance_is_dated_to_the_month(demo):
    ordinance = Ordinance.objects.get(slug="chicago-welcoming-city-ordinance")

    assert ordinance.adopted_on == datetime.date(2012, 9, 1)
    assert ordinance.adopted_on_precision == DatePrecision.MONTH
    assert str(ordinance.adopted) == "September 2012"
    assert ordinance in Ordinance.objects.in_force(on=datetime.date(2019, 7, 15))


def test_load_demo_undated_events_stay_undated(demo):
    order = Ordinance.objects.get(slug="chicago-mayors-order-to-police-on-ice")
    masters = Statement.objects.get(slug="cook-county-dhsem-director-on-immigration-task-force")

    assert order.adopted_on is None and order.effective_on is None
    assert masters.made_on is None
    assert "last Friday" in order.citations.get().excerpt


def test_load_demo_customs_agreement_excludes_civil_immigration_law(demo):
    agreement = Agreement.objects.get(slug="chicago-police-hsi-customs-cross-designation")

    assert agreement.kind == AgreementKind.CUSTOMS_CROSS_DESIGNATION
    assert agreement.local_party.abbreviation == "CPD"
    assert agreement.federal_party.abbreviation == "HSI"
    assert "civil immigration law" in agreement.exclusions.lower()
    assert Agreement.objects.for_jurisdiction(Jurisdiction.objects.get(slug="chicago")).exists()


def test_load_demo_statements_have_their_speakers_and_dates(demo):
    iacp = Statement.objects.get(slug="iacp-statement-on-immigration-related-executive-orders")
    ilacp = Statement.objects.get(slug="ilacp-statement-on-immigrants-and-local-law-enforcement")

    assert str(iacp.made) == "January 30, 2017"
    assert str(ilacp.made) == "March 23, 2017"
    assert list(ilacp.about_statements.all()) == [iacp]
    speakers = set(Statement.objects.values_list("speaker_agency__abbreviation", flat=True))
    assert {"IACP", "ILACP", "CPD", "DHSEM", "ICE"} <= speakers
    assert Statement.objects.filter(speaker_name="Lori Lightfoot").count() == 2


# Each seed document as it names itself: title, publisher, kind and date (None where it
# states none), and the address of the OCD files, the only documents whose address is known.
DEMO_SOURCES = {
    (
        "Cook County Participates in Law Enforcement Meeting at White House",
        "Cook County Department of Homeland Security and Emergency Management",
        "press_release",
        None,
        "",
    ),
    (
        "Cooperation between Chicago police and ICE Homeland Security Investigations",
        "",
        "opinion",
        None,
        "",
    ),
    (
        "Illinois Association of Chiefs of Police Statement on Immigrants, Federal Immigration "
        "Laws and Local Law Enforcement",
        "Illinois Association of Chiefs of Police",
        "statement",
        "2017-03-23",
        "",
    ),
    ("Chicago Mayor Lori Lightfoot Tells Police Not to Assist ICE", "", "news", None, ""),
    ("Illinois Allows Illegals Back on the Streets by the Thousands", "", "opinion", None, ""),
    (
        "Open Civic Data division identifiers (states.csv)",
        "Open Civic Data",
        "dataset",
        None,
        "https://github.com/opencivicdata/ocd-division-ids",
    ),
    (
        "Open Civic Data division identifiers (us_census_places.csv)",
        "Open Civic Data",
        "dataset",
        None,
        "https://github.com/opencivicdata/ocd-division-ids",
    ),
}


def test_load_demo_sources_are_named_and_dated_as_their_documents_are(demo):
    found = {
        (
            source.title,
            source.publisher,
            source.kind,
            source.published.isoformat() if source.published else None,
            source.url,
        )
        for source in Source.objects.all()
    }

    assert found == DEMO_SOURCES


def test_load_demo_sources_say_what_their_documents_leave_out(demo):
    for source in Source.objects.filter(publisher=""):
        assert "names neither" in source.notes, source
    for source in Source.objects.filter(published_on__isnull=True).exclude(kind="dataset"):
        assert "not dated" in source.notes, source
    release = Source.objects.get(kind="press_release")
    assert "www.cookcountyhomelandsecurity.org" in release.notes  # the only address a seed gives


def test_load_demo_each_seed_is_one_source_cited_by_every_record_it_supports(demo):
    titles = list(Source.objects.values_list("title", flat=True))
    chicago_police = Source.objects.get(title__startswith="Cooperation between Chicago police")

    assert len(titles) == len(set(titles)) == 7  # five seed documents and two OCD files
    assert chicago_police.citations.count() > 1
    assert all(citation.excerpt for citation in chicago_police.citations.all())


def test_load_demo_cites_the_ocd_files_as_their_importer_does(demo):
    states = Source.objects.get(title="Open Civic Data division identifiers (states.csv)")

    assert {citation.record.slug for citation in states.citations.all()} == {
        "united-states",
        "illinois",
    }
    assert {
        key: getattr(states, key) for key in ("title", "publisher", "url", "notes")
    } == division_source("states.csv")


# A seed's file name ("001_2f105dcce84229f9.txt"), or the words that used to introduce one.
SEED_FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}|seed document", re.IGNORECASE)


def public_addresses():
    """Every public page, API answer, download and feed of the demo data."""
    lists = ["jurisdictions", "agencies", "ordinances", "agreements", "statements"]
    addresses = [reverse("home"), reverse("changes"), reverse("sources:list")]
    addresses += [reverse("search:search") + f"?q={word}" for word in ("seed", "txt", "ICE")]
    addresses += [reverse("api:search-list") + f"?q={word}" for word in ("seed", "ICE")]
    addresses += [reverse("search:export", args=["csv"]) + "?q=ICE"]
    addresses += [reverse("exports:index"), reverse("feeds:changes"), reverse("feeds:revisions")]
    for file_format in ("csv", "json"):
        addresses += [
            reverse(f"exports:{name}", args=[file_format]) for name in ("sources", "citations")
        ]
    for name, model in zip(lists, RECORD_MODELS, strict=True):
        addresses += [reverse(f"{name}:list"), reverse(f"api:{model._meta.model_name}-list")]
        addresses += [
            reverse(f"{name}:export", args=["csv"]),
            reverse("feeds:records", args=[name]),
        ]
        for slug in model.objects.values_list("slug", flat=True):
            addresses += [
                reverse(f"{name}:detail", args=[slug]),
                reverse(f"{name}:changes", args=[slug]),
                reverse(f"api:{model._meta.model_name}-detail", args=[slug]),
            ]
    for slug in Jurisdiction.objects.values_list("slug", flat=True):
        addresses.append(reverse("feeds:place", args=[slug]))
    addresses.append(reverse("api:source-list"))
    for pk in Source.objects.values_list("pk", flat=True):
        addresses += [
            reverse("sources:detail", args=[pk]),
            reverse("api:source-detail", args=[pk]),
            reverse("api:source-citations", args=[pk]),
        ]
    return addresses


def test_load_demo_no_public_page_api_download_or_feed_names_a_seed_file(demo, client):
    seen = 0
    for address in public_addresses():
        response = client.get(address)
        assert response.status_code == 200, address
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert not SEED_FILE_NAME.search(body), address
        seen += 1

    assert seen > 100


def test_load_demo_chicago_page_leads_with_its_identifiers_not_an_opinion_piece(demo, client):
    html = client.get(reverse("jurisdictions:detail", args=["chicago"])).content.decode()

    box = html[html.index('id="sources-heading"') :]
    ocd = box.index("Open Civic Data division identifiers (us_census_places.csv)")
    opinion = box.index("Illinois Allows Illegals Back on the Streets by the Thousands")
    assert ocd < opinion
    assert box.count("badge--opinion") == 1


def test_load_demo_is_one_change_on_the_recent_changes_page_and_feed(demo, client):
    records = sum(model.objects.count() for model in RECORD_MODELS)

    page = client.get(reverse("changes"))
    feed = client.get(reverse("feeds:revisions")).content.decode()

    (change,) = page.context["revisions"]
    assert (change.record_count, str(change.change_kind()), change.history_change_reason) == (
        records,
        "published",
        "Demo data loaded",
    )
    html = page.content.decode()
    assert f"{records} records" in html
    assert "Welcoming City Ordinance" not in html
    assert feed.count("<entry>") == 1
    assert f"Published: {records} records" in feed


def test_load_demo_each_record_keeps_its_own_history_of_the_load(demo, client):
    ordinance = Ordinance.objects.get(slug="chicago-welcoming-city-ordinance")

    response = client.get(reverse("ordinances:changes", args=[ordinance.slug]))

    (revision,) = response.context["object_list"]
    assert (str(revision.change_kind()), revision.history_change_reason) == (
        "published",
        "Demo data loaded",
    )


# Provisions: what the rules say on the profile's questions, in the seeds' own words

# The seed documents, beside the project as in the shared folder (not in the repository).
SEEDS_FOLDER = Path(__file__).parents[2] / "shared/seeds"
needs_seeds = pytest.mark.skipif(
    not SEEDS_FOLDER.is_dir(), reason="the shared seeds folder is not beside"
)


def normalised(text):
    return " ".join(text.split())


def seed_paragraphs(source):
    """The paragraphs of the seed that `source` describes: its lines that hold text."""
    (key,) = [key for key, seed in SEEDS.items() if seed["title"] == source.title]
    (path,) = SEEDS_FOLDER.glob(f"{key}_*.txt")
    return [normalised(line) for line in path.read_text().splitlines() if line.strip()]


WELCOMING = "chicago-welcoming-city-ordinance"
MAYORS_ORDER = "chicago-mayors-order-to-police-on-ice"
MAYORS_LETTER = "mayor-lightfoot-letter-to-the-president-on-ice"
CUSTOMS = "chicago-police-hsi-customs-cross-designation"
ICE_ON_COOK = "ice-on-cook-county-detainer-releases-2019"


def test_load_demo_provisions_are_those_the_seeds_support(demo):
    found = {
        (
            p.jurisdiction.slug,
            p.dimension,
            p.position,
            p.basis,
            p.binds_places_within,
            p.instrument.slug,
        )
        for p in Provision.objects.select_related(
            "jurisdiction", "ordinance", "agreement", "statement"
        )
    }

    assert found == {
        ("chicago", "status_inquiry", "prohibits", "written", False, WELCOMING),
        ("chicago", "information_sharing", "limits", "written", False, WELCOMING),
        ("chicago", "information_sharing", "prohibits", "written", False, MAYORS_ORDER),
        ("chicago", "local_resources", "prohibits", "written", False, MAYORS_ORDER),
        ("chicago", "local_resources", "limits", "written", False, MAYORS_LETTER),
        ("chicago", "cross_designation", "participates", "written", False, CUSTOMS),
        ("cook-county", "detainers", "limits", "practice", False, ICE_ON_COOK),
        ("cook-county", "release_notification", "limits", "practice", False, ICE_ON_COOK),
    }


@needs_seeds
def test_load_demo_each_provision_quotes_its_seed_where_its_locator_says(demo):
    seed_titles = {seed["title"] for seed in SEEDS.values()}
    provisions = Provision.objects.select_related("source")

    assert provisions.count() == 8
    for provision in provisions:
        assert provision.source.title in seed_titles, provision
        numbers = [int(n) for n in re.findall(r"\d+", provision.locator.split(",")[0])]
        assert provision.locator.startswith("paragraph") and numbers, provision
        paragraphs = seed_paragraphs(provision.source)
        located = " ".join(paragraphs[number - 1] for number in numbers)
        # A clause may leave words out, marked […]: each part is in the paragraphs, in order.
        position = 0
        for part in normalised(provision.clause).split(" […] "):
            assert part, provision
            position = located.find(part, position)
            assert position >= 0, (provision, part)


def test_load_demo_a_clause_in_the_sources_words_says_so_in_its_note(demo):
    for provision in Provision.objects.filter(basis=Basis.WRITTEN):
        assert "not the text of the" in provision.note or "the sources give" in provision.note, (
            provision
        )
    for provision in Provision.objects.filter(basis=Basis.PRACTICE):
        assert provision.note.startswith("ICE's account, in the words of an opinion piece")


def test_load_demo_practice_is_ices_account_and_no_provision_names_a_seed_file(demo):
    practice = Provision.objects.filter(basis=Basis.PRACTICE)

    assert set(practice.values_list("reported_by", flat=True)) == {
        "U.S. Immigration and Customs Enforcement (ICE)"
    }
    for provision in Provision.objects.all():
        for text in (provision.clause, provision.locator, provision.note, provision.reported_by):
            assert not SEED_FILE_NAME.search(text), provision


def test_load_demo_records_no_review_and_nothing_of_illinois(demo):
    """A review says staff checked the sources for a question: loading the seeds is not that."""
    assert not DimensionReview.objects.exists()
    assert not Provision.objects.filter(jurisdiction__slug__in=["illinois", "united-states"])


def test_load_demo_restores_an_edited_provision(demo):
    provision = Provision.objects.get(dimension=Dimension.STATUS_INQUIRY)
    Provision.objects.filter(pk=provision.pk).update(position=Position.PERMITS, locator="")

    load()

    provision.refresh_from_db()
    assert (provision.position, provision.locator) == (
        Position.PROHIBITS,
        "paragraph 5, counting the headline and subheadings",
    )
    assert Provision.objects.count() == 8


def test_load_demo_provisions_history_is_part_of_the_one_change(demo):
    ordinance = Ordinance.history.get(slug=WELCOMING)

    rows = Provision.history.all()
    assert rows.count() == 8
    assert {(row.history_date, row.history_change_reason) for row in rows} == {
        (ordinance.history_date, "Demo data loaded")
    }


def profiles():
    places = {place.slug: place for place in Jurisdiction.objects.all()}
    found = profiles_of(places.values())
    return {slug: found[place.pk] for slug, place in places.items()}


def test_load_demo_chicago_profile_is_its_own_rules_as_the_seeds_state_them(demo):
    chicago = profiles()["chicago"]

    governing = {
        cell.dimension: (cell.governing.provision.instrument.slug, cell.position)
        for cell in chicago.cells
        if cell.governing
    }
    assert governing == {
        Dimension.STATUS_INQUIRY: (WELCOMING, "prohibits"),
        Dimension.INFORMATION_SHARING: (WELCOMING, "limits"),
        Dimension.LOCAL_RESOURCES: (MAYORS_LETTER, "limits"),
        Dimension.CROSS_DESIGNATION: (CUSTOMS, "participates"),
    }
    status = chicago.cell(Dimension.STATUS_INQUIRY)
    assert status.governing.inherited_from is None  # Chicago's own
    assert str(status.governing.provision.in_force_from()) == "September 2012"
    # The mayor's order is dated and given a status by no source: in force on no date.
    assert all(
        item.provision.instrument.slug != MAYORS_ORDER
        for cell in chicago.cells
        for item in cell.context
    )
    # Cook County's practice is the county's: it binds nobody, Chicago included.
    assert chicago.cell(Dimension.DETAINERS).practice == []
    assert chicago.reviewed_count == 0


def test_load_demo_cook_county_detainers_are_ices_attributed_account_and_no_rule(demo):
    cook = profiles()["cook-county"]

    detainers = cook.cell(Dimension.DETAINERS)
    assert detainers.governing is None and detainers.position == ""
    assert detainers.context == [] and not detainers.is_reviewed
    (practice,) = detainers.practice
    assert practice.provision.instrument.slug == ICE_ON_COOK
    assert practice.provision.reported_by == "U.S. Immigration and Customs Enforcement (ICE)"
    assert cook.recorded_count == 0
    # Nothing the seeds say governs in Illinois or the nation.
    assert profiles()["illinois"].recorded_count == profiles()["united-states"].recorded_count == 0
