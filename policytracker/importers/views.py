"""The admin's import page: pick an importer, upload files, read the dry run, confirm.

The uploaded files wait in the default storage under imports/<token>/ between the dry run
and the confirmation; the session remembers which token belongs to which user and options,
so the page works behind several application servers sharing storage and sessions.
"""

import datetime
import uuid

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from policytracker.importers.base import ImportRefused, InputFile
from policytracker.importers.registry import IMPORTERS
from policytracker.publication import may_publish_every_type

SESSION_KEY = "pending_imports"
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


def run_import(importer_class, files, options, *, dry_run, user=None):
    importer = importer_class(
        dry_run=dry_run,
        user=user,
        skip_invalid=options["skip_invalid"],
        publish=options.get("publish", False) and may_publish_every_type(user),
        **({"listed_on": options["listed_on"]} if importer_class.name == "287g" else {}),
    )
    try:
        return importer.run(files), None
    except ImportRefused as error:
        return None, str(error)


def stored_files(token, names):
    return [
        InputFile(name, default_storage.open(f"imports/{token}/{name}").read()) for name in names
    ]


def forget(request, token, names):
    for name in names:
        default_storage.delete(f"imports/{token}/{name}")
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


@staff_member_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    context = {**admin.site.each_context(request), "title": _("Import records")}
    if request.method == "POST" and "confirm" in request.POST:
        return confirm(request, context)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["importer"].choices:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        importer_class = importer_for(form.cleaned_data["importer"], request.user)
        uploads = form.cleaned_data["files"]
        files = [InputFile(upload.name, upload.read()) for upload in uploads]
        listed_on = form.cleaned_data["listed_on"]
        options = {
            "skip_invalid": form.cleaned_data["skip_invalid"],
            "listed_on": listed_on,
            "publish": form.cleaned_data.get("publish", False),
        }
        summary, refused = run_import(
            importer_class, files, options, dry_run=True, user=request.user
        )
        token = None
        if summary is not None and summary.writes_good_rows:
            token = uuid.uuid4().hex
            names = []
            try:
                for file in files:
                    name = default_storage.save(f"imports/{token}/{file.name}", _content(file))
                    names.append(name.rsplit("/", 1)[1])
            except OSError:
                # A full disk: keep none of this import's files (the reader gets a 503).
                for name in names:
                    default_storage.delete(f"imports/{token}/{name}")
                raise
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {
                "importer": importer_class.name,
                "names": names,
                "skip_invalid": options["skip_invalid"],
                "listed_on": listed_on.isoformat() if listed_on else None,
                "publish": options["publish"],
            }
            request.session[SESSION_KEY] = pending
        context.update(summary=summary, refused=refused, token=token)
    context["form"] = form
    return render(request, "admin/import.html", context)


def confirm(request, context):
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if pending is None:
        return redirect("admin-import")
    importer_class = importer_for(pending["importer"], request.user)
    files = stored_files(token, pending["names"])
    listed_on = pending["listed_on"]
    options = {
        "skip_invalid": pending["skip_invalid"],
        "listed_on": datetime.date.fromisoformat(listed_on) if listed_on else None,
        "publish": pending.get("publish", False),
    }
    summary, refused = run_import(importer_class, files, options, dry_run=False, user=request.user)
    forget(request, token, pending["names"])
    context.update(summary=summary, refused=refused, confirmed=True)
    return render(request, "admin/import.html", context)


def _content(file):
    from django.core.files.base import ContentFile

    return ContentFile(file.content)
