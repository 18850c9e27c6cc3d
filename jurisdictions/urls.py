"""Three record types live in this app, each under its own URL prefix and namespace."""

from django.urls import include, path

from jurisdictions import finder, views
from jurisdictions.exports import AGENCY_EXPORT, JURISDICTION_EXPORT, ORDINANCE_EXPORT
from jurisdictions.models import Agency, Jurisdiction, Ordinance
from policytracker.exports.urls import changes_export_path, export_path
from policytracker.profiles.downloads import ProfileCSVView
from policytracker.profiles.views import TimelineView
from policytracker.views import RecordChangesView

jurisdiction_patterns = [
    path("", views.JurisdictionListView.as_view(), name="list"),
    export_path(views.JurisdictionListView, JURISDICTION_EXPORT),
    path("<slug:slug>/", views.JurisdictionDetailView.as_view(), name="detail"),
    path("<slug:slug>/changes/", RecordChangesView.as_view(model=Jurisdiction), name="changes"),
    path("<slug:slug>/profile.csv", ProfileCSVView.as_view(), name="profile-csv"),
    changes_export_path(Jurisdiction),
    path("<slug:slug>/timeline/", TimelineView.as_view(), name="timeline"),
]
agency_patterns = [
    path("", views.AgencyListView.as_view(), name="list"),
    export_path(views.AgencyListView, AGENCY_EXPORT),
    path("<slug:slug>/", views.AgencyDetailView.as_view(), name="detail"),
    path("<slug:slug>/changes/", RecordChangesView.as_view(model=Agency), name="changes"),
    changes_export_path(Agency),
]
ordinance_patterns = [
    path("", views.OrdinanceListView.as_view(), name="list"),
    export_path(views.OrdinanceListView, ORDINANCE_EXPORT),
    path("<slug:slug>/", views.OrdinanceDetailView.as_view(), name="detail"),
    path("<slug:slug>/changes/", RecordChangesView.as_view(model=Ordinance), name="changes"),
    changes_export_path(Ordinance),
]

place_finder_patterns = [
    path("find/", finder.FindPlaceView.as_view(), name="find"),
    path("suggest.json", finder.suggest, name="suggest"),
]

urlpatterns = [
    path("places/", include((place_finder_patterns, "places"))),
    path("jurisdictions/", include((jurisdiction_patterns, "jurisdictions"))),
    path("agencies/", include((agency_patterns, "agencies"))),
    path("ordinances/", include((ordinance_patterns, "ordinances"))),
]
