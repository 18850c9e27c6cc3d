"""What each record and each source contributes to the search index, and keeping it current.

A record's entry holds what its citations say (each document's title and publisher, and
the passage quoted); a source's entry holds the document itself, so a document's text is
searched once, however many records cite it. A source has an entry while a record cites
it (as it has a page), published while a published record does.

`index_record()` runs on every save of a record, of a source, of a citation, and of the
related records whose names an entry carries, through the signal receivers in
`signals.py`: so the admin, the API and any code that saves a model keep search current.
Bulk writes skip signals; they call `index_written()`, `index_queryset()` or the
`rebuild_search_index` command.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.models import Citation, PublicationState, Source
from policytracker.search.backends import MARK_END, MARK_START
from policytracker.search.models import TARGETS, RecordType, SearchEntry
from policytracker.search.query import clean_text

# Longer bodies are cut: PostgreSQL's tsvector holds at most 1 MB, and the first few
# hundred pages of a document say what it is about.
MAX_BODY_CHARS = 300_000
BATCH_SIZE = 1000
# Ids per query when indexing what a bulk write touched.
WRITTEN_CHUNK_SIZE = 10_000

RECORD_TYPES = {
    Jurisdiction: RecordType.JURISDICTION,
    Agency: RecordType.AGENCY,
    Ordinance: RecordType.ORDINANCE,
    Agreement: RecordType.AGREEMENT,
    Statement: RecordType.STATEMENT,
}
# Every model with entries: the records, then the documents they cite.
MODEL_TYPES = {**RECORD_TYPES, Source: RecordType.SOURCE}
TYPE_MODELS = {record_type: model for model, record_type in MODEL_TYPES.items()}

# What to load with each record so that describing a batch costs a fixed number of queries.
# "citations" comes with each citation's source joined (`citations_with_sources`).
RELATED = {
    Jurisdiction: ((), ()),
    Agency: ((), ()),
    Ordinance: (("issued_by",), ()),
    Agreement: (("local_party", "federal_party"), ()),
    Statement: (("speaker_agency",), ("about_jurisdictions",)),
}


def citations_with_sources():
    """A batch's citations, each with its source in the same query.

    Not `prefetch_related("citations__source")`: Django 5.2 prefetches a foreign key's
    targets with a tuple lookup that SQLite, lacking tuple comparisons, writes as
    `id = ? OR id = ? …`, one term per document; a batch citing more than about a thousand
    documents (as at 100,000 records) is then deeper than SQLite parses ("Expression tree is
    too large"). The citations themselves are prefetched with a plain `IN`.
    """
    return Prefetch("citations", queryset=Citation.objects.select_related("source"))


def text(*parts):
    """Join the non-empty parts as one searchable text, without the snippet markers."""
    joined = "\n".join(part for part in parts if part)
    return clean_text(joined).replace(MARK_START, " ").replace(MARK_END, " ")


def agency_names(agency):
    return (agency.name, agency.abbreviation) if agency else ()


def sources_text(record):
    """What the record's citations say: each document's title and publisher, and the passage
    quoted. A document's own text is indexed once, in its source's entry."""
    return [
        part
        for citation in record.citations.all()
        for part in (citation.source.title, citation.source.publisher, citation.excerpt)
    ]


def has_entry(record):
    """Every record has an entry; a source has one while a record cites it (`is_cited`,
    annotated by `with_related`): a document nothing cites has no page to find."""
    return not isinstance(record, Source) or record.is_cited


def describe_source(source):
    """A source's entry: the document itself, published while a published record cites it
    (`is_cited_publicly`, annotated by `with_related`)."""
    return {
        "record_type": RecordType.SOURCE,
        "slug": "",
        "title": text(source.title)[:300],
        "keywords": text(source.publisher, source.get_kind_display()),
        # Cut before cleaning too: a document's text may be far longer than what is kept.
        "body": text(source.notes, source.document_text[:MAX_BODY_CHARS])[:MAX_BODY_CHARS],
        "jurisdiction_id": None,
        "agency": None,
        "kind": source.kind,
        "status": "",
        "date": source.published_on,
        "date_precision": source.published_on_precision if source.published_on else "",
        "is_published": source.is_cited_publicly,
        "updated_at": source.updated_at,
    }


def describe(record):
    """The entry's fields for a record whose RELATED relations are loaded."""
    if isinstance(record, Source):
        return describe_source(record)
    values = {"kind": getattr(record, "kind", ""), "status": getattr(record, "status", "")}
    date = precision = None
    match record:
        case Jurisdiction():
            keywords = (record.get_kind_display(), record.ocd_id, record.fips)
            body = ()
            jurisdiction, agency = record.pk, None
        case Agency():
            keywords = (record.abbreviation, record.get_kind_display())
            body = ()
            jurisdiction, agency = record.jurisdiction_id, record
        case Ordinance():
            keywords = (record.number, *agency_names(record.issued_by))
            body = (record.full_text,)
            jurisdiction, agency = record.jurisdiction_id, record.issued_by
            date = record.adopted_on or record.effective_on or record.introduced_on
            for field in ("adopted_on", "effective_on", "introduced_on"):
                if getattr(record, field):
                    precision = getattr(record, f"{field}_precision")
                    break
        case Agreement():
            keywords = (*agency_names(record.local_party), *agency_names(record.federal_party))
            body = (record.scope, record.exclusions, record.full_text)
            jurisdiction = record.local_party.jurisdiction_id if record.local_party else None
            agency = record.local_party
            for field in ("signed_on", "effective_on"):
                if getattr(record, field):
                    date, precision = getattr(record, field), getattr(record, f"{field}_precision")
                    break
        case Statement():
            keywords = (
                record.speaker_name,
                record.speaker_title,
                *agency_names(record.speaker_agency),
            )
            body = (record.text,)
            places = list(record.about_jurisdictions.all())
            if places:
                jurisdiction = places[0].pk
            elif record.speaker_agency:
                jurisdiction = record.speaker_agency.jurisdiction_id
            else:
                jurisdiction = None
            agency = record.speaker_agency
            date, precision = record.made_on, record.made_on_precision
        case _:
            raise TypeError(f"{type(record).__name__} is not a searchable record.")
    return {
        **values,
        "record_type": MODEL_TYPES[type(record)],
        "slug": record.slug,
        "title": text(str(record))[:300],
        # A Spanish title and summary (SpanishText) find the record too.
        "keywords": text(getattr(record, "title_es", ""), *keywords),
        "body": text(
            record.summary, getattr(record, "summary_es", ""), *body, *sources_text(record)
        )[:MAX_BODY_CHARS],
        "jurisdiction_id": jurisdiction,
        "agency": agency,
        "date": date,
        "date_precision": precision if date else "",
        "is_published": record.publication_state == PublicationState.PUBLISHED,
        "updated_at": record.updated_at,
    }


def with_related(queryset):
    if queryset.model is Source:
        citations = Citation.objects.filter(source=OuterRef("pk"))
        return queryset.annotate(
            is_cited=Exists(citations),
            # Cited by a record the public sees: a published one.
            is_cited_publicly=Exists(citations.visible_to(None)),
        )
    joins, prefetches = RELATED[queryset.model]
    return queryset.select_related(*joins).prefetch_related(citations_with_sources(), *prefetches)


def index_record(record):
    """Write one record's entry, reloading what it needs: one call per save.

    Returns whether the entry's publication changed (a new entry counts as unpublished
    before): the sources a record cites are then published, or not, with it.
    """
    model = type(record)
    fresh = with_related(model._default_manager.filter(pk=record.pk)).first()
    if fresh is None:  # deleted meanwhile: its entry went with it
        return False
    target = TARGETS[MODEL_TYPES[model]]
    if not has_entry(fresh):
        SearchEntry.objects.filter(**{target: fresh}).delete()
        return False
    values = describe(fresh)
    with transaction.atomic():
        entry = SearchEntry.objects.select_for_update().filter(**{target: fresh}).first()
        was_published = entry is not None and entry.is_published
        if entry is None:
            SearchEntry.objects.create(**{target: fresh}, **values)
        else:
            for name, value in values.items():
                setattr(entry, name, value)
            entry.save()
    return was_published != values["is_published"]


def index_queryset(queryset, batch_size=BATCH_SIZE, progress=None):
    """Rewrite the entries of every record (or source) in a queryset, a batch at a time.

    `progress(message, done, total)`, if given, is told before each batch."""
    model = queryset.model
    target = TARGETS[MODEL_TYPES[model]]
    count = 0
    ids = list(queryset.order_by("pk").values_list("pk", flat=True).distinct())
    message = _("Indexing %(records)s") % {"records": model._meta.verbose_name_plural}
    for start in range(0, len(ids), batch_size):
        if progress is not None:
            progress(message, start, len(ids))
        chunk = ids[start : start + batch_size]
        records = with_related(model._default_manager.filter(pk__in=chunk))
        entries = [
            SearchEntry(**{target: record}, **describe(record))
            for record in records
            if has_entry(record)
        ]
        with transaction.atomic():
            SearchEntry.objects.filter(**{f"{target}__in": chunk}).delete()
            SearchEntry.objects.bulk_create(entries, batch_size=batch_size)
        count += len(entries)
    return count


def cited_sources(model, pks):
    """The sources that the records of `model` with these ids cite."""
    field = Citation.target_field_for(model)
    return Source.objects.filter(
        pk__in=Citation.objects.filter(**{f"{field}__in": pks}).values("source_id")
    )


def index_written(written, chunk_size=WRITTEN_CHUNK_SIZE):
    """Index what a bulk write (which skips signals) wrote: `{model: ids}` of records,
    sources and citations.

    The records written, those citing a source written (its title and publisher are in
    their entries) and those of the citations written; the sources written, those of the
    citations written and those the records written cite (whether a published record cites
    them may have changed).
    """
    records = {model: set(written.get(model, ())) for model in RECORD_TYPES}
    sources = set(written.get(Source, ()))
    columns = ["source_id", *(f"{Citation.target_field_for(model)}_id" for model in RECORD_TYPES)]
    for lookup, ids in (("pk__in", written.get(Citation, ())), ("source__in", set(sources))):
        for chunk in chunked(sorted(ids), chunk_size):
            citing = Citation.objects.filter(**{lookup: chunk}).order_by()
            for source_id, *record_ids in citing.values_list(*columns):
                sources.add(source_id)
                for model, pk in zip(RECORD_TYPES, record_ids, strict=True):
                    if pk is not None:
                        records[model].add(pk)
    for model, pks in records.items():
        for chunk in chunked(sorted(pks), chunk_size):
            index_queryset(model._default_manager.filter(pk__in=chunk))
            sources.update(cited_sources(model, chunk).values_list("pk", flat=True))
    for chunk in chunked(sorted(sources), chunk_size):
        index_queryset(Source.objects.filter(pk__in=chunk))


def index_publication(records, updated_at, chunk_size=WRITTEN_CHUNK_SIZE):
    """After a bulk publication that changed nothing else (policytracker.publication):
    `{model: ids}` of records now published at `updated_at`.

    Their entries are marked published in place rather than described again (a tenth of the
    time for an import of places); a record without an entry gets one. The sources they cite
    are re-indexed: whether the public sees them may have changed.
    """
    sources = set()
    for model, pks in records.items():
        target = TARGETS[MODEL_TYPES[model]]
        for chunk in chunked(sorted(pks), chunk_size):
            entries = SearchEntry.objects.filter(**{f"{target}__in": chunk})
            entries.update(is_published=True, updated_at=updated_at)
            missing = set(chunk) - set(entries.values_list(f"{target}_id", flat=True))
            if missing:
                index_queryset(model._default_manager.filter(pk__in=missing))
            sources.update(cited_sources(model, chunk).values_list("pk", flat=True))
    for chunk in chunked(sorted(sources), chunk_size):
        index_queryset(Source.objects.filter(pk__in=chunk))


def chunked(items, size):
    return (items[start : start + size] for start in range(0, len(items), size))


def rebuild(progress=None):
    """Every record's and source's entry, written afresh; returns the count per type.

    `progress(message, done, total)`, if given, is told how far each type has gone."""
    return {
        record_type: index_queryset(model._default_manager.all(), progress=progress)
        for record_type, model in TYPE_MODELS.items()
    }
