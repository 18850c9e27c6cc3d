"""Downloads: each list page's results as CSV or JSON, and the bulk download page."""

from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from agreements.exports import AGREEMENT_EXPORT, STATEMENT_EXPORT
from jurisdictions.exports import AGENCY_EXPORT, JURISDICTION_EXPORT, ORDINANCE_EXPORT
from policytracker.exports.changes import change_columns
from policytracker.exports.sources import (
    CITATION_EXPORT,
    SOURCE_EXPORT,
)
from policytracker.exports.streaming import FORMULA_STARTS, LIST_SEPARATOR, export_response
from policytracker.models import Citation, Source
from policytracker.revisions import following_renames
from policytracker.search.exports import MIXED_COLUMNS

# The record types of the bulk download page, in its order; sources and citations follow.
RECORD_EXPORTS = (
    JURISDICTION_EXPORT,
    AGENCY_EXPORT,
    ORDINANCE_EXPORT,
    AGREEMENT_EXPORT,
    STATEMENT_EXPORT,
)
# The documents, then the citations that link records to them: each export with the rows a
# user may have, and its route in this app ("exports:sources").
CITED_EXPORTS = (
    (SOURCE_EXPORT, Source.objects.cited_by_visible),
    (CITATION_EXPORT, Citation.objects.visible_to),
)
ALL_EXPORTS = (*RECORD_EXPORTS, *(export for export, _rows in CITED_EXPORTS))


def filter_errors_response(filterset):
    """400, in plain text: which query parameter is wrong, and why."""
    lines = [_("These filters could not be applied, so nothing was exported:")]
    for name, messages in filterset.errors.items():
        label = _("filters") if name == "__all__" else name
        lines += [f"{label}: {message}" for message in messages]
    return HttpResponseBadRequest(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )


class RecordExportView(View):
    """A list page's records as a file: the same FilterSet, sort and visibility as the page.

    `list_view` is the page's view class; its own `get_queryset()` filters, so a query
    string gives the same records here as on the page, all pages at once.
    """

    list_view = None
    export = None

    def get(self, request, file_format):
        list_view = self.list_view()
        list_view.setup(request)
        records = list_view.get_queryset()
        if list_view.filterset.errors:
            return filter_errors_response(list_view.filterset)
        rows = self.export.prepare(records, user=request.user)
        return export_response(file_format, rows, self.export.columns, self.export.name, request)


class CitedExportView(View):
    """The sources or the citations of the records the visitor may see (published ones, for
    the public), all at once.

    `export` is SOURCE_EXPORT or CITATION_EXPORT; `visible_to(user)` gives its rows.
    """

    export = None
    visible_to = None

    def get(self, request, file_format):
        rows = self.export.prepare(self.visible_to(request.user), user=request.user)
        return export_response(file_format, rows, self.export.columns, self.export.name, request)


class ChangesExportView(View):
    """A changes page's rows as a file: the page's own view picks them (`get_revisions()`),
    so the file lists what the page lists, every page of it, with the columns it shows.

    `page_view` is the page's view class: RecentChangesView, or RecordChangesView with the
    record type's `model` (whose address follows the record's renames, as the page's does).
    """

    page_view = None
    model = None

    def get(self, request, file_format, **kwargs):
        page = self.page_view(model=self.model) if self.model else self.page_view()
        page.setup(request, file_format=file_format, **kwargs)

        def respond():
            rows = page.get_revisions()
            stem = (
                f"changes-{self.model.url_namespace}-{page.record.slug}"
                if self.model
                else "changes"
            )
            return export_response(file_format, rows, change_columns(), stem, request)

        if self.model is None:
            return respond()
        return following_renames(request, self.model, kwargs["slug"], respond)


class DataView(TemplateView):
    """The bulk download page: a file per record type, and the data dictionary."""

    template_name = "data.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        downloads = [
            self.download(export, f"{export.name}:export", export.model.objects.visible_to(user))
            for export in RECORD_EXPORTS
        ]
        downloads += [
            self.download(export, f"exports:{export.name}", visible_to(user))
            for export, visible_to in CITED_EXPORTS
        ]
        return super().get_context_data(
            downloads=downloads,
            search_columns=MIXED_COLUMNS,
            change_columns=change_columns(),
            changes_url=reverse("changes"),
            list_separator=LIST_SEPARATOR.strip(),
            formula_starts=" ".join(FORMULA_STARTS),
            **kwargs,
        )

    @staticmethod
    def download(export, url_name, rows):
        return {
            "export": export,
            "count": rows.count(),
            "csv_url": reverse(url_name, kwargs={"file_format": "csv"}),
            "json_url": reverse(url_name, kwargs={"file_format": "json"}),
        }
