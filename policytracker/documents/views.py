"""Serving a source's uploaded document, to those who may see a record that cites it."""

import re
from pathlib import PurePath

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from policytracker.documents.extract import content_type
from policytracker.models import Citation, Source


def safe_filename(name):
    """The stored file's own name, without its folders, kept to letters, digits, dot, dash
    and underscore: the name in Content-Disposition cannot break out of its header."""
    stem, suffix = PurePath(name).stem, PurePath(name).suffix
    stem = re.sub(r"[^\w.-]+", "-", stem).strip(".-") or "document"
    return stem + re.sub(r"[^\w.]+", "", suffix)


def download(request, pk):
    """The document as an attachment, under its file name; 404 unless a record citing it is
    visible.

    Files are served here rather than from MEDIA_URL so that a draft's documents stay as
    private as the draft: cited by a published record, or staff with the view permission
    of a record citing it (`visible_to`).
    """
    source = get_object_or_404(Source.objects.only("document"), pk=pk)
    citations = Citation.objects.filter(source=source)
    if not source.document or not citations.visible_to(request.user).exists():
        raise Http404(_("No document for this source."))
    try:
        file = source.document.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The document file is missing.")) from error
    response = FileResponse(
        file,
        as_attachment=True,
        filename=safe_filename(source.document.name),
        content_type=content_type(source.document),
    )
    # Whatever the file holds, it is never a page of this site: a download (above), its type
    # taken as given (nosniff, set for every response), and were a browser to show it anyway,
    # sandboxed with nothing allowed, so no script in it runs with the site's origin.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if not citations.visible_to(None).exists():
        # Cited by drafts only, shown to staff: never keep it in a shared cache.
        patch_cache_control(response, private=True, no_store=True)
    return response
