"""What every record type's API viewset shares."""

from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from rest_framework import status, viewsets
from rest_framework.exceptions import APIException


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class RecordViewSet(viewsets.ModelViewSet):
    """Read for everyone (published records only), write with the model permission.

    Subclasses set `queryset` (with its select_related), `serializer_class` for lists,
    `detail_serializer_class` and `detail_prefetch` for single records, and `filterset_class`.
    """

    lookup_field = "slug"
    detail_serializer_class = None
    detail_prefetch = ("sources",)

    def get_queryset(self):
        queryset = super().get_queryset().visible_to(self.request.user)
        if self.action != "list":
            queryset = queryset.prefetch_visible(*self.detail_prefetch, user=self.request.user)
        return queryset

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
