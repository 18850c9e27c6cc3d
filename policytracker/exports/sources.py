"""The sources download: every citation, with the record it cites named by type and slug."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from policytracker.exports.columns import (
    Column,
    ExportSpec,
    absolute_url,
    attribute,
    choice,
    plain_date,
    precise_date,
    timestamp,
)
from policytracker.models import CITATION_TARGETS as SOURCE_TARGETS
from policytracker.models import Source, SourceKind


def sources_visible_to(user):
    """The sources of the records `user` may see: of published records, for the public."""
    cites_visible = Q()
    for target in SOURCE_TARGETS:
        model = Source._meta.get_field(target).related_model
        cites_visible |= Q(**{f"{target}__in": model.objects.visible_to(user)})
    return Source.objects.filter(cites_visible)


def cited_type(source, request):
    return source.cited_field


def cited_slug(source, request):
    record = source.record
    return record.slug if record is not None else None


def document_path(source, request):
    return source.document.name or None


def document_url(source, request):
    """The documents app's download view (it checks the cited record is visible)."""
    if not source.document:
        return None
    return absolute_url(reverse("documents:download", kwargs={"pk": source.pk}), request)


SOURCE_EXPORT = ExportSpec(
    name="sources",
    model=Source,
    title=_("Sources"),
    description=_(
        "The citations behind every record: the document, its publisher and date, where to "
        "find it, and the passage that supports the record. Each source cites one record."
    ),
    columns=(
        attribute(
            "id",
            _("The source's number on this site. It does not change; it means nothing elsewhere."),
        ),
        Column(
            "record_type",
            _(
                "The type of record it cites: jurisdiction, agency, ordinance, agreement or "
                "statement."
            ),
            cited_type,
        ),
        Column(
            "record_slug",
            _("The slug of the record it cites, in that type's download."),
            cited_slug,
            SOURCE_TARGETS,
        ),
        attribute("title", _("The document's own title.")),
        attribute("publisher", _("Who published it; empty when the document does not say.")),
        choice("kind", _("What sort of document it is."), SourceKind),
        attribute("url", _("Where the document is on the web, if it is.")),
        precise_date("published", "published_on", _("When the document was published.")),
        plain_date("accessed_on", _("When staff last read it at its address.")),
        attribute("archive_url", _("A permanent copy, such as a web archive snapshot.")),
        Column(
            "document",
            _(
                "The stored file name of the copy of the document this site keeps (PDF or "
                "text), if it keeps one. Download it from document_url."
            ),
            document_path,
            ("document",),
        ),
        Column(
            "document_url",
            _("Where to download the copy of the document this site keeps."),
            document_url,
        ),
        attribute("excerpt", _("The passage, quoted exactly, that supports the record.")),
        attribute("notes", _("Where to find it, and anything a reader should know about it.")),
        timestamp("created_at", _("When the source was first entered on this site.")),
        timestamp("updated_at", _("When the source was last changed on this site.")),
    ),
    select_related=SOURCE_TARGETS,
    # The cited record is read for its slug only; the extracted text can be very long.
    defer=(
        "document_text",
        *(f"{target}__summary" for target in SOURCE_TARGETS),
        "ordinance__full_text",
        "agreement__full_text",
        "agreement__scope",
        "agreement__exclusions",
        "statement__text",
    ),
    excluded_fields={
        "document_text": _(
            "The text extracted from the uploaded document for search: long, and extracted "
            "again from the document itself."
        ),
    },
)
