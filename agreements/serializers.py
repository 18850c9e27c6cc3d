from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agreements.models import Agreement, Statement
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.serializers import (
    RECORD_FIELDS,
    RELATED_RECORD_SCHEMA,
    PreciseDateField,
    RecordSerializer,
    RelatedRecordField,
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
        fields = (
            "title",
            "kind",
            "status",
            "local_party",
            "federal_party",
            "jurisdiction",
            "signed",
            "effective",
            "expires",
            "terminated",
            "listing_id",
            "listing_state",
            "first_listed_on",
            "last_listed_on",
            *RECORD_FIELDS,
        )
        # The listing id is derived from the list's entry by the importer, as in the admin.
        read_only_fields = ("listing_id", "updated_at")

    @extend_schema_field(RELATED_RECORD_SCHEMA)
    def get_jurisdiction(self, obj):
        """The local party's place, for readers who look agreements up by place."""
        return related_record(
            obj.local_party.jurisdiction, "api:jurisdiction-detail", self.context.get("request")
        )


class AgreementDetailSerializer(AgreementSerializer):
    class Meta(AgreementSerializer.Meta):
        fields = (
            *AgreementSerializer.Meta.fields,
            "scope",
            "exclusions",
            "full_text",
            "citations",
        )


class StatementSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:statement-detail", lookup_field="slug"
    )
    speaker_agency = RelatedRecordField(
        "api:agency-detail", queryset=Agency.objects.all(), required=False, allow_null=True
    )
    made = PreciseDateField("made_on")

    class Meta:
        model = Statement
        fields = (
            "title",
            "speaker_agency",
            "speaker_name",
            "speaker_title",
            "made",
            "text",
            *RECORD_FIELDS,
        )
        read_only_fields = ("updated_at",)


class StatementDetailSerializer(StatementSerializer):
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

    class Meta(StatementSerializer.Meta):
        fields = (
            *StatementSerializer.Meta.fields,
            "about_jurisdictions",
            "about_agencies",
            "about_ordinances",
            "about_agreements",
            "about_statements",
            "citations",
        )
