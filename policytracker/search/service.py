"""A search: the visitor's words and filters, its ranked results, snippets and facets.

The page, the API, the exports and the feed all go through `Search`, so a URL means the
same everywhere. Which database answers is the backend's business (`backends.py`).
"""

from dataclasses import dataclass

from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

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
                matching = self.backend.filter(self.filtered, self.parsed)
                self._ranked = self._exact_ranking
                if not matching.exists():
                    similar, ranked = self.backend.similar(self.filtered, self.parsed)
                    if similar.exists():
                        matching, self._ranked, self.approximate = similar, ranked, True
                self._matching = matching
        return self._matching

    def _exact_ranking(self, offset, limit):
        return self.backend.ranked_ids(self.filtered, self.parsed, offset, limit)

    @property
    def count(self):
        if self._count is None:
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
        """Each facet's values with their counts among the current results."""
        if not self.is_valid or self.has_words_and_nothing_to_find:
            return []
        matching = self.matching.order_by()
        type_labels = dict(RecordType.choices)
        kind_labels, status_labels = dict(KIND_CHOICES), dict(STATUS_CHOICES)
        facets = [
            self._facet(
                "type",
                _("Record type"),
                matching.values(value=F("record_type")),
                lambda row: type_labels.get(row["value"], row["value"]),
            ),
            self._facet(
                "jurisdiction",
                _("Jurisdiction"),
                matching.filter(jurisdiction__isnull=False).values(
                    value=F("jurisdiction__slug"), name=F("jurisdiction__name")
                ),
                lambda row: row["name"],
            ),
            self._facet(
                "agency",
                _("Agency"),
                matching.filter(agency__isnull=False).values(
                    value=F("agency__slug"), name=F("agency__name")
                ),
                lambda row: row["name"],
            ),
            self._facet(
                "kind",
                _("Kind"),
                matching.exclude(kind="").values(value=F("kind")),
                lambda row: kind_labels.get(row["value"], row["value"]),
            ),
            self._facet(
                "status",
                _("Status"),
                matching.exclude(status="").values(value=F("status")),
                lambda row: status_labels.get(row["value"], row["value"]),
            ),
            self._year_facet(matching),
        ]
        return [facet for facet in facets if facet.values]

    def _facet(self, name, label, rows, label_of):
        rows = rows.annotate(count=Count("pk")).order_by("-count", "value")[:FACET_SIZE]
        selected = self.data.get(name, "")
        return Facet(
            name,
            label,
            [
                FacetValue(
                    value=row["value"],
                    label=label_of(row),
                    count=row["count"],
                    selected=row["value"] == selected,
                    query=self.query_with(
                        **{name: None if row["value"] == selected else row["value"]}
                    ),
                )
                for row in rows
            ],
        )

    def _year_facet(self, matching):
        rows = (
            matching.filter(date__isnull=False)
            .values(year=ExtractYear("date"))
            .annotate(count=Count("pk"))
            .order_by("-year")[:FACET_SIZE]
        )
        chosen = (self.data.get("date_from", ""), self.data.get("date_to", ""))
        values = []
        for row in rows:
            year = row["year"]
            bounds = (f"{year}-01-01", f"{year}-12-31")
            selected = chosen == bounds
            values.append(
                FacetValue(
                    value=str(year),
                    label=str(year),
                    count=row["count"],
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
