"""Keep each record's and each source's search entry current on every save, from wherever
it comes.

A source has an entry while a record cites it, published while a published record does,
so it is written again when a citation of it is saved or deleted, and when a record
citing it is published, unpublished or deleted.
"""

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Ordinance
from policytracker.models import Citation, Source
from policytracker.search.indexing import (
    RECORD_TYPES,
    cited_sources,
    index_queryset,
    index_record,
)


def record_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: related rows may not exist yet; run rebuild_search_index after
        return
    if index_record(instance):
        # Published or unpublished: so, perhaps, are the documents it cites.
        index_queryset(cited_sources(sender, [instance.pk]))
    if isinstance(instance, Agency):
        # Entries of these records carry the agency's names.
        index_queryset(Agreement.objects.involving(instance))
        index_queryset(Statement.objects.by_agency(instance))
        index_queryset(Ordinance.objects.filter(issued_by=instance))


# A record's deletion takes its citations with it, in an order Django does not promise
# (the citation's foreign key is nullable): the documents it cited are written again both
# after the record goes and after each citation goes: whichever is last sees both gone.


def record_deleting(sender, instance, **kwargs):
    # Its citations may go first: note what it cites while they are there.
    instance._search_cited_sources = list(
        cited_sources(sender, [instance.pk]).values_list("pk", flat=True)
    )


def record_deleted(sender, instance, **kwargs):
    """A document it cited may now be cited by no published record, or by none."""
    cited = getattr(instance, "_search_cited_sources", None)
    if cited:
        index_queryset(Source.objects.filter(pk__in=cited))


def citation_loaded(sender, instance, **kwargs):
    # The source it cites as read, to write that source's entry again if it is changed.
    # (A deferred source_id is left unread: reading it would cost a query per citation.)
    instance._search_source_when_read = instance.__dict__.get("source_id")


def citation_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw:
        return
    # When deleting a record takes its citations with it, the record's entry goes too:
    # writing it again here would point at a record about to vanish. The document's is.
    origin_model = origin.model if isinstance(origin, QuerySet) else type(origin)
    if origin is not None and origin_model is not Citation:
        index_queryset(Source.objects.filter(pk=instance.source_id))
        return
    record = instance.record
    if record is not None:
        index_record(record)
    left = getattr(instance, "_previously_cited", None)  # moved to another record
    if left is not None and (record := instance.records_of(left).first()) is not None:
        index_record(record)
    # Whether a published record cites the source (or the one it cited before) may change:
    # not when only the excerpt, the place in the document or the note did.
    before = getattr(instance, "_search_source_when_read", None)
    if kwargs.get("created", True) or left is not None or before != instance.source_id:
        sources = {instance.source_id, before}
        index_queryset(Source.objects.filter(pk__in=sources - {None}))
    instance._search_source_when_read = instance.source_id


def source_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:  # a new source is cited by nothing yet, so has no entry
        return
    index_record(instance)
    # Its title and publisher are in the entry of every record that cites it.
    if getattr(instance, "_names_changed", True):
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
    for model in RECORD_TYPES:
        name = model.__name__
        post_save.connect(record_saved, sender=model, dispatch_uid=f"search-{name}")
        pre_delete.connect(record_deleting, sender=model, dispatch_uid=f"search-{name}-deleting")
        post_delete.connect(record_deleted, sender=model, dispatch_uid=f"search-{name}-deleted")
    post_init.connect(citation_loaded, sender=Citation, dispatch_uid="search-citation-loaded")
    post_save.connect(citation_changed, sender=Citation, dispatch_uid="search-citation-saved")
    post_delete.connect(citation_changed, sender=Citation, dispatch_uid="search-citation-deleted")
    post_save.connect(source_saved, sender=Source, dispatch_uid="search-source-saved")
    m2m_changed.connect(
        statement_places_changed,
        sender=Statement.about_jurisdictions.through,
        dispatch_uid="search-statement-places",
    )
