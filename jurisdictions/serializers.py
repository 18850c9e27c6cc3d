from rest_framework import serializers

from jurisdictions.exports import AGENCY_EXPORT, JURISDICTION_EXPORT, ORDINANCE_EXPORT
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.serializers import (
    PreciseDateField,
    RecordSerializer,
    RelatedRecordField,
    RevisionField,
    api_fields,
)


class JurisdictionSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:jurisdiction-detail", lookup_field="slug"
    )
    parent = RelatedRecordField(
        "api:jurisdiction-detail",
        queryset=Jurisdiction.objects.all(),
        required=False,
        allow_null=True,
    )
    also_within = RelatedRecordField(
        "api:jurisdiction-detail", queryset=Jurisdiction.objects.all(), many=True, required=False
    )

    class Meta:
        model = Jurisdiction
        fields = api_fields(JURISDICTION_EXPORT)
        read_only_fields = ("created_at", "updated_at")


class JurisdictionDetailSerializer(JurisdictionSerializer):
    revision = RevisionField("api:jurisdiction-detail")

    links = serializers.SerializerMethodField()

    class Meta(JurisdictionSerializer.Meta):
        fields = (*JurisdictionSerializer.Meta.fields, "citations", "links", "revision")

    def get_links(self, obj) -> dict[str, str]:
        return {
            "places_within": self.list_url("api:jurisdiction-list", within=obj.slug),
            "agencies": self.list_url("api:agency-list", jurisdiction=obj.slug),
            "ordinances": self.list_url("api:ordinance-list", jurisdiction=obj.slug),
            "agreements": self.list_url("api:agreement-list", jurisdiction=obj.slug),
            "statements": self.list_url("api:statement-list", jurisdiction=obj.slug),
        }


class AgencySerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:agency-detail", lookup_field="slug")
    jurisdiction = RelatedRecordField(
        "api:jurisdiction-detail", queryset=Jurisdiction.objects.all()
    )
    parent = RelatedRecordField(
        "api:agency-detail", queryset=Agency.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Agency
        fields = api_fields(AGENCY_EXPORT)
        read_only_fields = ("created_at", "updated_at")


class AgencyDetailSerializer(AgencySerializer):
    revision = RevisionField("api:agency-detail")

    links = serializers.SerializerMethodField()

    class Meta(AgencySerializer.Meta):
        fields = (*AgencySerializer.Meta.fields, "citations", "links", "revision")

    def get_links(self, obj) -> dict[str, str]:
        return {
            "components": self.list_url("api:agency-list", parent=obj.slug),
            "agreements_as_local_party": self.list_url("api:agreement-list", local_party=obj.slug),
            "agreements_as_federal_party": self.list_url(
                "api:agreement-list", federal_party=obj.slug
            ),
            "statements": self.list_url("api:statement-list", speaker_agency=obj.slug),
        }


class OrdinanceSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:ordinance-detail", lookup_field="slug"
    )
    jurisdiction = RelatedRecordField(
        "api:jurisdiction-detail", queryset=Jurisdiction.objects.all()
    )
    issued_by = RelatedRecordField(
        "api:agency-detail", queryset=Agency.objects.all(), required=False, allow_null=True
    )
    introduced = PreciseDateField("introduced_on")
    adopted = PreciseDateField("adopted_on")
    effective = PreciseDateField("effective_on")
    repealed = PreciseDateField("repealed_on")
    amends = RelatedRecordField(
        "api:ordinance-detail", queryset=Ordinance.objects.all(), many=True, required=False
    )
    replaces = RelatedRecordField(
        "api:ordinance-detail", queryset=Ordinance.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Ordinance
        fields = api_fields(ORDINANCE_EXPORT)
        read_only_fields = ("created_at", "updated_at")


class OrdinanceDetailSerializer(OrdinanceSerializer):
    revision = RevisionField("api:ordinance-detail")

    class Meta(OrdinanceSerializer.Meta):
        fields = (*OrdinanceSerializer.Meta.fields, "citations", "revision")
