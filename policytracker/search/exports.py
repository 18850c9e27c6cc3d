"""A search's results as a file, in the search's order, with the columns of their type.

A search for one record type (`?type=agreement`) writes that type's own columns, those of
its list page's download, of the bulk download and of the API: a journalist gets from a
search every column of the records it found. A search over several types writes the columns
every type has, each as that type's file writes it, after the result's type and title; the
data page's dictionary says so.

The records are read a chunk of results at a time: one query per record type in the results
(and, for one type, its export's prefetches) per chunk, whatever the number of results.
"""

from itertools import islice

from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agreements.exports import AGREEMENT_EXPORT, STATEMENT_EXPORT
from jurisdictions.exports import AGENCY_EXPORT, JURISDICTION_EXPORT, ORDINANCE_EXPORT
from policytracker.exports.columns import Column
from policytracker.exports.sources import SOURCE_EXPORT
from policytracker.search.models import RecordType

# Each record type's own export: its columns are those of a search for that type.
TYPE_EXPORTS = {
    RecordType.JURISDICTION: JURISDICTION_EXPORT,
    RecordType.AGENCY: AGENCY_EXPORT,
    RecordType.ORDINANCE: ORDINANCE_EXPORT,
    RecordType.AGREEMENT: AGREEMENT_EXPORT,
    RecordType.STATEMENT: STATEMENT_EXPORT,
    RecordType.SOURCE: SOURCE_EXPORT,
}
MODEL_TYPES = {export.model: record_type for record_type, export in TYPE_EXPORTS.items()}
# Records read at a time: each type's in one query.
CHUNK_SIZE = 500


def _type_of(record, request):
    return MODEL_TYPES[type(record)].value


def _as_its_type_writes(name):
    """The column `name` of every type's export, written for each record by its own type's."""
    by_model = {export.model: export.column(name) for export in TYPE_EXPORTS.values()}
    first = by_model[JURISDICTION_EXPORT.model]
    return Column(
        name,
        first.description,
        lambda record, request: by_model[type(record)].get(record, request),
    )


def _shared_names():
    """The names of the columns every type's export has, in the first type's order."""
    exports = list(TYPE_EXPORTS.values())
    return [name for name in exports[0].names if all(name in e.names for e in exports[1:])]


# A jurisdiction and an agency have a name, the others a title: the name they are listed by.
TITLE_COLUMNS = {
    export.model: export.column("title") or export.column("name")
    for export in TYPE_EXPORTS.values()
}

MIXED_COLUMNS = (
    Column(
        "type",
        format_lazy(
            _("The result's record type: {types}. Its file has the columns of that type."),
            types=", ".join(RecordType.values),
        ),
        _type_of,
    ),
    Column(
        "title",
        _(
            "The result's title, as its type's file gives it: a jurisdiction's or an "
            "agency's name (the name column of its file), any other record's or a "
            "source's title."
        ),
        lambda record, request: TITLE_COLUMNS[type(record)].get(record, request),
    ),
    *(_as_its_type_writes(name) for name in _shared_names()),
)


def search_columns(record_type):
    """The columns of a search for `record_type`, or of a search over every type (None)."""
    if record_type:
        return TYPE_EXPORTS[RecordType(record_type)].columns
    return MIXED_COLUMNS


def _mixed_only(export):
    """The fields the mixed columns read of `export`'s records, and a record's slug (its
    address holds it): long texts stay in the database."""
    wanted = {TITLE_COLUMNS[export.model].name, *_shared_names()}
    read = {field for column in export.columns if column.name in wanted for field in column.fields}
    if any(field.name == "slug" for field in export.model._meta.concrete_fields):
        read.add("slug")
    return sorted(read)


def result_records(search, record_type, user, chunk_size=None):
    """The record (or source) of every result of `search`, in its order.

    Each chunk of results reads the records of each type found, in one query per type: for
    a search of one type (`record_type`), prepared for that type's export (with its
    prefetches); else with only the fields of the columns every type shares.
    """
    if not search.count:
        return
    found_types = [RecordType(value) for value, _label, _n in search.summary["facets"]["type"]]
    ids = iter(search.ordered_ids())
    while chunk := list(islice(ids, chunk_size or CHUNK_SIZE)):
        by_entry = {}
        for found in found_types:
            export = TYPE_EXPORTS[found]
            records = export.model._default_manager.filter(search_entry__in=chunk)
            if record_type:
                records = export.prepare(records, user=user)
            else:
                records = records.only(*_mixed_only(export))
            records = records.annotate(result_entry_id=F("search_entry__pk")).order_by()
            by_entry.update((record.result_entry_id, record) for record in records)
        yield from (by_entry[pk] for pk in chunk if pk in by_entry)
