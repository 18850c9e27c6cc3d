"""What each kind of job does, and the run that records it on the Job.

A run takes the job (status running), does its work telling `Progress` how far it is, and
records the report (succeeded) or the error (failed). A run of an attempt that a retry has
replaced does nothing.

An import writes in one transaction: a worker killed half way leaves the database as it
was, and the job, seen running with no more progress, can be retried. The import notes on
the job that it is written in that same transaction, so a retry after the commit (the
worker killed while indexing) does not import again: it rebuilds the search index.
"""

import datetime
import logging
import traceback

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from policytracker.importers.base import ImportRefused, InputFile, Summary
from policytracker.importers.registry import IMPORTERS
from policytracker.jobs.models import Job, JobKind, JobStatus
from policytracker.jobs.progress import Progress
from policytracker.publication import may_publish_every_type

logger = logging.getLogger(__name__)


class JobRefused(Exception):
    """The job cannot do what it was asked (a file refused, a permission gone): it fails
    with this message, and is not an error of the site."""


def run(job_id, attempt):
    job = Job.objects.filter(pk=job_id).select_related("requested_by", "confirms").first()
    if job is None or job.attempts != attempt or job.status == JobStatus.SUCCEEDED:
        return "superseded"
    now = timezone.now()
    taken = (
        Job.objects.filter(pk=job_id, attempts=attempt)
        .exclude(status=JobStatus.SUCCEEDED)
        .update(
            status=JobStatus.RUNNING,
            started_at=now,
            finished_at=None,
            progress_message=_("Started"),
            updated_at=now,
        )
    )
    if not taken:
        return "superseded"
    progress = Progress(job)
    try:
        report = RUNNERS[job.kind](job, progress)
    except JobRefused as error:
        finish(job, JobStatus.FAILED, error=str(error))
        return "refused"
    except Exception as error:
        finish(job, JobStatus.FAILED, error="".join(traceback.format_exception(error)))
        raise
    finally:
        progress.close()
    finish(job, JobStatus.SUCCEEDED, report=report)
    return "succeeded"


def finish(job, status, *, report=None, error=""):
    now = timezone.now()
    values = {"status": status, "finished_at": now, "updated_at": now, "error": error}
    if report is not None:
        values["report"] = report
    values["progress_message"] = _("Done") if status == JobStatus.SUCCEEDED else _("Stopped")
    Job.objects.filter(pk=job.pk, attempts=job.attempts).update(**values)


# --- Imports ---------------------------------------------------------------------------------


def import_folder(token):
    return f"imports/{token}"


def stored_files(params):
    """The uploaded files, as the import page saved them in the default storage."""
    folder = import_folder(params["token"])
    files = []
    for name in params["names"]:
        try:
            with default_storage.open(f"{folder}/{name}") as stored:
                files.append(InputFile(name, stored.read()))
        except FileNotFoundError:
            raise JobRefused(
                _("%(name)s is no longer in storage: upload the files again.") % {"name": name}
            ) from None
    return files


def forget_files(params):
    folder = import_folder(params["token"])
    for name in params["names"]:
        default_storage.delete(f"{folder}/{name}")


def importer(job, progress, *, dry_run, before_commit=None):
    params, user = job.params, job.requested_by
    importer_class = IMPORTERS.get(params.get("importer"))
    if importer_class is None or user is None or not importer_class.allowed_for(user):
        raise JobRefused(_("The account that asked for this import may no longer run it."))
    listed_on = params.get("listed_on")
    return importer_class(
        dry_run=dry_run,
        user=user,
        skip_invalid=params.get("skip_invalid", False),
        publish=params.get("publish", False) and may_publish_every_type(user),
        progress=progress,
        before_commit=before_commit,
        **(
            {"listed_on": datetime.date.fromisoformat(listed_on) if listed_on else None}
            if importer_class.name == "287g"
            else {}
        ),
    )


def run_import(job, progress, *, dry_run, before_commit=None):
    files = stored_files(job.params)
    try:
        return importer(job, progress, dry_run=dry_run, before_commit=before_commit).run(files)
    except ImportRefused as error:
        raise JobRefused(
            _("The file was refused; nothing was written. %(reason)s") % {"reason": error}
        ) from None


def import_dry_run(job, progress):
    summary = run_import(job, progress, dry_run=True)
    if not summary.writes_good_rows:
        forget_files(job.params)  # nothing to confirm
    return summary.as_report()


def import_written(job, progress):
    if job.written_at is not None:
        # A run before this one was written, then stopped (while indexing, most likely).
        from policytracker.search.indexing import rebuild

        rebuild(progress=progress)
        report = dict(job.report or {})
        report["reindexed_after_retry"] = True
        forget_files(job.params)
        return report

    def note_written(summary):
        # In the import's own transaction: committed with what it wrote, or not at all.
        Job.objects.filter(pk=job.pk).update(written_at=timezone.now(), report=summary.as_report())

    summary = run_import(job, progress, dry_run=False, before_commit=note_written)
    report = summary.as_report()
    if job.confirms is not None and job.confirms.report:
        said = Summary.from_report(job.confirms.report)
        report["as_dry_run_said"] = same_counts(said, summary)
    if summary.written or not summary.writes_good_rows:
        forget_files(job.params)
    return report


def same_counts(first, second):
    return sorted(first.table) == sorted(second.table) and len(first.rejected) == len(
        second.rejected
    )


# --- The search index and exports ------------------------------------------------------------


def rebuild_search_index(job, progress):
    from policytracker.search.indexing import rebuild

    counts = rebuild(progress=progress)
    return {"indexed": {str(record_type.label): count for record_type, count in counts.items()}}


def bulk_export(job, progress):
    from policytracker.exports.files import write_export_file

    if job.requested_by is None:
        raise JobRefused(_("The account that asked for this export is gone."))
    stored, counts = write_export_file(
        job.params["export"],
        job.params["format"],
        user=job.requested_by,
        progress=progress,
        folder=f"exports/job-{job.pk}",
    )
    if job.output and job.output != stored:
        default_storage.delete(job.output)  # an earlier attempt's file
    Job.objects.filter(pk=job.pk).update(output=stored)
    return {"rows": counts, "file": stored.rsplit("/", 1)[-1]}


RUNNERS = {
    JobKind.IMPORT_DRY_RUN: import_dry_run,
    JobKind.IMPORT: import_written,
    JobKind.SEARCH_INDEX: rebuild_search_index,
    JobKind.EXPORT: bulk_export,
}
