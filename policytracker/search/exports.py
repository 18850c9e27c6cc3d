"""A search's results as a file: the columns, and what each means for the data page."""

from django.utils.translation import gettext_lazy as _

from policytracker.exports.columns import Column, absolute_url, related_slug
from policytracker.search.models import RecordType


def _date(entry, request):
    return entry.when.isoformat() if entry.when else None


SEARCH_COLUMNS = (
    Column(
        "type",
        _("The record type: %s.") % "; ".join(RecordType.values),
        lambda entry, request: entry.record_type,
    ),
    Column(
        "slug",
        _("The record's slug, its id on this site; empty for a source (its url names it)."),
        lambda entry, request: entry.slug or None,
    ),
    Column("title", _("The record's or source's title or name."), lambda e, r: e.title),
    Column(
        "url",
        _("The record's page on this site."),
        lambda entry, request: absolute_url(entry.get_absolute_url(), request),
    ),
    related_slug("jurisdiction", _("The slug of the place the record belongs to or is about.")),
    Column(
        "jurisdiction_name",
        _("That place's name."),
        lambda entry, request: entry.jurisdiction.name if entry.jurisdiction else None,
    ),
    related_slug(
        "agency", _("The slug of the agency the record is, or that issued, signed or said it.")
    ),
    Column("kind", _("The record's kind, as in its own export."), lambda e, r: e.kind or None),
    Column(
        "status", _("The record's status, as in its own export."), lambda e, r: e.status or None
    ),
    Column(
        "date",
        _(
            "The record's main date (adopted, signed or said; a source's publication), as "
            'precise as its sources: "2012", "2012-09" or "2012-09-14".'
        ),
        _date,
    ),
    Column(
        "updated_at",
        _("When the record last changed (ISO 8601, UTC)."),
        lambda entry, request: entry.updated_at.isoformat(),
    ),
)
