"""Each source becomes a citation of a document, and copies of one document become one.

Before, a Source cited exactly one record, so a document cited by many records (one ICE sheet
by every agreement it lists, one article by each record it supports) was stored once per
record. Here every source N gives citation N (the same number) with its record and excerpt;
then sources that are copies of one document are merged into the oldest of them: the same
URL and title with the same uploaded file or none, or the same uploaded file. Nothing is lost:

- every record keeps a citation for each source it had, with its excerpt;
- the kept copy is left as it was: a value another copy gives differently (its title, a
  publisher, a date, an archived copy) is kept in the note of that copy's citation, so it
  shows where that copy showed, to those who could see it;
- notes stay on the document when every copy has the same ones; otherwise each copy's
  notes go to its citation's note;
- every history row a source had becomes a history row of its citation, with its excerpt
  and record; the move itself, and each merged copy's removal, are history rows too.

Reversed, each citation N becomes source N again: a copy of its document with its excerpt,
its place in the document and its note added to the notes; the history is the sources' as
it was before (citations' history rows written since are not carried back). A source no record cites cannot
be put back (a source then had to cite one record): reversing refuses, naming it.
"""

from collections import defaultdict

from django.db import migrations
from django.db.models import Q
from django.db.migrations.exceptions import IrreversibleError
from django.utils import timezone

TARGETS = ("jurisdiction", "agency", "ordinance", "agreement", "statement")
# What else describes the document, compared with the kept copy's when copies are merged.
DOCUMENT_FIELDS = (
    "title",
    "url",
    "publisher",
    "kind",
    "published_on",
    "published_on_precision",
    "accessed_on",
    "archive_url",
)
BATCH = 1000
REASON = "Sources became documents"
MERGED = "Merged into source "
NOTES_MOVED = "Its copies' notes differed: each is on its citation"


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
            keys.append(("url and title", source.url, source.title, str(source.document)))
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


def keep_given_times(*models):
    """Let bulk_create keep the times given: these are the migration's own model classes."""
    for model in models:
        for name in ("created_at", "updated_at"):
            field = model._meta.get_field(name)
            field.auto_now = field.auto_now_add = False


def history_fields(model):
    return [field.attname for field in model._meta.concrete_fields]


def reset_sequence(schema_editor, model):
    if schema_editor.connection.vendor == "postgresql":
        table = model._meta.db_table
        schema_editor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
        )


def forwards(apps, schema_editor):
    Source = apps.get_model("policytracker", "Source")
    Citation = apps.get_model("policytracker", "Citation")
    HistoricalCitation = apps.get_model("policytracker", "HistoricalCitation")
    HistoricalSource = apps.get_model("policytracker", "HistoricalSource")
    db = schema_editor.connection.alias
    now = timezone.now()
    keep_given_times(Citation)

    # The documents' extracted text is not needed to merge them, and can be long.
    sources = list(Source.objects.using(db).defer("document_text").order_by("pk"))
    if not sources:
        return
    kept_of = duplicate_groups(sources)
    by_pk = {source.pk: source for source in sources}
    notes_of_group = defaultdict(set)
    for source in sources:
        notes_of_group[kept_of[source.pk]].add(source.notes)
    notes_moved = {pk for pk, notes in notes_of_group.items() if len(notes) > 1}

    citations = []
    for source in sources:
        kept = by_pk[kept_of[source.pk]]
        note = []
        if kept.pk in notes_moved and source.notes:
            note.append(source.notes)
        for field in DOCUMENT_FIELDS:
            mine, theirs = getattr(source, field), getattr(kept, field)
            if mine not in (None, "") and mine != theirs:
                label = Source._meta.get_field(field).verbose_name
                note.append(f"This citation's copy of the source gave its {label}: {shown(mine)}")
        target = next(t for t in TARGETS if getattr(source, f"{t}_id"))
        citations.append(
            Citation(
                id=source.pk,
                source_id=kept.pk,
                excerpt=source.excerpt,
                note="\n".join(note),
                created_at=source.created_at,
                updated_at=source.updated_at,
                **{f"{target}_id": getattr(source, f"{target}_id")},
            )
        )
    Citation.objects.using(db).bulk_create(citations, batch_size=BATCH)
    reset_sequence(schema_editor, Citation)

    # Each source's history, as its citation's; then the move itself.
    shared = {f.attname for f in HistoricalCitation._meta.concrete_fields} - {"history_id", "note"}
    rows = []
    for old in HistoricalSource.objects.using(db).defer("document_text").iterator(BATCH):
        row = HistoricalCitation(
            **{name: getattr(old, name) for name in shared if hasattr(old, name)},
            note=old.notes,
        )
        row.source_id = kept_of.get(old.id, old.id)  # a source deleted earlier: its own id
        rows.append(row)
    citation_fields = [f.attname for f in Citation._meta.concrete_fields]
    for citation in citations:
        rows.append(
            HistoricalCitation(
                **{name: getattr(citation, name) for name in citation_fields},
                history_date=now,
                history_type="~",
                history_change_reason=f"{REASON}: cites source {citation.source_id}"[:100],
            )
        )
    HistoricalCitation.objects.using(db).bulk_create(rows, batch_size=BATCH)

    # The documents: merged copies go, kept ones whose notes went to citations lose them.
    merged = [source for source in sources if kept_of[source.pk] != source.pk]
    texts = dict(
        Source.objects.using(db)
        .filter(pk__in=[source.pk for source in merged if source.document])
        .values_list("pk", "document_text")
    )
    source_fields = [
        name for name in history_fields(HistoricalSource) if not name.startswith("history_")
    ]
    changes = []
    for source in merged:
        source.document_text = texts.get(source.pk, "")
        changes.append((source, "-", f"{MERGED}{kept_of[source.pk]}"))
    for pk in notes_moved:
        kept = by_pk[pk]
        if kept.notes:
            kept.notes = ""
            kept.document_text = (
                Source.objects.using(db).values_list("document_text", flat=True).get(pk=pk)
            )
            Source.objects.using(db).filter(pk=pk).update(notes="")
            changes.append((kept, "~", NOTES_MOVED))
    HistoricalSource.objects.using(db).bulk_create(
        [
            HistoricalSource(
                **{name: getattr(source, name) for name in source_fields},
                history_date=now,
                history_type=kind,
                history_change_reason=reason[:100],
            )
            for source, kind, reason in changes
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
    keep_given_times(Source)
    uncited = Source.objects.using(db).filter(citations__isnull=True).first()
    if uncited is not None:
        raise IrreversibleError(
            f"Source {uncited.pk} is cited by no record; before sources were documents, "
            "each cited exactly one. Cite it or delete it, then migrate back."
        )
    document_fields = [
        field.attname
        for field in Source._meta.concrete_fields
        if field.name not in ("id", *TARGETS, "excerpt", "notes", "created_at", "updated_at")
    ]
    taken = set(Source.objects.using(db).values_list("pk", flat=True))
    in_place = {}  # source id: the citation that takes its row back (its own number's)
    citations = list(Citation.objects.using(db).select_related("source").order_by("pk"))
    for citation in citations:
        if citation.pk == citation.source_id or citation.source_id not in in_place:
            in_place[citation.source_id] = citation.pk
    copies = []
    for citation in citations:
        source = citation.source
        where = f"Where in it: {citation.locator}" if citation.locator else ""
        notes = "\n\n".join(part for part in (source.notes, citation.note, where) if part)
        values = {
            "excerpt": citation.excerpt,
            "notes": notes,
            "created_at": citation.created_at,
            "updated_at": citation.updated_at,
            **{f"{target}_id": getattr(citation, f"{target}_id") for target in TARGETS},
        }
        if in_place[source.pk] == citation.pk:
            Source.objects.using(db).filter(pk=source.pk).update(**values)
        else:
            fields = {name: getattr(source, name) for name in document_fields}
            number = citation.pk if citation.pk not in taken else None
            copies.append(Source(id=number, **fields, **values))
    Source.objects.using(db).bulk_create(copies, batch_size=BATCH)
    reset_sequence(schema_editor, Source)
    Citation.objects.using(db).all().delete()
    # The history goes back to what it was: the sources' rows, without this migration's.
    HistoricalSource = apps.get_model("policytracker", "HistoricalSource")
    HistoricalSource.objects.using(db).filter(
        Q(history_change_reason__startswith=MERGED) | Q(history_change_reason=NOTES_MOVED)
    ).delete()
    apps.get_model("policytracker", "HistoricalCitation").objects.using(db).all().delete()
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
