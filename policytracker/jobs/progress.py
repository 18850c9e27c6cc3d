"""A running job's progress, written where the admin can read it while the job works.

An import writes everything in one transaction, so that a worker killed half way leaves the
database as it was; its progress must not wait for that transaction's commit (nor vanish
with its rollback). While the job's own transaction is open, progress goes through a
connection of its own, which commits each update at once: PostgreSQL takes it while the
import writes. SQLite lets one connection write at a time, and the import's transaction
holds that lock from its start: there, progress inside it is not written, and the page
shows the step before the import's transaction, then the outcome.
"""

import logging
import time

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import sql
from django.db.models.sql.constants import ROW_COUNT
from django.utils import timezone

from policytracker.jobs.models import Job

logger = logging.getLogger(__name__)

# Seconds between two writes of the same step's progress.
INTERVAL = 1.0


class Progress:
    """`progress(message, done=0, total=None)`: the job's current step and how far it is.

    A new step is written at once; the same step's counts at most once a second, and when it
    reaches its total. Made once per run, for `job` at its current attempt: a run that a retry
    has replaced writes nothing more.
    """

    def __init__(self, job, *, interval=INTERVAL):
        self.job_id = job.pk
        self.attempt = job.attempts
        self.interval = interval
        connection = connections[DEFAULT_DB_ALIAS]
        # Transactions already open when the job starts (a test's) are the caller's own.
        self.depth = len(connection.atomic_blocks)
        self.message = None
        self.written_at = 0.0
        self.side = None
        self.side_failed = False

    def __call__(self, message, done=0, total=None):
        now = time.monotonic()
        message = str(message)[:200]
        if (
            message == self.message
            and now - self.written_at < self.interval
            and (total is None or done < total)
        ):
            return
        self.message, self.written_at = message, now
        self.write(
            progress_message=message,
            progress_done=min(done, total) if total is not None else done,
            progress_total=total,
            updated_at=timezone.now(),
        )

    def write(self, **values):
        jobs = Job.objects.filter(pk=self.job_id, attempts=self.attempt)
        connection = connections[DEFAULT_DB_ALIAS]
        if len(connection.atomic_blocks) <= self.depth:
            jobs.update(**values)
            self.side_failed = False
            return
        if self.side_failed or connection.vendor == "sqlite":
            return
        try:
            update_through(self.side_connection(), jobs, values)
        except DatabaseError as error:
            logger.warning("Progress of job %s not written: %s", self.job_id, error)
            self.side_failed = True

    def side_connection(self):
        if self.side is None:
            connection = connections[DEFAULT_DB_ALIAS]
            self.side = type(connection)(connection.settings_dict, DEFAULT_DB_ALIAS)
        return self.side

    def close(self):
        if self.side is not None:
            self.side.close()
            self.side = None


def update_through(connection, queryset, values):
    """`queryset.update(**values)` on `connection` (in autocommit: committed at once)."""
    query = queryset.query.chain(sql.UpdateQuery)
    query.add_update_values(values)
    return query.get_compiler(connection=connection).execute_sql(ROW_COUNT)
