"""How the OpenAPI schema describes the fields drf-spectacular cannot read on its own."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes


class RelatedRecordFieldExtension(OpenApiSerializerFieldExtension):
    """Written as the related record's slug; read as {slug, name, url}."""

    target_class = "policytracker.serializers.RelatedRecordField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {**build_basic_type(OpenApiTypes.STR), "description": "The record's slug."}
        from policytracker.serializers import RELATED_RECORD_SCHEMA

        return auto_schema.resolve_serializer(RELATED_RECORD_SCHEMA, direction).ref


class RevisionFieldExtension(OpenApiSerializerFieldExtension):
    """Read only: the revision a single record shows (its number, date and permalinks)."""

    target_class = "policytracker.serializers.RevisionField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":  # never read: no component of its own
            return build_basic_type(OpenApiTypes.OBJECT)
        from policytracker.serializers import REVISION_SCHEMA

        return auto_schema.resolve_serializer(REVISION_SCHEMA, direction).ref
