"""Sources and citations: what an uploaded document may be, the admin of documents and of
citations, and a citation's change marking its record changed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from jurisdictions.models import Ordinance
from policytracker.models import Citation, Source, validate_source_document
from policytracker.search.models import SearchEntry
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    CitationFactory,
    JurisdictionFactory,
    OrdinanceFactory,
    SourceFactory,
    StatementFactory,
)
from tests.test_documents import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("order.pdf", pdf_bytes("Executive order text")),
        ("notes.txt", "Ordonnance du 5 septembre — texte intégral".encode()),
    ],
)
def test_source_document_accepts_a_pdf_or_utf8_text(name, content):
    validate_source_document(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("order.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("notes.txt", b"\xff\xfe\x00\x00latin garbage \xe9\xe9 here", "not UTF-8"),
        ("tool.exe", b"MZ\x90\x00", "Upload a PDF"),
    ],
)
def test_source_document_refuses_other_files_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as caught:
        validate_source_document(SimpleUploadedFile(name, content))

    assert message in caught.value.messages[0]


def test_source_document_over_the_limit_is_refused_naming_the_limit(settings):
    settings.SOURCE_DOCUMENT_MAX_BYTES = 1024

    with pytest.raises(ValidationError) as caught:
        validate_source_document(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000))

    assert "1.0\xa0KB" in caught.value.messages[0]


def test_admin_source_with_a_bad_document_rerenders_keeping_what_was_typed(admin_client):
    source = SourceFactory(record=AgreementFactory(), title="Memorandum of agreement")
    url = reverse("admin:policytracker_source_change", args=[source.pk])
    data = {
        "title": "Memorandum of agreement, signed copy",
        "publisher": "City Clerk",
        "kind": "official_record",
        "url": source.url,
        "document": SimpleUploadedFile("scan.pdf", b"GIF89a not a pdf"),
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["document"]
    assert "Memorandum of agreement, signed copy" in response.content.decode()
    assert Source.objects.get(pk=source.pk).title == "Memorandum of agreement"


def test_admin_source_page_counts_and_links_the_records_that_cite_it(admin_client):
    source = SourceFactory(record=AgreementFactory())
    CitationFactory(source=source, record=AgencyFactory())

    page = admin_client.get(reverse("admin:policytracker_source_change", args=[source.pk]))

    content = page.content.decode()
    assert "2 citations" in content
    listed = admin_client.get(
        reverse("admin:policytracker_citation_changelist"), {"source__id__exact": source.pk}
    )
    assert listed.context["cl"].result_count == 2


def test_admin_citation_of_no_record_is_refused_with_a_message(admin_client):
    source = SourceFactory()

    response = admin_client.post(
        reverse("admin:policytracker_citation_add"),
        {"source": source.pk, "locator": "p. 3"},
    )

    assert response.status_code == 200
    assert "Choose the one record that cites this source." in response.content.decode()
    assert not Citation.objects.exists()


def test_admin_source_still_cited_is_not_deleted(admin_client):
    source = SourceFactory(record=AgreementFactory())

    response = admin_client.post(
        reverse("admin:policytracker_source_delete", args=[source.pk]), {"post": "yes"}
    )

    assert response.status_code == 200
    assert "protected" in response.content.decode().lower()
    assert Source.objects.filter(pk=source.pk).exists()


# A citation added, changed or removed is a change to the record that cites.


def stamp(record, minutes_ago=60):
    """Give the record an `updated_at` in the past; returns it."""
    when = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    type(record).objects.filter(pk=record.pk).update(updated_at=when)
    return when


def updated_at(record):
    return type(record).objects.values_list("updated_at", flat=True).get(pk=record.pk)


@pytest.mark.parametrize(
    "factory_class",
    [JurisdictionFactory, AgencyFactory, OrdinanceFactory, AgreementFactory, StatementFactory],
)
def test_adding_a_citation_marks_its_record_changed(factory_class):
    record = factory_class()
    before = stamp(record)

    SourceFactory(record=record)

    assert updated_at(record) > before
    entry = SearchEntry.objects.get(**{f"{Citation.target_field_for(record)}_record": record})
    assert entry.updated_at == updated_at(record)  # search's "latest changes" sees it too


def test_changing_a_citation_marks_its_record_changed_but_keeps_its_version():
    SourceFactory(record=AgreementFactory())
    agreement = Agreement.objects.get()
    before = stamp(agreement)

    citation = Citation.objects.get()
    citation.excerpt = "The passage, quoted."
    citation.save()

    assert updated_at(agreement) > before
    assert Agreement.objects.get().version == agreement.version
    assert "The passage, quoted." in SearchEntry.objects.get(agreement_record=agreement).body


def test_changing_a_source_marks_every_record_citing_it_changed_and_searched_anew():
    first, second, other = AgreementFactory(), AgreementFactory(), AgreementFactory()
    source = SourceFactory(record=first, title="Old title")
    CitationFactory(source=source, record=second)
    before = [stamp(record) for record in (first, second, other)]

    source = Source.objects.get(pk=source.pk)
    source.title = "Participating agencies, corrected"
    source.save()

    assert updated_at(first) > before[0]
    assert updated_at(second) > before[1]
    assert updated_at(other) == before[2]
    for record in (first, second):
        assert "corrected" in SearchEntry.objects.get(agreement_record=record).body


def test_a_new_date_accessed_leaves_the_citing_records_as_they_were():
    record = AgreementFactory()
    SourceFactory(record=record)
    before = stamp(record)

    source = Source.objects.get()
    source.accessed_on = datetime.date(2026, 12, 1)
    source.save()

    assert updated_at(record) == before


def test_moving_a_citation_to_another_record_marks_both_changed():
    first, second = AgreementFactory(), AgreementFactory()
    source = SourceFactory(record=first)
    before = (stamp(first), stamp(second))

    citation = Citation.objects.get()
    citation.agreement = second
    citation.save()

    assert updated_at(first) > before[0]
    assert updated_at(second) > before[1]
    # The record it left is searched without it, and with its new time.
    left = SearchEntry.objects.get(agreement_record=first)
    assert left.updated_at == updated_at(first)
    assert source.title not in left.body


@pytest.mark.parametrize("how", ["one", "a queryset"])
def test_removing_a_citation_marks_its_record_changed(how):
    record = OrdinanceFactory()
    SourceFactory(record=record)
    before = stamp(record)

    if how == "one":
        Citation.objects.get().delete()
    else:
        Citation.objects.all().delete()

    assert updated_at(record) > before


def test_deleting_a_record_deletes_its_citations_keeps_the_documents_and_touches_nothing():
    record = OrdinanceFactory()
    SourceFactory.create_batch(2, record=record)

    with CaptureQueriesContext(connection) as captured:
        record.delete()

    assert not Citation.objects.exists()
    assert Source.objects.count() == 2
    table = Ordinance._meta.db_table
    touches = [
        q["sql"]
        for q in captured
        if q["sql"].startswith(f'UPDATE "{table}"') and "updated_at" in q["sql"]
    ]
    assert not touches


def test_a_citation_added_in_the_admin_moves_its_record_to_the_top_of_its_feed(admin_client):
    older, newer = AgreementFactory(title="Older"), AgreementFactory(title="Newer")
    for record in (older, newer):
        SourceFactory(record=record)
    stamp(older, minutes_ago=60)
    stamp(newer, minutes_ago=30)

    response = admin_client.post(
        reverse("admin:policytracker_citation_add"),
        {"source": SourceFactory().pk, "agreement": older.pk, "locator": "p. 2"},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    feed = client_feed_titles(admin_client, reverse("feeds:records", args=["agreements"]))
    assert feed[:2] == ["Older", "Newer"]


ATOM = "{http://www.w3.org/2005/Atom}"


def client_feed_titles(client, url):
    root = ET.fromstring(client.get(url).content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_admin_refuses_to_delete_or_move_a_public_records_only_citation(admin_client):
    published, draft = AgreementFactory(), AgreementFactory(publication_state="draft")
    only = Citation.objects.get(pk=SourceFactory(record=published).citations.get().pk)
    SourceFactory(record=draft)
    change = reverse("admin:policytracker_citation_change", args=[only.pk])

    deleted = admin_client.post(
        reverse("admin:policytracker_citation_delete", args=[only.pk]), {"post": "yes"}
    )
    moved = admin_client.post(
        change, {"source": only.source_id, "agreement": draft.pk, "_save": "Save"}
    )
    bulk = admin_client.post(
        reverse("admin:policytracker_citation_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(Citation.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert deleted.status_code == 302
    assert "a public record keeps at least one citation" in str(
        list(get_messages(deleted.wsgi_request))
    )
    assert moved.status_code == 200
    assert "is public and this is its only citation" in moved.content.decode()
    assert bulk.status_code == 302
    assert Citation.objects.count() == 2
    CitationFactory(record=published)
    admin_client.post(
        reverse("admin:policytracker_citation_delete", args=[only.pk]), {"post": "yes"}
    )
    assert not Citation.objects.filter(pk=only.pk).exists()  # another citation is left
