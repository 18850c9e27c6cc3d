"""Long work done off the request by a worker: imports, the search index's rebuild, bulk
exports. A Job is what staff see of it in the admin; the task queue (policytracker/jobs/
tasks.py) only carries its id."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    IMPORT_DRY_RUN = "import_dry_run", _("Import: dry run")
    IMPORT = "import", _("Import")
    SEARCH_INDEX = "search_index", _("Search index rebuild")
    EXPORT = "export", _("Bulk export")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")

    @property
    def is_finished(self):
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    params = models.JSONField(
        _("parameters"),
        default=dict,
        blank=True,
        help_text=_("What the job was asked to do: the importer, its files and options…"),
    )
    progress_done = models.PositiveBigIntegerField(_("done"), default=0)
    progress_total = models.PositiveBigIntegerField(
        _("out of"), null=True, blank=True, help_text=_("Blank while the total is not known.")
    )
    progress_message = models.CharField(
        _("step"), max_length=200, blank=True, help_text=_("What the worker is doing now.")
    )
    report = models.JSONField(
        _("report"), null=True, blank=True, help_text=_("What the job did, once it has done it.")
    )
    error = models.TextField(_("error"), blank=True, help_text=_("Why it failed."))
    output = models.CharField(
        _("file"),
        max_length=300,
        blank=True,
        help_text=_("The file it wrote, in the site's storage (exports)."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,  # the record of the job outlives the account
        null=True,
        blank=True,
        related_name="jobs",
    )
    confirms = models.ForeignKey(
        "self",
        verbose_name=_("confirms the dry run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="confirmations",
        help_text=_("The dry run whose files and options this import writes."),
    )
    task_id = models.CharField(
        _("task id"), max_length=64, blank=True, help_text=_("Its latest run's id in the queue.")
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=1, help_text=_("Runs asked for: the first, then each retry.")
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    updated_at = models.DateTimeField(
        _("last word from the worker"), auto_now=True, help_text=_("Its latest progress.")
    )
    written_at = models.DateTimeField(
        _("written"),
        null=True,
        blank=True,
        help_text=_(
            "When an import's writes were committed: set in the import's own transaction, so "
            "it is there exactly when they are."
        ),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        permissions = [
            ("rebuild_search_index", _("Can rebuild the search index")),
            ("export_dataset", _("Can export the whole dataset")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="job_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values), name="job_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress_total__isnull=True)
                | Q(progress_done__lte=F("progress_total")),
                name="job_progress_within_total",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True)
                | Q(started_at__isnull=True)
                | Q(finished_at__gte=F("started_at")),
                name="job_finished_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED])
                | Q(finished_at__isnull=False),
                name="job_finished_has_time",
            ),
            models.CheckConstraint(condition=Q(attempts__gte=1), name="job_attempts_positive"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_time")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("admin:jobs_job_change", args=[self.pk])

    @property
    def is_finished(self):
        return JobStatus(self.status).is_finished

    @property
    def percent(self):
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def may_retry(self):
        """A job that failed, or that a worker took and never finished (killed, or the
        machine restarted), may be run again: an import writes in one transaction and a
        second run of the same files is harmless; the others write each piece afresh."""
        return self.status != JobStatus.SUCCEEDED
