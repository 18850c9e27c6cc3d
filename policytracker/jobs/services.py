"""Starting and retrying jobs: the admin's import page and job pages call these."""

import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from policytracker.jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)


def job_start(*, kind, params, user, confirms=None):
    """A new Job, queued for a worker once the current transaction commits."""
    job = Job(kind=kind, params=params, requested_by=user, confirms=confirms)
    job.full_clean()
    job.save()
    transaction.on_commit(partial(job_enqueue, job.pk, job.attempts))
    return job


def job_retry(*, job):
    """Queue `job` again, as a new attempt: a run of an earlier one still in the queue, or
    still going in a worker nobody can see, does nothing more once it notices."""
    if not job.may_retry:
        raise ValidationError(_("This job succeeded: there is nothing to run again."))
    updated = (
        Job.objects.filter(pk=job.pk, attempts=job.attempts)
        .exclude(status=JobStatus.SUCCEEDED)
        .update(
            attempts=F("attempts") + 1,
            status=JobStatus.QUEUED,
            error="",
            progress_done=0,
            progress_total=None,
            progress_message="",
            started_at=None,
            finished_at=None,
            updated_at=timezone.now(),
        )
    )
    if not updated:
        raise ValidationError(_("The job changed meanwhile: look at it again."))
    job.refresh_from_db()
    transaction.on_commit(partial(job_enqueue, job.pk, job.attempts))
    return job


def job_enqueue(job_id, attempt):
    """Hand attempt `attempt` of the job to the queue; a queue that cannot be reached fails
    the job, with the reason, rather than the request (it can be retried)."""
    try:
        from policytracker.jobs.tasks import run_job

        result = run_job.enqueue(job_id, attempt)
    except Exception as error:
        logger.exception("Job %s could not be queued", job_id)
        now = timezone.now()
        Job.objects.filter(pk=job_id, attempts=attempt, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED,
            error=_("It could not be queued: %(error)s") % {"error": error},
            finished_at=now,
            updated_at=now,
        )
        return None
    Job.objects.filter(pk=job_id, attempts=attempt).update(task_id=str(result.id)[:64])
    return result
