from django.urls import path, re_path

from policytracker.search import views

app_name = "search"

urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    re_path(
        r"^export\.(?P<file_format>csv|json)$", views.SearchExportView.as_view(), name="export"
    ),
]
