from django.urls import path, re_path

from policytracker.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.DataView.as_view(), name="index"),
    re_path(
        r"^sources\.(?P<file_format>csv|json)$", views.SourceExportView.as_view(), name="sources"
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
