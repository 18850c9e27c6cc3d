"""A search: the visitor's words and filters, its ranked results, snippets and facets.

The page, the API, the exports and the feed all go through `Search`, so a URL means the
same everywhere. Which database answers is the backend's business (`backends.py`).
"""

from dataclasses import dataclass

from django.db import connections
from django.db.models import F
from django.db.models.functions import ExtractYear
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from jurisdictions.models import Agency, Jurisdiction
from policytracker.search.backends import MARK_END, MARK_START, backend_for
from policytracker.search.filters import KIND_CHOICES, STATUS_CHOICES, SearchFilterSet, Sort
from policytracker.search.models import RecordType, SearchEntry
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
        start = index.start or 0
        return self.search.results(offset=start, limit=index.stop - start)


class Search:
    def __init__(self, data, user, request=None):
        self.data = data
        self.filterset = SearchFilterSet(
            data, queryset=SearchEntry.objects.visible_to(user), request=request
        )
        self.is_valid = self.filterset.is_valid()
        cleaned = self.filterset.form.cleaned_data if self.is_valid else {}
        self.text = cleaned.get("q") or ""
        self.parsed = parse(self.text)
        self.sort = cleaned.get("sort") or (Sort.RELEVANCE if self.parsed else Sort.NEWEST)
        # True when nothing matched the words exactly and the results are close spellings.
        self.approximate = False
        self._count = None
        self._matching = None
        self._facets = None

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

    @property
    def matching(self):
        """The entries the words and filters select, unordered (for counts and facets)."""
        if self._matching is None:
            if self.has_words_and_nothing_to_find:
                self._matching, self._ranked = SearchEntry.objects.none(), None
            elif not self.parsed:
                self._matching, self._ranked = self.filtered, None
            else:
                self._matching = self.backend.filter(self.filtered, self.parsed)
                self._ranked = self._exact_ranking
                # The facets' query counts the matches; with none, try close spellings.
                # (An EXISTS would be a query more, and PostgreSQL may plan it as a scan.)
                if not self.facets():
                    similar, ranked = self.backend.similar(self.filtered, self.parsed)
                    if similar.count():
                        self._matching, self._ranked, self.approximate = similar, ranked, True
                        self._facets = self._count = None
        return self._matching

    def _exact_ranking(self, offset, limit):
        return self.backend.ranked_ids(self.filtered, self.parsed, offset, limit)

    @property
    def count(self):
        if self._count is None:
            self.facets()  # counts the results with the facets, in the same query
        if self._count is None:  # no facets: an invalid search
            self._count = self.matching.count()
        return self._count

    def ordered_ids(self, offset=0, limit=None):
        """Ids in the search's order: by relevance, or by the sort the visitor chose."""
        matching = self.matching
        if self.sort == Sort.RELEVANCE and self._ranked is not None:
            return self._ranked(offset, limit)
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
        entries = self.entries(self.ordered_ids(offset, limit))
        snippets = {}
        if self.parsed and entries and not self.approximate:
            snippets = self.backend.snippets(
                [entry.pk for entry in entries], self.parsed, using=self.filtered.db
            )
        for entry in entries:
            entry.snippet = highlight(snippets.get(entry.pk) or plain_snippet(entry.body))
        return entries

    def all_results(self, chunk_size=500):
        """Every result in order, a chunk at a time, for exports and feeds (no snippets)."""
        chunk = []
        for pk in self.ordered_ids():
            chunk.append(pk)
            if len(chunk) == chunk_size:
                yield from self.entries(chunk)
                chunk = []
        yield from self.entries(chunk)

    def paginated(self):
        return RankedResults(self)

    def facets(self):
        """Each facet's values with their counts among the current results.

        One query counts every facet, over the matches found once (a materialised CTE),
        and sets the result count too (the type counts add up to it); two more name the
        places and agencies shown.
        """
        self.matching  # noqa: B018 (settles exact words or close spellings; may count)
        if self._facets is None:
            self._facets = self._count_facets() if self.is_valid else []
        return self._facets

    def _count_facets(self):
        if self.has_words_and_nothing_to_find:
            self._count = 0
            return []
        counts = self._facet_counts()
        self._count = sum(counts["type"].values())
        top = {
            name: sorted(values.items(), key=lambda item: (-item[1], str(item[0])))[:FACET_SIZE]
            for name, values in counts.items()
        }
        places = Jurisdiction.objects.in_bulk([value for value, _ in top["jurisdiction"]])
        agencies = Agency.objects.in_bulk([value for value, _ in top["agency"]])
        type_labels = dict(RecordType.choices)
        kind_labels, status_labels = dict(KIND_CHOICES), dict(STATUS_CHOICES)
        facets = [
            self._facet("type", _("Record type"), top["type"], type_labels),
            self._facet(
                "jurisdiction",
                _("Jurisdiction"),
                [(places[pk], n) for pk, n in top["jurisdiction"] if pk in places],
            ),
            self._facet(
                "agency",
                _("Agency"),
                [(agencies[pk], n) for pk, n in top["agency"] if pk in agencies],
            ),
            self._facet("kind", _("Kind"), top["kind"], kind_labels),
            self._facet("status", _("Status"), top["status"], status_labels),
            self._year_facet(sorted(counts["year"].items(), reverse=True)[:FACET_SIZE]),
        ]
        return [facet for facet in facets if facet.values]

    def _facet_counts(self):
        """{facet: {value: count}} for the matches, in a single query."""
        matching = self.matching.order_by().values(
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
        """Values are (value, count) pairs, the value a code or a place or agency."""
        selected = self.data.get(name, "")
        values = []
        for value, count in rows:
            code = getattr(value, "slug", value)
            label_text = str(value) if labels is None else labels.get(value, value)
            values.append(
                FacetValue(
                    value=code,
                    label=label_text,
                    count=count,
                    selected=code == selected,
                    query=self.query_with(**{name: None if code == selected else code}),
                )
            )
        return Facet(name, label, values)

    def _year_facet(self, rows):
        chosen = (self.data.get("date_from", ""), self.data.get("date_to", ""))
        values = []
        for year, count in rows:
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
