"""Uploaded source documents: what is accepted, the text kept for search, and the download."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PageObject, PdfReader, PdfWriter

from policytracker.documents import extract
from policytracker.documents.views import safe_filename
from policytracker.models import Source
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    CitationFactory,
    OrdinanceFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a folder of the test's own, removed with it."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf_bytes(*pages):
    """A small, valid PDF written by hand: one page per string, None for a page without text.

    Objects: 1 the catalog, 2 the page tree, 3 the font, then a content stream and a page
    for each page. The cross-reference table gives each object's byte offset.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        None,  # the page tree, once the pages are numbered
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for text in pages:
        stream = b""
        if text is not None:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            stream = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    references = b" ".join(b"%d 0 R" % kid for kid in kids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (references, len(kids))

    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def encrypted_pdf(user_password):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes("Secret text"))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


ORDINANCE_PDF = pdf_bytes("Welcoming City Ordinance (2012)", None, "Chapter 2-173")
UTF8_TEXT = "Ordonnance du 5 septembre — texte intégral\nSecond line".encode()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def unsaved_source(**fields):
    return SourceFactory.build(**fields)


def refusal(name, content):
    """The messages a source's full_clean() gives for this upload."""
    source = unsaved_source(document=upload(name, content))
    with pytest.raises(ValidationError) as caught:
        source.full_clean()
    return caught.value.message_dict


# Extraction.


def test_pdf_text_is_extracted_page_by_page_skipping_pages_without_text():
    text = extract.extract_text(upload("order.pdf", ORDINANCE_PDF))

    assert text == "Welcoming City Ordinance (2012)\n\nChapter 2-173"


def test_pdf_page_that_fails_to_extract_loses_only_its_own_text(monkeypatch):
    original = PageObject.extract_text

    def failing_on_chapters(page, *args, **kwargs):
        text = original(page, *args, **kwargs)
        if "Chapter" in text:
            raise ValueError("a broken font")
        return text

    monkeypatch.setattr(PageObject, "extract_text", failing_on_chapters)

    assert extract.extract_text(upload("order.pdf", ORDINANCE_PDF)) == (
        "Welcoming City Ordinance (2012)"
    )


def test_pdf_without_a_password_but_encrypted_is_read():
    assert extract.extract_text(upload("open.pdf", encrypted_pdf(""))) == "Secret text"


def test_text_file_is_read_as_utf8_without_its_byte_order_mark():
    text = extract.extract_text(upload("notes.txt", b"\xef\xbb\xbf" + UTF8_TEXT))

    assert text == UTF8_TEXT.decode()


def test_extracted_text_drops_nul_characters_postgresql_cannot_store():
    assert extract.extract_text(upload("notes.txt", b"a\x00b")) == "ab"


def test_extracted_text_is_capped(monkeypatch):
    monkeypatch.setattr(extract, "MAX_TEXT_CHARS", 10)

    assert extract.extract_text(upload("notes.txt", b"x" * 100_000)) == "x" * 10
    assert len(extract.extract_text(upload("order.pdf", ORDINANCE_PDF))) == 10


# What is accepted, and what is refused with a message.


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("order.pdf", ORDINANCE_PDF),
        ("ORDER.PDF", ORDINANCE_PDF),
        ("blank.pdf", pdf_bytes(None)),  # a scan: readable, without text
        ("open.pdf", encrypted_pdf("")),
        ("notes.txt", UTF8_TEXT),
        ("empty.txt", b""),
    ],
)
def test_source_accepts_a_readable_pdf_or_utf8_text(name, content):
    unsaved_source(document=upload(name, content)).full_clean()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.pdf", b"%PDF-1.7\n" + b"garbage " * 100, "is not a PDF that can be read"),
        ("cut.pdf", ORDINANCE_PDF[: len(ORDINANCE_PDF) // 2], "is not a PDF that can be read"),
        ("scan.pdf", b"GIF89a not a pdf", "is not a PDF that can be read"),
        ("locked.pdf", encrypted_pdf("secret"), "protected by a password"),
        # The bad byte lies far past the start, where a check of the first bytes stops.
        ("notes.txt", b"a" * 5000 + b"\xe9t\xe9", "byte 5001 is not valid UTF-8"),
        ("cut.txt", "texte intégr".encode() + "é".encode()[:1], "not UTF-8 text"),
        ("notes.docx", b"PK\x03\x04", "Upload a PDF (.pdf) or a plain text file (.txt)"),
        ("tool.exe", b"MZ\x90\x00", "“tool.exe” is neither"),
        ("no-extension", UTF8_TEXT, "Upload a PDF"),
    ],
)
def test_source_refuses_other_files_naming_the_problem(name, content, message):
    errors = refusal(name, content)

    assert list(errors) == ["document"]
    assert message in errors["document"][0]


def test_source_refuses_a_document_over_the_limit_naming_it(settings):
    settings.SOURCE_DOCUMENT_MAX_BYTES = 1024

    errors = refusal("notes.txt", b"x" * 2048)

    assert errors["document"] == ["The document is 2.0\xa0KB; the limit is 1.0\xa0KB."]


def test_stored_document_is_not_checked_again_when_the_source_is_edited(settings):
    source = unsaved_source(document=upload("order.pdf", ORDINANCE_PDF))
    source.save()
    settings.SOURCE_DOCUMENT_MAX_BYTES = 10  # lowered since the upload

    source = Source.objects.get(pk=source.pk)
    source.title = "Renamed"
    source.full_clean()


# The text is stored with the source.


def test_saving_a_new_document_stores_its_text_and_the_file(media_root):
    source = unsaved_source(document=upload("order.pdf", ORDINANCE_PDF))
    source.save()

    source.refresh_from_db()
    assert source.document_text == "Welcoming City Ordinance (2012)\n\nChapter 2-173"
    assert (media_root / source.document.name).read_bytes() == ORDINANCE_PDF


def test_replacing_the_document_replaces_its_text_and_clearing_it_empties_it():
    source = unsaved_source(document=upload("order.pdf", ORDINANCE_PDF))
    source.save()

    source.document = upload("notes.txt", UTF8_TEXT)
    source.save()
    assert Source.objects.get(pk=source.pk).document_text == UTF8_TEXT.decode()

    source.document = None
    source.save()
    assert Source.objects.get(pk=source.pk).document_text == ""


def test_saving_without_a_new_document_does_not_extract_again(monkeypatch):
    source = unsaved_source(document=upload("order.pdf", ORDINANCE_PDF))
    source.save()
    monkeypatch.setattr(
        "policytracker.models.extract_text", lambda file: pytest.fail("extracted again")
    )

    source = Source.objects.get(pk=source.pk)
    source.title = "Renamed"
    source.save()


def test_saving_with_update_fields_stores_the_text_too():
    source = unsaved_source()
    source.save()

    source.document = upload("notes.txt", UTF8_TEXT)
    source.save(update_fields=["document"])

    assert Source.objects.get(pk=source.pk).document_text == UTF8_TEXT.decode()


def test_unreadable_document_saved_by_code_without_full_clean_keeps_no_text():
    source = unsaved_source(document=upload("fake.pdf", b"%PDF-garbage"))
    source.save()

    assert Source.objects.get(pk=source.pk).document_text == ""


# The admin.


def source_admin_data(source, **changes):
    return {
        "title": source.title,
        "publisher": source.publisher,
        "kind": source.kind,
        "url": source.url,
        "archive_url": "",
        "published_on": "",
        "published_on_precision": "",
        "accessed_on": "",
        "notes": "",
        "_save": "Save",
    } | changes


def test_admin_upload_stores_the_text_and_the_change_page_shows_it(staff_client):
    source = SourceFactory(record=AgreementFactory())
    url = reverse("admin:policytracker_source_change", args=[source.pk])

    response = staff_client.post(
        url, source_admin_data(source, document=upload("order.pdf", ORDINANCE_PDF))
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Source.objects.get(pk=source.pk).document_text.startswith("Welcoming City")
    page = staff_client.get(url).content.decode()
    assert "Welcoming City Ordinance (2012)<br><br>Chapter 2-173" in page
    assert "46 characters in all." in page  # the two pages and the blank line between


def test_admin_change_page_truncates_a_long_text_and_counts_it(staff_client):
    source = SourceFactory(record=AgreementFactory())
    Source.objects.filter(pk=source.pk).update(
        document="sources/2024/long.txt", document_text="word " * 2000
    )

    page = staff_client.get(reverse("admin:policytracker_source_change", args=[source.pk]))

    assert "10,000 characters in all." in page.content.decode()
    assert page.content.decode().count("word") < 700


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.pdf", b"%PDF-1.7\ngarbage", "is not a PDF that can be read"),
        ("latin1.txt", "Cr\xe9ation".encode("latin-1"), "not UTF-8 text"),
        ("report.docx", b"PK\x03\x04", "Upload a PDF"),
    ],
)
def test_admin_refused_upload_shows_why_keeps_the_other_values_and_saves_nothing(
    staff_client, name, content, message
):
    source = SourceFactory(record=AgreementFactory(), title="Memorandum")
    url = reverse("admin:policytracker_source_change", args=[source.pk])
    data = source_admin_data(
        source,
        title="Memorandum, signed copy",
        publisher="HSI Chicago",
        notes="Civil immigration enforcement is excluded.",
        document=upload(name, content),
    )

    response = staff_client.post(url, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["document"]
    assert message in form.errors["document"][0]
    html = response.content.decode()
    assert message in html
    for typed in ("Memorandum, signed copy", "HSI Chicago", "Civil immigration enforcement"):
        assert typed in html
    unchanged = Source.objects.get(pk=source.pk)
    assert (unchanged.title, unchanged.publisher, unchanged.document.name) == (
        "Memorandum",
        "City Clerk",
        "",
    )


# The download.


def saved_source(record, name="order.pdf", content=ORDINANCE_PDF):
    source = unsaved_source(document=upload(name, content))
    source.save()
    CitationFactory(source=source, record=record)
    return source


def download_url(source):
    return reverse("documents:download", kwargs={"pk": source.pk})


def test_download_serves_the_pdf_as_an_attachment_under_its_name(client):
    source = saved_source(OrdinanceFactory())

    response = client.get(download_url(source))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == ORDINANCE_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="order.pdf"'
    assert response["Content-Length"] == str(len(ORDINANCE_PDF))
    assert "no-store" not in response.get("Cache-Control", "")


def test_download_serves_text_as_utf8(client):
    source = saved_source(AgencyFactory(), name="notes.txt", content=UTF8_TEXT)

    response = client.get(download_url(source))

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"".join(response.streaming_content) == UTF8_TEXT


def test_download_of_a_drafts_document_is_404_for_the_public_and_served_to_staff(
    client, staff_client, user_without_permissions
):
    source = saved_source(AgreementFactory(publication_state="draft"))

    assert client.get(download_url(source)).status_code == 404
    client.force_login(user_without_permissions)
    assert client.get(download_url(source)).status_code == 404
    response = staff_client.get(download_url(source))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("case", ["no document", "file missing", "no source"])
def test_download_without_a_file_is_404(client, media_root, case):
    source = saved_source(AgreementFactory())
    if case == "no document":
        Source.objects.filter(pk=source.pk).update(document="")
    elif case == "file missing":
        (media_root / source.document.name).unlink()
    else:
        source.citations.all().delete()
        Source.objects.filter(pk=source.pk).delete()

    assert client.get(download_url(source)).status_code == 404


def test_download_of_a_document_cited_by_a_draft_and_a_published_record_is_public(client):
    source = saved_source(AgreementFactory(publication_state="draft"))
    CitationFactory(source=source, record=OrdinanceFactory())

    response = client.get(download_url(source))

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_uploaded_files_are_not_served_from_the_media_url(client, settings):
    source = saved_source(AgreementFactory(publication_state="draft"))

    response = client.get(f"/{settings.MEDIA_URL}{source.document.name}")

    assert response.status_code == 404


def test_detail_page_links_the_download_not_the_file(client):
    agreement = AgreementFactory()
    source = saved_source(agreement)

    html = client.get(agreement.get_absolute_url()).content.decode()

    assert f'href="{download_url(source)}"' in html
    assert source.document.url not in html


def test_api_gives_the_download_address_of_a_sources_document(api_client):
    agreement = AgreementFactory()
    source = saved_source(agreement)
    SourceFactory(record=agreement, title="Without a document")

    response = api_client.get(reverse("api:agreement-detail", kwargs={"slug": agreement.slug}))

    documents = {
        c["source"]["title"]: c["source"]["document"] for c in response.json()["citations"]
    }
    assert documents == {
        source.title: f"http://testserver{download_url(source)}",
        "Without a document": None,
    }


# A file that a browser could run as a page (saved by code, past the upload's checks) is
# still only ever a download from the site's origin, sandboxed, its type never HTML or SVG.
HOSTILE_FILES = {
    "page.html": b"<!doctype html><script>window.parent.__xss = 1</script><p>hi</p>",
    "drawing.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>alert(document.domain)</script></svg>"
    ),
    "notes.txt": b"<html><body><script>alert(1)</script></body></html>",
    "page.htm": b"<script>alert(1)</script>",
    "no-extension": b"<script>alert(1)</script>",
}


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_download_of_a_file_with_script_is_a_sandboxed_attachment_never_html(client, name):
    source = saved_source(OrdinanceFactory(), name=name, content=HOSTILE_FILES[name])

    response = client.get(download_url(source))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    content_type = response["Content-Type"].split(";")[0]
    assert content_type in {"application/pdf", "text/plain", "application/octet-stream"}
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy
    assert "default-src 'none'" in policy
    assert b"".join(response.streaming_content) == HOSTILE_FILES[name]


def test_download_of_an_html_file_is_octet_stream_and_a_text_file_stays_text(client):
    html = saved_source(OrdinanceFactory(), name="page.html", content=b"<script></script>")
    text = saved_source(OrdinanceFactory(), name="notes.txt", content=b"<script></script>")

    assert client.get(download_url(html))["Content-Type"] == "application/octet-stream"
    assert client.get(download_url(text))["Content-Type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    ("stored", "served"),
    [
        ("documents/order.pdf", "order.pdf"),
        ('documents/we"ird\r\nname.pdf', "we-ird-name.pdf"),
        ("documents/ordenanza-año.pdf", "ordenanza-año.pdf"),
        ("documents/..pdf", "document.pdf"),
        ("documents/x.p;df", "x.pdf"),
    ],
)
def test_safe_filename_keeps_the_name_and_drops_what_could_break_the_header(stored, served):
    assert safe_filename(stored) == served


@pytest.mark.parametrize("name", ["page.html", "drawing.svg"])
def test_upload_of_html_or_svg_is_refused(name):
    errors = refusal(name, HOSTILE_FILES[name])

    assert list(errors) == ["document"]
    assert "Upload a PDF (.pdf) or a plain text file (.txt)" in errors["document"][0]
