"""Serving a source's uploaded document, to those who may see the record it cites."""

from pathlib import PurePath

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control

from policytracker.documents.extract import content_type
from policytracker.models import SOURCE_TARGETS, Source


def download(request, pk):
    """The document as an attachment, under its file name; 404 unless its record is visible.

    Files are served here rather than from MEDIA_URL so that a draft's documents stay as
    private as the draft: published, or staff with the view permission (`visible_to`).
    """
    source = get_object_or_404(Source.objects.only("document", *SOURCE_TARGETS), pk=pk)
    cited = source.cited_field
    model = Source._meta.get_field(cited).related_model
    record = (
        model.objects.visible_to(request.user)
        .filter(pk=getattr(source, f"{cited}_id"))
        .only("publication_state")
        .first()
    )
    if record is None or not source.document:
        raise Http404("No document for this source.")
    try:
        file = source.document.open("rb")
    except FileNotFoundError as error:
        raise Http404("The document file is missing.") from error
    response = FileResponse(
        file,
        as_attachment=True,
        filename=PurePath(source.document.name).name,
        content_type=content_type(source.document),
    )
    if not record.is_published:
        # A draft's document, shown to staff: never keep it in a shared cache.
        patch_cache_control(response, private=True, no_store=True)
    return response
