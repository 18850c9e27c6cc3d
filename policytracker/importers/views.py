"""The admin's import page: pick an importer and upload files; the dry run, then the import
once confirmed, run as background jobs (policytracker/jobs/).

The uploaded files wait in the default storage under imports/<token>/ for both; the jobs
hold the token, the file names and the options, so any worker and any application server
sharing the storage and the database can take them.
"""

import uuid

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from policytracker.importers.registry import IMPORTERS
from policytracker.jobs.models import JobKind
from policytracker.jobs.services import job_start
from policytracker.jobs.work import import_folder
from policytracker.publication import may_publish_every_type

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    importer = forms.ChoiceField(label=_("Importer"))
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "One or more files. OCD: states.csv and us_census_places.csv together; exports: "
            "each file named as the download names it (agencies-2026-01-31.csv)."
        ),
    )
    skip_invalid = forms.BooleanField(
        label=_("Write the valid rows even if some are rejected"),
        required=False,
        help_text=_(
            "Otherwise any rejected row means nothing is written (ICE's 287(g) list always "
            "writes its good rows)."
        ),
    )
    listed_on = forms.DateField(
        label=_("Date of ICE's list (287(g) only)"),
        required=False,
        help_text=_("YYYY-MM-DD. Default: a date in the file name, else today."),
    )

    publish = forms.BooleanField(
        label=_("Publish what this import writes"),
        required=False,
        help_text=_(
            "With the places and agencies it names that are still drafts, in one step. "
            "Nothing is written if one of them cites no source. Reviewers only."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish_every_type(user):
            del self.fields["publish"]
        self.fields["importer"].choices = [
            (name, importer.label)
            for name, importer in IMPORTERS.items()
            if importer.allowed_for(user)
        ]

    def clean_files(self):
        files = self.cleaned_data["files"]
        importer = IMPORTERS.get(self.data.get("importer"))
        for upload in files:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is larger than 50 MB.") % {"name": upload.name}
                )
            if importer and not upload.name.lower().endswith(importer.extensions):
                raise forms.ValidationError(
                    _("%(name)s: this importer reads %(kinds)s files.")
                    % {"name": upload.name, "kinds": ", ".join(importer.extensions)}
                )
        return files


def importer_for(name, user):
    importer = IMPORTERS.get(name)
    if importer is None or not importer.allowed_for(user):
        raise PermissionDenied
    return importer


@staff_member_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    """The upload form. A valid upload is saved to storage and its dry run queued as a
    background job; the job's page follows it, shows the report and offers to confirm."""
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["importer"].choices:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        importer_class = importer_for(form.cleaned_data["importer"], request.user)
        token = uuid.uuid4().hex
        names = []
        try:
            for upload in form.cleaned_data["files"]:
                stored = default_storage.save(f"{import_folder(token)}/{upload.name}", upload)
                names.append(stored.rsplit("/", 1)[1])
        except OSError:
            # A full disk: keep none of this import's files (the reader gets a 503).
            for name in names:
                default_storage.delete(f"{import_folder(token)}/{name}")
            raise
        listed_on = form.cleaned_data["listed_on"]
        job = job_start(
            kind=JobKind.IMPORT_DRY_RUN,
            params={
                "importer": importer_class.name,
                "token": token,
                "names": names,
                "skip_invalid": form.cleaned_data["skip_invalid"],
                "listed_on": listed_on.isoformat() if listed_on else None,
                "publish": form.cleaned_data.get("publish", False),
            },
            user=request.user,
        )
        return redirect("admin:jobs_job_change", job.pk)
    context = {
        **admin.site.each_context(request),
        "title": _("Import records"),
        "form": form,
    }
    return render(request, "admin/import.html", context, status=400 if form.errors else 200)
