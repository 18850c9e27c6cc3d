"""The admin's import page: upload, then the dry run and the confirmed import as background
jobs (run at once here); permissions."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement
from jurisdictions.models import Jurisdiction
from policytracker.importers.fbi import FbiAgencyImporter
from policytracker.importers.ocd import OcdImporter
from policytracker.jobs.models import Job, JobKind, JobStatus
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


def test_admin_import_dry_run_then_confirm_writes(staff_client, jobs_run_at_once):
    response = jobs_run_at_once(
        staff_client,
        reverse("admin-import"),
        {"importer": "ocd", "files": [upload("ocd_states.csv")]},
    )

    dry_run = Job.objects.get()
    assert response.url == reverse("admin:jobs_job_change", args=[dry_run.pk])
    assert dry_run.kind == JobKind.IMPORT_DRY_RUN and dry_run.status == JobStatus.SUCCEEDED
    assert not Jurisdiction.objects.exists()
    page = staff_client.get(response.url)
    assert page.context["summary"].created["jurisdictions"] == 52
    assert "Dry run: what the import would do" in page.content.decode()
    confirm = reverse("admin:jobs_job_confirm", args=[dry_run.pk])
    assert confirm in page.content.decode()

    response = jobs_run_at_once(staff_client, confirm)

    job = Job.objects.get(kind=JobKind.IMPORT)
    assert response.url == reverse("admin:jobs_job_change", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED and job.confirms == dry_run
    assert job.report["as_dry_run_said"] is True and job.written_at is not None
    assert Jurisdiction.objects.count() == 52
    page = staff_client.get(response.url).content.decode()
    assert "As the dry run said." in page and "Result" in page
    # Confirmed once: confirming again leads to the import, and imports nothing more.
    response = jobs_run_at_once(staff_client, confirm)
    assert response.status_code == 403 or response.url.endswith(f"/{job.pk}/change/")
    assert Job.objects.filter(kind=JobKind.IMPORT).count() == 1
    assert Jurisdiction.objects.count() == 52


def test_admin_import_files_are_removed_once_imported(staff_client, jobs_run_at_once, tmp_path):
    jobs_run_at_once(
        staff_client,
        reverse("admin-import"),
        {"importer": "ocd", "files": [upload("ocd_states.csv")]},
    )
    dry_run = Job.objects.get()
    stored = tmp_path / "imports" / dry_run.params["token"] / "ocd_states.csv"
    assert stored.is_file()

    jobs_run_at_once(staff_client, reverse("admin:jobs_job_confirm", args=[dry_run.pk]))

    assert not stored.exists()


def test_admin_import_rejected_rows_are_listed_and_offer_no_confirm(
    staff_client, jobs_run_at_once
):
    bad = SimpleUploadedFile("states.csv", b"ocd-division/country:us,United States\nbad,Bad\n")

    response = jobs_run_at_once(
        staff_client, reverse("admin-import"), {"importer": "ocd", "files": [bad]}
    )

    page = staff_client.get(response.url)
    assert "is not a US Open Civic Data division id" in page.content.decode()
    assert not page.context["may_confirm"]
    assert "Confirm" not in page.content.decode()
    assert not Jurisdiction.objects.exists()
    assert not default_storage.exists(f"imports/{page.context['job'].params['token']}/states.csv")


def test_admin_import_refused_file_says_why(staff_client, jobs_run_at_once):
    empty = SimpleUploadedFile("states.csv", b"")

    response = jobs_run_at_once(
        staff_client, reverse("admin-import"), {"importer": "ocd", "files": [empty]}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["files"]
    assert not Job.objects.exists()


def test_admin_import_refused_by_the_importer_fails_the_job_with_the_reason(
    staff_client, jobs_run_at_once
):
    wrong = SimpleUploadedFile("states.csv", b"a,b,c,d\n1,2,3,4\n")

    response = jobs_run_at_once(
        staff_client, reverse("admin-import"), {"importer": "ocd", "files": [wrong]}
    )

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "is neither an OCD states file" in job.error
    page = staff_client.get(response.url).content.decode()
    assert "The file was refused; nothing was written." in page
    assert not Jurisdiction.objects.exists()


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


def test_admin_import_of_ice_sheet_lists_flagged_values_and_columns_not_read(
    staff_client, jobs_run_at_once
):
    OcdImporter().run([data_file("ocd_states.csv")])
    sheet = SimpleUploadedFile(
        "participatingAgencies-2025-07-01.csv",
        b"STATE,LAW ENFORCEMENT AGENCY,TYPE,COUNTY,SUPPORT TYPE,SIGNED,ADDENDUM\n"
        b"ALABAMA,A Sheriff,County,N/A,Task Force Model,soon,x\n"
        b"ATLANTIS,B Sheriff,County,N/A,Task Force Model,2025-01-01,x\n",
        content_type="text/csv",
    )

    response = jobs_run_at_once(
        staff_client, reverse("admin-import"), {"importer": "287g", "files": [sheet]}
    )

    page = staff_client.get(response.url)
    dry_run = page.context["job"]
    page = page.content.decode()
    assert "1 value flagged for review" in page
    assert "<code>soon</code>" in page
    assert "1 rejected row" in page and "ATLANTIS" in page
    assert "column &#x27;ADDENDUM&#x27; not read" in page
    assert "Confirm: import these files" in page  # the good row can be imported all the same

    jobs_run_at_once(staff_client, reverse("admin:jobs_job_confirm", args=[dry_run.pk]))

    assert Agreement.objects.get().review_flags.get().raw_value == "soon"
