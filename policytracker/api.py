"""What every record type's API viewset shares."""

from django.db import transaction
from django.db.models import ProtectedError
from django.urls import re_path, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter

from policytracker.exports.streaming import export_response
from policytracker.models import StaleRecordError
from policytracker.permalinks import (
    BadRevision,
    requested_revision,
    show_revision,
    with_current_revision,
)
from policytracker.publisher import Link, corrections_contact, data_license
from policytracker.revisions import following_renames
from policytracker.schema import ERROR, AutoSchema
from policytracker.services import change_propose

# `?revision=N` on a single record, as on its page (see policytracker.permalinks).
REVISION_PARAMETER = OpenApiParameter(
    "revision",
    OpenApiTypes.INT,
    description=(
        "A published revision of the record, by the number its page of changes gives it: the "
        "record as that revision had it, its citations as they stood until the next one, "
        "and `revision` saying which it is and when it was published. Without it, the "
        "current version, whose `revision` is the newest. 404 for a revision that is not "
        "one of the record's published ones (a draft's, another record's); 400 for a value "
        "that is not a positive whole number."
    ),
)


def requested_revision_or_400(request):
    """The revision `?revision=` asks for (None for none); a bad value answers 400."""
    try:
        return requested_revision(request.query_params)
    except BadRevision as error:
        raise ValidationError({"revision": [str(error)]}) from error


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def etag(record):
    """A record's ETag: its version, which every save raises by one."""
    return f'"{record.version}"'


def if_match_versions(request):
    """The versions an If-Match header names ("*" for any), or None without the header."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = [tag.strip() for tag in header.split(",")]
    # An anonymous reader's ETag is the version, a dot and the cached page's digest
    # (policytracker/page_cache.py): the version is what is compared.
    return {tag.removeprefix("W/").strip('"').partition(".")[0] for tag in tags if tag}


def change_reason(request):
    """Why a change was made: the X-Change-Reason header, kept in the record's history."""
    return request.headers.get("X-Change-Reason", "")[:100]


class FileFormatNegotiation(DefaultContentNegotiation):
    """A download's format is in its URL: the Accept header cannot refuse it (no 406).

    Only an error (a bad filter) is rendered by DRF, and always as JSON.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


PROPOSED_CHANGE = ResolvedComponent(
    name="ProposedChange",
    type=ResolvedComponent.SCHEMA,
    object="ProposedChange",
    schema={
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "proposed_change": {"type": "integer", "description": "The change's number."},
            "fields": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["detail", "proposed_change", "fields"],
    },
)


class RecordSchema(AutoSchema):
    def get_operation_id(self):
        # The path "export.{file_format}" would give "v1_agencies_export._retrieve".
        return super().get_operation_id().replace("._", "_")

    def error_responses(self, operation):
        yield from super().error_responses(operation)
        if self.method in ("PUT", "PATCH"):
            yield (
                "202",
                "An Editor's change to a public record: it waits for a Reviewer.",
                PROPOSED_CHANGE,
            )
        if self.method in ("PUT", "PATCH", "DELETE"):
            yield "409", "Saved by someone else at the same moment, or others depend on it.", ERROR
            yield "412", "If-Match names a version the record is no longer at.", ERROR


class APIRoot(APIRootView):
    """The API's front page: the address of each endpoint, and a description of what the API
    holds, where it is documented, the data's license and where to send corrections. `Link`
    headers give programs the documentation, schema and license (RFC 8631, RFC 4946)."""

    def get_view_name(self):
        return _("Policy tracker API")

    def get_view_description(self, html=False):
        docs = self.request.build_absolute_uri(reverse("api-docs"))
        schema = self.request.build_absolute_uri(reverse("schema"))
        paragraphs = [
            (
                _(
                    "The policy tracker's records as JSON: the jurisdictions, agencies, "
                    "ordinances, agreements and statements on how local governments and police "
                    "cooperate with federal immigration enforcement, each with its sources; the "
                    "sources themselves, the documents cited; and one search across them all. "
                    "Anyone may read; writing needs an account with the permission for the "
                    "record type."
                ),
                {},
            ),
            (
                _("Documentation: %(docs)s (its OpenAPI schema: %(schema)s)."),
                {"docs": Link(docs, docs), "schema": Link(schema, schema)},
            ),
            (
                _(
                    "License: the records are published under %(license)s. The documents they "
                    "cite are their publishers', on those publishers' terms."
                ),
                {"license": data_license()},
            ),
            (
                _("Corrections: %(contact)s."),
                {"contact": corrections_contact(self.request)},
            ),
        ]
        if not html:
            return "\n\n".join(
                text % {name: link.as_text() for name, link in links.items()}
                for text, links in paragraphs
            )
        # Safe: the translated text is escaped, and each link is built by format_html.
        return mark_safe(
            "".join(
                "<p>{}</p>".format(
                    conditional_escape(text)
                    % {name: link.as_html() for name, link in links.items()}
                )
                for text, links in paragraphs
            )
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        links = [
            (request.build_absolute_uri(reverse("api-docs")), "service-doc"),
            (request.build_absolute_uri(reverse("schema")), "service-desc"),
            (data_license().href, "license"),
        ]
        response["Link"] = ", ".join(f'<{href}>; rel="{rel}"' for href, rel in links if href)
        return response


class RecordRouter(DefaultRouter):
    """The API's routes, each ending in a slash, but for downloads: their address ends in a
    file name (`export.csv`), as on the site, so they answer without the slash as well. The
    front page is `APIRoot`.

    The address without the slash is left out of the schema, which documents each download
    once, and `reverse()` still gives the one with the slash.
    """

    APIRootView = APIRoot

    def get_urls(self):
        urls = super().get_urls()
        # First: the detail route's format suffix would read "export.csv" as a slug and a
        # format.
        return [
            self.without_slash(url)
            for url in urls
            if url.name
            and url.name.endswith("-export")
            and url.pattern.regex.pattern.endswith("/$")
        ] + urls

    @staticmethod
    def without_slash(url):
        view = url.callback
        twin = view.cls.as_view(view.actions, **{**view.initkwargs, "schema": None})
        return re_path(url.pattern.regex.pattern.removesuffix("/$") + "$", twin)


class RecordViewSet(viewsets.ModelViewSet):
    """Read for everyone (published records only), write with the model permission.

    Subclasses set `queryset` (with its select_related), `serializer_class` for lists,
    `detail_serializer_class` and `detail_prefetch` for single records (their citations
    come with them, primary documents first), `filterset_class`, and `export_spec` (the
    columns of the list's CSV and JSON download, which are the list's fields: a list
    prefetches the many-to-many relations the export does).
    """

    schema = RecordSchema()
    lookup_field = "slug"
    revision_number = None  # asked for by `?revision=`, on a single record
    detail_serializer_class = None
    detail_prefetch = ()
    export_spec = None

    def get_queryset(self):
        # A withdrawn record keeps its address, as on the site; lists leave it out.
        withdrawn = self.action == "retrieve"
        queryset = super().get_queryset().visible_to(self.request.user, withdrawn=withdrawn)
        user = self.request.user
        if self.action == "list":
            queryset = queryset.prefetch_visible(*self.export_spec.prefetch, user=user)
        elif self.action != "export":  # which prepares its own
            queryset = queryset.prefetch_visible(*self.detail_prefetch, user=user)
            if self.revision_number is None:  # else the revision's are read from history
                queryset = queryset.with_citations()
            if self.action == "retrieve":
                queryset = with_current_revision(queryset)
        return queryset

    @extend_schema(
        summary="Download the list as CSV or JSON",
        description=(
            "Every record the list's filters select, in its order, as one file: CSV (UTF-8, "
            "a header row) or a JSON array of objects, streamed. Columns and their meaning "
            "are those of the site's bulk download page (its data dictionary), and the "
            "fields of the list's items, which give related records as objects."
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
            (200, "application/json"): {
                "type": "array",
                "items": {"type": "object", "additionalProperties": {}},
            },
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

    def check_if_match(self, record):
        """Optimistic locking: a write that names the version it began on (If-Match: its
        ETag) is refused with 412 when the record has changed since."""
        versions = if_match_versions(self.request)
        if versions is None or "*" in versions or str(record.version) in versions:
            return
        raise PreconditionFailed(
            _(
                "This record changed after you read it: it is now at version %(version)s "
                "(ETag %(etag)s). Read it again and apply your change to the new version."
            )
            % {"version": record.version, "etag": etag(record)}
        )

    @extend_schema(parameters=[REVISION_PARAMETER])
    def retrieve(self, request, *args, **kwargs):
        self.revision_number = requested_revision_or_400(request)
        # A slug the record had before: the same address under its current slug.
        return following_renames(
            request, self.queryset.model, kwargs["slug"], self.current_record_response
        )

    def current_record_response(self):
        instance = self.get_object()
        if self.revision_number is not None:
            show_revision(instance, self.revision_number, self.request.user)
            return Response(self.get_serializer(instance).data)
        return Response(self.get_serializer(instance).data, headers={"ETag": etag(instance)})

    def update(self, request, *args, **kwargs):
        """Save the change; an Editor's change to a public record waits for review (202)."""
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        self.check_if_match(instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        if instance.is_public and not request.user.has_perm(instance.publish_permission()):
            return self.propose(instance, serializer.validated_data)
        instance._change_reason = change_reason(request)
        try:
            with transaction.atomic():  # the record and its many-to-many, or nothing
                self.perform_update(serializer)
        except StaleRecordError as error:
            raise Conflict(
                _("Someone else saved this record at the same moment; yours was not saved.")
            ) from error
        response = Response(serializer.data)
        response["ETag"] = etag(instance)
        return response

    def propose(self, record, validated_data):
        changes = {}
        for name, value in validated_data.items():
            field = record._meta.get_field(name)
            if field.many_to_many:
                if {obj.pk for obj in value} != set(
                    getattr(record, name).values_list("pk", flat=True)
                ):
                    changes[name] = value
            elif getattr(record, field.attname) != (
                getattr(value, "pk", value) if field.is_relation else value
            ):
                changes[name] = value
        if not changes:  # nothing to review: the record as it stands, as any 200 to a write
            return Response(self.get_serializer(record).data, headers={"ETag": etag(record)})
        change = change_propose(
            record=record,
            changes=changes,
            user=self.request.user,
            reason=change_reason(self.request),
        )
        return Response(
            {
                "detail": _(
                    "Your change waits for a Reviewer; until it is published the public sees "
                    "the record as it was."
                ),
                "proposed_change": change.pk,
                "fields": sorted(changes),
            },
            status=status.HTTP_202_ACCEPTED,
        )

    def perform_destroy(self, instance):
        self.check_if_match(instance)
        instance._change_reason = change_reason(self.request)
        try:
            instance.delete()
        except ProtectedError as error:
            blockers = sorted({str(obj) for obj in error.protected_objects})[:5]
            raise Conflict(
                _("Other records depend on this one; change or delete them first: %s")
                % "; ".join(blockers)
            ) from error
