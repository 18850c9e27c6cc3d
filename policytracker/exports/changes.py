"""The columns of the changes pages' downloads: one row per public revision a page lists.

A row says what the page's row says: when, which record (its type, slug, name then and
page), what happened, which of its columns changed and why; and who made the change only
where the pages name staff (HISTORY_SHOW_STAFF_NAMES), never otherwise.
"""

from functools import cache

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agreements.exports import AGREEMENT_EXPORT, STATEMENT_EXPORT
from jurisdictions.exports import AGENCY_EXPORT, JURISDICTION_EXPORT, ORDINANCE_EXPORT
from policytracker.exports.columns import Column, absolute_url, choice_codes, timestamp
from policytracker.history import ChangeKind
from policytracker.permalinks import revision_url
from policytracker.revisions import show_staff_names

RECORD_EXPORTS = {
    export.model: export
    for export in (
        JURISDICTION_EXPORT,
        AGENCY_EXPORT,
        ORDINANCE_EXPORT,
        AGREEMENT_EXPORT,
        STATEMENT_EXPORT,
    )
}


@cache
def column_names(model):
    """{model field: the name of the column of the record type's file that writes it}."""
    return {
        field: column.name for column in RECORD_EXPORTS[model].columns for field in column.fields
    }


def changed_columns(revision, request):
    """The fields the page names as changed, as the record type's file names its columns
    (`signed_on` and its precision are `signed`)."""
    names = column_names(revision.instance_type)
    changed = [names.get(field, field) for field in revision.shown_changed_fields()]
    return list(dict.fromkeys(changed))


def record_page(revision, request):
    """The record's page, as the changes page links it; none for a deleted record."""
    if revision.history_type == "-":
        return None
    return absolute_url(revision.instance.get_absolute_url(), request)


def revision_page(revision, request):
    """The permalink of the revision: the record's page as it was then; none for a record
    deleted."""
    if revision.history_type == "-":
        return None
    url = revision_url(revision.instance.get_absolute_url(), revision.history_id)
    return absolute_url(url, request)


def changed_by(revision, request):
    user = revision.history_user
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


CHANGE_COLUMNS = (
    timestamp("when", _("When the change was made."), attr="history_date"),
    Column(
        "revision",
        _(
            "The revision's number: its page is the record's page with ?revision= and this "
            "number, which keeps showing the record as this revision had it."
        ),
        lambda revision, request: revision.history_id,
    ),
    Column(
        "record_type",
        _(
            "The type of the record changed: jurisdiction, agency, ordinance, agreement or "
            "statement."
        ),
        lambda revision, request: revision.instance_type._meta.model_name,
    ),
    Column(
        "record_slug",
        _("The record's slug then, in that type's download (a slug changed since redirects)."),
        lambda revision, request: revision.slug,
    ),
    Column(
        "record",
        _("The record's name or title then."),
        lambda revision, request: str(revision.instance),
    ),
    Column(
        "html_url",
        _("The address of the record's page on this site; empty for a record deleted."),
        record_page,
    ),
    Column(
        "revision_url",
        _("The address of the record's page as this revision had it; empty for a deletion."),
        revision_page,
    ),
    Column(
        "change",
        format_lazy(
            _("What happened to the record. One of: {codes}."), codes=choice_codes(ChangeKind)
        ),
        lambda revision, request: revision.change_code().value,
    ),
    Column(
        "fields_changed",
        _(
            "The columns of the record's download whose values changed since its previous "
            "public version; empty when it was first published, published again, withdrawn "
            "or deleted with no other change."
        ),
        changed_columns,
    ),
    Column(
        "reason",
        _("Why the change was made, as staff noted it; empty when they did not say."),
        lambda revision, request: revision.history_change_reason,
    ),
)
# Only where the site names staff on its pages.
BY_COLUMN = Column("by", _("Who made the change."), changed_by)


def change_columns():
    """The columns the changes pages show: who made a change only where they name staff."""
    return (*CHANGE_COLUMNS, BY_COLUMN) if show_staff_names() else CHANGE_COLUMNS
