"""Permalinks to a record's published revisions, and what the "Cite this page" box says.

A revision's number is the id django-simple-history gave its history row (`history_id`):
it never changes and is never reused, whatever is written later, so `…/<slug>/?revision=N`
keeps showing the same text. It is the number the record's page of changes, its download
and the feed of changes give each revision. The revisions open to all are those the page of
changes lists (`policytracker.revisions.record_revisions`): a draft, a revision still in
review, another record's, or one that changed nothing is not found (404). A source has no
publication state: each of its saved versions is a revision.

A record shown at a revision has its own fields as that history row holds them. Its sources
are its citations as they stood until the next public revision replaced this one (the
citations' own history), each source as it is now; every other record and list on the page
is as it is today, and the page says so.
"""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from policytracker.history import tracked_fields
from policytracker.models import Citation, PublicationState, Source, SourceKind
from policytracker.publisher import site_name
from policytracker.revisions import public_revisions

REVISION_PARAM = "revision"
# The largest id a history row can have (a 64-bit column): a larger number names none.
LARGEST_NUMBER = 2**63 - 1


class BadRevision(ValueError):
    """`?revision=` is not one positive whole number: the message says what is wrong."""


def requested_revision(query):
    """The revision number `query` (request.GET) asks for; None when it asks for none."""
    values = query.getlist(REVISION_PARAM)
    if not values:
        return None
    if len(values) > 1:
        raise BadRevision(_("Give one revision number, not %(count)s.") % {"count": len(values)})
    value = values[0].strip()
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise BadRevision(
            _(
                "The revision must be a positive whole number, such as 12 (a number the "
                "record's page of changes gives); “%(value)s” is not one."
            )
            % {"value": values[0][:40]}
        )
    return int(value)


def revisions_of(model):
    """The revisions of a record type that can be cited, newest first."""
    if model is Source:
        return Source.history.exclude(history_type="-").order_by("-history_date", "-history_id")
    return public_revisions(model)


def with_current_revision(queryset):
    """Annotate each record with its newest revision that can be cited: its number
    (`current_revision_number`) and when it was made (`current_revision_date`). No query of
    its own: two subqueries of the records' query."""
    newest = revisions_of(queryset.model).filter(id=OuterRef("pk"))
    return queryset.annotate(
        current_revision_number=Subquery(newest.values("history_id")[:1]),
        current_revision_date=Subquery(newest.values("history_date")[:1]),
    )


@dataclass(frozen=True)
class Revision:
    """A revision as the pages and the API name it."""

    number: int
    date: datetime.datetime
    withdrawn: bool = False
    current: bool = True


def current_revision(record):
    """The record's newest revision (from `with_current_revision`), or None if it has none
    that can be cited (a draft, or a record written without history)."""
    number = getattr(record, "current_revision_number", None)
    if number is None:
        return None
    return Revision(number, record.current_revision_date, record_is_withdrawn(record))


def shown_revision(record):
    """The revision a page or API detail shows: the one asked for, else the current one."""
    return getattr(record, "shown_revision", None) or current_revision(record)


def record_is_withdrawn(record):
    return getattr(record, "publication_state", None) == PublicationState.WITHDRAWN


def show_revision(record, number, user):
    """Turn `record` (read with `with_current_revision`, and without its citations) into
    its revision `number`: its fields as they were, its citations as they stood until the
    next revision. Http404 when the record has no such revision that can be cited.

    Two queries: the revision (with the date of the next one) and the citations' history;
    and one for each record it named then that it no longer names, if any. A revision that
    names, where a record is required, one the reader may no longer see is not shown.
    """
    model = type(record)
    if number > LARGEST_NUMBER:
        raise Http404(_("There is no revision %(number)s of this record.") % {"number": number})
    revisions = revisions_of(model).filter(id=record.pk)
    later = revisions.filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    ).order_by("history_date", "history_id")
    row = (
        revisions.filter(history_id=number)
        .annotate(replaced_at=Subquery(later.values("history_date")[:1]))
        .first()
    )
    if row is None:
        raise Http404(_("There is no revision %(number)s of this record.") % {"number": number})
    record.current_is_withdrawn = record_is_withdrawn(record)
    named_then = {}
    for field in tracked_fields(model)[0]:
        if field.name == "slug":  # the address stays the record's current one
            continue
        value = getattr(row, field.attname)
        if field.is_relation and value != getattr(record, field.attname):
            record._state.fields_cache.pop(field.name, None)
            if value is not None:
                named_then[field] = value
        setattr(record, field.attname, value)
    for field, pk in named_then.items():
        # The record it named then, as it is now, if the reader may still see it: none in
        # its place when the field may be empty, else the revision is not shown (404).
        related = field.related_model._default_manager
        if hasattr(related, "visible_to"):
            related = related.visible_to(user, withdrawn=True)
        named = related.filter(pk=pk).first()
        if named is None and not field.null:
            raise Http404(
                _("Revision %(number)s names a record that is no longer public.")
                % {"number": number}
            )
        record._state.fields_cache[field.name] = named
    record.shown_revision = Revision(
        row.history_id,
        row.history_date,
        withdrawn=getattr(row, "publication_state", None) == PublicationState.WITHDRAWN,
        current=row.history_id == getattr(record, "current_revision_number", None),
    )
    if model is not Source:
        keep_as_prefetched(record, "citations", citations_until(record, row.replaced_at))
    return record


def citations_until(record, moment):
    """The record's citations as they stood just before `moment` (None: now), each with
    its source as it is now, in the order a record lists its sources
    (`CitationQuerySet.primary_first`). One query."""
    field = Citation.target_field_for(record)
    rows = Citation.history.filter(**{f"{field}_id": record.pk})
    if moment is not None:
        rows = rows.filter(history_date__lt=moment)
    newest = rows.filter(id=OuterRef("id")).order_by("-history_date", "-history_id")
    # A historical row's own "pk" is its history id: the citation's is "id".
    ordering = ["id" if term == "pk" else term for term in Citation._meta.ordering]
    standing = (
        rows.filter(history_id=Subquery(newest.values("history_id")[:1]))
        .exclude(history_type="-")
        .select_related("source")
        .order_by(SourceKind.primacy("source__kind"), *ordering)
    )
    citations = []
    for row in standing:
        citation = row.instance
        citation._state.fields_cache["source"] = row.source
        citations.append(citation)
    return citations


def keep_as_prefetched(record, relation, objects):
    """Make `record.<relation>.all()` give `objects`, as prefetch_related would, so that
    the page and the API read a revision's citations as they read the current ones."""
    queryset = getattr(record, relation).all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    record._prefetched_objects_cache = {
        **getattr(record, "_prefetched_objects_cache", {}),
        record._meta.get_field(relation).cache_name: queryset,
    }


def revision_url(url, number):
    return f"{url}?{REVISION_PARAM}={number}"


@dataclass(frozen=True)
class PageCitation:
    """What the "Cite this page" box says: the permalink, the access date and the text."""

    site_name: str
    title: str
    revision: Revision | None
    url: str  # the permalink, in full; the page's address when it has no revision
    current_url: str
    accessed: datetime.date

    @property
    def text(self):
        """The citation in plain text, in the reader's language and date format."""
        values = {
            "site": self.site_name,
            "title": self.title,
            "url": self.url,
            "accessed": date_format(self.accessed, "DATE_FORMAT"),
        }
        if self.revision is None:
            return _("%(site)s. “%(title)s.” %(url)s. Accessed %(accessed)s.") % values
        values.update(
            number=self.revision.number,
            date=date_format(timezone.localtime(self.revision.date), "DATE_FORMAT"),
        )
        if self.revision.withdrawn:
            return (
                _(
                    "%(site)s. “%(title)s.” Revision %(number)s, withdrawn %(date)s. %(url)s. "
                    "Accessed %(accessed)s."
                )
                % values
            )
        return (
            _(
                "%(site)s. “%(title)s.” Revision %(number)s, published %(date)s. %(url)s. "
                "Accessed %(accessed)s."
            )
            % values
        )


def page_citation(request, record):
    """How to cite the page of `record` as it is shown (its revision, if asked for)."""
    revision = shown_revision(record)
    page = record.get_absolute_url()
    url = revision_url(page, revision.number) if revision else page
    return PageCitation(
        site_name=site_name(),
        # The title as the page shows it: in Spanish on a Spanish page where there is one.
        title=record.text_in("title")[0] if hasattr(record, "text_in") else str(record),
        revision=revision,
        url=request.build_absolute_uri(url),
        current_url=page,
        accessed=timezone.localdate(),
    )
