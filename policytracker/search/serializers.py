from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from policytracker.serializers import RELATED_RECORD_SCHEMA, absolute, related_record


class SearchResultSerializer(serializers.Serializer):
    """One search result: which record (or source), where, when, and the passage that
    matched."""

    type = serializers.CharField(source="record_type")
    title = serializers.CharField()
    slug = serializers.SerializerMethodField(
        help_text="The record's slug; null for a source, which has none (its id is in its url)."
    )
    url = serializers.SerializerMethodField(help_text="The record's page.")
    api_url = serializers.SerializerMethodField(help_text="The record in this API.")
    jurisdiction = serializers.SerializerMethodField(
        allow_null=True, help_text="The place the record is of; null for none."
    )
    agency = serializers.SerializerMethodField(
        allow_null=True, help_text="The agency the record is of; null for none."
    )
    kind = serializers.CharField()
    status = serializers.CharField()
    date = serializers.SerializerMethodField(
        help_text='As precise as the sources: "2012", "2012-09" or "2012-09-14".'
    )
    snippet = serializers.CharField(
        help_text="HTML: the matching passage, escaped, with the matched words in <mark>."
    )
    updated_at = serializers.DateTimeField()

    def get_slug(self, entry) -> str | None:
        return entry.slug or None

    def get_url(self, entry) -> str:
        return absolute(entry.get_absolute_url(), self.context["request"])

    def get_api_url(self, entry) -> str:
        url = reverse(f"api:{entry.record_type}-detail", args=[entry.record_key])
        return self.context["request"].build_absolute_uri(url)

    @extend_schema_field(RELATED_RECORD_SCHEMA)
    def get_jurisdiction(self, entry):
        if entry.jurisdiction is None:
            return None
        return related_record(
            entry.jurisdiction, "api:jurisdiction-detail", self.context["request"]
        )

    @extend_schema_field(RELATED_RECORD_SCHEMA)
    def get_agency(self, entry):
        if entry.agency is None:
            return None
        return related_record(entry.agency, "api:agency-detail", self.context["request"])

    def get_date(self, entry) -> str | None:
        return entry.when.isoformat() if entry.when else None
