"""Whole-dataset downloads written to a file by a background job, rather than streamed to a
request: one record type's file (the bulk download page's), or every type's in one ZIP.

The file is written to a temporary file first and saved to the default storage only when
complete, so a worker stopped half way leaves no partial file under the export's name.
"""

import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from policytracker.exports.streaming import CHUNK_SIZE, csv_chunks, dated_filename, json_chunks
from policytracker.exports.views import ALL_EXPORTS, CITED_EXPORTS

EVERYTHING = "all"
CHUNKS = {"csv": csv_chunks, "json": json_chunks}
FORMATS = tuple(CHUNKS)


def export_choices():
    """(name, title) of each export a job can write, then every one of them as a ZIP."""
    return [(export.name, export.title) for export in ALL_EXPORTS] + [
        (EVERYTHING, _("Everything, one file per type, in a ZIP"))
    ]


def export_rows(export, user):
    """The rows of `export` that `user` may see, with what its columns read."""
    for cited, visible_to in CITED_EXPORTS:
        if cited is export:
            return export.prepare(visible_to(user), user=user)
    return export.prepare(export.model.objects.visible_to(user), user=user)


def counted(rows, total, progress, message):
    """The rows, read in chunks, with `progress(message, done, total)` told as they go."""
    for done, record in enumerate(rows.iterator(chunk_size=CHUNK_SIZE)):
        if done % CHUNK_SIZE == 0:
            progress(message, done, total)
        yield record
    progress(message, total, total)


def write_export(output, export, file_format, user, progress):
    """Write `export` in `file_format` to the binary file `output`; returns the row count."""
    rows = export_rows(export, user)
    total = rows.count()
    message = _("Writing %(file)s") % {"file": dated_filename(export.name, file_format)}
    for chunk in CHUNKS[file_format](counted(rows, total, progress, message), export.columns):
        output.write(chunk)
    return total


def write_export_file(name, file_format, *, user, progress, folder):
    """Write the export `name` (or EVERYTHING) in `file_format` to the default storage under
    `folder`; returns (the stored file's name, {export name: rows})."""
    exports = ALL_EXPORTS if name == EVERYTHING else [e for e in ALL_EXPORTS if e.name == name]
    if not exports or file_format not in CHUNKS:
        raise ValueError(f"No export {name!r} in {file_format!r}.")
    counts = {}
    with tempfile.TemporaryFile() as output:
        if name == EVERYTHING:
            filename = dated_filename("policy-tracker", "zip")
            with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for export in exports:
                    member = dated_filename(export.name, file_format)
                    with archive.open(member, "w", force_zip64=True) as member_file:
                        counts[export.name] = write_export(
                            member_file, export, file_format, user, progress
                        )
        else:
            filename = dated_filename(name, file_format)
            counts[name] = write_export(output, exports[0], file_format, user, progress)
        output.seek(0)
        stored = default_storage.save(f"{folder}/{filename}", File(output, name=filename))
    return stored, counts
