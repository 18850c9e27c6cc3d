from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

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
from policytracker.profiles.forms import AsOfForm
from policytracker.profiles.profile import profile_of
from policytracker.profiles.rows import profile_data


class JurisdictionViewSet(RecordViewSet):
    """Places with a government: nation, states, counties, cities, townships."""

    queryset = Jurisdiction.objects.select_related("parent")
    serializer_class = JurisdictionSerializer
    detail_serializer_class = JurisdictionDetailSerializer
    detail_prefetch = ("also_within",)
    filterset_class = JurisdictionFilterSet
    export_spec = JURISDICTION_EXPORT

    @extend_schema(
        summary="What applies in the place on a date",
        description=(
            "For each policy question, the position that governs in the place on the date, "
            "the provision and rule that decide it (its own, or inherited from a place it lies "
            "within whose rule binds it), the other provisions that apply, practice reported "
            "apart, and whether the question has been reviewed for the place (and when). "
            "`position` null means no recorded rule: see `reviewed`."
        ),
        parameters=[
            OpenApiParameter(
                "on",
                OpenApiTypes.DATE,
                description="The date, YYYY-MM-DD (default, or empty: today).",
            )
        ],
        filters=False,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    @action(detail=True, filterset_class=None, pagination_class=None)
    def profile(self, request, slug=None):
        form = AsOfForm(request.GET)
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        place = get_object_or_404(Jurisdiction.objects.visible_to(request.user), slug=slug)
        return Response(profile_data(profile_of(place, on=form.date, user=request.user), request))


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
