"""Serializer pieces every record type uses: related records, precise dates, sources."""

import copy
from urllib.parse import urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from policytracker import schema  # noqa: F401  (describes RelatedRecordField to OpenAPI)
from policytracker.dates import PreciseDate
from policytracker.exports.sources import SOURCE_EXPORT, document_file
from policytracker.language import without_language
from policytracker.models import Citation, PublicationState, Source
from policytracker.permalinks import revision_url, shown_revision
from policytracker.services import check_may_set_publication


def absolute(url, request):
    """The address in full when answering a request (the API's links), else as reversed;
    a page's without a language prefix, as the data gives every page's address, whatever
    the language of the request."""
    url = without_language(url)
    return request.build_absolute_uri(url) if request else url


def related_record(record, view_name, request):
    """How the API shows a related record: {slug, name, url}."""
    url = reverse(view_name, kwargs={"slug": record.slug})
    return {
        "slug": record.slug,
        "name": str(record),
        "url": absolute(url, request),
    }


RELATED_RECORD_SCHEMA = inline_serializer(
    "RelatedRecord",
    {
        "slug": serializers.SlugField(),
        "name": serializers.CharField(),
        "url": serializers.URLField(),
    },
)


class RelatedRecordField(serializers.SlugRelatedField):
    """A related record: written as its slug, read as {slug, name, url}."""

    def __init__(self, view_name, **kwargs):
        self.view_name = view_name
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        return queryset.visible_to(getattr(request, "user", None))

    def to_representation(self, value):
        return related_record(value, self.view_name, self.context.get("request"))

    def get_choices(self, cutoff=None):
        """The browsable API's <select>: slugs as values (a dict cannot be one)."""
        queryset = self.get_queryset()
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {record.slug: self.display_value(record) for record in queryset}


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
        "example": "2012-09",
        "description": "A date at the precision its source gives: YYYY, YYYY-MM or YYYY-MM-DD.",
    }
)
class PreciseDateField(serializers.Field):
    """`adopted_on` and `adopted_on_precision` as one ISO 8601 prefix: "2012-09"."""

    default_error_messages = {
        "invalid": _("Give the date as YYYY, YYYY-MM or YYYY-MM-DD; “{value}” is none of those.")
    }

    def __init__(self, date_field, **kwargs):
        self.date_field = date_field
        kwargs["source"] = "*"
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        value = getattr(instance, self.date_field)
        if value is None:
            return None
        return PreciseDate(value, getattr(instance, f"{self.date_field}_precision")).isoformat()

    def to_internal_value(self, data):
        try:
            precise = PreciseDate.parse(str(data))
        except ValueError:
            self.fail("invalid", value=str(data)[:40])
        return {self.date_field: precise.value, f"{self.date_field}_precision": precise.precision}

    def validate_empty_values(self, data):
        if data is None:
            return True, {self.date_field: None, f"{self.date_field}_precision": ""}
        return super().validate_empty_values(data)


REVISION_SCHEMA = inline_serializer(
    "Revision",
    {
        "number": serializers.IntegerField(
            help_text="The revision's number, as the record's page of changes gives it."
        ),
        "published_at": serializers.DateTimeField(
            help_text="When the revision was published (or, for a withdrawal, withdrawn)."
        ),
        "withdrawn": serializers.BooleanField(help_text="The revision withdrew the record."),
        "current": serializers.BooleanField(
            help_text="The revision is the record's current version."
        ),
        "html_url": serializers.URLField(
            help_text="Its permalink: the record's page as this revision had it."
        ),
        "url": serializers.URLField(help_text="The record in the API as this revision had it."),
    },
)


class RevisionField(serializers.Field):
    """The revision a single record shows: the one `?revision=N` asks for, else its current
        one; null for a record with no published revision (a draft, for staff). Described to
    OpenAPI by `policytracker.schema`."""

    def __init__(self, view_name, lookup_field="slug", **kwargs):
        self.view_name, self.lookup_field = view_name, lookup_field
        kwargs.update(source="*", read_only=True, allow_null=True)
        super().__init__(**kwargs)

    def to_representation(self, record):
        revision = shown_revision(record)
        if revision is None:
            return None
        request = self.context.get("request")
        api_url = reverse(
            self.view_name, kwargs={self.lookup_field: getattr(record, self.lookup_field)}
        )
        return {
            "number": revision.number,
            "published_at": serializers.DateTimeField().to_representation(revision.date),
            "withdrawn": revision.withdrawn,
            "current": revision.current,
            "html_url": absolute(
                revision_url(record.get_absolute_url(), revision.number), request
            ),
            "url": absolute(revision_url(api_url, revision.number), request),
        }


def api_fields(export, self_link="url"):
    """A serializer's fields: its own address in the API, then the export's columns.

    One column set per record type: the API names every column of the record type's
    downloads as they do (related records as {slug, name, url} rather than a slug), and has
    no other field but its own address (and, in a single record, its citations, links and
    the revision it shows).
    """
    return (self_link, *export.names)


class SourceSerializer(serializers.ModelSerializer):
    """A document: `url` is its own address; `api_url` and `html_url` are its entries here,
    with every record that cites it. Its fields are the sources download's columns, less
    the count of citations, which the sources list gives."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:source-detail")
    html_url = serializers.SerializerMethodField()
    published = PreciseDateField("published_on", read_only=True)
    document = serializers.SerializerMethodField()
    document_file = serializers.SerializerMethodField()
    is_opinion = serializers.BooleanField(
        read_only=True,
        help_text="An opinion piece (kind opinion): records cite it only for the facts it "
        "reports and the words it quotes, never for its opinions.",
    )

    class Meta:
        model = Source
        fields = tuple(
            name for name in api_fields(SOURCE_EXPORT, "api_url") if name != "citation_count"
        )
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, source):
        request = self.context.get("request")
        url = source.get_absolute_url()
        return absolute(url, request)

    @extend_schema_field(
        {
            "type": "string",
            "format": "uri",
            "nullable": True,
            "description": "Where to download the copy of the document this site keeps.",
        }
    )
    def get_document(self, source):
        """The download view's address, which checks the record is visible, not the file's."""
        if not source.document:
            return None
        url = reverse("documents:download", kwargs={"pk": source.pk})
        request = self.context.get("request")
        return absolute(url, request)

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "description": "The stored file name of the copy this site keeps, if it keeps one.",
        }
    )
    def get_document_file(self, source):
        return document_file(source, self.context.get("request"))


class CitationSerializer(serializers.ModelSerializer):
    """Where a record cites a document, and what it quotes; the document in full. A record
    lists its citations primary documents first, opinion last (`with_citations`)."""

    source = SourceSerializer(read_only=True)

    class Meta:
        model = Citation
        fields = ("source", "locator", "excerpt", "note")
        read_only_fields = fields


class RecordSerializer(serializers.ModelSerializer):
    """Validation lives in the model: `validate()` runs the model's full_clean()."""

    html_url = serializers.SerializerMethodField()
    # Shown where a serializer lists "citations" in its fields: each with its source.
    citations = CitationSerializer(many=True, read_only=True)
    publication_state = serializers.ChoiceField(
        choices=PublicationState.choices, default=PublicationState.DRAFT
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj):
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return absolute(url, request)

    def validate_publication_state(self, state):
        """Editors submit for review; only Reviewers publish or withdraw (403 otherwise)."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        record = self.instance or self.Meta.model()
        check_may_set_publication(user=user, record=record, state=state)
        return state

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        many_to_many = {field.name for field in model._meta.many_to_many}
        instance = copy.copy(self.instance) if self.instance else model()
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(instance, name, value)
        try:
            was_public = self.instance is not None and self.instance.is_public
            source_errors = instance.source_errors(was_public=was_public)
            if source_errors:
                raise DjangoValidationError(source_errors)
            instance.full_clean(exclude=list(many_to_many))
        except DjangoValidationError as error:
            errors = self.api_field_errors(serializers.as_serializer_error(error))
            raise serializers.ValidationError(errors) from error
        # clean() may infer a value (a day's precision): keep what it decided.
        for name in attrs:
            if name not in many_to_many:
                attrs[name] = getattr(instance, name)
        return attrs

    def api_field_errors(self, errors):
        """Name a precise date's errors after its API field ("effective"), not its columns."""
        names = {}
        for field in self.fields.values():
            if isinstance(field, PreciseDateField):
                names[field.date_field] = names[f"{field.date_field}_precision"] = field.field_name
        renamed = {}
        for name, messages in errors.items():
            renamed.setdefault(names.get(name, name), []).extend(messages)
        return renamed

    def list_url(self, view_name, **params):
        request = self.context.get("request")
        url = f"{reverse(view_name)}?{urlencode(params)}"
        return absolute(url, request)
