"""Each source becomes a citation of a document, and copies of one document become one.

Before, a Source cited exactly one record, so a document cited by many records (one ICE sheet
by every agreement it lists, one article by each record it supports) was stored once per
record. Here every source gives a citation with its record, excerpt and notes; then sources
that are copies of one document, the same URL and title or the same uploaded file, are merged
into the oldest of them. Nothing is lost:

- every record keeps a citation for each source it had, with its excerpt;
- a field the kept copy leaves blank is filled from the others;
- a value that differs from the kept copy's (notes, publisher, a date…) is kept in the
  note of the citation that came with it;
- each new citation and each merged copy gets a history row saying what happened.

Reversed, each citation becomes a source of its own again (a copy of its document, with
its excerpt, and its note after the document's notes). A source no record cites cannot be
put back (a source then had to cite one record): reversing refuses, naming it.
"""

from django.db import migrations
from django.db.migrations.exceptions import IrreversibleError
from django.utils import timezone

TARGETS = ("jurisdiction", "agency", "ordinance", "agreement", "statement")
# The fields that describe the document itself, compared when copies are merged.
DOCUMENT_FIELDS = (
    "title",
    "url",
    "publisher",
    "kind",
    "published_on",
    "published_on_precision",
    "accessed_on",
    "archive_url",
    "document",
    "document_text",
    "notes",
)
BATCH = 1000
REASON = "Sources became documents"


def duplicate_groups(sources):
    """{source id: id of the oldest copy of the same document} for every source."""
    parent = {source.pk: source.pk for source in sources}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    first_with = {}
    for source in sorted(sources, key=lambda source: source.pk):
        keys = []
        if source.url:
            keys.append(("url and title", source.url, source.title))
        if source.document:
            keys.append(("file", str(source.document)))
        for key in keys:
            if key in first_with:
                a, b = root(first_with[key]), root(source.pk)
                parent[max(a, b)] = min(a, b)
            else:
                first_with[key] = source.pk
    return {pk: root(pk) for pk in parent}


def shown(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def forwards(apps, schema_editor):
    Source = apps.get_model("policytracker", "Source")
    Citation = apps.get_model("policytracker", "Citation")
    HistoricalCitation = apps.get_model("policytracker", "HistoricalCitation")
    HistoricalSource = apps.get_model("policytracker", "HistoricalSource")
    db = schema_editor.connection.alias
    now = timezone.now()

    sources = list(Source.objects.using(db).order_by("pk"))
    if not sources:
        return
    kept_of = duplicate_groups(sources)
    by_pk = {source.pk: source for source in sources}

    citations, changed_kept = [], set()
    for source in sources:
        kept = by_pk[kept_of[source.pk]]
        notes = []
        for field in DOCUMENT_FIELDS:
            mine, theirs = getattr(source, field), getattr(kept, field)
            if source.pk == kept.pk or mine in (None, "") or mine == theirs:
                continue
            if theirs in (None, "") and field != "notes":  # notes were often the citation's
                setattr(kept, field, mine)
                changed_kept.add(kept.pk)
            elif field != "document_text":
                label = Source._meta.get_field(field).verbose_name
                notes.append(f"That source's {label}: {shown(mine)}")
        target = next((t for t in TARGETS if getattr(source, f"{t}_id")), None)
        citations.append(
            Citation(
                source_id=kept.pk,
                excerpt=source.excerpt,
                note="\n".join(notes),
                created_at=source.created_at,
                updated_at=source.updated_at,
                **{f"{target}_id": getattr(source, f"{target}_id")},
            )
        )

    Citation.objects.using(db).bulk_create(citations, batch_size=BATCH)
    HistoricalCitation.objects.using(db).bulk_create(
        [
            HistoricalCitation(
                id=citation.pk,
                source_id=citation.source_id,
                excerpt=citation.excerpt,
                note=citation.note,
                locator=citation.locator,
                created_at=citation.created_at,
                updated_at=citation.updated_at,
                history_date=now,
                history_type="+",
                history_change_reason=f"{REASON}: it was source {source.pk}"[:100],
                **{f"{target}_id": getattr(citation, f"{target}_id") for target in TARGETS},
            )
            for citation, source in zip(citations, sources, strict=True)
        ],
        batch_size=BATCH,
    )

    for pk in changed_kept:
        kept = by_pk[pk]
        Source.objects.using(db).filter(pk=pk).update(
            **{field: getattr(kept, field) for field in DOCUMENT_FIELDS}
        )
    merged = [source for source in sources if kept_of[source.pk] != source.pk]
    history_fields = [
        field.attname
        for field in HistoricalSource._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    HistoricalSource.objects.using(db).bulk_create(
        [
            HistoricalSource(
                **{name: getattr(source, name) for name in history_fields},
                history_date=now,
                history_type="-",
                history_change_reason=f"Merged into source {kept_of[source.pk]}"[:100],
            )
            for source in merged
        ],
        batch_size=BATCH,
    )
    merged_ids = [source.pk for source in merged]
    for start in range(0, len(merged_ids), BATCH):
        Source.objects.using(db).filter(pk__in=merged_ids[start : start + BATCH]).delete()


def backwards(apps, schema_editor):
    Source = apps.get_model("policytracker", "Source")
    Citation = apps.get_model("policytracker", "Citation")
    db = schema_editor.connection.alias
    uncited = Source.objects.using(db).filter(citations__isnull=True).first()
    if uncited is not None:
        raise IrreversibleError(
            f"Source {uncited.pk} is cited by no record; before sources were documents, "
            "each cited exactly one. Cite it or delete it, then migrate back."
        )
    document_fields = [
        field.attname
        for field in Source._meta.concrete_fields
        if field.name not in ("id", *TARGETS, "excerpt", "notes")
    ]
    first_of = {}
    copies = []
    for citation in Citation.objects.using(db).select_related("source").order_by("pk"):
        source = citation.source
        notes = "\n\n".join(part for part in (source.notes, citation.note) if part)
        record = {f"{target}_id": getattr(citation, f"{target}_id") for target in TARGETS}
        if source.pk not in first_of:
            first_of[source.pk] = citation.pk
            Source.objects.using(db).filter(pk=source.pk).update(
                excerpt=citation.excerpt, notes=notes, **record
            )
        else:
            copies.append(
                Source(
                    **{name: getattr(source, name) for name in document_fields},
                    **{"excerpt": citation.excerpt, "notes": notes, **record},
                )
            )
    Source.objects.using(db).bulk_create(copies, batch_size=BATCH)
    Citation.objects.using(db).all().delete()
    if schema_editor.connection.vendor == "postgresql":
        # The rows' deferred foreign key checks run now, before the next ALTER TABLE.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("policytracker", "0006_citations"),
    ]

    operations = [
        # Dropped here, not in 0008, so that migrating back puts it again only once the
        # sources each cite one record again.
        migrations.RemoveConstraint(model_name="source", name="source_cites_exactly_one_record"),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
