"""Keep each record's search entry current on every save, from wherever it comes."""

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Ordinance
from policytracker.models import Citation, Source
from policytracker.search.indexing import MODEL_TYPES, index_queryset, index_record


def record_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: related rows may not exist yet; run rebuild_search_index after
        return
    index_record(instance)
    if isinstance(instance, Agency):
        # Entries of these records carry the agency's names.
        index_queryset(Agreement.objects.involving(instance))
        index_queryset(Statement.objects.by_agency(instance))
        index_queryset(Ordinance.objects.filter(issued_by=instance))


def citation_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw:
        return
    # When deleting a record takes its citations with it, the record's entry goes too:
    # writing it again here would point at a record about to vanish.
    origin_model = origin.model if isinstance(origin, QuerySet) else type(origin)
    if origin is not None and origin_model is not Citation:
        return
    record = instance.record
    if record is not None:
        index_record(record)
    left = getattr(instance, "_previously_cited", None)  # moved to another record
    if left is not None and (record := instance.records_of(left).first()) is not None:
        index_record(record)


def source_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:  # a new source is cited by nothing yet
        return
    # Its title and publisher are in the entry of every record that cites it.
    for _field, records in instance.citing_records():
        index_queryset(records)


def statement_places_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            index_record(instance)
    elif action == "pre_clear":  # a place's statements: note which, before they go
        instance._statements_cleared = list(instance.statements.values_list("pk", flat=True))
    elif action == "post_clear":
        index_queryset(Statement.objects.filter(pk__in=instance._statements_cleared))
    elif action in ("post_add", "post_remove"):
        index_queryset(Statement.objects.filter(pk__in=pk_set))


def connect():
    for model in MODEL_TYPES:
        post_save.connect(record_saved, sender=model, dispatch_uid=f"search-{model.__name__}")
    post_save.connect(citation_changed, sender=Citation, dispatch_uid="search-citation-saved")
    post_delete.connect(citation_changed, sender=Citation, dispatch_uid="search-citation-deleted")
    post_save.connect(source_saved, sender=Source, dispatch_uid="search-source-saved")
    m2m_changed.connect(
        statement_places_changed,
        sender=Statement.about_jurisdictions.through,
        dispatch_uid="search-statement-places",
    )
