from django.urls import path

from policytracker.exports.sources import SOURCE_EXPORT
from policytracker.exports.urls import export_path
from policytracker.sources import views

app_name = "sources"

urlpatterns = [
    path("", views.SourceListView.as_view(), name="list"),
    export_path(views.SourceListView, SOURCE_EXPORT),
    path("<int:pk>/", views.SourceDetailView.as_view(), name="detail"),
]
