"""Sources: what an uploaded document may be, and the admin form that cites a record."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from policytracker.models import Source, validate_source_document
from tests.factories import AgreementFactory, SourceFactory
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
        "agreement": source.agreement.pk,
        "document": SimpleUploadedFile("scan.pdf", b"GIF89a not a pdf"),
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["document"]
    assert "Memorandum of agreement, signed copy" in response.content.decode()
    assert Source.objects.get(pk=source.pk).title == "Memorandum of agreement"


def test_admin_source_citing_no_record_is_refused_with_a_message(admin_client):
    response = admin_client.post(
        reverse("admin:policytracker_source_add"),
        {"title": "An orphan", "kind": "other"},
    )

    assert response.status_code == 200
    assert "Choose the one record this source cites." in response.content.decode()
    assert not Source.objects.exists()
