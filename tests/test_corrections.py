"""Readers report errors through the site's own form; staff read and answer them in the admin."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from policytracker.corrections.models import Correction
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORT = {
    "page": "/agreements/customs-cross-designation/",
    "message": "The agreement was signed in 2017, not 2016.",
    "evidence": "Chicago Police Department press release, March 2017",
    "reply_to": "reader@example.org",
}


def test_every_page_links_the_form_with_its_own_address(client):
    response = client.get(reverse("agreements:list"), {"status": "in_force"})

    assert 'href="/corrections/?page=/agreements/%3Fstatus%3Din_force"' in (
        response.content.decode()
    )
    form = client.get(reverse("corrections:new"), {"page": "/agreements/?status=in_force"})
    assert form.context["form"]["page"].value() == "/agreements/?status=in_force"


def test_a_report_is_kept_for_staff_and_the_reader_is_thanked(client):
    response = client.post(reverse("corrections:new"), REPORT)

    assert response.status_code == 302
    assert response["Location"] == reverse("corrections:thanks")
    correction = Correction.objects.get()
    assert (correction.page, correction.message, correction.state) == (
        REPORT["page"],
        REPORT["message"],
        "new",
    )
    assert "Thank you" in client.get(response["Location"]).content.decode()


def test_a_report_without_a_message_is_a_400_that_keeps_what_was_written(client):
    response = client.post(reverse("corrections:new"), {**REPORT, "message": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert "The report was not sent" in page
    assert REPORT["evidence"] in page
    assert not Correction.objects.exists()


def test_a_bad_address_and_a_message_too_long_are_named(client):
    response = client.post(
        reverse("corrections:new"), {**REPORT, "reply_to": "not an address", "message": "x" * 5001}
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"reply_to", "message"}


def test_a_robot_filling_in_the_hidden_field_is_thanked_and_not_kept(client):
    response = client.post(reverse("corrections:new"), {**REPORT, "website": "http://spam"})

    assert response.status_code == 302
    assert not Correction.objects.exists()


def test_staff_read_and_answer_reports_and_cannot_invent_one(client):
    correction = Correction.objects.create(message="Wrong date", page="/x/")
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    staff = Client()
    staff.force_login(editor)
    url = reverse("admin:corrections_correction_change", args=[correction.pk])

    response = staff.post(
        url, {"state": "corrected", "staff_note": "Date fixed", "handled_by": ""}
    )

    assert response.status_code == 302
    correction.refresh_from_db()
    assert (correction.state, correction.handled_by) == ("corrected", editor)
    assert correction.message == "Wrong date"  # what the reader sent stays as sent
    assert staff.get(reverse("admin:corrections_correction_add")).status_code == 403


def test_the_about_page_and_the_api_root_name_the_form(client, api_client):
    about = client.get(reverse("about")).content.decode()
    root = api_client.get(reverse("api:api-root"), HTTP_ACCEPT="text/html").content.decode()

    assert 'href="/corrections/">the corrections form</a>' in about
    assert "http://testserver/corrections/" in root


def test_an_address_set_in_settings_is_offered_beside_the_form(client, settings):
    settings.CORRECTIONS_EMAIL = "corrections@tracker.org"

    about = client.get(reverse("about")).content.decode()

    assert 'href="/corrections/"' in about
    assert 'href="mailto:corrections@tracker.org"' in about
