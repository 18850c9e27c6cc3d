from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError

from policytracker.pagination import PageNumberPagination
from policytracker.search.filters import SearchFilterSet
from policytracker.search.serializers import SearchResultSerializer
from policytracker.search.service import Search

FACET_SCHEMA = inline_serializer(
    "SearchFacet",
    {
        "name": serializers.CharField(),
        "label": serializers.CharField(),
        "values": inline_serializer(
            "SearchFacetValue",
            {
                "value": serializers.CharField(),
                "label": serializers.CharField(),
                "count": serializers.IntegerField(),
                "selected": serializers.BooleanField(),
            },
            many=True,
        ),
    },
    many=True,
)


@extend_schema_serializer(many=False)  # the answer of a "list" action, already paginated
class SearchResultsSerializer(serializers.Serializer):
    """A page of results, with the facets of them all (describes the answer to OpenAPI)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    approximate = serializers.BooleanField(
        help_text="No record matched the words exactly; these are close spellings."
    )
    facets = FACET_SCHEMA
    results = SearchResultSerializer(many=True)

    class Meta:
        ref_name = "SearchResults"


def filter_parameters():
    """The search's filters as OpenAPI query parameters, read off its FilterSet."""
    return [
        OpenApiParameter(name, str, description=str(field.extra.get("help_text") or field.label))
        for name, field in SearchFilterSet.base_filters.items()
    ]


class SearchViewSet(viewsets.ViewSet):
    """Search every record type at once: the site's /search/ as JSON."""

    pagination_class = PageNumberPagination
    # Read-only, and each result is already limited to what the visitor may see.
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[*filter_parameters(), OpenApiParameter("page", int)],
        responses=SearchResultsSerializer,
    )
    def list(self, request, format=None):  # format: from a suffix, /search.json
        search = Search(request.query_params, request.user, request=request)
        if search.errors:
            raise ValidationError(search.errors)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(search.paginated(), request, view=self)
        data = SearchResultSerializer(page, many=True, context={"request": request}).data
        response = paginator.get_paginated_response(data)
        response.data["approximate"] = search.approximate
        response.data["facets"] = [
            {
                "name": facet.name,
                "label": facet.label,
                "values": [
                    {
                        "value": value.value,
                        "label": value.label,
                        "count": value.count,
                        "selected": value.selected,
                    }
                    for value in facet.values
                ],
            }
            for facet in search.facets()
        ]
        return response
