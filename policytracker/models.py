"""What every public record shares, the sources it cites, and what staff must review."""

import logging
from collections.abc import Mapping

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from policytracker.dates import (
    PreciseDateAccessor,
    clean_precise_date,
    precise_date_constraints,
    precise_date_fields,
)
from policytracker.documents.extract import UnreadableDocument, check_document, extract_text

logger = logging.getLogger(__name__)


class PublicationState(models.TextChoices):
    """Where a record is on its way to the public: draft → in review → published → withdrawn.

    Editors write drafts and submit them for review; Reviewers publish and withdraw. A
    withdrawn record keeps its page, with a notice, so that links and citations still resolve.
    """

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @property
    def is_public(self):
        return self in (PublicationState.PUBLISHED, PublicationState.WITHDRAWN)

    @classmethod
    def public_values(cls):
        return [cls.PUBLISHED, cls.WITHDRAWN]

    @classmethod
    def needs_reviewer(cls, state):
        """Only a Reviewer may put a record in this state."""
        return cls(state).is_public


class StaleRecordError(Exception):
    """The record was saved by someone else after this copy of it was read."""

    def __init__(self, record, version):
        self.record, self.version = record, version
        super().__init__(
            f"{record._meta.verbose_name} {record.pk} changed since version {version} was read"
        )


class PublicRecordQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_state=PublicationState.PUBLISHED)

    def public(self):
        """Published and withdrawn records: those whose page the public can open."""
        return self.filter(publication_state__in=PublicationState.public_values())

    def shows_drafts_to(self, user):
        """Whether `user` is staff who may view this model, drafts included."""
        opts = self.model._meta
        return (
            user is not None
            and user.is_authenticated
            and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        )

    def visible_to(self, user, withdrawn=False):
        """Published records (and withdrawn ones, for a detail page), and every record for
        staff who may view this model."""
        if self.shows_drafts_to(user):
            return self
        return self.public() if withdrawn else self.published()

    def with_citations(self):
        """Each record's citations, with their sources, primary documents first: as every
        record page and API detail lists them."""
        return self.prefetch_related(
            models.Prefetch(
                "citations", queryset=Citation.objects.select_related("source").primary_first()
            )
        )

    def prefetch_visible(self, *lookups, user=None):
        """Prefetch direct relations, keeping to the related records `user` may see.

        A lookup is a relation's name, or a tuple of the name and the relations to
        select_related on it: ("statements", "speaker_agency").
        """
        prefetches = []
        for lookup in lookups:
            name, *joins = (lookup,) if isinstance(lookup, str) else lookup
            related = self.model._meta.get_field(name).related_model
            queryset = related._default_manager.select_related(*joins)
            if isinstance(queryset, PublicRecordQuerySet):
                queryset = queryset.visible_to(user)
            prefetches.append(models.Prefetch(name, queryset=queryset))
        return self.prefetch_related(*prefetches)


class InForceQuerySet(PublicRecordQuerySet):
    """Records with an in-force interval: ordinances and agreements.

    A model using it names `IN_FORCE_START` and `IN_FORCE_END` (date fields, in order of
    preference), `IN_FORCE_STATUS`, and `ENDED_STATUSES` (suspended, repealed, expired…).
    """

    def with_in_force_interval(self):
        def first_set(fields):
            if len(fields) == 1:
                return F(fields[0])
            return Coalesce(*fields, output_field=models.DateField())

        return self.alias(
            in_force_start=first_set(self.model.IN_FORCE_START),
            in_force_end=first_set(self.model.IN_FORCE_END),
        )

    def in_force(self, on=None):
        """What was in force on the date `on` (today if not given).

        By its interval: from its start date (effective, else adopted or signed) until its end
        date (repealed, terminated, expired). A date known only to the month or year counts
        from the first day of that period. A record whose status is in force but whose start
        the sources do not give counts as in force today and later, never in the past. A
        record that is now suspended or ended, with no end date, is not in force today.
        """
        today = timezone.localdate()
        on = on or today
        model = self.model
        was_in_force = [model.IN_FORCE_STATUS, *model.ENDED_STATUSES]
        interval = Q(status__in=was_in_force, in_force_start__lte=on) & (
            Q(in_force_end__isnull=True) | Q(in_force_end__gt=on)
        )
        if on >= today:
            interval &= ~Q(status__in=model.ENDED_STATUSES, in_force_end__isnull=True)
            interval |= Q(status=model.IN_FORCE_STATUS, in_force_start__isnull=True) & (
                Q(in_force_end__isnull=True) | Q(in_force_end__gt=on)
            )
        return self.with_in_force_interval().filter(interval)


class PublicRecord(models.Model):
    """A record the public sees: a slug for its URL, a summary, sources and a state.

    Each subclass names its pages' URL namespace (`url_namespace`) and itself as messages
    name it, with its article (`verbose_name_with_article`: "an agreement"), so that
    translations need no rule for the article.
    """

    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text=_("The last part of the page address. Lower case, digits and hyphens."),
    )
    summary = models.TextField(
        blank=True,
        help_text=_("Plain words, neutral voice: what it is and what it does. No opinion."),
    )
    publication_state = models.CharField(
        _("publication"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        help_text=_("Only published records appear on the public site and in the API."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text=_("Raised by one at every save: an edit begun on an older version is refused."),
    )

    # The documents it cites, to filter by (`sources=…`): a document cited twice comes twice.
    # `citations` (Citation's foreign keys) say where in each and what it supports.
    sources = models.ManyToManyField(
        "policytracker.Source", through="policytracker.Citation", related_name="+", blank=True
    )
    # Values an importer could not read, left unrecorded for staff to check.
    review_flags = GenericRelation("policytracker.ReviewFlag")

    objects = PublicRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Save only over the version this copy was read at (optimistic locking).

        The update is conditional on the stored version, so of two people who opened the
        same record, the second to save gets `StaleRecordError` instead of overwriting the
        first, whatever the path (admin, API, code).
        """
        self._expected_version = None if self._state.adding else self.version
        if self._expected_version is not None:
            self.version = self._expected_version + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        try:
            super().save(*args, **kwargs)
        except BaseException:
            if self._expected_version is not None:
                self.version = self._expected_version
            raise
        finally:
            self._expected_version = None

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        expected = getattr(self, "_expected_version", None)
        if expected is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        updated = super()._do_update(
            base_qs.filter(version=expected), using, pk_val, values, update_fields, forced_update
        )
        if not updated and base_qs.filter(pk=pk_val).exists():
            raise StaleRecordError(self, expected)
        return updated

    @classmethod
    def publish_permission(cls):
        """The permission that lets a Reviewer publish and withdraw records of this type."""
        return f"{cls._meta.app_label}.publish_{cls._meta.model_name}"

    def source_errors(self, citations=None, was_public=False):
        """Why this record may not become public: it cites nothing.

        `citations`: a count to use instead of the database's (the admin's inline forms);
        `was_public`: the record was public already, so only losing its last citation counts.
        """
        if not self.is_public or (was_public and citations is None):
            return {}
        if citations is None:
            citations = self.citations.count() if self.pk else 0
        if citations:
            return {}
        return {
            "publication_state": _(
                "A record cannot be published without at least one source: cite one first."
            )
        }

    @property
    def is_published(self):
        return self.publication_state == PublicationState.PUBLISHED

    @property
    def is_withdrawn(self):
        return self.publication_state == PublicationState.WITHDRAWN

    @property
    def is_public(self):
        """Published or withdrawn: its page is open to all, so what it names must be too."""
        return self.publication_state in PublicationState.public_values()

    def publication_errors(self):
        """What stops this record from being in its publication state, by field.

        A public (published or withdrawn) record names only public records, so that no
        draft shows through it; and a record that public records name stays public until
        they are not.
        """
        errors = {}
        for field in self._meta.concrete_fields:
            related_id = getattr(self, field.attname)
            if not (
                self.is_public
                and related_id
                and field.many_to_one
                and issubclass(field.related_model, PublicRecord)
            ):
                continue
            related = field.related_model._default_manager.filter(pk=related_id).first()
            if related is not None and not related.is_public:
                errors[field.name] = _("“%(name)s” is not published: publish it first.") % {
                    "name": related
                }
        if not self.is_public and self.pk:
            dependents = self.published_dependents()
            if dependents:
                errors["publication_state"] = _(
                    "Published records name this one; return them to draft first: %(names)s."
                ) % {"names": "; ".join(str(record) for record in dependents)}
        return errors

    def published_dependents(self, limit=5):
        """Public records whose foreign keys point here (a few, to name them)."""
        found = []
        for relation in self._meta.related_objects:
            if relation.one_to_many and issubclass(relation.related_model, PublicRecord):
                found += relation.related_model._default_manager.public().filter(
                    **{relation.field.name: self}
                )[:limit]
        return found[:limit]

    @classmethod
    def publication_constraint(cls, model_name):
        return models.CheckConstraint(
            condition=Q(publication_state__in=PublicationState.values),
            name=f"{model_name}_publication_state_valid",
        )


class SpanishText(models.Model):
    """A record's title and summary in Spanish, for the site's Spanish pages.

    Both are optional: where one is blank, Spanish readers see the English text, marked as
    English, with a notice (templatetags/languages.py).
    """

    TRANSLATED_FIELDS = ("title", "summary")

    title_es = models.CharField(
        _("title in Spanish"),
        max_length=300,
        blank=True,
        help_text=_("Shown on the Spanish pages. Left blank, they show the English title."),
    )
    summary_es = models.TextField(
        _("summary in Spanish"),
        blank=True,
        help_text=_(
            "The summary in Spanish, in the same neutral voice. Left blank, the Spanish "
            "pages show the English summary."
        ),
    )

    class Meta:
        abstract = True

    def text_in(self, field, language=None):
        """`field`'s text for readers of `language` (the current one) and the language it
        is in: (text, language code). The English text where no translation is kept."""
        language = language or get_language() or settings.LANGUAGE_CODE
        translated = getattr(self, f"{field}_{language}", "")
        if translated:
            return translated, language
        return getattr(self, field), settings.LANGUAGE_CODE

    def untranslated_in(self, language=None):
        """Whether readers of `language` (the current one) see some of this record's text
        in English: a title or summary it has in English but not in their language."""
        language = language or get_language() or settings.LANGUAGE_CODE
        if language == settings.LANGUAGE_CODE:
            return False
        return any(
            getattr(self, field) and not getattr(self, f"{field}_{language}", "")
            for field in self.TRANSLATED_FIELDS
        )


class SourceKind(models.TextChoices):
    OFFICIAL_RECORD = "official_record", _("Official record")
    PRESS_RELEASE = "press_release", _("Press release")
    STATEMENT = "statement", _("Statement")
    NEWS = "news", _("News report")
    OPINION = "opinion", _("Opinion piece")
    DATASET = "dataset", _("Dataset")
    OTHER = "other", _("Other")

    @property
    def is_opinion(self):
        """An opinion piece: cited for the facts it reports and the words it quotes only."""
        return self is SourceKind.OPINION

    @classmethod
    def primary_first(cls):
        """The kinds in the order a record lists its sources: primary documents first (the
        texts and records of those who act, official data, their own releases and
        statements), then reports of them, and opinion last."""
        return (
            cls.OFFICIAL_RECORD,
            cls.DATASET,
            cls.PRESS_RELEASE,
            cls.STATEMENT,
            cls.NEWS,
            cls.OTHER,
            cls.OPINION,
        )

    @classmethod
    def primacy(cls, field="kind"):
        """An expression to order documents by, primary ones first (see `primary_first`);
        `field`: the kind's column, "source__kind" from a citation."""
        return Case(
            *[When(**{field: kind}, then=rank) for rank, kind in enumerate(cls.primary_first())],
            default=len(cls.primary_first()),
            output_field=models.IntegerField(),
        )


def validate_source_document(upload):
    """A PDF that pypdf can read or a UTF-8 text file, no larger than SOURCE_DOCUMENT_MAX_BYTES.

    A file already stored (a Source edited without a new upload) was checked when it came:
    it is not read again, so a later, lower limit does not block editing the rest.
    """
    if getattr(upload, "_committed", False):
        return
    check_document(upload)


class SourceQuerySet(models.QuerySet):
    def cited_by(self, record):
        return self.filter(**{f"citations__{Citation.target_field_for(record)}": record})

    def cited_by_visible(self, user):
        """Documents that at least one record `user` may see cites: for the public, a
        published one."""
        return self.filter(Exists(Citation.objects.visible_to(user).filter(source=OuterRef("pk"))))

    def with_citation_count(self):
        return self.annotate(citation_count=Count("citations"))


class Source(models.Model):
    """A document a fact comes from: an article, an ordinance's text, a dataset, a sheet.

    One document is one Source, however many records cite it: each record's Citation says
    where in it (a page, a row) and which passage supports the record.
    """

    title = models.CharField(max_length=300, help_text=_("The document's own title."))
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Who published it. Leave blank when the document does not say."),
    )
    kind = models.CharField(
        max_length=20,
        choices=SourceKind.choices,
        default=SourceKind.OTHER,
        help_text=_("Opinion pieces support facts they report, never the site's own voice."),
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published_on, published_on_precision = precise_date_fields(_("published"))
    accessed_on = models.DateField(
        _("accessed"), null=True, blank=True, help_text=_("When staff last read it at its URL.")
    )
    archive_url = models.URLField(
        _("archived copy"),
        max_length=500,
        blank=True,
        help_text=_("A permanent copy, such as a web archive snapshot."),
    )
    document = models.FileField(
        upload_to="sources/%Y/",
        blank=True,
        validators=[validate_source_document],
        help_text=_("An uploaded copy of the document (PDF or text)."),
    )
    document_text = models.TextField(
        blank=True,
        editable=False,
        help_text=_("The text extracted from the uploaded document, for search."),
    )
    notes = models.TextField(
        blank=True,
        help_text=_("Anything a reader should know about the document as a whole."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    published = PreciseDateAccessor("published_on")

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = [F("published_on").asc(nulls_last=True), "title", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="source_title_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            *precise_date_constraints("source", "published_on"),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def save(self, *args, **kwargs):
        """Keep `document_text` in step with the document, from the admin, the API or code."""
        if not self.document:
            self.document_text = ""
        elif not self.document._committed:  # a new upload, stored by this save
            try:
                self.document_text = extract_text(self.document)
            except UnreadableDocument:
                # Only code that skips full_clean() gets here; keep the file, without text.
                logger.warning("The document %s has no readable text.", self.document.name)
                self.document_text = ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "document" in update_fields:
            kwargs["update_fields"] = {*update_fields, "document_text"}
        upload_name = (
            self.document.name if self.document and not self.document._committed else None
        )
        try:
            super().save(*args, **kwargs)
        except Exception:
            # The file is stored before the row is written: if the row is not, no record
            # points at the file, so it goes too, and a retry stores the upload afresh.
            if upload_name is not None and self.document._committed:
                self.document.storage.delete(self.document.name)
                self.document.name, self.document._committed = upload_name, False
            raise

    def get_absolute_url(self):
        return reverse("sources:detail", args=[self.pk])

    @property
    def is_opinion(self):
        return self.kind == SourceKind.OPINION

    def clean(self):
        errors = {}
        clean_precise_date(self, "published_on", errors)
        if errors:
            raise ValidationError(errors)

    # What a citing record's search entry holds of its sources.
    NAME_FIELDS = ("title", "publisher")

    @classmethod
    def from_db(cls, db, field_names, values):
        source = super().from_db(db, field_names, values)
        source._names_when_read = source.names()
        return source

    def names(self):
        return tuple(self.__dict__.get(name) for name in self.NAME_FIELDS)

    def names_changed(self):
        return getattr(self, "_names_when_read", None) not in (None, self.names())

    def citing_records(self):
        """(field, queryset) for each record type: the records that cite this document."""
        for field in CITATION_TARGETS:
            records = CITING_MODELS[field]._default_manager.filter(citations__source=self)
            yield field, records.distinct()


# The records a Citation can link to a Source: one foreign key each, exactly one of them set.
CITATION_TARGETS = ("jurisdiction", "agency", "ordinance", "agreement", "statement")


class CitationQuerySet(models.QuerySet):
    def of(self, record):
        return self.filter(**{Citation.target_field_for(record): record})

    def records_left_uncited(self):
        """The public records that would cite nothing without these citations: a public
        record keeps at least one, so these may not be deleted or moved away."""
        left = []
        for field in CITATION_TARGETS:
            model = CITING_MODELS[field]
            cited = self.filter(**{f"{field}__isnull": False}).values(field)
            left += (
                model._default_manager.public()
                .filter(pk__in=cited)
                .exclude(citations__in=Citation.objects.exclude(pk__in=self.values("pk")))
            )
        return left

    def primary_first(self):
        """In the order a record lists its sources: primary documents first (official
        records, official data, press releases and statements), then news, opinion last;
        within a kind, as the default ordering (by date, then title)."""
        return self.order_by(SourceKind.primacy("source__kind"), *self.model._meta.ordering)

    def visible_to(self, user):
        """Citations by records `user` may see: published ones, for the public."""
        visible = Q()
        for field in CITATION_TARGETS:
            records = CITING_MODELS[field].objects.visible_to(user)
            visible |= Q(**{f"{field}__in": records.values("pk")})
        return self.filter(visible)


class Citation(models.Model):
    """A record citing a source: where in the document, and the passage that supports it.

    A citation links exactly one record (a database constraint says so) to one source. The
    source stays when its last citation goes; a source still cited cannot be deleted.
    """

    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,  # a document still cited is never deleted with a click
        related_name="citations",
    )
    # Exactly one of these is set: the record that cites the source.
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        on_delete=models.CASCADE,  # a citation means nothing without its record
        null=True,
        blank=True,
        related_name="citations",
    )
    agency = models.ForeignKey(
        "jurisdictions.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    ordinance = models.ForeignKey(
        "jurisdictions.Ordinance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    statement = models.ForeignKey(
        "agreements.Statement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    locator = models.CharField(
        _("where in it"),
        max_length=200,
        blank=True,
        help_text=_("A page, section or row: where in the document the fact is."),
    )
    excerpt = models.TextField(
        blank=True, help_text=_("The passage, quoted exactly, that supports the record.")
    )
    note = models.TextField(
        blank=True, help_text=_("Anything a reader should know about this citation.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CitationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = [
            F("source__published_on").asc(nulls_last=True),
            "source__title",
            "source_id",
            "pk",
        ]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    *[
                        Q(**{f"{field}__isnull": field != target for field in CITATION_TARGETS})
                        for target in CITATION_TARGETS
                    ],
                    _connector=Q.OR,
                ),
                name="citation_cites_exactly_one_record",
            ),
        ]

    def __str__(self):
        where = f", {self.locator}" if self.locator else ""
        return f"{self.source}{where}"

    @classmethod
    def target_field_for(cls, record):
        return record._meta.model_name

    @property
    def cited_field(self):
        """The name of the record field that is set ("ordinance"…), or None."""
        return next((f for f in CITATION_TARGETS if getattr(self, f"{f}_id")), None)

    @property
    def record(self):
        field = self.cited_field
        return getattr(self, field) if field else None

    @classmethod
    def from_db(cls, db, field_names, values):
        citation = super().from_db(db, field_names, values)
        citation._cited_when_read = citation.cited_record_key()
        return citation

    def cited_record_key(self):
        """(field, id) of the record that cites, or None."""
        field = self.cited_field
        return (field, getattr(self, f"{field}_id")) if field else None

    @staticmethod
    def records_of(key):
        """The queryset of the one record a (field, id) key names (empty if it is gone)."""
        field, record_id = key
        return CITING_MODELS[field]._default_manager.filter(pk=record_id)

    def touch_cited_records(self, *keys):
        """Mark the records these (field, id) keys name as changed now: a new, changed or
        removed citation is a change to its record, for feeds and lists of recent changes.

        Their `version` stays: it guards the record's own fields against a lost edit.
        """
        now = timezone.now()
        for field, record_id in {key for key in keys if key}:
            self.records_of((field, record_id)).update(updated_at=now)
            record = self._state.fields_cache.get(field)
            if record is not None and record.pk == record_id:
                record.updated_at = now

    def clean(self):
        cited = [f for f in CITATION_TARGETS if getattr(self, f"{f}_id")]
        if len(cited) > 1:
            raise ValidationError({cited[1]: _("A citation links exactly one record.")})


class _CitingModels(Mapping):
    """{Citation's foreign key: the record model it names}, in CITATION_TARGETS' order,
    read on first use (the record models live in apps that import this one)."""

    @cached_property
    def _models(self):
        return {field: Citation._meta.get_field(field).related_model for field in CITATION_TARGETS}

    def __getitem__(self, field):
        return self._models[field]

    def __iter__(self):
        return iter(self._models)

    def __len__(self):
        return len(CITATION_TARGETS)


CITING_MODELS = _CitingModels()


def touch_citing_records(source):
    """A changed document changes the page of every record that cites it."""
    now = timezone.now()
    for _field, records in source.citing_records():
        records.update(updated_at=now)


# Connected when the models load, so before search's receivers (connected when the apps are
# ready): the record's search entry is written with its new `updated_at`.
@receiver(post_save, sender=Citation, dispatch_uid="citation-saved-touches-record")
def citation_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata keeps the records' own timestamps
        return
    before, now = getattr(instance, "_cited_when_read", None), instance.cited_record_key()
    instance.touch_cited_records(now, before)
    # Search's receiver, next, writes again the entry of a record the citation has left.
    instance._previously_cited = before if before != now else None
    instance._cited_when_read = now


@receiver(post_delete, sender=Citation, dispatch_uid="citation-deleted-touches-record")
def citation_deleted(sender, instance, origin=None, **kwargs):
    # A citation deleted with its record needs no record touched.
    origin_model = origin.model if isinstance(origin, QuerySet) else type(origin)
    if origin is None or origin_model is Citation:
        stored = getattr(instance, "_cited_when_read", None)
        instance.touch_cited_records(stored or instance.cited_record_key())


@receiver(post_save, sender=Source, dispatch_uid="source-saved-touches-records")
def source_saved(sender, instance, created=False, raw=False, **kwargs):
    # A corrected title or publisher changes what the citing records show and are found by;
    # a new date accessed or a note does not make them changed records (the OCD list alone
    # is cited by some 39,000 places).
    instance._names_changed = not (raw or created) and instance.names_changed()
    if instance._names_changed:
        touch_citing_records(instance)
    instance._names_when_read = instance.names()


class ProposedChangeState(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class ProposedChange(models.Model):
    """An Editor's edit of a public record, kept apart until a Reviewer publishes it.

    The public goes on seeing the record as last published; publishing the change writes
    it to the record (with its history entry), rejecting it leaves the record as it is.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,  # a record type is never deleted while changes name it
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    changes = models.JSONField(
        help_text=_("Each changed field's proposed value, as stored (related records by id).")
    )
    base_version = models.PositiveIntegerField(
        help_text=_("The record's version when the change was proposed.")
    )
    reason = models.TextField(_("why"), blank=True)
    state = models.CharField(
        max_length=10, choices=ProposedChangeState.choices, default=ProposedChangeState.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # who proposed a change is part of the record's history
        related_name="proposed_changes",
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_changes",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ProposedChangeState.values),
                name="proposedchange_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state=ProposedChangeState.PENDING)
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="proposedchange_decided_has_who_and_when",
            ),
        ]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "state"], name="proposedchange_record"
            )
        ]

    def __str__(self):
        return _("Change to “%(record)s” proposed by %(user)s") % {
            "record": self.record,
            "user": self.proposed_by,
        }

    @property
    def is_pending(self):
        return self.state == ProposedChangeState.PENDING


# Long enough for any cell a person typed; short enough for the unique index.
RAW_VALUE_MAX_LENGTH = 500


class ReviewFlagQuerySet(models.QuerySet):
    def needing_review(self):
        return self.filter(reviewed_at__isnull=True)


class ReviewFlag(models.Model):
    """A value an importer could not read: the record keeps its row, the field is left
    unrecorded, and the flag keeps the text as the file gave it and why it was not read,
    until staff check it and mark it reviewed."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,  # a record type is never deleted while flags name it
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        max_length=100, help_text=_("The record's field that was left unrecorded.")
    )
    raw_value = models.CharField(
        _("value as written"),
        max_length=RAW_VALUE_MAX_LENGTH,
        blank=True,
        help_text=_("The cell's text, exactly as the file had it (its start, if longer)."),
    )
    reason = models.TextField(help_text=_("Why the importer could not read it."))
    found_in = models.CharField(
        max_length=300, blank=True, help_text=_("The file and row the value came from.")
    )
    created_at = models.DateTimeField(_("flagged"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # who checked a value is part of the record's story
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReviewFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("value to review")
        verbose_name_plural = _("values to review")
        constraints = [
            models.CheckConstraint(condition=~Q(field=""), name="reviewflag_field_not_empty"),
            models.CheckConstraint(condition=~Q(reason=""), name="reviewflag_reason_not_empty"),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, reviewed_by__isnull=True)
                | Q(reviewed_at__isnull=False),
                name="reviewflag_reviewer_has_a_date",
            ),
            # An import of the same file again flags nothing new.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "raw_value"],
                name="reviewflag_one_per_value",
            ),
        ]

    def __str__(self):
        # Named without reading the record, so that a list of flags costs no query a row.
        return _("%(field)s of %(type)s %(id)s: %(value)s") % {
            "field": self.field_label,
            "type": self.content_type.name,
            "id": self.object_id,
            "value": self.raw_value or "—",
        }

    @property
    def field_label(self):
        try:
            return str(self.content_type.model_class()._meta.get_field(self.field).verbose_name)
        except (AttributeError, FieldDoesNotExist):
            return self.field

    @property
    def needs_review(self):
        return self.reviewed_at is None

    def clean(self):
        if self.reviewed_by_id and not self.reviewed_at:
            raise ValidationError({"reviewed_at": _("Say when it was reviewed.")})


class ContentVersion(models.Model):
    """A token that changes whenever anything the public pages, API or feeds read is written.

    One row, rewritten by a database trigger on each of those tables (`content_version.py`
    installs them after every `migrate`), so no write path (admin, API, importers, bulk
    actions, `QuerySet.update()`, raw SQL, `loaddata`) can forget it. Anonymous responses are
    cached and validated under the token they were made at (`page_cache.py`), so none is
    served again once the data has changed. Random, not a counter, so that a write rolled
    back never leaves a number a later write would use again.
    """

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return self.token
