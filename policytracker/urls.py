from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from agreements.api import AgreementViewSet, StatementViewSet
from jurisdictions.api import AgencyViewSet, JurisdictionViewSet, OrdinanceViewSet
from policytracker import views

router = DefaultRouter()
router.register("jurisdictions", JurisdictionViewSet)
router.register("agencies", AgencyViewSet)
router.register("ordinances", OrdinanceViewSet)
router.register("agreements", AgreementViewSet)
router.register("statements", StatementViewSet)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", include("policytracker.search.urls")),
    path("feeds/", include("policytracker.feeds.urls")),
    path("data/", include("policytracker.exports.urls")),
    path("sources/", include("policytracker.documents.urls")),
    path("", include("jurisdictions.urls")),
    path("", include("agreements.urls")),
    path("api/v1/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

# Uploaded source documents, served by Django only in development; production's proxy
# serves MEDIA_ROOT (see the README).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
