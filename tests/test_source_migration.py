"""Migration 0007: sources that were one row per citing record become one per document.

Rows are written at the schema before it, as the importers and staff then wrote them: the
same ICE sheet as a source of each agreement it listed, imported three times, and one
article cited by two records with their own excerpts. Then the migrations run forward.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from policytracker.models import Citation, Source

BEFORE = [("policytracker", "0006_citations")]
SHEET = "ICE 287(g) participating agencies, list of 2025-05-16"
SHEET_URL = "https://www.ice.gov/identify-and-arrest/287g"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_records(apps):
    """A nation, two agencies and two agreements, at the old schema."""
    Jurisdiction = apps.get_model("jurisdictions", "Jurisdiction")
    Agency = apps.get_model("jurisdictions", "Agency")
    Agreement = apps.get_model("agreements", "Agreement")
    nation = Jurisdiction.objects.create(name="United States", slug="us", kind="nation")
    ice = Agency.objects.create(name="ICE", slug="ice", kind="federal_agency", jurisdiction=nation)
    sheriff = Agency.objects.create(
        name="A Sheriff's Office", slug="sheriff", kind="sheriff", jurisdiction=nation
    )
    agreements = [
        Agreement.objects.create(
            title=f"Agreement {n}",
            slug=f"agreement-{n}",
            kind="287g_jail",
            local_party=sheriff,
            federal_party=ice,
        )
        for n in (1, 2)
    ]
    return nation, sheriff, agreements


@pytest.mark.django_db(transaction=True)
def test_duplicate_sources_merge_into_one_document_keeping_every_citation():
    apps = migrate(BEFORE)
    OldSource = apps.get_model("policytracker", "Source")
    nation, sheriff, agreements = old_records(apps)
    for _import in range(3):  # what three imports of one sheet wrote
        for agreement in agreements:
            OldSource.objects.create(
                title=SHEET,
                publisher="ICE",
                kind="dataset",
                url=SHEET_URL,
                notes="Imported from participatingAgencies-2025-05-16.xlsx.",
                agreement=agreement,
            )
    article = {"title": "County meets on task force", "url": "https://news.example/task-force"}
    first = OldSource.objects.create(
        **article, excerpt="Cook County, home to Chicago", jurisdiction=nation
    )
    OldSource.objects.create(
        **article,
        publisher="County News",
        excerpt="the sheriff attended",
        notes="Page 2.",
        agency=sheriff,
    )
    OldSource.objects.create(title="Scan", document="sources/2024/mou.pdf", agency=sheriff)
    OldSource.objects.create(
        title="Scan, signed", document="sources/2024/mou.pdf", agreement=agreements[0]
    )
    OldSource.objects.create(title="No address", agency=sheriff)
    OldSource.objects.create(title="No address", agency=sheriff)

    OldHistory = apps.get_model("policytracker", "HistoricalSource")
    OldHistory.objects.create(
        id=first.pk,
        title=first.title,
        url=first.url,
        excerpt="An earlier excerpt",
        jurisdiction_id=nation.pk,
        created_at=first.created_at,
        updated_at=first.updated_at,
        history_date=first.created_at,
        history_type="+",
    )

    migrate(latest())

    assert Citation.objects.count() == 6 + 2 + 2 + 2  # one per source there was
    sheet = Source.objects.get(title=SHEET)
    assert sheet.citations.count() == 6
    assert sheet.notes == "Imported from participatingAgencies-2025-05-16.xlsx."  # all agree
    assert not any(sheet.citations.values_list("note", flat=True))
    assert sorted(sheet.citations.values_list("agreement__slug", flat=True)) == [
        "agreement-1",
        "agreement-1",
        "agreement-1",
        "agreement-2",
        "agreement-2",
        "agreement-2",
    ]
    article = Source.objects.get(title="County meets on task force")
    assert article.pk == first.pk  # the oldest copy is kept, as it was
    assert article.publisher == ""
    assert sorted(article.citations.values_list("excerpt", flat=True)) == [
        "Cook County, home to Chicago",
        "the sheriff attended",
    ]
    merged = article.citations.get(agency__isnull=False)
    assert merged.note.splitlines() == [
        "Page 2.",  # the copy's own notes, kept with its citation
        "This citation's copy of the source gave its publisher: County News",
    ]
    own = article.citations.get(jurisdiction__isnull=False)
    assert own.pk == first.pk  # source N became citation N
    assert list(own.history.values_list("history_type", "excerpt")) == [
        ("~", "Cook County, home to Chicago"),
        ("+", "An earlier excerpt"),  # the source's history, now the citation's
    ]
    scans = Source.objects.filter(document="sources/2024/mou.pdf")
    assert scans.count() == 1 and scans.get().citations.count() == 2
    signed = scans.get().citations.get(agreement__isnull=False)
    assert "gave its title: Scan, signed" in signed.note
    assert Source.objects.filter(title="No address").count() == 2  # no URL: not the same
    assert Source.objects.count() == 1 + 1 + 1 + 2
    assert Source.history.filter(history_type="-").count() == 5 + 1 + 1
    assert Citation.history.filter(history_type="~").count() == 12


@pytest.mark.django_db(transaction=True)
def test_copies_with_different_documents_stay_apart():
    apps = migrate(BEFORE)
    OldSource = apps.get_model("policytracker", "Source")
    nation, sheriff, _agreements = old_records(apps)
    article = {"title": "Memorandum", "url": "https://county.example/mou"}
    OldSource.objects.create(**article, document="sources/2024/a.pdf", jurisdiction=nation)
    OldSource.objects.create(**article, document="sources/2024/b.pdf", agency=sheriff)
    OldSource.objects.create(**article, agency=sheriff)

    migrate(latest())

    assert sorted(Source.objects.values_list("document", flat=True)) == [
        "",
        "sources/2024/a.pdf",
        "sources/2024/b.pdf",
    ]


@pytest.mark.django_db(transaction=True)
def test_migrating_back_gives_each_citation_its_own_source_again():
    apps = migrate(BEFORE)
    OldSource = apps.get_model("policytracker", "Source")
    _nation, _sheriff, agreements = old_records(apps)
    ids = [
        OldSource.objects.create(title=SHEET, url=SHEET_URL, excerpt="row", agreement=agreement).pk
        for agreement in agreements
    ]
    migrate(latest())
    assert Source.objects.count() == 1
    Citation.objects.filter(pk=ids[1]).update(locator="row 12")

    apps = migrate(BEFORE)

    OldSource = apps.get_model("policytracker", "Source")
    assert sorted(OldSource.objects.values_list("pk", "agreement__slug", "excerpt", "notes")) == [
        (ids[0], "agreement-1", "row", ""),
        (ids[1], "agreement-2", "row", "Where in it: row 12"),
    ]
    migrate(latest())
