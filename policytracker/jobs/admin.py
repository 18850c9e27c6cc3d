"""The jobs in the admin: a list, and a page per job that follows it while it runs (it
reloads itself, without JavaScript), with its report, its error, and what can be done next:
retry, confirm a dry run, download an export. The list's page also starts the search
index's rebuild and bulk exports."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from policytracker.exports.files import FORMATS, export_choices
from policytracker.importers.base import Summary
from policytracker.importers.registry import IMPORTERS
from policytracker.jobs.models import Job, JobKind, JobStatus
from policytracker.jobs.services import job_retry, job_start

# The queue's own rows are its workers' business: staff follow the work through the jobs.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)

# Seconds between two reloads of a job's page while it is queued or running.
REFRESH_SECONDS = 3


class ExportForm(forms.Form):
    export = forms.ChoiceField(label=gettext_lazy("Records"), choices=export_choices)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[(name, name.upper()) for name in FORMATS]
    )


def may_see(user, job):
    return job.requested_by_id == user.pk or user.has_perm("jobs.view_job")


def may_retry(user, job):
    return job.may_retry and (job.requested_by_id == user.pk or user.has_perm("jobs.change_job"))


def may_confirm(user, job):
    """A dry run whose import would write something, not confirmed yet, by whoever asked for
    it (the import runs as them)."""
    if job.kind != JobKind.IMPORT_DRY_RUN or job.status != JobStatus.SUCCEEDED:
        return False
    if job.requested_by_id != user.pk or not job.report:
        return False
    importer = IMPORTERS.get(job.params.get("importer"))
    return (
        importer is not None
        and importer.allowed_for(user)
        and Summary.from_report(job.report).writes_good_rows
    )


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "progress", "requested_by", "created_at", "finished_at")
    list_filter = ("kind", "status")
    list_select_related = ("requested_by",)
    search_fields = ("requested_by__username", "progress_message", "error")
    date_hierarchy = "created_at"
    actions = ["retry_selected"]

    # Jobs are started by the pages that ask for them, never added or edited by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if not self.has_module_permission(request):
            return False
        return obj is None or may_see(request.user, obj)

    def get_queryset(self, request):
        jobs = super().get_queryset(request)
        if request.user.has_perm("jobs.view_job"):
            return jobs
        return jobs.filter(requested_by=request.user)

    def get_actions(self, request):
        # Django offers actions only to those with a permission named by one; a staff member
        # may retry their own jobs.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, job):
        if job.is_finished:
            return job.progress_message
        if job.progress_total:
            return f"{job.progress_message}: {job.progress_done:,} / {job.progress_total:,}"
        if job.progress_done:
            return f"{job.progress_message}: {job.progress_done:,}"
        return job.progress_message or _("Waiting for a worker")

    @admin.action(description=gettext_lazy("Run the selected jobs again"))
    def retry_selected(self, request, queryset):
        retried = 0
        for job in queryset:
            if may_retry(request.user, job):
                try:
                    job_retry(job=job)
                except ValidationError:
                    continue
                retried += 1
        self.message_user(
            request,
            _("%(count)d jobs queued again (those that succeeded are left as they are).")
            % {"count": retried},
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:job_id>/retry/", view(self.retry_view), name="jobs_job_retry"),
            path("<int:job_id>/confirm/", view(self.confirm_view), name="jobs_job_confirm"),
            path("<int:job_id>/download/", view(self.download_view), name="jobs_job_download"),
            path("search-index/", view(self.search_index_view), name="jobs_job_search_index"),
            path("export/", view(self.export_view), name="jobs_job_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        user = request.user
        extra_context = {
            **(extra_context or {}),
            "may_rebuild_index": user.has_perm("jobs.rebuild_search_index"),
            "export_form": ExportForm() if user.has_perm("jobs.export_dataset") else None,
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = get_object_or_404(
            Job.objects.select_related("requested_by", "confirms"), pk=object_id
        )
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        summary = None
        if job.report and job.kind in (JobKind.IMPORT_DRY_RUN, JobKind.IMPORT):
            summary = Summary.from_report(job.report)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(job),
            "job": job,
            "original": job,
            "summary": summary,
            "confirmed_by": job.confirmations.order_by("pk").first(),
            "refresh_seconds": None if job.is_finished else REFRESH_SECONDS,
            "may_retry": may_retry(request.user, job),
            "may_confirm": may_confirm(request.user, job),
            "may_download": job.output and self.may_download(request.user, job),
        }
        return TemplateResponse(request, "admin/jobs/job/detail.html", context)

    @staticmethod
    def may_download(user, job):
        return job.status == JobStatus.SUCCEEDED and (
            job.requested_by_id == user.pk or user.is_superuser
        )

    def retry_view(self, request, job_id):
        if request.method != "POST":
            return redirect("admin:jobs_job_change", job_id)
        job = get_object_or_404(Job, pk=job_id)
        if not may_retry(request.user, job):
            raise PermissionDenied
        try:
            job_retry(job=job)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        return redirect("admin:jobs_job_change", job.pk)

    def confirm_view(self, request, job_id):
        if request.method != "POST":
            return redirect("admin:jobs_job_change", job_id)
        dry_run = get_object_or_404(Job, pk=job_id)
        if not may_confirm(request.user, dry_run):
            raise PermissionDenied
        existing = dry_run.confirmations.order_by("pk").first()
        if existing is not None:  # confirmed already (the button pressed twice)
            return redirect("admin:jobs_job_change", existing.pk)
        job = job_start(
            kind=JobKind.IMPORT, params=dry_run.params, user=request.user, confirms=dry_run
        )
        return redirect("admin:jobs_job_change", job.pk)

    def download_view(self, request, job_id):
        job = get_object_or_404(Job, pk=job_id)
        if not job.output or not self.may_download(request.user, job):
            raise Http404
        try:
            stored = default_storage.open(job.output)
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(stored, as_attachment=True, filename=job.output.rsplit("/", 1)[-1])

    def search_index_view(self, request):
        if request.method != "POST":
            return redirect("admin:jobs_job_changelist")
        if not request.user.has_perm("jobs.rebuild_search_index"):
            raise PermissionDenied
        job = job_start(kind=JobKind.SEARCH_INDEX, params={}, user=request.user)
        return redirect("admin:jobs_job_change", job.pk)

    def export_view(self, request):
        if not request.user.has_perm("jobs.export_dataset"):
            raise PermissionDenied
        form = ExportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            job = job_start(kind=JobKind.EXPORT, params=form.cleaned_data, user=request.user)
            return redirect("admin:jobs_job_change", job.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Export the whole dataset"),
            "form": form,
            "list_url": reverse("admin:jobs_job_changelist"),
        }
        return TemplateResponse(
            request, "admin/jobs/job/export.html", context, status=400 if form.errors else 200
        )
