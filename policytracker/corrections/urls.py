from django.urls import path

from policytracker.corrections import views

app_name = "corrections"

urlpatterns = [
    path("", views.CorrectionView.as_view(), name="new"),
    path("thanks/", views.ThanksView.as_view(), name="thanks"),
]
