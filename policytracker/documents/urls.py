from django.urls import path

from policytracker.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/document/", views.download, name="download"),
]
