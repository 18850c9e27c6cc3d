"""Uploaded files that appear whole or not at all.

Django's FileSystemStorage writes an upload straight to its final name, so a write that
fails half-way (a full disk, a lost mount) leaves a truncated file under that name. This one
writes to a temporary file in a folder of the same filesystem (`.incoming/` in MEDIA_ROOT),
flushes it to disk, then moves it to its name (a rename, which is atomic); if anything fails,
the temporary file is removed and the error goes on to the caller (a 503 for a full disk,
policytracker/unavailable.py). The same filesystem matters: the rename never copies.
"""

import os
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage

INCOMING = ".incoming"


class _WrittenFile(File):
    """A complete file on disk, which Django's FileSystemStorage moves into place."""

    def __init__(self, path):
        super().__init__(None, name=path)
        self.path = path

    def temporary_file_path(self):
        return self.path

    def close(self):
        pass


def write_chunks(out, content):
    for chunk in content.chunks():
        out.write(chunk.encode() if isinstance(chunk, str) else chunk)


class WholeFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        incoming = Path(self.location) / INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=incoming, prefix="upload-")
        try:
            with os.fdopen(descriptor, "wb") as out:
                if hasattr(content, "seek"):
                    content.seek(0)
                write_chunks(out, content)
                out.flush()
                os.fsync(out.fileno())
            return super()._save(name, _WrittenFile(temporary))
        finally:
            # Moved into place on success; a partial copy otherwise.
            if os.path.exists(temporary):
                os.unlink(temporary)
