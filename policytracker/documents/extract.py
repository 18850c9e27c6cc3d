"""Reading an uploaded source document: is it a PDF or UTF-8 text we can read, and its text.

`check_document()` is the upload's validation (it raises ValidationError with a message
naming the problem); `extract_text()` is what Source.save() stores in `document_text`, so
that search can find the document by its words.
"""

import codecs
import logging
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

logger = logging.getLogger(__name__)

# The stored text stops here: a few MB is far more than search needs to find a document,
# and keeps one pathological PDF from filling the database.
MAX_TEXT_CHARS = 5_000_000

CONTENT_TYPES = {".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8"}


class UnreadableDocument(Exception):
    """The file is not a document we can read; the message says why, for the uploader."""


def extension(file):
    return PurePath(file.name or "").suffix.lower()


def content_type(file):
    return CONTENT_TYPES.get(extension(file), "application/octet-stream")


def check_document(file):
    """Refuse anything but a readable PDF or UTF-8 text file within the size limit."""
    limit = settings.SOURCE_DOCUMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The document is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    kind = extension(file)
    if kind not in CONTENT_TYPES:
        raise ValidationError(
            _("Upload a PDF (.pdf) or a plain text file (.txt); “%(name)s” is neither."),
            code="file_type",
            params={"name": PurePath(file.name or "").name},
        )
    try:
        if kind == ".pdf":
            open_pdf(file)
        else:
            read_text(file, limit=0)
    except UnreadableDocument as error:
        raise ValidationError(str(error), code="unreadable") from error


def extract_text(file):
    """The document's text, at most MAX_TEXT_CHARS characters. Raises UnreadableDocument."""
    if extension(file) == ".pdf":
        text = pdf_text(open_pdf(file))
    else:
        text = read_text(file, limit=MAX_TEXT_CHARS)
    # PostgreSQL text cannot hold NUL, which some PDFs' text and some "text" files contain.
    return text.replace("\x00", "")[:MAX_TEXT_CHARS]


def open_pdf(file):
    """A PdfReader whose pages can be read: parsed, and decrypted if it has no password."""
    file.seek(0)
    try:
        reader = PdfReader(file)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(
                _("This PDF is protected by a password: upload a copy without one.")
            )
        len(reader.pages)  # walks the page tree: a PDF that only starts well fails here
    except (DependencyError, FileNotDecryptedError) as error:
        # Encrypted with a cipher pypdf needs an extra library for (AES).
        raise UnreadableDocument(
            _("This PDF is encrypted in a way the site cannot read: upload an unencrypted copy.")
        ) from error
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        # pypdf reports a damaged or fake file with its own errors and, for some malformed
        # structures, with plain Python ones.
        raise UnreadableDocument(
            _(
                "This file is named .pdf but is not a PDF that can be read: it is damaged, "
                "or it is another kind of file."
            )
        ) from error
    finally:
        file.seek(0)
    return reader


def pdf_text(reader):
    """Each page's text, pages separated by a blank line; a page without text adds nothing."""
    parts, length = [], 0
    for number, page in enumerate(reader.pages, 1):
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001  one odd page must not lose the others' text
            logger.warning("No text could be extracted from page %d.", number, exc_info=True)
            continue
        if text.strip():
            parts.append(text.strip())
            length += len(parts[-1])
        if length >= MAX_TEXT_CHARS:
            break
    return "\n\n".join(parts)


def read_text(file, limit):
    """The file decoded as UTF-8 (a byte-order mark is dropped), read in chunks.

    Reads the whole file to check it, but keeps at most `limit` characters (none if 0).
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    parts, length, offset = [], 0, 0
    file.seek(0)
    try:
        for chunk in file.chunks():
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise UnreadableDocument(
                    _(
                        "This text file is not UTF-8 text (byte %(position)d is not valid "
                        "UTF-8): save it as UTF-8, or upload a PDF."
                    )
                    % {"position": offset + error.start + 1}
                ) from error
            offset += len(chunk)
            if length < limit:
                parts.append(text)
                length += len(text)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise UnreadableDocument(
                _("This text file is not UTF-8 text: it ends in the middle of a character.")
            ) from error
    finally:
        file.seek(0)
    return "".join(parts)[:limit]
