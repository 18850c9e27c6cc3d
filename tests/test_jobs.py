"""Background jobs run in the test's process (no worker): progress, reports, failures,
retries, and their pages in the admin."""

import csv
import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jurisdictions.models import Jurisdiction
from policytracker.importers.ocd import OcdImporter
from policytracker.jobs import work
from policytracker.jobs.models import Job, JobKind, JobStatus
from policytracker.jobs.progress import Progress
from policytracker.jobs.services import job_enqueue, job_retry, job_start
from policytracker.search.models import SearchEntry
from tests.factories import JurisdictionFactory, UserFactory
from tests.import_helpers import DATA, data_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stored_import(importer, *names):
    """Files saved as the import page saves them, and the params of their job."""
    token = "t" * 32
    for name in names:
        default_storage.save(f"imports/{token}/{name}", ContentFile((DATA / name).read_bytes()))
    return {"importer": importer, "token": token, "names": list(names), "skip_invalid": False}


def run_now(job):
    """What a worker does with the job's current attempt."""
    return work.run(job.pk, job.attempts)


# --- Progress --------------------------------------------------------------------------------


def test_importer_tells_its_progress_through_the_callback():
    steps = []

    OcdImporter(
        progress=lambda message, done=0, total=None: steps.append((message, done, total))
    ).run([data_file("ocd_states.csv")])

    messages = [message for message, _done, _total in steps]
    assert messages[0] == "Reading ocd_states.csv"
    assert ("Reading rows of ocd_states.csv", 52, 52) in steps
    assert "Writing new jurisdictions" in messages or any(
        m.startswith("Placing") for m in messages
    )
    assert messages[-1] == "Indexing what was written for search"
    assert all(total is None or done <= total for _message, done, total in steps)


def test_progress_writes_a_new_step_at_once_and_the_same_step_once_a_second(staff_user):
    job = Job.objects.create(kind=JobKind.SEARCH_INDEX, requested_by=staff_user)
    progress = Progress(job, interval=3600)

    progress("Indexing places", 0, 10)
    progress("Indexing places", 5, 10)  # within the interval: not written
    job.refresh_from_db()
    assert (job.progress_message, job.progress_done, job.progress_total) == (
        "Indexing places",
        0,
        10,
    )
    progress("Indexing places", 10, 10)  # the step's end: written
    progress("Indexing sources", 1, None)
    job.refresh_from_db()
    assert (job.progress_message, job.progress_done, job.progress_total) == (
        "Indexing sources",
        1,
        None,
    )


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_jobs_transaction_is_seen_at_once_by_others_on_postgresql():
    """Others see the progress of an import whose transaction is still open, on PostgreSQL;
    SQLite allows no second writer meanwhile, and the step is left as it was."""
    job = Job.objects.create(kind=JobKind.IMPORT, progress_message="Started")
    progress = Progress(job)
    other = type(connections[DEFAULT_DB_ALIAS])(
        connections[DEFAULT_DB_ALIAS].settings_dict, DEFAULT_DB_ALIAS
    )
    try:
        with transaction.atomic():
            JurisdictionFactory()  # the import has written
            progress("Writing new jurisdictions", 1000, 4000)
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT progress_message, progress_done FROM jobs_job WHERE id = %s",
                    [job.pk],
                )
                seen = cursor.fetchone()
    finally:
        progress.close()
        other.close()
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        assert seen == ("Writing new jurisdictions", 1000)
    else:
        assert seen == ("Started", 0)


# --- Imports -----------------------------------------------------------------------------------


def test_dry_run_job_reports_without_writing(staff_user):
    job = Job.objects.create(
        kind=JobKind.IMPORT_DRY_RUN,
        params=stored_import("ocd", "ocd_states.csv"),
        requested_by=staff_user,
    )

    assert run_now(job) == "succeeded"

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.finished_at >= job.started_at
    assert job.report["dry_run"] is True and job.report["created"] == {
        "jurisdictions": 52,
        "sources": 1,
        "citations": 52,
    }
    assert job.progress_message == "Done"
    assert not Jurisdiction.objects.exists()


def test_import_job_whose_files_are_gone_fails_with_the_reason(staff_user):
    params = stored_import("ocd", "ocd_states.csv")
    default_storage.delete(f"imports/{params['token']}/ocd_states.csv")
    job = Job.objects.create(kind=JobKind.IMPORT, params=params, requested_by=staff_user)

    assert run_now(job) == "refused"

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "ocd_states.csv is no longer in storage" in job.error


def test_import_job_of_a_user_who_lost_the_permission_is_refused(db):
    user = UserFactory(is_staff=True)
    job = Job.objects.create(
        kind=JobKind.IMPORT, params=stored_import("ocd", "ocd_states.csv"), requested_by=user
    )

    run_now(job)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "may no longer run it" in job.error
    assert not Jurisdiction.objects.exists()


def test_job_that_raises_fails_with_the_traceback_and_can_be_retried(staff_user, monkeypatch):
    job = Job.objects.create(kind=JobKind.SEARCH_INDEX, requested_by=staff_user)

    def broken(job, progress):
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(work.RUNNERS, JobKind.SEARCH_INDEX, broken)
    with pytest.raises(RuntimeError):
        run_now(job)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "RuntimeError: the disk is full" in job.error
    assert job.may_retry

    monkeypatch.undo()
    job = job_retry(job=job)
    assert job.attempts == 2 and job.status == JobStatus.QUEUED and not job.error
    assert run_now(job) == "succeeded"
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_a_retried_jobs_earlier_attempt_does_nothing(staff_user):
    job = Job.objects.create(kind=JobKind.SEARCH_INDEX, requested_by=staff_user)
    job_retry(job=job)

    assert work.run(job.pk, 1) == "superseded"

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.started_at is None


def test_a_succeeded_job_is_not_retried(staff_user):
    job = Job.objects.create(kind=JobKind.SEARCH_INDEX, requested_by=staff_user)
    run_now(job)
    job.refresh_from_db()

    with pytest.raises(Exception, match="succeeded"):
        job_retry(job=job)


def test_import_retried_after_its_commit_rebuilds_the_index_instead_of_importing_again(
    staff_user,
):
    """A worker killed after the import's commit, while indexing: the job says it is written
    (in the import's own transaction), and its retry indexes rather than imports."""
    params = stored_import("ocd", "ocd_states.csv")
    job = Job.objects.create(kind=JobKind.IMPORT, params=params, requested_by=staff_user)
    OcdImporter(
        user=staff_user,
        before_commit=lambda summary: Job.objects.filter(pk=job.pk).update(
            written_at="2026-12-04T01:00:00Z", report=summary.as_report()
        ),
    ).run([data_file("ocd_states.csv")])
    SearchEntry.objects.all().delete()  # the index was never brought up to date
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    job.refresh_from_db()

    job = job_retry(job=job)
    run_now(job)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.report["reindexed_after_retry"]
    assert job.report["created"]["jurisdictions"] == 52
    assert Jurisdiction.objects.count() == 52
    assert SearchEntry.objects.filter(jurisdiction__isnull=False).count() == 52


def test_queue_that_cannot_be_reached_fails_the_job_not_the_request(staff_user, settings):
    settings.TASKS = {"default": {"BACKEND": "policytracker.jobs.no_such_backend.Backend"}}
    job = Job.objects.create(kind=JobKind.SEARCH_INDEX, requested_by=staff_user)

    assert job_enqueue(job.pk, job.attempts) is None

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "could not be queued" in job.error


def test_job_start_queues_on_the_database_backend_for_a_worker(staff_user, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with transaction.atomic():
        job = job_start(kind=JobKind.SEARCH_INDEX, params={}, user=staff_user)
        assert not DBTaskResult.objects.exists()  # not before the job is committed
    # (the test's own transaction: run the callbacks as a commit would)
    job_enqueue(job.pk, job.attempts)

    job.refresh_from_db()
    task = DBTaskResult.objects.get()
    assert job.task_id == str(task.id) and job.status == JobStatus.QUEUED
    assert task.args_kwargs == {"args": [job.pk, 1], "kwargs": {}}


# --- The search index and exports ----------------------------------------------------------------


def test_search_index_job_rebuilds_every_entry_and_reports_counts(staff_user):
    OcdImporter().run([data_file("ocd_states.csv")])
    SearchEntry.objects.all().delete()
    job = Job.objects.create(kind=JobKind.SEARCH_INDEX, requested_by=staff_user)

    run_now(job)

    job.refresh_from_db()
    assert job.report["indexed"]["Jurisdiction"] == 52
    assert SearchEntry.objects.filter(jurisdiction__isnull=False).count() == 52


def test_export_job_writes_the_file_and_offers_it_to_its_requester_only(staff_user, client):
    OcdImporter().run([data_file("ocd_states.csv")])  # drafts: staff see them
    job = Job.objects.create(
        kind=JobKind.EXPORT,
        params={"export": "jurisdictions", "format": "csv"},
        requested_by=staff_user,
    )

    run_now(job)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.report["rows"] == {"jurisdictions": 52}
    client.force_login(staff_user)
    response = client.get(reverse("admin:jobs_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 52 and {row["name"] for row in rows} >= {"Illinois", "Texas"}
    other = UserFactory(is_staff=True, permissions=["jobs.view_job"])
    client.force_login(other)
    assert client.get(reverse("admin:jobs_job_download", args=[job.pk])).status_code == 404


def test_export_of_everything_is_a_zip_of_every_type(staff_user):
    OcdImporter().run([data_file("ocd_states.csv")])
    job = Job.objects.create(
        kind=JobKind.EXPORT, params={"export": "all", "format": "json"}, requested_by=staff_user
    )

    run_now(job)

    job.refresh_from_db()
    with default_storage.open(job.output) as stored, zipfile.ZipFile(stored) as archive:
        names = archive.namelist()
        assert any(name.startswith("jurisdictions-") for name in names)
        assert len(names) == len(job.report["rows"]) == 7
        member = next(name for name in names if name.startswith("jurisdictions-"))
        assert archive.read(member).decode().count('"slug"') == 52


# --- The admin ---------------------------------------------------------------------------------


def test_job_page_reloads_itself_while_running_and_stops_when_done(staff_client, staff_user):
    job = Job.objects.create(
        kind=JobKind.SEARCH_INDEX,
        requested_by=staff_user,
        status=JobStatus.RUNNING,
        progress_message="Indexing jurisdictions",
        progress_done=1000,
        progress_total=4000,
    )
    url = reverse("admin:jobs_job_change", args=[job.pk])

    page = staff_client.get(url).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Indexing jurisdictions: 1,000 / 4,000 (25 %)" in page
    assert 'max="4000" value="1000"' in page
    assert " style=" not in page and "<script>" not in page

    run_now(job_retry(job=job))
    page = staff_client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "Succeeded" in page


def test_job_pages_show_staff_their_own_jobs_and_all_to_those_who_may_view_jobs(
    client, staff_user
):
    mine = Job.objects.create(kind=JobKind.SEARCH_INDEX, requested_by=staff_user)
    other = UserFactory(is_staff=True)
    theirs = Job.objects.create(kind=JobKind.SEARCH_INDEX, requested_by=other)
    client.force_login(other)

    assert client.get(reverse("admin:jobs_job_change", args=[mine.pk])).status_code == 403
    listed = client.get(reverse("admin:jobs_job_changelist")).context["cl"].result_list
    assert list(listed) == [theirs]
    other.user_permissions.add(Permission.objects.get(codename="view_job"))
    other = type(other).objects.get(pk=other.pk)
    client.force_login(other)
    assert client.get(reverse("admin:jobs_job_change", args=[mine.pk])).status_code == 200


@pytest.mark.parametrize("count", [2, 40])
def test_job_list_makes_the_same_queries_whatever_the_number_of_jobs(
    staff_client, staff_user, count
):
    Job.objects.bulk_create(
        Job(kind=JobKind.SEARCH_INDEX, requested_by=staff_user) for _ in range(count)
    )
    staff_client.get(reverse("admin:jobs_job_changelist"))  # sessions, content types cached

    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries:
        response = staff_client.get(reverse("admin:jobs_job_changelist"))

    assert response.status_code == 200 and len(response.context["cl"].result_list) == count
    assert len(queries) == QUERIES_OF_THE_JOB_LIST


QUERIES_OF_THE_JOB_LIST = 9


def test_rebuild_and_export_need_their_permissions(client, staff_user, jobs_run_at_once):
    client.force_login(staff_user)
    assert client.post(reverse("admin:jobs_job_search_index")).status_code == 403
    assert client.get(reverse("admin:jobs_job_export")).status_code == 403
    page = client.get(reverse("admin:jobs_job_changelist")).content.decode()
    assert "Rebuild the search index" not in page

    staff_user.user_permissions.add(
        *Permission.objects.filter(codename__in=["rebuild_search_index", "export_dataset"])
    )
    staff_user = type(staff_user).objects.get(pk=staff_user.pk)
    client.force_login(staff_user)
    response = jobs_run_at_once(client, reverse("admin:jobs_job_search_index"))
    job = Job.objects.get(kind=JobKind.SEARCH_INDEX)
    assert response.url == reverse("admin:jobs_job_change", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED

    bad = client.post(reverse("admin:jobs_job_export"), {"export": "nothing", "format": "csv"})
    assert bad.status_code == 400
    response = jobs_run_at_once(
        client, reverse("admin:jobs_job_export"), {"export": "agencies", "format": "json"}
    )
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert job.status == JobStatus.SUCCEEDED
    page = client.get(response.url).content.decode()
    assert reverse("admin:jobs_job_download", args=[job.pk]) in page


def test_retry_from_the_admin_list_queues_the_selected_jobs_again(
    staff_client, staff_user, jobs_run_at_once
):
    stuck = Job.objects.create(
        kind=JobKind.SEARCH_INDEX, requested_by=staff_user, status=JobStatus.RUNNING
    )

    jobs_run_at_once(
        staff_client,
        reverse("admin:jobs_job_changelist"),
        {"action": "retry_selected", "_selected_action": [stuck.pk]},
    )

    stuck.refresh_from_db()
    assert stuck.attempts == 2 and stuck.status == JobStatus.SUCCEEDED


def test_without_a_worker_a_job_waits_queued_and_its_page_says_so(staff_client, staff_user):
    job = Job.objects.create(kind=JobKind.SEARCH_INDEX, requested_by=staff_user)

    page = staff_client.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()

    assert "Waiting for a worker" in page and "manage.py db_worker" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    listed = staff_client.get(reverse("admin:jobs_job_changelist")).content.decode()
    assert "Waiting for a worker" in listed
