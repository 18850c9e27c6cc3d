from django.urls import path

from policytracker.sources import views

app_name = "sources"

urlpatterns = [
    path("", views.SourceListView.as_view(), name="list"),
    path("<int:pk>/", views.SourceDetailView.as_view(), name="detail"),
]
