"""Search: ranking, the query language, facets, places within places, the index kept
current from the admin and the API, bad input, exports and feeds; on either database."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement
from jurisdictions.models import Ordinance
from policytracker.importers.ocd import OcdImporter
from policytracker.models import Citation, PublicationState, Source
from policytracker.search.cache import current_token
from policytracker.search.indexing import index_queryset, index_written
from policytracker.search.models import SearchEntry
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    CitationFactory,
    CityFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    SourceFactory,
    StatementFactory,
)
from tests.import_helpers import data_file
from tests.test_admin import admin_url, agreement_form_data, parties  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")
API_SEARCH = reverse("api:search-list")
ATOM = "{http://www.w3.org/2005/Atom}"


def api_titles(api_client, **params):
    response = api_client.get(API_SEARCH, params)
    assert response.status_code == 200, response.content
    return [result["title"] for result in response.json()["results"]]


def page_titles(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.content
    return [entry.title for entry in response.context["results"]]


# Ranking and the query language


def test_a_title_match_ranks_above_a_body_match(api_client, chain):
    OrdinanceFactory(
        title="Rules on courthouse arrests",
        summary="The council debated detainers at length, and detainers again.",
        jurisdiction=chain.city,
    )
    OrdinanceFactory(
        title="Detainer policy", summary="What the sheriff does.", jurisdiction=chain.city
    )

    assert api_titles(api_client, q="detainer") == [
        "Detainer policy",
        "Rules on courthouse arrests",
    ]


def test_a_quoted_phrase_needs_its_words_together_and_in_order(api_client, chain):
    OrdinanceFactory(title="Welcoming City Ordinance", jurisdiction=chain.city)
    OrdinanceFactory(title="A city welcoming visitors", jurisdiction=chain.city)

    assert api_titles(api_client, q='"welcoming city"') == ["Welcoming City Ordinance"]
    assert sorted(api_titles(api_client, q="welcoming city")) == [
        "A city welcoming visitors",
        "Welcoming City Ordinance",
    ]


def test_a_minus_sign_excludes_a_word_or_a_phrase(api_client, chain):
    OrdinanceFactory(title="Detainer policy for the jail", jurisdiction=chain.city)
    OrdinanceFactory(title="Detainer policy for courts", jurisdiction=chain.city)

    assert api_titles(api_client, q="detainer -jail") == ["Detainer policy for courts"]
    assert api_titles(api_client, q='detainer -"for courts"') == ["Detainer policy for the jail"]


def test_or_accepts_either_word(api_client, chain):
    OrdinanceFactory(title="Sheriff rules", jurisdiction=chain.city)
    OrdinanceFactory(title="Police rules", jurisdiction=chain.city)
    OrdinanceFactory(title="Fire rules", jurisdiction=chain.city)

    assert sorted(api_titles(api_client, q="sheriff OR police")) == [
        "Police rules",
        "Sheriff rules",
    ]


def test_summaries_full_texts_and_sources_excerpts_are_searched(api_client, chain):
    ordinance = OrdinanceFactory(
        title="Ordinance A",
        full_text="Section 2-173-020 forbids inquiries.",
        jurisdiction=chain.city,
    )
    agreement = AgreementFactory(title="Agreement B")
    SourceFactory(record=agreement, excerpt="Officers are cross-designated as customs officers.")

    assert api_titles(api_client, q="inquiries") == [ordinance.title]
    assert api_titles(api_client, q="cross-designated customs") == [agreement.title]


def test_results_carry_type_place_date_and_a_highlighted_escaped_snippet(api_client, chain):
    OrdinanceFactory(
        title="Welcoming City Ordinance",
        summary="It forbids asking about immigration status & citizenship <or> papers.",
        jurisdiction=chain.city,
        adopted_on="2012-09-01",
        adopted_on_precision="month",
    )

    (result,) = api_client.get(API_SEARCH, {"q": "immigration status"}).json()["results"]

    assert result["type"] == "ordinance"
    assert result["jurisdiction"]["slug"] == "chicago"
    assert result["date"] == "2012-09"
    assert "<mark>immigration</mark> <mark>status</mark>" in result["snippet"]
    assert "<or>" not in result["snippet"]
    assert "status</mark> &amp; citizenship" in result["snippet"]


def test_every_record_type_is_found(api_client, chain):
    JurisdictionFactory(name="Evanston", slug="evanston", kind="city", parent=chain.county)
    AgencyFactory(name="Evanston Police Department", jurisdiction=chain.city)
    OrdinanceFactory(title="Evanston welcoming ordinance", jurisdiction=chain.city)
    AgreementFactory(title="Evanston task force")
    StatementFactory(title="Evanston mayor on detainers")

    response = api_client.get(API_SEARCH, {"q": "evanston"}).json()

    assert sorted(result["type"] for result in response["results"]) == [
        "agency",
        "agreement",
        "jurisdiction",
        "ordinance",
        "statement",
    ]


def test_drafts_are_found_by_staff_only(api_client, staff_api_client, chain):
    OrdinanceFactory(
        title="Draft detainer rule",
        jurisdiction=chain.city,
        publication_state=PublicationState.DRAFT,
    )

    assert api_titles(api_client, q="detainer") == []
    assert api_titles(staff_api_client, q="detainer") == ["Draft detainer rule"]


# Misspelt and unfinished words


@pytest.mark.parametrize("typed", ["Lightfot", "Lightfoo", "lightf"])
def test_a_misspelt_or_partial_name_still_finds_its_record(client, chain, typed):
    StatementFactory(
        title="Mayor on the customs agreement",
        speaker_name="Lori Lightfoot",
        speaker_title="Mayor of Chicago",
    )

    response = client.get(SEARCH, {"q": typed})

    assert [entry.title for entry in response.context["results"]] == [
        "Mayor on the customs agreement"
    ]
    assert response.context["search"].approximate
    assert "spelt nearly like it" in response.content.decode()


def test_two_letters_swapped_in_a_long_name_still_find_it(client, chain):
    StatementFactory(title="Alderman on the ordinance", speaker_name="Priya Krishnamurthy")

    assert page_titles(client, q="Krishanmurthy") == ["Alderman on the ordinance"]


def test_a_partial_word_finds_the_whole_one(api_client, chain):
    OrdinanceFactory(title="Welcoming City Ordinance", jurisdiction=chain.city)

    response = api_client.get(API_SEARCH, {"q": "Welcom"}).json()

    assert [result["title"] for result in response["results"]] == ["Welcoming City Ordinance"]


# Filters and facets


def test_a_state_filter_includes_the_places_inside_it(api_client, places):
    elsewhere = JurisdictionFactory(name="Ohio", slug="ohio", kind="state", parent=places.nation)
    OrdinanceFactory(title="Chicago detainer rule", jurisdiction=places.city)
    OrdinanceFactory(title="Cook County detainer rule", jurisdiction=places.county)
    OrdinanceFactory(title="Ohio detainer rule", jurisdiction=elsewhere)
    AgreementFactory(title="CPD detainer agreement", local_party=places.cpd)

    titles = api_titles(api_client, q="detainer", jurisdiction="illinois")
    assert sorted(titles) == [
        "CPD detainer agreement",
        "Chicago detainer rule",
        "Cook County detainer rule",
    ]
    assert api_titles(api_client, q="detainer", jurisdiction="chicago", type="ordinance") == [
        "Chicago detainer rule"
    ]


def test_facets_count_the_results_by_type_place_kind_status_and_year(api_client, places):
    OrdinanceFactory(
        title="Detainer rule one",
        jurisdiction=places.city,
        adopted_on="2012-01-01",
        adopted_on_precision="year",
    )
    OrdinanceFactory(
        title="Detainer rule two",
        jurisdiction=places.city,
        status="repealed",
        adopted_on="2012-05-01",
        adopted_on_precision="month",
        repealed_on="2014-01-01",
        repealed_on_precision="year",
    )
    StatementFactory(title="Detainer statement", speaker_agency=places.cpd)
    OrdinanceFactory(title="Unrelated rule", jurisdiction=places.county)

    facets = {
        facet["name"]: {value["value"]: value["count"] for value in facet["values"]}
        for facet in api_client.get(API_SEARCH, {"q": "detainer"}).json()["facets"]
    }

    assert facets["type"] == {"ordinance": 2, "statement": 1}
    assert facets["jurisdiction"] == {"chicago": 3}
    assert facets["agency"] == {"cpd": 1}
    assert facets["status"] == {"in_force": 1, "repealed": 1}
    assert facets["year"] == {"2012": 2}


def test_a_facet_link_narrows_the_search_and_a_chosen_one_widens_it(client, places):
    OrdinanceFactory(title="Detainer rule", jurisdiction=places.city)
    StatementFactory(title="Detainer statement", speaker_agency=places.cpd)

    response = client.get(SEARCH, {"q": "detainer"})
    (type_facet,) = [f for f in response.context["facets"] if f.name == "type"]
    ordinance = next(v for v in type_facet.values if v.value == "ordinance")
    narrowed = client.get(f"{SEARCH}?{ordinance.query}")

    assert [entry.title for entry in narrowed.context["results"]] == ["Detainer rule"]
    (chosen,) = [f for f in narrowed.context["facets"] if f.name == "type"][0].values
    assert chosen.selected
    widened = client.get(f"{SEARCH}?{chosen.query}")
    assert len(widened.context["results"]) == 2


def test_filters_without_words_list_records_newest_first(client, chain):
    OrdinanceFactory(
        title="Older", jurisdiction=chain.city, adopted_on="2001-01-01", adopted_on_precision="day"
    )
    OrdinanceFactory(
        title="Newer", jurisdiction=chain.city, adopted_on="2020-01-01", adopted_on_precision="day"
    )

    assert page_titles(client, type="ordinance") == ["Newer", "Older"]
    assert page_titles(client, type="ordinance", sort="title") == ["Newer", "Older"]
    assert page_titles(client, type="ordinance", sort="oldest") == ["Older", "Newer"]


def test_results_are_paged_with_stable_urls(client, chain):
    for number in range(25):
        OrdinanceFactory(title=f"Detainer rule {number:02}", jurisdiction=chain.city)

    first = page_titles(client, q="detainer")
    second = page_titles(client, q="detainer", page=2)

    assert len(first) == 20 and len(second) == 5
    assert not set(first) & set(second)
    assert page_titles(client, q="detainer") == first
    assert client.get(SEARCH, {"q": "detainer", "page": 3}).status_code == 404


# The index stays current


def test_an_admin_edit_updates_the_index(staff_client, parties):  # noqa: F811
    data = agreement_form_data(staff_client, parties)
    assert staff_client.post(admin_url(Agreement, "add"), data).status_code == 302
    agreement = Agreement.objects.get()

    citation = agreement.citations.get()
    data = agreement_form_data(staff_client, parties, title="Memorandum on gang databases")
    data |= {
        "citations-INITIAL_FORMS": "1",
        "citations-0-id": citation.pk,
        "citations-0-agreement": agreement.pk,
        "citations-0-source": citation.source_id,
    }
    response = staff_client.post(admin_url(Agreement, "change", agreement.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert page_titles(staff_client, q="gang databases") == ["Memorandum on gang databases"]
    assert page_titles(staff_client, q="cross-designation") == []


def test_an_api_edit_updates_the_index(api_client, staff_api_client, chain):
    ordinance = OrdinanceFactory(title="Old title", jurisdiction=chain.city)

    response = staff_api_client.patch(
        reverse("api:ordinance-detail", args=[ordinance.slug]),
        {"title": "Trust Act", "summary": "Limits on detainers."},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert api_titles(api_client, q="trust") == ["Trust Act"]
    assert api_titles(api_client, q="detainers") == ["Trust Act"]
    assert api_titles(api_client, q="old") == []


def test_publishing_deleting_and_citing_update_the_index(api_client, chain):
    ordinance = OrdinanceFactory(
        title="Detainer rule",
        jurisdiction=chain.city,
        publication_state=PublicationState.DRAFT,
    )
    assert api_titles(api_client, q="detainer") == []

    ordinance.publication_state = PublicationState.PUBLISHED
    ordinance.save()
    assert api_titles(api_client, q="detainer") == ["Detainer rule"]

    SourceFactory(record=ordinance, excerpt="Adopted by the council unanimously.")
    assert api_titles(api_client, q="unanimously") == ["Detainer rule"]
    Citation.objects.get().delete()
    assert api_titles(api_client, q="unanimously") == []

    ordinance.delete()
    assert api_titles(api_client, q="detainer") == []
    assert not SearchEntry.objects.filter(record_type="ordinance").exists()


def test_renaming_an_agency_updates_the_records_that_name_it(api_client, places):
    AgreementFactory(title="Task force memorandum", local_party=places.cpd)

    places.cpd.name = "Chicago Police Bureau"
    places.cpd.save()

    assert api_titles(api_client, q="bureau", type="agreement") == ["Task force memorandum"]


def test_a_statements_places_follow_its_about_list(api_client, places):
    statement = StatementFactory(title="Detainer statement", speaker_agency=places.ice)
    statement.about_jurisdictions.set([places.dupage])

    assert api_titles(api_client, q="detainer", jurisdiction="dupage-county") == [
        "Detainer statement"
    ]
    statement.about_jurisdictions.set([places.city])
    assert api_titles(api_client, q="detainer", jurisdiction="dupage-county") == []
    assert api_titles(api_client, q="detainer", jurisdiction="cook-county") == [
        "Detainer statement"
    ]


def test_rebuild_command_rewrites_every_entry(api_client, chain):
    ordinance = OrdinanceFactory(title="Detainer rule", jurisdiction=chain.city)
    SourceFactory(record=ordinance, title="Detainer memorandum")
    SearchEntry.objects.all().delete()
    assert api_titles(api_client, q="detainer") == []

    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)

    assert sorted(api_titles(api_client, q="detainer")) == ["Detainer memorandum", "Detainer rule"]
    assert "ordinance: 1 indexed" in out.getvalue()
    assert "source: 1 indexed" in out.getvalue()


# Sources: each document is an entry of its own


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded documents go to a folder of the test's own, removed with it."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def document(text):
    """A text file to upload as a source's document: its text is what search reads."""
    return SimpleUploadedFile("document.txt", text.encode())


def test_a_documents_text_is_found_once_however_many_records_cite_it(
    api_client, chain, media_root
):
    first = OrdinanceFactory(title="Welcoming City Ordinance", jurisdiction=chain.city)
    second = AgreementFactory(title="Task force memorandum")
    source = SourceFactory(
        record=first,
        title="Council proceedings, 12 September 2012",
        document=document("The committee heard testimony about quarantine protocols."),
    )
    CitationFactory(source=source, record=second)

    response = api_client.get(API_SEARCH, {"q": "quarantine protocols"}).json()

    assert response["count"] == 1
    (result,) = response["results"]
    assert (result["type"], result["title"], result["slug"]) == (
        "source",
        "Council proceedings, 12 September 2012",
        None,
    )
    assert result["url"] == f"http://testserver{reverse('sources:detail', args=[source.pk])}"
    assert (
        result["api_url"] == f"http://testserver{reverse('api:source-detail', args=[source.pk])}"
    )
    assert "<mark>quarantine</mark> <mark>protocols</mark>" in result["snippet"]
    assert SearchEntry.objects.filter(body__contains="quarantine").count() == 1


def test_a_records_entry_has_its_citations_excerpts_but_not_the_documents_text(chain, media_root):
    ordinance = OrdinanceFactory(title="Welcoming City Ordinance", jurisdiction=chain.city)
    source = SourceFactory(
        record=ordinance,
        title="Municipal Code chapter 2-173",
        publisher="Office of the City Clerk",
        excerpt="No agent shall ask about citizenship.",
        document=document("Chapter 2-173, in full: a long text about licensing."),
    )

    body = SearchEntry.objects.get(ordinance_record=ordinance).body
    assert "No agent shall ask about citizenship." in body
    assert "Municipal Code chapter 2-173" in body
    assert "Office of the City Clerk" in body
    assert "licensing" not in body
    entry = SearchEntry.objects.get(source_record=source)
    assert "licensing" in entry.body
    assert "citizenship" not in entry.body  # an excerpt is the citing record's


def test_a_sources_entry_has_its_title_publisher_kind_notes_and_date(chain):
    source = SourceFactory(
        record=OrdinanceFactory(jurisdiction=chain.city),
        title="Sheriff ends detainer holds",
        publisher="Chicago Tribune",
        kind="news",
        notes="Reprinted in the council's packet.",
        published_on="2014-06-01",
        published_on_precision="month",
    )

    entry = SearchEntry.objects.get(source_record=source)
    assert (entry.record_type, entry.title, entry.kind, entry.slug) == (
        "source",
        "Sheriff ends detainer holds",
        "news",
        "",
    )
    assert entry.keywords == "Chicago Tribune News report"
    assert entry.body == "Reprinted in the council's packet."
    assert entry.when.isoformat() == "2014-06"
    assert (entry.jurisdiction, entry.agency, entry.is_published) == (None, None, True)
    assert entry.get_absolute_url() == reverse("sources:detail", args=[source.pk])


def test_a_source_cited_only_by_drafts_is_found_by_staff_only_and_an_uncited_one_by_none(
    api_client, staff_api_client, chain, media_root
):
    draft = OrdinanceFactory(jurisdiction=chain.city, publication_state=PublicationState.DRAFT)
    SourceFactory(record=draft, title="Draft memo", document=document("Quarantine protocols."))
    SourceFactory(title="Uncited memo", notes="Quarantine protocols, not yet cited.")

    assert api_titles(api_client, q="quarantine") == []
    # A document nothing cites has no page, so nothing to find.
    assert api_titles(staff_api_client, q="quarantine") == ["Draft memo"]


def test_publishing_a_citing_record_makes_its_source_findable_and_unpublishing_hides_it(
    api_client, chain
):
    ordinance = OrdinanceFactory(jurisdiction=chain.city, publication_state=PublicationState.DRAFT)
    SourceFactory(record=ordinance, title="Council memo", notes="On quarantine.")
    assert api_titles(api_client, q="quarantine") == []

    ordinance.publication_state = PublicationState.PUBLISHED
    ordinance.save()
    assert api_titles(api_client, q="quarantine") == ["Council memo"]

    ordinance.publication_state = PublicationState.WITHDRAWN
    ordinance.save()
    assert api_titles(api_client, q="quarantine") == []


def test_each_change_of_citation_updates_whether_a_source_is_found(api_client, chain):
    published = OrdinanceFactory(jurisdiction=chain.city)
    draft = OrdinanceFactory(jurisdiction=chain.city, publication_state=PublicationState.DRAFT)
    memo = SourceFactory(title="Council memo", notes="On quarantine.")
    other = SourceFactory(title="Health report", notes="On quarantine.")
    assert api_titles(api_client, q="quarantine") == []

    citation = CitationFactory(source=memo, record=published)
    assert api_titles(api_client, q="quarantine") == ["Council memo"]

    citation.source = other  # the citation now names another document
    citation.save()
    assert api_titles(api_client, q="quarantine") == ["Health report"]
    assert not SearchEntry.objects.filter(source_record=memo).exists()  # cited by nothing

    citation.ordinance = draft  # and is moved to a draft
    citation.save()
    assert api_titles(api_client, q="quarantine") == []

    CitationFactory(source=other, record=published)
    assert api_titles(api_client, q="quarantine") == ["Health report"]
    Citation.objects.filter(ordinance=published).delete()
    assert api_titles(api_client, q="quarantine") == []


@pytest.mark.parametrize("how", ["the record", "a queryset"])
def test_deleting_the_only_published_record_citing_a_source_hides_it(api_client, chain, how):
    ordinance = OrdinanceFactory(jurisdiction=chain.city)
    SourceFactory(record=ordinance, title="Council memo", notes="On quarantine.")
    assert api_titles(api_client, q="quarantine") == ["Council memo"]

    if how == "the record":
        ordinance.delete()
    else:
        Ordinance.objects.all().delete()

    assert api_titles(api_client, q="quarantine") == []
    assert not SearchEntry.objects.filter(record_type="source").exists()  # cited by nothing


def test_editing_a_source_updates_its_entry(api_client, chain):
    source = SourceFactory(record=OrdinanceFactory(jurisdiction=chain.city), title="Old memo")

    source.title = "Quarantine memo"
    source.save()

    assert api_titles(api_client, q="quarantine", type="source") == ["Quarantine memo"]
    assert api_titles(api_client, q="old") == []


def test_sources_are_a_record_type_to_filter_by_with_a_facet_and_kinds(client, api_client, chain):
    ordinance = OrdinanceFactory(title="Detainer rule", jurisdiction=chain.city)
    SourceFactory(record=ordinance, title="Detainer memo", kind="press_release")

    facets = {
        facet["name"]: {value["value"]: value["label"] for value in facet["values"]}
        for facet in api_client.get(API_SEARCH, {"q": "detainer"}).json()["facets"]
    }
    assert facets["type"] == {"ordinance": "Ordinance", "source": "Source"}
    assert facets["kind"]["press_release"] == "Press release"
    assert api_titles(api_client, q="detainer", type="source") == ["Detainer memo"]
    assert api_titles(api_client, q="detainer", type="ordinance") == ["Detainer rule"]
    assert api_titles(api_client, q="detainer", kind="press_release") == ["Detainer memo"]
    assert api_titles(api_client, q="detainer", kind="ordinance") == ["Detainer rule"]


def test_a_source_result_links_to_the_sources_page(client, chain):
    source = SourceFactory(
        record=OrdinanceFactory(jurisdiction=chain.city), title="Quarantine memo"
    )

    html = client.get(SEARCH, {"q": "quarantine"}).content.decode()

    assert f'<a href="{reverse("sources:detail", args=[source.pk])}">Quarantine memo</a>' in html
    assert '<span class="badge badge--source">Source</span>' in html


def test_a_search_export_names_a_source_by_its_page(client, chain):
    source = SourceFactory(
        record=OrdinanceFactory(jurisdiction=chain.city), title="Quarantine memo"
    )

    response = client.get(
        reverse("search:export", args=["csv"]), {"q": "quarantine", "type": "source"}
    )
    (row,) = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))

    assert (row["id"], row["title"]) == (str(source.pk), "Quarantine memo")
    assert row["html_url"] == f"http://testserver{reverse('sources:detail', args=[source.pk])}"


def test_a_search_feed_lists_records_not_sources(client, chain):
    ordinance = OrdinanceFactory(title="Quarantine rule", jurisdiction=chain.city)
    SourceFactory(record=ordinance, title="Council memo", notes="On quarantine.")

    feed = ET.fromstring(client.get(reverse("feeds:search"), {"q": "quarantine"}).content)

    assert [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")] == [
        "Quarantine rule"
    ]


def test_an_import_indexes_the_source_it_makes_for_its_file():
    summary = OcdImporter().run([data_file("ocd_states.csv")])

    assert summary.written
    source = Source.objects.get()
    entry = SearchEntry.objects.get(source_record=source)
    assert entry.title == source.title
    assert entry.is_published is False  # the imported places are drafts


def test_indexing_a_bulk_write_covers_the_sources_and_the_records_citing_them(chain):
    ordinance = OrdinanceFactory(jurisdiction=chain.city)
    source = SourceFactory(record=ordinance, title="Old memo")
    Source.objects.filter(pk=source.pk).update(title="Quarantine memo")  # no signals
    SearchEntry.objects.filter(record_type="source").delete()

    index_written({Source: {source.pk}})

    assert SearchEntry.objects.get(source_record=source).title == "Quarantine memo"
    assert "Quarantine memo" in SearchEntry.objects.get(ordinance_record=ordinance).body


def test_indexing_a_bulk_write_of_citations_covers_their_records_and_sources(chain):
    draft = OrdinanceFactory(jurisdiction=chain.city, publication_state=PublicationState.DRAFT)
    published = OrdinanceFactory(jurisdiction=chain.city)
    source = SourceFactory(record=draft)
    citation = Citation.objects.get()
    Citation.objects.filter(pk=citation.pk).update(  # no signals
        ordinance=published, excerpt="The passage, quoted."
    )

    index_written({Citation: {citation.pk}})

    assert "The passage, quoted." in SearchEntry.objects.get(ordinance_record=published).body
    assert SearchEntry.objects.get(source_record=source).is_published


def test_a_batch_citing_more_than_a_thousand_documents_is_indexed(chain):
    """A thousand records of a large database cite more than a thousand distinct documents.
    Prefetched by their ids, SQLite got one `id = ? OR …` per document, deeper than the
    1,000 it parses (`Expression tree is too large`)."""
    ordinance = OrdinanceFactory(jurisdiction=chain.city)
    sources = Source.objects.bulk_create(  # no signals: indexed below, as a rebuild does
        Source(title=f"Council minutes {n:04}", url=f"https://records.example.org/m{n}")
        for n in range(1100)
    )
    Citation.objects.bulk_create(
        Citation(source=source, ordinance=ordinance) for source in sources
    )

    assert index_queryset(Ordinance.objects.filter(pk=ordinance.pk)) == 1

    body = SearchEntry.objects.get(ordinance_record=ordinance).body
    # Every document, in the order the record lists them (here by title).
    places = [body.find(f"Council minutes {n:04}") for n in range(1100)]
    assert -1 not in places
    assert places == sorted(places)


# Migrations: SQLite rebuilds the table, which must keep its full-text index


@pytest.mark.django_db(transaction=True)
def test_migrating_the_search_index_back_and_forth_keeps_full_text_search(api_client, chain):
    rule = OrdinanceFactory(title="Detainer rule", jurisdiction=chain.city)
    SourceFactory(record=rule, title="Council memo", notes="On detainers.")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("search")

    executor.migrate([("search", "0004_drop_duplicate_indexes")])  # drops sources' entries
    executor.loader.build_graph()
    executor.migrate(latest)

    assert api_titles(api_client, q="detainer") == ["Detainer rule"]  # its row read again
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert sorted(api_titles(api_client, q="detainer")) == ["Council memo", "Detainer rule"]
    token = current_token(connection.alias)
    ordinance = OrdinanceFactory(title="Detainer policy", jurisdiction=chain.city)
    assert current_token(connection.alias) != token  # the version's triggers are back
    assert sorted(api_titles(api_client, q="detainer")) == [
        "Council memo",
        "Detainer policy",
        "Detainer rule",
    ]
    ordinance.title = "Notification policy"  # updates and deletes reach the index too
    ordinance.save()
    rule.delete()
    assert api_titles(api_client, q="detainer") == []
    assert api_titles(api_client, q="notification") == ["Notification policy"]


# Bad input: a page or a 400, never a 500


BAD_QUERIES = [
    "",
    " ",
    "a" * 10_000,
    "AND OR NOT",
    "OR",
    "-",
    "--x",
    "-only -excluded",
    '"unbalanced',
    '"""',
    "'); DROP TABLE search_searchentry; --",
    "a & b | !c <-> d:*",
    "title:foo AND (bar",
    "NEAR(a b) ^c *",
    "\x00\x01\x07\x1b[31m",
    "\ud7ff\ufffd\U0001f600 emoji",
    "Ünïcödé 北京 مرحبا",
    "\u202e reversed",
    "%s %(name)s {0}",
    "\\",
]


@pytest.mark.parametrize("text", BAD_QUERIES)
def test_any_text_gets_a_page_or_a_clear_400(client, api_client, chain, text):
    OrdinanceFactory(title="Detainer rule", jurisdiction=chain.city)

    page = client.get(SEARCH, {"q": text})
    api = api_client.get(API_SEARCH, {"q": text})
    export = client.get(reverse("search:export", args=["csv"]), {"q": text})
    feed = client.get(reverse("feeds:search"), {"q": text})

    for response in (page, api, export, feed):
        assert response.status_code in (200, 400)
    if len(text) > 500:
        assert page.status_code == api.status_code == 400
        assert "at most 500 characters" in page.content.decode()
        assert "at most 500 characters" in str(api.json()["q"])


def test_an_unknown_place_or_a_bad_date_is_a_400_naming_the_filter(client, api_client, chain):
    page = client.get(SEARCH, {"q": "x", "jurisdiction": "atlantis", "date_from": "2012-13-45"})
    api = api_client.get(API_SEARCH, {"q": "x", "jurisdiction": "atlantis"})

    assert page.status_code == api.status_code == 400
    assert "atlantis" in page.content.decode()
    assert "Dated from" in page.content.decode()
    assert "atlantis" in str(api.json()["jurisdiction"])


def test_only_excluded_words_say_there_is_nothing_to_look_for(client, chain):
    OrdinanceFactory(title="Detainer rule", jurisdiction=chain.city)

    response = client.get(SEARCH, {"q": "-detainer"})

    assert response.status_code == 200
    assert "There is nothing to look for" in response.content.decode()


# Exports and feeds of a search


def test_search_export_has_the_results_in_order_as_csv_and_json(client, chain):
    OrdinanceFactory(title="Rules", summary="About detainers.", jurisdiction=chain.city)
    OrdinanceFactory(title="Detainer policy", jurisdiction=chain.city)

    response = client.get(reverse("search:export", args=["csv"]), {"q": "detainer"})
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="search-' in response["Content-Disposition"]
    assert [row["title"] for row in rows] == ["Detainer policy", "Rules"]
    assert rows[0]["type"] == "ordinance"

    response = client.get(reverse("search:export", args=["json"]), {"q": "detainer"})
    data = json.loads(b"".join(response.streaming_content))
    assert [row["title"] for row in data] == ["Detainer policy", "Rules"]

    response = client.get(
        reverse("search:export", args=["json"]), {"q": "detainer", "type": "ordinance"}
    )
    data = json.loads(b"".join(response.streaming_content))
    assert [(row["title"], row["jurisdiction"]) for row in data] == [
        ("Detainer policy", "chicago"),
        ("Rules", "chicago"),
    ]


def test_search_feed_is_atom_with_the_published_results(client, chain):
    OrdinanceFactory(title="Detainer policy", jurisdiction=chain.city)
    OrdinanceFactory(
        title="Draft detainer rule",
        jurisdiction=chain.city,
        publication_state=PublicationState.DRAFT,
    )
    OrdinanceFactory(title="Unrelated", jurisdiction=chain.city)

    response = client.get(reverse("feeds:search"), {"q": "detainer"})
    feed = ET.fromstring(response.content)

    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.tag == f"{ATOM}feed"
    assert [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")] == [
        "Detainer policy"
    ]


def test_search_page_links_its_feed_and_downloads(client, chain):
    OrdinanceFactory(title="Detainer policy", jurisdiction=chain.city)

    html = client.get(SEARCH, {"q": "detainer", "type": "ordinance"}).content.decode()

    assert 'type="application/atom+xml"' in html
    assert "/feeds/search/?q=detainer&amp;type=ordinance" in html
    assert "/search/export.csv?q=detainer&amp;type=ordinance" in html


# Queries: a fixed number whatever the number of results


def search_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [SEARCH, API_SEARCH])
@pytest.mark.parametrize(
    "params",
    [{"q": "detainer", "jurisdiction": "illinois"}, {"q": "detainer"}, {"type": "source"}],
    ids=["in a place", "anywhere, sources too", "sources only"],
)
def test_search_makes_the_same_number_of_queries_for_3_or_30_results(client, places, url, params):
    def make(count):
        for _ in range(count):
            city = CityFactory(parent=places.county)
            ordinance = OrdinanceFactory(
                title="Detainer rule",
                jurisdiction=city,
                adopted_on="2012-01-01",
                adopted_on_precision="year",
            )
            StatementFactory(title="Detainer statement", about_jurisdictions=[city])
            SourceFactory(record=ordinance, title="Council memo", notes="On detainers.")

    make(3)
    few = search_queries(client, url, params)
    make(27)
    many = search_queries(client, url, params)

    assert few == many


def test_the_search_api_answers_with_a_format_suffix(api_client, places):
    response = api_client.get("/api/v1/search.json", {"q": "chicago"})

    assert response.status_code == 200
    assert "results" in response.json()
