"""Sources in the API, read-only: the list, each source, and the citations of each, a page
at a time (one ICE sheet is cited by some 1,800 agreements, the OCD list by 39,000 places)."""

from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from policytracker.api import REVISION_PARAMETER, requested_revision_or_400
from policytracker.models import CITATION_TARGETS, Citation, Source
from policytracker.permalinks import show_revision, with_current_revision
from policytracker.sources.filters import CitationFilterSet, SourceFilterSet
from policytracker.sources.queries import shows_drafts_to, visible_sources
from policytracker.sources.serializers import (
    SourceCitationSerializer,
    SourceDetailSerializer,
    SourceListSerializer,
)

# The citing records are read for their names and addresses only.
LONG_TEXTS = (
    *(f"{field}__summary" for field in CITATION_TARGETS),
    "ordinance__full_text",
    "agreement__full_text",
    "agreement__scope",
    "agreement__exclusions",
    "statement__text",
)


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    """The documents records cite, each with how many records you may see cite it
    (published ones, or drafts too for staff who may view them), and its citations."""

    queryset = Source.objects.all()  # narrowed to the visitor's in get_queryset()
    serializer_class = SourceListSerializer
    filterset_class = SourceFilterSet

    def get_queryset(self):
        if self.action == "retrieve":
            return with_current_revision(visible_sources(self.request.user))
        return visible_sources(self.request.user)

    @extend_schema(parameters=[REVISION_PARAMETER])
    def retrieve(self, request, *args, **kwargs):
        """A source, or with `?revision=N`, the source as its revision N described it."""
        revision = requested_revision_or_400(request)
        source = self.get_object()
        if revision is not None:
            show_revision(source, revision, request.user)
        return Response(self.get_serializer(source).data)

    def get_serializer_class(self):
        if self.action == "citations":
            return SourceCitationSerializer
        return SourceDetailSerializer if self.action == "retrieve" else SourceListSerializer

    def filter_queryset(self, queryset):
        if self.action == "citations":
            return queryset  # the citations are filtered, not the source
        return super().filter_queryset(queryset)

    @extend_schema(
        summary="The records that cite this source",
        description="A page at a time, by record type then name; ?record_type=agreement "
        "keeps one type.",
        responses=SourceCitationSerializer(many=True),  # in pages, as every list
    )
    @action(detail=True, filterset_class=CitationFilterSet)
    def citations(self, request, pk=None):
        source = self.get_object()
        citations = (
            Citation.objects.visible_to(request.user)
            .filter(source=source)
            .select_related(*CITATION_TARGETS)
            .defer(*LONG_TEXTS)
            .order_by("pk")
        )
        filterset = CitationFilterSet(request.GET, queryset=citations, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if shows_drafts_to(request.user):  # what they see may name drafts
            patch_cache_control(response, private=True)
        return response
