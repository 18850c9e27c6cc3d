"""The pages that read every place's profile at once: comparison and review coverage."""

from django.urls import path

from policytracker.profiles.compare import CompareCSVView, CompareView
from policytracker.profiles.coverage import CoverageStateView, CoverageView

app_name = "profiles"

urlpatterns = [
    path("compare/", CompareView.as_view(), name="compare"),
    path("compare.csv", CompareCSVView.as_view(), name="compare-csv"),
    path("coverage/", CoverageView.as_view(), name="coverage"),
    path("coverage/<slug:slug>/", CoverageStateView.as_view(), name="coverage-state"),
]
