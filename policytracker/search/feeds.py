"""The Atom feed of a search: its published results, newest change first."""

from django.urls import reverse
from django.utils.translation import gettext as _

from policytracker.feeds.feeds import (
    BadFeedRequest,
    RecordFeed,
    newest_first,
    published,
    record_type_of,
)
from policytracker.search.indexing import TYPE_MODELS
from policytracker.search.models import TARGETS, RecordType
from policytracker.search.service import Search


class SearchFeed(RecordFeed):
    def get_object(self, request):
        # Feeds are public: only published records, whoever asks.
        search = Search(request.GET, user=None)
        if search.errors:
            problems = "; ".join(
                f"{name}: {message}"
                for name, messages in search.errors.items()
                for message in messages
            )
            raise BadFeedRequest(_("This search could not be run: %s") % problems)
        return search

    def title(self, search):
        if search.text:
            return _("Policy tracker: search for “%s”") % search.text
        return _("Policy tracker: search results")

    def link(self, search):
        query = search.query_with(sort=None)
        return reverse("search:search") + (f"?{query}" if query else "")

    def items(self, search):
        # Entries of records: a feed tells of new and changed records, not of documents.
        records = search.matching.exclude(record_type=RecordType.SOURCE)
        newest = records.order_by("-updated_at", "pk")
        rows = newest.values_list("record_type", *TARGETS.values())[: self.limit]
        wanted = {}
        for record_type, *record_ids in rows:
            wanted.setdefault(record_type, []).append(next(pk for pk in record_ids if pk))
        return newest_first(
            [
                published(record_type_of(TYPE_MODELS[record_type])).filter(pk__in=ids)
                for record_type, ids in wanted.items()
            ],
            self.limit,
        )
