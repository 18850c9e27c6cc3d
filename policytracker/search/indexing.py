"""What each record contributes to the search index, and keeping the index current.

`index_record()` runs on every save of a record, of one of its sources, and of the
related records whose names it carries, through the signal receivers in `signals.py`:
so the admin, the API and any code that saves a model keep search current. Bulk writes
skip signals; they call `index_queryset()` or the `rebuild_search_index` command.
"""

from django.db import transaction

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.models import PublicationState
from policytracker.search.backends import MARK_END, MARK_START
from policytracker.search.models import TARGETS, RecordType, SearchEntry
from policytracker.search.query import clean_text

# Longer bodies are cut: PostgreSQL's tsvector holds at most 1 MB, and the first few
# hundred pages of a document say what it is about.
MAX_BODY_CHARS = 300_000
BATCH_SIZE = 1000

MODEL_TYPES = {
    Jurisdiction: RecordType.JURISDICTION,
    Agency: RecordType.AGENCY,
    Ordinance: RecordType.ORDINANCE,
    Agreement: RecordType.AGREEMENT,
    Statement: RecordType.STATEMENT,
}
TYPE_MODELS = {record_type: model for model, record_type in MODEL_TYPES.items()}

# What to load with each record so that describing a batch costs a fixed number of queries.
RELATED = {
    Jurisdiction: ((), ("citations__source",)),
    Agency: ((), ("citations__source",)),
    Ordinance: (("issued_by",), ("citations__source",)),
    Agreement: (("local_party", "federal_party"), ("citations__source",)),
    Statement: (("speaker_agency",), ("citations__source", "about_jurisdictions")),
}


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


def describe(record):
    """The entry's fields for a record whose RELATED relations are loaded."""
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
        "keywords": text(*keywords),
        "body": text(record.summary, *body, *sources_text(record))[:MAX_BODY_CHARS],
        "jurisdiction_id": jurisdiction,
        "agency": agency,
        "date": date,
        "date_precision": precision if date else "",
        "is_published": record.publication_state == PublicationState.PUBLISHED,
        "updated_at": record.updated_at,
    }


def with_related(queryset):
    joins, prefetches = RELATED[queryset.model]
    return queryset.select_related(*joins).prefetch_related(*prefetches)


def index_record(record):
    """Write one record's entry, reloading what it needs: one call per save."""
    model = type(record)
    fresh = with_related(model._default_manager.filter(pk=record.pk)).first()
    if fresh is None:  # deleted meanwhile: its entry went with it
        return
    target = TARGETS[MODEL_TYPES[model]]
    SearchEntry.objects.update_or_create(**{target: fresh}, defaults=describe(fresh))


def index_queryset(queryset, batch_size=BATCH_SIZE):
    """Rewrite the entries of every record in a queryset, a batch at a time."""
    model = queryset.model
    target = TARGETS[MODEL_TYPES[model]]
    count = 0
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        records = with_related(model._default_manager.filter(pk__in=chunk))
        entries = [SearchEntry(**{target: record}, **describe(record)) for record in records]
        with transaction.atomic():
            SearchEntry.objects.filter(**{f"{target}__in": chunk}).delete()
            SearchEntry.objects.bulk_create(entries, batch_size=batch_size)
        count += len(entries)
    return count


def rebuild():
    """Every record's entry, written afresh; returns the count per record type."""
    return {
        record_type: index_queryset(model._default_manager.all())
        for record_type, model in TYPE_MODELS.items()
    }
