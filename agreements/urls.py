"""Two record types live in this app, each under its own URL prefix and namespace."""

from django.urls import include, path

from agreements import views

agreement_patterns = [
    path("", views.AgreementListView.as_view(), name="list"),
    path("<slug:slug>/", views.AgreementDetailView.as_view(), name="detail"),
]
statement_patterns = [
    path("", views.StatementListView.as_view(), name="list"),
    path("<slug:slug>/", views.StatementDetailView.as_view(), name="detail"),
]

urlpatterns = [
    path("agreements/", include((agreement_patterns, "agreements"))),
    path("statements/", include((statement_patterns, "statements"))),
]
