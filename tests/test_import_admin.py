"""The admin's import page: upload, dry run, confirm; permissions."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement
from jurisdictions.models import Jurisdiction
from policytracker.importers.fbi import FbiAgencyImporter
from policytracker.importers.ocd import OcdImporter
from tests.factories import UserFactory
from tests.import_helpers import DATA, data_file


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(name):
    return SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="text/csv")


def test_admin_index_links_the_import_page(staff_client):
    response = staff_client.get(reverse("admin:index"))

    assert reverse("admin-import") in response.content.decode()


def test_admin_import_dry_run_then_confirm_writes(staff_client):
    url = reverse("admin-import")
    response = staff_client.post(url, {"importer": "ocd", "files": [upload("ocd_states.csv")]})

    assert response.status_code == 200
    assert response.context["summary"].created["jurisdictions"] == 52
    assert "Dry run" in response.content.decode()
    assert not Jurisdiction.objects.exists()
    token = response.context["token"]

    response = staff_client.post(url, {"confirm": "1", "token": token})

    assert response.context["summary"].written
    assert Jurisdiction.objects.count() == 52
    # The token is spent: confirming again imports nothing more.
    response = staff_client.post(url, {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Jurisdiction.objects.count() == 52


def test_admin_import_rejected_rows_are_listed_and_offer_no_confirm(staff_client):
    bad = SimpleUploadedFile("states.csv", b"ocd-division/country:us,United States\nbad,Bad\n")

    response = staff_client.post(reverse("admin-import"), {"importer": "ocd", "files": [bad]})

    page = response.content.decode()
    assert "is not a US Open Civic Data division id" in page
    assert response.context["token"] is None
    assert "Confirm" not in page
    assert not Jurisdiction.objects.exists()


def test_admin_import_refused_file_says_why(staff_client):
    empty = SimpleUploadedFile("states.csv", b"")

    response = staff_client.post(reverse("admin-import"), {"importer": "ocd", "files": [empty]})

    assert "is empty" in response.content.decode() or response.context["form"].errors


def test_admin_import_needs_the_models_permissions(client, db):
    user = UserFactory(is_staff=True)
    client.force_login(user)

    assert client.get(reverse("admin-import")).status_code == 403


def test_admin_import_offers_only_the_importers_the_user_may_run(client, db):
    user = UserFactory(
        is_staff=True,
        permissions=[
            "jurisdictions.add_agency",
            "jurisdictions.change_agency",
            "policytracker.add_source",
            "policytracker.add_citation",
        ],
    )
    client.force_login(user)

    response = client.get(reverse("admin-import"))

    assert [name for name, _ in response.context["form"].fields["importer"].choices] == ["fbi"]
    response = client.post(
        reverse("admin-import"), {"importer": "ocd", "files": [upload("ocd_states.csv")]}
    )
    assert response.context["form"].errors["importer"]
    assert not Jurisdiction.objects.exists()
    user.user_permissions.remove(Permission.objects.get(codename="add_citation"))
    user = type(user).objects.get(pk=user.pk)  # permissions are cached on the instance
    assert not FbiAgencyImporter.allowed_for(user)  # it cites its file from every agency


def test_admin_import_of_ice_sheet_lists_flagged_values_and_columns_not_read(staff_client):
    OcdImporter().run([data_file("ocd_states.csv")])
    sheet = SimpleUploadedFile(
        "participatingAgencies-2025-07-01.csv",
        b"STATE,LAW ENFORCEMENT AGENCY,TYPE,COUNTY,SUPPORT TYPE,SIGNED,ADDENDUM\n"
        b"ALABAMA,A Sheriff,County,N/A,Task Force Model,soon,x\n"
        b"ATLANTIS,B Sheriff,County,N/A,Task Force Model,2025-01-01,x\n",
        content_type="text/csv",
    )

    response = staff_client.post(reverse("admin-import"), {"importer": "287g", "files": [sheet]})

    page = response.content.decode()
    assert "1 value flagged for review" in page
    assert "<code>soon</code>" in page
    assert "1 rejected row" in page and "ATLANTIS" in page
    assert "column &#x27;ADDENDUM&#x27; not read" in page
    assert response.context["token"]  # the good row can be imported all the same

    staff_client.post(
        reverse("admin-import"), {"confirm": "1", "token": response.context["token"]}
    )

    assert Agreement.objects.get().review_flags.get().raw_value == "soon"
