"""A published record names only published records, so no draft shows through it."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.models import Agreement
from jurisdictions.models import Agency, Jurisdiction
from tests.factories import (
    AgencyFactory,
    AgreementFactory,
    CityFactory,
    OrdinanceFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(record):
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    return caught.value.message_dict


def test_published_agency_in_a_draft_place_names_the_jurisdiction():
    city = CityFactory(publication_state="draft")
    agency = AgencyFactory.build(jurisdiction=city, publication_state="published")

    assert list(errors_of(agency)) == ["jurisdiction"]
    assert "publish it first" in errors_of(agency)["jurisdiction"][0]


def test_draft_agency_in_a_draft_place_is_valid():
    city = CityFactory(publication_state="draft")

    AgencyFactory.build(jurisdiction=city, publication_state="draft").full_clean()


def test_place_named_by_a_published_agency_cannot_return_to_draft():
    city = CityFactory()
    AgencyFactory(name="Chicago Police Department", jurisdiction=city)
    city.publication_state = "draft"

    errors = errors_of(city)

    assert list(errors) == ["publication_state"]
    assert "Chicago Police Department" in errors["publication_state"][0]


def test_published_agreement_with_a_draft_party_names_that_party():
    agreement = AgreementFactory.build(
        local_party=AgencyFactory(publication_state="draft"), federal_party=AgencyFactory()
    )

    assert list(errors_of(agreement)) == ["local_party"]


def test_agency_parent_chain_cannot_loop():
    top = AgencyFactory()
    middle = AgencyFactory(parent=top, jurisdiction=top.jurisdiction)
    top.parent = middle

    assert list(errors_of(top)) == ["parent"]


def test_admin_publish_action_publishes_parents_before_their_components_and_logs_it(
    admin_client,
):
    place = CityFactory()
    # Selected together, the component sorts before the body it is part of.
    ice = AgencyFactory(name="U.S. Immigration", jurisdiction=place, publication_state="draft")
    hsi = AgencyFactory(
        name="Homeland Security Investigations",
        jurisdiction=place,
        parent=ice,
        publication_state="draft",
    )
    SourceFactory(record=ice)
    SourceFactory(record=hsi)

    response = admin_client.post(
        reverse("admin:jurisdictions_agency_changelist"),
        {"action": "publish", "_selected_action": [ice.pk, hsi.pk]},
    )

    assert response.status_code == 302
    assert set(Agency.objects.published()) == {ice, hsi}
    assert LogEntry.objects.filter(object_id__in=[str(ice.pk), str(hsi.pk)]).count() == 2


def test_admin_publish_action_tells_why_a_record_was_left_as_it_was(admin_client):
    agency = AgencyFactory(jurisdiction=CityFactory(publication_state="draft"))
    Agency.objects.filter(pk=agency.pk).update(publication_state="draft")
    SourceFactory(record=agency)

    response = admin_client.post(
        reverse("admin:jurisdictions_agency_changelist"),
        {"action": "publish", "_selected_action": [agency.pk]},
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert any(
        "left as it was" in message and "publish it first" in message for message in messages
    )
    assert not Agency.objects.get(pk=agency.pk).is_published


def test_admin_unpublish_action_refuses_a_place_that_published_records_name(admin_client):
    city = CityFactory()
    OrdinanceFactory(jurisdiction=city)

    admin_client.post(
        reverse("admin:jurisdictions_jurisdiction_changelist"),
        {"action": "unpublish", "_selected_action": [city.pk]},
    )

    assert Jurisdiction.objects.get(pk=city.pk).is_published


def test_api_publishing_an_agreement_with_a_draft_party_is_400_naming_it(staff_api_client):
    agreement = AgreementFactory(publication_state="draft")
    SourceFactory(record=agreement)
    Agency.objects.filter(pk=agreement.federal_party.pk).update(publication_state="draft")

    response = staff_api_client.patch(
        reverse("api:agreement-detail", kwargs={"slug": agreement.slug}),
        {"publication_state": "published"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["federal_party"]
    assert Agreement.objects.get(pk=agreement.pk).publication_state == "draft"
