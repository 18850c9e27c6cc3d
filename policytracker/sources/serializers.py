"""Sources in the API: the document, as records embed it, with its addresses and citations."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from policytracker.exports.sources import SOURCE_EXPORT
from policytracker.models import Citation
from policytracker.serializers import (
    RevisionField,
    SourceSerializer,
    absolute,
    api_fields,
    related_record,
)

CITING_RECORD_SCHEMA = inline_serializer(
    "CitingRecord",
    {
        "type": serializers.CharField(help_text="The record type: jurisdiction, agency…"),
        "slug": serializers.SlugField(),
        "name": serializers.CharField(),
        "url": serializers.URLField(help_text="The record in the API."),
        "html_url": serializers.URLField(help_text="The record's page on the site."),
    },
)


class SourceListSerializer(SourceSerializer):
    """A source as records embed it, with how many records cite it: the sources download's
    columns, every one."""

    citation_count = serializers.IntegerField(
        read_only=True, help_text="Its citations by records you may see (published ones)."
    )

    class Meta(SourceSerializer.Meta):
        fields = api_fields(SOURCE_EXPORT, "api_url")
        read_only_fields = fields


class SourceCitationSerializer(serializers.ModelSerializer):
    """A record citing the source: the record, where in the document, and the passage."""

    record = serializers.SerializerMethodField()

    class Meta:
        model = Citation
        fields = ("record", "locator", "excerpt", "note")
        read_only_fields = fields

    @extend_schema_field(CITING_RECORD_SCHEMA)
    def get_record(self, citation):
        request = self.context.get("request")
        field, record = citation.cited_field, citation.record
        return {
            "type": field,
            **related_record(record, f"api:{field}-detail", request),
            "html_url": absolute(record.get_absolute_url(), request),
        }


class SourceDetailSerializer(SourceListSerializer):
    """A source with the address of its citations, a page at a time."""

    citations_url = serializers.SerializerMethodField()
    revision = RevisionField("api:source-detail", lookup_field="pk")

    class Meta(SourceListSerializer.Meta):
        fields = (*SourceListSerializer.Meta.fields, "citations_url", "revision")
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_citations_url(self, source):
        url = reverse("api:source-citations", args=[source.pk])
        return absolute(url, self.context.get("request"))
