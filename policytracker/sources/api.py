"""Sources in the API, read-only: the list, and each source with its citations."""

from django.db.models import Prefetch
from django.utils.cache import patch_cache_control
from rest_framework import viewsets

from policytracker.models import CITATION_TARGETS, Citation, Source
from policytracker.sources.filters import SourceFilterSet
from policytracker.sources.queries import shows_drafts_to, visible_sources
from policytracker.sources.serializers import SourceDetailSerializer, SourceListSerializer


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    """The documents records cite; each with the citations of it by the records you may see
    (published ones, or drafts too for staff who may view them)."""

    queryset = Source.objects.all()  # narrowed to the visitor's in get_queryset()
    serializer_class = SourceListSerializer
    filterset_class = SourceFilterSet

    def get_queryset(self):
        user = self.request.user
        queryset = visible_sources(user)
        if self.action == "retrieve":
            citations = Citation.objects.visible_to(user).select_related(*CITATION_TARGETS)
            queryset = queryset.prefetch_related(
                Prefetch(
                    "citations", queryset=citations.order_by("pk"), to_attr="visible_citations"
                )
            )
        return queryset

    def get_serializer_class(self):
        return SourceDetailSerializer if self.action == "retrieve" else SourceListSerializer

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if shows_drafts_to(request.user):  # what they see may name drafts
            patch_cache_control(response, private=True)
        return response
