"""A real worker, in a process of its own, on a database of its own (a file for SQLite, so
the worker sees it; a database beside the test one for PostgreSQL): killed in the middle of
an import, it leaves the database as it was, and the job, retried from the admin, completes.

The tests' usual database is a transaction the worker could not see (and, on SQLite, lives
in this process's memory), so these tests point the default connection at the worker's
database for their length, and put it back after.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.urls import reverse

from jurisdictions.models import Jurisdiction
from policytracker.importers.ocd import OcdImporter
from policytracker.jobs.models import Job, JobKind, JobStatus
from policytracker.models import Citation, Source
from policytracker.search.models import SearchEntry
from tests.factories import UserFactory
from tests.import_helpers import data_file

ROOT = Path(__file__).resolve().parent.parent
PLACES = 4_000
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How long a worker may take for its whole run; a poll's pause.
WORKER_SECONDS = 300
POLL = 0.05


def is_sqlite():
    return connections[DEFAULT_DB_ALIAS].vendor == "sqlite"


@contextmanager
def default_database(name):
    """The default connection on the database `name` (same engine and server), then back."""
    connection = connections[DEFAULT_DB_ALIAS]
    saved = (connection.connection, connection.settings_dict)
    # Kept open: closing the tests' in-memory SQLite database would destroy it.
    connection.connection = None
    connection.settings_dict = {**saved[1], "NAME": name}
    try:
        yield
    finally:
        connection.close()
        connection.connection, connection.settings_dict = saved


def database_url(settings_dict):
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def copy_of_the_test_database(name):
    """The test database as migrations left it, copied to `name` (a file for SQLite)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(name)
        connection.connection.backup(copy)
        copy.close()
        return
    template = connection.settings_dict["NAME"]
    # A template database may have no other session: this thread's connections close, and
    # any that other threads of this process left open on it (a live server's, from an
    # earlier test in the same worker) are ended.
    connections.close_all()
    drop_postgresql_database(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [template],
        )
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def drop_postgresql_database(name):
    with connections[DEFAULT_DB_ALIAS]._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def worker_database(transactional_db, django_db_blocker, tmp_path, settings):
    """A migrated database of its own, which the default connection uses during the test;
    yields its DATABASE_URL for the worker's process."""
    settings.TASKS = DATABASE_BACKEND
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_db_blocker.unblock():
        if is_sqlite():
            name = str(tmp_path / "worker.sqlite3")
        else:
            name = f"{connections[DEFAULT_DB_ALIAS].settings_dict['NAME']}_worker"
        copy_of_the_test_database(name)
        try:
            with default_database(name):
                yield database_url(connections[DEFAULT_DB_ALIAS].settings_dict)
        finally:
            if not is_sqlite():
                drop_postgresql_database(name)


def worker(database_url, log, *, batch):
    """`manage.py db_worker` in a process of its own, on that database."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"}
    env["TASKS_BACKEND"] = "database"
    env["MEDIA_ROOT"] = str(Path(log).parent / "media")
    env.pop("REDIS_URL", None)
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.1", *(["--batch"] if batch else [])]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=open(log, "ab"), stderr=subprocess.STDOUT
    )


def run_worker_to_the_end(database_url, log):
    process = worker(database_url, log, batch=True)
    assert process.wait(timeout=WORKER_SECONDS) == 0, Path(log).read_text()


def places_file(count):
    """An Open Civic Data places file of `count` villages in Illinois."""
    lines = ["id,name,census_geoid"]
    lines += [
        f"ocd-division/country:us/state:il/place:town_{n},Town {n} village,place-17{n:05d}"
        for n in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def snapshot():
    return {
        model.__name__: model._default_manager.count()
        for model in (Jurisdiction, Jurisdiction.history.model, Source, Citation, SearchEntry)
    } | {"last jurisdiction": Jurisdiction.objects.order_by("pk").values_list("pk").last()}


def writing_now(job, sqlite_path):
    """Whether the import is half way, in its still open transaction."""
    job.refresh_from_db()
    if job.status != JobStatus.RUNNING:
        return False
    if sqlite_path is None:
        # PostgreSQL takes the progress while the import writes: a batch of places is in, or
        # a later step of the transaction has begun.
        message = job.progress_message
        if message.startswith("Writing new jurisdictions"):
            return job.progress_done > 0
        return message.startswith(("Writing new", "Placing"))
    # SQLite: the import's transaction holds the write lock from its start, and keeps it.
    for _ in range(3):
        probe = sqlite3.connect(sqlite_path, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
            return False
        except sqlite3.OperationalError:
            pass
        finally:
            probe.close()
        time.sleep(0.1)
    return True


def staff_client():
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=("policytracker", "jurisdictions"))
    )
    client = Client()
    client.force_login(user)
    return client


def test_worker_killed_mid_import_leaves_database_as_it_was_and_retry_completes(
    worker_database, tmp_path
):
    log = tmp_path / "worker.log"
    OcdImporter().run([data_file("ocd_states.csv")])
    client = staff_client()
    upload = SimpleUploadedFile("us_census_places.csv", places_file(PLACES))
    response = client.post(reverse("admin-import"), {"importer": "ocd", "files": [upload]})
    dry_run = Job.objects.get(pk=response.url.rstrip("/").split("/")[-2])
    run_worker_to_the_end(worker_database, log)
    dry_run.refresh_from_db()
    assert dry_run.status == JobStatus.SUCCEEDED, dry_run.error
    assert dry_run.report["created"]["jurisdictions"] == PLACES
    before = snapshot()

    client.post(reverse("admin:jobs_job_confirm", args=[dry_run.pk]))
    job = Job.objects.get(kind=JobKind.IMPORT)
    process = worker(worker_database, log, batch=False)
    sqlite_path = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"] if is_sqlite() else None
    try:
        deadline = time.monotonic() + WORKER_SECONDS
        while not writing_now(job, sqlite_path):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the import never began writing"
            time.sleep(POLL)
        if sqlite_path is not None:
            # SQLite shows no progress inside the transaction: let it run about half the
            # time its dry run took (which wrote everything, then rolled back).
            time.sleep(dry_run.report["seconds"] / 2)
            assert writing_now(job, sqlite_path)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.written_at is None
    assert snapshot() == before
    page = client.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()
    assert "Run again" in page

    client.post(reverse("admin:jobs_job_retry", args=[job.pk]))
    run_worker_to_the_end(worker_database, log)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.attempts == 2 and job.written_at is not None
    assert job.report["created"]["jurisdictions"] == PLACES
    assert job.report["as_dry_run_said"] is True
    assert Jurisdiction.objects.count() == before["Jurisdiction"] + PLACES
    assert SearchEntry.objects.filter(jurisdiction__name="Town 123").exists()
