"""A database that cannot be reached, or a full disk, answers 503 with Retry-After."""

import errno

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django.urls import reverse

from jurisdictions import api as jurisdiction_api
from jurisdictions import views as jurisdiction_views
from policytracker.unavailable import server_error

pytestmark = pytest.mark.django_db


def fail_with(error):
    def fail(*args, **kwargs):
        raise error

    return fail


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("could not connect to server: Connection refused"),
        InterfaceError("connection already closed"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
)
def test_page_answers_503_with_retry_after(client, monkeypatch, settings, error):
    settings.RETRY_AFTER_SECONDS = 7
    monkeypatch.setattr(jurisdiction_views.JurisdictionListView, "get_queryset", fail_with(error))
    response = client.get(reverse("jurisdictions:list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "7"
    assert "no-store" in response["Cache-Control"]
    assert "briefly unavailable" in response.content.decode()


def test_api_answers_503_in_json(api_client, monkeypatch):
    monkeypatch.setattr(
        jurisdiction_api.JurisdictionViewSet,
        "get_queryset",
        fail_with(OperationalError("the database system is shutting down")),
    )
    response = api_client.get(reverse("api:jurisdiction-list"))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "briefly unavailable" in response.json()["detail"]


def test_other_errors_are_not_turned_into_503(client, monkeypatch):
    monkeypatch.setattr(
        jurisdiction_views.JurisdictionListView, "get_queryset", fail_with(ValueError("bug"))
    )
    client.raise_request_exception = False
    response = client.get(reverse("jurisdictions:list"))
    assert response.status_code == 500


def test_other_disk_errors_are_not_turned_into_503(client, monkeypatch):
    monkeypatch.setattr(
        jurisdiction_views.JurisdictionListView,
        "get_queryset",
        fail_with(OSError(errno.EACCES, "Permission denied")),
    )
    client.raise_request_exception = False
    assert client.get(reverse("jurisdictions:list")).status_code == 500


def test_handler500_answers_503_for_errors_raised_outside_views():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"]


def test_handler500_keeps_500_for_other_errors():
    request = RequestFactory().get("/")
    try:
        raise KeyError("bug")
    except KeyError:
        response = server_error(request)
    assert response.status_code == 500
