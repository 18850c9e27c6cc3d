from agreements.exports import AGREEMENT_EXPORT, STATEMENT_EXPORT
from agreements.filters import AgreementFilterSet, StatementFilterSet
from agreements.models import Agreement, Statement
from agreements.serializers import (
    AgreementDetailSerializer,
    AgreementSerializer,
    StatementDetailSerializer,
    StatementSerializer,
)
from policytracker.api import RecordViewSet


class AgreementViewSet(RecordViewSet):
    """287(g) agreements, customs cross-designations, task forces, detention contracts…"""

    queryset = Agreement.objects.select_related(
        "local_party", "local_party__jurisdiction", "federal_party"
    )
    serializer_class = AgreementSerializer
    detail_serializer_class = AgreementDetailSerializer
    filterset_class = AgreementFilterSet
    export_spec = AGREEMENT_EXPORT


class StatementViewSet(RecordViewSet):
    """Public positions taken by agencies, associations and officials, with their words."""

    queryset = Statement.objects.select_related("speaker_agency")
    serializer_class = StatementSerializer
    detail_serializer_class = StatementDetailSerializer
    detail_prefetch = (
        "about_jurisdictions",
        "about_agencies",
        "about_ordinances",
        "about_agreements",
        "about_statements",
    )
    filterset_class = StatementFilterSet
    export_spec = STATEMENT_EXPORT
