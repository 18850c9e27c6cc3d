"""What an export writes: its columns, each with the description the data dictionary shows.

A Column reads one value from a record. Its value is plain data: text, a number, a list of
slugs, or None for nothing. The writers in streaming.py turn it into a CSV cell or a JSON
value, so one column list serves both formats.

An ExportSpec lists the columns of one record type, in order, and says which relations to
load with it so that an export of any size makes the same number of queries per chunk. Each
column names the model fields it writes (`fields`), so that a test can check that every
stored field reaches the export (and fail when a field is added without a column).

A record type has one column set, its ExportSpec's: its list page's download, the API's, the
bulk download on /data/ and a search for that type all write it, and the API's serializer
takes its field names from it (tests/test_export_columns.py holds them to that).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Prefetch
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from policytracker.language import without_language
from policytracker.models import PublicationState


@dataclass(frozen=True)
class Column:
    """One column: its `name` (the CSV header and the JSON key), the data dictionary's
    `description`, and `get(record, request)`, which returns the value.

    `request` builds absolute URLs; it may be None, and then URLs are site-relative.
    """

    name: str
    description: str
    get: Callable[[Any, Any], Any]
    fields: tuple[str, ...] = ()  # the model fields this column writes


def attribute(name, description, *, attr=None):
    """A stored value as it is: text, or a number. `attr` when it differs from the name."""
    attr = attr or name
    return Column(name, description, lambda record, request: getattr(record, attr), (attr,))


def _choice_codes(choices):
    return "; ".join(f"{value} ({label})" for value, label in choices.choices)


# Evaluated when shown, so that the labels are in the reader's language.
choice_codes = lazy(_choice_codes, str)


def choice(name, description, choices):
    """A stored choice's code ("in_force"); the dictionary lists every code and its label."""
    return Column(
        name,
        format_lazy(
            _("{description} One of: {codes}."),
            description=description,
            codes=choice_codes(choices),
        ),
        lambda record, request: getattr(record, name),
        (name,),
    )


def related_slug(name, description):
    """A foreign key, written as the related record's slug; None when it is empty."""

    def get(record, request):
        related = getattr(record, name)
        return related.slug if related is not None else None

    return Column(name, description, get, (name,))


def related_slugs(name, description):
    """A many-to-many relation as the related records' slugs, sorted so output is stable.

    Reads the prefetched relation (ExportSpec.prefetch names it): no query per record.
    """

    def get(record, request):
        return sorted(related.slug for related in getattr(record, name).all())

    return Column(name, description, get, (name,))


def precise_date(name, date_field, description):
    """A date with its precision as one ISO 8601 prefix: "2012", "2012-09" or "2012-09-14".

    `name` is the model's PreciseDateAccessor for `date_field` (`adopted` for `adopted_on`).
    """

    def get(record, request):
        value = getattr(record, name)
        return value.isoformat() if value else None

    return Column(
        name,
        format_lazy(
            _(
                "{description} Written as precisely as the source gives it: YYYY, YYYY-MM "
                "or YYYY-MM-DD. Empty when the sources do not say."
            ),
            description=description,
        ),
        get,
        (date_field, f"{date_field}_precision"),
    )


def plain_date(name, description):
    """A date known to the day, as YYYY-MM-DD."""

    def get(record, request):
        value = getattr(record, name)
        return value.isoformat() if value is not None else None

    return Column(name, format_lazy(_("{} YYYY-MM-DD."), description), get, (name,))


def timestamp(name, description, *, attr=None):
    """A moment, in ISO 8601 with the site's UTC offset, to the microsecond. `attr` when it
    differs from the name."""
    attr = attr or name

    def get(record, request):
        value = getattr(record, attr)
        return timezone.localtime(value).isoformat() if value is not None else None

    description = format_lazy(_("{} ISO 8601 date and time, with its UTC offset."), description)
    return Column(name, description, get, (attr,))


def absolute_url(url, request):
    """A page's address as the files give it: without a language prefix, whatever the
    language of the request; in full when there is a request."""
    url = without_language(url)
    return request.build_absolute_uri(url) if request is not None else url


def html_url(description):
    """The record's public page on this site: the address to cite. Named as in the API."""
    return Column(
        "html_url",
        description,
        lambda record, request: absolute_url(record.get_absolute_url(), request),
    )


def spanish_text_columns():
    """The Spanish title and summary of a record that has them (SpanishText), after its
    title."""
    return (
        attribute("title_es", _("Its title in Spanish; empty when it has none.")),
        attribute("summary_es", _("Its summary in Spanish; empty when it has none.")),
    )


def record_columns():
    """The columns every public record ends with, after its own."""
    return (
        attribute("summary", _("A plain-language summary, in a neutral voice.")),
        choice(
            "publication_state",
            _("Whether the record is public. Public downloads hold published records only."),
            PublicationState,
        ),
        html_url(_("The address of the record's page on this site: cite this address.")),
        timestamp("created_at", _("When the record was first entered on this site.")),
        timestamp("updated_at", _("When the record was last changed on this site.")),
    )


def record_excluded_fields():
    """The fields every record type's export leaves out, each with the reason."""
    return {
        "id": _("A number internal to the database; the slug is the key."),
        "version": _("A count of saves that guards against concurrent edits."),
        "review_flags": _(
            "Staff's notes of values an importer could not read; the value is left empty."
        ),
    }


@dataclass(frozen=True)
class ExportSpec:
    """How one record type is exported.

    name: the file name's stem and the URL namespace of its pages ("ordinances").
    title, description: how the bulk download page introduces it.
    select_related, prefetch: the relations the columns read, loaded once per chunk.
    defer: large fields of related records the columns do not read.
    annotate: `annotate(queryset, user)` adds the values a column computes in the database
        (a source's citation_count), or None.
    excluded_fields: model fields deliberately left out, each with the reason (by default
        the database id: a public record is known by its slug).
    former_names: {name in files written before: its name now}, for the importer (by
        default a record's page_url, now html_url as in the API).
    """

    name: str
    model: type[Model]
    title: str
    description: str
    columns: tuple[Column, ...]
    select_related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    defer: tuple[str, ...] = ()
    annotate: Callable[[Any, Any], Any] | None = None
    excluded_fields: dict[str, str] = field(default_factory=lambda: record_excluded_fields())
    former_names: dict[str, str] = field(default_factory=lambda: {"page_url": "html_url"})

    @property
    def names(self):
        """The column names, in order: the CSV header, the JSON keys, the API's fields."""
        return tuple(column.name for column in self.columns)

    def column(self, name):
        """The column called `name`, or None."""
        return next((column for column in self.columns if column.name == name), None)

    def prepare(self, queryset, user=None):
        """`queryset` with what the columns read: a constant number of queries per chunk.

        Many-to-many relations keep to the related records `user` may see, as on the
        record's page (prefetch_visible): an anonymous download never names a draft.
        """
        queryset = queryset.select_related(*self.select_related).defer(*self.defer)
        prefetches = []
        for name in self.prefetch:
            related = self.model._meta.get_field(name).related_model
            # The slug is all a column reads: leave long texts in the database, and the
            # order to the column, which sorts.
            visible = related._default_manager.visible_to(user).only("slug").order_by()
            prefetches.append(Prefetch(name, queryset=visible))
        if self.annotate is not None:
            queryset = self.annotate(queryset, user)
        return queryset.prefetch_related(*prefetches)

    def covered_fields(self):
        return {name for column in self.columns for name in column.fields}
