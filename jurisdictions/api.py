from jurisdictions.exports import AGENCY_EXPORT, JURISDICTION_EXPORT, ORDINANCE_EXPORT
from jurisdictions.filters import AgencyFilterSet, JurisdictionFilterSet, OrdinanceFilterSet
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from jurisdictions.serializers import (
    AgencyDetailSerializer,
    AgencySerializer,
    JurisdictionDetailSerializer,
    JurisdictionSerializer,
    OrdinanceDetailSerializer,
    OrdinanceSerializer,
)
from policytracker.api import RecordViewSet


class JurisdictionViewSet(RecordViewSet):
    """Places with a government: nation, states, counties, cities, townships."""

    queryset = Jurisdiction.objects.select_related("parent")
    serializer_class = JurisdictionSerializer
    detail_serializer_class = JurisdictionDetailSerializer
    filterset_class = JurisdictionFilterSet
    export_spec = JURISDICTION_EXPORT


class AgencyViewSet(RecordViewSet):
    """Police departments, sheriffs, county and mayor's offices, federal agencies, associations."""

    queryset = Agency.objects.select_related("jurisdiction", "parent")
    serializer_class = AgencySerializer
    detail_serializer_class = AgencyDetailSerializer
    filterset_class = AgencyFilterSet
    export_spec = AGENCY_EXPORT


class OrdinanceViewSet(RecordViewSet):
    """Ordinances, executive orders, statutes, resolutions, directives and policies."""

    queryset = Ordinance.objects.select_related("jurisdiction", "issued_by", "replaces")
    serializer_class = OrdinanceSerializer
    detail_serializer_class = OrdinanceDetailSerializer
    detail_prefetch = ("amends",)
    filterset_class = OrdinanceFilterSet
    export_spec = ORDINANCE_EXPORT
