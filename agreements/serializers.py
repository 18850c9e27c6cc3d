from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.exports import AGREEMENT_EXPORT, STATEMENT_EXPORT
from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.serializers import (
    RELATED_RECORD_SCHEMA,
    PreciseDateField,
    RecordSerializer,
    RelatedRecordField,
    RevisionField,
    api_fields,
    related_record,
)


class AgreementSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:agreement-detail", lookup_field="slug"
    )
    local_party = RelatedRecordField("api:agency-detail", queryset=Agency.objects.all())
    federal_party = RelatedRecordField("api:agency-detail", queryset=Agency.objects.all())
    jurisdiction = serializers.SerializerMethodField()
    signed = PreciseDateField("signed_on")
    effective = PreciseDateField("effective_on")
    expires = PreciseDateField("expires_on")
    terminated = PreciseDateField("terminated_on")

    class Meta:
        model = Agreement
        fields = api_fields(AGREEMENT_EXPORT)
        # The listing id is derived from the list's entry by the importer, as in the admin.
        read_only_fields = ("listing_id", "created_at", "updated_at")

    @extend_schema_field(RELATED_RECORD_SCHEMA)
    def get_jurisdiction(self, obj):
        """The local party's place, for readers who look agreements up by place."""
        return related_record(
            obj.local_party.jurisdiction, "api:jurisdiction-detail", self.context.get("request")
        )


class AgreementDetailSerializer(AgreementSerializer):
    revision = RevisionField("api:agreement-detail")

    class Meta(AgreementSerializer.Meta):
        fields = (*AgreementSerializer.Meta.fields, "citations", "revision")


class StatementSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:statement-detail", lookup_field="slug"
    )
    speaker_agency = RelatedRecordField(
        "api:agency-detail", queryset=Agency.objects.all(), required=False, allow_null=True
    )
    made = PreciseDateField("made_on")
    about_jurisdictions = RelatedRecordField(
        "api:jurisdiction-detail", queryset=Jurisdiction.objects.all(), many=True, required=False
    )
    about_agencies = RelatedRecordField(
        "api:agency-detail", queryset=Agency.objects.all(), many=True, required=False
    )
    about_ordinances = RelatedRecordField(
        "api:ordinance-detail", queryset=Ordinance.objects.all(), many=True, required=False
    )
    about_agreements = RelatedRecordField(
        "api:agreement-detail", queryset=Agreement.objects.all(), many=True, required=False
    )
    about_statements = RelatedRecordField(
        "api:statement-detail", queryset=Statement.objects.all(), many=True, required=False
    )

    class Meta:
        model = Statement
        fields = api_fields(STATEMENT_EXPORT)
        read_only_fields = ("created_at", "updated_at")


class StatementDetailSerializer(StatementSerializer):
    revision = RevisionField("api:statement-detail")

    class Meta(StatementSerializer.Meta):
        fields = (*StatementSerializer.Meta.fields, "citations", "revision")
