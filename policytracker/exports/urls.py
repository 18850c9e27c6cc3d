from django.urls import path, re_path

from policytracker.exports import views
from policytracker.exports.sources import (
    CITATION_EXPORT,
    SOURCE_EXPORT,
)
from policytracker.models import Citation, Source
from policytracker.views import RecordChangesView

app_name = "exports"

urlpatterns = [
    path("", views.DataView.as_view(), name="index"),
    re_path(
        r"^sources\.(?P<file_format>csv|json)$",
        views.CitedExportView.as_view(
            export=SOURCE_EXPORT, visible_to=Source.objects.cited_by_visible
        ),
        name="sources",
    ),
    re_path(
        r"^citations\.(?P<file_format>csv|json)$",
        views.CitedExportView.as_view(
            export=CITATION_EXPORT, visible_to=Citation.objects.visible_to
        ),
        name="citations",
    ),
]


def export_path(list_view, export):
    """The route of a list page's download, `export.csv` / `export.json`, named "export".

    For a list's URL patterns, before its `<slug:slug>/` detail route.
    """
    return re_path(
        r"^export\.(?P<file_format>csv|json)$",
        views.RecordExportView.as_view(list_view=list_view, export=export),
        name="export",
    )


def changes_export_path(model):
    """The route of a record's changes download, `<slug>/changes/export.csv` / `.json`,
    named "changes-export". For a record type's URL patterns."""
    return re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/changes/export\.(?P<file_format>csv|json)$",
        views.ChangesExportView.as_view(page_view=RecordChangesView, model=model),
        name="changes-export",
    )
