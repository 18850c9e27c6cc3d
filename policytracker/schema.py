"""How the OpenAPI schema describes the fields drf-spectacular cannot read on its own."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_basic_type
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


class URLFieldExtension(OpenApiSerializerFieldExtension):
    """A web address; one that may be left blank reads "" for none, which is no URI.

    drf-spectacular says so of a field that may be written blank; a read-only field forgets
    that its model field may be, so the model is asked."""

    target_class = "rest_framework.fields.URLField"

    def map_serializer_field(self, auto_schema, direction):
        uri = build_basic_type(OpenApiTypes.URI)
        if not (self.target.read_only and self.model_field_is_blank()):
            return uri
        # No "type" beside anyOf, or drf-spectacular would add the URI format to it.
        return {"anyOf": [uri, {"type": "string", "maxLength": 0}]}

    def model_field_is_blank(self):
        model = getattr(getattr(self.target.parent, "Meta", None), "model", None)
        try:
            return model._meta.get_field(self.target.source).blank
        except (AttributeError, FieldDoesNotExist):
            return False


# Query parameters that an empty value does not leave out: it is a bad value (400). Every
# other optional one takes an empty value as none: a form's field (a filter, `on`), as the
# site's forms send it (?kind=&signed_to=), and `page` (the first).
NOT_EMPTY_PARAMETERS = {"page_size", "revision"}
# The answers every operation may give besides its own: DRF's errors, {"detail": "…"} but
# for a 400, which names each field or parameter at fault.
ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
)
VALIDATION_ERROR = ResolvedComponent(
    name="ValidationError",
    type=ResolvedComponent.SCHEMA,
    object="ValidationError",
    schema={
        "type": "object",
        "description": (
            "What is wrong with the request: for each field or parameter at fault its name "
            "and a list of messages (`non_field_errors` for the request as a whole), or "
            "`detail` for a body that could not be read."
        ),
        "additionalProperties": {},
    },
)
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(openapi.AutoSchema):
    """Every operation's schema also names the errors it can answer with, so that a client
    (and the fuzzing in .ci/fuzz.py) can tell a documented refusal from a fault."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if (
                parameter["in"] == "query"
                and not parameter.get("required")
                and parameter["name"] not in NOT_EMPTY_PARAMETERS
            ):
                parameter["allowEmptyValue"] = True
        responses = operation.setdefault("responses", {})
        for code, description, component in self.error_responses(operation):
            if code not in responses:
                registry.register_on_missing(component)
                responses[code] = {
                    "description": description,
                    "content": {"application/json": {"schema": component.ref}},
                }
        # Refused by the HTTP server before the API reads it (gunicorn's limit is 4 KB).
        responses.setdefault(
            "414", {"description": "The address is too long.", "content": {"text/html": {}}}
        )
        return operation

    def error_responses(self, operation):
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        if has_body or any(p["in"] == "query" for p in parameters):
            yield "400", "A parameter or the data sent is wrong.", VALIDATION_ERROR
        # DRF answers 401 only when its first authentication scheme names a challenge
        # (WWW-Authenticate); the session's, first here, names none, so it answers 403.
        authenticators = self.view.authentication_classes
        if authenticators and authenticators[0]().authenticate_header(self.view.request):
            yield "401", "Credentials are needed, or those sent are wrong.", ERROR
        yield "403", "Wrong credentials, or no permission for this.", ERROR
        if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
            yield "404", "No such record (or page of results) that you may see.", ERROR
        if has_body:
            yield "415", "The data is not in a format the API reads (JSON, a form).", ERROR
        if self.view.throttle_classes:
            yield "429", "Too many requests: wait as Retry-After says.", ERROR
