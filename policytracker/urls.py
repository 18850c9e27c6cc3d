from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agreements.api import AgreementViewSet, StatementViewSet
from jurisdictions.api import AgencyViewSet, JurisdictionViewSet, OrdinanceViewSet
from policytracker import views
from policytracker.admin import history_below_change_page
from policytracker.api import RecordRouter
from policytracker.exports.views import ChangesExportView
from policytracker.importers.views import import_view
from policytracker.profiles.api import CompareViewSet, CoverageViewSet
from policytracker.search.api import SearchViewSet
from policytracker.sources.api import SourceViewSet

# Errors raised outside a view: a 503 when the database or the disk is the cause.
handler500 = "policytracker.unavailable.server_error"

router = RecordRouter()
router.register("jurisdictions", JurisdictionViewSet)
router.register("agencies", AgencyViewSet)
router.register("ordinances", OrdinanceViewSet)
router.register("agreements", AgreementViewSet)
router.register("statements", StatementViewSet)
router.register("sources", SourceViewSet)
router.register("search", SearchViewSet, basename="search")
router.register("compare", CompareViewSet, basename="compare")
router.register("coverage", CoverageViewSet, basename="coverage")

# Without a language in the address: the API (in the request's language, see
# policytracker/language.py), its schema, the feeds and the health check.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("feeds/", include("policytracker.feeds.urls")),
    path("api/v1/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Its script served apart from the page, under the site's Content-Security-Policy.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html"),
        name="api-docs",
    ),
]

# The pages, the admin included: English at these addresses, Spanish under /es/. Each
# list's downloads are in its page's namespace, so they answer under /es/ too (the same
# files); the pages link to them without the prefix.
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("privacy/", TemplateView.as_view(template_name="privacy.html"), name="privacy"),
    path("corrections/", include("policytracker.corrections.urls")),
    path("changes/", views.RecentChangesView.as_view(), name="changes"),
    re_path(
        r"^changes/export\.(?P<file_format>csv|json)$",
        ChangesExportView.as_view(page_view=views.RecentChangesView),
        name="changes-export",
    ),
    path("search/", include("policytracker.search.urls")),
    path("data/", include("policytracker.exports.urls")),
    path("sources/", include("policytracker.documents.urls")),
    path("sources/", include("policytracker.sources.urls")),
    path("", include("jurisdictions.urls")),
    path("", include("agreements.urls")),
    path("", include("policytracker.profiles.urls")),
    path("", include("policytracker.maps.urls")),
    path("admin/import/", import_view, name="admin-import"),
    path(
        "admin/<str:app_label>/<str:model_name>/<str:object_id>/change/history/",
        admin.site.admin_view(history_below_change_page),
        name="admin-history-below-change-page",
    ),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

# Uploaded source documents are not served from MEDIA_URL, even in development: the
# documents app serves each one only to those who may see a record that cites it.

handler404 = "policytracker.views.page_not_found"
