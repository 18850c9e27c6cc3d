"""One row per record in the search index, whatever its type, so one query searches all.

A source (a document) has an entry of its own, so its text is indexed once however many
records cite it; a record's entry holds what its citations say of it (the documents'
titles and publishers, and the passages quoted).

The text columns are what the database's full-text engine indexes: on PostgreSQL a stored,
weighted `tsvector` column with a GIN index, on SQLite an FTS5 table kept in step by
triggers (both made by migration 0002, which Django's model state does not describe).
On SQLite a migration that alters a column of this table rebuilds it without those
triggers, so such a migration must run the statements in `engines.py` again (as 0005
does). Rows are derived data: `indexing.py` rewrites a record's row whenever the record,
one of its citations, a source it cites or a related name changes, and a source's row
whenever it changes, is cited or no longer, or a record citing it is published or
unpublished; `rebuild_search_index` rewrites them all.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from policytracker.dates import PreciseDateAccessor, precise_date_fields


class RecordType(models.TextChoices):
    JURISDICTION = "jurisdiction", _("Jurisdiction")
    AGENCY = "agency", _("Agency")
    ORDINANCE = "ordinance", _("Ordinance")
    AGREEMENT = "agreement", _("Agreement")
    STATEMENT = "statement", _("Statement")
    SOURCE = "source", _("Source")


# The app each record type's model lives in, for permission names and lookups.
RECORD_APPS = {
    RecordType.JURISDICTION: "jurisdictions",
    RecordType.AGENCY: "jurisdictions",
    RecordType.ORDINANCE: "jurisdictions",
    RecordType.AGREEMENT: "agreements",
    RecordType.STATEMENT: "agreements",
    RecordType.SOURCE: "policytracker",
}

# The URL namespace of each record type's pages.
RECORD_NAMESPACES = {
    RecordType.JURISDICTION: "jurisdictions",
    RecordType.AGENCY: "agencies",
    RecordType.ORDINANCE: "ordinances",
    RecordType.AGREEMENT: "agreements",
    RecordType.STATEMENT: "statements",
    RecordType.SOURCE: "sources",
}


# The column of SearchEntry that holds each record type's record.
TARGETS = {
    RecordType.JURISDICTION: "jurisdiction_record",
    RecordType.AGENCY: "agency_record",
    RecordType.ORDINANCE: "ordinance_record",
    RecordType.AGREEMENT: "agreement_record",
    RecordType.STATEMENT: "statement_record",
    RecordType.SOURCE: "source_record",
}


def one_record_condition():
    condition = Q()
    for record_type, target in TARGETS.items():
        condition |= Q(
            record_type=record_type,
            **{f"{column}__isnull": column != target for column in TARGETS.values()},
        )
    return condition


class SearchEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Published entries, and drafts of the record types a staff member may view.

        A source has an entry while a record cites it, published while a published record
        does: the public finds the documents it sees cited; staff who may view sources find
        those cited by drafts as well."""
        drafts = draft_types_visible_to(user)
        if not drafts:
            return self.published()
        return self.filter(Q(is_published=True) | Q(record_type__in=drafts))


def draft_types_visible_to(user):
    """The record types whose drafts this user may see: their view permissions (for
    sources, `policytracker.view_source`)."""
    if user is None or not user.is_authenticated:
        return []
    return [
        record_type
        for record_type in RecordType
        if user.has_perm(f"{RECORD_APPS[record_type]}.view_{record_type}")
    ]


class SearchEntry(models.Model):
    record_type = models.CharField(max_length=12, choices=RecordType.choices)
    # Exactly one of these is set, and the row goes when its record goes.
    jurisdiction_record = models.OneToOneField(
        "jurisdictions.Jurisdiction",
        on_delete=models.CASCADE,
        null=True,
        related_name="search_entry",
    )
    agency_record = models.OneToOneField(
        "jurisdictions.Agency", on_delete=models.CASCADE, null=True, related_name="search_entry"
    )
    ordinance_record = models.OneToOneField(
        "jurisdictions.Ordinance",
        on_delete=models.CASCADE,
        null=True,
        related_name="search_entry",
    )
    agreement_record = models.OneToOneField(
        "agreements.Agreement", on_delete=models.CASCADE, null=True, related_name="search_entry"
    )
    statement_record = models.OneToOneField(
        "agreements.Statement", on_delete=models.CASCADE, null=True, related_name="search_entry"
    )
    source_record = models.OneToOneField(
        "policytracker.Source", on_delete=models.CASCADE, null=True, related_name="search_entry"
    )

    slug = models.SlugField(max_length=120, blank=True)  # a source has none: see record_key
    title = models.CharField(max_length=300)
    # Names that identify the record besides its title (abbreviations, numbers, speakers,
    # parties): weighted between the title and the body, and the misspelling fallback's text.
    keywords = models.TextField(blank=True)
    # Summary, full text, scope, quotes, and the titles, publishers and excerpts of the
    # sources cited; for a source, its notes and the document's text.
    body = models.TextField(blank=True)

    # What results are filtered and faceted by.
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("The place the record belongs to or is about."),
    )
    agency = models.ForeignKey(
        "jurisdictions.Agency",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("The agency the record is, or the one that issued, signed or said it."),
    )
    kind = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=10, blank=True)
    date, date_precision = precise_date_fields(_("date"))
    is_published = models.BooleanField(default=False)
    updated_at = models.DateTimeField()

    when = PreciseDateAccessor("date")

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(record_type__in=RecordType.values), name="search_entry_type_valid"
            ),
            # The record column that is set is the one its type names, and only that one.
            models.CheckConstraint(
                condition=one_record_condition(), name="search_entry_one_record"
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "record_type"], name="search_entry_published"),
            models.Index(fields=["-updated_at"], name="search_entry_updated"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(f"{RECORD_NAMESPACES[self.record_type]}:detail", args=[self.record_key])

    @property
    def record_key(self):
        """What the record's addresses name it by: its slug, or a source's id."""
        return self.source_record_id if self.record_type == RecordType.SOURCE else self.slug


class IndexVersion(models.Model):
    """A token that changes whenever any search entry is written or deleted.

    One row, rewritten by a database trigger on search_searchentry (migration 0003), so no
    write can forget it: cached search results are kept under the token they were computed
    at (`cache.py`) and are never read again once the index has changed. The token is
    random, not a counter, so a write rolled back never leaves a number a later write
    would use again.
    """

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("search index version")

    def __str__(self):
        return self.token
