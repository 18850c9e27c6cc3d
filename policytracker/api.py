"""What every record type's API viewset shares."""

from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer

from policytracker.exports.streaming import export_response


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class FileFormatNegotiation(DefaultContentNegotiation):
    """A download's format is in its URL: the Accept header cannot refuse it (no 406).

    Only an error (a bad filter) is rendered by DRF, and always as JSON.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class RecordSchema(AutoSchema):
    def get_operation_id(self):
        # The path "export.{file_format}" would give "v1_agencies_export._retrieve".
        return super().get_operation_id().replace("._", "_")


class RecordViewSet(viewsets.ModelViewSet):
    """Read for everyone (published records only), write with the model permission.

    Subclasses set `queryset` (with its select_related), `serializer_class` for lists,
    `detail_serializer_class` and `detail_prefetch` for single records, `filterset_class`,
    and `export_spec` (the columns of the list's CSV and JSON download).
    """

    schema = RecordSchema()
    lookup_field = "slug"
    detail_serializer_class = None
    detail_prefetch = ("sources",)
    export_spec = None

    def get_queryset(self):
        queryset = super().get_queryset().visible_to(self.request.user)
        if self.action not in ("list", "export"):
            queryset = queryset.prefetch_visible(*self.detail_prefetch, user=self.request.user)
        return queryset

    @extend_schema(
        summary="Download the list as CSV or JSON",
        description=(
            "Every record the list's filters select, in its order, as one file: CSV (UTF-8, "
            "a header row) or a JSON array of objects, streamed. Columns and their meaning "
            "are those of the site's bulk download page (its data dictionary)."
        ),
        parameters=[
            OpenApiParameter(
                "file_format",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=["csv", "json"],
                description="The file format.",
            )
        ],
        filters=True,
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/json"): OpenApiTypes.BINARY,
        },
    )
    @action(
        detail=False,
        url_path=r"export\.(?P<file_format>csv|json)",
        renderer_classes=[JSONRenderer],
        content_negotiation_class=FileFormatNegotiation,
    )
    def export(self, request, file_format):
        """The filtered list as a streamed file; a bad filter is a 400 like the list's."""
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.export_spec.prepare(queryset, user=request.user)
        return export_response(
            file_format, rows, self.export_spec.columns, self.export_spec.name, request
        )

    def get_serializer_class(self):
        if self.action == "list":
            return self.serializer_class
        return self.detail_serializer_class

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError as error:
            blockers = sorted({str(obj) for obj in error.protected_objects})[:5]
            raise Conflict(
                _("Other records depend on this one; change or delete them first: %s")
                % "; ".join(blockers)
            ) from error
