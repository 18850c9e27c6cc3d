"""A search: the visitor's words and filters, its ranked results, snippets and facets.

The page, the API, the exports and the feed all go through `Search`, so a URL means the
same everywhere. Which database answers is the backend's business (`backends.py`).
"""

from dataclasses import dataclass
from functools import cached_property

from django.db import connections
from django.db.models import F
from django.db.models.functions import ExtractYear
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from jurisdictions.models import Agency, Jurisdiction
from policytracker.search.backends import MARK_END, MARK_START, backend_for
from policytracker.search.cache import SearchCache
from policytracker.search.filters import KIND_CHOICES, STATUS_CHOICES, SearchFilterSet, Sort
from policytracker.search.models import RecordType, SearchEntry, draft_types_visible_to
from policytracker.search.query import parse

# A facet lists at most this many values, the commonest first.
FACET_SIZE = 10


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    query: str  # the search's query string with this value chosen, or unchosen if selected


@dataclass
class Facet:
    name: str
    label: str
    values: list


class RankedResults:
    """The search's results in order, fetched a slice at a time (what Paginator needs)."""

    def __init__(self, search):
        self.search = search

    def count(self):
        return self.search.count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Results are read a page at a time.")
        start, limit = index.start or 0, index.stop - (index.start or 0)
        # Read when first used: a page whose rendering is cached never reads them.
        return SimpleLazyObject(lambda: self.search.results(offset=start, limit=limit))


class Search:
    def __init__(self, data, user, request=None):
        self.data = data
        self.user = user
        self.filterset = SearchFilterSet(
            data, queryset=SearchEntry.objects.visible_to(user), request=request
        )
        self.is_valid = self.filterset.is_valid()
        cleaned = self.filterset.form.cleaned_data if self.is_valid else {}
        self.text = cleaned.get("q") or ""
        self.parsed = parse(self.text)
        self.sort = cleaned.get("sort") or (Sort.RELEVANCE if self.parsed else Sort.NEWEST)

    @property
    def errors(self):
        return self.filterset.errors

    @property
    def has_words_and_nothing_to_find(self):
        """The box held text, but only operators or excluded words: nothing to look for."""
        return bool(self.text.strip()) and not self.parsed

    @property
    def filtered(self):
        return self.filterset.qs if self.is_valid else SearchEntry.objects.none()

    @property
    def backend(self):
        return backend_for(self.filtered)

    @cached_property
    def cache(self):
        """Where this search's count, facets and pages are kept (see cache.py)."""
        filters = {
            name: self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name)
            for name in self.filterset.filters
            if name != "sort"
        }
        return SearchCache(self.filtered.db, draft_types_visible_to(self.user), filters)

    @cached_property
    def summary(self):
        """{"count", "approximate", "facets"}: what a search shows besides its results.

        `approximate` is true when nothing matched the words exactly and the results are
        close spellings. Facets are {facet: [(value, label, count)]}, the commonest first;
        places and agencies as their slug and name, other values with no label.
        """
        if not self.is_valid or self.has_words_and_nothing_to_find:
            return {"count": 0, "approximate": False, "facets": {}}
        return self.cache.get_or_compute("summary", self._summarise)

    def _summarise(self):
        approximate = False
        counts = self._facet_counts(self._exact_matches)
        if self.parsed and not counts["type"]:
            # Nothing matches the words exactly: count close spellings instead.
            counts = self._facet_counts(self._similar[0])
            approximate = bool(counts["type"])
        top = {
            name: sorted(values.items(), key=lambda item: (-item[1], str(item[0])))[:FACET_SIZE]
            for name, values in counts.items()
        }
        top["year"] = sorted(counts["year"].items(), reverse=True)[:FACET_SIZE]
        names = {
            "jurisdiction": Jurisdiction.objects.in_bulk([pk for pk, _ in top["jurisdiction"]]),
            "agency": Agency.objects.in_bulk([pk for pk, _ in top["agency"]]),
        }
        facets = {}
        for name, rows in top.items():
            if name in names:
                found = names[name]
                rows = [(found[pk].slug, str(found[pk]), n) for pk, n in rows if pk in found]
            else:
                rows = [(value, None, n) for value, n in rows]
            facets[name] = rows
        return {
            "count": sum(counts["type"].values()),
            "approximate": approximate,
            "facets": facets,
        }

    @property
    def approximate(self):
        return self.summary["approximate"]

    @property
    def count(self):
        return self.summary["count"]

    @property
    def _exact_matches(self):
        if not self.parsed:
            return self.filtered
        return self.backend.filter(self.filtered, self.parsed)

    @cached_property
    def _similar(self):
        """(matching, ranking) for the words' close spellings."""
        return self.backend.similar(self.filtered, self.parsed)

    @property
    def matching(self):
        """The entries the words and filters select, unordered."""
        if not self.is_valid or self.has_words_and_nothing_to_find:
            return SearchEntry.objects.none()
        return self._similar[0] if self.approximate else self._exact_matches

    def ordered_ids(self, offset=0, limit=None):
        """Ids in the search's order: by relevance, or by the sort the visitor chose."""
        matching = self.matching
        if self.sort == Sort.RELEVANCE and self.parsed:
            if self.approximate:
                return self._similar[1](offset, limit)
            return self.backend.ranked_ids(self.filtered, self.parsed, offset, limit)
        order = {
            Sort.NEWEST: [F("date").desc(nulls_last=True), F("updated_at").desc()],
            Sort.OLDEST: [F("date").asc(nulls_last=True), "updated_at"],
            Sort.TITLE: ["title"],
            Sort.RELEVANCE: [F("updated_at").desc()],  # no words: the latest changes
        }[self.sort]
        ids = matching.order_by(*order, "pk").values_list("pk", flat=True)
        if limit is None:
            return ids[offset:].iterator(chunk_size=2000)
        return list(ids[offset : offset + limit])

    def entries(self, ids):
        by_id = SearchEntry.objects.select_related("jurisdiction", "agency").in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def results(self, offset=0, limit=20):
        """A page of entries, each with `snippet`: escaped text with the matches in <mark>."""
        if not self.count:
            return []
        page = self.cache.get_or_compute(
            f"page:{self.sort}:{offset}:{limit}", lambda: self._page(offset, limit)
        )
        entries = self.entries([pk for pk, _ in page])
        snippets = dict(page)
        for entry in entries:
            entry.snippet = highlight(snippets.get(entry.pk) or plain_snippet(entry.body))
        return entries

    def _page(self, offset, limit):
        """[(id, marked snippet or None)] for a page of results."""
        ids = self.ordered_ids(offset, limit)
        snippets = {}
        if self.parsed and ids and not self.approximate:
            snippets = self.backend.snippets(ids, self.parsed, using=self.filtered.db)
        return [(pk, snippets.get(pk)) for pk in ids]

    def paginated(self):
        return RankedResults(self)

    def facets(self):
        """Each facet's values with their counts among the results, commonest first."""
        found = self.summary["facets"]
        if not found:
            return []
        facets = [
            self._facet("type", _("Record type"), found["type"], dict(RecordType.choices)),
            self._facet("jurisdiction", _("Jurisdiction"), found["jurisdiction"]),
            self._facet("agency", _("Agency"), found["agency"]),
            self._facet("kind", _("Kind"), found["kind"], dict(KIND_CHOICES)),
            self._facet("status", _("Status"), found["status"], dict(STATUS_CHOICES)),
            self._year_facet(found["year"]),
        ]
        return [facet for facet in facets if facet.values]

    def _facet_counts(self, matching):
        """{facet: {value: count}} for the matches, in a single query.

        The matches are found once (a materialised CTE) and each facet counts them; the
        type counts add up to the number of results.
        """
        matching = matching.order_by().values(
            "record_type",
            "jurisdiction_id",
            "agency_id",
            "kind",
            "status",
            year=ExtractYear("date"),
        )
        using = matching.db
        inner_sql, params = matching.query.get_compiler(using).as_sql()
        columns = {
            "type": "record_type",
            "jurisdiction": "jurisdiction_id",
            "agency": "agency_id",
            "kind": "kind",
            "status": "status",
            "year": "year",
        }
        unions = " UNION ALL ".join(
            f"SELECT '{name}', CAST({column} AS TEXT), COUNT(*) FROM matches "
            f"WHERE {column} IS NOT NULL AND CAST({column} AS TEXT) <> '' GROUP BY {column}"
            for name, column in columns.items()
        )
        sql = f"WITH matches AS MATERIALIZED ({inner_sql}) {unions}"
        counts = {name: {} for name in columns}
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            for name, value, count in cursor.fetchall():
                if name in ("jurisdiction", "agency", "year"):
                    value = int(float(value))
                counts[name][value] = count
        return counts

    def _facet(self, name, label, rows, labels=None):
        """Rows are (value, label, count): a code, or a place's or agency's slug and name."""
        selected = self.data.get(name, "")
        values = []
        for code, text, count in rows:
            values.append(
                FacetValue(
                    value=code,
                    label=text if labels is None else labels.get(code, code),
                    count=count,
                    selected=code == selected,
                    query=self.query_with(**{name: None if code == selected else code}),
                )
            )
        return Facet(name, label, values)

    def _year_facet(self, rows):
        chosen = (self.data.get("date_from", ""), self.data.get("date_to", ""))
        values = []
        for year, _label, count in rows:
            bounds = (f"{year}-01-01", f"{year}-12-31")
            selected = chosen == bounds
            values.append(
                FacetValue(
                    value=str(year),
                    label=str(year),
                    count=count,
                    selected=selected,
                    query=self.query_with(
                        date_from=None if selected else bounds[0],
                        date_to=None if selected else bounds[1],
                    ),
                )
            )
        return Facet("year", _("Year"), values)

    def query_with(self, **changes):
        """This search's query string with some parameters changed (None removes one)."""
        params = self.data.copy()
        params.pop("page", None)
        for name, value in changes.items():
            params.pop(name, None)
            if value is not None:
                params[name] = value
        return params.urlencode()


def highlight(marked):
    """Escape a snippet's text, then turn the backend's match markers into <mark>."""
    html = escape(marked).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)


def plain_snippet(body, words=40):
    """The start of the body, for results with nothing to highlight."""
    parts = body.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
