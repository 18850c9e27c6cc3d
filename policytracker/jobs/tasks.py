"""The one task the queue carries: run a Job (its kind says what it does, work.py how)."""

from django_tasks import task

from policytracker.jobs import work


@task()
def run_job(job_id, attempt):
    """Run attempt `attempt` of job `job_id`: a retried job's earlier attempts do nothing."""
    return work.run(job_id, attempt)
