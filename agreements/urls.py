"""Two record types live in this app, each under its own URL prefix and namespace."""

from django.urls import include, path

from agreements import views
from agreements.exports import AGREEMENT_EXPORT, STATEMENT_EXPORT
from agreements.models import Agreement, Statement
from policytracker.exports.urls import changes_export_path, export_path
from policytracker.views import RecordChangesView

agreement_patterns = [
    path("", views.AgreementListView.as_view(), name="list"),
    export_path(views.AgreementListView, AGREEMENT_EXPORT),
    path("<slug:slug>/", views.AgreementDetailView.as_view(), name="detail"),
    path("<slug:slug>/changes/", RecordChangesView.as_view(model=Agreement), name="changes"),
    changes_export_path(Agreement),
]
statement_patterns = [
    path("", views.StatementListView.as_view(), name="list"),
    export_path(views.StatementListView, STATEMENT_EXPORT),
    path("<slug:slug>/", views.StatementDetailView.as_view(), name="detail"),
    path("<slug:slug>/changes/", RecordChangesView.as_view(model=Statement), name="changes"),
    changes_export_path(Statement),
]

urlpatterns = [
    path("agreements/", include((agreement_patterns, "agreements"))),
    path("statements/", include((statement_patterns, "statements"))),
]
