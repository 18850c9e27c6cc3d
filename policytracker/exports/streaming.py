"""CSV and JSON downloads, written while they are sent.

The writers take any iterable of records and a list of Columns (columns.py). A QuerySet is
read in chunks with `.iterator()`, which also runs its prefetches once per chunk: however
many rows an export has, memory holds one chunk and the query count grows only per chunk.

    csv_response(rows, columns, filename, request=None)
    json_response(rows, columns, filename, request=None)
    export_response(file_format, rows, columns, stem, request=None)  # "ordinances-<date>.csv"
"""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

# Rows read from the database at a time (and prefetched together).
CHUNK_SIZE = 1000
# Text gathered before it is sent: one write per ~64 KB rather than one per row.
FLUSH_AT = 64 * 1024

# A cell a spreadsheet could run as a formula begins with one of the first four; tab and
# carriage return can hide such a start. An apostrophe is added in front of any of these,
# and in front of a leading apostrophe too, so that removing the first apostrophe of a cell
# that starts with one always gives the value back.
FORMULA_STARTS = ("=", "+", "-", "@")
GUARDED_STARTS = (*FORMULA_STARTS, "\t", "\r", "'")
# M2M slugs in one CSV cell (JSON writes an array). A slug never holds ";" or a space.
LIST_SEPARATOR = "; "


def iterate(rows):
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=CHUNK_SIZE)
    return iter(rows)


def csv_cell(value):
    """A column's value as CSV text: empty for None, lists joined, formulas defused."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list | tuple):
        text = LIST_SEPARATOR.join(str(item) for item in value)
    else:
        text = str(value)
    if text.startswith(GUARDED_STARTS):
        text = "'" + text
    return text


def csv_chunks(rows, columns, request=None):
    """The CSV file in pieces: a header row of column names, then one row per record."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: quoted as needed, CRLF line ends
    writer.writerow([column.name for column in columns])
    for record in iterate(rows):
        writer.writerow([csv_cell(column.get(record, request)) for column in columns])
        if buffer.tell() >= FLUSH_AT:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def json_chunks(rows, columns, request=None):
    """The JSON file in pieces: an array of objects, one per record, keyed by column name."""
    pieces, size, separator = ["["], 1, "\n"
    for record in iterate(rows):
        item = {column.name: column.get(record, request) for column in columns}
        piece = separator + json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False)
        pieces.append(piece)
        size += len(piece)
        separator = ",\n"
        if size >= FLUSH_AT:
            yield "".join(pieces).encode()
            pieces, size = [], 0
    pieces.append("\n]\n")
    yield "".join(pieces).encode()


def _attachment(chunks, content_type, filename):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_response(rows, columns, filename, request=None):
    """A streamed CSV download (UTF-8, header row) of `rows`, one column per Column."""
    return _attachment(csv_chunks(rows, columns, request), "text/csv; charset=utf-8", filename)


def json_response(rows, columns, filename, request=None):
    """A streamed JSON download: an array with one object per row."""
    return _attachment(json_chunks(rows, columns, request), "application/json", filename)


WRITERS = {"csv": csv_response, "json": json_response}


def dated_filename(stem, file_format):
    """ "ordinances-2026-11-23.csv": the stem, today's date on the site, the format."""
    return f"{stem}-{timezone.localdate().isoformat()}.{file_format}"


def export_response(file_format, rows, columns, stem, request=None):
    """The download of `rows` in `file_format` ("csv" or "json"), named for today."""
    writer = WRITERS[file_format]
    return writer(rows, columns, dated_filename(stem, file_format), request=request)
