"""The disk-full part of bench/faults.py, run in a process of its own with MEDIA_ROOT on a
tiny filesystem: staff upload a document through the admin (Django's test client) onto the
full disk, with the site's storage and with Django's stock one, then once space is freed.
Prints one line, REPORT {json}. SIMULATE_ENOSPC=1 fails the writes instead (no mount)."""

import errno
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policytracker.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from policytracker import storage  # noqa: E402
from policytracker.models import Source  # noqa: E402

MEDIA = Path(os.environ["MEDIA_ROOT"])
FILLER = MEDIA / "filler"
DOCUMENT = ("Welcoming City Ordinance. " * 24000).encode()  # about 600 KB of text
STOCK_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def simulate_full_disk():
    real = storage.write_chunks

    def write_chunks(out, content):
        if FILLER.exists():
            out.write(b"x" * 4096)
            raise OSError(errno.ENOSPC, "No space left on device")
        real(out, content)

    storage.write_chunks = write_chunks


def files():
    return sorted(
        f"{path.relative_to(MEDIA)} ({path.stat().st_size:,} B)"
        for path in MEDIA.rglob("*")
        if path.is_file() and path != FILLER
    )


def fill():
    """Fill the filesystem, then give back 16 KB: an upload starts, and fails half-way."""
    with open(FILLER, "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    with open(FILLER, "r+b") as out:
        out.truncate(max(0, FILLER.stat().st_size - 16384))
    stats = os.statvfs(MEDIA)
    return stats.f_bavail * stats.f_frsize


def upload(client, title):
    before = Source.objects.count()
    response = client.post(
        reverse("admin:policytracker_source_add"),
        {
            "title": title,
            "kind": "other",
            "document": SimpleUploadedFile("ordinance.txt", DOCUMENT),
            "_save": "Save",
        },
    )
    content = response.content.decode()
    shown = (
        content.split("<title>")[1].split("</title>")[0].strip() if "<title>" in content else ""
    )
    return {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "shown": shown,
        "rows_added": Source.objects.count() - before,
        "files": files(),
    }


def main():
    simulated = os.environ.get("SIMULATE_ENOSPC") == "1"
    if simulated:
        simulate_full_disk()
    user = get_user_model().objects.create_superuser("faults", "faults@example.org", "x")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    report = {"simulated": simulated, "free_after_fill": fill()}
    report["site"] = upload(client, "Uploaded onto a full disk")
    with override_settings(STORAGES=STOCK_STORAGES):  # Django resets its storages on change
        report["stock"] = upload(client, "Uploaded onto a full disk, stock storage")
    for leftover in MEDIA.rglob("*"):
        if leftover.is_file() and leftover != FILLER:
            leftover.unlink()
    FILLER.unlink()
    report["freed"] = upload(client, "Uploaded once space was freed")
    print("REPORT " + json.dumps(report))


if __name__ == "__main__":
    main()
