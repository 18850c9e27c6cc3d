"""A write that fails (a full disk) or a database that fails after the file is stored
leaves no record pointing at a missing or partial file, and no partial file behind."""

import errno
import stat

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, transaction
from django.urls import reverse

from policytracker import storage
from policytracker.jobs.models import Job
from policytracker.models import Source
from tests.factories import AgreementFactory, SourceFactory
from tests.import_helpers import DATA
from tests.test_documents import ORDINANCE_PDF, source_admin_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_in(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def disk_full_after(monkeypatch):
    """Writes fail with ENOSPC after `count` whole files, half-way through the next."""

    def arrange(count=0):
        written = []
        real_write = storage.write_chunks

        def write(out, content):
            if len(written) >= count:
                out.write(b"%PDF-1.7 half a file")
                raise OSError(errno.ENOSPC, "No space left on device")
            written.append(1)
            real_write(out, content)

        monkeypatch.setattr(storage, "write_chunks", write)

    return arrange


def test_storage_writes_a_whole_file_readable_by_the_server(media_root):
    name = default_storage.save("sources/2024/order.pdf", ContentFile(ORDINANCE_PDF))
    assert files_in(media_root) == [name]
    assert (media_root / name).read_bytes() == ORDINANCE_PDF
    assert stat.S_IMODE((media_root / name).stat().st_mode) == 0o644


def test_storage_keeps_no_partial_file_when_the_disk_is_full(media_root, disk_full_after):
    disk_full_after(0)
    with pytest.raises(OSError) as caught:
        default_storage.save("sources/2024/order.pdf", ContentFile(ORDINANCE_PDF))
    assert caught.value.errno == errno.ENOSPC
    assert files_in(media_root) == []


def test_storage_does_not_touch_an_existing_file_of_the_same_name(media_root, disk_full_after):
    first = default_storage.save("sources/2024/order.pdf", ContentFile(b"first"))
    disk_full_after(0)
    with pytest.raises(OSError):
        default_storage.save("sources/2024/order.pdf", ContentFile(ORDINANCE_PDF))
    assert files_in(media_root) == [first]
    assert (media_root / first).read_bytes() == b"first"


def test_admin_upload_on_a_full_disk_answers_503_and_changes_nothing(
    staff_client, media_root, disk_full_after
):
    source = SourceFactory(record=AgreementFactory(), title="Memorandum")
    disk_full_after(0)
    data = source_admin_data(
        source,
        title="Memorandum, signed copy",
        document=SimpleUploadedFile("order.pdf", ORDINANCE_PDF),
    )

    response = staff_client.post(
        reverse("admin:policytracker_source_change", args=[source.pk]), data
    )

    assert response.status_code == 503
    assert response["Retry-After"]
    unchanged = Source.objects.get(pk=source.pk)
    assert (unchanged.title, unchanged.document.name, unchanged.document_text) == (
        "Memorandum",
        "",
        "",
    )
    assert unchanged.history.count() == 1
    assert files_in(media_root) == []


def test_admin_new_source_on_a_full_disk_is_not_created(staff_client, media_root, disk_full_after):
    disk_full_after(0)
    data = source_admin_data(
        SourceFactory.build(title="Memorandum"),
        document=SimpleUploadedFile("order.pdf", ORDINANCE_PDF),
    )
    before = Source.objects.count()

    response = staff_client.post(reverse("admin:policytracker_source_add"), data)

    assert response.status_code == 503
    assert Source.objects.count() == before
    assert files_in(media_root) == []


def test_file_stored_for_a_row_the_database_refused_is_removed(media_root, monkeypatch):
    source = SourceFactory.build(document=SimpleUploadedFile("order.pdf", ORDINANCE_PDF))

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch:
        patch.setattr(Source, "_do_insert", refuse)
        with pytest.raises(OperationalError), transaction.atomic():
            source.save()
    assert not Source.objects.exists()
    assert files_in(media_root) == []

    # Once the database answers again, the same save stores the upload afresh.
    source.save()
    stored = Source.objects.get()
    assert files_in(media_root) == [stored.document.name]
    assert stored.document_text.startswith("Welcoming City")


def test_import_page_on_a_full_disk_keeps_none_of_the_files(
    staff_client, media_root, disk_full_after
):
    disk_full_after(1)  # the first file is stored, the second fails half-way
    files = [
        SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="text/csv")
        for name in ("ocd_states.csv", "ocd_places_extract.csv")
    ]

    response = staff_client.post(reverse("admin-import"), {"importer": "ocd", "files": files})

    assert response.status_code == 503
    assert files_in(media_root) == []
    assert not Job.objects.exists()
