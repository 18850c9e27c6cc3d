"""Atom feeds of new and changed records: site-wide, per record type, per place.

`RecordFeed` is the base: it turns any list of published records (of any of the five
types, mixed) into Atom entries. A feed for another list subclasses it, overrides
`get_object()` (read and check the request; raise `BadFeedRequest` for a 400), `items()`,
`title()` and `link()`, and is mounted with `as_view()`.

Feeds are public whoever asks: they list published records only, even for staff, so one
URL gives everyone the same document.
"""

import datetime
import itertools
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from agreements.filters import AgreementFilterSet, StatementFilterSet
from agreements.models import Agreement, Statement
from jurisdictions.filters import AgencyFilterSet, JurisdictionFilterSet, OrdinanceFilterSet
from jurisdictions.models import Agency, Jurisdiction, Ordinance, places_within
from policytracker.permalinks import revision_url
from policytracker.revisions import ChangeSet, following_renames, recent_changes

# Entries per feed: enough to catch up after a few days away, small enough to stay fast.
FEED_SIZE = 50


@dataclass(frozen=True)
class RecordType:
    """A record type as feeds see it: its URL segment, list page and FilterSet."""

    name: str  # in /feeds/<name>/, the same word as the list page's URL
    model: type
    filterset_class: type
    select_related: tuple  # what `entry_context()` names

    @property
    def label(self):
        return capfirst(self.model._meta.verbose_name_plural)

    @property
    def list_url_name(self):
        return f"{self.name}:list"


RECORD_TYPES = {
    record_type.name: record_type
    for record_type in (
        RecordType("jurisdictions", Jurisdiction, JurisdictionFilterSet, ("parent",)),
        RecordType("agencies", Agency, AgencyFilterSet, ("jurisdiction",)),
        RecordType("ordinances", Ordinance, OrdinanceFilterSet, ("jurisdiction",)),
        RecordType("agreements", Agreement, AgreementFilterSet, ("local_party", "federal_party")),
        RecordType("statements", Statement, StatementFilterSet, ("speaker_agency",)),
    )
}


def record_type_of(model):
    return next(t for t in RECORD_TYPES.values() if t.model is model)


def published(record_type):
    """Published records of a type, newest change first, with what their entries name."""
    return (
        record_type.model.objects.published()
        .select_related(*record_type.select_related)
        .order_by("-updated_at", "-pk")
    )


def newest_first(querysets, limit=FEED_SIZE):
    """The newest `limit` records of several querysets: one query each, merged by date."""
    records = itertools.chain.from_iterable(queryset[:limit] for queryset in querysets)
    return sorted(
        records,
        key=lambda record: (record.updated_at, record._meta.model_name, record.pk),
        reverse=True,
    )[:limit]


def entry_context(record):
    """One line that places a record for a reader who sees it out of its list."""
    kind = record.get_kind_display() if hasattr(record, "get_kind_display") else ""
    if isinstance(record, Jurisdiction):
        where = record.parent.name if record.parent else ""
        return _("%(kind)s in %(place)s") % {"kind": kind, "place": where} if where else kind
    if isinstance(record, Agency | Ordinance):
        return _("%(kind)s of %(place)s") % {"kind": kind, "place": record.jurisdiction.name}
    if isinstance(record, Agreement):
        return _("%(kind)s between %(local)s and %(federal)s") % {
            "kind": kind,
            "local": record.local_party.display_name,
            "federal": record.federal_party.display_name,
        }
    if isinstance(record, Statement):
        return _("Statement by %(speaker)s") % {"speaker": record.speaker}
    return kind


class BadFeedRequest(Exception):
    """The request cannot make a feed (a bad filter): answered 400 with this message."""


class RecordFeed(Feed):
    """An Atom feed of records, newest change first. Subclasses say which (`items()`)."""

    feed_type = Atom1Feed
    limit = FEED_SIZE

    @classmethod
    def as_view(cls):
        """A view making one feed object per request, so `self.request` is never shared."""

        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        return view

    def __call__(self, request, *args, **kwargs):
        self.request = request
        try:
            return super().__call__(request, *args, **kwargs)
        except BadFeedRequest as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    def items(self, obj):
        raise NotImplementedError("A RecordFeed subclass says which records it lists.")

    # The feed itself.

    def author_name(self):
        return _("Policy tracker")  # Atom wants an author for the feed or for each entry

    def feed_url(self):
        return self.request.get_full_path()  # with its query string: a filtered feed's own URL

    def feed_guid(self):
        return self.request.build_absolute_uri()

    # Each entry.

    def item_title(self, item):
        return str(item)  # Atom titles are text: the XML writer escapes them

    def item_description(self, item):
        """The summary, as HTML (Atom's type="html"), under a line that places the record."""
        return format_html(
            "<p><em>{}</em></p>{}",
            entry_context(item),
            mark_safe(linebreaks(item.summary, autoescape=True)),  # escaped, then <p>
        )

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        categories = [capfirst(item._meta.verbose_name)]
        kind = item.get_kind_display() if hasattr(item, "get_kind_display") else None
        if kind and kind not in categories:  # an ordinance of the kind "Ordinance"
            categories.append(kind)
        return categories

    def item_guid(self, item):
        """A tag URI (RFC 4151) from the site, the day it was created, its type and id.

        Unlike its URL it survives a change of slug, so a reader updates the entry it has
        rather than showing the record again as new.
        """
        host = urlsplit(f"//{self.request.get_host()}").hostname
        created = item.created_at.astimezone(datetime.UTC).date().isoformat()
        return f"tag:{host},{created}:{item._meta.model_name}/{item.pk}"

    item_guid_is_permalink = False


class ChangesFeed(RecordFeed):
    """Every type of record, site-wide."""

    def title(self):
        return changes_feed_link()[1]

    def subtitle(self):
        return _("Jurisdictions, agencies, ordinances, agreements and statements, as they change.")

    def link(self):
        return reverse("home")

    def items(self):
        return newest_first([published(t) for t in RECORD_TYPES.values()], self.limit)


class RecordTypeFeed(RecordFeed):
    """One type of record, filtered by its list page's query string (`?jurisdiction=…`)."""

    def get_object(self, request, record_type):
        record_type = RECORD_TYPES[record_type]  # the URL pattern allows only these names
        # No request: the slug filters then accept published records only, as a feed shows.
        filterset = record_type.filterset_class(
            request.GET, queryset=published(record_type), request=None
        )
        if not filterset.is_valid():
            problems = [
                f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items()
            ]
            raise BadFeedRequest(
                _("These filters cannot make a feed. %(problems)s")
                % {"problems": " ".join(problems)}
            )
        return {"record_type": record_type, "filterset": filterset}

    def title(self, obj):
        label = obj["record_type"].label
        active = obj["filterset"].active_filters
        if not active:
            return _("%(records)s: new and changed") % {"records": label}
        filters = ", ".join(f"{name}: {self.request.GET.get(name)}" for name in active)
        return _("%(records)s (%(filters)s): new and changed") % {
            "records": label,
            "filters": filters,
        }

    def link(self, obj):
        url = reverse(obj["record_type"].list_url_name)
        query = self.request.GET.urlencode()
        return f"{url}?{query}" if query else url

    def items(self, obj):
        # Whatever `ordering` the query string asks, a feed is newest change first.
        return obj["filterset"].qs.order_by("-updated_at", "-pk")[: self.limit]


class PlaceFeed(RecordFeed):
    """A place and everything in it: the places inside it at any depth, and their records."""

    def __call__(self, request, *args, **kwargs):
        return following_renames(
            request,
            Jurisdiction,
            kwargs["slug"],
            lambda: super(PlaceFeed, self).__call__(request, *args, **kwargs),
            queryset=Jurisdiction.objects.published(),
        )

    def get_object(self, request, slug):
        return get_object_or_404(Jurisdiction.objects.published(), slug=slug)

    def title(self, obj):
        return place_feed_link(obj)[1]

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        places = places_within(obj)
        statements_about = Statement.about_jurisdictions.through.objects.filter(
            jurisdiction__in=places
        ).values("statement_id")
        querysets = [
            published(RECORD_TYPES["jurisdictions"]).filter(pk__in=places),
            published(RECORD_TYPES["agencies"]).filter(jurisdiction__in=places),
            published(RECORD_TYPES["ordinances"]).filter(jurisdiction__in=places),
            published(RECORD_TYPES["agreements"]).filter(local_party__jurisdiction__in=places),
            published(RECORD_TYPES["statements"]).filter(
                Q(pk__in=statements_about) | Q(speaker_agency__jurisdiction__in=places)
            ),
        ]
        return newest_first(querysets, self.limit)


# Where pages link their feed. Each returns the feed's URL and a title for the link.


def feed_params(query, dropped):
    """A page's query string as a feed's: less the parameters named, and empty boxes."""
    return [
        (name, value)
        for name, values in query.lists()
        if name not in dropped
        for value in values
        if value != ""  # an empty box of the filter form filters nothing
    ]


def list_feed_link(model, query):
    """The feed of a list page, with its filters (its query string less page and sort)."""
    record_type = record_type_of(model)
    url = reverse("feeds:records", kwargs={"record_type": record_type.name})
    params = feed_params(query, dropped=("page", "ordering"))
    if params:
        title = _("%(records)s matching these filters: new and changed")
        return f"{url}?{urlencode(params)}", title % {"records": record_type.label}
    return url, _("%(records)s: new and changed") % {"records": record_type.label}


def place_feed_link(place):
    url = reverse("feeds:place", kwargs={"slug": place.slug})
    return url, _("%(place)s and the places within it: new and changed records") % {
        "place": place.name
    }


def record_feed_link(record):
    """A detail page's feed: its place's, or its type's when it has no published place.

    Reads only relations the detail views already load, so it adds no query.
    """
    if isinstance(record, Jurisdiction):
        place = record
    elif isinstance(record, Agency | Ordinance):
        place = record.jurisdiction
    elif isinstance(record, Agreement):
        place = record.local_party.jurisdiction
    elif isinstance(record, Statement):
        # The first place it is about (prefetched by the detail view).
        place = next((p for p in record.about_jurisdictions.all() if p.is_published), None)
    else:
        place = None
    if place is not None and place.is_published:
        return place_feed_link(place)
    return list_feed_link(type(record), QueryDict())


class RevisionsFeed(Feed):
    """Every public revision site-wide: published, changed (with the fields) or withdrawn;
    the revisions of several records written as one change (a `ChangeSet`) as one entry."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return revisions_feed_link()[1]

    def link(self):
        return reverse("changes")

    def author_name(self):
        return _("Policy tracker")

    def items(self):
        return recent_changes([t.model for t in RECORD_TYPES.values()])

    def item_title(self, row):
        if isinstance(row, ChangeSet):
            return f"{capfirst(row.change_kind())}: {row}"
        return f"{capfirst(row.change_kind())}: {row.instance}"

    def item_link(self, row):
        if isinstance(row, ChangeSet) or row.history_type == "-":
            return reverse("changes")
        return revision_url(row.instance.get_absolute_url(), row.history_id)

    def item_description(self, row):
        if isinstance(row, ChangeSet):
            parts = [", ".join(f"{count} {label}" for count, label in row.record_types())]
        else:
            parts = [capfirst(row.instance._meta.verbose_name)]
        labels = row.changed_field_labels()
        if labels:
            parts.append(_("Changed: %(fields)s.") % {"fields": ", ".join(labels)})
        if row.history_change_reason:
            parts.append(_("Why: %(reason)s") % {"reason": row.history_change_reason})
        return format_html_join("", "<p>{}</p>", ((part,) for part in parts))

    def item_pubdate(self, row):
        return row.history_date

    def item_updateddate(self, row):
        return row.history_date

    def item_guid(self, row):
        host = urlsplit(f"//{self.request.get_host()}").hostname
        moment = row.history_date.astimezone(datetime.UTC)
        if isinstance(row, ChangeSet):  # named by its moment, which its rows share
            return f"tag:{host},{moment.date().isoformat()}:changes/{moment:%Y%m%dT%H%M%S%fZ}"
        return f"tag:{host},{moment.date().isoformat()}:{row._meta.model_name}/{row.history_id}"

    item_guid_is_permalink = False


def revisions_feed_link():
    return reverse("feeds:revisions"), _("Policy tracker: recent changes, field by field")


def changes_feed_link():
    return reverse("feeds:changes"), _("Policy tracker: new and changed records")


def search_feed_link(query):
    """A search page's feed: the same words and filters (less page and sort)."""
    params = feed_params(query, dropped=("page", "sort"))
    url = reverse("feeds:search") + (f"?{urlencode(params)}" if params else "")
    return url, _("New and changed records matching this search")
