"""The sources and citations downloads: each document once, and each record's citation of it.

A source is a document; a citation links one record (named by type and slug) to one source
(named by its id). A visitor gets the citations of the records they may see, and the
documents those citations cite: for the public, those of published records.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from policytracker.exports.columns import (
    Column,
    ExportSpec,
    absolute_url,
    attribute,
    choice,
    html_url,
    plain_date,
    precise_date,
    timestamp,
)
from policytracker.models import CITATION_TARGETS, Citation, Source, SourceKind
from policytracker.sources.queries import with_citation_count


def document_file(source, request):
    return source.document.name or None


def document_url(source, request):
    """The documents app's download view (it checks that a record citing it is visible)."""
    if not source.document:
        return None
    return absolute_url(reverse("documents:download", kwargs={"pk": source.pk}), request)


def citation_count(source, request):
    return source.citation_count


SOURCE_EXPORT = ExportSpec(
    name="sources",
    model=Source,
    title=_("Sources"),
    description=_(
        "The documents the records come from, each listed once however many records cite "
        "it: its title, publisher and date, and where to find it. The citations file says "
        "which records cite each one."
    ),
    columns=(
        attribute(
            "id",
            _("The source's number on this site. It does not change; it means nothing elsewhere."),
        ),
        attribute("title", _("The document's own title.")),
        attribute("publisher", _("Who published it; empty when the document does not say.")),
        choice("kind", _("What sort of document it is."), SourceKind),
        Column(
            "is_opinion",
            _(
                "Whether it is an opinion piece (kind opinion): records cite it only for the "
                "facts it reports and the words it quotes, never for its opinions."
            ),
            lambda source, request: source.is_opinion,
        ),
        attribute("url", _("Where the document is on the web, if it is.")),
        precise_date("published", "published_on", _("When the document was published.")),
        plain_date("accessed_on", _("When staff last read it at its address.")),
        attribute("archive_url", _("A permanent copy, such as a web archive snapshot.")),
        Column(
            "document",
            _(
                "Where to download the copy of the document this site keeps (PDF or text), "
                "if it keeps one."
            ),
            document_url,
        ),
        Column(
            "document_file",
            _("The stored file name of that copy, if there is one."),
            document_file,
            ("document",),
        ),
        attribute("notes", _("Anything a reader should know about the document as a whole.")),
        Column(
            "citation_count",
            _(
                "How many citations of it the records in the files make: those of published "
                "records in the public's files."
            ),
            citation_count,
        ),
        html_url(_("The address of the source's page on this site, with the records citing it.")),
        timestamp("created_at", _("When the source was first entered on this site.")),
        timestamp("updated_at", _("When the source was last changed on this site.")),
    ),
    defer=("document_text",),
    annotate=lambda sources, user: with_citation_count(sources, user),
    excluded_fields={
        "document_text": _(
            "The text extracted from the uploaded document for search: long, and extracted "
            "again from the document itself."
        ),
    },
    # Files written before the API and the files shared their names had the stored file
    # name in `document` and the download in `document_url`.
    former_names={"document": "document_file", "document_url": "document"},
)


def cited_type(citation, request):
    return citation.cited_field


def cited_slug(citation, request):
    record = citation.record
    return record.slug if record is not None else None


CITATION_EXPORT = ExportSpec(
    name="citations",
    model=Citation,
    title=_("Citations"),
    description=_(
        "Which records cite which sources: one row for each record citing a document, with "
        "where in the document and the passage that supports the record. A record may cite "
        "several sources, and a source may be cited by several records."
    ),
    columns=(
        attribute(
            "id",
            _(
                "The citation's number on this site. It does not change; it means nothing "
                "elsewhere."
            ),
        ),
        Column(
            "source_id",
            _("The id of the document cited, in the sources download."),
            lambda citation, request: citation.source_id,
            ("source",),
        ),
        Column(
            "record_type",
            _(
                "The type of the record that cites it: jurisdiction, agency, ordinance, "
                "agreement or statement."
            ),
            cited_type,
        ),
        Column(
            "record_slug",
            _("The slug of the record that cites it, in that type's download."),
            cited_slug,
            CITATION_TARGETS,
        ),
        attribute(
            "locator",
            _("Where in the document: a page, a section or a row. Empty when not given."),
        ),
        attribute("excerpt", _("The passage, quoted exactly, that supports the record.")),
        attribute("note", _("Anything a reader should know about this citation.")),
        timestamp("created_at", _("When the citation was first entered on this site.")),
        timestamp("updated_at", _("When the citation was last changed on this site.")),
    ),
    select_related=CITATION_TARGETS,
    # The citing record is read for its slug only: leave its long texts in the database.
    defer=(
        *(f"{target}__summary" for target in CITATION_TARGETS),
        "ordinance__full_text",
        "agreement__full_text",
        "agreement__scope",
        "agreement__exclusions",
        "statement__text",
    ),
    excluded_fields={},
    former_names={},
)
