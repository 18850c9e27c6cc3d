"""Concurrent edits lose nothing: the second save begun on an old version is refused."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from jurisdictions.models import Agency, Ordinance
from policytracker.models import StaleRecordError
from tests.admin_forms import admin_url, form_data
from tests.factories import AgencyFactory, OrdinanceFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_every_save_raises_the_version():
    agency = AgencyFactory()
    first = agency.version

    agency.name = "Renamed"
    agency.save()

    agency.refresh_from_db()
    assert agency.version == first + 1


def test_a_stale_copy_cannot_overwrite_a_newer_save():
    agency = AgencyFactory(name="Original")
    stale = Agency.objects.get(pk=agency.pk)
    agency.name = "First save"
    agency.save()

    stale.name = "Second save"
    with pytest.raises(StaleRecordError), transaction.atomic():
        stale.save()

    agency.refresh_from_db()
    assert (agency.name, stale.version) == ("First save", agency.version - 1)


def test_second_admin_save_is_refused_with_the_form_kept(staff_user):
    ordinance = OrdinanceFactory(title="Original", summary="Original summary")
    SourceFactory(record=ordinance)
    first, second = Client(), Client()
    first.force_login(staff_user)
    second.force_login(staff_user)
    url = admin_url(Ordinance, "change", ordinance.pk)
    first_page, second_page = first.get(url), second.get(url)

    saved = first.post(url, form_data(first_page, title="First editor's title"))
    refused = second.post(url, form_data(second_page, summary="Second editor's summary"))

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert "Someone else saved this record after you opened it" in refused.content.decode()
    assert refused.context["adminform"].form["summary"].value() == "Second editor's summary"
    ordinance.refresh_from_db()
    assert (ordinance.title, ordinance.summary) == ("First editor's title", "Original summary")


def test_api_detail_gives_the_version_as_etag(api_client):
    agency = AgencyFactory()

    response = api_client.get(reverse("api:agency-detail", kwargs={"slug": agency.slug}))

    assert response["ETag"] == f'"{agency.version}"'


def test_api_write_with_a_stale_if_match_is_refused_412(staff_api_client, chain):
    agency = AgencyFactory(jurisdiction=chain.city, name="Original")
    url = reverse("api:agency-detail", kwargs={"slug": agency.slug})
    etag = staff_api_client.get(url)["ETag"]
    assert (
        staff_api_client.patch(
            url, {"name": "First"}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )

    refused = staff_api_client.patch(url, {"name": "Second"}, format="json", HTTP_IF_MATCH=etag)
    deleted = staff_api_client.delete(url, HTTP_IF_MATCH=etag)

    assert (refused.status_code, deleted.status_code) == (412, 412)
    assert "changed after you read it" in refused.json()["detail"]
    agency.refresh_from_db()
    assert agency.name == "First"


def test_api_write_with_the_current_etag_succeeds_and_returns_the_next(staff_api_client, chain):
    agency = AgencyFactory(jurisdiction=chain.city)
    url = reverse("api:agency-detail", kwargs={"slug": agency.slug})
    etag = staff_api_client.get(url)["ETag"]

    response = staff_api_client.patch(url, {"name": "Renamed"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] == f'"{agency.version + 1}"'


def test_api_save_racing_another_is_refused_409(staff_api_client, chain, monkeypatch):
    agency = AgencyFactory(jurisdiction=chain.city, name="Original")
    url = reverse("api:agency-detail", kwargs={"slug": agency.slug})
    original_save = Agency.save

    def save_after_someone_else(self, *args, **kwargs):
        Agency.objects.filter(pk=self.pk).update(version=self.version + 5, name="Someone else")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Agency, "save", save_after_someone_else)
    response = staff_api_client.patch(url, {"name": "Mine"}, format="json")

    assert response.status_code == 409
    assert "same moment" in response.json()["detail"]
    agency.refresh_from_db()
    assert agency.name != "Mine"
